"""The store: where the book lives, its permissions, pragmas, bad files, and migrations."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from workbench.errors import StoreError
from workbench.rules import profile
from workbench.store import migrations, models
from workbench.store.db import open_database, transaction
from workbench.store.models import Balance, Client, database

DATA = Path(__file__).parent / "data"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077])
def test_files_are_owner_only_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        path = tmp_path / "deep" / "dir" / "workbench.sqlite3"
        book = open_database(str(path))
        with transaction():
            Client.create(name="张三")
        for suffix in ("", "-wal", "-shm"):
            f = Path(str(path) + suffix)
            assert f.exists() and mode(f) == 0o600, suffix
        assert mode(path.parent) == 0o700 and mode(path.parent.parent) == 0o700
        book.close()
    finally:
        os.umask(old)


def test_default_location_is_the_user_data_dir(tmp_path: Path) -> None:
    book = open_database()
    assert book.path == tmp_path / "xdg-data" / "workbench" / "workbench.sqlite3"
    assert mode(book.path.parent) == 0o700
    book.close()


def test_env_var_chooses_the_book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_DB", str(tmp_path / "elsewhere.db"))
    book = open_database()
    assert book.path == tmp_path / "elsewhere.db"
    book.close()


def test_pragmas(book) -> None:
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert database.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_writes_begin_immediate(book) -> None:
    statements: list[str] = []
    conn = database.connection()
    conn.set_trace_callback(statements.append)
    with transaction():
        Client.create(name="李四")
    conn.set_trace_callback(None)
    assert any(s.upper().startswith("BEGIN IMMEDIATE") for s in statements), statements


def test_foreign_keys_cascade(book) -> None:
    with transaction():
        c = Client.create(name="王五")
        Balance.create(client=c, month=dt.date(2026, 11, 1), aum=100)
        c.delete_instance()
    assert Balance.select().count() == 0


@pytest.mark.parametrize(
    "content", [b"", b"hello, not a database\n" * 10, os.urandom(4096)], ids=["empty", "text", "random"]
)
def test_foreign_files_are_refused_and_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "thing.db"
    path.write_bytes(content)
    if not content:  # an empty file is simply a new book
        open_database(str(path)).close()
        return
    with pytest.raises(StoreError, match="not a Workbench book"):
        open_database(str(path))
    assert path.read_bytes() == content


def test_a_foreign_sqlite_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a Workbench book"):
        open_database(str(path))
    assert path.read_bytes() == before


def test_a_corrupt_book_gets_a_message(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    book = open_database(str(path))
    with transaction():
        for i in range(200):
            Client.create(name=f"客户{i}", notes="x" * 500)
    book.close()
    data = bytearray(path.read_bytes())
    data[4096:12288] = os.urandom(8192)
    path.write_bytes(bytes(data))
    try:
        open_database(str(path))
        from workbench.store.db import integrity_check

        assert integrity_check(path) != "ok"
    except StoreError as exc:
        assert "damaged" in str(exc) or "not a Workbench book" in str(exc)


def test_a_newer_book_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    open_database(str(path)).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer Workbench"):
        open_database(str(path))


def test_a_directory_or_unwritable_place_gets_a_message(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="directory"):
        open_database(str(tmp_path))
    if os.geteuid() == 0:
        return  # root ignores directory permissions: the next test runs `wb` as an unprivileged user
    locked = tmp_path / "ro"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(StoreError):
            open_database(str(locked / "sub" / "b.db"))
    finally:
        locked.chmod(0o700)


def as_nobody(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """`wb` run as an unprivileged user (the tests run as root in CI, and root may write anywhere)."""
    cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-m", "workbench", *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)


def test_a_read_only_folder_gets_a_message_and_a_note_is_kept(tmp_path: Path) -> None:
    """A book in a folder its user cannot write: a message saying so, never a traceback; a quick note goes
    to the spool instead of being lost; a book the user cannot read at all is left untouched."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root (to switch to an unprivileged user) and setpriv")
    probe = subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c", "import workbench"],
        capture_output=True,
    )
    if probe.returncode != 0:
        pytest.skip("this Python is not readable by an unprivileged user")
    shared = Path(tempfile.mkdtemp(prefix="wb-ro-"))
    try:
        shared.chmod(0o755)
        home = shared / "home"
        home.mkdir()
        os.chown(home, 65534, 65534)
        readonly = shared / "readonly"  # root's, 0755: the other user may read, not write
        readonly.mkdir()
        readonly.chmod(0o755)
        env = dict(os.environ, HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "cfg"))
        env.pop("WORKBENCH_DB", None)

        new = as_nobody("--db", str(readonly / "book.sqlite3"), "clients", env=env)
        assert new.returncode != 0 and "Traceback" not in new.stderr
        assert "permission" in new.stderr or "read-only" in new.stderr or "cannot open" in new.stderr, new.stderr
        assert not (readonly / "book.sqlite3").exists()

        book = readonly / "theirs.sqlite3"  # another user's book (0600): not readable
        open_database(str(book)).close()
        before = book.read_bytes()
        other = as_nobody("--db", str(book), "clients", env=env)
        assert other.returncode != 0 and "Traceback" not in other.stderr and "permission" in other.stderr
        assert book.read_bytes() == before

        note = as_nobody("--db", str(readonly / "book.sqlite3"), "note", "只读目录里的记录", env=env)
        assert "Traceback" not in note.stderr
        spooled = list((home / "data").rglob("note-*.json"))
        assert len(spooled) == 1 and "只读目录里的记录" in spooled[0].read_text(encoding="utf-8")
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def schema(path: Path) -> dict[str, object]:
    conn = sqlite3.connect(path)
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_stat%' ORDER BY name"
        )
    ]
    out: dict[str, object] = {}
    for table in tables:
        cols = sorted((r[1], r[2].upper(), r[3], r[5]) for r in conn.execute(f'PRAGMA table_info("{table}")'))
        idx = sorted(
            (r[2], tuple(c[2] for c in conn.execute(f'PRAGMA index_info("{r[1]}")')))
            for r in conn.execute(f'PRAGMA index_list("{table}")')
        )
        out[table] = (cols, idx)
    conn.close()
    return out


def test_migrating_the_first_schema_keeps_data_and_matches_a_new_book(tmp_path: Path) -> None:
    old = tmp_path / "v1.db"
    conn = sqlite3.connect(old)
    conn.executescript((DATA / "schema_v1.sql").read_text())
    conn.execute(
        "INSERT INTO client (id, name, kind, status, manager, sort_key, tier, tier_rank, aum, deposits,"
        " loans, churn, completeness, missing, created_at, updated_at, tier_pending_months)"
        " VALUES (1, '张伟明', 'individual', 'active', '', 'zhangweiming', 'diamond', 5, 600000000, 0,"
        " 0, 0, 10, '', '2025-01-01 00:00:00', '2025-01-01 00:00:00', 0)"
    )
    conn.execute(
        "INSERT INTO balance (client_id, month, aum, deposits, loans) VALUES (1, '2026-10-01', 600000000, 0, 0)"
    )
    conn.executemany("INSERT INTO search_key (key, client_id) VALUES (?, 1)", [("zwm",), ("张伟明",)])
    conn.commit()
    conn.close()

    book = open_database(str(old))
    assert migrations.current_version(database) == migrations.LATEST
    client = Client.get_by_id(1)
    assert client.name == "张伟明" and client.aum == 6_000_000
    assert Balance.select().count() == 1
    assert database.execute_sql("SELECT key FROM search_key ORDER BY key").fetchall() == [("zwm",), ("张伟明",)]
    table_sql = database.execute_sql("SELECT sql FROM sqlite_master WHERE name = 'search_key'").fetchone()[0]
    assert table_sql.endswith("WITHOUT ROWID")  # version 5: one B-tree for the keys
    stats = {r[0] for r in database.execute_sql("SELECT idx FROM sqlite_stat1 WHERE tbl = 'client'").fetchall()}
    assert "client_status_tier_rank_aum" in stats  # version 7: measured, or status = 'active' looks selective
    book.close()

    fresh = tmp_path / "fresh.db"
    open_database(str(fresh)).close()
    assert schema(old) == schema(fresh)


def test_every_profile_column_is_a_client_column() -> None:
    columns = set(models.Client._meta.fields)
    missing = [f.name for f in profile.COLUMN_FIELDS if f.name not in columns]
    assert not missing


@pytest.mark.parametrize("write", ["import", "demo", "note"])
def test_a_full_disk_is_said_and_loses_nothing(tmp_path: Path, write: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLITE_FULL (simulated with max_page_count) mid-write: a message saying so, the book as it was, and a
    quick note kept in the spool rather than lost."""
    from workbench.errors import StoreError
    from workbench.services import capture, demo, importer
    from workbench.store import lite

    path = tmp_path / "book.sqlite3"
    open_database(str(path))
    demo.generate(clients=30, seed=4)
    before = {t: database.execute_sql(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in ("client", "note")}
    full = f"PRAGMA max_page_count = {database.execute_sql('PRAGMA page_count').fetchone()[0] + 2}"
    database.execute_sql(full)
    csv_file = tmp_path / "clients.csv"
    csv_file.write_text("客户号,客户名称\n" + "".join(f"Z{i:06d},客户{i}\n" for i in range(3000)), encoding="utf-8")
    if write == "note":
        database.close()
        opened = lite.open_lite

        def open_full(*args, **kwargs):
            conn = opened(*args, **kwargs)
            conn.execute(full)
            return conn

        monkeypatch.setattr(lite, "open_lite", open_full)
        saved = capture.capture("满盘测试 " + "长" * 20_000, target=str(path))
        assert saved.note_id is None and "disk is full" in saved.warnings[0]
        assert "满盘测试" in saved.spooled.read_text(encoding="utf-8")  # kept, added on a later run
    else:
        with pytest.raises(StoreError, match="disk is full"):
            if write == "import":
                importer.import_file("clients", csv_file)
            else:
                demo.generate(clients=2000, seed=5, replace=True)
        database.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    after = {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in ("client", "note")}
    assert after == before
    conn.close()


def test_a_book_on_a_network_file_system_is_warned_about(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.store import db

    assert db.filesystem_type(tmp_path) not in db.NETWORK_FS  # read from /proc/mounts: a local disk here
    monkeypatch.setattr(db, "filesystem_type", lambda path: "nfs4")
    book = open_database(str(tmp_path / "shared.sqlite3"))
    assert any("network file system (nfs4)" in w and "local disk" in w for w in book.warnings)
    book.close()
