"""Bulk writes through the driver's executemany: about 20x faster than peewee building a statement per row,
and the same parameterised SQL on SQLite and PostgreSQL. Call inside a transaction.

Values go through each field's ``db_value`` (money to cents…); dates are sent as ISO text to SQLite (which
stores them so) and as dates to PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from itertools import islice

from peewee import SQL, Model, PostgresqlDatabase

from workbench.rules.dates import as_date  # noqa: F401  (the services read raw dates through bulk)
from workbench.rules.money import to_cents
from workbench.store.models import database

BATCH = 20_000


def _converters(model: type[Model], columns: Sequence[str]):
    fields = [model._meta.fields[c] for c in columns]
    iso = not isinstance(database.obj, PostgresqlDatabase)

    def convert(row: Sequence[object]) -> list[object]:
        out = []
        for field, value in zip(fields, row, strict=True):
            if value is not None:
                value = field.db_value(value)
                if iso and isinstance(value, dt.date):
                    value = value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
            out.append(value)
        return out

    return fields, convert


def insert_rows(
    model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[object]], *, convert: bool = False
) -> int:
    """Insert rows. With ``convert=False`` (the fast path) values must already be in database form: cents
    for money, ISO text or dates for dates; with ``convert=True`` Python values are converted per field."""
    fields, conv = _converters(model, columns)
    cols = ", ".join(f'"{f.column_name}"' for f in fields)
    sql = f'INSERT INTO "{model._meta.table_name}" ({cols}) VALUES ({", ".join([database.param] * len(fields))})'
    return _execute(sql, (conv(r) for r in rows) if convert else rows)


def update_rows(
    model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[object]], *, convert: bool = True
) -> int:
    """UPDATE by primary key: each row is the new values of ``columns`` then the key. With ``convert`` the
    values are Python values converted per field; without, already in database form."""
    fields, conv = _converters(model, columns)
    pk = model._meta.primary_key.column_name
    sets = ", ".join(f'"{f.column_name}" = {database.param}' for f in fields)
    sql = f'UPDATE "{model._meta.table_name}" SET {sets} WHERE "{pk}" = {database.param}'
    return _execute(sql, ([*conv(r[:-1]), r[-1]] for r in rows) if convert else rows)


def _execute(sql: str, rows: Iterable[Sequence[object]]) -> int:
    total = 0
    it = iter(rows)
    cursor = database.cursor()
    while batch := list(islice(it, BATCH)):
        cursor.executemany(sql, batch)
        total += len(batch)
    return total


def next_id(model: type[Model], count: int = 1) -> int:
    """The first of ``count`` consecutive free primary keys, for inserting related rows in bulk without a round
    trip per row.

    On PostgreSQL MAX(id) is no answer (in a team book row-level security hides other managers' rows), and a
    manager may not insert ids the sequence has not given out (store.team): the ids are drawn from the
    sequence, with the table locked against other writers so that they come in one run."""
    table, pk = model._meta.table_name, model._meta.primary_key.column_name
    if is_postgres():
        if count <= 0:
            return 0
        database.execute_sql(f'LOCK TABLE "{table}" IN SHARE ROW EXCLUSIVE MODE')
        ids = reserve_ids(model, count)
        if ids[-1] - ids[0] != count - 1:
            from workbench.errors import Conflict

            raise Conflict(f"{table}: another connection drew ids at the same moment; nothing was written, try again")
        return ids[0]
    row = database.execute_sql(f'SELECT MAX({pk}) FROM "{table}"').fetchone()
    return int(row[0] or 0) + 1


def reserve_ids(model: type[Model], count: int) -> list[int]:
    """PostgreSQL: ``count`` fresh ids from the table's sequence, ascending; nobody else will get them (no
    lock, no privilege beyond using the sequence)."""
    table, pk = model._meta.table_name, model._meta.primary_key.column_name
    seq = _sequence(table, pk)
    return [r[0] for r in database.execute_sql(f"SELECT nextval('{seq}') FROM generate_series(1, {int(count)})")]


def sync_sequence(model: type[Model]) -> None:
    """After inserting explicit ids (a whole book read back by its owner): move PostgreSQL's id sequence past
    them, never back (SQLite needs nothing). Ids from next_id or reserve_ids came from the sequence: nothing
    to do, and in a team book a manager could not."""
    if not is_postgres():
        return
    table, pk = model._meta.table_name, model._meta.primary_key.column_name
    team = "SELECT to_regprocedure('wb_sync_sequence(text)') IS NOT NULL"
    if database.execute_sql(team).fetchone()[0]:  # a team book: managers only ever draw ids (store.team)
        if database.execute_sql("SELECT has_function_privilege('wb_sync_sequence(text)', 'EXECUTE')").fetchone()[0]:
            database.execute_sql(f"SELECT wb_sync_sequence('{table}')")  # its owner, reading a whole book
        return
    seq = _sequence(table, pk)
    database.execute_sql(
        f'SELECT setval(\'{seq}\', GREATEST((SELECT MAX("{pk}") FROM "{table}"), (SELECT last_value FROM {seq})))'
    )


def _sequence(table: str, pk: str) -> str:
    return database.execute_sql(f"SELECT pg_get_serial_sequence('\"{table}\"', '{pk}')").fetchone()[0]


def optimize() -> None:
    """Refresh the planner's statistics after a large write (an import, a demo book).

    SQLite: the client table is always measured (80 ms on 100,000 clients). Without its statistics SQLite takes
    ``status = 'active'`` for a selective condition and walks every active client first: `wb today` on a
    100,000-client demo book took 3.5 s instead of 0.3 (its maturities, joined to the clients). PRAGMA optimize
    (SQLite 3.40) measures only tables the connection's own queries would have used, which a load's are not."""
    if isinstance(database.obj, PostgresqlDatabase):
        database.execute_sql("ANALYZE")
    else:
        database.execute_sql('ANALYZE "client"')
        database.execute_sql("PRAGMA optimize=0x10002")


def id_list(ids: Iterable[int]) -> SQL:
    """A literal list of integer ids for IN: peewee builds a node per parameter, which costs more than the
    query for thousands of ids. Only integers are ever written into it."""
    return SQL("(" + ",".join(str(int(i)) for i in ids) + ")")


def raw(query) -> list[tuple]:
    """Rows of a peewee query as the driver returns them, without peewee's per-value conversion."""
    return database.execute(query).fetchall()


def is_postgres() -> bool:
    return isinstance(database.obj, PostgresqlDatabase)


def db_form(value: object, *, postgres: bool = False) -> object:
    """A Python value as a bulk write sends it: cents for money; dates and times as ISO text for SQLite
    (which stores them so), as themselves for PostgreSQL. Anything else goes as it is."""
    if value is None or type(value) is str or type(value) is int:
        return value
    if isinstance(value, Decimal):
        return to_cents(value)
    if isinstance(value, dt.datetime):
        return value if postgres else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value if postgres else value.isoformat()
    return value
