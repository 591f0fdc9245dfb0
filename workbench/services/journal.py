"""The journal (pane 4): the inbox of notes to sort, lessons from the template, the weekly review.

Triage turns an inbox note into something: linked to a client, a follow-up with a date (which enters the
planner), a lesson, or archived. Every change keeps the note's search text current (store.fulltext).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from peewee import JOIN, fn

from workbench.errors import BadInput, NotFound
from workbench.rules import journal as method
from workbench.rules.capture import MAX_NOTE
from workbench.rules.text import clean_input, safe
from workbench.services import holidays
from workbench.services.settings import policies
from workbench.services.settings import today as _today
from workbench.store import fulltext
from workbench.store.db import transaction
from workbench.store.models import Client, Contact, FollowUp, Holding, Note, NoteClient, NoteTag
from workbench.store.search import key_prefix

MAX_FIELD = 5_000
# peewee builds SQL from these comparisons, so they are written with == on purpose
SETTLED = NoteClient.resolved == True  # noqa: E712
WAITING = NoteClient.resolved == False  # noqa: E712


@dataclass(frozen=True)
class NoteRow:
    id: int
    date: dt.date
    text: str  # made safe to show
    kind: str  # note | lesson
    status: str  # inbox | filed | archived
    source: str
    tags: tuple[str, ...]
    clients: tuple[tuple[int, str], ...]  # linked (id, name)
    unresolved: tuple[str, ...]  # mentions waiting for triage, as written
    lesson: dict[str, str | None] = field(default_factory=dict)
    follow_ups: int = 0


@dataclass(frozen=True)
class WeekReview:
    start: dt.date
    end: dt.date
    contacts_made: int
    contacts_planned: int  # the daily capacity times the week's workdays so far
    new_lessons: tuple[NoteRow, ...]
    notes_added: int
    overdue_clients: int
    inbox: int


def inbox(limit: int = 200, offset: int = 0) -> list[NoteRow]:
    """Notes still to sort, newest first."""
    q = Note.select().where(Note.status == "inbox").order_by(Note.created_at.desc(), Note.id.desc())
    return _rows(q.limit(limit).offset(offset))


def count_inbox() -> int:
    return Note.select().where(Note.status == "inbox").count()


def lessons(limit: int = 200, tag: str | None = None) -> list[NoteRow]:
    q = Note.select().where(Note.kind == "lesson")
    if tag:
        q = q.where(Note.id.in_(NoteTag.select(NoteTag.note).where(NoteTag.tag == tag)))
    return _rows(q.order_by(Note.date.desc(), Note.id.desc()).limit(limit))


def get(note_id: int) -> NoteRow:
    rows = _rows(Note.select().where(Note.id == note_id))
    if not rows:
        raise NotFound(f"no note #{note_id}")
    return rows[0]


def _rows(query) -> list[NoteRow]:
    notes = list(query)
    if not notes:
        return []
    ids = [n.id for n in notes]
    tags: dict[int, list[str]] = {}
    for note_id, tag in NoteTag.select(NoteTag.note, NoteTag.tag).where(NoteTag.note.in_(ids)).tuples():
        tags.setdefault(note_id, []).append(tag)
    linked: dict[int, list[tuple[int, str]]] = {}
    waiting: dict[int, list[str]] = {}
    mentions = (
        NoteClient.select(NoteClient.note, NoteClient.client, NoteClient.mention, NoteClient.resolved, Client.name)
        .join(Client, JOIN.LEFT_OUTER, on=(NoteClient.client == Client.id))
        .where(NoteClient.note.in_(ids))
        .tuples()
    )
    for note_id, client_id, mention, resolved, name in mentions:
        if resolved and client_id is not None:
            linked.setdefault(note_id, []).append((client_id, name))
        else:
            waiting.setdefault(note_id, []).append(mention)
    follow = dict(
        FollowUp.select(FollowUp.note, fn.COUNT(FollowUp.id))
        .where(FollowUp.note.in_(ids))
        .group_by(FollowUp.note)
        .tuples()
    )
    return [
        NoteRow(
            n.id,
            n.date,
            safe(n.text),
            n.kind,
            n.status,
            n.source,
            tuple(tags.get(n.id, ())),
            tuple(dict.fromkeys(linked.get(n.id, ()))),
            tuple(waiting.get(n.id, ())),
            {f.name: safe(getattr(n, f.name)) or None for f in method.LESSON_FIELDS} if n.kind == "lesson" else {},
            follow.get(n.id, 0),
        )
        for n in notes
    ]


# --- triage ----------------------------------------------------------------------------------------------


def link(note_id: int, client_id: int, mention: str | None = None) -> NoteRow:
    """Link the note to a client, settling ``mention`` (as written) when given, else the first unsettled one."""
    with transaction():
        _note(note_id)
        if not Client.select().where(Client.id == client_id).exists():
            raise NotFound(f"no client #{client_id}")
        waiting = NoteClient.select().where(NoteClient.note == note_id, WAITING)
        if mention is not None:
            waiting = waiting.where(NoteClient.mention == mention)
        row = waiting.order_by(NoteClient.id).first()
        if row is not None:
            row.client, row.resolved = client_id, True
            row.save()
        elif not NoteClient.select().where(NoteClient.note == note_id, NoteClient.client == client_id).exists():
            NoteClient.create(note=note_id, client=client_id, mention="", resolved=True)
        _settle(note_id)
        _reindex(note_id)
    return get(note_id)


def follow_up(note_id: int, due: dt.date, text: str | None = None, client_id: int | None = None) -> int:
    """Turn the note into a follow-up with a due date for its client (it then enters the planner)."""
    with transaction():
        note = _note(note_id)
        if client_id is None:
            linked = NoteClient.select(NoteClient.client).where(
                NoteClient.note == note_id,
                SETTLED,
                NoteClient.client.is_null(False),
            )
            ids = [r.client_id for r in linked]
            if not ids:
                raise BadInput("link the note to a client first: a follow-up belongs to a client")
            client_id = ids[0]
        elif not Client.select().where(Client.id == client_id).exists():
            raise NotFound(f"no client #{client_id}")
        elif not NoteClient.select().where(NoteClient.note == note_id, NoteClient.client == client_id).exists():
            NoteClient.create(note=note_id, client=client_id, mention="", resolved=True)  # the note is about it
            _reindex(note_id)
        body = clean_input(text if text is not None else note.text)[:MAX_FIELD]
        if not body:
            raise BadInput("say what to follow up")
        fu = FollowUp.create(client=client_id, due=due, text=body, note=note_id)
        if note.status == "inbox":
            _settle(note_id, force=True)
    return fu.id


def make_lesson(
    note_id: int,
    fields: dict[str, str],
    facets: Iterable[tuple[str, str]] = (),
    client_id: int | None = None,
) -> NoteRow:
    """File the note as a lesson written from the template, tagged by client, tier, industry, product, stage."""
    names = {f.name for f in method.LESSON_FIELDS}
    unknown = set(fields) - names
    if unknown:
        raise BadInput(f"unknown lesson field {', '.join(sorted(unknown))}")
    values = {k: clean_input(v)[:MAX_FIELD] or None for k, v in fields.items()}
    if not any(values.values()):
        raise BadInput("a lesson needs at least one of: " + " / ".join(f.zh for f in method.LESSON_FIELDS))
    try:
        tags = [method.facet_tag(f, v) for f, v in facets]
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    with transaction():
        note = _note(note_id)
        for k, v in values.items():
            setattr(note, k, v)
        note.kind, note.status = "lesson", "filed"
        note.save()
        for tag in tags:
            if not NoteTag.select().where(NoteTag.note == note_id, NoteTag.tag == tag).exists():
                NoteTag.create(note=note_id, tag=tag)
        if client_id is not None:
            if not NoteClient.select().where(NoteClient.note == note_id, NoteClient.client == client_id).exists():
                NoteClient.create(note=note_id, client=client_id, mention="", resolved=True)
        _reindex(note_id)
    return get(note_id)


def suggested_facets(client_id: int) -> list[tuple[str, str]]:
    """The tier, industry and products of a client, as facets a lesson about it may carry."""
    c = Client.get_or_none(Client.id == client_id)
    if c is None:
        raise NotFound(f"no client #{client_id}")
    out = [("tier", c.tier)]
    if c.industry:
        out.append(("industry", c.industry.strip()[:40]))
    types = Holding.select(Holding.product_type).where(Holding.client == client_id, Holding.product_type.is_null(False))
    out += [("product", t) for t in sorted({h.product_type for h in types})]
    return out


def archive(note_id: int) -> NoteRow:
    with transaction():
        note = _note(note_id)
        note.status = "archived"
        note.save()
    return get(note_id)


def edit_text(note_id: int, text: str) -> NoteRow:
    body = clean_input(text)
    if not body:
        raise BadInput("a note cannot be empty")
    if len(body) > MAX_NOTE:
        raise BadInput(f"the note is {len(body):,} characters; at most {MAX_NOTE:,}")
    with transaction():
        note = _note(note_id)
        note.text = body
        note.save()
        _reindex(note_id)
    return get(note_id)


def _note(note_id: int) -> Note:
    note = Note.get_or_none(Note.id == note_id)
    if note is None:
        raise NotFound(f"no note #{note_id}")
    return note


def _settle(note_id: int, force: bool = False) -> None:
    """An inbox note whose mentions are all settled (and which is linked) is filed."""
    waiting = NoteClient.select().where(NoteClient.note == note_id, WAITING).exists()
    linked = NoteClient.select().where(NoteClient.note == note_id, SETTLED).exists()
    if force or (linked and not waiting):
        Note.update(status="filed").where(Note.id == note_id, Note.status == "inbox").execute()


def _reindex(note_id: int) -> None:
    note = _note(note_id)
    parts = [note.text, *(getattr(note, f.name) or "" for f in method.LESSON_FIELDS)]
    first = (
        NoteClient.select(NoteClient.client)
        .where(NoteClient.note == note_id, SETTLED, NoteClient.client.is_null(False))
        .order_by(NoteClient.id)
        .first()
    )
    doc = fulltext.Doc(
        note.kind, note_id, first.client_id if first else None, note.date, "\n".join(p for p in parts if p)
    )
    fulltext.remove("note", [note_id])
    fulltext.remove("lesson", [note_id])
    fulltext.add([doc])


# --- the week, and completing names ------------------------------------------------------------------------


def week_review(day: dt.date | None = None) -> WeekReview:
    day = day or _today()
    start, end = method.week_of(day)
    cal = holidays.calendar()
    made = Contact.select().where(Contact.date.between(start, min(end, day))).count()
    planned = policies().plan.capacity * cal.workdays_between(start, min(end, day))
    new = _rows(
        Note.select()
        .where(Note.kind == "lesson", Note.date.between(start, end))
        .order_by(Note.date.desc(), Note.id.desc())
    )
    added = Note.select().where(Note.date.between(start, end)).count()
    overdue = 0
    pol = policies()
    for rank, tier in enumerate(("standard", "gold", "gold_plus", "platinum", "platinum_plus", "diamond", "black")):
        late = day - dt.timedelta(days=pol.cadence.grace(tier))
        overdue += (
            Client.select().where(Client.tier_rank == rank, Client.next_due < late, Client.status == "active").count()
        )
    return WeekReview(start, end, made, planned, tuple(new), added, overdue, count_inbox())


def complete_mention(prefix: str, limit: int = 8) -> list[tuple[int, str, str | None]]:
    """Clients whose name, pinyin or initials start with ``prefix`` (for @-completion): (id, name, number)."""
    from workbench.rules.pinyin import normalize_query
    from workbench.store.models import SearchKey

    key = normalize_query(prefix)
    if not key:
        return []
    ids = SearchKey.select(SearchKey.client).where(key_prefix(key)).distinct().limit(limit * 3)
    rows = Client.select(Client.id, Client.name, Client.client_no).where(Client.id.in_(ids)).tuples()
    return sorted(rows, key=lambda r: (not r[1].startswith(prefix), len(r[1]), r[0]))[:limit]


def facet_choices() -> dict[str, Sequence[str]]:
    """The values each lesson facet can take that the book already uses (for the lesson form)."""
    from workbench.rules.tiers import TIER_KEYS

    industries = [
        r[0] for r in Client.select(Client.industry).where(Client.industry.is_null(False)).distinct().limit(50).tuples()
    ]
    products = [
        r[0]
        for r in Holding.select(Holding.product_type).where(Holding.product_type.is_null(False)).distinct().tuples()
    ]
    return {"tier": TIER_KEYS, "industry": industries, "product": products, "stage": method.STAGE_KEYS}
