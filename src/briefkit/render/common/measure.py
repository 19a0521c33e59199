"""Measures both renderers share: the text area of a page, and table column widths.

Each renderer measures words in its own way (reportlab's metrics, or the font files for Word);
the rule that turns those measurements into column widths is this one.
"""

from __future__ import annotations

from collections.abc import Callable

from briefkit.layout import document as d
from briefkit.style.sheet import Style

# Layout numbers every renderer follows, in points unless said otherwise.
CELL_PADDING = 10.0  # left and right padding of a table cell, together
NUMBER_WIDTH = 22.0  # the number column of a numbered list
CALLOUT_PADDING = (10.0, 14.0, 8.0, 14.0)  # top, right, bottom, left inside a shaded box
CALLOUT_BAR = 3.0  # the accent bar on the shaded box's starting side
GAP_AFTER_TABLE = 8.0
BANNER_PADDING = 6.0  # on each side of a TLP label, inside its black chip
BANNER_EXTRA_HEIGHT = 4.0  # the chip's height beyond the label's font size
GAP_AFTER_CALLOUT = 4.0
TITLE_FIELDS_PER_ROW = 3  # date, version, authors… in the title block grid
KEEP_TOGETHER = 0.8  # a group taller than this share of the text height may split
ROW_SPLIT = 0.9  # a table row taller than this share of the text height may split
# What a column needs beyond its longest word: the padding and a point to spare.
_WORD_ROOM = CELL_PADDING + 1
_MOST = 0.4  # no column is widened past this share of the table's width


def gap_after(block: d.Block) -> float:
    """The space a renderer leaves after *block* (before whatever follows it)."""
    match block:
        case d.Table():
            return GAP_AFTER_TABLE
        case d.Callout():
            return GAP_AFTER_CALLOUT
        case _:
            return 0.0


def cell_shade(style: Style, cell: d.Cell) -> str | None:
    """The background colour of a table cell, e.g. the impact direction's colour."""
    if cell.shade is None:
        return None
    group, key = cell.shade
    colours: dict[str, str] = getattr(style.colors, group)
    return colours[key]


def text_area(style: Style) -> tuple[float, float]:
    """The width and height of the page inside its margins, where the body is set."""
    width, height = style.page.width_height
    margins = style.page.margins
    return width - margins.left - margins.right, height - margins.top - margins.bottom


def column_widths(
    table: d.Table,
    width: float,
    *,
    header_width: Callable[[str], float],
    cell_width: Callable[[str], float],
) -> list[float]:
    """The columns' shares of *width*, widened so that no word has to break.

    A narrow column ("Magnitude", "Uncertain") takes what it needs from the columns with
    room to spare, in proportion to their spare room. *header_width* and *cell_width* give
    the width of one word (in points) in a header cell and in a body cell.
    """
    needed = []
    for index, column in enumerate(table.columns):
        longest = max((header_width(word) for word in column.header.split()), default=0.0)
        for row in table.rows:
            for word in short_words(row[index].blocks):
                longest = max(longest, cell_width(word))
        needed.append(min(longest + _WORD_ROOM, width * _MOST))
    widths = [column.width * width for column in table.columns]
    shortfall = sum(max(0.0, n - w) for n, w in zip(needed, widths, strict=True))
    spare = [max(0.0, w - n) for n, w in zip(needed, widths, strict=True)]
    if shortfall == 0 or sum(spare) < shortfall:
        return widths
    return [
        max(n, w) if n >= w else w - shortfall * room / sum(spare)
        for n, w, room in zip(needed, widths, spare, strict=True)
    ]


def short_words(blocks: tuple[d.Block, ...]) -> list[str]:
    """The words of the short paragraphs among *blocks* (long text wraps anyway)."""
    found: list[str] = []
    for block in blocks:
        if isinstance(block, d.Paragraph):
            text = d.inline_text(block.text)
            if len(text) <= 40:
                found += text.split()
    return found


# Where Word and LibreOffice put the baseline in a line of exact height: 80% of it down from
# the line's top (LibreOffice's SwTextFormatter::CalcRealHeight, after Word); marks higher
# than that are cut off where a renderer clips a line to its box.
EXACT_LINE_ASCENT = 0.8


def exact_line_height(leading: float, size: float, ink: list[tuple[float, float]]) -> float:
    """The height of a line of exact height that sets text of *size* points whose faces'
    ink reaches *ink* (each the height above the baseline and the depth below it, in ems): the
    style's *leading*, unless a tall script (Arabic marks stacked over a lam, Devanagari
    matras…) rises higher than the baseline leaves room for, and then just enough that its
    highest mark stays inside the line's box, where no renderer clips it.

    Lines are not made tall enough to keep one line's deepest descender clear of the next
    line's highest mark: those are rare words, seldom one above the other, and the PDF sets the
    same lines at the leading; a height for that worst case (about 1.7 em for Arabic) would
    cost the Word document a page the PDF does not have. Latin lines keep the leading: their
    ink is about one em."""
    if not ink:
        return leading
    high = max(above for above, _ in ink) * size
    return max(leading, high / EXACT_LINE_ASCENT)
