"""Quick capture (`wb note`, `n` in the TUI): a note in within a breath, linked, tagged, never lost.

On SQLite the note goes in through the standard library (store.lite): no peewee, Textual, pendulum or pypinyin
is loaded, and a mention's pinyin is matched against the keys stored on the clients. When the book is busy the
write waits (busy timeout) and is retried; if it still cannot be written the text goes to an owner-only spool
file, which the next capture (or the TUI) adds to the book. PostgreSQL books, and SQLite books that need a
migration first, go through the full store.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
import zlib
from pathlib import Path
from typing import NamedTuple

from workbench import paths
from workbench.errors import BadInput, Locked, StoreError
from workbench.rules.capture import MAX_MENTION, MAX_NOTE, MentionToken, parse
from workbench.rules.text import clean_input
from workbench.services.clock import today as _today
from workbench.store import fulltext, lite

ATTEMPTS = 3  # writes tried (each waiting up to the busy timeout) before the text goes to the spool
SPOOL_BUSY_MS = 5_000


class Mention(NamedTuple):  # NamedTuples: the quick path loads no dataclasses (and inspect)
    written: str  # as typed, with '@'
    status: str  # linked | ambiguous | unknown
    client_id: int | None = None
    name: str | None = None
    candidates: tuple[str, ...] = ()  # names, when ambiguous


class Captured(NamedTuple):
    note_id: int | None  # None when spooled
    date: dt.date
    kind: str  # note | lesson
    status: str  # inbox | filed
    tags: tuple[str, ...]
    mentions: tuple[Mention, ...]
    spooled: Path | None = None
    from_spool: int = 0  # earlier spooled notes added to the book by this run
    warnings: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.note_id,
            "date": self.date.isoformat(),
            "kind": self.kind,
            "status": self.status,
            "tags": list(self.tags),
            "mentions": [
                {"written": m.written, "status": m.status, "client": m.name, "candidates": list(m.candidates)}
                for m in self.mentions
            ],
            "spooled": str(self.spooled) if self.spooled else None,
            "from_spool": self.from_spool,
        }


def check_text(text: str) -> str:
    body = clean_input(text)
    if not body:
        raise BadInput("nothing to save: the note is empty")
    if len(body) > MAX_NOTE:
        raise BadInput(f"the note is {len(body):,} characters; a note holds at most {MAX_NOTE:,} (nothing was saved)")
    return body


def capture(text: str, *, target: str | None = None, source: str = "cli", day: dt.date | None = None) -> Captured:
    """Save a note in the book at ``target``; when it cannot be written, spool it and say so."""
    body = check_text(text)
    day = day or _today()
    stamp = dt.datetime.now().replace(microsecond=0)
    error: StoreError = Locked("the book is busy")
    try:
        conn = _connect(target)
        try:
            imported = import_spool(conn, target)
            for attempt in range(ATTEMPTS):
                try:
                    return _write(conn, body, day, stamp, source, imported)
                except Locked as exc:
                    error = exc
                    time.sleep(0.2 * (attempt + 1))
        finally:
            conn.close()
    except StoreError as exc:  # busy past every retry, read-only, full, damaged: the text must not be lost
        error = exc
    parsed = parse(body)
    kind = "lesson" if parsed.lesson else "note"
    spooled = spool(body, target, day, stamp, source)
    return Captured(None, day, kind, "inbox", parsed.tags, (), spooled=spooled, warnings=(str(error),))


class _Lite:
    """A write session on the SQLite book through the standard library."""

    def __init__(self, conn) -> None:
        self.conn = conn

    def execute(self, sql: str, params: tuple = ()):
        return self.conn.execute(sql, params)

    def insert(self, sql: str, params: tuple) -> int:
        return self.conn.execute(sql, params).lastrowid

    @contextlib.contextmanager
    def transaction(self):
        import sqlite3

        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                if self.conn.in_transaction:  # (SQLite may have rolled back itself: a full disk)
                    self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise lite.translate(exc) from None

    def close(self) -> None:
        self.conn.close()


class _Server:
    """A write session on a PostgreSQL book straight through psycopg (the quick path there)."""

    def __init__(self, conn) -> None:
        self.conn = conn

    def execute(self, sql: str, params: tuple = ()):
        return self.conn.execute(sql.replace("?", "%s"), params)

    def insert(self, sql: str, params: tuple) -> int:
        return self.execute(sql + " RETURNING id", params).fetchone()[0]

    @contextlib.contextmanager
    def transaction(self):
        import psycopg

        try:
            with self.conn.transaction():
                yield
        except psycopg.Error as exc:
            raise lite.translate(exc) from None

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.close()


class _Full:
    """A write session through the full store (PostgreSQL), with the same few calls."""

    def __init__(self) -> None:
        from workbench.store.models import database

        self.database = database
        self.conn = database.connection()

    def execute(self, sql: str, params: tuple = ()):
        return self.database.execute_sql(sql.replace("?", "%s"), params)

    def insert(self, sql: str, params: tuple) -> int:
        return self.execute(sql + " RETURNING id", params).fetchone()[0]

    def transaction(self):
        from workbench.store.db import transaction

        return transaction()

    def close(self) -> None:
        pass


def _connect(target: str | None) -> _Lite | _Server | _Full:
    """The quick connection (SQLite's or PostgreSQL's driver alone), or (a new book, a migration, the TUI's
    own PostgreSQL book) the full store's."""
    conn = lite.open_lite(target, busy_ms=SPOOL_BUSY_MS)
    if conn is not None:
        return _Lite(conn)
    url = paths.database_target(target)
    if paths.is_url(url) and lite.store_is_open():
        return _Full()  # the TUI on PostgreSQL: its open book
    if paths.is_postgres_url(url):
        server = lite.open_server(url)
        if server is not None:
            return _Server(server)
    from workbench.store.db import open_database

    book = open_database(target)  # creates or migrates the book
    if book.backend == "sqlite":
        book.close()
        conn = lite.open_lite(target, busy_ms=SPOOL_BUSY_MS)
        if conn is None:
            raise StoreError(f"{book.target}: cannot open the book for a quick note")
        return _Lite(conn)
    return _Full()


def _write(session, body: str, day: dt.date, stamp: dt.datetime, source: str, imported: int = 0) -> Captured:
    parsed = parse(body)
    with session.transaction():
        mentions = tuple(resolve(session, m) for m in parsed.mentions)
        linked = [m for m in mentions if m.status == "linked"]
        unresolved = any(m.status != "linked" for m in mentions)
        kind = "lesson" if parsed.lesson else "note"
        status = "filed" if parsed.lesson or (linked and not unresolved) else "inbox"
        note_id = session.insert(
            "INSERT INTO note (date, created_at, text, kind, status, source) VALUES (?, ?, ?, ?, ?, ?)",
            (day.isoformat(), stamp.isoformat(" "), body, kind, status, source),
        )
        for tag in parsed.tags:
            session.execute("INSERT INTO note_tag (note_id, tag) VALUES (?, ?)", (note_id, tag[:100]))
        for m in mentions:
            session.execute(
                "INSERT INTO note_client (note_id, client_id, mention, resolved) VALUES (?, ?, ?, ?)",
                (note_id, m.client_id, m.written[:200], m.status == "linked"),
            )
        first = linked[0].client_id if linked else None
        fulltext.add([fulltext.Doc(kind, note_id, first, day, body)], session.conn)
    return Captured(note_id, day, kind, status, parsed.tags, mentions, from_spool=imported)


def resolve(conn, token: MentionToken) -> Mention:
    """The client a mention names: an exact name, else a stored search key (full pinyin, initials, client
    number); the longest prefix of a Chinese run that names someone. Never a guess: several → ambiguous."""
    for candidate in token.prefixes():
        ids = [r[0] for r in conn.execute("SELECT id FROM client WHERE name = ? ORDER BY id LIMIT 11", (candidate,))]
        if not ids:
            ids = [
                r[0]
                for r in conn.execute(
                    "SELECT DISTINCT client_id FROM search_key WHERE key = ? ORDER BY client_id LIMIT 11",
                    (candidate.lower(),),
                )
            ]
        if not ids:
            continue
        written = "@" + candidate
        if len(ids) == 1:
            name = conn.execute("SELECT name FROM client WHERE id = ?", (ids[0],)).fetchone()[0]
            return Mention(written, "linked", ids[0], name)
        names = tuple(r[0] for r in conn.execute(f"SELECT name FROM client WHERE id IN ({','.join(map(str, ids))})"))
        return Mention(written, "ambiguous", candidates=names)
    return Mention("@" + token.run[:MAX_MENTION], "unknown")


# --- the spool -----------------------------------------------------------------------------------------------


def spool_dir(target: str | None) -> Path:
    """Where notes wait for a book that could not be written: one folder per book, owner-only."""
    book = _book_name(target)
    return paths.data_dir() / "spool" / f"{zlib.crc32(book.encode()):08x}"  # each file also names its book


def _book_name(target: str | None) -> str:
    """The book a spooled note is for, as the spool names it: a path, or a URL without its password."""
    return paths.redact_url(paths.database_target(target))


def spool(body: str, target: str | None, day: dt.date, stamp: dt.datetime, source: str) -> Path:
    folder = spool_dir(target)
    paths.private_dir(folder.parent)
    paths.private_dir(folder)
    path = folder / f"note-{stamp:%Y%m%d-%H%M%S}-{os.getpid()}-{time.monotonic_ns() % 1_000_000:06d}.json"
    import json

    record = {"book": _book_name(target), "date": day.isoformat(), "created_at": stamp.isoformat()}
    with paths.open_private(path, "w") as fh:
        json.dump({**record, "source": source, "text": body}, fh, ensure_ascii=False)
    return path


def import_pending(target: str | None) -> int:
    """Add this book's spooled notes, if any (the book is open; a failure leaves them spooled)."""
    folder = spool_dir(target)
    if not folder.is_dir() or not any(folder.glob("note-*.json")):
        return 0
    try:
        session = _connect(target) if not paths.is_url(paths.database_target(target)) else _Full()
        try:
            return import_spool(session, target)
        finally:
            session.close()
    except StoreError:
        return 0


def import_spool(conn, target: str | None) -> int:
    """Add the notes spooled for this book, oldest first; each file goes once its note is in."""
    folder = spool_dir(target)
    if not folder.is_dir():
        return 0
    import json

    book = _book_name(target)
    done = 0
    for spooled in sorted(folder.glob("note-*.json")):
        path = spooled.with_name(f"{spooled.stem}.{os.getpid()}.importing")
        try:
            os.rename(spooled, path)  # claimed: another run importing at the same time skips it
        except FileNotFoundError:
            continue
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            if record.get("book", book) != book:
                raise ValueError("another book's note")  # the folder names are a short hash
            body = check_text(record["text"])
            day = dt.date.fromisoformat(record["date"])
            stamp = dt.datetime.fromisoformat(record["created_at"])
        except (OSError, ValueError, KeyError, BadInput):
            os.rename(path, spooled)  # unreadable: put back where it was, for a person to look at
            continue
        try:
            _write(conn, body, day, stamp, record.get("source", "cli"))
        except BaseException:
            os.rename(path, spooled)  # not written: back in the spool for the next run
            raise
        path.unlink(missing_ok=True)
        done += 1
    return done
