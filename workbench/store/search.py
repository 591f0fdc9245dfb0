"""Prefix lookups on stored search keys, written once for both backends."""

from __future__ import annotations

from peewee import Expression

from workbench.store.models import SearchKey

_TOP = "\U0010ffff"  # sorts after every character in binary (SQLite) and C-collation order


def key_prefix(prefix: str) -> Expression:
    """Keys that start with ``prefix``: an index range scan, not a LIKE over the table."""
    return (SearchKey.key >= prefix) & (SearchKey.key < prefix + _TOP)
