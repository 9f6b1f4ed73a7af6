"""Reading the database as snapshot records: columns, never ORM objects, one query per table.

Every reader returns records in the snapshot's own shape (the names of
``schema``; references as names and keys) plus the row id under ``_id``,
so that the merge compares them with what a snapshot holds (``export``
spells rows directly). A chain's records are read a chain at a time (a
handful of queries per chain, none per row), which keeps memory bounded by
the largest chain.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import and_, or_, select
from sqlmodel import Session

from chainlead.models import (
    Chain,
    Event,
    Item,
    Meeting,
    MeetingAttendee,
    MeetingDecision,
    MeetingFigure,
    MeetingItem,
    Membership,
    Person,
)

Record = dict[str, Any]

_EVENT_COLUMNS = (
    Event.id,
    Event.uuid,
    Event.at,
    Event.actor,
    Event.kind,
    Event.meeting_id,
    Event.person_id,
    Event.field,
    Event.old,
    Event.new,
    Event.text,
    Event.item_id,
)


def start_of(day: date) -> datetime:
    return datetime.combine(day, time())


class Store:
    """The database seen as snapshot records."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._person_names: dict[int, str] | None = None
        self._meeting_keys: dict[int, str] | None = None

    def execute(self, query: Any) -> Any:
        """Core execution on the session's connection: rows as tuples, no ORM loading."""
        return self.session.connection().execute(query)

    # ------------------------------------------------------------------ lookups

    @property
    def person_names(self) -> dict[int, str]:
        if self._person_names is None:
            rows = self.execute(select(Person.id, Person.name))
            self._person_names = dict(rows.all())
        return self._person_names

    @property
    def meeting_keys(self) -> dict[int, str]:
        if self._meeting_keys is None:
            rows = self.execute(select(Meeting.id, Meeting.key))
            self._meeting_keys = dict(rows.all())
        return self._meeting_keys

    def is_empty(self) -> bool:
        for model in (Person, Chain, Event):
            if self.execute(select(model.id).limit(1)).first() is not None:
                return False
        return True

    # ------------------------------------------------------------------ events

    def _events(self, where: Any) -> list[Record]:
        rows = self.execute(select(*_EVENT_COLUMNS).where(where).order_by(Event.at, Event.id)).all()
        names = self.person_names
        keys = self.meeting_keys if any(row[5] is not None for row in rows) else {}
        return [
            {
                "_id": row[0],
                "_item": row[11],
                "_meeting": row[5],
                "_person": row[6],
                "uuid": row[1],
                "at": row[2],
                "actor": row[3],
                "kind": row[4],
                "meeting": keys.get(row[5]) if row[5] is not None else None,
                "person": names.get(row[6]) if row[6] is not None else None,
                "field": row[7],
                "old": row[8],
                "new": row[9],
                "text": row[10],
            }
            for row in rows
        ]

    @staticmethod
    def _grouped(records: Iterable[Record], key: str) -> dict[int, list[Record]]:
        groups: dict[int, list[Record]] = defaultdict(list)
        for record in records:
            groups[record[key]].append(record)
        return groups

    def _meeting_parts(
        self, model: type, fields: tuple[str, ...], in_chain: Any
    ) -> dict[int, list[Record]]:
        """A chain's meeting attendees, decisions or figures, grouped by meeting.

        Attendees and decisions in the order recorded (``position``), figures
        in the order added (``id``).
        """
        order = getattr(model, "position", model.id)
        columns = [getattr(model, name) for name in fields]
        rows = self.execute(
            select(model.meeting_id, model.id, model.uuid, *columns)
            .join(Meeting, Meeting.id == model.meeting_id)
            .where(in_chain)
            .order_by(model.meeting_id, order)
        ).all()
        return self._grouped(
            (
                {
                    "_meeting": r[0],
                    "_id": r[1],
                    "uuid": r[2],
                    **dict(zip(fields, r[3:], strict=True)),
                }
                for r in rows
            ),
            "_meeting",
        )

    def meeting_parts(self, chain_id: int) -> dict[str, dict[int, list[Record]]]:
        """A chain's meeting attendees, decisions and figures, each grouped by meeting."""
        in_chain = Meeting.chain_id == chain_id
        return {
            "attendees": self._meeting_parts(MeetingAttendee, ("name",), in_chain),
            "decisions": self._meeting_parts(MeetingDecision, ("text",), in_chain),
            "figures": self._meeting_parts(MeetingFigure, ("name", "value", "unit"), in_chain),
        }

    def top_history(self, since: date | None = None) -> list[Record]:
        where = and_(
            Event.chain_id.is_(None),  # type: ignore[union-attr]
            Event.item_id.is_(None),  # type: ignore[union-attr]
            Event.meeting_id.is_(None),  # type: ignore[union-attr]
            Event.person_id.is_(None),  # type: ignore[union-attr]
        )
        if since is not None:
            where = and_(where, Event.at >= start_of(since))
        return self._events(where)

    # ------------------------------------------------------------------ people

    def people(self, ids: set[int] | None = None) -> list[Record]:
        """People sorted by name (code point order, the same on every database)."""
        query = select(
            Person.id,
            Person.uuid,
            Person.name,
            Person.unit,
            Person.title,
            Person.contact,
            Person.created_at,
        )
        rows = self.execute(query).all()
        history = self._grouped(self._person_events(), "_person")
        people = [
            {
                "_id": row[0],
                "uuid": row[1],
                "name": row[2],
                "unit": row[3],
                "title": row[4],
                "contact": row[5],
                "created_at": row[6],
                "history": history.get(row[0], []),
            }
            for row in rows
            if ids is None or row[0] in ids
        ]
        people.sort(key=lambda person: person["name"])
        return people

    def _person_events(self) -> list[Record]:
        events = self._events(
            and_(
                Event.person_id.is_not(None),  # type: ignore[union-attr]
                Event.chain_id.is_(None),  # type: ignore[union-attr]
                Event.item_id.is_(None),  # type: ignore[union-attr]
                Event.meeting_id.is_(None),  # type: ignore[union-attr]
            )
        )
        for event in events:
            event["person"] = None  # the person is the record it is filed under
        return events

    def referenced_people(self, chain_id: int) -> set[int]:
        """Everyone a chain's records name: team, owners, chairs, people in its history."""
        queries = [
            select(Membership.person_id).where(Membership.chain_id == chain_id),
            select(Item.owner_id).where(Item.chain_id == chain_id),
            select(Meeting.chair_id).where(Meeting.chain_id == chain_id),
            select(Event.person_id).where(Event.chain_id == chain_id),
            select(Event.person_id)
            .join(Item, Item.id == Event.item_id)
            .where(Item.chain_id == chain_id),
            select(Event.person_id)
            .join(Meeting, Meeting.id == Event.meeting_id)
            .where(Meeting.chain_id == chain_id),
        ]
        found: set[int] = set()
        for query in queries:
            found.update(v for v in self.execute(query).scalars() if v is not None)
        return found

    # ------------------------------------------------------------------ chains

    def chains(self, code: str | None = None) -> list[Record]:
        query = select(
            Chain.id,
            Chain.uuid,
            Chain.code,
            Chain.name,
            Chain.description,
            Chain.status,
            Chain.archived_on,
            Chain.created_at,
            Chain.next_item_no,
            Chain.next_meeting_no,
        )
        if code is not None:
            query = query.where(Chain.code == code)
        chains = [
            {
                "_id": row[0],
                "uuid": row[1],
                "code": row[2],
                "name": row[3],
                "description": row[4],
                "status": row[5],
                "archived": row[6],
                "created_at": row[7],
                "next_item_no": row[8],
                "next_meeting_no": row[9],
            }
            for row in self.execute(query).all()
        ]
        chains.sort(key=lambda chain: chain["code"])
        return chains

    def memberships(self, chain_id: int) -> list[Record]:
        rows = self.execute(
            select(
                Membership.id,
                Membership.uuid,
                Membership.person_id,
                Membership.role,
                Membership.since,
                Membership.until,
            )
            .where(Membership.chain_id == chain_id)
            .order_by(Membership.since, Membership.id)
        ).all()
        names = self.person_names
        return [
            {
                "_id": row[0],
                "_person": row[2],
                "uuid": row[1],
                "person": names[row[2]],
                "role": row[3],
                "since": row[4],
                "until": row[5],
            }
            for row in rows
        ]

    def chain_history(self, chain_id: int) -> list[Record]:
        return self._events(
            and_(
                Event.chain_id == chain_id,
                Event.item_id.is_(None),  # type: ignore[union-attr]
                Event.meeting_id.is_(None),  # type: ignore[union-attr]
            )
        )

    # ------------------------------------------------------------------ meetings

    def meetings(self, chain_id: int, since: date | None = None) -> list[Record]:
        """The chain's meetings by number, with attendees, decisions, figures and history."""
        query = select(
            Meeting.id,
            Meeting.uuid,
            Meeting.key,
            Meeting.number,
            Meeting.kind,
            Meeting.month,
            Meeting.held_on,
            Meeting.chair_id,
            Meeting.summary,
            Meeting.created_at,
        ).where(Meeting.chain_id == chain_id)
        if since is not None:
            changed = select(Event.meeting_id).where(
                Event.at >= start_of(since),
                Event.item_id.is_(None),  # type: ignore[union-attr]
                Event.meeting_id.is_not(None),  # type: ignore[union-attr]
            )
            query = query.where(
                or_(
                    Meeting.created_at >= start_of(since),
                    Meeting.held_on >= since,
                    Meeting.id.in_(changed),  # type: ignore[union-attr]
                )
            )
        rows = self.execute(query.order_by(Meeting.number)).all()
        if not rows:
            return []
        names = self.person_names
        in_chain = Meeting.chain_id == chain_id
        parts = self.meeting_parts(chain_id)
        attendees, decisions, figures = parts["attendees"], parts["decisions"], parts["figures"]
        history = self._grouped(
            self._events(
                and_(
                    Event.meeting_id.in_(  # type: ignore[union-attr]
                        select(Meeting.id).where(in_chain)
                    ),
                    Event.item_id.is_(None),  # type: ignore[union-attr]
                )
            ),
            "_meeting",
        )
        for events in history.values():
            for event in events:
                event["meeting"] = None  # the meeting is the record it is filed under
        return [
            {
                "_id": row[0],
                "uuid": row[1],
                "key": row[2],
                "number": row[3],
                "kind": row[4],
                "month": row[5],
                "held": row[6],
                "chair": names[row[7]] if row[7] is not None else None,
                "summary": row[8],
                "created_at": row[9],
                "attendees": attendees.get(row[0], []),
                "decisions": decisions.get(row[0], []),
                "figures": figures.get(row[0], []),
                "history": history.get(row[0], []),
            }
            for row in rows
        ]

    # ------------------------------------------------------------------ items

    def items(self, chain_id: int, since: date | None = None) -> list[Record]:
        """The chain's items by number, with their meeting links and whole history."""
        query = select(
            Item.id,
            Item.uuid,
            Item.key,
            Item.number,
            Item.title,
            Item.detail,
            Item.enterprise,
            Item.source,
            Item.category,
            Item.priority,
            Item.unit,
            Item.owner_id,
            Item.raised_on,
            Item.due_on,
            Item.status,
            Item.resolution,
            Item.resolved_on,
            Item.closed_on,
            Item.status_reason,
            Item.created_at,
            Item.updated_at,
        ).where(Item.chain_id == chain_id)
        if since is not None:
            changed = select(Event.item_id).where(
                Event.at >= start_of(since),
                Event.item_id.is_not(None),  # type: ignore[union-attr]
            )
            query = query.where(
                or_(
                    Item.updated_at >= start_of(since),
                    Item.created_at >= start_of(since),
                    Item.id.in_(changed),  # type: ignore[union-attr]
                )
            )
        rows = self.execute(query.order_by(Item.number)).all()
        if not rows:
            return []
        names = self.person_names
        in_chain = Item.chain_id == chain_id
        link_rows = self.execute(
            select(
                MeetingItem.item_id,
                MeetingItem.id,
                MeetingItem.uuid,
                MeetingItem.meeting_id,
                MeetingItem.relation,
            )
            .join(Item, Item.id == MeetingItem.item_id)
            .where(in_chain)
            .order_by(MeetingItem.item_id, MeetingItem.id)
        ).all()
        keys = self.meeting_keys if link_rows else {}
        links = self._grouped(
            (
                {
                    "_item": r[0],
                    "_id": r[1],
                    "_meeting": r[3],
                    "uuid": r[2],
                    "meeting": keys[r[3]],
                    "relation": r[4],
                }
                for r in link_rows
            ),
            "_item",
        )
        history = self._grouped(
            self._events(Event.item_id.in_(select(Item.id).where(in_chain))),  # type: ignore[union-attr]
            "_item",
        )
        return [
            {
                "_id": row[0],
                "uuid": row[1],
                "key": row[2],
                "number": row[3],
                "title": row[4],
                "detail": row[5],
                "enterprise": row[6],
                "source": row[7],
                "category": row[8],
                "priority": row[9],
                "unit": row[10],
                "owner": names[row[11]] if row[11] is not None else None,
                "raised": row[12],
                "due": row[13],
                "status": row[14],
                "resolution": row[15],
                "resolved": row[16],
                "closed": row[17],
                "status_reason": row[18],
                "created_at": row[19],
                "updated_at": row[20],
                "links": links.get(row[0], []),
                "history": history.get(row[0], []),
            }
            for row in rows
        ]
