"""wb ics: the coming days' planned contacts and key dates as an iCalendar file (RFC 5545).

Each planned contact is one all-day event whose UID is the client's, so importing a newer file moves the event
instead of adding another; each key date's UID is the key date's and the year's. The file holds names and
reasons only: no phone, ID number or amount beyond what a reason says.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import BadInput
from workbench.rules import planner as rules
from workbench.services import holidays, planner
from workbench.services.settings import policies
from workbench.services.settings import today as _today

MAX_DAYS = 92
KIND_WORDS = {"birthday": ("生日", "birthday"), "anniversary": ("结婚纪念日", "anniversary")}
CHANNEL_ZH = {"phone": "电话", "visit": "拜访", "wechat": "微信", "sms": "短信", "email": "邮件", "event": "活动"}


@dataclass(frozen=True)
class IcsSummary:
    path: Path
    contacts: int
    key_dates: int
    first: dt.date
    last: dt.date


def export_ics(path: Path, start: dt.date | None = None, days: int = 14, lang: str = "zh") -> IcsSummary:
    from icalendar import Calendar, Event

    start = start or _today()
    if not 1 <= days <= MAX_DAYS:
        raise BadInput(f"--days {days}: from 1 to {MAX_DAYS}", value=str(days))
    last = start + dt.timedelta(days=days - 1)
    cal = holidays.calendar()
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    sequence = (start - dt.date(2020, 1, 1)).days  # a later export is a newer version of the same events
    doc = Calendar()
    doc.add("prodid", "-//Workbench//wb ics//ZH")
    doc.add("version", "2.0")
    doc.add("x-wr-calname", "客户联系计划" if lang == "zh" else "Client contacts")
    planned: set[int] = set()
    contacts = 0
    for n in range(days):
        day = start + dt.timedelta(days=n)
        if not cal.is_workday(day):
            continue
        inputs = planner.gather(day, cal, held=planned)
        for item in rules.plan(inputs, policies().plan):
            if item.done:
                continue
            planned.add(item.client.id)
            channel = CHANNEL_ZH[item.channel] if lang == "zh" else item.channel
            event = Event()
            event.add("uid", f"wb-contact-{item.client.id}@workbench")
            name = item.client.name
            event.add("summary", f"联系 {name}（{channel}）" if lang == "zh" else f"Contact {name} ({channel})")
            event.add("description", "\n".join(r.text(lang) for r in item.reasons))
            _when(event, day, stamp, sequence)
            doc.add_component(event)
            contacts += 1
    key_dates = 0
    for kid, name, ev in planner.key_events(start, last):
        what = KIND_WORDS[ev.kind]
        label = ev.label_zh if lang == "zh" else ev.label_en
        if ev.lunar:
            label = f"农历{label}" if lang == "zh" else f"lunar {label}"
        event = Event()
        event.add("uid", f"wb-keydate-{kid}-{ev.date.year}@workbench")
        event.add("summary", f"{name} {what[0]}（{label}）" if lang == "zh" else f"{name}: {what[1]} ({label})")
        _when(event, ev.date, stamp, sequence)
        doc.add_component(event)
        key_dates += 1
    from workbench.paths import write_private

    write_private(Path(path), doc.to_ical())
    return IcsSummary(Path(path), contacts, key_dates, start, last)


def _when(event, day: dt.date, stamp: dt.datetime, sequence: int) -> None:
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("dtstamp", stamp)
    event.add("sequence", sequence)
    event.add("transp", "TRANSPARENT")
