"""A chain's map (产业链图谱) for people: the link list's columns, the map on the
terminal, and the map as a diagram (SVG, and an HTML page holding it).

On the terminal the three segments stand side by side when the width allows
(``SIDE_BY_SIDE`` cells), one under another when not; rich lays the columns
out in terminal cells, so CJK names keep them aligned. Each link shows its
state as a word and a symbol (■ strong, ◐ weak, □ missing), not by colour
alone; its enterprises, the chain's lead enterprise (链主) marked ★; its open
items and their worst light; its projects.

The diagram is laid out here once, in the SVG's own units (an A4 landscape
page, 842 × 595 points): three columns, one per segment, a box per link. The
font size is the largest that fits the tallest column on the page; past the
smallest size the whole picture is scaled down (the view box grows), so it
always prints on one page. The templates only place what is worked out here,
with autoescape on.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from chainlead.i18n import N_, _, ngettext
from chainlead.render.output import LIGHT_STYLES, Column, Document
from chainlead.vocabulary import SEGMENTS

if TYPE_CHECKING:
    from chainlead.domain.links import ChainMap, MapLink
    from chainlead.domain.reports.chain_map import ChainMapSummary
    from chainlead.render.formats import Format

# Each state as a word, a symbol and its Chinese name: never colour alone.
STATE_MARKS = {"strong": "■", "weak": "◐", "missing": "□"}
STATE_NAMES_ZH = {"strong": "强", "weak": "弱", "missing": "缺"}
STATE_STYLES = {"strong": "bold green", "weak": "bold yellow", "missing": "bold red"}
SEGMENT_NAMES_ZH = {"upstream": "上游", "midstream": "中游", "downstream": "下游"}
LEAD_MARK = "★"
# The narrowest terminal the three segments stand side by side on.
SIDE_BY_SIDE = 90


def state_text(state: str) -> str:
    """A link's state in words: ``■ strong 强``."""
    text = _("{mark} {state} {state_zh}").format(
        mark=STATE_MARKS.get(state, "?"), state=state, state_zh=STATE_NAMES_ZH.get(state, "")
    )
    return " ".join(text.split())


def segment_title(segment: str, count: int) -> str:
    return ngettext(
        "{segment} {segment_zh} ({n} link)", "{segment} {segment_zh} ({n} links)", count
    ).format(segment=segment.capitalize(), segment_zh=SEGMENT_NAMES_ZH.get(segment, ""), n=count)


def shown_name(name: str, short: str | None) -> str:
    """An enterprise as the map names it: its short name where it has one."""
    return short or name


def enterprise_words(link: MapLink) -> list[str]:
    """The enterprises of a link, the 链主 marked: ``★中芯国际``."""
    return [(LEAD_MARK if e.lead else "") + shown_name(e.name, e.short) for e in link.enterprises]


def items_words(link: MapLink) -> str | None:
    """A link's open items in words: ``3 open, worst red (IC-4)``, or None."""
    if not link.open_items:
        return None
    from chainlead.i18n import current_lang
    from chainlead.render.labels import labels_for

    light = labels_for(current_lang()).light(link.light)
    if link.red_items:
        return _("{n} open, worst {light} ({keys})").format(
            n=link.open_items, light=light, keys=", ".join(link.red_items)
        )
    return _("{n} open, worst {light}").format(n=link.open_items, light=light)


def project_words(link: MapLink) -> list[str]:
    from chainlead.render.translated import word

    return [f"{p.key} {p.title} ({word('project', p.status)})" for p in link.projects]


def folded(value: str | None) -> Text:
    """Long words (and unbroken CJK runs) fold onto the next line, never cut off."""
    return Text(value or "", overflow="fold")


def _state(state: str) -> Text:
    return Text(state_text(state), style=STATE_STYLES.get(state, ""))


LINK_COLUMNS = (
    Column("chain", N_("Chain")),
    Column("name", N_("Link"), draw=folded),
    Column("segment", N_("Segment"), draw=lambda segment: Text(_segment_word(segment))),
    Column("state", N_("State"), draw=_state, no_wrap=True),
    Column("position", "#", justify="right"),
    Column("enterprises", N_("Enterprises"), justify="right"),
    Column("open_items", N_("Open items"), justify="right"),
    Column("projects", N_("Projects"), justify="right"),
    Column("note", N_("Note"), draw=folded),
)
# What a terminal shows (the CSV and JSON carry every field).
LINK_TABLE = tuple(c for c in LINK_COLUMNS if c.field not in ("chain", "position"))


# --------------------------------------------------------------------------- the terminal


def link_block(link: MapLink) -> RenderableType:
    """One link: its name and state, then, indented, its enterprises (wrapped between
    names, a name longer than the line folded), items and projects."""
    from rich.padding import Padding

    head = Text(overflow="fold")
    head.append(STATE_MARKS.get(link.state, "?") + " ", style=STATE_STYLES.get(link.state, ""))
    head.append(link.name, style="bold")
    head.append(
        "  " + state_text(link.state).split(" ", 1)[-1],
        style=STATE_STYLES.get(link.state, ""),
    )
    words = enterprise_words(link)
    body = Text(overflow="fold")
    body.append("、 ".join(words) if words else _("(no enterprises)"), style="" if words else "dim")
    items = items_words(link)
    if items:
        body.append("\n" + _("items: "))
        body.append(items, style=LIGHT_STYLES.get(link.light, ""))
    for project in project_words(link):
        body.append("\n" + _("project "))
        body.append(project)
    if link.note:
        body.append("\n" + _("note: ") + " ".join(link.note.split()), style="italic")
    return Group(head, Padding(body, (0, 0, 0, 2)))


def segment_group(chain_map: ChainMap, segment: str) -> Group:
    """A segment's links, a blank line between two."""
    links = chain_map.segment(segment)
    parts: list[RenderableType] = []
    for index, link in enumerate(links):
        if index:
            parts.append(Text(""))
        parts.append(link_block(link))
    if not links:
        parts.append(Text(_("(no links)"), style="dim"))
    return Group(*parts)


class MapRenderable:
    """The map, laid out for the width it is drawn at."""

    def __init__(self, chain_map: ChainMap) -> None:
        self.map = chain_map

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        chain_map = self.map
        yield Text(
            _("Chain map of {code} {name}").format(code=chain_map.code, name=chain_map.name),
            style="bold",
        )
        counts = chain_map.by_state
        total = len(chain_map.links)
        yield Text(
            ngettext("{n} link: {states}", "{n} links: {states}", total).format(
                n=total, states=", ".join(f"{counts[s]} {state_text(s)}" for s in counts)
            )
            + "   "
            + _("{mark} lead enterprise (链主)   as of {day}").format(
                mark=LEAD_MARK, day=chain_map.today.isoformat()
            )
        )
        if not chain_map.links:
            yield Text(_("no links yet: add one with `chainlead chain link add`"), style="dim")
            return
        if options.max_width >= SIDE_BY_SIDE:
            table = Table(expand=True, show_lines=False, header_style="bold")
            for segment in SEGMENTS:
                table.add_column(
                    segment_title(segment, len(chain_map.segment(segment))), ratio=1, vertical="top"
                )
            table.add_row(*(segment_group(chain_map, s) for s in SEGMENTS))
            yield table
            return
        for segment in SEGMENTS:
            table = Table(expand=True, header_style="bold")
            table.add_column(segment_title(segment, len(chain_map.segment(segment))))
            table.add_row(segment_group(chain_map, segment))
            yield table


# --------------------------------------------------------------------------- the diagram

PAGE_W, PAGE_H = 842.0, 595.0  # A4 landscape in points
MARGIN = 18.0
GAP = 10.0
HEAD = 34.0  # the title and the legend
SEGMENT_HEAD = 18.0
PAD = 3.0
BOX_GAP = 4.0
LINE = 1.3  # line height, in font sizes
SIZES = tuple(x / 4 for x in range(36, 19, -1))  # 9.0 down to 5.0 points


NOTE_LINES = 3  # a box shows this much of a link's note; more ends in "…"
ELLIPSIS = "…"


def char_width(ch: str, size: float) -> float:
    """About how wide one character is at ``size`` points: a wide (CJK) character one
    em, a narrow one 0.56 em."""
    return size if cell_len(ch) == 2 else size * 0.56


def text_width(text: str, size: float) -> float:
    """About how wide ``text`` is at ``size`` points (see ``char_width``)."""
    return sum(char_width(ch, size) for ch in text)


def _fits(text: str, room: float, size: float) -> bool:
    used = 0.0
    for ch in text:
        used += char_width(ch, size)
        if used > room:
            return False
    return True


def _ellipsised(line: str, width: float, size: float) -> str:
    room = width - char_width(ELLIPSIS, size)
    while line and text_width(line, size) > room:
        line = line[:-1]
    return line + ELLIPSIS


def wrap(
    words: Sequence[str], width: float, size: float, sep: str = "、", limit: int | None = None
) -> list[str]:
    """Words joined by ``sep`` in lines no wider than ``width`` (a word wider than a
    line is cut where it must be), in one pass over the characters. At most ``limit``
    lines (None: all); text left over ends the last line with "…"."""
    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    last = len(words) - 1
    for index, word in enumerate(words):
        piece = word + (sep if index < last else "")
        if line and not _fits(piece, width - used, size):
            lines.append("".join(line))
            line, used = [], 0.0
        for ch in piece:
            wide = char_width(ch, size)
            if line and used + wide > width:
                lines.append("".join(line))
                line, used = [], 0.0
            if limit is not None and len(lines) >= limit:
                lines[-1] = _ellipsised(lines[-1], width, size)
                return lines
            line.append(ch)
            used += wide
    if line:
        lines.append("".join(line))
    return lines


@dataclass(frozen=True)
class TextLine:
    x: float
    y: float
    text: str
    kind: str  # name | enterprises | none | items | project | note


@dataclass(frozen=True)
class LinkBox:
    x: float
    y: float
    width: float
    height: float
    state: str
    light: str
    lines: tuple[TextLine, ...]


@dataclass(frozen=True)
class SegmentColumn:
    x: float
    width: float
    title: str
    boxes: tuple[LinkBox, ...]


@dataclass(frozen=True)
class Diagram:
    """Where everything of the map goes, in the SVG's units."""

    width: float
    height: float  # the view box: the page, or taller when scaled down
    size: float  # the font size of the links
    title: str
    legend: str
    columns: tuple[SegmentColumn, ...]


def _link_lines(link: MapLink, width: float, size: float) -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = []
    lines += [("name", line) for line in wrap([link.name], width * 0.62, size)]
    words = enterprise_words(link)
    lines += [("enterprises", line) for line in wrap(words, width, size)] or [("none", "—")]
    items = items_words(link)
    if items:
        lines += [("items", line) for line in wrap(items.split(" "), width, size, sep=" ")]
    for project in project_words(link):
        lines += [("project", line) for line in wrap(project.split(" "), width, size, sep=" ")]
    if link.note:
        lines += [
            ("note", line)
            for line in wrap([" ".join(link.note.split())], width, size, limit=NOTE_LINES)
        ]
    return lines


def _column_height(links: Sequence[MapLink], width: float, size: float) -> float:
    total = SEGMENT_HEAD
    for link in links:
        total += len(_link_lines(link, width - 2 * PAD, size)) * size * LINE + 2 * PAD + BOX_GAP
    return total


def diagram(chain_map: ChainMap) -> Diagram:
    """Lay the map out on an A4 landscape page (see the module doc)."""
    column_w = (PAGE_W - 2 * MARGIN - 2 * GAP) / 3
    room = PAGE_H - 2 * MARGIN - HEAD
    segments = [chain_map.segment(s) for s in SEGMENTS]
    size = SIZES[-1]
    for candidate in SIZES:
        if max(_column_height(links, column_w, candidate) for links in segments) <= room:
            size = candidate
            break
    tallest = max(_column_height(links, column_w, size) for links in segments)
    height = max(PAGE_H, tallest + 2 * MARGIN + HEAD)
    scale = height / PAGE_H  # past the smallest size: a taller view box, scaled to the page
    width = PAGE_W * scale
    columns = []
    for index, (segment, links) in enumerate(zip(SEGMENTS, segments, strict=True)):
        x = MARGIN + index * (column_w + GAP)
        y = MARGIN + HEAD + SEGMENT_HEAD
        boxes = []
        for link in links:
            lines = _link_lines(link, column_w - 2 * PAD, size)
            box_h = len(lines) * size * LINE + 2 * PAD
            placed = tuple(
                TextLine(
                    x=x + PAD,
                    y=y + PAD + (n + 1) * size * LINE - size * 0.3,
                    text=text,
                    kind=kind,
                )
                for n, (kind, text) in enumerate(lines)
            )
            boxes.append(LinkBox(x, y, column_w, box_h, link.state, link.light, placed))
            y += box_h + BOX_GAP
        columns.append(
            SegmentColumn(
                x=x, width=column_w, title=segment_title(segment, len(links)), boxes=tuple(boxes)
            )
        )
    counts = chain_map.by_state
    return Diagram(
        width=width,
        height=height,
        size=size,
        title=_("Chain map 产业链图谱 · {code} {name}").format(
            code=chain_map.code, name=chain_map.name
        ),
        legend=(
            "   ".join(f"{counts[s]} {state_text(s)}" for s in counts)
            + "   "
            + _("{mark} lead enterprise (链主)   as of {day}").format(
                mark=LEAD_MARK, day=chain_map.today.isoformat()
            )
        ),
        columns=tuple(columns),
    )


def _fixed(value: float) -> str:
    return f"{value:.1f}"


def svg_text(chain_map: ChainMap, *, standalone: bool = True) -> str:
    """The map as an SVG picture (``standalone``: with its XML declaration)."""
    from chainlead.render.report_html import environment

    template = environment().get_template("chain_map.svg.j2")
    return template.render(**_context(chain_map), standalone=standalone)


def _context(chain_map: ChainMap) -> dict[str, Any]:
    return {
        "chain_map": chain_map,
        "d": diagram(chain_map),
        "state_marks": STATE_MARKS,
        "state_names": STATE_NAMES_ZH,
        "fixed": _fixed,
    }


def html_text(chain_map: ChainMap) -> str:
    """The map as an HTML page that prints on one A4 landscape page."""
    from chainlead.render.report_html import environment

    template = environment().get_template("chain_map.html.j2")
    return template.render(**_context(chain_map), standalone=False)


class MapView(Document):
    """A chain's map in each of its forms: its data (json), the terminal's map (table),
    and the diagram (html, svg)."""

    def __init__(self, chain_map: ChainMap) -> None:
        self.map = chain_map
        columns = os.environ.get("COLUMNS", "")
        self.width = int(columns) if columns.isdigit() and int(columns) > 0 else 100

    @property
    def data(self) -> Any:
        return self.map

    def people(self) -> RenderableType:
        return MapRenderable(self.map)

    def text(self, fmt: Format) -> str:
        if fmt == "svg":
            return svg_text(self.map)
        if fmt == "html":
            return html_text(self.map)
        raise ValueError(f"the chain map has no {fmt} form")


# --------------------------------------------------------------------------- the monthly report

# The words of a chain's map summary in the monthly report, in each language.
_SUMMARY_WORDS = {
    "en": {
        "map": "Chain map",
        "counts": "{links} links: {strong} strong, {weak} weak, {missing} missing",
        "missing": "Missing links",
        "red": "Links with red items",
        "sep": ", ",
    },
    "zh": {
        "map": "产业链图谱",
        "counts": "{links}个环节：强{strong}、弱{weak}、缺{missing}",
        "missing": "缺失环节",
        "red": "有红灯事项的环节",
        "sep": "、",
    },
}


def map_summary_rows(summary: ChainMapSummary | None, lang: str) -> list[tuple[str, str]]:
    """A chain's map in the monthly report as (label, words) rows: its links by state,
    the missing links, the links with red items; none for a chain without links."""
    if summary is None:
        return []
    words = _SUMMARY_WORDS.get(lang, _SUMMARY_WORDS["en"])
    counts = words["counts"].format(
        links=summary.links, strong=summary.strong, weak=summary.weak, missing=summary.missing
    )
    rows = [(words["map"], counts)]
    if summary.missing_links:
        rows.append((words["missing"], words["sep"].join(summary.missing_links)))
    if summary.red_links:
        red = [f"{link.name} ({', '.join(link.items)})" for link in summary.red_links]
        rows.append((words["red"], words["sep"].join(red)))
    return rows


def _segment_word(segment: str) -> str:
    from chainlead.render.translated import word

    return word("segment", segment) or ""
