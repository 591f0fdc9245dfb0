"""Ordered, named migrations. Each runs in one transaction and bumps the schema version in the same one.

A new book is created from the current models and stamped with the latest version. A book from an older
Workbench runs every migration after its version, in order. Version 1 is the first release's schema
(tests/data/schema_v1.sql); a test builds it, fills it, migrates it and compares it with a new book.
"""

from __future__ import annotations

from collections.abc import Callable

import peewee
from playhouse.migrate import SchemaMigrator

from workbench.errors import StoreError
from workbench.store import lite, models

VERSION_KEY = "schema_version"


def _v2_holidays(db: peewee.Database, migrator: SchemaMigrator) -> None:
    """Local corrections to the official holiday calendar (wb holidays)."""

    class Holiday(peewee.Model):  # frozen as of version 2
        day = peewee.DateField(primary_key=True)
        off = peewee.BooleanField()
        note = peewee.CharField(default="")

        class Meta:
            database = db
            table_name = "holiday"

    db.create_tables([Holiday])


def _v3_planner(db: peewee.Database, migrator: SchemaMigrator) -> None:
    """The planner: snoozed and skipped contacts; indexes for each tier's most overdue and a day's contacts."""

    class PlanMark(peewee.Model):  # frozen as of version 3
        client = peewee.ForeignKeyField(models.Client, on_delete="CASCADE")
        day = peewee.DateField(index=True)
        action = peewee.CharField()
        until = peewee.DateField(index=True)
        reason = peewee.TextField(default="")
        created_at = peewee.DateTimeField(default=models.now)

        class Meta:
            database = db
            table_name = "plan_mark"

    db.create_tables([PlanMark])
    db.execute_sql('CREATE INDEX IF NOT EXISTS "contact_date" ON "contact" ("date")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "client_tier_rank_next_due" ON "client" ("tier_rank", "next_due")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "key_date_month_day" ON "key_date" ("month", "day")')
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "holding_maturity_date_status_amount_client_id" '
        'ON "holding" ("maturity_date", "status", "amount", "client_id")'
    )
    db.execute_sql('CREATE INDEX IF NOT EXISTS "follow_up_done_at_due" ON "follow_up" ("done_at", "due")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "complaint_resolved_at_opened" ON "complaint" ("resolved_at", "opened")')


def _v4_search(db: peewee.Database, migrator: SchemaMigrator) -> None:
    """Full-text search over notes, lessons and contacts (store.fulltext), filled from what the book holds."""
    from workbench.store import fulltext

    class SearchDoc(peewee.Model):  # frozen as of version 4
        kind = peewee.CharField()
        ref_id = peewee.IntegerField()
        client_id = peewee.IntegerField(null=True)
        date = peewee.DateField(null=True)
        text = peewee.TextField()

        class Meta:
            database = db
            table_name = "search_doc"
            indexes = ((("kind", "ref_id"), False),)

    db.create_tables([SearchDoc])
    if isinstance(db, peewee.SqliteDatabase):
        fulltext.create_sqlite(db.connection())
    fulltext.rebuild(db.connection())


def _v5_search_keys(db: peewee.Database, migrator: SchemaMigrator) -> None:
    """SQLite: search keys in one B-tree (WITHOUT ROWID) instead of a table and its key index; half the
    writes when a client's keys are stored, half the space."""
    if isinstance(db, peewee.SqliteDatabase):
        sqlite_search_keys(db)


def _v6_audit(db: peewee.Database, migrator: SchemaMigrator) -> None:
    """The audit of unmasked phone and ID numbers (wb audit)."""

    class Audit(peewee.Model):  # frozen as of version 6
        at = peewee.DateTimeField(default=models.now, index=True)
        who = peewee.CharField()
        action = peewee.CharField()
        detail = peewee.TextField(default="")
        client_id = peewee.IntegerField(null=True)

        class Meta:
            database = db
            table_name = "audit"

    db.create_tables([Audit])


def _v7_list_indexes(db: peewee.Database, migrator: SchemaMigrator) -> None:
    """Indexes for what a 100,000-client book did by scanning: the list's count of active clients and its
    first page (status, tier, AUM), and names looked up exactly (a note's @王芳, `wb client 王芳`)."""
    db.execute_sql('DROP INDEX IF EXISTS "client_tier_rank_aum"')
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "client_status_tier_rank_aum" ON "client" ("status", "tier_rank", "aum")'
    )
    db.execute_sql('CREATE INDEX IF NOT EXISTS "client_name" ON "client" ("name")')
    if isinstance(db, peewee.SqliteDatabase):
        # Without statistics SQLite takes status = 'active' for a selective condition and walks every
        # active client first (a planner query went from 0.3 to 5 s on 100,000 clients): measure the table.
        db.execute_sql('ANALYZE "client"')


def _v8_team(db: peewee.Database, migrator: SchemaMigrator) -> None:
    """Team books: a note's author, an audit line's database role, and the record of handovers."""
    from playhouse.migrate import migrate

    migrate(
        migrator.add_column("note", "owner", peewee.CharField(null=True)),
        migrator.add_column("audit", "role", peewee.CharField(null=True)),
    )

    class Handover(peewee.Model):  # frozen as of version 8
        at = peewee.DateTimeField(default=models.now)
        client_id = peewee.IntegerField(index=True)
        from_manager = peewee.CharField()
        to_manager = peewee.CharField()
        by_role = peewee.CharField(default="")
        note_id = peewee.IntegerField(null=True)

        class Meta:
            database = db
            table_name = "handover"

    db.create_tables([Handover])
    postgres_trigrams(db)
    postgres_notify(db)


def _v9_lifecycle(db: peewee.Database, migrator: SchemaMigrator) -> None:
    """The whole life of a client: a prospect's source, approach and next step, conversion, loss (with its
    reason), who referred whom, and events with their invitations."""
    from playhouse.migrate import migrate

    migrate(
        migrator.add_column("client", "source", peewee.CharField(null=True)),
        migrator.add_column("client", "approach", peewee.CharField(null=True)),
        migrator.add_column("client", "next_step", peewee.TextField(null=True)),
        migrator.add_column("client", "next_step_date", peewee.DateField(null=True)),
        migrator.add_column("client", "converted_at", peewee.DateField(null=True)),
        migrator.add_column("client", "lost_at", peewee.DateField(null=True)),
        migrator.add_column("client", "lost_reason", peewee.TextField(null=True)),
        migrator.add_column("client", "lost_normal", peewee.BooleanField(null=True)),
        migrator.add_column("client", "lost_tier", peewee.CharField(null=True)),
    )

    class Base(peewee.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Client(Base):  # only its key, for the references below
        class Meta:
            table_name = "client"

    class Contact(Base):
        class Meta:
            table_name = "contact"

    class Referral(Base):  # frozen as of version 9
        client = peewee.ForeignKeyField(Client, on_delete="CASCADE", unique=True)
        referrer = peewee.ForeignKeyField(Client, on_delete="CASCADE")
        date = peewee.DateField()
        note = peewee.TextField(default="")
        thanked_at = peewee.DateField(null=True)

        class Meta:
            table_name = "referral"

    class Event(Base):
        name = peewee.CharField()
        kind = peewee.CharField(default="appreciation")
        date = peewee.DateField(index=True)
        place = peewee.TextField(default="")
        notes = peewee.TextField(default="")
        owner = peewee.CharField(null=True)
        created_at = peewee.DateTimeField(default=models.now)

        class Meta:
            table_name = "event"

    class Invitation(Base):
        event = peewee.ForeignKeyField(Event, on_delete="CASCADE")
        client = peewee.ForeignKeyField(Client, on_delete="CASCADE")
        invited_on = peewee.DateField()
        status = peewee.CharField(default="invited")
        contact = peewee.ForeignKeyField(Contact, null=True, on_delete="SET NULL")

        class Meta:
            table_name = "invitation"
            indexes = ((("event", "client"), True),)

    db.create_tables([Referral, Event, Invitation])
    postgres_notify(db)


def postgres_trigrams(db: peewee.Database) -> None:
    """PostgreSQL: a trigram index (pg_trgm) for searching texts by any word of three characters or more,
    Chinese included (the database's character type must be a UTF-8 locale). Creating the extension needs
    the database's owner; anyone else leaves search working without the index."""
    if not isinstance(db, peewee.PostgresqlDatabase):
        return
    try:
        with db.atomic():
            db.execute_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except peewee.DatabaseError:
        return
    db.execute_sql('CREATE INDEX IF NOT EXISTS "search_doc_text_trgm" ON "search_doc" USING gin ("text" gin_trgm_ops)')


def postgres_notify(db: peewee.Database) -> None:
    """PostgreSQL: every data table notifies ``wb_changed`` at commit when a statement wrote to it, so an open
    TUI reloads what another connection wrote (store.pgwatch); SQLite has PRAGMA data_version instead."""
    if not isinstance(db, peewee.PostgresqlDatabase):
        return
    db.execute_sql(
        "CREATE OR REPLACE FUNCTION wb_notify_change() RETURNS trigger LANGUAGE plpgsql "
        "SET search_path = pg_catalog, public, pg_temp AS $$ "
        "BEGIN PERFORM pg_notify('wb_changed', ''); RETURN NULL; END $$"
    )
    for model in models.MODELS:
        table = model._meta.table_name
        db.execute_sql(f'DROP TRIGGER IF EXISTS wb_notify_change ON "{table}"')
        db.execute_sql(
            f'CREATE TRIGGER wb_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
            "FOR EACH STATEMENT EXECUTE FUNCTION wb_notify_change()"
        )


def sqlite_search_keys(db: peewee.Database) -> None:
    """Rebuild search_key as a WITHOUT ROWID table (peewee's DDL cannot say so for one backend only)."""
    table = models.SearchKey._meta.table_name
    sql = db.execute_sql(f"SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '{table}'").fetchone()[0]
    if "WITHOUT ROWID" in sql.upper():
        return
    db.execute_sql(
        f'CREATE TABLE "{table}_new" ("key" VARCHAR(255) NOT NULL, "client_id" INTEGER NOT NULL, '
        'PRIMARY KEY ("key", "client_id"), FOREIGN KEY ("client_id") REFERENCES "client" ("id") '
        "ON DELETE CASCADE) WITHOUT ROWID"
    )
    db.execute_sql(f'INSERT INTO "{table}_new" SELECT "key", "client_id" FROM "{table}" ORDER BY 1, 2')
    db.execute_sql(f'DROP TABLE "{table}"')
    db.execute_sql(f'ALTER TABLE "{table}_new" RENAME TO "{table}"')
    db.execute_sql(f'CREATE INDEX "{table}_client_id" ON "{table}" ("client_id")')


MIGRATIONS: list[tuple[int, str, Callable[[peewee.Database, SchemaMigrator], None]]] = [
    (2, "holidays", _v2_holidays),
    (3, "planner", _v3_planner),
    (4, "search", _v4_search),
    (5, "search keys without rowid", _v5_search_keys),
    (6, "audit", _v6_audit),
    (7, "list indexes", _v7_list_indexes),
    (8, "team", _v8_team),
    (9, "lifecycle", _v9_lifecycle),
]
LATEST = max([1, *(v for v, _, _ in MIGRATIONS)])
assert LATEST == lite.SCHEMA, "store.lite.SCHEMA must name the latest schema version"


def current_version(db: peewee.Database) -> int | None:
    """The book's schema version; None for an empty database."""
    tables = set(db.get_tables())
    if not tables:
        return None
    if "meta" not in tables:
        raise StoreError(f"{db.database}: a database, but not a Workbench book (no schema version); left untouched")
    row = db.execute_sql(f"SELECT value FROM meta WHERE key = {db.param}", (VERSION_KEY,)).fetchone()
    if row is None:
        raise StoreError(f"{db.database}: a Workbench book without a schema version; left untouched")
    return int(row[0])


def _set_version(version: int) -> None:
    models.Meta.insert(key=VERSION_KEY, value=str(version)).on_conflict(
        conflict_target=[models.Meta.key], update={models.Meta.value: str(version)}
    ).execute()


def migrate(db: peewee.Database) -> int:
    """Bring the book to the latest schema; return the version it had (0 for a new book)."""
    version = current_version(db)
    if version is None:
        with db.atomic():
            if current_version(db) is None:  # another process may have created it meanwhile
                db.create_tables(models.MODELS)
                if isinstance(db, peewee.SqliteDatabase):
                    from workbench.store import fulltext

                    fulltext.create_sqlite(db.connection())
                    sqlite_search_keys(db)
                postgres_trigrams(db)
                postgres_notify(db)
                _set_version(LATEST)
        return 0
    if version > LATEST:
        raise StoreError(
            f"{db.database}: this book was written by a newer Workbench (schema {version}, "
            f"this one knows {LATEST}); upgrade Workbench"
        )
    migrator = SchemaMigrator.from_database(db)
    for number, _name, step in MIGRATIONS:
        if number <= version:
            continue
        with db.atomic():
            if current_version(db) >= number:  # done by a concurrent process
                continue
            step(db, migrator)
            _set_version(number)
    return version
