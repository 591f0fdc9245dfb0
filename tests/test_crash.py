"""Nothing lost (issue 7): a process killed with SIGKILL in the middle of an import, a demo generation or a
wizard save leaves a book that passes ``PRAGMA integrity_check``, with every transaction all there or not there.

Each test makes a book in a known state, runs the operation in a subprocess (its own session, so a demo's forked
generator helper dies too) and kills the whole process group at seeded random moments spread over the run. The
killed book is then read with the standard ``sqlite3`` module before Workbench touches it: integrity, foreign
keys and the full-text index must check out, and its rows must be exactly the state before the operation or
exactly the state a completed run produces. Finally it must open again with Workbench and ``wb check`` must pass.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from workbench.rules.identity import id_check_digit

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 23)
SEED = 7_2026  # every random moment below comes from this seed: a failure names its kill and its delay
KILLS = 3  # random moments per long operation (the wizard, quick to start, has more)
DEMO_CLIENTS = 3_000  # with DEMO_NOTES, enough for the forked generator helper (demo_process.PARALLEL_FROM)
DEMO_NOTES = 8_000
IMPORT_BEFORE = 200  # clients already in the book
IMPORT_ROWS = 5_200  # new clients in the killed import (over importer.BULK_MIN: indexes set aside and rebuilt)
WIZARD_CLIENTS = 120  # visits to make, one per client: more than a kill lets it finish


class Snapshot(NamedTuple):
    """What a book holds, as far as 'all there or not there' goes: the rows of each table, and the schema."""

    counts: dict[str, int]
    schema: list[tuple[str, str, str | None]]


NO_SCHEMA = Snapshot({}, [])  # an SQLite file with a header and nothing else: Workbench makes its book there

# --- helpers -------------------------------------------------------------------------------------------------


def wb(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "workbench", "--db", str(db), *args]


def env() -> dict[str, str]:
    """The subprocesses' environment: the isolated XDG dirs and today conftest's fixture set."""
    e = dict(os.environ)
    e["WORKBENCH_TODAY"] = TODAY.isoformat()
    e.pop("WORKBENCH_DB", None)
    return e


def copy_book(src: Path, dst: Path) -> Path:
    """A copy of a closed book (its WAL too, should one be left)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal"):
        if Path(f"{src}{suffix}").exists():
            shutil.copyfile(f"{src}{suffix}", f"{dst}{suffix}")
    return dst


def spawn(cmd: Sequence[str], errors: Path, **kwargs: Any) -> subprocess.Popen:
    with errors.open("wb") as stderr:  # the child keeps its own copy
        return subprocess.Popen(
            list(cmd),
            cwd=ROOT,
            env=env(),
            stdin=subprocess.DEVNULL,
            stdout=kwargs.pop("stdout", subprocess.DEVNULL),
            stderr=stderr,
            start_new_session=True,  # a process group of its own: the kill reaches its helpers
            **kwargs,
        )


def group_members(pgid: int) -> list[int]:
    """The live (not zombie) processes of a process group, from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        if int(fields[2]) == pgid and fields[0] not in "ZX":
            found.append(int(stat.parent.name))
    return found


def kill_group(proc: subprocess.Popen) -> bool:
    """SIGKILL the process and everything it started; True when it was still running."""
    running = proc.poll() is None
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=30)
    deadline = time.monotonic() + 10  # a forked helper dies too (init reaps it, in its own time)
    while (left := group_members(proc.pid)) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not left, f"processes {left} of group {proc.pid} outlived SIGKILL"
    return running


class Kill(NamedTuple):
    running: bool  # False: it had finished before the moment came (then successfully)
    processes: int  # how many processes the kill met (a demo's generator helper makes two)
    seconds: float  # how long it ran


def run_and_kill(cmd: Sequence[str], delay: float, errors: Path) -> Kill:
    """Run ``cmd`` and SIGKILL it, with every process it started, ``delay`` seconds after the start."""
    started = time.monotonic()
    proc = spawn(cmd, errors)
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        pass
    processes = len(group_members(proc.pid))
    running = kill_group(proc)
    if not running:
        assert proc.returncode == 0, errors.read_text()
    return Kill(running, processes, time.monotonic() - started)


def run_to_completion(cmd: Sequence[str], errors: Path) -> float:
    """Run ``cmd`` to its end; its wall time, which the random moments are spread over."""
    started = time.monotonic()
    proc = spawn(cmd, errors)
    try:
        assert proc.wait(timeout=120) == 0, errors.read_text()
    finally:
        kill_group(proc)
    return time.monotonic() - started


def moments(rng: random.Random, span: float, n: int = KILLS) -> list[float]:
    """``n`` random moments spread over ``span`` seconds: one in each n-th of it (early, middle and late)."""
    return [max(0.05, span * (i + rng.random()) / n) for i in range(n)]


def check_sqlite(path: Path) -> Snapshot:
    """Read a (possibly killed) book with the standard sqlite3 module: integrity, foreign keys and the full-text
    index must check out; then its rows per table and its schema."""
    assert path.exists(), f"{path}: the book is gone"
    conn = sqlite3.connect(str(path), timeout=5)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0:
            return NO_SCHEMA  # killed after the first pragma wrote the file's header, before the schema: no book
        conn.execute("INSERT INTO search_fts(search_fts) VALUES ('integrity-check')")  # raises when damaged
        schema = conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
        ).fetchall()
        tables = [name for kind, name, sql in schema if kind == "table" and not name.startswith("search_fts")]
        counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        conn.close()
    return Snapshot(counts, schema)


def check_workbench(path: Path, errors: Path) -> None:
    """The killed book opens again with Workbench, and `wb check` passes."""
    from workbench.store.db import open_database

    book = open_database(str(path))
    book.close()
    done = subprocess.run(wb(path, "check"), cwd=ROOT, env=env(), capture_output=True, text=True, timeout=60)
    errors.write_text(done.stderr)
    assert done.returncode == 0, f"wb check: {done.stdout}{done.stderr}"


def all_or_nothing(
    tmp_path: Path, label: str, before: Path, args: Sequence[str], seed: int
) -> tuple[Snapshot, Snapshot, list[Kill]]:
    """Run ``wb ARGS`` once to completion on a copy of ``before``, then KILLS times killed at random moments
    over as long a run, each on a fresh copy; every killed book is checked. The states before and after, and
    what each kill met."""
    pre = check_sqlite(before)
    reference = copy_book(before, tmp_path / label / "complete.sqlite3")
    span = run_to_completion(wb(reference, *args), tmp_path / label / "complete.err")
    post = check_sqlite(reference)
    assert post != pre
    rng = random.Random(seed)
    delays = moments(rng, span)
    kills: list[Kill] = []
    while delays:
        i, delay = len(kills), delays.pop(0)
        where = f"{label} kill {i} (seed {seed}) after {delay:.3f}s, a complete run taking {span:.2f}s"
        book = copy_book(before, tmp_path / label / f"killed{i}.sqlite3")
        kill = run_and_kill(wb(book, *args), delay, tmp_path / label / f"killed{i}.err")
        kills.append(kill)
        got = check_sqlite(book)
        if got not in (pre, post):
            changed = {t: (pre.counts.get(t), n, post.counts.get(t)) for t, n in got.counts.items()}
            changed = {t: v for t, v in changed.items() if len(set(v)) > 1}
            schema = "same schema" if got.schema in (pre.schema, post.schema) else "the schema differs"
            pytest.fail(f"{where}: half a transaction (table: before, killed, after): {changed}; {schema}")
        assert kill.running or got == post, f"{where}: finished, yet its work is not all there"
        check_workbench(book, tmp_path / label / f"check{i}.err")
        if not delays and not any(k.running for k in kills) and len(kills) < KILLS + 3:
            # the machine got faster than during the reference run: aim earlier, at half the fastest run
            delays.append(min(k.seconds for k in kills) / 2)
    assert any(k.running for k in kills), f"{label}: no kill met a running process: {kills}"
    return pre, post, kills


# --- the demo --------------------------------------------------------------------------------------------------


def test_a_demo_killed_at_random_moments_leaves_no_half_book(tmp_path: Path) -> None:
    from workbench.services import demo_process
    from workbench.store.db import open_database

    assert DEMO_CLIENTS + DEMO_NOTES // 4 >= demo_process.PARALLEL_FROM  # rows made in a forked helper
    blank = tmp_path / "blank" / "book.sqlite3"
    open_database(str(blank)).close()
    args = ("demo", "--clients", str(DEMO_CLIENTS), "--notes", str(DEMO_NOTES), "--seed", "5")
    pre, post, kills = all_or_nothing(tmp_path, "demo", blank, args, SEED)
    assert pre.counts["client"] == 0 and post.counts["client"] == DEMO_CLIENTS + DEMO_CLIENTS // 50  # and prospects
    assert post.counts["balance"] == 13 * DEMO_CLIENTS and post.counts["note"] == DEMO_NOTES
    assert post.schema == pre.schema  # the indexes set aside for the load are back
    assert any(k.processes > 1 for k in kills), f"no kill met the generator helper: {kills}"


def test_a_demo_on_a_new_book_killed_early_leaves_no_book_an_empty_one_or_all_of_it(tmp_path: Path) -> None:
    """`wb demo` on a path where no book is yet: killed while it creates the book (its own transaction) or fills
    it, it leaves no book, an empty book or the whole demo — never a file Workbench refuses as 'not a book'."""
    from workbench.store.db import open_database

    blank = tmp_path / "blank" / "book.sqlite3"
    open_database(str(blank)).close()
    empty = check_sqlite(blank)
    args = ("demo", "--clients", "50", "--seed", "9")
    (tmp_path / "new").mkdir()
    span = run_to_completion(wb(tmp_path / "new" / "complete" / "book.sqlite3", *args), tmp_path / "new" / "c.err")
    whole = check_sqlite(tmp_path / "new" / "complete" / "book.sqlite3")
    assert whole.counts["client"] == 50 + 1 and whole.schema == empty.schema  # 50 clients and a prospect
    seed = SEED + 3
    kills = []
    for i, delay in enumerate(moments(random.Random(seed), span, 5)):
        where = f"new-book demo kill {i} (seed {seed}) after {delay:.3f}s, a complete run taking {span:.2f}s"
        book = tmp_path / "new" / f"killed{i}" / "book.sqlite3"  # nor its folder: the demo makes both
        kills.append(run_and_kill(wb(book, *args), delay, tmp_path / "new" / f"killed{i}.err"))
        if book.exists() and book.stat().st_size > 0:
            got = check_sqlite(book)
            assert got in (NO_SCHEMA, empty, whole), f"{where}: {got.counts}"
            assert kills[-1].running or got == whole, where
        check_workbench(book, tmp_path / "new" / f"check{i}.err")
    assert any(k.running for k in kills), f"no kill met a running process: {kills}"


# --- an import -------------------------------------------------------------------------------------------------


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志文斌玉红云飞鹏辉"


def clients_csv(path: Path, rows: int, first: int, seed: int) -> Path:
    """``rows`` valid, distinct new clients numbered from ``first`` (client number, ID number, phone all new)."""
    rnd = random.Random(seed)
    lines = ["客户号,客户名称,证件号码,手机号码,性别,出生日期,生日历法"]
    for n in range(first, first + rows):
        born = dt.date(1950, 1, 1) + dt.timedelta(days=rnd.randrange(20_000))
        first17 = f"33{n // 1000:04d}{born:%Y%m%d}{n % 1000:03d}"
        lunar = rnd.random() < 0.3
        birthday = f"{born.year}-{born.month:02d}-{min(born.day, 29):02d}" if lunar else f"{born:%Y/%-m/%-d}"
        name = rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice((1, 2))))
        phone = f"13{n:09d}"
        cells = (f"C{n:07d}", name, first17 + id_check_digit(first17), phone, rnd.choice("男女"), birthday)
        lines.append(",".join((*cells, "农历" if lunar else "公历")))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_an_import_killed_at_random_moments_adds_all_its_clients_or_none(tmp_path: Path) -> None:
    from workbench.services import importer
    from workbench.store.db import open_database

    before = tmp_path / "before" / "book.sqlite3"
    book = open_database(str(before))
    done = importer.import_file("clients", clients_csv(tmp_path / "first.csv", IMPORT_BEFORE, 1, 1), today=TODAY)
    book.close()
    assert done.created == IMPORT_BEFORE
    more = clients_csv(tmp_path / "more.csv", IMPORT_ROWS, IMPORT_BEFORE + 1, 2)
    pre, post, _kills = all_or_nothing(tmp_path, "import", before, ("import", "clients", str(more)), SEED + 1)
    assert pre.counts["client"] == IMPORT_BEFORE
    assert post.counts["client"] == IMPORT_BEFORE + IMPORT_ROWS
    assert post.counts["search_key"] > pre.counts["search_key"] and post.counts["key_date"] > pre.counts["key_date"]
    assert post.schema == pre.schema


# --- the visit wizard ------------------------------------------------------------------------------------------


# Runs the plan's steps visit after visit (start, saves, stages, finish), each step a transaction of its own,
# as the wizard saves as the manager types; says "ready" once the book is open, then works until killed.
WIZARD = """
import json, sys
from workbench.services import visits
from workbench.store.db import open_database

book = open_database(sys.argv[1])
plan = json.loads(open(sys.argv[2], encoding="utf-8").read())
print("ready", flush=True)
for cid, steps in plan:
    vid = None
    for op, arg in steps:
        if op == "start":
            vid = visits.start_visit(cid, reasons=arg).id
        elif op == "save":
            visits.save(vid, **arg)
        elif op == "stage":
            visits.set_stage(vid, arg)
        else:
            visits.finish(vid)
book.close()
"""


def visit_steps(i: int) -> list[tuple[str, Any]]:
    """One visit's steps, in the wizard's order; every value already in its stored form."""
    outcome = ("failed", "succeeded", "partly")[i % 3]
    return [
        ("start", [f"到期提醒{i}"]),
        ("save", {"goal": f"目标{i}", "questions": [f"问题{i}甲", f"问题{i}乙"], "materials": f"资料{i}"}),
        ("stage", "during"),
        ("save", {"observe": f"观察{i}", "listen": f"倾听{i}"}),
        ("save", {"answers": {"0": {"answer": f"回答{i}", "status": "answered"}}}),
        ("stage", "after"),
        (
            "save",
            {
                "outcome": outcome,
                "why": f"原因{i}",
                "needs_found": f"需求{i}",
                "follow_ups": [
                    {"text": f"跟进{i}甲", "due": "2026-12-01"},
                    {"text": f"跟进{i}乙", "due": "2026-12-08"},
                ],
                "opportunities": [{"product": f"产品{i}", "stage": "assess"}],
                "next_contact": (TODAY + dt.timedelta(days=10 + i % 20)).isoformat(),
            },
        ),
        ("save", {"lesson": {"situation": f"情境{i}", "result": f"结果{i}", "next_time": f"下次{i}"}}),
        ("finish", None),
    ]


def visit_states(steps: list[tuple[str, Any]]) -> list[tuple[str, str | None, str | None, dict[str, Any]]]:
    """(stage, goal, outcome, data) after each step but the last: what a visit killed before finishing holds."""
    stage, data, states = "before", {}, []
    for op, arg in steps[:-1]:
        if op == "start":
            data = {"planned_because": arg}
        elif op == "save":
            data = {**data, **arg}
        else:
            stage = arg
        states.append((stage, data.get("goal"), data.get("outcome"), data))
    return states


def check_visits(path: Path, plan: list[tuple[int, list[tuple[str, Any]]]], pre: dict[str, int], where: str) -> int:
    """Every visit is one of the plan's states, each finished one with all it means for the book and an
    unfinished one with none of it; the number of visits finished."""
    conn = sqlite3.connect(str(path))
    try:
        one = lambda sql, *p: conn.execute(sql, p).fetchone()  # noqa: E731
        rows = conn.execute("SELECT id, client_id, stage, goal, outcome, data, finished_at FROM visit ORDER BY id")
        found = rows.fetchall()
        assert [r[1] for r in found] == [cid for cid, _ in plan[: len(found)]], where
        finished = 0
        for n, (vid, cid, stage, goal, outcome, raw, finished_at) in enumerate(found):
            steps = plan[n][1]
            data = json.loads(raw)
            ours = [one(f"SELECT count(*) FROM {t} WHERE visit_id = ?", vid)[0] for t in ("follow_up", "note")]
            if finished_at is None:
                assert n == len(found) - 1, f"{where}: visit #{vid} left unfinished, yet the next one began"
                assert (stage, goal, outcome, data) in visit_states(steps), f"{where}: visit #{vid} half saved"
                assert ours == [0, 0], f"{where}: unfinished visit #{vid} has follow-ups or a lesson"
                continue
            finished += 1
            full = visit_states(steps)[-1][3]
            assert (stage, goal, outcome, data) == ("done", full["goal"], full["outcome"], full), where
            due = conn.execute("SELECT text, due FROM follow_up WHERE visit_id = ? ORDER BY id", (vid,)).fetchall()
            assert due == [(f["text"], f["due"]) for f in full["follow_ups"]], f"{where}: visit #{vid} follow-ups"
            notes = conn.execute("SELECT id FROM note WHERE visit_id = ? AND kind = 'lesson'", (vid,)).fetchall()
            assert len(notes) == 1, f"{where}: visit #{vid} has {len(notes)} lessons"
            note = notes[0][0]
            assert one("SELECT count(*) FROM note_client WHERE note_id = ? AND client_id = ?", note, cid)[0] == 1
            assert one("SELECT count(*) FROM note_tag WHERE note_id = ? AND tag = '教训'", note)[0] == 1
            assert one("SELECT count(*) FROM search_doc WHERE kind = 'lesson' AND ref_id = ?", note)[0] == 1
            assert one("SELECT next_contact FROM client WHERE id = ?", cid)[0] == full["next_contact"], where
        count = lambda table, cond="1": one(f"SELECT count(*) FROM {table} WHERE {cond}")[0]  # noqa: E731
        got = {
            "visit contacts": count("contact", "channel = 'visit'"),
            "follow-ups": count("follow_up"),
            "notes": count("note"),
            "note clients": count("note_client"),
            "search docs": count("search_doc"),
        }
        adds = {"visit contacts": 1, "follow-ups": 2, "notes": 1, "note clients": 1, "search docs": 2}
        assert got == {k: pre[k] + adds[k] * finished for k in got}, f"{where}: {finished} visits finished"
        return finished
    finally:
        conn.close()


def test_the_visit_wizard_killed_mid_save_keeps_every_visit_whole(tmp_path: Path) -> None:
    from workbench.services import demo
    from workbench.store.db import open_database

    before = tmp_path / "before" / "book.sqlite3"
    book = open_database(str(before))
    demo.generate(WIZARD_CLIENTS, seed=3, today=TODAY)
    book.close()
    conn = sqlite3.connect(str(before))
    with conn:
        conn.execute("DELETE FROM visit")  # (the demo's own visits: here every visit is one the plan makes)
    ids = [r[0] for r in conn.execute("SELECT id FROM client ORDER BY id")]
    pre = {
        "visit contacts": conn.execute("SELECT count(*) FROM contact WHERE channel = 'visit'").fetchone()[0],
        **{
            label: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for label, t in (
                ("follow-ups", "follow_up"),
                ("notes", "note"),
                ("note clients", "note_client"),
                ("search docs", "search_doc"),
            )
        },
    }
    conn.close()
    plan = [(cid, visit_steps(i)) for i, cid in enumerate(ids)]
    (tmp_path / "plan.json").write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "wizard.py").write_text(WIZARD, encoding="utf-8")
    rng = random.Random(SEED + 2)
    finished = []
    for i, delay in enumerate(moments(rng, 1.5, 5)):
        where = f"wizard kill {i} (seed {SEED + 2}) {delay:.3f}s after ready"
        path = copy_book(before, tmp_path / "wizard" / f"killed{i}.sqlite3")
        errors = tmp_path / "wizard" / f"killed{i}.err"
        cmd = [sys.executable, str(tmp_path / "wizard.py"), str(path), str(tmp_path / "plan.json")]
        proc = spawn(cmd, errors, stdout=subprocess.PIPE, text=True)
        try:
            assert proc.stdout is not None and proc.stdout.readline() == "ready\n", errors.read_text()
            time.sleep(delay)
            killed = kill_group(proc)
        finally:
            if proc.poll() is None:
                kill_group(proc)
            if proc.stdout is not None:
                proc.stdout.close()
        assert killed, f"{where}: the wizard ran out of visits before the kill; give it more clients"
        check_sqlite(path)
        finished.append(check_visits(path, plan, pre, where))
        check_workbench(path, tmp_path / "wizard" / f"check{i}.err")
    assert any(finished), f"no visit was finished before a kill: {finished}"
