"""Search keys for a name: Chinese substrings, full pinyin and initials, every reading of polyphonic characters.

Keys are computed once when a client is saved and stored, so a search is an indexed prefix lookup and never
converts names at query time. A query matches a client when it is a prefix of one of its keys.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

MAX_COMBOS = 16  # readings combinations kept per name (polyphonic names multiply)
PERSON_UNITS = 4  # up to this many characters a name is a person's: every character's every reading counts
VARIED_UNITS = 2  # in a longer name, the characters whose every reading counts (the rest read in context)
MAX_SUFFIX_CHARS = 16


@lru_cache(maxsize=65536)
def readings(char: str) -> tuple[str, ...]:
    """Every toneless pinyin reading of one CJK character, most common first; the char itself otherwise."""
    if not _is_cjk(char):
        return (char.lower(),)
    from pypinyin import Style, pinyin  # 250 ms to import: only when a name is saved, never to search

    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    values = tuple(dict.fromkeys(r.replace("ü", "v") for r in (found[0] if found else []) if r))
    return values or (char,)


def _is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or "\U00020000" <= char <= "\U0002fa1f"


def _units(name: str) -> list[str]:
    """Characters that count for search: CJK characters and runs of latin letters/digits."""
    return re.findall(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]|[A-Za-z0-9]+", name)


def name_keys(name: str) -> set[str]:
    return set(_name_keys(name))


@lru_cache(maxsize=65536)
def _name_keys(name: str) -> frozenset[str]:  # names repeat across a book: 张伟 is computed once
    units = _units(name)
    if not units:
        return frozenset()
    keys: set[str] = set()
    # Chinese (and latin) substrings: every suffix, so any substring is a prefix of some key.
    lowered = [u.lower() for u in units]
    for i in range(min(len(lowered), MAX_SUFFIX_CHARS)):
        keys.add("".join(lowered[i:]))
    context = _in_context(units)
    # Every reading of each character of a person's name (单 dan/shan/chan); in a longer name (a company)
    # only of its first characters: 有限公司 is never read 有限公ci, and its words read as the phrase says.
    per_unit = [
        readings(u) if len(u) == 1 and i < (len(units) if len(units) <= PERSON_UNITS else VARIED_UNITS) else (c,)
        for i, (u, c) in enumerate(zip(units, context, strict=True))
    ]
    combos = itertools.islice(itertools.product(*per_unit), MAX_COMBOS)
    for combo in itertools.chain([tuple(context)], combos):
        keys.add("".join(combo))
        keys.add("".join(s[0] for s in combo))
    # syllable suffixes of the reading in context: "weiming" finds 张伟明, "yinhang" finds 杭州银行
    for i in range(1, min(len(context), MAX_SUFFIX_CHARS)):
        keys.add("".join(context[i:]))
        keys.add("".join(s[0] for s in context[i:]))
    return frozenset(k for k in keys if k)  # (all kept: a mention, @na, matches a key exactly)


def _in_context(units: list[str]) -> list[str]:
    """One reading per unit: in a longer name (a company) as its words read (银行 yinhang, 重庆 chongqing),
    through pypinyin's phrases; in a person's name each character's first reading."""
    if len(units) <= PERSON_UNITS:  # a person's name: every reading is a key anyway; the first is the main one
        return [readings(u)[0] if len(u) == 1 else u.lower() for u in units]
    out = [u.lower() for u in units]
    cjk = [i for i, u in enumerate(units) if len(u) == 1 and _is_cjk(u)]
    if not cjk:
        return out
    # runs of adjacent characters are read together, so phrases are recognised
    runs: list[list[int]] = []
    for i in cjk:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    for run in runs:
        read = read_in_context("".join(units[i] for i in run))
        if len(read) != len(run):  # never expected: fall back to each character's first reading
            read = [readings(units[i])[0] for i in run]
        for i, r in zip(run, read, strict=True):
            out[i] = r if r and r.isascii() else readings(units[i])[0]
    return out


def read_in_context(text: str) -> list[str]:
    """One reading per character of a run of CJK characters, as its words read: the same as
    ``pypinyin.pinyin(text, style=Style.NORMAL, errors=...)``'s first readings, ü written v.

    That call cuts the text into words (its phrase dictionary, longest match first) and reads each word on
    its own; here each distinct word's reading is kept, so a book's company names, made of the same words
    (杭州, 贸易, 有限公司), cost one cut each instead of the whole conversion (about 240 µs a name)."""
    from pypinyin.seg.simpleseg import seg  # what pypinyin.pinyin cuts a text with

    out: list[str] = []
    for word in seg(text):
        out.extend(_read_word(word))
    return out


@lru_cache(maxsize=65536)
def _read_word(word: str) -> tuple[str, ...]:
    """pypinyin's reading of one word (one reading per character), with the converter its ``pinyin``
    function builds for each call (UltimateConverter without v_to_u or neutral_tone_with_five)."""
    from pypinyin import Style
    from pypinyin.converter import UltimateConverter

    found = UltimateConverter(v_to_u=False, neutral_tone_with_five=False).convert(
        word, Style.NORMAL, False, _as_themselves, strict=True
    )
    return tuple(r[0].replace("ü", "v") if r and r[0] else "" for r in found)


def _as_themselves(chars: str) -> list[list[str]]:
    """Characters without a reading stand for themselves (pypinyin's ``errors`` callback)."""
    return [[c] for c in chars]


@lru_cache(maxsize=65536)
def sort_key(name: str) -> str:
    """The main reading, for sorting names as a Chinese reader expects (by pinyin). Cached: names repeat."""
    return "".join(readings(u)[0] if len(u) == 1 else u.lower() for u in _units(name)) or name.lower()


def normalize_query(query: str) -> str:
    return re.sub(r"[\s'’]", "", query).lower()


PHONE_PREFIX = "~"  # phone keys are the digits reversed, so a phone tail is a key prefix


def client_keys(name: str, client_no: str | None = None, phone: str | None = None) -> set[str]:
    """Every key a client is found by: name keys, the client number, the phone's digits reversed."""
    keys = set(_name_keys(name))
    keys.update(own_keys(client_no, phone))
    return keys


def own_keys(client_no: str | None, phone: str | None) -> list[str]:
    """The keys that are the client's own, not its name's: the client number, the phone's digits reversed
    (a bulk load joins the name's keys, computed once per distinct name, in SQL)."""
    keys = [client_no.lower()] if client_no else []
    if phone:
        digits = phone if phone.isdigit() else "".join(c for c in phone if c.isdigit())
        if digits and PHONE_PREFIX + digits[::-1] not in keys:
            keys.append(PHONE_PREFIX + digits[::-1])
    return keys


def query_prefixes(query: str) -> list[str]:
    """The key prefixes a search query looks up."""
    q = normalize_query(query)
    if not q:
        return []
    out = [q]
    if q.isdigit() and len(q) >= 3:
        out.append(PHONE_PREFIX + q[::-1])
    return out
