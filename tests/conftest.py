"""Shared fixtures: a fresh book in a temporary directory, and a small generated book."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real user's data: every test gets its own XDG dirs and a fixed 'today'."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("WORKBENCH_TODAY", TODAY.isoformat())
    monkeypatch.delenv("WORKBENCH_DB", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "book" / "workbench.sqlite3"


@pytest.fixture
def book(db_path: Path):
    """An empty, open book."""
    from workbench.store.db import open_database

    b = open_database(str(db_path))
    yield b
    b.close()


@pytest.fixture
def chinese():
    """Pilot tests read the Chinese interface unless they switch."""
    from workbench.i18n import set_lang

    set_lang("zh")
    yield
    set_lang(None)
