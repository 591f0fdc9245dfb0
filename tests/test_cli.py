"""The `wb` command as scripts and managers use it (../shared/CLI.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.cli import main

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture
def demo(wb):
    code, out, _ = wb("demo", "--clients", "60", "--seed", "3")
    assert code == 0 and "60" in out
    return wb


def test_clients_json_has_the_contract_keys_and_masks(demo) -> None:
    code, out, err = demo("clients", "--json")
    assert code == 0 and err == ""
    rows = json.loads(out)
    assert len(rows) == 60
    for key in (
        "client_no",
        "name",
        "kind",
        "tier",
        "aum",
        "phone",
        "last_contact",
        "next_due",
        "completeness",
    ):
        assert key in rows[0]
    assert all(isinstance(r["aum"], str) and "." in r["aum"] for r in rows)
    assert all("*" in r["phone"] for r in rows if r["phone"])
    assert {r["kind"] for r in rows} == {"individual", "corporate"}
    code, out, _ = demo("clients", "--json", "--reveal")
    assert not any("*" in r["phone"] for r in json.loads(out))
    code, out, _ = demo("audit", "--json")  # the reveal left who and when
    (entry,) = json.loads(out)
    assert code == 0 and entry["action"] == "reveal.list" and entry["detail"] == "60 clients" and entry["who"]
    code, out, _ = demo("audit")
    assert "reveal.list" in out and "60 clients" in out


def test_search_tier_and_limit(demo) -> None:
    rows = json.loads(demo("clients", "--json")[1])
    person = next(r for r in rows if r["kind"] == "individual")
    from workbench.rules.pinyin import sort_key

    full = sort_key(person["name"])
    for query in (person["name"], full, full[:4], person["client_no"]):
        found = json.loads(demo("clients", "--search", query, "--json")[1])
        assert person["client_no"] in [r["client_no"] for r in found], query
    tier = person["tier"]
    same = json.loads(demo("clients", "--tier", tier, "--json")[1])
    assert same and {r["tier"] for r in same} == {tier}
    assert len(json.loads(demo("clients", "--limit", "5", "--json")[1])) == 5


def test_client_360_json_and_text(demo) -> None:
    rows = json.loads(demo("clients", "--json")[1])
    code, out, _ = demo("client", rows[0]["client_no"], "--json")
    view = json.loads(out)
    assert code == 0 and view["name"] == rows[0]["name"] and view["tier"] == rows[0]["tier"]
    assert isinstance(view["aum"], str) and len(view["balances"]) >= 12
    code, out, _ = demo("client", rows[0]["client_no"])
    assert code == 0 and rows[0]["name"] in out


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("client", "没有这个人"), "no client matches"),
        (("clients", "--tier", "silver"), "unknown tier"),
        (("--date", "2024-02-30", "clients"), "只有 29 天"),
        (("import", "clients", "/nonexistent/file.csv"), "file.csv"),
        (("clients", "--limit", "zero"), "not a whole number"),
        (("frobnicate",), "invalid choice"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(demo, args: tuple[str, ...], says: str) -> None:
    code, out, err = demo(*args)
    assert code == 1, (out, err)
    assert says in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_demo_refuses_a_full_book_without_replace(demo) -> None:
    code, _, err = demo("demo", "--clients", "10")
    assert code == 1 and "--replace" in err
    code, _, _ = demo("demo", "--clients", "10", "--replace")
    assert code == 0 and len(json.loads(demo("clients", "--json")[1])) == 10


def test_check_backup_export_and_import_all(demo, tmp_path: Path) -> None:
    code, out, _ = demo("check", "--json")
    counts = json.loads(out)
    assert code == 0 and counts["ok"] and counts["clients"] == 61  # the client table: 60 clients, 1 prospect
    code, out, _ = demo("backup")
    assert code == 0 and "backups" in out
    dump = tmp_path / "book.json"
    assert demo("export", "all", "-o", str(dump))[0] == 0
    other = tmp_path / "other.sqlite3"
    assert main(["--db", str(other), "import", "all", str(dump)]) == 0
    assert main(["--db", str(other), "check", "--json"]) == 0


def test_terminal_output_never_carries_escape_sequences(wb, tmp_path: Path) -> None:
    csv = tmp_path / "c.csv"
    csv.write_text("客户号,客户名称,备注\nC1,\x1b[2J坏人\x1b]0;x\x07,\x1b[31m红\n", encoding="utf-8")
    wb("import", "clients", str(csv))
    _, out, err = wb("clients")
    assert "\x1b" not in out + err
    _, out, err = wb("client", "C1")
    assert "\x1b" not in out + err


def test_the_installed_command_runs_without_a_traceback(tmp_path: Path) -> None:
    env = {"WORKBENCH_DB": str(tmp_path / "b.db"), "PATH": "/usr/bin:/bin", "LANG": "en_US.UTF-8"}
    ok = subprocess.run([sys.executable, "-m", "workbench", "--version"], capture_output=True, text=True, env=env)
    assert ok.returncode == 0 and ok.stdout.startswith("wb ")
    bad = subprocess.run(
        [sys.executable, "-m", "workbench", "client", "nobody"], capture_output=True, text=True, env=env
    )
    assert bad.returncode == 1 and "Traceback" not in bad.stderr and "nobody" in bad.stderr


def test_reasons_follow_the_interface_language(demo) -> None:
    from workbench import i18n

    code, _, err = demo("--date", "2024-02-30", "clients")
    assert code == 1 and "2024年2月只有 29 天，没有 30 日" in err
    i18n.set_lang("en")
    try:
        code, _, err = demo("--date", "2024-02-30", "clients")
        assert code == 1 and "2024-02 has 29 days, not 30" in err
    finally:
        i18n.set_lang(None)


def test_every_rule_reason_has_both_languages() -> None:
    import re

    from workbench import i18n
    from workbench.errors import Invalid

    rules = Path(__file__).parent.parent / "workbench" / "rules"
    keys = {k for f in rules.glob("*.py") for k in re.findall(r'Invalid\("([\w.]+)"', f.read_text())}
    assert keys, "rules raise Invalid with catalogue keys"
    for key in keys:
        zh, en = i18n.CATALOGUE[key]
        assert zh and en and zh != en, key
    assert str(Invalid("err.field.year")) == "a year such as 2008"


def test_one_commands_options_are_built_and_every_command_is_listed(wb, monkeypatch) -> None:
    """`wb COMMAND` builds that command's options alone; `wb --help` and a mistyped name still see them all."""
    from workbench import cli

    code, out, _ = wb("clients", "--help")
    assert code == 0 and "--search" in out and "--status" in out
    code, out, _ = wb("prospect", "--help")
    assert code == 0 and "--referred-by" in out and "--search" not in out
    code, out, _ = wb("--help")
    listed = out.split("COMMAND", 1)[1]
    for name in ("demo", "clients", "import", "today", "prospect", "event", "team", "config", "report", "complaint"):
        assert f"\n    {name} " in listed or f"\n    {name}\n" in listed, name
    code, _, err = wb("clientz")
    assert code == 1 and "invalid choice: 'clientz'" in err and "'clients'" in err and "'winback'" in err
    opened: list[str | None] = []
    monkeypatch.setattr(cli, "_tui", lambda target: opened.append(target) or 0)
    monkeypatch.setattr(cli, "build_parser", lambda **_: pytest.fail("`wb --db B` built the whole parser"))
    assert cli.main(["--db", "/some/book.sqlite3"]) == 0 and opened == ["/some/book.sqlite3"]
    assert cli.main(["--date", "2026-02-30"]) == 1  # a bad --date is still said, before the TUI opens
