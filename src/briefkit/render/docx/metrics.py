"""Widths and heights of text, measured with the style's own font files."""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path
from typing import assert_never

from briefkit.layout import document as d
from briefkit.render.common.kept import kept, memo
from briefkit.render.common.measure import CELL_PADDING, column_widths
from briefkit.render.docx.styles import LIST_INDENT
from briefkit.style.sheet import ParagraphStyle, Style

Faces = dict[tuple[str, bool], tuple[dict[int, int], int]]  # (family, bold) → advances, em
Widths = dict[tuple[str, str, bool, bool, float], float]
Characters = dict[tuple[str, str, bool, float], float]
# by font chains: see Metrics.__init__
_BY_FONTS: dict[tuple[str, tuple[str, ...]], tuple[Faces, Widths, Characters]] = kept({})
_WIDTHS_LIMIT = 200_000


class Metrics:
    """Text widths from the style's own font files, for the decisions the PDF makes by measuring:
    which table columns to widen so no word breaks, and which rows and boxes fit on a page.

    Heights are estimates (greedy line filling); they only choose between keeping a block on
    one page and letting it flow.
    """

    def __init__(self, style: Style) -> None:
        self.style = style
        # widths depend on the fonts alone: kept for the process, per set of font chains and
        # the versions of their fonts (a font file replaced while ``watch`` runs is measured anew)
        from briefkit import fonts

        versions = fonts.versions(style.fonts.families())
        key = (style.fonts.model_dump_json(), versions)
        if key not in _BY_FONTS and len(_BY_FONTS) >= 8:  # older fonts or styles of a session
            _BY_FONTS.clear()
        faces, widths, characters = _BY_FONTS.setdefault(key, ({}, {}, {}))
        if len(widths) > _WIDTHS_LIMIT:
            widths.clear()
        self._faces: Faces = faces
        self._widths: Widths = widths
        self._characters: Characters = characters  # one character in the fallback chain

    def _face(self, family: str, bold: bool) -> tuple[dict[int, int], int]:
        if (family, bold) not in self._faces:
            from briefkit import fonts

            path = fonts.face_path(family, bold=bold, italic=False)
            self._faces[family, bold] = _advances(path)
        return self._faces[family, bold]

    def width(self, text: str, spec: ParagraphStyle, *, bold: bool | None = None) -> float:
        key = (text, spec.font, spec.bold or bool(bold), spec.caps, spec.size)
        if key in self._widths:  # words recur: measured once
            return self._widths[key]
        bold = spec.bold or bool(bold)
        widths, em = self._face(self.style.fonts.family(spec.font), bold)
        if spec.caps:
            text = text.upper()
        if all(ord(ch) in widths for ch in text):
            width = sum(map(widths.__getitem__, map(ord, text))) * spec.size / em
        else:  # Arabic, Chinese…: each character in the first family of the chain that has it
            width = sum(self._fallback_width(ch, spec, bold) for ch in text)
        self._widths[key] = width
        return width

    def _fallback_width(self, ch: str, spec: ParagraphStyle, bold: bool) -> float:
        key = (ch, spec.font, bold, spec.size)
        if key not in self._characters:  # a script's letters recur: each measured once
            self._characters[key] = self._chain_width(ch, spec, bold)
        return self._characters[key]

    def _chain_width(self, ch: str, spec: ParagraphStyle, bold: bool) -> float:
        for family in self.style.fonts.chain(spec.font):
            widths, em = self._face(family, bold)
            if ord(ch) in widths:
                return widths[ord(ch)] * spec.size / em
        return spec.size  # no font has it (check warns): an em

    def lines(self, text: str, spec: ParagraphStyle, width: float) -> int:
        space = self.width(" ", spec)
        count, used = 1, 0.0
        for word in text.split():
            needed = self.width(word, spec)
            if used and used + space + needed > width:
                count, used = count + 1, 0.0
            used += (space if used else 0.0) + needed
            count += int(used // max(width, 1.0))  # a word longer than the line breaks
            used %= max(width, 1.0)
        return count

    def height(self, blocks: tuple[d.Block, ...], width: float) -> float:
        return sum(self._block_height(block, width) for block in blocks)

    def _block_height(self, block: d.Block, width: float) -> float:
        match block:
            case d.Paragraph() | d.Heading():
                role = block.role if isinstance(block, d.Paragraph) else f"heading{block.level}"
                label = block.label if isinstance(block, d.Paragraph) else None
                spec = self.style.paragraph(role)
                text = f"{label or ''}  {d.inline_text(block.text)}"
                lines = self.lines(text, spec, width - spec.indent)
                return lines * spec.leading + spec.space_before + spec.space_after
            case d.TagLine():
                return self.style.paragraph("tag").leading + 9
            case d.BulletList():
                spec = self.style.paragraph(block.role)
                return sum(
                    self.lines(d.inline_text(item), spec, width - spec.indent) * spec.leading
                    + spec.space_after
                    for item in block.items
                )
            case d.NumberedList():
                return sum(self.height(item.blocks, width - LIST_INDENT) for item in block.items)
            case d.Table():
                widths = self.column_widths(block, width)
                return sum(self.row_height(row, widths) for row in block.rows) + 20
            case d.Callout() | d.Group():
                return self.height(block.blocks, width) + 30
            case d.TitleBlock():
                spec = self.style.paragraph("title")
                lines = self.lines(block.title, spec, width)
                return lines * spec.leading + 12 * self.style.paragraph("meta").leading
            case _:
                assert_never(block)

    def row_height(self, cells: tuple[d.Cell, ...], widths: list[float]) -> float:
        heights = [
            self.height(cell.blocks, width - CELL_PADDING)
            for cell, width in zip(cells, widths, strict=True)
        ]
        return max(heights, default=0.0) + 9

    def column_widths(self, block: d.Table, width: float) -> list[float]:
        """The columns' shares of *width*, widened so that no word has to break (as the PDF)."""
        header = self.style.paragraph("table_header")
        cell = self.style.paragraph("table_cell")
        return column_widths(
            block,
            width,
            header_width=lambda word: self.width(word, header, bold=True),
            cell_width=lambda word: self.width(word, cell),
        )


@memo(16)
def _advances(path: Path) -> tuple[dict[int, int], int]:
    """Advance widths by character, and units per em, of a font file (built once, cached in
    the font cache by the file's SHA-256, so that a document needs no fontTools)."""
    from briefkit import fonts

    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    stored = fonts.cache_dir() / "fonts" / "metrics" / f"{digest}-r1.json"
    try:
        saved = json.loads(stored.read_text(encoding="utf-8"))
        return {int(code): width for code, width in saved["widths"]}, int(saved["em"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        metrics = font["hmtx"].metrics
        widths = {code: metrics[name][0] for code, name in font.getBestCmap().items()}
        em = font["head"].unitsPerEm
    text = json.dumps({"widths": sorted(widths.items()), "em": em}, separators=(",", ":"))
    with contextlib.suppress(OSError, fonts.FontError):  # only an optimisation
        stored.parent.mkdir(parents=True, exist_ok=True)
        fonts.store(stored, text.encode("utf-8"))
    return widths, em
