"""The pre-visit brief (`wb brief`, DOMAIN.md §4–5): who the client is, figures and holdings, the last contacts,
open follow-ups and complaints, the gaps as questions, talking points, products that may fit and the lessons
that apply; as JSON and as Markdown. Clients are made here with the models and ``figures.refresh``.
Today is 2026-11-23, a Monday (conftest)."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from decimal import Decimal
from pathlib import Path

import pytest

from workbench.rules import profile
from workbench.services import brief, client360, figures, visits
from workbench.store.db import transaction
from workbench.store.models import (
    Affiliate,
    Balance,
    Client,
    Complaint,
    Contact,
    DecisionMaker,
    FollowUp,
    Holding,
    KeyDate,
    Note,
    NoteClient,
    NoteTag,
)

BACKENDS = ("sqlite", "postgresql")

D = dt.date
TODAY = D(2026, 11, 23)


def months_back(n: int) -> list[dt.date]:
    """The first days of the last ``n`` months, oldest first, ending with November 2026."""
    out, year, month = [], TODAY.year, TODAY.month
    for _ in range(n):
        out.append(D(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return out[::-1]


def add_client(name: str, aum: list[int], loans: int = 0, **profile_values: object) -> int:
    c = Client.create(name=name, **profile_values)
    for month, value in zip(months_back(len(aum)), aum, strict=True):
        Balance.create(client=c, month=month, aum=Decimal(value), deposits=Decimal(value) / 2, loans=Decimal(loans))
    return c.id


def lesson(text: str, day: dt.date, tags: tuple[str, ...] = (), client: int | None = None, kind: str = "lesson") -> int:
    n = Note.create(date=day, text=text, kind=kind, status="filed", next_time=f"{text}·下次")
    for tag in tags:
        NoteTag.create(note=n, tag=tag)
    if client is not None:
        NoteClient.create(note=n, client=client, mention="", resolved=True)
    return n.id


RICH_PERSON = {
    "gender": "女",
    "id_number": "330106198001011234",
    "phone": "13812345678",
    "address": "杭州市西湖区",
    "occupation": "中学教师",
    "employer": "杭州二中",
    "income": "年收入40万",
    "family": "丈夫开公司，女儿读高二",
    "hobbies": "瑜伽、茶艺",
    "consumption": "教育、旅游",
    "social_circle": "家长会、校友会",
    "risk_profile": "稳健",
    "asset_structure": "房产两套、他行理财200万",
    "transaction_habits": "手机银行",
    "industry": "教育",
    "other_banks": "招行、工行",
    "next_needs": "女儿出国留学的资金",
}
RICH_COMPANY = {
    "client_no": "E001",
    "kind": "corporate",
    "id_number": "91330100MA2B3C4D5E",
    "phone": "057188880000",
    "address": "杭州市余杭区",
    "industry": "软件",
    "founded_year": 2015,
    "registered_capital": Decimal(10_000_000),
    "ownership": "创始人控股60%",
    "operations": "SaaS，华东份额第三",
    "funding": "自有资金加银行贷款",
    "history": "2015年创立",
    "problems": "应收账款回款慢",
    "financials": "营收2亿",
    "standing": "细分行业前五",
    "suppliers_customers": "上游云厂商，下游制造企业",
    "other_banks": "建行",
    "next_needs": "并购贷款",
}


FALLING = [6_500_000, 6_200_000, 6_000_000, 5_800_000, 5_600_000, 5_400_000]


@pytest.fixture
def people(book) -> dict[str, int]:
    """李娜 (P001): a rich individual profile, diamond, AUM falling five months in a row, a 大额存单 maturing
    on 10 December, a birthday on 5 December, seven contacts, open and settled follow-ups and complaints,
    and lessons of every kind. 王五 (P002): a name and a gold balance, nothing else. 杭州未来科技 (E001): a rich
    company with a decision maker and an affiliate. 小微初创 (E002): a company known by name only."""
    with transaction():
        ids = {
            "李娜": add_client("李娜", FALLING, client_no="P001", **RICH_PERSON),
            "王五": add_client("王五", [300_000] * 3, client_no="P002"),
            "杭州未来科技": add_client("杭州未来科技", [12_000_000] * 6, loans=3_000_000, **RICH_COMPANY),
            "小微初创": add_client("小微初创", [600_000] * 3, client_no="E002", kind="corporate"),
        }
        li = ids["李娜"]
        Holding.create(
            client=li,
            product="大额存单2024第3期",
            product_type="大额存单",
            amount=Decimal(1_000_000),
            maturity_date=D(2026, 12, 10),
        )
        Holding.create(
            client=li,
            product="稳健理财180天",
            product_type="理财",
            amount=Decimal(500_000),
            maturity_date=D(2027, 6, 1),
        )
        Holding.create(client=li, product="已赎回基金", product_type="基金", amount=Decimal(9), status="redeemed")
        KeyDate.create(client=li, kind="birthday", calendar="solar", month=12, day=5, year=1980)
        for n, day in enumerate((1, 3, 5, 8, 10, 15, 20)):
            Contact.create(client=li, date=D(2026, 11, day), channel="phone", outcome=f"第{n + 1}次通话")
        FollowUp.create(client=li, due=D(2026, 11, 30), text="送生日礼物")
        FollowUp.create(client=li, due=D(2026, 11, 25), text="寄理财资料")
        FollowUp.create(client=li, due=D(2026, 11, 2), text="早就办完了", done_at=dt.datetime(2026, 11, 2, 10, 0))
        Complaint.create(client=li, opened=D(2026, 11, 18), text="手机银行转账失败", step="接受", data="[]")
        Complaint.create(client=li, opened=D(2026, 10, 1), text="老问题", step="分析原因", resolved_at=D(2026, 10, 9))
        DecisionMaker.create(client=ids["杭州未来科技"], name="张总", title="董事长", contact="手机 13900001111")
        Affiliate.create(client=ids["杭州未来科技"], name="未来云", relation="子公司")
        figures.refresh(today=TODAY)
    return ids


@pytest.fixture
def lessons(people) -> dict[str, int]:
    """Lessons for 李娜: her own (old), and tagged with her tier, industry and a product she holds; and lessons
    that must not reach her: another industry, another tier, a product she does not hold, untagged, a note."""
    li = people["李娜"]
    with transaction():
        return {
            "own": lesson("李娜上次嫌收益低", D(2025, 3, 1), client=li),
            "tier": lesson("钻石客户要约在私行中心", D(2026, 11, 10), ("tier:diamond",)),
            "industry": lesson("教师客户寒暑假有空", D(2026, 11, 12), ("industry:教育",)),
            "product": lesson("大额存单到期前一周联系", D(2026, 11, 14), ("product:大额存单", "教训")),
            "other_industry": lesson("餐饮老板晚上忙", D(2026, 11, 20), ("industry:餐饮",)),
            "other_tier": lesson("金卡客户电话为主", D(2026, 11, 21), ("tier:gold",)),
            "other_product": lesson("保险要讲保障", D(2026, 11, 21), ("product:保险",)),
            "untagged": lesson("泛泛的教训", D(2026, 11, 22), ("教训",)),
            "note": lesson("李娜的普通笔记", D(2026, 11, 22), ("tier:diamond",), client=li, kind="note"),
            "company": lesson("软件公司看重结算效率", D(2026, 11, 15), ("industry:软件", "stage:assess")),
        }


def one_line_error(code: int, err: str) -> None:
    assert code == 1, err
    assert err.startswith("wb: ") and "Traceback" not in err and len(err.strip().splitlines()) == 1


# --- who the client is, figures, holdings, contacts ----------------------------------------------------------


def test_rich_individual_who_figures_and_holdings(people) -> None:
    b = brief.build(people["李娜"]).as_json()
    assert b["client"] == {
        "client_no": "P001",
        "name": "李娜",
        "kind": "individual",
        "tier": "diamond",
        "tier_pending": None,
        "status": "active",
    }
    shown = {k: v for k, v in b["profile"].items() if v is not None}
    assert shown == {**RICH_PERSON, "name": "李娜", "phone": "138****5678", "id_number": "3301**********1234"}
    assert b["decision_makers"] == []
    assert b["figures"] == {
        "aum": "5400000.00",
        "deposits": "2700000.00",
        "loans": "0.00",
        "trend": "falling",
        "churn": "streak:5",
        "completeness": 100,
    }
    assert b["holdings"] == [  # held only, the soonest maturity first, with the days left
        {
            "product": "大额存单2024第3期",
            "product_type": "大额存单",
            "amount": "1000000.00",
            "maturity_date": "2026-12-10",
            "days_left": 17,
        },
        {
            "product": "稳健理财180天",
            "product_type": "理财",
            "amount": "500000.00",
            "maturity_date": "2027-06-01",
            "days_left": 190,
        },
    ]
    assert b["gaps"] == []  # everything that matters for an individual is known


def test_last_contacts_open_follow_ups_and_complaints(people) -> None:
    b = brief.build(people["李娜"]).as_json()
    assert b["contacts"] == [  # the last five, newest first
        {"date": f"2026-11-{day:02d}", "channel": "phone", "outcome": f"第{n}次通话"}
        for n, day in ((7, 20), (6, 15), (5, 10), (4, 8), (3, 5))
    ]
    assert b["follow_ups"] == [  # open ones, by due date
        {"due": "2026-11-25", "text": "寄理财资料"},
        {"due": "2026-11-30", "text": "送生日礼物"},
    ]
    assert b["complaints"] == [{"opened": "2026-11-18", "text": "手机银行转账失败", "step": "接受"}]


def test_talking_points_from_holdings_life_events_interests_and_family(people) -> None:
    b = brief.build(people["李娜"])
    assert b.talking_points == [
        "大额存单 100万 12月10日到期：谈续作",
        "生日快到了（12月5日）：送上祝福",
        "资产在下降（金融资产连续5个月下降）：问问原因和打算",
        "聊聊爱好：瑜伽、茶艺",
        "家庭近况：丈夫开公司，女儿读高二",
        "上次提到的需求：女儿出国留学的资金",
        "圈子与转介绍：家长会、校友会",
    ]
    english = brief.build(people["李娜"], lang="en").talking_points
    assert english[0] == "大额存单 1M matures Dec 10: talk about renewing"
    assert "hobbies: 瑜伽、茶艺" in english


def test_products_that_fit_maturities_risk_profile_and_tier(people) -> None:
    assert brief.build(people["李娜"]).products == [
        "大额存单（到期续作）",
        "固收类理财（风险偏好稳健）",
        "国债（风险偏好稳健）",
        "私人银行与家族信托（高净值客户）",
    ]
    # no risk assessment yet, a gold client: the assessment comes first, no private banking
    assert brief.build(people["王五"]).products == ["风险测评（还没有风险测评，推荐理财前先做）"]
    assert brief.build(people["杭州未来科技"]).products == [
        "代发工资（对公客户的员工资源）",
        "结算与现金管理（日常资金往来）",
        "贷款续贷安排（有存量贷款）",
        "私人银行与家族信托（高净值客户）",
    ]
    assert "流动资金贷款（了解资金周转需求）" in brief.build(people["小微初创"]).products  # no loans yet


# --- lessons -------------------------------------------------------------------------------------------------


def test_lessons_that_apply_and_not_those_for_others(people, lessons) -> None:
    got = brief.build(people["李娜"]).lessons
    assert [(x.id, x.why) for x in got] == [
        (lessons["own"], "client"),  # her own first, however old
        (lessons["product"], "product"),  # then the tagged ones, newest first
        (lessons["industry"], "industry"),
        (lessons["tier"], "tier"),
    ]
    assert got[0].text == "李娜上次嫌收益低" and got[0].next_time == "李娜上次嫌收益低·下次"
    company = brief.build(people["杭州未来科技"]).as_json()["lessons"]
    assert [(x["id"], x["why"]) for x in company] == [(lessons["company"], "industry")]
    # 王五 is gold, has no industry and holds nothing: only the gold lesson is his
    assert [(x.id, x.why) for x in brief.build(people["王五"]).lessons] == [(lessons["other_tier"], "tier")]


def test_own_lessons_survive_many_newer_tagged_ones(people, lessons) -> None:
    with transaction():
        for n in range(60):
            lesson(f"钻石客户经验{n}", D(2026, 11, 22), ("tier:diamond",))
    got = brief.build(people["李娜"]).lessons
    assert len(got) == brief.LESSONS
    assert got[0].id == lessons["own"] and all(x.why == "tier" for x in got[1:])


# --- gaps ----------------------------------------------------------------------------------------------------


def test_thin_individual_is_asked_every_missing_field(people) -> None:
    b = brief.build(people["王五"])
    expected = [f.name for f in profile.counted_fields("individual")]
    assert [g.field for g in b.gaps] == expected
    assert "decision_makers" not in expected and "name" not in expected
    for g in b.as_json()["gaps"]:
        assert g == {"field": g["field"], "question": profile.BY_NAME[g["field"]].question("zh")}
    asks = {g.field: g.question for g in b.gaps}
    assert asks["birthday"] == "生日是哪天？过农历还是公历？"
    assert asks["risk_profile"] == "风险测评结果是什么？能接受多大波动？"
    assert b.talking_points == []
    # answering one closes its gap
    client360.update_field(people["王五"], "occupation", "出租车司机")
    assert "occupation" not in [g.field for g in brief.build(people["王五"]).gaps]


def test_every_gap_is_phrased_as_a_question(people) -> None:
    for lang, mark in (("zh", "？"), ("en", "?")):
        for g in brief.build(people["王五"], lang=lang).gaps:
            assert mark in g.question, (g.field, g.question)


def test_rich_company_brief_with_decision_makers(people) -> None:
    b = brief.build(people["杭州未来科技"])
    data = b.as_json()
    assert data["client"]["kind"] == "corporate" and data["client"]["tier"] == "black"
    assert data["decision_makers"] == [
        {"name": "张总", "title": "董事长", "contact": "手机 139****1111", "notes": None}
    ]
    assert data["profile"]["problems"] == "应收账款回款慢" and data["profile"]["phone"] == "057*****0000"
    assert data["figures"]["loans"] == "3000000.00" and data["figures"]["trend"] == "flat"
    assert data["figures"]["completeness"] == 100
    assert data["gaps"] == []  # decision maker and affiliate recorded, every column filled
    assert b.talking_points == [
        "上次提到的需求：并购贷款",
        "企业的难题：应收账款回款慢",
        "经营情况：SaaS，华东份额第三",
    ]
    md = brief.to_markdown(b)
    assert "- 决策人：张总 董事长" in md and "13900001111" not in md


def test_company_without_decision_makers_is_asked_who_decides(people) -> None:
    data = brief.build(people["小微初创"]).as_json()
    gaps = {g["field"]: g["question"] for g in data["gaps"]}
    assert gaps.get("decision_makers") == "谁拍板？决策人是谁，怎么联系？"
    assert gaps.get("affiliates") == "有哪些关联企业？"
    rich = dict(RICH_COMPANY, client_no="E003")
    with transaction():
        cid = add_client("有档案没决策人", [600_000] * 3, **rich)
        figures.refresh([cid], today=TODAY)
    fields = [g.field for g in brief.build(cid).gaps]
    assert fields == ["affiliates", "decision_makers"]
    assert Client.get_by_id(cid).completeness < 100


def test_thin_company_gaps_are_the_corporate_fields(people) -> None:
    fields = [g.field for g in brief.build(people["小微初创"]).gaps]
    assert {"founded_year", "ownership", "problems", "suppliers_customers", "industry"} <= set(fields)
    assert not {"occupation", "family", "hobbies", "risk_profile", "gender"} & set(fields)


# --- the open visit's plan -----------------------------------------------------------------------------------


def test_brief_shows_the_open_visits_plan(people) -> None:
    cid = people["王五"]
    assert brief.build(cid).plan == {}
    v = visits.start_visit(cid)
    visits.save(v.id, goal="谈定期续作", questions=["资金什么时候要用？", "家里谁做主？"], materials="产品说明书")
    b = brief.build(cid)
    assert b.plan == {
        "goal": "谈定期续作",
        "questions": ["资金什么时候要用？", "家里谁做主？"],
        "materials": "产品说明书",
        "visit": v.id,
    }
    md = brief.to_markdown(b)
    assert "## 拜访准备\n- 目标：谈定期续作\n- 要问的问题：资金什么时候要用？\n- 要问的问题：家里谁做主？" in md
    assert "- 带上：产品说明书" in md


# --- as Markdown ---------------------------------------------------------------------------------------------


def test_markdown_has_every_section(people, lessons) -> None:
    md = brief.to_markdown(brief.build(people["李娜"]))
    assert md.startswith("# 李娜\n\n钻石 · 个人 · P001\n")
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings == [
        "## 客户",
        "## 财务",
        "## 持有产品",
        "## 最近联系",
        "## 待办跟进",
        "## 投诉处理中",
        "## 话题",
        "## 可推荐",
        "## 经验教训",
    ]  # no gaps section: nothing is missing
    assert "- AUM 540万 · 存款 270万 · 贷款 0 · 完整度 100%" in md
    assert "- ⚠ 金融资产连续5个月下降" in md
    assert "- 大额存单 大额存单2024第3期 100万，2026-12-10 到期" in md
    assert "- 2026-11-20 phone：第7次通话" in md and "第2次通话" not in md
    assert "- 2026-11-18 [接受] 手机银行转账失败" in md
    assert "- 2025-03-01 李娜上次嫌收益低 → 李娜上次嫌收益低·下次" in md
    assert "138****5678" in md and "13812345678" not in md and "330106198001011234" not in md
    thin = brief.to_markdown(brief.build(people["王五"]))
    assert "## 待补充（拜访时问）\n- " in thin and "- 从事什么工作？" in thin


def test_markdown_never_shows_escape_sequences_from_names_contacts_and_notes(people) -> None:
    cid = people["杭州未来科技"]
    bad = "\x1b[2J\x1b]0;pwned\x07"
    with transaction():
        Client.update(name=f"杭州{bad}科技").where(Client.id == cid).execute()
        Contact.create(client=cid, date=D(2026, 11, 20), channel="visit", outcome=f"面谈{bad}")
        FollowUp.create(client=cid, due=D(2026, 11, 24), text=f"回电{bad}")
        Complaint.create(client=cid, opened=D(2026, 11, 20), text=f"投诉{bad}", data="[]")
        DecisionMaker.create(client=cid, name=f"李{bad}总", title=f"总{bad}经理")
        lesson(f"教训{bad}", D(2026, 11, 20), client=cid)
    md = brief.to_markdown(brief.build(cid))
    assert "\x1b" not in md and "\x07" not in md
    assert "面谈␛[2J" in md and "回电␛[2J" in md


def test_markdown_never_shows_escape_sequences_from_profile_and_holdings(people) -> None:
    cid = people["王五"]
    bad = "\x1b[2J\x1b]0;pwned\x07"
    client360.update_field(cid, "hobbies", f"钓鱼{bad}")  # the profile editor keeps what was typed
    with transaction():
        Holding.create(
            client=cid,
            product=f"定期{bad}",
            product_type=f"定期{bad}存款",
            amount=Decimal(100_000),
            maturity_date=D(2026, 12, 1),
        )
    md = brief.to_markdown(brief.build(cid))
    assert "\x1b" not in md and "\x07" not in md


def test_english_markdown_has_no_chinese_labels(people) -> None:
    md = brief.to_markdown(brief.build(people["杭州未来科技"], lang="en"))
    assert "## Figures" in md
    figures = next(line for line in md.splitlines() if line.startswith("- AUM"))
    for word in ("存款", "贷款", "完整度"):  # the labels (the client's own words may well be Chinese)
        assert word not in figures, word
    assert "- Decision maker: " in md and "- 决策人" not in md and " · 对公 · " not in md


# --- wb brief ------------------------------------------------------------------------------------------------


def test_wb_brief_json_matches_the_contract(people, lessons, wb) -> None:
    code, out, err = wb("brief", "P001", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert {"profile", "holdings", "contacts", "gaps", "talking_points", "lessons"} <= set(data)
    assert "李娜" in out  # UTF-8, not ASCII-escaped
    assert data["client"]["name"] == "李娜" and data["profile"]["phone"] == "138****5678"
    assert data["figures"]["aum"] == "5400000.00"  # money as a decimal string
    assert data["lessons"][0]["why"] == "client"
    assert data == json.loads(json.dumps(brief.build(people["李娜"]).as_json(), default=str))
    gaps = json.loads(wb("brief", "王五", "--json")[1])["gaps"]
    assert all(set(g) == {"field", "question"} for g in gaps) and len(gaps) == len(profile.counted_fields("individual"))


def test_wb_brief_writes_a_private_markdown_file(people, wb, tmp_path: Path) -> None:
    path = tmp_path / "brief.md"
    path.write_text("old", encoding="utf-8")
    os.chmod(path, 0o644)
    code, out, err = wb("brief", "杭州未来科技", "-o", str(path))
    assert code == 0 and err == "" and str(path) in out
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 杭州未来科技\n") and "## 财务" in text and "## 可推荐" in text
    code, out, _ = wb("brief", "E001")  # without -o: the same Markdown on stdout
    assert code == 0 and out == text


@pytest.mark.parametrize("ref", ["不存在的人", "   "])
def test_wb_brief_unknown_client_is_one_line(people, wb, ref: str) -> None:
    code, out, err = wb("brief", ref, "--json")
    one_line_error(code, err)
    assert out == ""
