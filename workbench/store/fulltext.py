"""Full-text search over notes, lessons and contacts (schema version 4).

SQLite: every searchable text is a row of ``search_doc`` and, through it, of the FTS5 table ``search_fts``
(trigram tokenizer, external content). A query of three or more characters is a trigram phrase. Chinese has
no spaces, and words of one or two characters (理财, 张) make no trigram, so each text ends with two spaces: then
every one- or two-character piece of it begins some trigram, and ``search_term`` — the distinct trigrams, a
B-tree — turns such a query into the OR of the trigrams it begins, found by a range scan. Matches are taken
newest first with a LIMIT, which FTS5 answers without reading every match: the cost follows the limit, not
the number of notes.

PostgreSQL: the same ``search_doc`` rows, searched with ILIKE (team mode adds pg_trgm).

Functions take an open DB-API connection (sqlite3 for SQLite, so the quick-capture path needs no peewee) or
None for the book peewee has open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import NamedTuple

PAD = "  "  # after every text: each 1–2 character piece then begins a trigram
CANDIDATES = 200  # matches read per query, newest first, before ranking
MAX_TERMS = 400  # trigram terms one short query may expand to

SQLITE_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "text, content='search_doc', content_rowid='id', tokenize='trigram')",
    "CREATE TABLE IF NOT EXISTS search_term (term TEXT PRIMARY KEY) WITHOUT ROWID",
)
_NOTE_TEXT = "text" + "".join(  # the note, then the lesson's fields, a line each (portable SQL)
    f" || coalesce('\n' || {column}, '')" for column in ("situation", "action", "result", "cause", "next_time")
)


class Doc(NamedTuple):
    kind: str  # note | lesson | contact
    ref_id: int
    client_id: int | None
    date: dt.date | None
    text: str


class Found(NamedTuple):
    doc_id: int
    kind: str
    ref_id: int
    client_id: int | None
    date: str | None
    text: str


def create_sqlite(conn) -> None:
    for sql in SQLITE_DDL:
        conn.execute(sql)


def _conn():
    from workbench.store.models import database

    return database.connection()


def _is_sqlite(conn) -> bool:
    import sqlite3

    return isinstance(conn, sqlite3.Connection)


def _param(conn) -> str:
    return "?" if _is_sqlite(conn) else "%s"


def trigrams(text: str) -> set[str]:
    low = text.lower()
    return {low[i : i + 3] for i in range(len(low) - 2)}


def add(docs: Iterable[Doc], conn=None) -> int:
    """Index these texts (call inside the caller's write transaction)."""
    conn = conn or _conn()
    p = _param(conn)
    sqlite = _is_sqlite(conn)
    count = 0
    for d in docs:
        text = d.text + PAD
        cur = conn.cursor()
        cur.execute(
            f"INSERT INTO search_doc (kind, ref_id, client_id, date, text) VALUES ({p}, {p}, {p}, {p}, {p})"
            + ("" if sqlite else " RETURNING id"),
            (d.kind, d.ref_id, d.client_id, d.date.isoformat() if d.date else None, text),
        )
        doc_id = cur.lastrowid if sqlite else cur.fetchone()[0]
        if sqlite:
            cur.execute("INSERT INTO search_fts (rowid, text) VALUES (?, ?)", (doc_id, text))
            cur.executemany("INSERT OR IGNORE INTO search_term (term) VALUES (?)", [(t,) for t in trigrams(text)])
        count += 1
    return count


def remove(kind: str, ref_ids: Sequence[int], conn=None) -> int:
    """Forget the texts of these records."""
    conn = conn or _conn()
    p = _param(conn)
    ids = [int(i) for i in ref_ids]
    if not ids:
        return 0
    cur = conn.cursor()
    cur.execute(
        f"SELECT id, text FROM search_doc WHERE kind = {p} AND ref_id IN ({','.join(str(i) for i in ids)})", (kind,)
    )
    rows = cur.fetchall()
    if _is_sqlite(conn):
        cur.executemany("INSERT INTO search_fts (search_fts, rowid, text) VALUES ('delete', ?, ?)", rows)
    cur.execute(f"DELETE FROM search_doc WHERE kind = {p} AND ref_id IN ({','.join(str(i) for i in ids)})", (kind,))
    return len(rows)


def replace(docs: Sequence[Doc], conn=None) -> None:
    conn = conn or _conn()
    by_kind: dict[str, list[int]] = {}
    for d in docs:
        by_kind.setdefault(d.kind, []).append(d.ref_id)
    for kind, ids in by_kind.items():
        remove(kind, ids, conn)
    add(docs, conn)


def rebuild(conn=None) -> int:
    """Index every note, lesson and contact again from the tables (after a bulk load or a restore)."""
    conn = conn or _conn()
    sqlite = _is_sqlite(conn)
    cur = conn.cursor()
    cur.execute("DELETE FROM search_doc")
    pad = "'  '"
    first_client = "(SELECT MIN(nc.client_id) FROM note_client AS nc WHERE nc.note_id = note.id)"
    # in date order, so that "newest first" (the FTS rowid) means the most recent, whatever the kind
    cur.execute(
        "INSERT INTO search_doc (kind, ref_id, client_id, date, text) SELECT kind, ref_id, client_id, date, body FROM ("
        f"SELECT kind, id AS ref_id, {first_client} AS client_id, date, {_NOTE_TEXT} || {pad} AS body FROM note "
        f"UNION ALL SELECT 'contact', id, client_id, date, outcome || {pad} FROM contact WHERE outcome <> ''"
        ") AS docs ORDER BY date, kind, ref_id"
    )
    if sqlite:
        cur.execute("INSERT INTO search_fts (search_fts) VALUES ('rebuild')")
        cur.execute("DELETE FROM search_term")
        cur.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocab USING fts5vocab(main, search_fts, row)")
        cur.execute("INSERT OR IGNORE INTO search_term (term) SELECT term FROM temp.search_vocab")
        cur.execute("DROP TABLE temp.search_vocab")
    cur.execute("SELECT COUNT(*) FROM search_doc")
    return cur.fetchone()[0]


def _short_terms(word: str, conn) -> list[str]:
    """The trigrams a one- or two-character word begins (every text ends with PAD, so there is one for each
    place the word occurs)."""
    rows = conn.execute("SELECT term FROM search_term WHERE term >= ? AND term < ?", (word, word + "\U0010ffff"))
    return [r[0] for r in rows]


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def match_expressions(words: Sequence[str], conn) -> list[str]:
    """FTS5 queries that together find the texts holding every word: one, or several when a short word begins
    more than MAX_TERMS trigrams (its alternatives are then split between queries); [] when nothing can match."""
    fixed: list[str] = []
    widest: list[str] = []
    for word in words:
        w = word.lower()
        if len(w) >= 3:
            fixed.append(_quoted(w))
            continue
        terms = _short_terms(w, conn)
        if not terms:
            return []
        if len(terms) > len(widest):
            if widest:
                fixed.append("(" + " OR ".join(map(_quoted, widest)) + ")")
            widest = terms
        else:
            fixed.append("(" + " OR ".join(map(_quoted, terms)) + ")")
    if not widest:
        return [" AND ".join(fixed)]
    return [
        " AND ".join([*fixed, "(" + " OR ".join(map(_quoted, widest[i : i + MAX_TERMS])) + ")"])
        for i in range(0, len(widest), MAX_TERMS)
    ]


def search(words: Sequence[str], conn=None, limit: int = CANDIDATES) -> list[Found]:
    """The newest ``limit`` texts containing every word (as a substring, any case)."""
    conn = conn or _conn()
    if not words:
        return []
    columns = "d.id, d.kind, d.ref_id, d.client_id, d.date, d.text"
    if _is_sqlite(conn):
        ids: set[int] = set()
        for expr in match_expressions(words, conn):
            rows = conn.execute(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid DESC LIMIT ?", (expr, limit)
            )
            ids.update(r[0] for r in rows)
        newest = sorted(ids, reverse=True)[:limit]
        if not newest:
            return []
        rows = conn.execute(
            f"SELECT {columns} FROM search_doc AS d WHERE d.id IN ({','.join(map(str, newest))}) ORDER BY d.id DESC"
        ).fetchall()
    else:
        cond = " AND ".join("d.text ILIKE %s" for _ in words)
        cur = conn.cursor()
        like = ["%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for w in words]
        cur.execute(f"SELECT {columns} FROM search_doc AS d WHERE {cond} ORDER BY d.id DESC LIMIT %s", (*like, limit))
        rows = cur.fetchall()
    return [Found(r[0], r[1], r[2], r[3], _day(r[4]), r[5].removesuffix(PAD)) for r in rows]


def _day(value: object) -> str | None:
    return None if value is None else str(value)[:10]
