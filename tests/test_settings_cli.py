"""`wb config path|show|edit`, re-rating the book when a threshold changes (both backends), the language and
the calendar's privacy from the settings."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest

from tests.test_tui_books import add_client, refresh
from workbench.i18n import set_lang
from workbench.services import config
from workbench.store.db import transaction
from workbench.store.models import Client

BACKENDS = ("sqlite", "postgresql")


def settings(text: str) -> Path:
    where = config.path()
    where.parent.mkdir(parents=True, exist_ok=True)
    where.write_text(text, encoding="utf-8")
    config.reload()
    return where


@pytest.fixture
def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """EDITOR: a program that replaces the file with the text given (and records what it was shown)."""

    def use(text: str) -> Path:
        shown = tmp_path / "shown.toml"
        script = tmp_path / "ed.py"
        script.write_text(
            "import sys, pathlib\n"
            f"pathlib.Path({str(shown)!r}).write_text(pathlib.Path(sys.argv[1]).read_text())\n"
            f"pathlib.Path(sys.argv[1]).write_text({text!r})\n"
        )
        monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
        monkeypatch.delenv("VISUAL", raising=False)
        return shown

    return use


@pytest.mark.sqlite_only
def test_path_show_and_edit(wb, editor) -> None:
    code, out, err = wb("config", "path")
    assert code == 0 and out.strip() == str(config.path()) and not config.path().exists()
    shown = editor("[planner]\ndaily_capacity = 12\n")
    code, out, err = wb("config", "edit")
    assert code == 0 and err == "" and "已检查并保存" in out
    assert "# daily_capacity = 10" in shown.read_text()  # a new file starts from the commented template
    assert stat.S_IMODE(os.stat(config.path()).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(config.path().parent).st_mode) == 0o700
    code, out, _ = wb("config", "show")
    assert code == 0 and "daily_capacity = 12  # (set)" in out and "monthly_target = 300\n" in out
    code, out, _ = wb("config", "show", "--json")
    data = json.loads(out)
    assert data["settings"]["planner.daily_capacity"] == 12 and data["set"] == ["planner.daily_capacity"]
    assert data["settings"]["tiers.thresholds.gold"] == "200000" and "portfolio.search" in data["bindings"]


@pytest.mark.sqlite_only
def test_a_wrong_edit_is_named_and_kept_for_correction(wb, editor) -> None:
    editor("[planner]\ndaily_capacity = 'ten'\n")
    code, _, err = wb("config", "edit")  # no terminal: no second chance offered, the text is kept
    assert code == 1 and "planner.daily_capacity = 'ten': should be a whole number" in err
    assert str(config.path()) in err and "Traceback" not in err
    assert config.path().read_text() == "[planner]\ndaily_capacity = 'ten'\n"
    code, _, err = wb("clients")  # every command that needs the settings says what is wrong
    assert code == 1 and "planner.daily_capacity" in err
    code, _out, _ = wb("config", "path")  # but the file can still be found and edited
    assert code == 0


def test_a_lower_threshold_re_rates_the_book_once(book, wb) -> None:
    with transaction():
        cid = add_client("周明", aum=[900_000] * 6, client_no="C1")
        other = add_client("吴芳", aum=[150_000] * 6, client_no="C2")
    refresh([cid, other])
    assert Client.get_by_id(cid).tier == "gold_plus"
    code, out, err = wb("clients", "--json")
    assert code == 0 and err == ""  # nothing changed: no re-rating
    settings("[tiers.thresholds]\nplatinum = 800000\ngold = 100000\n[cadence.interval]\ngold = 30\n")
    code, out, err = wb("clients", "--json")
    assert code == 0 and "为 2 位客户重新评定" in err
    tiers = {c["client_no"]: c["tier"] for c in json.loads(out)}
    assert tiers == {"C1": "platinum", "C2": "gold"}
    code, out, err = wb("clients", "--json")
    assert code == 0 and err == ""  # once
    from workbench.store.db import open_database

    open_database(book.target)
    assert Client.get_by_id(cid).tier == "platinum"
    settings("")  # back to the defaults: rated again
    code, out, err = wb("clients", "--json")
    assert "重新评定" in err and {c["tier"] for c in json.loads(out)} == {"gold_plus", "standard"}


@pytest.mark.sqlite_only
def test_the_language_comes_from_the_settings_unless_wb_lang_says(book, wb, monkeypatch) -> None:
    settings('language = "en"\n')
    try:
        code, out, _ = wb("check")
        assert code == 0 and "Integrity check: ok" in out
        set_lang(None)
        monkeypatch.setenv("WORKBENCH_LANG", "zh")
        code, out, _ = wb("check")
        assert "完整性检查" in out
    finally:
        set_lang(None)


@pytest.mark.sqlite_only
def test_the_calendar_shows_what_the_settings_allow(book, wb, tmp_path: Path) -> None:
    with transaction():
        cid = add_client("欧阳娜娜", aum=[20_000_000] * 6, client_no="C00012345", gender="女")
    refresh([cid])
    settings('[calendar]\nclient = "surname"\nreason = "kind"\n')
    path = tmp_path / "plan.ics"
    code, _, _ = wb("ics", "-o", str(path))
    text = path.read_text(encoding="utf-8")
    assert code == 0 and "欧阳女士" in text and "欧阳娜娜" not in text
    code, _out, _err = wb("ics", "-o", str(path), "--client", "none", "--reason", "none")
    text = path.read_text(encoding="utf-8")
    assert code == 0 and "客户 …2345" in text and "欧阳" not in text and "DESCRIPTION" not in text
