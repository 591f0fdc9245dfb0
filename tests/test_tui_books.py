"""Books for the TUI tests, built with the real store: models for the records, ``services.figures.refresh``
for what the list shows. Also a few helpers to read the screen as text.

The clients are made up: surnames and given names combined in a fixed order, AUM histories that rise, stay
flat or fall, a long corporate name to test column widths, and a few named clients the tests search for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

from textual.app import App

from workbench.rules.text import width
from workbench.services import figures
from workbench.store.db import transaction
from workbench.store.models import Balance, Client, Contact, DecisionMaker, Holding, KeyDate

TODAY = dt.date(2026, 11, 23)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = (
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "超",
    "秀英",
    "华",
    "平",
    "刚",
)
LONG_COMPANY = "浙江省杭州市西湖区未来科技城数字经济发展研究有限责任公司"


def months_back(n: int) -> list[dt.date]:
    """The first days of the last ``n`` months, oldest first, ending with TODAY's month."""
    out = []
    year, month = TODAY.year, TODAY.month
    for _ in range(n):
        out.append(dt.date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return out[::-1]


def add_client(
    name: str,
    *,
    kind: str = "individual",
    aum: Sequence[int] = (100_000,) * 6,
    phone: str | None = None,
    client_no: str | None = None,
    contacted: dt.date | None = None,
    **profile: object,
) -> int:
    """One client with a balance history (oldest first) and, optionally, a last contact. Returns its id."""
    client = Client.create(name=name, kind=kind, phone=phone, client_no=client_no, **profile)
    Balance.insert_many(
        [
            {"client": client.id, "month": m, "aum": Decimal(v), "deposits": Decimal(v) / 2, "loans": 0}
            for m, v in zip(months_back(len(aum)), aum, strict=True)
        ]
    ).execute()
    if contacted:
        Contact.create(client=client.id, date=contacted, channel="phone", outcome="问候，了解近况")
    return client.id


def refresh(ids: Iterable[int]) -> None:
    with transaction():
        figures.refresh(list(ids), today=TODAY)


def small_book() -> dict[str, int]:
    """A dozen clients of every kind the tests look for; returns their ids by name."""
    ids: dict[str, int] = {}
    with transaction():
        ids["王小明"] = add_client(
            "王小明",
            aum=[12_000_000, 12_500_000, 13_000_000, 13_200_000, 13_500_000, 14_000_000],
            phone="13812345678",
            client_no="C0001",
            contacted=TODAY - dt.timedelta(days=80),
            gender="男",
        )
        ids["张伟明"] = add_client(
            "张伟明",
            aum=[6_000_000, 5_800_000, 5_500_000, 5_200_000, 4_800_000, 4_500_000],
            phone="13900001111",
            client_no="C0002",
            contacted=TODAY - dt.timedelta(days=10),
        )
        ids["欧阳娜娜"] = add_client(
            "欧阳娜娜", aum=[800_000] * 6, client_no="C0003", phone="13700002222", occupation="医生"
        )
        ids["李娜"] = add_client("李娜", aum=[300_000] * 6, client_no="C0004")
        ids["王芳"] = add_client("王芳", aum=[50_000] * 6, client_no="C0005")
        ids["陈静"] = add_client("陈静", aum=[2_000_000] * 6, client_no="C0006")
        ids[LONG_COMPANY] = add_client(
            LONG_COMPANY, kind="corporate", aum=[3_500_000] * 6, client_no="E0001", industry="软件"
        )
        DecisionMaker.create(client=ids[LONG_COMPANY], name="赵总", title="董事长", contact="手机 13911112222")
        ids["Acme 贸易（上海）有限公司 International Trading"] = add_client(
            "Acme 贸易（上海）有限公司 International Trading",
            kind="corporate",
            aum=[600_000] * 6,
            client_no="E0002",
        )
        Holding.create(
            client=ids["王小明"],
            product="稳健理财90天",
            product_type="理财",
            amount=Decimal(1_000_000),
            maturity_date=TODAY + dt.timedelta(days=5),
        )
        KeyDate.create(client=ids["王小明"], kind="birthday", calendar="lunar", month=8, day=15)
        refresh(ids.values())
    return ids


def big_book(n: int) -> list[int]:
    """``n`` generated clients (names from surnames × given names, numbered when they repeat)."""
    rows = []
    for i in range(n):
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES)) % len(GIVEN)]
        if i >= len(SURNAMES) * len(GIVEN):
            name += str(i // (len(SURNAMES) * len(GIVEN)))
        rows.append({"name": name, "kind": "individual", "client_no": f"G{i:05d}", "phone": f"139{i:08d}"})
    with transaction():
        Client.insert_many(rows).execute()
        ids = [c.id for c in Client.select(Client.id).where(Client.client_no.startswith("G"))]
        balances = [
            {
                "client": cid,
                "month": m,
                "aum": Decimal(50_000 + (cid * 7919) % 9_000_000),
                "deposits": 0,
                "loans": 0,
            }
            for cid in ids
            for m in months_back(3)
        ]
        for start in range(0, len(balances), 900):
            Balance.insert_many(balances[start : start + 900]).execute()
        figures.refresh(ids, today=TODAY)
    return ids


def screen_lines(app: App) -> list[str]:
    """What the terminal shows, one string per line (wide characters once each)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def screen_text(app: App) -> str:
    return "\n".join(screen_lines(app))


def cells(line: str, start: int, end: int) -> str:
    """The characters of ``line`` that occupy terminal cells ``start`` to ``end`` (end excluded)."""
    out, at = [], 0
    for ch in line:
        w = width(ch)
        if at >= start and at + w <= end:
            out.append(ch)
        at += w
    return "".join(out)


def test_small_book_has_its_clients(book) -> None:
    ids = small_book()
    assert Client.select().count() == len(ids)
    assert Client.get_by_id(ids["王小明"]).tier == "black"
    assert Client.get_by_id(ids["张伟明"]).tier_pending is not None  # 钻石, falling below 5M


async def settle(pilot: object, delay: float = 0.0) -> None:
    """Let timers fire (``delay`` seconds), workers finish and their messages land. Bounded."""
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    if delay:
        await pilot.pause(delay)
    for _ in range(10):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in pilot.app.workers):
            return


SIZE = (80, 24)  # the smallest terminal the TUI must work in


async def built(pilot: object, kind: type, limit: float = 5.0):
    """The pane of this type, waiting (bounded) while it is built: a pane is mounted when first shown, and
    on a loaded machine that can take more than one settle."""
    from textual.css.query import NoMatches
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    for _ in range(int(limit / 0.05)):
        try:
            return pilot.app.query_one(kind)
        except NoMatches:
            await pilot.pause(0.05)
    return pilot.app.query_one(kind)
