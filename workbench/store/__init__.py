"""The database: peewee models, opening SQLite or PostgreSQL, pragmas, permissions, migrations.

peewee imports the PostgreSQL driver (psycopg, 240 ms) whenever it is installed, although a book on SQLite
never needs it. So peewee is first imported here with psycopg hidden, and ``db.use_psycopg()`` hands the
driver over when a PostgreSQL book is opened.
"""

import sys

if "peewee" not in sys.modules and "psycopg" not in sys.modules:
    sys.modules["psycopg"] = None  # type: ignore[assignment]  # `import psycopg` fails at once
    try:
        import peewee  # noqa: F401
    finally:
        del sys.modules["psycopg"]
