"""Where Workbench keeps things (database, backups, spool, config), and the permissions they get.

Only this module decides locations and modes: directories 0700, files 0600, whatever the umask.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from pathlib import Path

APP = "workbench"
DB_NAME = "workbench.sqlite3"
DIR_MODE = 0o700
FILE_MODE = 0o600


def data_dir() -> Path:
    if sys.platform.startswith("linux"):  # the XDG rule platformdirs applies, without importing it
        base = os.environ.get("XDG_DATA_HOME", "").strip() or os.path.expanduser("~/.local/share")
        return Path(base) / APP
    import platformdirs

    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def config_dir() -> Path:
    if sys.platform.startswith("linux"):
        base = os.environ.get("XDG_CONFIG_HOME", "").strip() or os.path.expanduser("~/.config")
        return Path(base) / APP
    import platformdirs

    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def default_db() -> Path:
    return data_dir() / DB_NAME


def database_target(option: str | None = None) -> str:
    """--db, else WORKBENCH_DB, else the default file."""
    return option or os.environ.get("WORKBENCH_DB", "").strip() or str(default_db())


_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(target: str) -> bool:
    """A URL (``scheme://…``), never a file path; only PostgreSQL's are opened (see is_postgres_url)."""
    return bool(_URL.match(target))


def is_postgres_url(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


def redact_url(url: str) -> str:
    """A URL for messages and files: never a password (``user:***@host``)."""
    if "@" in url and ":" in url.split("@", 1)[0].split("//", 1)[-1]:
        scheme, rest = url.split("//", 1)
        creds, host = rest.split("@", 1)
        return f"{scheme}//{creds.split(':', 1)[0]}:***@{host}"
    return url


def backups_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def private_dir(path: Path) -> Path:
    """Create a directory (and missing parents) owner-only; tighten it if it exists and is ours."""
    missing = []
    p = path
    while not p.exists():
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        d.mkdir(mode=DIR_MODE)
        os.chmod(d, DIR_MODE)
    with contextlib.suppress(PermissionError):
        if path.stat().st_uid == os.getuid() and path.stat().st_mode & 0o077 and path.name in (APP, "backups"):
            os.chmod(path, DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create the file if missing (0600 from its first byte) and make sure it is 0600."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    os.close(fd)
    os.chmod(path, FILE_MODE)
    return path


def tighten(path: Path) -> None:
    """Make an existing file 0600 (used for -wal/-shm files SQLite creates, backups and exports)."""
    with contextlib.suppress(FileNotFoundError):
        os.chmod(path, FILE_MODE)


def write_private(path: Path, data: str | bytes) -> None:
    """Write a whole file nobody else can read (-o of a command). A place that cannot be written is said,
    naming it, as bad input: a folder, a path under a file, a missing or read-only folder."""
    from workbench.errors import BadInput

    try:
        with open_private(path, "wb" if isinstance(data, bytes) else "w") as fh:
            fh.write(data)
    except IsADirectoryError:
        raise BadInput(f"{path}: a folder; give a file name") from None
    except OSError as exc:
        raise BadInput(f"{path}: cannot write here ({exc.strerror or exc})") from None


def replace_private(path: Path, data: bytes) -> None:
    """Write a whole file nobody else can read by renaming a finished copy over it: a reader (a sync client
    watching the folder, a web server) sees the old file or the new one, never half of one."""
    from workbench.errors import BadInput

    if path.is_dir():
        raise BadInput(f"{path}: a folder; give a file name")
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        try:
            os.fchmod(fd, FILE_MODE)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    except OSError as exc:
        raise BadInput(f"{path}: cannot write here ({exc.strerror or exc})") from None


def open_private(path: Path, mode: str = "w", encoding: str | None = "utf-8", newline: str | None = None):
    """Open a file for writing that nobody else can read, even for an instant."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if "a" in mode else os.O_TRUNC)
    fd = os.open(path, flags, FILE_MODE)
    os.chmod(path, FILE_MODE)
    if "b" in mode:
        return os.fdopen(fd, mode)
    return os.fdopen(fd, mode, encoding=encoding, newline=newline)
