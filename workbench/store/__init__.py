"""The database: peewee models, opening SQLite or PostgreSQL, pragmas, permissions, migrations.

peewee imports the PostgreSQL driver (psycopg, 240 ms) whenever it is installed, although a book on SQLite
never needs it. So psycopg is hidden from imports here (importing this package loads nothing else: the
quick-capture path needs no peewee), and ``db.use_psycopg()`` brings it back when a PostgreSQL book opens.
"""

import sys

if "psycopg" not in sys.modules:
    sys.modules["psycopg"] = None  # type: ignore[assignment]  # `import psycopg` fails at once
