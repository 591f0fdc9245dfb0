"""`wb config path|show|edit`: the settings file (services.config)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from workbench.cli.parsing import EXIT_BAD, EXIT_OK
from workbench.errors import BadFile, BadInput
from workbench.i18n import t

EDITORS = ("nano", "vi", "vim")


def register(add: Callable[..., argparse.ArgumentParser], json_opt: argparse.ArgumentParser) -> None:
    sp = add("config", cmd_config, "the settings file: where it is, what is in force, edit it", json_opt)
    sp.add_argument("action", choices=["path", "show", "edit"])


def cmd_config(ns: argparse.Namespace) -> int:
    from workbench.services import config

    if ns.action == "path":
        print(config.path())
        return EXIT_OK
    if ns.action == "show":
        return _show(ns)
    return _edit()


def _show(ns: argparse.Namespace) -> int:
    from workbench.cli import _emit_json
    from workbench.interface import BINDING_IDS
    from workbench.services import config, config_text

    config.check()
    if ns.json:
        values = {k: _json_value(v) for k, v in config_text.effective().items()}
        given = sorted(config.set_in_file())
        _emit_json({"file": str(config.path()), "settings": values, "set": given, "bindings": sorted(BINDING_IDS)})
    else:
        print(config_text.show())
    return EXIT_OK


def _json_value(value: object) -> object:
    """A setting as JSON carries it: amounts as decimal strings (CLI.md), lists as lists."""
    from decimal import Decimal

    if isinstance(value, Decimal):
        return str(value)
    return list(value) if isinstance(value, tuple) else value


def _editor() -> list[str]:
    import shlex
    import shutil

    chosen = os.environ.get("VISUAL", "").strip() or os.environ.get("EDITOR", "").strip()
    if chosen:
        return shlex.split(chosen)
    for name in EDITORS:
        if shutil.which(name):
            return [name]
    raise BadInput(t("cli.config_no_editor"))


def _edit() -> int:
    from workbench import paths
    from workbench.services import config, config_text

    where = config.path()
    if not where.exists():
        paths.private_dir(where.parent)
        paths.write_private(where, config_text.template())
    paths.tighten(where)
    import subprocess  # (here: every `wb` command registers this module's options, few edit the settings)

    editor = _editor()
    while True:
        try:
            done = subprocess.run([*editor, str(where)], check=False)
        except OSError as exc:
            raise BadInput(t("cli.config_editor_failed", editor=" ".join(editor), why=exc.strerror or exc)) from None
        if done.returncode != 0:
            raise BadInput(t("cli.config_editor_failed", editor=" ".join(editor), why=f"exit {done.returncode}"))
        try:
            config.check()
        except BadFile as exc:
            print(f"wb: {exc}", file=sys.stderr)
            if not (sys.stdin.isatty() and sys.stdout.isatty()):
                print(t("cli.config_kept", path=where), file=sys.stderr)
                return EXIT_BAD
            answer = input(t("cli.config_again")).strip().lower()
            if answer in ("n", "no", "否"):
                print(t("cli.config_kept", path=where), file=sys.stderr)
                return EXIT_BAD
            continue
        print(t("cli.config_saved", path=where))
        return EXIT_OK
