"""The SQLite book through the standard library alone, for the paths that must start in a breath (`wb note`,
`wb search`): no peewee. It opens only a book that exists at the current schema version; anything else
(a new book, an older one to migrate, PostgreSQL) is left to ``store.db.open_database``.

Also here, because both paths need them: the file checks and the translation of SQLite errors.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from workbench import paths
from workbench.errors import ConnectionLost, Locked, Refused, StoreError

SCHEMA = 9  # store.migrations.LATEST (a test keeps them equal)
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 15_000
PRAGMAS = (
    ("journal_mode", "wal"),
    ("foreign_keys", 1),
    ("busy_timeout", BUSY_TIMEOUT_MS),
    ("synchronous", "normal"),
    ("cache_size", -32_000),
)


def store_is_open() -> bool:
    """Whether this process has the full store's book open (the TUI), without importing the store."""
    import sys

    models = sys.modules.get("workbench.store.models")
    return models is not None and models.database.obj is not None and not models.database.is_closed()


def open_server(url: str):
    """A psycopg connection (autocommit; the caller opens transactions) to the PostgreSQL book at ``url``
    for the quick path, without the store (peewee and the models cost ~90 ms); None when the full open is
    needed (a new book, a migration). A server that cannot be reached is a ConnectionLost."""
    import sys

    if sys.modules.get("psycopg", False) is None:  # hidden from peewee by workbench/__init__.py
        del sys.modules["psycopg"]
    import psycopg

    try:
        conn = psycopg.connect(url, autocommit=True, options="-c jit=off", connect_timeout=15)
    except psycopg.Error as exc:
        raise ConnectionLost(f"cannot connect to PostgreSQL: {str(exc).splitlines()[0]}") from None
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except psycopg.Error:
        row = None
    if row is None or int(row[0]) != SCHEMA:
        conn.close()
        return None
    return conn


def open_lite(target: str | None = None, busy_ms: int = BUSY_TIMEOUT_MS) -> sqlite3.Connection | None:
    """A connection to the SQLite book at ``target`` (--db, WORKBENCH_DB or the default), in autocommit mode
    (the caller writes with BEGIN IMMEDIATE); None when the full open is needed."""
    target = paths.database_target(target)
    if paths.is_url(target):
        return None
    path = Path(target).expanduser()
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return None
    except OSError:
        return None
    check_sqlite_header(path)
    try:
        conn = sqlite3.connect(str(path), timeout=busy_ms / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise translate(exc, path) from None
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None or int(row[0]) != SCHEMA:
            conn.close()
            return None
        for name, value in PRAGMAS:
            conn.execute(f"PRAGMA {name} = {value if name != 'busy_timeout' else busy_ms}")
    except sqlite3.OperationalError as exc:
        conn.close()
        if "no such table" in str(exc):
            return None  # an empty or foreign database: the full open says what it is
        raise translate(exc, path) from None
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise translate(exc, path) from None
    tighten_files(path)
    return conn


def first_clients(conn: sqlite3.Connection, columns: tuple[str, ...], limit: int) -> tuple[list[tuple], int]:
    """The active clients by tier, highest first (then AUM, name, id: services.portfolio's order for the
    list as it opens), at most ``limit``, and how many active clients there are. One read transaction."""
    names = ", ".join(f'"{c}"' for c in columns)
    try:
        conn.execute("BEGIN")
        try:
            rows = conn.execute(
                f"SELECT {names} FROM client WHERE status = 'active' "
                "ORDER BY tier_rank DESC, aum DESC, sort_key ASC, id ASC LIMIT ?",
                (limit,),
            ).fetchall()
            total = conn.execute("SELECT count(*) FROM client WHERE status = 'active'").fetchone()[0]
        finally:
            conn.execute("COMMIT")
    except sqlite3.Error as exc:
        raise translate(exc) from None
    return rows, total


def check_sqlite_header(path: Path) -> None:
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except PermissionError:
        raise StoreError(f"{path}: cannot read the database (permission denied)") from None
    if head != SQLITE_MAGIC:
        raise StoreError(f"{path}: not a Workbench book (not an SQLite database); left untouched")


def tighten_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        paths.tighten(Path(str(path) + suffix))


LOST = (
    "server closed the connection",
    "terminating connection",
    "connection is closed",
    "connection already closed",
    "consuming input failed",
    "connection refused",
    "could not connect",
    "the connection is lost",
    "ssl syscall",
    "no connection to the server",
)


def translate(exc: BaseException, where: object = None) -> StoreError:
    """A database exception as a message a manager can act on."""
    text = str(exc).lower()
    place = f"{where}: " if where else ""
    if "locked" in text or "busy" in text:
        return Locked(f"{place}the book is busy (another program is writing); try again in a moment")
    if "readonly" in text or "read-only" in text:
        return StoreError(f"{place}the book is read-only here (check the file and folder permissions)")
    if "disk is full" in text or "database or disk is full" in text:
        return StoreError(f"{place}the disk is full: nothing was written; free some space and try again")
    if "not a database" in text or "malformed" in text or "file is encrypted" in text:
        return StoreError(
            f"{place}the database file is damaged or not a Workbench book; left untouched "
            "(restore a backup with `wb restore`)"
        )
    if "unable to open" in text:
        return StoreError(f"{place}cannot open the database file (missing folder or no permission)")
    if "row-level security" in text or "permission denied" in text:
        return Refused(f"{place}the team database does not allow this for your role ({str(exc).splitlines()[0]})")
    if any(s in text for s in LOST):
        return ConnectionLost(
            f"{place}the connection to the database server was lost; nothing of this action was saved — try again"
        )
    return StoreError(f"{place}database error: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")


class ChangeWatch:
    """Tells when another connection has committed to the book: another `wb` process (a note, an import),
    or a worker of this one. ``PRAGMA data_version`` changes exactly then; reading it takes no lock and costs
    microseconds, so a face may ask every second or two."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        self.last = self._version()

    def _version(self) -> int | None:
        try:
            return int(self.conn.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:  # the file went away or is being replaced (a restore): say nothing
            return None

    def changed(self) -> bool:
        now = self._version()
        if now is None or now == self.last:
            return False
        self.last = now
        return True

    def close(self) -> None:
        self.conn.close()
