"""Search (CLI.md `wb search`): notes, lessons, contacts and clients, ranked, matches marked 【 】 in a snippet;
words of one, two, three and more characters; stored text shown as text. Today is 2026-11-23 (conftest)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.i18n import t
from workbench.services import capture, figures, journal, planner, search
from workbench.store import fulltext
from workbench.store.db import transaction
from workbench.store.models import Client, Note, NoteClient

BACKENDS = ("sqlite", "postgresql")

TODAY = dt.date(2026, 11, 23)
HEAVY = ("textual", "pendulum", "pypinyin", "peewee", "rich")
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
KEYS = {"kind", "id", "date", "client", "text", "snippet"}


def add_clients(*names: str) -> dict[str, int]:
    ids = {}
    with transaction():
        for n, name in enumerate(names, 1):
            ids[name] = Client.create(client_no=f"C{n:04d}", name=name).id
        figures.refresh()
    return ids


@pytest.fixture
def people(book) -> dict[str, int]:
    return add_clients("王小明", "张伟明", "欧阳娜娜", "李娜", "陈静")


@pytest.fixture
def note(target: str):
    def run(text: str) -> int:
        saved = capture.capture(text, target=target)
        assert saved.note_id is not None
        return saved.note_id

    return run


@pytest.fixture
def find(target: str):
    def run(query: str, limit: int = 50) -> list[search.Hit]:
        return search.search(query, limit=limit, target=target)

    return run


@pytest.fixture
def wb(target: str, capsys: pytest.CaptureFixture[str], chinese):
    def run(*args: str) -> tuple[int, str, str]:
        code = main(["search", "--db", target, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def ids(hits: list[search.Hit], kind: str = "note") -> list[int]:
    return [h.id for h in hits if h.kind == kind]


# --- words of every length -----------------------------------------------------------------------------------


def test_two_character_words_are_found_anywhere_in_a_note(people, note, find) -> None:
    a = note("客户想了解理财")  # at the end
    b = note("留学的事下周再谈")  # at the start
    c = note("@张伟明 说张三也想办留学，理财以后再说")
    d = note("理")  # one character of the word is not the word
    e = note("张 三")
    for word, expected in (("理财", {a, c}), ("留学", {b, c}), ("张三", {c})):
        hits = find(word)
        assert set(ids(hits)) == expected, word
        for h in hits:
            if h.kind == "note":
                assert "【" + word + "】" in h.snippet
    assert d not in ids(find("理财")) and e not in ids(find("张三"))


def test_three_and_six_character_words_and_longer_phrases(people, note, find) -> None:
    a = note("他想做家族信托规划，先看看公积金贷款")
    b = note("公积金提取")
    note("家族信托")
    assert set(ids(find("公积金"))) == {a, b}
    (hit,) = find("家族信托规划")
    assert (hit.kind, hit.id) == ("note", a)
    assert hit.snippet == "他想做【家族信托规划】，先看看公积金贷款"
    assert ids(find("信托规划，先看看公积金")) == [a]


def test_english_is_found_whatever_the_case(people, note, find) -> None:
    a = note("Discussed the ETF and Bond funds")
    b = note("etf 定投")
    for query in ("etf", "ETF", "Etf"):
        assert set(ids(find(query))) == {a, b}, query
    assert ids(find("BOND")) == [a]
    assert ids(find("bond FUNDS")) == [a]
    (hit,) = find("bond")
    assert "【Bond】" in hit.snippet  # the text as written, marked where it matched


def test_a_one_character_word(people, note, find) -> None:
    a = note("张总来过")
    b = note("下午见张")
    c = note("李总来过")
    found = ids(find("张"))
    assert a in found and b in found and c not in found


def test_every_word_must_match(people, note, find) -> None:
    a = note("理财到期，客户想续")
    note("理财刚买")
    note("存款到期")
    b = note("到期的是理财")
    assert set(ids(find("理财 到期"))) == {a, b}
    assert set(ids(find("到期 理财"))) == {a, b}
    assert ids(find("理财 到期 保险")) == []
    (hit,) = [h for h in find("理财 到期") if h.id == a]
    assert hit.snippet == "【理财】【到期】，客户想续"


def test_nothing_found_and_odd_queries_do_not_fail(people, note, find, wb) -> None:
    note('他说 "理财" OR 存款 AND NOT* (保险)')
    assert find("保单") == [] and find("   ") == []
    for query in ('"', '"理财"', "OR", "NOT*", "(保险)", "a'b", "*"):
        code, _, err = wb(query)
        assert code == 0 and err == "", query
    code, out, _ = wb("不存在的词")
    assert code == 0 and out.strip() == t("cli.search_none")
    assert len(find('"理财"')) == 1


def test_a_two_character_word_is_found_however_many_words_follow_it(people, find) -> None:
    with transaction():
        docs = []
        for i in range(450):  # 理财 followed by 450 different characters: 450 trigrams begin with 理财
            n = Note.create(date=TODAY, text=f"理财{chr(0x4E00 + i)}产品")
            docs.append(fulltext.Doc("note", n.id, None, TODAY, n.text))
        fulltext.add(docs)
    newest = Note.select().order_by(Note.id.desc()).first()
    assert len(fulltext.search(["理财"], limit=1_000)) == 450
    assert newest.id in ids(find("理财", limit=5))


# --- ranking -------------------------------------------------------------------------------------------------


def test_a_client_whose_name_matches_comes_first(people, note, find) -> None:
    a = note("@王小明 想了解理财")
    hits = find("王小明")
    assert (hits[0].kind, hits[0].id, hits[0].client) == ("client", people["王小明"], "王小明")
    assert hits[0].snippet == "【王小明】"
    assert ("note", a) in [(h.kind, h.id) for h in hits[1:]]
    hits = find("zhangweiming")
    assert (hits[0].kind, hits[0].id) == ("client", people["张伟明"])
    assert [(h.kind, h.client) for h in find("oynn")][:1] == [("client", "欧阳娜娜")]


def test_a_lesson_ranks_above_a_contact_for_the_same_word(people, note, find) -> None:
    lesson = note("#教训 理财要先讲风险")
    planner.log_contact(people["陈静"], "phone", "电话里聊了理财")
    hits = find("理财")
    assert [h.kind for h in hits] == ["lesson", "contact"]
    assert hits[0].id == lesson and hits[1].client == "陈静"


def test_a_note_ranks_above_a_newer_contact_for_the_same_word(people, note, find) -> None:
    a = note("客户关心理财收益")
    planner.log_contact(people["陈静"], "phone", "电话里聊了理财")
    assert [(h.kind, h.id) for h in find("理财")] == [("note", a), ("contact", 1)]


def test_a_contact_is_found_by_its_outcome(people, find) -> None:
    planner.log_contact(people["李娜"], "visit", "上门聊了孩子留学的资金安排")
    (hit,) = find("留学")
    assert (hit.kind, hit.client, hit.date) == ("contact", "李娜", "2026-11-23")
    assert hit.snippet == "上门聊了孩子【留学】的资金安排"


# --- the command ---------------------------------------------------------------------------------------------


def test_wb_search_json_best_first_with_the_contract_keys(people, note, wb, find) -> None:
    a = note("@王小明 想了解理财")
    b = note("理财到期 #理财")
    planner.log_contact(people["陈静"], "phone", "问理财")
    code, out, err = wb("--json", "理财")
    assert code == 0 and err == ""
    rows = json.loads(out)
    assert all(set(r) == KEYS for r in rows)
    assert {(r["kind"], r["id"]) for r in rows} == {("note", a), ("note", b), ("contact", 1)}
    by_id = {(r["kind"], r["id"]): r for r in rows}
    assert by_id["note", a]["client"] == "王小明" and by_id["note", b]["client"] is None
    assert by_id["note", a]["text"] == "@王小明 想了解理财"
    assert by_id["note", a]["snippet"] == "@王小明 想了解【理财】"
    assert by_id["note", b]["snippet"] == "【理财】到期 #【理财】"
    assert all(r["date"] == "2026-11-23" for r in rows)
    assert json.loads(wb("理财", "--json")[1]) == rows  # the option may follow the query
    assert [(h.kind, h.id) for h in find("理财")] == [(r["kind"], r["id"]) for r in rows]  # the service's order


def test_wb_search_limit(people, note, wb) -> None:
    for i in range(6):
        note(f"第{i}条 理财")
    rows = json.loads(wb("理财", "--json")[1])
    assert len(rows) == 6
    limited = json.loads(wb("理财", "--limit", "2", "--json")[1])
    assert limited == rows[:2]
    code, _, err = wb("理财", "--limit", "0")
    assert code == 1 and "Traceback" not in err


def test_wb_search_prints_one_line_a_hit(people, note, wb) -> None:
    note("@王小明 想了解理财\n第二行")
    code, out, _ = wb("理财")
    assert code == 0
    (line,) = out.splitlines()
    assert line == f"[{t('search.kind.note')}] 2026-11-23 王小明 · @王小明 想了解【理财】 第二行"


# --- text from the book shown as text ------------------------------------------------------------------------


def raw_note(text: str, client_id: int | None = None) -> int:
    """A note stored as it came (an older book, another program): control characters and all."""
    with transaction():
        n = Note.create(date=TODAY, text=text)
        if client_id is not None:
            NoteClient.create(note=n, client=client_id, mention="", resolved=True)
        fulltext.add([fulltext.Doc("note", n.id, client_id, TODAY, text)])
    return n.id


def test_escape_sequences_in_stored_text_never_reach_the_terminal(people, note, wb) -> None:
    raw_note("\x1b[2J\x1b]0;pwn\x07保险到期\x9b31m \u202e反转\n第二行\x1b[0m")
    note("\x1b[31m保险\x1b[0m 续保")  # typed: the control characters are dropped on the way in
    code, out, err = wb("保险")
    assert code == 0
    assert not CONTROL.search(out + err)
    assert len(out.splitlines()) == 2
    code, out, _ = wb("--json", "保险")
    rows = json.loads(out)
    assert len(rows) == 2
    for r in rows:
        assert not CONTROL.search(r["text"].replace("\n", "")) and not CONTROL.search(r["snippet"])
        assert "【保险】" in r["snippet"]


def test_a_client_name_with_escape_sequences_is_shown_safely(book, wb) -> None:
    (cid,) = add_clients("坏\x1b[2J名字").values()
    raw_note("提到他的保险", cid)
    code, out, err = wb("保险")
    assert code == 0
    assert "\x1b" not in out + err
    assert not CONTROL.search(json.loads(wb("--json", "保险")[1])[0]["client"])


# --- edited notes are found by what they say now --------------------------------------------------------------


def test_an_edited_note_is_found_by_its_new_text_only(people, note, find) -> None:
    a = note("@陈静 原来写的是理财")
    journal.edit_text(a, "@陈静 改成了保险规划")
    assert find("理财") == []
    (hit,) = [h for h in find("保险") if h.kind == "note"]
    assert hit.id == a and hit.client == "陈静" and hit.text == "@陈静 改成了保险规划"


def test_a_note_made_a_lesson_is_found_once_as_a_lesson_with_its_fields(people, note, find) -> None:
    a = note("拜访欧阳娜娜，留学贷款没谈成")
    journal.make_lesson(
        a,
        {"situation": "客户嫌利率高", "next_time": "先讲还款方式"},
        [("stage", "assess")],
        client_id=people["欧阳娜娜"],
    )
    (hit,) = find("留学")
    assert (hit.kind, hit.id, hit.client) == ("lesson", a, "欧阳娜娜")
    (hit,) = find("利率")
    assert (hit.kind, hit.id) == ("lesson", a)
    assert [(h.kind, h.id) for h in find("还款方式")] == [("lesson", a)]
    journal.make_lesson(a, {"situation": "客户嫌期限长"})
    assert find("利率") == []
    assert [(h.kind, h.id) for h in find("期限")] == [("lesson", a)]


# --- nothing heavy on the search path ------------------------------------------------------------------------


@pytest.mark.sqlite_only  # the SQLite quick path
def test_wb_search_imports_nothing_heavy(people, note, db_path: Path, tmp_path: Path) -> None:
    note("@王小明 想了解理财")
    env = {**os.environ, "WORKBENCH_TODAY": "2026-11-23", "LANG": "zh_CN.UTF-8"}
    env.pop("WORKBENCH_DB", None)
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "workbench", "search", "--db", str(db_path), "理财"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "【理财】" in done.stdout
    loaded = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "workbench.services.search" in loaded
    assert {m for m in loaded if m.split(".")[0] in HEAVY} == set()


def test_numbers_in_found_texts_are_masked_unless_revealed_and_audited(people, note, wb) -> None:
    note("客户来电 13812345678，身份证 330106199001011234，想办理财")
    code, out, _ = wb("理财", "--json")
    (hit,) = [h for h in json.loads(out) if h["kind"] == "note"]
    assert code == 0 and "13812345678" not in out and "330106199001011234" not in out
    assert "138****5678" in hit["text"] and "3301**********1234" in hit["text"]
    code, out, _ = wb("理财", "--json", "--reveal")
    assert code == 0 and "13812345678" in out and "330106199001011234" in out
    from workbench.services import audit

    assert [(e.action, e.detail) for e in audit.recent()] == [("reveal.search", "理财")]
