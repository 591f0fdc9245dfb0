"""The database: peewee models, opening SQLite or PostgreSQL, pragmas, permissions, migrations."""
