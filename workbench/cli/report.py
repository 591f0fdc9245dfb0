"""`wb report [--month YYYY-MM] [-o report.md|report.html] [--json]`: the month's dashboard."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from workbench.cli.parsing import EXIT_OK
from workbench.i18n import t


def register(add: Callable[..., argparse.ArgumentParser], json_opt: argparse.ArgumentParser) -> None:
    sp = add(
        "report", cmd_report, "the month's dashboard: tiers, moves, coverage, churn, completeness, pipeline", json_opt
    )
    sp.add_argument("--month", metavar="YYYY-MM", help="the month (default: this one)")
    sp.add_argument("-o", "--output", type=Path, help="write it to a file: .md for Markdown, .html for a web page")


def cmd_report(ns: argparse.Namespace) -> int:
    from workbench.cli import _emit_json, _open
    from workbench.errors import BadInput
    from workbench.paths import write_private
    from workbench.services import dashboard, report

    month = dashboard.parse_month(ns.month)
    suffix = ns.output.suffix.lower() if ns.output else None
    if suffix not in (None, ".md", ".markdown", ".html", ".htm"):
        raise BadInput(f"-o {ns.output}: a .md or .html file", column="-o", value=str(ns.output))
    _open(ns)
    d = dashboard.dashboard(month)
    if ns.json:
        _emit_json(_as_json(d))
        return EXIT_OK
    if ns.output is None:
        print(report.markdown(d), end="")
        return EXIT_OK
    text = report.html_page(d) if suffix in (".html", ".htm") else report.markdown(d)
    write_private(ns.output, text)
    print(t("cli.report_done", path=ns.output))
    return EXIT_OK


def _as_json(d) -> dict[str, object]:
    from dataclasses import asdict

    from workbench.rules.money import json_amount

    def plain(value: object) -> object:
        from datetime import date
        from decimal import Decimal

        if isinstance(value, Decimal):
            return json_amount(value)
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return value

    out = plain(asdict(d))
    assert isinstance(out, dict)
    out["churn"] = [dict(zip(("name", "tier", "aum", "reason"), c, strict=True)) for c in out["churn"]]
    out["missing"] = [{"field": f, "clients": n} for f, n in out["missing"]]
    out["aum_history"] = [{"month": m, "aum": v} for m, v in out["aum_history"]]
    out["losses"] = [x.as_json() for x in d.losses]
    out["key_fields"]["share"] = round(d.key_fields.share, 4)
    out["referrers"] = [r.as_json() for r in d.referrers]
    return out
