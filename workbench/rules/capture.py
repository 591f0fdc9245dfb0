"""Reading a quick note as typed: ``@mentions`` of clients, ``#tags``, and whether it files a lesson.

Chinese runs on without spaces, so a mention is a run of CJK characters (or of latin letters and digits)
after ``@``; which part of it is the name is decided against the book (the longest prefix that names a client),
not here. A tag runs to the next space or punctuation mark.
"""

from __future__ import annotations

import re
from typing import NamedTuple

MAX_NOTE = 100_000  # characters a note may hold
LESSON_TAGS = frozenset({"lesson", "教训", "经验教训"})
MAX_MENTION = 24  # characters of a run tried as a name

_CJK = r"\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_MENTION = re.compile(rf"(?<![A-Za-z0-9_.])@([{_CJK}·]+|[A-Za-z0-9_]+(?:[.\-][A-Za-z0-9_]+)*)")
_TAG = re.compile(r"#([^\s#@,，。；;:：!！?？、()（）\[\]【】\"'“”‘’<>《》]+)")


class MentionToken(NamedTuple):  # NamedTuple, not dataclass: the quick-capture path loads no inspect
    start: int  # index of the '@'
    run: str  # the characters after '@' that may hold the name
    cjk: bool

    def prefixes(self) -> list[str]:
        """Candidate names, longest first (a latin run is taken whole; a CJK name has two or more characters)."""
        if not self.cjk:
            return [self.run]
        run = self.run[:MAX_MENTION]
        return [run[:n] for n in range(len(run), 1, -1)]


class Parsed(NamedTuple):
    text: str
    tags: tuple[str, ...]  # as written, without '#', in order, each once
    lesson: bool
    mentions: tuple[MentionToken, ...]


def parse(text: str) -> Parsed:
    tags = tuple(dict.fromkeys(m.group(1) for m in _TAG.finditer(text)))
    mentions = tuple(
        MentionToken(m.start(), m.group(1), bool(re.match(rf"[{_CJK}]", m.group(1)))) for m in _MENTION.finditer(text)
    )
    lesson = any(t.lower() in LESSON_TAGS for t in tags)
    return Parsed(text, tags, lesson, mentions)
