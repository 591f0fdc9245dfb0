"""The project's exception types. Services raise them; each face turns them into its own message."""

from __future__ import annotations


class WorkbenchError(Exception):
    """Base of every error a user can cause; its str() is a one-line message for them."""


class BadInput(WorkbenchError):
    """A value a user gave is wrong. Names what and where."""

    def __init__(
        self,
        why: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: str | None = None,
        value: object = None,
    ) -> None:
        self.why, self.file, self.line, self.column, self.value = why, file, line, column, value
        super().__init__(self.message())

    def message(self) -> str:
        where = []
        if self.file:
            where.append(str(self.file))
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"column {self.column}" if (self.file or self.line is not None) else str(self.column))
        head = ", ".join(where)
        value = f"{self.value!r} — " if self.value not in (None, "") else ""
        return f"{head}: {value}{self.why}" if head else f"{value}{self.why}"


class BadFile(WorkbenchError):
    """A whole file cannot be used (empty, binary, unknown encoding, no header, many bad rows)."""

    def __init__(self, why: str, *, file: str | None = None, problems: list[BadInput] | None = None) -> None:
        self.why, self.file, self.problems = why, file, problems or []
        super().__init__(f"{file}: {why}" if file else why)


class NotFound(WorkbenchError):
    pass


class Ambiguous(WorkbenchError):
    """A reference (a client name, a mention) matches more than one record."""

    def __init__(self, message: str, candidates: list[str] | None = None) -> None:
        self.candidates = candidates or []
        super().__init__(message)


class Conflict(WorkbenchError):
    pass


class StoreError(WorkbenchError):
    """The database cannot be opened or written: locked, read-only, corrupt, foreign, too new."""


class Locked(StoreError):
    pass
