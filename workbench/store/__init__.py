"""The database: peewee models, opening SQLite or PostgreSQL, pragmas, permissions, migrations.

Importing this package loads nothing else: the quick-capture path needs no peewee. The PostgreSQL driver is
kept from peewee by ``workbench/__init__.py``; ``db.use_psycopg()`` brings it back when a PostgreSQL book opens.
"""
