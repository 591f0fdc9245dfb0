"""A throwaway PostgreSQL cluster on 127.0.0.1 for tests: initdb + pg_ctl as an unprivileged user."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager


def _binary(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def available() -> str | None:
    """None when a cluster can be made here, else why not."""
    try:
        from workbench.store.db import use_psycopg

        use_psycopg()  # the store hides the driver until a PostgreSQL book is opened
    except ImportError:
        return "psycopg is not installed (pip install -e '.[postgres]')"
    if not (_binary("initdb") and _binary("pg_ctl")):
        return "PostgreSQL server binaries (initdb, pg_ctl) are not installed"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run the server"
    return None


_RUNNING: dict[str, tuple[list[str], str, str, int]] = {}


def server(url: str, action: str) -> None:
    """Stop or start the cluster serving ``url`` (a server going away under a session, and coming back)."""
    as_user, data, base, port = _RUNNING[url.split("@", 1)[1].split("/", 1)[0]]
    options = ["-o", f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"] if action == "start" else []
    mode = ["-m", "fast"] if action == "stop" else []
    log = ["-l", os.path.join(base, "log")] if action == "start" else []
    subprocess.run([*as_user, _binary("pg_ctl"), "-D", data, "-w", *log, *mode, *options, action], check=True,
                   capture_output=True)  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(base: str | None = None, *, settings: str = "-c fsync=off") -> Iterator[str]:
    """Run a cluster on 127.0.0.1 and yield the URL of its ``postgres`` database (user ``wb``, trusted).
    With ``base`` the cluster lives there and is kept (made on first use; benchmarks reuse it); without, it
    is made in a temporary folder and removed afterwards."""
    keep = base is not None
    base = base or tempfile.mkdtemp(prefix="wb-pg-")
    os.makedirs(base, exist_ok=True)
    as_user: list[str] = []
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
        os.chmod(base, 0o755)
        shutil.chown(base, "postgres", "postgres")
    data = os.path.join(base, "data")
    port = _free_port()
    run = lambda *cmd: subprocess.run([*as_user, *cmd], check=True, capture_output=True, text=True)  # noqa: E731
    try:
        if not os.path.isdir(data):
            run(_binary("initdb"), "-D", data, "-U", "wb", "--auth=trust", "--locale=C.UTF-8", "-E", "UTF8")
        options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 {settings}"
        run(_binary("pg_ctl"), "-D", data, "-w", "-l", os.path.join(base, "log"), "-o", options, "start")
        _RUNNING[f"127.0.0.1:{port}"] = (as_user, data, base, port)
        yield f"postgresql://wb@127.0.0.1:{port}/postgres"
    finally:
        _RUNNING.pop(f"127.0.0.1:{port}", None)
        mode = "fast" if keep else "immediate"
        subprocess.run([*as_user, _binary("pg_ctl"), "-D", data, "-m", mode, "stop"], capture_output=True)
        if not keep:
            shutil.rmtree(base, ignore_errors=True)


@contextmanager
def cluster() -> Iterator[str]:
    """Yield the URL of an empty database in a fresh cluster; stop and remove it afterwards."""
    with serve() as admin:
        import psycopg

        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("CREATE DATABASE book")
        yield admin.rsplit("/", 1)[0] + "/book"


class Databases:
    """Fresh databases in one cluster, each a copy of a template migrated once (copying a template takes a
    fraction of the time migrating takes)."""

    def __init__(self, url: str) -> None:
        self.base = url.rsplit("/", 1)[0]
        self.count = 0

    def __enter__(self) -> Databases:
        from workbench.store.db import open_database

        self._admin("CREATE DATABASE book_template")
        open_database(f"{self.base}/book_template").close()
        return self

    def __exit__(self, *exc: object) -> None:
        pass  # the cluster goes with its folder

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"{self.base}/postgres", autocommit=True) as conn:
            conn.execute(sql)

    def create(self) -> str:
        self.count += 1
        name = f"book_{os.getpid()}_{self.count}"
        self._admin(f"CREATE DATABASE {name} TEMPLATE book_template STRATEGY FILE_COPY")
        return f"{self.base}/{name}"

    def drop(self, url: str) -> None:
        self._admin(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")
