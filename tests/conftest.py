"""Shared fixtures: a fresh book, on SQLite or on PostgreSQL.

A test module that sets ``BACKENDS = ("sqlite", "postgresql")`` runs each test that uses ``target`` or ``book``
once per backend (``@pytest.mark.sqlite_only`` keeps one test on SQLite). On PostgreSQL every test gets a
fresh database copied from a migrated template, in a throwaway cluster made once per test session (per xdist
worker) with initdb; where no cluster can be made here, the PostgreSQL runs are skipped with the reason."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Never touch the real user's data: every test gets its own XDG dirs and a fixed 'today'."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("WORKBENCH_TODAY", TODAY.isoformat())
    monkeypatch.delenv("WORKBENCH_DB", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    from workbench.services import config

    config.reload()  # settings (and the policies built from them) are read per test, from its own folder
    yield
    config.reload()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "book" / "workbench.sqlite3"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    backends = getattr(metafunc.module, "BACKENDS", ("sqlite",))
    if metafunc.definition.get_closest_marker("sqlite_only"):
        backends = ("sqlite",)
    metafunc.parametrize("backend", backends, indirect=True, ids=[b[:2] for b in backends])


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def pg_server():
    """A throwaway cluster with a migrated template book; yields a factory of fresh databases."""
    from tests import pgcluster

    why = pgcluster.available()
    if why:
        pytest.skip(why)
    with pgcluster.cluster() as url:
        with pgcluster.Databases(url) as made:
            yield made


@pytest.fixture
def target(backend: str, db_path: Path, request: pytest.FixtureRequest):
    """Where the test's book lives: an SQLite path, or the URL of a fresh PostgreSQL database."""
    if backend == "sqlite":
        yield str(db_path)
        return
    made = request.getfixturevalue("pg_server")
    url = made.create()
    yield url
    from workbench.store.models import database

    if database.obj is not None and not database.is_closed():
        database.close()
    made.drop(url)


@pytest.fixture
def fresh(backend: str, tmp_path: Path, request: pytest.FixtureRequest):
    """A factory of further fresh books' targets on the test's backend (round trips, copies, comparisons)."""
    made: list[str] = []

    def new(name: str = "another") -> str:
        if backend == "sqlite":
            return str(tmp_path / name / "workbench.sqlite3")
        made.append(request.getfixturevalue("pg_server").create())
        return made[-1]

    yield new
    if made:
        from workbench.store.models import database

        if database.obj is not None and not database.is_closed():
            database.close()
        for url in made:
            request.getfixturevalue("pg_server").drop(url)


def index_definitions() -> list[tuple[str, str]]:
    """(name, definition) of every index in the open book, by name, on either backend."""
    from workbench.store.models import database

    if isinstance(database.obj, __import__("peewee").PostgresqlDatabase):
        sql = "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1"
    else:
        sql = "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY 1"
    return database.execute_sql(sql).fetchall()


@pytest.fixture
def book(target: str):
    """An empty, open book."""
    from workbench.store.db import open_database

    b = open_database(target)
    yield b
    b.close()


@pytest.fixture
def chinese():
    """Pilot tests read the Chinese interface unless they switch."""
    from workbench.i18n import set_lang

    set_lang("zh")
    yield
    set_lang(None)


@pytest.fixture
def wb(target: str, capsys: pytest.CaptureFixture[str]):
    """Run `wb` in this process on the test's book: (exit status, stdout, stderr)."""
    from workbench.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        from workbench.store.models import database

        code = main(["--db", target, *args])
        if database.obj is not None and not database.is_closed():
            database.close()
        out, err = capsys.readouterr()
        return code, out, err

    return run
