"""The layers cannot leak: rules import neither peewee nor Textual; services and store import no Textual."""

from __future__ import annotations

import json
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import workbench

ROOT = Path(workbench.__file__).parent


def modules_of(package: str) -> list[str]:
    path = ROOT / package.split(".", 1)[1].replace(".", "/")
    return [f"{package}.{m.name}" for m in pkgutil.iter_modules([str(path)])]


def loaded_after_importing(names: list[str]) -> set[str]:
    code = (
        "import importlib, json, sys\n"
        f"for n in {names!r}: importlib.import_module(n)\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout))


def test_rules_import_neither_peewee_nor_textual() -> None:
    loaded = loaded_after_importing(modules_of("workbench.rules"))
    bad = {
        m
        for m in loaded
        if m.split(".")[0] in {"peewee", "playhouse", "textual", "sqlite3", "openpyxl"}
        or m.startswith(("workbench.store", "workbench.services", "workbench.tui", "workbench.cli"))
    }
    assert not bad, bad


def test_services_and_store_import_no_textual() -> None:
    loaded = loaded_after_importing(modules_of("workbench.services") + modules_of("workbench.store"))
    bad = {m for m in loaded if m.split(".")[0] in {"textual"} or m.startswith(("workbench.tui", "workbench.cli"))}
    assert not bad, bad


def test_no_postgresql_driver_is_loaded_for_an_sqlite_book() -> None:
    """peewee would import psycopg (~240 ms) at its own import; workbench/__init__.py keeps it out."""
    loaded = loaded_after_importing([*modules_of("workbench.services"), "workbench.cli"])
    assert not {m for m in loaded if m.startswith(("psycopg.", "psycopg_binary"))}


def test_import_linter_contracts() -> None:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("import-linter is not installed")
    result = subprocess.run([exe], capture_output=True, text=True, cwd=ROOT.parent)
    assert result.returncode == 0, result.stdout + result.stderr
