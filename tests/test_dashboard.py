"""The month's dashboard (services.dashboard) and `wb report` (services.report, cli.report), on both backends."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from decimal import Decimal
from pathlib import Path

import pytest

from tests.test_tui_books import add_client, refresh
from workbench.errors import BadInput
from workbench.services import dashboard
from workbench.store.db import transaction
from workbench.store.models import Client, Contact, Note, Visit

BACKENDS = ("sqlite", "postgresql")
NOV, OCT = dt.date(2026, 11, 1), dt.date(2026, 10, 1)


@pytest.fixture
def month_book(book) -> dict[str, int]:
    """Today is 2026-11-23. 周平 platinum all year · 吴升 gold until October, platinum in November (up) ·
    郑降 diamond, 4M in November (pending down) · 王落 gold+ in August, gold since (down in November) ·
    a lost client, who counts nowhere."""
    with transaction():
        ids = {
            "周平": add_client("周平", aum=[1_200_000] * 6),
            "吴升": add_client("吴升", aum=[400_000] * 5 + [1_500_000]),
            "郑降": add_client("郑降", aum=[6_000_000] * 5 + [4_000_000]),
            "王落": add_client("王落", aum=[600_000, 300_000, 300_000, 300_000]),
            "<b>流失</b>": add_client("<b>流失</b>", aum=[9_000_000] * 6, status="lost"),
        }
        for day in (dt.date(2026, 11, 2), dt.date(2026, 11, 20), dt.date(2026, 11, 23), dt.date(2026, 10, 30)):
            Contact.create(client=ids["周平"], date=day, channel="phone", outcome="问候")
        Note.create(date=dt.date(2026, 11, 5), text="先问清决策人 #教训", kind="lesson", status="filed")
        Note.create(date=dt.date(2026, 10, 5), text="上月的教训", kind="lesson", status="filed")
        opportunities = [{"product": "大额存单", "stage": "assess"}, {"product": "养老保险", "stage": "execute"}]
        Visit.create(
            client=ids["吴升"],
            date=dt.date(2026, 11, 10),
            stage="done",
            data=json.dumps({"opportunities": opportunities}),
        )
    refresh(ids.values())
    with transaction():
        Client.update(churn=True, churn_reason="streak:3").where(Client.id == ids["郑降"]).execute()
    return ids


def test_tiers_at_the_months_end_the_month_before_and_the_quarter_before(month_book) -> None:
    d = dashboard.dashboard()
    assert (d.month, d.day) == (NOV, dt.date(2026, 11, 23))
    by = {line.tier: line for line in d.tiers}
    assert (by["platinum"].clients, by["platinum"].aum) == (2, Decimal(2_700_000))
    assert (by["diamond"].clients, by["diamond"].aum) == (1, Decimal(4_000_000))  # pending: still diamond
    assert (by["gold"].clients, by["gold"].aum) == (1, Decimal(300_000))
    assert (by["platinum"].clients_month_ago, by["gold"].clients_month_ago, by["gold_plus"].clients_month_ago) == (
        1,
        1,
        1,
    )
    assert (by["gold"].clients_quarter_ago, by["gold_plus"].clients_quarter_ago) == (1, 1)  # August
    assert by["diamond"].aum_month_ago == Decimal(6_000_000) and by["black"].clients == 0  # the lost client: nowhere
    assert d.total_clients == 4 and d.total_aum == Decimal(7_000_000)
    m = d.moves
    assert (m.up, m.down, m.pending) == (1, 1, 1)
    assert (m.up_names, m.down_names, m.pending_names) == (("吴升",), ("王落",), ("郑降",))


def test_coverage_churn_completeness_pipeline_and_lessons(month_book) -> None:
    d = dashboard.dashboard()
    assert (d.contacts, d.workdays_gone, d.planned, d.target) == (3, 16, 160, 300)  # Nov 2-23: 16 workdays
    assert d.churn == [  # biggest first; 王落's fall of half is a warning the figures raised themselves
        ("郑降", "diamond", Decimal(4_000_000), "streak:3"),
        ("王落", "gold", Decimal(300_000), "drop:50"),
    ]
    assert d.churn_total == 2
    assert set(d.completeness) == {"platinum", "diamond", "gold"}
    assert d.missing and all(n <= 4 for _, n in d.missing)
    assert d.pipeline == {"plan": 0, "assess": 1, "execute": 1, "follow_up": 0, "celebrate": 0}
    assert d.lessons == 1
    assert d.aum_history[-1] == (NOV, Decimal(7_000_000)) and d.aum_history[-2] == (OCT, Decimal(7_900_000))
    assert len(d.aum_history) == 12


def test_a_past_month_is_as_of_its_last_day(month_book) -> None:
    d = dashboard.dashboard(OCT)
    assert d.day == dt.date(2026, 10, 31) and d.contacts == 1 and d.lessons == 1
    assert (d.moves.up, d.moves.down) == (0, 0)
    with pytest.raises(BadInput, match="still to come"):
        dashboard.dashboard(dt.date(2026, 12, 1))


def test_wb_report_as_markdown_html_and_json(month_book, wb, tmp_path: Path) -> None:
    code, out, err = wb("report")
    assert code == 0 and err == ""
    assert "# 客户经理月报 2026-11" in out and "| 白金 | 2 | +100% |" in out
    assert (
        "- 升级: 1 (吴升)" in out and "- 降级: 1 (王落)" in out and "郑降 · 钻石 · 400万 · 金融资产连续3个月下降" in out
    )
    assert "<b>流失</b>" not in out  # the lost client is in no figure (and, lost without a date, in no review)
    page = tmp_path / "report.html"
    code, out, _ = wb("report", "-o", str(page))
    text = page.read_text(encoding="utf-8")
    assert code == 0 and str(page) in out and stat.S_IMODE(os.stat(page).st_mode) == 0o600
    assert text.startswith("<!DOCTYPE html>") and text.count("<svg") == 4 and "<script" not in text
    assert "<polyline" in text and "白金" in text
    assert "<h2>层级变动</h2>" in text and "<li>升级: 1 (吴升)</li>" in text  # each section under its heading
    assert "<h2>年内白金及以上客户非正常流失（0）</h2>" in text and "**" not in text
    code, out, _ = wb("report", "--month", "2026-10", "--json")
    data = json.loads(out)
    assert code == 0 and data["month"] == "2026-10-01" and data["contacts"] == 1
    assert data["tiers"][3] == {
        "tier": "platinum",
        "clients": 1,
        "aum": "1200000.00",
        "clients_month_ago": 1,
        "aum_month_ago": "1200000.00",
        "clients_quarter_ago": 1,
        "aum_quarter_ago": "1200000.00",
    }


def test_stored_text_is_escaped_in_the_page(month_book, wb, tmp_path: Path) -> None:
    with transaction():
        Client.update(status="active").where(Client.name == "<b>流失</b>").execute()
        Client.update(churn=True, churn_reason="<script>alert(1)</script>").where(
            Client.name == "<b>流失</b>"
        ).execute()
    page = tmp_path / "r.html"
    assert wb("report", "-o", str(page))[0] == 0
    text = page.read_text(encoding="utf-8")
    assert "<b>流失</b>" not in text and "&lt;b&gt;流失&lt;/b&gt;" in text and "<script" not in text


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--month", "2026-13"), "no month 13"),
        (("--month", "abc"), "not a month"),
        (("--month", "2027-01"), "still to come"),
        (("-o", "x.pdf"), ".md or .html"),
    ],
)
def test_bad_options_are_named(month_book, wb, args: tuple[str, ...], says: str) -> None:
    code, out, err = wb("report", *args)
    assert code == 1 and out == "" and says in err and err.startswith("wb: ") and err.count("\n") == 1
