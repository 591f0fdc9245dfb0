"""The demo book generator (`wb demo`): deterministic, atomic, refuses a full book, realistic, and in
agreement with the app's own rules (services.figures.refresh afterwards changes nothing)."""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections import Counter
from pathlib import Path

import peewee
import pytest

from tests.conftest import index_definitions
from workbench.errors import BadInput, Conflict
from workbench.rules import identity
from workbench.rules.tiers import TIER_KEYS
from workbench.services import dashboard, demo
from workbench.services.figures import refresh
from workbench.store import models
from workbench.store.db import open_database, transaction
from workbench.store.models import database

BACKENDS = ("sqlite", "postgresql")

TODAY = dt.date(2026, 11, 23)
DERIVED = (
    "tier tier_rank tier_pending tier_pending_months aum deposits loans balance_month trend trend_change "
    "churn churn_reason completeness missing last_contact next_due sort_key"
).split()


def dump() -> dict[str, list[tuple]]:
    """Every row of every table: on SQLite in storage order (search_key, WITHOUT ROWID, in its key order);
    on PostgreSQL, which has no row order to compare, sorted."""
    if isinstance(database.obj, peewee.PostgresqlDatabase):
        return {m._meta.table_name: sorted(q(f'SELECT * FROM "{m._meta.table_name}"'), key=repr) for m in models.MODELS}
    return {
        m._meta.table_name: q(
            f'SELECT * FROM "{m._meta.table_name}"'
            if m is models.SearchKey
            else f'SELECT rowid, * FROM "{m._meta.table_name}" ORDER BY rowid'
        )
        for m in models.MODELS
    }


def q(sql: str, *params: object) -> list[tuple]:
    return database.execute_sql(sql.replace("?", database.param), params).fetchall()


def one(sql: str, *params: object) -> object:
    """The single value ``sql`` selects; a date as SQLite stores it (ISO text), whichever the backend."""
    value = q(sql, *params)[0][0]
    return value.isoformat() if isinstance(value, dt.date) else value


def indexes() -> list[tuple]:
    return index_definitions()


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, demo.DemoSummary]:
    """A 2,000-client book, made once for the tests that only read it."""
    path = tmp_path_factory.mktemp("demo") / "big.sqlite3"
    b = open_database(str(path))
    summary = demo.generate(2000, seed=11, today=TODAY)
    b.close()
    return path, summary


@pytest.fixture
def big_book(big: tuple[Path, demo.DemoSummary]):
    b = open_database(str(big[0]))
    yield big[1]
    b.close()


def test_same_seed_same_book_and_another_seed_another(book, fresh) -> None:
    demo.generate(60, seed=7, today=TODAY)
    first = dump()
    open_database(fresh("again"))
    demo.generate(60, seed=7, today=TODAY)
    assert dump() == first
    open_database(fresh("other"))
    demo.generate(60, seed=8, today=TODAY)
    other = dump()
    assert other["client"] != first["client"] and other["contact"] != first["contact"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the helper process is forked on Linux only")
def test_the_helper_process_makes_the_same_book(book, fresh, monkeypatch: pytest.MonkeyPatch) -> None:
    demo.generate(50, notes=40, seed=3, today=TODAY)
    alone = dump()
    open_database(fresh("helped"))
    used = []
    from workbench.services import demo_process

    monkeypatch.setattr(demo_process, "worthwhile", lambda job: True)
    real = demo_process.in_helper
    monkeypatch.setattr(demo_process, "in_helper", lambda job, sink: used.append(1) or real(job, sink))
    demo.generate(50, notes=40, seed=3, today=TODAY)
    assert used and dump() == alone


def test_refuses_a_book_with_clients_and_replace_starts_over(book, fresh) -> None:
    demo.generate(20, today=TODAY)
    with pytest.raises(Conflict, match=r"already has 20 clients; use --replace to start over"):
        demo.generate(20, today=TODAY)
    with transaction():
        models.Holiday.create(day=TODAY, off=True, note="local")
    summary = demo.generate(30, seed=5, today=TODAY, replace=True)
    assert summary.clients == 30 and models.Client.select().count() == 30 + summary.prospects
    assert models.Holiday.select().count() == 0 and models.Meta.select().count() >= 1
    replaced = dump()
    open_database(fresh("fresh"))
    demo.generate(30, seed=5, today=TODAY)
    if isinstance(database.obj, peewee.SqliteDatabase):
        assert dump() == replaced  # nothing of the old book is left, ids start over
    else:  # PostgreSQL's sequences never go back (in a team book other managers' rows hold later ids)
        assert sorted(map(repr, (c[1:] for c in dump()["client"]))) == sorted(
            map(repr, (c[1:] for c in replaced["client"]))
        )
        assert {t: len(rows) for t, rows in dump().items()} == {t: len(rows) for t, rows in replaced.items()}


def test_a_crash_leaves_nothing_behind(book, monkeypatch: pytest.MonkeyPatch) -> None:
    before = indexes()
    real = demo.bulk.insert_rows

    def failing(model, columns, rows):
        if model is models.Contact:
            raise RuntimeError("disk on fire")
        return real(model, columns, rows)

    monkeypatch.setattr(demo.bulk, "insert_rows", failing)
    with pytest.raises(RuntimeError):
        demo.generate(40, today=TODAY)
    assert models.Client.select().count() == 0 and models.Balance.select().count() == 0
    assert indexes() == before
    if isinstance(database.obj, peewee.SqliteDatabase):
        assert one("PRAGMA foreign_keys") == 1


def test_bad_numbers_are_refused(book) -> None:
    with pytest.raises(BadInput):
        demo.generate(-1, today=TODAY)
    with pytest.raises(BadInput):
        demo.generate(10, notes=-5, today=TODAY)


def test_a_40_client_book_shows_every_tier_trend_and_warning(book) -> None:
    demo.generate(40, seed=1, today=TODAY)
    assert {r[0] for r in q("SELECT tier FROM client")} == set(TIER_KEYS)
    assert {r[0] for r in q("SELECT kind FROM client")} == {"individual", "corporate"}
    assert {r[0] for r in q("SELECT trend FROM client")} == {"rising", "flat", "falling"}
    assert one("SELECT count(*) FROM client WHERE churn") >= 1
    assert one("SELECT count(*) FROM client WHERE tier_pending IS NOT NULL") >= 1  # a pending downgrade
    births = q("SELECT calendar, month, day, leap FROM key_date WHERE kind = 'birthday'")
    assert {b[0] for b in births} == {"solar", "lunar"}
    assert ("lunar", 8, 15, 0) in births and ("lunar", 12, 30, 0) in births  # 八月十五, 腊月三十
    assert any(b[0] == "lunar" and b[3] for b in births)  # a leap-month birthday
    week = (TODAY.isoformat(), (TODAY + dt.timedelta(days=7)).isoformat())
    assert one("SELECT count(*) FROM holding WHERE maturity_date BETWEEN ? AND ?", *week) >= 1
    assert one("SELECT max(month) FROM balance") == TODAY.replace(day=1).isoformat()
    assert one("SELECT count(DISTINCT month) FROM balance") >= 13
    assert one("SELECT max(date) FROM contact") <= TODAY.isoformat()
    names = [r[0] for r in q("SELECT name FROM client")]
    assert any(n.startswith("欧阳") for n in names) and any(n.startswith("单") for n in names)


def test_the_generator_and_the_app_agree(big_book) -> None:
    """refresh() recomputes tier, trend, churn, completeness, due dates, sort and search keys: no change."""
    columns = ", ".join(DERIVED)
    before = q(f"SELECT id, {columns} FROM client ORDER BY id")
    keys = q("SELECT key, client_id FROM search_key ORDER BY 1, 2")
    with transaction():
        refresh(today=TODAY)
    assert q(f"SELECT id, {columns} FROM client ORDER BY id") == before
    assert q("SELECT key, client_id FROM search_key ORDER BY 1, 2") == keys


def test_the_summary_counts_what_is_in_the_book(big_book) -> None:
    s = big_book
    assert s.seconds > 0
    counted = {
        "clients": "client",
        "balances": "balance",
        "holdings": "holding",
        "key_dates": "key_date",
        "contacts": "contact",
        "visits": "visit",
        "notes": "note",
        "decision_makers": "decision_maker",
    }
    for field, table in counted.items():
        assert getattr(s, field) == one(f"SELECT count(*) FROM {table}") - (s.prospects if field == "clients" else 0)
    assert s.individuals == one("SELECT count(*) FROM client WHERE kind = 'individual' AND status <> 'prospect'")
    assert s.corporates == one("SELECT count(*) FROM client WHERE kind = 'corporate' AND status <> 'prospect'")
    assert s.prospects == one("SELECT count(*) FROM client WHERE status = 'prospect'") == s.clients // 50
    assert s.lost == one("SELECT count(*) FROM client WHERE status = 'lost'") > 0
    assert s.balances == 13 * s.clients and s.notes == s.clients // 3
    assert 8 * s.clients < s.contacts < 12 * s.clients


def test_the_book_is_sound(big_book, tmp_path: Path) -> None:
    assert q("PRAGMA foreign_key_check") == [] and one("PRAGMA integrity_check") == "ok"
    made = indexes()
    open_database(str(tmp_path / "empty.sqlite3"))
    assert made == indexes()  # every index the load dropped is back, as it was


def test_people_and_companies_look_real(big_book) -> None:
    rows = q("SELECT kind, name, client_no, id_number, phone, industry FROM client WHERE status <> 'prospect'")
    kinds = Counter(r[0] for r in rows)
    assert 0.75 < kinds["individual"] / len(rows) < 0.85
    numbers = [r[2] for r in rows]
    assert len(set(numbers)) == len(numbers)
    assert all(re.fullmatch(r"C\d{8}" if r[0] == "individual" else r"E\d{8}", r[2]) for r in rows)
    assert all(identity.id_checksum_ok(r[3]) for r in rows)  # resident IDs and credit codes
    mobiles = [r[4] for r in rows if r[4] and "-" not in r[4]]
    assert all(identity.normalize_phone(p) == p and len(p) == 11 for p in mobiles)
    assert len(set(mobiles)) == len(mobiles)
    people = [r[1] for r in rows if r[0] == "individual"]
    surnames = Counter(n[0] for n in people)
    assert surnames.most_common(1)[0][0] in "王李张" and surnames["王"] > surnames["周"]
    assert any(n.startswith(("欧阳", "司马", "上官", "诸葛", "司徒")) for n in people)
    assert any(n[0] in "单曾解仇区" for n in people)
    assert {len(n) for n in people} >= {2, 3}
    assert len(set(people)) < len(people)  # names repeat, as in a real book
    companies = [r for r in rows if r[0] == "corporate"]
    assert all(r[1].endswith(("有限公司", "股份有限公司", "有限责任公司")) and r[5] for r in companies)


def test_profiles_key_dates_and_holdings_look_real(big_book) -> None:
    filled = q("SELECT completeness FROM client WHERE kind = 'individual'")
    thin = sum(1 for (c,) in filled if c < 40)
    assert thin > len(filled) / 2 and any(c >= 80 for (c,) in filled)  # most thin, some rich
    lunar = one("SELECT avg(calendar = 'lunar') FROM key_date WHERE kind = 'birthday'")
    assert 0.25 < lunar < 0.42
    assert one("SELECT count(*) FROM key_date WHERE kind = 'anniversary'") > 0
    assert one("SELECT count(*) FROM key_date WHERE next_date < ?", TODAY.isoformat()) == 0
    types = {r[0] for r in q("SELECT DISTINCT product_type FROM holding")}
    assert types == {"定期存款", "大额存单", "理财", "基金", "保险"}
    makers = Counter(r[0] for r in q("SELECT client_id FROM decision_maker"))
    corporates = one("SELECT count(*) FROM client WHERE kind = 'corporate'")
    assert 0 < len(makers) < corporates and set(makers.values()) == {1, 2, 3}
    assert one("SELECT count(*) FROM affiliate") > 0
    assert one("SELECT count(*) FROM client WHERE kind = 'corporate' AND loans > 0") > corporates / 2


def test_contacts_follow_the_tiers(big_book) -> None:
    per_client = dict(
        q(
            "SELECT tier, count(c.id) * 1.0 / count(DISTINCT cl.id) FROM client cl "
            "LEFT JOIN contact c ON c.client_id = cl.id GROUP BY tier"
        )
    )
    assert per_client["black"] > per_client["platinum"] > per_client["standard"]
    assert {r[0] for r in q("SELECT DISTINCT channel FROM contact")} >= {
        "phone",
        "wechat",
        "visit",
        "sms",
        "event",
    }
    assert one("SELECT count(*) FROM client WHERE last_contact IS NULL") > 0  # some never reached
    assert one("SELECT count(*) FROM client WHERE next_due < ?", TODAY.isoformat()) > 0  # some overdue


def test_recent_visits_are_recorded_as_the_wizard_records_them(big_book) -> None:
    from workbench.rules.journal import STAGE_KEYS
    from workbench.services import visits

    done = q("SELECT client_id, date, data FROM visit WHERE stage = 'done' AND finished_at IS NOT NULL")
    assert len(done) > 100
    contacted = set(q("SELECT client_id, date FROM contact WHERE channel = 'visit'"))
    assert all((cid, day) in contacted for cid, day, _ in done)  # each one a visit contact of that day
    assert all(dt.date.fromisoformat(day) >= TODAY - dt.timedelta(days=200) for _, day, _ in done)
    planned = q("SELECT date FROM visit WHERE finished_at IS NULL AND stage = 'before'")
    assert planned and all(TODAY < dt.date.fromisoformat(d) <= TODAY + dt.timedelta(days=11) for (d,) in planned)
    pipeline = visits.pipeline()
    assert set(pipeline) == set(STAGE_KEYS) and sum(map(len, pipeline.values())) > 100
    assert all(pipeline[stage] for stage in ("assess", "execute"))
    view = visits.get(int(one("SELECT id FROM visit WHERE stage = 'done' LIMIT 1")))
    assert view.finished and view.data["goal"] and view.data["observe"] and view.outcome in visits.OUTCOMES


def test_notes_tags_mentions_and_lessons(big_book) -> None:
    assert one("SELECT count(*) FROM note WHERE kind = 'lesson'") > 0
    assert (
        one(
            "SELECT count(*) FROM note WHERE kind = 'lesson' AND (situation IS NULL OR action IS NULL "
            "OR result IS NULL OR cause IS NULL OR next_time IS NULL)"
        )
        == 0
    )
    assert one("SELECT count(*) FROM note WHERE status = 'inbox'") > 0
    assert one("SELECT count(*) FROM note_tag") > one("SELECT count(*) FROM note") / 2
    linked = q(
        "SELECT n.text, c.name FROM note_client nc JOIN note n ON n.id = nc.note_id "
        "JOIN client c ON c.id = nc.client_id"
    )
    assert linked and all(f"@{name}" in text for text, name in linked)
    assert one("SELECT count(*) FROM note_client WHERE client_id IS NULL AND resolved = 0") > 0


def test_notes_can_be_asked_for_exactly(book) -> None:
    assert demo.generate(30, notes=777, today=TODAY).notes == 777 == models.Note.select().count()
    assert demo.generate(5, notes=0, today=TODAY, replace=True).notes == 0 == models.Note.select().count()
    assert demo.generate(0, notes=50, today=TODAY, replace=True).notes == 50 == models.Note.select().count()


def test_today_defaults_to_the_settings_day(book) -> None:
    demo.generate(20)  # conftest sets WORKBENCH_TODAY to TODAY
    assert one("SELECT max(month) FROM balance") == TODAY.replace(day=1).isoformat()
    assert one("SELECT max(updated_at) FROM client").startswith(TODAY.isoformat())


@pytest.mark.slow
def test_postgresql_gets_the_same_kind_of_book() -> None:
    """The generic path (no SQLite shortcuts): real booleans, sequences moved past the given ids."""
    from tests import pgcluster

    why = pgcluster.available()
    if why:
        pytest.skip(why)
    with pgcluster.cluster() as url:
        book = open_database(url)
        try:
            summary = demo.generate(120, seed=4, today=TODAY)
            assert summary.clients == models.Client.select().count() - summary.prospects == 120
            columns = ", ".join(DERIVED)
            before = q(f"SELECT id, {columns} FROM client ORDER BY id")
            keys = q("SELECT key, client_id FROM search_key ORDER BY 1, 2")
            with transaction():
                refresh(today=TODAY)
                new = 120 + summary.prospects + 1
                assert models.Client.create(name="新客户").id == new  # the id sequence was moved on
            assert q(f"SELECT id, {columns} FROM client WHERE id < {new} ORDER BY id") == before
            assert q(f"SELECT key, client_id FROM search_key WHERE client_id < {new} ORDER BY 1, 2") == keys
        finally:
            book.close()


def test_prospects_referrals_losses_and_events_look_real(big_book) -> None:
    """A book's comings and goings (services.demo_life): prospects with a source, an approach and a next step;
    clients won through referrals; losses this year whose record stops at the loss; the past events the event
    contacts were made at, and one coming up."""
    prospects = q("SELECT source, approach, next_step, next_step_date, client_no FROM client WHERE status = 'prospect'")
    assert prospects and all(r[0] and r[1] and r[2] and r[3] and r[4] is None for r in prospects)
    assert len({r[0] for r in prospects}) > 3 and any(r[0] == "referral" for r in prospects)
    assert (
        one(
            "SELECT count(*) FROM referral AS r JOIN client AS c ON c.id = r.client_id WHERE c.converted_at IS NOT NULL"
        )
        > 0
    )
    lost = q("SELECT id, lost_at, lost_reason, lost_normal, lost_tier FROM client WHERE status = 'lost'")
    assert all(r[1] >= "2026-01-01" and r[2] and r[3] is not None and r[4] for r in lost)
    assert {r[3] for r in lost} == {0, 1}  # normal and abnormal losses
    for cid, when, *_ in lost:
        assert one(f"SELECT count(*) FROM contact WHERE client_id = {cid} AND date > '{when}'") == 0
    d = dashboard.dashboard(dt.date(2026, 11, 1))
    assert d.losses and all(x.normal is not True for x in d.losses)
    past = q("SELECT e.id, e.date FROM event AS e WHERE e.date < '2026-11-23'")
    assert len(past) == 5
    for eid, day in past:  # whoever attended has the contact it made, on the day
        assert (
            one(
                "SELECT count(*) FROM invitation AS i JOIN contact AS c ON c.id = i.contact_id "
                f"WHERE i.event_id = {eid} AND i.status = 'attended' AND c.date = '{day}' AND c.channel = 'event'"
            )
            > 10
        )
    assert one("SELECT count(*) FROM invitation AS i JOIN event AS e ON e.id = i.event_id WHERE e.date > '2026-11-23'")
