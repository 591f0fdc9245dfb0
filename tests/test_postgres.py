"""A postgresql:// URL opens the same book through the same models (team features come later)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests import pgcluster

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pg_url():
    why = pgcluster.available()
    if why:
        pytest.skip(why)
    with pgcluster.cluster() as url:
        yield url


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
