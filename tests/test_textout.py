"""The CLI's plain-text tables: every cell takes exactly its column's terminal cells, CJK counted as two."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.test_tui_books import cells
from workbench.rules.text import width
from workbench.textout import column_table, table

CELL = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.sampled_from("王小明张伟钻石白金万亿↑↓→—"),
        st.sampled_from("\x1b\x07\t\n\u202e"),
    ),
    max_size=30,
)


@given(
    st.lists(st.lists(CELL, min_size=3, max_size=3), max_size=20), st.lists(st.integers(2, 12), min_size=3, max_size=3)
)
def test_every_cell_takes_its_columns_width(rows: list[list[str]], widths: list[int]) -> None:
    out = table(["No", "名称", "Tier"], rows, widths)
    lines = out.splitlines()
    assert len(lines) == len(rows) + 2
    cols = [max(w, width(h)) for h, w in zip(["No", "名称", "Tier"], widths, strict=True)]
    full = sum(cols) + len(cols) - 1
    for line in lines:
        assert width(line) <= full
        assert not any(c in line for c in "\x1b\x07\t\n\u202e")  # stored text never reaches the terminal raw
    for line, row in zip(lines[2:], rows, strict=True):
        padded = line.ljust(len(line) + full - width(line))
        at = 0
        for cell, w in zip(row, cols, strict=True):
            shown = cells(padded, at, at + w)
            assert width(shown) == w
            visible = shown.rstrip()
            if width(cell) <= w and cell.isprintable():
                assert visible == cell.rstrip()  # fits: shown whole
            elif cell.isprintable():
                assert visible.endswith("…") and cell.startswith(visible[:-1])  # cut, and says so
            at += w + 1


def test_a_long_list_repeats_values_and_keeps_each_row_apart() -> None:
    names = ["王小明", "欧阳娜娜", "张伟"] * 1000
    tiers = ["钻石", "白金", "Gold"] * 1000
    out = column_table(["Name", "Tier"], [names, tiers], [6, 4]).splitlines()
    assert out[2] == "王小明 钻石" and out[3] == "欧阳…  白金" and out[4] == "张伟   Gold"
    assert out[3002 - 1] == "张伟   Gold" and len(out) == 3002


def test_a_row_with_a_missing_cell_is_refused() -> None:
    with pytest.raises(ValueError, match="a row of 1 cells in a table of 2 columns"):
        table(["a", "b"], [["1"]], [3, 3])
