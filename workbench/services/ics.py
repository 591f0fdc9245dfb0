"""wb ics: the coming days' planned contacts and key dates as an iCalendar file (RFC 5545).

Each planned contact is one all-day event whose UID is the client's, so importing a newer file moves the event
instead of adding another; each key date's UID is the key date's and the year's. The file holds names and
reasons only, and the settings decide how much of each (rules.privacy: ``calendar.client``, ``calendar.reason``):
no phone or ID number ever, and amounts only when the reasons are shown in full.

A phone subscribes to the file through the manager's own sync (README, "Calendar on your phone"): so that a
sync never carries half a file, it is written beside itself and renamed over the old one; and it asks
calendar apps to fetch it again every hour.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import BadInput
from workbench.rules import planner as rules
from workbench.rules import privacy
from workbench.services import holidays, planner
from workbench.services.settings import policies
from workbench.services.settings import today as _today
from workbench.store import bulk
from workbench.store.models import Client, KeyDate

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


def export_ics(
    path: Path,
    start: dt.date | None = None,
    days: int = 14,
    lang: str = "zh",
    *,
    client: str = "name",
    reason: str = "full",
) -> IcsSummary:
    """Write the calendar. ``client``: name | surname | none; ``reason``: full | kind | none (rules.privacy)."""
    from icalendar import Calendar, Event

    if client not in privacy.CLIENT_SHOWN or reason not in privacy.REASON_SHOWN:
        raise BadInput(f"calendar: client {client!r}, reason {reason!r} (rules.privacy lists what may be shown)")
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
    doc.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    doc.add("x-published-ttl", "PT1H")
    planned: set[int] = set()
    contacts = 0
    pending: list[tuple[Event, int, str]] = []  # (event, client id, summary pattern) until the names are known
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
            pattern = f"联系 {{}}（{channel}）" if lang == "zh" else f"Contact {{}} ({channel})"
            said = privacy.shown_reasons([(r.kind, r.text(lang)) for r in item.reasons], reason, lang)
            if said:
                event.add("description", "\n".join(said))
            _when(event, day, stamp, sequence)
            pending.append((event, item.client.id, pattern))
            contacts += 1
    key_dates = 0
    found = planner.key_events(start, last)
    owners = _owners(kid for kid, _, _ in found)
    for kid, _name, ev in found:
        what = KIND_WORDS[ev.kind]
        label = ev.label_zh if lang == "zh" else ev.label_en
        if ev.lunar:
            label = f"农历{label}" if lang == "zh" else f"lunar {label}"
        event = Event()
        event.add("uid", f"wb-keydate-{kid}-{ev.date.year}@workbench")
        if reason == "none":
            label = ""
        else:
            label = f"（{label}）" if lang == "zh" else f" ({label})"
        pattern = f"{{}} {what[0]}{label}" if lang == "zh" else f"{{}}: {what[1]}{label}"
        _when(event, ev.date, stamp, sequence)
        pending.append((event, owners[kid], pattern))
        key_dates += 1
    who = _who({cid for _, cid, _ in pending})
    for event, cid, pattern in pending:
        name, kind, gender, number = who[cid]
        shown = privacy.shown_client(
            name, client, corporate=kind == "corporate", gender=gender, number=number, lang=lang
        )
        event.add("summary", pattern.format(shown))
        doc.add_component(event)
    from workbench.paths import replace_private

    replace_private(Path(path), doc.to_ical())
    return IcsSummary(Path(path), contacts, key_dates, start, last)


def _owners(key_date_ids) -> dict[int, int]:
    """The client of each key date."""
    ids = list(key_date_ids)
    if not ids:
        return {}
    rows = KeyDate.select(KeyDate.id, KeyDate.client).where(KeyDate.id.in_(bulk.id_list(ids)))
    return dict(bulk.raw(rows))


def _who(client_ids: set[int]) -> dict[int, tuple[str, str, str | None, str | None]]:
    """(name, kind, gender, client number) of each client."""
    if not client_ids:
        return {}
    rows = Client.select(Client.id, Client.name, Client.kind, Client.gender, Client.client_no).where(
        Client.id.in_(bulk.id_list(client_ids))
    )
    return {cid: tuple(rest) for cid, *rest in bulk.raw(rows)}


def _when(event, day: dt.date, stamp: dt.datetime, sequence: int) -> None:
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("dtstamp", stamp)
    event.add("sequence", sequence)
    event.add("transp", "TRANSPARENT")
