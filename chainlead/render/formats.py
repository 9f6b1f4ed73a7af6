"""Output formats (light: no rich import)."""

from enum import StrEnum


class Format(StrEnum):
    """The closed set of output formats: tables for people, JSON and CSV for scripts,
    and the documents a report is written as (HTML, SVG, Markdown as text; PDF,
    Word and Excel as bytes)."""

    table = "table"
    json = "json"
    csv = "csv"
    html = "html"
    svg = "svg"
    markdown = "markdown"
    pdf = "pdf"
    docx = "docx"
    xlsx = "xlsx"


# The formats written as bytes (``Document.binary``), never as text.
BINARY_FORMATS = frozenset({Format.pdf, Format.docx, Format.xlsx})


def choose(*, json: bool = False, csv: bool = False) -> Format:
    """The one place that turns --json/--csv flags into a format."""
    if json and csv:
        from chainlead.errors import InvalidInput
        from chainlead.i18n import _

        raise InvalidInput("--json/--csv", _("choose one output format, not both"))
    if json:
        return Format.json
    if csv:
        return Format.csv
    return Format.table
