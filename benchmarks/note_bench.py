"""`wb note` against `python -c "import sqlite3"` (target ≤ 2.5×) and jrnl adding an entry (target ≤ 0.4×),
whole processes, interleaved, in one run. jrnl is the terminal journal people use today.

    .venv/bin/python benchmarks/note_bench.py [--runs 9] [--jrnl PATH]

jrnl is looked for on PATH and in /tmp/venv-jrnl (make it with
`python3 -m venv /tmp/venv-jrnl && /tmp/venv-jrnl/bin/pip install jrnl`); it writes to a throwaway journal.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from harness import book, compare, env, report

NOTE = "今天拜访 @王璐 说想了解理财产品，孩子明年留学 #理财 #留学"


def jrnl_case(path: str | None, home: Path) -> tuple[list[str], dict[str, str]] | None:
    fallback = Path("/tmp/venv-jrnl/bin/jrnl")
    exe = path or shutil.which("jrnl") or (str(fallback) if fallback.exists() else None)
    if not exe:
        return None
    config = home / "jrnl" / "jrnl.yaml"
    config.parent.mkdir(parents=True)
    journal = home / "journal.txt"
    config.write_text(
        "colors: {body: none, date: none, tags: none, title: none}\ndefault_hour: 9\ndefault_minute: 0\n"
        "editor: ''\nencrypt: false\nhighlight: true\nindent_character: '|'\n"
        f"journals:\n  default:\n    journal: {journal}\nlinewrap: 79\ntagsymbols: '#@'\n"
        "template: false\ntimeformat: '%F %r'\nversion: v4.6\n",
        encoding="utf-8",
    )
    return [exe, NOTE], dict(env(), XDG_CONFIG_HOME=str(home), XDG_DATA_HOME=str(home))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--jrnl")
    args = parser.parse_args()
    wb = Path(sys.executable).parent / "wb"
    wb_cmd = [str(wb)] if wb.exists() else [sys.executable, "-m", "workbench"]
    db = book(1000)
    with tempfile.TemporaryDirectory() as tmp:
        cases = {
            'python -c "import sqlite3" (baseline)': ([sys.executable, "-c", "import sqlite3"], env()),
            "wb note (1,000-client book)": ([*wb_cmd, "note", NOTE], env(db)),
        }
        jrnl = jrnl_case(args.jrnl, Path(tmp))
        if jrnl:
            cases["jrnl (add an entry)"] = jrnl
        else:
            print("  (jrnl not found: pip install jrnl)", file=sys.stderr)
        medians = compare(cases, args.runs)
    base = 'python -c "import sqlite3" (baseline)'
    ours = {k: v for k, v in medians.items() if not k.startswith("jrnl")}
    report("wb note vs importing sqlite3 (whole process, median)", ours, base, target=2.5)
    if jrnl:
        theirs = {k: medians[k] for k in ("jrnl (add an entry)", "wb note (1,000-client book)")}
        report("wb note vs jrnl adding an entry (whole process, median)", theirs, "jrnl (add an entry)", target=0.4)


if __name__ == "__main__":
    main()
