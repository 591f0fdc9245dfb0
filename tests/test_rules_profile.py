"""Completeness, trend and churn, pinyin keys, safe text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from workbench.rules import pinyin, profile
from workbench.rules.text import fit, safe, width
from workbench.rules.trend import trend


def test_completeness_per_kind_lists_missing_fields() -> None:
    pct, missing = profile.completeness("individual", {"name": "张三", "phone": "13812345678"})
    assert 0 < pct < 20
    assert "occupation" in missing and "phone" not in missing and "decision_makers" not in missing
    pct, missing = profile.completeness("corporate", {"name": "某公司", "industry": "制造"})
    assert "decision_makers" in missing and "occupation" not in missing
    full = {f.name: "x" for f in profile.counted_fields("corporate")}
    full["decision_makers"] = 2
    assert profile.completeness("corporate", full) == (100, [])


def test_profile_validation() -> None:
    assert profile.validate("phone", "0571 8888 6666") == "0571-88886666"
    assert profile.validate("risk_profile", "稳健") == "稳健"
    assert profile.validate("occupation", "  ") is None
    for field, bad in (
        ("risk_profile", "随便"),
        ("founded_year", "20241399"),
        ("phone", "12"),
        ("name", ""),
        ("gender", "x"),
        ("address", "a\nb"),
    ):
        try:
            profile.validate(field, bad)
        except ValueError:
            continue
        raise AssertionError(f"{field}={bad!r} accepted")


def test_trend_and_churn() -> None:
    assert trend([100, 110, 130]).direction == "rising"
    assert trend([100, 101, 99]).direction == "flat"
    falling = trend([100, 95, 90, 85])
    assert falling.direction == "falling" and falling.churn and falling.churn_reason == "streak:3"
    drop = trend([100, 100, 100, 50])
    assert drop.churn and drop.churn_reason == "drop:50"
    assert not trend([100, 95, 96, 97]).churn
    assert trend([100]).direction is None


def test_pinyin_keys_cover_full_initials_prefixes_and_every_reading() -> None:
    keys = pinyin.client_keys("单伟明", "C00012", "138-1234-5678")
    for query in (
        "danweiming",
        "shanweiming",
        "dwm",
        "swm",
        "shanw",
        "weiming",
        "伟明",
        "单",
        "c000",
        "5678",
    ):
        prefixes = pinyin.query_prefixes(query)
        assert any(k.startswith(p) for k in keys for p in prefixes), query
    assert any(k.startswith("ouyang") for k in pinyin.name_keys("欧阳修"))
    assert pinyin.sort_key("张三") == "zhangsan"


def test_a_company_name_reads_its_words_in_context_and_keeps_few_keys() -> None:
    keys = pinyin.name_keys("中国工商银行股份有限公司")
    for query in ("yinhang", "gongshangyinhang", "zggsyh", "youxiangongsi", "工商银行"):
        assert any(k.startswith(query) for k in keys), query
    assert not any("gongci" in k for k in keys)  # 司 is not read ci in 公司
    assert len(keys) <= 40  # every reading of every character would make hundreds
    assert {"chongqingyinhang", "cqyh"} <= pinyin.name_keys("重庆银行")  # a short name: every reading, and
    assert "zhongqingyinhang" in pinyin.name_keys("重庆银行")  # the phrase's own reading too


@given(st.text(alphabet="张王李赵欧阳单曾明伟华芳abc", min_size=1, max_size=8))
def test_every_substring_of_a_name_finds_it(name: str) -> None:
    keys = pinyin.name_keys(name)
    cjk = "".join(c for c in name if c.isalpha()).lower()
    for i in range(len(cjk)):
        for j in range(i + 1, len(cjk) + 1):
            sub = cjk[i:j]
            if "a" <= sub[0] <= "z" and i > 0 and "a" <= cjk[i - 1] <= "z":
                continue  # inside a latin word: not a search boundary
            assert any(k.startswith(sub) for k in keys), (name, sub)


def test_safe_text_neutralises_escapes() -> None:
    assert "\x1b" not in safe("\x1b[2J\x1b]0;owned\x07hello")
    assert safe("a\tb\nc") == "a\tb\nc"
    assert safe("a\nb", single_line=True) == "a b"
    assert "\u202e" not in safe("abc\u202edef")
    assert "\x9b" not in safe("x\x9b31m")


def test_width_and_fit_for_cjk() -> None:
    assert width("张三ab") == 6
    assert width(fit("杭州西湖精密机械有限公司", 11)) == 11
    assert width(fit("ab", 5)) == 5
