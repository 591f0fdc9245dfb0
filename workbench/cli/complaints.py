"""`wb complaint add|step|lesson` and `wb complaints`: complaints and the six steps of their handling."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from workbench.cli.parsing import EXIT_OK
from workbench.i18n import t


def register(add: Callable[..., argparse.ArgumentParser], json_opt: argparse.ArgumentParser) -> None:
    sp = add("complaint", cmd_complaint, "record a complaint, or complete its next step", json_opt)
    sp.add_argument("action", choices=["add", "step", "lesson"])
    sp.add_argument("what", metavar="CLIENT|ID")
    sp.add_argument("text", nargs="*", help="add: the complaint; step: what was done (分析原因: the cause)")

    sp = add("complaints", cmd_complaints, "complaints and the step each has reached", json_opt)
    sp.add_argument("--open", action="store_true", help="only those not yet resolved")


def cmd_complaint(ns: argparse.Namespace) -> int:
    from workbench.cli import _emit_json, _open, _safe
    from workbench.errors import BadInput
    from workbench.services import complaints, portfolio

    _open(ns)
    text = " ".join(ns.text)
    if ns.action == "add":
        row = complaints.add(portfolio.find_client(ns.what), text)
    else:
        if not ns.what.isdigit():
            raise BadInput(f"wb complaint {ns.action} ID: {ns.what!r} is not a complaint number (wb complaints)")
        if ns.action == "lesson":
            note_id = complaints.cause_to_lesson(int(ns.what))
            print(t("cli.complaint_lesson", id=note_id))
            return EXIT_OK
        row = complaints.complete_step(int(ns.what), text)
    if ns.json:
        _emit_json(row.as_json())
    else:
        print(t("cli.complaint_row", id=row.id, client=_safe(row.client), step=row.step, text=_safe(row.text)))
    return EXIT_OK


def cmd_complaints(ns: argparse.Namespace) -> int:
    from workbench.cli import _emit_json, _open, _safe
    from workbench.services import complaints

    _open(ns)
    rows = complaints.list_complaints(open_only=ns.open)
    if ns.json:
        _emit_json([r.as_json() for r in rows])
        return EXIT_OK
    if not rows:
        print(t("cli.complaints_none"))
    for r in rows:
        state = t("cli.complaint_resolved", day=r.resolved_at.isoformat()) if r.resolved_at else r.step
        print(f"#{r.id} {r.opened.isoformat()} {_safe(r.client)} [{state}] {_safe(r.text)}")
        for d in r.done:
            print(f"    {d['date']} {d['step']} {_safe(d.get('note', ''))}".rstrip())
    return EXIT_OK
