"""``chainlead report``: the monthly report leaders print, the overdue list and the
enterprises still to be asked."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from chainlead.cli import COMMANDS
from chainlead.cli.help import N_
from chainlead.cli.options import LangOpt
from chainlead.cli.runtime import (
    LIMIT_MAX,
    CsvFlag,
    ExcelFlag,
    ForceFlag,
    JsonFlag,
    output,
    viewing,
)
from chainlead.collector import without_cycle_collection
from chainlead.i18n import _, ngettext
from chainlead.vocabulary import Lang

if TYPE_CHECKING:
    from chainlead.domain.project_lights import LightRules
    from chainlead.domain.reports.city import DistrictRow
    from chainlead.domain.reports.model import MonthlyReport, ReportNotes
    from chainlead.outfile import Output
    from chainlead.render.formats import Format
    from chainlead.render.handout import Handout
    from chainlead.render.labels import Labels
    from chainlead.settings import Settings
    from chainlead.store.connection import Reader

app = typer.Typer(
    help=COMMANDS["report"].help,
    no_args_is_help=True,
    rich_markup_mode=None,
)


ChainOpt = Annotated[str | None, typer.Option("--chain", help="Only this chain, e.g. IC.")]


def _file(option: str) -> typer.models.OptionInfo:
    helps = {
        "--html": N_("Write the report as an HTML page to print (A4) to FILE ('-': stdout)."),
        "--svg": N_("Write the report as an SVG picture to FILE ('-': stdout)."),
        "--markdown": N_("Write the report as Markdown to FILE ('-': stdout)."),
        "--docx": N_("Write the report as an editable Word bulletin (A4) to FILE ('-': stdout)."),
        "--xlsx": N_(
            "Write the report as an Excel workbook (every chain's items, whatever --limit) "
            "to FILE ('-': stdout)."
        ),
        "--pdf": N_(
            "Write the report as a PDF (A4, fonts embedded; needs Chromium) to FILE ('-': stdout)."
        ),
    }
    return typer.Option(option, help=helps[option], metavar="FILE", show_default=False)


def _labels(lang: Lang | None, current: Settings) -> Labels:
    from chainlead.render.labels import labels_for

    return labels_for(lang.value if lang is not None else current.lang)


def _outputs(
    *, json: bool, files: dict[Format, str | None], force: bool
) -> list[tuple[Format, Output | None]]:
    """The forms the report is drawn in, in order, each file checked before any
    work is done: --json's data, then each file asked for; the report for people
    when neither is asked for. At most one of them goes to stdout."""
    from chainlead.render.formats import Format

    given = {fmt: value for fmt, value in files.items() if value is not None}
    chosen: list[tuple[Format, Output | None]] = [(Format.json, None)] if json else []
    if given:
        from chainlead import outfile
        from chainlead.errors import InvalidInput

        targets = {
            fmt: output(f"--{fmt}", value, kind=outfile.Kind.report, force=force)
            for fmt, value in given.items()
        }
        to_stdout = [fmt for fmt, target in targets.items() if target.path is None]
        if len(to_stdout) + int(json) > 1:
            raise InvalidInput(
                "--json/--html/--pdf/--svg/--markdown/--docx/--xlsx",
                _("only one of them can go to stdout"),
            )
        outfile.distinct(list(targets.values()))
        chosen += targets.items()
    return chosen or [(Format.table, None)]


def print_monthly(
    db: Reader, settings: Settings, month: str | None = None, *, lang: str | None = None
) -> None:
    """Print the monthly report of ``month`` (default: the previous month) for people.

    For ``chainlead demo``: one domain call, one render call, on an open reader.
    """
    from chainlead.domain.reports import monthly_report
    from chainlead.render.formats import Format
    from chainlead.render.labels import labels_for
    from chainlead.render.output import render
    from chainlead.render.report import MonthlyView

    report = monthly_report(
        db,
        today=settings.today(),
        month=month,
        district=settings.district,
        warning_days=settings.warning_days,
        escalation_days=settings.escalation_days,
        project_rules=project_rules(settings),
        zone=settings.zone(),
    )
    render(MonthlyView(report, labels_for(lang or settings.lang)), Format.table)


def handout(current: Settings, *, limit: int | None, annex: bool) -> Handout:
    """The printed page's masthead, list length and signatures, from the settings."""
    from chainlead.render.handout import Handout

    return Handout(
        issuer=current.report_issuer,
        limit=limit,
        annex=annex,
        compiled_by=current.report_compiled_by,
        reviewed_by=current.report_reviewed_by,
        signed_by=current.report_signed_by,
    )


def project_rules(current: Settings) -> LightRules:
    """The chain projects' light thresholds in force."""
    from chainlead.domain.project_lights import LightRules

    return LightRules(
        current.project_yellow_points, current.project_red_points, current.project_idle_months
    )


def _notes(given: str | None, current: Settings) -> ReportNotes | None:
    """The team's notes: --notes FILE, else the report_notes setting, else none."""
    from chainlead.domain.reports.notes import read_notes

    if given is not None:
        return read_notes(given, field="--notes")
    if current.report_notes:
        return read_notes(current.report_notes, field="report_notes")
    return None


@app.command("monthly")
def monthly(
    month: Annotated[
        str | None,
        typer.Option("--month", help="The month, YYYY-MM [default: the previous month]."),
    ] = None,
    chain: ChainOpt = None,
    lang: LangOpt = None,
    html: Annotated[str | None, _file("--html")] = None,
    svg: Annotated[str | None, _file("--svg")] = None,
    markdown: Annotated[str | None, _file("--markdown")] = None,
    docx: Annotated[str | None, _file("--docx")] = None,
    xlsx: Annotated[str | None, _file("--xlsx")] = None,
    pdf: Annotated[str | None, _file("--pdf")] = None,
    annex: Annotated[
        bool,
        typer.Option(
            "--annex",
            help="HTML/PDF: every item of each chain in an annex at the end; the "
            "lists above say how many more are there (--json, --svg and --markdown then list "
            "every item too).",
        ),
    ] = False,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            help="Items listed per chain and list [default: 20; 5 on the printed "
            "page (HTML, PDF)].",
            min=1,
            max=LIMIT_MAX,
            show_default=False,
        ),
    ] = None,
    notes: Annotated[
        str | None,
        typer.Option(
            "--notes",
            help="The team's 存在问题 / 下步工作 text to put in the report "
            "(a Markdown-ish FILE) [setting: report_notes].",
            metavar="FILE",
            show_default=False,
        ),
    ] = None,
    force: ForceFlag = False,
    json: JsonFlag = False,
) -> None:
    """The monthly report: district overview, trend, each chain, responsible institutions.

    Printed on the terminal, or written as the A4 handout (HTML to print
    from a browser, or PDF), SVG or Markdown, as a Word bulletin (--docx) or
    as an Excel workbook (--xlsx: the scoreboard, the red list and one ledger
    sheet per chain); --json prints the report data.

    \b
    Example:
      chainlead report monthly --month 2026-10 --lang zh --pdf report.pdf --annex
    """
    from functools import partial

    from chainlead.domain.reports import monthly_report
    from chainlead.domain.reports.model import EVERY_ITEM, LIST_LIMIT
    from chainlead.render.formats import Format
    from chainlead.render.output import message, render
    from chainlead.render.report import MonthlyView

    files = {
        Format.html: html,
        Format.pdf: pdf,
        Format.svg: svg,
        Format.markdown: markdown,
        Format.docx: docx,
        Format.xlsx: xlsx,  # every item: counted with no list limit (EVERY_ITEM)
    }
    if annex and html is None and pdf is None:
        from chainlead.errors import InvalidInput

        raise InvalidInput(
            "--annex", _("expected --html FILE or --pdf FILE with it (the printed page)")
        )
    outputs = _outputs(json=json, files=files, force=force)
    forms = {fmt for fmt, _path in outputs}
    if pdf is not None:
        from chainlead.render.pdf import browser

        browser()  # no Chromium: refused before any work, nothing written
    with without_cycle_collection():
        with viewing() as (db, current):
            labels = _labels(lang, current)
            team_notes = _notes(notes, current)
            count = partial(
                monthly_report,
                db,
                today=current.today(),
                month=month,
                chain=chain,
                district=current.district,
                warning_days=current.warning_days,
                escalation_days=current.escalation_days,
                project_rules=project_rules(current),
                notes=team_notes,
                issue=current.report_issue,
                zone=current.zone(),
            )
            whole = count(list_limit=EVERY_ITEM) if Format.xlsx in forms or annex else None
            shown = whole if whole and (annex or forms == {Format.xlsx}) else None
            report = shown or count(list_limit=limit or LIST_LIMIT)
        paper = handout(current, limit=limit, annex=annex)
        view = MonthlyView(report, labels, handout=paper)
        for fmt, target in outputs:
            drawn = view
            if whole and fmt is Format.xlsx and whole is not report:
                drawn = MonthlyView(whole, labels, handout=paper)
            render(drawn, fmt, to=target)
            if target is not None and target.path is not None:
                message(
                    _("wrote the {month} report ({fmt}) to {path}").format(
                        month=report.month, fmt=fmt, path=target.path
                    )
                )


@app.command("overdue")
def overdue(
    unit: Annotated[
        str | None,
        typer.Option("--unit", help="Responsible institution contains TEXT.", metavar="TEXT"),
    ] = None,
    chain: ChainOpt = None,
    check: Annotated[
        bool, typer.Option("--check", help="Exit with code 3 when any item is red.")
    ] = False,
    lang: LangOpt = None,
    limit: Annotated[
        int,
        typer.Option(
            "--limit",
            help="Items listed per institution on the terminal, most overdue first.",
            min=1,
            max=LIMIT_MAX,
        ),
    ] = 20,
    every: Annotated[
        bool,
        typer.Option(
            "--all",
            help="List every item on the terminal (--json, --csv and --check always do).",
        ),
    ] = False,
    json: JsonFlag = False,
    csv: CsvFlag = False,
    excel: ExcelFlag = False,
) -> None:
    """Every red item, by responsible institution, with the chain leader to escalate to.

    On the terminal each institution lists its most overdue items (--limit,
    default 20) and says how many more there are; --all, --check, --json and
    --csv give every item.

    \b
    Example:
      chainlead report overdue --check || echo "items are overdue"
    """
    from chainlead.domain.reports import overdue_report
    from chainlead.errors import CheckFailed
    from chainlead.render.csv_rows import check_excel, write_csv
    from chainlead.render.formats import choose
    from chainlead.render.output import render
    from chainlead.render.report import OVERDUE_CSV_FIELDS, OverdueView, overdue_rows

    fmt = choose(json=json, csv=csv)
    check_excel(fmt, excel)
    with without_cycle_collection():
        with viewing() as (db, current):
            labels = _labels(lang, current)
            report = overdue_report(
                db,
                today=current.today(),
                warning_days=current.warning_days,
                escalation_days=current.escalation_days,
                unit=unit,
                chain=chain,
            )
        shown = None if every or check else limit
        if excel:  # CSV for Excel: UTF-8 with a byte-order mark, CRLF
            write_csv(OVERDUE_CSV_FIELDS, overdue_rows(report), excel=True)
        else:
            render(OverdueView(report, labels, limit=shown), fmt)
    if check and report.total:
        raise CheckFailed(
            ngettext(
                "{total} overdue (red) item", "{total} overdue (red) items", report.total
            ).format(total=report.total)
        )


@app.command("follow-ups")
def follow_ups(
    chain: ChainOpt = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="Exit with code 3 when any enterprise is late to be asked."),
    ] = False,
    lang: LangOpt = None,
    json: JsonFlag = False,
    csv: CsvFlag = False,
) -> None:
    """Resolved items whose enterprises are not yet asked (回访), by whom to call.

    Lists the items resolved more than followup_days days ago (default 7)
    with an enterprise not asked since, under the item's owner, or the
    chain's responsible person when it has none. Exit codes: 0, or 3 with
    --check when any is listed.

    \b
    Example:
      chainlead report follow-ups --chain IC --check || echo "enterprises to call back"
    """
    from chainlead.domain.reports import follow_up_report
    from chainlead.errors import CheckFailed
    from chainlead.render.formats import choose
    from chainlead.render.output import render
    from chainlead.render.report_follow_ups import FollowUpView

    fmt = choose(json=json, csv=csv)
    with viewing() as (db, current):
        labels = _labels(lang, current)
        report = follow_up_report(
            db, today=current.today(), followup_days=current.followup_days, chain=chain
        )
    render(FollowUpView(report, labels), fmt)
    if check and report.total:
        raise CheckFailed(
            ngettext(
                "{total} item with enterprises not asked {days} days after resolving",
                "{total} items with enterprises not asked {days} days after resolving",
                report.total,
            ).format(total=report.total, days=report.followup_days)
        )


@app.command("city")
def city(
    month: Annotated[
        str | None,
        typer.Option("--month", help="The month, YYYY-MM [default: the previous month]."),
    ] = None,
    html: Annotated[str | None, _file("--html")] = None,
    pdf: Annotated[str | None, _file("--pdf")] = None,
    markdown: Annotated[str | None, _file("--markdown")] = None,
    lang: LangOpt = None,
    force: ForceFlag = False,
    json: JsonFlag = False,
) -> None:
    """The city's comparison of its districts: one row per district, ranked, with trends.

    Each district's figures are its own monthly report's (report monthly run in
    that district), the city row their sums. A SQLite file, or a PostgreSQL
    database no district was added to, is one district.

    \b
    Example:
      chainlead report city --month 2026-10 --html city.html
    """
    from chainlead.cli.district import each_district
    from chainlead.cli.runtime import as_of, settings
    from chainlead.domain.reports import monthly_report
    from chainlead.domain.reports.city import city_report, district_row
    from chainlead.render.formats import Format
    from chainlead.render.output import message, render
    from chainlead.render.report_city import CityView
    from chainlead.store.districts import this_district

    outputs = _outputs(
        json=json,
        files={Format.html: html, Format.pdf: pdf, Format.markdown: markdown},
        force=force,
    )
    if pdf is not None:
        from chainlead.render.pdf import browser

        browser()  # no Chromium: refused before any work, nothing written
    current = settings()

    def read(db: Reader) -> tuple[DistrictRow, MonthlyReport]:
        district = this_district(db)
        day = as_of(db, current)  # a demo district is read as of its day, as report monthly
        report = monthly_report(
            db,
            today=day.today(),
            month=month,
            warning_days=day.warning_days,
            escalation_days=day.escalation_days,
            project_rules=project_rules(day),
            zone=day.zone(),
        )
        return district_row(district.code, district.name, report), report

    with without_cycle_collection():
        found = each_district(read)
    first = found[0][1]
    report = city_report(
        [row for row, _report in found], month=first.month, as_of=first.as_of, today=first.today
    )
    if lang is not None:  # the report's words (its rows are the districts' own names)
        from chainlead.i18n import set_lang

        set_lang(lang.value)
    view = CityView(report, lang.value if lang is not None else current.lang)
    for fmt, target in outputs:
        render(view, fmt, to=target)
        if target is not None and target.path is not None:
            message(
                _("wrote the {month} city report ({fmt}) to {path}").format(
                    month=report.month, fmt=fmt, path=target.path
                )
            )
