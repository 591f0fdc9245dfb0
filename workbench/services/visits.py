"""Visits (DOMAIN.md §4–6) in three stages: before (the brief, the goal, the questions, what to bring), during
(望 observe, 闻 listen, 问 ask, 切 confirm) and after (outcome, needs, follow-ups, opportunities on the five-step
process, the next contact, the lesson).

Every field is saved as it is typed (``save``), so a visit closed half-way resumes exactly where it was.
``finish`` turns the visit into what it means for the book — a contact, follow-ups, the agreed next date, a
lesson, profile answers that were confirmed — and makes it read-only; later changes are amendments, recorded.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from workbench.errors import BadInput, Conflict, NotFound
from workbench.rules import journal as method
from workbench.rules.dates import parse_date
from workbench.rules.text import clean_input
from workbench.services.settings import today as _today
from workbench.store import fulltext
from workbench.store.db import transaction
from workbench.store.models import Client, Contact, FollowUp, Note, NoteClient, NoteTag, Visit, now

STAGES = ("before", "during", "after", "done")
OUTCOMES = ("succeeded", "partly", "failed", "postponed")
NEED_KINDS = ("wish", "need")
MAX_TEXT = 5_000
# the fields a visit holds, and their kinds (text, list of texts, or structured lists)
FIELDS = {
    "goal": "text",
    "questions": "texts",
    "materials": "text",
    "observe": "text",  # 望
    "listen": "text",  # 闻
    "answers": "answers",  # 问: {index: {"answer", "status"}}
    "gap_answers": "gaps",  # {field: {"answer", "confirmed"}}
    "confirm": "needs",  # 切: [{"need", "kind", "agreed"}]
    "outcome": "outcome",
    "why": "text",
    "needs_found": "text",
    "follow_ups": "follow_ups",  # [{"text", "due"}]
    "opportunities": "opportunities",  # [{"product", "stage"}]
    "next_contact": "date",
    "lesson": "lesson",  # the journal's template
}


@dataclass(frozen=True)
class StartedVisit:
    id: int
    client_id: int
    name: str
    date: dt.date
    created: bool  # False: an unfinished visit for that client and day already existed


@dataclass(frozen=True)
class VisitView:
    id: int
    client_id: int
    client: str
    date: dt.date
    stage: str
    outcome: str | None
    data: dict[str, object]
    finished: bool
    amendments: list[dict[str, object]]


def start_visit(client_id: int, day: dt.date | None = None, reasons: list[str] | None = None) -> StartedVisit:
    """A visit in its first stage (before) for the client on ``day``, noting why it was planned. Starting it
    twice the same day gives the same visit."""
    day = day or _today()
    with transaction():
        client = Client.get_or_none(Client.id == client_id)
        if client is None:
            raise NotFound(f"no client #{client_id}")
        existing = (
            Visit.select()
            .where(Visit.client == client_id, Visit.date == day, Visit.finished_at.is_null())
            .order_by(Visit.id)
            .first()
        )
        if existing is not None:
            return StartedVisit(existing.id, client_id, client.name, day, False)
        data = {"planned_because": [clean_input(r) for r in reasons or []]}
        visit = Visit.create(client=client_id, date=day, stage="before", data=json.dumps(data, ensure_ascii=False))
    return StartedVisit(visit.id, client_id, client.name, day, True)


def get(visit_id: int) -> VisitView:
    v = Visit.get_or_none(Visit.id == visit_id)
    if v is None:
        raise NotFound(f"no visit #{visit_id}")
    data = _data(v)
    amendments = data.pop("amendments", [])
    name = Client.select(Client.name).where(Client.id == v.client_id).scalar()
    return VisitView(v.id, v.client_id, name, v.date, v.stage, v.outcome, data, v.finished_at is not None, amendments)


def _data(v: Visit) -> dict[str, object]:
    try:
        data = json.loads(v.data or "{}")
    except ValueError:
        data = {}
    return data if isinstance(data, dict) else {}


def check(key: str, value: object) -> object:
    """A field's value as stored, checked; BadInput naming the field when it is wrong."""
    kind = FIELDS.get(key)
    if kind is None:
        raise BadInput(f"a visit has no field {key!r}")
    try:
        return _CHECKS[kind](value)
    except AttributeError:
        raise BadInput("each item must be a set of named values (a mapping), not plain text", column=key) from None
    except (TypeError, ValueError, KeyError) as exc:
        raise BadInput(str(exc), column=key) from None


def _text(value: object) -> str:
    text = clean_input(str(value or ""))
    if len(text) > MAX_TEXT:
        raise ValueError(f"at most {MAX_TEXT:,} characters")
    return text


def _texts(value: object) -> list[str]:
    return [t for t in (_text(x) for x in (value or [])) if t]


def _date_text(value: object) -> str | None:
    if value in (None, ""):
        return None
    return value.isoformat() if isinstance(value, dt.date) else parse_date(str(value)).isoformat()


def _answers(value: object) -> dict[str, dict[str, str]]:
    out = {}
    for key, item in dict(value or {}).items():
        status = item.get("status", "answered")
        if status not in ("answered", "skipped"):
            raise ValueError(f"question {key}: answered or skipped")
        out[str(int(key))] = {"answer": _text(item.get("answer", "")), "status": status}
    return out


def _gaps(value: object) -> dict[str, dict[str, object]]:
    from workbench.rules import profile

    out = {}
    for name, item in dict(value or {}).items():
        if name not in profile.BY_NAME:
            raise ValueError(f"no profile field {name!r}")
        out[name] = {"answer": _text(item.get("answer", "")), "confirmed": bool(item.get("confirmed", False))}
    return out


def _needs(value: object) -> list[dict[str, object]]:
    out = []
    for item in value or []:
        if item.get("kind", "need") not in NEED_KINDS:
            raise ValueError("each need is a wish or a need")
        need = _text(item.get("need", ""))
        if need:
            out.append({"need": need, "kind": item.get("kind", "need"), "agreed": bool(item.get("agreed", False))})
    return out


def _outcome(value: object) -> str | None:
    if value in (None, ""):
        return None
    if value not in OUTCOMES:
        raise ValueError(f"one of {', '.join(OUTCOMES)}")
    return str(value)


def _follow_ups(value: object) -> list[dict[str, str | None]]:
    out = []
    for item in value or []:
        text = _text(item.get("text", ""))
        if text:
            out.append({"text": text, "due": _date_text(item.get("due"))})
    return out


def _opportunities(value: object) -> list[dict[str, str]]:
    out = []
    for item in value or []:
        stage = item.get("stage", "assess")
        if stage not in method.STAGE_KEYS:
            raise ValueError(f"sales stage: one of {', '.join(method.STAGE_KEYS)}")
        product = _text(item.get("product", ""))
        if product:
            out.append({"product": product, "stage": stage})
    return out


def _lesson(value: object) -> dict[str, str]:
    names = {f.name for f in method.LESSON_FIELDS}
    out = {}
    for key, text in dict(value or {}).items():
        if key not in names:
            raise ValueError(f"no lesson field {key!r}")
        out[key] = _text(text)
    return out


_CHECKS = {
    "text": _text,
    "texts": _texts,
    "answers": _answers,
    "gaps": _gaps,
    "needs": _needs,
    "outcome": _outcome,
    "follow_ups": _follow_ups,
    "opportunities": _opportunities,
    "date": _date_text,
    "lesson": _lesson,
}


def save(visit_id: int, **fields: object) -> VisitView:
    """Save these fields of an unfinished visit as they stand (called as the manager types)."""
    checked = {k: check(k, v) for k, v in fields.items()}
    with transaction():
        v = _visit(visit_id)
        if v.finished_at is not None:
            raise Conflict("this visit is finished and read-only; amend it instead")
        data = _data(v)
        data.update(checked)
        v.data = json.dumps(data, ensure_ascii=False)
        if checked.get("next_contact"):
            _check_next(v, str(checked["next_contact"]))
        _mirror(v, checked)
        v.updated_at = now()
        v.save()
    return get(visit_id)


def _mirror(v: Visit, checked: dict[str, object]) -> None:
    """The goal and outcome are also columns (lists show them)."""
    if "goal" in checked:
        v.goal = checked["goal"] or None
    if "outcome" in checked:
        v.outcome = checked["outcome"]


def _check_next(v: Visit, day: str) -> None:
    if dt.date.fromisoformat(day) <= v.date:
        raise BadInput(f"{day}: the next contact must come after the visit ({v.date})", column="next_contact")


def set_stage(visit_id: int, stage: str) -> VisitView:
    if stage not in STAGES[:3]:
        raise BadInput(f"stage: one of {', '.join(STAGES[:3])} (finish a visit to end it)")
    with transaction():
        v = _visit(visit_id)
        if v.finished_at is not None:
            raise Conflict("this visit is finished")
        v.stage, v.updated_at = stage, now()
        v.save()
    return get(visit_id)


def finish(visit_id: int) -> VisitView:
    """End the visit: record it as a contact, create its follow-ups, set the agreed next contact, file its
    lesson (a failed visit must have one) and apply the confirmed answers to gap questions."""
    from workbench.services import figures

    today = _today()
    with transaction():
        v = _visit(visit_id)
        if v.finished_at is not None:
            raise Conflict("this visit is already finished")
        data = _data(v)
        outcome = data.get("outcome")
        if outcome not in OUTCOMES:
            raise BadInput("say how the visit went: succeeded, partly, failed or postponed", column="outcome")
        lesson = {k: x for k, x in dict(data.get("lesson") or {}).items() if x}
        if outcome == "failed" and not lesson:
            raise BadInput("a failed visit needs its lesson: what happened, why, what next time", column="lesson")
        for f in data.get("follow_ups") or []:
            if not f.get("due"):
                raise BadInput(f"the follow-up {f['text']!r} needs a due date", column="follow_ups")
        if data.get("next_contact"):
            _check_next(v, str(data["next_contact"]))
        summary = _summary(data)
        contact = Contact.create(client=v.client_id, date=v.date, channel="visit", outcome=summary)
        fulltext.add([fulltext.Doc("contact", contact.id, v.client_id, v.date, summary)])
        for f in data.get("follow_ups") or []:
            FollowUp.create(client=v.client_id, due=dt.date.fromisoformat(f["due"]), text=f["text"], visit=v.id)
        if data.get("next_contact"):
            Client.update(next_contact=dt.date.fromisoformat(str(data["next_contact"]))).where(
                Client.id == v.client_id
            ).execute()
        if lesson:
            _file_lesson(v, data, lesson)
        for name, item in dict(data.get("gap_answers") or {}).items():
            if item.get("confirmed") and item.get("answer"):
                _apply_answer(v.client_id, name, str(item["answer"]), today)
        v.stage, v.outcome, v.finished_at, v.updated_at = "done", outcome, now(), now()
        v.save()
        figures.refresh([v.client_id], today=today, keys=False)
    return get(visit_id)


def _apply_answer(client_id: int, name: str, answer: str, today: dt.date) -> None:
    """A confirmed answer to a gap question, into the profile: a field, or a related record."""
    from workbench.services import client360
    from workbench.store.models import Affiliate, DecisionMaker, KeyDate

    if name == "decision_makers":
        DecisionMaker.create(client=client_id, name=answer[:200])
    elif name == "affiliates":
        Affiliate.create(client=client_id, name=answer[:200])
    elif name == "birthday":
        from workbench.rules.columns import parse_key_day

        try:
            day = parse_key_day("birthday", answer)
        except ValueError as exc:
            raise BadInput(exc, column="birthday", value=answer) from None
        KeyDate.delete().where(KeyDate.client == client_id, KeyDate.kind == "birthday").execute()
        KeyDate.create(
            client=client_id,
            kind="birthday",
            calendar=day.calendar,
            month=day.month,
            day=day.day,
            leap=day.leap,
            year=day.year,
            next_date=day.next_date(today),
        )
    else:
        client360.update_field(client_id, name, answer, today=today)


def _summary(data: dict[str, object]) -> str:
    words = {"succeeded": "成功", "partly": "部分达成", "failed": "未成", "postponed": "改期"}
    parts = [f"拜访{words.get(str(data.get('outcome')), '')}"]
    if data.get("goal"):
        parts.append(f"目标：{data['goal']}")
    if data.get("why"):
        parts.append(f"原因：{data['why']}")
    if data.get("needs_found"):
        parts.append(f"需求：{data['needs_found']}")
    return "；".join(parts)[:MAX_TEXT]


def _file_lesson(v: Visit, data: dict[str, object], lesson: dict[str, str]) -> None:
    client = Client.get_by_id(v.client_id)
    text = lesson.get("result") or lesson.get("situation") or next(iter(lesson.values()))
    note = Note.create(
        date=v.date,
        text=f"拜访 {client.name}：{text}",
        kind="lesson",
        status="filed",
        source="visit",
        visit=v.id,
        **{k: lesson.get(k) for k in ("situation", "action", "result", "cause", "next_time")},
    )
    NoteClient.create(note=note.id, client=v.client_id, mention="", resolved=True)
    tags = {"教训", f"tier:{client.tier}"}
    if client.industry:
        tags.add(f"industry:{client.industry.strip()[:40]}")
    for o in data.get("opportunities") or []:
        tags.add(f"stage:{o['stage']}")
    for tag in sorted(tags):
        NoteTag.create(note=note.id, tag=tag)
    body = "\n".join([note.text, *(x for x in lesson.values() if x)])
    fulltext.add([fulltext.Doc("lesson", note.id, v.client_id, v.date, body)])


def amend(visit_id: int, **fields: object) -> VisitView:
    """Change a finished visit: each change is recorded (when, which field, before and after)."""
    checked = {k: check(k, v) for k, v in fields.items()}
    with transaction():
        v = _visit(visit_id)
        if v.finished_at is None:
            raise Conflict("this visit is not finished: save its fields instead")
        data = _data(v)
        log = list(data.get("amendments") or [])
        for key, value in checked.items():
            log.append({"at": now().isoformat(" ", "seconds"), "field": key, "old": data.get(key), "new": value})
            data[key] = value
        data["amendments"] = log
        _mirror(v, checked)
        if checked.get("next_contact"):
            _check_next(v, str(checked["next_contact"]))
            day = dt.date.fromisoformat(str(checked["next_contact"]))
            Client.update(next_contact=day).where(Client.id == v.client_id).execute()
        v.data = json.dumps(data, ensure_ascii=False)
        v.updated_at = now()
        v.save()
        if checked.get("next_contact"):
            from workbench.services import figures

            figures.refresh([v.client_id], today=_today(), keys=False)
    return get(visit_id)


def _visit(visit_id: int) -> Visit:
    v = Visit.get_or_none(Visit.id == visit_id)
    if v is None:
        raise NotFound(f"no visit #{visit_id}")
    return v


# --- lists ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitRow:
    id: int
    client_id: int
    client: str
    date: dt.date
    stage: str
    outcome: str | None
    goal: str | None


def list_visits(limit: int = 200) -> list[VisitRow]:
    """Unfinished visits first (oldest first: they are waiting), then finished ones, newest first."""
    columns = (Visit.id, Visit.client, Client.name, Visit.date, Visit.stage, Visit.outcome, Visit.goal)
    open_ = Visit.select(*columns).join(Client).where(Visit.finished_at.is_null()).order_by(Visit.date, Visit.id)
    done = Visit.select(*columns).join(Client).where(Visit.finished_at.is_null(False))
    rows = [*open_.limit(limit).tuples(), *done.order_by(Visit.date.desc(), Visit.id.desc()).limit(limit).tuples()]
    return [VisitRow(*r) for r in rows[:limit]]


def pipeline() -> dict[str, list[tuple[str, str, dt.date]]]:
    """Opportunities by sales stage: for each client and product, the stage its latest visit gave it."""
    latest: dict[tuple[int, str], tuple[str, str, dt.date]] = {}
    rows = (
        Visit.select(Visit.client, Client.name, Visit.date, Visit.data)
        .join(Client)
        .where(Visit.data.contains('"opportunities"'))
        .order_by(Visit.date, Visit.id)
        .tuples()
    )
    for client_id, name, day, raw in rows:
        try:
            items = json.loads(raw).get("opportunities") or []
        except ValueError:
            continue
        for o in items:
            latest[(client_id, o["product"])] = (o["stage"], name, day)
    out: dict[str, list[tuple[str, str, dt.date]]] = {k: [] for k in method.STAGE_KEYS}
    for (_cid, product), (stage, name, day) in latest.items():
        out.setdefault(stage, []).append((name, product, day))
    return out


def open_plan(client_id: int) -> dict[str, object]:
    """The goal, questions and materials of the client's unfinished visit, if there is one."""
    v = (
        Visit.select()
        .where(Visit.client == client_id, Visit.finished_at.is_null())
        .order_by(Visit.date.desc(), Visit.id.desc())
        .first()
    )
    if v is None:
        return {}
    data = _data(v)
    return {k: data[k] for k in ("goal", "questions", "materials") if data.get(k)} | {"visit": v.id}
