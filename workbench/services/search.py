"""Search (`wb search`, `/` in the journal): notes, lessons, contacts' outcomes and clients, ranked, with the
matches marked in a snippet.

Texts come from store.fulltext: the newest matches first, a bounded number of them, so the cost does not grow
with the book; they are then ranked here (what kind of record, how often the words occur, how recent).
Clients are found by the keys stored for them (name, pinyin, initials, client number, phone tail).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbench import paths
from workbench.rules.identity import mask_in_text
from workbench.rules.text import safe
from workbench.store import fulltext, lite

MARK_OPEN, MARK_CLOSE = "【", "】"
KIND_WEIGHT = {"client": 4.0, "lesson": 3.0, "note": 2.0, "contact": 1.0}
SNIPPET_BEFORE, SNIPPET_AFTER = 16, 48
MAX_QUERY = 200


@dataclass(frozen=True)
class Hit:
    kind: str  # client | lesson | note | contact
    id: int
    date: str | None
    client: str | None
    text: str  # the whole text, made safe to show
    snippet: str  # a line around the first match, matches between 【 and 】
    score: float

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "id": self.id,
            "date": self.date,
            "client": self.client,
            "text": self.text,
            "snippet": self.snippet,
        }


def words_of(query: str) -> list[str]:
    return [w for w in re.split(r"\s+", query.strip()[:MAX_QUERY]) if w]


def search(query: str, limit: int = 50, target: str | None = None, conn=None, *, reveal: bool = False) -> list[Hit]:
    """The best ``limit`` matches of every word of ``query``, best first; phone and ID numbers in the texts
    masked unless ``reveal`` (the caller records that in the audit)."""
    words = words_of(query)
    if not words:
        return []
    opened = conn is None
    if conn is None:
        conn = _connection(target)
    try:
        found = fulltext.search(words, conn)
        clients = _clients(conn, words)
        names = _names(conn, {f.client_id for f in found if f.client_id} | {c[0] for c in clients})
    finally:
        if opened and _is_lite(conn):
            conn.close()
    hits = [_client_hit(cid, name, last, words, names) for cid, name, last in clients]
    total = len(found) or 1
    for n, f in enumerate(found):
        # the kind of record first (a lesson or note above a contact's outcome), then how often the words occur,
        # then how recent (below one point: it never lifts a record above a better kind)
        count = sum(f.text.lower().count(w.lower()) for w in words)
        score = 10 * KIND_WEIGHT.get(f.kind, 1.0) + min(count, 5) + 0.9 * (1 - n / total)
        client = names.get(f.client_id or 0)
        shown = safe(client, single_line=True) if client else None
        text = f.text if reveal else mask_in_text(f.text)
        hits.append(Hit(f.kind, f.ref_id, f.date, shown, safe(text), snippet(text, words), score))
    hits.sort(key=lambda h: (-h.score, -KIND_WEIGHT.get(h.kind, 0), -h.id))
    return hits[:limit]


def search_open_book(query: str, limit: int = 50) -> list[Hit]:
    """Search the book the store has open (the TUI), on this thread's connection."""
    from workbench.store.models import database

    return search(query, limit, conn=database.connection())


def _is_lite(conn) -> bool:
    """Whether ``conn`` is one this module opened itself, not the store's (which stays open)."""
    return not lite.store_is_open() or conn is not _peewee_connection()


def _connection(target: str | None):
    conn = lite.open_lite(target)
    if conn is not None:
        return conn
    url = paths.database_target(target)
    if paths.is_postgres_url(url) and not lite.store_is_open():
        conn = lite.open_server(url)  # (psycopg alone, as for SQLite: no peewee, no models)
        if conn is not None:
            return conn
    from workbench.store.db import open_database

    open_database(target)
    return _peewee_connection()


def _peewee_connection():
    from workbench.store.models import database

    return database.connection() if database.obj is not None and not database.is_closed() else None


def _param(conn) -> str:
    import sqlite3

    return "?" if isinstance(conn, sqlite3.Connection) else "%s"


def _clients(conn, words: list[str]) -> list[tuple[int, str, object]]:
    """Clients whose stored keys start with the query (one word: a name, pinyin, a number or a phone tail)."""
    if len(words) != 1:
        return []
    key = re.sub(r"[\s'’]", "", words[0]).lower()
    p = _param(conn)
    prefixes = [key] + (["~" + key[::-1]] if key.isdigit() and len(key) >= 3 else [])
    ids: list[int] = []
    cur = conn.cursor()
    for prefix in prefixes:
        cur.execute(
            f"SELECT DISTINCT client_id FROM search_key WHERE key >= {p} AND key < {p} LIMIT 20",
            (prefix, prefix + "\U0010ffff"),
        )
        ids += [r[0] for r in cur.fetchall() if r[0] not in ids]
    if not ids:
        return []
    cur.execute(f"SELECT id, name, last_contact FROM client WHERE id IN ({','.join(str(int(i)) for i in ids)})")
    return sorted(cur.fetchall(), key=lambda r: (r[1] != words[0], len(r[1]), r[0]))


def _names(conn, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    cur = conn.cursor()
    cur.execute(f"SELECT id, name FROM client WHERE id IN ({','.join(str(int(i)) for i in ids)})")
    return dict(cur.fetchall())


def _client_hit(cid: int, name: str, last: object, words: list[str], names: dict[int, str]) -> Hit:
    exact = name == words[0]
    day = str(last)[:10] if last else None
    shown = safe(name, single_line=True)
    return Hit("client", cid, day, shown, shown, snippet(name, words), 10 * KIND_WEIGHT["client"] + (6 if exact else 2))


def snippet(text: str, words: list[str]) -> str:
    """One line of ``text`` around its first match, each match between 【 and 】 (made safe to show)."""
    flat = safe(text, single_line=True)
    low = flat.lower()
    spans = []
    for w in words:
        for m in re.finditer(re.escape(w.lower()), low):
            spans.append((m.start(), m.end()))
    if not spans:
        return flat[: SNIPPET_BEFORE + SNIPPET_AFTER]
    spans.sort()
    first = spans[0][0]
    start = max(0, first - SNIPPET_BEFORE)
    end = min(len(flat), first + SNIPPET_AFTER)
    out, at = [], start
    for s, e in spans:
        if s < at or e > end:
            continue
        out += [flat[at:s], MARK_OPEN, flat[s:e], MARK_CLOSE]
        at = e
    out.append(flat[at:end])
    return ("…" if start > 0 else "") + "".join(out) + ("…" if end < len(flat) else "")
