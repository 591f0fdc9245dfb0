"""`wb team init|add|list` and `wb handover`: the team commands (PostgreSQL only)."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable

from workbench.cli.parsing import EXIT_OK
from workbench.i18n import t


def register(add: Callable[..., argparse.ArgumentParser], json_opt: argparse.ArgumentParser) -> None:
    sp = add("team", cmd_team, "team mode on PostgreSQL: secure the database, add managers, list them", json_opt)
    sp.add_argument("action", choices=["init", "add", "list"])
    sp.add_argument("name", nargs="?", help="add: the manager's database role (their login)")
    sp.add_argument("--lead", action="store_true", help="add: a lead, who sees the team and hands clients over")
    sp.add_argument(
        "--password",
        action="store_true",
        help="add: set a login password, asked at the terminal (or read as one line from stdin); never an argument",
    )
    register_migrate(add, json_opt)
    sp = add("handover", cmd_handover, "give clients, with their whole history, to another manager (leads)", json_opt)
    sp.add_argument("refs", nargs="+", metavar="CLIENT")
    sp.add_argument("--from", dest="from_manager", required=True, metavar="A")
    sp.add_argument("--to", dest="to_manager", required=True, metavar="B")


def _password(name: str) -> str:
    from workbench.errors import BadInput

    if not sys.stdin.isatty():
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise BadInput("--password: no password on stdin")
        return line
    first = getpass.getpass(t("cli.password_prompt", name=name))
    if getpass.getpass(t("cli.password_again")) != first:
        raise BadInput(t("cli.password_mismatch"))
    return first


def cmd_team(ns: argparse.Namespace) -> int:
    from workbench.cli import _emit_json, _open, _safe
    from workbench.errors import BadInput
    from workbench.services import team

    book = _open(ns)
    if ns.action == "init":
        tables = team.init(book)
        if ns.json:
            _emit_json({"tables": tables})
        else:
            print(t("cli.team_ready", n=len(tables)))
    elif ns.action == "add":
        if not ns.name:
            raise BadInput("wb team add NAME: give the manager's name (their database role)")
        password = _password(ns.name) if ns.password else None
        new = team.add(book, ns.name, lead=ns.lead, password=password)
        lead = t("cli.team_lead") if ns.lead else ""
        if ns.json:
            _emit_json({"name": ns.name, "lead": ns.lead, "created": new})
        else:
            print(t("cli.team_added" if new else "cli.team_updated", name=_safe(ns.name), lead=lead))
    else:
        members = team.members(book)
        if ns.json:
            _emit_json([m.as_json() for m in members])
        elif not members:
            print(t("cli.team_none"))
        for m in members if not ns.json else ():
            print(_safe(m.name) + (t("cli.team_lead") if m.lead else ""))
    return EXIT_OK


def cmd_handover(ns: argparse.Namespace) -> int:
    from workbench.cli import _emit_json, _open, _safe
    from workbench.errors import Refused
    from workbench.i18n import lang
    from workbench.services import team

    book = _open(ns)
    me = team.whoami(book)
    if not me.lead:
        raise Refused(t("cli.handover_lead_only", role=me.name))
    done = team.handover(book, ns.refs, ns.from_manager, ns.to_manager, lang=lang())
    if ns.json:
        _emit_json([d.as_json() for d in done])
    else:
        print(t("cli.handover_done", n=len(done), frm=_safe(ns.from_manager), to=_safe(ns.to_manager)))
        for d in done:
            print(f"  {_safe(d.client_no or '')} {_safe(d.name)}")
    return EXIT_OK


def register_migrate(add: Callable[..., argparse.ArgumentParser], json_opt: argparse.ArgumentParser) -> None:
    sp = add("migrate-to", cmd_migrate_to, "copy this personal SQLite book into a team database, for you", json_opt)
    sp.add_argument("url", metavar="URL", help="the team database: postgresql://YOU@HOST/DB (no password here)")


def cmd_migrate_to(ns: argparse.Namespace) -> int:
    from workbench.cli import _emit_json, _open, _safe
    from workbench.services import migrate

    done = migrate.migrate_to(_open(ns), ns.url)
    if ns.json:
        _emit_json(done.as_json())
        return EXIT_OK
    total = sum(done.counts.values())
    print(t("cli.migrated", n=total, target=_safe(done.target)))
    for table, n in done.counts.items():
        if n:
            print(f"  {table}: {n}")
    for table, n in done.skipped.items():
        print(t("cli.migrate_skipped", table=table, n=n))
    return EXIT_OK
