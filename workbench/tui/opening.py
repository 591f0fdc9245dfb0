"""Opening the book on a thread started before Textual loads, so the two imports overlap.

Kept free of Textual: ``wb`` starts it first thing, then imports the interface.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.store.db import Book


PAGE_SIZE = 200  # rows a page of the client list holds
FIRST_PAGE = {"limit": PAGE_SIZE, "offset": 0, "sort": "tier", "descending": True}  # the list as it opens


class Opening:
    """Reads the client list's first page and opens the book, before and while Textual starts.

    On an SQLite book of the current schema the first page is read with sqlite3 alone (a few milliseconds)
    and the full store — peewee, the models, migrations, spooled notes: some 80 ms of imports that would
    hold the interpreter lock Textual is starting on — opens once the first screen is painted (``painted``)
    or after PAINT_WAIT. Elsewhere (a server, a new or older book) the full store opens at once and the page
    is read through it. Done later, on a worker, the same query would wait behind the first frame."""

    PAINT_WAIT = 2.0  # seconds the full open waits for the first paint at most

    def __init__(self, target: str | None) -> None:
        self.target = target
        self.book: Book | None = None
        self.first_page: tuple[list, int] | None = None  # (rows, total), taken once by the portfolio pane
        self.error: WorkbenchError | None = None
        self._painted = threading.Event()
        self._page_ready = threading.Event()  # the first page is there (or will not be)
        self._thread = threading.Thread(target=self._open, name="open-book", daemon=True)
        self._thread.start()

    def _open(self) -> None:
        try:
            from workbench.services.client_rows import first_page_lite

            quick = first_page_lite(self.target, PAGE_SIZE)
            if quick is not None:
                self.first_page = quick
                self._page_ready.set()
                self._painted.wait(self.PAINT_WAIT)
            from workbench.services import book as book_service

            self.book = book_service.open_book(self.target)
            if quick is None:
                from workbench.services import portfolio

                rows = portfolio.list_clients(**FIRST_PAGE)
                self.first_page = (rows, portfolio.count_clients())
        except WorkbenchError as exc:
            self.error = exc
        finally:
            self._page_ready.set()

    def painted(self) -> None:
        """The first screen is on the terminal: the full store may load now."""
        self._painted.set()

    def take_first_page(self, wait: float = 0.0) -> tuple[list, int] | None:
        """The first page, once (None when it was taken, or failed); waiting up to ``wait`` seconds for it."""
        if wait:
            self._page_ready.wait(wait)
        page, self.first_page = self.first_page, None
        return page

    def result(self) -> Book:
        """Wait for the book; raise what opening it raised."""
        self._thread.join()
        if self.error is not None:
            raise self.error
        assert self.book is not None
        return self.book
