"""The command line's building blocks, shared by every module of the `wb` command: its exit statuses, a parser
whose errors are one line, the options every command takes, and the number types. argparse itself is imported
only when a parser is built: `wb` alone opens the TUI without it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

EXIT_OK, EXIT_BAD, EXIT_BUG = 0, 1, 2


def parser_class() -> type[argparse.ArgumentParser]:
    """argparse, with its errors as one line and exit 1, as for any bad input (no usage dump)."""
    import argparse

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str) -> None:  # type: ignore[override]
            self.exit(EXIT_BAD, f"wb: {message} ({self.prog} --help)\n")

    return _Parser


class NotBuilt:
    """What ``add`` gives for a command other than the one being run: its options are not built (argparse
    takes about 1.5 ms a command, 60 ms for them all, which every start of `wb COMMAND` would pay)."""

    def __getattr__(self, name: str) -> Callable[..., NotBuilt]:
        return self._ignore

    def _ignore(self, *args: object, **kwargs: object) -> NotBuilt:
        return self


def common_options() -> argparse.ArgumentParser:
    """The options every command takes (a parent parser)."""
    import argparse

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, help="database path or postgresql:// URL")
    common.add_argument("--date", default=argparse.SUPPRESS, help="treat this day (YYYY-MM-DD) as today")
    common.add_argument("--yes", action="store_true", default=argparse.SUPPRESS, help="answer yes to prompts")
    return common


def common_parser() -> argparse.ArgumentParser:
    """`wb --db B` or `wb --date D`, no command: the TUI, without building every command's options."""
    parser = parser_class()(prog="wb", parents=[common_options()])
    parser.set_defaults(command=None)
    return parser


def positive(text: str) -> int:
    import argparse

    value = non_negative(text)
    if value == 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


def non_negative(text: str) -> int:
    import argparse

    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must not be negative")
    return value
