"""What imported tables mean: the headers each import recognises (DOMAIN.md §8), and how cells are read.

Pure data and functions: the importer maps a file's headers to fields with ``match_headers`` and turns each
cell into a stored value with ``parse_cell`` (or ``parse_key_day`` for birthdays and anniversaries); both
raise ``ValueError`` saying why a value is refused.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache, partial

from workbench.rules import profile
from workbench.rules.dates import checked_date, parse_date
from workbench.rules.identity import normalize_id, normalize_phone
from workbench.rules.keydates import LUNAR, SOLAR, KeyDay, from_lunar, from_solar
from workbench.rules.lunar import parse_lunar
from workbench.rules.money import CENT, parse_amount
from workbench.rules.text import clean_input

MAX_TEXT = 10_000


@dataclass(frozen=True)
class Column:
    field: str
    type: str  # text name client_no id phone kind gender risk calendar year money amount date month keyday
    aliases: tuple[str, ...]


def _c(field: str, type_: str, *aliases: str) -> Column:
    return Column(field, type_, (*aliases, field))


KEY_COLUMNS = (
    _c("client_no", "client_no", "客户号", "客户编号", "客户代码", "客户编码", "client no", "客户id"),
    _c("id_number", "id", "证件号码", "证件号", "身份证号", "身份证号码", "统一社会信用代码", "id number"),
    _c("name", "name", "客户名称", "客户姓名", "姓名", "名称", "客户"),
)
_CLIENT_EXTRA = (
    _c("kind", "kind", "客户类型", "客户类别", "客户性质"),
    _c("phone", "phone", "手机号码", "手机号", "手机", "联系电话", "电话", "电话号码", "mobile"),
    _c("gender", "gender", "性别", "sex"),
    _c("birthday", "keyday", "出生日期", "生日", "出生年月日"),
    _c("birthday_calendar", "calendar", "生日历法", "历法", "生日类型"),
    _c("anniversary", "keyday", "结婚纪念日", "纪念日"),
    _c("anniversary_calendar", "calendar", "纪念日历法"),
    _c("occupation", "text", "职业"),
    _c("employer", "text", "工作单位", "单位"),
    _c("industry", "text", "行业", "所属行业"),
    _c("risk_profile", "risk", "风险偏好", "风险等级", "风险承受能力", "风险评级", "风险测评结果"),
    _c("address", "text", "地址", "联系地址", "住址", "家庭住址"),
    _c("notes", "text", "备注"),
)
_PROFILE_TYPES = {"phone": "phone", "id": "id", "int": "year", "money": "money"}


def _profile_columns(known: set[str]) -> tuple[Column, ...]:
    """Every other profile column, under its Chinese and English labels (as an export writes them)."""
    out = []
    for f in profile.COLUMN_FIELDS:
        if f.name in known:
            continue
        type_ = "risk" if f.name == "risk_profile" else _PROFILE_TYPES.get(f.kind, "text")
        out.append(_c(f.name, type_, f.zh, f.en))
    return tuple(out)


_BALANCE = (
    _c("date", "month", "统计日期", "日期", "数据日期", "统计月份", "月份"),
    _c("aum", "amount", "金融资产", "aum", "资产余额", "金融资产余额", "aum余额", "管理资产"),
    _c("deposits", "amount", "存款余额", "存款", "deposit"),
    _c("loans", "amount", "贷款余额", "贷款", "loan"),
    _c("deposits_avg", "amount", "存款月日均", "月日均存款", "月日均", "存款日均"),
    _c("loans_cumulative", "amount", "累计贷款", "累计放款", "贷款累计发放"),
    _c("risk_loans", "amount", "风险贷款", "不良贷款"),
    _c("interest_receivable", "amount", "应收利息", "应收未收利息"),
)
_HOLDING = (
    _c("product", "text", "产品名称", "产品", "产品名", "product name"),
    _c("product_type", "text", "产品类型", "产品类别", "product type"),
    _c("amount", "amount", "持有金额", "金额", "持仓金额", "购买金额", "持有市值"),
    _c("maturity_date", "date", "到期日", "到期日期", "maturity", "maturity date"),
    _c("start_date", "date", "起息日", "购买日期", "起始日期", "开始日期", "start date"),
)
_CLIENTS = (*KEY_COLUMNS, *_CLIENT_EXTRA)
SPECS: dict[str, tuple[Column, ...]] = {
    "clients": (*_CLIENTS, *_profile_columns({c.field for c in _CLIENTS})),
    "balances": (*KEY_COLUMNS, *_BALANCE),
    "holdings": (*KEY_COLUMNS, *_HOLDING),
}
KEY_GROUP = ("client_no", "id_number", "name")
KEY_DAYS = ("birthday", "anniversary")
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "clients": (("name",),),
    "balances": (KEY_GROUP, ("date",), ("aum",)),
    "holdings": (KEY_GROUP, ("product",), ("amount",)),
}
LABELS = {c.field: c.aliases[0] for spec in SPECS.values() for c in spec}

_PARENS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")"})
_NOTE = re.compile(r"^(.+?)\(([^()]*)\)$")  # 金融资产(万元), 风险偏好(c1c5)
_UNITS = {
    "万元": Decimal(10_000),
    "万": Decimal(10_000),
    "亿元": Decimal(100_000_000),
    "亿": Decimal(100_000_000),
    "千元": Decimal(1000),
}


def normalize_header(text: object) -> str:
    """Case, spaces, underscores, '*' marks and full-width brackets do not matter."""
    s = str(text or "").translate(_PARENS).strip().strip("*＊").lower()
    return re.sub(r"[\s_\-:：]+", "", s)


def header_unit(header: str) -> tuple[str, Decimal]:
    """A header without its note in brackets, and the unit in the note: 金融资产（万元） → 金融资产, 10000."""
    h = normalize_header(header)
    m = _NOTE.match(h)
    if not m:
        return h, Decimal(1)
    return m.group(1), _UNITS.get(m.group(2), Decimal(1))


@dataclass(frozen=True)
class HeaderMatch:
    columns: dict[str, int]  # field -> column index
    units: dict[str, Decimal]  # field -> multiplier from the header, e.g. (万元)
    unknown: list[str]  # headers as written that match nothing
    repeated: list[tuple[str, str]]  # (header ignored, header used) meaning the same field


def match_headers(kind: str, headers: list[str]) -> HeaderMatch:
    lookup = {normalize_header(a): c.field for c in SPECS[kind] for a in c.aliases}
    columns: dict[str, int] = {}
    units: dict[str, Decimal] = {}
    unknown: list[str] = []
    repeated: list[tuple[str, str]] = []
    for i, header in enumerate(headers):
        if not str(header).strip():
            continue
        base, unit = header_unit(header)
        field = lookup.get(normalize_header(header)) or lookup.get(base)
        if field is None:
            unknown.append(header)
        elif field in columns:
            repeated.append((header, headers[columns[field]]))
        else:
            columns[field], units[field] = i, unit
    return HeaderMatch(columns, units, unknown, repeated)


def missing_columns(kind: str, found: dict[str, int]) -> list[str]:
    """Required fields (as 'a / b' for a choice) that no header provides."""
    return [" / ".join(LABELS[f] for f in group) for group in REQUIRED[kind] if not any(f in found for f in group)]


def column_types(kind: str) -> dict[str, str]:
    return {c.field: c.type for c in SPECS[kind]}


# --- values ---------------------------------------------------------------------------------------------

_KINDS = {
    "个人": "individual",
    "对私": "individual",
    "个人客户": "individual",
    "对私客户": "individual",
    "自然人": "individual",
    "individual": "individual",
    "personal": "individual",
    "person": "individual",
    "对公": "corporate",
    "企业": "corporate",
    "公司": "corporate",
    "对公客户": "corporate",
    "企业客户": "corporate",
    "单位": "corporate",
    "corporate": "corporate",
    "company": "corporate",
}
_RISKS = {
    "保守": "保守",
    "稳健": "稳健",
    "平衡": "平衡",
    "成长": "成长",
    "进取": "进取",
    "激进": "进取",
    "conservative": "保守",
    "moderate": "稳健",
    "balanced": "平衡",
    "growth": "成长",
    "aggressive": "进取",
    **{f"{p}{n}": r for n, r in enumerate(profile.RISK_PROFILES, 1) for p in "cr"},
}
_GENDERS = {
    "男": "男",
    "男性": "男",
    "m": "男",
    "male": "男",
    "女": "女",
    "女性": "女",
    "f": "女",
    "female": "女",
}
_CALENDARS = {
    "农历": LUNAR,
    "阴历": LUNAR,
    "旧历": LUNAR,
    "lunar": LUNAR,
    "公历": SOLAR,
    "阳历": SOLAR,
    "新历": SOLAR,
    "solar": SOLAR,
    "gregorian": SOLAR,
}


def _choice(table: dict[str, str], value: object, what: str) -> str:
    text = as_text(value)
    key = text.lower().replace(" ", "")
    found = table.get(key) or table.get(key.removesuffix("型")) or table.get(key.removesuffix("客户"))
    if found is None:
        raise ValueError(f"unknown {what}; one of: {' / '.join(dict.fromkeys(table.values()))}")
    return found


def as_text(value: object) -> str:
    """A cell as text: whole numbers without '.0', dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    return str(value).strip()


def _id(value: object) -> str:
    if isinstance(value, float) and abs(value) >= 1e15:
        raise ValueError(
            "stored as a number in Excel, so its last digits are lost; format the column as text and enter it again"
        )
    return normalize_id(value)  # type: ignore[arg-type]


def _year(value: object) -> int:
    text = as_text(value).removesuffix("年")
    if not text.isdigit() or not 1800 <= int(text) <= 2200:
        raise ValueError("not a year (e.g. 2008)")
    return int(text)


def _date(value: object) -> dt.date:
    if isinstance(value, int) and 19000101 <= value <= 22001231:  # 20240307 typed as a number
        value = str(value)
    return parse_date(value)  # type: ignore[arg-type]


_YEAR_MONTH = re.compile(r"^(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))$")


def _month(value: object) -> dt.date:
    """A statistics date: a full date, or just the month (2024-03, 2024年3月, 202403)."""
    if isinstance(value, int) and 190001 <= value <= 220012:
        value = str(value)
    if isinstance(value, str) and (m := _YEAR_MONTH.match(value.strip())):
        return checked_date(int(m.group(1)), int(m.group(2) or m.group(3)), 1)
    return _date(value)


def _text(limit: int) -> Callable[[object], str]:
    def parse(value: object) -> str:
        text = clean_input(value if type(value) is str else as_text(value))
        if len(text) > limit:
            raise ValueError(f"too long (at most {limit:,} characters)")
        return text

    return parse


def parse_amount_cell(value: object, unit: Decimal = Decimal(1), *, negative: bool = False) -> Decimal:
    """An amount, scaled by the header's unit unless the value carries its own (万/亿/元)."""
    amount = parse_amount(value)  # type: ignore[arg-type]
    own_unit = isinstance(value, str) and value.strip().rstrip("CNYRMBcnyrmb").endswith(("万", "亿", "千", "元"))
    if unit != 1 and not own_unit:
        amount = (amount * unit).quantize(CENT)
    if amount < 0 and not negative:
        raise ValueError("cannot be negative")
    return amount


_PARSERS = {
    "text": _text(MAX_TEXT),
    "name": _text(200),
    "client_no": _text(64),
    "id": _id,
    "phone": normalize_phone,
    "kind": lambda v: _choice(_KINDS, v, "client type"),
    "gender": lambda v: _choice(_GENDERS, v, "gender"),
    "risk": lambda v: _choice(_RISKS, v, "risk profile"),
    "calendar": lambda v: _choice(_CALENDARS, v, "calendar"),
    "year": _year,
    "date": _date,
    "month": _month,
    "keyday": lambda v: v,  # read with its calendar by parse_key_day
}


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_cell(type_: str, value: object, unit: Decimal = Decimal(1)) -> object:
    """One non-blank cell as the value to store; ValueError saying why not."""
    return cell_parser(type_, unit)(value)


_REPEATING = {"kind", "gender", "risk", "calendar", "year", "date", "month"}  # few distinct values


@lru_cache(maxsize=64)
def cell_parser(type_: str, unit: Decimal = Decimal(1)) -> Callable[[object], object]:
    """The function that reads cells of one type (cached for values that repeat down a column)."""
    if type_ in ("amount", "money"):
        return partial(parse_amount_cell, unit=unit)
    parse = _PARSERS[type_]
    return lru_cache(maxsize=65536, typed=True)(parse) if type_ in _REPEATING else parse


def clear_caches() -> None:
    """Forget the values cached while reading one file."""
    cell_parser.cache_clear()  # and with it the caches of the parsers it made
    parse_key_day.cache_clear()


_MONTH_DAY = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_LUNAR_WORDS = re.compile(r"[正腊臘冬初廿闰一二三四五六七八九十]")


@lru_cache(maxsize=65536, typed=True)
def parse_key_day(kind: str, value: object, calendar: str | None = None) -> KeyDay:
    """A birthday or anniversary: a date (with or without the year), solar or lunar.

    ``calendar`` comes from a 历法 column; without one, 农历/阴历 before the date or a date in words
    (八月十五) makes it lunar.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = _date(int(value) if float(value).is_integer() else value)
    if isinstance(value, dt.date):
        if calendar == LUNAR:
            return from_lunar(kind, parse_lunar(f"{value.year}-{value.month}-{value.day}"))
        return from_solar(kind, value if not isinstance(value, dt.datetime) else value.date())
    text = as_text(value).replace(" ", "")
    for prefix, cal in (("农历", LUNAR), ("阴历", LUNAR), ("農曆", LUNAR), ("公历", SOLAR), ("阳历", SOLAR)):
        if text.startswith(prefix):
            text, calendar = text[len(prefix) :], calendar or cal
    if calendar == LUNAR or (calendar is None and _LUNAR_WORDS.search(text)):
        return from_lunar(kind, parse_lunar(text))
    md = _MONTH_DAY.match(text)
    if md:
        month, day = int(md.group(1)), int(md.group(2))
        checked_date(2000, month, day)
        return KeyDay(kind, SOLAR, month, day)
    return from_solar(kind, _date(text))
