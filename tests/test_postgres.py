"""A postgresql:// URL opens the same book through the same models (team features come later)."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pg_url(pg_server):
    url = pg_server.create()
    yield url
    from workbench.store.models import database

    if database.obj is not None and not database.is_closed():
        database.close()
    pg_server.drop(url)


def test_the_same_models_work_on_postgresql(pg_url: str) -> None:
    from workbench.services import client360, portfolio
    from workbench.services.figures import refresh
    from workbench.store import migrations
    from workbench.store.db import open_database, transaction
    from workbench.store.models import Balance, Client, Contact, database

    book = open_database(pg_url)
    assert book.backend == "postgresql" and migrations.current_version(database) == migrations.LATEST
    with transaction():
        c = Client.create(name="单伟明", client_no="C001", phone="13812345678")
        for i, aum in enumerate((6_000_000, 4_000_000, 4_000_000)):
            Balance.create(client=c, month=dt.date(2026, 9 + i, 1), aum=aum)
        Contact.create(client=c, date=dt.date(2026, 11, 1), channel="phone", outcome="续存")
        refresh([c.id], today=dt.date(2026, 11, 23))
    rows = portfolio.list_clients(search="shanw")
    assert [r.name for r in rows] == ["单伟明"] and rows[0].tier == "diamond" and rows[0].tier_pending
    view = client360.client_view(c.id)
    assert view.contacts[0].outcome == "续存" and view.aum == 4_000_000
    book.close()
    book = open_database(pg_url)  # reopening runs no migration and keeps the data
    assert Client.select().count() == 1
    book.close()


def test_the_planner_runs_on_postgresql(pg_url: str, tmp_path) -> None:
    """The planner's per-tier window queries, key dates by (month, day), logging, holidays and ICS."""
    from decimal import Decimal

    import icalendar

    from workbench.services import holidays, ics, planner
    from workbench.services.figures import refresh
    from workbench.store.db import open_database, transaction
    from workbench.store.models import Balance, Client, Holding, KeyDate

    today = dt.date(2026, 11, 23)
    book = open_database(pg_url)
    with transaction():
        c = Client.create(name="欧阳娜娜", client_no="P001")
        Balance.create(client=c, month=dt.date(2026, 11, 1), aum=Decimal(12_000_000), deposits=Decimal(3_000_000))
        Holding.create(client=c, product="大额存单", product_type="大额存单", amount=1_000_000, maturity_date=today)
        KeyDate.create(client=c, kind="birthday", calendar="lunar", month=10, day=15)  # 农历十月十五: 2026-11-23
        refresh([c.id], today=today)
    plan = planner.today_plan(today)
    kinds = {r.kind for r in plan.items[0].reasons}
    assert plan.items[0].name == "欧阳娜娜" and {"maturity", "birthday"} <= kinds
    planner.log_contact(c.id, "phone", "续存一年", day=today)
    assert planner.today_plan(today).items[0].done
    holidays.add("2027-02-20", off=False, note="调休")
    rows, known = holidays.year_list(2027)
    assert not known and any(r.source == "local" and r.workday for r in rows)
    done = ics.export_ics(tmp_path / "plan.ics", today, days=3)
    events = icalendar.Calendar.from_ical((tmp_path / "plan.ics").read_bytes()).walk("VEVENT")
    assert done.key_dates == 1 and len(events) == done.contacts + done.key_dates
    book.close()


def test_capture_search_and_journal_on_postgresql(pg_url: str) -> None:
    """wb note and wb search go through the full store on PostgreSQL: mentions, tags, lessons, search, triage."""
    from workbench.services import capture, journal, search
    from workbench.services.figures import refresh
    from workbench.store.db import open_database, transaction
    from workbench.store.models import Client

    book = open_database(pg_url)
    with transaction():
        c = Client.create(name="司马光", client_no="P900")
        refresh([c.id])
    saved = capture.capture("今天 @司马光 问了留学贷款 #留学", target=pg_url)
    assert saved.note_id and [m.status for m in saved.mentions] == ["linked"] and saved.tags == ("留学",)
    lesson = capture.capture("先问清楚决策人 #教训", target=pg_url)
    assert lesson.kind == "lesson"
    hits = search.search("留学", target=pg_url)
    assert hits and hits[0].kind == "note" and hits[0].client == "司马光" and "【留学】" in hits[0].snippet
    assert [h.kind for h in search.search("决策人", target=pg_url)] == ["lesson"]
    waiting = capture.capture("@不存在 来电", target=pg_url)
    assert journal.get(waiting.note_id).status == "inbox"
    assert journal.link(waiting.note_id, c.id).status == "filed"
    book.close()
