"""The printed report's own parts, apart from the page's template: what the
handout carries besides the report (``Handout``), its masthead's and running
header's words, and text spelled as a CSS string for the running header.

Light on purpose (no jinja2): the command builds a ``Handout`` before it
knows whether a page is drawn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from chainlead.domain.reports import MonthlyReport
from chainlead.render.labels import Labels

PAPER_LIMIT = 5  # items printed per chain and list in the handout, unless --limit
# A district of more chains than this prints SHORT_LIMIT items a list, so that 20
# chains still fit a handout of about 16 pages (the annex lists every item).
MANY_CHAINS = 10
SHORT_LIMIT = 2


def paper_limit(report: MonthlyReport, given: int | None) -> int:
    """Items per chain and list on the printed page: ``--limit`` when given, else
    PAPER_LIMIT, or SHORT_LIMIT for a district of more than MANY_CHAINS chains."""
    if given:
        return given
    return SHORT_LIMIT if len(report.chains) > MANY_CHAINS else PAPER_LIMIT


@dataclass(frozen=True)
class Handout:
    """What the printed handout carries besides the report: its issuing body and
    date, how long its lists run, whether the annex follows, and who signs it."""

    issuer: str | None = None  # the issuing body; None: "<district> working team"
    issued_on: date | None = None  # the date on the masthead; None: the report's today
    limit: int | None = None  # items per chain and list (--limit); None: ``paper_limit``
    annex: bool = False  # every item of each chain follows in an annex
    compiled_by: str | None = None  # 编制
    reviewed_by: str | None = None  # 审核
    signed_by: str | None = None  # 签发


def _printable(text: str) -> str:
    """``text`` without control characters (a district named in the environment may
    hold one; what the database holds was checked on the way in)."""
    return "".join(c for c in text if not (ord(c) < 32 or 127 <= ord(c) < 160))


def css_string(text: str) -> str:
    """``text`` as the inside of a double-quoted CSS string: every character but
    ASCII letters and digits written as a six-digit escape, so nothing in a name
    can end the string, the rule or the style element (HTML-escaping would not
    help: the style element is raw text)."""
    return "".join(c if c.isascii() and c.isalnum() else f"\\{ord(c):06x}" for c in text)


def page_parts(labels: Labels) -> list[str | int]:
    """ "Page N of M" as the foot's CSS content: text, then 1 for the page's
    number and 2 for the number of pages, in the language's order."""
    text = labels("handout_page", n="\x01", m="\x02")
    parts: list[str | int] = []
    for piece in re.split("([\x01\x02])", text):
        if piece in ("\x01", "\x02"):
            parts.append(ord(piece))
        elif piece:
            parts.append(piece)
    return parts


def handout_words(report: MonthlyReport, labels: Labels, handout: Handout) -> dict[str, Any]:
    """The masthead's and the running header's words."""
    district = _printable(report.district).strip()
    day = handout.issued_on or report.today
    # Chinese runs on without a space, except after a name in Latin letters.
    space = " " if labels.lang == "en" or district[-1:].isascii() else ""
    if handout.issuer:
        issuer = handout.issuer
    elif district:
        issuer = labels(
            "handout_issuer", district=district + (space if labels.lang == "zh" else "")
        )
    else:
        issuer = labels("handout_issuer_plain")
    return {
        "heading": space.join(p for p in (district, labels("monthly_title")) if p),
        "month": labels.month(report.month),
        "issue": labels("handout_issue", n=report.issue),
        "issuer": issuer,
        "date": labels(
            "handout_date", day=day.isoformat(), year=day.year, mon=day.month, dd=day.day
        ),
        "running": " · ".join(p for p in (district, labels.month(report.month)) if p),
        "page": page_parts(labels),
    }
