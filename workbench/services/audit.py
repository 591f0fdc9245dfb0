"""The audit of unmasked numbers: every time phone and ID numbers are shown or exported in clear (--reveal,
the 360 view's reveal, a whole-book export), who did it and when is written to the book itself, so the
record travels with the book and a lead can read it (wb audit)."""

from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import dataclass

from workbench.store import bulk
from workbench.store.db import transaction
from workbench.store.models import Audit, database


@dataclass(frozen=True)
class AuditEntry:
    at: dt.datetime
    who: str
    action: str
    detail: str
    client_id: int | None

    def as_json(self) -> dict[str, object]:
        return {
            "at": self.at.isoformat(),
            "who": self.who,
            "action": self.action,
            "detail": self.detail,
            "client_id": self.client_id,
        }


def who() -> str:
    """The login running Workbench, and on PostgreSQL the database role it acts as."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        user = "uid-unknown"
    if bulk.is_postgres():
        role = database.execute_sql("SELECT current_user").fetchone()[0]
        return f"{user} ({role})" if role != user else user
    return user


def record(action: str, detail: str = "", client_id: int | None = None) -> None:
    """Write one audit line, in its own transaction (before the numbers are shown or written)."""
    with transaction():
        Audit.create(who=who(), action=action, detail=detail[:500], client_id=client_id)


def recent(limit: int = 50) -> list[AuditEntry]:
    """The newest audit lines first."""
    rows = Audit.select().order_by(Audit.at.desc(), Audit.id.desc()).limit(limit)
    return [AuditEntry(r.at, r.who, r.action, r.detail, r.client_id) for r in rows]
