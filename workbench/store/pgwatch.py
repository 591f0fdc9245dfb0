"""Telling a face that another connection has written to a PostgreSQL book (another `wb`, another terminal,
a lead's handover): each table's statement-level trigger sends a notification at commit (made by
migrations.postgres_extras), and a connection of the watch's own listens for it. It says only that
something changed, never what, so it tells one manager nothing of another's book."""

from __future__ import annotations

import contextlib

import peewee

CHANNEL = "wb_changed"


class PgChangeWatch:
    def __init__(self, db: peewee.PostgresqlDatabase) -> None:
        import psycopg

        params = {k: v for k, v in db.connect_params.items() if k != "autocommit"}
        self.conn = psycopg.connect(dbname=db.database, autocommit=True, **params)
        self.conn.execute(f"LISTEN {CHANNEL}")

    def changed(self) -> bool:
        """Whether a notification came since the last call (a lost connection says no: the store's own
        reconnection deals with the book; the watch just stops hearing)."""
        try:
            return any(True for _ in self.conn.notifies(timeout=0.0))
        except Exception:  # (a closed or broken connection: nothing more to hear)
            return False

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.close()
