"""Quick capture (CLI.md `wb note`): @mentions against the book's names and stored pinyin keys, #tags, lessons,
stdin, size limits, escape sequences, the spool that keeps a note when the book cannot be written, and the
promise that the capture path loads no heavy module. Today is 2026-11-23 (conftest)."""

from __future__ import annotations

import io
import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.errors import BadInput
from workbench.i18n import t
from workbench.services import capture, figures
from workbench.store.db import transaction
from workbench.store.models import Client, Note, NoteClient, NoteTag

BACKENDS = ("sqlite", "postgresql")

HEAVY = ("textual", "pendulum", "pypinyin", "peewee", "rich")
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def add_clients(names: dict[str, str]) -> dict[str, int]:
    """Clients by client number → name, with their search keys (pinyin, initials) stored; ids by name or number
    (a repeated name is only found by number)."""
    ids: dict[str, int] = {}
    with transaction():
        for no, name in names.items():
            ids[no] = Client.create(client_no=no, name=name).id
            ids.setdefault(name, ids[no])
        figures.refresh()
    return ids


@pytest.fixture
def people(book) -> dict[str, int]:
    """王小明 and 王晓明 share their pinyin (wangxiaoming, wxm); 李娜 and 欧阳娜娜 share "na"."""
    return add_clients(
        {
            "C0001": "王小明",
            "C0002": "王晓明",
            "C0003": "张伟明",
            "C0004": "欧阳娜娜",
            "C0005": "李娜",
            "C0006": "陈静",
        }
    )


@pytest.fixture
def note(target: str):
    def run(text: str) -> capture.Captured:
        return capture.capture(text, target=target)

    return run


@pytest.fixture
def wb_note(target: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, chinese):
    def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(["note", "--db", target, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def mentions(note_id: int) -> list[tuple[int | None, str, bool]]:
    rows = NoteClient.select().where(NoteClient.note == note_id).order_by(NoteClient.id)
    return [(r.client_id, r.mention, r.resolved) for r in rows]


def one_line_error(code: int, err: str) -> None:
    assert code == 1, err
    assert err.startswith("wb: ") and "Traceback" not in err and len(err.strip().splitlines()) == 1


# --- mentions ------------------------------------------------------------------------------------------------


def test_a_chinese_name_links_the_client_and_files_the_note(people, note) -> None:
    saved = note("@王小明 来电问理财到期")
    assert saved.kind == "note" and saved.status == "filed" and saved.spooled is None
    assert [(m.written, m.status, m.name, m.client_id) for m in saved.mentions] == [
        ("@王小明", "linked", "王小明", people["王小明"])
    ]
    row = Note.get_by_id(saved.note_id)
    assert row.text == "@王小明 来电问理财到期" and row.status == "filed" and row.source == "cli"
    assert str(row.date) == "2026-11-23"
    assert mentions(saved.note_id) == [(people["王小明"], "@王小明", True)]


@pytest.mark.parametrize(
    ("text", "written", "name"),
    [
        ("@王小明今天来电，说理财到期", "@王小明", "王小明"),
        ("@张伟明下周去上海", "@张伟明", "张伟明"),
        ("@欧阳娜娜想给孩子办留学贷款", "@欧阳娜娜", "欧阳娜娜"),
        ("@李娜娜来了也没说什么", "@李娜", "李娜"),  # the longest prefix that names a client
        ("下午见了@陈静。", "@陈静", "陈静"),
    ],
)
def test_a_chinese_name_followed_directly_by_more_chinese(people, note, text, written, name) -> None:
    saved = note(text)
    assert [(m.written, m.status, m.name) for m in saved.mentions] == [(written, "linked", name)]
    assert saved.status == "filed"
    assert Note.get_by_id(saved.note_id).text == text  # the note keeps what was typed


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("@zhangweiming 来电", "张伟明"),
        ("@ZhangWeiMing 来电", "张伟明"),
        ("@zwm 来电", "张伟明"),
        ("@ZWM 来电", "张伟明"),
        ("@zwm今天来电", "张伟明"),  # latin letters stop where the Chinese begins
        ("@ouyangnana 想办留学", "欧阳娜娜"),
        ("@oynn 想办留学", "欧阳娜娜"),
        ("@chenjing 约了周五", "陈静"),
        ("@cj, 约了周五", "陈静"),
        ("@C0006 约了周五", "陈静"),  # the client number is a stored key too
    ],
)
def test_pinyin_full_and_initials_link_through_the_stored_keys(people, note, text, name) -> None:
    saved = note(text)
    assert [(m.status, m.name) for m in saved.mentions] == [("linked", name)]
    assert mentions(saved.note_id) == [(people[name], saved.mentions[0].written, True)]
    assert saved.status == "filed"


@pytest.mark.parametrize(
    ("text", "written", "names"),
    [
        ("@wangxiaoming 约了下周", "@wangxiaoming", {"王小明", "王晓明"}),
        ("@wxm 约了下周", "@wxm", {"王小明", "王晓明"}),
        ("@na 约了下周", "@na", {"李娜", "欧阳娜娜"}),
    ],
)
def test_an_ambiguous_mention_is_flagged_not_guessed(people, note, text, written, names) -> None:
    saved = note(text)
    (m,) = saved.mentions
    assert (m.written, m.status, m.client_id, m.name) == (written, "ambiguous", None, None)
    assert set(m.candidates) == names
    assert saved.status == "inbox"
    assert mentions(saved.note_id) == [(None, written, False)]
    assert Note.get_by_id(saved.note_id).status == "inbox"


def test_two_clients_of_the_same_name_are_ambiguous(people, note) -> None:
    add_clients({"C0007": "陈静"})
    saved = note("@陈静 说要转账")
    (m,) = saved.mentions
    assert m.status == "ambiguous" and m.candidates == ("陈静", "陈静") and saved.status == "inbox"


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("@赵六今天来电", "@赵六今天来电"),  # kept as written: which part is the name is for triage
        ("@zhaoliu 来电", "@zhaoliu"),
        ("@ouyang 来电", "@ouyang"),  # a mention names a client: full pinyin or initials, not a prefix
    ],
)
def test_an_unknown_mention_is_kept_as_written_and_waits_in_the_inbox(people, note, text, written) -> None:
    saved = note(text)
    assert [(m.written, m.status, m.client_id) for m in saved.mentions] == [(written, "unknown", None)]
    assert saved.status == "inbox"
    assert Note.get_by_id(saved.note_id).text == text
    assert mentions(saved.note_id) == [(None, written, False)]


def test_one_unresolved_mention_keeps_a_linked_note_in_the_inbox(people, note) -> None:
    saved = note("@王小明 和 @wxm 一起来的")
    assert [m.status for m in saved.mentions] == ["linked", "ambiguous"]
    assert saved.status == "inbox"
    assert mentions(saved.note_id) == [(people["王小明"], "@王小明", True), (None, "@wxm", False)]


def test_an_email_address_is_not_a_mention(people, note) -> None:
    saved = note("资料发到 wang.xm@example.com 了")
    assert saved.mentions == () and saved.status == "inbox"


def test_a_latin_mention_at_the_end_of_a_sentence(people, note) -> None:
    saved = note("Called @zwm. He wants a deposit.")
    assert [(m.written, m.status, m.name) for m in saved.mentions] == [("@zwm", "linked", "张伟明")]


# --- tags and lessons ----------------------------------------------------------------------------------------


def test_tags_run_to_the_next_space_or_punctuation_each_once(people, note) -> None:
    saved = note("#理财 到期了，#到期提醒，#VIP。再提一次 #理财")
    assert saved.tags == ("理财", "到期提醒", "VIP")
    tags = [r.tag for r in NoteTag.select().where(NoteTag.note == saved.note_id).order_by(NoteTag.id)]
    assert tags == ["理财", "到期提醒", "VIP"]
    assert saved.kind == "note"


@pytest.mark.parametrize("text", ["#lesson 先讲风险再讲收益", "#Lesson 先讲风险再讲收益", "先讲风险再讲收益 #教训"])
def test_a_lesson_tag_files_a_lesson(people, note, text) -> None:
    saved = note(text)
    assert saved.kind == "lesson" and saved.status == "filed"
    row = Note.get_by_id(saved.note_id)
    assert (row.kind, row.status) == ("lesson", "filed")


def test_a_lesson_about_an_unknown_client_is_filed_with_the_mention_waiting(people, note) -> None:
    saved = note("#教训 @赵六 要提前确认时间")
    assert saved.kind == "lesson" and saved.status == "filed"
    assert mentions(saved.note_id) == [(None, "@赵六", False)]


# --- the command ---------------------------------------------------------------------------------------------


def test_wb_note_prints_what_it_saved_and_linked(people, wb_note) -> None:
    code, out, err = wb_note("@王小明", "今天来电", "@wxm", "@赵六", "#理财")
    assert code == 0 and err == ""
    (row,) = Note.select()
    assert row.text == "@王小明 今天来电 @wxm @赵六 #理财"
    lines = out.splitlines()
    assert lines[0] == t("cli.note_saved", id=row.id, date="2026-11-23", what=t("cli.note_inbox"))
    assert "  " + t("cli.note_linked", written="@王小明", name="王小明") in lines
    either = ("王小明、王晓明", "王晓明、王小明")
    assert {"  " + t("cli.note_ambiguous", written="@wxm", names=n) for n in either} & set(lines)
    assert "  " + t("cli.note_unknown", written="@赵六") in lines
    assert "  " + t("cli.note_tags", tags="#理财") in lines


def test_wb_note_json(people, wb_note) -> None:
    code, out, _ = wb_note("--json", "#教训", "@zwm", "先约时间")
    doc = json.loads(out)
    assert code == 0
    assert doc["kind"] == "lesson" and doc["status"] == "filed" and doc["date"] == "2026-11-23"
    assert doc["tags"] == ["教训"] and doc["spooled"] is None and doc["from_spool"] == 0
    assert doc["mentions"] == [{"written": "@zwm", "status": "linked", "client": "张伟明", "candidates": []}]
    assert Note.get_by_id(doc["id"]).kind == "lesson"


def test_wb_note_options_come_before_the_text(people, wb_note) -> None:
    code, out, _ = wb_note("--json", "--", "--date", "不是选项")
    assert code == 0 and json.loads(out)["status"] == "inbox"
    code, out, _ = wb_note("提醒自己", "--json")  # after the first word everything is the note's text
    assert code == 0 and not out.startswith("{")
    assert Note.select().where(Note.text == "提醒自己 --json").exists()
    assert Note.select().where(Note.text == "--date 不是选项").exists()
    code, _, err = wb_note("--nonsense", "x")
    one_line_error(code, err)


def test_wb_note_date_sets_the_notes_day(people, wb_note) -> None:
    code, out, _ = wb_note("--date", "2026-11-20", "@陈静", "补记")
    assert code == 0 and "2026-11-20" in out
    assert str(Note.get().date) == "2026-11-20"


def test_wb_note_dash_reads_stdin(people, wb_note) -> None:
    code, out, _ = wb_note("-", stdin="@王小明 来电\n第二行：#理财 到期\n")
    assert code == 0
    row = Note.get()
    assert row.text == "@王小明 来电\n第二行：#理财 到期"
    assert row.status == "filed" and "王小明" in out
    assert [r.tag for r in NoteTag.select()] == ["理财"]


def test_an_empty_note_is_refused(people, wb_note) -> None:
    code, _, err = wb_note("-", stdin="  \n\t\n")
    one_line_error(code, err)
    assert Note.select().count() == 0


def test_a_new_book_is_created_for_the_first_note(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "new" / "book.sqlite3"
    assert main(["note", "--db", str(target), "第一条笔记"]) == 0
    capsys.readouterr()
    conn = sqlite3.connect(target)
    assert conn.execute("SELECT text, status FROM note").fetchall() == [("第一条笔记", "inbox")]
    conn.close()


def test_text_piped_into_a_plain_wb_is_a_note(people, target: str, tmp_path: Path) -> None:
    env = {**os.environ, "WORKBENCH_DB": target, "LANG": "zh_CN.UTF-8"}
    done = subprocess.run(
        [sys.executable, "-m", "workbench"],
        input="@张伟明 管道进来的笔记 #pipe\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "张伟明" in done.stdout and "\x1b" not in done.stdout
    row = Note.get()
    assert row.text == "@张伟明 管道进来的笔记 #pipe" and row.status == "filed"
    assert mentions(row.id) == [(people["张伟明"], "@张伟明", True)]


def test_a_file_redirected_into_a_plain_wb_is_a_note(
    people, target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "note.txt"
    source.write_text("@陈静 文件里的笔记\n", encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_DB", target)
    with open(source, encoding="utf-8") as fh:
        monkeypatch.setattr(sys, "stdin", fh)
        assert main([]) == 0
    assert "陈静" in capsys.readouterr().out
    assert Note.get().text == "@陈静 文件里的笔记"


# --- size and control characters -----------------------------------------------------------------------------


def test_a_million_characters_are_refused_and_nothing_is_written(people, wb_note, target: str) -> None:
    code, out, err = wb_note("-", stdin="理财" * 500_000)
    one_line_error(code, err)
    assert "1,000,000" in err and "100,000" in err
    assert out == ""
    assert Note.select().count() == 0
    assert not capture.spool_dir(target).exists()  # refused, not spooled


def test_a_hundred_thousand_characters_are_accepted(people, wb_note) -> None:
    text = "客户想了解理财产品。" * 10_000
    assert len(text) == capture.MAX_NOTE
    code, _, err = wb_note("-", stdin=text + "\n")
    assert code == 0, err
    assert Note.get().text == text
    with pytest.raises(BadInput, match="100,000"):
        capture.check_text(text + "多")


def test_escape_sequences_are_stored_without_control_characters_and_printed_safely(people, wb_note) -> None:
    typed = "\x1b[31m红色\x1b[0m 客户\x07投诉 \x9b2J \u202e反转\u202c @王小明\x1b[0m #投诉\x1b]0;pwn\x07 \x00完"
    code, out, err = wb_note("-", stdin=typed)
    assert code == 0, err
    row = Note.get()
    assert not CONTROL.search(row.text)
    assert "红色" in row.text and "投诉" in row.text and row.text.endswith("完")
    assert not CONTROL.search(out + err)
    assert "王小明" in out and "#投诉" in out
    code, out, _ = wb_note("--json", "\x1b[2J清屏 #x\x1b[1m")
    assert code == 0 and "\x1b" not in out
    assert not CONTROL.search(Note.get_by_id(json.loads(out)["id"]).text)


# --- the spool -----------------------------------------------------------------------------------------------


@pytest.fixture
def locked(db_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The book's write lock held by another connection; waits and retries made short."""
    monkeypatch.setattr(capture, "SPOOL_BUSY_MS", 30)
    monkeypatch.setattr(capture, "ATTEMPTS", 2)
    monkeypatch.setattr(capture.time, "sleep", lambda seconds: None)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    yield holder
    if holder.in_transaction:
        holder.execute("ROLLBACK")
    holder.close()


@pytest.mark.sqlite_only  # the SQLite quick path and its spool
def test_a_locked_book_spools_the_note_owner_only_and_the_next_capture_imports_it(
    people, locked: sqlite3.Connection, note, db_path: Path
) -> None:
    first = note("锁住时写的 @王小明 #理财")
    assert first.note_id is None and first.spooled is not None
    assert first.warnings and "busy" in first.warnings[0]
    path = first.spooled
    assert path.is_file() and path.parent == capture.spool_dir(str(db_path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert json.loads(path.read_text(encoding="utf-8"))["text"] == "锁住时写的 @王小明 #理财"
    assert Note.select().count() == 0

    locked.execute("ROLLBACK")
    second = note("锁开了再写一条")
    assert second.note_id is not None and second.from_spool == 1
    assert not path.exists()
    rows = {r.text: r for r in Note.select()}
    assert set(rows) == {"锁住时写的 @王小明 #理财", "锁开了再写一条"}
    spooled = rows["锁住时写的 @王小明 #理财"]
    assert spooled.status == "filed" and str(spooled.date) == "2026-11-23"
    assert mentions(spooled.id) == [(people["王小明"], "@王小明", True)]
    assert [r.tag for r in NoteTag.select().where(NoteTag.note == spooled.id)] == ["理财"]
    assert note("再来一条").from_spool == 0  # imported once


@pytest.mark.sqlite_only  # the SQLite quick path and its spool
def test_wb_note_says_where_the_note_waits_and_when_it_was_added(
    people, locked: sqlite3.Connection, wb_note, db_path: Path
) -> None:
    code, out, err = wb_note("锁住时写的")
    assert code == 0, err
    (path,) = capture.spool_dir(str(db_path)).glob("note-*.json")
    assert str(path) in out
    assert out.startswith(t("cli.note_spooled", why="", path="").split("（")[0])
    locked.execute("ROLLBACK")
    code, out, _ = wb_note("第二条")
    assert code == 0
    assert t("cli.note_from_spool", n=1) in out
    assert not path.exists()
    assert sorted(r.text for r in Note.select()) == sorted(["锁住时写的", "第二条"])


@pytest.mark.sqlite_only  # the SQLite quick path and its spool
def test_a_spool_file_imported_by_another_run_meanwhile_loses_nothing(
    people, note, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another `wb note` (or the TUI) claims the spooled file first: this run skips it, saves its own note,
    and the spooled note is written once, by the other run."""
    import datetime as dt
    import os

    path = capture.spool("早先暂存的", str(db_path), dt.date(2026, 11, 23), dt.datetime(2026, 11, 23, 9), "cli")
    real_rename = os.rename

    def claimed_by_another_run(src, dst):
        if Path(src) == path:
            real_rename(src, str(path) + ".other-run.importing")  # the other run got there first
        return real_rename(src, dst)

    monkeypatch.setattr(capture.os, "rename", claimed_by_another_run)
    saved = note("正在记的这条")
    assert saved.note_id is not None and saved.from_spool == 0
    assert Note.select().where(Note.text == "正在记的这条").count() == 1
    assert Note.select().where(Note.text == "早先暂存的").count() == 0  # not written twice: it is the other's


@pytest.mark.sqlite_only  # the SQLite quick path and its spool
def test_an_unreadable_spool_file_is_left_for_a_person(people, note, db_path: Path) -> None:
    folder = capture.spool_dir(str(db_path))
    folder.mkdir(parents=True)
    broken = folder / "note-20261120-000000-1-000001.json"
    broken.write_text("{not json", encoding="utf-8")
    saved = note("照常保存")
    assert saved.note_id is not None and saved.from_spool == 0
    assert broken.exists()


# --- nothing heavy on the capture path -----------------------------------------------------------------------


def heavy_imports(log: str) -> set[str]:
    names = set()
    for line in log.splitlines():
        if line.startswith("import time:") and "|" in line:
            module = line.rsplit("|", 1)[1].strip()
            if module.split(".")[0] in HEAVY:
                names.add(module)
    return names


def run_with_importtime(db_path: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
        "WORKBENCH_TODAY": "2026-11-23",
        "LANG": "zh_CN.UTF-8",
    }
    env.pop("WORKBENCH_DB", None)
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "workbench", *args[:1], "--db", str(db_path), *args[1:]],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.mark.sqlite_only  # the SQLite quick path and its spool
def test_the_capture_path_imports_nothing_heavy(people, db_path: Path, tmp_path: Path) -> None:
    done = run_with_importtime(db_path, tmp_path, "note", "测试", "@王小明", "@wxm")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "王小明" in done.stdout
    assert "import time:" in done.stderr
    assert heavy_imports(done.stderr) == set()
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT text FROM note").fetchall() == [("测试 @王小明 @wxm",)]
    conn.close()
