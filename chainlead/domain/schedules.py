"""Meeting entries: the chain leader's monthly scheduling meeting, and the other
meetings (breakfast meetings, salons, visits) where bottleneck items are raised.

A meeting entry has a key ``<CHAIN>-M<n>`` (e.g. ``IC-M3``) taken from
``chain.next_meeting_no``, so keys are never reused. It records the month it
counts for, the day it was held, who chaired it, who attended, a summary, the
decisions (matters coordinated) in order, the chain's key figures for the
month, and links to the items it raised or moved on (``raised`` /
``discussed``). Linking an item writes an item event of kind ``linked``
(``field`` = the relation, ``text`` = the meeting key).

Only ``scheduling`` entries count for the monthly duty (which chains are
expected in a month: ``chainlead.domain.schedule_views``, where every read of
meetings lives).

Every function here is keyword-only, takes a ``Reader``, reads and writes
through the store (``chainlead.store``), returns frozen dataclasses, and
never prints or commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation

from chainlead.domain import Stamp
from chainlead.domain.backdating import before_chain, record_backdated
from chainlead.domain.chain_views import leader_on
from chainlead.domain.history import record
from chainlead.domain.people import find_person, named_person
from chainlead.domain.schedule_views import (
    Figure,
    MeetingDetail,
    meeting_detail,
    meeting_key,
    meeting_not_found,
    parse_kind,
)
from chainlead.errors import (
    InvalidInput,
    RuleViolation,
)
from chainlead.i18n import _
from chainlead.store.chains import ChainRecord, chain_of, lock_chain, require_active, take_number
from chainlead.store.connection import Reader
from chainlead.store.decisions import action_rows, decision_rows, rewrite_decisions
from chainlead.store.items import ItemRecord, person_name
from chainlead.store.meetings import (
    FigureRow,
    MeetingRecord,
    delete_figure,
    delete_link,
    insert_figure,
    insert_meeting,
    link_to,
    meeting_by_key,
    replace_attendees,
    replace_decisions,
    save_meeting,
    update_figure,
)
from chainlead.store.meetings import attendees as stored_attendees
from chainlead.store.meetings import decisions as stored_decisions
from chainlead.store.meetings import figures as stored_figures
from chainlead.values import (
    check_name,
    check_text,
    month_bounds,
    month_of,
    parse_month,
)
from chainlead.vocabulary import (
    FIGURE_NAME_MAX,
    FIGURE_UNIT_MAX,
    FIGURE_VALUE_MAX,
    SCHEDULING,
    TEXT_MAX,
    Relation,
)

RAISED = Relation.raised.value
DISCUSSED = Relation.discussed.value

FIGURE_FORM = "expected NAME=NUMBER or NAME=NUMBER:UNIT, e.g. output_value=12.5:100M CNY"


# --------------------------------------------------------------------------
# Parsing what users type


def parse_figure(text: str, field: str = "--figure") -> Figure:
    """``NAME=NUMBER`` or ``NAME=NUMBER:UNIT``; the number is kept as exact decimal text."""
    if "=" not in text:
        raise InvalidInput(field, FIGURE_FORM, text)
    raw_name, rest = text.split("=", 1)
    raw_value, _colon, raw_unit = rest.partition(":")
    name = check_text(field + " name", raw_name, max_len=FIGURE_NAME_MAX, multiline=False)
    if name is None:
        raise InvalidInput(
            field, _("{figure_form} (the name is missing)").format(figure_form=FIGURE_FORM), text
        )
    try:
        number = Decimal(raw_value.strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or not raw_value.strip():
        raise InvalidInput(
            field, _("{name}: expected a number such as 12.5 or -3").format(name=name), raw_value
        )
    value = format(number, "f")
    if len(value) > FIGURE_VALUE_MAX:
        raise InvalidInput(
            field,
            _("{name}: expected a number of at most {figure_value_max} digits").format(
                name=name, figure_value_max=FIGURE_VALUE_MAX
            ),
            raw_value,
        )
    unit = (
        check_text(field + " unit", raw_unit, max_len=FIGURE_UNIT_MAX, multiline=False)
        if raw_unit
        else None
    )
    return Figure(name=name, value=value, unit=unit)


def _parse_figures(texts: Iterable[str], field: str = "--figure") -> list[Figure]:
    figures: list[Figure] = []
    seen: set[str] = set()
    for text in texts:
        figure = parse_figure(text, field)
        if figure.name.lower() in seen:
            raise InvalidInput(
                field, _("figure {name!r} is given twice; give it once").format(name=figure.name)
            )
        seen.add(figure.name.lower())
        figures.append(figure)
    return figures


def _decisions(texts: Iterable[str]) -> list[str]:
    out = []
    for text in texts:
        decision = check_text("--decision", text, max_len=TEXT_MAX, multiline=False)
        if decision is None:
            raise InvalidInput(
                "--decision",
                _("must not be empty (1-{text_max} characters)").format(text_max=TEXT_MAX),
            )
        out.append(decision)
    return out


def _attendees(texts: Iterable[str]) -> list[str]:
    out: list[str] = []
    for text in texts:
        name = check_name("--attendee", text)
        if name and name not in out:
            out.append(name)
    return out


def _held_and_month(*, month: str | None, held_on: date | None, today: date) -> tuple[str, date]:
    """Resolve ``--month``/``--held-on`` together: held in the month, not in the future."""
    if month is not None:
        month = parse_month("--month", month)
    if held_on is None:
        if month is not None and month_of(today) != month:
            raise InvalidInput(
                "--held-on",
                _("give the day the {month} meeting was held (a date within {month})").format(
                    month=month
                ),
            )
        held_on = today
    if held_on > today:
        raise InvalidInput(
            "--held-on",
            _("expected a day on or before today ({today})").format(today=today.isoformat()),
            str(held_on),
        )
    if month is None:
        month = month_of(held_on)
    first, last = month_bounds(month)
    if not first <= held_on <= last:
        raise InvalidInput(
            "--held-on",
            _("expected a day within --month {month} ({first} to {last})").format(
                month=month, first=first.isoformat(), last=last.isoformat()
            ),
            str(held_on),
        )
    return month, held_on


# --------------------------------------------------------------------------
# Lookups


def get_meeting(conn: Reader, *, key: str, field: str = "meeting") -> MeetingRecord:
    """The meeting with this key (any case), or MeetingNotFound."""
    normalized = meeting_key(conn, key, field=field)
    meeting = meeting_by_key(conn, normalized)
    if meeting is None:
        raise meeting_not_found(conn, normalized)
    return meeting


def _items_to_link(
    db: Reader, *, chain: ChainRecord, raises: Sequence[str], discusses: Sequence[str]
) -> list[tuple[ItemRecord, str, str]]:
    """Check every key given to --raises/--discusses: (item, relation, option)."""
    from chainlead.domain.views import item_key  # only when items are named

    wanted: list[tuple[str, str, str]] = []
    seen: dict[str, str] = {}
    for option, relation, keys in (
        ("--raises", RAISED, raises),
        ("--discusses", DISCUSSED, discusses),
    ):
        for raw in keys:
            key = item_key(db, raw, field=option)
            if key in seen:
                if seen[key] != relation:
                    raise InvalidInput(
                        option,
                        _(
                            "{key} is given to both --raises and --discusses; an item is "
                            "either raised or discussed at a meeting"
                        ).format(key=key),
                    )
                continue
            seen[key] = relation
            wanted.append((key, relation, option))
    if not wanted:
        return []
    from chainlead.domain.bottlenecks import get_item  # only when items are named

    out = []
    for key, relation, option in wanted:
        item = get_item(db, key=key, field=option)
        if item.chain_id != chain.id:
            owner = chain_of(db, item.chain_id)
            raise RuleViolation(
                _(
                    "{option}: item {key} belongs to chain {code}, not {code2}; "
                    "a meeting links only its own chain's items"
                ).format(option=option, key=key, code=owner.code, code2=chain.code)
            )
        out.append((item, relation, option))
    return out


def _link(
    db: Reader,
    *,
    meeting: MeetingRecord,
    item: ItemRecord,
    relation: str,
    option: str,
    stamp: Stamp,
) -> bool:
    """Link an item to a meeting; False when that link already exists."""
    from chainlead.domain.bottlenecks import link_meeting

    event = link_meeting(
        db, item=item, meeting=meeting, relation=relation, option=option, stamp=stamp
    )
    return event is not None


# --------------------------------------------------------------------------
# Writes


def add_meeting(
    db: Reader,
    *,
    chain: str,
    stamp: Stamp,
    kind: str = SCHEDULING,
    month: str | None = None,
    held_on: date | None = None,
    chair: str | None = None,
    summary: str | None = None,
    decisions: Sequence[str] = (),
    attendees: Sequence[str] = (),
    figures: Sequence[str] = (),
    raises: Sequence[str] = (),
    discusses: Sequence[str] = (),
    warning_days: int = 7,
    new_person: bool = False,
    backdate: bool = False,
) -> MeetingDetail:
    """Record a meeting of an active chain and link the items it raised or moved on.

    ``held_on`` defaults to today and ``month`` to the month of ``held_on``;
    the day must fall within the month and not after today. ``chair`` defaults
    to the chain leader on that day and must be a person chainlead knows.
    ``figures`` are ``NAME=NUMBER[:UNIT]`` texts; ``raises``/``discusses`` are
    item keys of the same chain. A day held before the chain was created is
    refused unless ``backdate`` (then the history says so).
    """
    kind = parse_kind(kind)
    month, held_on = _held_and_month(month=month, held_on=held_on, today=stamp.today)
    summary = check_text("--summary", summary, max_len=TEXT_MAX)
    decision_texts = _decisions(decisions)
    attendee_names = _attendees(attendees)
    parsed_figures = _parse_figures(figures)
    found = lock_chain(db, code=chain)
    require_active(found)
    backdated = before_chain(found, held_on, option="--held-on", backdate=backdate)
    if chair is not None:
        chair_id: int | None = named_person(
            db, name=chair, stamp=stamp, field="--chair", new_person=new_person
        ).id
    else:
        leader = leader_on(db, chain_id=found.id, day=held_on)
        chair_id = leader.person_id if leader else None
    links = _items_to_link(db, chain=found, raises=raises, discusses=discusses)
    number = take_number(db, found, meeting=True)
    meeting = insert_meeting(
        db,
        key=f"{found.code}-M{number}",
        chain_id=found.id,
        number=number,
        kind=kind,
        month=month,
        held_on=held_on,
        chair_id=chair_id,
        summary=summary,
        at=stamp.at,
    )
    record(
        db,
        stamp=stamp,
        kind="created",
        chain_id=found.id,
        meeting_id=meeting.id,
        new=meeting.key,
        text=f"{kind} meeting for {month}, held {held_on.isoformat()}",
    )
    if backdated:
        record_backdated(
            db, stamp=stamp, chain=found, field="held_on", day=held_on, meeting_id=meeting.id
        )
    replace_decisions(db, meeting.id, decision_texts)
    replace_attendees(db, meeting.id, attendee_names)
    for figure in parsed_figures:
        insert_figure(
            db, meeting_id=meeting.id, name=figure.name, value=figure.value, unit=figure.unit
        )
    for item, relation, option in links:
        _link(db, meeting=meeting, item=item, relation=relation, option=option, stamp=stamp)
    return meeting_detail(db, key=meeting.key, today=stamp.today, warning_days=warning_days)


def _figure_text(figure: FigureRow | Figure) -> str:
    return f"{figure.name}={figure.value}" + (f" {figure.unit}" if figure.unit else "")


def edit_meeting(
    db: Reader,
    *,
    key: str,
    stamp: Stamp,
    kind: str | None = None,
    month: str | None = None,
    held_on: date | None = None,
    chair: str | None = None,
    summary: str | None = None,
    decisions: Sequence[str] | None = None,
    attendees: Sequence[str] | None = None,
    figures: Sequence[str] = (),
    drop_figures: Sequence[str] = (),
    raises: Sequence[str] = (),
    discusses: Sequence[str] = (),
    unlink: Sequence[str] = (),
    reason: str | None = None,
    warning_days: int = 7,
    new_person: bool = False,
    backdate: bool = False,
) -> tuple[MeetingDetail, int]:
    """Correct a meeting entry; every change is an ``edited`` event with old and new.

    ``decisions``/``attendees`` replace the whole list when given; ``figures``
    set (add or change) figures by name and ``drop_figures`` remove them;
    ``raises``/``discusses`` add links and ``unlink`` removes an item's link.
    Giving only ``held_on`` moves the month with it; a day before the chain was
    created is refused unless ``backdate``. Returns the meeting and how many
    changes were recorded (0: everything was already so).
    """
    kind = parse_kind(kind) if kind is not None else None
    reason = check_text("--reason", reason, max_len=TEXT_MAX)
    decision_texts = _decisions(decisions) if decisions is not None else None
    attendee_names = _attendees(attendees) if attendees is not None else None
    parsed_figures = _parse_figures(figures)
    meeting = get_meeting(db, key=key, field="meeting")
    chain = chain_of(db, meeting.chain_id)
    require_active(chain)
    if chair is not None:  # an unknown chair is refused, or created with ``new_person``
        named_person(db, name=chair, stamp=stamp, field="--chair", new_person=new_person)
    moved = _move_meeting(meeting, month=month, held_on=held_on, today=stamp.today)
    backdated = any(field == "held_on" for field, _, _ in moved) and before_chain(
        chain, meeting.held_on, option="--held-on", backdate=backdate
    )
    changes = [
        *moved,
        *_edit_fields(db, meeting, kind=kind, chair=chair, summary=summary),
        *_replace_decisions(db, meeting, decision_texts),
        *_replace_attendees(db, meeting, attendee_names),
        *_edit_figures(db, meeting, parsed_figures, drop_figures),
    ]
    if changes:
        save_meeting(db, meeting)
    _record_edits(db, meeting, changes, stamp=stamp, reason=reason)
    if backdated:
        record_backdated(
            db,
            stamp=stamp,
            chain=chain,
            field="held_on",
            day=meeting.held_on,
            meeting_id=meeting.id,
        )
    count = len(changes)
    count += _unlink(db, meeting=meeting, keys=unlink, stamp=stamp, reason=reason)
    count += _link_more(
        db, meeting=meeting, chain=chain, raises=raises, discusses=discusses, stamp=stamp
    )
    return meeting_detail(db, key=meeting.key, today=stamp.today, warning_days=warning_days), count


def _move_meeting(
    meeting: MeetingRecord, *, month: str | None, held_on: date | None, today: date
) -> list[tuple[str, object, object]]:
    """The month and the day held, each when given and different."""
    changes: list[tuple[str, object, object]] = []
    if month is not None or held_on is not None:
        new_month, new_held = _held_and_month(
            month=month,  # only --held-on given: the month follows the day
            held_on=held_on if held_on is not None else meeting.held_on,
            today=today,
        )
        if new_month != meeting.month:
            changes.append(("month", meeting.month, new_month))
            meeting.month = new_month
        if new_held != meeting.held_on:
            changes.append(("held_on", meeting.held_on, new_held))
            meeting.held_on = new_held
    return changes


def _edit_fields(
    db: Reader,
    meeting: MeetingRecord,
    *,
    kind: str | None,
    chair: str | None,
    summary: str | None,
) -> list[tuple[str, object, object]]:
    """The kind, the chair and the summary, each when given and different."""
    changes: list[tuple[str, object, object]] = []
    if kind is not None and kind != meeting.kind:
        changes.append(("kind", meeting.kind, kind))
        meeting.kind = kind
    if chair is not None:
        person = find_person(db, name=chair, field="--chair")
        if person.id != meeting.chair_id:
            old = person_name(db, meeting.chair_id) if meeting.chair_id else None
            changes.append(("chair", old, person.name))
            meeting.chair_id = person.id
    if summary is not None:
        new_summary = check_text("--summary", summary, max_len=TEXT_MAX)
        if new_summary != meeting.summary:
            changes.append(("summary", meeting.summary, new_summary))
            meeting.summary = new_summary
    return changes


def _replace_decisions(
    db: Reader, meeting: MeetingRecord, texts: list[str] | None
) -> list[tuple[str, object, object]]:
    """The whole list of decisions, when given and different."""
    if texts is None:
        return []
    current = stored_decisions(db, meeting.id)
    if current == texts:
        return []
    acted = _decisions_with_actions(db, meeting)
    if acted:  # decisions with actions keep their rows: reworded in place, never removed
        removed = [n for n in acted if n > len(texts)]
        if removed:
            raise RuleViolation(
                _(
                    "--decision: {key} decision {value} has actions ({join}); "
                    "give at least {max} decisions, the decisions with actions "
                    "kept in their places"
                ).format(
                    key=meeting.key,
                    value=removed[0],
                    join=", ".join(acted[removed[0]]),
                    max=max(acted),
                )
            )
        rewrite_decisions(db, meeting.id, texts)
    else:
        replace_decisions(db, meeting.id, texts)
    return [("decisions", "\n".join(current), "\n".join(texts))]


def _decisions_with_actions(db: Reader, meeting: MeetingRecord) -> dict[int, list[str]]:
    """The numbers of the meeting's decisions with actions, and their actions' keys."""
    rows = decision_rows(db, [meeting.id]).get(meeting.id, [])
    actions = action_rows(db, [meeting.id])
    return {r.number: [a.key for a in actions[r.id]] for r in rows if actions.get(r.id)}


def _replace_attendees(
    db: Reader, meeting: MeetingRecord, names: list[str] | None
) -> list[tuple[str, object, object]]:
    """The whole list of attendees, when given and different."""
    if names is None:
        return []
    current = stored_attendees(db, meeting.id)
    if current == names:
        return []
    replace_attendees(db, meeting.id, names)
    return [("attendees", "\n".join(current), "\n".join(names))]


def _record_edits(
    db: Reader,
    meeting: MeetingRecord,
    changes: Sequence[tuple[str, object, object]],
    *,
    stamp: Stamp,
    reason: str | None,
) -> None:
    """One ``edited`` event per change, with the old and the new value."""
    for field, old, new in changes:
        record(
            db,
            stamp=stamp,
            kind="edited",
            chain_id=meeting.chain_id,
            meeting_id=meeting.id,
            field=field,
            old=old,
            new=new,
            text=reason,
        )


def _link_more(
    db: Reader,
    *,
    meeting: MeetingRecord,
    chain: ChainRecord,
    raises: Sequence[str],
    discusses: Sequence[str],
    stamp: Stamp,
) -> int:
    """Link the items given to --raises/--discusses; how many links are new."""
    count = 0
    for item, relation, option in _items_to_link(
        db, chain=chain, raises=raises, discusses=discusses
    ):
        if _link(db, meeting=meeting, item=item, relation=relation, option=option, stamp=stamp):
            count += 1
    return count


def _edit_figures(
    db: Reader, meeting: MeetingRecord, figures: Sequence[Figure], drop: Sequence[str]
) -> list[tuple[str, object, object]]:
    rows = {f.name.lower(): f for f in stored_figures(db, meeting.id)}
    changes: list[tuple[str, object, object]] = []
    dropped: set[str] = set()
    for raw in drop:
        name = check_text("--drop-figure", raw, max_len=FIGURE_NAME_MAX, multiline=False) or ""
        row = rows.get(name.lower())
        if row is None:
            known = ", ".join(sorted(r.name for r in rows.values())) or "none"
            raise InvalidInput(
                "--drop-figure",
                _("{key} has no figure {name!r} (figures: {known})").format(
                    key=meeting.key, name=name, known=known
                ),
            )
        if any(f.name.lower() == name.lower() for f in figures):
            raise InvalidInput(
                "--drop-figure", _("{name!r} is also given to --figure").format(name=name)
            )
        if name.lower() in dropped:
            continue
        dropped.add(name.lower())
        changes.append(("figure", _figure_text(row), None))
        delete_figure(db, row)
    for figure in figures:
        row = rows.get(figure.name.lower())
        if row is None:
            changes.append(("figure", None, _figure_text(figure)))
            insert_figure(
                db, meeting_id=meeting.id, name=figure.name, value=figure.value, unit=figure.unit
            )
        elif (row.name, row.value, row.unit) != (figure.name, figure.value, figure.unit):
            changes.append(("figure", _figure_text(row), _figure_text(figure)))
            row.name, row.value, row.unit = figure.name, figure.value, figure.unit
            update_figure(db, row)
    return changes


def _unlink(
    db: Reader, *, meeting: MeetingRecord, keys: Sequence[str], stamp: Stamp, reason: str | None
) -> int:
    """Remove mistaken item links; an ``unlinked`` item event keeps the record."""
    from chainlead.domain.views import item_key

    count = 0
    for raw in dict.fromkeys(item_key(db, k, field="--unlink") for k in keys):
        found = link_to(db, meeting.id, raw)
        if found is None:
            raise InvalidInput(
                "--unlink", _("{raw} is not linked to {key}").format(raw=raw, key=meeting.key)
            )
        link_id, relation, item_id, chain_id = found
        said = f"{relation} at {meeting.key}"
        record(
            db,
            stamp=stamp,
            kind="unlinked",
            chain_id=chain_id,
            item_id=item_id,
            meeting_id=meeting.id,
            field=relation,
            text=f"{said}: {reason}" if reason else said,
        )
        delete_link(db, link_id)
        count += 1
    return count
