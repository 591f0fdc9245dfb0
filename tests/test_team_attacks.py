"""A malicious manager (bob) with psql-level access attacks the team database: what the server refuses, and
the holes still open (xfail, strict: each turns into a failure once fixed). alice manages A001 张伟明 and
A002 欧阳娜娜 and wrote notes 1 (about 张伟明) and 2 (a lesson); bob manages B001 李静; carol leads."""

# ruff: noqa: F811  (the `team` fixture is imported, and pytest passes it by name)

from __future__ import annotations

import pytest

from tests.test_team import Team, as_role, team  # noqa: F401

psycopg = pytest.importorskip("psycopg")

pytestmark = pytest.mark.slow

ALICE_SECRETS = ("张伟明", "欧阳娜娜", "13800000001", "13800000002", "续存三年定期", "留学", "先问清楚决策人")
NEW_CLIENT = (
    "INSERT INTO client (client_no, name, phone, kind, status, sort_key, tier, tier_rank, aum, deposits, loans, "
    "churn, completeness, missing, created_at, updated_at, tier_pending_months) VALUES (%s, %s, %s, 'individual', "
    "'active', '', 'standard', 0, 0, 0, 0, false, 0, '', now(), now(), 0)"
)


def attempt(tm: Team, role: str, query: str, *params: object) -> list[tuple] | Exception:
    """The rows (or row count) of ``query`` as ``role``, or the database's refusal."""
    try:
        return tm.sql(role, query, *params)
    except psycopg.Error as exc:
        return exc


def refused(result: object) -> bool:
    return isinstance(result, psycopg.Error)


def owner_sql(tm: Team, query: str) -> list[tuple]:
    with psycopg.connect(tm.url, autocommit=True) as conn:
        cur = conn.execute(query)
        return cur.fetchall() if cur.description else []


def ids(tm: Team) -> dict[str, int]:
    rows = tm.sql("carol", "SELECT client_no, id FROM client")
    return dict(rows)


def leaks(text: str) -> list[str]:
    return [s for s in ALICE_SECRETS if s in text]


# --- reading: refused ---------------------------------------------------------------------------------------------


def test_direct_selects_joins_and_subqueries_show_bob_nothing_of_alices(team: Team) -> None:
    """SELECT every table, and join/subquery across them, as bob: no row of alice's comes back."""
    dump = []
    for table in ("client", "contact", "note", "note_client", "note_tag", "search_doc", "search_key", "audit",
                  "handover", "balance", "visit", "follow_up", "complaint", "plan_mark", "key_date"):  # fmt: skip
        dump += team.sql("bob", f'SELECT * FROM "{table}"')
    dump += team.sql("bob", "SELECT n.text, c.name FROM note n LEFT JOIN note_client nc ON nc.note_id = n.id "
                     "LEFT JOIN client c ON c.id = nc.client_id")  # fmt: skip
    dump += team.sql("bob", "SELECT (SELECT string_agg(text, '|') FROM search_doc), "
                     "(SELECT string_agg(key, '|') FROM search_key), (SELECT count(*) FROM client)")  # fmt: skip
    assert leaks(repr(dump)) == []
    assert team.sql("bob", "SELECT count(*) FROM client WHERE id = %s", ids(team)["A001"]) == [(0,)]


def test_returning_clauses_and_write_subqueries_show_only_bobs_rows(team: Team) -> None:
    """RETURNING on INSERT/UPDATE/DELETE, with subqueries over the secured tables: only bob's rows."""
    got = team.sql("bob", "INSERT INTO note (date, created_at, text, kind, status, source) VALUES "
                   "('2026-11-23', now(), 'x', 'note', 'inbox', 'cli') RETURNING (SELECT string_agg(text, '|') "
                   "FROM note), (SELECT string_agg(name || coalesce(phone, ''), '|') FROM client)")  # fmt: skip
    got += team.sql("bob", "UPDATE client SET updated_at = now() RETURNING name, phone")
    got += team.sql("bob", "UPDATE contact SET outcome = outcome RETURNING outcome")
    got += team.sql("bob", "DELETE FROM search_doc WHERE kind = 'contact' RETURNING text")
    assert leaks(repr(got)) == [] and "李静" in repr(got)
    assert team.sql("alice", "SELECT count(*) FROM search_doc WHERE kind = 'contact'") == [(1,)]


def test_leaky_functions_and_error_messages_only_ever_see_bobs_rows(team: Team) -> None:
    """A temporary function that RAISEs each value it gets, and casts that fail on a value: alice's never show."""
    notices: list[str] = []
    with psycopg.connect(as_role(team.url, "bob"), autocommit=True) as conn:
        conn.add_notice_handler(lambda d: notices.append(d.message_primary or ""))
        conn.execute("CREATE FUNCTION pg_temp.leak(text) RETURNS boolean LANGUAGE plpgsql COST 0.0000001 AS "
                     "$$ BEGIN RAISE NOTICE 'seen %', $1; RETURN true; END $$")  # fmt: skip
        for table, column in (("client", "name"), ("client", "phone"), ("note", "text"), ("search_doc", "text"),
                              ("contact", "outcome"), ("search_key", "key")):  # fmt: skip
            conn.execute(f"SELECT count(*) FROM {table} WHERE pg_temp.leak({column}::text)").fetchall()
        errors = []
        for query in ("SELECT count(*) FROM client WHERE name::int = 1",
                      "SELECT count(*) FROM client WHERE 1 / (CASE WHEN name = '张伟明' THEN 0 ELSE 1 END) = 1",
                      "SELECT count(*) FROM note WHERE text::date IS NULL"):  # fmt: skip
            try:
                errors.append(repr(conn.execute(query).fetchall()))
            except psycopg.Error as exc:
                errors.append(str(exc))
    assert notices and leaks(repr(notices)) == [] and any("李静" in n for n in notices)
    assert leaks(repr(errors)) == [] and errors[1] == "[(1,)]"  # no division by zero: 张伟明 was never tested


def test_on_conflict_and_merge_never_reach_a_hidden_row(team: Team) -> None:
    """INSERT … ON CONFLICT DO UPDATE (and MERGE) aimed at alice's A001: refused, her row untouched."""
    upsert = NEW_CLIENT + " ON CONFLICT (client_no) DO UPDATE SET name = 'stolen', manager = 'bob' RETURNING *"
    result = attempt(team, "bob", upsert, "A001", "x", None)
    assert isinstance(result, psycopg.errors.InsufficientPrivilege)
    assert leaks(str(result)) == []
    merged = team.sql("bob", "MERGE INTO client c USING (SELECT 'A001' AS no) s ON c.client_no = s.no "
                      "WHEN MATCHED THEN UPDATE SET name = 'stolen'")  # fmt: skip
    assert merged == [(0,)]
    assert team.sql("alice", "SELECT name FROM client WHERE client_no = 'A001'") == [("张伟明",)]


def test_copy_shows_bobs_rows_only_and_copy_from_is_refused(team: Team) -> None:
    """COPY table TO STDOUT goes through the policies; COPY FROM into a secured table is refused."""
    out = b""
    with psycopg.connect(as_role(team.url, "bob"), autocommit=True) as conn:
        for table in ("client", "note", "search_doc", "contact"):
            with conn.cursor().copy(f"COPY {table} TO STDOUT") as copy:
                out += b"".join(bytes(chunk) for chunk in copy)
        with pytest.raises(psycopg.errors.FeatureNotSupported):
            with conn.cursor().copy("COPY note (text) FROM STDIN") as copy:
                copy.write_row(["x"])
    assert leaks(out.decode()) == [] and "李静" in out.decode()


def test_planner_statistics_are_hidden_from_managers(team: Team) -> None:
    """pg_stats (most common values, histograms) of the secured tables after ANALYZE: none for bob."""
    owner_sql(team, "ANALYZE")
    query = "SELECT count(*) FROM pg_stats WHERE schemaname = 'public' AND tablename IN ('client', 'note')"
    assert owner_sql(team, query)[0][0] > 0  # (the statistics are there)
    assert team.sql("bob", query) == [(0,)]
    stats = team.sql("bob", "SELECT * FROM pg_stats WHERE schemaname = 'public'")
    stats += team.sql("bob", "SELECT * FROM pg_stats_ext")
    assert leaks(repr(stats)) == []


# --- changing and forging: refused ----------------------------------------------------------------------------------


def test_mirrored_rows_cannot_be_moved_to_or_stamped_as_alices(team: Team) -> None:
    """A contact's wb_manager set to alice (put back), moved onto alice's client, a balance written on it: refused."""
    a001 = ids(team)["A001"]
    team.sql("bob", "INSERT INTO contact (client_id, date, channel, outcome, created_at) "
             "VALUES (%s, '2026-11-20', 'phone', 'mine', now())", ids(team)["B001"])  # fmt: skip
    team.sql("bob", "UPDATE contact SET wb_manager = 'alice'")  # the server puts back the client's manager
    assert team.sql("carol", "SELECT DISTINCT wb_manager FROM contact WHERE outcome = 'mine'") == [("bob",)]
    for query, params in (
        ("UPDATE contact SET client_id = %s", (a001,)),
        ("INSERT INTO balance (client_id, month, aum, deposits, loans) VALUES (%s, '2026-11-01', 1, 1, 0)", (a001,)),
        ("INSERT INTO search_key (key, client_id) VALUES ('zwm', %s)", (a001,)),
    ):
        assert isinstance(attempt(team, "bob", query, *params), psycopg.errors.InsufficientPrivilege), query
    assert team.sql("alice", "SELECT outcome FROM contact") == [("续存三年定期",)]


def test_notes_cannot_be_linked_across_or_given_another_author(team: Team) -> None:
    """Bob's note linked to alice's client, alice's note linked to bob's client, a note's owner set to alice."""
    a001, b001 = ids(team)["A001"], ids(team)["B001"]
    bob_note = team.sql("bob", "SELECT id FROM note")[0][0]
    alice_note = team.sql("carol", "SELECT id FROM note WHERE owner = 'alice' ORDER BY id")[0][0]
    link = "INSERT INTO note_client (note_id, client_id, mention, resolved) VALUES (%s, %s, 'x', true)"
    assert refused(attempt(team, "bob", link, bob_note, a001))
    assert refused(attempt(team, "bob", link, alice_note, b001))
    assert refused(attempt(team, "bob", "UPDATE note SET owner = 'alice'"))
    assert refused(attempt(team, "bob", "UPDATE note_client SET note_id = %s", alice_note))
    assert team.sql("bob", "UPDATE note SET text = 'x' WHERE id = %s", alice_note) == [(0,)]
    assert team.sql("bob", "DELETE FROM note_tag WHERE note_id = %s", alice_note) == [(0,)]
    assert team.sql("bob", "SELECT count(*) FROM note WHERE id = %s", alice_note) == [(0,)]
    assert team.sql("alice", "SELECT count(*) FROM note_tag") == [(1,)]


def test_shared_records_stay_append_only_or_lead_only(team: Team) -> None:
    """Audit and handovers cannot be changed or deleted, holidays are the lead's, meta is read only."""
    team.sql("carol", "INSERT INTO holiday (day, off, note) VALUES ('2026-12-24', true, 'branch')")
    assert team.wb("carol", "handover", "A002", "--from", "alice", "--to", "bob")[0] == 0
    team.sql("bob", "INSERT INTO audit (at, who, action, detail) VALUES (now(), 'bob', 'reveal.client', '')")
    for query in (
        "UPDATE audit SET detail = 'x'", "DELETE FROM audit", "TRUNCATE audit",
        "UPDATE handover SET to_manager = 'alice'", "DELETE FROM handover", "TRUNCATE handover",
        "INSERT INTO handover (at, client_id, from_manager, to_manager) VALUES (now(), 1, 'alice', 'bob')",
        "INSERT INTO holiday (day, off, note) VALUES ('2026-12-25', true, 'x')",
        "UPDATE meta SET value = '1'", "INSERT INTO meta (key, value) VALUES ('x', 'y')", "DELETE FROM meta",
    ):  # fmt: skip
        assert refused(attempt(team, "bob", query)), query
    assert team.sql("bob", "UPDATE holiday SET off = false") == [(0,)]
    assert team.sql("bob", "DELETE FROM holiday") == [(0,)]
    assert team.sql("carol", "SELECT count(*) FROM holiday") == [(1,)]
    assert team.sql("carol", "SELECT count(*) FROM handover") == [(1,)]
    assert team.sql("carol", "SELECT count(*) FROM audit WHERE role = 'bob'") == [(1,)]


def test_escalation_is_refused(team: Team) -> None:
    """SET ROLE, GRANT, BYPASSRLS, DDL on the tables, objects in public, schemas, extensions: all refused."""
    for query in (
        "SET ROLE alice", "SET ROLE carol", "SET ROLE wb_lead", "GRANT wb_lead TO bob", "GRANT wb_manager TO bob",
        "ALTER ROLE bob BYPASSRLS", "ALTER ROLE bob SUPERUSER", "CREATE ROLE mallory LOGIN",
        "ALTER TABLE client DISABLE ROW LEVEL SECURITY", "DROP POLICY wb_0 ON client",
        "CREATE POLICY mine ON client USING (true)", "DROP TRIGGER wb_stamp_owner ON note",
        "CREATE TRIGGER t BEFORE INSERT ON client FOR EACH ROW EXECUTE FUNCTION wb_stamp_owner()",
        "CREATE TABLE public.x (id int)", "CREATE FUNCTION public.wb_note_owner(integer) RETURNS text "
        "LANGUAGE sql AS 'SELECT NULL::text'", "CREATE VIEW public.v AS SELECT 1", "CREATE SCHEMA evil",
        "CREATE EXTENSION dblink", "ALTER FUNCTION wb_note_owner(bigint) OWNER TO bob",
        "CREATE OR REPLACE FUNCTION wb_mirror_manager() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RETURN NEW; END $$", "SELECT setval('client_id_seq', 1)",
        "CREATE STATISTICS s ON name, phone FROM client",
    ):  # fmt: skip
        assert isinstance(attempt(team, "bob", query), psycopg.errors.InsufficientPrivilege), query
    team.sql("bob", "GRANT SELECT ON client TO PUBLIC")  # (a warning: bob has no grant option, nothing changes)
    assert team.sql("alice", "SELECT count(*) FROM client") == [(2,)]
    assert team.sql("bob", "SELECT count(*) FROM client") == [(1,)]


def test_server_functions_cannot_be_turned_against_the_team(team: Team) -> None:
    """wb_sync_sequence (the owner's alone) on a catalog or an injected name, trigger functions called directly."""
    for query in (
        "SELECT wb_sync_sequence('pg_authid')", "SELECT wb_sync_sequence('client; DROP TABLE note')",
        "SELECT wb_sync_sequence('meta')", "SELECT wb_follow_manager()", "SELECT wb_stamp_owner()",
    ):  # fmt: skip
        assert refused(attempt(team, "bob", query)), query
    # a temporary table called "client" in bob's session shadows nothing the server runs for him
    with psycopg.connect(as_role(team.url, "bob"), autocommit=True) as conn:
        conn.execute("CREATE TEMP TABLE client (id serial, manager text, name text)")
        conn.execute("INSERT INTO pg_temp.client (manager, name) VALUES ('bob', 'fake')")
        conn.execute("CREATE TEMP VIEW everything AS SELECT name FROM public.client")
        seen = conn.execute("SELECT name FROM everything").fetchall()
    assert seen == [("李静",)]
    assert team.sql("carol", "SELECT count(*) FROM note") == [(3,)]


# --- the handover rule, and the lead -------------------------------------------------------------------------------


def test_a_manager_can_neither_take_nor_give_a_client(team: Team) -> None:
    """Bob takes A001 (UPDATE/upsert), gives B001 away, records a handover of his own: none of it happens."""
    assert team.sql("bob", "UPDATE client SET manager = 'bob' WHERE client_no = 'A001'") == [(0,)]
    assert team.sql("bob", "UPDATE client SET manager = 'bob' WHERE id = %s", ids(team)["A001"]) == [(0,)]
    assert refused(attempt(team, "bob", "UPDATE client SET manager = 'alice' WHERE client_no = 'B001'"))
    assert refused(attempt(team, "bob", "UPDATE client SET manager = 'carol' WHERE client_no = 'B001'"))
    assert refused(attempt(team, "bob", "UPDATE client SET manager = '' WHERE client_no = 'B001'"))
    assert refused(attempt(team, "bob", NEW_CLIENT.replace("(client_no,", "(manager, client_no,").replace(
        "VALUES (%s", "VALUES ('alice', %s"), "B002", "给你", None))  # fmt: skip
    assert refused(attempt(team, "bob", "INSERT INTO handover (at, client_id, from_manager, to_manager, by_role) "
                           "VALUES (now(), %s, 'alice', 'bob', 'carol')", ids(team)["A001"]))  # fmt: skip
    code, _, err = team.wb("bob", "handover", "A001", "--from", "alice", "--to", "bob")
    assert code == 1 and "lead" in err
    assert team.sql("carol", "SELECT client_no, manager FROM client ORDER BY 1") == [
        ("A001", "alice"), ("A002", "alice"), ("B001", "bob")]  # fmt: skip
    assert team.sql("carol", "SELECT count(*) FROM handover") == [(0,)]


def test_a_lead_is_not_tricked_by_a_decoy_with_the_same_name(team: Team) -> None:
    """Bob makes a client named 张伟明 so a lead's `wb handover 张伟明 --from bob` would move alice's: refused."""
    team.sql("bob", NEW_CLIENT, "B009", "张伟明", None)
    code, _, err = team.wb("carol", "handover", "张伟明", "--from", "alice", "--to", "bob")
    assert code == 1 and "B009" in err and "A001" in err  # ambiguous: the lead must give the number
    code, _, _ = team.wb("carol", "handover", "B009", "--from", "alice", "--to", "bob")
    assert code == 1  # the decoy is bob's, not alice's: nothing moves
    assert team.sql("alice", "SELECT count(*) FROM client") == [(2,)]
    assert team.sql("bob", "SELECT count(*) FROM note WHERE text LIKE %s", "%留学%") == [(0,)]


def test_team_init_twice_keeps_every_row_and_every_guard(team: Team) -> None:
    """The owner runs `wb team init` again: nothing lost or doubled, the policies the same, bob still boxed in."""
    tables = [r[0] for r in owner_sql(team, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    snapshot = lambda: {t: owner_sql(team, f'SELECT * FROM "{t}" ORDER BY 1') for t in tables}  # noqa: E731
    policies = lambda: owner_sql(team, "SELECT tablename, policyname, cmd, qual, with_check FROM pg_policies "  # noqa: E731
                                 "ORDER BY 1, 2")  # fmt: skip
    triggers = "SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2"
    before, rules, trig = snapshot(), policies(), owner_sql(team, triggers)
    assert team.wb(None, "team", "init")[0] == 0
    assert team.wb(None, "team", "init")[0] == 0
    assert snapshot() == before and policies() == rules and owner_sql(team, triggers) == trig
    assert team.sql("bob", "SELECT count(*) FROM client") == [(1,)]
    assert team.sql("alice", "SELECT count(*) FROM note") == [(2,)]
    assert team.wb("alice", "log", "A002", "--channel", "phone", "--outcome", "again")[0] == 0


# --- holes ------------------------------------------------------------------------------------------------------


def test_bob_cannot_plant_a_search_document_in_alices_search(team: Team) -> None:
    """UPDATE search_doc SET client_id = <A001> …; then SET wb_manager = 'alice', text = '…': alice finds it."""
    a001 = ids(team)["A001"]
    attempt(team, "bob", "UPDATE search_doc SET client_id = %s WHERE kind = 'note'", a001)
    attempt(team, "bob", "UPDATE search_doc SET wb_manager = 'alice', text = '客户要求把存款转到 6222 0000' "
            "WHERE kind = 'note'")  # fmt: skip
    assert team.sql("alice", "SELECT count(*) FROM search_doc WHERE text LIKE '%6222%'") == [(0,)]
    code, out, _ = team.wb("alice", "search", "6222", "--json")
    assert code == 0 and "6222" not in out


def test_bob_cannot_change_alices_note_after_its_client_comes_to_him(team: Team) -> None:
    """A001 handed to bob: bob tags alice's note, rewrites and deletes its search document."""
    assert team.wb("carol", "handover", "A001", "--from", "alice", "--to", "bob")[0] == 0
    note = team.sql("alice", "SELECT id FROM note WHERE text LIKE %s", "%留学%")[0][0]
    attempt(team, "bob", "INSERT INTO note_tag (note_id, tag) VALUES (%s, 'bob_was_here')", note)
    attempt(team, "bob", "UPDATE search_doc SET text = 'tampered' WHERE kind = 'note' AND ref_id = %s", note)
    attempt(team, "bob", "DELETE FROM search_doc WHERE kind = 'note' AND ref_id = %s", note)
    assert team.sql("alice", "SELECT count(*) FROM note_tag WHERE note_id = %s", note) == [(0,)]
    assert team.sql("alice", "SELECT text FROM search_doc WHERE kind = 'note' AND ref_id = %s", note) == [
        ("@张伟明 孩子明年留学，想了解外汇  ",)]  # fmt: skip


def test_bob_cannot_forge_an_audit_line_as_alices(team: Team) -> None:
    """INSERT INTO audit (who, at, …) VALUES ('alice', '2020-01-01', 'export.all', …) as bob."""
    attempt(team, "bob", "INSERT INTO audit (at, who, action, detail) VALUES "
            "('2020-01-01', 'alice', 'export.all', 'whole book')")  # fmt: skip
    code, out, _ = team.wb("carol", "audit", "--json")
    assert code == 0 and '"alice"' not in out and "2020-01-01" not in out


def test_bob_cannot_exhaust_a_shared_id_sequence(team: Team) -> None:
    """INSERT INTO contact (id, …) VALUES (2147483647, …); SELECT wb_sync_sequence('contact') as bob."""
    planted = attempt(team, "bob", "INSERT INTO contact (id, client_id, date, channel, outcome, created_at) VALUES "
                      "(2147483647, %s, '2026-11-20', 'phone', 'x', now())", ids(team)["B001"])  # fmt: skip
    assert isinstance(planted, psycopg.errors.InsufficientPrivilege) and "drawn from the sequence" in str(planted)
    assert refused(attempt(team, "bob", "SELECT wb_sync_sequence('contact')"))
    assert team.wb("alice", "log", "A002", "--channel", "phone", "--outcome", "still works")[0] == 0


@pytest.mark.xfail(
    strict=True,
    reason="EXPLAIN ANALYZE reports 'Rows Removed by Filter' for rows an index scan "
    "found and the policy then hid (=, <, > are leakproof, so they run before the policy): bob "
    "binary-searches alice's clients' names, phones, ID numbers and AUM through the indexes",
)
def test_explain_analyze_does_not_count_hidden_rows(team: Team) -> None:
    """SET enable_seqscan = off; EXPLAIN ANALYZE SELECT * FROM client WHERE phone >= '138…' AND phone < '139'."""
    found = []
    with psycopg.connect(as_role(team.url, "bob"), autocommit=True) as conn:
        conn.execute("SET enable_seqscan = off")
        for cond in ("phone >= '13800000000' AND phone < '13900000000'", "name = '张伟明'", "aum >= 0"):
            plan = "\n".join(r[0] for r in conn.execute(f"EXPLAIN ANALYZE SELECT * FROM client WHERE {cond}"))
            found += [line for line in plan.splitlines() if "Rows Removed by Filter" in line]
    assert found == []


@pytest.mark.xfail(
    strict=True,
    reason="wb_note_owner(bigint) is SECURITY DEFINER and executable by every manager: "
    "SELECT wb_note_owner(i) FROM generate_series(1, n) lists which notes are alice's (and lead's)",
)
def test_note_owners_are_not_for_anyone_to_look_up(team: Team) -> None:
    """SELECT id, wb_note_owner(id) FROM generate_series(1, 10) AS id as bob."""
    got = attempt(team, "bob", "SELECT wb_note_owner(i) FROM generate_series(1, 10) AS i")
    assert refused(got) or ("alice",) not in got


@pytest.mark.xfail(strict=True, reason="client.client_no is unique across the team: bob's INSERT of 'A001' fails "
                   "with a duplicate key (or ON CONFLICT DO NOTHING inserts 0 rows), so he learns which client "
                   "numbers are the branch's other managers'")  # fmt: skip
def test_client_numbers_are_no_oracle(team: Team) -> None:
    """INSERT INTO client (client_no, …) VALUES ('A001', …) versus a number nobody has."""
    taken = attempt(team, "bob", NEW_CLIENT, "A001", "试探", None)
    free = attempt(team, "bob", NEW_CLIENT, "Z999", "试探", None)
    assert type(taken) is type(free)


def test_a_writable_public_schema_does_not_let_bob_run_code_as_the_lead(team: Team) -> None:
    """CREATE FUNCTION public.wb_note_owner(integer) … UPDATE client SET manager = 'bob' …; a lead writes a note."""
    owner_sql(team, "GRANT CREATE ON SCHEMA public TO PUBLIC")  # as a server older than 15 has it
    assert team.wb(None, "team", "init")[0] == 0
    attempt(team, "bob", "CREATE FUNCTION public.wb_note_owner(integer) RETURNS text LANGUAGE sql AS $$ "
            "UPDATE public.client SET manager = 'bob' WHERE manager = 'alice'; "
            "SELECT owner FROM public.note WHERE id = $1 $$")  # fmt: skip
    assert team.wb("carol", "note", "团队周会纪要")[0] == 0
    assert team.sql("alice", "SELECT count(*) FROM client") == [(2,)]
