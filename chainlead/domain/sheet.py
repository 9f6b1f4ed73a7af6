"""An item's supervision sheet (一事一单): the item card and what a letter needs besides.

The item itself is ``bottleneck show``'s read (``views.item_detail``); the
sheet adds the chain's leader and responsible person as they hold the roles
today, each raising enterprise's credit code and contact, and the steps of the
supervision ladder picked out of the item's history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chainlead.domain.chain_views import list_team
from chainlead.domain.views import ItemDetail, ItemEvent, item_detail
from chainlead.store.connection import Reader
from chainlead.store.enterprises import enterprises_named
from chainlead.store.handout import recorded_district
from chainlead.vocabulary import LEADER, RESPONSIBLE

__all__ = ["ItemSheet", "SheetEnterprise", "SheetPerson", "item_sheet"]


@dataclass(frozen=True)
class SheetPerson:
    """A chain's leader or responsible person, as the sheet names them."""

    name: str
    title: str | None
    unit: str | None
    contact: str | None


@dataclass(frozen=True)
class SheetEnterprise:
    """An enterprise that raised the item, with what an office calls it back on."""

    name: str
    credit_code: str | None
    contact: str | None


@dataclass(frozen=True)
class ItemSheet:
    """Everything an item's supervision sheet prints."""

    district: str
    today: date
    item: ItemDetail
    chain_leader: SheetPerson | None
    responsible: SheetPerson | None
    enterprises: tuple[SheetEnterprise, ...]
    ladder: tuple[ItemEvent, ...]  # the history's steps of the supervision level


def _enterprise(db: Reader, name: str) -> SheetEnterprise:
    found = [e for e in enterprises_named(db, name) if e.name == name]
    if not found:
        return SheetEnterprise(name=name, credit_code=None, contact=None)
    return SheetEnterprise(name=name, credit_code=found[0].credit_code, contact=found[0].contact)


def item_sheet(
    db: Reader, *, key: str, today: date, warning_days: int = 7, district: str = ""
) -> ItemSheet:
    """The supervision sheet of the item ``key`` (ItemNotFound, with close keys, when none)."""
    item = item_detail(db, key=key, today=today, warning_days=warning_days)
    team = list_team(db, code=item.chain)
    holders = {
        m.role: SheetPerson(name=m.name, title=m.title, unit=m.unit, contact=m.contact)
        for m in team
        if m.role in (LEADER, RESPONSIBLE)
    }
    names = item.enterprises or ((item.enterprise,) if item.enterprise else ())
    return ItemSheet(
        district=district or recorded_district(db),  # the setting, else the database's
        today=today,
        item=item,
        chain_leader=holders.get(LEADER),
        responsible=holders.get(RESPONSIBLE),
        enterprises=tuple(_enterprise(db, name) for name in names),
        ladder=tuple(e for e in item.history if e.field == "level"),
    )
