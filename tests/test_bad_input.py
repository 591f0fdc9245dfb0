"""Bad input (issue 7): every input a user controls — files for `wb import`, command arguments, TUI fields —
refused with a message naming what and where, exit 1, never a traceback, nothing written and nothing already
saved lost.

The command-line cases run `python -m workbench` as a subprocess against a copy of one book prepared per module
(`wb demo --clients 50 --seed 1`), and compare every table of the book, and every file under the test's
directory, before and after. Cases a bug still breaks are strict xfails whose reason starts with "BUG:".
"""

from __future__ import annotations

import hashlib
import io
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from tests.test_tui_books import SIZE, TODAY, screen_lines, screen_text, settle, small_book
from tests.test_tui_planner import move_to, open_planner
from tests.test_tui_portfolio import move_to_field, type_text
from workbench.store.models import Client, Contact, PlanMark
from workbench.tui.app import WorkbenchApp
from workbench.tui.client360 import Client360Screen
from workbench.tui.plan_dialogs import LogDialog, SnoozeDialog

MAX_MESSAGE = 4000  # characters on stderr: a message names the bad value, it does not replay the file


def bug(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=f"BUG: {reason}")


# --- the prepared book and how a case runs against it -----------------------------------------------------


@dataclass(frozen=True)
class Seeded:
    path: Path  # a cleanly closed book (no -wal): a plain copy is the whole book
    tables: dict[str, list[tuple]]
    c1: str  # client numbers the book holds
    c2: str
    export: Path  # `wb export all` of the book


def base_env(root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("WORKBENCH_DB", None)
    env.pop("LC_ALL", None)
    env.pop("WORKBENCH_DEBUG", None)
    env.update(
        XDG_DATA_HOME=str(root / "xdg-data"),
        XDG_CONFIG_HOME=str(root / "xdg-config"),
        WORKBENCH_TODAY=TODAY.isoformat(),
        LANG="zh_CN.UTF-8",
    )
    return env


def tables(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table (SQLite's own statistics aside), in a stable order."""
    con = sqlite3.connect(path)
    try:
        names = [
            r[0]
            for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            if not r[0].startswith("sqlite_")
        ]
        return {n: sorted(con.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr) for n in names}
    finally:
        con.close()


def files(root: Path, skip: set[Path]) -> dict[str, str]:
    """What is on disk under ``root``: folders, and files by content (SQLite's -wal/-shm companions aside)."""
    out = {}
    for p in sorted(root.rglob("*")):
        if p in skip or p.name.endswith(("-wal", "-shm", "-journal")):
            continue
        rel = str(p.relative_to(root))
        out[rel] = "dir" if p.is_dir() else hashlib.sha1(p.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Seeded:
    root = tmp_path_factory.mktemp("seeded")
    book = root / "workbench.sqlite3"
    env = {**base_env(root), "WORKBENCH_DB": str(book)}
    for args in (["demo", "--clients", "50", "--seed", "1"], ["export", "all", "-o", str(root / "book.json")]):
        done = subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
    con = sqlite3.connect(book)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    c1, c2 = (r[0] for r in con.execute("SELECT client_no FROM client WHERE kind = 'individual' ORDER BY id LIMIT 2"))
    con.close()
    assert not Path(f"{book}-wal").exists() or Path(f"{book}-wal").stat().st_size == 0
    return Seeded(book, tables(book), c1, c2, root / "book.json")


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


class Case:
    """A copy of the prepared book in the test's directory; ``wb(...)`` runs the command against it."""

    def __init__(self, seeded: Seeded, tmp_path: Path) -> None:
        self.seeded, self.root = seeded, tmp_path
        self.book = tmp_path / "book" / "workbench.sqlite3"
        self.book.parent.mkdir()
        shutil.copyfile(seeded.path, self.book)
        self.before: dict[str, str] = {}

    def file(self, name: str, data: str | bytes, encoding: str = "utf-8") -> Path:
        path = self.root / name
        path.write_bytes(data.encode(encoding) if isinstance(data, str) else data)
        return path

    def snapshot(self) -> None:
        self.before = files(self.root, {self.book})

    def wb(self, *args: str | Path, env: dict[str, str] | None = None, stdin: str = "", timeout: float = 120) -> Run:
        done = subprocess.run(
            [sys.executable, "-m", "workbench", *map(str, args)],
            input=stdin,
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            env={**base_env(self.root), "WORKBENCH_DB": str(self.book), **(env or {})},
            cwd=self.root,
            timeout=timeout,
        )
        return Run(done.returncode, done.stdout, done.stderr)

    def assert_nothing_written(self) -> None:
        assert self.book.exists(), "the book is gone"
        assert tables(self.book) == self.seeded.tables, "the book changed"
        assert files(self.root, {self.book}) == self.before, "files were written or changed"


@pytest.fixture
def case(seeded: Seeded, tmp_path: Path) -> Case:
    return Case(seeded, tmp_path)


def assert_refused(run: Run, says: str) -> None:
    assert run.code == 1, run
    assert "Traceback" not in run.text, run.err
    assert run.out == "", run.out
    assert run.err.startswith("wb: "), run.err
    assert says in run.err, run.err
    assert len(run.err) < MAX_MESSAGE, f"{len(run.err)} characters on stderr: {run.err[:300]}…"


# --- files: wb import clients|balances|holdings FILE ------------------------------------------------------

CLIENTS = "客户号,客户名称,出生日期,手机号码\n"
BALANCES = "客户号,统计日期,金融资产\n"
HOLDINGS = "客户号,产品名称,持有金额,到期日\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00" + bytes(range(256))


def noise(n: int, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(n)


def xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def many_rows(n: int, phone: int | None = None) -> str:
    """``n`` good clients (each its own phone, or all the same one), then an impossible birthday on the last line."""
    rows = "".join(f"N{i:07d},客户{i},1980-01-01,{phone or 13800000000 + i}\n" for i in range(n))
    return CLIENTS + rows + "N9999999,末行,2024-02-30,13900000000\n"


def fp(kind, name, data, says, line=None, column=None, *, args=(), encoding="utf-8", marks=(), id):
    return pytest.param(kind, name, data, says, line, column, args, encoding, marks=marks, id=id)


FILE_CASES = [
    # whole files that cannot be used
    fp("clients", "empty.csv", b"", "empty", id="empty-file"),
    fp("clients", "blank.csv", "\n \n,,\n", "empty", id="only-blank-lines"),
    fp("clients", "random.csv", noise(3000), "binary", id="binary-bytes"),
    fp("clients", "photo.png", PNG, "binary", id="png-file"),
    fp("clients", "photo.csv", PNG, "binary", id="png-named-csv"),
    fp("clients", "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), ".xlsx", id="old-xls"),
    fp("clients", "fake.xlsx", b"name,phone\nnot a zip at all\n", "not an Excel workbook", id="xlsx-not-a-zip"),
    fp("clients", "torn.xlsx", b"PK\x03\x04" + noise(400), "not a readable Excel workbook", id="xlsx-damaged-zip"),
    fp("clients", "mojibake.csv", b"\xff\x80\xfe\x81" * 500, "encoding", id="undecodable-text"),
    fp(
        "clients",
        "gbk.csv",
        "客户号,客户名称\nN1,张三\n",
        "utf-8",
        args=("--encoding", "utf-8"),
        encoding="gbk",
        id="gbk-read-as-utf8-flag",
    ),
    fp(
        "clients",
        "x.csv",
        "客户号,客户名称\nN1,张三\n",
        "klingon",
        args=("--encoding", "klingon"),
        id="unknown-encoding-flag",
    ),
    fp("clients", "nohead.csv", "N1,张三,13812345678\n", "no recognisable header", id="no-header"),
    fp(
        "clients",
        "noname.csv",
        "客户号,手机号码\nN1,13812345678\n",
        "missing column 客户名称",
        id="clients-missing-name-column",
    ),
    fp(
        "balances",
        "noaum.csv",
        "客户号,统计日期\n{C1},2026-10-31\n",
        "missing column 金融资产",
        id="balances-missing-aum-column",
    ),
    fp(
        "holdings",
        "noprod.csv",
        "客户号,持有金额\n{C1},100\n",
        "missing column 产品名称",
        id="holdings-missing-product-column",
    ),
    fp("clients", "huge-cell.csv", "客户号,客户名称\nN1," + "张" * 700_000 + "\n", "line 2", id="2MB-single-cell"),
    fp("clients", "huge-line.csv", "x" * 2_000_000, "line 1", id="2MB-line-no-delimiter"),
    fp(
        "clients",
        "wide-head.csv",
        "abcdefghijklmnopqrs," * 100_000,
        "no recognisable header",
        marks=pytest.mark.slow,
        id="2MB-header-line",
    ),
    # rows: each problem names the file, the line and the column
    fp(
        "clients",
        "gbk-row.csv",
        CLIENTS + "N1,张三,1980-01-01,\nN2,李四,2024-02-30,\n",
        "29 天",
        3,
        "出生日期",
        encoding="gbk",
        id="gbk-detected-bad-date-line-3",
    ),
    fp(
        "clients",
        "dup.csv",
        CLIENTS + "N1,张三,,\nN2,李四,,\nN1,王五,,\n",
        "line 2",
        4,
        "客户号",
        id="duplicate-client-no-in-file",
    ),
    fp(
        "clients",
        "dup-old.csv",
        CLIENTS + "{C1},张三,,\n{C1},李四,,\n",
        "line 2",
        3,
        "客户号",
        id="duplicate-existing-client-no",
    ),
    fp("clients", "d1.csv", CLIENTS + "N1,张三,2024-02-30,\n", "29 天", 2, "出生日期", id="birthday-2024-02-30"),
    fp("clients", "d2.csv", CLIENTS + "N1,张三,2023-02-29,\n", "28 天", 2, "出生日期", id="birthday-2023-02-29"),
    fp("clients", "d3.csv", CLIENTS + "N1,张三,20241399,\n", "13", 2, "出生日期", id="birthday-20241399"),
    fp(
        "clients",
        "cap.csv",
        '客户号,客户名称,注册资本\nE1,某公司,"1,2,3"\n',
        "1,2,3",
        2,
        "注册资本",
        id="capital-1,2,3",
    ),
    fp("clients", "wide.csv", "客户号,客户名称\nN1,张三,多余,再多\n", "4 cells", 2, id="row-wider-than-header"),
    fp(
        "clients",
        "long-date.csv",
        CLIENTS + "N1,张三," + "1" * 100_000 + ",\n",
        "出生日期",
        2,
        "出生日期",
        id="100k-char-bad-date",
    ),
    fp("balances", "b1.csv", BALANCES + "{C1},2024-02-30,100\n", "29 天", 2, "统计日期", id="balance-date-2024-02-30"),
    fp("balances", "b2.csv", BALANCES + "{C1},20241399,100\n", "13", 2, "统计日期", id="balance-date-20241399"),
    fp("balances", "b3.csv", BALANCES + '{C1},2026-10-31,"1,2,3"\n', "1,2,3", 2, "金融资产", id="aum-1,2,3"),
    fp("balances", "b4.csv", BALANCES + "{C1},2026-10-31,-¥\n", "-¥", 2, "金融资产", id="aum-minus-yen"),
    fp("balances", "b5.csv", BALANCES + "{C1},2026-10-31,abc万\n", "abc万", 2, "金融资产", id="aum-abc-wan"),
    fp(
        "balances",
        "b6.csv",
        BALANCES + "C99999999,2026-10-31,100\n",
        "C99999999",
        2,
        "客户号",
        id="balance-unknown-client",
    ),
    fp(
        "balances",
        "b7.csv",
        BALANCES + "{C1},2026-10-31,100\n{C1},2026-10-15,200\n",
        "line 2",
        3,
        None,
        id="balance-same-client-month-twice",
    ),
    fp(
        "balances",
        "b8.xlsx",
        [["客户号", "统计日期", "金融资产"], ["{C1}", "2026-10-31", 1], ["{C2}", "2023-02-29", 2]],
        "28 天",
        3,
        "统计日期",
        id="xlsx-balance-2023-02-29-row-3",
    ),
    fp("holdings", "h1.csv", HOLDINGS + "{C1},理财A,100,2023-02-29\n", "28 天", 2, "到期日", id="maturity-2023-02-29"),
    fp("holdings", "h2.csv", HOLDINGS + "{C1},理财A,abc万,\n", "abc万", 2, "持有金额", id="holding-amount-abc-wan"),
    fp(
        "holdings",
        "h3.csv",
        HOLDINGS + "{C1},理财A,100,\n{C2},理财B,-¥,\n{C1},理财C,200,20241399\n",
        "2 bad rows",
        3,
        "持有金额",
        id="holdings-every-bad-row-listed",
    ),
    fp(
        "clients",
        "big.csv",
        many_rows(60_000),
        "29 天",
        60_002,
        "出生日期",
        marks=pytest.mark.slow,
        id="3MB-file-bad-last-line",
    ),
]


@pytest.mark.parametrize(("kind", "name", "data", "says", "line", "column", "args", "encoding"), FILE_CASES)
def test_a_bad_file_is_refused_and_nothing_is_written(
    case: Case, kind, name, data, says, line, column, args, encoding
) -> None:
    clients = {"{C1}": case.seeded.c1, "{C2}": case.seeded.c2}
    if isinstance(data, str):
        for key, value in clients.items():
            data = data.replace(key, value)
    elif isinstance(data, list):  # the rows of a workbook
        data = xlsx([[clients.get(c, c) if isinstance(c, str) else c for c in row] for row in data])
    path = case.file(name, data, encoding)
    case.snapshot()
    run = case.wb("import", kind, path, *args)
    assert_refused(run, says)
    assert str(path) in run.err.splitlines()[0], "the first line names the file"
    if line is not None:
        problem = next((x for x in run.err.splitlines()[1:] if f"line {line}" in x), None)
        assert problem is not None, f"no line {line} in {run.err}"
        assert str(path) in problem
        if column:
            assert f"column {column}" in problem, problem
    case.assert_nothing_written()


@pytest.mark.slow
def test_many_rows_sharing_a_phone_are_checked_in_seconds(case: Case) -> None:
    path = case.file("one-phone.csv", many_rows(10_000, phone=13800000000))
    try:
        run = case.wb("import", "clients", path, timeout=5)
    except subprocess.TimeoutExpired:
        pytest.fail("wb import took more than 5 s on 10,000 rows (each with its own client number)")
    assert_refused(run, "line 10002")


def test_a_missing_file_or_a_folder_is_named(case: Case) -> None:
    case.snapshot()
    missing = case.root / "nowhere.csv"
    assert_refused(case.wb("import", "clients", missing), f"{missing}: no such file")
    assert_refused(case.wb("import", "holdings", case.root), "folder")
    assert_refused(case.wb("import", "all", missing), str(missing))
    case.assert_nothing_written()


def test_import_all_into_a_book_that_has_clients_loses_nothing(case: Case) -> None:
    dump = case.file("book.json", case.seeded.export.read_bytes())
    junk = case.file("junk.json", '{"clients": [{"name": 1}')
    case.snapshot()
    assert_refused(case.wb("import", "all", dump), "not empty")
    assert_refused(case.wb("import", "all", junk), f"{junk}: not JSON")
    case.assert_nothing_written()


@pytest.mark.parametrize(
    ("kind", "text"),
    [("clients", "客户号,客户名称\n"), ("balances", BALANCES), ("holdings", HOLDINGS)],
    ids=["clients", "balances", "holdings"],
)
def test_a_header_without_rows_imports_nothing(case: Case, kind: str, text: str) -> None:
    """Not an error (no bad row): it says 0 rows, exits 0 and writes nothing."""
    path = case.file("header.csv", text)
    case.snapshot()
    run = case.wb("import", kind, path)
    assert run.code == 0 and "Traceback" not in run.text and "0 行" in run.out, run
    case.assert_nothing_written()


# --- command arguments -------------------------------------------------------------------------------------


def ap(args, says, *, env=None, stdin="", marks=(), id):
    return pytest.param(args, says, env or {}, stdin, marks=marks, id=id)


ARG_CASES = [
    ap(["client", "不存在的人"], "不存在的人", id="client-unknown"),
    ap(["brief", "NOBODY"], "NOBODY", id="brief-unknown"),
    ap(["log", "NOBODY", "--channel", "phone", "--outcome", "x"], "NOBODY", id="log-unknown-client"),
    ap(["log", "{C1}", "--channel", "phone", "--outcome", "x", "--next", "2024-02-30"], "--next", id="log-next-0230"),
    ap(["log", "{C1}", "--channel", "phone", "--outcome", "x", "--next", "20241399"], "--next", id="log-next-20241399"),
    ap(["log", "{C1}", "--channel", "fax", "--outcome", "x"], "--channel", id="log-bad-channel"),
    ap(["log", "{C1}", "--channel", "phone", "--outcome", ""], "outcome", id="log-empty-outcome"),
    ap(["log", "{C1}", "--channel", "phone", "--outcome", "-"], "outcome", id="log-empty-outcome-stdin"),
    ap(["log", "{C1}", "--channel", "phone", "--outcome", "x", "--date", "2023-02-29"], "--date", id="log-date-0229"),
    ap(["--date", "2024-02-30", "today"], "--date", id="date-2024-02-30"),
    ap(["today", "--date", "20241399"], "--date", id="date-20241399"),
    ap(["clients", "--tier", "foo"], "--tier", id="clients-tier-foo"),
    ap(["clients", "--limit", "-1"], "--limit", id="clients-limit-minus-1"),
    ap(["clients", "--limit", "0"], "--limit", id="clients-limit-0"),
    ap(["clients", "--sort", "bogus"], "--sort", id="clients-sort-bogus"),
    ap(["clients", "--status", "dead"], "--status", id="clients-status-dead"),
    ap(["demo", "--clients", "10"], "--replace", id="demo-over-a-full-book"),
    ap(["demo", "--clients", "0"], "--clients", id="demo-0-clients"),
    ap(["clients"], "PostgreSQL", env={"WORKBENCH_DB": "postgresql://nobody@127.0.0.1:1/x"}, id="pg-unreachable-env"),
    ap(["--db", "postgresql://nobody:hunter2@127.0.0.1:1/x", "clients"], "PostgreSQL", id="pg-unreachable-option"),
    ap(
        ["--db", "postgresql://", "clients"],
        "postgresql://",
        id="pg-url-no-db",
    ),
    ap(
        ["--db", "postgres://[::1", "clients"],
        "postgres://",
        id="pg-url-torn",
    ),
    ap(
        ["--db", "mysql://nobody@127.0.0.1/x", "clients"],
        "mysql://",
        id="db-url-unsupported-scheme",
    ),
    ap(["--db", "{ROOT}/plain.txt/sub/book.sqlite3", "clients"], "plain.txt", id="db-under-a-file"),
    ap(["--db", "{ROOT}/plain.txt", "clients"], "not a Workbench book", id="db-is-a-text-file"),
    ap(["--db", "{ROOT}/folder", "clients"], "directory", id="db-is-a-directory"),
    ap(["--db", "{ROOT}/other.sqlite3", "clients"], "not a Workbench book", id="db-is-another-sqlite-db"),
    ap(["--db", "{ROOT}/torn.sqlite3", "clients"], "damaged", id="db-is-a-torn-book"),
    ap(["restore", "{ROOT}/missing.sqlite3"], "missing.sqlite3", id="restore-missing-file"),
    ap(["restore", "{ROOT}/plain.txt"], "not a Workbench backup", id="restore-a-text-file"),
    ap(["restore", "{ROOT}/folder"], "folder", id="restore-a-directory"),
    ap(["restore", "{ROOT}/torn.sqlite3"], "torn.sqlite3", id="restore-a-torn-book"),
    ap(["export", "clients", "-o", "{ROOT}/plain.txt/x.csv"], "plain.txt/x.csv", id="export-under-a-file"),
    ap(["export", "clients", "-o", "{ROOT}/x.pdf"], "x.pdf", id="export-unknown-suffix"),
    ap(["export", "clients", "-o", "{ROOT}/x.csv", "--format", "pdf"], "--format", id="export-format-pdf"),
    ap(["ics", "--days", "9999", "-o", "{ROOT}/x.ics"], "9999", id="ics-days-9999"),
    ap(["ics", "--days", "0", "-o", "{ROOT}/x.ics"], "--days", id="ics-days-0"),
    ap(
        ["ics", "-o", "{ROOT}/plain.txt/x.ics"],
        "plain.txt/x.ics",
        id="ics-under-a-file",
    ),
    ap(
        ["ics", "-o", "{ROOT}/folder"],
        "folder",
        id="ics-to-a-folder",
    ),
    ap(
        ["brief", "{C1}", "-o", "{ROOT}/plain.txt/b.md"],
        "plain.txt/b.md",
        id="brief-under-a-file",
    ),
    ap(
        ["backup", "-o", "{ROOT}/plain.txt/b.sqlite3"],
        "plain.txt",
        id="backup-under-a-file",
    ),
    ap(["holidays", "add", "2024-02-30", "--off"], "2024-02-30", id="holidays-add-0230"),
    ap(["holidays", "add", "2024-02-28..2024-02-30", "--off"], "2024-02-30", id="holidays-add-range-to-0230"),
    ap(["holidays", "add", "2024-03-10..2024-03-01", "--off"], "2024-03-10..2024-03-01", id="holidays-add-backwards"),
    ap(["holidays", "add", "2024-03-01"], "--off", id="holidays-add-neither-off-nor-on"),
    ap(["holidays", "list", "abc"], "abc", id="holidays-list-abc"),
    ap(["holidays", "remove", "20241399"], "20241399", id="holidays-remove-20241399"),
    ap(["note", ""], "empty", id="note-empty"),
    ap(["note", "   "], "empty", id="note-blank"),
    ap(["note", "-"], "empty", id="note-empty-stdin"),
    ap(["note", "--bogus", "记一笔"], "--bogus", id="note-unknown-option"),
    ap(["--db", "{BOOK}", "note", " "], "empty", id="note-empty-db-option-first"),
    ap(
        ["search", "张", "--limit", "0"],
        "--limit",
        id="search-limit-0",
    ),
    ap(["complaint", "add", "NOBODY", "服务差"], "NOBODY", id="complaint-unknown-client"),
    ap(["complaint", "add", "{C1}"], "complaint", id="complaint-empty"),
    ap(["complaint", "step", "abc", "x"], "abc", id="complaint-step-not-a-number"),
    ap(["complaint", "step", "99999", "x"], "99999", id="complaint-step-unknown"),
    ap(["frobnicate"], "frobnicate", id="unknown-command"),
]


@pytest.mark.parametrize(("args", "says", "env", "stdin"), ARG_CASES)
def test_a_bad_argument_is_one_line_and_nothing_is_written(case: Case, args, says, env, stdin) -> None:
    case.file("plain.txt", "hello, not a database\n")
    (case.root / "folder").mkdir()
    other = sqlite3.connect(case.root / "other.sqlite3")
    other.execute("CREATE TABLE t (x)")
    other.commit()
    other.close()
    case.file("torn.sqlite3", case.seeded.path.read_bytes()[:5000])
    fill = {"{C1}": case.seeded.c1, "{ROOT}": str(case.root), "{BOOK}": str(case.book)}
    for key, value in fill.items():
        args = [a.replace(key, value) for a in args]
        says = says.replace(key, value)
    case.snapshot()
    run = case.wb(*args, env=env, stdin=stdin)
    assert_refused(run, says)
    assert len(run.err.strip().splitlines()) == 1, run.err
    assert "hunter2" not in run.text
    case.assert_nothing_written()


def test_an_empty_search_finds_nothing_and_writes_nothing(case: Case) -> None:
    case.snapshot()
    for query in ("", "   "):
        run = case.wb("search", query)
        assert run.code == 0 and "Traceback" not in run.text and run.err == "", run
    case.assert_nothing_written()


# --- TUI fields --------------------------------------------------------------------------------------------


async def edit_field(pilot, row: int, field: str, text: str) -> None:
    """Open the client on ``row`` of the list, edit ``field`` (what it held is cleared first), type ``text``."""
    await settle(pilot)
    await pilot.press(*["down"] * row, "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, Client360Screen)
    await move_to_field(pilot, field)
    await pilot.press("e")
    await settle(pilot)
    await pilot.press("ctrl+u")
    await type_text(pilot, text)
    await pilot.press("enter")
    await settle(pilot)


PROFILE_CASES = [
    pytest.param("王小明", 0, "phone", "电话", "12345", id="phone-12345"),
    pytest.param("王小明", 0, "id_number", "证件号码", "3301-06", id="id-with-dash"),
    pytest.param(
        "浙江省杭州市西湖区未来科技城数字经济发展研究有限责任公司",
        2,
        "founded_year",
        "成立年份",
        "20241399",
        id="founded-year-20241399",
    ),
]


@pytest.mark.usefixtures("chinese")
@pytest.mark.parametrize(("name", "row", "field", "label", "text"), PROFILE_CASES)
async def test_tui_profile_field_refuses_and_keeps_the_old_value(book, name, row, field, label, text) -> None:
    ids = small_book()
    before = Client.get_by_id(ids[name])
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await edit_field(pilot, row, field, text)
        screen = screen_text(app)
        assert f"编辑「{label}」" in screen and "未保存" in screen, screen
        assert app.screen.query_one("#editor-input").value == text  # what was typed stays, to be corrected
        after = Client.get_by_id(ids[name])
        assert getattr(after, field) == getattr(before, field)
        assert after.updated_at == before.updated_at and after.completeness == before.completeness


@pytest.mark.usefixtures("chinese")
async def test_tui_profile_reason_follows_the_interface_language(book) -> None:
    small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await edit_field(pilot, 0, "phone", "12345")
        assert "不是电话号码" in screen_text(app)


def dialog_text(app: WorkbenchApp) -> str:
    """What the modal dialog's box shows (the screen lines from its top border to its bottom one)."""
    lines = screen_lines(app)
    top = next(i for i, line in enumerate(lines) if "╭" in line)
    bottom = next(i for i, line in enumerate(lines) if "╰" in line)
    return "\n".join(lines[top : bottom + 1])


async def log_with_next(pilot, text: str) -> None:
    pane = await open_planner(pilot)
    await move_to(pilot, pane, "王小明")
    await pilot.press("l")
    await settle(pilot)
    await pilot.press(*"约了下周", "tab", *text, "enter")
    await settle(pilot)


@pytest.mark.usefixtures("chinese")
@pytest.mark.parametrize(
    ("text", "says"), [("20241399", "没有 13 月"), ("2024-02-30", "2024年2月只有 29 天")], ids=["20241399", "0230"]
)
async def test_tui_log_dialog_refuses_an_impossible_next_date(book, text: str, says: str) -> None:
    ids = small_book()
    before = Client.get_by_id(ids["王小明"])
    contacts = Contact.select().count()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await log_with_next(pilot, text)
        assert isinstance(app.screen, LogDialog)  # still open, with what was typed
        assert says in dialog_text(app)
        assert app.screen.query_one("#log-next").value == text
        assert app.screen.query_one("#log-outcome").value == "约了下周"
        await pilot.press("escape")
        await settle(pilot)
    assert Contact.select().count() == contacts
    after = Client.get_by_id(ids["王小明"])
    assert (after.next_contact, after.next_due, after.last_contact) == (
        before.next_contact,
        before.next_due,
        before.last_contact,
    )


@pytest.mark.usefixtures("chinese")
async def test_tui_log_dialog_error_names_the_next_date_field(book) -> None:
    small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await log_with_next(pilot, "20241399")
        text = dialog_text(app)
        assert "没有 13 月" in text and "下次联系" in text, text


@pytest.mark.usefixtures("chinese")
async def test_tui_snooze_refuses_an_impossible_day(book) -> None:
    ids = small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_planner(pilot)
        await move_to(pilot, pane, "王小明")
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("ctrl+u", *"20241399", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SnoozeDialog)
        text = dialog_text(app)
        assert "推迟到" in text and "没有 13 月" in text, text  # the field's label stands above it
        await pilot.press("escape")
        await settle(pilot)
    assert PlanMark.select().where(PlanMark.client == ids["王小明"]).count() == 0
