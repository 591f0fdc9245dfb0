"""Backups that are checked before they count, restores that refuse anything unsound, daily rotation."""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from pathlib import Path

import pytest

from tests.test_export import fill_book
from workbench.errors import BadFile, Conflict, StoreError
from workbench.services import backup
from workbench.store import bulk, db, migrations
from workbench.store.db import Book, open_database, transaction
from workbench.store.models import Client, Contact, database

REQUIRED = (
    "clients",
    "balances",
    "holdings",
    "key_dates",
    "contacts",
    "notes",
    "visits",
    "follow_ups",
    "complaints",
    "decision_makers",
)


def _grow(n: int = 3000) -> None:
    """Enough rows that the file has many pages (a corrupted page in the middle holds data)."""
    with db.transaction():
        bulk.insert_rows(
            Contact,
            ("client", "date", "channel", "outcome", "created_at"),
            (
                (
                    1,
                    f"2026-{1 + i % 12:02d}-01",
                    "phone",
                    f"第{i}次电话，客户考虑续存" * 3,
                    "2026-01-01 00:00:00",
                )
                for i in range(n)
            ),
        )


def _counts(book: Book) -> dict[str, int]:
    return backup.check(book).counts


def _file_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {
            "clients": conn.execute("SELECT COUNT(*) FROM client").fetchone()[0],
            "contacts": conn.execute("SELECT COUNT(*) FROM contact").fetchone()[0],
        }
    finally:
        conn.close()


@pytest.fixture
def filled(book: Book) -> Book:
    fill_book()
    _grow()
    return book


@pytest.fixture(params=[0o000, 0o022], ids=["umask000", "umask022"])
def umask(request: pytest.FixtureRequest):
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def test_check_counts_every_table_with_plural_keys(filled: Book) -> None:
    result = backup.check(filled)
    assert result.ok and result.detail == "ok"
    assert set(REQUIRED) <= set(result.counts)
    assert result.counts["clients"] == 2 and result.counts["contacts"] == 3002
    assert result.as_json()["clients"] == 2 and result.as_json()["ok"] is True


def test_check_reports_rows_pointing_at_nothing(book: Book) -> None:
    database.execute_sql("PRAGMA foreign_keys = OFF")
    database.execute_sql(
        "INSERT INTO contact (client_id, date, channel, outcome, created_at) "
        "VALUES (42, '2026-01-01', 'phone', '', '2026-01-01 00:00:00')"
    )
    database.execute_sql("PRAGMA foreign_keys = ON")
    result = backup.check(book)
    assert not result.ok and "contact" in result.detail and result.counts["contacts"] == 1


def test_a_backup_is_checked_complete_and_private(umask: int, filled: Book) -> None:
    path = backup.backup(filled)
    assert path.parent == filled.path.parent / "backups"
    assert path.name.startswith("workbench-") and path.name.endswith(".sqlite3")
    assert db.integrity_check(path) == "ok"
    assert _file_counts(path) == {"clients": 2, "contacts": 3002}
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert os.stat(path.parent).st_mode & 0o777 == 0o700
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary files, no -wal
    second = backup.backup(filled)  # the same second: a new name, never an overwrite
    assert second != path and second.exists()


def test_backup_to_a_chosen_file(umask: int, filled: Book, tmp_path: Path) -> None:
    out = tmp_path / "usb" / "mine.sqlite3"
    assert backup.backup(filled, out) == out
    assert os.stat(out).st_mode & 0o777 == 0o600 and _file_counts(out)["clients"] == 2
    with pytest.raises(Conflict, match="already exists"):
        backup.backup(filled, out)
    into_folder = backup.backup(filled, tmp_path / "usb")
    assert into_folder.parent == tmp_path / "usb" and into_folder.name.startswith("workbench-")


def test_a_failing_check_keeps_no_copy(filled: Book, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "integrity_check", lambda path: "*** in database main *** Page 7: btree damaged")
    with pytest.raises(StoreError, match="integrity"):
        backup.backup(filled)
    assert list((filled.path.parent / "backups").iterdir()) == []


def test_restore_brings_the_backup_back_and_keeps_the_book_aside(umask: int, filled: Book) -> None:
    saved = backup.backup(filled)
    before = _counts(filled)
    with db.transaction():
        Client.create(name="备份之后的新客户")
    aside = backup.restore(filled, saved)
    assert _counts(filled) == before
    assert Client.select().where(Client.name == "备份之后的新客户").count() == 0
    assert aside.parent == filled.path.parent / "backups" and aside.name.startswith("before-restore-")
    assert _file_counts(aside)["clients"] == 3  # the book as it was just before the restore
    for path in (aside, filled.path):
        assert os.stat(path).st_mode & 0o777 == 0o600
    with db.transaction():  # the reopened book is writable
        Client.create(name="恢复之后")
    assert backup.check(filled).ok


def _refused(book: Book, file: Path, message: str) -> None:
    before = _counts(book)
    folder = book.path.parent / "backups"
    had = sorted(folder.iterdir()) if folder.exists() else []
    with pytest.raises(BadFile, match=message) as caught:
        backup.restore(book, file)
    assert "nothing was changed" in str(caught.value)
    assert _counts(book) == before and backup.check(book).ok
    assert (sorted(folder.iterdir()) if folder.exists() else []) == had  # nothing put aside
    assert sorted(p.name for p in book.path.parent.iterdir() if p.name.startswith(".")) == []


def test_restore_refuses_a_missing_file(filled: Book, tmp_path: Path) -> None:
    _refused(filled, tmp_path / "no-such.sqlite3", "no such file")


def test_restore_refuses_a_text_file(filled: Book, tmp_path: Path) -> None:
    text = tmp_path / "clients.csv"
    text.write_text("客户号,客户名称\nC1,张三\n", encoding="utf-8")
    _refused(filled, text, "not an SQLite database")


def test_restore_refuses_a_corrupt_backup(filled: Book, tmp_path: Path) -> None:
    damaged = backup.backup(filled, tmp_path / "damaged.sqlite3")
    size = damaged.stat().st_size
    with open(damaged, "r+b") as fh:
        fh.seek(size // 2)
        fh.write(bytes(range(256)) * 48)  # three pages of rubbish in the middle
    _refused(filled, damaged, "damaged|not a usable")


def test_restore_refuses_a_foreign_database(filled: Book, tmp_path: Path) -> None:
    foreign = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE stuff (id INTEGER PRIMARY KEY, what TEXT)")
    conn.execute("INSERT INTO stuff (what) VALUES ('not a book')")
    conn.commit()
    conn.close()
    _refused(filled, foreign, "not a Workbench book")


def test_restore_refuses_a_book_from_a_newer_workbench(filled: Book, tmp_path: Path) -> None:
    newer = backup.backup(filled, tmp_path / "newer.sqlite3")
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    _refused(filled, newer, "newer Workbench")


def test_restore_migrates_a_book_from_an_older_workbench(book: Book, tmp_path: Path) -> None:
    old = tmp_path / "v1.sqlite3"
    conn = sqlite3.connect(old)
    conn.executescript((Path(__file__).parent / "data" / "schema_v1.sql").read_text())
    conn.execute(
        "INSERT INTO client (id, name, kind, status, manager, sort_key, tier, tier_rank, aum, deposits,"
        " loans, churn, completeness, missing, created_at, updated_at, tier_pending_months) VALUES"
        " (1, '张伟明', 'individual', 'active', '', '', 'standard', 0, 0, 0, 0, 0, 0, '',"
        " '2025-01-01 00:00:00', '2025-01-01 00:00:00', 0)"
    )
    conn.commit()
    conn.close()
    backup.restore(book, old)
    assert migrations.current_version(database) == migrations.LATEST
    assert Client.get_by_id(1).name == "张伟明" and old.exists()


@pytest.mark.slow
def test_on_postgresql_a_backup_is_the_managers_book_as_json(pg_server, tmp_path: Path) -> None:
    """The manager's copy of what they may read, owner-only, that `wb import all` reads back; restoring over
    the team database is its owner's job, and no automatic backup is made there."""
    from workbench.services import export
    from workbench.store.models import Client

    url = pg_server.create()
    pg = open_database(url)
    with transaction():
        Client.create(name="单伟明", client_no="C1", phone="13812345678")
    made = backup.backup(pg)
    assert made.suffix == ".json" and made.stat().st_mode & 0o777 == 0o600
    assert made.parent.stat().st_mode & 0o777 == 0o700
    with pytest.raises(StoreError, match="pg_restore"):
        backup.restore(pg, made)
    assert backup.auto_backup(pg) is None
    pg.close()
    pg_server.drop(url)
    open_database(str(tmp_path / "copy.sqlite3"))
    assert export.import_all(made)["client"] == 1 and Client.get().phone == "13812345678"


def test_auto_backup_once_a_day_keeping_the_newest_seven(book: Book, tmp_path: Path) -> None:
    folder = book.path.parent / "backups"
    mine = backup.backup(book, folder / "mine-before-upgrade.sqlite3")  # a -o backup: never rotated
    aside = folder / "before-restore-2026-01-01T000000.sqlite3"
    aside.write_bytes(b"kept")
    start = dt.date(2026, 11, 1)
    for i in range(10):
        day = start + dt.timedelta(days=i)
        with db.transaction():
            Client.create(name=f"第{i}天")
        made = backup.auto_backup(book, keep=7, today=day)
        assert made is not None and made.name.startswith(f"workbench-{day.isoformat()}T")
        assert backup.auto_backup(book, keep=7, today=day) is None  # at most one a day
    dated = sorted(p.name[len("workbench-") : len("workbench-2026-11-01")] for p in folder.glob("workbench-*"))
    assert dated == [(start + dt.timedelta(days=i)).isoformat() for i in range(3, 10)]
    assert mine.exists() and aside.read_bytes() == b"kept"
    newest = folder / sorted(p.name for p in folder.glob("workbench-*"))[-1]
    assert _file_counts(newest)["clients"] == 10


def test_the_settings_file_chooses_how_many_daily_backups_to_keep(book: Book) -> None:
    from workbench.services import config

    config.path().parent.mkdir(parents=True, exist_ok=True)
    config.path().write_text("[backup]\nkeep = 2\n", encoding="utf-8")
    folder = book.path.parent / "backups"
    for i in range(4):
        assert backup.auto_backup(book, today=dt.date(2026, 11, 1) + dt.timedelta(days=i)) is not None
    assert len(list(folder.glob("workbench-*"))) == 2


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[backup]\nkeep = 0\n", "backup.keep = 0: should be between 1 and 3650"),
        ('[backup]\nkeep = "seven"\n', "backup.keep = 'seven': should be a whole number"),
        ("[backup]\nauto = 1\n", "backup.auto = 1: should be true or false"),
        ("[backup]\nkept = 3\n", "unknown setting 'backup.kept'"),
        ("[backup\nkeep = 3\n", "not valid TOML"),
    ],
)
def test_a_wrong_setting_is_named_and_nothing_is_backed_up(book: Book, text: str, says: str) -> None:
    from workbench.errors import BadFile
    from workbench.services import config

    config.path().parent.mkdir(parents=True, exist_ok=True)
    config.path().write_text(text, encoding="utf-8")
    with pytest.raises(BadFile, match=re.escape(says)) as caught:
        backup.auto_backup(book, today=dt.date(2026, 11, 1))
    assert str(config.path()) in str(caught.value)
    assert not (book.path.parent / "backups").exists()


def test_daily_backups_can_be_switched_off(book: Book) -> None:
    from workbench.services import config

    config.path().parent.mkdir(parents=True, exist_ok=True)
    config.path().write_text("[backup]\nauto = false\n", encoding="utf-8")
    assert backup.auto_backup(book, today=dt.date(2026, 11, 1)) is None
