"""Re-rating the book when the settings its stored figures depend on change (issue 9: "changing a threshold
re-rates tiers").

Each client's tier, pending downgrade and next due day are stored (services.figures), computed with the tier
thresholds, the downgrade delay and the cadence intervals in force. The book remembers the fingerprint of
those settings it was rated with; when the book is opened under other settings, every client is rated again,
in one transaction, and the face says so once. On SQLite the fingerprint is kept in the book's ``meta``; on a
team database, where ``meta`` is the owner's, in the manager's own data folder, and a manager re-rates the
clients they may change (their own: row-level security).
"""

from __future__ import annotations

import json

from workbench import paths
from workbench.services import figures
from workbench.services.settings import DEFAULT_FINGERPRINT, current_fingerprint
from workbench.store.db import Book, transaction
from workbench.store.models import Meta

META_KEY = "rated_with"
STATE_FILE = "rated.json"  # PostgreSQL: {redacted URL: fingerprint}


def rerate_if_changed(book: Book) -> int | None:
    """Re-rate every client when the settings changed since the book was last rated; how many, or None."""
    now = current_fingerprint()
    stored = _stored(book) or DEFAULT_FINGERPRINT  # a book rated before settings existed: by the defaults
    if stored == now:
        return None
    with transaction():
        count = figures.refresh(keys=False)
        if book.backend == "sqlite":
            Meta.insert(key=META_KEY, value=now).on_conflict_replace().execute()
    if book.backend != "sqlite":
        _save_state(book, now)
    return count


def _stored(book: Book) -> str | None:
    if book.backend == "sqlite":
        row = Meta.get_or_none(Meta.key == META_KEY)
        return row.value if row else None
    return _state().get(paths.redact_url(book.target))


def _state() -> dict[str, str]:
    try:
        found = json.loads((paths.data_dir() / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _save_state(book: Book, fingerprint: str) -> None:
    state = _state() | {paths.redact_url(book.target): fingerprint}
    paths.write_private(paths.private_dir(paths.data_dir()) / STATE_FILE, json.dumps(state, indent=1))
