"""``export``: the database (or one chain, or what changed since a day) as a snapshot.

The text is handed to ``write`` a chain at a time, so memory stays bounded by
the largest chain; ``write_atomic`` puts it in a file through a temporary
file and ``os.replace``, so a reader never sees half a snapshot.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO

from sqlmodel import Session

from chainlead import __version__
from chainlead.snapshot import FORMAT, FORMAT_VERSION
from chainlead.snapshot.schema import (
    ATTENDEE,
    CHAIN,
    DECISION,
    EVENT,
    FIGURE,
    ITEM,
    ITEM_EVENT,
    LINK,
    MEETING,
    MEMBERSHIP,
    PERSON,
    PLAIN_EVENT,
)
from chainlead.snapshot.store import Store
from chainlead.snapshot.writer import Writer

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote."""

    people: int
    chains: int
    meetings: int
    items: int
    events: int


def export_snapshot(
    session: Session,
    *,
    write: Callable[[str], object],
    district: str = "",
    chain: str | None = None,
    since: date | None = None,
    progress: Progress | None = None,
) -> ExportSummary:
    """Write the snapshot's text through ``write``; the same data always gives the same text."""
    store = Store(session)
    chains = store.chains()
    if chain is not None:
        from chainlead.domain.chains import get_chain

        code = get_chain(session, code=chain, field="--chain").code
        chains = [c for c in chains if c["code"] == code]
    out = Writer()
    out.keys(
        {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "chainlead_version": __version__,
            "exported_at": store.latest(),
            "district": district,
        },
        ("format", "format_version", "chainlead_version", "exported_at", "district"),
    )
    if chain is not None or since is not None:
        out.header("scope", array=False)
        out.keys(
            {"chain": chains[0]["code"] if chain else None, "since": since}, ("chain", "since")
        )
    counts = {"people": 0, "chains": 0, "meetings": 0, "items": 0, "events": 0}

    people = store.people(store.referenced_people(chains[0]["_id"]) if chain else None)
    for person in people:
        out.table("people", person, PERSON.names)
        out.tables("people.history", person["history"], PLAIN_EVENT.names)
        counts["events"] += len(person["history"])
    counts["people"] = len(people)
    write(out.text())
    out.parts.clear()

    total = len(chains)
    for done, record in enumerate(chains, start=1):
        chain_id = record["_id"]
        out.table("chains", record, CHAIN.names)
        out.tables("chains.memberships", store.memberships(chain_id), MEMBERSHIP.names)
        history = store.chain_history(chain_id)
        out.tables("chains.history", history, EVENT.names)
        counts["events"] += len(history)
        meetings = store.meetings(chain_id, since)
        for meeting in meetings:
            out.table("chains.meetings", meeting, MEETING.names)
            out.tables("chains.meetings.attendees", meeting["attendees"], ATTENDEE.names)
            out.tables("chains.meetings.decisions", meeting["decisions"], DECISION.names)
            out.tables("chains.meetings.figures", meeting["figures"], FIGURE.names)
            out.tables("chains.meetings.history", meeting["history"], EVENT.names)
            counts["events"] += len(meeting["history"])
        counts["meetings"] += len(meetings)
        del meetings
        items = store.items(chain_id, since)
        for item in items:
            out.table("chains.items", item, ITEM.names)
            out.tables("chains.items.links", item["links"], LINK.names)
            out.tables("chains.items.history", item["history"], ITEM_EVENT.names)
            counts["events"] += len(item["history"])
        counts["items"] += len(items)
        del items
        write(out.text())
        out.parts.clear()
        counts["chains"] += 1
        if progress is not None:
            progress("exporting", done, total)

    if chain is None:
        history = store.top_history(since)
        out.tables("history", history, PLAIN_EVENT.names)
        counts["events"] += len(history)
        write(out.text())
    return ExportSummary(**counts)


@contextmanager
def write_atomic(path: Path) -> Iterator[IO[str]]:
    """A text file that appears at ``path`` whole, or not at all (temp file + os.replace)."""
    target = path.expanduser().absolute()
    folder = target.parent
    if not folder.is_dir():
        from chainlead.errors import InvalidInput

        raise InvalidInput("FILE", "expected a path in an existing folder", str(path))
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
