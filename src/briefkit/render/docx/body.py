"""The document body: blocks → paragraphs and tables in the named styles."""

from __future__ import annotations

from typing import assert_never

from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from briefkit.layout import document as d
from briefkit.render.common.measure import (
    CALLOUT_PADDING,
    KEEP_TOGETHER,
    ROW_SPLIT,
    TITLE_FIELDS_PER_ROW,
    cell_shade,
    gap_after,
    text_area,
)
from briefkit.render.docx.metrics import Metrics
from briefkit.render.docx.numbering import BULLET_NUM, Numbering
from briefkit.render.docx.ooxml import el, local, props, put, shading, sub, twips
from briefkit.render.docx.paragraphs import Paragraphs, Place, chips_mark
from briefkit.render.docx.styles import (
    CALLOUT_BORDER,
    LIST_INDENT,
    ROLE_STYLE,
    TAG_PAD,
    style_role,
    tag_style_id,
)
from briefkit.style.sheet import Style

# A table or box at most this share of the text height is kept on one page (moved whole).
SHORT_BOX = 0.4


class Body:
    """Writes blocks as paragraphs and tables, keeping together what the PDF keeps together."""

    def __init__(self, style: Style, paragraphs: Paragraphs, numbering: Numbering) -> None:
        self.style = style
        self.paragraphs = paragraphs
        self.numbering = numbering
        self.text_width, self.frame_height = text_area(style)
        self.metrics = Metrics(style)
        self.heading = ""  # the last heading's text: what a table without a caption is about

    def write(self, body: BaseOxmlElement, blocks: tuple[d.Block, ...]) -> None:
        """Replace the template's body (all but its section properties) with *blocks*."""
        for child in list(body):
            if local(child) != "sectPr":
                body.remove(child)
        self.emit(blocks, Place(body, self.text_width))

    # -- blocks ----------------------------------------------------------------------------

    def emit(self, blocks: tuple[d.Block, ...], place: Place) -> list[BaseOxmlElement]:
        added: list[BaseOxmlElement] = []
        gap = 0.0
        previous: d.Block | None = None
        for block in blocks:
            elements = self.block(block, place)
            if elements and added:
                self._separate(added[-1], elements[0], gap)
            caption = isinstance(block, d.Paragraph) and block.role == "caption"
            if caption and isinstance(previous, d.Heading) and not place.in_cell:
                _keep_with_next(elements[-1])  # a key under a heading goes with what follows
            elif caption and added and not place.in_cell and self._short_before(previous, place):
                _keep_last_line(added[-1])  # a caption or evidence line never starts a page
            elif caption and added and not place.in_cell and isinstance(previous, d.Callout):
                # A long box splits between its parts (rows under the repeated title): its
                # last part goes over with the key below it, which never starts a page.
                _keep_last_line(added[-1])
            label = isinstance(block, d.Paragraph) and block.role == "label"
            if label and elements and not place.in_cell:
                _keep_with_next(elements[-1])  # a label stays with its first item
            added += elements
            gap = gap_after(block)
            previous = block
        return added

    def _short_before(self, previous: d.Block | None, place: Place) -> bool:
        """Whether what precedes a caption may keep with it: a paragraph or list, or a table
        or box short enough to move whole (LibreOffice keeps a whole table with the next
        paragraph where Word keeps its last row: a long one would leave a page empty)."""
        if not isinstance(previous, d.Table | d.Callout):
            return True
        return self.metrics.height((previous,), place.width) <= self.frame_height * SHORT_BOX

    def block(self, block: d.Block, place: Place) -> list[BaseOxmlElement]:
        match block:
            case d.Heading():
                return self._heading(block, place)
            case d.Paragraph():
                return self._paragraph(block, place)
            case d.TagLine():
                return self._tagline(block, place)
            case d.BulletList():
                return self._bulletlist(block, place)
            case d.NumberedList():
                return self._numberedlist(block, place)
            case d.Table():
                return self._table(block, place)
            case d.Callout():
                return self._callout(block, place)
            case d.TitleBlock():
                return self._titleblock(block, place)
            case d.Group():
                return self._group(block, place)
            case _:
                assert_never(block)

    def _separate(self, before: BaseOxmlElement, after: BaseOxmlElement, gap: float) -> None:
        """Keep the PDF's gap after a table; never let two tables touch (Word merges them)."""
        if local(before) != "tbl":
            return
        if local(after) == "tbl":
            spacer = el("p")
            ppr = sub(spacer, "pPr")
            put(ppr, el("spacing", before=0, after=0, line=twips(gap or 6), lineRule="exact"))
            after.addprevious(spacer)
        elif gap and local(after) == "p":
            style = after.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            if style is None or not style.get(qn("w:val"), "").startswith("Heading"):
                role = style_role(style.get(qn("w:val")) if style is not None else "Normal")
                spec = self.style.paragraph(role)
                ppr = props(after, "pPr")
                put(ppr, el("spacing", before=twips(spec.space_before + gap)))

    def _heading(self, block: d.Heading, place: Place) -> list[BaseOxmlElement]:
        level = min(max(block.level, 1), 3)
        self.heading = d.inline_text(block.text)
        paragraph = self.paragraphs.paragraph(
            place, f"Heading{level}", block.text, anchor=block.anchor
        )
        if block.number is not None:
            _numbered(paragraph, self.numbering.heading_list(level))
        return [paragraph]

    def _paragraph(self, block: d.Paragraph, place: Place) -> list[BaseOxmlElement]:
        style_id = ROLE_STYLE.get(block.role, "Normal")
        paragraph = self.paragraphs.paragraph(
            place, style_id, block.text, label=block.label, anchor=block.anchor
        )
        return [paragraph]

    def _tagline(self, block: d.TagLine, place: Place) -> list[BaseOxmlElement]:
        run = self.paragraphs.run
        paragraph = self.paragraphs.paragraph(place, "TagLine", ())
        fields = [tag.field for tag in block.tags if tag.field]
        name = chips_mark(fields) if len(fields) == len(block.tags) else None
        if name:
            paragraph.append(el("bookmarkEnd", id=self.paragraphs.open_mark(paragraph, name)))
        for index, tag in enumerate(block.tags):
            if index:
                paragraph.append(run("  "))
            paragraph.append(run(f"{TAG_PAD}{tag.text}{TAG_PAD}", style=tag_style_id(tag)))
        return [paragraph]

    def _bulletlist(self, block: d.BulletList, place: Place) -> list[BaseOxmlElement]:
        style_id = ROLE_STYLE.get(block.role, "ListBullet")
        added = []
        for item in block.items:
            paragraph = self.paragraphs.paragraph(place, style_id, item)
            if style_id == "ListBullet":
                _numbered(paragraph, BULLET_NUM)
            added.append(paragraph)
        return added

    def _numberedlist(self, block: d.NumberedList, place: Place) -> list[BaseOxmlElement]:
        num_id = self.numbering.new_list(block.prefix, block.suffix)
        added: list[BaseOxmlElement] = []
        for item in block.items:
            added += self._list_item(item, num_id, place)
        return added

    def _list_item(self, item: d.ListItem, num_id: int, place: Place) -> list[BaseOxmlElement]:
        inner = place.indented(LIST_INDENT)
        first, *rest = item.blocks or (d.Paragraph(()),)
        if not isinstance(first, d.Paragraph):
            rest = [first, *rest]
            first = d.Paragraph(())
        paragraph = self.paragraphs.paragraph(
            place,
            "ListNumber",
            first.text,
            label=first.label,
            anchor=item.anchor or first.anchor,
            list_item=True,
        )
        _numbered(paragraph, num_id)
        if rest and isinstance(rest[0], d.TagLine) and not place.in_cell:
            _keep_with_next(paragraph)  # a judgment with its chips
        item_elements = [paragraph, *self.emit(tuple(rest), inner)]
        self._keep_together(item_elements, self.metrics.height(item.blocks, inner.width), place)
        return item_elements

    def _group(self, block: d.Group, place: Place) -> list[BaseOxmlElement]:
        """As in the PDF: the group's opening (heading, chips) keeps with its first text,
        whose lines widow and orphan control keeps from being stranded; the rest flows."""
        added = self.emit(block.blocks, place)
        if place.in_cell:
            return added
        for paragraph, kind in zip(added, block.blocks, strict=False):
            if isinstance(kind, d.Paragraph) and kind.role != "label":
                break
            if local(paragraph) == "p":
                _keep_with_next(paragraph)
        return added

    def _keep_together(self, elements: list[BaseOxmlElement], height: float, place: Place) -> None:
        """Keep the paragraphs on one page when they fit in most of one, as the PDF does."""
        if place.in_cell or height > self.frame_height * KEEP_TOGETHER:
            return
        paragraphs = [element for element in elements if local(element) == "p"]
        for paragraph in paragraphs[:-1]:
            _keep_with_next(paragraph)

    def _table(self, block: d.Table, place: Place) -> list[BaseOxmlElement]:
        widths = self.metrics.column_widths(block, place.width)
        headers = [column.header for column in block.columns]
        table = _new_table(
            place,
            "BriefTable",
            widths,
            rtl=self.paragraphs.rtl,
            header=True,
            caption=block.caption or self.heading,
            description=_LISTED.join(headers),
        )
        header = _new_row(table, header=True)
        for column, width in zip(block.columns, widths, strict=True):
            cell = _new_cell(header, width, self.style.color("table_header"))
            paragraph = self.paragraphs.paragraph(
                place.inside(cell, width), "TableHeader", d.plain(column.header)
            )
            _keep_with_next(paragraph)  # a heading row never ends a page alone
        for index, cells in enumerate(block.rows):
            # Rows split across pages only when one is taller than most of a page.
            tall = self.metrics.row_height(cells, widths) > self.frame_height * ROW_SPLIT
            row = _new_row(table, keep=not tall)
            stripe = self.style.color("table_stripe") if index % 2 else None
            for content, width in zip(cells, widths, strict=True):
                fill = cell_shade(self.style, content) or stripe
                cell = _new_cell(row, width, fill)
                self.emit(content.blocks, place.inside(cell, width - 10))
                _close_cell(cell)
        if len(block.rows) > 3:
            # the last row never alone on a page under the repeated header: the one before
            # it keeps with it (the first rows keep with the header row already)
            for paragraph in table[-2].iter(qn("w:p")):
                _keep_with_next(paragraph)
        added = [table]
        if block.caption:
            added.append(self.paragraphs.paragraph(place, "Caption", d.plain(block.caption)))
        return added

    def _callout(self, block: d.Callout, place: Place) -> list[BaseOxmlElement]:
        """A shaded box: one row when short (kept on one page); otherwise its title as a
        repeated header row and a row per part, so that it splits only between parts."""
        # Word and LibreOffice draw half the 3-point accent border outside the cell width.
        width = place.width - CALLOUT_BORDER / 2
        table = _new_table(
            place, "CalloutBox", [width], rtl=self.paragraphs.rtl, caption=block.title
        )
        short = self._short(block, width)
        shade = self.style.color("shade")
        cell = _new_cell(_new_row(table, keep=True, header=not short), width, shade)
        inside = place.inside(cell, place.width - 28)
        title = self.paragraphs.paragraph(
            inside, "CalloutTitle", d.plain(block.title), anchor=block.anchor
        )
        _in_navigation(title)
        if short:
            self.emit(block.blocks, inside)
            _close_cell(cell)
            return [table]
        _close_cell(cell)
        open_cell: BaseOxmlElement | None = None  # a label's, waiting for what follows it

        def part_cell() -> BaseOxmlElement:
            if open_cell is not None:
                return open_cell
            return _new_cell(_new_row(table, keep=True), width, shade)

        for part in block.blocks:
            if isinstance(part, d.NumberedList):
                num_id = self.numbering.new_list(part.prefix, part.suffix)
                for item in part.items:
                    cell = part_cell()
                    self._list_item(item, num_id, place.inside(cell, place.width - 28))
                    _close_cell(cell)
                    open_cell = None
                continue
            cell = part_cell()
            self.emit((part,), place.inside(cell, place.width - 28))
            if isinstance(part, d.Paragraph) and part.role == "label":
                open_cell = cell
            else:
                _close_cell(cell)
                open_cell = None
        if open_cell is not None:
            _close_cell(open_cell)
        rows = [row for row in table if local(row) == "tr"]
        for index, row in enumerate(rows):
            # the box's padding above its first row and below its last, none between
            top = CALLOUT_PADDING[0] if index == 0 else 0.0
            bottom = CALLOUT_PADDING[2] if index == len(rows) - 1 else 0.0
            margins = el("tcMar")
            sub(margins, "top", w=twips(top), type="dxa")
            sub(margins, "bottom", w=twips(bottom), type="dxa")
            put(props(row.find(qn("w:tc")), "tcPr"), margins)
        return [table]

    def _short(self, block: d.Callout, width: float) -> bool:
        """A box under 40% of a page is kept on one page (moved whole), as in the PDF."""
        title = d.Heading(1, d.plain(block.title), "")
        height = self.metrics.height((title, *block.blocks), width - 28) + 18
        return height <= self.frame_height * SHORT_BOX

    def _titleblock(self, block: d.TitleBlock, place: Place) -> list[BaseOxmlElement]:
        paragraph, run = self.paragraphs.paragraph, self.paragraphs.run
        added = [paragraph(place, "Title", (d.Span(block.title, field=block.title_field),))]
        if block.subtitle:
            subtitle = (d.Span(block.subtitle, field=block.subtitle_field),)
            added.append(paragraph(place, "Subtitle", subtitle))
        per_row = TITLE_FIELDS_PER_ROW
        if block.fields:
            widths = [place.width / per_row] * per_row
            table = _new_table(
                place,
                "MetaGrid",
                widths,
                rtl=self.paragraphs.rtl,
                caption=block.title,
                description=_LISTED.join(label for label, _ in block.fields),
            )
            for start in range(0, len(block.fields), per_row):
                row = _new_row(table)
                chunk = list(block.fields[start : start + per_row])
                for index, width in enumerate(widths):
                    cell = _new_cell(row, width, None)
                    meta = paragraph(place.inside(cell, width), "Meta", ())
                    if index < len(chunk):
                        label, value = chunk[index]
                        meta.append(run(label, style="MetaLabel"))
                        meta.append(run("\n"))
                        # the value in its script's font, direction and language
                        marks = block.field_marks
                        mark = marks[start + index] if start + index < len(marks) else None
                        self.paragraphs.inline(meta, (d.Span(value, field=mark),))
            added.append(table)
        added.append(paragraph(place, "TitleRule", ()))
        return added


# --- tables and paragraph properties --------------------------------------------------------


# Between the column headers (or field labels) a table's description lists.
_LISTED = " · "

# w:tblLook's flags, as the bits of its w:val (Word 2007 reads only those).
_LOOK_BITS = {"firstRow": 0x20, "lastRow": 0x40, "firstColumn": 0x80, "lastColumn": 0x100}
_LOOK_BITS |= {"noHBand": 0x200, "noVBand": 0x400}


def _new_table(
    place: Place,
    style_id: str,
    widths: list[float],
    *,
    rtl: bool,
    header: bool = False,
    caption: str = "",
    description: str = "",
) -> BaseOxmlElement:
    """A table of *widths*; on a right-to-left page its first column is on the right.

    A data table (*header*) has a header row, which its look formats; a layout table (the
    title grid, a box) has none, so that assistive technology reads its cells as text. Both
    carry a *caption* and *description* (Word's alt text for a table), which a screen reader
    announces before the table."""
    table = place.add(el("tbl"))
    tblpr = sub(table, "tblPr")
    put(tblpr, el("tblStyle", val=style_id))
    if rtl:
        put(tblpr, el("bidiVisual"))
    put(tblpr, el("tblW", w=twips(sum(widths)), type="dxa"))
    put(tblpr, el("tblInd", w=twips(place.indent), type="dxa"))
    put(tblpr, el("tblLayout", type="fixed"))
    flags = {"firstRow": int(header), "lastRow": 0, "firstColumn": 0, "lastColumn": 0}
    flags |= {"noHBand": 1 - int(header), "noVBand": 1}
    look = sum(bit for name, bit in _LOOK_BITS.items() if flags[name])
    put(tblpr, el("tblLook", val=f"{look:04X}", **flags))
    if caption:
        put(tblpr, el("tblCaption", val=d.property_text(caption)))
    if description:
        put(tblpr, el("tblDescription", val=d.property_text(description)))
    grid = sub(table, "tblGrid")
    for width in widths:
        sub(grid, "gridCol", w=twips(width))
    return table


def _new_row(
    table: BaseOxmlElement, *, header: bool = False, keep: bool = False
) -> BaseOxmlElement:
    row = sub(table, "tr")
    if header or keep:
        trpr = sub(row, "trPr")
        sub(trpr, "cantSplit")
        if header:
            sub(trpr, "tblHeader")
    return row


def _new_cell(row: BaseOxmlElement, width: float, fill: str | None) -> BaseOxmlElement:
    cell = sub(row, "tc")
    tcpr = sub(cell, "tcPr")
    put(tcpr, el("tcW", w=twips(width), type="dxa"))
    if fill:
        put(tcpr, shading(fill))
    return cell


def _close_cell(cell: BaseOxmlElement) -> None:
    """A table cell must end with a paragraph."""
    if len(cell) == 0 or local(cell[-1]) != "p":
        cell.append(el("p"))


def _in_navigation(paragraph: BaseOxmlElement) -> None:
    """An outline level on the paragraph itself (not only its style), so a box's title (the
    bottom line up front) is in the navigation pane and a table of contents wherever the
    editor looks for it."""
    put(props(paragraph, "pPr"), el("outlineLvl", val=0))


def _numbered(paragraph: BaseOxmlElement, num_id: int) -> None:
    numpr = put(props(paragraph, "pPr"), el("numPr"))
    sub(numpr, "ilvl", val=0)
    sub(numpr, "numId", val=num_id)


def _keep_last_line(element: BaseOxmlElement) -> None:
    """Keep the end of *element* (a paragraph, or a table's last row) with what follows."""
    if local(element) == "tbl":
        rows = [row for row in element if local(row) == "tr"]
        paragraphs = list(rows[-1].iter(qn("w:p"))) if rows else []
    else:
        paragraphs = [element]
    for paragraph in paragraphs:
        put(props(paragraph, "pPr"), el("keepNext"))


def _keep_with_next(paragraph: BaseOxmlElement) -> None:
    ppr = props(paragraph, "pPr")
    put(ppr, el("keepNext"))
    put(ppr, el("keepLines"))
