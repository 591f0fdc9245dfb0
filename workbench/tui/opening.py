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
    """Opens the book and reads the client list's first page, before and while Textual starts: done later,
    on a worker, the same query waits behind the first frame's rendering for the interpreter lock."""

    def __init__(self, target: str | None) -> None:
        self.target = target
        self.book: Book | None = None
        self.first_page: tuple[list, int] | None = None  # (rows, total), taken once by the portfolio pane
        self.error: WorkbenchError | None = None
        self._thread = threading.Thread(target=self._open, name="open-book", daemon=True)
        self._thread.start()

    def _open(self) -> None:
        from workbench.services import book as book_service

        try:
            self.book = book_service.open_book(self.target)
            from workbench.services import portfolio

            rows = portfolio.list_clients(**FIRST_PAGE)
            self.first_page = (rows, portfolio.count_clients())
        except WorkbenchError as exc:
            self.error = exc

    def take_first_page(self) -> tuple[list, int] | None:
        page, self.first_page = self.first_page, None
        return page

    def result(self) -> Book:
        """Wait for the book; raise what opening it raised."""
        self._thread.join()
        if self.error is not None:
            raise self.error
        assert self.book is not None
        return self.book
