"""Chain projects (建链、强链、补链、延链): their plan, progress, milestones and light.

A project belongs to one chain and is keyed ``<CHAIN>-P<n>`` (``IC-P1``); the
number comes from the chain's own counter (``chain.next_project_no``), taken
under the chain's lock as item numbers are, and is never handed out again. It
names the enterprise that carries it (found as enterprises are), optionally a
link of the chain's map, a responsible institution and an owner.

Its plan is a period ``[start_on, end_on]``, an investment (exact decimal text
in a unit, e.g. 45 亿元) and milestones (节点). Progress reports are appended,
never changed: each says the percent done and the investment made so far on a
day; the project's ``percent`` and ``invested`` are the latest report's. A
report lower than the latest (in percent or invested) needs a reason
(``--why``). Moving the planned end needs one too; ``planned_end_on`` keeps the
first plan. The light is ``chainlead.domain.project_lights``'s.

Every change writes one event with the project (and its chain) on it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from chainlead.clock import local_day
from chainlead.domain import Stamp
from chainlead.domain.history import record
from chainlead.domain.lights import PROJECT_LIGHTS
from chainlead.domain.project_lights import LightRules, MilestoneDue, ProjectLight, project_light
from chainlead.errors import AlreadyExists, InvalidInput, NotFound, RuleViolation
from chainlead.i18n import _
from chainlead.store.chains import ChainRecord, chain_of, find_chain, lock_chain, require_active
from chainlead.store.connection import Reader
from chainlead.store.projects import (
    MilestoneRecord,
    ProgressRecord,
    ProjectEvent,
    ProjectListed,
    ProjectRecord,
    every_milestone,
    insert_milestone,
    insert_progress,
    insert_project,
    item_keys_of,
    listed_projects,
    milestones_of,
    progress_of,
    project_by_key,
    project_events,
    project_keys,
    set_milestone_done,
    take_project_number,
    update_project,
)
from chainlead.values import check_plan_date, check_text, parse_choice, typed
from chainlead.vocabulary import (
    FIGURE_UNIT_MAX,
    FIGURE_VALUE_MAX,
    PROJECT_STATUSES,
    PROJECT_TYPE_NAMES_ZH,
    PROJECT_TYPES,
    STATUSES,
    TEXT_MAX,
    TITLE_MAX,
    ProjectStatus,
)

if TYPE_CHECKING:
    from chainlead.domain.views import ItemRow

__all__ = [
    "PROJECT_KEY_FORM",
    "ProjectChange",
    "ProjectDetail",
    "ProjectRow",
    "add_project",
    "drop_project",
    "edit_project",
    "finish_project",
    "light_on",
    "list_projects",
    "mark_milestone",
    "parse_amount",
    "parse_project_key",
    "project_detail",
    "project_for_item",
    "record_progress",
]

PROJECT_KEY_FORM = "expected a project key such as IC-P1"
AMOUNT_FORM = "expected a number of at least 0 such as 45 or 12.5"
DEFAULT_INVESTMENT_UNIT = "亿元"
_PROJECT_KEY = re.compile(r"^([A-Z][A-Z0-9]{0,9})-P([0-9]{1,9})$")


# --------------------------------------------------------------------------- values


def choice(field: str, value: str, allowed: Sequence[str]) -> str:
    """``value`` (any case) if it is one of ``allowed``, else InvalidInput (as
    ``domain.views.choice``, without importing the item views a list does not need).
    A project's type may also be typed by its Chinese name (强链: ``values.choice_key``)."""
    return parse_choice(field, value, allowed)


def parse_project_key(text: str, field: str = "KEY") -> str:
    """``ic-p1`` -> ``IC-P1``; anything else is refused."""
    match = _PROJECT_KEY.match(typed(text).upper()) if isinstance(text, str) else None
    if not match:
        raise InvalidInput(field, PROJECT_KEY_FORM, text)
    return f"{match.group(1)}-P{int(match.group(2))}"


def parse_amount(field: str, text: str | None) -> str | None:
    """An amount of money (investment planned or made) as exact decimal text, at least
    0; ``None`` or ``''`` gives None."""
    if text is None or not typed(text):
        return None
    raw = typed(text)
    try:
        number = Decimal(raw)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number < 0:
        raise InvalidInput(field, AMOUNT_FORM, text)
    value = format(number, "f")
    if len(value) > FIGURE_VALUE_MAX:
        raise InvalidInput(
            field,
            _("expected a number of at most {figure_value_max} digits").format(
                figure_value_max=FIGURE_VALUE_MAX
            ),
            text,
        )
    return value


def _percent(value: int) -> int:
    if not 0 <= value <= 100:
        raise InvalidInput("--percent", _("expected a whole number from 0 to 100"), value)
    return value


def _title(value: str | None) -> str:
    return check_text("TITLE", value, required=True, max_len=TITLE_MAX, multiline=False) or ""


def _unit_text(value: str | None) -> str | None:
    return check_text("--investment-unit", value, max_len=FIGURE_UNIT_MAX, multiline=False)


def _not_future(field: str, on: date, today: date) -> None:
    if on > today:
        raise RuleViolation(
            _("{field}: {on} is in the future (today is {today})").format(
                field=field, on=on.isoformat(), today=today
            )
        )


# --------------------------------------------------------------------------- finding


def _suggest(db: Reader, key: str) -> list[str]:
    code = key.split("-", 1)[0]
    try:
        chain = find_chain(db, code=code)
    except Exception:  # an unknown chain: no suggestions
        return []
    keys = project_keys(db, chain.id)
    return difflib.get_close_matches(key, keys, n=3, cutoff=0.5) or keys[-3:]


def _load(db: Reader, key: str, *, for_update: bool = False) -> ProjectRecord:
    wanted = parse_project_key(key)
    found = project_by_key(db, wanted, for_update=for_update)
    if found is None:
        raise NotFound("project", wanted, _suggest(db, wanted))
    return found


def _writable(db: Reader, project: ProjectRecord) -> ChainRecord:
    """The project's chain, when the project may still change (active, on an active chain)."""
    chain = chain_of(db, project.chain_id)
    require_active(chain)
    if project.status != ProjectStatus.active:
        day = project.finished_on or project.dropped_on
        raise RuleViolation(
            (
                _("{key} is finished ({day}); it takes no more changes")
                if project.finished_on
                else _("{key} is dropped ({day}); it takes no more changes")
            ).format(key=project.key, day=day)
        )
    return chain


def project_for_item(db: Reader, *, key: str, chain: ChainRecord) -> ProjectRecord:
    """The project an item on ``chain`` is raised by (``bottleneck add --project``): it
    exists and is on the same chain."""
    found = project_by_key(db, parse_project_key(key, "--project"))
    if found is None:
        wanted = parse_project_key(key, "--project")
        raise NotFound("project", wanted, _suggest(db, wanted))
    if found.chain_id != chain.id:
        raise RuleViolation(
            _(
                "--project: {key} is a project of another chain; an item of "
                "{code} can only name a project of {code}"
            ).format(key=found.key, code=chain.code)
        )
    return found


def _enterprise(db: Reader, name: str) -> tuple[int, str]:
    from chainlead.domain.enterprises import get_enterprise

    found = get_enterprise(db, name=name, field="--enterprise")
    return found.id, found.name


def _link(db: Reader, chain_id: int, name: str) -> tuple[int, str]:
    from chainlead.domain.links import find_link

    cleaned = check_text("--link", name, required=True, max_len=200, multiline=False) or ""
    found = find_link(db, chain_id=chain_id, name=cleaned)
    return found.id, found.name


def _unit(db: Reader, name: str) -> tuple[int, str]:
    from chainlead.domain.units import get_unit

    found = get_unit(db, name=name, field="--unit")
    return found.id, found.name


def _owner(db: Reader, name: str, stamp: Stamp, new_person: bool) -> tuple[int, str]:
    from chainlead.domain.people import named_person

    found = named_person(db, name=name, field="--owner", stamp=stamp, new_person=new_person)
    return found.id, found.name


# --------------------------------------------------------------------------- writes


def add_project(
    db: Reader,
    *,
    chain: str,
    title: str,
    type: str,
    enterprise: str,
    start: date,
    end: date,
    stamp: Stamp,
    link: str | None = None,
    investment: str | None = None,
    investment_unit: str | None = None,
    unit: str | None = None,
    owner: str | None = None,
    note: str | None = None,
    new_person: bool = False,
) -> ProjectRecord:
    """Put a new project on a chain; its key is ``<CHAIN>-P<n>``. The investment's unit
    is 亿元 unless given."""
    cleaned = _title(title)
    kind = choice("--type", type, PROJECT_TYPES)
    amount = parse_amount("--investment", investment)
    money = _unit_text(investment_unit)
    if money is not None and amount is None:
        raise InvalidInput("--investment-unit", _("give --investment too (the amount in it)"))
    if amount is not None and money is None:
        money = DEFAULT_INVESTMENT_UNIT
    text = check_text("--note", note, max_len=TEXT_MAX)
    check_plan_date("--start", start)
    check_plan_date("--end", end)
    if end < start:
        raise RuleViolation(
            _(
                "--end: {end} is before the start {start}; a project ends on or after it starts"
            ).format(end=end.isoformat(), start=start.isoformat())
        )
    locked = lock_chain(db, code=chain)
    require_active(locked)
    enterprise_id, _name = _enterprise(db, enterprise)
    link_id = _link(db, locked.id, link)[0] if link else None
    unit_id = _unit(db, unit)[0] if unit else None
    owner_id = _owner(db, owner, stamp, new_person)[0] if owner else None
    number = take_project_number(db, locked.id)
    values: dict[str, object] = dict(
        key=f"{locked.code}-P{number}",
        chain_id=locked.id,
        number=number,
        title=cleaned,
        type=kind,
        enterprise_id=enterprise_id,
        link_id=link_id,
        unit_id=unit_id,
        owner_id=owner_id,
        investment=amount,
        investment_unit=money,
        start_on=start,
        end_on=end,
        planned_end_on=end,
        status=ProjectStatus.active.value,
        percent=0,
        invested=None,
        finished_on=None,
        dropped_on=None,
        note=text,
        created_at=stamp.at,
        updated_at=stamp.at,
    )
    new_id = insert_project(db, **values)
    record(
        db,
        stamp=stamp,
        kind="project_created",
        chain_id=locked.id,
        project_id=new_id,
        new=values["key"],
        text=cleaned,
    )
    return ProjectRecord(id=new_id, uuid="", **values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class ProgressMade:
    """What ``project progress`` and ``project finish`` report."""

    key: str
    percent: int
    previous: int
    invested: str | None
    investment_unit: str | None
    as_of: date


def _append_progress(
    db: Reader,
    *,
    project: ProjectRecord,
    percent: int,
    invested: str | None,
    note: str | None,
    why: str | None,
    on: date,
    stamp: Stamp,
    kind: str,
) -> ProgressMade:
    history = progress_of(db, project.id)
    latest = history[-1] if history else None
    if latest is not None and on < latest.as_of:
        raise RuleViolation(
            _(
                "--on: {on} is before the latest progress report of {key} "
                "({as_of}); report progress in order"
            ).format(on=on.isoformat(), key=project.key, as_of=latest.as_of.isoformat())
        )
    carried = invested if invested is not None else project.invested
    back = []
    if percent < project.percent:
        back.append(
            _("{percent} is below the latest {latest}").format(
                percent=f"{percent}%", latest=f"{project.percent}%"
            )
        )
    if (
        invested is not None
        and project.invested is not None
        and Decimal(invested) < Decimal(project.invested)
    ):
        back.append(
            _("invested {amount} is below the latest {latest}").format(
                amount=invested, latest=project.invested
            )
        )
    if back and not why:
        raise RuleViolation(
            _("{key}: {back}; give --why to record going back").format(
                key=project.key, back="; ".join(back)
            )
        )
    insert_progress(
        db,
        project_id=project.id,
        as_of=on,
        percent=percent,
        invested=carried,
        note=note,
        why=why if back else None,
        by=stamp.actor,
        at=stamp.at,
    )
    update_project(db, project.id, percent=percent, invested=carried, updated_at=stamp.at)
    said = [f"as of {on.isoformat()}"]
    if carried != project.invested:
        said.append(f"invested {project.invested or 0} → {carried}")
    record(
        db,
        stamp=stamp,
        kind=kind,
        chain_id=project.chain_id,
        project_id=project.id,
        field="percent",
        old=project.percent,
        new=percent,
        text="; ".join([", ".join(said), *(t for t in (note, why if back else None) if t)]),
    )
    return ProgressMade(project.key, percent, project.percent, carried, project.investment_unit, on)


def record_progress(
    db: Reader,
    *,
    key: str,
    percent: int,
    note: str,
    stamp: Stamp,
    invested: str | None = None,
    on: date | None = None,
    why: str | None = None,
) -> ProgressMade:
    """Append a progress report: ``percent`` done and ``invested`` so far (cumulative)
    on the day ``on`` (today). Lower than the latest report needs ``why``."""
    percent = _percent(percent)
    amount = parse_amount("--invested", invested)
    text = check_text("--note", note, required=True, max_len=TEXT_MAX)
    reason = check_text("--why", why, max_len=TEXT_MAX)
    day = check_plan_date("--on", on or stamp.today)
    _not_future("--on", day, stamp.today)
    project = _load(db, key, for_update=True)
    _writable(db, project)
    return _append_progress(
        db,
        project=project,
        percent=percent,
        invested=amount,
        note=text,
        why=reason,
        on=day,
        stamp=stamp,
        kind="project_progress",
    )


def mark_milestone(
    db: Reader,
    *,
    key: str,
    title: str,
    stamp: Stamp,
    due: date | None = None,
    done: bool = False,
    on: date | None = None,
) -> tuple[str, MilestoneRecord | None, str]:
    """Add a milestone due on ``due``, or mark one done (on ``on``, today); both at once
    for a milestone reached before it was put on the plan. Returns the project's key,
    the milestone as it was before (None: new), and what was done in words."""
    name = _title(title)
    if on is not None and not done:
        raise InvalidInput("--on", _("is the day a milestone was done: give --done too"))
    day = check_plan_date("--on", on or stamp.today)
    if due is not None:
        check_plan_date("--due", due)
    if done:
        _not_future("--on", day, stamp.today)
    project = _load(db, key, for_update=True)
    _writable(db, project)
    existing = next((m for m in milestones_of(db, project.id) if m.title == name), None)
    words = []
    if existing is None:
        if due is None:
            raise InvalidInput("--due", _("a new milestone needs its due date: give --due DATE"))
        milestone_id = insert_milestone(
            db, project_id=project.id, title=name, due_on=due, done_on=None, at=stamp.at
        )
        record(
            db,
            stamp=stamp,
            kind="project_milestone",
            chain_id=project.chain_id,
            project_id=project.id,
            field="milestone",
            new=due,
            text=name,
        )
        words.append(_("milestone {name!r} due {day}").format(name=name, day=due.isoformat()))
    else:
        if due is not None and due != existing.due_on:
            raise AlreadyExists(
                _("TITLE: {key} already has milestone {name!r}, due {due_on}").format(
                    key=project.key, name=name, due_on=existing.due_on.isoformat()
                )
            )
        if not done:
            raise AlreadyExists(
                _("TITLE: {key} already has milestone {name!r}").format(key=project.key, name=name)
            )
        if existing.done_on is not None:
            raise RuleViolation(
                _("milestone {name!r} of {key} was done on {done_on}").format(
                    name=name, key=project.key, done_on=existing.done_on.isoformat()
                )
            )
        milestone_id = existing.id
    if done:
        set_milestone_done(db, milestone_id, day)
        record(
            db,
            stamp=stamp,
            kind="project_milestone_done",
            chain_id=project.chain_id,
            project_id=project.id,
            field="milestone",
            new=day,
            text=name,
        )
        words.append(_("milestone {name!r} done {day}").format(name=name, day=day.isoformat()))
    update_project(db, project.id, updated_at=stamp.at)
    return project.key, existing, _("; ").join(words)


@dataclass(frozen=True)
class ProjectChange:
    """One field of a project changed: what ``project edit`` reports."""

    key: str
    field: str
    old: str | None
    new: str | None


def edit_project(
    db: Reader,
    *,
    key: str,
    stamp: Stamp,
    title: str | None = None,
    type: str | None = None,
    enterprise: str | None = None,
    link: str | None = None,
    unit: str | None = None,
    owner: str | None = None,
    investment: str | None = None,
    investment_unit: str | None = None,
    start: date | None = None,
    end: date | None = None,
    why: str | None = None,
    note: str | None = None,
    new_person: bool = False,
) -> list[ProjectChange]:
    """Change a project's plan or details; ``None`` leaves a field, ``''`` clears the link,
    institution, owner, investment or note. Moving the end needs ``why``; the first
    planned end stays on record. Each change is one event."""
    reason = check_text("--why", why, max_len=TEXT_MAX)
    if start is not None:
        check_plan_date("--start", start)
    if end is not None:
        check_plan_date("--end", end)
    project = _load(db, key, for_update=True)
    chain_of_project = chain_of(db, project.chain_id)
    require_active(chain_of_project)
    current = {p.record.id: p for p in listed_projects(db, chain_id=project.chain_id)}[project.id]
    # field: (column, old value, new value, old shown, new shown)
    wanted: dict[str, tuple[str, object, object, str | None, str | None]] = {}

    def want(name: str, column: str, new: object, old_shown: object, new_shown: object) -> None:
        old = getattr(project, column)
        if new != old:
            wanted[name] = (column, old, new, _shown(old_shown), _shown(new_shown))

    if title is not None:
        new_title = _title(title)
        want("title", "title", new_title, project.title, new_title)
    if type is not None:
        kind = choice("--type", type, PROJECT_TYPES)
        want("type", "type", kind, project.type, kind)
    if enterprise is not None:
        found_id, found_name = _enterprise(db, enterprise)
        want("enterprise", "enterprise_id", found_id, current.enterprise, found_name)
    if link is not None:
        link_id, link_name = _link(db, project.chain_id, link) if link.strip() else (None, None)
        want("link", "link_id", link_id, current.link, link_name)
    if unit is not None:
        unit_id, unit_name = _unit(db, unit) if unit.strip() else (None, None)
        want("unit", "unit_id", unit_id, current.unit, unit_name)
    if owner is not None:
        owner_id, owner_name = (
            _owner(db, owner, stamp, new_person) if owner.strip() else (None, None)
        )
        want("owner", "owner_id", owner_id, current.owner, owner_name)
    if investment is not None:
        amount = parse_amount("--investment", investment)
        want("investment", "investment", amount, project.investment, amount)
        if amount is not None and project.investment_unit is None and investment_unit is None:
            investment_unit = DEFAULT_INVESTMENT_UNIT
    if investment_unit is not None:
        money = _unit_text(investment_unit)
        want("investment_unit", "investment_unit", money, project.investment_unit, money)
    if note is not None:
        text = check_text("--note", note, max_len=TEXT_MAX)
        want("note", "note", text, project.note, text)
    if start is not None:
        want("start", "start_on", start, project.start_on, start)
    if end is not None:
        want("end", "end_on", end, project.end_on, end)
    new_start = start if start is not None else project.start_on
    new_end = end if end is not None else project.end_on
    if new_end < new_start:
        raise RuleViolation(
            _(
                "--end: {new_end} is before the start {new_start}; a project "
                "ends on or after it starts"
            ).format(new_end=new_end.isoformat(), new_start=new_start.isoformat())
        )
    if "end" in wanted and not reason:
        raise RuleViolation(
            _(
                "--end: moving the planned end of {key} ({end_on} → "
                "{new_end}) needs a reason: give --why"
            ).format(
                key=project.key, end_on=project.end_on.isoformat(), new_end=new_end.isoformat()
            )
        )
    if why is not None and "end" not in wanted:
        raise InvalidInput("--why", _("is the reason for moving the end: give --end too"))
    changes = []
    for name, (column, _old, new, old_shown, new_shown) in wanted.items():
        update_project(db, project.id, **{column: new})
        record(
            db,
            stamp=stamp,
            kind="project_edited",
            chain_id=project.chain_id,
            project_id=project.id,
            field=name,
            old=old_shown,
            new=new_shown,
            text=reason if name == "end" else None,
        )
        changes.append(ProjectChange(project.key, name, old_shown, new_shown))
    if changes:
        update_project(db, project.id, updated_at=stamp.at)
    return changes


def _shown(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def finish_project(
    db: Reader, *, key: str, stamp: Stamp, on: date | None = None, note: str | None = None
) -> ProgressMade:
    """The project is done: 100 percent on ``on`` (today), a last progress report, and
    no light from then on."""
    text = check_text("--note", note, max_len=TEXT_MAX) or "finished"
    day = check_plan_date("--on", on or stamp.today)
    _not_future("--on", day, stamp.today)
    project = _load(db, key, for_update=True)
    _writable(db, project)
    if day < project.start_on:
        raise RuleViolation(
            _("--on: {day} is before {key} started ({start_on})").format(
                day=day.isoformat(), key=project.key, start_on=project.start_on.isoformat()
            )
        )
    made = _append_progress(
        db,
        project=project,
        percent=100,
        invested=None,
        note=text,
        why=None,
        on=day,
        stamp=stamp,
        kind="project_progress",
    )
    update_project(db, project.id, status=ProjectStatus.finished.value, finished_on=day)
    record(
        db,
        stamp=stamp,
        kind="project_finished",
        chain_id=project.chain_id,
        project_id=project.id,
        field="status",
        old=project.status,
        new=ProjectStatus.finished.value,
        text=f"finished {day.isoformat()}",
    )
    return made


def drop_project(db: Reader, *, key: str, why: str, stamp: Stamp) -> ProjectRecord:
    """The project will not go on (why, on record); it keeps its key and history."""
    reason = check_text("--why", why, required=True, max_len=TEXT_MAX) or ""
    project = _load(db, key, for_update=True)
    _writable(db, project)
    update_project(
        db,
        project.id,
        status=ProjectStatus.dropped.value,
        dropped_on=stamp.today,
        updated_at=stamp.at,
    )
    record(
        db,
        stamp=stamp,
        kind="project_dropped",
        chain_id=project.chain_id,
        project_id=project.id,
        field="status",
        old=project.status,
        new=ProjectStatus.dropped.value,
        text=reason,
    )
    project.status = ProjectStatus.dropped.value
    project.dropped_on = stamp.today
    return project


# --------------------------------------------------------------------------- lights


def _dues(
    milestones: Sequence[MilestoneRecord], on: date | None = None, zone: tzinfo = UTC
) -> list[MilestoneDue]:
    """The milestones the light reads on ``on``: those put on the plan by then, by the
    calendar of ``zone`` (all when ``on`` is None)."""
    return [
        MilestoneDue(m.title, m.due_on, m.done_on)
        for m in milestones
        if on is None or local_day(m.created_at, zone) <= on
    ]


def light_on(
    project: ProjectRecord,
    *,
    on: date,
    progress: Sequence[ProgressRecord],
    milestones: Sequence[MilestoneRecord],
    rules: LightRules,
    zone: tzinfo = UTC,
) -> ProjectLight | None:
    """The project's light as it stood at the end of the day ``on`` (in ``zone``), from
    its progress history: the latest report on or before it, the milestones on the plan
    by then, its status then. None when it was neither on record nor started by then."""
    if not on_record(project, on, zone):
        return None
    status = status_on(project, on)
    reached = [p.percent for p in progress if p.as_of <= on]
    return project_light(
        status=status,
        start=project.start_on,
        end=project.end_on,
        percent=reached[-1] if reached else 0,
        on=on,
        milestones=_dues(milestones, on, zone),
        rules=rules,
    )


def status_on(project: ProjectRecord, on: date) -> str:
    """Where the project stood at the end of the day ``on``: finished or dropped by
    then, else active."""
    if project.dropped_on is not None and project.dropped_on <= on:
        return ProjectStatus.dropped.value
    if project.finished_on is not None and project.finished_on <= on:
        return ProjectStatus.finished.value
    return ProjectStatus.active.value


def on_record(project: ProjectRecord, on: date, zone: tzinfo = UTC) -> bool:
    """Whether a project counts on the day ``on``: put on record by then (a day of
    ``zone``), or planned to have started (a project entered after it began counts from
    its start)."""
    return local_day(project.created_at, zone) <= on or project.start_on <= on


def _light_now(
    project: ProjectRecord, milestones: Sequence[MilestoneRecord], today: date, rules: LightRules
) -> ProjectLight:
    return project_light(
        status=project.status,
        start=project.start_on,
        end=project.end_on,
        percent=project.percent,
        on=today,
        milestones=_dues(milestones),
        rules=rules,
    )


# --------------------------------------------------------------------------- reads


@dataclass(frozen=True)
class ProjectRow:
    """One line of ``project list``."""

    key: str
    chain: str
    title: str
    type: str
    type_zh: str
    status: str
    enterprise: str | None
    link: str | None
    unit: str | None
    owner: str | None
    start_on: date
    end_on: date
    planned_end_on: date
    investment: str | None
    invested: str | None
    investment_unit: str | None
    percent: int
    expected: int | None
    light: str
    why: str


def _row(found: ProjectListed, light: ProjectLight) -> ProjectRow:
    p = found.record
    return ProjectRow(
        key=p.key,
        chain=found.chain,
        title=p.title,
        type=p.type,
        type_zh=PROJECT_TYPE_NAMES_ZH.get(p.type, p.type),
        status=p.status,
        enterprise=found.enterprise,
        link=found.link,
        unit=found.unit,
        owner=found.owner,
        start_on=p.start_on,
        end_on=p.end_on,
        planned_end_on=p.planned_end_on,
        investment=p.investment,
        invested=p.invested,
        investment_unit=p.investment_unit,
        percent=p.percent,
        expected=light.expected,
        light=light.light,
        why=light.why,
    )


def list_projects(
    db: Reader,
    *,
    today: date,
    rules: LightRules = LightRules(),
    chain: str | None = None,
    type: str | None = None,
    light: str | None = None,
    status: str = "active",
) -> list[ProjectRow]:
    """Projects by chain and number with their lights today; ``status`` active (the
    default), finished, dropped or all."""
    chain_id = find_chain(db, code=chain, field="--chain").id if chain else None
    kind = choice("--type", type, PROJECT_TYPES) if type is not None else None
    wanted_light = choice("--light", light, PROJECT_LIGHTS) if light is not None else None
    state = choice("--status", status, (*PROJECT_STATUSES, "all"))
    statuses = None if state == "all" else (state,)
    milestones = every_milestone(db)
    rows = []
    for found in listed_projects(db, chain_id=chain_id, type=kind, statuses=statuses):
        lit = _light_now(found.record, milestones.get(found.record.id, []), today, rules)
        if wanted_light is None or lit.light == wanted_light:
            rows.append(_row(found, lit))
    return rows


@dataclass(frozen=True)
class MilestoneLine:
    title: str
    due_on: date
    done_on: date | None
    state: str  # done | late (done after its due day) | missed | due


@dataclass(frozen=True)
class ProgressLine:
    as_of: date
    percent: int
    invested: str | None
    note: str | None
    why: str | None
    by: str


@dataclass(frozen=True)
class ProjectDetail:
    """Everything ``project show`` tells about a project."""

    uuid: str
    key: str
    chain: str
    chain_name: str
    title: str
    type: str
    type_zh: str
    status: str
    enterprise: str | None
    link: str | None
    unit: str | None
    owner: str | None
    investment: str | None
    invested: str | None
    investment_unit: str | None
    start_on: date
    end_on: date
    planned_end_on: date
    finished_on: date | None
    dropped_on: date | None
    percent: int
    expected: int | None
    behind: int | None
    light: str
    why: str
    note: str | None
    created_at: datetime
    milestones: tuple[MilestoneLine, ...]
    progress: tuple[ProgressLine, ...]
    items: tuple[ItemRow, ...]
    history: tuple[ProjectEvent, ...]


def _milestone_state(m: MilestoneRecord, today: date) -> str:
    if m.done_on is not None:
        return "done" if m.done_on <= m.due_on else "late"
    return "missed" if m.due_on < today else "due"


def project_detail(
    db: Reader,
    *,
    key: str,
    today: date,
    rules: LightRules = LightRules(),
    warning_days: int = 7,
) -> ProjectDetail:
    """A project's plan, progress against it, light and why, milestones, progress
    history, the items it raised (with their lights) and its history."""
    project = _load(db, key)
    chain = chain_of(db, project.chain_id)
    found = next(p for p in listed_projects(db, chain_id=chain.id) if p.record.id == project.id)
    milestones = milestones_of(db, project.id)
    lit = _light_now(project, milestones, today, rules)
    from chainlead.domain.views import list_items

    keys = set(item_keys_of(db, project.id))
    items = (
        [
            row
            for row in list_items(
                db,
                today=today,
                warning_days=warning_days,
                chain=chain.code,
                statuses=STATUSES,
                sort="key",
            )
            if row.key in keys
        ]
        if keys
        else []
    )
    return ProjectDetail(
        uuid=project.uuid,
        key=project.key,
        chain=chain.code,
        chain_name=chain.name,
        title=project.title,
        type=project.type,
        type_zh=PROJECT_TYPE_NAMES_ZH.get(project.type, project.type),
        status=project.status,
        enterprise=found.enterprise,
        link=found.link,
        unit=found.unit,
        owner=found.owner,
        investment=project.investment,
        invested=project.invested,
        investment_unit=project.investment_unit,
        start_on=project.start_on,
        end_on=project.end_on,
        planned_end_on=project.planned_end_on,
        finished_on=project.finished_on,
        dropped_on=project.dropped_on,
        percent=project.percent,
        expected=lit.expected,
        behind=lit.behind,
        light=lit.light,
        why=lit.why,
        note=project.note,
        created_at=project.created_at,
        milestones=tuple(
            MilestoneLine(m.title, m.due_on, m.done_on, _milestone_state(m, today))
            for m in milestones
        ),
        progress=tuple(
            ProgressLine(p.as_of, p.percent, p.invested, p.note, p.why, p.by)
            for p in progress_of(db, project.id)
        ),
        items=tuple(items),
        history=tuple(project_events(db, project.id)),
    )


# --------------------------------------------------------------------------- db check


def project_problems(db: Reader) -> list[tuple[str, str]]:
    """What ``db check`` finds wrong with the projects (rule ``projects``), as (subject,
    problem): a key other than its chain's code, ``-P`` and its number; a number not
    below the chain's next project number; a percent or investment made other than the
    latest progress report's; a status not in the vocabulary; an end before the start;
    a link of another chain; an item naming a project of another chain."""
    from chainlead.store.projects import (
        every_progress,
        items_off_their_project_chain,
        project_check_rows,
    )

    problems: list[tuple[str, str]] = []
    reports = every_progress(db)
    for (
        key,
        code,
        number,
        next_no,
        percent,
        invested,
        link_chain,
        chain_id,
        status,
        pid,
    ) in project_check_rows(db):
        if key != f"{code}-P{number}":
            problems.append((key, f"its key should be {code}-P{number} (its chain and number)"))
        if int(number) >= int(next_no):
            problems.append((key, f"its number {number} is not below {code}'s next ({next_no})"))
        history = reports.get(int(pid), [])
        latest_percent = history[-1].percent if history else 0
        latest_invested = history[-1].invested if history else None
        if int(percent) != latest_percent:
            problems.append(
                (key, f"percent is {percent} but its latest progress report says {latest_percent}")
            )
        if invested != latest_invested:
            problems.append(
                (
                    key,
                    f"invested is {invested} but its latest progress report says {latest_invested}",
                )
            )
        if status not in PROJECT_STATUSES:
            problems.append((key, f"status {status!r} is none of {', '.join(PROJECT_STATUSES)}"))
        if link_chain is not None and int(link_chain) != int(chain_id):
            problems.append((key, "its link is a link of another chain"))
    for item_key, project_key in items_off_their_project_chain(db):
        problems.append((item_key, f"it names {project_key}, a project of another chain"))
    return problems
