"""``chainlead search``: items and meetings by anything written about them.

A text is searched for as typed, anywhere in a title, detail, resolution,
category or enterprise name of an item, a note in its history, or a meeting's
summary or decisions (Chinese has no spaces: any part of a text is found).
Words separated by spaces must all be in one text. One hit per item or
meeting, by its best text: a title before an enterprise, category, detail,
summary, decision, resolution or note; then the most recently changed first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from chainlead.domain.views import choice
from chainlead.errors import InvalidInput
from chainlead.store.connection import Reader
from chainlead.store.search import Hit, matching_texts
from chainlead.values import check_text
from chainlead.vocabulary import SEARCH_MAX, STATUSES

# Where a text was found, best first.
FIELD_RANK = ("title", "enterprise", "category", "detail", "summary", "decision", "resolution",
              "note")  # fmt: skip
EXCERPT_CHARS = 60  # the most of a text shown around its match
DEFAULT_LIMIT = 20


@dataclass(frozen=True)
class Found:
    """One item or meeting found: where, and the text around the match."""

    kind: str  # item | meeting
    key: str
    chain: str
    title: str  # the item's title, the meeting's kind
    status: str | None
    on: date
    at: datetime
    field: str  # where the match is (FIELD_RANK)
    excerpt: str  # the text around the match, on one line
    match: tuple[int, int]  # the match within the excerpt: start, end
    also: tuple[str, ...]  # other places it matched, best first


@dataclass(frozen=True)
class SearchResult:
    text: str
    total: int  # items and meetings found, before the limit
    found: tuple[Found, ...]


def search_terms(text: str) -> list[str]:
    """The words of a search text (spaces between them), checked."""
    cleaned = check_text("TEXT", text, required=True, max_len=SEARCH_MAX, multiline=False) or ""
    return list(dict.fromkeys(cleaned.split()))


def excerpt(body: str, term: str, *, width: int = EXCERPT_CHARS) -> tuple[str, tuple[int, int]]:
    """The part of ``body`` around the first ``term`` (any case), on one line, with
    ``…`` where it was cut; and where the term is in it."""
    flat = " ".join(body.split())
    start = flat.lower().find(term.lower())
    if start < 0:
        start, end = 0, 0
    else:
        end = start + len(term)
    if len(flat) <= width:
        return flat, (start, end)
    before = max(0, min(start - (width - (end - start)) // 3, len(flat) - width))
    after = min(len(flat), before + width)
    head = "…" if before > 0 else ""
    tail = "…" if after < len(flat) else ""
    shown = head + flat[before:after] + tail
    offset = len(head) - before
    return shown, (start + offset, end + offset)


def search(
    db: Reader,
    *,
    text: str,
    chain: str | None = None,
    statuses: tuple[str, ...] = (),
    limit: int | None = DEFAULT_LIMIT,
) -> SearchResult:
    """Items and meetings with ``text`` in anything written about them, best first.

    ``chain``: that chain's only; ``statuses``: items in those statuses only (and
    no meetings); ``limit``: at most that many (None: all)."""
    from chainlead.domain.views import chain_id

    terms = search_terms(text)
    if limit is not None and limit < 1:
        raise InvalidInput("--limit", "expected a whole number of at least 1", limit)
    wanted = tuple(dict.fromkeys(choice("--status", s, STATUSES) for s in statuses))
    chain_no = None if chain is None else chain_id(db, code=chain, field="--chain")
    hits = matching_texts(
        db,
        terms,
        chain_id=chain_no,
        statuses=wanted or None,
    )
    by_target: dict[tuple[str, str], list[Hit]] = {}
    for hit in hits:
        target = ("item", hit.item_key) if hit.item_key else ("meeting", hit.meeting_key or "")
        by_target.setdefault(target, []).append(hit)
    found: list[Found] = []
    for (kind, key), mine in by_target.items():
        mine.sort(key=lambda h: FIELD_RANK.index(h.field))
        best = mine[0]
        shown, where = excerpt(best.body, terms[0])
        found.append(
            Found(
                kind=kind,
                key=key,
                chain=best.chain,
                title=best.title,
                status=best.status,
                on=best.on,
                at=best.at,
                field=best.field,
                excerpt=shown,
                match=where,
                also=tuple(dict.fromkeys(h.field for h in mine[1:] if h.field != best.field)),
            )
        )
    found.sort(key=lambda f: (FIELD_RANK.index(f.field), -f.at.timestamp(), f.key))
    shown_found = found if limit is None else found[:limit]
    return SearchResult(text=" ".join(terms), total=len(found), found=tuple(shown_found))
