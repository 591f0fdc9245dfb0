"""Workbench: a keyboard-driven terminal workbench for bank relationship managers.

peewee imports the PostgreSQL driver (psycopg, ~240 ms) whenever it is installed, although a book on SQLite
never needs it. Any module that imports peewee may come first (import sorting puts ``peewee`` above
``workbench``), so the driver is hidden here, before any of them: ``import psycopg`` then fails at once, and
``workbench.store.db.use_psycopg()`` brings it back when a PostgreSQL book opens.
"""

import sys

if "psycopg" not in sys.modules:
    sys.modules["psycopg"] = None  # type: ignore[assignment]

__version__ = "0.1.0"
