"""Error types and their exit codes.

Every condition a user can cause is a ``ChainleadError`` subclass named after
the condition; ``chainlead.cli.main`` is the one place that turns them into a
line on stderr and an exit code.
"""

from __future__ import annotations

from collections.abc import Sequence

EXIT_OK = 0
EXIT_RULE = 1
EXIT_USAGE = 2
EXIT_CHECK = 3
EXIT_INTERNAL = 70


class ChainleadError(Exception):
    """Something chainlead refused to do."""

    exit_code: int = EXIT_RULE

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or (self.__doc__ or "").strip())

    @property
    def message(self) -> str:
        return str(self.args[0])


class InvalidInput(ChainleadError):
    """A value is not in the accepted form."""

    exit_code = EXIT_USAGE

    def __init__(self, field: str, expected: str, got: object = None) -> None:
        self.field = field
        self.expected = expected
        text = f"{field}: {expected}"
        if got is not None:
            shown = repr(got) if isinstance(got, str) else str(got)
            if len(shown) > 60:
                shown = shown[:57] + "..."
            text += f"; got {shown}"
        super().__init__(text)


class CalendarUnknown(ChainleadError):
    """The working-day calendar has no holidays for that year."""

    exit_code = EXIT_USAGE

    def __init__(self, year: int, known: str) -> None:
        self.year = year
        self.known = known
        super().__init__(f"working days are known for {known}, not for {year}")


class NotFound(ChainleadError):
    """No such record."""

    def __init__(self, what: str, name: str, suggestions: Sequence[str] = ()) -> None:
        text = f"no {what} {name!r}"
        if suggestions:
            text += "; did you mean " + ", ".join(suggestions) + "?"
        super().__init__(text)


class ChainNotFound(NotFound):
    """No chain with that code."""


class PersonNotFound(NotFound):
    """No person with that name."""


class PersonUnknown(PersonNotFound):
    """An option names a person chainlead does not know (never created silently)."""

    def __init__(self, option: str, name: str, suggestions: Sequence[str] = ()) -> None:
        self.option = option
        text = f"{option}: no person {name!r}"
        if suggestions:
            text += "; did you mean " + ", ".join(suggestions) + "?"
        text += " (give --new-person to add them, or `chainlead person add` first)"
        ChainleadError.__init__(self, text)


class ItemNotFound(NotFound):
    """No bottleneck item with that key."""


class MeetingNotFound(NotFound):
    """No meeting entry with that id."""


class UnitNotFound(NotFound):
    """No institution with that name or short name."""

    def __init__(
        self, what: str, name: str, suggestions: Sequence[str] = (), hint: str = ""
    ) -> None:
        super().__init__(what, name, suggestions)
        if hint:
            self.args = (f"{self.args[0]} ({hint})",)


class EnterpriseNotFound(UnitNotFound):
    """No enterprise with that name or short name."""


class AlreadyExists(ChainleadError):
    """A record with that code, name or key already exists."""


class RuleViolation(ChainleadError):
    """The change would break a rule of the chain-leader system."""


class TransitionRefused(RuleViolation):
    """That status change is not allowed from the item's current status."""


class DatabaseProblem(ChainleadError):
    """The database cannot be used as it is."""


class DatabaseMissing(DatabaseProblem):
    """There is no chainlead database at that location."""


class NotADatabase(DatabaseProblem):
    """The file is not a chainlead database."""


class SchemaOutdated(DatabaseProblem):
    """The database was made by an older chainlead and needs upgrading."""


class SchemaTooNew(DatabaseProblem):
    """The database was made by a newer chainlead."""


class DatabaseUnavailable(DatabaseProblem):
    """The database could not be opened or reached."""


class DatabaseBusy(DatabaseProblem):
    """The database stayed locked by another writer past the timeout."""


class SnapshotInvalid(ChainleadError):
    """The snapshot file cannot be imported."""

    exit_code = EXIT_USAGE


class CheckFailed(ChainleadError):
    """A check found problems."""

    exit_code = EXIT_CHECK


class OutputRefused(ChainleadError):
    """Writing that output file would destroy data."""


class SheetRefused(ChainleadError):
    """The spreadsheet cannot be read."""

    exit_code = EXIT_USAGE


class IntakeRefused(ChainleadError):
    """The sheet has problems; nothing was taken."""

    exit_code = EXIT_USAGE
