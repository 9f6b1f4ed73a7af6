"""``chainlead intake``: the working team's demand spreadsheet into enterprises and items."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from chainlead.cli.runtime import CsvFlag, JsonFlag, settings
from chainlead.i18n import _
from chainlead.vocabulary import Source

if TYPE_CHECKING:
    from chainlead.intake.demands import Demands
    from chainlead.intake.plan import IntakePlan
    from chainlead.render.formats import Format


# A real run of a longer sheet lists only the rows that did not become new items (the
# summary gives the keys); --dry-run, --json and --csv list every row.
TABLE_ROWS = 500


def intake(
    file: Annotated[
        str,
        typer.Argument(
            help="The demand sheet: .xlsx, or .csv (UTF-8 or GB18030).", show_default=False
        ),
    ],
    chain: Annotated[
        str | None, typer.Option("--chain", help="Chain whose list the items go on (required).")
    ] = None,
    meeting: Annotated[
        str | None,
        typer.Option("--meeting", help="Meeting entry where the demands were raised, e.g. SAI-M4."),
    ] = None,
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", help="Sheet to read [default: the first visible one]."),
    ] = None,
    map_file: Annotated[
        str | None,
        typer.Option(
            "--map",
            help='TOML naming the columns of another layout: [columns] title = "存在困难".',
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what each row would do; write nothing.")
    ] = False,
    update: Annotated[
        bool,
        typer.Option("--update", help="Take the changed rows too (their items are edited)."),
    ] = False,
    new_unit: Annotated[
        bool,
        typer.Option("--new-unit", help="Add the institutions (责任单位) chainlead does not know."),
    ] = False,
    due: Annotated[
        str | None,
        typer.Option("--due", help="Time limit for the rows without one."),
    ] = None,
    source: Annotated[
        Source | None,
        typer.Option(
            "--source",
            help="Where the demands were raised [default: the meeting's kind, else other].",
            case_sensitive=False,
        ),
    ] = None,
    json: JsonFlag = False,
    csv: CsvFlag = False,
) -> None:
    """Read the team's demand sheet into enterprises and items, without typing them again.

    Columns are known by their headers (企业名称, 诉求内容, 责任单位, 办理时限, 诉求编号,
    提出日期, 类别, 详细情况... or enterprise, title, unit, due, reference, raised,
    category, detail); --map names them for any other layout. Each row keeps its
    reference (the sheet's 诉求编号, or one made from enterprise and title):
    reading the same sheet again adds nothing, and a row changed since is taken
    only with --update. Unknown enterprises are added. Any problem, and nothing
    is written: each is listed with its row and column, exit code 2.

    \b
    Example:
      chainlead intake demands.xlsx --chain AI --meeting AI-M9 --dry-run
      chainlead intake demands.xlsx --chain AI --meeting AI-M9
    """
    from chainlead.cli.runtime import required, viewing, writing
    from chainlead.intake.columns import load_map
    from chainlead.intake.demands import read_demands
    from chainlead.intake.plan import SheetProblems, apply_intake, plan_intake
    from chainlead.render.formats import choose
    from chainlead.values import parse_date

    fmt = choose(json=json, csv=csv)
    code = required("--chain", chain, _("give the chain the demands are for: --chain CODE"))
    current = settings()
    default_due = (
        parse_date("--due", due, today=current.today(), holidays_file=current.holidays_file)
        if due is not None
        else None
    )
    mapping = load_map(map_file) if map_file is not None else None
    demands = read_demands(file, sheet=sheet, mapping=mapping, default_due=default_due)
    kind = source.value if source is not None else None
    try:
        if dry_run:
            with viewing() as (reader, current):
                plan = plan_intake(
                    reader,
                    demands=demands,
                    chain=code,
                    today=current.today(),
                    new_unit=new_unit,
                    meeting=meeting,
                    source=kind,
                )
            _show(plan, demands, fmt, dry_run=True, update=update)
            if plan.problems:
                raise SheetProblems(plan.problems, len(plan.rows), plan.count("refused"))
            return
        with writing() as (db, stamp):
            plan = plan_intake(
                db,
                demands=demands,
                chain=code,
                today=stamp.today,
                new_unit=new_unit,
                meeting=meeting,
                source=kind,
            )
            done = apply_intake(
                db, plan=plan, demands=demands, stamp=stamp, update=update, new_unit=new_unit
            )
    except SheetProblems as refused:
        from chainlead.render.output import message

        for problem in refused.problems:
            message(f"  {problem}")
        raise
    _show(done, demands, fmt, dry_run=False, update=update)


def _show(plan: IntakePlan, demands: Demands, fmt: Format, *, dry_run: bool, update: bool) -> None:
    from chainlead.render.formats import Format
    from chainlead.render.intake import INTAKE_COLUMNS, intake_lines, intake_summary
    from chainlead.render.output import message, print_rows
    from chainlead.render.words import headed

    read = demands.sheet
    lines = intake_lines(plan)
    if fmt is Format.table and not dry_run and len(lines) > TABLE_ROWS:
        lines = [line for line in lines if line.outcome != "new"]  # the summary counts them
    title = (
        _("{chain} from {path}, sheet {sheet}") if read.name else _("{chain} from {path}")
    ).format(chain=plan.chain, path=read.path, sheet=read.name)
    print_rows(
        lines,
        headed(INTAKE_COLUMNS) if fmt is Format.table else INTAKE_COLUMNS,
        fmt,
        title=title,
        empty=_("no demands in the sheet"),
        long=True,  # folds CJK titles at the width where a rich Table cuts them short
    )
    if fmt is not Format.table:
        return
    if demands.columns.ignored:
        message(_("columns not read: {names}").format(names=", ".join(demands.columns.ignored)))
    for line in intake_summary(plan, dry_run=dry_run, update=update):
        message(line)
