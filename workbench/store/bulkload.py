"""Loading a large batch of rows into an empty or nearly empty book as fast as the backend allows.

On SQLite: indexes that rows would reach in random order are dropped and rebuilt at the end (one sort each);
foreign-key checks are switched off around the transaction (the caller inserts parents before children);
search keys can be built in SQL from one list of keys per distinct name, joined to the clients bearing it,
once, at the end: then the search keys arrive in key order, and the keys' B-tree is only appended to (joined
a chunk at a time, each chunk's keys land all over the tree: 5-6 s instead of 2-3 on a 100,000-client demo
book, where the chunks' joins came to twice the one join and the index on client_id rebuilt after it). During
the load the page cache is larger (a load writes hundreds of megabytes; with the usual 32 MB the sorts behind
the index rebuilds and the join spill to temporary files) and sorts may use a second core (``PRAGMA
threads``); both are per-connection settings, restored at the end, and neither changes what is written.
On PostgreSQL only the id sequences and statistics need care. Everything SQLite-specific lives here.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from collections.abc import Iterable, Sequence

import peewee

from workbench.rules import pinyin
from workbench.store import bulk
from workbench.store.models import SearchKey, database

# Temporary tables for building search keys in SQL (SQLite): name_key holds each distinct name's keys,
# client_name which name each client bears, extra_key the keys that are the client's own (number, phone).
KEY_TABLES = {
    "name_key": "name_id INTEGER NOT NULL, key TEXT NOT NULL, PRIMARY KEY (name_id, key)) WITHOUT ROWID",
    "client_name": "client_id INTEGER PRIMARY KEY, name_id INTEGER NOT NULL)",
    "extra_key": "key TEXT NOT NULL, client_id INTEGER NOT NULL)",
}
LOAD_CACHE_KIB = 512 * 1024  # the page cache during a load (only what is used is allocated)
SORT_THREADS = 4  # at most; SQLite's sorter splits a large sort between this many threads
# UNION ALL, sorted, and the rare duplicate (a number equal to a name key) dropped by the primary key: a UNION
# would first build a B-tree of all two million rows to find it (2.6-3.5 s against 2.2-2.6 s on 100,000 clients).
_JOIN_KEYS = (
    f'INSERT OR IGNORE INTO "{SearchKey._meta.table_name}" (key, client_id) SELECT k.key, c.client_id '
    "FROM temp.load_client_name AS c JOIN temp.load_name_key AS k ON k.name_id = c.name_id "
    "UNION ALL SELECT key, client_id FROM temp.load_extra_key ORDER BY 1, 2"
)


class ForeignKeysOff:
    """SQLite checks each child row's parent as it is inserted. The pragma only takes effect outside a
    transaction, so it is set around it, and restored."""

    def __init__(self, active: bool) -> None:
        sqlite = isinstance(database.obj, peewee.SqliteDatabase)
        self.active = active and sqlite and database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1

    def __enter__(self) -> None:
        if self.active:
            database.execute_sql("PRAGMA foreign_keys = OFF")

    def __exit__(self, *exc: object) -> None:
        if self.active:
            database.execute_sql("PRAGMA foreign_keys = ON")


class Behind:
    """Statements run in order on a helper thread, on the caller's connection and in its transaction (see
    BulkLoad.join_keys_behind). SQLite runs a statement without Python's lock, so the caller computes
    meanwhile on the other core; it must not use the database until wait() has returned."""

    def __init__(self, conn: sqlite3.Connection, statements: Sequence[str]) -> None:
        self._conn = conn
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(list(statements),), name="bulkload", daemon=True)
        self._thread.start()

    def _run(self, statements: list[str]) -> None:
        try:
            for sql in statements:
                self._conn.execute(sql)
        except BaseException as exc:  # raised in the caller's thread by wait()
            self._error = exc

    def wait(self, *, cancel: bool = False) -> None:
        """Until the statements are done; their error, if any, is raised here. ``cancel`` (the caller is failing
        anyway) interrupts them and raises nothing: the transaction is rolled back after."""
        if cancel:
            self._conn.interrupt()
        self._thread.join()
        error, self._error = self._error, None
        if error is not None and not cancel:
            raise error


class BulkLoad:
    """start() before the rows, finish() after, both inside the caller's transaction."""

    def __init__(
        self,
        models: Sequence[type[peewee.Model]],
        arrival: dict[str, str],
        sequenced: Iterable[type[peewee.Model]] = (),
        keys: bool = True,
    ) -> None:
        """``arrival``: for each table, the column its rows arrive in order of (indexes led by it are kept).
        ``keys``: whether search keys will be built in SQL (key_rows or client_keys, then join_keys)."""
        self.models, self.arrival, self.sequenced = list(models), arrival, list(sequenced)
        self.keys = keys
        self.sqlite = isinstance(database.obj, peewee.SqliteDatabase)
        self.indexes: list[tuple[str, str]] = []  # (table, CREATE INDEX …) to rebuild at the end
        self.joined = False  # the search keys were joined already (join_keys_behind)
        self.name_ids: dict[str, int] = {}
        self.pragmas: dict[str, object] = {}  # the connection's settings before the load, to restore

    def __enter__(self) -> BulkLoad:
        """``with load:`` runs start(), and restores the connection's settings however the block ends (the
        caller calls finish() on success, inside its transaction)."""
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.restore()

    def foreign_keys_off(self) -> ForeignKeysOff:
        return ForeignKeysOff(self.sqlite and not database.in_transaction())

    def start(self) -> None:
        if not self.sqlite:
            return
        threads = min(SORT_THREADS, os.cpu_count() or 1)
        cache = -LOAD_CACHE_KIB  # the temporary tables (search keys) have a cache of their own
        for pragma, value in (("cache_size", cache), ("temp.cache_size", cache), ("threads", threads)):
            self.pragmas[pragma] = database.execute_sql(f"PRAGMA {pragma}").fetchone()[0]
            database.execute_sql(f"PRAGMA {pragma} = {int(value)}")
        tables = [m._meta.table_name for m in self.models]
        found = database.execute_sql(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({', '.join('?' * len(tables))}) ORDER BY name",
            tables,
        ).fetchall()
        for name, table, sql in found:
            if re.search(r'\(\s*"?(\w+)', sql.split(" ON ", 1)[-1])[1] != self.arrival.get(table):
                database.execute_sql(f'DROP INDEX "{name}"')
                self.indexes.append((table, sql))
        for table, columns in KEY_TABLES.items() if self.keys else ():
            database.execute_sql(f"CREATE TEMP TABLE load_{table} ({columns}")

    def key_rows(self, table: str, rows: list[tuple]) -> None:
        """Rows for one of KEY_TABLES (SQLite only)."""
        database.cursor().executemany(f"INSERT INTO temp.load_{table} VALUES (?, ?)", rows)

    def join_keys(self) -> None:
        """Insert the search keys of the clients handed over so far, in key order (finish() calls it: best
        once, into an empty table, with the index on client_id dropped - see ``arrival``)."""
        database.execute_sql(_JOIN_KEYS)
        database.execute_sql("DELETE FROM temp.load_client_name")
        database.execute_sql("DELETE FROM temp.load_extra_key")

    @property
    def joins_keys(self) -> bool:
        return self.sqlite and self.keys

    @property
    def joins_behind(self) -> bool:
        """Whether join_keys_behind may run: the keys are joined in SQL and foreign keys are off (the search
        keys then go in before the clients they name)."""
        return self.joins_keys and database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 0

    def join_keys_behind(self) -> Behind:
        """join_keys, then the search keys' indexes, on a helper thread (after client_keys; with foreign keys
        off): some 4 s of SQL on 100,000 new clients that the caller spends computing their rows. finish()
        then leaves them out. The caller calls ``wait()`` before it uses the database again."""
        table = SearchKey._meta.table_name
        own = [sql for t, sql in self.indexes if t == table]
        self.indexes = [(t, sql) for t, sql in self.indexes if t != table]
        self.joined = True
        return Behind(database.connection(), [_JOIN_KEYS, *own])

    def client_keys(self, rows: Iterable[tuple[int, str, str | None, str | None]]) -> None:
        """The search keys of new clients, given as (id, name, client number, phone), for join_keys: each
        distinct name's keys are computed once and joined to its clients in SQL (names repeat: 张伟, 王芳…).
        SQLite only (``joins_keys``); elsewhere the caller inserts the keys itself."""
        names, extra, named = [], [], []
        for cid, name, no, phone in rows:
            nid = self.name_ids.get(name)
            if nid is None:
                nid = self.name_ids[name] = len(self.name_ids)
                names.extend((nid, key) for key in pinyin.name_keys(name))
            named.append((cid, nid))
            extra.extend((key, cid) for key in pinyin.own_keys(no, phone))
        self.key_rows("name_key", names)
        self.key_rows("client_name", named)
        self.key_rows("extra_key", extra)

    def finish(self) -> None:
        if self.sqlite:
            if self.keys and not self.joined:
                self.join_keys()
            for _table, sql in self.indexes:
                database.execute_sql(sql)
            for table in KEY_TABLES if self.keys else ():
                database.execute_sql(f"DROP TABLE temp.load_{table}")
            self.restore()
        for model in self.sequenced:  # ids were given: PostgreSQL's sequences move past them
            bulk.sync_sequence(model)
        bulk.optimize()

    def restore(self) -> None:
        """Put back the connection settings start() changed (once; nothing to do after a restore)."""
        for pragma, value in self.pragmas.items():
            database.execute_sql(f"PRAGMA {pragma} = {int(value)}")  # type: ignore[call-overload]
        self.pragmas.clear()
