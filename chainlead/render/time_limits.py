"""The item card's time-limit parts: the original limit, urges, the suspension,
the extension requests and their answers, and how their events read."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from chainlead.clock import shown
from chainlead.domain.views import ItemDetail, ItemEvent
from chainlead.render.output import card_table, cell

# The events of extensions, urges and suspension, as the card's history names them.
EVENT_WORDS = {
    "extension_requested": "extension requested",
    "extension_approved": "extension approved",
    "extension_refused": "extension refused",
    "urged": "urged",
    "suspended": "suspended",
    "resumed": "resumed",
}


def due_note(detail: ItemDetail) -> Text:
    """After the time limit: the first one, where it moved."""
    if detail.original_due_on is None:
        return Text("")
    return Text(f"  (original {detail.original_due_on.isoformat()})")


def add_fact_rows(detail: ItemDetail, facts: Table) -> None:
    """The urges and the suspension, as rows of the card's facts."""
    if detail.suspended_on is not None:
        until = f" until {detail.suspended_until.isoformat()}" if detail.suspended_until else ""
        facts.add_row(
            "Suspended",
            Text(f"since {detail.suspended_on.isoformat()}{until}: ")
            + cell(detail.suspend_reason or "-"),
        )
    if detail.suspended_days:
        facts.add_row("Days suspended", Text(f"{detail.suspended_days} d, added to the clock"))
    if detail.urge_count:
        last = detail.last_urged_at
        when = f", last {shown(last)}" if last else ""
        times = "once" if detail.urge_count == 1 else f"{detail.urge_count} times"
        facts.add_row("Urged", Text(f"{times}{when}"))


def _answer(ext) -> Text:  # noqa: ANN001 (an ExtensionRecord)
    if ext.kind == "edit":
        return Text("edited")
    if ext.state == "pending":
        return Text("pending", style="bold yellow")
    said = Text(f"{ext.state} {ext.decided_on.isoformat() if ext.decided_on else ''}")
    if ext.decided_by:
        said += Text(" by ") + cell(ext.decided_by)
    if ext.decision_note:
        said += Text(": ") + cell(ext.decision_note)
    return said


def extensions_table(detail: ItemDetail) -> Table | None:
    """The requests for a later limit and the edits of it, with their answers."""
    if not detail.extensions:
        return None
    table = card_table("Extensions", ("Filed", "By", "Limit", "Why", "Answer"))
    for ext in detail.extensions:
        table.add_row(
            cell(ext.requested_on),
            cell(ext.unit or ext.requested_by),
            Text(f"{ext.from_due.isoformat()} → {ext.to_due.isoformat()}"),
            cell(ext.why or "-"),
            _answer(ext),
        )
    return table


def event_text(entry: ItemEvent) -> Text | None:
    """One of these events' change in words; None for every other event."""
    words = EVENT_WORDS.get(entry.kind)
    if words is None:
        return None
    if entry.kind.startswith("extension_"):
        said = Text(f"{words}: {entry.old or '?'} → {entry.new or '?'}")
    elif entry.kind == "suspended" and entry.new:
        said = Text(f"{words} until {entry.new}")
    elif entry.kind == "resumed":
        said = Text(f"{words} (days suspended {entry.old or 0} → {entry.new or 0})")
    else:
        said = Text(words)
    if entry.unit:
        said += Text(" (") + cell(entry.unit) + Text(")")
    return said
