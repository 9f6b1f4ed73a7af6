"""The item card's time-limit parts: the original limit, urges, the suspension,
the extension requests and their answers, and how their events read."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from chainlead.clock import shown
from chainlead.domain.views import ItemDetail, ItemEvent
from chainlead.i18n import _, ngettext
from chainlead.render.output import card_table, cell
from chainlead.render.words import answer_word, event_word, labels

# The events of extensions, urges and suspension, whose change the card's history
# spells out (their names: ``render.words.event_word``).
EVENT_KINDS = (
    "extension_requested",
    "extension_approved",
    "extension_refused",
    "urged",
    "suspended",
    "resumed",
)


def due_note(detail: ItemDetail) -> Text:
    """After the time limit: the first one, where it moved."""
    if detail.original_due_on is None:
        return Text("")
    return Text("  " + _("(original {day})").format(day=detail.original_due_on.isoformat()))


def add_fact_rows(detail: ItemDetail, facts: Table) -> None:
    """The urges and the suspension, as rows of the card's facts."""
    words = labels()
    if detail.suspended_on is not None:
        since = detail.suspended_on.isoformat()
        said = (
            _("since {since} until {until}: ").format(
                since=since, until=detail.suspended_until.isoformat()
            )
            if detail.suspended_until
            else _("since {since}: ").format(since=since)
        )
        facts.add_row(words("sheet_suspended"), Text(said) + cell(detail.suspend_reason or "-"))
    if detail.suspended_days:
        facts.add_row(
            _("Days suspended"),
            Text(_("{n} d, added to the clock").format(n=detail.suspended_days)),
        )
    if detail.urge_count:
        last = detail.last_urged_at
        n = detail.urge_count
        said = (
            ngettext("once, last {at}", "{n} times, last {at}", n).format(n=n, at=shown(last))
            if last
            else ngettext("once", "{n} times", n).format(n=n)
        )
        facts.add_row(words("sheet_urged"), Text(said))


def _answer(ext) -> Text:  # noqa: ANN001 (an ExtensionRecord)
    if ext.kind == "edit":
        return Text(answer_word("edit"))
    if ext.state == "pending":
        return Text(answer_word("pending"), style="bold yellow")
    said = Text(f"{answer_word(ext.state)} {ext.decided_on.isoformat() if ext.decided_on else ''}")
    if ext.decided_by:
        said += Text(" " + _("by {who}").format(who=ext.decided_by))
    if ext.decision_note:
        said += Text(": ") + cell(ext.decision_note)
    return said


def extensions_table(detail: ItemDetail) -> Table | None:
    """The requests for a later limit and the edits of it, with their answers."""
    if not detail.extensions:
        return None
    words = labels()
    table = card_table(
        words("extensions_row"),
        (
            words("sheet_limit_filed"),
            words("sheet_limit_by"),
            words("sheet_limit_change"),
            words("sheet_limit_why"),
            words("sheet_limit_answer"),
        ),
    )
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
    if entry.kind not in EVENT_KINDS:
        return None
    words = event_word(entry.kind)
    if entry.kind.startswith("extension_"):
        said = Text(
            _("{event}: {old} → {new}").format(
                event=words, old=entry.old or "?", new=entry.new or "?"
            )
        )
    elif entry.kind == "suspended" and entry.new:
        said = Text(_("{event} until {day}").format(event=words, day=entry.new))
    elif entry.kind == "resumed":
        said = Text(
            _("{event} (days suspended {old} → {new})").format(
                event=words, old=entry.old or 0, new=entry.new or 0
            )
        )
    else:
        said = Text(words)
    if entry.unit:
        said += Text(" (") + cell(entry.unit) + Text(")")
    return said
