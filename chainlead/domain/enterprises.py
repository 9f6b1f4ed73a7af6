"""Enterprises (企业): the registry, the chains they are on, the demands they raised.

An enterprise has a unique name, an optional unique short name (``中兴``), an
optional unified social credit code (checked by its check character), a
contact, a park, and whether it is above designated size (规上). It may be on
several chains, each with its segment (上游/中游/下游) and whether it is that
chain's lead enterprise (链主). Enterprises are found as institutions are
(``chainlead.domain.registry``): exact name, exact short name, then folded.

An item names the enterprises that raised it, in order; the first one's name
is the item's ``enterprise`` text, kept equal to it (a rename changes both in
one transaction), so every list and report reads it as before. Naming an
enterprise on an item puts the enterprise on the item's chain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from chainlead.domain import Stamp
from chainlead.domain.history import record
from chainlead.domain.registry import (
    find_named,
    fold,
    keys,
    refuse_short_as_name,
    refuse_taken,
    suggestions,
)
from chainlead.domain.views import ItemRow, choice, list_items
from chainlead.errors import AlreadyExists, EnterpriseNotFound, RuleViolation
from chainlead.i18n import _
from chainlead.store.chains import chain_of, find_chain, lock_chain, require_active
from chainlead.store.connection import Reader
from chainlead.store.enterprises import (
    EnterpriseRecord,
    FollowUp,
    Membership,
    Satisfaction,
    all_enterprises,
    all_memberships,
    asked_about,
    chains_of,
    enterprise_by_credit_code,
    enterprise_by_id,
    enterprises_named,
    enterprises_of,
    follow_ups_of_enterprise,
    insert_enterprise,
    item_counts,
    link_item,
    lock_enterprise_names,
    put_on_chain,
    rename_enterprise,
    satisfaction,
    set_detail,
    unlink_item,
)
from chainlead.store.items import ItemRecord, save_item
from chainlead.values import check_credit_code, check_name
from chainlead.vocabulary import OPEN_STATUSES, SEGMENTS, STATUSES

__all__ = [
    "EnterpriseDetail",
    "EnterpriseRow",
    "add_enterprise",
    "add_enterprises",
    "edit_enterprise",
    "find_enterprise",
    "get_enterprise",
    "link_enterprises",
    "link_to_item",
    "unlink_enterprises",
    "unlink_from_item",
    "list_enterprises",
    "new_enterprises",
    "rename_enterprise_named",
    "resolve_enterprise",
]

_WHAT = "the enterprise"


@dataclass(frozen=True)
class EnterpriseRow:
    """One line of ``enterprise list``."""

    name: str
    short: str | None
    chains: str  # "SAI midstream 链主; IC"
    credit_code: str | None
    park: str | None
    above_scale: bool
    demands: int
    open: int
    satisfaction: float | None
    # The same places for the screen, which says them in its language; not in the
    # JSON, whose ``chains`` scripts read.
    places: tuple[ChainPlace, ...] = field(default=(), metadata={"json": False})


@dataclass(frozen=True)
class ChainPlace:
    """Where an enterprise is on one chain."""

    code: str
    name: str
    segment: str | None
    lead: bool  # the chain's lead enterprise (链主)


@dataclass(frozen=True)
class EnterpriseDetail:
    """Everything ``enterprise show`` tells about an enterprise."""

    uuid: str
    name: str
    short: str | None
    credit_code: str | None
    contact: str | None
    park: str | None
    above_scale: bool
    created_at: datetime
    chains: tuple[ChainPlace, ...]
    demands: tuple[ItemRow, ...]  # every item it raised, open and done, by key
    follow_ups: tuple[FollowUp, ...]
    asked: int  # follow-ups counted
    satisfied: int  # of them satisfied or basically satisfied
    satisfaction: float | None  # 满意率
    links: tuple[str, ...] = ()  # the links of chains' maps it is on: ``IC:晶圆制造``


def _records(db: Reader) -> list[EnterpriseRecord]:
    return all_enterprises(db)


def find_enterprise(db: Reader, text: str, *, field: str = "enterprise") -> EnterpriseRecord | None:
    """The enterprise ``text`` names (exact name, exact short name, then folded), or None."""
    return find_named(
        lambda: _records(db),
        text,
        field=field,
        what="enterprises",
        exact=lambda typed: enterprises_named(db, typed),
    )


def new_enterprises(db: Reader, names: Sequence[str]) -> list[tuple[str, list[str]]]:
    """The names among ``names`` no enterprise has yet, each with the closest known
    names: what a command that adds them says on stderr (a typo shows). Every
    enterprise is read only when a name is not found by the index as typed."""
    read: list[EnterpriseRecord] = []

    def records() -> list[EnterpriseRecord]:
        if not read:
            read.extend(_records(db))
        return read

    new: list[tuple[str, list[str]]] = []
    for name in names:
        cleaned = check_name("--enterprise", name, required=False)
        if not cleaned or cleaned in (n for n, _ in new):
            continue
        found = find_named(
            records,
            cleaned,
            field="--enterprise",
            what="enterprises",
            exact=lambda typed: enterprises_named(db, typed),
        )
        if found is None:
            new.append((cleaned, suggestions(records(), cleaned)))
    return new


def get_enterprise(db: Reader, *, name: str, field: str = "enterprise") -> EnterpriseRecord:
    """The enterprise ``name`` names, or EnterpriseNotFound with the closest names."""
    cleaned = check_name(field, name) or ""
    found = find_enterprise(db, cleaned, field=field)
    if found is None:
        raise EnterpriseNotFound("enterprise", cleaned, suggestions(_records(db), cleaned))
    return found


def resolve_enterprise(
    db: Reader, *, name: str, stamp: Stamp, create: bool = False, field: str = "--enterprise"
) -> EnterpriseRecord:
    """The enterprise an item names; with ``create``, an unknown name is added."""
    cleaned = check_name(field, name) or ""
    found = find_enterprise(db, cleaned, field=field)
    if found is not None:
        return found
    if not create:
        closest = suggestions(_records(db), cleaned)
        raise EnterpriseNotFound(
            "enterprise", cleaned, closest, hint="give --new-enterprise to add it"
        )
    lock_enterprise_names(db)
    found = find_enterprise(db, cleaned, field=field)  # another writer may have added it
    return found if found is not None else _add(db, name=cleaned, details={}, stamp=stamp)


def _check_details(
    *,
    short: str | None,
    credit_code: str | None,
    contact: str | None,
    park: str | None,
) -> dict[str, str | None]:
    """The details given (``None``: not given; ``''``: cleared), checked."""
    given: dict[str, str | None] = {}
    if short is not None:
        given["short"] = check_name("--short", short, required=False)
    if credit_code is not None:
        given["credit_code"] = check_credit_code("--credit-code", credit_code)
    if contact is not None:
        given["contact"] = check_name("--contact", contact, required=False)
    if park is not None:
        given["park"] = check_name("--park", park, required=False)
    return given


def _refuse_code_taken(db: Reader, code: str | None, *, besides: int | None = None) -> None:
    if code is None:
        return
    holder = enterprise_by_credit_code(db, code)
    if holder is not None and holder.id != besides:
        raise AlreadyExists(
            _("--credit-code: {code} is already the code of {name!r}").format(
                code=code, name=holder.name
            )
        )


def _add(db: Reader, *, name: str, details: dict[str, object], stamp: Stamp) -> EnterpriseRecord:
    lock_enterprise_names(db)
    records = _records(db)
    refuse_taken(records, name, "name", what=_WHAT)
    short = details.get("short")
    if isinstance(short, str):
        refuse_taken(records, short, "--short", what=_WHAT)
        refuse_short_as_name(short, name)
    _refuse_code_taken(db, details.get("credit_code"))  # type: ignore[arg-type]
    new_id = insert_enterprise(db, name=name, at=stamp.at, **details)
    record(db, stamp=stamp, kind="enterprise_created", field="enterprise", new=name, text=short)
    return enterprise_by_id(db, new_id)


def add_enterprises(db: Reader, *, names: Sequence[str], stamp: Stamp) -> list[EnterpriseRecord]:
    """Add many new enterprises by name at once (``chainlead intake``): each refused as
    ``_add`` refuses it, the known names read once rather than once a name."""
    lock_enterprise_names(db)
    taken = {fold(key): record.name for record in _records(db) for key in keys(record)}
    added: list[EnterpriseRecord] = []
    for given in names:
        name = check_name("name", given) or ""
        if fold(name) in taken:
            raise AlreadyExists(
                _("name: {name!r} is already {WHAT} {taken!r}").format(
                    name=name, WHAT=_WHAT, taken=taken[fold(name)]
                )
            )
        new_id = insert_enterprise(db, name=name, at=stamp.at)
        record(db, stamp=stamp, kind="enterprise_created", field="enterprise", new=name)
        taken[fold(name)] = name
        added.append(enterprise_by_id(db, new_id))
    return added


def _segment(segment: str | None) -> str | None:
    return None if segment is None else choice("--segment", segment, SEGMENTS)


def _place_text(segment: str | None, lead: bool) -> str:
    """An enterprise's place on a chain in words: ``midstream lead``, or ``''``."""
    return " ".join(part for part in (segment or "", "lead" if lead else "") if part)


def _as_text(value: object) -> str | None:
    """A detail as the history and ``enterprise edit`` write it (``true``/``false``)."""
    return str(value).lower() if isinstance(value, bool) else value  # type: ignore[return-value]


def _join(
    db: Reader,
    *,
    enterprise: EnterpriseRecord,
    chain: str,
    segment: str | None,
    lead: bool | None,
    stamp: Stamp,
) -> str | None:
    """Put an enterprise on a chain, or change its place there. Returns the chain's code
    and the new place in words when anything changed, else None."""
    found = lock_chain(db, code=chain, field="--chain")
    current = next((m for m in chains_of(db, enterprise.id) if m.chain_id == found.id), None)
    new_segment = segment if segment is not None else (current.segment if current else None)
    new_lead = lead if lead is not None else (current.lead if current else False)
    if current is not None and (current.segment, current.lead) == (new_segment, new_lead):
        return None
    put_on_chain(
        db,
        enterprise_id=enterprise.id,
        chain_id=found.id,
        segment=new_segment,
        lead=new_lead,
        at=stamp.at,
    )
    place = _place_text(new_segment, new_lead)
    record(
        db,
        stamp=stamp,
        kind="enterprise_joined" if current is None else "enterprise_placed",
        chain_id=found.id,
        field="enterprise",
        old=None if current is None else enterprise.name,
        new=enterprise.name,
        text=place or None,
    )
    return f"{found.code} {place}".strip()


def join_chain(
    db: Reader, *, enterprise_id: int, chain_id: int, segment: str, stamp: Stamp
) -> None:
    """Put an enterprise placed on a link of a chain on that chain, with the link's
    ``segment`` where it has no segment there yet (``chainlead.domain.links``)."""
    current = next((m for m in chains_of(db, enterprise_id) if m.chain_id == chain_id), None)
    if current is not None and current.segment is not None:
        return
    enterprise = enterprise_by_id(db, enterprise_id)
    code = chain_of(db, chain_id).code
    _join(db, enterprise=enterprise, chain=code, segment=segment, lead=None, stamp=stamp)


def add_enterprise(
    db: Reader,
    *,
    name: str,
    stamp: Stamp,
    short: str | None = None,
    credit_code: str | None = None,
    contact: str | None = None,
    park: str | None = None,
    above_scale: bool = False,
    chains: Sequence[str] = (),
    segment: str | None = None,
    lead: bool = False,
    links: Sequence[str] = (),
) -> EnterpriseRecord:
    """Add an enterprise; its name, short name and credit code are new. ``chains``
    puts it on those chains, with ``segment`` and ``lead`` on each; ``links`` on those
    links of chains' maps (``IC:晶圆制造``)."""
    cleaned = check_name("name", name) or ""
    details: dict[str, object] = {
        **_check_details(short=short, credit_code=credit_code, contact=contact, park=park),
        "above_scale": above_scale,
    }
    segment = _segment(segment)
    if (segment is not None or lead) and not chains:
        raise RuleViolation(_("--segment and --lead are a place on a chain: give --chain too"))
    found = _add(db, name=cleaned, details=details, stamp=stamp)
    for code in chains:
        _join(db, enterprise=found, chain=code, segment=segment, lead=lead, stamp=stamp)
    if links:
        from chainlead.domain.links import place_enterprise

        place_enterprise(
            db, enterprise_id=found.id, enterprise=found.name, links=links, stamp=stamp
        )
    return found


@dataclass(frozen=True)
class EnterpriseChange:
    """One field of an enterprise changed: what ``enterprise edit`` and ``rename`` report."""

    name: str
    field: str
    old: str | None
    new: str | None


def edit_enterprise(
    db: Reader,
    *,
    name: str,
    stamp: Stamp,
    short: str | None = None,
    credit_code: str | None = None,
    contact: str | None = None,
    park: str | None = None,
    above_scale: bool | None = None,
    chains: Sequence[str] = (),
    segment: str | None = None,
    lead: bool | None = None,
    links: Sequence[str] = (),
    unlinks: Sequence[str] = (),
) -> list[EnterpriseChange]:
    """Change an enterprise's details (``''`` clears a text), or its place on ``chains``,
    or the links of chains' maps it is on (``links``/``unlinks``: ``IC:晶圆制造``);
    ``None`` leaves a field as it is. Each change is one event."""
    wanted: dict[str, object] = dict(
        _check_details(short=short, credit_code=credit_code, contact=contact, park=park)
    )
    if above_scale is not None:
        wanted["above_scale"] = above_scale
    segment = _segment(segment)
    if (segment is not None or lead is not None) and not chains:
        raise RuleViolation(_("--segment and --lead are a place on a chain: give --chain too"))
    found = get_enterprise(db, name=name)
    new_short = wanted.get("short")
    if isinstance(new_short, str) and new_short != found.short:
        refuse_taken(_records(db), new_short, "--short", what=_WHAT, besides=found.id)
        refuse_short_as_name(new_short, found.name)
    _refuse_code_taken(db, wanted.get("credit_code"), besides=found.id)  # type: ignore[arg-type]
    changes = []
    for key, value in wanted.items():
        old = getattr(found, key)
        if value != old:
            set_detail(db, found.id, key, value)
            shown_old, shown_new = _as_text(old), _as_text(value)
            record(
                db,
                stamp=stamp,
                kind="enterprise_edited",
                field=key,
                old=shown_old,
                new=shown_new,
                text=found.name,
            )
            changes.append(EnterpriseChange(found.name, key, shown_old, shown_new))
    for code in chains:
        placed = _join(db, enterprise=found, chain=code, segment=segment, lead=lead, stamp=stamp)
        if placed is not None:
            chain_code, _sep, place = placed.partition(" ")
            changes.append(EnterpriseChange(found.name, f"chain {chain_code}", None, place or "on"))
    if links or unlinks:
        from chainlead.domain.links import place_enterprise

        placed = place_enterprise(
            db,
            enterprise_id=found.id,
            enterprise=found.name,
            links=links,
            unlinks=unlinks,
            stamp=stamp,
        )
        changes += [EnterpriseChange(c.name, c.field, c.old, c.new) for c in placed]
    return changes


def rename_enterprise_named(
    db: Reader, *, old: str, new: str, stamp: Stamp
) -> tuple[EnterpriseChange, int]:
    """Rename an enterprise; the items it raised first follow in the same transaction.
    The history keeps the old name where it was written."""
    found = get_enterprise(db, name=old, field="OLD")
    cleaned = check_name("NEW", new) or ""
    if cleaned == found.name:
        raise RuleViolation(_("NEW: {name!r} already has that name").format(name=found.name))
    refuse_taken(_records(db), cleaned, "NEW", what=_WHAT, besides=found.id)
    if found.short is not None and fold(found.short) == fold(cleaned):
        raise AlreadyExists(
            _("NEW: {cleaned!r} is the short name of {name!r}").format(
                cleaned=cleaned, name=found.name
            )
        )
    moved = rename_enterprise(db, found.id, cleaned)
    record(db, stamp=stamp, kind="enterprise_renamed", field="name", old=found.name, new=cleaned)
    return EnterpriseChange(cleaned, "name", found.name, cleaned), moved


# --------------------------------------------------------------------------- reads


def _place(memberships: Sequence[Membership]) -> str:
    """Every chain an enterprise is on, with its place: ``SAI midstream 链主; IC``."""
    return "; ".join(
        " ".join(p for p in (m.code, m.segment or "", "链主" if m.lead else "") if p)
        for m in memberships
    )


def list_enterprises(
    db: Reader,
    *,
    chain: str | None = None,
    segment: str | None = None,
    lead: bool = False,
) -> list[EnterpriseRow]:
    """Enterprises by name; ``chain``/``segment``/``lead`` keep those placed so (on the
    chain given, or on any)."""
    code = find_chain(db, code=chain, field="--chain").code if chain else None
    segment = _segment(segment)
    places = all_memberships(db)
    counts = item_counts(db, OPEN_STATUSES)
    rates = satisfaction(db, "enterprise")
    rows = []
    for found in _records(db):
        mine = places.get(found.id, [])
        wanted = [
            m
            for m in mine
            if (code is None or m.code == code)
            and (segment is None or m.segment == segment)
            and (not lead or m.lead)
        ]
        if (code is not None or segment is not None or lead) and not wanted:
            continue
        demands, still_open = counts.get(found.id, (0, 0))
        rows.append(
            EnterpriseRow(
                name=found.name,
                short=found.short,
                chains=_place(mine),
                credit_code=found.credit_code,
                park=found.park,
                above_scale=found.above_scale,
                demands=demands,
                open=still_open,
                satisfaction=rates.get(found.id, Satisfaction(0, 0)).rate,
                places=tuple(ChainPlace(m.code, m.name, m.segment, m.lead) for m in mine),
            )
        )
    return rows


def enterprise_detail(
    db: Reader, *, name: str, today: date, warning_days: int = 7
) -> EnterpriseDetail:
    """An enterprise's fields, chains, every demand with its light, follow-ups and
    satisfaction."""
    found = get_enterprise(db, name=name)
    demands = list_items(
        db,
        today=today,
        warning_days=warning_days,
        enterprise_id=found.id,
        statuses=STATUSES,
        sort="key",
    )
    asked = satisfaction(db, "enterprise").get(found.id, Satisfaction(0, 0))
    return EnterpriseDetail(
        uuid=found.uuid,
        name=found.name,
        short=found.short,
        credit_code=found.credit_code,
        contact=found.contact,
        park=found.park,
        above_scale=found.above_scale,
        created_at=found.created_at,
        chains=tuple(
            ChainPlace(m.code, m.name, m.segment, m.lead) for m in chains_of(db, found.id)
        ),
        demands=tuple(demands),
        follow_ups=tuple(follow_ups_of_enterprise(db, found.id)),
        asked=asked.asked,
        satisfied=asked.satisfied,
        satisfaction=asked.rate,
        links=_links_of(db, found.id),
    )


def _links_of(db: Reader, enterprise_id: int) -> tuple[str, ...]:
    from chainlead.domain.links import enterprise_links

    return enterprise_links(db, enterprise_id)


# --------------------------------------------------------------------------- items


def link_to_item(
    db: Reader,
    *,
    item: ItemRecord,
    names: Sequence[str] = (),
    stamp: Stamp,
    new_enterprise: bool = False,
    field: str = "--enterprise",
    created: Sequence[EnterpriseRecord] | None = None,
) -> list[str]:
    """Name enterprises as raising ``item`` (after those already named); each goes on
    the item's chain if not yet there. Returns the names added; the first enterprise
    named is the item's ``enterprise`` text. ``created``: the item is being added with
    these enterprises (already found), and its ``created`` event stands for the links."""
    found = (
        list(created)
        if created is not None
        else [
            resolve_enterprise(db, name=name, stamp=stamp, create=new_enterprise, field=field)
            for name in names
        ]
    )
    linked = set() if created is not None else {e_id for e_id, _ in enterprises_of(db, item.id)}
    added = []
    chain_code = None
    for enterprise in found:
        if enterprise.id in linked:
            continue
        linked.add(enterprise.id)
        position = link_item(
            db,
            item_id=item.id,
            enterprise_id=enterprise.id,
            at=stamp.at,
            position=len(linked) if created is not None else None,
        )
        if position == 1:
            item.enterprise = enterprise.name
        if not any(m.chain_id == item.chain_id for m in chains_of(db, enterprise.id)):
            if chain_code is None:
                chain_code = item.key.rsplit("-", 1)[0]
            _join(db, enterprise=enterprise, chain=chain_code, segment=None, lead=None, stamp=stamp)
        added.append(enterprise.name)
        if created is not None:
            continue
        record(
            db,
            stamp=stamp,
            kind="enterprise_linked",
            chain_id=item.chain_id,
            item_id=item.id,
            field="enterprise",
            new=enterprise.name,
        )
    return added


def unlink_from_item(db: Reader, *, item: ItemRecord, name: str, stamp: Stamp) -> str:
    """Take an enterprise off an item's raisers (named by mistake); refused once it was
    asked about the item, since its answer stays on record. Returns its name."""
    found = get_enterprise(db, name=name, field="--enterprise")
    if found.id not in {enterprise_id for enterprise_id, _ in enterprises_of(db, item.id)}:
        raise RuleViolation(
            _("--enterprise: {name} is not named on {key}").format(name=found.name, key=item.key)
        )
    asked = asked_about(db, item_id=item.id, enterprise_id=found.id)
    if asked is not None:
        raise RuleViolation(
            _(
                "--enterprise: {name} was asked about {key} on {asked}; its answer "
                "stays on record with the item"
            ).format(name=found.name, key=item.key, asked=asked.isoformat())
        )
    item.enterprise = unlink_item(db, item_id=item.id, enterprise_id=found.id)
    record(
        db,
        stamp=stamp,
        kind="enterprise_unlinked",
        chain_id=item.chain_id,
        item_id=item.id,
        field="enterprise",
        old=found.name,
    )
    return found.name


def _item_for_update(db: Reader, key: str) -> ItemRecord:
    from chainlead.domain.views import find_item

    item = find_item(db, key=key, for_update=True)
    require_active(chain_of(db, item.chain_id))
    return item


def unlink_enterprises(
    db: Reader, *, key: str, enterprises: Sequence[str], stamp: Stamp
) -> list[str]:
    """``bottleneck link KEY --remove --enterprise A``: take enterprises off an item."""
    if not enterprises:
        raise RuleViolation(_("give --enterprise (one or more) to take off"))
    item = _item_for_update(db, key)
    removed = [unlink_from_item(db, item=item, name=name, stamp=stamp) for name in enterprises]
    item.updated_at = stamp.at
    save_item(db, item)
    return removed


def link_enterprises(
    db: Reader, *, key: str, enterprises: Sequence[str], stamp: Stamp, new_enterprise: bool = True
) -> list[str]:
    """``bottleneck link KEY --enterprise A``: name more enterprises as raising an item
    (a common problem, 共性问题); the names added (those already named are left)."""
    if not enterprises:
        raise RuleViolation(_("give --enterprise (one or more) to link"))
    item = _item_for_update(db, key)
    added = link_to_item(
        db, item=item, names=enterprises, stamp=stamp, new_enterprise=new_enterprise
    )
    if added:
        item.updated_at = stamp.at
        save_item(db, item)
    return added
