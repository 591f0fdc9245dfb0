"""The profile a manager gathers (DOMAIN.md §1), as data: what each field is, for which client kind it
matters, how it is checked, and the question that fills it when it is missing.

The store's columns, the completeness score, the 360 view, profile editing and the pre-visit brief's gaps all
come from this one list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from workbench.errors import Invalid

INDIVIDUAL, CORPORATE = "individual", "corporate"
BOTH = (INDIVIDUAL, CORPORATE)
RISK_PROFILES = ("保守", "稳健", "平衡", "成长", "进取")
GENDERS = ("男", "女")


@dataclass(frozen=True)
class Field:
    name: str
    zh: str
    en: str
    kinds: tuple[str, ...]
    kind: str = "text"  # text | longtext | phone | id | choice | int | money
    choices: tuple[str, ...] = ()
    counts: bool = True  # counts towards completeness
    related: bool = False  # filled by related records (decision makers, key dates), not a column
    ask_zh: str = ""
    ask_en: str = ""

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def question(self, lang: str) -> str:
        return (self.ask_zh if lang == "zh" else self.ask_en) or self.label(lang)


F = Field
FIELDS: tuple[Field, ...] = (
    # identity
    F("name", "名称", "Name", BOTH, counts=False),
    F(
        "gender",
        "性别",
        "Gender",
        (INDIVIDUAL,),
        "choice",
        GENDERS,
        ask_zh="性别？（见面时补录）",
        ask_en="Gender? (note it when you meet)",
    ),
    F(
        "id_number",
        "证件号码",
        "ID number",
        BOTH,
        "id",
        ask_zh="证件号码是多少？（办理业务时核对）",
        ask_en="What is the ID number (check at the next transaction)?",
    ),
    F(
        "phone",
        "电话",
        "Phone",
        BOTH,
        "phone",
        ask_zh="最方便的联系电话是？",
        ask_en="Best phone number to reach?",
    ),
    F(
        "address",
        "地址",
        "Address",
        BOTH,
        ask_zh="现在住（办公）在哪里？",
        ask_en="Where do they live (work) now?",
    ),
    F(
        "birthday",
        "生日",
        "Birthday",
        (INDIVIDUAL,),
        related=True,
        ask_zh="生日是哪天？过农历还是公历？",
        ask_en="When is the birthday — lunar or solar?",
    ),
    # individual
    F("occupation", "职业", "Occupation", (INDIVIDUAL,), ask_zh="从事什么工作？", ask_en="What do they do?"),
    F(
        "employer",
        "工作单位",
        "Employer",
        (INDIVIDUAL,),
        ask_zh="在哪个单位工作？",
        ask_en="Who do they work for?",
    ),
    F(
        "income",
        "收入水平",
        "Income",
        (INDIVIDUAL,),
        ask_zh="收入大致在什么水平？",
        ask_en="Roughly what income?",
    ),
    F(
        "family",
        "家庭情况",
        "Family",
        (INDIVIDUAL,),
        "longtext",
        ask_zh="家里有几口人？配偶、子女在做什么，孩子在哪里上学？",
        ask_en="Who is in the family — spouse, children, where do the children study?",
    ),
    F(
        "hobbies",
        "兴趣爱好",
        "Hobbies and interests",
        (INDIVIDUAL,),
        "longtext",
        ask_zh="平时喜欢做什么？",
        ask_en="What do they enjoy doing?",
    ),
    F(
        "consumption",
        "消费偏好",
        "Consumption preferences",
        (INDIVIDUAL,),
        "longtext",
        ask_zh="消费上有什么偏好（旅游、教育、汽车、医疗）？",
        ask_en="What do they spend on (travel, education, cars, health)?",
    ),
    F(
        "social_circle",
        "社交圈",
        "Social circle",
        (INDIVIDUAL,),
        "longtext",
        ask_zh="常来往的朋友、商会或圈子有哪些？",
        ask_en="Which friends, associations or circles matter to them?",
    ),
    F(
        "risk_profile",
        "风险偏好",
        "Risk profile",
        (INDIVIDUAL,),
        "choice",
        RISK_PROFILES,
        ask_zh="风险测评结果是什么？能接受多大波动？",
        ask_en="Risk assessment result — how much volatility is fine?",
    ),
    F(
        "asset_structure",
        "资产与投资结构",
        "Assets and investments",
        (INDIVIDUAL,),
        "longtext",
        ask_zh="他行和其他资产大致怎么配置（存款、理财、房产、股票）？",
        ask_en="How are other assets held (deposits, wealth products, property, shares)?",
    ),
    F(
        "transaction_habits",
        "交易习惯",
        "Transaction habits",
        (INDIVIDUAL,),
        "longtext",
        ask_zh="习惯在网点、手机银行还是电话办理？",
        ask_en="Branch, mobile banking or phone — how do they transact?",
    ),
    # corporate
    F(
        "industry",
        "行业",
        "Industry",
        BOTH,
        ask_zh="所在行业的周期、竞争和政策怎么样？",
        ask_en="How are the industry's cycle, competition and policy?",
    ),
    F(
        "founded_year",
        "成立年份",
        "Founded",
        (CORPORATE,),
        "int",
        ask_zh="哪一年成立的？",
        ask_en="When was it founded?",
    ),
    F(
        "registered_capital",
        "注册资本",
        "Registered capital",
        (CORPORATE,),
        "money",
        ask_zh="注册资本和股权结构是怎样的？",
        ask_en="Registered capital and ownership?",
    ),
    F(
        "ownership",
        "股权结构",
        "Ownership",
        (CORPORATE,),
        "longtext",
        ask_zh="股东是谁，实际控制人是谁？",
        ask_en="Who are the shareholders and the controlling party?",
    ),
    F(
        "operations",
        "经营与市场份额",
        "Operations and market share",
        (CORPORATE,),
        "longtext",
        ask_zh="主营业务和市场份额如何？",
        ask_en="Main business and market share?",
    ),
    F(
        "funding",
        "资金状况",
        "Funding",
        (CORPORATE,),
        "longtext",
        ask_zh="资金从哪里来，有没有融资需求？",
        ask_en="How is it funded; any financing needs?",
    ),
    F(
        "history",
        "发展历史",
        "History",
        (CORPORATE,),
        "longtext",
        ask_zh="企业是怎么发展起来的？",
        ask_en="How did the company grow?",
    ),
    F(
        "problems",
        "当前问题",
        "Current problems",
        (CORPORATE,),
        "longtext",
        ask_zh="目前经营上最头疼的问题是什么？",
        ask_en="What is the biggest problem it faces now?",
    ),
    F(
        "financials",
        "财务状况",
        "Financials",
        (CORPORATE,),
        "longtext",
        ask_zh="近三年营收、利润和负债情况？",
        ask_en="Revenue, profit and debt over the last three years?",
    ),
    F(
        "standing",
        "行业地位",
        "Standing in industry",
        (CORPORATE,),
        "longtext",
        ask_zh="在行业里排在什么位置？",
        ask_en="Where does it stand among its peers?",
    ),
    F(
        "affiliates",
        "关联企业",
        "Affiliates",
        (CORPORATE,),
        related=True,
        ask_zh="有哪些关联企业？",
        ask_en="Which companies are affiliated with it?",
    ),
    F(
        "suppliers_customers",
        "上下游",
        "Suppliers and customers",
        (CORPORATE,),
        "longtext",
        ask_zh="主要供应商和客户是谁？",
        ask_en="Who are its main suppliers and customers?",
    ),
    F(
        "decision_makers",
        "决策人",
        "Decision makers",
        (CORPORATE,),
        related=True,
        ask_zh="谁拍板？决策人是谁，怎么联系？",
        ask_en="Who decides, and how can we reach them?",
    ),
    # both
    F(
        "other_banks",
        "他行合作",
        "Other banks",
        BOTH,
        "longtext",
        ask_zh="还在哪些银行办业务，各办了什么？",
        ask_en="Which other banks do they use, and for what?",
    ),
    F("products_opened", "已开通产品", "Products opened", BOTH, "longtext", counts=False),
    F(
        "next_needs",
        "可能的需求",
        "Likely next needs",
        BOTH,
        "longtext",
        ask_zh="接下来可能有什么资金或服务需求？",
        ask_en="What money or service needs are coming?",
    ),
    F("notes", "备注", "Notes", BOTH, "longtext", counts=False),
)
BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
COLUMN_FIELDS: tuple[Field, ...] = tuple(f for f in FIELDS if not f.related)


@lru_cache(maxsize=8)
def fields_for(kind: str) -> tuple[Field, ...]:
    return tuple(f for f in FIELDS if kind in f.kinds)


@lru_cache(maxsize=8)
def counted_fields(kind: str) -> tuple[Field, ...]:
    return tuple(f for f in fields_for(kind) if f.counts)


def completeness(
    kind: str, values: Mapping[str, object], related: Mapping[str, object] | None = None
) -> tuple[int, list[str]]:
    """Share (0–100) of the fields that matter for this client kind that are filled, and the missing ones.

    ``values`` maps field names to their values; related fields (decision makers, affiliates, birthday)
    are filled when their value is truthy (a count or a list), taken from ``related`` when given (so a
    caller with many clients need not build a merged dict for each).
    """
    checks = _checks(kind)
    found = values if related is None else related
    missing = []
    for name, is_related in checks:
        if is_related:
            if not found.get(name):
                missing.append(name)
            continue
        value = values.get(name)
        if type(value) is str:  # the common case, inline: one call per field counts on 100,000 clients
            if not value or value.isspace():
                missing.append(name)
        elif not _filled(value):
            missing.append(name)
    pct = round(100 * (len(checks) - len(missing)) / len(checks)) if checks else 100
    return pct, missing


@lru_cache(maxsize=8)
def _checks(kind: str) -> tuple[tuple[str, bool], ...]:
    """(name, related) of each field counted for this kind, in order."""
    return tuple((f.name, f.related) for f in counted_fields(kind))


def _filled(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    return bool(value)


def validate(field_name: str, raw: str) -> object:
    """Check and convert one typed value; raise ValueError saying why. Empty text clears the field."""
    from workbench.rules.identity import normalize_id, normalize_phone
    from workbench.rules.money import parse_amount

    f = BY_NAME.get(field_name)
    if f is None or f.related:
        raise Invalid("err.field.unknown", field=field_name)
    from workbench.rules.text import clean_input

    text = clean_input(raw)  # no control characters or escape sequences are stored
    if not text:
        if field_name == "name":
            raise Invalid("err.field.name")
        return None
    if len(text) > 10_000:
        raise Invalid("err.field.long")
    if f.kind == "phone":
        return normalize_phone(text)
    if f.kind == "id":
        return normalize_id(text)
    if f.kind == "choice" and text not in f.choices:
        raise Invalid("err.field.choice", choices=" / ".join(f.choices))
    if f.kind == "int":
        if not text.isdigit() or not 1800 <= int(text) <= 2200:
            raise Invalid("err.field.year")
        return int(text)
    if f.kind == "money":
        return parse_amount(text)
    if f.kind == "text" and "\n" in text:
        raise Invalid("err.field.line")
    return text
