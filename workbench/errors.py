"""The project's exception types. Services raise them; each face turns them into its own message."""

from __future__ import annotations


class Invalid(ValueError):
    """Why a value is wrong, as a catalogue key and its values, so each face can say it in its language.
    ``str()`` is the English text (stable for logs, tests and callers that only want a reason)."""

    def __init__(self, key: str, **values: object) -> None:
        self.key, self.values = key, values
        super().__init__(self.text("en"))

    def text(self, lang: str | None = None) -> str:
        from workbench import i18n

        return i18n.text(self.key, lang or i18n.lang(), **self.values)


def reason(why: object) -> str:
    """A reason in the interface language: an Invalid is translated, anything else is shown as it is."""
    return why.text() if isinstance(why, Invalid) else str(why)


class WorkbenchError(Exception):
    """Base of every error a user can cause; its str() is a one-line message for them."""


class BadInput(WorkbenchError):
    """A value a user gave is wrong. Names what and where."""

    def __init__(
        self,
        why: str | Invalid,
        *,
        file: str | None = None,
        line: int | None = None,
        column: str | None = None,
        value: object = None,
    ) -> None:
        if isinstance(why, Exception) and not isinstance(why, Invalid):
            why = str(why)
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
        head = clipped(", ".join(where), 300)
        value = f"{clipped(self.value)!r} — " if self.value not in (None, "") else ""
        why = reason(self.why)
        return f"{head}: {value}{why}" if head else f"{value}{why}"


def clipped(value: object, limit: int = 80) -> object:
    """A value as a message may quote it: a long text cut (a 2 MB cell is not echoed whole)."""
    if isinstance(value, str) and len(value) > limit:
        return f"{value[: limit - 1]}…({len(value):,} characters)"
    return value


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


class Refused(StoreError):
    """The team database does not let this role do that (its privileges or row-level security)."""


class ConnectionLost(StoreError):
    """The database server cannot be reached, or the connection to it broke."""
