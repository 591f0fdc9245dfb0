"""Text from the book shown as text: control characters and escape sequences never reach a terminal raw."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# C0 controls except tab/newline, DEL, C1 controls (0x80–0x9f, which include the 8-bit CSI), and the bidi
# overrides that can reorder what a reader sees.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    ch = match.group(0)
    code = ord(ch)
    if code == 0x1B:
        return "␛"
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ … ␟
    return f"\\u{code:04x}"


def safe(text: str | None, *, single_line: bool = False) -> str:
    """Replace control characters with visible stand-ins; optionally fold newlines and tabs into spaces."""
    if not text:
        return ""
    if text.isprintable():  # the common case: no control or format characters at all
        return text
    out = _UNSAFE.sub(_visible, str(text))
    if single_line:
        out = out.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    return out


def clean_input(text: str) -> str:
    """Text typed or imported into the book: strip it and refuse control characters except tab and newline."""
    return _UNSAFE.sub("", str(text)).strip()


def width(text: str) -> int:
    """Terminal cells a string takes: CJK and full-width characters take two."""
    if text.isascii():
        return len(text)
    return _wide_width(text)


@lru_cache(maxsize=8192)
def _wide_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in text)


def fit(text: str, cells: int) -> str:
    """Cut to at most ``cells`` terminal cells (with … when cut) and pad to exactly that width."""
    if text.isascii() and len(text) <= cells:
        return text.ljust(cells)
    w = width(text)
    if w <= cells:
        return text + " " * (cells - w)
    out, used = [], 0
    for c in text:
        cw = width(c)
        if used + cw > cells - 1:
            break
        out.append(c)
        used += cw
    return "".join(out) + "…" + " " * (cells - 1 - used)
