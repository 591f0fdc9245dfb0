"""The settings file (services.config, services.settings): every kind of key checked, each mistake naming the
key and the file; the policies built from it; the binding ids it may name."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from workbench.errors import BadFile
from workbench.interface import BINDING_IDS, THEMES
from workbench.rules.tiers import tier_from_text, tier_name
from workbench.services import config, config_text
from workbench.services.settings import DEFAULT_FINGERPRINT, current_fingerprint, policies


def write(text: str) -> Path:
    where = config.path()
    where.parent.mkdir(parents=True, exist_ok=True)
    where.write_text(text, encoding="utf-8")
    config.reload()
    return where


def refused(text: str) -> str:
    where = write(text)
    with pytest.raises(BadFile) as caught:
        config.check()
    message = str(caught.value)
    assert str(where) in message
    return message


def test_no_file_means_domain_md_defaults() -> None:
    pol = policies()
    assert pol.tiers.thresholds["platinum"] == Decimal(1_000_000) and pol.tiers.downgrade_months == 3
    assert pol.cadence.interval("black") == 14 and pol.cadence.latest_day("standard") == 270
    assert pol.plan.capacity == 10 and pol.monthly_contacts == 300 and pol.plan.maturity_lead == 7
    assert config.get("language") == "auto" and config.get("theme") == "dark" and config.get("animations") is False
    assert current_fingerprint() == DEFAULT_FINGERPRINT


def test_every_kind_of_setting_is_read() -> None:
    write(
        """
language = "en"
theme = "light"
[tiers]
downgrade_months = 2
[tiers.thresholds]
platinum = "80万"
[tiers.names.zh]
black = "私行"
[cadence.interval]
black = 7
[cadence.latest]
black = 10
[planner]
daily_capacity = 14
monthly_target = 400
maturity_lead = 10
channels = ["phone", "wechat"]
greet = ["spring_festival", "mid_autumn"]
[keys]
"portfolio.search" = "f"
"app.note" = "ctrl+n,F6"
"""
    )
    pol = policies()
    assert pol.tiers.thresholds["platinum"] == Decimal(800_000) and pol.tiers.downgrade_months == 2
    assert pol.cadence.interval("black") == 7 and pol.cadence.latest_day("black") == 10
    assert (pol.plan.capacity, pol.monthly_contacts, pol.plan.maturity_lead) == (14, 400, 10)
    assert pol.plan.allowed == ("phone", "wechat") and pol.plan.greet == ("spring_festival", "mid_autumn")
    assert (
        tier_name("black", "zh") == "私行" and tier_from_text("私行") == "black" and tier_name("black", "en") == "Black"
    )
    assert config.keymap() == {"portfolio.search": "f", "app.note": "ctrl+n,f6"}
    assert current_fingerprint() != DEFAULT_FINGERPRINT
    shown = config_text.show()
    assert "platinum = 800000  # (set)" in shown and "gold = 200000\n" in shown and '"portfolio.search" = "f"' in shown


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("language = 'fr'", "language = 'fr': should be one of auto, zh, en"),
        ("theme = 'pink'", "theme = 'pink': should be one of"),
        ("animations = 'yes'", "animations = 'yes': should be true or false"),
        ("[backup]\nkeep = true", "backup.keep = True: should be a whole number"),
        ("[backup]\nkeep = 0", "backup.keep = 0: should be between 1 and 3650"),
        ("[tiers.thresholds]\ngold = -5", "tiers.thresholds.gold = -5: should be more than 0"),
        ("[tiers.thresholds]\ngold = 'lots'", "tiers.thresholds.gold = 'lots'"),
        ("[tiers.thresholds]\nplatinum = 9000000", "[tiers.thresholds]: tier thresholds must rise strictly"),
        ("[tiers.names.en]\ngold = 'Platinum'", "[tiers.names]: tier names (en) must be given and all different"),
        ("[tiers.names.zh]\ngold = '一二三四五六七八九'", "tiers.names.zh.gold"),
        ("[cadence.interval]\nblack = 30", "[cadence]: cadence latest day for black comes before its ideal day"),
        ("[cadence.interval]\nplatinum = 0", "cadence.interval.platinum = 0: should be between 1 and 3650"),
        ("[planner]\nchannels = []", "planner.channels = []: should be a list of some of phone"),
        ("[planner]\nchannels = ['fax']", "planner.channels = ['fax']"),
        ("[planner]\ngreet = ['halloween']", "planner.greet = ['halloween']"),
        ("[planner]\ngreet_min_tier = 'vip'", "planner.greet_min_tier = 'vip': should be one of standard"),
        ("[planner]\ndaily_capacity = 1000", "planner.daily_capacity = 1000: should be between 1 and 200"),
        ("[calendar]\nclient = 'initials'", "calendar.client = 'initials': should be one of name, surname, none"),
        ("[keys]\n'portfolio.find' = 'f'", "unknown key binding 'portfolio.find' in [keys] (known: portfolio."),
        ("[keys]\n'portfolio.search' = 'ctrl f'", "keys.portfolio.search = 'ctrl f': should be keys"),
        ("[tiers]\nthreshold = 5", "unknown setting 'tiers.threshold' (known here: tiers.downgrade_months"),
        ("colour = 'red'", "unknown setting 'colour'"),
        ("[backup\nkeep = 2", "not valid TOML"),
    ],
)
def test_a_mistake_names_the_key_and_the_file(text: str, says: str) -> None:
    assert says in refused(text)


def test_a_file_that_is_not_text_is_named() -> None:
    where = config.path()
    where.parent.mkdir(parents=True, exist_ok=True)
    where.write_bytes(b"\xff\xfe\x00binary")
    config.reload()
    with pytest.raises(BadFile, match="not UTF-8"):
        config.check()


def test_the_template_is_valid_and_lists_every_key_with_its_default() -> None:
    text = config_text.template()
    write(text)
    config.check()
    assert config.set_in_file() == {}  # everything commented out: the defaults
    for key in config.KEYS:
        assert f"# {key.rpartition('.')[2]} = " in text
    uncommented = "\n".join(line[2:] if line.startswith("# ") and " = " in line else line for line in text.splitlines())
    write(uncommented.split("[keys]")[0])  # every default written out is the same as none
    config.check()
    assert current_fingerprint() == DEFAULT_FINGERPRINT


def test_themes_and_binding_ids_are_the_tuis_own() -> None:
    import importlib
    import inspect
    import pkgutil

    from textual.binding import Binding
    from textual.dom import DOMNode
    from textual.theme import BUILTIN_THEMES

    import workbench.tui as tui

    declared = set()
    for module in pkgutil.iter_modules(tui.__path__):
        mod = importlib.import_module(f"workbench.tui.{module.name}")
        for _name, cls in inspect.getmembers(mod, inspect.isclass):
            if issubclass(cls, DOMNode) and cls.__module__ == mod.__name__:
                declared |= {b.id for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding)}
    assert declared == set(BINDING_IDS)
    assert set(THEMES) == set(BUILTIN_THEMES)


def test_the_readmes_example_is_a_valid_settings_file() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    example = readme.split("For example:\n\n```toml\n", 1)[1].split("```", 1)[0]
    write(example)
    config.check()
    assert policies().tiers.thresholds["platinum"] == Decimal(800_000) and config.get("calendar.client") == "surname"
