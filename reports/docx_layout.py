"""The page, fonts, paragraphs and tables of an administrative text (NĐ 30/2020/NĐ-CP, Phụ lục
I), on python-docx: the Word report (`reports.docx_report`) writes through these helpers only.

A4 portrait, margins 20 / 20 / 30 / 15 mm (top, bottom, left, right); Times New Roman in every
style, its East-Asian and complex-script fonts too, so Vietnamese never falls back to another
face; body 14 pt justified with a first-line indent; the page number centred in the top margin
from page 2. Every text passes `clean` (XML 1.0 has no place for control characters), and
`save` writes the same bytes for the same document (fixed zip timestamps, no thumbnail).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Length, Mm, Pt
from docx.styles.style import ParagraphStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
PAGE = (Mm(210), Mm(297))
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
TEXT_WIDTH = Mm(165)  # 210 − 30 − 15
BODY_PT = 14
CELL_PT = 13
NOTE_PT = 13

# The paragraph styles: body text, headings, table cells, the appendix, the thể thức blocks.
BODY, HEADING, CELL, NOTE = "Normal", "CCHC Mục", "CCHC Bảng", "CCHC Phụ lục"
BLOCK = "CCHC Thể thức"
CENTER, LEFT, RIGHT, JUSTIFY = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT,
                                WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.JUSTIFY)

# What follows w:pBdr in a w:pPr, and w:tblBorders in a w:tblPr (the schema's order).
_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
               "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
               "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
               "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
               "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
               "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
_AFTER_TBLBORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
                     "w:tblDescription", "w:tblPrChange")

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


_GROUP = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")  # the space that groups a number's thousands


def clean(text: str) -> str:
    """`text` with what XML 1.0 cannot hold (control characters, lone surrogates) shown as
    U+FFFD: a hostile note marks its place instead of breaking the document; and a number's
    thousands joined by a non-breaking space, so 4 512,6 never breaks across two lines."""
    return _GROUP.sub("\u00a0", _NOT_XML.sub("\ufffd", text))


def _fonts(rpr_parent: BaseOxmlElement) -> None:
    """Times New Roman for every script of a style's (or the defaults') run properties."""
    rpr = rpr_parent.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_parent.append(rpr)
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font would win over the named one
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(script), FONT)


def _lang(rpr_parent: BaseOxmlElement, lang: str) -> None:
    rpr = rpr_parent.find(qn("w:rPr"))
    if rpr is None:
        return
    tag = rpr.find(qn("w:lang"))
    if tag is None:
        tag = OxmlElement("w:lang")
        rpr.append(tag)
    tag.set(qn("w:val"), "vi-VN" if lang == "vi" else "en-GB")


# Each style's id, as python-docx makes it from the name (the same in every document).
_STYLE_IDS: dict[str, str] = {}


@dataclass(frozen=True)
class _Look:
    size: int
    align: WD_ALIGN_PARAGRAPH
    indent: Length | None
    after: int
    line: float
    bold: bool = False


_LOOKS = {BODY: _Look(BODY_PT, JUSTIFY, Mm(10), 6, 1.15),
          HEADING: _Look(BODY_PT, LEFT, None, 6, 1.15, bold=True),
          CELL: _Look(CELL_PT, LEFT, None, 2, 1.0),
          NOTE: _Look(NOTE_PT, JUSTIFY, None, 3, 1.0),
          BLOCK: _Look(13, CENTER, None, 0, 1.0)}


def setup(document: DocumentObject, lang: str) -> None:
    """The page (A4 portrait, the decree's margins, the page number from page 2) and the
    styles (Times New Roman everywhere; body 14 pt justified, 1 cm first-line indent)."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    section.header_distance = section.footer_distance = Mm(10)
    section.different_first_page_header_footer = True  # no number on page 1
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None:
            _fonts(rpr_default)
            _lang(rpr_default, lang)
    for fonts in styles.element.iter(qn("w:rFonts")):  # the template's own styles (headings…)
        _fonts(fonts.getparent().getparent())
    for name, look in _LOOKS.items():
        style = styles[name] if name == BODY else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        assert isinstance(style, ParagraphStyle)
        _STYLE_IDS[name] = style.style_id
        if name != BODY:
            style.base_style = styles[BODY]
            style.quick_style = True
        style.font.name, style.font.size, style.font.bold = FONT, Pt(look.size), look.bold
        _fonts(style.element)
        form = style.paragraph_format
        form.alignment, form.first_line_indent = look.align, look.indent or Mm(0)
        form.space_before, form.space_after = Pt(0), Pt(look.after)
        form.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
        form.line_spacing = look.line
        form.widow_control = True
        if name == HEADING:
            form.keep_with_next = True
    for name in ("Header", "Footer"):
        style = styles[name]
        style.font.name, style.font.size = FONT, Pt(BODY_PT)
        _fonts(style.element)
    _page_number(document)
    _drop_template_parts(document)


def _page_number(document: DocumentObject) -> None:
    """A PAGE field centred in the header of every page but the first."""
    paragraph = document.sections[0].header.paragraphs[0]
    paragraph.alignment = CENTER
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"),
                       ("end", None)):
        run = paragraph.add_run()  # Times New Roman 14 pt: the Header style's
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text or ""


_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def _drop_template_parts(document: DocumentObject) -> None:
    """Leave out what the template carries of its own: a thumbnail picturing another document,
    and Word 2010's copy of the styles with their theme fonts (ours are the only styles)."""
    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            del package.rels[rid]
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype == _STYLES_WITH_EFFECTS:
            document.part.drop_rel(rid)


def text(paragraph: Paragraph, words: str, *, bold: bool | None = None,
         italic: bool | None = None, size: float | None = None) -> Paragraph:
    """Add a run of `words` (cleaned) to `paragraph`, with its own bold, italic and size."""
    run = paragraph.add_run(clean(words))
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic
    if size is not None:
        run.font.size = Pt(size)
    return paragraph


def para(container: DocumentObject | _Cell, words: str = "", style: str = BODY, *,
         align: WD_ALIGN_PARAGRAPH | None = None, bold: bool | None = None,
         italic: bool | None = None, size: float | None = None,
         after: float | None = None, before: float | None = None,
         page_break: bool = False) -> Paragraph:
    """A paragraph of `style` in a document or a cell (a new cell's empty first paragraph is
    used first), with one run of `words`."""
    fresh = container.paragraphs if isinstance(container, _Cell) else []
    if len(fresh) == 1 and fresh[0]._p.pPr is None and not fresh[0]._p.r_lst:
        paragraph: Paragraph = fresh[0]  # a new cell's own (a styled paragraph has a pPr)
    else:
        paragraph = container.add_paragraph()
    if style != BODY:  # by its id: python-docx finds a style by name slowly (every style read)
        paragraph._p.style = _STYLE_IDS[style]
    if align is not None:
        paragraph.alignment = align
    if after is not None:
        paragraph.paragraph_format.space_after = Pt(after)
    if before is not None:
        paragraph.paragraph_format.space_before = Pt(before)
    if page_break:
        paragraph.paragraph_format.page_break_before = True
    if words:
        text(paragraph, words, bold=bold, italic=italic, size=size)
    return paragraph


def rule(cell: _Cell, length: Length) -> None:
    """A thin horizontal line of `length`, centred under the cell's last paragraph (the rule
    under the issuing body and under the Tiêu ngữ)."""
    paragraph = cell.add_paragraph(style=BLOCK)
    side = max((cell.width or TEXT_WIDTH) - length, 0) // 2
    form = paragraph.paragraph_format
    form.left_indent = form.right_indent = Length(side)
    form.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    form.line_spacing = Pt(2)
    form.space_before, form.space_after = Pt(2), Pt(6)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"),
                       ("w:color", "000000")):
        top.set(qn(key), value)
    borders.append(top)
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_PBDR)


def text_width(words: str, size: float, bold: bool = False) -> Length:
    """About how wide `words` print in Times New Roman (for the length of a rule)."""
    em = 0.55 if words.isupper() else 0.47
    return Length(int(len(words) * size * (em + (0.04 if bold else 0)) * 12700))


def table(document: DocumentObject, rows: int, widths: Sequence[Length], *,
          borders: bool = True) -> Table:
    """A table of fixed column widths (as Word and LibreOffice both read them: the grid and
    every cell), centred, with single black borders or none (the header's)."""
    grid: Table = document.add_table(rows=rows, cols=len(widths))
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False  # w:tblLayout fixed
    props = grid._tbl.tblPr
    edges = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single" if borders else "nil")
        if borders:
            for key, value in (("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
                line.set(qn(key), value)
        edges.append(line)
    props.insert_element_before(edges, *_AFTER_TBLBORDERS)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):  # 1,2 mm instead of Word's 1,9: room for the text
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(Mm(1.2) // 635))  # twentieths of a point
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    props.insert_element_before(margins, *_AFTER_TBLBORDERS[3:])
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    for row in grid.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    return grid


def header_row(grid: Table) -> None:
    """The table's first row repeats on every page it runs over, and is never split."""
    props = grid.rows[0]._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):  # in the schema's order
        props.append(OxmlElement(tag))


def middle(cell: _Cell) -> None:
    """Centre a cell's content vertically."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def add_row(grid: Table, widths: Sequence[Length]) -> list[_Cell]:
    """A new row of the table, each cell its column's width; a row is never split across
    pages."""
    row = grid.add_row()
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    cells = row.cells
    for cell, width in zip(cells, widths, strict=True):
        cell.width = width
    return list(cells)


def save(document: DocumentObject, when: dt.datetime) -> bytes:
    """The document's bytes, the same for the same document: python-docx stamps each zip
    entry with the time it is written, so every entry is stamped `when` instead."""
    raw = io.BytesIO()
    document.save(raw)
    out = io.BytesIO()
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(item.filename))
    return out.getvalue()
