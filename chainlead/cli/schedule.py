"""``chainlead schedule``: the monthly scheduling meeting and other meeting entries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from chainlead.cli import COMMANDS
from chainlead.cli.complete import complete_person_name, complete_unit
from chainlead.cli.confirm import BackdateFlag
from chainlead.cli.runtime import CsvFlag, JsonFlag, NewPersonFlag, settings, viewing, writing
from chainlead.i18n import _, ngettext
from chainlead.vocabulary import MeetingKind as Kind
from chainlead.vocabulary import Priority

if TYPE_CHECKING:
    from datetime import date

    from chainlead.domain.schedule_views import MeetingDetail

app = typer.Typer(
    help=COMMANDS["schedule"].help,
    no_args_is_help=True,
    rich_markup_mode=None,
)


ChainArg = Annotated[str, typer.Argument(help="Chain code, e.g. IC.", show_default=False)]
MeetingArg = Annotated[
    str, typer.Argument(help="Meeting ID, e.g. IC-M3 (any case).", show_default=False)
]
Texts = list[str] | None


def _opt(name: str, text: str, **extra: Any) -> typer.models.OptionInfo:
    return typer.Option(name, help=text, **extra)


KindOpt = Annotated[
    Kind | None,
    typer.Option(
        "--kind",
        help="scheduling (the monthly duty), breakfast, salon, visit or other.",
        case_sensitive=False,
    ),
]
MonthOpt = Annotated[
    str | None, _opt("--month", "The month the entry counts for, YYYY-MM [default: held-on's].")
]
HeldOpt = Annotated[str | None, _opt("--held-on", "Day held [default: today].")]
ChairOpt = Annotated[
    str | None,
    _opt(
        "--chair",
        "Who chaired it (a known person, or give --new-person) [default: the chain leader].",
        autocompletion=complete_person_name,
    ),
]
SummaryOpt = Annotated[str | None, _opt("--summary", "What the meeting was about.")]
DecisionOpt = Annotated[Texts, _opt("--decision", "A decision or matter coordinated (repeatable).")]
AttendeeOpt = Annotated[Texts, _opt("--attendee", "Someone who attended (repeatable).")]
FigureOpt = Annotated[
    Texts, _opt("--figure", "A key figure NAME=NUMBER or NAME=NUMBER:UNIT (repeatable).")
]
RaisesOpt = Annotated[
    Texts, _opt("--raises", "Item first raised at this meeting, e.g. IC-14 (repeatable).")
]
DiscussesOpt = Annotated[
    Texts, _opt("--discusses", "Item this meeting moved on, e.g. IC-3 (repeatable).")
]


def _date(field: str, text: str | None) -> date | None:
    if text is None:
        return None
    from chainlead.values import parse_date

    current = settings()
    return parse_date(field, text, today=current.today(), holidays_file=current.holidays_file)


def _keys(values: Texts) -> tuple[str, ...]:
    """Item keys from repeated options, commas allowed: --raises IC-1,IC-2."""
    return tuple(k for value in values or () for k in value.split(",") if k.strip())


def _told(detail: MeetingDetail) -> str:
    from chainlead.render.words import kind_word

    raised = sum(1 for i in detail.items if i.relation == "raised")
    discussed = len(detail.items) - raised
    decisions = len(detail.decisions)
    figures = len(detail.figures)
    return _(
        "{key}: {kind} of {chain} for {month}, held {day}, chaired by {chair}; "
        "{decisions}, {figures}, {items}"
    ).format(
        key=detail.key,
        kind=kind_word(detail.kind),
        chain=detail.chain,
        month=detail.month,
        day=detail.held_on.isoformat(),
        chair=detail.chair or _("nobody on record"),
        decisions=ngettext("{n} decision", "{n} decisions", decisions).format(n=decisions),
        figures=ngettext("{n} figure", "{n} figures", figures).format(n=figures),
        items=ngettext(
            "{n} item raised, {discussed} discussed",
            "{n} items raised, {discussed} discussed",
            raised,
        ).format(n=raised, discussed=discussed),
    )


@app.command("add")
def add(
    chain: ChainArg,
    kind: KindOpt = None,
    month: MonthOpt = None,
    held_on: HeldOpt = None,
    chair: ChairOpt = None,
    summary: SummaryOpt = None,
    decision: DecisionOpt = None,
    attendee: AttendeeOpt = None,
    figure: FigureOpt = None,
    raises: RaisesOpt = None,
    discusses: DiscussesOpt = None,
    new_person: NewPersonFlag = False,
    backdate: BackdateFlag = False,
    json: JsonFlag = False,
) -> None:
    """Record a meeting of a chain; prints the new meeting ID (IC-M1, IC-M2, ...).

    \b
    Example:
      chainlead schedule add IC --month 2026-11 --held-on 2026-11-18 \\
        --chair "Li Ming" --summary "Packaging capacity and talent housing" \\
        --decision "Power bureau to add a second feeder by January" \\
        --attendee "Zhang Wei" --figure "output_value=12.5:100M CNY" \\
        --figure new_projects=3 --raises IC-14 --discusses IC-3
    """
    from chainlead.domain.schedules import add_meeting
    from chainlead.render.formats import choose
    from chainlead.render.output import message, render

    held = _date("--held-on", held_on)
    warning_days = settings().warning_days
    with writing() as (db, stamp):
        detail = add_meeting(
            db,
            chain=chain,
            kind=(kind or Kind.scheduling).value,
            month=month,
            held_on=held,
            chair=chair,
            summary=summary,
            decisions=tuple(decision or ()),
            attendees=tuple(attendee or ()),
            figures=tuple(figure or ()),
            raises=_keys(raises),
            discusses=_keys(discusses),
            stamp=stamp,
            warning_days=warning_days,
            new_person=new_person,
            backdate=backdate,
        )
    render(detail, choose(json=json), people=lambda added: added.key)
    message(_("recorded {meeting}").format(meeting=_told(detail)))


@app.command("decide")
def decide(
    meeting: MeetingArg,
    text: Annotated[
        str | None,
        typer.Argument(
            help="A new decision of the meeting (added after the last one); "
            "or give --action N for an existing one.",
            show_default=False,
        ),
    ] = None,
    action: Annotated[
        int | None,
        _opt("--action", "Take decision N (1-based, as `schedule show` numbers them)."),
    ] = None,
    unit: Annotated[
        str | None,
        _opt(
            "--unit",
            "Responsible institution (required): its name or short name, any case or width.",
            autocompletion=complete_unit,
        ),
    ] = None,
    new_unit: Annotated[
        bool, typer.Option("--new-unit", help="Add the --unit institution when it is new.")
    ] = False,
    due: Annotated[
        str | None,
        _opt("--due", "Time limit (required)."),
    ] = None,
    owner: Annotated[
        str | None,
        _opt(
            "--owner",
            "Person following the action up (a known person, or give --new-person).",
            autocompletion=complete_person_name,
        ),
    ] = None,
    priority: Annotated[
        Priority, typer.Option("--priority", help="Priority.", case_sensitive=False)
    ] = Priority.normal,
    new_person: NewPersonFlag = False,
    json: JsonFlag = False,
) -> None:
    """Make a meeting decision a supervised action; prints the action's key (IC-12, ...).

    The action is a bottleneck item of the meeting's chain (its title the
    decision, raised on the day the meeting was held, linked to it as raised)
    handed to --unit with the time limit --due; it is followed up, resolved and
    closed like any item. A decision may have several actions.

    A decision is fulfilled when its actions (at least one, dropped ones left
    out) are all resolved or closed by the day of the chain's next scheduling
    meeting, or by today while there is none; the meeting's fulfilment rate
    (决议落实率) is its fulfilled decisions over all its decisions.

    \b
    Example:
      chainlead schedule decide IC-M3 "Power company to add a second feeder" \\
        --unit "Power Supply Company" --owner "Wang Fang" --due 2027-01-31
      chainlead schedule decide IC-M3 --action 2 --unit "Housing Bureau" --due +30d
    """
    from chainlead.domain.decisions import decide as make_action
    from chainlead.errors import InvalidInput
    from chainlead.render.formats import choose
    from chainlead.render.output import message, render
    from chainlead.render.words import light_word

    if text is not None and action is not None:
        raise InvalidInput(
            "--action", _("give either the text of a new decision or --action N, not both")
        )
    if text is None and action is None:
        raise InvalidInput(
            "--action",
            _("give the text of a new decision, or --action N for decision N of the meeting"),
        )
    if unit is None:
        raise InvalidInput(
            "--unit", _("every action needs a responsible institution: give --unit NAME")
        )
    if due is None:
        raise InvalidInput("--due", _("every action needs a time limit: give --due DATE"))
    due_on = _date("--due", due)
    warning_days = settings().warning_days
    with writing() as (db, stamp):
        made = make_action(
            db,
            meeting=meeting,
            text=text,
            number=action,
            unit=unit,
            due=due_on,  # type: ignore[arg-type]
            owner=owner,
            priority=priority.value,
            new_unit=new_unit,
            new_person=new_person,
            stamp=stamp,
            warning_days=warning_days,
        )
    render(made, choose(json=json), people=lambda done: done.action.key)
    item = made.action
    if made.new_decision:
        said = _(
            "{meeting} new decision {n} → action {key} for {unit}, due {day} ({light}): {title}"
        )
    else:
        said = _("{meeting} decision {n} → action {key} for {unit}, due {day} ({light}): {title}")
    message(
        said.format(
            meeting=made.meeting,
            n=made.number,
            key=item.key,
            unit=item.unit,
            day=item.due_on.isoformat(),
            light=light_word(item.light),
            title=item.title,
        )
    )


@app.command("list")
def list_(
    chain: Annotated[str | None, _opt("--chain", "Only this chain.")] = None,
    month: Annotated[str | None, _opt("--month", "Only this month.")] = None,
    from_month: Annotated[str | None, _opt("--from", "From this month on.")] = None,
    to_month: Annotated[str | None, _opt("--to", "Up to this month.", metavar="MONTH")] = None,
    kind: KindOpt = None,
    json: JsonFlag = False,
    csv: CsvFlag = False,
) -> None:
    """List meeting entries by month and chain, follow-up meetings in order.

    \b
    Example:
      chainlead schedule list --chain IC --from 2026-09 --to 2026-11
    """
    from chainlead.domain.schedule_views import list_meetings
    from chainlead.render.formats import choose
    from chainlead.render.schedules import print_meetings

    fmt = choose(json=json, csv=csv)
    with viewing() as (reader, _current):
        rows = list_meetings(
            reader,
            chain=chain,
            month=month,
            from_month=from_month,
            to_month=to_month,
            kind=kind.value if kind else None,
        )
    print_meetings(rows, fmt)


@app.command("show")
def show(meeting: MeetingArg, json: JsonFlag = False) -> None:
    """Show a meeting: decisions, figures, linked items with today's lights, history.

    Each decision is shown with its actions (`schedule decide`) and the meeting's
    fulfilment rate (决议落实率): its decisions whose actions (at least one,
    dropped ones left out) are all resolved or closed by the day of the chain's
    next scheduling meeting, or by today while there is none, over all its
    decisions.

    \b
    Example:
      chainlead schedule show IC-M3
    """
    from chainlead.domain.schedule_views import meeting_detail
    from chainlead.render.formats import choose
    from chainlead.render.output import render
    from chainlead.render.schedules import meeting_card

    with viewing() as (reader, current):
        detail = meeting_detail(
            reader, key=meeting, today=current.today(), warning_days=current.warning_days
        )
    render(detail, choose(json=json), people=meeting_card)


@app.command("edit")
def edit(
    meeting: MeetingArg,
    kind: KindOpt = None,
    month: Annotated[
        str | None, _opt("--month", "New month, YYYY-MM (the day held must fall in it).")
    ] = None,
    held_on: Annotated[
        str | None, _opt("--held-on", "New day held (moves the month with it).")
    ] = None,
    chair: Annotated[
        str | None,
        _opt(
            "--chair",
            "New chair (a known person, or give --new-person).",
            autocompletion=complete_person_name,
        ),
    ] = None,
    summary: Annotated[str | None, _opt("--summary", "New summary ('' clears it).")] = None,
    decision: Annotated[
        Texts, _opt("--decision", "Replace all decisions with these (repeatable).")
    ] = None,
    attendee: Annotated[
        Texts, _opt("--attendee", "Replace all attendees with these (repeatable).")
    ] = None,
    figure: Annotated[
        Texts, _opt("--figure", "Add or change a figure NAME=NUMBER[:UNIT] (repeatable).")
    ] = None,
    drop_figure: Annotated[Texts, _opt("--drop-figure", "Remove a figure by name.")] = None,
    raises: RaisesOpt = None,
    discusses: DiscussesOpt = None,
    unlink: Annotated[
        Texts, _opt("--unlink", "Remove a mistaken item link, e.g. IC-7 (repeatable).")
    ] = None,
    reason: Annotated[str | None, _opt("--reason", "Why, kept with the change.")] = None,
    new_person: NewPersonFlag = False,
    backdate: BackdateFlag = False,
    json: JsonFlag = False,
) -> None:
    """Correct a meeting entry; the old values stay in its history.

    \b
    Example:
      chainlead schedule edit IC-M3 --held-on 2026-11-19 --figure new_projects=4 \\
        --discusses IC-9 --reason "minutes corrected"
    """
    from chainlead.domain.schedules import edit_meeting
    from chainlead.errors import InvalidInput
    from chainlead.render.formats import choose
    from chainlead.render.output import message, render

    given = (kind, month, held_on, chair, summary, decision, attendee, figure, drop_figure)
    if all(v is None for v in given) and not (raises or discusses or unlink):
        raise InvalidInput(
            "schedule edit",
            _(
                "give at least one change: --kind, --month, --held-on, --chair, --summary, "
                "--decision, --attendee, --figure, --drop-figure, --raises, --discusses, --unlink"
            ),
        )
    held = _date("--held-on", held_on)
    warning_days = settings().warning_days
    with writing() as (db, stamp):
        detail, changes = edit_meeting(
            db,
            key=meeting,
            kind=kind.value if kind else None,
            month=month,
            held_on=held,
            chair=chair,
            summary=summary,
            decisions=tuple(decision) if decision is not None else None,
            attendees=tuple(attendee) if attendee is not None else None,
            figures=tuple(figure or ()),
            drop_figures=tuple(drop_figure or ()),
            raises=_keys(raises),
            discusses=_keys(discusses),
            unlink=_keys(unlink),
            reason=reason,
            stamp=stamp,
            warning_days=warning_days,
            new_person=new_person,
            backdate=backdate,
        )
    render(detail, choose(json=json), people=lambda _detail: None)  # people read the message
    if changes:
        message(
            ngettext(
                "{n} change recorded; {meeting}", "{n} changes recorded; {meeting}", changes
            ).format(n=changes, meeting=_told(detail))
        )
    else:
        message(_("{key}: nothing to change, it already says so").format(key=detail.key))


@app.command("missing")
def missing(
    month: Annotated[
        str | None, _opt("--month", "The month to check, YYYY-MM [default: this month].")
    ] = None,
    json: JsonFlag = False,
    csv: CsvFlag = False,
) -> None:
    """List chains with no scheduling meeting on record for a month.

    \b
    Example:
      chainlead schedule missing --month 2026-11
    """
    from chainlead.domain.schedule_views import missing_meetings
    from chainlead.render.formats import choose
    from chainlead.render.output import render
    from chainlead.render.schedules import missing_columns
    from chainlead.values import month_of, parse_month

    fmt = choose(json=json, csv=csv)
    wanted = parse_month("--month", month) if month is not None else None
    with viewing() as (reader, current):
        wanted = wanted or month_of(current.today())  # a demo database: its day's month
        rows = missing_meetings(reader, month=wanted, zone=current.zone())
    render(
        rows,
        fmt,
        columns=missing_columns(fmt),
        title=_("No scheduling meeting on record for {month}").format(month=wanted),
        empty=_("every chain expected in {month} has its scheduling meeting on record").format(
            month=wanted
        ),
    )


@app.command("agenda")
def agenda(chain: ChainArg, json: JsonFlag = False) -> None:
    """Prepare a chain's next meeting: red, yellow and blocked items, sign-offs, last decisions.

    The last scheduling meeting's decisions not yet fulfilled, with their
    actions, come first.

    \b
    Example:
      chainlead schedule agenda IC
    """
    from chainlead.domain.schedule_views import agenda as build_agenda
    from chainlead.render.formats import choose
    from chainlead.render.output import render
    from chainlead.render.schedules import agenda_card

    with viewing() as (reader, current):
        result = build_agenda(
            reader, chain=chain, today=current.today(), warning_days=current.warning_days
        )
    render(result, choose(json=json), people=agenda_card)
