"""``chainlead db seal``: the head of the history as a leader copies it onto paper."""

from __future__ import annotations

from chainlead.domain.seals import Seal
from chainlead.i18n import _


def seal_text(seal: Seal) -> str:
    """The seal in plain lines: the hash in groups of eight digits, two lines of four
    groups, to read aloud; the time with its offset from UTC."""
    groups = seal.grouped.split(" ")
    half = len(groups) // 2
    return "\n".join(
        (
            _("History seal of {database}").format(database=seal.database),
            _("Sealed at: {at}").format(at=seal.sealed_at.strftime("%Y-%m-%d %H:%M:%S %z")),
            _("Events: {count}").format(count=seal.events),
            _("Head hash:"),
            "  " + " ".join(groups[:half]),
            "  " + " ".join(groups[half:]),
            _("Prove it later: chainlead db check --against '{hash}'").format(hash=seal.grouped),
        )
    )
