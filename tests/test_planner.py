"""The planner service and its commands (CLI.md Planner): `wb today`, `wb log`, `wb holidays`, `wb ics`, and
snooze/skip, on a small book made here. Today is 2026-11-23, a Monday (conftest)."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import stat
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from workbench.errors import BadInput, NotFound
from workbench.services import figures, planner
from workbench.services.ics import export_ics
from workbench.store.db import transaction
from workbench.store.models import Balance, Client, Contact, Holding, KeyDate, PlanMark

BACKENDS = ("sqlite", "postgresql")

D = dt.date
TODAY = D(2026, 11, 23)


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def add_client(no: str, name: str, aum: int, contacts: tuple[dt.date, ...] = (), **profile: object) -> int:
    c = Client.create(client_no=no, name=name, **profile)
    Balance.create(client=c, month=D(2026, 10, 1), aum=Decimal(aum), deposits=Decimal(aum) / 4)
    for day in contacts:
        Contact.create(client=c, date=day, channel="phone", outcome="联系过")
    return c.id


@pytest.fixture
def small(book) -> dict[str, int]:
    """C001 black, 100万 maturing on Thursday · C002 diamond, lunar birthday 十月十七 on Wednesday · C003 platinum,
    last seen 1 August (overdue) · C004 gold, seen last week (nothing to do) · C005 gold+, birthday on Saturday
    28th (planned from Tuesday) · C006 standard, never contacted (due today)."""
    with transaction():
        ids = {
            "C001": add_client("C001", "王芳", 12_000_000, (D(2026, 11, 16),), phone="13812345678"),
            "C002": add_client("C002", "李娜", 6_000_000, (D(2026, 11, 10),), gender="女"),
            "C003": add_client("C003", "赵强", 2_000_000, (D(2026, 8, 1),)),
            "C004": add_client("C004", "孙丽", 300_000, (D(2026, 11, 20),)),
            "C005": add_client("C005", "周杰", 800_000, (D(2026, 11, 2),)),
            "C006": add_client("C006", "吴敏", 50_000),
        }
        Holding.create(
            client=ids["C001"],
            product="大额存单2024第3期",
            product_type="大额存单",
            amount=Decimal(1_000_000),
            maturity_date=D(2026, 11, 26),
        )
        KeyDate.create(client=ids["C002"], kind="birthday", calendar="lunar", month=10, day=17)
        KeyDate.create(client=ids["C005"], kind="birthday", calendar="solar", month=11, day=28, year=1980)
        figures.refresh(today=TODAY)
    return ids


def one_line_error(code: int, err: str) -> None:
    assert code == 1, err
    assert err.startswith("wb: ") and "Traceback" not in err and len(err.strip().splitlines()) == 1


def plan_rows(day: dt.date = TODAY) -> list[planner.PlanRow]:
    return planner.today_plan(day).items


def by_no(day: dt.date = TODAY) -> dict[str, planner.PlanRow]:
    return {row.client_no: row for row in plan_rows(day)}


def signature(rows: list[planner.PlanRow]) -> list[tuple]:
    return [(r.client_no, r.channel, r.score, tuple((x.kind, x.zh) for x in r.reasons)) for r in rows]


def state(cid: int) -> tuple:
    c = Client.get_by_id(cid)
    return Contact.select().count(), c.last_contact, c.next_due, c.next_contact


# --- today's plan ------------------------------------------------------------------------------------------


def test_today_picks_maturities_birthdays_and_overdue_with_reasons(small) -> None:
    rows = plan_rows()
    assert [r.client_no for r in rows] == ["C001", "C003", "C002", "C006"]
    got = {r.client_no: r for r in rows}
    assert [(x.kind, x.zh) for x in got["C001"].reasons] == [("maturity", "大额存单 100万 11月26日到期")]
    assert got["C001"].channel == "phone" and got["C001"].tier == "black"
    assert [(x.kind, x.zh) for x in got["C002"].reasons] == [("birthday", "农历生日 十月十七（11月25日）")]
    assert got["C002"].channel == "visit" and got["C002"].tier == "diamond"
    assert [(x.kind, x.zh) for x in got["C003"].reasons] == [("overdue", "已超期 54 天（上次联系 8月1日）")]
    assert got["C003"].channel == "phone"
    assert [(x.kind, x.zh) for x in got["C006"].reasons] == [("cadence", "普通客户每 180 天联系一次（从未联系）")]
    assert got["C006"].channel == "wechat"
    assert not any(r.done for r in rows)
    assert "C004" not in got and "C005" not in got  # seen last week; the birthday window opens tomorrow
    # tomorrow: the Saturday birthday is planned from Tuesday (three days before Friday)
    tomorrow = by_no(TODAY + days(1))
    assert [(x.kind, x.zh) for x in tomorrow["C005"].reasons] == [("birthday", "生日 11月28日")]
    assert tomorrow["C005"].channel == "wechat"
    assert signature(plan_rows()) == signature(rows)  # the same book and day: the same list


def test_logged_contacts_are_done_and_the_list_holds_still(small) -> None:
    before = plan_rows()
    for row in before[:3]:
        planner.log_contact(row.client_id, "phone", "已联系，客户满意")
    after = plan_rows()
    assert signature(after) == signature(before)
    assert [r.done for r in after] == [True, True, True, False]
    assert plan_rows() == after


def test_logging_the_agreed_contact_keeps_it_on_todays_list(small) -> None:
    cid = small["C004"]
    planner.log_contact(cid, "phone", "约好周一再谈", day=D(2026, 11, 20), next_date=TODAY)
    before = by_no()
    assert [x.zh for x in before["C004"].reasons] == ["约定今天联系（上次联系 11月20日）"]
    planner.log_contact(cid, "phone", "谈妥了")
    after = by_no()
    assert "C004" in after and after["C004"].done
    assert signature(list(after.values())) == signature(list(before.values()))


def test_logging_a_never_contacted_overdue_client_keeps_its_reason(book) -> None:
    with transaction():
        cid = add_client("C100", "郑新", 12_000_000)
        Client.update(created_at=dt.datetime(2026, 11, 1, 9, 0)).where(Client.id == cid).execute()
        figures.refresh()  # imported on 1 November, never contacted since: due since then
    before = by_no()
    assert [x.kind for x in before["C100"].reasons] == ["overdue"]
    planner.log_contact(cid, "visit", "第一次见面")
    after = by_no()
    assert after["C100"].done
    assert signature(list(after.values())) == signature(list(before.values()))


def test_lunar_birthday_in_english_says_lunar_once(small) -> None:
    row = by_no()["C002"]
    assert [r.text("en") for r in row.reasons] == ["lunar birthday 10/17 (Nov 25)"]


def test_today_is_deterministic_and_respects_the_limit(small) -> None:
    full = planner.today_plan(TODAY)
    two = planner.today_plan(TODAY, limit=2).items
    assert len(two) == 2 and set(two) <= set(full.items)  # shared between tiers, not simply the top two
    assert full.as_json() == planner.today_plan(TODAY).as_json()


# --- logging contacts --------------------------------------------------------------------------------------


def test_log_contact_restarts_the_cadence(small) -> None:
    cid = small["C003"]
    assert Client.get_by_id(cid).next_due == D(2026, 9, 15)
    logged = planner.log_contact(cid, "visit", "面谈，介绍了新理财")
    assert (logged.name, logged.date, logged.channel) == ("赵强", TODAY, "visit")
    assert logged.next_due == TODAY + days(45) == Client.get_by_id(cid).next_due
    assert Client.get_by_id(cid).last_contact == TODAY
    assert "C003" not in by_no(TODAY + days(1))
    assert [x.kind for x in by_no(TODAY + days(45))["C003"].reasons] == ["cadence"]
    # a contact logged for an earlier day counts from that day
    other = small["C004"]
    assert planner.log_contact(other, "wechat", "发了资料", day=D(2026, 11, 22)).next_due == D(2027, 2, 20)


def test_log_contact_next_overrides_the_cadence(small) -> None:
    cid = small["C003"]
    logged = planner.log_contact(cid, "phone", "下周再约", next_date=D(2026, 11, 30))
    assert logged.next_due == D(2026, 11, 30) == Client.get_by_id(cid).next_contact
    assert "C003" not in by_no(D(2026, 11, 26))
    row = by_no(D(2026, 11, 30))["C003"]
    assert row.reasons[0].zh == "约定今天联系（上次联系 11月23日）"


def test_contact_on_the_agreed_day_restarts_the_cadence(small, monkeypatch) -> None:
    cid = small["C004"]
    planner.log_contact(cid, "phone", "约好周一再谈", day=D(2026, 11, 20), next_date=TODAY)
    logged = planner.log_contact(cid, "phone", "按约定联系了")
    assert logged.next_due == TODAY + days(90)
    monkeypatch.setenv("WORKBENCH_TODAY", "2026-11-24")
    assert "C004" not in by_no(TODAY + days(1))


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"day": TODAY + days(1)}, "future"),
        ({"channel": "pigeon"}, "unknown channel"),
        ({"outcome": "   "}, "outcome"),
        ({"outcome": "\x1b\x00\x07"}, "outcome"),
        ({"outcome": "很" * 2001}, "2,001"),
        ({"next_date": TODAY}, "after this one"),
        ({"next_date": TODAY - days(3)}, "after this one"),
    ],
)
def test_log_contact_refuses_bad_input_and_writes_nothing(small, kwargs: dict, says: str) -> None:
    cid = small["C003"]
    before = state(cid)
    args = {"channel": "phone", "outcome": "联系了", **kwargs}
    with pytest.raises(BadInput, match=says):
        planner.log_contact(cid, args.pop("channel"), args.pop("outcome"), **args)
    assert state(cid) == before


def test_log_contact_edges(small) -> None:
    assert planner.log_contact(small["C003"], "email", "很" * 2000).channel == "email"  # exactly the limit
    count = Contact.select().count()
    with pytest.raises(NotFound):
        planner.log_contact(999_999, "phone", "谁")
    assert Contact.select().count() == count


# --- snooze and skip ---------------------------------------------------------------------------------------


def test_snooze_hides_until_the_day(small) -> None:
    cid = small["C003"]
    planner.snooze(cid, D(2026, 11, 26), "客户出国")
    for day in (TODAY, D(2026, 11, 24), D(2026, 11, 25)):
        assert "C003" not in by_no(day), day
    assert "C003" in by_no(D(2026, 11, 26))
    assert PlanMark.get(PlanMark.client == cid).reason == "客户出国"
    with pytest.raises(BadInput):
        planner.snooze(cid, TODAY)
    with pytest.raises(NotFound):
        planner.snooze(999_999, D(2026, 12, 1))


def test_skip_hides_for_today_only(small) -> None:
    cid = small["C003"]
    planner.skip(cid, "客户在开会")
    today = by_no()
    assert "C003" not in today and {"C001", "C002", "C006"} <= set(today)
    assert "C003" in by_no(TODAY + days(1))
    with pytest.raises(BadInput):
        planner.skip(cid, "  ")
    with pytest.raises(NotFound):
        planner.skip(999_999, "没有这个人")


# --- holidays ----------------------------------------------------------------------------------------------


def test_holidays_add_list_remove_and_today_follows(small, wb) -> None:
    code, out, _ = wb("today", "--json")
    assert code == 0 and json.loads(out)["workday"] is True
    code, out, err = wb("holidays", "add", "2026-11-25", "--off", "--note", "台风停工")
    assert code == 0 and err == "" and "1" in out
    code, out, _ = wb("holidays", "list", "2026", "--json")
    listed = json.loads(out)
    assert code == 0 and listed["official"] is True
    day = next(d for d in listed["days"] if d["date"] == "2026-11-25")
    assert day == {"date": "2026-11-25", "workday": False, "name": None, "source": "local", "note": "台风停工"}
    code, out, _ = wb("--date", "2026-11-25", "today", "--json")
    plan = json.loads(out)
    assert code == 0 and plan["workday"] is False and plan["date"] == "2026-11-25"
    assert "2026-11-25" in wb("holidays", "list", "2026")[1]
    code, out, _ = wb("holidays", "remove", "2026-11-25")
    assert code == 0 and "1" in out
    assert json.loads(wb("--date", "2026-11-25", "today", "--json")[1])["workday"] is True
    # a range, and a Saturday made a workday
    assert wb("holidays", "add", "2026-12-07..2026-12-08", "--off")[0] == 0
    assert wb("holidays", "add", "2026-12-12", "--on")[0] == 0
    days_ = {d["date"]: d for d in json.loads(wb("holidays", "list", "2026", "--json")[1])["days"]}
    assert days_["2026-12-07"]["workday"] is False and days_["2026-12-08"]["workday"] is False
    assert days_["2026-12-12"]["workday"] is True
    assert json.loads(wb("--date", "2026-12-12", "today", "--json")[1])["workday"] is True


def test_local_correction_moves_a_key_date_onto_today(small, wb) -> None:
    assert "C005" not in by_no()
    assert wb("holidays", "add", "2026-11-27", "--off")[0] == 0  # Friday off: the Saturday birthday moves to Thu
    rows = {r["client_no"]: r for r in json.loads(wb("today", "--json")[1])["items"]}
    assert rows["C005"]["reasons"] == [{"kind": "birthday", "text": "生日 11月28日"}]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("holidays", "add", "2026-11-25"), "--off"),
        (("holidays", "add", "2026-02-30", "--off"), "2026"),
        (("holidays", "add", "2026-12-09..2026-12-01", "--off"), "ends before"),
        (("holidays", "list", "twenty"), "not a year"),
        (("holidays", "add", "2026-11-25", "--off", "--on"), "not allowed"),
    ],
)
def test_holidays_bad_input(small, wb, args: tuple[str, ...], says: str) -> None:
    code, _, err = wb(*args)
    one_line_error(code, err)
    assert says in err


def test_a_year_beyond_the_bundled_schedule_warns_and_never_crashes(small, wb) -> None:
    code, out, err = wb("--date", "2027-03-01", "today", "--json")
    plan = json.loads(out)
    assert code == 0 and "Traceback" not in err
    assert len(plan["warnings"]) == 1 and "2027" in plan["warnings"][0]
    assert json.loads(wb("--date", "2026-12-20", "today", "--json")[1])["warnings"]  # the next fortnight reaches 2027
    assert json.loads(wb("--date", "2026-11-23", "today", "--json")[1])["warnings"] == []
    code, out, _ = wb("holidays", "list", "2027", "--json")
    assert code == 0 and json.loads(out)["official"] is False
    code, out, _ = wb("--date", "2027-02-01", "today")
    assert code == 0 and "2027" in out
    day = D(2026, 12, 25)
    while day <= D(2027, 2, 20):  # across the estimated Spring Festival
        assert planner.today_plan(day).warnings
        day += days(3)
    assert planner.today_plan(D(2027, 5, 1)).workday is False  # an estimated 劳动节


# --- wb today --json ---------------------------------------------------------------------------------------


def test_today_json_matches_the_contract(small, wb) -> None:
    code, out, err = wb("today", "--json")
    assert code == 0 and err == ""
    plan = json.loads(out)
    assert {"date", "workday", "warnings", "items"} <= set(plan)
    assert plan["date"] == "2026-11-23" and plan["workday"] is True and plan["warnings"] == []
    assert len(plan["items"]) == 4
    for item in plan["items"]:
        assert {"client_no", "name", "tier", "channel", "reasons"} <= set(item)
        assert item["channel"] in ("phone", "visit", "wechat", "sms", "email", "event")
        assert item["reasons"] and all(set(r) == {"kind", "text"} for r in item["reasons"])
    assert plan["items"][0] == {
        **plan["items"][0],
        "client_no": "C001",
        "name": "王芳",
        "tier": "black",
        "channel": "phone",
        "reasons": [{"kind": "maturity", "text": "大额存单 100万 11月26日到期"}],
    }
    assert plan == json.loads(json.dumps(planner.today_plan(TODAY).as_json("zh"), default=str))
    assert json.loads(wb("today", "--json")[1]) == plan  # the same book and day
    assert len(json.loads(wb("today", "--json", "--limit", "2")[1])["items"]) == 2
    code, out, _ = wb("today")
    assert code == 0 and all(name in out for name in ("王芳", "赵强", "李娜", "吴敏"))


def test_log_through_the_cli(small, wb, monkeypatch) -> None:
    code, out, err = wb("log", "C003", "--channel", "visit", "--outcome", "面谈", "--next", "2026-12-01", "--json")
    assert code == 0 and err == ""
    assert json.loads(out) == {"client": "赵强", "date": "2026-11-23", "channel": "visit", "next_due": "2026-12-01"}
    code, out, _ = wb("log", "C004", "--channel", "phone", "--outcome", "回访")
    assert code == 0 and "孙丽" in out
    assert Client.get(Client.client_no == "C004").next_due == TODAY + days(90)
    items = json.loads(wb("today", "--json")[1])["items"]
    assert all(not i["done"] for i in items if i["client_no"] != "C003")
    monkeypatch.setattr(sys, "stdin", io.StringIO("电话里说下周来行里\n"))
    assert wb("log", "赵强", "--channel", "phone", "--outcome", "-")[0] == 0
    assert Contact.select().where(Contact.outcome == "电话里说下周来行里").count() == 1


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("log", "王五", "--channel", "phone", "--outcome", "x"), "王五"),
        (("log", "C003", "--channel", "pigeon", "--outcome", "x"), "pigeon"),
        (("log", "C003", "--channel", "phone", "--outcome", " "), "outcome"),
        (("log", "C003", "--channel", "phone", "--outcome", "x", "--next", "2026-11-23"), "after this one"),
        (("log", "C003", "--channel", "phone", "--outcome", "x", "--next", "2026-13-01"), "--next"),
        (("log", "C003", "--channel", "phone", "--outcome", "长" * 5000), "5,000"),
        (("log", "C003", "--outcome", "x"), "--channel"),
    ],
)
def test_log_errors_are_one_line_and_write_nothing(small, wb, args: tuple[str, ...], says: str) -> None:
    count = Contact.select().count()
    code, out, err = wb(*args)
    one_line_error(code, err)
    assert says in err and out == ""
    assert Contact.select().count() == count


# --- wb ics ------------------------------------------------------------------------------------------------


def read_ics(path: Path):
    from icalendar import Calendar

    return Calendar.from_ical(path.read_bytes())


def test_ics_parses_with_one_event_per_contact_and_key_date(small, wb, tmp_path: Path) -> None:
    path = tmp_path / "plan.ics"
    code, out, err = wb("ics", "-o", str(path))
    assert code == 0 and err == "" and str(path) in out
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    cal = read_ics(path)
    events = list(cal.walk("VEVENT"))
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids))
    contacts = [e for e in events if str(e["UID"]).startswith("wb-contact-")]
    keydates = [e for e in events if str(e["UID"]).startswith("wb-keydate-")]
    assert len(contacts) + len(keydates) == len(events)
    assert f"{len(contacts)} 个联系计划" in out and f"{len(keydates)} 个重要日期" in out
    # every client planned today (none done yet) has its event today; each key date its own
    today_ids = {r.client_id for r in plan_rows()}
    on_today = {str(e["UID"]) for e in contacts if e.decoded("DTSTART") == TODAY}
    assert on_today == {f"wb-contact-{cid}@workbench" for cid in today_ids}
    coming = planner.key_events(TODAY, TODAY + days(13))
    expected_keys = {f"wb-keydate-{kid}-{ev.date.year}@workbench" for kid, _n, ev in coming}
    assert {str(e["UID"]) for e in keydates} == expected_keys and len(expected_keys) == 2
    summaries = {str(e["SUMMARY"]) for e in keydates}
    assert summaries == {"李娜 生日（农历十月十七）", "周杰 生日（11月28日）"}
    maturity = next(e for e in contacts if str(e["UID"]) == f"wb-contact-{small['C001']}@workbench")
    assert str(maturity["SUMMARY"]) == "联系 王芳（电话）"
    assert "大额存单 100万 11月26日到期" in str(maturity["DESCRIPTION"])
    assert "13812345678" not in path.read_text(encoding="utf-8")  # no phone numbers in the file


def test_ics_twice_gives_the_same_uids(small, wb, tmp_path: Path) -> None:
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    assert wb("ics", "-o", str(first))[0] == 0
    assert wb("ics", "-o", str(second))[0] == 0

    def events(path: Path) -> dict[str, tuple]:
        return {str(e["UID"]): (e.decoded("DTSTART"), int(e["SEQUENCE"])) for e in read_ics(path).walk("VEVENT")}

    assert events(first) == events(second) and events(first)
    # a later export updates the same events with a newer sequence rather than adding others
    planner.log_contact(small["C003"], "phone", "联系了")
    third = tmp_path / "c.ics"
    assert wb("--date", "2026-11-24", "ics", "-o", str(third))[0] == 0
    later = events(third)
    assert set(later) <= set(events(first)) | {u for u in later if u.startswith("wb-keydate-")}
    assert all(later[u][1] > events(first)[u][1] for u in set(later) & set(events(first)))


def test_ics_shows_no_more_of_a_client_than_the_settings_allow(small, tmp_path: Path) -> None:
    def summaries_and_text(**shown: str) -> tuple[set[str], str]:
        path = tmp_path / "sub.ics"
        export_ics(path, start=TODAY, days=14, **shown)
        text = read_ics(path)
        return {str(e["SUMMARY"]) for e in text.walk("VEVENT")}, path.read_bytes().decode("utf-8")

    full, _ = summaries_and_text()
    assert "联系 王芳（电话）" in full and "李娜 生日（农历十月十七）" in full
    short, raw = summaries_and_text(client="surname", reason="kind")
    assert "李女士 生日（农历十月十七）" in short and "联系 王…（电话）" in short  # 王芳: no gender on file
    assert not any(name in raw for name in ("王芳", "李娜", "赵强", "周杰", "吴敏"))
    assert "产品到期" in raw and "100万" not in raw  # the reason's kind, not its amount
    hidden, raw = summaries_and_text(client="none", reason="none")
    assert "联系 客户 …C001（电话）" in hidden and "客户 …C002 生日" in hidden
    assert "DESCRIPTION" not in raw and "农历" not in raw
    with pytest.raises(BadInput):
        export_ics(tmp_path / "z.ics", start=TODAY, client="initials")


def test_ics_for_a_subscription_is_replaced_whole_and_asks_to_be_fetched_hourly(small, tmp_path: Path) -> None:
    path = tmp_path / "sync" / "plan.ics"
    path.parent.mkdir()
    export_ics(path, start=TODAY)
    first = os.stat(path).st_ino
    export_ics(path, start=TODAY + days(1))
    assert os.stat(path).st_ino != first  # a new file renamed over the old: a sync never reads half of one
    assert [p.name for p in path.parent.iterdir()] == ["plan.ics"]  # no partial file left behind
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    cal = read_ics(path)
    assert cal["REFRESH-INTERVAL"].dt == dt.timedelta(hours=1) and str(cal["X-PUBLISHED-TTL"]) == "PT1H"


def test_ics_service_summary_and_bounds(small, tmp_path: Path) -> None:
    summary = export_ics(tmp_path / "x.ics", start=TODAY, days=7)
    assert (summary.first, summary.last) == (TODAY, TODAY + days(6))
    assert summary.contacts + summary.key_dates == len(list(read_ics(tmp_path / "x.ics").walk("VEVENT")))
    with pytest.raises(BadInput):
        export_ics(tmp_path / "y.ics", start=TODAY, days=93)
    assert not (tmp_path / "y.ics").exists()
    assert export_ics(tmp_path / "z.ics", start=D(2027, 1, 25), days=30).first == D(2027, 1, 25)  # estimated year


def test_ics_for_the_longest_range(small, wb, tmp_path: Path) -> None:
    code, _, err = wb("ics", "--days", "92", "-o", str(tmp_path / "long.ics"))
    assert code == 0, err


def test_the_day_follows_a_frozen_clock(small, monkeypatch) -> None:
    """With pendulum's test helpers the planner's "today" is the frozen day (no WORKBENCH_TODAY)."""
    import pendulum

    monkeypatch.delenv("WORKBENCH_TODAY", raising=False)
    with pendulum.travel_to(pendulum.datetime(2026, 12, 29, 9, 0), freeze=True):
        plan = planner.today_plan()
        assert plan.date == D(2026, 12, 29) and plan.workday
        kinds = {r.kind for item in plan.items for r in item.reasons}
        assert "period_end" in kinds  # the year end (Thursday 31st) is three days away
        assert any("年末时点（12月31日）" in r.zh for item in plan.items for r in item.reasons)
    with pendulum.travel_to(pendulum.datetime(2027, 1, 1, 9, 0), freeze=True):
        plan = planner.today_plan()
        assert plan.date == D(2027, 1, 1) and not plan.workday and plan.holiday == "元旦"
        assert plan.warnings  # 2027's official schedule is not bundled
