"""Word documents the way a district office sets them: A4, 公文 margins, CJK fonts
named for Word, page numbers in the footer, and tables that read as tables.

The building blocks every Word form shares (the monthly bulletin, an item's
supervision sheet): ``new_document`` sets up the page and the styles,
``heading``/``paragraph``/``table`` add content, ``page_numbers`` writes
"第 X 页 共 Y 页" with PAGE and NUMPAGES fields, ``to_bytes`` saves. Only public
python-docx: its document API, and ``docx.oxml`` (``OxmlElement``, ``qn``) for
what it has no property for (east-asian fonts, fields, repeated header rows,
borders, shading).

User text goes in as text, never markup: python-docx escapes it, and the
characters XML 1.0 cannot hold (control characters) are taken out (``clean``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len

if TYPE_CHECKING:
    from docx.document import Document
    from docx.section import Section
    from docx.text.paragraph import Paragraph

# A4 with the margins of the 公文 format (GB/T 9704): top 3.7 cm, bottom 3.5 cm,
# left 2.8 cm, right 2.6 cm; the text block is 15.6 cm wide.
PAGE_CM = (21.0, 29.7)
MARGINS_CM = {"top": 3.7, "bottom": 3.5, "left": 2.8, "right": 2.6}
TEXT_WIDTH_CM = PAGE_CM[0] - MARGINS_CM["left"] - MARGINS_CM["right"]

TABLE_STYLE = "Table Text"  # the paragraph style of table cells
CAPTION_STYLE = "Table Caption"
SMALL = "Small Text"  # lists under a chain, notes under a table
RED = "C00000"  # the masthead's red
SHADE = "D9D9D9"  # header rows and total rows: a grey that prints


@dataclass(frozen=True)
class Face:
    """A font as Word names it: the east-asian face, the Latin face, the size."""

    east_asia: str
    latin: str
    size: float  # points


@dataclass(frozen=True)
class Fonts:
    """The faces of one language's documents."""

    title: Face
    heading: Face
    subheading: Face
    body: Face
    small: Face
    table: Face
    indent: bool  # first-line indent of two characters (Chinese) or none


# 仿宋 for the body, 黑体 for headings, 宋体 for tables (GB/T 9704 uses 仿宋_GB2312,
# which only some machines have; 仿宋 is on every Windows since Vista and in
# WPS), each with a Latin face for digits and Latin names.
ZH_FONTS = Fonts(
    title=Face("黑体", "Arial", 22),  # 二号
    heading=Face("黑体", "Arial", 16),  # 三号
    subheading=Face("黑体", "Arial", 14),  # 四号
    body=Face("仿宋", "Times New Roman", 14),  # 四号
    small=Face("仿宋", "Times New Roman", 12),  # 小四
    table=Face("宋体", "Times New Roman", 10.5),  # 五号
    indent=True,
)
EN_FONTS = Fonts(
    title=Face("黑体", "Arial", 20),
    heading=Face("黑体", "Arial", 14),
    subheading=Face("黑体", "Arial", 12),
    body=Face("仿宋", "Times New Roman", 11),
    small=Face("仿宋", "Times New Roman", 10),
    table=Face("宋体", "Arial", 9),
    indent=False,
)


def fonts_for(lang: str) -> Fonts:
    return ZH_FONTS if lang == "zh" else EN_FONTS


# The characters XML 1.0 cannot hold: control characters but tab, newline and
# carriage return, lone surrogates, and U+FFFE/U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean(value: object) -> str:
    """User text as Word can hold it: control characters taken out, None as ""."""
    if value is None:
        return ""
    return _NOT_XML.sub("", str(value))


# --------------------------------------------------------------------------- the document


def new_document(*, lang: str, title: str = "", header: str = "", page_words: str = "") -> Document:
    """An empty A4 document with its styles, running header and page numbers.

    ``page_words``: the footer, "第 {page} 页 共 {pages} 页" (empty: no page numbers).
    """
    import docx
    from docx.shared import Cm

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(PAGE_CM[0]), Cm(PAGE_CM[1])
    section.top_margin = Cm(MARGINS_CM["top"])
    section.bottom_margin = Cm(MARGINS_CM["bottom"])
    section.left_margin = Cm(MARGINS_CM["left"])
    section.right_margin = Cm(MARGINS_CM["right"])
    section.header_distance = Cm(1.5)
    section.footer_distance = Cm(2.0)
    _styles(document, fonts_for(lang), lang)
    if header:
        paragraph = section.header.paragraphs[0]
        paragraph.style = document.styles["Header"]
        paragraph.add_run(clean(header))
        paragraph.alignment = _align("center")
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", TABLE_STYLE, CAPTION_STYLE, SMALL):
        assert document.styles[name].style_id == style_id(name), name
    if page_words:
        page_numbers(section, page_words)
    properties = document.core_properties
    properties.title = clean(title)[:255]
    properties.author = "chainlead"
    properties.language = "zh-CN" if lang == "zh" else "en-US"
    return document


def to_bytes(document: Document) -> bytes:
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def set_face(element: Any, face: Face, *, size: bool = True) -> None:
    """Name a style's or run's fonts for Word: ``w:eastAsia`` for CJK text, the Latin
    face for the rest, the theme's fonts taken off (they would win); and its size."""
    from docx.oxml.ns import qn

    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:ascii"), face.latin)
    fonts.set(qn("w:hAnsi"), face.latin)
    fonts.set(qn("w:cs"), face.latin)
    fonts.set(qn("w:eastAsia"), face.east_asia)
    if size:
        half_points = str(round(face.size * 2))
        for tag in ("w:sz", "w:szCs"):
            found = rpr.find(qn(tag))
            if found is None:
                found = _element(tag)
                rpr.append(found)
            found.set(qn("w:val"), half_points)


def _styles(document: Document, fonts: Fonts, lang: str) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    styles = document.styles
    # The document's defaults: the body face, and CJK text marked as Chinese.
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts_el = rpr.find(qn("w:rFonts"))
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts_el.attrib.pop(qn(theme), None)
    fonts_el.set(qn("w:ascii"), fonts.body.latin)
    fonts_el.set(qn("w:hAnsi"), fonts.body.latin)
    fonts_el.set(qn("w:cs"), fonts.body.latin)
    fonts_el.set(qn("w:eastAsia"), fonts.body.east_asia)
    language = rpr.find(qn("w:lang"))
    # Latin text is English (so Word breaks it between words), CJK text Chinese.
    language.set(qn("w:val"), "en-US")
    language.set(qn("w:eastAsia"), "zh-CN")

    normal = styles["Normal"]
    set_face(normal.element, fonts.body)
    body = normal.paragraph_format
    body.space_before, body.space_after = Pt(0), Pt(4 if lang == "zh" else 6)
    body.line_spacing = 1.25
    body.first_line_indent = Pt(fonts.body.size * 2) if fonts.indent else None
    body.widow_control = True

    black = RGBColor(0, 0, 0)
    for name, face, before, after in (
        ("Title", fonts.title, 0, 6),
        ("Heading 1", fonts.heading, 12, 6),
        ("Heading 2", fonts.subheading, 10, 4),
        ("Heading 3", fonts.subheading, 6, 2),
    ):
        style = styles[name]
        set_face(style.element, face)
        style.font.color.rgb = black
        style.font.bold = lang != "zh"  # 黑体 is heavy enough; Latin headings are bold
        form = style.paragraph_format
        form.first_line_indent = Pt(0)
        form.space_before, form.space_after = Pt(before), Pt(after)
        form.keep_with_next = True
    title = styles["Title"]
    title.font.color.rgb = RGBColor.from_string(RED)
    title.paragraph_format.alignment = _align("center")
    _no_title_border(title.element)

    for name in ("Header", "Footer"):
        style = styles[name]
        set_face(style.element, fonts.small)
        style.font.size = Pt(fonts.small.size - 1)
        style.paragraph_format.first_line_indent = Pt(0)
        style.paragraph_format.space_after = Pt(0)

    table = styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    table.base_style = normal
    set_face(table.element, fonts.table)
    form = table.paragraph_format
    form.first_line_indent = Pt(0)
    form.space_before, form.space_after = Pt(0), Pt(0)
    form.line_spacing = 1.0

    caption = styles.add_style(CAPTION_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    caption.base_style = normal
    set_face(caption.element, fonts.subheading)
    caption.font.size = Pt(fonts.body.size)
    caption.font.bold = True
    form = caption.paragraph_format
    form.first_line_indent = Pt(0)
    form.alignment = _align("center")
    form.space_before, form.space_after = Pt(8), Pt(4)
    form.keep_with_next = True

    small = styles.add_style(SMALL, WD_STYLE_TYPE.PARAGRAPH)
    small.base_style = normal
    set_face(small.element, fonts.small)
    small.paragraph_format.space_after = Pt(2)


def _no_title_border(style_element: Any) -> None:
    """The template's Title has a blue rule under it and spaced letters: off."""
    from docx.oxml.ns import qn

    ppr = style_element.find(qn("w:pPr"))
    if ppr is not None:
        for tag in ("w:pBdr", "w:contextualSpacing"):
            found = ppr.find(qn(tag))
            if found is not None:
                ppr.remove(found)
    rpr = style_element.find(qn("w:rPr"))
    if rpr is not None:
        for tag in ("w:spacing", "w:kern"):
            found = rpr.find(qn(tag))
            if found is not None:
                rpr.remove(found)


def _align(where: str) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    return {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[where]


def _element(tag: str, **attributes: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


# --------------------------------------------------------------------------- fields


def add_field(paragraph: Paragraph, instruction: str, shown: str = "1") -> None:
    """A Word field (PAGE, NUMPAGES, …) as Word writes one: begin, the instruction,
    separate, the last shown result, end. Word and LibreOffice update it."""
    for part in (
        _element("w:fldChar", fldCharType="begin"),
        _instruction(instruction),
        _element("w:fldChar", fldCharType="separate"),
    ):
        paragraph.add_run().element.append(part)
    paragraph.add_run(shown)
    paragraph.add_run().element.append(_element("w:fldChar", fldCharType="end"))


def _instruction(text: str) -> Any:
    from docx.oxml.ns import qn

    element = _element("w:instrText")
    element.set(qn("xml:space"), "preserve")
    element.text = f" {text} "
    return element


def page_numbers(section: Section, words: str) -> None:
    """The footer's page numbers, centred: ``words`` with ``{page}`` and ``{pages}``
    ("第 {page} 页 共 {pages} 页", "Page {page} of {pages}") as PAGE and NUMPAGES."""
    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.alignment = _align("center")
    for part in re.split(r"(\{page\}|\{pages\})", words):
        if part == "{page}":
            add_field(paragraph, "PAGE")
        elif part == "{pages}":
            add_field(paragraph, "NUMPAGES")
        elif part:
            paragraph.add_run(part)


# --------------------------------------------------------------------------- content


def heading(document: Document, text: str, level: int) -> Paragraph:
    """A heading (level 1-3) in Word's heading styles: the navigation pane lists it."""
    return paragraph(document, text, style=f"Heading {level}")


def style_id(name: str) -> str:
    """The id of one of the document's styles: its name with the spaces taken out
    (as the template names its own and python-docx names new ones)."""
    return name.replace(" ", "")


def paragraph(
    document: Document,
    text: str = "",
    *,
    lead: str = "",
    style: str | None = None,
    align: str | None = None,
    indent: bool = True,
    bold: bool = False,
    color: str | None = None,
) -> Paragraph:
    """A paragraph of text; ``lead``: words in bold before it ("链长：").

    Written as WordprocessingML text and parsed once, the style named by its id
    (python-docx looks a style name up in a scan of every style, and sets a run's
    text a character at a time); user text is escaped."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.text.paragraph import Paragraph

    props = f'<w:pStyle w:val="{style_id(style)}"/>' if style else ""
    if not indent:
        props += '<w:ind w:firstLine="0"/>'
    if align:
        props += f'<w:jc w:val="{ {"justify": "both"}.get(align, align) }"/>'
    runs = _run_xml(lead, "<w:b/>") if lead else ""
    if text:
        run_props = ("<w:b/>" if bold else "") + (f'<w:color w:val="{color}"/>' if color else "")
        runs += _run_xml(text, run_props)
    xml = f"<w:p {nsdecls('w')}>" + (f"<w:pPr>{props}</w:pPr>" if props else "") + runs + "</w:p>"
    element = parse_xml(xml)
    document.element.body.sectPr.addprevious(element)
    return Paragraph(element, document)  # type: ignore[arg-type]


def _run_xml(text: str, props: str = "") -> str:
    """A run of escaped text: tabs as ``w:tab``, line breaks as ``w:br``."""
    from xml.sax.saxutils import escape

    parts = [f"<w:r><w:rPr>{props}</w:rPr>" if props else "<w:r>"]
    for n, line in enumerate(clean(text).replace("\r", "").split("\n")):
        if n:
            parts.append("<w:br/>")
        for m, piece in enumerate(line.split("\t")):
            if m:
                parts.append("<w:tab/>")
            if piece:
                parts.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    parts.append("</w:r>")
    return "".join(parts)


_AFTER_BORDER = frozenset(
    "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + tag
    for tag in (
        "shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct "
        "autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
        "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
        "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
    ).split()
)


def rule_below(document: Document, *, color: str = RED, size: int = 12) -> None:
    """A line under the last paragraph (the masthead's red rule): a bottom border."""

    last = _last_block(document)
    ppr = last.get_or_add_pPr()
    borders = _element("w:pBdr")
    borders.append(_element("w:bottom", val="single", sz=str(size), space="4", color=color))
    # pBdr comes before these in a paragraph's properties (WordprocessingML's order).
    anchor = next((found for found in ppr if found.tag in _AFTER_BORDER), None)
    if anchor is not None:
        anchor.addprevious(borders)
    else:
        ppr.append(borders)


def page_break_before(document: Document) -> None:
    """The last paragraph starts a new page."""
    _last_block(document).get_or_add_pPr().append(_element("w:pageBreakBefore"))


def _last_block(document: Document) -> Any:
    """The block element added last: the one just before the body's section end."""
    return document.element.body.sectPr.getprevious()


# --------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class Table:
    """A table to draw: headers, rows of cell texts, which columns hold numbers
    (right-aligned) and which other columns keep the width their text asks for
    (keys, dates: never wrapped), and whether the last row is a total (shaded)."""

    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    numeric: frozenset[int] = frozenset()
    keep: frozenset[int] = frozenset()
    total: bool = False
    widest: int = 28  # cells of text a column asks room for at most (it wraps past it)
    size: float | None = None  # points; None: the table style's size (五号, 10.5 pt)


def table(document: Document, spec: Table, *, caption: str = "", note: str = "") -> None:
    """A real Word table (grid lines, the header row repeated on each page, rows
    not split across pages, widths from the text's CJK width), built as WordprocessingML
    in one pass: python-docx's cell access costs a walk of the table per cell."""

    if caption:
        found = paragraph(document, caption, style=CAPTION_STYLE)
        if note:  # the table's time base, on a line of its own
            from docx.shared import Pt

            found.add_run().add_break()
            small = found.add_run(clean(note))
            small.bold = False
            small.font.size = Pt(_table_size(document))
    size = spec.size or _table_size(document)
    widths = column_widths(spec, fonts_size=size)
    document.element.body.sectPr.addprevious(_table_element(spec, widths))


def _table_size(document: Document) -> float:
    font = document.styles[TABLE_STYLE].font
    return font.size.pt if font.size is not None else 10.5


def _table_element(spec: Table, widths: Sequence[int]) -> Any:
    """The whole ``w:tbl``, written as WordprocessingML text and parsed once (by
    python-docx's own parser): a row of elements made one by one costs ten times more.
    Every text is escaped; rows are not split across pages, the header row repeats."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    columns = len(spec.headers)
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    parts = [
        f"<w:tbl {nsdecls('w')}><w:tblPr>"
        '<w:tblStyle w:val="TableGrid"/>'
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/>'
        "</w:tblCellMar>"
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:noHBand="0"/>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
    ]
    kinds = {kind: _RowKind(spec, widths, kind) for kind in ("header", "body", "total")}
    parts.append(kinds["header"].row(spec.headers))
    last = len(spec.rows) - 1
    for n, cells in enumerate(spec.rows):
        padded = [*cells, *[""] * (columns - len(cells))][:columns]
        kind = "total" if spec.total and n == last else "body"
        parts.append(kinds[kind].row(padded))
    parts.append("</w:tbl>")
    return parse_xml("".join(parts))


class _RowKind:
    """The WordprocessingML around a header, body or total row's cells."""

    def __init__(self, spec: Table, widths: Sequence[int], kind: str) -> None:
        header, marked = kind == "header", kind != "body"
        style = style_id(TABLE_STYLE)
        shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{SHADE}"/>' if marked else ""
        self.start = "<w:tr><w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if header else "")
        self.start += "</w:trPr>"
        self.cells = []
        for n, width in enumerate(widths):
            align = "center" if header else ("right" if n in spec.numeric else "left")
            self.cells.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}'
                '<w:vAlign w:val="center"/></w:tcPr>'
                f'<w:p><w:pPr><w:pStyle w:val="{style}"/><w:jc w:val="{align}"/></w:pPr>'
            )
        size = f'<w:sz w:val="{round(spec.size * 2)}"/>' if spec.size else ""
        if size:
            size += size.replace("w:sz ", "w:szCs ")
        props = ("<w:b/>" if marked else "") + size
        self.run = f"<w:r><w:rPr>{props}</w:rPr>" if props else "<w:r>"

    def row(self, cells: Sequence[str]) -> str:
        from xml.sax.saxutils import escape

        parts = [self.start]
        for start, text in zip(self.cells, cells, strict=True):
            parts.append(start)
            text = clean(text).replace("\r", "")
            if text:
                lines = (
                    f'<w:t xml:space="preserve">{escape(line)}</w:t>' if line else ""
                    for line in text.split("\n")
                )
                parts.append(self.run + "<w:br/>".join(lines) + "</w:r>")
            parts.append("</w:p></w:tc>")
        parts.append("</w:tr>")
        return "".join(parts)


TWIPS_PER_CM = 567
PADDING_TWIPS = 2 * 57 + 30  # the cell's margins and a little air


def column_widths(spec: Table, *, fonts_size: float, total_cm: float = TEXT_WIDTH_CM) -> list[int]:
    """Column widths in twips that fill the text block.

    Each column asks for the room its longest cell needs (a CJK character two
    cells wide, a long header wrapping onto two lines) and has a least width:
    keys, dates and numbers their whole text, text columns their longest word
    (a CJK text breaks between any two characters). When the asks fit, text
    columns share what is left; when not, every column gets its least width
    and the rest is shared in proportion to what each asked for beyond it.
    """
    cell = fonts_size * 10  # half an em: one cell of text, in twips
    total = round(total_cm * TWIPS_PER_CM)
    kept = spec.numeric | spec.keep
    natural: list[float] = []
    least: list[float] = []
    for n, header in enumerate(spec.headers):
        values = [str(row[n]) for row in spec.rows if n < len(row)]
        longest = max(map(_longest_line, values), default=0)
        word = max(map(_longest_word, values), default=0)
        head = _bold_cells(header)
        head_word = max(_longest_word(header) * 1.4, min(head, 4))
        asks = max(min(longest + 1, spec.widest), head if head <= 8 else max(head_word, head / 2))
        if n in kept:
            needs = max(longest + 0.5, head_word, 2)
        else:  # a text column: its longest word, and four CJK characters a line
            needs = max(min(word + 1, 12), min(longest, 8), head_word, 4)
        natural.append(max(asks, needs) * cell + PADDING_TWIPS)
        least.append(needs * cell + PADDING_TWIPS)
    if sum(natural) <= total:
        grow = [n for n in range(len(natural)) if n not in kept] or list(range(len(natural)))
        spare, base = total - sum(natural), sum(natural[n] for n in grow)
        widths = [w + (spare * w / base if n in grow else 0) for n, w in enumerate(natural)]
    elif sum(least) < total:
        beyond = [a - b for a, b in zip(natural, least, strict=True)]
        share = (total - sum(least)) / sum(beyond)
        widths = [b + extra * share for b, extra in zip(least, beyond, strict=True)]
    else:
        widths = [w * total / sum(least) for w in least]
    result = [int(w) for w in widths]
    result[-1] += total - sum(result)
    return result


def _longest_line(text: str) -> int:
    return max((cell_len(line) for line in str(text).split("\n")), default=0)


def _bold_cells(text: str) -> float:
    """The cells a bold header takes: a CJK character two, a Latin letter a quarter more
    than one and two fifths (bold Latin letters run wider than half an em)."""
    return sum(2.0 if cell_len(char) == 2 else 1.4 for char in text)


def _longest_word(text: str) -> int:
    """The widest piece a header cannot break inside: a Latin word; CJK breaks anywhere."""
    words = re.findall(r"[A-Za-z0-9%()/.\-]+", text)
    return max((len(w) for w in words), default=2)
