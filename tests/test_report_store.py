"""The reports' shape: output through the one dispatcher.

The figures themselves are held by ``test_report.py`` and
``test_report_history.py`` (both backends) and the forms by
``test_report_cli.py``; this checks that ``render`` draws a report view in
each of its formats (``test_layers.py`` that the statements are in the store).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import RenderableType
from rich.text import Text

import chainlead
from chainlead.render.formats import Format
from chainlead.render.output import Document, render

PACKAGE = Path(chainlead.__file__).parent


class _View(Document):
    width = 30

    @property
    def data(self) -> dict[str, int]:
        return {"open": 3}

    def people(self) -> RenderableType:
        return Text("open " + "x" * 40)

    def text(self, fmt: Format) -> str:
        return f"<{fmt}>\n"


def test_render_draws_a_document_in_each_format(capsys: pytest.CaptureFixture) -> None:
    render(_View(), Format.json)
    assert json.loads(capsys.readouterr().out) == {"open": 3}
    render(_View(), Format.table)  # into a pipe: the view's width
    assert capsys.readouterr().out.splitlines() == ["open", "x" * 30, "x" * 10]
    for fmt in (Format.html, Format.svg, Format.markdown):
        render(_View(), fmt)  # no file: stdout
        assert capsys.readouterr().out == f"<{fmt}>\n"
