"""Team books on PostgreSQL: roles, grants and row-level security, all in the server.

A manager is a login role in the group ``wb_manager``; a lead is also in ``wb_lead``. Who may read or change a
row is decided by policies on the tables themselves, so it holds for ``psql`` and hand-written SQL exactly as
for ``wb``:

- a client belongs to the role named in ``client.manager`` (set by the server on insert);
- a client's balances, holdings, key dates, contacts, visits, follow-ups, complaints, plan marks, search keys,
  decision makers and affiliates are visible when the client is;
- a note (a lesson too) is its author's (``note.owner``, set by the server); it is also readable by whoever
  can see a client it is linked to, so a handed-over client's notes go with it; only its author changes it;
- a lead reads and changes every row of the team (the team is this database's managers); only a lead can
  give a client to another manager (the WITH CHECK of the client policy) or record a handover;
- the audit is append-only: a manager reads their own lines; holidays are read by all, changed by leads.

The database's owner (who runs ``wb team init``) owns the tables and is not subject to the policies: the
server's administrator. Every statement here is idempotent, so ``wb team init`` also upgrades.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

import peewee

from workbench.errors import BadInput, Refused, StoreError
from workbench.store.models import (
    MODELS,
    Audit,
    Client,
    Event,
    Handover,
    Holiday,
    Invitation,
    Meta,
    Note,
    NoteClient,
    NoteTag,
    SearchDoc,
)

MANAGERS, LEADS = "wb_manager", "wb_lead"
ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
LEAD = f"(SELECT pg_has_role(current_user, '{LEADS}', 'MEMBER'))"  # evaluated once per statement
SEES_CLIENT = 'EXISTS (SELECT 1 FROM "client" AS c WHERE c.id = {col})'  # the client's own policy applies
MIRRORED = f"(wb_manager = current_user OR {LEAD})"
# Tables whose rows are visible exactly when their client is, and the column naming the client. Each carries a
# copy of its client's manager in ``wb_manager`` (a column only team books have, kept by the server's triggers):
# checking a row against it costs nothing, where looking the client up cost 30 µs a row (a day's contacts in a
# 100,000-client book: 75 ms instead of 5).
BY_CLIENT = {
    m._meta.table_name: "client_id"
    for m in MODELS
    if "client" in m._meta.fields and m not in (Client, NoteClient) and isinstance(m.client, peewee.ForeignKeyField)
}


def _t(model: type[peewee.Model]) -> str:
    return f'"{model._meta.table_name}"'


def _policies() -> dict[str, list[str]]:
    """Each table's policies, as CREATE POLICY bodies after ``ON table``."""
    own_note = f"(owner = current_user OR {LEAD})"
    note_author = f"(wb_note_owner(note_id) = current_user OR {LEAD})"
    out: dict[str, list[str]] = {
        _t(Client): [f"FOR ALL USING (manager = current_user OR {LEAD}) WITH CHECK (manager = current_user OR {LEAD})"],
        _t(Note): [
            f"FOR SELECT USING ({own_note} OR EXISTS (SELECT 1 FROM {_t(NoteClient)} AS nc JOIN {_t(Client)} AS c "
            f"ON c.id = nc.client_id WHERE nc.note_id = {_t(Note)}.id))",
            f"FOR INSERT WITH CHECK {own_note}",
            f"FOR UPDATE USING {own_note} WITH CHECK {own_note}",
            f"FOR DELETE USING {own_note}",
        ],
        _t(NoteClient): [
            f"FOR SELECT USING ({note_author} OR {SEES_CLIENT.format(col='client_id')})",
            f"FOR INSERT WITH CHECK ({note_author} AND (client_id IS NULL OR {SEES_CLIENT.format(col='client_id')}))",
            f"FOR UPDATE USING {note_author} WITH CHECK ({note_author} AND (client_id IS NULL OR "
            f"{SEES_CLIENT.format(col='client_id')}))",
            f"FOR DELETE USING {note_author}",
        ],
        _t(NoteTag): [
            f"FOR SELECT USING (EXISTS (SELECT 1 FROM {_t(Note)} AS n WHERE n.id = note_id))",
            f"FOR INSERT WITH CHECK {note_author}",
            f"FOR UPDATE USING {note_author} WITH CHECK {note_author}",
            f"FOR DELETE USING {note_author}",
        ],
        _t(SearchDoc): [
            f"FOR SELECT USING ({MIRRORED} OR (kind <> 'contact' AND EXISTS (SELECT 1 FROM {_t(Note)} AS n "
            f"WHERE n.id = ref_id)))",
            f"FOR INSERT WITH CHECK {MIRRORED}",
            f"FOR UPDATE USING {MIRRORED} WITH CHECK {MIRRORED}",
            f"FOR DELETE USING {MIRRORED}",
        ],
        _t(Event): [f"FOR ALL USING {own_note} WITH CHECK {own_note}"],  # an event is its organiser's
        _t(Holiday): ["FOR SELECT USING (true)", f"FOR ALL USING ({LEAD}) WITH CHECK ({LEAD})"],
        _t(Audit): [f"FOR SELECT USING (role = current_user OR {LEAD})", "FOR INSERT WITH CHECK (role = current_user)"],
        _t(Handover): [
            f"FOR SELECT USING (from_manager = current_user OR to_manager = current_user OR {LEAD})",
            f"FOR INSERT WITH CHECK ({LEAD})",
        ],
    }
    for table in BY_CLIENT:
        out[f'"{table}"'] = [f"FOR ALL USING {MIRRORED}"]
    # an invitation is to an event the writer may see (its own, or any for a lead), as well as for its client
    sees_event = f"EXISTS (SELECT 1 FROM {_t(Event)} AS e WHERE e.id = event_id)"
    out[_t(Invitation)] = [f"FOR ALL USING {MIRRORED} WITH CHECK ({MIRRORED} AND {sees_event})"]
    return out


# What the group may do to each table (meta is read only; the audit and handovers are append-only).
def _grants() -> dict[str, str]:
    out = {_t(m): "SELECT, INSERT, UPDATE, DELETE" for m in MODELS}
    out[_t(Meta)] = "SELECT"
    out[_t(Audit)] = out[_t(Handover)] = "SELECT, INSERT"
    return out


_FOLLOW = "\n".join(
    f"    UPDATE public.{t} SET wb_manager = NEW.manager WHERE client_id = NEW.id;" for t in sorted(BY_CLIENT)
)
_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION wb_note_owner(bigint) RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$ SELECT owner FROM public.note WHERE id = $1 $$;
CREATE OR REPLACE FUNCTION wb_sync_sequence(tbl text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    seq text := pg_get_serial_sequence(quote_ident(tbl), 'id');
    top bigint;
    last bigint;
BEGIN
    IF seq IS NULL OR tbl NOT IN ({", ".join(f"'{m._meta.table_name}'" for m in MODELS)}) THEN
        RAISE EXCEPTION 'not a table of the book: %%', tbl;
    END IF;
    EXECUTE format('SELECT max(id) FROM public.%%I', tbl) INTO top;
    EXECUTE format('SELECT last_value FROM %%s', seq) INTO last;
    RETURN setval(seq, GREATEST(top, last));
END $$;
CREATE OR REPLACE FUNCTION wb_mirror_manager() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    -- as the writing role: a client it may not see gives NULL, which the policy then refuses
    SELECT manager INTO NEW.wb_manager FROM public.client WHERE id = NEW.client_id;
    RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION wb_mirror_doc() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF NEW.kind = 'contact' THEN
        SELECT manager INTO NEW.wb_manager FROM public.client WHERE id = NEW.client_id;
    ELSE
        NEW.wb_manager := public.wb_note_owner(NEW.ref_id::bigint);
    END IF;
    RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION wb_fresh_id() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    last bigint;
BEGIN
    -- a manager's rows take ids the sequence gave out: an id planted ahead of it would stop everyone's inserts
    IF pg_catalog.pg_has_role(current_user, (SELECT relowner FROM pg_catalog.pg_class WHERE oid = TG_RELID),
                              'MEMBER') THEN
        RETURN NEW;
    END IF;
    EXECUTE format('SELECT last_value FROM %%s',
                   pg_catalog.pg_get_serial_sequence(quote_ident(TG_TABLE_SCHEMA) || '.' || quote_ident(TG_TABLE_NAME),
                                                     'id')) INTO last;
    IF NEW.id > last THEN
        RAISE EXCEPTION 'permission denied: id %% was not drawn from the sequence', NEW.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION wb_follow_manager() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    -- a client given to another manager (a lead's handover): everything that hangs on it follows
{_FOLLOW}
    UPDATE public.search_doc SET wb_manager = NEW.manager WHERE kind = 'contact' AND client_id = NEW.id;
    RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION wb_stamp_owner() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF TG_TABLE_NAME = 'client' THEN
        IF NEW.manager IS NULL OR NEW.manager = '' THEN NEW.manager := current_user; END IF;
    ELSIF TG_TABLE_NAME IN ('note', 'event') THEN
        IF NEW.owner IS NULL OR NEW.owner = '' OR NOT pg_catalog.pg_has_role(current_user, '{LEADS}', 'MEMBER') THEN
            NEW.owner := current_user;
        END IF;
    ELSIF TG_TABLE_NAME = 'audit' THEN  -- who and when are the server's word, not the writer's
        NEW.role := current_user;
        NEW.who := current_user;
        NEW.at := localtimestamp;
    ELSIF TG_TABLE_NAME = 'handover' THEN
        NEW.by_role := current_user;
        NEW.at := localtimestamp;
    END IF;
    RETURN NEW;
END $$;
"""
STAMPED = ("client", "note", "event", "audit", "handover")


def _group(name: str) -> str:
    return (
        f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{name}') THEN "
        f"CREATE ROLE {name} NOLOGIN; END IF; END $$"
    )


def init(db: peewee.PostgresqlDatabase) -> list[str]:
    """Create (or bring up to date) the groups, grants, functions, triggers and policies; the tables exist
    (the caller has migrated). Run by the database's owner; returns the tables secured."""
    owner = db.execute_sql(
        "SELECT pg_get_userbyid(d.datdba) = current_user OR r.rolsuper FROM pg_database d, pg_roles r "
        "WHERE d.datname = current_database() AND r.rolname = current_user"
    ).fetchone()
    if not owner or not owner[0]:
        raise Refused("`wb team init` is run by the database's owner (or a superuser)")
    database_name = db.execute_sql("SELECT current_database()").fetchone()[0]
    statements = [_group(MANAGERS), _group(LEADS), f"GRANT {MANAGERS} TO {LEADS}"]
    statements += [
        f'REVOKE ALL ON DATABASE "{database_name}" FROM PUBLIC',
        f'GRANT CONNECT, TEMPORARY ON DATABASE "{database_name}" TO {MANAGERS}',
        "REVOKE ALL ON SCHEMA public FROM PUBLIC",  # nobody plants a function or table where ours resolve
        f"GRANT USAGE ON SCHEMA public TO {MANAGERS}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {MANAGERS}",
        _FUNCTIONS,
        "REVOKE ALL ON FUNCTION wb_note_owner(bigint), wb_sync_sequence(text), wb_follow_manager() FROM PUBLIC",
        f"REVOKE ALL ON FUNCTION wb_sync_sequence(text) FROM {MANAGERS}",  # (managers only draw ids)
        f"GRANT EXECUTE ON FUNCTION wb_note_owner(bigint) TO {MANAGERS}",
    ]
    for table, privileges in _grants().items():
        statements += [f"REVOKE ALL ON {table} FROM PUBLIC", f"GRANT {privileges} ON {table} TO {MANAGERS}"]
    for table in [*BY_CLIENT, "search_doc"]:
        statements += [
            f'ALTER TABLE "{table}" ADD COLUMN IF NOT EXISTS wb_manager text',
            f'DROP TRIGGER IF EXISTS wb_mirror_manager ON "{table}"',
            f'CREATE TRIGGER wb_mirror_manager BEFORE INSERT OR UPDATE ON "{table}" FOR EACH ROW '
            f"EXECUTE FUNCTION {'wb_mirror_doc' if table == 'search_doc' else 'wb_mirror_manager'}()",
        ]
        backfill = "x.kind = 'contact' AND " if table == "search_doc" else ""
        statements.append(
            f'UPDATE "{table}" AS x SET wb_manager = c.manager FROM client AS c WHERE {backfill}c.id = x.client_id '
            "AND x.wb_manager IS DISTINCT FROM c.manager"
        )
    statements += [
        "UPDATE search_doc AS x SET wb_manager = n.owner FROM note AS n WHERE x.kind <> 'contact' "
        "AND n.id = x.ref_id AND x.wb_manager IS DISTINCT FROM n.owner",
        "DROP TRIGGER IF EXISTS wb_follow_manager ON client",
        "CREATE TRIGGER wb_follow_manager AFTER UPDATE OF manager ON client FOR EACH ROW "
        "WHEN (OLD.manager IS DISTINCT FROM NEW.manager) EXECUTE FUNCTION wb_follow_manager()",
    ]
    for model in MODELS:
        if isinstance(model._meta.primary_key, peewee.AutoField):
            statements += [
                f"DROP TRIGGER IF EXISTS wb_fresh_id ON {_t(model)}",
                f"CREATE TRIGGER wb_fresh_id BEFORE INSERT ON {_t(model)} FOR EACH ROW EXECUTE FUNCTION wb_fresh_id()",
            ]
    for table in STAMPED:
        statements += [
            f'DROP TRIGGER IF EXISTS wb_stamp_owner ON "{table}"',
            f'CREATE TRIGGER wb_stamp_owner BEFORE INSERT ON "{table}" FOR EACH ROW EXECUTE FUNCTION wb_stamp_owner()',
        ]
    policies = _policies()
    existing = db.execute_sql(
        "SELECT tablename, policyname FROM pg_policies WHERE schemaname = 'public' AND left(policyname, 3) = 'wb_'"
    ).fetchall()
    statements += [f'DROP POLICY "{name}" ON "{table}"' for table, name in existing]
    for table, bodies in policies.items():
        statements.append(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        statements += [f'CREATE POLICY "wb_{n}" ON {table} {body}' for n, body in enumerate(bodies)]
    with db.atomic():
        for sql in statements:
            db.execute_sql(sql)
    return sorted(t.strip('"') for t in policies)


def add_member(db: peewee.PostgresqlDatabase, name: str, *, lead: bool = False, password: str | None = None) -> bool:
    """Create the login role ``name`` in the team (or change whether it leads); returns whether it was new.
    A password is sent as a SCRAM verifier, so the server's logs never hold it in clear."""
    if not ROLE_NAME.fullmatch(name):
        raise BadInput(f"{name!r}: a manager's name is a database role: lower-case letters, digits and _ (max 63)")
    if name in (MANAGERS, LEADS):
        raise BadInput(f"{name}: that name is Workbench's own group")
    exists = db.execute_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone() is not None
    with db.atomic():
        if not exists:
            db.execute_sql(f"CREATE ROLE {name} LOGIN")
        db.execute_sql(f"GRANT {MANAGERS} TO {name}")
        db.execute_sql(f"{'GRANT' if lead else 'REVOKE'} {LEADS} {'TO' if lead else 'FROM'} {name}")
        if password:
            verifier = scram_verifier(password)
            db.execute_sql(f"ALTER ROLE {name} PASSWORD '{verifier}'")  # base64 and '$:=' only: no quote
    return not exists


def members(db: peewee.PostgresqlDatabase) -> list[tuple[str, bool]]:
    """The team: (role, is lead), by name."""
    rows = db.execute_sql(
        "SELECT r.rolname, pg_has_role(r.oid, %s, 'MEMBER') FROM pg_roles r "
        "WHERE r.rolcanlogin AND NOT r.rolsuper AND pg_has_role(r.oid, %s, 'MEMBER') AND r.rolname NOT IN (%s, %s) "
        "ORDER BY 1",
        (LEADS, MANAGERS, MANAGERS, LEADS),
    ).fetchall()
    return [(name, bool(is_lead)) for name, is_lead in rows]


def is_member(db: peewee.PostgresqlDatabase, name: str) -> bool:
    return any(m == name for m, _ in members(db))


def current_role(db: peewee.Database) -> str:
    return db.execute_sql("SELECT current_user").fetchone()[0]


def is_lead(db: peewee.PostgresqlDatabase) -> bool:
    return bool(db.execute_sql(f"SELECT {LEAD}").fetchone()[0])


def is_team(db: peewee.Database) -> bool:
    """Whether this is a team book (``wb team init`` has run): the groups exist and the client table is secured."""
    if not isinstance(db, peewee.PostgresqlDatabase):
        return False
    row = db.execute_sql("SELECT relrowsecurity FROM pg_class WHERE oid = to_regclass('public.client')").fetchone()
    return bool(row and row[0])


def scram_verifier(password: str, iterations: int = 4096) -> str:
    """The SCRAM-SHA-256 verifier PostgreSQL stores for ``password`` (RFC 5802/7677), computed here."""
    if not password or "\x00" in password:
        raise BadInput("a password may not be empty or hold a NUL character")
    salt = secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
    b64 = lambda b: base64.b64encode(b).decode("ascii")  # noqa: E731
    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def require_team(db: peewee.Database) -> None:
    if not is_team(db):
        raise StoreError("this is not a team book: team commands need a PostgreSQL database set up with `wb team init`")
