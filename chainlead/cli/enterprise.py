"""``chainlead enterprise``: the enterprises whose demands come to the chains."""

from __future__ import annotations

from typing import Annotated

import typer

from chainlead.cli import COMMANDS
from chainlead.cli.complete import complete_chain_code, complete_enterprise, complete_link_spec
from chainlead.cli.runtime import CsvFlag, ExcelFlag, JsonFlag, viewing, writing
from chainlead.i18n import _, ngettext, pgettext
from chainlead.vocabulary import Segment

app = typer.Typer(
    help=COMMANDS["enterprise"].help,
    no_args_is_help=True,
    rich_markup_mode=None,
)

NameArg = Annotated[
    str,
    typer.Argument(
        help="Enterprise: its name or short name, any case or width.",
        show_default=False,
        autocompletion=complete_enterprise,
    ),
]
ChainsOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--chain",
        help="A chain it is on (repeat for several); --segment and --lead apply to each.",
        autocompletion=complete_chain_code,
    ),
]
SegmentOpt = Annotated[
    Segment | None,
    typer.Option("--segment", help="Where on the chain it sits.", case_sensitive=False),
]
CreditOpt = Annotated[
    str | None,
    typer.Option(
        "--credit-code",
        help="Unified social credit code (统一社会信用代码), 18 characters, checked.",
    ),
]
ContactOpt = Annotated[
    str | None, typer.Option("--contact", help="Contact: a person, a telephone number.")
]
ParkOpt = Annotated[str | None, typer.Option("--park", help="The park or zone it is in.")]
LinksOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--link",
        help="A link of a chain's map it is on, CHAIN:LINK, e.g. IC:晶圆制造 (repeatable); "
        "it goes on the chain too.",
        autocompletion=complete_link_spec,
    ),
]


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Full name (1-200 characters).", show_default=False)],
    short: Annotated[str | None, typer.Option("--short", help="Short name, e.g. 中兴.")] = None,
    chain: ChainsOpt = None,
    segment: SegmentOpt = None,
    lead: Annotated[
        bool, typer.Option("--lead", help="It is the chain's lead enterprise (链主).")
    ] = False,
    above_scale: Annotated[
        bool, typer.Option("--above-scale", help="Above designated size (规上).")
    ] = False,
    credit_code: CreditOpt = None,
    contact: ContactOpt = None,
    park: ParkOpt = None,
    link: LinksOpt = None,
) -> None:
    """Add an enterprise, optionally placing it on chains.

    \b
    Example:
      chainlead enterprise add "南京中兴通讯有限公司" --short 中兴 --chain SAI \\
        --segment midstream --lead --above-scale --credit-code 91350100M000100Y43
    """
    from chainlead.domain.enterprises import add_enterprise
    from chainlead.render.output import message

    with writing() as (db, stamp):
        found = add_enterprise(
            db,
            name=name,
            short=short,
            credit_code=credit_code,
            contact=contact,
            park=park,
            above_scale=above_scale,
            chains=tuple(chain or ()),
            segment=segment.value if segment else None,
            lead=lead,
            links=tuple(link or ()),
            stamp=stamp,
        )
    also = f" ({found.short})" if found.short else ""
    on = (
        _(", on {chains}").format(chains=", ".join(c.strip().upper() for c in chain))
        if chain
        else ""
    )
    if link:
        on += ngettext(", on the link {links}", ", on the links {links}", len(link)).format(
            links=", ".join(link)
        )
    message(_("added enterprise {name}").format(name=f"{found.name}{also}") + on)


@app.command("list")
def list_(
    chain: Annotated[
        str | None,
        typer.Option(
            "--chain", help="Only those on this chain.", autocompletion=complete_chain_code
        ),
    ] = None,
    segment: SegmentOpt = None,
    lead: Annotated[bool, typer.Option("--lead", help="Only lead enterprises (链主).")] = False,
    json: JsonFlag = False,
    csv: CsvFlag = False,
    excel: ExcelFlag = False,
) -> None:
    """List enterprises with their chains, demands and satisfaction.

    \b
    Example:
      chainlead enterprise list --chain SAI --lead
    """
    from chainlead.domain.enterprises import list_enterprises
    from chainlead.render.csv_rows import check_excel
    from chainlead.render.enterprises import ENTERPRISE_COLUMNS, ENTERPRISE_TABLE
    from chainlead.render.formats import Format, choose
    from chainlead.render.output import render
    from chainlead.render.words import headed

    fmt = choose(json=json, csv=csv)
    check_excel(fmt, excel)
    with viewing() as (reader, _current):
        rows = list_enterprises(
            reader, chain=chain, segment=segment.value if segment else None, lead=lead
        )
    columns = ENTERPRISE_COLUMNS if fmt is Format.csv else ENTERPRISE_TABLE
    render(
        rows,
        fmt,
        columns=columns if fmt is Format.csv else headed(columns),
        title=pgettext("list title", "Enterprises"),
        empty=_("no enterprises"),
        excel=excel,
    )


@app.command("show")
def show(name: NameArg, json: JsonFlag = False) -> None:
    """Show an enterprise: its details, chains, every demand with its light, follow-ups.

    \b
    Example:
      chainlead enterprise show 中兴
    """
    from chainlead.domain.enterprises import enterprise_detail
    from chainlead.render.enterprises import enterprise_card
    from chainlead.render.formats import choose
    from chainlead.render.output import render

    with viewing() as (reader, current):
        detail = enterprise_detail(
            reader, name=name, today=current.today(), warning_days=current.warning_days
        )
    render(detail, choose(json=json), people=enterprise_card)


@app.command("edit")
def edit(
    name: NameArg,
    short: Annotated[
        str | None, typer.Option("--short", help="New short name ('' clears).")
    ] = None,
    credit_code: Annotated[
        str | None, typer.Option("--credit-code", help="New credit code ('' clears).")
    ] = None,
    contact: Annotated[
        str | None, typer.Option("--contact", help="New contact ('' clears).")
    ] = None,
    park: Annotated[str | None, typer.Option("--park", help="New park ('' clears).")] = None,
    above_scale: Annotated[
        bool | None,
        typer.Option("--above-scale/--below-scale", help="Above designated size (规上) or not."),
    ] = None,
    chain: ChainsOpt = None,
    segment: SegmentOpt = None,
    lead: Annotated[
        bool | None,
        typer.Option("--lead/--not-lead", help="Lead enterprise (链主) of the --chain, or not."),
    ] = None,
    link: LinksOpt = None,
    unlink: Annotated[
        list[str] | None,
        typer.Option(
            "--unlink",
            help="Take it off a link of a chain's map, CHAIN:LINK (repeatable).",
            autocompletion=complete_link_spec,
        ),
    ] = None,
) -> None:
    """Change an enterprise's details, or put it on a chain or a link (kept in the history).

    \b
    Example:
      chainlead enterprise edit 中兴 --chain IC --segment downstream
      chainlead enterprise edit 中兴 --link IC:封装测试
    """
    from chainlead.domain.enterprises import edit_enterprise
    from chainlead.errors import InvalidInput
    from chainlead.render.enterprises import enterprise_changes

    given = (short, credit_code, contact, park, above_scale, chain, segment, lead, link, unlink)
    if all(value is None for value in given):
        raise InvalidInput(
            "enterprise edit",
            _("give at least one of {options}").format(
                options="--short, --credit-code, --contact, --park, --above-scale, "
                "--chain, --link, --unlink"
            ),
        )
    with writing() as (db, stamp):
        changes = edit_enterprise(
            db,
            name=name,
            short=short,
            credit_code=credit_code,
            contact=contact,
            park=park,
            above_scale=above_scale,
            chains=tuple(chain or ()),
            segment=segment.value if segment else None,
            lead=lead,
            links=tuple(link or ()),
            unlinks=tuple(unlink or ()),
            stamp=stamp,
        )
    enterprise_changes(changes[0].name if changes else name.strip(), changes)


@app.command("rename")
def rename(
    old: NameArg,
    new: Annotated[str, typer.Argument(help="The new full name.", show_default=False)],
) -> None:
    """Give an enterprise a new name; its items follow, the history keeps the old one.

    \b
    Example:
      chainlead enterprise rename 中兴 "中兴通讯股份有限公司南京分公司"
    """
    from chainlead.domain.enterprises import rename_enterprise_named
    from chainlead.render.output import message

    with writing() as (db, stamp):
        change, moved = rename_enterprise_named(db, old=old, new=new, stamp=stamp)
    message(
        ngettext(
            "renamed {old} → {new}; {n} item follows",
            "renamed {old} → {new}; {n} items follow",
            moved,
        ).format(old=change.old, new=change.new, n=moved)
    )
