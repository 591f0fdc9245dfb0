"""Backups of the SQLite book: made online and checked before they count, restored only when sound, rotated
daily. The book being replaced is always kept aside first. Every file here is owner-only (0600).

PostgreSQL books are backed up with the server's own tools (pg_dump); only ``check`` works on both.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import secrets
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import peewee

from workbench import paths
from workbench.errors import BadFile, Conflict, StoreError
from workbench.store import db, lite, migrations
from workbench.store.db import Book
from workbench.store.models import MODELS, Meta, SearchKey, database

PREFIX, ASIDE_PREFIX, SUFFIX = "workbench-", "before-restore-", ".sqlite3"
# Names backup() gives in the backups folder, rotated by auto_backup (-o files and before-restore-* never).
_DATED = re.compile(r"^workbench-(\d{4}-\d{2}-\d{2})T\d{6}(?:-\d+)?\.sqlite3$")


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    detail: str
    counts: dict[str, int] = field(default_factory=dict)  # rows per table: clients, contacts, notes…

    def as_json(self) -> dict[str, object]:
        return {"ok": self.ok, "detail": self.detail, **self.counts}


def _sqlite_path(book: Book, what: str) -> Path:
    if book.backend != "sqlite" or book.path is None:
        raise StoreError(
            f"{what} replaces a whole SQLite book; on PostgreSQL, `wb import all FILE` reads a `wb backup` into an "
            "empty book, and the server's owner restores the database itself (pg_restore)"
        )
    return book.path


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H%M%S")


def _free_name(folder: Path, stem: str, suffix: str = SUFFIX) -> Path:
    """``folder/stem.sqlite3``, or ``stem-2.sqlite3``… when that exists (two backups in one second)."""
    candidate, n = folder / f"{stem}{suffix}", 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{stem}-{n}{suffix}"
    return candidate


def _remove(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):  # (-o under a file: never made)
            Path(str(path) + suffix).unlink()


def counts() -> dict[str, int]:
    """Rows per table of the open book, with plural keys: clients, balances, key_dates…"""
    return {f"{m._meta.table_name}s": m.select().count() for m in MODELS if m not in (Meta, SearchKey)}


# ── Backup ───────────────────────────────────────────────────────────────────────────────────────────────
def _copy_database(source: Path, target: Path) -> None:
    """An online, consistent copy of ``source`` in ``target`` (one file, no WAL), by SQLite's backup API."""
    src = sqlite3.connect(str(source), timeout=db.BUSY_TIMEOUT_MS / 1000)
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # the copy is one self-contained file
        finally:
            dst.close()
    finally:
        src.close()


def _backup_to(source: Path, final: Path) -> Path:
    tmp = final.parent / f".{final.name}.{secrets.token_hex(4)}.tmp"
    try:
        paths.private_file(tmp)
        _copy_database(source, tmp)
        verdict = db.integrity_check(tmp)
        if verdict != "ok":
            raise StoreError(
                f"{source}: the backup copy failed its integrity check ({verdict}); no backup was kept — run `wb check`"
            )
        paths.tighten(tmp)
        os.replace(tmp, final)
    except sqlite3.Error as exc:
        raise db.translate(exc, source) from None
    except OSError as exc:
        raise StoreError(f"{final}: cannot write the backup ({exc.strerror or exc})") from None
    finally:
        _remove(tmp)
    paths.tighten(final)
    return final


def _backup_export(book: Book, out: Path | None, moment: dt.datetime) -> Path:
    """On PostgreSQL: the rows this role may read, as the whole-book JSON (``wb import all`` reads it into an
    empty book, SQLite or PostgreSQL). The server's own backup (pg_dump) is its owner's; this one is the
    manager's copy of their own book."""
    from workbench.services import export

    if out is not None and Path(out).expanduser().is_dir():
        out = _free_name(Path(out).expanduser(), PREFIX + _stamp(moment), ".json")
    elif out is None:
        name = book.target.rsplit("/", 1)[-1].split("?", 1)[0] or "book"
        folder = paths.private_dir(paths.data_dir() / "backups" / f"postgresql-{name}")
        out = _free_name(folder, PREFIX + _stamp(moment), ".json")
    out = Path(out).expanduser()
    if out.exists():
        raise Conflict(f"{out}: already exists; choose another file name (a backup never overwrites)")
    export.export_all(out)
    return out


def _backup(book: Book, out: Path | None, moment: dt.datetime) -> Path:
    if book.backend == "postgresql":
        return _backup_export(book, out, moment)
    source = _sqlite_path(book, "backup")
    if out is not None:
        out = Path(out).expanduser()
        if out.is_dir():
            return _backup_to(source, _free_name(out, PREFIX + _stamp(moment)))
        if out.exists():
            raise Conflict(f"{out}: already exists; choose another file name (a backup never overwrites)")
        try:
            paths.private_dir(out.parent)
        except OSError as exc:
            raise StoreError(f"{out.parent}: cannot create the folder ({exc.strerror or exc})") from None
        return _backup_to(source, out)
    folder = paths.private_dir(paths.backups_dir(source))
    return _backup_to(source, _free_name(folder, PREFIX + _stamp(moment)))


def backup(book: Book, out: Path | None = None) -> Path:
    """Copy the open book into the backups folder (or ``out``), check the copy, and return where it is."""
    return _backup(book, out, dt.datetime.now())


def auto_backup(book: Book, keep: int | None = None, today: dt.date | None = None) -> Path | None:
    """Make today's backup unless there is one; keep the newest ``keep`` dated ones (the settings'
    ``backup.keep``, 7 by default). Nothing when the settings say ``backup.auto = false``. Returns the new one."""
    from workbench.services import config

    if book.backend != "sqlite" or book.path is None or not config.get("backup.auto"):
        return None
    keep = keep if keep is not None else int(config.get("backup.keep"))  # type: ignore[call-overload]
    if today is None:
        from workbench.services.settings import today as settings_today

        today = settings_today()
    folder = paths.backups_dir(book.path)
    dated = _dated_backups(folder)
    made = None
    if not any(day == today for day, _ in dated):
        moment = dt.datetime.combine(today, dt.datetime.now().time())
        made = _backup(book, None, moment)
        dated = _dated_backups(folder)
    for _day, old in dated[: max(0, len(dated) - max(keep, 1))]:
        old.unlink(missing_ok=True)
    return made


def _dated_backups(folder: Path) -> list[tuple[dt.date, Path]]:
    """The dated backups in ``folder``, oldest first."""
    if not folder.is_dir():
        return []
    found = []
    for entry in folder.iterdir():
        m = _DATED.match(entry.name)
        if m and entry.is_file():
            try:
                found.append((dt.date.fromisoformat(m.group(1)), entry))
            except ValueError:
                continue
    return sorted(found, key=lambda item: item[1].name)


# ── Restore ──────────────────────────────────────────────────────────────────────────────────────────────
def _vet(candidate: Path, name: str) -> None:
    """Refuse (BadFile) a copy that is not a sound Workbench book this version can open."""
    try:
        conn = sqlite3.connect(str(candidate))
        try:
            conn.execute("PRAGMA journal_mode=DELETE")  # folds in a -wal copied with it
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BadFile(f"not a usable SQLite database ({exc}); nothing was changed", file=name) from None
    verdict = db.integrity_check(candidate)
    if verdict != "ok":
        raise BadFile(f"the file is damaged (integrity check: {verdict}); nothing was changed", file=name)
    try:
        conn = sqlite3.connect(f"file:{candidate}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            row = None
            if "meta" in tables:
                row = conn.execute("SELECT value FROM meta WHERE key = ?", (migrations.VERSION_KEY,)).fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BadFile(f"cannot read the file ({exc}); nothing was changed", file=name) from None
    if row is None:
        raise BadFile(
            "an SQLite database, but not a Workbench book (no schema version); nothing was changed", file=name
        )
    try:
        version = int(row[0])
    except (TypeError, ValueError):
        raise BadFile(
            f"a Workbench book with an unreadable schema version {row[0]!r}; nothing was changed", file=name
        ) from None
    if version > migrations.LATEST:
        raise BadFile(
            f"written by a newer Workbench (schema {version}, this one knows {migrations.LATEST}); "
            "upgrade Workbench; nothing was changed",
            file=name,
        )


def _stage(file: Path, beside: Path) -> Path:
    """A private copy of ``file`` (and its -wal, if any) next to the book, vetted; the caller removes it."""
    name = str(file)
    if not file.exists():
        raise BadFile("no such file; nothing was changed", file=name)
    if not file.is_file():
        raise BadFile("not a file; nothing was changed", file=name)
    try:
        with open(file, "rb") as fh:
            head = fh.read(len(lite.SQLITE_MAGIC))
    except OSError as exc:
        raise BadFile(f"cannot read the file ({exc.strerror}); nothing was changed", file=name) from None
    if head != lite.SQLITE_MAGIC:
        raise BadFile("not a Workbench backup (not an SQLite database); nothing was changed", file=name)
    staged = beside.parent / f".{beside.name}.{secrets.token_hex(4)}.tmp"
    try:
        for suffix in ("", "-wal"):
            source = Path(str(file) + suffix)
            if suffix and not source.exists():
                continue
            target = Path(str(staged) + suffix)
            with open(source, "rb") as src, paths.open_private(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
        _vet(staged, name)
    except OSError as exc:
        _remove(staged)
        raise BadFile(f"cannot copy the file ({exc.strerror or exc}); nothing was changed", file=name) from None
    except BaseException:
        _remove(staged)
        raise
    return staged


def _put_aside(current: Path, aside: Path) -> None:
    os.replace(current, aside)
    paths.tighten(aside)
    wal = Path(str(current) + "-wal")
    if wal.exists():  # not folded in at close (another process had it open): it belongs with the aside copy
        os.replace(wal, Path(str(aside) + "-wal"))
        paths.tighten(Path(str(aside) + "-wal"))
    Path(str(current) + "-shm").unlink(missing_ok=True)


def restore(book: Book, file: Path) -> Path:
    """Replace the book with a backup; return where the previous book was kept. Refuses unsound files."""
    current = _sqlite_path(book, "restore")
    file = Path(file).expanduser()
    if file.exists() and current.exists() and file.resolve() == current.resolve():
        raise BadFile("that is the open book itself; nothing was changed", file=str(file))
    staged = _stage(file, current)
    try:
        folder = paths.private_dir(paths.backups_dir(current))
        aside = _free_name(folder, ASIDE_PREFIX + _stamp(dt.datetime.now()))
        _checkpoint()
        book.close()
        try:
            _put_aside(current, aside)
        except OSError as exc:
            db.open_database(str(current))
            raise StoreError(
                f"{current}: cannot move the book aside ({exc.strerror or exc}); nothing was changed"
            ) from None
        try:
            os.replace(staged, current)
            paths.tighten(current)
            reopened = db.open_database(str(current))
        except BaseException as exc:
            _remove(current)  # the copy that failed; put the previous book back where it was
            os.replace(aside, current)
            if Path(str(aside) + "-wal").exists():
                os.replace(Path(str(aside) + "-wal"), Path(str(current) + "-wal"))
            db.open_database(str(current))
            if isinstance(exc, OSError):
                raise StoreError(
                    f"{current}: cannot put the backup in place ({exc.strerror or exc}); the book is unchanged"
                ) from None
            raise
    finally:
        _remove(staged)
    book.warnings[:] = reopened.warnings
    return aside


def _checkpoint() -> None:
    """Fold the WAL into the database file so the file moved aside is the whole book."""
    try:
        if not database.is_closed():
            database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except peewee.PeeweeException as exc:
        raise db.translate(exc) from None


# ── Check ────────────────────────────────────────────────────────────────────────────────────────────────
def check(book: Book) -> CheckResult:
    """Integrity (SQLite's integrity and foreign-key checks) and the rows in each table."""
    try:
        rows = counts()
    except peewee.PeeweeException as exc:
        return CheckResult(False, str(db.translate(exc, book.target)), {})
    if book.backend != "sqlite" or book.path is None:
        return CheckResult(True, "PostgreSQL: the server keeps integrity; counts only", rows)
    verdict = db.integrity_check(book.path)
    if verdict != "ok":
        return CheckResult(False, f"integrity check: {verdict} — restore a backup with `wb restore`", rows)
    try:
        problems = database.execute_sql("PRAGMA foreign_key_check").fetchall()
    except peewee.PeeweeException as exc:
        return CheckResult(False, str(db.translate(exc, book.path)), rows)
    if problems:
        tables = sorted({str(p[0]) for p in problems})
        return CheckResult(False, f"{len(problems)} rows point at missing records (in {', '.join(tables)})", rows)
    return CheckResult(True, "ok", rows)
