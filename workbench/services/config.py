"""The user's settings: ``config.toml`` in the user config directory (``~/.config/workbench`` on Linux).

Every key is declared here once, with its type, default and bounds; the file is checked as a whole when it is
first read, and a mistake names the key and what it should be. A missing file means every default.
For now the file holds the backup settings; the settings issue adds tiers, cadence, keys and the rest.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from workbench import paths
from workbench.errors import BadFile

FILE_NAME = "config.toml"


@dataclass(frozen=True)
class Key:
    kind: type
    default: object
    help: str
    minimum: int | None = None
    maximum: int | None = None


KEYS: dict[str, Key] = {
    "backup.auto": Key(bool, True, "make a backup the first time the TUI opens the book each day"),
    "backup.keep": Key(int, 7, "how many daily backups to keep (the oldest go first)", minimum=1, maximum=3650),
}


def path() -> Path:
    return paths.config_dir() / FILE_NAME


@lru_cache(maxsize=1)
def _loaded(where: Path) -> dict[str, object]:
    try:
        raw = where.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise BadFile(f"cannot read the settings ({exc.strerror})", file=str(where)) from None
    try:
        doc = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadFile("the settings file is not UTF-8 text", file=str(where)) from None
    except tomllib.TOMLDecodeError as exc:
        raise BadFile(f"not valid TOML: {exc}", file=str(where)) from None
    return {key: _checked(key, value, where) for key, value in _flatten(doc)}


def _flatten(doc: dict, prefix: str = "") -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for name, value in doc.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict) and not any(k == key for k in KEYS):
            out += _flatten(value, key + ".")
        else:
            out.append((key, value))
    return out


def _checked(key: str, value: object, where: Path) -> object:
    spec = KEYS.get(key)
    if spec is None:
        known = ", ".join(KEYS)
        raise BadFile(f"unknown setting {key!r} (known: {known})", file=str(where))
    # bool is an int in Python: a number where a switch is wanted, or the reverse, is refused
    if type(value) is not spec.kind:
        wanted = {bool: "true or false", int: "a whole number", str: "text in quotes"}[spec.kind]
        raise BadFile(f"{key} = {value!r}: should be {wanted} ({spec.help})", file=str(where))
    if isinstance(value, int) and not isinstance(value, bool):
        low, high = spec.minimum, spec.maximum
        if (low is not None and value < low) or (high is not None and value > high):
            raise BadFile(f"{key} = {value}: should be between {low} and {high} ({spec.help})", file=str(where))
    return value


def get(key: str) -> object:
    """The setting's value from the file, or its default. Raises BadFile naming the key when the file is wrong."""
    return _loaded(path()).get(key, KEYS[key].default)


def reload() -> None:
    """Read the file again on the next get (after it was edited)."""
    _loaded.cache_clear()
