"""``export``: the database (or one chain, or what changed since a day) as a snapshot.

The text is handed to ``write`` a chain at a time (a thousand items at a
time within a chain), so memory stays bounded by the largest chain;
``chainlead.outfile`` puts it in a file whole (a reader never sees half a
snapshot), never over the database.

Export reads through the store (``chainlead.store``) and a
``chainlead.store.connection.Reader``: on a SQLite file that is the standard library's
``sqlite3`` in one read transaction, so no ORM is imported, and rows come
back as the driver gives them (dates and times as SQLite's text, which
``writer.Spelling`` spells directly). A 100k-item district is about 750,000
records, so the many ones (people, meetings, items, events) are spelled by
code written out for their kind, not by a loop over their fields; the others
take their keys in the order of the field table (``schema``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from chainlead import __version__
from chainlead.clock import day_start
from chainlead.i18n import N_
from chainlead.snapshot import FORMAT, FORMAT_VERSION
from chainlead.snapshot.schema import (
    ASSIGNMENT,
    CHAIN,
    EXTENSION,
    HEADER_KEYS,
    ITEM_EVENT,
    MEETING,
    MEMBERSHIP,
    SCOPE_KEYS,
    UNIT,
    Kind,
)
from chainlead.snapshot.writer import Spelling, Writer
from chainlead.store.assignments import (
    ASSIGNMENT_ROW,
    EXTENSION_ROW,
    chain_assignment_rows,
    chain_extension_rows,
)
from chainlead.store.chain_snapshot import (
    chain_enterprise_link_rows,
    chain_milestone_rows,
    chain_progress_rows,
    chain_project_rows,
    chain_target_rows,
    event_projects,
    item_places,
    map_link_rows,
    next_project_numbers,
    project_keys_by_id,
    project_people,
)
from chainlead.store.chains import chain_rows, find_chain
from chainlead.store.connection import Reader, Row
from chainlead.store.enterprises import (
    chain_follow_up_rows,
    chain_placement_rows,
    chain_raiser_rows,
    enterprise_rows,
)
from chainlead.store.history import chain_item_event_rows, loose_event_rows
from chainlead.store.items import chain_item_rows, chain_link_rows, decision_places
from chainlead.store.meetings import (
    PART_ROWS,
    chain_meeting_rows,
    chain_part_rows,
    meeting_keys_by_id,
)
from chainlead.store.people import people_named_by_chain, person_names, person_rows
from chainlead.store.tables import latest_time
from chainlead.store.teams import chain_spell_rows
from chainlead.store.units import unit_names, unit_rows

Progress = Callable[[str, int, int], None]  # (stage, done, total)

# A meeting's parts in file order: (name, ((key, its column in the part's rows), ...)).
PARTS = tuple(
    (name, tuple((key, PART_ROWS[name].index(key)) for key in kind.names))
    for name, kind in MEETING.children
    if name in PART_ROWS
)
EVENT_KEYS = ITEM_EVENT.names  # every key an event may have (an item's may name all)
_PART_DAYS = ("assigned", "due", "receipt_due", "received", "reported", "ended")
_EXTENSION_DAYS = ("requested", "from_due", "to_due", "decided")
_MOMENTS = ("created_at", "updated_at")
WRITE_EVERY = 1000  # items spelled before their text is handed on
_literal = "'{}'".format  # a TOML literal string, for text already known to need no escape


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote."""

    people: int
    chains: int
    meetings: int
    items: int
    events: int
    units: int = 0
    enterprises: int = 0
    projects: int = 0


def start_of(day: date, zone: tzinfo = UTC) -> datetime:
    """The stored (naive UTC) time at which ``day`` begins in ``zone``."""
    return day_start(day, zone)


class _Export:
    """The database's rows spelled as snapshot text, a part at a time."""

    def __init__(self, db: Reader, write: Callable[[str], object], zone: tzinfo = UTC) -> None:
        self.db = db
        self.zone = zone  # the calendar of --since's day
        self.write = write
        self.spelling = Spelling()
        self.out = Writer(self.spelling)
        self.events = 0
        self.names = person_names(db)
        self.unit_names = unit_names(db)
        self._keys: dict[int, str] | None = None
        # The project of each event about one (by the event's uuid), and project keys.
        self.project_of = event_projects(db)
        self.project_keys = project_keys_by_id(db) if self.project_of else {}
        self.next_project_no = next_project_numbers(db)

    @property
    def keys(self) -> dict[int, str]:
        """Meeting keys by id (read when first needed)."""
        if self._keys is None:
            self._keys = meeting_keys_by_id(self.db)
        return self._keys

    def flush(self) -> None:
        self.write(self.out.text())
        self.out.parts.clear()

    # ------------------------------------------------------------------ events

    def item_history(self, chain_id: int) -> dict[Any, list[str]]:
        """The chain's item events, spelled as inline tables, grouped by item."""
        return self.spell_events(
            chain_item_event_rows(self.db, chain_id),
            meeting=True,
            person=True,
            unit=True,
            project=True,
        )

    def loose_events(self) -> None:
        """Every event not about an item, read at once and filed under its record.

        An event is filed under its meeting, else its project, else its chain,
        else its person, else the top-level history (``top``).
        """
        rows = loose_event_rows(self.db)
        meetings, projects, chains, people, top = [], [], [], [], []
        project_of = self.project_of
        for row in rows:
            meeting_id, chain_id = row[0], row[1]
            if meeting_id is not None:
                meetings.append((meeting_id, *row[2:]))
            elif project_of and row[2] in project_of:
                projects.append((project_of[row[2]], *row[2:]))
            elif chain_id is not None:
                chains.append((chain_id, *row[2:]))
            elif row[7] is not None:
                people.append((row[7], *row[2:]))
            else:
                top.append((None, *row[2:]))
        self.meeting_history = self.spell_events(meetings, meeting=False, person=True, project=True)
        self.project_history = self.spell_events(projects, meeting=False, person=True)
        self.chain_history = self.spell_events(chains, meeting=False, person=True, project=True)
        self.person_history = self.spell_events(people, meeting=False, person=False)
        self.top_rows = top

    def spell_events(
        self,
        rows: list[Row],
        *,
        meeting: bool,
        person: bool,
        unit: bool = False,
        project: bool = False,
    ) -> dict[Any, list[str]]:
        """Each row's inline table, grouped by the row's first column.

        A row is its owner, then ``store.history.EVENT_ROW``. ``meeting``/``person``:
        whether this history's events name the meeting or the person they
        concern (an event filed under a meeting or a person does not name it
        again); ``unit``: whether they name their unit (item events only);
        ``project``: whether they name the project they are about (not filed under it).
        """
        spelling = self.spelling
        times = spelling.times([row[2] for row in rows])
        keys = self.keys if meeting and rows else {}
        names, units = self.names, self.unit_names
        project_of = self.project_of if project else None
        project_keys = self.project_keys
        project_key = None
        groups: dict[Any, list[str]] = defaultdict(list)
        for row, at in zip(rows, times, strict=True):
            (
                owner, uuid, _, actor, kind, meeting_id, person_id, unit_id, field, old, new, text,
                login, chained, prev,
            ) = row  # fmt: skip
            if not meeting:
                meeting_id = None
            if not person:
                person_id = None
            if not unit:
                unit_id = None
            # Spelled as literal strings first; a value that needs another
            # spelling (an apostrophe, a control character) shows in the count
            # of apostrophes or in isprintable(), and the line is spelled again.
            line = f"{{ uuid = '{uuid}', at = {at}, actor = '{actor}', kind = '{kind}'"
            quotes = 6
            if meeting_id is not None:
                line += f", meeting = '{keys[meeting_id]}'"
                quotes += 2
            if project_of:
                project_id = project_of.get(uuid)
                project_key = None if project_id is None else project_keys[project_id]
                if project_key is not None:
                    line += f", project = '{project_key}'"
                    quotes += 2
            if person_id is not None:
                line += f", person = '{names[person_id]}'"
                quotes += 2
            if unit_id is not None:
                line += f", unit = '{units[unit_id]}'"
                quotes += 2
            if field is not None:
                line += f", field = '{field}'"
                quotes += 2
            if old is not None:
                line += f", old = '{old}'"
                quotes += 2
            if new is not None:
                line += f", new = '{new}'"
                quotes += 2
            if text is not None:
                line += f", text = '{text}'"
                quotes += 2
            if login is not None:
                line += f", login = '{login}'"
                quotes += 2
            line += f", prev = '{prev}', hash = '{chained}' }}"
            quotes += 4
            if line.count("'") != quotes or not line.isprintable():
                event = {
                    "uuid": uuid,
                    "at": at,
                    "actor": actor,
                    "kind": kind,
                    "meeting": None if meeting_id is None else keys[meeting_id],
                    "project": project_key,
                    "person": None if person_id is None else names[person_id],
                    "unit": None if unit_id is None else units[unit_id],
                    "field": field,
                    "old": old,
                    "new": new,
                    "text": text,
                    "login": login,
                    "prev": prev,
                    "hash": chained,
                }
                line = spelling.inline_table(
                    ((key, event[key]) for key in EVENT_KEYS), spelled=("at",)
                )
            groups[owner].append(line)
        return groups

    def lines(self, key: str, lines: list[str], *, events: bool = True) -> None:
        self.out.lines(key, lines)
        if events:
            self.events += len(lines)

    # ------------------------------------------------------------------ records

    def header(self, district: str, scope: dict[str, object] | None) -> None:
        out = self.out
        out.keys(
            {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "chainlead_version": __version__,
                "exported_at": latest_time(self.db),
                "district": district,
            },
            HEADER_KEYS,
        )
        if scope is None or scope["chain"] is None:  # events tied to nothing: not per chain
            rows = self.top_rows
            if scope is not None:
                start = start_of(scope["since"], self.zone)  # type: ignore[arg-type]
                rows = [row for row in rows if Spelling.moment(row[2]) >= start]
            self.lines(
                "history", self.spell_events(rows, meeting=False, person=False).get(None, [])
            )
        if scope is not None:
            out.header("scope", array=False)
            out.keys(scope, SCOPE_KEYS)

    def units(self) -> int:
        """Every unit, sorted by name (code point order, the same on every database)."""
        rows = unit_rows(self.db)
        spelling, out = self.spelling, self.out
        for _, uuid, name, short, kind, contact, created_at in rows:
            out.header("units")
            out.keys(
                {
                    "uuid": uuid,
                    "name": name,
                    "short": short,
                    "kind": kind,
                    "contact": contact,
                    "created_at": spelling.time(created_at),
                },
                UNIT.names,
                spelled=("created_at",),
            )
        return len(rows)

    def enterprises(self) -> int:
        """Every enterprise, sorted by name (code point order, the same on every database)."""
        rows = enterprise_rows(self.db)
        text = self.spelling.text
        times = self.spelling.times([row[8] for row in rows])
        append = self.out.parts.append
        for row, created_at in zip(rows, times, strict=True):
            _, uuid, name, short, code, contact, park, above_scale, _ = row
            append(f"\n[[enterprises]]\nuuid = '{uuid}'\nname = {text(name)}\n")
            if short is not None:
                append(f"short = {text(short)}\n")
            if code is not None:
                append(f"credit_code = '{code}'\n")  # letters and digits only
            if contact is not None:
                append(f"contact = {text(contact)}\n")
            if park is not None:
                append(f"park = {text(park)}\n")
            if above_scale:
                append("above_scale = true\n")
            append(f"created_at = {created_at}\n")
        return len(rows)

    def raisers(self, chain_id: int) -> dict[int, list[str]]:
        """The enterprises that raised the chain's items, spelled as inline tables, by item."""
        rows = chain_raiser_rows(self.db, chain_id)
        inline = self.spelling.inline
        times = self.spelling.times([row[4] for row in rows])
        by_item: dict[int, list[str]] = defaultdict(list)
        for (item_id, _, uuid, name, _), created_at in zip(rows, times, strict=True):
            by_item[item_id].append(
                f"{{ uuid = '{uuid}', enterprise = {inline(name)}, created_at = {created_at} }}"
            )
        return by_item

    def follow_ups(self, chain_id: int) -> dict[int, list[str]]:
        """The follow-ups of the chain's items, spelled as inline tables, by item."""
        rows = chain_follow_up_rows(self.db, chain_id)
        spelling = self.spelling
        inline, day = spelling.inline, spelling.day
        times = spelling.times([row[9] for row in rows])
        by_item: dict[int, list[str]] = defaultdict(list)
        for row, created_at in zip(rows, times, strict=True):
            item_id, _, uuid, enterprise, result, by, note, asked_on, reopened_on, _ = row
            line = f"{{ uuid = '{uuid}'"
            if enterprise is not None:
                line += f", enterprise = {inline(enterprise)}"
            line += f", result = '{result}', by = {inline(by)}"  # result: one of FEEDBACKS
            if note is not None:
                line += f", note = {inline(note)}"
            line += f", asked_on = {day(asked_on)}"
            if reopened_on is not None:
                line += f", reopened_on = {day(reopened_on)}"
            by_item[item_id].append(f"{line}, created_at = {created_at} }}")
        return by_item

    def parts(self, chain_id: int) -> tuple[dict[int, list[str]], ...]:
        """The chain's item enterprises, assignments, extensions and follow-ups, spelled
        as inline tables, by item."""
        return (
            self.raisers(chain_id),
            self._children(
                chain_assignment_rows(self.db, chain_id), ASSIGNMENT_ROW, ASSIGNMENT, _PART_DAYS
            ),
            self._children(
                chain_extension_rows(self.db, chain_id), EXTENSION_ROW, EXTENSION, _EXTENSION_DAYS
            ),
            self.follow_ups(chain_id),
        )

    def _children(
        self, rows: list[Row], columns: tuple[str, ...], kind: Kind, days: tuple[str, ...]
    ) -> dict[int, list[str]]:
        """Rows of an item's child records (the item's id, the row's id, then
        ``columns``) as inline tables of ``kind``, by item; ``days`` the date columns."""
        spelling = self.spelling
        day, moment, table = spelling.day, spelling.time, spelling.inline_table
        spelled = days + _MOMENTS
        by_item: dict[int, list[str]] = defaultdict(list)
        for row in rows:
            record = dict(zip(columns, row[2:], strict=True))
            for name in days:
                if record[name] is not None:
                    record[name] = day(record[name])
            for name in _MOMENTS:
                record[name] = moment(record[name])
            by_item[row[0]].append(
                table(((key, record[key]) for key in kind.names), spelled=spelled)
            )
        return by_item

    def people(self, ids: set[int] | None) -> int:
        """People sorted by name (code point order, the same on every database)."""
        rows = person_rows(self.db)
        if ids is not None:
            rows = [row for row in rows if row[0] in ids]
        rows.sort(key=lambda row: row[2])
        history = self.person_history
        text, moment = self.spelling.text, self.spelling.time
        append = self.out.parts.append
        for person_id, uuid, name, unit, title, contact, created_at in rows:
            append(f"\n[[people]]\nuuid = {text(uuid)}\nname = {text(name)}\n")
            if unit is not None:
                append(f"unit = {text(unit)}\n")
            if title is not None:
                append(f"title = {text(title)}\n")
            if contact is not None:
                append(f"contact = {text(contact)}\n")
            append(f"created_at = {moment(created_at)}\n")
            self.lines("history", history.get(person_id, []))
        return len(rows)

    def chain(self, row: Row) -> None:
        (
            chain_id, uuid, code, name, description, status, archived, created_at, next_item_no,
            next_meeting_no,
        ) = row  # fmt: skip
        spelling = self.spelling
        record = {
            "uuid": uuid,
            "code": code,
            "name": name,
            "description": description,
            "status": status,
            "archived": None if archived is None else spelling.day(archived),
            "created_at": spelling.time(created_at),
            "next_item_no": next_item_no,
            "next_meeting_no": next_meeting_no,
            "next_project_no": self.next_project_no[chain_id],
        }
        out = self.out
        out.header("chains")
        out.keys(record, CHAIN.names, spelled=("archived", "created_at"))
        inline = spelling.inline
        self.lines("links", self.links(chain_id), events=False)
        rows = chain_placement_rows(self.db, chain_id)
        placements = []
        for row, created_at in zip(rows, spelling.times([row[6] for row in rows]), strict=True):
            _, _, uuid, name, segment, lead, _, _ = row
            line = f"{{ uuid = '{uuid}', enterprise = {inline(name)}"
            if segment is not None:
                line += f", segment = '{segment}'"  # one of SEGMENTS
            if lead:
                line += ", lead = true"
            placements.append(f"{line}, created_at = {created_at} }}")
        self.lines("enterprises", placements, events=False)
        self.lines("enterprise_links", self.enterprise_links(chain_id), events=False)
        self.lines("targets", self.targets(chain_id), events=False)
        self.lines("history", self.chain_history.get(chain_id, []))
        names = self.names
        for _, uuid, person_id, role, since, until in chain_spell_rows(self.db, chain_id):
            out.header("chains.memberships")
            out.keys(
                {
                    "uuid": uuid,
                    "person": names[person_id],
                    "role": role,
                    "since": spelling.day(since),
                    "until": None if until is None else spelling.day(until),
                },
                MEMBERSHIP.names,
                spelled=("since", "until"),
            )

    def links(self, chain_id: int) -> list[str]:
        """The chain's map, link by link in its order, spelled as inline tables."""
        rows = map_link_rows(self.db, chain_id)
        inline = self.spelling.inline
        lines = []
        for row, created_at in zip(rows, self.spelling.times([r[7] for r in rows]), strict=True):
            _, uuid, name, segment, state, position, note, _ = row
            line = (
                f"{{ uuid = '{uuid}', name = {inline(name)}, segment = {inline(segment)}, "
                f"state = {inline(state)}, position = {int(position)}"
            )
            if note is not None:
                line += f", note = {inline(note)}"
            lines.append(f"{line}, created_at = {created_at} }}")
        return lines

    def enterprise_links(self, chain_id: int) -> list[str]:
        """The enterprises on the chain's links, spelled as inline tables."""
        rows = chain_enterprise_link_rows(self.db, chain_id)
        inline = self.spelling.inline
        times = self.spelling.times([row[4] for row in rows])
        return [
            f"{{ uuid = '{row[1]}', enterprise = {inline(row[2])}, link = {inline(row[3])}, "
            f"created_at = {created_at} }}"
            for row, created_at in zip(rows, times, strict=True)
        ]

    def targets(self, chain_id: int) -> list[str]:
        """The chain's annual targets, spelled as inline tables."""
        rows = chain_target_rows(self.db, chain_id)
        inline = self.spelling.inline
        times = self.spelling.times([row[7] for row in rows])
        lines = []
        for row, created_at in zip(rows, times, strict=True):
            _, uuid, year, figure, value, unit, kind, _ = row
            line = (
                f"{{ uuid = '{uuid}', year = {int(year)}, figure = {inline(figure)}, "
                f"value = {inline(value)}"
            )
            if unit is not None:
                line += f", unit = {inline(unit)}"
            lines.append(f"{line}, kind = {inline(kind)}, created_at = {created_at} }}")
        return lines

    def projects(self, chain_id: int, since: date | None) -> int:
        """The chain's projects by number, with their progress, milestones and history."""
        rows = chain_project_rows(self.db, chain_id, since=since, zone=self.zone)
        if not rows:
            return 0
        spelling = self.spelling
        text, inline, day = spelling.text, spelling.inline, spelling.day
        progress: dict[int, list[str]] = defaultdict(list)
        reports = chain_progress_rows(self.db, chain_id)
        for report, created_at in zip(
            reports, spelling.times([r[9] for r in reports]), strict=True
        ):
            project_id, _, uuid, as_of, percent, invested, note, why, by, _ = report
            line = f"{{ uuid = '{uuid}', as_of = {day(as_of)}, percent = {int(percent)}"
            if invested is not None:
                line += f", invested = {inline(invested)}"
            if note is not None:
                line += f", note = {inline(note)}"
            if why is not None:
                line += f", why = {inline(why)}"
            progress[project_id].append(f"{line}, by = {inline(by)}, created_at = {created_at} }}")
        milestones: dict[int, list[str]] = defaultdict(list)
        marks = chain_milestone_rows(self.db, chain_id)
        for mark, created_at in zip(marks, spelling.times([m[6] for m in marks]), strict=True):
            project_id, _, uuid, title, due, done, _ = mark
            line = f"{{ uuid = '{uuid}', title = {inline(title)}, due = {day(due)}"
            if done is not None:
                line += f", done = {day(done)}"
            milestones[project_id].append(f"{line}, created_at = {created_at} }}")
        history = self.project_history
        append = self.out.parts.append
        for row in rows:
            (
                project_id, uuid, key, _, title, kind, enterprise, link, unit, owner, investment,
                investment_unit, start, end, planned_end, status, percent, invested, finished,
                dropped, note, created_at, updated_at,
            ) = row  # fmt: skip
            append(
                f"\n[[chains.projects]]\nuuid = '{uuid}'\nkey = {text(key)}\n"
                f"title = {text(title)}\ntype = {text(kind)}\n"
            )
            for name, value in (
                ("enterprise", enterprise),
                ("link", link),
                ("unit", unit),
                ("owner", owner),
                ("investment", investment),
                ("investment_unit", investment_unit),
            ):
                if value is not None:
                    append(f"{name} = {text(value)}\n")
            append(
                f"start = {day(start)}\nend = {day(end)}\nplanned_end = {day(planned_end)}\n"
                f"status = {text(status)}\npercent = {int(percent)}\n"
            )
            if invested is not None:
                append(f"invested = {text(invested)}\n")
            if finished is not None:
                append(f"finished = {day(finished)}\n")
            if dropped is not None:
                append(f"dropped = {day(dropped)}\n")
            if note is not None:
                append(f"note = {text(note)}\n")
            append(
                f"created_at = {spelling.time(created_at)}\n"
                f"updated_at = {spelling.time(updated_at)}\n"
            )
            self.lines("progress", progress.get(project_id, []), events=False)
            self.lines("milestones", milestones.get(project_id, []), events=False)
            self.lines("history", history.get(project_id, []))
        return len(rows)

    def meetings(self, chain_id: int, since: date | None) -> int:
        """The chain's meetings by number, with history, attendees, decisions and figures."""
        rows = chain_meeting_rows(self.db, chain_id, since=since, zone=self.zone)
        if not rows:
            return 0
        history = self.meeting_history
        parts: dict[str, dict[int, list[Row]]] = {}
        for name, part_rows in chain_part_rows(self.db, chain_id).items():
            grouped: dict[int, list[Row]] = defaultdict(list)
            for part in part_rows:
                grouped[part[0]].append(part[1:])
            parts[name] = grouped
        spelling, out = self.spelling, self.out
        text, value, append = spelling.text, spelling.value, out.parts.append
        for meeting_id, uuid, key, _, kind, month, held, chair_id, summary, created_at in rows:
            append(
                f"\n[[chains.meetings]]\nuuid = {text(uuid)}\nkey = {text(key)}\n"
                f"kind = {text(kind)}\nmonth = {text(month)}\nheld = {spelling.day(held)}\n"
            )
            if chair_id is not None:
                append(f"chair = {text(self.names[chair_id])}\n")
            if summary is not None:
                append(f"summary = {text(summary)}\n")
            append(f"created_at = {spelling.time(created_at)}\n")
            self.lines("history", history.get(meeting_id, []))
            for name, keys in PARTS:
                for part in parts[name].get(meeting_id, ()):
                    append(f"\n[[chains.meetings.{name}]]\n")
                    for key, column in keys:
                        if part[column] is not None:
                            append(f"{key} = {value(part[column])}\n")
        return len(rows)

    def items(self, chain_id: int, since: date | None) -> int:
        """The chain's items by number, with their links and history."""
        rows = chain_item_rows(self.db, chain_id, since=since, zone=self.zone)
        if not rows:
            return 0
        spelling = self.spelling
        inline = spelling.inline
        links: dict[int, list[str]] = defaultdict(list)
        keys = self.keys
        for item_id, _, uuid, meeting_id, relation in chain_link_rows(self.db, chain_id):
            links[item_id].append(
                f"{{ uuid = {inline(uuid)}, meeting = {inline(keys[meeting_id])}, "
                f"relation = {inline(relation)} }}"
            )
        history = self.item_history(chain_id)
        raisers, assignments, extensions, follow_ups = self.parts(chain_id)
        item_links = item_places(self.db, chain_id)
        places = decision_places(self.db) if any(row[33] for row in rows) else {}
        raised = spelling.days([row[12] for row in rows])
        due = spelling.days([row[13] for row in rows])
        created = spelling.times([row[19] for row in rows])
        updated = spelling.times([row[20] for row in rows])
        text, day, names = spelling.text, spelling.day, self.names
        out = self.out
        append = out.parts.append
        for count, row in enumerate(rows):
            (
                item_id, uuid, key, _, title, detail, enterprise, source, category, priority,
                unit, owner_id, _, _, status, resolution, resolved, closed, status_reason, _, _,
                original_due, clock_due, receipt_due, level, red_due, red_spells, suspended_on,
                suspended_until, suspend_reason, suspended_days, urge_count, last_urged_at,
                decision_id, reference,
            ) = row  # fmt: skip
            owner = names[owner_id] if owner_id is not None else None
            # Every text as a literal string, when none holds an apostrophe or a
            # character that is not printable (a line break, a tab): the common case.
            plain = (
                f"{uuid}{key}{title}{detail or ''}{enterprise or ''}{source}{category or ''}"
                f"{priority}{unit}{owner or ''}{status}{resolution or ''}{status_reason or ''}"
            )
            spell = _literal if "'" not in plain and plain.isprintable() else text
            append(
                f"\n[[chains.items]]\nuuid = {spell(uuid)}\nkey = {spell(key)}\n"
                f"title = {spell(title)}\n"
            )
            if detail is not None:
                append(f"detail = {spell(detail)}\n")
            if enterprise is not None:
                append(f"enterprise = {spell(enterprise)}\n")
            if reference is not None:
                append(f"reference = {text(reference)}\n")
            if item_links and item_id in item_links:
                link, project = item_links[item_id]
                if link is not None:
                    append(f"link = {text(link)}\n")
                if project is not None:
                    append(f"project = {text(project)}\n")
            append(f"source = {spell(source)}\n")
            if category is not None:
                append(f"category = {spell(category)}\n")
            append(f"priority = {spell(priority)}\nunit = {spell(unit)}\n")
            if owner is not None:
                append(f"owner = {spell(owner)}\n")
            append(
                f"raised = {raised[count]}\ndue = {due[count]}\n"
                f"original_due = {day(original_due)}\nclock_due = {day(clock_due)}\n"
            )
            if receipt_due is not None:
                append(f"receipt_due = {day(receipt_due)}\n")
            append(f"status = {spell(status)}\n")
            if resolution is not None:
                append(f"resolution = {spell(resolution)}\n")
            if resolved is not None:
                append(f"resolved = {day(resolved)}\n")
            if closed is not None:
                append(f"closed = {day(closed)}\n")
            if status_reason is not None:
                append(f"status_reason = {text(status_reason)}\n")
            if level:
                append(f"level = {int(level)}\n")
            if red_due is not None:
                append(f"red_due = {day(red_due)}\n")
            if red_spells:
                append(f"red_spells = {int(red_spells)}\n")
            if suspended_on is not None:
                append(f"suspended_on = {day(suspended_on)}\n")
            if suspended_until is not None:
                append(f"suspended_until = {day(suspended_until)}\n")
            if suspend_reason is not None:
                append(f"suspend_reason = {text(suspend_reason)}\n")
            if suspended_days:
                append(f"suspended_days = {int(suspended_days)}\n")
            if urge_count:
                append(f"urge_count = {int(urge_count)}\n")
            if last_urged_at is not None:
                append(f"last_urged_at = {spelling.time(last_urged_at)}\n")
            if decision_id is not None:
                append(f"decision = {text(places[decision_id])}\n")
            append(f"created_at = {created[count]}\nupdated_at = {updated[count]}\n")
            self.lines("links", links.get(item_id, []), events=False)
            self.lines("enterprises", raisers.get(item_id, []), events=False)
            self.lines("assignments", assignments.get(item_id, []), events=False)
            self.lines("extensions", extensions.get(item_id, []), events=False)
            self.lines("follow_ups", follow_ups.get(item_id, []), events=False)
            self.lines("history", history.get(item_id, []))
            if count % WRITE_EVERY == WRITE_EVERY - 1:
                self.flush()
        return len(rows)

    def referenced_people(self, chain_id: int) -> set[int]:
        """Everyone a chain's records name: team, owners, chairs, people in its history,
        its projects' owners."""
        return people_named_by_chain(self.db, chain_id) | project_people(self.db, chain_id)


def export_snapshot(
    db: Reader,
    *,
    write: Callable[[str], object],
    district: str = "",
    chain: str | None = None,
    since: date | None = None,
    progress: Progress | None = None,
    zone: tzinfo = UTC,
) -> ExportSummary:
    """Write the snapshot's text through ``write``; the same data always gives the same text.

    ``since``: only what changed from that day on, the day's start taken in ``zone``
    (the timezone setting's); the text itself keeps UTC whatever the zone.

    Every query runs in the reader's one transaction, so the snapshot is of
    one moment of the database.
    """
    chains = chain_rows(db)
    chains.sort(key=lambda row: row[2])
    if chain is not None:
        wanted = find_chain(db, code=chain, field="--chain").id
        chains = [row for row in chains if row[0] == wanted]
    export = _Export(db, write, zone)
    export.loose_events()
    scope = None
    if chain is not None or since is not None:
        scope = {"chain": chains[0][2] if chain is not None else None, "since": since}
    export.header(district, scope)
    units = export.units()
    enterprises = export.enterprises()
    people = export.people(export.referenced_people(chains[0][0]) if chain else None)
    export.flush()

    counts = {
        "units": units,
        "enterprises": enterprises,
        "people": people,
        "chains": 0,
        "meetings": 0,
        "projects": 0,
        "items": 0,
    }
    total = len(chains)
    for done, row in enumerate(chains, start=1):
        export.chain(row)
        counts["meetings"] += export.meetings(row[0], since)
        counts["projects"] += export.projects(row[0], since)
        export.flush()
        counts["items"] += export.items(row[0], since)
        export.flush()
        counts["chains"] += 1
        if progress is not None:
            progress(N_("exporting"), done, total)
    return ExportSummary(**counts, events=export.events)
