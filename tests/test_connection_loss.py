"""A team database that goes away mid-session: reads reconnect by themselves, a write that met the loss says
nothing was saved and works when tried again, and a quick note is never lost (it waits in the spool)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests import pgcluster
from workbench.errors import ConnectionLost
from workbench.store.db import open_database, transaction, use_psycopg
from workbench.store.models import Client, Note, database

pytestmark = pytest.mark.slow


@pytest.fixture
def url():
    why = pgcluster.available()
    if why:
        pytest.skip(why)
    use_psycopg()
    with pgcluster.cluster() as made:  # a cluster of its own: this test stops and starts the server
        yield made


def kill_sessions(url: str) -> None:
    """What a server restart or a dropped link does to the open session: its connection ends."""
    import psycopg

    base = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (url.rsplit("/", 1)[1],),
        )


def test_a_read_reconnects_and_a_write_says_it_was_not_saved_then_works(url: str) -> None:
    from workbench.services import planner, portfolio

    book = open_database(url)
    with transaction():
        c = Client.create(name="单伟明", client_no="C1")
    assert [r.name for r in portfolio.list_clients()] == ["单伟明"]
    kill_sessions(url)
    assert [r.name for r in portfolio.list_clients()] == ["单伟明"]  # reconnected, once, by itself
    kill_sessions(url)
    with transaction():  # lost before the write began: it reconnects at BEGIN, nothing was half-done
        Client.create(name="王芳", client_no="C2")
    with pytest.raises(ConnectionLost, match="nothing of this action was saved"):
        with transaction():
            Client.create(name="李静", client_no="C3")
            kill_sessions(url)  # lost half-way: not retried behind the user's back
            Client.create(name="陈静", client_no="C4")
    planner.log_contact(c.id, "phone", "续存", day=dt.date(2026, 11, 23))  # trying again works
    assert sorted(Client.select(Client.client_no).tuples()) == [("C1",), ("C2",)]  # C3 went with the loss
    assert Client.get_by_id(c.id).last_contact == dt.date(2026, 11, 23)
    book.close()


def test_a_note_written_while_the_server_is_down_waits_and_goes_in(url: str, capsys) -> None:
    from workbench.cli import main

    assert main(["--db", url, "note", "第一条"]) == 0
    database.close()
    pgcluster.server(url, "stop")
    try:
        assert main(["--db", url, "note", "服务器停了也不丢 #教训"]) == 0
        out, err = capsys.readouterr()
        assert "cannot connect to PostgreSQL" in err + out
        code = main(["--db", url, "clients"])
        assert code == 1 and "Traceback" not in capsys.readouterr().err
    finally:
        pgcluster.server(url, "start")
    assert main(["--db", url, "note", "第三条"]) == 0  # the waiting note goes in first
    open_database(url)
    assert [n.text for n in Note.select().order_by(Note.id)] == ["第一条", "服务器停了也不丢 #教训", "第三条"]
    database.close()
