"""The database read as snapshot records, through the store (``chainlead.store``).

Every reader returns records in the snapshot's own shape (the names of
``schema``; references as names and keys, dates and times as ``date`` and
``datetime`` on every database) plus the row id under ``_id``, so that the
merge compares them with what a snapshot holds. A chain's records are read a
chain at a time (a handful of queries per chain, none per row), which keeps
memory bounded by the largest chain. Here the store's records are put
together: each with its lists (history, links, a meeting's parts), and an
event filed under a person or a meeting does not name it again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from chainlead.store.assignments import (
    assignment_uuids,
    chain_assignment_records,
    chain_extension_records,
    extension_uuids,
)
from chainlead.store.chain_snapshot import (
    chain_enterprise_link_records,
    chain_event_projects,
    chain_link_uuids,
    chain_project_records,
    chain_target_records,
    enterprise_link_uuids,
    item_places,
    map_link_records,
    milestone_uuids,
    next_project_numbers,
    progress_uuids,
    project_event_records,
    project_uuids,
    projects_by_key,
    target_uuids,
)
from chainlead.store.chains import chain_records
from chainlead.store.connection import Reader
from chainlead.store.enterprises import (
    chain_follow_up_records,
    chain_placement_records,
    chain_raiser_records,
    enterprise_records,
    follow_up_uuids,
    placement_uuids,
    raiser_uuids,
)
from chainlead.store.history import (
    chain_event_records,
    chain_item_event_records,
    chain_meeting_event_records,
    event_uuids,
    person_event_records,
    top_event_records,
)
from chainlead.store.items import (
    chain_item_records,
    chain_link_records,
    decision_places,
    item_uuids,
    link_uuids,
)
from chainlead.store.meetings import (
    chain_meeting_records,
    chain_part_records,
    meeting_keys_by_id,
    meeting_uuids,
    meetings_by_key,
)
from chainlead.store.people import person_names, person_records
from chainlead.store.tables import is_empty
from chainlead.store.teams import chain_spell_records, membership_uuids
from chainlead.store.units import unit_records

Record = dict[str, Any]

# The tables whose uuids the merge asks about, and how each is read.
UUIDS: dict[str, Callable[[Reader], set[str]]] = {
    "item": item_uuids,
    "meeting": meeting_uuids,
    "membership": membership_uuids,
    "meeting_item": link_uuids,
    "assignment": assignment_uuids,
    "extension": extension_uuids,
    "enterprise_chain": placement_uuids,
    "item_enterprise": raiser_uuids,
    "follow_up": follow_up_uuids,
    "event": event_uuids,
    "chain_link": chain_link_uuids,
    "enterprise_link": enterprise_link_uuids,
    "target": target_uuids,
    "project": project_uuids,
    "project_progress": progress_uuids,
    "project_milestone": milestone_uuids,
}


def _grouped(records: Iterable[Record], key: str) -> dict[int, list[Record]]:
    groups: dict[int, list[Record]] = defaultdict(list)
    for record in records:
        groups[record[key]].append(record)
    return groups


class Records:
    """The database seen as snapshot records."""

    def __init__(self, db: Reader) -> None:
        self.db = db
        self._person_names: dict[int, str] | None = None
        self._meeting_keys: dict[int, str] | None = None

    # ------------------------------------------------------------------ lookups

    @property
    def person_names(self) -> dict[int, str]:
        if self._person_names is None:
            self._person_names = person_names(self.db)
        return self._person_names

    @property
    def meeting_keys(self) -> dict[int, str]:
        if self._meeting_keys is None:
            self._meeting_keys = meeting_keys_by_id(self.db)
        return self._meeting_keys

    def _keys(self) -> dict[int, str]:
        """The meeting keys, for the store to ask for when a record names a meeting."""
        return self.meeting_keys

    def is_empty(self) -> bool:
        """Whether the database holds no person, chain or event."""
        return is_empty(self.db)

    def uuids(self, table: str) -> set[str]:
        """Every stored uuid of a table (only asked whether one is taken)."""
        if table not in UUIDS:
            raise ValueError(table)
        return UUIDS[table](self.db)

    def meetings_by_key(self) -> dict[str, tuple[int, int]]:
        """Every stored meeting's id and chain id by its key."""
        return meetings_by_key(self.db)

    def projects_by_key(self) -> dict[str, tuple[int, int]]:
        """Every stored project's id and chain id by its key."""
        return projects_by_key(self.db)

    def _name_projects(self, events: list[Record], projects: dict[str, str]) -> None:
        """Name the project each event is about (``project``: its key, or None)."""
        for event in events:
            event["project"] = projects.get(event["uuid"]) if projects else None

    # ------------------------------------------------------------------ events

    def top_history(self) -> list[Record]:
        return top_event_records(self.db, self.person_names, self._keys)

    def meeting_parts(self, chain_id: int) -> dict[str, dict[int, list[Record]]]:
        """A chain's meeting attendees, decisions and figures, each grouped by meeting."""
        return {
            name: _grouped(records, "_meeting")
            for name, records in chain_part_records(self.db, chain_id).items()
        }

    # ------------------------------------------------------------------ units

    def units(self) -> list[Record]:
        """Units sorted by name."""
        return unit_records(self.db)

    def enterprises(self) -> list[Record]:
        """Enterprises sorted by name."""
        return enterprise_records(self.db)

    # ------------------------------------------------------------------ people

    def people(self) -> list[Record]:
        """People sorted by name (code point order, the same on every database)."""
        people = person_records(self.db)
        events = person_event_records(self.db, self.person_names, self._keys)
        for event in events:
            event["person"] = None  # the person is the record it is filed under
        history = _grouped(events, "_person")
        for person in people:
            person["history"] = history.get(person["_id"], [])
        people.sort(key=lambda person: person["name"])
        return people

    # ------------------------------------------------------------------ chains

    def chains(self) -> list[Record]:
        """Chains sorted by code."""
        chains = chain_records(self.db)
        numbers = next_project_numbers(self.db)
        for chain in chains:
            chain["next_project_no"] = numbers[chain["_id"]]
        chains.sort(key=lambda chain: chain["code"])
        return chains

    def chain_links(self, chain_id: int) -> list[Record]:
        """The chain's map: its links in their order."""
        return map_link_records(self.db, chain_id)

    def enterprise_links(self, chain_id: int) -> list[Record]:
        """The enterprises on the chain's links."""
        return chain_enterprise_link_records(self.db, chain_id)

    def targets(self, chain_id: int) -> list[Record]:
        """The chain's annual targets."""
        return chain_target_records(self.db, chain_id)

    def projects(self, chain_id: int) -> list[Record]:
        """The chain's projects by number, with progress reports, milestones and history."""
        projects = chain_project_records(self.db, chain_id)
        if not projects:
            return []
        history = _grouped(project_event_records(self.db, chain_id, self.person_names), "_project")
        for project in projects:
            project["history"] = history.get(project["_id"], [])
        return projects

    def event_projects(self, chain_id: int) -> dict[str, str]:
        """The project key of each event about one of the chain's projects, by uuid."""
        return chain_event_projects(self.db, chain_id)

    def placements(self, chain_id: int) -> list[Record]:
        """The enterprises on a chain, by name."""
        return chain_placement_records(self.db, chain_id)

    def memberships(self, chain_id: int) -> list[Record]:
        return chain_spell_records(self.db, chain_id, self.person_names)

    def chain_history(self, chain_id: int) -> list[Record]:
        events = chain_event_records(self.db, chain_id, self.person_names, self._keys)
        self._name_projects(events, self.event_projects(chain_id))
        return events

    # ------------------------------------------------------------------ meetings

    def meetings(self, chain_id: int) -> list[Record]:
        """The chain's meetings by number, with attendees, decisions, figures and history."""
        meetings = chain_meeting_records(self.db, chain_id, self.person_names)
        if not meetings:
            return []
        parts = self.meeting_parts(chain_id)
        attendees, decisions, figures = parts["attendees"], parts["decisions"], parts["figures"]
        events = chain_meeting_event_records(self.db, chain_id, self.person_names, self._keys)
        self._name_projects(events, self.event_projects(chain_id))
        history = _grouped(events, "_meeting")
        for events in history.values():
            for event in events:
                event["meeting"] = None  # the meeting is the record it is filed under
        for meeting in meetings:
            meeting_id = meeting["_id"]
            meeting["attendees"] = attendees.get(meeting_id, [])
            meeting["decisions"] = decisions.get(meeting_id, [])
            meeting["figures"] = figures.get(meeting_id, [])
            meeting["history"] = history.get(meeting_id, [])
        return meetings

    # ------------------------------------------------------------------ items

    def items(self, chain_id: int) -> list[Record]:
        """The chain's items by number, with their meeting links, enterprises,
        assignments, extensions, follow-ups and whole history."""
        items = chain_item_records(self.db, chain_id, self.person_names)
        if not items:
            return []
        links = _grouped(chain_link_records(self.db, chain_id, self._keys), "_item")
        parts = _grouped(chain_assignment_records(self.db, chain_id), "_item")
        extensions = _grouped(chain_extension_records(self.db, chain_id), "_item")
        raisers = _grouped(chain_raiser_records(self.db, chain_id), "_item")
        follow_ups = _grouped(chain_follow_up_records(self.db, chain_id), "_item")
        events = chain_item_event_records(self.db, chain_id, self.person_names, self._keys)
        self._name_projects(events, self.event_projects(chain_id))
        history = _grouped(events, "_item")
        places = decision_places(self.db) if any(i["_decision"] for i in items) else {}
        named = item_places(self.db, chain_id)
        for item in items:
            item["link"], item["project"] = named.get(item["_id"], (None, None))
            item["decision"] = places.get(item["_decision"]) if item["_decision"] else None
            item["links"] = links.get(item["_id"], [])
            item["assignments"] = parts.get(item["_id"], [])
            item["extensions"] = extensions.get(item["_id"], [])
            item["enterprises"] = raisers.get(item["_id"], [])
            item["follow_ups"] = follow_ups.get(item["_id"], [])
            item["history"] = history.get(item["_id"], [])
        return items
