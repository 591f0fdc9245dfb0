"""wb import clients|balances|holdings FILE: validate the whole file, then write it in one transaction.

Any bad row refuses the file (every problem listed, nothing written). Re-importing the same file changes
nothing. Clients match on client number, then ID number, then phone (with the same name); a row with none of
them matches a client of the same name. Only non-empty cells overwrite what the book holds.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from peewee import DateField

from workbench.errors import BadFile, BadInput
from workbench.rules import columns
from workbench.rules.dates import month_start
from workbench.rules.keydates import KeyDay
from workbench.services import figures, settings, tabular
from workbench.store import bulk, bulkload
from workbench.store.db import transaction
from workbench.store.models import Balance, Client, Holding, KeyDate, SearchKey, database, now

KINDS = ("clients", "balances", "holdings")
CHUNK = 500
# From this many new clients on, indexes the new rows would reach in random order are dropped and rebuilt
# once at the end (store.bulkload): on 100,000 new clients the search keys go in three times faster.
BULK_MIN = 5_000
BULK_ARRIVAL = {"client": "id", "search_key": "key", "key_date": "client_id"}
KEY_DAYS = columns.KEY_DAYS
_NOT_COLUMNS = {*KEY_DAYS, "birthday_calendar", "anniversary_calendar"}


@dataclass(frozen=True)
class ImportSummary:
    kind: str  # clients | balances | holdings
    file: str
    encoding: str
    rows: int
    created: int
    updated: int
    unchanged: int
    warnings: list[str]
    dry_run: bool


def import_file(
    kind: str, path: Path, *, encoding: str | None = None, dry_run: bool = False, today: dt.date | None = None
) -> ImportSummary:
    """Import a CSV or XLSX file of clients, balances or holdings into the open book."""
    collecting = gc.isenabled()
    gc.disable()  # millions of small objects and no cycles: the collector would only rescan them (2x slower)
    try:
        return _import(kind, Path(path), encoding, dry_run, today)
    finally:
        columns.clear_caches()
        if collecting:
            gc.enable()


def _import(kind: str, path: Path, encoding: str | None, dry_run: bool, today: dt.date | None) -> ImportSummary:
    if kind not in KINDS:
        raise BadInput(f"unknown import {kind!r}; one of: {', '.join(KINDS)}")
    today = today or settings.today()
    parsed = tabular.read_rows(kind, path, encoding, today)
    table, rows, check = parsed.table, parsed.rows, parsed.check
    plan = {"clients": _ClientPlan, "balances": _RecordPlan, "holdings": _RecordPlan}[kind]

    def run() -> tuple[int, int, int]:
        p = plan(kind, rows, check, today)
        if check.problems:
            check.problems.sort(key=lambda b: b.line or 0)
            bad = len({b.line for b in check.problems})
            raise BadFile(
                f"{bad} bad row{'s' if bad != 1 else ''}; nothing was imported",
                file=table.file,
                problems=check.problems,
            )
        if not dry_run:
            changed = p.write()
            if changed:
                figures.refresh(sorted(changed), today=today)
        return p.created, p.updated, p.unchanged

    if dry_run:
        created, updated, unchanged = run()
    else:
        # A large file of clients is loaded with foreign keys off (store.bulkload): its search keys may then go
        # in beside the new clients' rows being computed. Every row it writes names a client it wrote or found.
        many = kind == "clients" and len(rows) >= BULK_MIN
        with bulkload.ForeignKeysOff(many and not database.in_transaction()), transaction():
            created, updated, unchanged = run()
    if check.extra_warnings:
        check.warnings.append(f"… and {check.extra_warnings} more warnings")
    return ImportSummary(
        kind=kind,
        file=table.file,
        encoding=table.encoding,
        rows=parsed.count,
        created=created,
        updated=updated,
        unchanged=unchanged,
        warnings=check.warnings,
        dry_run=dry_run,
    )


def _db(value: object) -> object:
    """A parsed value in the form the database holds: cents for money, ISO text for dates."""
    return bulk.db_form(value)


def _described(name: str, no: object, cid: int) -> str:
    return f"{name} ({no})" if no else f"{name} (#{cid})" if cid > 0 else name


_BASE = ("id", "client_no", "id_number", "phone", "name")


class _Book:
    """The book's clients, loaded once: who has which client number, ID number, phone and name."""

    def __init__(self, extra: Iterable[str] = ()) -> None:
        self.by_no: dict[str, int] = {}
        self.index: dict[str, dict[str, list[int]]] = {k: defaultdict(list) for k in _BASE[2:]}
        self.info: dict[int, dict[str, object]] = {}
        # (phone, name): a phone matches a client of the same name; many rows may share a phone (a company's
        # switchboard), and looking through all its clients for each row would make an import quadratic
        self.by_phone_name: dict[tuple[str, str], list[int]] = defaultdict(list)
        names = [*_BASE, *(c for c in extra if c not in _BASE)]
        ids, phones, named = self.index["id_number"], self.index["phone"], self.index["name"]
        for row in database.execute_sql(f'SELECT {", ".join(names)} FROM "{Client._meta.table_name}"'):
            cid, no, idn, phone, name = row[:5]
            self.info[cid] = {k: v for k, v in zip(names[1:], row[1:], strict=True) if v is not None and v != ""}
            if no:
                self.by_no[no] = cid
            if idn:
                ids[idn].append(cid)
            if phone:
                phones[phone].append(cid)
                self.by_phone_name[(phone, name)].append(cid)
            named[name].append(cid)

    def add(self, cid: int, values: dict[str, object]) -> None:
        """Record a client's (new) values so that later rows find it."""
        info = self.info.setdefault(cid, {})
        pair = (info.get("phone"), info.get("name"))
        self._add(cid, info, values)
        new_pair = (info.get("phone"), info.get("name"))
        if new_pair != pair and new_pair[0]:
            if pair[0]:
                self.by_phone_name[(str(pair[0]), str(pair[1]))].remove(cid)
            self.by_phone_name[(str(new_pair[0]), str(new_pair[1]))].append(cid)

    def _add(self, cid: int, info: dict[str, object], values: dict[str, object]) -> None:
        for key, value in values.items():
            if value is None or value == "":
                continue
            if key == "client_no":
                self.by_no[str(value)] = cid
            elif key in self.index and (key not in info or info[key] != value):
                if key in info:
                    self.index[key][str(info[key])].remove(cid)
                self.index[key][str(value)].append(cid)
            info[key] = value

    def lookup(self, key: str, value: object) -> list[int]:
        if key == "client_no":
            return [self.by_no[str(value)]] if str(value) in self.by_no else []
        return list(self.index[key].get(str(value), ()))

    def describe(self, cids: list[int]) -> str:
        shown = [_described(str(self.info[c].get("name", "")), self.info[c].get("client_no"), c) for c in cids[:5]]
        return ", ".join(shown) + (f" and {len(cids) - 5} more" if len(cids) > 5 else "")

    def find(self, row: tabular.Row, check: tabular.Check) -> int | None:
        """The client a balances/holdings row belongs to, by its first key; reported when none or several."""
        key = next((k for k in columns.KEY_GROUP if k in row.values), None)
        if key is None:
            wanted = " or ".join(check.headers.get(k, columns.LABELS[k]) for k in columns.KEY_GROUP)
            check.bad(f"no client key: fill {wanted}", row.line)
            return None
        value, header = row.values[key], check.headers[key]
        found = self.lookup(key, value)
        if not found:
            check.bad(f"no client with {header} {value} in the book; import clients first", row.line, key, value)
            return None
        if len(found) > 1:
            check.bad(
                f"{len(found)} clients have this {header}: {self.describe(found)}; use "
                f"{columns.LABELS['client_no']} to say which",
                row.line,
                key,
                value,
            )
            return None
        name = row.values.get("name")
        if key != "name" and name and name != self.info[found[0]].get("name"):
            check.warn(f"the book calls this client {self.describe(found)}", row.line, "name", name)
        return found[0]


class _ClientPlan:
    """Which rows create clients, which change them (and how), which change nothing."""

    def __init__(self, kind: str, rows: list[tabular.Row], check: tabular.Check, today: dt.date) -> None:
        self.check = check
        self.today = today
        self.cols = [f for f in check.headers if f not in _NOT_COLUMNS]
        self.book = _Book(self.cols)
        self.new: list[tuple[int, tabular.Row]] = []  # (a negative stand-in id, the row)
        self.fresh = 0
        self.changes: dict[int, dict[str, object]] = {}
        self.key_days: dict[tuple[int, str], tuple[KeyDay, dt.date | None]] = {}
        self.created = self.updated = self.unchanged = 0
        stored_days = self._stored_key_days() if any(k in check.headers for k in KEY_DAYS) else {}
        claimed: dict[int, int] = {}
        cols = set(self.cols)
        for row in rows:
            target = self._resolve(row) if row.usable(_BASE) else None
            if target is None:
                continue
            if target in claimed:
                key = next((k for k in _BASE[1:] if k in row.values), None)
                check.bad(
                    f"the same client as line {claimed[target]} (each client once per file)",
                    row.line,
                    key,
                    row.values.get(key or ""),
                )
                continue
            claimed[target] = row.line
            given = row.values
            keys = {k: given[k] for k in _BASE[1:] if k in given}  # text, as stored
            if row.failed:
                self.book.add(target, keys)
                continue
            days = {kd: given[kd] for kd in KEY_DAYS if kd in given}
            if target < 0:
                if "name" not in given:
                    check.bad("a new client needs a name", row.line, "name")
                self.new.append((target, row))
                self.created += 1
            else:
                values = {c: _db(v) for c, v in given.items() if c in cols}
                stored = self.book.info[target]
                changed = {c: v for c, v in values.items() if stored.get(c) != v}
                days = {kd: v for kd, v in days.items() if stored_days.get((target, kd)) != [_day_tuple(v[0])]}  # type: ignore[index]
                if changed:
                    self.changes[target] = changed
                self.updated += bool(changed or days)
                self.unchanged += not (changed or days)
            self.key_days.update({(target, kd): v for kd, v in days.items()})  # type: ignore[misc]
            self.book.add(target, keys)

    def _resolve(self, row: tabular.Row) -> int | None:
        """An existing client's id, a new negative id for a new client, or None (reported)."""
        v, book = row.values, self.book
        no, idn, phone, name = (v.get(k) for k in _BASE[1:])
        if no and book.lookup("client_no", no):
            return book.by_no[no]  # type: ignore[index]

        def fits(cid: int) -> bool:  # a different client number is a different client
            other = book.info[cid].get("client_no")
            return not no or not other or other == no

        tries: list[tuple[str, list[int]]] = []
        if idn:
            found = book.lookup("id_number", idn)
            tries.append(("id_number", [c for c in found if fits(c)]))
            if others := [c for c in found if not fits(c)]:
                self.check.warn(f"this ID number also belongs to {book.describe(others)}", row.line, "id_number", idn)
        if phone:
            tries.append(
                (
                    "phone",
                    [
                        c
                        for c in (book.by_phone_name.get((phone, name), ()) if name else book.lookup("phone", phone))
                        if fits(c)
                    ],
                )
            )
        if not (no or idn or phone) and name:
            tries.append(("name", book.lookup("name", name)))
        for key, found in tries:
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                self.check.bad(
                    f"matches {len(found)} clients: {book.describe(found)}; add "
                    f"{columns.LABELS['client_no']} to say which",
                    row.line,
                    key,
                    v[key],
                )
                return None
        self.fresh -= 1
        return self.fresh

    def _stored_key_days(self) -> dict[tuple[int, str], list[tuple]]:
        out: dict[tuple[int, str], list[tuple]] = defaultdict(list)
        table, p = KeyDate._meta.table_name, database.param
        cols = "client_id, kind, calendar, month, day, leap, year"
        sql = f'SELECT {cols} FROM "{table}" WHERE kind IN ({p}, {p})'
        for cid, kind, cal, month, day, leap, year in database.execute_sql(sql, KEY_DAYS):
            out[(cid, kind)].append((cal, month, day, bool(leap), year))
        return {k: sorted(v) for k, v in out.items()}

    def write(self) -> set[int]:
        if len(self.new) < BULK_MIN:
            return self._write()
        with bulkload.BulkLoad((Client, SearchKey, KeyDate), BULK_ARRIVAL) as load:  # settings restored
            changed = self._write(load)
            load.finish()
        return changed

    def _write(self, load: bulkload.BulkLoad | None = None) -> set[int]:
        stamp = now().isoformat(" ")
        defaults = {**_defaults(Client, [*self.cols, *figures.DERIVED]), "created_at": stamp, "updated_at": stamp}
        names = ["id", *defaults]
        first = bulk.next_id(Client, len(self.new))
        real = {target: first + n for n, (target, _row) in enumerate(self.new)}
        slot = {c: names.index(c) for c in self.cols}
        base = list(defaults.values())
        keyed = [
            (real[target], row.values.get("name"), row.values.get("client_no"), row.values.get("phone"))
            for target, row in self.new
        ]
        behind = None
        if load is not None and load.joins_behind:  # the keys join in SQL while the rows are computed here
            load.client_keys(keyed)
            behind = load.join_keys_behind()
        try:
            rows = self._client_rows(names, base, real, slot)
        except BaseException:
            if behind is not None:
                behind.wait(cancel=True)
            raise
        if behind is not None:
            behind.wait()
        bulk.insert_rows(Client, names, rows)
        bulk.sync_sequence(Client)
        if load is not None and load.joins_keys:
            if behind is None:
                load.client_keys(keyed)  # joined by finish()
        else:
            bulk.insert_rows(SearchKey, ("key", "client"), sorted(figures.client_search_rows(keyed)))
        self._write_changes(stamp, real)
        return set(self.changes) | {cid for cid, _ in self.key_days if cid > 0}  # new clients are done

    def _client_rows(self, names: list[str], base: list[object], real: dict[int, int], slot: dict[str, int]) -> list:
        """The new clients' rows, in ``names`` order (no database use: it may run beside a join)."""
        derived_at = [names.index(c) for c in figures.DERIVED]
        rows = []
        for target, row in self.new:
            values = [real[target], *base]
            for c, v in row.values.items():
                i = slot.get(c)
                if i is not None:
                    values[i] = v if type(v) is str else _db(v)
            # A new client's stored figures come from this row alone: derive them now instead of a refresh.
            related = figures.Related(birthday=(target, "birthday") in self.key_days)
            kind = row.values.get("kind") or "individual"
            derived = figures.derive(kind, row.values, (), related, None, None, self.today, since=self.today)
            for i, value in zip(derived_at, figures.db_row(derived), strict=True):
                values[i] = value
            rows.append(values)
        return rows

    def _write_changes(self, stamp: str, real: dict[int, int]) -> None:
        """The changed clients and the key dates of every client of the file."""
        groups: dict[tuple[str, ...], list[tuple]] = defaultdict(list)
        for cid, changed in self.changes.items():
            cols = tuple(sorted(changed))
            groups[cols].append((*(changed[c] for c in cols), stamp, cid))
        for cols, params in groups.items():
            _update_many(Client, (*cols, "updated_at"), params)
        if replaced := [(cid, kd) for cid, kd in self.key_days if cid > 0]:
            p = database.param
            database.cursor().executemany(
                f'DELETE FROM "{KeyDate._meta.table_name}" WHERE client_id = {p} AND kind = {p}', replaced
            )
        bulk.insert_rows(
            KeyDate,
            ("client", "kind", "calendar", "month", "day", "leap", "year", "next_date"),
            (
                (real.get(cid, cid), kd, day.calendar, day.month, day.day, day.leap, day.year, _db(nxt))
                for (cid, kd), (day, nxt) in self.key_days.items()
            ),
        )


def _day_tuple(day: KeyDay) -> tuple:
    return (day.calendar, day.month, day.day, day.leap, day.year)


_RECORDS: dict[str, tuple[type, tuple[str, ...], tuple[str, ...]]] = {
    # model, identity (with the client), values
    "balances": (
        Balance,
        ("month",),
        ("aum", "deposits", "loans", "deposits_avg", "loans_cumulative", "risk_loans", "interest_receivable"),
    ),
    "holdings": (Holding, ("product", "maturity_date"), ("product_type", "amount", "start_date")),
}


class _RecordPlan:
    """Balances upsert on (client, month); holdings on (client, product, maturity date)."""

    def __init__(self, kind: str, rows: list[tabular.Row], check: tabular.Check, today: dt.date) -> None:
        self.model, self.ident, self.fields = _RECORDS[kind]
        book = _Book()
        self.created = self.updated = self.unchanged = 0
        planned: list[tuple[int, tabular.Row, tuple, dict[str, object]]] = []
        seen: dict[tuple, int] = {}
        for row in rows:
            cid = book.find(row, check) if row.usable(_BASE) else None
            if cid is None or not row.usable(("date", *self.ident)):
                continue
            if "date" in row.values:
                row.values["month"] = month_start(row.values.pop("date"))  # type: ignore[arg-type]
            values = {k: _db(v) for k, v in row.values.items()}
            key = (cid, *(values.get(k) for k in self.ident))
            if key in seen:
                what = "month" if kind == "balances" else "product and maturity date"
                check.bad(f"the same client, {what} as line {seen[key]}", row.line)
                continue
            seen[key] = row.line
            if not row.failed:
                planned.append((cid, row, key, values))
        stored = self._stored({p[0] for p in planned})
        self.new: list[dict[str, object]] = []
        self.changes: dict[int, tuple[int, dict[str, object]]] = {}
        for cid, _row, key, values in planned:
            if key not in stored:
                self.new.append({"client": cid, **values})
                self.created += 1
                continue
            rid, old = stored[key]
            changed = {f: values[f] for f in self.fields if f in values and old.get(f) != values[f]}
            if changed:
                self.changes[rid] = (cid, changed)
                self.updated += 1
            else:
                self.unchanged += 1

    def _stored(self, cids: set[int]) -> dict[tuple, tuple[int, dict[str, object]]]:
        meta = self.model._meta
        names = ["id", "client_id", *self.ident, *self.fields]
        dates = {n for n in names if isinstance(meta.fields.get(n), DateField)}
        out = {}
        ids = sorted(cids)
        for start in range(0, len(ids), CHUNK):
            part = ids[start : start + CHUNK]
            sql = (
                f'SELECT {", ".join(names)} FROM "{meta.table_name}" '
                f"WHERE client_id IN ({', '.join([database.param] * len(part))})"
            )
            for row in database.execute_sql(sql, part):
                rec = {n: str(v)[:10] if n in dates and v is not None else v for n, v in zip(names, row, strict=True)}
                out[(rec["client_id"], *(rec[k] for k in self.ident))] = (rec["id"], rec)
        return out

    def write(self) -> set[int]:
        defaults = _defaults(self.model, ("client", *self.ident, *self.fields))
        cols = list(defaults)
        bulk.insert_rows(self.model, cols, (tuple({**defaults, **rec}.get(c) for c in cols) for rec in self.new))
        groups: dict[tuple[str, ...], list[tuple]] = defaultdict(list)
        for rid, (_cid, changed) in self.changes.items():
            names = tuple(sorted(changed))
            groups[names].append((*(changed[n] for n in names), rid))
        for names, params in groups.items():
            _update_many(self.model, names, params)
        return {int(r["client"]) for r in self.new} | {cid for cid, _ in self.changes.values()}  # type: ignore


def _defaults(model: type, keep: Iterable[str]) -> dict[str, object]:
    """Defaults in database form of the columns ``keep`` and of those that may not be NULL: the columns a
    bulk insert names (the others are left NULL; fewer columns insert faster)."""
    keep = set(keep)
    out: dict[str, object] = {}
    for f in model._meta.sorted_fields:
        value = f.default() if callable(f.default) else f.default
        if not f.primary_key and (f.name in keep or not f.null or value is not None):
            out[f.name] = _db(value)
    return out


def _update_many(model: type, names: Iterable[str], params: list[tuple]) -> None:
    meta = model._meta
    p = database.param
    sets = ", ".join(f'"{meta.fields[n].column_name}" = {p}' for n in names)
    database.cursor().executemany(f'UPDATE "{meta.table_name}" SET {sets} WHERE id = {p}', params)
