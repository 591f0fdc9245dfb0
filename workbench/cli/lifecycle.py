"""The whole life of a client on the command line: `wb prospect add|set|convert`, `wb prospects`, `wb lost`,
`wb winback`, `wb referral`, `wb referrals`, `wb event add|show|invite|attend` and `wb events`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from workbench.cli.parsing import EXIT_OK
from workbench.i18n import lang, t
from workbench.rules import lifecycle as words
from workbench.rules.tiers import tier_name


def register(add: Callable[..., argparse.ArgumentParser], json_opt: argparse.ArgumentParser) -> None:
    sp = add("prospect", cmd_prospect, "add a prospect, change its next step, or convert it to a client", json_opt)
    sp.add_argument("action", choices=["add", "set", "convert"])
    sp.add_argument("what", metavar="NAME|CLIENT", help="add: the prospect's name; set, convert: the prospect")
    sp.add_argument("--kind", choices=["individual", "corporate"], default="individual")
    sp.add_argument("--phone")
    sp.add_argument("--employer")
    sp.add_argument("--source", help=f"where it came from: {', '.join(words.SOURCES)}")
    sp.add_argument("--approach", help=f"the first-contact strategy: {', '.join(words.APPROACHES)}")
    sp.add_argument("--next-step", help="what to do next")
    sp.add_argument("--next-date", metavar="DATE", help="when (the planner proposes it that day)")
    sp.add_argument("--referred-by", metavar="CLIENT", help="the client who introduced them")
    sp.add_argument("--note")
    sp.add_argument("--client-no", help="convert: the client number the bank gave")

    add("prospects", cmd_prospects, "prospects with their source and next step", json_opt)

    sp = add("lost", cmd_lost, "mark a client lost, with the reason and whether the loss was normal", json_opt)
    sp.add_argument("ref", metavar="CLIENT")
    sp.add_argument("--reason", help=f"why: {', '.join(words.LOSS_REASONS)} or words of your own")
    normal = sp.add_mutually_exclusive_group()
    normal.add_argument("--normal", dest="normal", action="store_const", const=True, help="moved away, death…")
    normal.add_argument("--abnormal", dest="normal", action="store_const", const=False, help="another bank, unhappy…")

    sp = add("winback", cmd_winback, "a lost client comes back: active again", json_opt)
    sp.add_argument("ref", metavar="CLIENT")

    sp = add("referral", cmd_referral, "record who introduced a client", json_opt)
    sp.add_argument("ref", metavar="CLIENT")
    sp.add_argument("--by", required=True, metavar="REFERRER", help="the client who introduced them")
    sp.add_argument("--note", default="")

    sp = add(
        "referrals", cmd_referrals, "the clients whose circle brought the most, or one client's both ways", json_opt
    )
    sp.add_argument("ref", nargs="?", metavar="CLIENT")
    sp.add_argument("--limit", type=int, default=10)

    sp = add("event", cmd_event, "an event: add it, show it, invite to it, record who came", json_opt)
    sp.add_argument("action", choices=["add", "show", "invite", "attend"])
    sp.add_argument("what", metavar="NAME|EVENT")
    sp.add_argument("clients", nargs="*", metavar="CLIENT", help="invite, attend: these clients")
    sp.add_argument("--on", metavar="DATE", help="add: the event's day")
    sp.add_argument("--kind", default="appreciation", help=f"add: {', '.join(words.EVENT_KINDS)}")
    sp.add_argument("--place", default="")
    sp.add_argument("--tier", action="append", default=[], help="invite: clients of this tier (repeatable)")
    sp.add_argument("--min-tier", help="invite: clients of this tier and above")
    sp.add_argument("--interest", help="invite: words their hobbies, circle or notes mention")
    sp.add_argument("--not-since", metavar="DATE", help="invite: not contacted since this day")
    sp.add_argument("--overdue", action="store_true", help="invite: clients overdue in their interval")
    sp.add_argument("--limit", type=int)
    sp.add_argument("--dry-run", action="store_true", help="invite: show the list, invite nobody")
    sp.add_argument("--status", default="attended", help="attend: attended, absent or declined")

    add("events", cmd_events, "events, the latest first, with their invitations", json_opt)


def _client(ref: str) -> int:
    from workbench.services import portfolio

    return portfolio.find_client(ref)


def _say(changed, ns: argparse.Namespace, key: str) -> int:
    from workbench.cli import _emit_json, _safe

    if ns.json:
        _emit_json(changed.as_json())
        return EXIT_OK
    print(t(key, name=_safe(changed.name)))
    if changed.follow_up:
        print(t("cli.life.thanks", referrer=_safe(changed.referrer or ""), text=_safe(changed.follow_up)))
    elif changed.referrer and key == "cli.life.prospect_added":
        print(t("cli.life.referred_by", referrer=_safe(changed.referrer)))
    return EXIT_OK


def cmd_prospect(ns: argparse.Namespace) -> int:
    from workbench.cli import _day_arg, _open
    from workbench.services import lifecycle

    next_date = _day_arg(ns.next_date, "--next-date")
    _open(ns)
    if ns.action == "add":
        changed = lifecycle.add_prospect(
            ns.what,
            kind=ns.kind,
            phone=ns.phone,
            employer=ns.employer,
            source=ns.source,
            approach=ns.approach,
            next_step=ns.next_step,
            next_date=next_date,
            referred_by=_client(ns.referred_by) if ns.referred_by else None,
            notes=ns.note,
        )
        return _say(changed, ns, "cli.life.prospect_added")
    cid = _client(ns.what)
    if ns.action == "set":
        changed = lifecycle.set_prospect(
            cid, source=ns.source, approach=ns.approach, next_step=ns.next_step, next_date=next_date
        )
        return _say(changed, ns, "cli.life.prospect_set")
    return _say(lifecycle.convert(cid, client_no=ns.client_no), ns, "cli.life.converted")


def cmd_prospects(ns: argparse.Namespace) -> int:
    from workbench.cli import _emit_json, _open, _safe
    from workbench.services import lifecycle

    _open(ns)
    rows = lifecycle.prospects()
    if ns.json:
        _emit_json([r.as_json() for r in rows])
        return EXIT_OK
    if not rows:
        print(t("cli.life.no_prospects"))
    lg = lang()
    for r in rows:
        when = r.next_step_date.isoformat() if r.next_step_date else "—"
        source = words.word(words.SOURCES, r.source, lg) or "—"
        via = f" ← {_safe(r.referrer)}" if r.referrer else ""
        print(f"{when}  {_safe(r.name)}  [{source}]{via}  {_safe(r.next_step or '')}".rstrip())
    return EXIT_OK


def cmd_lost(ns: argparse.Namespace) -> int:
    from workbench.cli import _open
    from workbench.errors import BadInput
    from workbench.services import lifecycle

    reason, normal = ns.reason, ns.normal
    interactive = sys.stdin.isatty() and not ns.json
    if reason is None:
        if not interactive:
            raise BadInput("say why the client was lost (--reason)")
        reason = input(t("cli.life.ask_reason"))
    if normal is None and words.loss_reason(reason)[1] is None and interactive:
        normal = input(t("cli.life.ask_normal")).strip().lower() in ("y", "yes", "是", "正常")
    _open(ns)
    return _say(lifecycle.mark_lost(_client(ns.ref), reason, normal), ns, "cli.life.lost")


def cmd_winback(ns: argparse.Namespace) -> int:
    from workbench.cli import _open
    from workbench.services import lifecycle

    _open(ns)
    return _say(lifecycle.win_back(_client(ns.ref)), ns, "cli.life.won_back")


def cmd_referral(ns: argparse.Namespace) -> int:
    from workbench.cli import _emit_json, _open, _safe
    from workbench.services import lifecycle

    _open(ns)
    changed = lifecycle.set_referrer(_client(ns.ref), _client(ns.by), note=ns.note)
    if ns.json:
        _emit_json(changed.as_json())
    else:
        print(t("cli.life.referral", name=_safe(changed.name), referrer=_safe(changed.referrer or "")))
    return EXIT_OK


def cmd_referrals(ns: argparse.Namespace) -> int:
    from workbench.cli import _emit_json, _open, _safe
    from workbench.services import lifecycle

    _open(ns)
    if ns.ref:
        cid = _client(ns.ref)
        by, brought = lifecycle.referred_by(cid), lifecycle.referred(cid)
        if ns.json:
            _emit_json({"referred_by": by.name if by else None, "referred": [r.as_json() for r in brought]})
            return EXIT_OK
        print(t("cli.life.referred_by", referrer=_safe(by.name)) if by else t("cli.life.no_referrer"))
        for r in brought:
            print(f"  → {r.date.isoformat()}  {_safe(r.name)}  ({t('status.' + r.status)})")
        return EXIT_OK
    rows = lifecycle.top_referrers(ns.limit)
    if ns.json:
        _emit_json([r.as_json() for r in rows])
        return EXIT_OK
    if not rows:
        print(t("cli.life.no_referrals"))
    from workbench.rules.money import short_amount

    for r in rows:
        print(
            t(
                "cli.life.referrer_row",
                name=_safe(r.name),
                n=r.referred,
                won=r.converted,
                aum=short_amount(r.aum, lang()),
            )
        )
    return EXIT_OK


def cmd_event(ns: argparse.Namespace) -> int:
    from workbench.cli import _day_arg, _emit_json, _open, _safe
    from workbench.errors import BadInput
    from workbench.services import events

    on = _day_arg(ns.on, "--on")
    not_since = _day_arg(ns.not_since, "--not-since")
    _open(ns)
    if ns.action == "add":
        if on is None:
            raise BadInput("wb event add NAME --on DATE: the event's day")
        row = events.add(ns.what, on, kind=ns.kind, place=ns.place)
        if ns.json:
            _emit_json(row.as_json())
        else:
            print(t("cli.life.event_added", id=row.id, name=_safe(row.name), date=row.date.isoformat()))
        return EXIT_OK
    event_id = events.find(ns.what)
    if ns.action == "invite":
        if ns.clients:
            ids = [_client(c) for c in ns.clients]
            names = None
        else:
            from workbench.rules.tiers import tier_from_text

            try:
                tiers = [tier_from_text(x) for x in ns.tier]
                min_tier = tier_from_text(ns.min_tier) if ns.min_tier else None
            except ValueError as exc:
                raise BadInput(exc, column="--tier") from None
            chosen = events.propose(
                event_id,
                tiers=tiers,
                min_tier=min_tier,
                interest=ns.interest,
                contacted_before=not_since,
                overdue=ns.overdue,
                limit=ns.limit,
            )
            ids, names = [c.id for c in chosen], chosen
        new = 0 if ns.dry_run else events.invite(event_id, ids)
        if ns.json:
            _emit_json({"event": event_id, "chosen": len(ids), "invited": new, "dry_run": ns.dry_run})
            return EXIT_OK
        for c in names or ():
            last = c.last_contact.isoformat() if c.last_contact else "—"
            print(f"  {_safe(c.name)}  {tier_name(c.tier, lang())}  {last}")
        print(
            t("cli.life.invited", chosen=len(ids), new=new)
            if not ns.dry_run
            else t("cli.life.would_invite", n=len(ids))
        )
        return EXIT_OK
    if ns.action == "attend":
        if not ns.clients:
            raise BadInput("wb event attend EVENT CLIENT…: who came")
        changed = events.record(event_id, [_client(c) for c in ns.clients], ns.status)
        if ns.json:
            _emit_json({"event": event_id, "changed": changed})
        else:
            print(t("cli.life.recorded", n=changed))
        return EXIT_OK
    row = events.get(event_id)
    if ns.json:
        _emit_json(row.as_json())
        return EXIT_OK
    lg = lang()
    kind = words.word(words.EVENT_KINDS, row.kind, lg)
    print(f"#{row.id} {row.date.isoformat()} {_safe(row.name)} · {kind} {_safe(row.place)}".rstrip())
    for g in row.guests:
        print(f"  {_safe(g.name)}  {words.word(words.INVITATION_STATUSES, g.status, lg)}")
    return EXIT_OK


def cmd_events(ns: argparse.Namespace) -> int:
    from workbench.cli import _emit_json, _open, _safe
    from workbench.services import events

    _open(ns)
    rows = events.list_events()
    if ns.json:
        _emit_json([r.as_json() for r in rows])
        return EXIT_OK
    if not rows:
        print(t("cli.life.no_events"))
    lg = lang()
    for r in rows:
        came = r.counts.get("attended", 0)
        print(
            f"#{r.id} {r.date.isoformat()} {_safe(r.name)} · {words.word(words.EVENT_KINDS, r.kind, lg)} · "
            + t("cli.life.event_counts", invited=sum(r.counts.values()), came=came)
        )
    return EXIT_OK
