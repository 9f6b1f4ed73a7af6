"""``chainlead search``: items and meetings by anything written about them.

A text is searched for as typed, anywhere in a title, detail, resolution,
category or enterprise name of an item, a note in its history, or a meeting's
summary or decisions (Chinese has no spaces: any part of a text is found).
Words separated by spaces must all be in one text. One hit per item or
meeting, by its best text: a title before an enterprise, category, detail,
summary, decision, resolution or note; then the most recently added first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from chainlead.domain.views import choice
from chainlead.errors import InvalidInput
from chainlead.store.connection import Reader
from chainlead.store.search import Match, item_heads, matching_rows, meeting_heads, texts
from chainlead.values import check_text
from chainlead.vocabulary import SEARCH_MAX, STATUSES

# Where a text was found, best first.
FIELD_RANK = ("title", "enterprise", "category", "detail", "summary", "decision", "resolution",
              "note")  # fmt: skip
RANK = {field: n for n, field in enumerate(FIELD_RANK)}
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
    matches = matching_rows(db, terms, chain_id=chain_no, statuses=wanted or None)
    # One hit per item or meeting: its best text (FIELD_RANK), then the first row.
    best: dict[tuple[str, int], Match] = {}
    others: dict[tuple[str, int], list[str]] = {}
    for match in matches:
        target = (
            ("item", match.item_id)
            if match.item_id is not None
            else ("meeting", match.meeting_id or 0)
        )
        held = best.get(target)
        if held is None:
            best[target] = match
            others[target] = []
        elif RANK[match.field] < RANK[held.field]:
            others[target].append(held.field)
            best[target] = match
        else:
            others[target].append(match.field)
    # Within a place, the most recently added first (items, then meetings).
    ordered = sorted(
        best.items(), key=lambda kv: (RANK[kv[1].field], kv[0][0] != "item", -kv[0][1])
    )
    chosen = ordered if limit is None else ordered[:limit]
    bodies = texts(db, [m.row for _, m in chosen])
    items = item_heads(db, [t[1] for t, _ in chosen if t[0] == "item"])
    meetings = meeting_heads(db, [t[1] for t, _ in chosen if t[0] == "meeting"])
    found: list[Found] = []
    for (kind, ident), match in chosen:
        head = items[ident] if kind == "item" else meetings[ident]
        shown, where = excerpt(bodies.get(match.row, ""), terms[0])
        also = sorted(set(others[(kind, ident)]) - {match.field}, key=RANK.__getitem__)
        found.append(
            Found(
                kind=kind,
                key=head.key,
                chain=head.chain,
                title=head.title,
                status=head.status,
                on=head.on,
                at=head.at,
                field=match.field,
                excerpt=shown,
                match=where,
                also=tuple(also),
            )
        )
    return SearchResult(text=" ".join(terms), total=len(best), found=tuple(found))
