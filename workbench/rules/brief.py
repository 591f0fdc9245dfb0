"""The pre-visit brief's judgement (DOMAIN.md §4–5): what to talk about and which products may fit, from what
the book knows of a client. Pure: the service hands in plain values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import NamedTuple

from workbench.rules.money import short_amount
from workbench.rules.tiers import TIER_RANK

SOON_DAYS = 30  # a maturity or key date this close is worth a word


class Point(NamedTuple):
    zh: str
    en: str

    def text(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


class Holding(NamedTuple):
    product: str
    product_type: str | None
    amount: Decimal
    maturity_date: dt.date | None


class KeyDay(NamedTuple):
    kind: str  # birthday | anniversary | other
    label_zh: str
    date: dt.date | None


# what a risk profile may hold (DOMAIN.md §1: the risk assessment decides what can be offered)
FIT_BY_RISK: dict[str, tuple[str, ...]] = {
    "保守": ("大额存单", "定期存款", "国债"),
    "稳健": ("大额存单", "固收类理财", "国债"),
    "平衡": ("固收+理财", "混合类基金定投", "保险"),
    "成长": ("偏股基金定投", "混合类理财", "保险"),
    "进取": ("权益基金", "结构性存款", "资产配置方案"),
}


def talking_points(
    profile: Mapping[str, object],
    holdings: Sequence[Holding],
    key_days: Sequence[KeyDay],
    today: dt.date,
    churn: str | None = None,
) -> list[Point]:
    """Openings for the conversation, the most concrete first."""
    out: list[Point] = []
    for h in holdings:
        if h.maturity_date and 0 <= (h.maturity_date - today).days <= SOON_DAYS:
            what, day = h.product_type or h.product, h.maturity_date
            zh = f"{what} {short_amount(h.amount, 'zh')} {day.month}月{day.day}日到期：谈续作"
            out.append(Point(zh, f"{what} {short_amount(h.amount, 'en')} matures {day:%b %-d}: talk about renewing"))
    for k in key_days:
        if k.date and 0 <= (k.date - today).days <= SOON_DAYS:
            word = {"birthday": ("生日", "birthday"), "anniversary": ("结婚纪念日", "anniversary")}.get(
                k.kind, ("纪念日", "key date")
            )
            out.append(
                Point(f"{word[0]}快到了（{k.label_zh}）：送上祝福", f"{word[1]} soon ({k.date:%b %-d}): wish them well")
            )
    if churn:
        out.append(
            Point(f"资产在下降（{churn}）：问问原因和打算", f"assets falling ({churn}): ask why and what is planned")
        )
    for field, zh, en in (
        ("hobbies", "聊聊爱好", "hobbies"),
        ("family", "家庭近况", "family"),
        ("next_needs", "上次提到的需求", "needs mentioned last time"),
        ("social_circle", "圈子与转介绍", "circle and referrals"),
        ("problems", "企业的难题", "the company's problems"),
        ("operations", "经营情况", "how the business is going"),
    ):
        value = str(profile.get(field) or "").strip()
        if value:
            out.append(Point(f"{zh}：{value}", f"{en}: {value}"))
    return out


def products_that_fit(
    kind: str,
    tier: str,
    risk_profile: str | None,
    holdings: Sequence[Holding],
    today: dt.date,
    loans: Decimal = Decimal(0),
) -> list[Point]:
    """Products worth raising, each with why."""
    out: list[Point] = []
    seen: set[str] = set()

    def add(name: str, why_zh: str, why_en: str) -> None:
        if name not in seen:
            seen.add(name)
            out.append(Point(f"{name}（{why_zh}）", f"{name} ({why_en})"))

    for h in holdings:
        if h.maturity_date and 0 <= (h.maturity_date - today).days <= SOON_DAYS:
            add(h.product_type or h.product, "到期续作", "renew at maturity")
    risk = (risk_profile or "").removesuffix("型")
    if risk in FIT_BY_RISK:
        for name in FIT_BY_RISK[risk]:
            add(name, f"风险偏好{risk}", f"risk profile {risk}")
    elif kind == "individual":
        add(
            "风险测评", "还没有风险测评，推荐理财前先做", "no risk assessment yet: needed before any investment product"
        )
    if kind == "corporate":
        add("代发工资", "对公客户的员工资源", "payroll brings the staff")
        add("结算与现金管理", "日常资金往来", "day-to-day payments")
        if loans > 0:
            add("贷款续贷安排", "有存量贷款", "has loans outstanding")
        else:
            add("流动资金贷款", "了解资金周转需求", "ask about working capital")
    if TIER_RANK.get(tier, 0) >= TIER_RANK["diamond"]:
        add("私人银行与家族信托", "高净值客户", "high net worth")
    return out
