"""The rules of a chain's map (产业链图谱): its links and the enterprises on them.

A chain's map is a list of links (环节), each in one segment (upstream,
midstream, downstream) and in one state: strong, weak (to strengthen, 强链)
or missing (to fill, 补链). A link's name is unique on its chain, any case
or width; it is found exactly, then folded (``find_link``). Enterprises are
placed on links (several each); placing one on a link of a chain also puts it
on that chain, with the link's segment where it has none there yet. Items and
projects may name a link of their own chain. A link is removed only when
nothing names it. Every change is an event on the chain.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from chainlead.domain.registry import fold
from chainlead.errors import AlreadyExists, InvalidInput, NotFound, RuleViolation
from chainlead.i18n import _
from chainlead.store.chains import ChainRecord, find_chain, lock_chain, require_active
from chainlead.store.connection import Reader
from chainlead.store.links import (
    LinkRecord,
    delete_link,
    insert_link,
    links_of_chain,
    open_items_on_links,
    place_on_link,
    placements_of_chain,
    placements_of_enterprise,
    projects_on_links,
    set_link,
    take_off_link,
    users_of_link,
)
from chainlead.values import check_name, check_text, parse_choice
from chainlead.vocabulary import LINK_STATES, OPEN_STATUSES, SEGMENTS, TEXT_MAX, LinkState

if TYPE_CHECKING:
    from chainlead.domain import Stamp

__all__ = [
    "LinkChange",
    "LinkRow",
    "add_link",
    "edit_link",
    "find_link",
    "link_name_problems",
    "link_rows",
    "place_enterprise",
    "remove_link",
    "split_link_spec",
]

# The form of a link named with its chain (``enterprise edit --link``).
LINK_SPEC_FORM = "expected CHAIN:LINK, e.g. IC:晶圆制造"


def find_link(db: Reader, *, chain_id: int, name: str, field: str = "--link") -> LinkRecord:
    """The chain's link of this name (exact, then folded for case and width), or
    NotFound naming ``field`` and the chain's closest links."""
    links = links_of_chain(db, chain_id)
    for link in links:
        if link.name == name:
            return link
    folded = fold(name)
    for link in links:
        if fold(link.name) == folded:
            return link
    from difflib import get_close_matches

    close = get_close_matches(name, [link.name for link in links], n=3, cutoff=0.4)
    missing = NotFound("link", name, close)
    missing.args = (_("{field}: {problem}").format(field=field, problem=missing.message),)
    raise missing


def link_name_problems(db: Reader) -> list[tuple[str, str]]:
    """(chain code, what is wrong) for two links of one chain whose names are one name
    in another case or width (``db check``; ``chain link add`` refuses them)."""
    from chainlead.store.links import links_by_chain_code

    found = []
    for code, links in links_by_chain_code(db).items():
        seen: dict[str, str] = {}
        for link in links:
            other = seen.setdefault(fold(link.name), link.name)
            if other != link.name:
                found.append((code, f"links {other!r} and {link.name!r} are one name"))
    return found


def _name(field: str, name: str) -> str:
    return check_name(field, name) or ""


def _refuse_taken(
    links: Sequence[LinkRecord], name: str, chain: ChainRecord, *, besides: int = 0
) -> None:
    folded = fold(name)
    for link in links:
        if link.id != besides and fold(link.name) == folded:
            raise AlreadyExists(
                _("NAME: chain {code} already has the link {name!r}").format(
                    code=chain.code, name=link.name
                )
            )


def _choice(field: str, value: str, allowed: Sequence[str]) -> str:
    """``value`` (any case) if it is one of ``allowed``, else InvalidInput (as
    ``chainlead.domain.views.choice``, whose module the map's reads need not load)."""
    return parse_choice(field, value, allowed)


def _segment(value: str) -> str:
    return _choice("--segment", value, SEGMENTS)


def _state(value: str) -> str:
    return _choice("--state", value, LINK_STATES)


def record(db: Reader, **values: object) -> None:
    """An event on the chain, written by the one history writer (imported on a write:
    the map's reads need not load it)."""
    from chainlead.domain.history import record as write

    write(db, **values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class LinkRow:
    """One line of ``chain link list``."""

    chain: str
    name: str
    segment: str
    state: str
    position: int
    enterprises: int
    open_items: int
    projects: int
    note: str | None


def add_link(
    db: Reader,
    *,
    chain: str,
    name: str,
    segment: str,
    stamp: Stamp,
    state: str = LinkState.strong.value,
    note: str | None = None,
) -> LinkRecord:
    """Add a link at the end of a chain's map; its name is new on the chain."""
    cleaned = _name("NAME", name)
    segment = _segment(segment)
    state = _state(state)
    note = check_text("--note", note, max_len=TEXT_MAX)
    found = lock_chain(db, code=chain)
    require_active(found)
    _refuse_taken(links_of_chain(db, found.id), cleaned, found)
    new_id = insert_link(
        db, chain_id=found.id, name=cleaned, segment=segment, state=state, note=note, at=stamp.at
    )
    record(
        db,
        stamp=stamp,
        kind="link_added",
        chain_id=found.id,
        field="link",
        new=cleaned,
        text=f"{segment} {state}",
    )
    return next(link for link in links_of_chain(db, found.id) if link.id == new_id)


@dataclass(frozen=True)
class LinkChange:
    """One field of a link changed: what ``chain link edit`` reports."""

    name: str  # the link's name after the change
    field: str
    old: str | None
    new: str | None


def edit_link(
    db: Reader,
    *,
    chain: str,
    name: str,
    stamp: Stamp,
    new_name: str | None = None,
    segment: str | None = None,
    state: str | None = None,
    note: str | None = None,
) -> list[LinkChange]:
    """Rename a link, move it to another segment, change its state or note (``''``
    clears the note); ``None`` leaves a field. Each change is one event."""
    wanted: dict[str, str | None] = {}
    if new_name is not None:
        wanted["name"] = _name("--name", new_name)
    if segment is not None:
        wanted["segment"] = _segment(segment)
    if state is not None:
        wanted["state"] = _state(state)
    if note is not None:
        wanted["note"] = check_text("--note", note, max_len=TEXT_MAX)
    found = lock_chain(db, code=chain)
    require_active(found)
    link = find_link(db, chain_id=found.id, name=_name("NAME", name), field="NAME")
    if "name" in wanted and wanted["name"] != link.name:
        _refuse_taken(links_of_chain(db, found.id), wanted["name"] or "", found, besides=link.id)
    changes: list[LinkChange] = []
    shown = link.name
    for field, value in wanted.items():
        old = getattr(link, field)
        if value == old:
            continue
        set_link(db, link.id, field, value)
        if field == "name":
            shown = value or shown
        record(
            db,
            stamp=stamp,
            kind="link_edited",
            chain_id=found.id,
            field=field,
            old=old,
            new=value,
            text=shown,
        )
        changes.append(LinkChange(shown, field, old, value))
    return changes


def remove_link(db: Reader, *, chain: str, name: str, stamp: Stamp) -> LinkRecord:
    """Take a link off a chain's map; refused while an enterprise, item or project
    names it."""
    found = lock_chain(db, code=chain)
    require_active(found)
    link = find_link(db, chain_id=found.id, name=_name("NAME", name), field="NAME")
    users = users_of_link(db, link.id)
    if users:
        named = []
        for what, names in (
            (_("enterprises {names}"), users.enterprises),
            (_("items {names}"), users.items),
            (_("projects {names}"), users.projects),
        ):
            if names:
                shown = ", ".join(names[:5])
                if len(names) > 5:
                    shown = _("{keys} and {n} more").format(keys=shown, n=len(names) - 5)
                named.append(what.format(names=shown))
        raise RuleViolation(
            _(
                "NAME: link {name!r} of {code} is still named by {named}: move or unlink them first"
            ).format(name=link.name, code=found.code, named="; ".join(named))
        )
    delete_link(db, link.id)
    record(
        db,
        stamp=stamp,
        kind="link_removed",
        chain_id=found.id,
        field="link",
        old=link.name,
        text=f"{link.segment} {link.state}",
    )
    return link


def link_rows(db: Reader, *, chain: str) -> list[LinkRow]:
    """A chain's links in map order, with what is on each."""
    found = find_chain(db, code=chain)
    links = links_of_chain(db, found.id)
    enterprises: dict[int, int] = defaultdict(int)
    for placed in placements_of_chain(db, found.id):
        enterprises[placed.link_id] += 1
    items: dict[int, int] = defaultdict(int)
    for item in open_items_on_links(db, [found.id], OPEN_STATUSES):
        items[item.link_id] += 1
    projects: dict[int, int] = defaultdict(int)
    for project in projects_on_links(db, found.id):
        projects[project.link_id] += 1
    return [
        LinkRow(
            chain=found.code,
            name=link.name,
            segment=link.segment,
            state=link.state,
            position=link.position,
            enterprises=enterprises[link.id],
            open_items=items[link.id],
            projects=projects[link.id],
            note=link.note,
        )
        for link in links
    ]


# --------------------------------------------------------------------------- placements


def split_link_spec(spec: str, field: str = "--link") -> tuple[str, str]:
    """``IC:晶圆制造`` -> ("IC", "晶圆制造") (a full-width colon is read as one)."""
    text = spec.replace("：", ":") if isinstance(spec, str) else ""
    code, colon, name = text.partition(":")
    if not colon or not code.strip() or not name.strip():
        raise InvalidInput(field, LINK_SPEC_FORM, spec)
    return code.strip(), name.strip()


@dataclass(frozen=True)
class PlacementChange:
    """An enterprise put on or taken off a link (``enterprise edit --link/--unlink``)."""

    name: str  # the enterprise
    field: str  # "link IC"
    old: str | None
    new: str | None


def place_enterprise(
    db: Reader,
    *,
    enterprise_id: int,
    enterprise: str,
    links: Sequence[str] = (),
    unlinks: Sequence[str] = (),
    stamp: Stamp,
) -> list[PlacementChange]:
    """Put an enterprise on the links ``links`` names (``CHAIN:LINK`` each) and take it
    off those of ``unlinks``. On a link of a chain it is on that chain too, with the
    link's segment where it has none there. Each change is one event on the chain."""
    from chainlead.domain.enterprises import join_chain  # (it imports this module)

    wanted = [(spec, split_link_spec(spec, "--link")) for spec in links]
    dropped = [(spec, split_link_spec(spec, "--unlink")) for spec in unlinks]
    changes: list[PlacementChange] = []
    for _spec, (code, name) in dropped:
        chain = lock_chain(db, code=code, field="--unlink")
        link = find_link(db, chain_id=chain.id, name=name, field="--unlink")
        if not take_off_link(db, enterprise_id=enterprise_id, link_id=link.id):
            raise RuleViolation(
                _("--unlink: {enterprise} is not on {code}:{name}").format(
                    enterprise=enterprise, code=chain.code, name=link.name
                )
            )
        record(
            db,
            stamp=stamp,
            kind="link_unplaced",
            chain_id=chain.id,
            field="link",
            old=link.name,
            text=enterprise,
        )
        changes.append(PlacementChange(enterprise, f"link {chain.code}", link.name, None))
    for _spec, (code, name) in wanted:
        chain = lock_chain(db, code=code, field="--link")
        require_active(chain)
        link = find_link(db, chain_id=chain.id, name=name, field="--link")
        if not place_on_link(db, enterprise_id=enterprise_id, link_id=link.id, at=stamp.at):
            continue
        record(
            db,
            stamp=stamp,
            kind="link_placed",
            chain_id=chain.id,
            field="link",
            new=link.name,
            text=enterprise,
        )
        changes.append(PlacementChange(enterprise, f"link {chain.code}", None, link.name))
        join_chain(
            db, enterprise_id=enterprise_id, chain_id=chain.id, segment=link.segment, stamp=stamp
        )
    return changes


def enterprise_links(db: Reader, enterprise_id: int) -> tuple[str, ...]:
    """The links an enterprise is on, as ``IC:晶圆制造``."""
    return tuple(f"{p.chain_code}:{p.link}" for p in placements_of_enterprise(db, enterprise_id))


# --------------------------------------------------------------------------- the map


@dataclass(frozen=True)
class MapEnterprise:
    name: str
    short: str | None
    lead: bool  # the chain's lead enterprise (链主)


@dataclass(frozen=True)
class MapProject:
    key: str
    title: str
    status: str


@dataclass(frozen=True)
class MapLink:
    """A link as the map draws it."""

    name: str
    segment: str
    state: str
    position: int
    note: str | None
    enterprises: tuple[MapEnterprise, ...]  # 链主 first, then by name
    open_items: int
    light: str  # the worst light of its open items: red, yellow, suspended, green or none
    red_items: tuple[str, ...]  # keys
    projects: tuple[MapProject, ...]


@dataclass(frozen=True)
class ChainMap:
    """A chain's map (产业链图谱): its links by segment, in map order."""

    code: str
    name: str
    today: date
    links: tuple[MapLink, ...]

    def segment(self, segment: str) -> tuple[MapLink, ...]:
        return tuple(link for link in self.links if link.segment == segment)

    @property
    def by_state(self) -> dict[str, int]:
        return {
            state: sum(1 for link in self.links if link.state == state) for state in LINK_STATES
        }


def link_lights(
    db: Reader, chain_ids: Sequence[int], *, today: date, warning_days: int = 7
) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """The lights of the open items on each link of these chains, and the keys of the
    red ones, by link id."""
    from chainlead.domain.lights import RED, item_clock

    lights: dict[int, list[str]] = defaultdict(list)
    reds: dict[int, list[str]] = defaultdict(list)
    for item in open_items_on_links(db, chain_ids, OPEN_STATUSES):
        shown, _opened, _over = item_clock(item, today=today, warning_days=warning_days)
        lights[item.link_id].append(shown)
        if shown == RED:
            reds[item.link_id].append(item.key)
    return lights, reds


def chain_maps(
    db: Reader, *, chains: Sequence[ChainRecord], today: date, warning_days: int = 7
) -> list[ChainMap]:
    """The maps of these chains (each with its links, enterprises, items, projects)."""
    from chainlead.domain.lights import worst

    lights, reds = link_lights(db, [c.id for c in chains], today=today, warning_days=warning_days)
    maps = []
    for chain in chains:
        people: dict[int, list[MapEnterprise]] = defaultdict(list)
        for placed in placements_of_chain(db, chain.id):
            people[placed.link_id].append(
                MapEnterprise(placed.enterprise, placed.short, placed.lead)
            )
        projects: dict[int, list[MapProject]] = defaultdict(list)
        for project in projects_on_links(db, chain.id):
            projects[project.link_id].append(MapProject(project.key, project.title, project.status))
        maps.append(
            ChainMap(
                code=chain.code,
                name=chain.name,
                today=today,
                links=tuple(
                    MapLink(
                        name=link.name,
                        segment=link.segment,
                        state=link.state,
                        position=link.position,
                        note=link.note,
                        enterprises=tuple(people[link.id]),
                        open_items=len(lights[link.id]),
                        light=worst(lights[link.id]),
                        red_items=tuple(reds[link.id]),
                        projects=tuple(projects[link.id]),
                    )
                    for link in links_of_chain(db, chain.id)
                ),
            )
        )
    return maps


def chain_map(db: Reader, *, chain: str, today: date, warning_days: int = 7) -> ChainMap:
    """``chainlead chain map CODE``: one chain's map."""
    return chain_maps(
        db, chains=[find_chain(db, code=chain)], today=today, warning_days=warning_days
    )[0]


# --------------------------------------------------------------------------- items


def item_link(db: Reader, *, chain_id: int, name: str) -> LinkRecord:
    """The link of the item's chain ``--link`` names (``bottleneck add --link``)."""
    return find_link(db, chain_id=chain_id, name=_name("--link", name))


def change_item_link(
    db: Reader, *, item_id: int, chain_id: int, name: str
) -> tuple[str | None, str | None] | None:
    """``bottleneck edit --link``: the item names the link of its chain ``name`` names
    (``''`` clears it). Returns (old, new) link names, or None when unchanged."""
    from chainlead.store.links import link_of_item, set_item_link

    cleaned = check_name("--link", name, required=False)
    new = None if cleaned is None else find_link(db, chain_id=chain_id, name=cleaned)
    old = link_of_item(db, item_id)
    if (old.id if old else None) == (new.id if new else None):
        return None
    set_item_link(db, item_id, new.id if new else None)
    return (old.name if old else None, new.name if new else None)
