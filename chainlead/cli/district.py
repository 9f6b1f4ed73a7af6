"""``chainlead district``: the districts of a PostgreSQL city database.

A city runs one PostgreSQL database; each district has its own schema, named by
its code, holding every chainlead table (``chainlead.store.districts``).
``--district CODE`` (setting ``district_code``) chooses the one a command works
in. A SQLite file is one district (code ``main``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from chainlead.cli import COMMANDS
from chainlead.cli.runtime import CsvFlag, JsonFlag, settings, viewing, writing
from chainlead.i18n import _

if TYPE_CHECKING:
    from chainlead.store.connection import Reader

T = TypeVar("T")

app = typer.Typer(help=COMMANDS["district"].help, no_args_is_help=True, rich_markup_mode=None)

CodeArg = Annotated[
    str,
    typer.Argument(
        help="The district's code: a lowercase ASCII identifier, the name of its schema.",
        metavar="CODE",
        show_default=False,
    ),
]
NameOpt = Annotated[
    str | None,
    typer.Option("--name", help="The district's name, e.g. 江宁区.", show_default=False),
]


@dataclass(frozen=True)
class DistrictLine:
    """A district as ``district list`` shows it."""

    code: str
    name: str
    chains: int
    uuid: str


def _city_db() -> str:
    """The PostgreSQL city database in use, without a district; SQLite refused."""
    from chainlead.errors import InvalidInput
    from chainlead.store.target import in_district, resolve_target

    db = settings().db
    if resolve_target(db).is_sqlite:
        raise InvalidInput(
            "--db",
            _(
                "a PostgreSQL city database (postgresql+psycopg://...); "
                "a SQLite file is one district"
            ),
            db,
        )
    return in_district(db, None)


@app.command("add")
def add(code: CodeArg, name: NameOpt = None) -> None:
    """Add a district to a PostgreSQL city database: its schema, migrated, registered.

    \b
    Example:
      chainlead district add jiangning --name 江宁区
    """
    from chainlead.cli.runtime import required
    from chainlead.render.output import message
    from chainlead.store.districts import add_district
    from chainlead.values import check_name, check_new_district_code

    found = check_new_district_code("CODE", code)
    named = check_name("--name", required("--name", name, _("give its name, e.g. --name 江宁区")))
    assert named is not None
    db = _city_db()
    record = add_district(db, code=found, name=named, at=settings().now())
    message(
        _("district {code} ({name}) added; work in it with --district {code}").format(
            code=record.code, name=record.name
        )
    )


@app.command("list")
def list_(json: JsonFlag = False, csv: CsvFlag = False) -> None:
    """List the districts of the city database, with their chains.

    A SQLite file, or a PostgreSQL database no district was added to, lists its
    one district.

    \b
    Example:
      chainlead district list --json
    """
    from chainlead.render.districts import DISTRICT_COLUMNS
    from chainlead.render.formats import choose
    from chainlead.render.output import render
    from chainlead.render.words import headed

    fmt = choose(json=json, csv=csv)
    render(city_lines(), fmt, columns=headed(DISTRICT_COLUMNS), people=None)


def city_lines() -> list[DistrictLine]:
    """Every district of the city database in use with its chain count: the registry's,
    else the database's one district."""
    from chainlead.store.districts import chain_count, this_district

    return [
        DistrictLine(code=d.code, name=d.name, chains=chains, uuid=d.uuid)
        for d, chains in each_district(lambda db: (this_district(db), chain_count(db)))
    ]


def each_district(read: Callable[[Reader], T]) -> list[T]:
    """``read(db)`` for each district of the city database in use, by code: the
    registry's districts, else the one the database (or ``--district``) holds."""
    from chainlead.store.connection import open_reader
    from chainlead.store.districts import city_codes, unchecked
    from chainlead.store.target import in_district, resolve_target

    current = settings()
    if resolve_target(current.db).is_sqlite:
        with viewing() as (db, _current):
            return [read(db)]
    base = in_district(current.db, None)
    with unchecked(base, write=False) as db:
        codes = city_codes(db)
    if not codes:
        with viewing() as (db, _current):
            return [read(db)]
    found: list[T] = []
    for code in codes:
        with open_reader(in_district(base, code)) as db:
            found.append(read(db))
    return found


@app.command("rename")
def rename(
    name: Annotated[str, typer.Argument(help="The district's new name.", show_default=False)],
) -> None:
    """Rename the district in use (the one --district names).

    \b
    Example:
      chainlead district rename 江宁区
    """
    from chainlead.render.output import message
    from chainlead.store.districts import rename_district, this_district
    from chainlead.values import check_name

    named = check_name("NAME", name)
    assert named is not None
    with writing() as (db, _stamp):
        old = this_district(db)
        rename_district(db, named)
    message(_("district {code}: {old} → {new}").format(code=old.code, old=old.name, new=named))
