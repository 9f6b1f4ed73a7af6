"""HTML printed to an A4 PDF by headless Chromium, with its fonts embedded.

Every PDF chainlead writes (the monthly report, an item's supervision sheet)
is an HTML page of its own printed here: the page's CSS (``@page``) sets the
size, margins, running header and page numbers. Chromium embeds the subset of
each font it draws with, so the file reads on a machine without CJK fonts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from chainlead.errors import OutputRefused

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_SECONDS = 180


def browser() -> str:
    """The headless browser's program: ``CHAINLEAD_CHROMIUM``, else the first found."""
    given = os.environ.get("CHAINLEAD_CHROMIUM")
    if given:
        found = shutil.which(given)
        if found is None:
            raise OutputRefused(
                f"--pdf: CHAINLEAD_CHROMIUM names no program ({given}); expected Chromium's"
                " program, or unset it to look for chromium on PATH"
            )
        return found
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise OutputRefused(
        "--pdf: needs Chromium to print the PDF (apt-get install chromium,"
        " or set CHAINLEAD_CHROMIUM to its program)"
    )


def pdf_from_html(html: str) -> bytes:
    """``html`` (a whole self-contained page) printed to PDF."""
    program = browser()
    with tempfile.TemporaryDirectory(prefix="chainlead-pdf-") as folder:
        page = Path(folder) / "page.html"
        pdf = Path(folder) / "page.pdf"
        page.write_text(html, encoding="utf-8")
        try:
            subprocess.run(
                [
                    program,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    f"--user-data-dir={Path(folder) / 'profile'}",
                    "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}",
                    page.as_uri(),
                ],
                check=True,
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise OutputRefused(f"--pdf: Chromium could not print the PDF ({exc})") from exc
        if not pdf.is_file():
            raise OutputRefused("--pdf: Chromium printed no PDF")
        return pdf.read_bytes()
