"""An item's supervision sheet (督办单, 一事一单) as HTML, PDF and Word.

One content model, ``sheet_blocks``, holds every line the sheet prints as
plain strings: the fields as label/value rows, then the tables (time limits,
enterprises, institutions, supervision steps, history, follow-ups). The HTML
template and the Word writer each draw those blocks; the PDF is the HTML
printed by Chromium (``render.pdf``). User text is carried as text in every
form: the template escapes it (autoescape), Word holds it in text runs, and a
control character a database may hold (they are refused on the way in) is
shown as its visible symbol, since XML cannot carry it.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from rich.console import RenderableType
from rich.text import Text

from chainlead.clock import local, shown
from chainlead.domain.sheet import ItemSheet, SheetPerson
from chainlead.domain.views import ItemEvent
from chainlead.render.formats import Format
from chainlead.render.labels import Labels
from chainlead.render.levels import level_words
from chainlead.render.output import Document

if TYPE_CHECKING:
    pass

TEMPLATE = "sheet.html.j2"

# Characters XML 1.0 cannot hold (but tab, newline and carriage return), and lone
# surrogates: shown as a visible symbol instead.
_UNSHOWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

# Word's fonts: the body in 宋体 (SimSun), headings in 黑体 (SimHei); Latin text in
# Times New Roman. Word falls back by itself where a font is missing.
BODY_FONT = ("Times New Roman", "宋体")
HEADING_FONT = ("Arial", "黑体")
PAGE_MARGINS_MM = (25, 22)  # top and bottom, left and right
TEXT_WIDTH_MM = 210 - 2 * PAGE_MARGINS_MM[1]
MM_PER_CELL = 2.1  # a half-width character at 10.5 pt; a CJK one is two cells


def _symbol(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟, the control pictures
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def clean(value: object) -> str:
    """A value as the sheet prints it: text, dates in ISO form, times in the zone shown,
    nothing for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        text = shown(value)
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value)
    return _UNSHOWABLE.sub(_symbol, text.replace("\r\n", "\n"))


@dataclass(frozen=True)
class Block:
    """A part of the sheet: label/value ``fields`` (no headers), or a table."""

    heading: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    empty: str = ""  # said in place of a table without rows
    nowrap: tuple[int, ...] = ()  # the columns kept on one line (dates, short words)

    @property
    def fields(self) -> bool:
        return not self.headers


def _word(labels: Labels, prefix: str, value: str | None) -> str:
    """A vocabulary word in the sheet's language; the stored word when it has none."""
    if value is None:
        return ""
    name = f"{prefix}_{value}"
    try:
        return labels(name)
    except KeyError:
        return value


def _person(person: SheetPerson | None) -> str:
    if person is None:
        return ""
    extra = "，".join(p for p in (person.title, person.unit, person.contact) if p)
    return f"{person.name}（{extra}）" if extra else person.name


def _limit_words(sheet: ItemSheet, labels: Labels) -> str:
    """Days over or under the time limit, in words: to today, or to the day resolved."""
    item = sheet.item
    days = item.days_over
    if item.resolved_on is not None:
        if days > 0:
            return labels("days_late", n=days)
        return labels("days_early", n=-days) if days < 0 else labels("on_the_day")
    if days > 0:
        return labels("days_over", n=days)
    return labels("days_left", n=-days) if days < 0 else labels("due_today")


def _level(level: int | str | None, labels: Labels) -> str:
    try:
        number = int(level) if level is not None else 0
        return level_words(number, english=labels.lang == "en")
    except (ValueError, IndexError):
        return str(level)


def _what(entry: ItemEvent, labels: Labels) -> str:
    """One history entry's change in words."""
    kind = _word(labels, "sheet_event", entry.kind)
    if entry.field == "status":
        old = labels.status(entry.old) if entry.old else "?"
        new = labels.status(entry.new) if entry.new else "?"
        return f"{kind}: {old} → {new}"
    if entry.field == "level":
        return f"{kind}: {_level(entry.old, labels)} → {_level(entry.new, labels)}"
    if entry.kind == "edited":
        return f"{kind} {entry.field}: {entry.old or '-'} → {entry.new or '-'}"
    if entry.kind == "linked":
        relation = _word(labels, "sheet_relation", entry.field)
        return f"{kind}: {relation} {entry.meeting or entry.text or ''}".rstrip()
    if entry.unit is not None and entry.field in ("lead", "co"):
        role = labels(f"sheet_role_{entry.field}")
        state = _word(labels, "sheet_state", entry.new)
        return f"{kind}: {entry.unit} ({role}) {state}".rstrip()
    if entry.kind.startswith("extension_") and (entry.old or entry.new):
        return f"{kind}: {entry.old or '?'} → {entry.new or '?'}"
    if entry.kind == "followed_up" and entry.person:
        return f"{kind}: {entry.person}"
    return kind


def _note(entry: ItemEvent) -> str:
    if entry.kind in ("created", "linked"):
        return ""
    return entry.text or ""


def _fields(sheet: ItemSheet, labels: Labels) -> Block:
    item = sheet.item
    say = labels
    rows: list[tuple[str, object]] = [
        (say("sheet_district"), sheet.district),
        (say("sheet_key"), item.key),
        (say("sheet_item_title"), item.title),
        (say("sheet_chain"), f"{item.chain} {item.chain_name}"),
        (say("sheet_chain_leader"), _person(sheet.chain_leader)),
        (say("sheet_responsible"), _person(sheet.responsible)),
        (say("sheet_detail"), item.detail),
        (say("sheet_category"), item.category),
        (say("sheet_priority"), _word(labels, "sheet_priority", item.priority)),
        (say("sheet_source"), _word(labels, "sheet_source", item.source)),
        (say("sheet_status"), labels.status(item.status)),
    ]
    if item.status_reason:
        rows.append((say("sheet_reason"), item.status_reason))
    rows += [
        (say("sheet_light"), _word(labels, "light", item.light)),
        (say("sheet_raised_on"), item.raised_on),
        (say("sheet_due_on"), item.due_on),
    ]
    if item.original_due_on is not None:
        rows.append((say("sheet_first_due"), item.original_due_on))
    rows += [
        (say("sheet_days_over"), _limit_words(sheet, labels)),
        (say("sheet_days_open"), labels("days_value", n=item.days_open)),
        (say("sheet_unit"), item.unit),
        (say("sheet_owner"), item.owner),
        (say("sheet_level"), _level(item.level, labels)),
    ]
    if item.urge_count:
        at = clean(item.last_urged_at) if item.last_urged_at else "-"
        rows.append((say("sheet_urged"), labels.count("sheet_urged_value", item.urge_count, at=at)))
    if item.suspended_on is not None:
        until = (
            say("sheet_suspended_until", day=item.suspended_until.isoformat())
            if item.suspended_until
            else ""
        )
        rows.append(
            (
                say("sheet_suspended"),
                say(
                    "sheet_suspended_value",
                    since=item.suspended_on.isoformat(),
                    until=until,
                    why=item.suspend_reason or "-",
                ),
            )
        )
    if item.resolved_on is not None:
        rows.append(
            (
                say("sheet_resolved"),
                say(
                    "sheet_resolved_value",
                    day=item.resolved_on.isoformat(),
                    who=item.resolved_by or "?",
                    how=item.resolution or "",
                ),
            )
        )
    if item.closed_on is not None:
        rows.append(
            (
                say("sheet_closed"),
                say(
                    "sheet_closed_value", day=item.closed_on.isoformat(), who=item.closed_by or "?"
                ),
            )
        )
    if item.reference:
        rows.append((say("sheet_reference"), item.reference))
    if item.link:
        rows.append((say("sheet_link"), item.link))
    if item.project:
        rows.append((say("sheet_project"), item.project))
    if item.meetings:
        meetings = "\n".join(
            f"{m.key} {labels.kind(m.kind)} {m.held_on.isoformat()}" for m in item.meetings
        )
        rows.append((say("sheet_meetings"), meetings))
    none = say("sheet_none")
    return Block(
        say("sheet_item"),
        (),
        tuple((label, clean(value) or none) for label, value in rows),
    )


def _limits(sheet: ItemSheet, labels: Labels) -> Block:
    rows = []
    for ext in sheet.item.extensions:
        if ext.kind == "edit":
            answer = labels("sheet_limit_edit")
        else:
            answer = _word(labels, "sheet_limit", ext.state)
            if ext.decided_on is not None:
                answer += f" {ext.decided_on.isoformat()}"
            if ext.decided_by:
                answer += f" {ext.decided_by}"
            if ext.decision_note:
                answer += f": {ext.decision_note}"
        rows.append(
            (
                ext.requested_on,
                ext.unit or ext.requested_by,
                f"{ext.from_due.isoformat()} → {ext.to_due.isoformat()}",
                ext.why or "-",
                answer,
            )
        )
    return _table(
        labels("sheet_limits"),
        ("sheet_limit_filed", "sheet_limit_by", "sheet_limit_change", "sheet_limit_why"),
        rows,
        labels,
        last="sheet_limit_answer",
        nowrap=(0, 2),
    )


def _table(
    heading: str,
    headers: tuple[str, ...],
    rows: list[tuple[object, ...]],
    labels: Labels,
    *,
    last: str | None = None,
    nowrap: tuple[int, ...] = (),
) -> Block:
    names = (*headers, last) if last else headers
    return Block(
        heading,
        tuple(labels(h) for h in names),
        tuple(tuple(clean(v) for v in row) for row in rows),
        empty=labels("nothing"),
        nowrap=nowrap,
    )


def _units(sheet: ItemSheet, labels: Labels) -> Block:
    item = sheet.item
    if item.parts:
        rows = [
            (
                part.unit,
                labels(f"sheet_role_{part.role}"),
                part.owner or "-",
                part.assigned_on,
                part.due_on,
                _word(labels, "sheet_state", part.state)
                + (f"\n{part.report or part.end_reason}" if part.report or part.end_reason else ""),
                _word(labels, "light", part.light),
            )
            for part in item.parts
        ]
    else:  # an item handed to its unit before assignments were kept
        rows = [
            (
                item.unit,
                labels("sheet_role_lead"),
                item.owner or "-",
                item.raised_on,
                item.due_on,
                "-",
                _word(labels, "light", item.light),
            )
        ]
    return _table(
        labels("sheet_units"),
        (
            "institution",
            "sheet_role",
            "sheet_owner",
            "sheet_assigned_on",
            "sheet_due_on",
            "sheet_state",
            "sheet_light",
        ),
        rows,
        labels,
        nowrap=(1, 2, 3, 4, 6),
    )


def _ladder(sheet: ItemSheet, labels: Labels) -> Block:
    rows = [
        (
            local(step.at).date(),
            f"{_level(step.old, labels)} → {_level(step.new, labels)}",
            step.actor,
            step.text or _word(labels, "sheet_event", step.kind),
        )
        for step in sheet.ladder
    ]
    block = _table(
        labels("sheet_level_now", level=_level(sheet.item.level, labels)),
        ("sheet_step_when", "sheet_step", "sheet_step_who", "sheet_step_why"),
        rows,
        labels,
        nowrap=(0, 1),
    )
    return Block(
        block.heading,
        block.headers,
        block.rows,
        empty=labels("sheet_no_steps"),
        nowrap=block.nowrap,
    )


def sheet_blocks(sheet: ItemSheet, labels: Labels) -> tuple[Block, ...]:
    """Every part of the sheet, in order, as plain strings."""
    item = sheet.item
    enterprises = _table(
        labels("sheet_enterprises"),
        ("sheet_enterprise", "sheet_credit_code", "sheet_contact"),
        [(e.name, e.credit_code or "-", e.contact or "-") for e in sheet.enterprises],
        labels,
        nowrap=(1,),
    )
    history = _table(
        labels("sheet_history"),
        ("sheet_when", "sheet_who", "sheet_what", "sheet_note"),
        [(e.at, e.actor, _what(e, labels), _note(e)) for e in item.history],
        labels,
        nowrap=(0, 1),
    )
    follow_ups = _table(
        labels("sheet_follow_ups"),
        ("sheet_enterprise", "sheet_asked_on", "sheet_result", "sheet_asked_by", "sheet_note"),
        [
            (
                f.enterprise or "-",
                f.asked_on,
                _word(labels, "sheet_result", f.result)
                + (
                    f" ({labels('sheet_reopened', day=f.reopened_on.isoformat())})"
                    if f.reopened_on
                    else ""
                ),
                f.by,
                f.note or "",
            )
            for f in item.follow_ups
        ],
        labels,
        nowrap=(1,),
    )
    return (
        _fields(sheet, labels),
        _limits(sheet, labels),
        enterprises,
        _units(sheet, labels),
        _ladder(sheet, labels),
        history,
        follow_ups,
    )


# --------------------------------------------------------------------------- HTML


def sheet_html(sheet: ItemSheet, labels: Labels) -> str:
    """The sheet as one self-contained HTML page that prints on A4 (the templates'
    environment is the report's: autoescape on, strict about missing values)."""
    from chainlead.render.report_html import environment

    template = environment().get_template(TEMPLATE)
    return template.render(
        sheet=sheet,
        labels=labels,
        title=labels("sheet_title"),
        subtitle=clean(labels("sheet_subtitle", key=sheet.item.key)),
        district=clean(sheet.district),
        printed=labels("sheet_printed", day=sheet.today.isoformat()),
        blocks=sheet_blocks(sheet, labels),
    )


# --------------------------------------------------------------------------- Word


def _fonts(target: Any, latin: str, east_asia: str) -> None:
    """Name the fonts of a run or a style, the CJK one with Word's eastAsia attribute."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    target.font.name = latin
    rpr = target.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(attribute), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) at the end of a paragraph: Word fills it in when it
    lays the pages out."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph.add_run("").element.addnext(field)


def _heading(document: Any, text: str, size: float) -> None:
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(8)
    paragraph.paragraph_format.space_after = Pt(4)
    paragraph.paragraph_format.keep_with_next = True
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(size)
    _fonts(run, *HEADING_FONT)


def _cell(cell: Any, text: str, *, bold: bool = False) -> None:
    cell.text = ""
    run = cell.paragraphs[0].add_run(text)
    run.bold = bold


def _cells_wide(text: str) -> int:
    """How wide a line of text is, a CJK character counting twice."""
    return max(
        (sum(2 if ord(c) > 0x2E80 else 1 for c in line) for line in text.split("\n")), default=0
    )


def _shares(block: Block) -> tuple[float, ...]:
    """Column widths in mm: the one-line columns (dates, short words) as wide as their
    widest text, the others sharing what is left by how wide their text is."""
    wide = [
        max(_cells_wide(text) for text in column)
        for column in zip(block.headers, *block.rows, strict=True)
    ]
    natural = [min(w * MM_PER_CELL + 3.5, 45.0) for w in wide]
    fixed = sum(natural[i] for i in block.nowrap)
    if fixed > TEXT_WIDTH_MM * 0.6:  # too many one-line columns: all share the page
        fixed, kept = 0.0, ()
    else:
        kept = block.nowrap
    rest = [min(max(w, 6), 60) if i not in kept else 0 for i, w in enumerate(wide)]
    room = TEXT_WIDTH_MM - fixed
    return tuple(natural[i] if i in kept else room * rest[i] / sum(rest) for i in range(len(wide)))


def _widths(table: Any, widths: tuple[float, ...]) -> None:
    """Fixed column widths (Word reads the cells', LibreOffice the grid's)."""
    from docx.shared import Mm

    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def _repeat_header(cell: Any) -> None:
    """Mark the row of ``cell`` as the table's header, repeated on every page it runs to."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = cell.paragraphs[0].runs[0]
    row = next(run.element.iterancestors(qn("w:tr")))
    properties = row.find(qn("w:trPr"))
    if properties is None:
        properties = OxmlElement("w:trPr")
        row.insert(1 if row.find(qn("w:tblPrEx")) is not None else 0, properties)
    properties.append(OxmlElement("w:tblHeader"))


def _block_table(document: Any, block: Block) -> None:
    if block.fields:
        table = document.add_table(rows=len(block.rows), cols=2)
        table.style = "Table Grid"
        for row, (label, value) in zip(table.rows, block.rows, strict=True):
            _cell(row.cells[0], label, bold=True)
            _cell(row.cells[1], value)
        _widths(table, (36, TEXT_WIDTH_MM - 36))
        return
    if not block.rows:
        document.add_paragraph(block.empty)
        return
    table = document.add_table(rows=1 + len(block.rows), cols=len(block.headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, block.headers, strict=True):
        _cell(cell, header, bold=True)
    _repeat_header(table.rows[0].cells[0])
    for row, values in zip(table.rows[1:], block.rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            _cell(cell, value)
    _widths(table, _shares(block))


def sheet_docx(sheet: ItemSheet, labels: Labels) -> bytes:
    """The sheet as a Word document on A4: a title, tables, signature lines, page numbers."""
    from docx import Document as WordDocument
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = WordDocument()
    normal = document.styles["Normal"]
    normal.font.size = Pt(10.5)  # 五号
    _fonts(normal, *BODY_FONT)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(PAGE_MARGINS_MM[0])
    section.left_margin = section.right_margin = Mm(PAGE_MARGINS_MM[1])
    core = document.core_properties
    core.title = clean(f"{labels('sheet_title')} {sheet.item.key}")
    core.author = ""

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(labels("sheet_title"))
    run.bold = True
    run.font.size = Pt(18)
    _fonts(run, *HEADING_FONT)
    line = document.add_paragraph()
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    district = clean(sheet.district)
    line.add_run(
        "    ".join(
            p
            for p in (
                district,
                clean(labels("sheet_subtitle", key=sheet.item.key)),
                labels("sheet_printed", day=sheet.today.isoformat()),
            )
            if p
        )
    )

    for block in sheet_blocks(sheet, labels):
        _heading(document, block.heading, 12)
        _block_table(document, block)

    document.add_paragraph()
    for name in ("sheet_sign_unit", "sheet_sign_supervisor"):
        signature = document.add_paragraph()
        signature.paragraph_format.space_before = Pt(14)
        signature.add_run(f"{labels(name)}：" + "_" * 24)
        signature.add_run("    " + f"{labels('sheet_sign_date')}：" + "_" * 16)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # One phrase for the translator, its fields put where the language puts them.
    before, rest = labels("docx_page", page="\0", pages="\1").split("\0")
    middle, after = rest.split("\1")
    footer.add_run(before)
    _field(footer, "PAGE")
    footer.add_run(middle)
    _field(footer, "NUMPAGES")
    footer.add_run(after)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------- the view


class SheetView(Document):
    """An item's supervision sheet: HTML as text, PDF and Word as bytes."""

    def __init__(self, sheet: ItemSheet, labels: Labels) -> None:
        self.sheet = sheet
        self.labels = labels

    @property
    def data(self) -> ItemSheet:
        return self.sheet

    def people(self) -> RenderableType:
        item = self.sheet.item
        return Text(f"{self.labels('sheet_title')} {item.key}: {clean(item.title)}")

    def text(self, fmt: Format) -> str:
        if fmt is Format.html:
            return sheet_html(self.sheet, self.labels)
        return super().text(fmt)

    def binary(self, fmt: Format) -> bytes:
        if fmt is Format.pdf:
            from chainlead.render.pdf import pdf_from_html

            return pdf_from_html(sheet_html(self.sheet, self.labels))
        if fmt is Format.docx:
            return sheet_docx(self.sheet, self.labels)
        return super().binary(fmt)
