"""Team mode (`wb team init|add|list`, `wb handover`): a branch's managers on one PostgreSQL database, each
seeing only their own book, their lead seeing the team. The security itself is the server's (store.team);
these are the use cases around it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee

from workbench.errors import BadInput, NotFound, Refused, StoreError
from workbench.services import brief, portfolio
from workbench.store import fulltext
from workbench.store import team as store_team
from workbench.store.db import Book, transaction
from workbench.store.models import Client, Handover, Note, NoteClient, NoteTag, database

HANDOVER_TAG = "交接"


@dataclass(frozen=True)
class Member:
    name: str
    lead: bool

    def as_json(self) -> dict[str, object]:
        return {"name": self.name, "lead": self.lead}


@dataclass(frozen=True)
class HandedOver:
    client_id: int
    client_no: str | None
    name: str
    note_id: int  # the handover brief in the receiving manager's inbox

    def as_json(self) -> dict[str, object]:
        return {"client_no": self.client_no, "name": self.name, "note_id": self.note_id}


def _postgres(book: Book) -> peewee.PostgresqlDatabase:
    if book.backend != "postgresql":
        raise StoreError(
            "team mode needs a PostgreSQL database: give its postgresql:// URL with --db or WORKBENCH_DB "
            "(a personal SQLite book moves there with `wb migrate-to URL`)"
        )
    return database.obj


def init(book: Book) -> list[str]:
    """Secure the team database (run once by its owner; again after an upgrade). The tables secured."""
    return store_team.init(_postgres(book))


def add(book: Book, name: str, *, lead: bool = False, password: str | None = None) -> bool:
    """A manager's login role (a lead's with ``lead``); True when new. Run by the database's owner."""
    db = _postgres(book)
    store_team.require_team(db)
    try:
        return store_team.add_member(db, name, lead=lead, password=password)
    except peewee.PeeweeException as exc:
        if "permission denied" in str(exc).lower() or "must have" in str(exc).lower():
            raise Refused("adding a manager is for the database's owner (a role that may create roles)") from None
        raise


def members(book: Book) -> list[Member]:
    db = _postgres(book)
    store_team.require_team(db)
    return [Member(name, lead) for name, lead in store_team.members(db)]


def whoami(book: Book) -> Member:
    db = _postgres(book)
    return Member(store_team.current_role(db), store_team.is_lead(db))


def handover(
    book: Book, refs: list[str], from_manager: str, to_manager: str, *, lang: str = "zh", today: dt.date | None = None
) -> list[HandedOver]:
    """Give ``refs`` (client numbers or names) of ``from_manager`` to ``to_manager`` with their whole history,
    record it, and leave a handover brief per client in the receiver's inbox. All or nothing.

    Leads only: the command says so first, and the database refuses anyone else whatever they run (the client
    policy lets only a lead write another manager's name on a client; only a lead may record a handover)."""
    db = _postgres(book)
    store_team.require_team(db)
    if from_manager == to_manager:
        raise BadInput("--from and --to name the same manager; nothing to hand over")
    for who in (from_manager, to_manager):
        if not store_team.is_member(db, who):
            raise NotFound(f"{who}: not a manager of this team (see `wb team list`)")
    if not refs:
        raise BadInput("name at least one client to hand over")
    if today is None:
        from workbench.services.settings import today as settings_today

        today = settings_today()
    done: list[HandedOver] = []
    with transaction():
        ids = []
        for ref in refs:
            cid = portfolio.find_client(ref)
            owner = Client.select(Client.manager).where(Client.id == cid).scalar()
            if owner != from_manager:
                raise BadInput(f"{ref}: this client is {owner}'s, not {from_manager}'s; nothing was handed over")
            if cid not in ids:
                ids.append(cid)
        for cid in ids:
            client = Client.get_by_id(cid)
            moved = Client.update(manager=to_manager).where(Client.id == cid, Client.manager == from_manager).execute()
            if moved != 1:
                raise Refused(f"{client.name}: the database did not let this role hand the client over")
            text = _brief_text(cid, from_manager, to_manager, lang, today)
            note = Note.create(date=today, text=text, kind="note", status="inbox", source="handover", owner=to_manager)
            NoteClient.create(note=note, client=cid, mention=client.name, resolved=True)
            NoteTag.create(note=note, tag=HANDOVER_TAG)
            fulltext.add([fulltext.Doc("note", note.id, cid, today, text)])
            Handover.create(client_id=cid, from_manager=from_manager, to_manager=to_manager, note_id=note.id)
            done.append(HandedOver(cid, client.client_no, client.name, note.id))
    return done


def _brief_text(client_id: int, from_manager: str, to_manager: str, lang: str, today: dt.date) -> str:
    head = (
        f"#{HANDOVER_TAG} {from_manager} → {to_manager}, {today.isoformat()}\n\n"
        if lang == "zh"
        else f"#{HANDOVER_TAG} handover {from_manager} → {to_manager}, {today.isoformat()}\n\n"
    )
    return head + brief.to_markdown(brief.build(client_id, lang=lang, today=today))


def handovers(book: Book, limit: int = 100) -> list[dict[str, object]]:
    """The handovers this role may see (its own, given or received; a lead's team), newest first."""
    _postgres(book)
    rows = Handover.select().order_by(Handover.at.desc(), Handover.id.desc()).limit(limit)
    return [
        {
            "at": r.at.isoformat(" ", "seconds") if isinstance(r.at, dt.datetime) else str(r.at),
            "client_id": r.client_id,
            "from": r.from_manager,
            "to": r.to_manager,
            "by": r.by_role,
            "note_id": r.note_id,
        }
        for r in rows
    ]
