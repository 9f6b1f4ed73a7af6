"""``chainlead bottleneck``: enterprises' problems, tracked until resolved."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from chainlead.cli import COMMANDS
from chainlead.cli.bulk import AllMatchingFlag, DryRunFlag, KeyOrFilterArg, WhereOpt, YesFlag
from chainlead.cli.complete import (
    complete_enterprise,
    complete_item_key,
    complete_link_name,
    complete_person_name,
    complete_project_key,
    complete_unit,
)
from chainlead.cli.confirm import BackdateFlag
from chainlead.cli.options import LangOpt
from chainlead.cli.runtime import (
    LIMIT_MAX,
    CsvFlag,
    ExcelFlag,
    JsonFlag,
    NewPersonFlag,
    settings,
    viewing,
    writing,
)
from chainlead.vocabulary import STATUSES, Feedback, Lang, Priority, Sort, Source

if TYPE_CHECKING:
    from datetime import date

    from chainlead.domain import Stamp
    from chainlead.domain.bottlenecks import ItemState
    from chainlead.domain.views import ItemEvent, ItemRow
    from chainlead.outfile import Output
    from chainlead.render.formats import Format
    from chainlead.settings import Settings
    from chainlead.store.connection import Reader

app = typer.Typer(
    help=COMMANDS["bottleneck"].help,
    no_args_is_help=True,
    rich_markup_mode=None,
)


# --status takes every item status, or "all".
Status = StrEnum("Status", [*((s, s) for s in STATUSES), ("all", "all")])  # type: ignore[misc]


KeyArg = Annotated[
    str,
    typer.Argument(
        help="Item key, e.g. IC-12 (any case).",
        show_default=False,
        autocompletion=complete_item_key,
    ),
]


def _date(field: str, text: str | None) -> date | None:
    """A date option as typed, or None when it was not given."""
    if text is None:
        return None
    from chainlead.values import parse_date

    current = settings()
    return parse_date(field, text, today=current.today(), holidays_file=current.holidays_file)


def _moved(state: ItemState, extra: str = "") -> None:
    from chainlead.render.output import message
    from chainlead.render.words import status_word

    now = status_word(state.status)
    change = f"{status_word(state.previous)} → {now}" if state.previous != state.status else now
    message(f"{state.key}: {change}{extra}")


@app.command("add")
def add(
    chain: Annotated[str, typer.Argument(help="Chain code, e.g. IC.", show_default=False)],
    title: Annotated[str, typer.Argument(help="What the problem is (1-500 characters).")],
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit",
            help="Responsible institution (required): its name or short name, any case or width.",
            autocompletion=complete_unit,
        ),
    ] = None,
    new_unit: Annotated[
        bool, typer.Option("--new-unit", help="Add the --unit institution when it is new.")
    ] = False,
    due: Annotated[str | None, typer.Option("--due", help="Time limit (required).")] = None,
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            help="Person following the item up (a known person, or give --new-person).",
            autocompletion=complete_person_name,
        ),
    ] = None,
    enterprise: Annotated[
        list[str] | None,
        typer.Option(
            "--enterprise",
            help="Enterprise that raised it (repeat for a problem several share); "
            "one not known yet is added.",
            autocompletion=complete_enterprise,
        ),
    ] = None,
    source: Annotated[
        Source, typer.Option("--source", help="Where it was raised.", case_sensitive=False)
    ] = Source.other,
    category: Annotated[
        str | None, typer.Option("--category", help="Category, e.g. infrastructure.")
    ] = None,
    priority: Annotated[
        Priority, typer.Option("--priority", help="Priority.", case_sensitive=False)
    ] = Priority.normal,
    raised_on: Annotated[
        str | None,
        typer.Option("--raised-on", help="When it was raised [default: today]."),
    ] = None,
    detail: Annotated[str | None, typer.Option("--detail", help="Longer description.")] = None,
    meeting: Annotated[
        str | None,
        typer.Option("--meeting", help="Meeting entry where it was raised, e.g. IC-M3."),
    ] = None,
    new_person: NewPersonFlag = False,
    link: Annotated[
        str | None,
        typer.Option(
            "--link",
            help="The link of the chain's map it concerns.",
            autocompletion=complete_link_name,
        ),
    ] = None,
    project: Annotated[
        str | None,
        typer.Option(
            "--project",
            help="The chain project that raised it, e.g. IC-P1 (a project of the same chain).",
            autocompletion=complete_project_key,
        ),
    ] = None,
    backdate: BackdateFlag = False,
    json: JsonFlag = False,
) -> None:
    """Put an enterprise's problem on the list; prints the new key (IC-1, IC-2, ...).

    \b
    Example:
      chainlead bottleneck add IC "Packaging line lacks power capacity" \\
        --unit "District Development and Reform Bureau" --owner "Zhou Lan" \\
        --due 2026-12-31 --enterprise "NARI Group" --source breakfast --priority high
    """
    from chainlead.domain.bottlenecks import add_item
    from chainlead.domain.enterprises import new_enterprises
    from chainlead.errors import InvalidInput
    from chainlead.i18n import _
    from chainlead.render.formats import choose
    from chainlead.render.output import message, render
    from chainlead.render.words import light_word

    if unit is None:
        raise InvalidInput(
            "--unit", _("every item needs a responsible institution: give --unit NAME")
        )
    if due is None:
        raise InvalidInput("--due", _("every item needs a time limit: give --due DATE"))
    due_on = _date("--due", due)
    raised = _date("--raised-on", raised_on)
    current = settings()
    warning_days = current.warning_days
    with writing() as (db, stamp):
        new = new_enterprises(db, enterprise or ())
        item = add_item(
            db,
            chain=chain,
            title=title,
            unit=unit,
            due=due_on,  # type: ignore[arg-type]
            owner=owner,
            enterprises=tuple(enterprise or ()),
            source=source.value,
            category=category,
            priority=priority.value,
            raised_on=raised,
            detail=detail,
            meeting=meeting,
            stamp=stamp,
            warning_days=warning_days,
            new_person=new_person,
            new_unit=new_unit,
            receipt_days=current.receipt_days,
            holidays_file=current.holidays_file,
            link=link,
            project=project,
            backdate=backdate,
        )
    render(item, choose(json=json), people=lambda added: added.key)
    message(
        _("added {key}, due {due} ({light}): {title}").format(
            key=item.key,
            due=item.due_on.isoformat(),
            light=light_word(item.light),
            title=item.title,
        )
    )
    new_enterprise_notice(new)


def new_enterprise_notice(new: list[tuple[str, list[str]]]) -> None:
    """Name on stderr each enterprise a command added, with close known names (a typo?)."""
    from chainlead.i18n import _
    from chainlead.render.output import message

    for name, near in new:
        if near:
            message(
                _(
                    "new enterprise {name} (close to {near}: a typo? see "
                    "`chainlead enterprise rename`)"
                ).format(name=name, near=", ".join(near))
            )
        else:
            message(_("new enterprise {name}").format(name=name))


# The filters of ``bottleneck list``, declared once: ``list`` takes them, and the bulk
# forms of ``edit``, ``urge``, ``extend`` and ``note`` take them too (``chainlead.cli.bulk``).
ChainFilter = Annotated[str | None, typer.Option("--chain", help="Only this chain.")]
StatusFilter = Annotated[
    list[Status] | None,
    typer.Option(
        "--status",
        help="Only these statuses (repeatable; 'all' for every status) "
        "[default: open, in_progress, blocked].",
        case_sensitive=False,
    ),
]
UnitFilter = Annotated[
    str | None,
    typer.Option(
        "--unit",
        help="Responsible unit contains TEXT.",
        metavar="TEXT",
        autocompletion=complete_unit,
    ),
]
OwnerFilter = Annotated[str | None, typer.Option("--owner", help="Owner's name contains TEXT.")]
EnterpriseFilter = Annotated[
    str | None,
    typer.Option(
        "--enterprise", help="Raised by an enterprise whose name or short name contains TEXT."
    ),
]
CategoryFilter = Annotated[str | None, typer.Option("--category", help="Exactly this category.")]
OverdueFilter = Annotated[
    bool, typer.Option("--overdue", help="Only unresolved items past their time limit.")
]
DueWithinFilter = Annotated[
    str | None,
    typer.Option("--due-within", help="Only unresolved items due from today to +N (7d, 2w)."),
]
RaisedInFilter = Annotated[
    str | None, typer.Option("--raised-in", help="Raised in this month (YYYY-MM).")
]
ResolvedInFilter = Annotated[
    str | None,
    typer.Option("--resolved-in", help="Resolved in this month (YYYY-MM); any status."),
]
SearchFilter = Annotated[
    str | None,
    typer.Option(
        "--search",
        help="Anything written about the item contains TEXT: title, detail, notes, "
        "resolution, enterprise, category (as `chainlead search`).",
    ),
]
LevelFilter = Annotated[
    int | None,
    typer.Option(
        "--level",
        help="Only items at this supervision level or above (0-5; 3 is 督办函).",
        min=0,
        max=5,
    ),
]


def item_filters(
    *,
    chain: str | None = None,
    status: list[Status] | None = None,
    unit: str | None = None,
    owner: str | None = None,
    enterprise: str | None = None,
    category: str | None = None,
    overdue: bool = False,
    due_within: str | None = None,
    raised_in: str | None = None,
    resolved_in: str | None = None,
    search: str | None = None,
    level: int | None = None,
) -> dict[str, Any]:
    """The filters of ``bottleneck list`` as typed, read into ``list_items``' arguments."""
    from chainlead.values import month_bounds, parse_days, parse_month

    wanted = [s.value for s in status or ()]
    return {
        "chain": chain,
        "statuses": STATUSES if "all" in wanted else tuple(wanted) or None,
        "unit": unit,
        "owner": owner,
        "enterprise": enterprise,
        "category": category,
        "overdue": overdue,
        "due_within": parse_days("--due-within", due_within) if due_within is not None else None,
        "raised_in": month_bounds(parse_month("--raised-in", raised_in)) if raised_in else None,
        "resolved_in": (
            month_bounds(parse_month("--resolved-in", resolved_in)) if resolved_in else None
        ),
        "search": search,
        "min_level": level,
    }


@app.command("list")
def list_(
    chain: ChainFilter = None,
    status: StatusFilter = None,
    unit: UnitFilter = None,
    owner: OwnerFilter = None,
    enterprise: EnterpriseFilter = None,
    category: CategoryFilter = None,
    overdue: OverdueFilter = False,
    due_within: DueWithinFilter = None,
    raised_in: RaisedInFilter = None,
    resolved_in: ResolvedInFilter = None,
    search: SearchFilter = None,
    level: LevelFilter = None,
    sort: Annotated[
        Sort, typer.Option("--sort", help="Order of the list.", case_sensitive=False)
    ] = Sort.due,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            help="At most N items (on a terminal: a page of N, the count line still counts all) "
            "[default on a terminal: 50].",
            min=1,
            max=LIMIT_MAX,
        ),
    ] = None,
    every: Annotated[
        bool, typer.Option("--all", help="On a terminal too, every item (no page).")
    ] = False,
    json: JsonFlag = False,
    csv: CsvFlag = False,
    excel: ExcelFlag = False,
    xlsx: Annotated[
        str | None,
        typer.Option(
            "--xlsx",
            help="Write the list as an Excel workbook (the ledger, 台账) to FILE: one sheet "
            "per chain, a summary sheet when it spans several.",
            metavar="FILE",
            show_default=False,
        ),
    ] = None,
    lang: LangOpt = None,  # the workbook's headings
) -> None:
    """List bottleneck items with their status lights; filters combine.

    \b
    Example:
      chainlead bottleneck list --chain IC --overdue
      chainlead bottleneck list --status resolved --resolved-in 2026-11 --json
      chainlead bottleneck list --level 3
      chainlead bottleneck list --overdue --lang zh --xlsx overdue.xlsx
    """
    from chainlead.domain.views import list_items
    from chainlead.render.csv_rows import check_excel
    from chainlead.render.formats import Format, choose
    from chainlead.render.items import print_items
    from chainlead.render.output import on_terminal
    from chainlead.render.pages import PAGE

    fmt = choose(json=json, csv=csv)
    check_excel(fmt, excel)
    workbook = _workbook_target(xlsx, fmt) if xlsx is not None else None
    paged = fmt is Format.table and workbook is None and on_terminal()  # (render.pages)
    filters = item_filters(
        chain=chain,
        status=status,
        unit=unit,
        owner=owner,
        enterprise=enterprise,
        category=category,
        overdue=overdue,
        due_within=due_within,
        raised_in=raised_in,
        resolved_in=resolved_in,
        search=search,
        level=level,
    )
    with viewing() as (reader, current):
        rows = list_items(
            reader,
            today=current.today(),
            warning_days=current.warning_days,
            sort=sort.value,
            limit=None if paged else limit,
            zone=current.zone(),
            **filters,
        )
        names = chain_names(reader) if workbook is not None else {}
        if workbook is not None:
            from dataclasses import replace

            from chainlead.store.handout import recorded_district

            current = replace(current, district=current.district or recorded_district(reader))
    if workbook is not None:
        write_ledger(rows, names, current, workbook, lang=lang)
        return
    print_items(rows, fmt, excel=excel, page=None if every or not paged else limit or PAGE)


def _workbook_target(given: str, fmt: Format) -> Output:
    """``--xlsx FILE`` checked before any work: alone (not with --json/--csv)."""
    from chainlead.cli.runtime import output
    from chainlead.errors import InvalidInput
    from chainlead.i18n import _
    from chainlead.outfile import Kind
    from chainlead.render.formats import Format

    if fmt is not Format.table:
        raise InvalidInput("--xlsx", _("write the workbook alone, without --json or --csv"))
    return output("--xlsx", given, kind=Kind.report)


def chain_names(reader: Reader) -> dict[str, str]:
    """Every chain's name by its code, archived chains too."""
    from chainlead.domain.views import list_chains

    return {c.code: c.name for c in list_chains(reader, include_archived=True)}


def write_ledger(
    rows: list[ItemRow],
    names: dict[str, str],
    current: Settings,
    to: Output,
    *,
    lang: Lang | None,
) -> None:
    """The listed items as the ledger workbook (``render.xlsx``), written whole to ``to``."""
    from chainlead.clock import shown
    from chainlead.render.labels import labels_for
    from chainlead.render.output import message, write_bytes
    from chainlead.render.xlsx import Heading, ledger_workbook

    labels = labels_for(lang.value if lang is not None else current.lang)
    at = shown(current.now())  # in the timezone setting's zone
    heading = Heading(
        district=current.district,
        title=labels("xlsx_ledger"),
        exported=labels("xlsx_exported", at=at),
        labels=labels,
    )
    write_bytes(ledger_workbook(rows, chain_names=names, heading=heading), to)
    from chainlead.i18n import ngettext

    message(
        ngettext("wrote {n} item to {to}", "wrote {n} items to {to}", len(rows)).format(
            n=len(rows), to=to.shown
        )
    )


@app.command("show")
def show(key: KeyArg, json: JsonFlag = False) -> None:
    """Show an item: every field, its meetings and its whole history.

    \b
    Example:
      chainlead bottleneck show IC-12
    """
    from chainlead.domain.views import item_detail
    from chainlead.render.formats import choose
    from chainlead.render.items import item_card
    from chainlead.render.output import render

    with viewing() as (reader, current):
        detail = item_detail(
            reader, key=key, today=current.today(), warning_days=current.warning_days
        )
    render(detail, choose(json=json), people=item_card)


@app.command("note")
def note(
    key: KeyOrFilterArg = None,
    text: Annotated[
        str | None, typer.Argument(help="The progress to record.", show_default=False)
    ] = None,
    where: WhereOpt = None,
    all_matching: AllMatchingFlag = False,
    yes: YesFlag = False,
    dry_run: DryRunFlag = False,
    chain: ChainFilter = None,
    status: StatusFilter = None,
    unit: UnitFilter = None,
    owner: OwnerFilter = None,
    enterprise: EnterpriseFilter = None,
    category: CategoryFilter = None,
    overdue: OverdueFilter = False,
    due_within: DueWithinFilter = None,
    raised_in: RaisedInFilter = None,
    resolved_in: ResolvedInFilter = None,
    search: SearchFilter = None,
    level: LevelFilter = None,
) -> None:
    """Record progress on an item (appended to its history), or on every item a filter
    matches (--where, or list's filters with --all-matching).

    \b
    Example:
      chainlead bottleneck note IC-12 "Met the power company; line survey scheduled"
      chainlead bottleneck note --where "--chain IC --overdue" \\
        "Raised at the monthly meeting"
    """
    from chainlead.cli import bulk
    from chainlead.cli.runtime import required
    from chainlead.domain.bottlenecks import note_item
    from chainlead.i18n import _, ngettext
    from chainlead.render.output import message
    from chainlead.render.words import status_word

    given = dict(
        chain=chain, status=status, unit=unit, owner=owner, enterprise=enterprise,
        category=category, overdue=overdue, due_within=due_within, raised_in=raised_in,
        resolved_in=resolved_in, search=search, level=level,
    )  # fmt: skip
    if text is None and bulk.filtered(where, all_matching, given):
        key, text = None, key  # the one word given is the text: ``note --where ... TEXT``
    picked = bulk.pick(
        key, where=where, all_matching=all_matching, yes=yes, dry_run=dry_run, given=given
    )
    key = bulk.one_key(key) if picked is None else None
    said = required("TEXT", text, _("{expected}; got nothing").format(expected=_("expected text")))
    if picked is not None:
        bulk.run(
            picked,
            change=lambda db, stamp, each: note_item(db, key=each, text=said, stamp=stamp),
            question=lambda n: ngettext(
                "Add this note to the {n} item?", "Add this note to these {n} items?", n
            ).format(n=n),
            done=lambda done: [
                ngettext("Note added to {n} item.", "Note added to {n} items.", len(done)).format(
                    n=len(done)
                )
            ],
        )
        return
    with writing() as (db, stamp):
        state = note_item(db, key=key, text=said, stamp=stamp)  # type: ignore[arg-type]
    message(
        _("{key}: note added ({status})").format(key=state.key, status=status_word(state.status))
    )


@app.command("start")
def start(
    key: KeyArg,
    note: Annotated[str | None, typer.Option("--note", help="What is being done.")] = None,
) -> None:
    """Mark work as started (open → in_progress), or unblock a blocked item.

    \b
    Example:
      chainlead bottleneck start IC-12 --note "Survey team assigned"
    """
    from chainlead.domain.bottlenecks import start_item

    with writing() as (db, stamp):
        state = start_item(db, key=key, note=note, stamp=stamp)
    _moved(state)


@app.command("block")
def block(
    key: KeyArg,
    reason: Annotated[
        str | None, typer.Option("--reason", help="What it is waiting for (required).")
    ] = None,
) -> None:
    """Mark an item as blocked, with the reason.

    \b
    Example:
      chainlead bottleneck block IC-12 --reason "Waiting for the provincial grid plan"
    """
    from chainlead.domain.bottlenecks import block_item
    from chainlead.errors import InvalidInput
    from chainlead.i18n import _

    if reason is None:
        raise InvalidInput("--reason", _("say what the item is waiting for: give --reason TEXT"))
    with writing() as (db, stamp):
        state = block_item(db, key=key, reason=reason, stamp=stamp)
    _moved(state)


@app.command("resolve")
def resolve(
    key: KeyArg,
    how: Annotated[
        str | None, typer.Option("--how", help="How the problem was resolved (required).")
    ] = None,
    on: Annotated[str | None, typer.Option("--on", help="When [default: today].")] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Resolve although co-handling units have not reported (needs --why and --by).",
        ),
    ] = False,
    why: Annotated[str | None, typer.Option("--why", help="Why, with --force.")] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="The chain leader or responsible person resolving with --force.",
            autocompletion=complete_person_name,
        ),
    ] = None,
) -> None:
    """Record that an item is resolved, how, and when; the lead unit's part is reported.

    Every co-handling unit must have reported its part first (`bottleneck
    report`), or had it returned or transferred; otherwise the refusal names
    the units still at work, and only the chain leader or the responsible
    person can resolve it anyway (--force --why --by).

    \b
    Example:
      chainlead bottleneck resolve IC-12 --how "Temporary 10 kV line laid" --on 2026-11-20
    """
    from chainlead.domain.bottlenecks import resolve_item
    from chainlead.i18n import _
    from chainlead.render.words import light_word

    resolved_on = _date("--on", on)
    with writing() as (db, stamp):
        state = resolve_item(
            db, key=key, how=how, on=resolved_on, stamp=stamp, force=force, why=why, by=by
        )
    on_time = light_word("on_time" if state.resolved_on <= state.due_on else "late")  # type: ignore[operator]
    _moved(
        state,
        _(" on {day} ({on_time})").format(day=state.resolved_on.isoformat(), on_time=on_time),  # type: ignore[union-attr]
    )


@app.command("close")
def close(
    key: KeyArg,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="Who signs off: the responsible person or the chain leader.",
            autocompletion=complete_person_name,
        ),
    ] = None,
    feedback: Annotated[
        Feedback | None,
        typer.Option(
            "--feedback",
            help="The enterprise's answer, for an item of one enterprise (or none); "
            "unsatisfied reopens the item.",
            case_sensitive=False,
        ),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="What the enterprise said.")] = None,
    no_follow_up: Annotated[
        bool,
        typer.Option(
            "--no-follow-up", help="Close without asking the enterprises (chain leader; --why)."
        ),
    ] = False,
    why: Annotated[str | None, typer.Option("--why", help="Why no enterprise was asked.")] = None,
) -> None:
    """Sign off (销号) a resolved item once its enterprises were asked (回访).

    An item raised by several enterprises needs `bottleneck follow-up` of each
    first; for one enterprise (or none) --feedback records the answer here.

    \b
    Example:
      chainlead bottleneck close IC-12 --by "Zhang Wei" --feedback satisfied
    """
    from chainlead.domain.bottlenecks import close_item
    from chainlead.i18n import _

    with writing() as (db, stamp):
        state = close_item(
            db,
            key=key,
            by=by,
            feedback=feedback.value if feedback else None,
            note=note,
            no_follow_up=no_follow_up,
            why=why,
            stamp=stamp,
        )
    extra = "" if state.status == "closed" else _(" (enterprise unsatisfied: reopened)")
    _moved(state, extra)


@app.command("reopen")
def reopen(
    key: KeyArg,
    why: Annotated[
        str | None, typer.Option("--why", help="Why it is open again (required).")
    ] = None,
) -> None:
    """Return a resolved, closed or dropped item to open.

    \b
    Example:
      chainlead bottleneck reopen IC-12 --why "Power cuts again since Monday"
    """
    from chainlead.domain.bottlenecks import reopen_item
    from chainlead.errors import InvalidInput
    from chainlead.i18n import _

    if why is None:
        raise InvalidInput("--why", _("say why it is reopened: give --why TEXT"))
    with writing() as (db, stamp):
        state = reopen_item(db, key=key, why=why, stamp=stamp)
    _moved(state)


@app.command("drop")
def drop(
    key: KeyArg,
    why: Annotated[
        str | None, typer.Option("--why", help="Why it will not be pursued (required).")
    ] = None,
) -> None:
    """End an item that will not be pursued (kept with its reason).

    \b
    Example:
      chainlead bottleneck drop IC-12 --why "Enterprise moved out of the district"
    """
    from chainlead.domain.bottlenecks import drop_item
    from chainlead.errors import InvalidInput
    from chainlead.i18n import _

    if why is None:
        raise InvalidInput("--why", _("say why it is dropped: give --why TEXT"))
    with writing() as (db, stamp):
        state = drop_item(db, key=key, why=why, stamp=stamp)
    _moved(state)


@app.command("edit")
def edit(
    key: KeyOrFilterArg = None,
    title: Annotated[str | None, typer.Option("--title", help="New title.")] = None,
    due: Annotated[str | None, typer.Option("--due", help="New time limit (needs --why).")] = None,
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit",
            help="New responsible institution (name or short name).",
            autocompletion=complete_unit,
        ),
    ] = None,
    new_unit: Annotated[
        bool, typer.Option("--new-unit", help="Add the --unit institution when it is new.")
    ] = False,
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            help="New owner (a known person, or give --new-person).",
            autocompletion=complete_person_name,
        ),
    ] = None,
    priority: Annotated[
        Priority | None, typer.Option("--priority", help="New priority.", case_sensitive=False)
    ] = None,
    enterprise: Annotated[
        str | None,
        typer.Option(
            "--enterprise",
            help="The enterprise that raised it, for an item of one ('' clears); "
            "several: `bottleneck link`.",
            autocompletion=complete_enterprise,
        ),
    ] = None,
    category: Annotated[
        str | None, typer.Option("--category", help="New category ('' clears).")
    ] = None,
    source: Annotated[
        Source | None, typer.Option("--source", help="New source.", case_sensitive=False)
    ] = None,
    detail: Annotated[str | None, typer.Option("--detail", help="New detail ('' clears).")] = None,
    raised_on: Annotated[
        str | None, typer.Option("--raised-on", help="Corrected raised date.")
    ] = None,
    why: Annotated[
        str | None, typer.Option("--why", help="Why (required when the time limit moves).")
    ] = None,
    new_person: NewPersonFlag = False,
    link: Annotated[
        str | None,
        typer.Option(
            "--link",
            help="The link of the chain's map it concerns ('' clears).",
            autocompletion=complete_link_name,
        ),
    ] = None,
    backdate: BackdateFlag = False,
    where: WhereOpt = None,
    all_matching: AllMatchingFlag = False,
    yes: YesFlag = False,
    dry_run: DryRunFlag = False,
    chain: ChainFilter = None,
    status: StatusFilter = None,
    overdue: OverdueFilter = False,
    due_within: DueWithinFilter = None,
    raised_in: RaisedInFilter = None,
    resolved_in: ResolvedInFilter = None,
    search: SearchFilter = None,
    level: LevelFilter = None,
) -> None:
    """Change an item's fields, or those of every item a filter matches; each change is
    kept in its history.

    The filters are `bottleneck list`'s: in --where as one string, or given as
    options with --all-matching (--unit, --owner, --enterprise and --category,
    being this command's own, only in --where).

    \b
    Example:
      chainlead bottleneck edit IC-12 --due 2027-01-31 --why "Grid works moved to January"
      chainlead bottleneck edit --where "--chain IC --unit Commerce" \\
        --owner "Zhou Lan"
    """
    from chainlead.cli import bulk
    from chainlead.domain.bottlenecks import edit_item
    from chainlead.errors import InvalidInput
    from chainlead.i18n import _
    from chainlead.render.items import item_changes

    given = (title, due, unit, owner, priority, enterprise, category, source, detail, raised_on)
    if all(value is None for value in given) and link is None:
        raise InvalidInput(
            "bottleneck edit",
            _("give at least one of {options}").format(
                options="--title, --due, --unit, --owner, --priority, --enterprise, --category, "
                "--source, --detail, --raised-on, --link"
            ),
        )
    due_on = _date("--due", due)
    raised = _date("--raised-on", raised_on)
    given_filters = dict(
        chain=chain, status=status, overdue=overdue, due_within=due_within, raised_in=raised_in,
        resolved_in=resolved_in, search=search, level=level,
    )  # fmt: skip
    picked = bulk.pick(
        key, where=where, all_matching=all_matching, yes=yes, dry_run=dry_run, given=given_filters
    )

    def change(db: Reader, stamp: Stamp, each: str) -> list[ItemEvent]:
        return edit_item(
            db,
            key=each,
            title=title,
            due=due_on,
            unit=unit,
            owner=owner,
            priority=priority.value if priority else None,
            enterprise=enterprise,
            category=category,
            source=source.value if source else None,
            detail=detail,
            raised_on=raised,
            why=why,
            stamp=stamp,
            new_person=new_person,
            new_unit=new_unit,
            link=link,
            backdate=backdate,
        )

    if picked is not None:
        bulk.run(picked, change=change, question=_edit_question, done=_edited)
        return
    key = bulk.one_key(key)
    with writing() as (db, stamp):
        changes = change(db, stamp, key)
    item_changes(key.strip().upper(), changes)


def _edit_question(n: int) -> str:
    from chainlead.i18n import ngettext

    return ngettext("Edit the {n} item?", "Edit these {n} items?", n).format(n=n)


def _edited(done: list[list[ItemEvent]]) -> list[str]:
    """What a bulk edit did: the items changed, and those that already were as asked."""
    from chainlead.i18n import ngettext

    changed = sum(1 for changes in done if changes)
    lines = [ngettext("Edited {n} item.", "Edited {n} items.", changed).format(n=changed)]
    same = len(done) - changed
    if same:
        lines.append(
            ngettext(
                "{n} item already was as asked.", "{n} items already were as asked.", same
            ).format(n=same)
        )
    return lines


# The handling loop's, the time limits' and the ladder's commands live beside; importing them
# registers them on ``app`` (``noun_group`` builds them lazily like the rest).
from chainlead.cli import bottleneck_ladder, bottleneck_loop, bottleneck_time  # noqa: E402,F401,I001
from chainlead.cli import bottleneck_enterprise  # noqa: E402,F401,I001
from chainlead.cli import bottleneck_sheet  # noqa: E402,F401,I001
