"""``chainlead bottleneck sheet``: an item's supervision sheet (督办单) as HTML, PDF or Word."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from chainlead.cli.bottleneck import KeyArg, app
from chainlead.cli.help import N_
from chainlead.cli.options import LangOpt
from chainlead.cli.runtime import ForceFlag, output, viewing
from chainlead.i18n import _

if TYPE_CHECKING:
    from chainlead.outfile import Output
    from chainlead.render.formats import Format

FORMS = {"html": "an HTML page to print (A4)", "pdf": "a PDF (A4)", "docx": "a Word document"}
SHEET_OPTIONS = ", ".join(f"--{name} FILE" for name in FORMS)


def _file(name: str) -> typer.models.OptionInfo:
    helps = {
        "html": N_("Write the sheet as an HTML page to print (A4) to FILE ('-': stdout)."),
        "pdf": N_("Write the sheet as a PDF (A4) to FILE ('-': stdout)."),
        "docx": N_("Write the sheet as a Word document to FILE ('-': stdout)."),
    }
    return typer.Option(f"--{name}", help=helps[name], metavar="FILE", show_default=False)


def _targets(files: dict[Format, str | None], *, force: bool) -> list[tuple[Format, Output]]:
    """Each file asked for, checked before any work is done; at most one on stdout."""
    from chainlead import outfile
    from chainlead.errors import InvalidInput

    given = {fmt: value for fmt, value in files.items() if value is not None}
    if not given:
        raise InvalidInput(
            "bottleneck sheet", _("give at least one of {options}").format(options=SHEET_OPTIONS)
        )
    targets = {
        fmt: output(f"--{fmt}", value, kind=outfile.Kind.report, force=force)
        for fmt, value in given.items()
    }
    if sum(target.path is None for target in targets.values()) > 1:
        raise InvalidInput("--html/--pdf/--docx", _("only one of them can go to stdout"))
    outfile.distinct(list(targets.values()))
    return list(targets.items())


@app.command("sheet")
def sheet(
    key: KeyArg,
    html: Annotated[str | None, _file("html")] = None,
    pdf: Annotated[str | None, _file("pdf")] = None,
    docx: Annotated[str | None, _file("docx")] = None,
    lang: LangOpt = None,
    force: ForceFlag = False,
) -> None:
    """An item's supervision sheet (督办单) to send with a supervision letter.

    Every field of the item, its enterprises, its institutions with their time
    limits, its supervision level and steps, its history and follow-ups, with
    signature lines; as HTML, PDF (printed by Chromium) or Word, several at once.

    \b
    Example:
      chainlead bottleneck sheet IC-12 --lang zh --pdf IC-12.pdf --docx IC-12.docx
    """
    from chainlead.domain.sheet import item_sheet
    from chainlead.render.formats import Format
    from chainlead.render.labels import labels_for
    from chainlead.render.output import message, render
    from chainlead.render.sheet import SheetView

    targets = _targets({Format.html: html, Format.pdf: pdf, Format.docx: docx}, force=force)
    with viewing() as (db, current):
        labels = labels_for(lang.value if lang is not None else current.lang)
        found = item_sheet(
            db,
            key=key,
            today=current.today(),
            warning_days=current.warning_days,
            district=current.district,
        )
    view = SheetView(found, labels)
    for fmt, target in targets:
        render(view, fmt, to=target)
        if target.path is not None:
            message(
                _("wrote the {key} supervision sheet ({form}) to {path}").format(
                    key=found.item.key, form=fmt, path=target.path
                )
            )
