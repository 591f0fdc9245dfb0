"""Data ownership: the clients as a spreadsheet (CSV, XLSX, JSON) and the whole book as one JSON document.

Exported files are owner-only (0600) and written to a temporary file beside the target, then renamed, so a
failed export never leaves half a file. Spreadsheet cells are safe to open: text that a spreadsheet would
run as a formula gets a leading apostrophe, and control characters (escape sequences) are dropped.
``export_all``/``import_all`` round-trip every table exactly, primary keys included.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import secrets
import sqlite3
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import peewee

from workbench import paths
from workbench.errors import BadFile, BadInput, Conflict
from workbench.rules import identity, profile
from workbench.rules.lunar import LunarDay
from workbench.rules.tiers import TIER_NAMES_ZH
from workbench.store import bulk, db, fulltext, migrations
from workbench.store.models import MODELS, Client, KeyDate, Meta, MoneyField, SearchDoc, SearchKey, database

FORMATS = ("csv", "xlsx", "json")
BOOK_FORMAT, BOOK_VERSION = "workbench-book", 1

# ── Cell hygiene ─────────────────────────────────────────────────────────────────────────────────────────
# C0 controls but tab, newline and carriage return; DEL; C1 controls (0x9b is the 8-bit CSI); bidi overrides.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters json leaves raw with ensure_ascii=False that a terminal or an editor may act on.
_JSON_RAW = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def clean_text(text: str) -> str:
    """Stored text for a file: the words kept, control characters (and so escape sequences) dropped."""
    return _CONTROLS.sub("", text)


def cell_text(text: str) -> str:
    """A text cell for CSV/XLSX: cleaned, and never taken for a formula (leading apostrophe)."""
    out = clean_text(text)
    return "'" + out if out.startswith(_FORMULA_START) else out


def _json_line(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


# ── Writing files safely ─────────────────────────────────────────────────────────────────────────────────
def _write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Write with ``write(tmp)`` into a private temporary file beside ``path``, then rename it into place."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise BadInput("is a directory; give a file name", file=str(path))
    tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
    try:
        paths.private_dir(path.parent)
        paths.private_file(tmp)
        write(tmp)
        os.chmod(tmp, paths.FILE_MODE)
        os.replace(tmp, path)
    except OSError as exc:
        raise BadInput(f"cannot write the file ({exc.strerror or exc})", file=str(path)) from None
    finally:
        if tmp.exists():
            tmp.unlink()


# ── Clients as a spreadsheet ─────────────────────────────────────────────────────────────────────────────
TEXT, MONEY, INT, DATE = "text", "money", "int", "date"
_ZH = {  # values the spreadsheets show in Chinese (JSON keeps the keys)
    "kind": {"individual": "个人", "corporate": "对公"},
    "trend": {"rising": "上升", "flat": "持平", "falling": "下降"},
    "tier": TIER_NAMES_ZH,
    "birthday_calendar": {"lunar": "农历", "solar": "公历"},
    "anniversary_calendar": {"lunar": "农历", "solar": "公历"},
}
_FIRST = ("client_no", "name", "kind", "id_number", "phone", "gender")
# fmt: off
_HEADERS = {"client_no": "客户号", "name": "客户名称", "kind": "客户类型", "id_number": "证件号码",
            "phone": "手机号码", "birthday": "出生日期", "birthday_calendar": "生日历法",
            "anniversary": "结婚纪念日", "anniversary_calendar": "纪念日历法"}
_FIGURES = (("tier", "层级", TEXT), ("aum", "金融资产", MONEY), ("trend", "趋势", TEXT),
            ("last_contact", "上次联系", DATE), ("next_due", "下次联系", DATE),
            ("completeness", "完整度", INT))
# fmt: on


def client_columns() -> list[tuple[str, str, str]]:
    """(key, Chinese header, cell kind) of the clients export, in order: headers `wb import clients` reads."""
    kinds = {"int": INT, "money": MONEY}
    cols = [(n, _HEADERS.get(n) or profile.BY_NAME[n].zh, TEXT) for n in _FIRST]
    cols += [(n, _HEADERS[n], TEXT) for n in ("birthday", "birthday_calendar", "anniversary", "anniversary_calendar")]
    cols += [(f.name, f.zh, kinds.get(f.kind, TEXT)) for f in profile.COLUMN_FIELDS if f.name not in _FIRST]
    return cols + list(_FIGURES)


def _key_day_text(calendar: str, month: int, day: int, leap: bool, year: int | None) -> str:
    """A key date as the importer reads it: 1980-03-07, 农历1980年八月十五, 农历闰四月初八, 3月7日."""
    if calendar == "lunar":
        return "农历" + (f"{year}年" if year else "") + LunarDay(month, day, leap).label()
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"{month}月{day}日"


def _client_query(tier: str | None) -> peewee.ModelSelect:
    query = Client.select().order_by(Client.tier_rank.desc(), Client.aum.desc(), Client.sort_key, Client.id)
    if tier:
        from workbench.services.portfolio import tier_rank

        query = query.where(Client.tier_rank == tier_rank(tier))
    return query


def _client_records(query: peewee.ModelSelect, reveal: bool, zh: bool) -> Iterator[dict[str, object]]:
    """One dict per client (keys from ``client_columns``), values as Python objects, text cleaned."""
    key_days: dict[tuple[int, str], tuple[str, str]] = {}
    wanted = [getattr(KeyDate, n) for n in ("client", "kind", "calendar", "month", "day", "leap", "year")]
    dates = KeyDate.select(*wanted).where(KeyDate.kind.in_(("birthday", "anniversary"))).order_by(KeyDate.id)
    for cid, kind, cal, month, day, leap, year in dates.tuples():
        key_days.setdefault((cid, kind), (_key_day_text(cal, month, day, bool(leap), year), cal))
    columns = client_columns()
    for client in query.iterator():
        rec: dict[str, object] = {key: getattr(client, key, None) for key, _h, _k in columns}
        rec["phone"] = (client.phone or "") if reveal else identity.mask_phone(client.phone)
        rec["id_number"] = (client.id_number or "") if reveal else identity.mask_id(client.id_number)
        rec["birthday"], rec["birthday_calendar"] = key_days.get((client.id, "birthday"), (None, None))
        rec["anniversary"], rec["anniversary_calendar"] = key_days.get((client.id, "anniversary"), (None, None))
        for key, names in _ZH.items() if zh else ():
            rec[key] = names.get(rec[key], rec[key])  # type: ignore[call-overload]
        yield {k: clean_text(v) if isinstance(v, str) else v for k, v in rec.items()}


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _csv_cell(value: object, kind: str) -> str:
    if value is None:
        return ""
    if kind == MONEY:
        return f"{Decimal(value):.2f}"  # type: ignore[arg-type]
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value) if _is_number(value) else cell_text(str(value))


def _write_csv(tmp: Path, records: Iterator[dict[str, object]], columns: list[tuple[str, str, str]]) -> int:
    count = 0
    with paths.open_private(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([h for _k, h, _t in columns])
        for count, rec in enumerate(records, 1):  # noqa: B007 - the count is the result
            writer.writerow([_csv_cell(rec[k], kind) for k, _h, kind in columns])
    return count


def _write_xlsx(tmp: Path, records: Iterator[dict[str, object]], columns: list[tuple[str, str, str]]) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("客户")
    sheet.append([h for _k, h, _t in columns])

    def cell(value: object, kind: str) -> object:
        if value is None or (_is_number(value) and kind != MONEY):
            return value
        if kind == MONEY or isinstance(value, dt.date):
            out = WriteOnlyCell(sheet, value=Decimal(value) if kind == MONEY else value)  # type: ignore[arg-type]
            out.number_format = "#,##0.00" if kind == MONEY else "yyyy-mm-dd"
            return out
        out = WriteOnlyCell(sheet, value=cell_text(str(value)))
        out.data_type = "s"  # text, never a formula
        return out

    count = 0
    for count, rec in enumerate(records, 1):  # noqa: B007
        sheet.append([cell(rec[k], kind) for k, _h, kind in columns])
    workbook.save(tmp)
    return count


def _json_value(value: object, kind: str) -> object:
    if value is not None and kind == MONEY:
        return f"{Decimal(value):.2f}"  # type: ignore[arg-type]
    return value.isoformat() if isinstance(value, dt.date) else value


def _write_json_clients(tmp: Path, records: Iterator[dict[str, object]], columns: list[tuple[str, str, str]]) -> int:
    count = 0
    with paths.open_private(tmp, "w", encoding="utf-8") as fh:
        fh.write("[")
        for count, rec in enumerate(records, 1):
            item = {k: _json_value(rec[k], kind) for k, _h, kind in columns}
            fh.write(("," if count > 1 else "") + "\n" + _json_line(item))
        fh.write("\n]\n")
    return count


def export_format(path: Path, fmt: str | None) -> str:
    """The format asked for, else the one the file name says; BadInput when neither is known."""
    if fmt:
        chosen = fmt.strip().lower().lstrip(".")
        if chosen not in FORMATS:
            raise BadInput(f"unknown format; one of: {', '.join(FORMATS)}", column="--format", value=fmt)
        return chosen
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    raise BadInput("unknown format: name the file .csv, .xlsx or .json, or give --format", file=str(path))


def export_clients(path: Path, fmt: str | None = None, *, reveal: bool = False, tier: str | None = None) -> int:
    """Write the clients (one tier, or all) to ``path`` as CSV, XLSX or JSON; return how many.

    CSV and XLSX carry the Chinese headers ``wb import clients`` reads; JSON uses the field names and keys
    (``kind: "individual"``, ``tier: "black"``), money as decimal strings, dates ISO.
    """
    path = Path(path)
    chosen = export_format(path, fmt)
    query = _client_query(tier)
    if reveal:
        from workbench.services import audit

        audit.record("reveal.export", f"{path} ({chosen}{', tier ' + tier if tier else ''})")
    writer = {"csv": _write_csv, "xlsx": _write_xlsx, "json": _write_json_clients}[chosen]
    counted: list[int] = []

    def write(tmp: Path) -> None:
        with _read_snapshot():
            counted.append(writer(tmp, _client_records(query, reveal, zh=chosen != "json"), client_columns()))

    _write_atomically(path, write)
    return counted[0]


def _read_snapshot() -> Any:
    """One consistent view of the book while a file is written (SQLite: a deferred read transaction)."""
    if isinstance(database.obj, peewee.SqliteDatabase):
        return database.atomic(lock_type="DEFERRED")
    return database.atomic()


# ── The whole book ───────────────────────────────────────────────────────────────────────────────────────
def book_models() -> list[type[peewee.Model]]:
    """Every table of the book but ``meta`` and the search index (rebuilt on import), parents before children."""
    return [m for m in peewee.sort_models(MODELS) if m not in (Meta, SearchDoc)]


def _to_json(field: peewee.Field, value: object) -> object:
    """A column value in the file: cents for money, ISO text for dates, the value itself otherwise."""
    if value is None:
        return None
    if isinstance(field, MoneyField):
        return field.db_value(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def export_all(path: Path) -> dict[str, int]:
    """The whole book as one JSON document (every table, column and primary key); rows per table."""
    counts: dict[str, int] = {}
    header = {"format": BOOK_FORMAT, "version": BOOK_VERSION}
    header["schema_version"] = migrations.current_version(database.obj)
    header["exported_at"] = dt.datetime.now().replace(microsecond=0).isoformat()
    from workbench.services import audit  # the export carries every number in clear: recorded, and in it

    audit.record("export.all", str(path))

    def write(tmp: Path) -> None:
        with _read_snapshot(), paths.open_private(tmp, "w", encoding="utf-8") as fh:
            fh.write(_json_line(header)[:-1] + ',"tables":{')
            for t, model in enumerate(book_models()):
                fields = model._meta.sorted_fields
                names = [f.name for f in fields]
                fh.write(("," if t else "") + "\n" + _json_line(model._meta.table_name) + ":[")
                n = 0
                query = model.select(*fields).order_by(*_order(model)).tuples()
                for row in query.iterator():
                    item = {name: _to_json(f, v) for name, f, v in zip(names, fields, row, strict=True)}
                    fh.write(("," if n else "") + "\n" + _json_line(item))
                    n += 1
                fh.write("]")
                counts[model._meta.table_name] = n
            fh.write("}}\n")

    _write_atomically(Path(path), write)
    return counts


def _order(model: type[peewee.Model]) -> list[peewee.Field]:
    pk = model._meta.primary_key
    if isinstance(pk, peewee.CompositeKey):
        return [model._meta.fields[n] for n in pk.field_names]
    return [pk]


_JSON_TYPES = (
    (peewee.BooleanField, bool, "true/false"),
    (peewee.FloatField, int | float, "a number"),
    (peewee.IntegerField, int, "a whole number"),  # money too: whole cents
    (peewee.ForeignKeyField, int, "an id"),
)


def _from_json(field: peewee.Field, value: object, where: str) -> object:
    """A value from the file in database form; BadFile naming the table, row and column when it is wrong."""
    if value is None:
        if field.null or isinstance(field, peewee.AutoField):
            return None
        raise BadFile(f"{where}: {field.name} cannot be empty")
    try:
        if isinstance(field, peewee.DateTimeField | peewee.DateField):
            kind = dt.datetime if isinstance(field, peewee.DateTimeField) else dt.date
            return field.db_value(kind.fromisoformat(value))  # type: ignore[arg-type]
        want, what = next(((t, w) for f, t, w in _JSON_TYPES if isinstance(field, f)), (str, "text"))
        if not isinstance(value, want) or (isinstance(value, bool) and want is not bool):
            raise ValueError(f"not {what}")
        return float(value) if isinstance(field, peewee.FloatField) else value  # type: ignore[arg-type]
    except (ValueError, TypeError) as exc:
        raise BadFile(f"{where}: {field.name} = {str(value)[:40]!r}: {exc}") from None


def _default(field: peewee.Field) -> object:
    default = field.default
    value = default() if callable(default) else default
    return None if value is None else field.db_value(value)


def _load(path: Path) -> dict[str, Any]:
    name = str(path)
    try:
        with open(path, "rb") as fh:
            doc = json.loads(fh.read().decode("utf-8-sig"))
    except FileNotFoundError:
        raise BadFile("no such file", file=name) from None
    except IsADirectoryError:
        raise BadFile("is a directory, not a file", file=name) from None
    except OSError as exc:
        raise BadFile(f"cannot read the file ({exc.strerror})", file=name) from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BadFile("not JSON, so not a `wb export all` file", file=name) from None
    if not isinstance(doc, dict) or doc.get("format") != BOOK_FORMAT:
        raise BadFile("not a Workbench book export (made by `wb export all`)", file=name)
    if doc.get("version") != BOOK_VERSION:
        raise BadFile(f"export format version {doc.get('version')!r} unknown here; upgrade Workbench", file=name)
    schema = doc.get("schema_version")
    if isinstance(schema, bool) or not isinstance(schema, int) or schema < 1:
        raise BadFile("the export has no valid schema_version", file=name)
    if schema > migrations.LATEST:
        raise BadFile(f"exported by a newer Workbench (schema {schema}); upgrade Workbench", file=name)
    tables = doc.get("tables")
    if not isinstance(tables, dict):
        raise BadFile("the export has no tables", file=name)
    known = {m._meta.table_name for m in book_models()}
    unknown = sorted(set(tables) - known)
    if unknown:
        raise BadFile(f"unknown tables in the export: {', '.join(unknown)}", file=name)
    for table, rows in tables.items():
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise BadFile(f"table {table}: not a list of rows", file=name)
    return doc


def _rows(model: type[peewee.Model], rows: list[dict[str, Any]], name: str) -> Iterator[list[object]]:
    fields = model._meta.sorted_fields
    known = {f.name for f in fields}
    table = model._meta.table_name
    for i, row in enumerate(rows, 1):
        where = f"{name}: table {table}, row {i}"
        extra = set(row) - known
        if extra:
            raise BadFile(f"{where}: unknown columns {', '.join(sorted(extra))}")
        missing = [f.name for f in fields if f.name not in row and not _optional(f)]
        if missing:
            raise BadFile(f"{where}: missing columns {', '.join(missing)}")
        yield [_from_json(f, row[f.name], where) if f.name in row else _default(f) for f in fields]


def _optional(field: peewee.Field) -> bool:
    """A column an older export may lack: it has a default, may be empty, or is a generated id."""
    return field.default is not None or field.null or isinstance(field, peewee.AutoField)


def _is_empty() -> bool:
    return not any(m.select().limit(1).exists() for m in book_models())


def import_all(path: Path) -> dict[str, int]:
    """Read a ``wb export all`` file into an empty book, in one transaction; counts per table."""
    path = Path(path)
    doc = _load(path)
    if not _is_empty():
        raise Conflict("the book is not empty: `wb import all` fills an empty book only (use a new --db)")
    counts: dict[str, int] = {}
    tables = doc["tables"]
    try:
        with db.transaction():
            for model in book_models():
                table = model._meta.table_name
                fields = model._meta.sorted_fields
                rows = tables.get(table, [])
                names = [f.name for f in fields]
                counts[table] = bulk.insert_rows(model, names, _rows(model, rows, str(path)))
            if "search_key" not in tables:
                from workbench.services.figures import write_keys

                write_keys(Client.select(Client.id, Client.name, Client.client_no, Client.phone).tuples())
                counts["search_key"] = SearchKey.select().count()
            fulltext.rebuild()
            _reset_sequences()
    except (Conflict, *_driver_errors()) as exc:  # the store reports constraint errors as Conflict
        why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise BadFile(f"the export is inconsistent ({why}); nothing was imported", file=str(path)) from None
    return counts


def _driver_errors() -> tuple[type[Exception], ...]:
    """Constraint and data errors as peewee and the driver (used directly by bulk inserts) raise them."""
    errors: list[type[Exception]] = [peewee.IntegrityError, peewee.DataError, sqlite3.IntegrityError]
    if isinstance(database.obj, peewee.PostgresqlDatabase):
        import psycopg

        errors += [psycopg.IntegrityError, psycopg.DataError]
    return tuple(errors)


def _reset_sequences() -> None:
    """PostgreSQL: move each id sequence past the ids just inserted (SQLite needs nothing)."""
    for model in book_models():
        if isinstance(model._meta.primary_key, peewee.AutoField):
            bulk.sync_sequence(model)
