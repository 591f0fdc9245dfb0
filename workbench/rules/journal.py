"""The journal's method as data: the lesson template, the five-step sales process, how lessons are tagged
(DOMAIN.md §4–5), and the week a review covers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class LessonField:
    name: str  # the note column
    zh: str
    en: str
    ask_zh: str
    ask_en: str


LESSON_FIELDS: tuple[LessonField, ...] = (
    LessonField("situation", "情境", "Situation", "当时是什么情况？", "What was the situation?"),
    LessonField("action", "我的做法", "What I did", "我做了什么？", "What did I do?"),
    LessonField("result", "结果", "What happened", "结果怎样？", "What happened?"),
    LessonField("cause", "原因", "Why", "为什么会这样？", "Why did it turn out so?"),
    LessonField("next_time", "下次怎么做", "Next time", "下次我会怎么做？", "What will I do next time?"),
)

SALES_STAGES: tuple[tuple[str, str, str], ...] = (  # key, 中文, English (DOMAIN.md §4)
    ("plan", "更新联系计划", "Update the contact plan"),
    ("assess", "接触与需求评估", "Contact and assess needs"),
    ("execute", "执行方案", "Execute"),
    ("follow_up", "跟进与交叉销售", "Follow up and cross-sell"),
    ("celebrate", "庆祝与感谢", "Celebrate"),
)
STAGE_KEYS = tuple(k for k, _, _ in SALES_STAGES)

# A lesson's facets are tags with a prefix, so the brief can find the lessons that apply to a client.
FACETS = ("tier", "industry", "product", "stage")


def facet_tag(facet: str, value: str) -> str:
    if facet not in FACETS:
        raise ValueError(f"unknown lesson facet {facet!r}; one of: {', '.join(FACETS)}")
    value = value.strip()
    if not value:
        raise ValueError(f"empty {facet}")
    if facet == "stage" and value not in STAGE_KEYS:
        raise ValueError(f"unknown sales stage {value!r}; one of: {', '.join(STAGE_KEYS)}")
    return f"{facet}:{value}"


def split_facet(tag: str) -> tuple[str, str] | None:
    facet, sep, value = tag.partition(":")
    return (facet, value) if sep and facet in FACETS and value else None


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday to Sunday of the week holding ``day``."""
    start = day - dt.timedelta(days=day.weekday())
    return start, start + dt.timedelta(days=6)
