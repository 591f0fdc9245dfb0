"""The shortcuts the bulk paths (demo book, large imports) take give exactly what the plain rules give:
pypinyin's phrase pass read word by word, completeness without a merged dict, derived values in database
form, a client's own search keys."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from pypinyin import Style, pinyin

from workbench.rules import profile
from workbench.rules.pinyin import client_keys, own_keys, read_in_context
from workbench.services import demo_data as V
from workbench.services.figures import DERIVED, db_row
from workbench.store import bulk


def _whole(text: str) -> list[str]:
    """The reading the phrase pass gave before it was read word by word."""
    found = pinyin(text, style=Style.NORMAL, errors=lambda s: [[c] for c in s])
    return [r[0].replace("ü", "v") if r and r[0] else "" for r in found]


def test_company_names_read_word_by_word_as_in_one_pass() -> None:
    rnd = random.Random(5)
    for i in range(3000):
        word = rnd.choice(V.COMPANY_WORDS) + (rnd.choice(V.COMPANY_WORDS) if i % 3 == 0 else "")
        name = f"{rnd.choice(V.COMPANY_CITIES)}{word}{rnd.choice(V.INDUSTRIES)[0]}{rnd.choice(V.COMPANY_SUFFIXES)[0]}"
        assert read_in_context(name) == _whole(name), name
    for text in ("重庆银行", "长沙市长乐区银行行长", "中国人民银行", "㐀㐁有限公司", "单"):
        assert read_in_context(text) == _whole(text), text


def test_completeness_with_related_counts_as_the_merged_dict() -> None:
    rnd = random.Random(9)
    names = [f.name for f in profile.FIELDS]
    choices = (None, "", "  ", "x", 0, 3, 1.5, [], ["a"], True, False)
    for kind in profile.BOTH:
        for _ in range(500):
            values = {n: rnd.choice(choices) for n in names if rnd.random() < 0.6}
            related = {"decision_makers": rnd.choice((0, 2)), "affiliates": rnd.choice((0, 1)), "birthday": True}
            assert profile.completeness(kind, values, related) == profile.completeness(kind, {**values, **related})


def test_derived_values_in_database_form_as_bulk_sends_them() -> None:
    samples = ("gold", 3, None, Decimal("12.345"), dt.date(2026, 1, 1), 0.25, True, False, "")
    rnd = random.Random(2)
    for postgres in (False, True):
        for _ in range(200):
            derived = {c: rnd.choice(samples) for c in DERIVED}
            expected = [bulk.db_form(derived[c], postgres=postgres) for c in DERIVED]
            assert db_row(derived, postgres) == expected


def test_own_keys_are_the_keys_without_a_name() -> None:
    for no, phone in (("C001", "138-0013-8000"), (None, "0571-88886666"), ("E9", None), (None, None), ("~1", "1")):
        assert set(own_keys(no, phone)) == client_keys("", no, phone)
        assert len(own_keys(no, phone)) == len(set(own_keys(no, phone)))
