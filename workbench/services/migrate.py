"""`wb migrate-to URL`: a personal SQLite book copied into a PostgreSQL (team) database, for the manager who
connects, losing nothing.

The team database already holds other managers' rows, so every copied row gets a new id drawn from the
target's sequences and every reference to it (foreign keys, and the plain ids search documents, audit lines and
handovers keep) is rewritten. The copy is one transaction: all of it, or nothing. In a team book the server
stamps the copy as the connecting manager's (clients, notes, audit lines); the branch's holiday corrections
are the lead's, so a manager's own are reported, not copied.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field

import peewee

from workbench import paths
from workbench.errors import BadInput, Conflict
from workbench.store import bulk
from workbench.store import team as store_team
from workbench.store.db import Book, open_database, transaction
from workbench.store.models import MODELS, Audit, Client, Event, Handover, Holiday, Meta, Note, SearchDoc, database

BATCH = 10_000
# Plain integer columns that name a row of another table (not foreign keys: they outlive it).
SOFT = {
    (Audit, "client_id"): Client,
    (Handover, "client_id"): Client,
    (Handover, "note_id"): Note,
    (SearchDoc, "client_id"): Client,
}
OWNED = {
    (Client, "manager"),
    (Note, "owner"),
    (Audit, "role"),
    (Event, "owner"),
}  # stamped by the server in a team book


@dataclass
class Migrated:
    target: str
    counts: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)  # rows the role may not write there (holidays)
    ids: dict[str, dict[int, int]] = field(default_factory=dict)  # per table: old id → new id

    def as_json(self) -> dict[str, object]:
        return {"target": self.target, "copied": self.counts, "skipped": self.skipped}


def migrate_to(source: Book, url: str) -> Migrated:
    """Copy the open SQLite book ``source`` into the database at ``url`` (which must hold none of this
    role's clients yet). The source is left as it was, and open again afterwards."""
    if source.backend != "sqlite" or source.path is None:
        raise BadInput("wb migrate-to copies a personal SQLite book: open one with --db PATH")
    if not paths.is_postgres_url(url):
        raise BadInput("wb migrate-to needs the team database's postgresql:// URL", column="URL")
    path = source.path
    source.close()
    reader = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        target = open_database(url)
        try:
            return _copy(reader, target)
        finally:
            target.close()
    finally:
        reader.close()
        open_database(str(path))


def _copy(reader: sqlite3.Connection, target: Book) -> Migrated:
    team = store_team.is_team(database.obj)
    lead = team and store_team.is_lead(database.obj)
    done = Migrated(target.target)
    with transaction():
        mine = Client.select().count()
        if mine:
            raise Conflict(
                f"{target.target} already holds {mine} clients of yours; wb migrate-to copies a book into an "
                "empty one only, so nothing is doubled"
            )
        for model in MODELS:
            if model in (Meta,):
                continue
            table = model._meta.table_name
            total = _count(reader, table)
            if team and not lead and model in (Holiday, Handover):
                if total:
                    done.skipped[table] = total
                continue
            done.counts[table] = _copy_table(reader, model, done.ids, team)
    return done


def _count(reader: sqlite3.Connection, table: str) -> int:
    return reader.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]


def _copy_table(
    reader: sqlite3.Connection, model: type[peewee.Model], ids: dict[str, dict[int, int]], team: bool
) -> int:
    fields = model._meta.sorted_fields
    names = [f.name for f in fields]
    columns = [f.column_name for f in fields]
    auto = isinstance(model._meta.primary_key, peewee.AutoField)
    own_ids: dict[int, int] = {}
    if auto:
        ids[model._meta.table_name] = own_ids
    fresh = iter(bulk.reserve_ids(model, _count(reader, model._meta.table_name)) if auto else ())
    fixes = []  # (position, how to turn the stored value into the target's)
    for i, f in enumerate(fields):
        if f.primary_key and auto:
            continue
        if isinstance(f, peewee.ForeignKeyField):
            fixes.append((i, f.rel_model._meta.table_name, True))
        elif (model, f.column_name) in SOFT:
            fixes.append((i, SOFT[(model, f.column_name)]._meta.table_name, False))
    booleans = [i for i, f in enumerate(fields) if isinstance(f, peewee.BooleanField)]
    owned = [i for i, f in enumerate(fields) if (model, f.name) in OWNED] if team else []
    doc_ref = names.index("ref_id") if model is SearchDoc else None
    kind_at = names.index("kind") if model is SearchDoc else None

    def rows() -> Iterator[list[object]]:
        listed = ", ".join(f'"{c}"' for c in columns)
        order = f' ORDER BY "{columns[0]}"' if auto else ""  # new ids keep the old ones' order
        cursor = reader.execute(f'SELECT {listed} FROM "{model._meta.table_name}"{order}')
        while batch := cursor.fetchmany(BATCH):
            for raw in batch:
                row = list(raw)
                if auto:
                    new_id = next(fresh)
                    own_ids[row[0]] = new_id
                    row[0] = new_id
                for i, table, strict in fixes:
                    if row[i] is not None:
                        new = ids[table].get(row[i])
                        if new is None and strict:
                            raise Conflict(f"{model._meta.table_name}: a row points at a missing {table} #{row[i]}")
                        row[i] = new
                for i in booleans:
                    row[i] = None if row[i] is None else bool(row[i])
                for i in owned:
                    row[i] = ""  # the server writes the connecting role
                if team and model is Audit:  # the server stamps who and when: the personal book's say so in it
                    at, who, detail = (names.index(n) for n in ("at", "who", "detail"))
                    row[detail] = f"{str(row[at])[:19]} {row[who]}: {row[detail]}"
                if doc_ref is not None:  # a search document of a note or contact that is gone: rebuilt later
                    row[doc_ref] = ids["contact" if row[kind_at] == "contact" else "note"].get(row[doc_ref])
                    if row[doc_ref] is None:
                        continue
                yield row

    return bulk.insert_rows(model, names, rows())
