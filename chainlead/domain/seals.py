"""The tamper-evident history: each event's hash links it to the one before.

An event's ``hash`` is ``sha256(previous hash + canonical content)`` in hex; the
first event's previous hash is 64 zeros. The canonical content is portable: it
names the records an event refers to by their uuids (never row ids) and its
time in ISO form, UTC, so that a snapshot reproduces it on another machine.
This module is the one place that spells it; the store's history writer, the
snapshot merge, the migration that hashed the older history and ``db check``
all call it. A changed or deleted event, even one changed behind chainlead's
back with the append-only guard dropped, breaks a link; a leader who kept the
head hash (``chainlead db seal``) can prove later that the history up to it is
unchanged (``chainlead db check --against``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from chainlead.errors import InvalidInput
from chainlead.i18n import _
from chainlead.store.connection import Reader

ZERO = "0" * 64  # the previous hash of the first event
_FORM = "chainlead-event/1"  # changes only with a migration that hashes anew
_HEX = re.compile(r"[0-9a-f]{64}")
_SPACING = re.compile(r"[\s\-:_]+")
GROUP = 8  # hex digits per group when a seal is printed to be read aloud


@dataclass(frozen=True)
class EventContent:
    """What an event's hash covers: its own fields and the uuids of the records it
    refers to."""

    uuid: str
    at: datetime  # naive UTC, as stored, or aware
    actor: str
    login: str | None
    kind: str
    field: str | None
    old: str | None
    new: str | None
    text: str | None
    chain: str | None = None
    item: str | None = None
    meeting: str | None = None
    person: str | None = None
    unit: str | None = None
    project: str | None = None


def utc_text(at: datetime) -> str:
    """A time as the canonical content spells it: ISO, UTC, microseconds, ``Z``."""
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.isoformat(timespec="microseconds") + "Z"


def canonical(content: EventContent) -> str:
    """The event's content as one line of JSON, the same on every machine."""
    return json.dumps(
        [
            _FORM,
            content.uuid,
            utc_text(content.at),
            content.actor,
            content.login,
            content.kind,
            content.field,
            content.old,
            content.new,
            content.text,
            content.chain,
            content.item,
            content.meeting,
            content.person,
            content.unit,
            content.project,
        ],  # fmt: skip
        ensure_ascii=False,
        separators=(",", ":"),
    )


def link(previous: str, content: EventContent) -> str:
    """The hash of an event following the one whose hash is ``previous``."""
    return hashlib.sha256((previous + canonical(content)).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainedEvent:
    """A stored event as ``db check`` walks the chain: its row id, stored hash and
    content."""

    id: int
    hash: str | None
    content: EventContent


@dataclass(frozen=True)
class BrokenLink:
    """An event whose stored hash does not follow from the one before it and its own
    content: ``missing`` when the row ids skip just before it (an event deleted)."""

    id: int
    uuid: str
    missing: tuple[int, int] | None  # the first and last row id not there


@dataclass(frozen=True)
class ChainWalk:
    """The chain as stored: the broken links, oldest first, and the last event."""

    broken: tuple[BrokenLink, ...]
    last_id: int | None
    last_hash: str
    events: int
    sealed: int | None  # the row id of the event whose hash is the seal's, if any


def walk(events: Iterable[ChainedEvent], seal: str | None = None) -> ChainWalk:
    """Recompute every link of the chain (events in id order), keeping the stored hash
    as the next one's previous hash so that one change is reported once; ``seal``: a
    head hash kept earlier, whose event is looked for (0 for the zeros of no event)."""
    broken: list[BrokenLink] = []
    previous, last_id, count = ZERO, None, 0
    sealed = 0 if seal == ZERO else None
    for event in events:
        count += 1
        if event.hash is None or link(previous, event.content) != event.hash:
            gap = None
            expected_id = 1 if last_id is None else last_id + 1
            if event.id > expected_id:
                gap = (expected_id, event.id - 1)
            broken.append(BrokenLink(event.id, event.content.uuid, gap))
        previous = event.hash or ""
        last_id = event.id
        if previous == seal and sealed is None:
            sealed = event.id
    return ChainWalk(tuple(broken), last_id, previous, count, sealed)


def seal_hash(text: str, field: str = "--against") -> str:
    """A head hash as a leader copied it: 64 hex digits, in groups or not, any case."""
    cleaned = _SPACING.sub("", text.strip()).lower()
    if not _HEX.fullmatch(cleaned):
        raise InvalidInput(
            field, _("a head hash of 64 hexadecimal digits (as `chainlead db seal` prints)"), text
        )
    return cleaned


def grouped(value: str, size: int = GROUP) -> str:
    """A hash in groups of ``size`` digits, to read aloud or copy onto paper."""
    return " ".join(value[i : i + size] for i in range(0, len(value), size))


@dataclass(frozen=True)
class Seal:
    """The head of the history at a moment, for a leader to keep on paper."""

    database: str
    head: str
    grouped: str
    event_id: int | None
    events: int
    sealed_at: datetime  # in the local zone


def seal_history(source: Reader, *, database: str, at: datetime) -> Seal:
    """The head hash and the number of events now (``at``: the local time)."""
    from chainlead.store.history import event_count, history_head

    event_id, head = history_head(source)
    return Seal(database, head, grouped(head), event_id, event_count(source), at)


def chain_order(
    links: dict[str, tuple[str, str]],
    *,
    whole: bool,
    first: Callable[[str], Any],
) -> dict[str, int] | str:
    """The places of a snapshot's events (uuid -> (prev, hash)) in their chain, or what
    keeps them from forming one: two events with one hash or one ``prev`` (a fork), an
    event no run reaches. ``whole``: one run from 64 zeros (a whole export); else runs
    of the exporter's chain, in the order of ``first`` (their first event's time)."""
    by_hash: dict[str, str] = {}
    after: dict[str, str] = {}
    for uuid, (prev, hashed) in links.items():
        if hashed in by_hash:
            return _("events {a} and {b} have the same hash").format(a=by_hash[hashed], b=uuid)
        by_hash[hashed] = uuid
        if prev in after:
            return _("events {a} and {b} follow the same event (the chain forks)").format(
                a=after[prev], b=uuid
            )
        after[prev] = uuid
    starts = sorted((u for u, (prev, _h) in links.items() if prev not in by_hash), key=first)
    if whole and links and [links[u][0] for u in starts] != [ZERO]:
        found = next((u for u in starts if links[u][0] != ZERO), None)
        if found is None:
            return _("no event starts the chain")
        return _("the event before {uuid} is missing").format(uuid=found)
    places: dict[str, int] = {}
    for start in starts:
        uuid: str | None = start
        while uuid is not None and uuid not in places:
            places[uuid] = len(places)
            uuid = after.get(links[uuid][1])
    if len(places) != len(links):
        stray = next(u for u in links if u not in places)
        return _("event {uuid} is not linked to the chain").format(uuid=stray)
    return places
