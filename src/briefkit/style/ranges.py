"""Ranges for a style sheet's sizes and spaces, so that what `check` accepts can be laid out.

A paragraph taller than the page (a 600 pt heading, ``leading: 800pt``) cannot be placed on
any page: reportlab then fails or, worse, loops. These limits are generous for any real design
and are checked when a sheet is loaded, each reported at the line of the file that set it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from briefkit.diagnostics import Diagnostic
from briefkit.reading.source import SourceDocument

if TYPE_CHECKING:
    from briefkit.style.sheet import Style

MAX_SIZE = 72.0  # points: one inch
MAX_WATERMARK_SIZE = 200.0
MAX_SPACE = 72.0  # space before or after a paragraph
MAX_LEADING_PER_SIZE = 3.0  # leading at most triple spacing
# Table columns must hold a word such as "Stakeholder" or "Magnitude" unbroken: the text width
# must be this many times the size of table text (and of tags, also set in table cells).
TABLE_WIDTH_PER_SIZE = 28.0
TABLE_ROLES = ("table_header", "table_cell", "tag")
# Drawn on the page (not flowed in the text area): their height is not limited by it.
DRAWN_ROLES = ("banner", "footer", "watermark")
MAX_PAGE_SIDE = 14_400.0  # points (200 in): the largest page a PDF may have


def out_of_range(style: Style, doc: SourceDocument) -> list[Diagnostic]:
    """Located problems with the sizes and spaces of a valid *style* read from *doc*."""
    return [doc.diagnostic(loc, message) for loc, message in _problems(style)]


def _problems(style: Style) -> Iterator[tuple[tuple[str | int, ...], str]]:
    page = style.page
    width, height = page.width_height
    if max(width, height) > MAX_PAGE_SIDE:
        yield (
            ("page", "size"),
            f"a page of {width:.0f} × {height:.0f} pt is too large "
            f"(at most {MAX_PAGE_SIDE:.0f} pt, 200 in, a side)",
        )
        return
    text_width = width - page.margins.left - page.margins.right
    text_height = height - page.margins.top - page.margins.bottom
    for role in tuple(type(style.paragraphs).model_fields):
        spec = style.paragraph(role)
        where = ("paragraphs", role)
        largest = MAX_WATERMARK_SIZE if role == "watermark" else MAX_SIZE
        if not 1.0 <= spec.size <= largest:
            yield (
                (*where, "size"),
                f"{_pt(spec.size)} is out of range (allowed: 1 pt to {_pt(largest)})",
            )
            continue
        spaced = True  # false once a value is reported: the sum below would repeat it
        if spec.leading > MAX_LEADING_PER_SIZE * spec.size:
            spaced = False
            yield (
                (*where, "leading"),
                f"{_pt(spec.leading)} is out of range for {_pt(spec.size)} text (allowed: at "
                f"most {MAX_LEADING_PER_SIZE:g} × size, {_pt(MAX_LEADING_PER_SIZE * spec.size)})",
            )
        for name in ("space_before", "space_after"):
            if getattr(spec, name) > MAX_SPACE:
                spaced = False
                yield (
                    (*where, name),
                    f"{_pt(getattr(spec, name))} is out of range (allowed: 0 to {_pt(MAX_SPACE)})",
                )
        if spec.indent > text_width / 2:
            yield (
                (*where, "indent"),
                f"{_pt(spec.indent)} is out of range (allowed: up to half the text width, "
                f"{_pt(text_width / 2)})",
            )
        if role in TABLE_ROLES and spec.size * TABLE_WIDTH_PER_SIZE > text_width:
            yield (
                (*where, "size"),
                f"{_pt(spec.size)} table text needs a text width of at least "
                f"{_pt(spec.size * TABLE_WIDTH_PER_SIZE)} ({TABLE_WIDTH_PER_SIZE:g} × size) and "
                f"the page leaves {_pt(text_width)}: use smaller table text, a wider page or "
                "smaller margins",
            )
        needed = spec.space_before + 2 * spec.leading + spec.space_after
        if spaced and role not in DRAWN_ROLES and needed > text_height / 2:
            parts = {
                "leading": 2 * spec.leading,
                "space_before": spec.space_before,
                "space_after": spec.space_after,
            }
            yield (
                (*where, max(parts, key=parts.__getitem__)),
                f"two lines with their space before and after take {_pt(needed)}, more than "
                f"half the text height ({_pt(text_height / 2)}): use a smaller leading or "
                "spaces, a taller page or smaller margins",
            )


def _pt(points: float) -> str:
    return f"{points:.4g} pt"
