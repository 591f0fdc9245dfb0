"""Opening the book: SQLite by default (WAL, foreign keys, busy timeout, BEGIN IMMEDIATE writes, owner-only
files) or PostgreSQL from a URL, through the same models. Database errors become ``StoreError``s here."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import peewee

from workbench import paths
from workbench.errors import Conflict, ConnectionLost, Locked, StoreError
from workbench.store import lite, migrations
from workbench.store.lite import BUSY_TIMEOUT_MS, check_sqlite_header, tighten_files, translate
from workbench.store.models import database

PRAGMAS = dict(lite.PRAGMAS)
NETWORK_FS = {"nfs", "nfs4", "cifs", "smb3", "smbfs", "sshfs", "fuse.sshfs", "9p", "afs", "glusterfs"}
T = TypeVar("T")


@dataclass
class Book:
    """An open book: where it is, which backend, and anything the user should be warned about."""

    target: str
    path: Path | None  # None for PostgreSQL
    backend: str  # sqlite | postgresql
    warnings: list[str] = field(default_factory=list)

    def close(self) -> None:
        if not database.is_closed():
            database.close()
        if self.path is not None:
            tighten_files(self.path)


def open_database(target: str | None = None, *, create: bool = True) -> Book:
    """Open (and migrate) the book at ``target``: a path, a postgresql:// URL, or the default file."""
    target = paths.database_target(target)
    if not database.is_closed() if database.obj is not None else False:
        database.close()
    if paths.is_url(target):
        return _open_postgres(target)
    return _open_sqlite(Path(target).expanduser(), create=create)


def _open_sqlite(path: Path, *, create: bool) -> Book:
    if path.is_dir():
        raise StoreError(f"{path}: is a directory, not a database file")
    exists = path.exists() and path.stat().st_size > 0
    if exists:
        check_sqlite_header(path)
        check_is_book(path)
    elif not create:
        raise StoreError(f"{path}: no book here")
    try:
        paths.private_dir(path.parent)
        paths.private_file(path)
    except PermissionError:
        raise StoreError(f"{path.parent}: cannot write here (permission denied)") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot create the database ({exc.strerror})") from None
    warnings = []
    fs = filesystem_type(path)
    if fs in NETWORK_FS:
        warnings.append(
            f"{path} is on a network file system ({fs}): SQLite's WAL needs a local disk; "
            "keep the book on a local disk or use PostgreSQL"
        )
    # check_same_thread off: a bulk load runs one long statement on a helper thread, on this connection, while
    # this thread computes (store.bulkload.Behind); peewee still gives every other thread its own connection.
    db = peewee.SqliteDatabase(
        str(path),
        pragmas=PRAGMAS,
        lock_type="IMMEDIATE",
        timeout=BUSY_TIMEOUT_MS / 1000,
        check_same_thread=False,
    )
    database.initialize(db)
    try:
        db.connect()
        migrations.migrate(db)
    except StoreError:
        db.close()
        raise
    except peewee.PeeweeException as exc:
        db.close()
        raise translate(exc, path) from None
    tighten_files(path)
    return Book(target=str(path), path=path, backend="sqlite", warnings=warnings)


def use_psycopg() -> None:
    """Give peewee the psycopg driver it was kept from at import (see workbench/store/__init__.py)."""
    if getattr(peewee, "psycopg", None) is not None:
        return
    if "psycopg" in sys.modules and sys.modules["psycopg"] is None:
        del sys.modules["psycopg"]
    import psycopg
    from psycopg.pq import TransactionStatus
    from psycopg.types.json import Json, Jsonb

    peewee.psycopg, peewee.TransactionStatus = psycopg, TransactionStatus
    peewee.Json_pg3, peewee.Jsonb_pg3 = Json, Jsonb
    adapter = getattr(peewee, "Psycopg3Adapter", None)
    if adapter is not None:
        adapter.txn_idle = TransactionStatus.IDLE
        adapter.txn_inerror = TransactionStatus.INERROR
        adapter.txn_unknown = TransactionStatus.UNKNOWN


def _open_postgres(url: str) -> Book:
    scheme = url.split("://", 1)[0] + "://"  # what a message may show: never the user or password
    if not paths.is_postgres_url(url):
        raise StoreError(f"{scheme}… is not a database Workbench opens: give a file path or a postgresql:// URL")
    try:
        use_psycopg()
        db = _server_class()(**_url_settings(url))
        database.initialize(db)
        db.connect()
    except ImportError:
        raise StoreError("PostgreSQL needs its driver: pip install 'workbench[postgres]'") from None
    except ValueError as exc:  # a URL the parser cannot read (a torn IPv6 host, no database name…)
        raise StoreError(f"{scheme}…: not a PostgreSQL URL Workbench can read ({exc})") from None
    except peewee.PeeweeException as exc:
        raise StoreError(f"cannot connect to PostgreSQL: {str(exc).splitlines()[0]}") from None
    try:
        migrations.migrate(db)
    except peewee.PeeweeException as exc:
        db.close()
        if "permission denied" in str(exc).lower() or "must be owner" in str(exc).lower():
            raise StoreError(
                f"{paths.redact_url(url)}: this database needs Workbench's newer schema, and only its owner may "
                "change it: the owner runs `wb team init` (which upgrades it), then you can open it"
            ) from None
        raise translate(exc, paths.redact_url(url)) from None
    return Book(target=paths.redact_url(url), path=None, backend="postgresql")


def _url_settings(url: str) -> dict[str, object]:
    from playhouse.db_url import parse

    settings = parse(url)
    if not settings.get("database"):
        raise ValueError("no database name (postgresql://USER@HOST/DATABASE)")
    # No JIT: the row-level security subplans make the planner's estimates large enough to compile every
    # query, which took a second for a search that runs in 12 ms.
    settings["options"] = " ".join(filter(None, (str(settings.get("options") or ""), "-c jit=off")))
    return settings


def _server_class() -> type[peewee.PostgresqlDatabase]:
    """PostgreSQL, reconnecting once when the connection was lost between statements (a server restart, a
    dropped SSH tunnel, an idle timeout): a read then simply works. Inside a transaction nothing is retried
    behind the user's back; transaction() says the change was not saved and drops the dead connection, so
    trying again works."""
    from playhouse.shortcuts import ReconnectMixin

    class ServerDatabase(ReconnectMixin, peewee.PostgresqlDatabase):
        reconnect_errors = tuple(
            (cls, fragment)
            for cls in (peewee.OperationalError, peewee.InterfaceError)
            for fragment in ("terminating connection", "server closed the connection", "connection is closed",
                             "connection is lost", "consuming input failed", "connection already closed")
        )  # fmt: skip

    return ServerDatabase


def _drop_lost_connection() -> None:
    with contextlib.suppress(Exception):
        database.close()


def check_is_book(path: Path) -> None:
    """Refuse, before any pragma writes to it, an SQLite file that holds something other than a book."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise translate(exc, path) from None
    if tables and "meta" not in tables:
        raise StoreError(f"{path}: an SQLite database, but not a Workbench book; left untouched")


def filesystem_type(path: Path) -> str | None:
    """The file system type holding ``path`` (Linux /proc/mounts); None when unknown."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return None
    target = os.path.realpath(path.parent)
    best, best_len = None, -1
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount = parts[1].replace("\\040", " ")
        if (target == mount or target.startswith(mount.rstrip("/") + "/")) and len(mount) > best_len:
            best, best_len = parts[2], len(mount)
    return best


@contextlib.contextmanager
def transaction() -> Iterator[None]:
    """A write transaction: BEGIN IMMEDIATE on SQLite (waits its turn rather than failing later)."""
    try:
        with database.atomic():
            yield
    except (peewee.IntegrityError, sqlite3.IntegrityError) as exc:
        raise Conflict(
            f"the change conflicts with what is in the book ({str(exc).splitlines()[0]}); nothing was written"
        ) from None
    except (peewee.OperationalError, peewee.DatabaseError, peewee.InterfaceError, sqlite3.DatabaseError) as exc:
        raise _said(translate(_first_cause(exc))) from None
    except Exception as exc:
        if _is_driver_error(exc):
            raise _said(translate(exc)) from None
        raise


def as_store_error(exc: BaseException) -> StoreError | None:
    """A database error that escaped a service (a read outside any transaction, after the one reconnection)
    as the message for it; None for anything else."""
    if isinstance(exc, peewee.PeeweeException | sqlite3.Error) or _is_driver_error(exc):
        return _said(translate(_first_cause(exc)))
    return None


def _said(error: StoreError) -> StoreError:
    if isinstance(error, ConnectionLost):
        _drop_lost_connection()  # the next statement connects afresh
    return error


def _first_cause(exc: BaseException) -> BaseException:
    """SQLite rolls a transaction back itself on some errors (a full disk, I/O); peewee's ROLLBACK then fails
    and hides the error that matters: give that one."""
    cause: BaseException | None = exc
    while cause is not None and "no transaction is active" in str(cause):  # (the driver's, then peewee's)
        cause = cause.__context__
    return cause or exc


def _is_driver_error(exc: BaseException) -> bool:
    """A DB-API error from a driver other than sqlite3 (psycopg), reached through raw bulk inserts."""
    return type(exc).__module__.split(".")[0] in ("psycopg", "psycopg2")


def retrying(fn: Callable[[], T], attempts: int = 5, pause: float = 0.2) -> T:
    """Run a write function in a transaction, retrying while another process holds the lock."""
    for attempt in range(attempts):
        try:
            with transaction():
                return fn()
        except Locked:
            if attempt == attempts - 1:
                raise
            time.sleep(pause * (attempt + 1))
    raise AssertionError("unreachable")  # pragma: no cover


def integrity_check(db_path: Path) -> str:
    """'ok' or SQLite's first complaint, read with a separate read-only connection."""
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
        try:
            row = conn.execute("PRAGMA integrity_check").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return str(row[0]) if row else "no answer"
