"""Opening and describing the book, for the faces (they never touch the store directly)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from workbench.errors import StoreError
from workbench.i18n import t
from workbench.store.db import Book, as_store_error, open_database
from workbench.store.lite import ChangeWatch
from workbench.store.models import Client
from workbench.store.pgwatch import PgChangeWatch


def open_book(target: str | None = None) -> Book:
    """Open the book at --db / WORKBENCH_DB / the default path, creating and migrating it as needed, and add
    any notes spooled while it could not be written (a warning says how many)."""
    from workbench.services import capture, rerate

    book = open_database(target)
    added = capture.import_pending(book.target)
    if added:
        book.warnings.append(f"{added} note(s) saved while the book was busy have been added to it")
    rated = rerate.rerate_if_changed(book)
    if rated:
        book.warnings.append(t("book.rerated", n=rated))
    return book


@dataclass(frozen=True)
class BookInfo:
    target: str
    backend: str
    clients: int  # the book's clients: prospects and lost clients are not counted


def info(book: Book) -> BookInfo:
    return BookInfo(book.target, book.backend, Client.select().where(Client.status == "active").count())


def watch(book: Book) -> ChangeWatch | PgChangeWatch | None:
    """Something to ask whether other connections have written to the book since it was last asked; None
    when the book cannot be watched (a face then refreshes when it reloads)."""
    if book.backend == "postgresql":
        from workbench.store.models import database

        try:
            return PgChangeWatch(database.obj)
        except Exception:  # (no second connection allowed: no watch, nothing else lost)
            return None
    if book.path is None:
        return None
    try:
        return ChangeWatch(book.path)
    except sqlite3.Error:
        return None


def is_empty() -> bool:
    return not Client.select(Client.id).limit(1).exists()


def database_error(exc: BaseException) -> StoreError | None:
    """A database error a face caught outside a service's transaction (a read after the connection to the
    server was lost for good, a refusal by a team database's security), as the message for it; else None."""
    return as_store_error(exc)
