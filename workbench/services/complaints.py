"""Complaints (DOMAIN.md §6), walked through six steps with dates: 安抚 calm, 接受 accept, 判定 decide whether
it stands, 确定部门 route it, 解决方案 resolve, 分析原因 find the cause. An open complaint keeps the client on the
plan (the planner reads it); the cause analysis can become a lesson."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from workbench.errors import BadInput, Conflict, NotFound
from workbench.rules.text import clean_input, safe
from workbench.services.settings import today as _today
from workbench.store import fulltext
from workbench.store.db import transaction
from workbench.store.models import Client, Complaint, Note, NoteClient, NoteTag

STEPS = ("安抚", "接受", "判定", "确定部门", "解决方案", "分析原因")
STEPS_EN = ("calm", "accept", "decide", "route", "resolve", "find the cause")
MAX_TEXT = 5_000


@dataclass(frozen=True)
class ComplaintRow:
    id: int
    client_id: int
    client: str
    opened: dt.date
    text: str
    step: str  # the step now under way (the next to complete), or the last once resolved
    done: list[dict[str, str]]  # completed steps: {"step", "date", "note"}
    resolved_at: dt.date | None

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "client": self.client,
            "opened": self.opened.isoformat(),
            "text": self.text,
            "step": self.step,
            "steps": self.done,
            "resolved": self.resolved_at.isoformat() if self.resolved_at else None,
        }


def add(client_id: int, text: str, day: dt.date | None = None) -> ComplaintRow:
    body = clean_input(text)
    if not body:
        raise BadInput("say what the complaint is about")
    if len(body) > MAX_TEXT:
        raise BadInput(f"at most {MAX_TEXT:,} characters")
    with transaction():
        if not Client.select().where(Client.id == client_id).exists():
            raise NotFound(f"no client #{client_id}")
        c = Complaint.create(client=client_id, opened=day or _today(), text=body, step=STEPS[0], data="[]")
    return get(c.id)


def get(complaint_id: int) -> ComplaintRow:
    rows = _rows(Complaint.select().where(Complaint.id == complaint_id))
    if not rows:
        raise NotFound(f"no complaint #{complaint_id}")
    return rows[0]


def list_complaints(open_only: bool = False) -> list[ComplaintRow]:
    q = Complaint.select()
    if open_only:
        q = q.where(Complaint.resolved_at.is_null())
    return _rows(q.order_by(Complaint.resolved_at.is_null(False), Complaint.opened.desc(), Complaint.id.desc()))


def _rows(query) -> list[ComplaintRow]:
    items = list(query)
    names = dict(Client.select(Client.id, Client.name).where(Client.id.in_([c.client_id for c in items])).tuples())
    return [
        ComplaintRow(
            c.id, c.client_id, safe(names.get(c.client_id, "")), c.opened, safe(c.text), c.step, _done(c), c.resolved_at
        )
        for c in items
    ]


def _done(c: Complaint) -> list[dict[str, str]]:
    try:
        done = json.loads(c.data or "[]")
    except ValueError:
        return []
    return done if isinstance(done, list) else []


def complete_step(complaint_id: int, note: str = "", day: dt.date | None = None) -> ComplaintRow:
    """Complete the step under way (with what was done, and the date) and move to the next; completing
    解决方案 resolves the complaint (the client leaves the plan for it); 分析原因 can follow."""
    day = day or _today()
    text = clean_input(note)[:MAX_TEXT]
    with transaction():
        c = Complaint.get_or_none(Complaint.id == complaint_id)
        if c is None:
            raise NotFound(f"no complaint #{complaint_id}")
        done = _done(c)
        if len(done) >= len(STEPS):
            raise Conflict("every step of this complaint is done")
        step = STEPS[len(done)]
        if step == "分析原因" and not text:
            raise BadInput("write down the cause: what the complaint says about the client's concerns")
        done.append({"step": step, "date": day.isoformat(), "note": text})
        c.data = json.dumps(done, ensure_ascii=False)
        c.step = STEPS[len(done)] if len(done) < len(STEPS) else step
        if step == "解决方案":
            c.resolved_at = day
        c.save()
    return get(complaint_id)


def cause_to_lesson(complaint_id: int) -> int:
    """File the cause analysis as a lesson about the client; the lesson's id."""
    row = get(complaint_id)
    cause = next((d["note"] for d in row.done if d["step"] == "分析原因" and d.get("note")), None)
    if cause is None:
        raise BadInput("complete the step 分析原因 (with the cause) first")
    handled = "；".join(f"{d['step']}：{d['note']}" for d in row.done if d.get("note") and d["step"] != "分析原因")
    with transaction():
        c = Complaint.get_by_id(complaint_id)
        done = (
            Note.select(Note.id)
            .join(NoteClient, on=(NoteClient.note == Note.id))
            .where(Note.source == "complaint", Note.text == f"投诉：{c.text}", NoteClient.client == c.client_id)
            .first()
        )
        if done is not None:
            raise Conflict(f"the cause of this complaint is already lesson #{done.id}")
        note = Note.create(
            date=_today(),
            text=f"投诉：{c.text}",
            kind="lesson",
            status="filed",
            source="complaint",
            situation=c.text,
            cause=cause,
            action=handled or None,
        )
        NoteClient.create(note=note.id, client=c.client_id, mention="", resolved=True)
        for tag in ("教训", "投诉", f"tier:{Client.get_by_id(c.client_id).tier}"):
            NoteTag.create(note=note.id, tag=tag)
        fulltext.add([fulltext.Doc("lesson", note.id, c.client_id, note.date, f"{note.text}\n{cause}")])
    return note.id
