"""Pure domain logic: no database, no terminal, no I/O. Everything here is fast to test."""
