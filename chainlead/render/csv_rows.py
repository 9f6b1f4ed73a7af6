"""CSV as every ``--csv`` writes it: formula-safe, and for Excel with ``--excel``.

**Formulas.** A spreadsheet runs a cell that starts with ``=``, ``+``, ``-``
or ``@`` (and, in some, a tab or carriage return) as a formula: an item
titled ``=HYPERLINK(...)`` would become a link, ``@SUM(A1)`` a sum. So a
*text* cell starting with one of them is written with a single quote in
front (OWASP's rule for CSV injection): ``'=1+1`` shows as the text
``=1+1``. Numbers are not text cells and are written as they are: a
``days_over`` of ``-3`` stays the number -3. The quote is a change to the
data a script reads back, so it is made only where a spreadsheet would
otherwise run the cell; ``--json`` carries the text untouched.

**Excel** (``--csv --excel``): UTF-8 with a byte-order mark and CRLF line
ends, so that a double-click opens the Chinese correctly in Excel on a
Chinese Windows (which reads a CSV without the mark as GBK). Without
``--excel``: UTF-8 as stdout is, no mark, LF line ends.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chainlead.render.formats import Format

# What a spreadsheet takes for the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guarded(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, quoted ("'=1+1"); any
    other value as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]], *, excel: bool = False) -> None:
    """``header`` and ``rows`` as CSV on stdout, every text cell guarded."""
    if not excel:
        _write(sys.stdout, "\n", header, rows)
        return
    sys.stdout.flush()
    stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8-sig", newline="")
    try:
        _write(stream, "\r\n", header, rows)
        stream.flush()
    finally:
        stream.detach()  # stdout stays open


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """``header`` and ``rows`` as CSV text (LF line ends), every text cell guarded."""
    out = io.StringIO()
    _write(out, "\n", header, rows)
    return out.getvalue()


def _write(stream: Any, end: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    writer = csv.writer(stream, lineterminator=end)
    writer.writerow([guarded(h) for h in header])
    writer.writerows([guarded(v) for v in row] for row in rows)


def check_excel(fmt: Format, excel: bool) -> None:
    """``--excel`` is a form of CSV: refused without ``--csv``."""
    from chainlead.render.formats import Format

    if excel and fmt is not Format.csv:
        from chainlead.errors import InvalidInput
        from chainlead.i18n import _

        raise InvalidInput("--excel", _("a form of CSV: give it with --csv"))
