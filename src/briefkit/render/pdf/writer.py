"""Document + Style → PDF bytes, with reportlab platypus.

Page furniture (handling banners, footer, "Page X of Y", DRAFT watermark) is drawn by a canvas
that holds every page until the document is complete, so the page count is known without a
second layout pass. Output is reproducible: no wall-clock time, invariant PDF ids.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, Literal, assert_never

from reportlab import rl_config
from reportlab.lib import colors as rl_colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle as RLParagraphStyle
from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase.pdfdoc import PDFInfo, PDFName, PDFString
from reportlab.pdfbase.pdfdoc import format as pdf_format
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import FrameBreak, NullActionFlowable
from reportlab.platypus.flowables import HRFlowable

from briefkit.layout import document as d
from briefkit.render.common import watermark
from briefkit.render.common.colours import chip_colours, tlp_colour
from briefkit.render.common.kept import Recent
from briefkit.render.common.measure import (
    BANNER_EXTRA_HEIGHT,
    BANNER_PADDING,
    CALLOUT_BAR,
    CALLOUT_PADDING,
    CELL_PADDING,
    GAP_AFTER_CALLOUT,
    GAP_AFTER_TABLE,
    KEEP_TOGETHER,
    NUMBER_WIDTH,
    ROW_SPLIT,
    TITLE_FIELDS_PER_ROW,
    cell_shade,
    column_widths,
    text_area,
)
from briefkit.render.common.scripts import Scripts
from briefkit.render.common.stamp import moment
from briefkit.render.pdf import reportlab_fixes
from briefkit.render.pdf.archive import finish_pdf
from briefkit.render.pdf.fonts import FontSet, Marked, register_fonts
from briefkit.render.pdf.paragraph import BidiParagraph, Paragraph
from briefkit.render.pdf.tags import (
    PAGINATION,
    Element,
    Tags,
    artifact,
    language_of,
    with_artifacts,
)
from briefkit.style.sheet import Align, FontRole, ParagraphStyle, Style

_LINES_AFTER_HEADING = 60.0  # points of content that must fit below a heading
_LINES_KEPT = 3  # lines of a group's text that start on the page of its heading
_ALIGN = {
    Align.LEFT: TA_LEFT,
    Align.CENTER: TA_CENTER,
    Align.RIGHT: TA_RIGHT,
    Align.JUSTIFY: TA_JUSTIFY,
}


def render_pdf(document: d.Document, style: Style, *, epoch: int | None = None) -> bytes:
    """The PDF of *document* in *style*; *epoch* (seconds, UTC) stamps the file's dates."""
    reportlab_fixes.apply()
    with reportlab_fixes.document():
        return _render_pdf(document, style, epoch)


def _render_pdf(document: d.Document, style: Style, epoch: int | None) -> bytes:
    fonts = register_fonts(style, [span.text for span in document.spans()])
    # The canvas sets this font before any page is drawn; left as Helvetica, an unembedded
    # font would appear in every PDF.
    rl_config.canvas_basefontname = fonts.face(FontRole.BODY)
    writer = _Writer(document, style, fonts)
    meta = document.metadata
    source = None
    if style.pdf.embed_source and meta.source is not None and meta.source_path is not None:
        source = (meta.source_path.rsplit("/", 1)[-1], meta.source.encode("utf-8"))
    return finish_pdf(writer.build(epoch), language=meta.language, source=source, tags=writer.tags)


# Markup by spans, paragraph font and direction, and the faces it names: kept for the process,
# so that labels, chips and unchanged paragraphs are marked up once (faces that markup
# registers for an embedding level stay registered with reportlab for the process).
_MARKED: Recent[tuple[Any, ...], Marked] = Recent(2_000)


def hyphenation_language(language: str | None) -> str:
    """pyphen's dictionary for BCP 47 *language* ("en-GB" → "en_GB"), or "" (none: no
    hyphenation) for a language pyphen has no patterns for (Arabic, Chinese, Thai…)."""
    import pyphen

    return str(pyphen.language_fallback((language or "en").replace("-", "_")) or "")


def _hex(value: str) -> rl_colors.Color:
    return rl_colors.HexColor(value)


class _Writer:
    def __init__(self, document: d.Document, style: Style, fonts: FontSet) -> None:
        self.document = document
        self.style = style
        self.fonts = fonts
        self.width, self.height = style.page.width_height
        self.frame_width, self.frame_height = text_area(style)
        self._indent = 0.0  # start-side indent of list item content being rendered
        self.rtl = document.metadata.rtl  # the whole page mirrored: start is the right side
        self.start, self.end = ("RIGHT", "LEFT") if self.rtl else ("LEFT", "RIGHT")
        self._nested = 0  # depth of tables (boxes, cells) being filled
        self._level = 0  # the level of the last heading made (H1 the title): see _paragraph
        self._styles: dict[str, RLParagraphStyle] = {}
        # the faces markup names: the style's font chains and the names registered for them
        self._fonts_key = repr((sorted(fonts.families.items()), style.fonts.model_dump_json()))
        self._widths: dict[tuple[str, str], float] = {}  # see natural_width
        self._markers: dict[tuple[str, bool, float, float], Paragraph] = {}  # see mark_start
        self.tags = Tags(document.metadata.language)
        self.scripts = Scripts(style)  # the language of a paragraph in another script
        self._parent: Element = self.tags.root  # where the blocks being made belong

    @contextmanager
    def under(self, element: Element) -> Iterator[Element]:
        """Make the elements of the blocks made meanwhile kids of *element*."""
        outer, self._parent = self._parent, element
        try:
            yield element
        finally:
            self._parent = outer

    def tagged(
        self, flowable: Paragraph, type_: str, spans: d.Inline = (), **kwargs: Any
    ) -> Paragraph:
        """*flowable*, painting the content of a new element of *type_* in the current one;
        *spans* are its text, whose links' texts describe its link annotations."""
        text = d.inline_text(spans)
        lang = (
            None
            if text.isascii()  # Latin text says nothing of its language
            else language_of(self.scripts.pieces(text), self.document.metadata.language)
        )
        flowable.tag = self._parent.add(type_, links=_link_texts(spans), lang=lang, **kwargs)
        return flowable

    # --- paragraph styles -----------------------------------------------------------------

    def pstyle(self, role: str, **overrides: Any) -> RLParagraphStyle:
        key = role + repr(self._indent) + repr(sorted(overrides.items()))
        if key not in self._styles:
            spec: ParagraphStyle = self.style.paragraph(role)
            values: dict[str, Any] = {
                "fontName": self.fonts.face(spec.font, bold=spec.bold, italic=spec.italic),
                "fontSize": spec.size,
                "leading": spec.leading,
                "spaceBefore": spec.space_before,
                "spaceAfter": spec.space_after,
                self.indent_key: spec.indent + self._indent,
                "textColor": _hex(self.style.color(spec.color)),
                "alignment": _ALIGN[self.aligned(spec.align)],
                # Page breaks around headings and groups are decided with CondPageBreak.
                "keepWithNext": 0,
                "textTransform": "uppercase" if spec.caps else None,
                "splitLongWords": 1,
                "allowWidows": 0,
                "allowOrphans": 0,
                "bulletFontName": self.fonts.face(FontRole.BODY),
            }
            if spec.background:
                values["backColor"] = _hex(self.style.color(spec.background))
            if spec.align is Align.JUSTIFY:  # justified text hyphenates, or it gapes
                values["hyphenationLang"] = hyphenation_language(self.document.metadata.language)
            values.update(overrides)
            self._styles[key] = RLParagraphStyle(f"bk-{role}-{len(self._styles)}", **values)
        return self._styles[key]

    @property
    def indent_key(self) -> str:
        """The indent on the side lines start from."""
        return "rightIndent" if self.rtl else "leftIndent"

    def indent(self, value: float) -> dict[str, Any]:
        """The paragraph style override that indents lines by *value* on their starting side."""
        return {self.indent_key: value}

    def aligned(self, align: Align) -> Align:
        """*align* on a mirrored page: what starts at the left starts at the right."""
        if self.rtl and align is Align.LEFT:
            return Align.RIGHT
        return align

    def markup(self, spans: d.Inline, role: str = "body", *, rtl: bool | None = None) -> Marked:
        """Markup for *spans* in paragraph style *role*, whose font and weight it matches.
        On a right-to-left page every paragraph runs right to left, whatever it starts with."""
        spec = self.style.paragraph(role)
        if rtl is None and self.rtl and role != "quote":  # a quote keeps its own direction
            rtl = True
        accent = self.style.color("accent")
        key = (spans, spec.font, spec.bold, spec.italic, rtl, accent, self._fonts_key)
        marked = _MARKED.get(key)
        if marked is None:
            marked = _MARKED.put(
                key,
                self.fonts.markup(
                    spans, accent, role=spec.font, bold=spec.bold, italic=spec.italic, rtl=rtl
                ),
            )
        return marked

    def paragraph(
        self,
        marked: Marked,
        role: str = "body",
        *,
        kind: type[Paragraph] = Paragraph,
        bullet: str | None = None,
        **overrides: Any,
    ) -> Paragraph:
        """A paragraph of *marked* text: shaped when its scripts need it, right-aligned when it
        starts in a right-to-left script, its lines put in visual order when it has any."""
        if marked.shaping:
            overrides["shaping"] = 1
        starts_left = self.style.paragraph(role).align in (Align.LEFT, Align.JUSTIFY)
        if marked.rtl and starts_left and "alignment" not in overrides:
            overrides["alignment"] = TA_RIGHT
        if self.rtl and not marked.rtl:  # left to right on a mirrored page: a quote
            spec = self.style.paragraph(role)
            overrides.setdefault("alignment", _ALIGN[spec.align])
            overrides.setdefault("leftIndent", spec.indent + self._indent)
            overrides.setdefault("rightIndent", 0)
        if marked.bidi and not issubclass(kind, BidiParagraph):
            kind = BidiParagraph
        return kind(marked.text, self.pstyle(role, **overrides), bulletText=bullet)

    def natural_width(self, marked: Marked, role: str) -> float:
        """The width of *marked* set on one line in paragraph style *role*, measured once a
        document: chips (a likelihood, a confidence) and banners recur."""
        key = (marked.text, role)
        if key not in self._widths:
            self._widths[key] = _natural_width(self, marked, role)
        return self._widths[key]

    def table_style(self, commands: list[tuple[Any, ...]]) -> TableStyle:
        # Tables draw their (empty) string cells in Helvetica unless told otherwise.
        return TableStyle(
            [("FONTNAME", (0, 0), (-1, -1), self.fonts.face(FontRole.BODY)), *commands]
        )

    def para(self, spans: d.Inline, role: str = "body", **overrides: Any) -> Paragraph:
        return self.paragraph(self.markup(spans, role), role, **overrides)

    # --- blocks ---------------------------------------------------------------------------

    def flowables(self, blocks: tuple[d.Block, ...], width: float) -> list[Flowable]:
        out: list[Flowable] = []
        # a heading's [CondPageBreak, Paragraph, and a key (caption) under it], until placed
        heading: list[Flowable] = []
        previous: list[Flowable] = []  # the last block's flowables
        boxed = False  # whether the last block was a box or a table
        for block in blocks:
            produced = self.block(block, width)
            caption = isinstance(block, d.Paragraph) and block.role == "caption"
            if heading and not self._nested and not caption:
                produced = self._keep_heading_with(heading, produced, width)
            elif caption and previous and not heading and not self._nested:
                produced = self._keep_with_previous(out, previous, produced, width, boxed)
            out.extend(produced)
            previous, boxed = produced, isinstance(block, d.Callout | d.Table)
            if isinstance(block, d.Heading):  # kept with what follows: behind its guard
                heading = produced if isinstance(produced[0], CondPageBreak) else []
            elif not (heading and caption):
                heading = []
            else:
                heading = [*heading, *produced]  # the key goes with its heading and beyond
        return out

    def _keep_with_previous(
        self,
        out: list[Flowable],
        previous: list[Flowable],
        caption: list[Flowable],
        width: float,
        boxed: bool,
    ) -> list[Flowable]:
        """Keep a caption (a legend, the colophon) on the page of the end of what it follows:
        a box's or a table's last part goes on with it, a list item's guard covers it too."""
        if out and isinstance(out[-1], _KeepTail):  # a caption under a caption: both kept
            out[-1].tail += caption
            return []
        if boxed and out[-len(previous) :] == previous:
            del out[-len(previous) :]
            return [_KeepTail(previous, caption)]
        guards = [f for f in previous if isinstance(f, CondPageBreak)]
        if guards:
            guards[-1].height += _KeepTail._height(caption, width, self.height)
        return caption

    def _keep_heading_with(
        self, heading: list[Flowable], following: list[Flowable], width: float
    ) -> list[Flowable]:
        """Raise the heading's CondPageBreak to cover what must follow it on the same page.

        That is the opening of a group, or the first rows of a table; a heading left alone
        at the foot of a page is the commonest sign of an amateur layout.
        """
        guard, *titles = heading
        if not following:
            return following
        first = following[0]
        title_height = sum(
            title.wrap(width, self.height)[1] + title.getSpaceBefore() + title.getSpaceAfter()
            for title in titles
        )
        if isinstance(first, CondPageBreak):
            guard.height = max(guard.height, title_height + first.height)
            return following[1:]
        if isinstance(first, Table):
            first.wrap(width, self.height)
            rows = sum(first._rowHeights[:3])  # the header and two rows (see _Rows)
            guard.height = max(guard.height, title_height + rows)
        return following

    def nested_flowables(self, blocks: tuple[d.Block, ...], width: float) -> list[Flowable]:
        self._nested += 1
        try:
            return self.flowables(blocks, width)
        finally:
            self._nested -= 1

    def block(self, block: d.Block, width: float) -> list[Flowable]:
        match block:
            case d.Heading():
                return self._heading(block, width)
            case d.Paragraph():
                return self._paragraph(block, width)
            case d.TagLine():
                return self._tagline(block, width)
            case d.BulletList():
                return self._bulletlist(block, width)
            case d.NumberedList():
                return self._numberedlist(block, width)
            case d.Table():
                return self._table(block, width)
            case d.Callout():
                return self._callout(block, width)
            case d.TitleBlock():
                return self._titleblock(block, width)
            case d.Group():
                return self._group(block, width)
            case _:
                assert_never(block)

    def _heading(self, block: d.Heading, width: float) -> list[Flowable]:
        role = f"heading{block.level}"
        style = self.pstyle(role)
        marked = Marked(f'<a name="{block.anchor}"/>') + self.markup(block.numbered_text, role)
        flowable = self.paragraph(
            marked, role, kind=_RuledParagraph if block.level == 1 else Paragraph
        )
        if isinstance(flowable, _RuledParagraph):
            flowable.rule = _hex(self.style.color("rule"))
        flowable._briefkit_outline = (
            block.level - 1,
            d.inline_text(block.numbered_text),
            block.anchor,
        )
        self.tagged(flowable, f"H{block.level + 1}", block.numbered_text)
        self._level = block.level + 1
        if not self.style.paragraph(role).keep_with_next:
            return [flowable]
        # Never strand a heading at the foot of a page: it needs a few lines after it.
        return [CondPageBreak(style.leading + style.spaceBefore + _LINES_AFTER_HEADING), flowable]

    def _paragraph(self, block: d.Paragraph, width: float) -> list[Flowable]:
        marked = self.markup(block.text, block.role)
        if block.label:
            spec = self.style.paragraph("label")
            text = d.plain(block.label.upper() if spec.caps else block.label)
            label = self.markup(text, "label", rtl=marked.rtl)
            color = self.style.color(spec.color)
            # in a right-to-left paragraph the gap carries the paragraph's level too
            gap = self.markup(d.plain("\xa0\xa0"), block.role, rtl=True) if marked.rtl else None
            marked = (
                Marked(f'<font size="{spec.size}" color="{color}">')
                + label
                + Marked("</font>")
                + (gap or Marked("&nbsp;&nbsp;"))
                + marked
            )
        if block.anchor:
            marked = Marked(f'<a name="{block.anchor}"/>') + marked
        # a label ("Key judgments", "Indicators to watch") titles what follows it: a heading
        # one level below the heading it comes under, so that no level is skipped
        kind = f"H{min(self._level + 1, 6)}" if block.role == "label" else "P"
        flowable = self.tagged(self.paragraph(marked, block.role), kind, block.text)
        if self.style.paragraph(block.role).keep_with_next:  # a label, never alone at a foot
            flowable.keepWithNext = 1
        return [flowable]

    def _tagline(self, block: d.TagLine, width: float) -> list[Flowable]:
        """Tags as chips: one-row table, a coloured cell per tag, gaps between them."""
        spec = self.style.paragraph("tag")
        face = self.fonts.face(spec.font, bold=spec.bold)
        cells: list[Any] = [""] if self._indent else []
        widths: list[float] = [self._indent] if self._indent else []
        columns: list[int] = []  # the chips' cells
        commands: list[tuple[Any, ...]] = []
        colours: list[tuple[str, str | None]] = []
        element = self._parent.add("P")
        for tag in block.tags:
            if len(cells) > int(bool(self._indent)):
                cells.append("")
                widths.append(4)
            background, foreground, border = chip_colours(self.style, tag)
            marked = self.markup(d.plain(tag.text), "tag")
            chip = self.paragraph(
                marked, "tag", textColor=_hex(foreground), alignment=TA_CENTER, **self.indent(0)
            )
            chip.tag = element
            cells.append(chip)
            simple = not marked.shaping and "<font" not in marked.text
            text_width = (
                stringWidth(tag.text, face, spec.size)
                if simple
                else self.natural_width(marked, "tag")
            )
            widths.append(text_width + 11)
            columns.append(len(cells) - 1)
            colours.append((background, border))
        if self.rtl:  # the first chip on the right
            cells, widths = cells[::-1], widths[::-1]
            columns = [len(cells) - 1 - c for c in columns]
        for column, (background, border) in zip(columns, colours, strict=True):
            commands.append(("BACKGROUND", (column, 0), (column, 0), _hex(background)))
            if border:
                commands.append(("BOX", (column, 0), (column, 0), 0.5, _hex(border)))
        table = Table([cells], colWidths=widths, hAlign=self.start)
        table.setStyle(
            self.table_style(
                [
                    *commands,
                    ("LEFTPADDING", (0, 0), (-1, -1), 5),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 5),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        return [table, Spacer(1, 4)]

    def _bulletlist(self, block: d.BulletList, width: float) -> list[Flowable]:
        spec = self.style.paragraph(block.role)
        out = []
        items = self._parent.add("L")
        for item in block.items:
            paragraph = self.paragraph(
                self.markup(item, block.role),
                block.role,
                bullet=None if self.rtl else "•",
                bulletIndent=self._indent + 2,
                bulletColor=_hex(self.style.color("accent")),
                bulletFontSize=spec.size,
                **self.indent(self._indent + spec.indent),
            )
            if self.rtl:
                self.mark_start(paragraph, "•", self._indent + 2, bold=False)
            entry = items.add("LI")
            label = entry.add("Lbl")
            paragraph.tag = entry.add("LBody", links=_link_texts(item), label=label)
            out.append(paragraph)
        return out

    def mark_start(self, paragraph: Paragraph, text: str, offset: float, *, bold: bool) -> None:
        """Give a paragraph of a mirrored page its list number or bullet, on the right,
        *offset* in from the right edge (reportlab draws bullets on the left only). Items
        with the same marker in the same size share it, as the parts of a split item do."""
        key = (text, bold, paragraph.style.fontSize, paragraph.style.leading)
        if key not in self._markers:
            self._markers[key] = self._marker(text, paragraph.style, bold=bold)
        paragraph.marker = (self._markers[key], offset)

    def _marker(self, text: str, host: RLParagraphStyle, *, bold: bool) -> Paragraph:
        role = "body"
        spec = self.style.paragraph(role)
        marked = self.fonts.markup(
            d.plain(text), self.style.color("accent"), role=spec.font, bold=bold, rtl=True
        )
        overrides: dict[str, Any] = {
            "alignment": TA_RIGHT,
            "spaceBefore": 0,
            "spaceAfter": 0,
            "textColor": _hex(self.style.color("accent")),
            "fontSize": host.fontSize,
            "leading": host.leading,
            self.indent_key: 0,
        }
        marker = self.paragraph(marked, role, **overrides)
        marker.label_end = True
        return marker

    def _numberedlist(self, block: d.NumberedList, width: float) -> list[Flowable]:
        out: list[Flowable] = []
        for content in self._numbered_items(block, width):
            out.extend(self._keep_together(content, width))
        return out

    def _numbered_items(self, block: d.NumberedList, width: float) -> list[list[Flowable]]:
        """Each item's flowables, its number on the first."""
        out: list[list[Flowable]] = []
        items = self._parent.add("L")
        for number, item in enumerate(block.items, 1):
            blocks = item.blocks
            if item.anchor and blocks and isinstance(blocks[0], d.Paragraph):
                blocks = (replace(blocks[0], anchor=item.anchor), *blocks[1:])
            self._indent += NUMBER_WIDTH
            entry = items.add("LI")
            try:
                with self.under(entry.add("LBody")):
                    content = self.flowables(blocks, width - NUMBER_WIDTH)
            finally:
                self._indent -= NUMBER_WIDTH
            if content and isinstance(content[0], Paragraph):
                first = content[0]
                label = f"{block.prefix}{self.document.metadata.number(number)}{block.suffix}"
                if first.tag is not None:  # the number is the item's Lbl, before its LBody
                    first.tag.label = Element("Lbl")
                    entry.kids.insert(0, first.tag.label)
                if self.rtl:
                    self.mark_start(first, label, self._indent, bold=True)
                else:
                    bullet_style = self.pstyle(
                        "body",
                        bulletFontName=self.fonts.face(FontRole.BODY, bold=True),
                        bulletColor=_hex(self.style.color("accent")),
                    )
                    first.bulletText = label
                    first.style = _with_bullet(first.style, bullet_style, self._indent)
            out.append(content)
        return out

    def _keep_together(self, flowables: list[Flowable], width: float) -> list[Flowable]:
        """Start a new page first unless the flowables fit in what is left of this one."""
        if self._nested:
            return flowables  # inside a box or a cell, page breaks are the container's affair
        height = 0.0
        for flowable in flowables:
            height += flowable.wrap(width, self.height)[1]
            height += flowable.getSpaceBefore() + flowable.getSpaceAfter()
        if height > self.frame_height * KEEP_TOGETHER:
            return flowables
        return [CondPageBreak(height), *flowables]

    def _table(self, block: d.Table, width: float) -> list[Flowable]:
        element = self._parent.add("Table")
        head = element.add("THead").add("TR")
        header = [self.para(d.plain(column.header), "table_header") for column in block.columns]
        for heading in header:
            heading.tag = head.add("TH", attributes={"Scope": "Column"}, once=True)
        body = element.add("TBody")
        rows: list[list[Any]] = [header]
        commands: list[tuple[Any, ...]] = [
            ("BACKGROUND", (0, 0), (-1, 0), _hex(self.style.color("table_header"))),
            (
                "ROWBACKGROUNDS",
                (0, 1),
                (-1, -1),
                [rl_colors.white, _hex(self.style.color("table_stripe"))],
            ),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, _hex(self.style.color("rule"))),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING / 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING / 2),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ]
        widths = self._column_widths(block, width)
        for row_index, row in enumerate(block.rows, 1):
            cells = []
            line = body.add("TR")
            for column_index, cell in enumerate(row):
                inner = widths[column_index] - CELL_PADDING
                with self.under(line.add("TD")):
                    cells.append(self.nested_flowables(cell.blocks, inner))
                if shade := cell_shade(self.style, cell):
                    shown = len(row) - 1 - column_index if self.rtl else column_index
                    place = (shown, row_index)
                    commands.append(("BACKGROUND", place, place, _hex(shade)))
            rows.append(cells)
        if self.rtl:  # the first column on the right
            rows, widths = [row[::-1] for row in rows], widths[::-1]
        table = _Rows(rows, colWidths=widths, repeatRows=1, hAlign=self.start)
        table.setStyle(self.table_style(commands))
        # Rows split across pages only when one is taller than a page: a short row that
        # happens to reach the foot of a page moves whole to the next.
        table.wrap(width, self.frame_height)
        table.splitInRow = int(max(table._rowHeights) > self.frame_height * ROW_SPLIT)
        return [table, Spacer(1, GAP_AFTER_TABLE)]

    def _group(self, block: d.Group, width: float) -> list[Flowable]:
        """A group's opening (its heading and chips) starts a page with the first lines of
        its text, or not at all; the rest flows (a group need not fit whole on a page)."""
        flowables = self.flowables(block.blocks, width)
        if self._nested:
            return flowables
        while flowables and isinstance(flowables[0], CondPageBreak):
            flowables = flowables[1:]  # the heading's own guard: the group's covers it
        if len(flowables) > 2 and all(self._short(f, width) for f in flowables[-2:]):
            flowables[-2].keepWithNext = 1  # its last line (say, the evidence) never alone
        height = 0.0
        for flowable in flowables:
            flowable_height = flowable.wrap(width, self.height)[1]
            heading = hasattr(flowable, "_briefkit_outline")
            if isinstance(flowable, Paragraph) and not heading:
                lines = _LINES_KEPT * flowable.style.leading
                height += flowable.getSpaceBefore() + min(flowable_height, lines)
                break
            height += flowable_height + flowable.getSpaceBefore() + flowable.getSpaceAfter()
        return [CondPageBreak(height), *flowables]

    def _short(self, flowable: Flowable, width: float) -> bool:
        """Whether *flowable* is a paragraph of a few lines (see _LINES_KEPT)."""
        if not isinstance(flowable, Paragraph):
            return False
        return flowable.wrap(width, self.height)[1] <= _LINES_KEPT * flowable.style.leading

    def _column_widths(self, block: d.Table, width: float) -> list[float]:
        """The columns' shares of *width*, widened so that no word has to break."""
        header = self.style.paragraph("table_header")
        cell = self.style.paragraph("table_cell")
        fonts = self.fonts
        return column_widths(
            block,
            width,
            header_width=lambda word: fonts.width(word, header.font, header.size, bold=True),
            cell_width=lambda word: fonts.width(word, cell.font, cell.size, bold=cell.bold),
        )

    def _callout(self, block: d.Callout, width: float) -> list[Flowable]:
        """A shaded box, one table row per part (a paragraph, a list item with its chips).

        A box splits only between its parts, never inside one (a judgment stays with its
        chips), and its title is repeated at the top of the next page.
        """
        inner = width - CALLOUT_PADDING[1] - CALLOUT_PADDING[3]

        section = self._parent.add("Sect")
        heading = section.add("H2", once=True)  # its repeats on later pages are artifacts
        self._level = 2

        def title(anchor: bool) -> Paragraph:
            marked = self.markup(d.plain(block.title), "heading1")
            if anchor:
                marked = Marked(f'<a name="{block.anchor}"/>') + marked
            paragraph = self.paragraph(marked, "heading1", spaceBefore=0)
            paragraph.tag = heading
            return paragraph

        with self.under(section):
            first = title(anchor=True)
            parts = self._box_parts(block.blocks, inner)
        rows: list[list[Any]] = [[[first]], *([part] for part in parts)]
        box = _Box(rows, colWidths=[width], repeatRows=1, splitByRow=1)
        box.repeated_title = [title(anchor=False)]
        last = len(rows) - 1
        box.setStyle(
            self.table_style(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), _hex(self.style.color("shade"))),
                    (
                        "LINEAFTER" if self.rtl else "LINEBEFORE",
                        (0, 0),
                        (0, -1),
                        CALLOUT_BAR,
                        _hex(self.style.color("accent")),
                    ),
                    (f"{self.start}PADDING", (0, 0), (-1, -1), CALLOUT_PADDING[3]),
                    (f"{self.end}PADDING", (0, 0), (-1, -1), CALLOUT_PADDING[1]),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, 0), CALLOUT_PADDING[0]),
                    ("BOTTOMPADDING", (0, last), (-1, last), CALLOUT_PADDING[2]),
                ]
            )
        )
        box._briefkit_outline = (0, block.title, block.anchor)
        box.least = _LINES_KEPT * self.style.paragraph("body").leading
        box.wrap(width, self.frame_height)
        # a part taller than a page is the one thing that may split inside
        box.splitInRow = int(max(box._rowHeights) > self.frame_height * ROW_SPLIT)
        return [Spacer(1, 6), box, Spacer(1, GAP_AFTER_CALLOUT)]

    def _box_parts(self, blocks: tuple[d.Block, ...], width: float) -> list[list[Flowable]]:
        """The flowables of a box's blocks, cut where the box may break: between paragraphs
        and between list items; a label ("Key judgments") goes with what follows it."""
        parts: list[list[Flowable]] = []
        pending: list[Flowable] = []  # a label, waiting for the part it introduces
        self._nested += 1
        try:
            for block in blocks:
                if isinstance(block, d.NumberedList):
                    pieces = self._numbered_items(block, width)
                elif isinstance(block, d.BulletList):  # one list, cut between its items
                    pieces = [[item] for item in self._bulletlist(block, width)]
                else:
                    pieces = [self.block(block, width)]
                for piece in pieces:
                    if parts and not pending and piece:
                        # a cell drops its first flowable's space before: keep it
                        piece = [Spacer(1, piece[0].getSpaceBefore()), *piece]
                    if isinstance(block, d.Paragraph) and block.role == "label":
                        pending += piece
                        continue
                    parts.append([*pending, *piece])
                    pending = []
        finally:
            self._nested -= 1
        if pending:
            parts.append(pending)
        return parts or [[Spacer(1, 0)]]

    def _titleblock(self, block: d.TitleBlock, width: float) -> list[Flowable]:
        out: list[Flowable] = [self.tagged(self.para(d.plain(block.title), "title"), "H1")]
        self._level = 1
        if block.subtitle:
            out.append(self.tagged(self.para(d.plain(block.subtitle), "subtitle"), "P"))
        cells = [
            self.tagged(
                self.paragraph(
                    self.markup((d.Span(label, bold=True),), "meta")
                    + Marked("<br/>")
                    + self.markup(d.plain(value), "meta"),
                    "meta",
                ),
                "P",
            )
            for label, value in block.fields
        ]
        per_row = TITLE_FIELDS_PER_ROW
        rows: list[list[Paragraph | str]] = [
            list(cells[i : i + per_row]) for i in range(0, len(cells), per_row)
        ]
        if rows:
            rows[-1] += [""] * (per_row - len(rows[-1]))
            if self.rtl:  # the first field on the right
                rows = [row[::-1] for row in rows]
            grid = Table(
                rows, colWidths=[width / per_row] * per_row, hAlign=self.start, splitInRow=1
            )
            grid.setStyle(
                self.table_style(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        (f"{self.start}PADDING", (0, 0), (-1, -1), 0),
                        (f"{self.end}PADDING", (0, 0), (-1, -1), 8),
                        ("TOPPADDING", (0, 0), (-1, -1), 2),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                    ]
                )
            )
            out.append(grid)
        out.append(
            HRFlowable(
                width="100%",
                thickness=1.2,
                color=_hex(self.style.color("accent")),
                spaceBefore=4,
                spaceAfter=6,
            )
        )
        return out

    # --- the document ---------------------------------------------------------------------

    def build(self, epoch: int | None) -> bytes:
        buffer = io.BytesIO()
        margins = self.style.page.margins
        meta = self.document.metadata
        template = _DocTemplate(
            buffer,
            pagesize=(self.width, self.height),
            leftMargin=margins.left,
            rightMargin=margins.right,
            topMargin=margins.top,
            bottomMargin=margins.bottom,
            title=meta.title,
            author=", ".join(meta.authors),
            subject=meta.subject,
            keywords=list(meta.keywords),
            creator="briefkit",
            producer="briefkit",
            lang=meta.language,
            invariant=1,
            initialFontName=self.fonts.face(FontRole.BODY),
        )
        frame = Frame(
            margins.left,
            margins.bottom,
            self.frame_width,
            self.frame_height,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        furniture = _PageFurniture(self)
        template.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=furniture.under)])
        stamp = _timestamp(moment(meta.date, epoch))
        story = self.flowables(self.document.blocks, self.frame_width)
        template.build(story, canvasmaker=_numbered_canvas(furniture, stamp, self.tags))
        return buffer.getvalue()


def _link_texts(spans: d.Inline) -> dict[str, str]:
    """The text of each link in *spans*, by its target as reportlab names it (an anchor's
    name without its "#")."""
    texts: dict[str, str] = {}
    for span in spans:
        if span.href:
            target = span.href.removeprefix("#")
            texts[target] = texts.get(target, "") + span.text
    return texts


def _timestamp(when: dt.datetime) -> TimeStamp:
    stamp = TimeStamp(invariant=1)
    stamp.t = int(when.timestamp())
    stamp.lt = when.timetuple()
    stamp.YMDhms = tuple(stamp.lt)[:6]
    return stamp


def _with_bullet(
    style: RLParagraphStyle, bullet: RLParagraphStyle, indent: float
) -> RLParagraphStyle:
    """*style* with *bullet*'s bullet font, hanging the bullet *indent* left of the text."""
    out = RLParagraphStyle(style.name + "-numbered", parent=style)
    out.bulletFontName = bullet.bulletFontName
    out.bulletFontSize = style.fontSize
    out.bulletColor = bullet.bulletColor
    out.bulletIndent = indent
    return out


class _RuledParagraph(BidiParagraph):
    """A paragraph with a hairline under it (level-1 headings)."""

    rule: rl_colors.Color = rl_colors.black

    def draw(self) -> None:
        super().draw()
        with artifact(self.canv):
            self.canv.saveState()
            self.canv.setStrokeColor(self.rule)
            self.canv.setLineWidth(0.6)
            self.canv.line(0, -3, self.width, -3)
            self.canv.restoreState()


class _DocTemplate(BaseDocTemplate):
    def afterFlowable(self, flowable: Flowable) -> None:
        outline = getattr(flowable, "_briefkit_outline", None)
        if outline is not None:
            level, title, key = outline
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(title, key, level=level, closed=False)


class _Info(PDFInfo):
    """The document information dictionary, with briefkit's own keys added."""

    def __init__(self, standard: PDFInfo, extra: dict[str, str]) -> None:
        super().__init__()
        self.__dict__.update(standard.__dict__)
        self.extra = extra

    def format(self, document: Any) -> bytes:
        standard = super().format(document)
        if not self.extra:
            return standard
        entries = b"".join(
            pdf_format(PDFName(key), document)
            + b" "
            + pdf_format(PDFString(value), document)
            + b"\n"
            for key, value in sorted(self.extra.items())
        )
        # the standard dictionary ends with ">>": insert the extra entries before it
        end = standard.rstrip().rfind(b">>")
        return standard[:end] + entries + standard[end:]


class _PageFurniture:
    """Banners, footer and watermark: drawn over each page's content."""

    def __init__(self, writer: _Writer) -> None:
        self.writer = writer
        self.style = writer.style
        self.meta = writer.document.metadata
        # lines set as paragraphs (shaped, or in several fonts or directions), by what they
        # show: the footer and the banners recur on every page, and are set once
        self._lines: dict[tuple[Any, ...], tuple[Paragraph, float, float] | None] = {}

    def custom_metadata(self) -> dict[str, str]:
        extra = {"BriefId": self.meta.id, "BriefVersion": self.meta.version}
        if self.meta.revision:
            extra["BriefRevision"] = self.meta.revision
        return extra

    def under(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.showOutline()

    def watermark(self, canvas: Canvas) -> None:
        """DRAFT over the page's content, translucent (see briefkit.render.common.watermark)."""
        spec = self.style.paragraph("watermark")
        canvas.saveState()
        canvas.translate(self.writer.width / 2, self.writer.height / 2)
        canvas.rotate(watermark.ANGLE)
        baseline = -spec.size * watermark.CAP_HEIGHT / 2
        self.text(
            canvas,
            self.meta.draft_mark,
            (0, baseline),
            "watermark",
            "centre",
            bold=True,
            opacity=watermark.OPACITY,
        )
        canvas.restoreState()

    def over(self, canvas: Canvas, page: int, total: int) -> None:
        if self.meta.draft:
            self.watermark(canvas)
        margins = self.style.page.margins
        width, height = self.writer.width, self.writer.height
        if self.meta.handling:
            self._banner(canvas, height - margins.top / 2)
            self._banner(canvas, margins.bottom / 2 + 7)
        footer = self.style.paragraph("footer")
        canvas.saveState()
        y = margins.bottom / 2 - 9
        start, end = (width - margins.right, margins.left)
        anchors: tuple[Anchor, Anchor] = ("right", "left")
        if not self.meta.rtl:
            start, end, anchors = end, start, ("left", "right")
        self.text(canvas, self.meta.footer, (start, y), "footer", anchors[0])
        self.text(canvas, self.meta.page_text(page, total), (end, y), "footer", anchors[1])
        canvas.setStrokeColor(_hex(self.style.color("rule")))
        canvas.setLineWidth(0.4)
        canvas.line(margins.left, y + footer.size + 2, width - margins.right, y + footer.size + 2)
        canvas.restoreState()

    def text(
        self,
        canvas: Canvas,
        text: str,
        at: tuple[float, float],
        role: str,
        anchor: Anchor,
        *,
        bold: bool | None = None,
        colour: str | None = None,
        opacity: float = 1.0,
    ) -> float:
        """Draw one line of *text* in paragraph style *role* with its baseline at *at*,
        starting, ending or centred there; return its width. Text in another script or
        direction is shaped and ordered like body text."""
        spec = self.style.paragraph(role)
        bold = spec.bold if bold is None else bold
        colour = colour or self.style.color(spec.color)
        face = self.writer.fonts.face(spec.font, bold=bold)
        x, y = at
        base = _hex(colour)
        fill = rl_colors.Color(base.red, base.green, base.blue, alpha=opacity)  # sets the alpha
        key = (text, role, bold, colour, opacity)
        if key not in self._lines:
            self._lines[key] = self._paragraph_line(text, role, bold=bold, fill=fill)
        line = self._lines[key]
        canvas.saveState()
        canvas.setFillColor(fill)
        if line is None:
            canvas.setFont(face, spec.size)
            width = stringWidth(text, face, spec.size)
            canvas.drawString(x - _ANCHOR_SHARE[anchor] * width, y, text)
        else:
            para, width, height = line
            para.drawOn(canvas, x - _ANCHOR_SHARE[anchor] * width, y - height + spec.size)
        canvas.restoreState()
        return width

    def _paragraph_line(
        self, text: str, role: str, *, bold: bool, fill: rl_colors.Color
    ) -> tuple[Paragraph, float, float] | None:
        """*text* as a one-line paragraph, its width and height; None when it is plain text in
        the role's own font, which is drawn as a string."""
        spec = self.style.paragraph(role)
        marked = self.writer.markup(d.plain(text), role)
        if not marked.shaping and "<font" not in marked.text:
            return None
        if bold and not spec.bold:
            marked = Marked("<b>") + marked + Marked("</b>")
        width = self.writer.natural_width(marked, role)
        para = self.writer.paragraph(marked, role, alignment=TA_LEFT, textColor=fill, spaceBefore=0)
        _, height = para.wrap(width + 1, spec.leading * 4)
        return para, width, height

    def _banner(self, canvas: Canvas, y: float) -> None:
        spec = self.style.paragraph("banner")
        text = self.meta.handling or ""
        text = text.upper() if spec.caps else text
        centre = self.writer.width / 2
        colour = self.style.color(spec.color)
        if self.meta.tlp:
            colour = tlp_colour(self.style, self.meta.tlp)
            marked = self.writer.markup(d.plain(text), "banner")
            width = self.writer.natural_width(marked, "banner")
            canvas.saveState()
            canvas.setFillColor(rl_colors.black)
            canvas.rect(
                centre - width / 2 - BANNER_PADDING,
                y - 3,
                width + 2 * BANNER_PADDING,
                spec.size + BANNER_EXTRA_HEIGHT,
                stroke=0,
                fill=1,
            )
            canvas.restoreState()
        self.text(canvas, text, (centre, y), "banner", "centre", colour=colour)


Anchor = Literal["left", "right", "centre"]
_ANCHOR_SHARE: dict[str, float] = {"left": 0.0, "centre": 0.5, "right": 1.0}


class _Rows(Table):
    """A table with a header row that never leaves one row alone under it on a page: a split
    that would starts a page with its last row moves the row before it along."""

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = super().split(availWidth, availHeight)
        if len(parts) != 2 or self.splitInRow:
            return parts
        head = len(parts[0]._cellvalues)  # the rows kept here, the header among them
        if len(self._cellvalues) - head == 1:
            if head <= 2:
                return []  # header and a row here and one row there: move the table whole
            return super().split(availWidth, availHeight - self._rowHeights[head - 1])
        if head <= 2:
            return []  # the header and a single row at the foot of a page
        return parts


class _Box(Table):
    """A shaded box that splits between its parts only where each side keeps *least* points
    of them (no stub of a line or two at the foot of a page or the top of the next), its
    title repeated without an anchor on the next page (a link goes to where the box starts)."""

    repeated_title: list[Flowable]
    least: float = 0.0

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = super().split(availWidth, availHeight)
        at_top = getattr(getattr(self, "_frame", None), "_atTop", False)
        if len(parts) == 2 and not self.splitInRow and not at_top:
            heights = self._rowHeights
            kept = len(parts[0]._cellvalues)  # the title and the parts that fit here
            while kept > 1 and sum(heights[kept:]) < self.least:
                kept -= 1  # the parts that go on must make more than a stub
            if sum(heights[1:kept]) < self.least:
                return []  # nor may a stub stay here: the box moves whole
            if kept < len(parts[0]._cellvalues):
                parts = super().split(availWidth, sum(heights[:kept]) + 0.01)
        for part in parts[:1]:
            part._briefkit_outline = getattr(self, "_briefkit_outline", None)
        for part in parts[1:]:
            if isinstance(part, _Box):
                part._cellvalues[0] = [self.repeated_title]
                part.repeated_title = self.repeated_title
                part.least = self.least
        return parts


class _KeepTail(Flowable):
    """A box or a table with the caption under it (a legend, the colophon): the caption never
    starts a page alone. When it does not fit under the box, the box's last parts (the
    table's last rows) go on with it, or the whole when the box cannot split."""

    def __init__(self, body: list[Flowable], tail: list[Flowable]) -> None:
        super().__init__()
        self.body = body
        self.tail = tail

    @staticmethod
    def _height(flowables: list[Flowable], width: float, height: float) -> float:
        return sum(
            f.wrap(width, height)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in flowables
        )

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return availWidth, 0xFFFFFF  # always split: the frame places the pieces

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        body, tail = self.body, self.tail
        whole = [*body, *tail]
        at_top = getattr(getattr(self, "_frame", None), "_atTop", False)
        if at_top or self._height(whole, availWidth, availHeight) <= availHeight:
            # the frame must fit a split's first piece unless it is an action (a box taller
            # than a page splits again)
            return [NullActionFlowable(), *whole]
        index = next(n for n, f in enumerate(body) if isinstance(f, Table))
        main, before, after = body[index], body[:index], body[index + 1 :]
        room = availHeight - self._height(before, availWidth, availHeight)
        if self._height([main], availWidth, availHeight) <= room:
            room -= self._height([*after, *tail], availWidth, availHeight)
        pieces = main.split(availWidth, room) if room > 0 else []
        if len(pieces) != 2:
            return [FrameBreak, *whole]  # it cannot split: all of it on the next page
        return [*before, pieces[0], FrameBreak, _KeepTail([pieces[1], *after], tail)]


def _natural_width(writer: _Writer, marked: Marked, role: str = "banner") -> float:
    """The width of *marked* set on one line in the paragraph style *role*."""
    para = writer.paragraph(marked, role, alignment=TA_LEFT, **writer.indent(0))
    para.wrap(writer.frame_width, writer.height)
    lines = getattr(para.blPara, "lines", [])
    # plain lines are (extra space, words); lines of mixed fonts carry extraSpace
    extra = [getattr(line, "extraSpace", None) for line in lines]
    spare = [line[0] if s is None else s for line, s in zip(lines, extra, strict=True)]
    return max((writer.frame_width - s for s in spare), default=0.0)


def _numbered_canvas(furniture: _PageFurniture, stamp: TimeStamp, tags: Tags) -> type[Canvas]:
    class NumberedCanvas(Canvas):
        """Keeps pages until save() so that each can say "Page X of Y"."""

        _code: list[str]  # reportlab's page content, operator by operator

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._doc._timeStamp = stamp
            self._doc.info = _Info(self._doc.info, furniture.custom_metadata())
            # viewers show the title, not the file name (PDF/UA-1 7.1)
            self.setViewerPreference("DisplayDocTitle", "true")
            self._pages: list[dict[str, Any]] = []
            self._briefkit_tags = tags

        # a link annotation's Contents describes it (PDF/UA-1 7.18.5): the text of the link
        def linkRect(self, contents: Any, destinationname: Any, *args: Any, **kw: Any) -> Any:
            text = contents or tags.link_text(str(destinationname))
            return super().linkRect(text, destinationname, *args, **kw)

        def linkURL(self, url: str, rect: Any, *args: Any, **kw: Any) -> None:
            kw.setdefault("Contents", PDFString(tags.link_text(url)))
            super().linkURL(url, rect, *args, **kw)

        def _addAnnotation(self, annotation: Any, name: Any = None, addtopage: int = 1) -> None:
            if addtopage:
                tags.annotation(self)
            super()._addAnnotation(annotation, name, addtopage)

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            # reportlab names a page by the document's page counter, which advances only when
            # a page is written: advance it now, so that bookmarks and link destinations made
            # on the next page name that page rather than the first
            self._doc.pageCounter += 1
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            self._doc.pageCounter = 1  # the pages are written now, from the first
            for number, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                self._code.append(PAGINATION.decode())
                furniture.over(self, number, total)
                self._code.append("EMC")
                self._code = with_artifacts(self._code)
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas
