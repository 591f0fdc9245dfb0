"""`wb note` and `wb search`: the commands that must answer at once. Each reads its own arguments and loads
only what it uses (no argparse for `wb note`, no peewee for either on SQLite)."""

from __future__ import annotations

import os
import sys

from workbench.cli import _apply_common, _emit_json, _safe
from workbench.cli.parsing import EXIT_BAD, EXIT_OK, parser_class, positive
from workbench.i18n import t


def piped_text() -> str | None:
    """What was piped into a plain `wb` (a pipe or a file with something to read); None for a terminal, /dev/null
    or a pipe nobody writes to, so the TUI opens as usual."""
    import stat

    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (OSError, ValueError, AttributeError):
        return None
    if stat.S_ISFIFO(mode):
        import select

        if not select.select([sys.stdin], [], [], 0.2)[0]:
            return None
    elif not stat.S_ISREG(mode):
        return None
    return sys.stdin.read()


NOTE_USAGE = """usage: wb note [--db DB] [--date D] [--json] TEXT… | wb note [options] -

Save a note: @name (or pinyin, or initials) links a client, #tag tags it, #lesson or #教训 files a lesson.
'-' (or no TEXT, with text piped in) reads the note from standard input: on a shared server, pipe it in
rather than typing client details on the command line."""


class _NoteArgs:
    """`wb note`'s arguments, read by hand: argparse would cost more than the rest of the command."""

    def __init__(self, argv: list[str]) -> None:
        from workbench.errors import BadInput

        self.db: str | None = None
        self.date: str | None = None
        self.json = False
        self.help = False
        self.text: list[str] = []
        rest = list(argv)
        while rest:
            arg = rest.pop(0)
            if self.text or arg == "--":
                self.text += rest if arg == "--" else [arg, *rest]
                break
            name, eq, value = arg.partition("=")
            if name in ("--db", "--date"):
                if not eq:
                    if not rest:
                        raise BadInput(f"wb note: {name} needs a value")
                    value = rest.pop(0)
                setattr(self, name[2:], value)
            elif arg == "--json":
                self.json = True
            elif arg in ("-h", "--help"):
                self.help = True
            elif arg.startswith("--") and len(arg) > 2:
                raise BadInput(f"wb note: unknown option {arg} (wb note --help)")
            else:
                self.text.append(arg)


def cmd_note(argv: list[str], piped: str | None = None) -> int:
    """wb note TEXT… | wb note - : quick capture, loading as little as it can."""
    ns = _NoteArgs(argv)
    if ns.help:
        print(NOTE_USAGE)
        return EXIT_OK
    _apply_common(ns)
    if piped is not None:
        text = piped
    elif ns.text in ([], ["-"]):
        if ns.text == [] and sys.stdin.isatty():
            from workbench.errors import BadInput

            raise BadInput("wb note TEXT… — or pipe the text in (wb note - reads standard input)")
        text = sys.stdin.read()
    else:
        text = " ".join(ns.text)
    from workbench.services import capture

    saved = capture.capture(text, target=ns.db)
    if ns.json:
        _emit_json(saved.as_json())
    else:
        _print_captured(saved)
    return EXIT_OK


def cmd_search(argv: list[str]) -> int:
    """wb search QUERY [--limit N] [--json]: notes, lessons, contacts and clients, best first."""
    import argparse

    p = parser_class()(prog="wb search", description="search notes, lessons, contacts and clients")
    p.add_argument("query", nargs="+")
    p.add_argument("--limit", type=positive, default=50)
    p.add_argument("--db", help="database path or postgresql:// URL")
    p.add_argument("--date", help=argparse.SUPPRESS)
    p.add_argument("--json", action="store_true", help="machine-readable JSON on stdout")
    p.add_argument("--reveal", action="store_true", help="phone and ID numbers in the texts unmasked (audited)")
    try:
        ns = p.parse_args(argv)
    except SystemExit as exc:
        return EXIT_BAD if exc.code else EXIT_OK
    _apply_common(ns)
    from workbench.services import search

    query = " ".join(ns.query)
    if ns.reveal:  # rare: worth opening the whole store to write the audit line
        from workbench.services import audit
        from workbench.services.book import open_book

        open_book(ns.db)
        audit.record("reveal.search", query)
    hits = search.search(query, limit=ns.limit, target=ns.db, reveal=ns.reveal)
    if ns.json:
        _emit_json([h.as_json() for h in hits])
        return EXIT_OK
    if not hits:
        print(t("cli.search_none"))
        return EXIT_OK
    tty = sys.stdout.isatty()
    for h in hits:
        text = h.snippet
        if tty:  # the marks become reverse video; the stored text itself was made safe
            text = text.replace(search.MARK_OPEN, "\x1b[7m").replace(search.MARK_CLOSE, "\x1b[27m")
        who = f" {h.client}" if h.client and h.kind != "client" else ""
        print(f"[{t('search.kind.' + h.kind)}] {h.date or '—'}{who} · {text}")
    return EXIT_OK


def _print_captured(saved) -> None:
    if saved.spooled is not None:
        print(t("cli.note_spooled", why=_safe(saved.warnings[0] if saved.warnings else ""), path=saved.spooled))
        return
    if saved.from_spool:
        print(t("cli.note_from_spool", n=saved.from_spool))
    what = t("cli.note_lesson") if saved.kind == "lesson" else t(f"cli.note_{saved.status}")
    print(t("cli.note_saved", id=saved.note_id, date=saved.date.isoformat(), what=what))
    for m in saved.mentions:
        if m.status == "linked":
            print("  " + t("cli.note_linked", written=_safe(m.written), name=_safe(m.name)))
        elif m.status == "ambiguous":
            names = "、".join(_safe(n) for n in m.candidates[:6]) + ("…" if len(m.candidates) > 6 else "")
            print("  " + t("cli.note_ambiguous", written=_safe(m.written), names=names))
        else:
            print("  " + t("cli.note_unknown", written=_safe(m.written)))
    if saved.tags:
        print("  " + t("cli.note_tags", tags=" ".join("#" + _safe(tag) for tag in saved.tags)))
