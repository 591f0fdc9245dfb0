"""What a calendar outside the book may show of a client (rules.privacy)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.rules import privacy
from workbench.rules.planner import REASON_KINDS


def test_the_name_in_full_a_surname_with_a_title_or_only_the_number_tail() -> None:
    assert privacy.shown_client("张伟明", "name") == "张伟明"
    assert privacy.shown_client("张伟明", "surname", gender="男") == "张先生"
    assert privacy.shown_client("欧阳娜娜", "surname", gender="女") == "欧阳女士"
    assert privacy.shown_client("欧阳娜娜", "surname", gender="女", lang="en") == "Ms 欧阳"
    assert privacy.shown_client("单丽", "surname") == "单…"  # no gender on file: no title guessed
    assert privacy.shown_client("杭州宏达纺织有限公司", "surname", corporate=True) == "杭州…"
    assert privacy.shown_client("张伟明", "none", number="C00012345") == "客户 …2345"
    assert privacy.shown_client("张伟明", "none", lang="en") == "client"


def test_reasons_in_full_by_kind_once_each_or_not_at_all() -> None:
    reasons = [("maturity", "理财 2.8M 11月26日到期"), ("maturity", "大额存单 403K 到期"), ("churn_risk", "连降5月")]
    assert privacy.shown_reasons(reasons, "full") == [text for _, text in reasons]
    assert privacy.shown_reasons(reasons, "kind") == ["产品到期", "流失预警"]
    assert privacy.shown_reasons(reasons, "kind", "en") == ["product maturing", "churn risk"]
    assert privacy.shown_reasons(reasons, "none") == []


def test_every_reason_kind_has_words_and_unknown_settings_are_refused() -> None:
    assert set(privacy.REASON_WORDS) == set(REASON_KINDS)
    with pytest.raises(ValueError, match=r"calendar\.client"):
        privacy.shown_client("张伟明", "initials")
    with pytest.raises(ValueError, match=r"calendar\.reason"):
        privacy.shown_reasons([], "some")


NAMES = st.text(alphabet="张王李欧阳司马伟明娜丽华", min_size=2, max_size=5)
DIGITS = st.text(alphabet="0123456789", min_size=6, max_size=18)


@given(NAMES, DIGITS, st.sampled_from(["男", "女", None]), st.booleans(), st.sampled_from(["zh", "en"]))
def test_less_than_name_never_shows_the_given_name_or_more_than_four_digits(
    name: str, number: str, gender: str | None, corporate: bool, lang: str
) -> None:
    kw = {"corporate": corporate, "gender": gender, "number": number, "lang": lang}
    short = privacy.shown_client(name, "surname", **kw)
    assert name not in short or len(name) <= 2  # at most the surname (or a company's first two characters)
    hidden = privacy.shown_client(name, "none", **kw)
    assert not set(name) & set(hidden)
    assert hidden.endswith(number[-4:]) and sum(c.isdigit() for c in hidden) == 4
