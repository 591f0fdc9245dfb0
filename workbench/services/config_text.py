"""The settings as text: what `wb config show` prints and the commented file `wb config edit` starts from."""

from __future__ import annotations

import json
from decimal import Decimal

from workbench.services import config

HEADER = """\
# Workbench settings (wb config edit opens this file; wb config show prints what is in force).
# Every setting is listed with its default, commented out: remove the leading "# " to change one.
# Amounts are CNY (200000 or "20万"); days are whole days. Wrong keys or values are named when Workbench starts.
"""
KEYS_HELP = """\
# Key bindings: a binding's id (shown by `wb config show --json` under "bindings") = the keys, e.g.
# "portfolio.search" = "slash,ctrl+f"
"""


def value_text(value: object) -> str:
    """A value as TOML writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(value_text(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def _sections(values: dict[str, object]) -> dict[str, list[tuple[str, object]]]:
    """Keys grouped by their TOML table ("" for the top level), in declaration order."""
    out: dict[str, list[tuple[str, object]]] = {}
    for key, value in values.items():
        table, _, name = key.rpartition(".")
        if key.startswith(config.KEYS_PREFIX):
            table, name = "keys", json.dumps(key[len(config.KEYS_PREFIX) :])
        out.setdefault(table, []).append((name, value))
    return out


def effective() -> dict[str, object]:
    """Every setting in force: the file's values over the defaults, then the file's key bindings."""
    given = config.set_in_file()
    values = {key: given.get(key, spec.default) for key, spec in config.KEYS.items()}
    return values | {k: v for k, v in given.items() if k.startswith(config.KEYS_PREFIX)}


def show() -> str:
    """The settings in force as TOML; those the file sets are marked."""
    given = config.set_in_file()
    lines: list[str] = [f"# {config.path()}", "# (set): given in the file; the rest are the defaults", ""]
    for table, items in _sections(effective()).items():
        if table:
            lines.append(f"[{table}]")
        for name, value in items:
            key = f"{table}.{name}" if table and table != "keys" else name
            mark = "  # (set)" if (key in given or table == "keys") else ""
            lines.append(f"{name} = {value_text(value)}{mark}")
        lines.append("")
    return "\n".join(lines)


def template() -> str:
    """A new settings file: every key commented out with its default and what it does."""
    lines = [HEADER]
    for table, items in _sections({k: s.default for k, s in config.KEYS.items()}).items():
        if table:
            lines.append(f"[{table}]")
        for name, value in items:
            spec = config.KEYS[f"{table}.{name}" if table else name]
            lines.append(f"# {name} = {value_text(value)}  # {spec.help}")
        lines.append("")
    lines += ["[keys]", KEYS_HELP]
    return "\n".join(lines)
