"""Team mode on PostgreSQL: each manager sees and changes only their own book, through `wb` and through raw
SQL alike; a lead sees the team and hands clients over; nobody else can, whatever they run."""

from __future__ import annotations

import json
from pathlib import Path

import peewee
import pytest

from workbench.cli import main
from workbench.store.db import use_psycopg
from workbench.store.models import database

use_psycopg()  # the store keeps the driver hidden until a PostgreSQL book is opened
psycopg = pytest.importorskip("psycopg")

pytestmark = pytest.mark.slow


def as_role(url: str, role: str) -> str:
    """The same database, logged in as ``role`` (the test cluster trusts 127.0.0.1)."""
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{role}@{rest.split('@', 1)[1]}"


class Team:
    def __init__(self, url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        self.url, self.capsys, self.tmp = url, capsys, tmp_path

    def wb(self, role: str | None, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
        """`wb` as ``role`` (None: the database's owner)."""
        code = main(["--db", self.url if role is None else as_role(self.url, role), *args])
        if database.obj is not None and not database.is_closed():
            database.close()
        out, err = self.capsys.readouterr()
        return code, out, err

    def sql(self, role: str, query: str, *params: object) -> list[tuple]:
        """Hand-written SQL as ``role``, outside Workbench (as with psql)."""
        with psycopg.connect(as_role(self.url, role), autocommit=True) as conn:
            cur = conn.execute(query, params or None)
            return cur.fetchall() if cur.description else [(cur.rowcount,)]

    def csv(self, name: str, text: str) -> str:
        path = self.tmp / name
        path.write_text(text, encoding="utf-8")
        return str(path)


@pytest.fixture
def team(pg_server, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A secured team database: alice and bob manage, carol leads; each has clients, a contact and a note."""
    from workbench.i18n import set_lang

    set_lang("en")  # (the messages asserted below are the English ones, whatever ran before in this process)
    url = pg_server.create()
    tm = Team(url, capsys, tmp_path)
    assert tm.wb(None, "team", "init")[0] == 0
    for name, lead in (("alice", False), ("bob", False), ("carol", True)):
        assert tm.wb(None, "team", "add", name, *(["--lead"] if lead else []))[0] == 0
    alice = tm.csv("a.csv", "客户号,客户名称,手机号码\nA001,张伟明,13800000001\nA002,欧阳娜娜,13800000002\n")
    bob = tm.csv("b.csv", "客户号,客户名称,手机号码\nB001,李静,13900000001\n")
    assert tm.wb("alice", "import", "clients", alice)[0] == 0
    assert tm.wb("bob", "import", "clients", bob)[0] == 0
    assert tm.wb("alice", "log", "A001", "--channel", "phone", "--outcome", "续存三年定期")[0] == 0
    assert tm.wb("alice", "note", "@张伟明 孩子明年留学，想了解外汇")[0] == 0
    assert tm.wb("alice", "note", "自己的想法：先问清楚决策人 #教训")[0] == 0
    assert tm.wb("bob", "note", "@李静 对基金回撤不满")[0] == 0
    yield tm
    set_lang(None)
    pg_server.drop(url)


def clients(tm: Team, role: str) -> list[str]:
    code, out, _ = tm.wb(role, "clients", "--json")
    assert code == 0
    return sorted(c["client_no"] for c in json.loads(out))


def test_each_manager_sees_only_their_own_book_through_wb(team: Team) -> None:
    assert clients(team, "alice") == ["A001", "A002"]
    assert clients(team, "bob") == ["B001"]
    assert clients(team, "carol") == ["A001", "A002", "B001"]  # the lead sees the team
    assert team.wb("bob", "client", "A001")[0] == 1  # not found, as if it did not exist
    code, out, _ = team.wb("bob", "search", "留学", "--json")
    assert code == 0 and json.loads(out) == []
    code, out, _ = team.wb("alice", "search", "留学", "--json")
    assert [h["client"] for h in json.loads(out)] == ["张伟明"]
    code, out, _ = team.wb("bob", "today", "--json")
    assert code == 0 and {c["client_no"] for c in json.loads(out)["items"]} <= {"B001"}
    code, out, _ = team.wb("carol", "team", "list", "--json")
    assert json.loads(out) == [
        {"name": "alice", "lead": False},
        {"name": "bob", "lead": False},
        {"name": "carol", "lead": True},
    ]


def test_row_level_security_holds_for_hand_written_sql(team: Team) -> None:
    """What psql would do as bob: alice's rows are not there to read, change or delete, and nothing bob
    writes can name alice as its owner."""
    count = lambda role, table: team.sql(role, f'SELECT count(*) FROM "{table}"')[0][0]  # noqa: E731
    for table, alice_n, bob_n in (("client", 2, 1), ("contact", 1, 0), ("search_key", None, None)):
        if alice_n is not None:
            assert (count("alice", table), count("bob", table)) == (alice_n, bob_n)
    assert count("alice", "note") == 2 and count("bob", "note") == 1
    assert count("bob", "search_doc") == 1 and count("bob", "note_client") == 1
    assert count("carol", "client") == 3 and count("carol", "note") == 3
    # bob cannot change, delete or attach to alice's rows: RLS hides them (0 rows), or refuses the new row
    assert team.sql("bob", "UPDATE client SET name = 'x' WHERE client_no = 'A001'") == [(0,)]
    assert team.sql("bob", "DELETE FROM note") == [(1,)]  # only his own
    assert count("alice", "note") == 2
    alice_id = team.sql("alice", "SELECT id FROM client WHERE client_no = 'A001'")[0][0]
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        team.sql("bob", "INSERT INTO contact (client_id, date, channel, outcome, created_at) "
                 "VALUES (%s, '2026-11-20', 'phone', 'x', now())", alice_id)  # fmt: skip
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        team.sql("bob", "INSERT INTO client (name, manager, kind, status, sort_key, tier, tier_rank, aum, "
                 "deposits, loans, churn, completeness, missing, created_at, updated_at, tier_pending_months) "
                 "VALUES ('冒名', 'alice', 'individual', 'active', '', 'standard', 0, 0, 0, 0, false, 0, '', "
                 "now(), now(), 0)")  # fmt: skip
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        team.sql("bob", "UPDATE client SET manager = 'alice' WHERE client_no = 'B001'")  # giving away: leads only
    # what the server stamps, no client can choose: the author of a note, the role of an audit line
    team.sql("bob", "INSERT INTO note (date, created_at, text, kind, status, source, owner) "
             "VALUES ('2026-11-23', now(), '冒充 alice', 'note', 'inbox', 'cli', 'alice')")  # fmt: skip
    assert team.sql("alice", "SELECT count(*) FROM note WHERE text = '冒充 alice'") == [(0,)]
    assert team.sql("bob", "SELECT owner FROM note WHERE text = '冒充 alice'") == [("bob",)]
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        team.sql("bob", "SET ROLE alice")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        team.sql("bob", "DELETE FROM audit")  # append-only
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        team.sql("bob", "INSERT INTO handover (at, client_id, from_manager, to_manager) "
                 "VALUES (now(), 1, 'alice', 'bob')")  # fmt: skip


def test_events_are_their_organisers_and_referrals_and_invitations_their_clients(team: Team) -> None:
    """Schema 9's tables under the same rules: an event is the organising manager's (stamped by the server),
    a referral and an invitation go with the client they are about."""
    assert team.wb("alice", "event", "add", "答谢会", "--on", "2026-12-20")[0] == 0
    assert team.wb("alice", "event", "invite", "答谢会", "A001")[0] == 0
    assert team.wb("alice", "referral", "A002", "--by", "A001")[0] == 0
    assert team.sql("alice", "SELECT owner FROM event") == [("alice",)]
    for table in ("event", "invitation", "referral"):
        assert team.sql("bob", f'SELECT count(*) FROM "{table}"') == [(0,)], table
        assert team.sql("carol", f'SELECT count(*) FROM "{table}"') == [(1,)], table  # the lead sees the team
    assert team.wb("bob", "events", "--json")[1].strip() == "[]"
    team.sql("bob", "INSERT INTO event (name, kind, date, place, notes, owner, created_at) "
             "VALUES ('冒名活动', 'salon', '2026-12-21', '', '', 'alice', now())")  # fmt: skip
    assert team.sql("bob", "SELECT owner FROM event") == [("bob",)]  # the server's word, not the writer's
    alice_event = team.sql("alice", "SELECT id FROM event WHERE name = '答谢会'")[0][0]
    bob_client = team.sql("bob", "SELECT id FROM client WHERE client_no = 'B001'")[0][0]
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):  # not his event
        team.sql("bob", "INSERT INTO invitation (event_id, client_id, invited_on, status) "
                 "VALUES (%s, %s, '2026-11-23', 'invited')", alice_event, bob_client)  # fmt: skip


def test_only_the_owner_adds_managers_and_a_password_never_travels_in_clear(team: Team) -> None:
    code, _, err = team.wb("alice", "team", "add", "mallory")
    assert code == 1 and "owner" in err and "Traceback" not in err
    assert team.sql("carol", "SELECT count(*) FROM pg_roles WHERE rolname = 'mallory'") == [(0,)]
    code, _, err = team.wb(None, "team", "add", "Robert'); DROP TABLE client;--")
    assert code == 1 and "role" in err
    stored = team.sql("carol", "SELECT count(*) FROM client")
    assert stored == [(3,)]


def test_a_lead_hands_over_a_client_with_its_whole_history(team: Team) -> None:
    code, out, err = team.wb("carol", "handover", "A001", "--from", "alice", "--to", "bob", "--json")
    assert code == 0, err
    (moved,) = json.loads(out)
    assert moved["client_no"] == "A001" and moved["name"] == "张伟明"
    assert clients(team, "alice") == ["A002"] and clients(team, "bob") == ["A001", "B001"]
    # the history came along: the contact, alice's note about the client, its search keys
    code, out, _ = team.wb("bob", "client", "A001", "--json")
    view = json.loads(out)
    assert [c["outcome"] for c in view["contacts"]] == ["续存三年定期"]
    code, out, _ = team.wb("bob", "search", "留学", "--json")
    assert [h["client"] for h in json.loads(out)] == ["张伟明"]
    assert team.sql("alice", "SELECT count(*) FROM contact") == [(0,)]
    # the receiving manager finds a handover brief in the inbox; who did what and when is recorded
    brief = team.sql("bob", "SELECT text, owner, status FROM note WHERE id = %s", moved["note_id"])[0]
    assert brief[1:] == ("bob", "inbox") and "张伟明" in brief[0] and "alice → bob" in brief[0]
    (record,) = team.sql("bob", "SELECT from_manager, to_manager, by_role FROM handover")
    assert record == ("alice", "bob", "carol")
    assert team.sql("alice", "SELECT count(*) FROM handover") == [(1,)]


def test_a_manager_cannot_hand_over_even_past_the_command(team: Team) -> None:
    """The command refuses a non-lead; the service called directly, bypassing it, is refused by the database."""
    code, _, err = team.wb("alice", "handover", "A001", "--from", "alice", "--to", "bob")
    assert code == 1 and "lead" in err
    from workbench.errors import Refused
    from workbench.services import team as team_service
    from workbench.store.db import open_database

    book = open_database(as_role(team.url, "alice"))
    with pytest.raises(Refused, match="does not allow"):
        team_service.handover(book, ["A001"], "alice", "bob")
    book.close()
    assert clients(team, "alice") == ["A001", "A002"] and clients(team, "bob") == ["B001"]
    assert team.sql("carol", "SELECT count(*) FROM handover") == [(0,)]


def test_team_commands_on_a_personal_book_say_what_they_need(tmp_path: Path, capsys) -> None:
    code = main(["--db", str(tmp_path / "me.sqlite3"), "team", "init"])
    assert code == 1 and "PostgreSQL" in capsys.readouterr().err


def _table(model) -> list[tuple]:
    fields = model._meta.sorted_fields
    return [tuple(r) for r in model.select(*fields).tuples()]


def test_migrate_to_copies_a_personal_book_into_the_team_losing_nothing(team: Team, tmp_path: Path) -> None:
    """A manager's SQLite book (a demo with notes, visits' tables, the fill of the export test) goes into the
    team database, where bob's rows already hold the low ids: every row of every table arrives, each
    reference rewritten to the new ids, stamped as alice's, and bob sees none of it."""
    import datetime as dt

    from tests.test_export import fill_book
    from workbench.services import demo
    from workbench.services.migrate import SOFT
    from workbench.store.db import open_database, transaction
    from workbench.store.models import MODELS, Audit, Client, Handover, Holiday, Meta

    personal = tmp_path / "mine.sqlite3"
    open_database(str(personal))
    demo.generate(40, notes=30, seed=2, today=dt.date(2026, 11, 23))
    with transaction():
        fill_book()
    before = {m: _table(m) for m in MODELS if m is not Meta}
    assert all(before[m] for m in before if m is not Handover), "the personal book fills every table"
    database.close()
    team.sql("bob", "DELETE FROM note")  # (rows of alice's from the fixture go, to copy into an empty book)
    team.sql("carol", "DELETE FROM client WHERE manager = 'alice'")
    team.sql("carol", "DELETE FROM note WHERE owner = 'alice'")
    team.sql("carol", "DELETE FROM search_doc WHERE wb_manager = 'alice'")  # (a search document has no key)
    code, out, err = team.wb("alice", "--db", str(personal), "migrate-to", as_role(team.url, "alice"), "--json")
    # (the first --db is overridden by the second: the source book; the URL is the target)
    assert code == 0, err
    report = json.loads(out)
    assert report["skipped"] == {"holiday": 1, "handover": 1}  # the branch's calendar and handovers: the lead's

    open_database(as_role(team.url, "alice"))
    ids: dict[str, dict[int, int]] = {}
    for model in MODELS:  # the new ids, matched by the order rows were copied in (ids ascending)
        if model in (Meta, Holiday, Handover) or not isinstance(model._meta.primary_key, peewee.AutoField):
            continue
        old = sorted(r[0] for r in before[model])
        new = sorted(r[0] for r in _table(model))
        assert len(old) == len(new), model
        ids[model._meta.table_name] = dict(zip(old, new, strict=True))
    for model in MODELS:
        if model in (Meta, Holiday, Handover):
            continue
        fields = model._meta.sorted_fields
        expected = []
        for row in before[model]:
            row = list(row)
            for i, f in enumerate(fields):
                ref = None
                if f.primary_key and model._meta.table_name in ids:
                    ref = model._meta.table_name
                elif isinstance(f, peewee.ForeignKeyField):
                    ref = f.rel_model._meta.table_name
                elif (model, f.column_name) in SOFT:
                    ref = SOFT[(model, f.column_name)]._meta.table_name
                elif f.name == "ref_id":
                    ref = "contact" if row[[f.name for f in fields].index("kind")] == "contact" else "note"
                if ref and row[i] is not None and hasattr(row[i], "__index__"):
                    row[i] = ids[ref].get(int(row[i]), row[i])
                elif ref and row[i] is not None:  # a foreign key read as its model instance
                    row[i] = ids[ref][row[i].id]
                if f.name in ("manager", "owner", "role"):
                    row[i] = "alice"
            if model is Audit:  # stamped by the server; the personal book's who and when go into the detail
                names = [f.name for f in fields]
                at, who, detail = (names.index(n) for n in ("at", "who", "detail"))
                row[detail] = f"{str(row[at])[:19]} {row[who]}: {row[detail]}"
                row[at], row[who] = None, "alice"
            expected.append(tuple(row))
        got = _table(model)
        if model is Audit:
            got = [(r[0], None, *r[2:]) for r in got]
        norm = lambda rows: sorted(  # noqa: E731
            (tuple(v.id if hasattr(v, "_meta") else v for v in r) for r in rows), key=repr
        )
        assert norm(got) == norm(expected), model._meta.table_name
    database.close()
    assert clients(team, "bob") == ["B001"]  # and bob sees none of it
    code, out, _ = team.wb("alice", "clients", "--json")
    assert len(json.loads(out)) == len([r for r in before[Client] if r[3] == "active"])


def test_migrate_to_refuses_to_double_a_book_and_leaves_the_source_alone(team: Team, tmp_path: Path) -> None:
    import sqlite3

    def content() -> list[str]:
        conn = sqlite3.connect(personal)
        try:
            return [line for line in conn.iterdump() if "sqlite_stat" not in line]
        finally:
            conn.close()

    personal = tmp_path / "mine.sqlite3"
    assert main(["--db", str(personal), "import", "clients", team.csv("m.csv", "客户号,客户名称\nM001,王芳\n")]) == 0
    before = content()
    code, _, err = team.wb("alice", "--db", str(personal), "migrate-to", as_role(team.url, "alice"))
    assert code == 1 and "already holds 2 clients of yours" in err and "nothing is doubled" in err
    assert clients(team, "alice") == ["A001", "A002"]
    code, _, err = team.wb("alice", "--db", str(personal), "migrate-to", str(tmp_path / "other.sqlite3"))
    assert code == 1 and "postgresql://" in err
    assert content() == before


async def test_the_tui_on_a_team_database_shows_the_managers_own_book(team: Team, chinese) -> None:
    from tests.test_tui_books import SIZE, screen_text, settle
    from workbench.store.db import open_database
    from workbench.tui.app import WorkbenchApp

    book = open_database(as_role(team.url, "alice"))
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "张伟明" in text and "欧阳娜娜" in text and "2 位客户" in text
        assert "李静" not in text  # bob's
        await pilot.press("4", "L")
        await settle(pilot)
        text = screen_text(app)
        assert "先问清楚决策人" in text and "基金回撤" not in text
    book.close()


def test_a_demo_book_replaces_only_the_managers_own(team: Team) -> None:
    code, _, err = team.wb("alice", "demo", "--clients", "30", "--replace", "--yes")
    assert code == 0, err
    assert len(clients(team, "alice")) == 30 and "A001" not in clients(team, "alice")
    assert clients(team, "bob") == ["B001"]
    assert team.sql("bob", "SELECT count(*) FROM note") == [(1,)]
    code, out, _ = team.wb("alice", "search", "留学", "--json")
    assert code == 0 and "孩子明年留学" not in out  # alice's old note went with her old book


def test_an_upgrade_waits_for_the_owner(team: Team) -> None:
    """A manager whose Workbench is newer than the team database's schema is told who upgrades it."""
    import psycopg as driver

    with driver.connect(team.url, autocommit=True) as conn:  # as the owner: the book looks one version older
        conn.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
    code, _, err = team.wb("alice", "clients")
    assert code == 1 and "owner runs `wb team init`" in err and "Traceback" not in err


async def test_an_open_tui_shows_what_another_terminal_wrote(team: Team, chinese) -> None:
    """A note or an import from another terminal reaches the open TUI (the tables notify at commit)."""
    import os
    import subprocess
    import sys

    from tests.test_tui_books import SIZE, screen_text, settle
    from workbench.store.db import open_database
    from workbench.tui.app import WorkbenchApp

    book = open_database(as_role(team.url, "alice"))
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "2 位客户" in screen_text(app)
        csv = team.csv("late.csv", "客户号,客户名称\nA009,后来的客户\n")
        env = {**os.environ, "WORKBENCH_DB": as_role(team.url, "alice")}
        done = subprocess.run([sys.executable, "-m", "workbench", "import", "clients", csv], env=env, timeout=60)
        assert done.returncode == 0
        for _ in range(100):  # the watch asks every 2 s; the count and the page arrive one after the other
            await pilot.pause(0.1)
            if "3 位客户" in screen_text(app) and "后来的客户" in screen_text(app):
                break
        assert "3 位客户" in screen_text(app) and "后来的客户" in screen_text(app)
    book.close()
