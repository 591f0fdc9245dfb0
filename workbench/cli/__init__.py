"""The `wb` command (../shared/CLI.md is its contract). Heavy modules are imported inside each command, so a
command loads only what it uses. Every error a user can cause ends as one line on stderr and exit 1."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench import __version__
from workbench.cli.parsing import (
    EXIT_BAD,
    EXIT_BUG,
    EXIT_OK,
    NotBuilt,
    common_options,
    common_parser,
    non_negative,
    parser_class,
    positive,
)
from workbench.errors import BadFile, WorkbenchError
from workbench.i18n import t

if TYPE_CHECKING:
    import argparse


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    _apply_language()
    lead = _leading_options(args)
    if len(args) > lead and args[lead] in ("note", "search"):  # quick commands: small parsers, nothing else loaded
        from workbench.cli import quick

        run = quick.cmd_note if args[lead] == "note" else quick.cmd_search
        rest = [*args[:lead], *args[lead + 1 :]]  # `wb --db B note …` is `wb note --db B …`
        return _guarded(lambda: run(rest))
    if not args:  # plain `wb`: straight to the TUI, without building the command-line parser
        from workbench.cli import quick

        text = quick.piped_text()  # text piped in: a note
        if text is not None and text.strip():
            return _guarded(lambda: quick.cmd_note(["-"], text))
        return _tui(None)
    wanted = args[lead] if len(args) > lead and not args[lead].startswith("-") else None
    parser = build_parser(only=wanted) if wanted or lead < len(args) else common_parser()  # `wb --db B`: TUI
    try:
        ns = parser.parse_args(args)
    except SystemExit as exc:  # argparse has printed its usage message
        return int(exc.code or 0)
    return _guarded(lambda: _run(ns))


def _apply_language() -> None:
    """The interface language: WORKBENCH_LANG, else the settings' ``language``, else the locale (i18n.detect).
    Costs a stat when there is no settings file; a wrong file is said by the command that needs the settings."""
    if os.environ.get("WORKBENCH_LANG", "").strip():
        return
    from workbench import paths

    where = paths.config_dir() / "config.toml"
    try:
        if not where.is_file():
            return
        import tomllib

        value = tomllib.loads(where.read_text(encoding="utf-8")).get("language")
    except (OSError, ValueError):
        return
    if value in ("zh", "en"):
        from workbench.i18n import set_lang

        set_lang(value)


def _leading_options(args: list[str]) -> int:
    """How many of the first arguments are options every command takes (--db B, --date D) before the command."""
    i = 0
    while i < len(args):
        if args[i] in ("--db", "--date"):
            i += 2
        elif args[i].startswith(("--db=", "--date=")):
            i += 1
        else:
            break
    return min(i, len(args))


def _run(ns: argparse.Namespace) -> int:
    _apply_common(ns)
    if ns.command is None:
        return cmd_tui(ns)
    return int(ns.func(ns) or 0)


def _guarded(run: Callable[[], int]) -> int:
    """Run a command; whatever a user can cause ends as one line on stderr and exit 1, never a traceback."""
    try:
        return run()
    except BadFile as exc:
        _error(str(exc))
        for problem in exc.problems:
            print(f"  {_safe(problem.message())}", file=sys.stderr)
        return EXIT_BAD
    except WorkbenchError as exc:
        _error(str(exc))
        return EXIT_BAD
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        _quiet_broken_pipe()
        return EXIT_OK
    except Exception as exc:  # a bug, not the user's doing: say so in one line
        said = _database_error(exc)
        if said is not None:  # (a read that met a lost connection or a refusal outside a transaction)
            _error(str(said))
            return EXIT_BAD
        if os.environ.get("WORKBENCH_DEBUG"):
            raise
        _error(f"internal error ({type(exc).__name__}: {exc}); set WORKBENCH_DEBUG=1 for details")
        return EXIT_BUG


def _database_error(exc: Exception) -> Exception | None:
    if "workbench.store.db" not in sys.modules:  # (the quick path never loads it)
        return None
    from workbench.store.db import as_store_error

    return as_store_error(exc)


def _safe(text: str) -> str:
    from workbench.rules.text import safe

    return safe(text)


def _error(message: str) -> None:
    print(f"wb: {_safe(message)}", file=sys.stderr)


def _quiet_broken_pipe() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with ``only``, that command's options alone are built (the others are
    listed, so a mistyped name is still told the choices)."""
    import argparse  # here, not at the top: a plain `wb` (the TUI) never builds the parser

    _Parser = parser_class()

    common = common_options()
    json_opt = argparse.ArgumentParser(add_help=False)
    json_opt.add_argument("--json", action="store_true", help="machine-readable JSON on stdout")

    p = _Parser(
        prog="wb",
        description="Workbench: the relationship manager's terminal workbench. With no command, opens the TUI.",
        parents=[common],
    )
    p.add_argument("--version", action="version", version=f"wb {__version__}")
    p.set_defaults(command=None)
    sub = p.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    def add(name: str, func: Callable[[argparse.Namespace], int], help_text: str, *parents) -> argparse.ArgumentParser:
        if only is not None and name != only:
            sub.add_parser(name, help=help_text, add_help=False)
            return NotBuilt()  # type: ignore[return-value]
        sp = sub.add_parser(name, help=help_text, description=help_text, parents=[common, *parents])
        sp.set_defaults(func=func)
        return sp

    sp = add("demo", cmd_demo, "fill an empty book with a realistic generated one")
    sp.add_argument("--clients", type=positive, default=300)
    sp.add_argument("--notes", type=non_negative, default=None)
    sp.add_argument("--seed", type=int, default=0)
    sp.add_argument("--replace", action="store_true", help="replace a book that already has clients")

    sp = add("clients", cmd_clients, "list clients", json_opt)
    sp.add_argument("--tier")
    sp.add_argument("--search")
    sp.add_argument("--sort", default="tier")
    sp.add_argument("--limit", type=positive)
    sp.add_argument("--status", default="active", choices=["active", "prospect", "lost", "all"])
    sp.add_argument("--reveal", action="store_true", help="show phone and ID numbers unmasked")

    sp = add("client", cmd_client, "the client 360 view", json_opt)
    sp.add_argument("ref", metavar="ID_OR_NAME")
    sp.add_argument("--reveal", action="store_true")

    sp = add("import", cmd_import, "import clients, balances or holdings (CSV/XLSX), or a whole book", json_opt)
    sp.add_argument("what", choices=["clients", "balances", "holdings", "all"])
    sp.add_argument("file", type=Path)
    sp.add_argument("--encoding")
    sp.add_argument("--dry-run", action="store_true", help="validate and count, write nothing")

    sp = add("export", cmd_export, "export clients (CSV/XLSX/JSON) or the whole book (JSON)")
    sp.add_argument("what", choices=["clients", "all"])
    sp.add_argument("-o", "--output", type=Path, required=True)
    sp.add_argument("--format", choices=["csv", "xlsx", "json"])
    sp.add_argument("--reveal", action="store_true")

    sp = add("today", cmd_today, "today's contacts: who, why and how", json_opt)
    sp.add_argument("--limit", type=positive, help="how many (default: the daily capacity, 10)")

    sp = add("log", cmd_log, "record a contact; the cadence restarts from it", json_opt)
    sp.add_argument("ref", metavar="CLIENT")
    sp.add_argument("--channel", required=True, choices=["phone", "visit", "wechat", "sms", "email", "event"])
    sp.add_argument("--outcome", required=True, help="how it went ('-' reads it from stdin)")
    sp.add_argument("--next", dest="next_date", metavar="DATE", help="the next contact agreed with the client")

    sp = add("holidays", cmd_holidays, "local corrections to the official holiday calendar", json_opt)
    sp.add_argument("action", choices=["add", "list", "remove"])
    sp.add_argument("when", metavar="DAY|FROM..TO|YEAR")
    side = sp.add_mutually_exclusive_group()
    side.add_argument("--off", action="store_true", help="a day off")
    side.add_argument("--on", action="store_true", help="a workday (调休上班)")
    sp.add_argument("--note", default="")

    sp = add("ics", cmd_ics, "planned contacts and key dates as an iCalendar file")
    sp.add_argument("--days", type=positive, default=14)
    sp.add_argument("-o", "--output", type=Path, required=True)
    sp.add_argument("--client", choices=["name", "surname", "none"], help="how a client is shown (calendar.client)")
    sp.add_argument("--reason", choices=["full", "kind", "none"], help="how reasons are shown (calendar.reason)")

    sp = add(
        "brief", cmd_brief, "the pre-visit brief: who, figures, gaps as questions, talking points, lessons", json_opt
    )
    sp.add_argument("ref", metavar="CLIENT")
    sp.add_argument("-o", "--output", type=Path, help="write it as Markdown (for a phone)")

    from workbench.cli import complaints

    complaints.register(add, json_opt)

    sp = add("backup", cmd_backup, "back up the book (checked before it is kept)")
    sp.add_argument("-o", "--output", type=Path)
    sp = add("restore", cmd_restore, "replace the book with a backup (the current one is kept aside)")
    sp.add_argument("file", type=Path)
    add("check", cmd_check, "integrity check and counts", json_opt)
    sp = add("audit", cmd_audit, "who was shown phone and ID numbers unmasked, and when", json_opt)
    sp.add_argument("--limit", type=positive, default=50)
    from workbench.cli import config, lifecycle, report, team

    lifecycle.register(add, json_opt)
    team.register(add, json_opt)
    config.register(add, json_opt)
    report.register(add, json_opt)
    return p


def _apply_common(ns: argparse.Namespace) -> None:
    from workbench.errors import BadInput

    day = getattr(ns, "date", None)
    if day is not None:
        from workbench.rules.dates import parse_date

        try:
            os.environ["WORKBENCH_TODAY"] = parse_date(day).isoformat()
        except ValueError as exc:
            raise BadInput(exc, column="--date", value=day) from None


def _open(ns: argparse.Namespace):
    from workbench.services.book import open_book

    book = open_book(getattr(ns, "db", None))
    for warning in book.warnings:
        print(f"wb: {t('cli.warning')}: {_safe(warning)}", file=sys.stderr)
    return book


def _emit_json(data: Any) -> None:
    import json

    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def _confirm(ns: argparse.Namespace, prompt: str) -> bool:
    if getattr(ns, "yes", False):
        return True
    if not sys.stdin.isatty():
        return False
    try:
        return input(prompt).strip().lower() in ("y", "yes", "是", "好")
    except EOFError:
        return False


# --- commands ---------------------------------------------------------------------------------------------


def cmd_tui(ns: argparse.Namespace) -> int:
    return _tui(getattr(ns, "db", None))


def _tui(target: str | None) -> int:
    """The TUI, with the book opening on a thread meanwhile: the database layer loads while Textual does."""
    from workbench.tui.opening import Opening

    opening = Opening(target)
    from workbench.tui.app import run

    return run(target, opening)


def cmd_demo(ns: argparse.Namespace) -> int:
    from workbench.services import demo
    from workbench.services.book import is_empty
    from workbench.store.models import Client

    book = _open(ns)
    replace = ns.replace
    if not replace and not is_empty():
        count = Client.select().count()
        if sys.stdin.isatty() and _confirm(ns, t("cli.confirm_replace", n=count)):
            replace = True
        elif getattr(ns, "yes", False):
            replace = True
    summary = demo.generate(ns.clients, notes=ns.notes, seed=ns.seed, replace=replace)
    print(t("cli.demo_done", **summary.__dict__))
    book.close()
    return EXIT_OK


def cmd_clients(ns: argparse.Namespace) -> int:
    from workbench.services import portfolio
    from workbench.textout import client_table

    _open(ns)
    rows = portfolio.list_clients(
        tier=ns.tier,
        search=ns.search,
        sort=ns.sort,
        limit=ns.limit,
        reveal=ns.reveal,
        status=None if ns.status == "all" else ns.status,
    )
    if ns.json:
        _emit_json([r.as_json() for r in rows])
    else:
        sys.stdout.write(client_table(rows))
    return EXIT_OK


def cmd_client(ns: argparse.Namespace) -> int:
    from workbench.services import client360, portfolio
    from workbench.textout import client_card

    _open(ns)
    view = client360.client_view(portfolio.find_client(ns.ref), reveal=ns.reveal)
    if ns.json:
        _emit_json(view.as_json())
    else:
        sys.stdout.write(client_card(view))
    return EXIT_OK


def cmd_import(ns: argparse.Namespace) -> int:
    _open(ns)
    if ns.what == "all":
        from workbench.services import export

        counts = export.import_all(ns.file)
        if ns.json:
            _emit_json(counts)
        else:
            print(", ".join(f"{k} {v}" for k, v in counts.items() if v))
        return EXIT_OK
    from workbench.services import importer

    summary = importer.import_file(ns.what, ns.file, encoding=ns.encoding, dry_run=ns.dry_run)
    if ns.json:
        _emit_json(summary.__dict__)
        return EXIT_OK
    for warning in summary.warnings:
        print(f"wb: {t('cli.warning')}: {_safe(warning)}", file=sys.stderr)
    line = t("cli.import_done", **{**summary.__dict__, "file": _safe(str(summary.file))})
    print(line + (" " + t("cli.import_dry") if summary.dry_run else ""))
    return EXIT_OK


def cmd_export(ns: argparse.Namespace) -> int:
    from workbench.services import export

    _open(ns)
    if ns.what == "all":
        counts = export.export_all(ns.output)
        n = sum(counts.values())
    else:
        n = export.export_clients(ns.output, ns.format, reveal=ns.reveal)
    print(t("cli.export_done", n=n, path=_safe(str(ns.output))))
    if ns.what == "clients" and not ns.reveal:
        print(t("cli.export_masked"), file=sys.stderr)
    return EXIT_OK


def cmd_today(ns: argparse.Namespace) -> int:
    from workbench.i18n import lang
    from workbench.services import planner
    from workbench.textout import day_plan

    _open(ns)
    plan = planner.today_plan(limit=ns.limit, lang=lang())
    if ns.json:
        _emit_json(plan.as_json(lang()))
    else:
        sys.stdout.write(day_plan(plan))
    return EXIT_OK


def _day_arg(text: str | None, option: str):
    from workbench.errors import BadInput
    from workbench.rules.dates import parse_date

    if text is None:
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        raise BadInput(exc, column=option, value=text) from None


def cmd_log(ns: argparse.Namespace) -> int:
    from workbench.services import planner, portfolio

    outcome = sys.stdin.read() if ns.outcome == "-" else ns.outcome
    next_date = _day_arg(ns.next_date, "--next")
    _open(ns)
    logged = planner.log_contact(portfolio.find_client(ns.ref), ns.channel, outcome, next_date=next_date)
    if ns.json:
        _emit_json(
            {
                "client": logged.name,
                "date": logged.date.isoformat(),
                "channel": logged.channel,
                "next_due": logged.next_due.isoformat() if logged.next_due else None,
            }
        )
    else:
        due = logged.next_due.isoformat() if logged.next_due else "—"
        print(t("cli.logged", name=_safe(logged.name), date=logged.date, channel=t(f"channel.{ns.channel}"), due=due))
    return EXIT_OK


def cmd_holidays(ns: argparse.Namespace) -> int:
    from workbench.errors import BadInput
    from workbench.services import holidays
    from workbench.textout import holiday_list

    _open(ns)
    if ns.action == "list":
        if not ns.when.strip().isdigit():
            raise BadInput(f"wb holidays list YEAR: {ns.when!r} is not a year", value=ns.when)
        year = int(ns.when)
        rows, known = holidays.year_list(year)
        if ns.json:
            _emit_json({"year": year, "official": known, "days": [r.as_json() for r in rows]})
        else:
            sys.stdout.write(holiday_list(rows, year, known))
        return EXIT_OK
    if ns.action == "remove":
        print(t("cli.holidays_removed", n=holidays.remove(ns.when)))
        return EXIT_OK
    if not (ns.off or ns.on):
        raise BadInput("wb holidays add: say --off (a day off) or --on (a workday)")
    days = holidays.add(ns.when, off=ns.off, note=ns.note)
    print(t("cli.holidays_added", n=len(days), what=t("cli.off") if ns.off else t("cli.on")))
    return EXIT_OK


def cmd_ics(ns: argparse.Namespace) -> int:
    from workbench.i18n import lang
    from workbench.services import config, ics

    _open(ns)
    client = ns.client or str(config.get("calendar.client"))
    reason = ns.reason or str(config.get("calendar.reason"))
    done = ics.export_ics(ns.output, days=ns.days, lang=lang(), client=client, reason=reason)
    print(
        t(
            "cli.ics_done",
            path=done.path,
            contacts=done.contacts,
            key_dates=done.key_dates,
            first=done.first.isoformat(),
            last=done.last.isoformat(),
        )
    )
    return EXIT_OK


def cmd_brief(ns: argparse.Namespace) -> int:
    from workbench.i18n import lang
    from workbench.services import brief, portfolio

    _open(ns)
    b = brief.build(portfolio.find_client(ns.ref), lang=lang())
    if ns.json:
        _emit_json(b.as_json())
        return EXIT_OK
    text = brief.to_markdown(b)
    if ns.output:
        from workbench import paths

        paths.write_private(ns.output, text)
        print(t("cli.brief_written", path=ns.output))
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_backup(ns: argparse.Namespace) -> int:
    from workbench.services import backup

    path = backup.backup(_open(ns), ns.output)
    print(t("cli.backup_done", path=_safe(str(path))))
    return EXIT_OK


def cmd_restore(ns: argparse.Namespace) -> int:
    from workbench.services import backup

    aside = backup.restore(_open(ns), ns.file)
    print(t("cli.restore_done", file=_safe(str(ns.file)), aside=_safe(str(aside))))
    return EXIT_OK


def cmd_check(ns: argparse.Namespace) -> int:
    from workbench.services import backup

    result = backup.check(_open(ns))
    if ns.json:
        _emit_json(result.as_json())
    else:
        print(t("cli.check_ok") if result.ok else t("cli.check_bad", detail=_safe(result.detail)))
        print(", ".join(f"{k} {v}" for k, v in result.counts.items()))
    return EXIT_OK if result.ok else EXIT_BAD


def cmd_audit(ns: argparse.Namespace) -> int:
    from workbench.services import audit

    _open(ns)
    entries = audit.recent(ns.limit)
    if ns.json:
        _emit_json([e.as_json() for e in entries])
        return EXIT_OK
    if not entries:
        print(t("cli.audit_none"))
    for e in entries:
        client = f" #{e.client_id}" if e.client_id else ""
        print(f"{e.at:%Y-%m-%d %H:%M:%S}  {_safe(e.who)}  {e.action}{client}  {_safe(e.detail)}")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
