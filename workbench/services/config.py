"""The user's settings: ``config.toml`` in the user config directory (``~/.config/workbench`` on Linux).

Every key is declared here once, with its kind, default, bounds and help; the file is checked as a whole when
it is first read, and a mistake names the key, what it should be, and the file. A missing file means every
default, and the defaults are DOMAIN.md's. Tables nest as in TOML: ``[tiers.thresholds] gold = 200000`` is the
key ``tiers.thresholds.gold``; binding ids, which contain dots, are quoted: ``[keys] "portfolio.search" = "f"``.
``services.settings`` turns the values into the policies the rules take; ``wb config`` shows and edits them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from workbench import paths
from workbench.errors import BadFile
from workbench.interface import BINDING_IDS, THEME_ALIASES, THEMES
from workbench.rules.cadence import CHANNELS, DEFAULT_INTERVALS, DEFAULT_LATEST
from workbench.rules.privacy import CLIENT_SHOWN, REASON_SHOWN
from workbench.rules.tiers import DEFAULT_THRESHOLDS, TIER_KEYS, TIER_NAMES_EN, TIER_NAMES_ZH
from workbench.rules.workdays import GREETINGS

FILE_NAME = "config.toml"
KEYS_PREFIX = "keys."
# a key as Textual names it: letters, digits, _ and +; several separated by commas ("slash,ctrl+f")
KEY_SPEC = re.compile(r"^[a-z0-9_]+(\+[a-z0-9_]+)*(,[a-z0-9_]+(\+[a-z0-9_]+)*)*$")


@dataclass(frozen=True)
class Key:
    kind: str  # bool | int | str | money | choice | choices
    default: object
    help: str
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()


def _declare() -> dict[str, Key]:
    keys: dict[str, Key] = {
        "language": Key("choice", "auto", "the interface's language (auto: from LANG)", choices=("auto", "zh", "en")),
        "theme": Key("choice", "dark", "colours: dark, light, or a Textual theme", choices=(*THEME_ALIASES, *THEMES)),
        "animations": Key("bool", False, "animate scrolling and dialogs (off suits a slow SSH link)"),
        "backup.auto": Key("bool", True, "make a backup the first time the TUI opens the book each day"),
        "backup.keep": Key("int", 7, "how many daily backups to keep (the oldest go first)", 1, 3650),
        "tiers.downgrade_months": Key("int", 3, "months below a threshold before a client moves down", 1, 24),
    }
    for tier in TIER_KEYS[1:]:
        keys[f"tiers.thresholds.{tier}"] = Key(
            "money", DEFAULT_THRESHOLDS[tier], f"the least AUM (CNY) of {TIER_NAMES_EN[tier]}"
        )
    for tier in TIER_KEYS:
        keys[f"tiers.names.zh.{tier}"] = Key("str", TIER_NAMES_ZH[tier], f"the Chinese name of {tier}", 1, 8)
        keys[f"tiers.names.en.{tier}"] = Key("str", TIER_NAMES_EN[tier], f"the English name of {tier}", 1, 16)
    for tier in TIER_KEYS:
        keys[f"cadence.interval.{tier}"] = Key(
            "int", DEFAULT_INTERVALS[tier], f"days from a contact to the next one due ({tier})", 1, 3650
        )
        keys[f"cadence.latest.{tier}"] = Key(
            "int", DEFAULT_LATEST[tier], f"days from a contact after which {tier} is overdue", 1, 3650
        )
    keys |= {
        "planner.daily_capacity": Key("int", 10, "contacts planned a workday", 1, 200),
        "planner.monthly_target": Key("int", 300, "the month's contact target", 1, 10_000),
        "planner.maturity_lead": Key("int", 7, "days before a maturity that it is planned", 0, 90),
        "planner.key_date_lead": Key("int", 3, "days before a birthday or anniversary that it is planned", 0, 30),
        "planner.holiday_lead": Key("int", 3, "days before a holiday that greetings are planned", 0, 30),
        "planner.period_lead": Key("int", 3, "days before a month, quarter or year end that it is planned", 0, 30),
        "planner.channels": Key("choices", CHANNELS, "the channels the planner may propose", choices=CHANNELS),
        "planner.greet": Key(
            "choices",
            tuple(g.key for g in GREETINGS),
            "the holidays worth a greeting",
            choices=tuple(g.key for g in GREETINGS),
        ),
        "planner.greet_min_tier": Key(
            "choice", "platinum", "the lowest tier greeted one by one on holidays", choices=TIER_KEYS
        ),
        "calendar.client": Key(
            "choice", "name", "how wb ics shows a client: name, surname or none", choices=CLIENT_SHOWN
        ),
        "calendar.reason": Key(
            "choice", "full", "how wb ics shows the reasons: full, kind (no amounts) or none", choices=REASON_SHOWN
        ),
    }
    return keys


KEYS: dict[str, Key] = _declare()


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
    return parse(raw, where)


def parse(raw: bytes, where: Path) -> dict[str, object]:
    """The settings a file's bytes hold, every key checked; BadFile naming the key and the file otherwise."""
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
        if isinstance(value, dict) and key not in KEYS:
            out += _flatten(value, key + ".")
        else:
            out.append((key, value))
    return out


def _checked(key: str, value: object, where: Path) -> object:
    def bad(why: str) -> BadFile:
        return BadFile(f"{key} = {value!r}: {why}", file=str(where))

    if key.startswith(KEYS_PREFIX):
        binding = key[len(KEYS_PREFIX) :]
        if binding not in BINDING_IDS:
            return _unknown_binding(key, where)
        if not isinstance(value, str) or not KEY_SPEC.match(value.strip().lower()):
            raise bad('should be keys as Textual names them, e.g. "f2", "ctrl+f" or "slash,ctrl+f"')
        return value.strip().lower()
    spec = KEYS.get(key)
    if spec is None:
        near = [k for k in KEYS if k.rsplit(".", 1)[0] == key.rsplit(".", 1)[0]] or list(KEYS)
        raise BadFile(f"unknown setting {key!r} (known here: {', '.join(near[:12])})", file=str(where))
    help_ = f" ({spec.help})"
    if spec.kind == "bool":
        if type(value) is not bool:
            raise bad("should be true or false" + help_)
        return value
    if spec.kind == "int":
        # bool is an int in Python: a switch where a number is wanted is refused
        if type(value) is not int:
            raise bad("should be a whole number" + help_)
        if (spec.minimum is not None and value < spec.minimum) or (spec.maximum is not None and value > spec.maximum):
            raise bad(f"should be between {spec.minimum} and {spec.maximum}" + help_)
        return value
    if spec.kind == "money":
        return _money(value, bad, help_)
    if spec.kind == "str":
        if not isinstance(value, str) or not value.strip() or any(ch < " " for ch in value):
            raise bad("should be text in quotes, on one line" + help_)
        if spec.maximum is not None and len(value.strip()) > spec.maximum:
            raise bad(f"should be at most {spec.maximum} characters" + help_)
        return value.strip()
    if spec.kind == "choice":
        if value not in spec.choices:
            raise bad(f"should be one of {', '.join(spec.choices)}" + help_)
        return value
    if not isinstance(value, list) or not value or any(v not in spec.choices for v in value):
        raise bad(f"should be a list of some of {', '.join(spec.choices)}, e.g. {list(spec.choices[:2])}" + help_)
    return tuple(dict.fromkeys(value))


def _money(value: object, bad, help_: str) -> Decimal:
    from workbench.rules.money import parse_amount

    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise bad('should be an amount in CNY, e.g. 200000 or "20万"' + help_)
    try:
        amount = parse_amount(value)
    except ValueError as exc:
        raise bad(f"{exc}" + help_) from None
    if amount <= 0:
        raise bad("should be more than 0" + help_)
    return amount


def _unknown_binding(key: str, where: Path) -> BadFile:
    binding = key[len(KEYS_PREFIX) :]
    group = binding.split(".", 1)[0]
    near = sorted(b for b in BINDING_IDS if b.startswith(group + ".")) or sorted(BINDING_IDS)[:12]
    raise BadFile(f"unknown key binding {binding!r} in [keys] (known: {', '.join(near[:12])}…)", file=str(where))


def get(key: str) -> object:
    """The setting's value from the file, or its default. Raises BadFile naming the key when the file is wrong."""
    return _loaded(path()).get(key, KEYS[key].default)


def set_in_file() -> dict[str, object]:
    """The settings the file sets (checked), without the defaults."""
    return dict(_loaded(path()))


def keymap() -> dict[str, str]:
    """The [keys] table: binding id → keys."""
    return {k[len(KEYS_PREFIX) :]: str(v) for k, v in _loaded(path()).items() if k.startswith(KEYS_PREFIX)}


def check() -> None:
    """Read the file again and build every policy from it: BadFile naming the key when anything is wrong."""
    reload()
    from workbench.services import settings

    settings.policies()


def reload() -> None:
    """Read the file again on the next get (after it was edited), and the policies built from it."""
    _loaded.cache_clear()
    import sys

    from workbench.rules.tiers import set_names

    set_names({}, {})  # DOMAIN.md's names until the settings are read again
    settings = sys.modules.get("workbench.services.settings")
    if settings is not None:
        settings.policies.cache_clear()
        settings._figure_policies.cache_clear()
