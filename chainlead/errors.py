"""Error types and their exit codes.

Every condition a user can cause is a ``ChainleadError`` subclass named after
the condition; ``chainlead.cli.main`` is the one place that turns them into a
line on stderr and an exit code.
"""

from __future__ import annotations

from collections.abc import Sequence

from chainlead.i18n import N_, _

EXIT_OK = 0
EXIT_RULE = 1
EXIT_USAGE = 2
EXIT_CHECK = 3
EXIT_INTERNAL = 70


class ChainleadError(Exception):
    """Something chainlead refused to do."""

    default = N_("Something chainlead refused to do.")

    exit_code: int = EXIT_RULE

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _(self.default))

    @property
    def message(self) -> str:
        return str(self.args[0])


def shown(value: object) -> str:
    """A value as a refusal quotes it: strings in quotes, cut at 60 characters."""
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


class InvalidInput(ChainleadError):
    """A value is not in the accepted form."""

    exit_code = EXIT_USAGE

    def __init__(self, field: str, expected: str, got: object = None) -> None:
        self.field = field
        self.expected = expected
        if got is None:
            text = _("{field}: {expected}").format(field=field, expected=expected)
        else:
            text = _("{field}: {expected}; got {got}").format(
                field=field, expected=expected, got=shown(got)
            )
        super().__init__(text)


class CalendarUnknown(ChainleadError):
    """The working-day calendar has no holidays for that year."""

    exit_code = EXIT_USAGE

    def __init__(self, year: int, known: str) -> None:
        self.year = year
        self.known = known
        super().__init__(
            _("working days are known for {known}, not for {year}").format(known=known, year=year)
        )


# "no chain 'XX'": one whole sentence per kind of record; any other kind reads
# "no {what} 'XX'" with ``what`` translated where it is written.
MISSING: dict[str, str] = {
    "chain": N_("no chain {name}"),
    "person": N_("no person {name}"),
    "meeting": N_("no meeting {name}"),
    "bottleneck item": N_("no bottleneck item {name}"),
    "institution": N_("no institution {name}"),
    "enterprise": N_("no enterprise {name}"),
    "project": N_("no project {name}"),
    "link": N_("no link {name}"),
}


def did_you_mean(text: str, suggestions: Sequence[str]) -> str:
    """``text``, then the names nearest to what was typed, if any."""
    if not suggestions:
        return text
    return _("{text}; did you mean {names}?").format(text=text, names=", ".join(suggestions))


class NotFound(ChainleadError):
    """No such record."""

    def __init__(self, what: str, name: str, suggestions: Sequence[str] = ()) -> None:
        if what in MISSING:
            text = _(MISSING[what]).format(name=repr(name))
        else:
            text = _("no {what} {name}").format(what=what, name=repr(name))
        super().__init__(did_you_mean(text, suggestions))


class ChainNotFound(NotFound):
    """No chain with that code."""


class PersonNotFound(NotFound):
    """No person with that name."""


class PersonUnknown(PersonNotFound):
    """An option names a person chainlead does not know (never created silently)."""

    def __init__(self, option: str, name: str, suggestions: Sequence[str] = ()) -> None:
        self.option = option
        text = did_you_mean(
            _("{option}: no person {name}").format(option=option, name=repr(name)), suggestions
        )
        text = _("{text} (give --new-person to add them, or `chainlead person add` first)").format(
            text=text
        )
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
            self.args = (_("{text} ({hint})").format(text=self.args[0], hint=hint),)


class EnterpriseNotFound(UnitNotFound):
    """No enterprise with that name or short name."""


class DistrictNotFound(ChainleadError):
    """--district names no district of the city database."""

    def __init__(self, code: str) -> None:
        super().__init__(
            _(
                "--district: no district {code} in this database; `chainlead district list` "
                "names them, `chainlead district add` adds one"
            ).format(code=repr(code))
        )


class DistrictNotChosen(ChainleadError):
    """A city database of several districts, and no --district to say which."""

    def __init__(self, codes: Sequence[str]) -> None:
        super().__init__(
            _("--district: this city database holds districts {codes}; choose one").format(
                codes=", ".join(codes)
            )
        )


class DistrictNotGranted(ChainleadError):
    """--district names a district the database role is not granted (USAGE on its schema)."""

    def __init__(self, code: str) -> None:
        super().__init__(
            _(
                "--district: this database role is not granted district {code} "
                "(USAGE on its schema); ask the city's database administrator"
            ).format(code=repr(code))
        )


class AlreadyExists(ChainleadError):
    """A record with that code, name or key already exists."""

    default = N_("A record with that code, name or key already exists.")


class RuleViolation(ChainleadError):
    """The change would break a rule of the chain-leader system."""

    default = N_("The change would break a rule of the chain-leader system.")


class TransitionRefused(RuleViolation):
    """That status change is not allowed from the item's current status."""

    default = N_("That status change is not allowed from the item's current status.")


class DatabaseProblem(ChainleadError):
    """The database cannot be used as it is."""

    default = N_("The database cannot be used as it is.")


class DatabaseMissing(DatabaseProblem):
    """There is no chainlead database at that location."""

    default = N_("There is no chainlead database at that location.")


class NotADatabase(DatabaseProblem):
    """The file is not a chainlead database."""

    default = N_("The file is not a chainlead database.")


class SchemaOutdated(DatabaseProblem):
    """The database was made by an older chainlead and needs upgrading."""

    default = N_("The database was made by an older chainlead and needs upgrading.")


class SchemaTooNew(DatabaseProblem):
    """The database was made by a newer chainlead."""

    default = N_("The database was made by a newer chainlead.")


class DatabaseUnavailable(DatabaseProblem):
    """The database could not be opened or reached."""

    default = N_("The database could not be opened or reached.")


class DatabaseBusy(DatabaseProblem):
    """The database stayed locked by another writer past the timeout."""

    default = N_("The database stayed locked by another writer past the timeout.")


class SnapshotInvalid(ChainleadError):
    """The snapshot file cannot be imported."""

    default = N_("The snapshot file cannot be imported.")

    exit_code = EXIT_USAGE


class CheckFailed(ChainleadError):
    """A check found problems."""

    default = N_("A check found problems.")

    exit_code = EXIT_CHECK


class OutputRefused(ChainleadError):
    """Writing that output file would destroy data."""

    default = N_("Writing that output file would destroy data.")


class SheetRefused(ChainleadError):
    """The spreadsheet cannot be read."""

    default = N_("The spreadsheet cannot be read.")

    exit_code = EXIT_USAGE


class IntakeRefused(ChainleadError):
    """The sheet has problems; nothing was taken."""

    default = N_("The sheet has problems; nothing was taken.")

    exit_code = EXIT_USAGE
