"""Many items changed in one go: ``bottleneck edit|urge|extend|note`` by a filter.

Instead of one KEY these commands take the filters of ``bottleneck list``,
either as one string (``--where "--chain IC --unit 发改委 --status open"``, read
by ``bottleneck list``'s own parameters) or given directly with
``--all-matching``. The matching items are found by the query ``bottleneck
list`` runs (``domain.views.list_items``), shown (key, title, status, unit)
and counted, and at a terminal the person is asked before anything is
written; a script says ``--yes`` (without a terminal nothing is changed
otherwise), ``--dry-run`` only shows. Each item is changed by the domain
function the one-item command calls, all of them in one ``writing()`` block:
one transaction, one change set, one undo. One item refused refuses them all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from chainlead.cli.complete import complete_item_key
from chainlead.errors import ChainleadError
from chainlead.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from chainlead.domain import Stamp
    from chainlead.domain.views import ItemRow
    from chainlead.store.connection import Reader

T = TypeVar("T")

KeyOrFilterArg = Annotated[
    str | None,
    typer.Argument(
        help="Item key, e.g. IC-12 (any case); left out with --where or --all-matching.",
        show_default=False,
        autocompletion=complete_item_key,
    ),
]
WhereOpt = Annotated[
    str | None,
    typer.Option(
        "--where",
        help="Change every item `bottleneck list` shows with these filters, given as one "
        'string: --where "--chain IC --status open".',
        metavar="FILTERS",
        show_default=False,
    ),
]
AllMatchingFlag = Annotated[
    bool,
    typer.Option(
        "--all-matching",
        help="Change every item matching the list filters given with it (--chain, --status...).",
    ),
]
YesFlag = Annotated[
    bool,
    typer.Option(
        "--yes",
        help="With a filter: change the items without asking (for scripts: needed without a "
        "terminal).",
    ),
]
DryRunFlag = Annotated[
    bool,
    typer.Option("--dry-run", help="With a filter: show the items it would change; write nothing."),
]

# ``bottleneck list``'s filters by parameter name (``cli.bottleneck.item_filters``).
FILTERS = (
    "chain",
    "status",
    "unit",
    "owner",
    "enterprise",
    "category",
    "overdue",
    "due_within",
    "raised_in",
    "resolved_in",
    "search",
    "level",
)

SHOWN_ON_TERMINAL = 50  # rows of the list shown before the question; the count counts all

FILTER_FORM = N_(
    'give either one item\'s KEY, or a filter: --where "--chain IC --status open", or '
    "list's filters with --all-matching"
)


class BulkRefused(ChainleadError):
    """One of the matching items was refused; nothing was changed."""

    def __init__(self, key: str, refused: ChainleadError, count: int) -> None:
        self.exit_code = refused.exit_code
        said = refused.message
        if key not in said:
            said = _("{key}: {refusal}").format(key=key, refusal=said)
        super().__init__(
            ngettext(
                "{refusal}; nothing was changed (the {n} matching item or none)",
                "{refusal}; nothing was changed (all {n} matching items or none)",
                count,
            ).format(refusal=said, n=count)
        )


@dataclass(frozen=True)
class Bulk:
    """A bulk change asked for: ``list_items``' filters, and whether to ask or only show."""

    filters: dict[str, Any]
    yes: bool
    dry_run: bool


def _given(value: object) -> bool:
    return value not in (None, False) and value != [] and value != ()


def filtered(where: str | None, all_matching: bool, given: dict[str, Any]) -> bool:
    """Whether a command was given a filter at all (``pick`` says whether rightly)."""
    return where is not None or all_matching or any(map(_given, given.values()))


def pick(
    key: str | None,
    *,
    where: str | None,
    all_matching: bool,
    yes: bool,
    dry_run: bool,
    given: dict[str, Any],
) -> Bulk | None:
    """The bulk change a command was given, or None for the one-item form (KEY).

    ``given``: the list filters the command took directly, by parameter name.
    Refused, naming the field and the form: KEY and a filter together; filters
    without ``--all-matching``; ``--where`` and direct filters together;
    ``--yes``/``--dry-run`` without a filter; no terminal without ``--yes``.
    """
    from chainlead.errors import InvalidInput

    direct = {name: value for name, value in given.items() if _given(value)}
    shown = ", ".join(_option_of(name) for name in direct)
    if key is not None and (where is not None or all_matching or direct):
        raise InvalidInput(
            "KEY",
            _("give either one item's KEY or a filter (--where, --all-matching), not both"),
            key,
        )
    if where is None and not all_matching:
        if direct:
            raise InvalidInput(
                "--all-matching",
                _(
                    "{options} choose items by a filter: add --all-matching to change every "
                    "item that matches, or give one item's KEY instead"
                ).format(options=shown),
            )
        for flag, on in (("--yes", yes), ("--dry-run", dry_run)):
            if on:
                raise InvalidInput(
                    flag, _("goes with a filter (--where or --all-matching), not with one KEY")
                )
        return None
    if where is not None and direct:
        raise InvalidInput(
            "--where",
            _(
                "give the filters either in --where or as options, not both; got {options} too"
            ).format(options=shown),
        )
    filters = where_filters(where) if where is not None else direct
    from chainlead.cli.bottleneck import item_filters

    read = item_filters(**filters)
    if not yes and not dry_run:
        from chainlead.cli.confirm import at_terminal

        if not at_terminal():
            raise InvalidInput(
                "--yes",
                _(
                    "changing many items at once asks for confirmation at a terminal; give "
                    "--yes to change them, or --dry-run to see which"
                ),
            )
    return Bulk(read, yes=yes, dry_run=dry_run)


def one_key(key: str | None) -> str:
    """The KEY of the one-item form, refused when it was left out."""
    if key is None:
        from chainlead.errors import InvalidInput

        raise InvalidInput("KEY", _("{expected}; got nothing").format(expected=_(FILTER_FORM)))
    return key


def _option_of(name: str) -> str:
    return "--" + name.replace("_", "-")


def where_filters(where: str) -> dict[str, Any]:
    """``--where``'s string read by ``bottleneck list``'s own parameters: the filter values
    by parameter name. Anything but list's filters is refused, naming ``--where``."""
    import shlex

    from chainlead.cli.bottleneck import app, list_
    from chainlead.cli.lazy import build_command
    from chainlead.errors import InvalidInput

    try:
        words = shlex.split(where)
    except ValueError as exc:
        raise InvalidInput(
            "--where",
            _("expected list filters as a shell would split them ({problem})").format(problem=exc),
            where,
        ) from None
    info = next(info for info in app.registered_commands if info.callback is list_)
    command = build_command(info, app)
    command.add_help_option = False  # "--help" in the string is not an option of it
    try:
        ctx = command.make_context("bottleneck list", words)
    except Exception as exc:  # click's usage errors, known by what click documents
        from chainlead.cli.refusals import usage_line

        line = usage_line(exc) if callable(getattr(exc, "format_message", None)) else None
        if line is None:
            raise
        raise InvalidInput("--where", line) from None
    others = [
        param
        for param in command.params
        if param.name not in FILTERS
        and getattr(ctx.get_parameter_source(param.name or ""), "name", "") == "COMMANDLINE"
    ]
    if others:
        opts = [opt for opt in others[0].opts if opt.startswith("--")] or others[0].opts
        raise InvalidInput(
            "--where",
            _("expected the filters of `bottleneck list` ({filters})").format(
                filters=", ".join(_option_of(name) for name in FILTERS)
            ),
            opts[0],
        )
    return {name: ctx.params[name] for name in FILTERS}


def _columns() -> list[Any]:
    from chainlead.render.items import folded, status_text
    from chainlead.render.output import Column
    from chainlead.render.words import labels

    words = labels()
    return [
        Column("key", words("key"), no_wrap=True),
        Column("title", words("sheet_item_title"), draw=folded),
        Column("status", words("status"), draw=status_text, no_wrap=True),
        Column("unit", _("Unit"), draw=folded),
    ]


def show_items(rows: Sequence[ItemRow], *, whole: bool) -> None:
    """The items a bulk change concerns (key, title, status, unit) on stdout: on a
    terminal the first ``SHOWN_ON_TERMINAL`` and how many more, unless ``whole``."""
    from chainlead.render.output import message, on_terminal, print_long, rows_table

    shown = rows if whole or not on_terminal() else rows[:SHOWN_ON_TERMINAL]
    print_long(rows_table(shown, _columns(), title=_("Matching items")))
    if len(shown) < len(rows):
        more = len(rows) - len(shown)
        message(ngettext("… and {n} more", "… and {n} more", more).format(n=more))


def _matching(db: Reader, filters: dict[str, Any]) -> list[ItemRow]:
    from chainlead.cli.runtime import as_of, settings
    from chainlead.domain.views import list_items

    current = as_of(db, settings())  # the day ``bottleneck list`` reads the items as of
    return list_items(
        db,
        today=current.today(),
        warning_days=current.warning_days,
        zone=current.zone(),
        **filters,
    )


def run(
    bulk: Bulk,
    *,
    change: Callable[[Reader, Stamp, str], T],
    question: Callable[[int], str],
    done: Callable[[list[T]], Sequence[str]],
) -> list[T]:
    """Find the items, show and count them, ask (unless ``--yes``), then ``change`` each
    by its key in one ``writing()`` block; print what ``done`` says of the results.

    With ``--yes`` the items are found in the same transaction that changes them,
    and shown once they are changed. Otherwise every change is first tried and
    rolled back (a refusal is said before anything is shown or asked), then the
    items are shown; ``--dry-run`` stops there, at a terminal the person is asked
    and the items shown are changed. One refusal refuses all.
    """
    from chainlead.cli.runtime import writing
    from chainlead.render.output import message

    if bulk.yes and not bulk.dry_run:
        with writing() as (db, stamp):
            rows = _matching(db, bulk.filters)
            results = _change_all(db, stamp, rows, change)
        if not rows:
            message(_("No items match; nothing changed."))
            return []
        show_items(rows, whole=False)
        for line in done(results):
            message(line)
        return results
    rows = _rehearsed(bulk.filters, change)
    if not rows:
        message(_("No items match; nothing changed."))
        return []
    show_items(rows, whole=bulk.dry_run)
    count = len(rows)
    message(ngettext("This changes {n} item.", "This changes {n} items.", count).format(n=count))
    if bulk.dry_run:
        message(_("--dry-run: nothing written."))
        return []
    from chainlead.cli.confirm import confirm_bulk

    if not confirm_bulk(question(count)):
        message(_("Nothing changed."))
        return []
    with writing() as (db, stamp):
        results = _change_all(db, stamp, rows, change)
    for line in done(results):
        message(line)
    return results


class _Rehearsal(Exception):
    """Ends a rehearsal's transaction, rolling it back, with the items it changed."""

    def __init__(self, rows: list[ItemRow]) -> None:
        super().__init__()
        self.rows = rows


def _rehearsed(filters: dict[str, Any], change: Callable[[Reader, Stamp, str], T]) -> list[ItemRow]:
    """The matching items, each changed in a transaction then rolled back: nothing is
    written, and the first refusal is raised as the change itself would raise it."""
    from chainlead.cli.runtime import writing

    try:
        with writing() as (db, stamp):
            rows = _matching(db, filters)
            _change_all(db, stamp, rows, change)
            raise _Rehearsal(rows)
    except _Rehearsal as rehearsal:
        return rehearsal.rows


def _change_all(
    db: Reader, stamp: Stamp, rows: Sequence[ItemRow], change: Callable[[Reader, Stamp, str], T]
) -> list[T]:
    results: list[T] = []
    for row in rows:
        try:
            results.append(change(db, stamp, row.key))
        except ChainleadError as refused:
            raise BulkRefused(row.key, refused, len(rows)) from None
    return results
