"""Reading a table a manager was handed: CSV (UTF-8 with or without BOM, GBK, GB18030 — detected, not guessed)
or XLSX, as a header and numbered rows (``read_table``); then, for an import, each row's cells checked and
converted against the columns that import recognises (``read_rows``). Anything unusable becomes a
``BadFile`` with a message, never a traceback.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from workbench.errors import BadFile, BadInput, Invalid, clipped
from workbench.rules import columns
from workbench.rules.columns import as_text
from workbench.rules.identity import id_checksum_ok

MAX_BYTES = 200 * 1024 * 1024
DELIMITERS = (",", "\t", ";", "|")  # the full-width comma (，) is text, never a delimiter
CHINESE_CODECS = ["gb18030", "gbk", "big5", "utf_8"]
_GB_FAMILY = {"gb18030", "gbk", "gb2312", "cp936", "hz", "euc_cn"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old binary Office files (.xls)
_ZIP_MAGIC = b"PK\x03\x04"
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
_EXCEL_TEXT = re.compile(r'^="(.*)"$', re.DOTALL)  # ="0571…", a way bank exports keep leading zeros
ENCODING_HINT = "pass --encoding (utf-8, gbk or gb18030)"
MAX_WARNINGS = 200


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[object]]]  # (line or sheet row as the user sees it, cells)
    encoding: str  # the codec the text was read with, or "xlsx"
    file: str
    header_line: int = 1
    notes: list[str] = field(default_factory=list)


def read_table(path: Path, encoding: str | None = None) -> Table:
    """Read a CSV or XLSX file; raise BadFile saying what is wrong with it."""
    path = Path(path)
    name = str(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise BadFile("is a folder, not a file", file=name)
        with open(path, "rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        raise BadFile("no such file", file=name) from None
    except PermissionError:
        raise BadFile("cannot read the file (permission denied)", file=name) from None
    except OSError as exc:
        raise BadFile(f"cannot read the file ({exc.strerror or exc})", file=name) from None
    if size > MAX_BYTES:
        raise BadFile(
            f"too large to import ({size / 1024 / 1024:.0f} MB; at most {MAX_BYTES // 1024 // 1024} "
            "MB): split it into smaller files",
            file=name,
        )
    if size == 0:
        raise BadFile("the file is empty", file=name)
    suffix = path.suffix.lower()
    if head.startswith(_OLE_MAGIC) or suffix == ".xls":
        raise BadFile(
            "an old Excel .xls file: open it in Excel or WPS and save it as .xlsx or as CSV (UTF-8), then import that",
            file=name,
        )
    if head.startswith(_ZIP_MAGIC) or suffix in (".xlsx", ".xlsm"):
        if not head.startswith(_ZIP_MAGIC):
            raise BadFile("named .xlsx but not an Excel workbook (damaged, or another kind of file)", file=name)
        return _read_xlsx(path, name)
    text, used = decode(path.read_bytes(), encoding, name)
    return _read_csv(text, used, name)


def decode(data: bytes, encoding: str | None, name: str | None = None) -> tuple[str, str]:
    """The text of a CSV file and the codec used: a BOM, else strict UTF-8, else charset detection."""
    if encoding:
        return _decode_as(data, encoding, name)
    if data.startswith(codecs.BOM_UTF8):
        return _decode_as(data, "utf-8-sig", name)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_as(data, "utf-16", name)
    if b"\x00" in data:
        raise BadFile("a binary file, not a CSV or XLSX table", file=name)
    try:
        return _checked_text(data.decode("utf-8"), name), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=CHINESE_CODECS).best()
    detected = best.encoding.lower() if best is not None else None
    if detected in _GB_FAMILY:
        return _decode_as(data, "gb18030", name)
    if detected == "big5":
        return _decode_as(data, "big5", name)
    raise BadFile(
        f"cannot tell which encoding this file uses (not UTF-8, GBK or GB18030); {ENCODING_HINT}, "
        "or save it as UTF-8 CSV or .xlsx",
        file=name,
    )


def _decode_as(data: bytes, encoding: str, name: str | None) -> tuple[str, str]:
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise BadFile(f"unknown encoding {encoding!r}; use utf-8, gbk or gb18030", file=name) from None
    if codec in _GB_FAMILY:
        codec = "gb18030"  # a superset of GBK and GB2312: the same text, and more characters
    if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise BadFile(
            f"not {codec} text: line {line} has bytes that cannot be read as {codec}; {ENCODING_HINT}",
            file=name,
        ) from None
    return _checked_text(text.removeprefix("\ufeff"), name), codec


def _checked_text(text: str, name: str | None) -> str:
    sample = text[:65536]
    if "\x00" in sample or len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise BadFile("a binary file, not a CSV or XLSX table", file=name)
    return text


def sniff_delimiter(text: str) -> str:
    """The delimiter the header line uses most (comma, tab, semicolon or bar); comma for a single column."""
    for line in text.splitlines():
        if line.strip():
            outside = re.sub(r'"[^"]*"', "", line)
            counts = {d: outside.count(d) for d in DELIMITERS}
            best = max(DELIMITERS, key=lambda d: counts[d])
            return best if counts[best] else ","
    return ","


def _cell(value: str) -> str:
    value = value.strip()
    if value.startswith('="'):
        m = _EXCEL_TEXT.match(value)
        return m.group(1).strip() if m else value
    return value


def _read_csv(text: str, encoding: str, name: str) -> Table:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    headers: list[str] | None = None
    header_line = 1
    rows: list[tuple[int, list[object]]] = []
    previous_end = 0
    try:
        for record in reader:
            start, previous_end = previous_end + 1, reader.line_num
            cells = [_cell(c) for c in record]
            if not any(cells):
                continue
            if headers is None:
                headers, header_line = [str(c) for c in cells], start
            else:
                rows.append((start, list(cells)))
    except csv.Error as exc:
        raise BadFile(f"line {reader.line_num}: cannot be read as CSV ({exc})", file=name) from None
    if headers is None:
        raise BadFile("the file is empty (no header, no rows)", file=name)
    return Table(headers=headers, rows=rows, encoding=encoding, file=name, header_line=header_line)


def _read_xlsx(path: Path, name: str) -> Table:
    try:
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged file; all mean the same to a user
        raise BadFile("not a readable Excel workbook (damaged, or not an .xlsx file)", file=name) from None
    try:
        for sheet in book.worksheets:
            found = _sheet_rows(sheet, name)
            if found:
                (header_line, headers), *rows = found
                table = Table(
                    headers=[as_text(h) for h in headers],
                    rows=rows,
                    encoding="xlsx",
                    file=name,
                    header_line=header_line,
                )
                if len(book.worksheets) > 1:
                    table.notes.append(f"read sheet {sheet.title!r} (the first with data)")
                return table
    finally:
        book.close()
    raise BadFile("the workbook has no data", file=name)


def _sheet_rows(sheet, name: str) -> list[tuple[int, list[object]]]:
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()  # some writers record wrong dimensions; read every row there is
    out: list[tuple[int, list[object]]] = []
    number = 0
    try:
        for row in sheet.iter_rows():
            number = next((c.row for c in row if getattr(c, "row", None)), number + 1)
            values = [_xlsx_value(c.value) for c in row]
            if any(v not in (None, "") for v in values):
                out.append((number, values))
    except Exception as exc:  # a damaged sheet
        raise BadFile(f"sheet {sheet.title!r} cannot be read ({type(exc).__name__}: {exc})", file=name) from None
    return out


def _xlsx_value(value: object) -> object:
    if isinstance(value, str):
        return _cell(value)
    return value


@dataclass
class Row:
    """A data row read for an import."""

    line: int
    values: dict[str, object]  # field -> parsed value, for non-empty cells only
    failed: set[str]  # fields whose cell was refused: the row is only checked for duplicates

    def usable(self, fields: Iterable[str]) -> bool:
        return not self.failed.intersection(fields)


@dataclass
class Check:
    """Problems and warnings gathered over the whole file."""

    file: str
    headers: dict[str, str]  # field -> its header as written in the file
    problems: list[BadInput] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    extra_warnings: int = 0

    def bad(self, why: str | Invalid, line: int, fld: str | None = None, value: object = None) -> None:
        self.problems.append(BadInput(why, file=self.file, line=line, column=self.headers.get(fld or ""), value=value))

    def warn(self, why: str, line: int | None = None, fld: str | None = None, value: object = None) -> None:
        if len(self.warnings) >= MAX_WARNINGS:
            self.extra_warnings += 1
            return
        self.warnings.append(BadInput(why, line=line, column=self.headers.get(fld or ""), value=value).message())


@dataclass
class Rows:
    """A file read for an import: the table, its rows, and what was found wrong with them."""

    table: Table  # its cells dropped once read
    rows: list[Row]
    check: Check
    count: int  # data rows in the file


def read_rows(kind: str, path: Path, encoding: str | None, today: dt.date) -> Rows:
    """Read a file for an import of ``kind`` (clients, balances, holdings): its header must name the columns
    that import needs; every cell is checked and converted (problems gathered in ``check``, not raised)."""
    table = read_table(path, encoding)
    match = columns.match_headers(kind, table.headers)
    found = str(clipped(", ".join(h for h in table.headers if h), 200)) or "(nothing)"
    if not match.columns:
        example = ", ".join(columns.LABELS[f] for group in columns.REQUIRED[kind] for f in group)
        raise BadFile(
            f"no recognisable header on line {table.header_line} (found: {found}); "
            f"the first line must name the columns, e.g. {example}",
            file=table.file,
        )
    missing = columns.missing_columns(kind, match.columns)
    if missing:
        raise BadFile(
            f"missing column {'; '.join(missing)} (the header on line {table.header_line} has: {found})",
            file=table.file,
        )
    check = Check(table.file, {f: table.headers[i] for f, i in match.columns.items()})
    for note in table.notes:
        check.warn(note)
    if match.unknown:
        check.warn(f"columns not imported (not recognised): {', '.join(match.unknown)}")
    for ignored, used in match.repeated:
        check.warn(f"column {ignored} means the same as {used}; using {used}")
    rows = _parse_rows(kind, table, match, check, today)
    count, table.rows = len(table.rows), []  # the cells are not needed any more: free them
    return Rows(table, rows, check, count)


def _parse_rows(kind: str, table: Table, match: columns.HeaderMatch, check: Check, today: dt.date) -> list[Row]:
    """Every cell checked and converted. A bad cell is reported and its row marked: such rows are still
    matched against the others (to report duplicates) but never written.

    The loop runs once per cell of a file of 100,000 rows: what does not change from row to row (the parser
    of each column, which columns hold birthdays) is looked up once, before it."""
    types = columns.column_types(kind)
    width = len(table.headers)
    plan = [
        (f, i, columns.cell_parser(types[f], match.units[f]))
        for f, i in match.columns.items()
        if f not in columns.KEY_DAYS
    ]
    day_columns = [(kd, match.columns[kd], f"{kd}_calendar") for kd in columns.KEY_DAYS if kd in match.columns]
    parse_key_day = columns.parse_key_day
    next_dates: dict[tuple, dt.date | None] = {}  # the same day of the year falls on the same date
    bad, warn, checksum_ok = check.bad, check.warn, id_checksum_ok
    out = []
    append = out.append
    for line, cells in table.rows:
        count = len(cells)
        if count > width and any(not columns.is_blank(c) for c in cells[width:]):
            bad(f"{count} cells but the header has {width} (a comma inside an unquoted value?)", line)
            continue
        values: dict[str, object] = {}
        failed: set[str] = set()
        for fld, index, parse in plan:
            if index >= count:
                continue
            cell = cells[index]
            if cell is None or cell == "" or (type(cell) is str and cell.isspace()):
                continue
            try:
                values[fld] = parse(cell)
            except ValueError as exc:
                bad(exc, line, fld, cell)
                failed.add(fld)
        for kd, index, calendar in day_columns:
            if index >= count:
                continue
            cell = cells[index]
            if cell is None or cell == "" or (type(cell) is str and cell.isspace()):
                continue
            try:
                day = parse_key_day(kd, cell, values.get(calendar))  # type: ignore[arg-type]
                when = (day.calendar, day.month, day.day, day.leap)
                if when not in next_dates:
                    next_dates[when] = day.next_date(today)
                values[kd] = (day, next_dates[when])
            except ValueError as exc:
                bad(exc, line, kd, cell)
                failed.add(kd)
        idn = values.get("id_number")
        if isinstance(idn, str) and checksum_ok(idn) is False:
            warn("ID checksum does not match", line, "id_number", idn)
        append(Row(line, values, failed))
    return out
