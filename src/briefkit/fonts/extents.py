"""How far text rises above and falls below its baseline: the ink of its shaped glyphs.

A line must hold the ink of the text set in it; a font's declared line metrics do not say
it (Noto Sans Arabic declares 2.1 em for marks stacked three deep that prose never uses), so
the text is shaped (HarfBuzz, as the PDF shapes it) and its glyphs' outlines are measured.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from briefkit.fonts.faces import face_path
from briefkit.fonts.families import family, versions
from briefkit.render.common.kept import memo


def ink_extents(name: str, text: str, *, bold: bool = False) -> tuple[float, float]:
    """The highest point above the baseline and the lowest below it (a positive depth) that
    *text* reaches set in family *name*, in ems; (0, 0) for text that draws nothing."""
    if not text.strip():
        return 0.0, 0.0
    return _ink_extents(name, versions([name]), bold, text)


@memo(16384)
def _ink_extents(name: str, version: tuple[str, ...], bold: bool, text: str) -> tuple[float, float]:
    import uharfbuzz as hb

    characters = text if family(name).subset_per_document else None
    font, em = _shaper(face_path(name, bold=bold, italic=False, characters=characters))
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(font, buffer, {})
    top = bottom = 0.0
    for info, position in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
        extents = font.get_glyph_extents(info.codepoint)
        if extents is None or extents.height == 0:
            continue
        high = position.y_offset + extents.y_bearing  # y_bearing: the glyph's top
        top = max(top, high)
        bottom = min(bottom, high + extents.height)  # height is negative, downwards
    return top / em, -bottom / em


@memo(32, same=lambda kept, fresh: kept[1] == fresh[1])
def _shaper(path: Path) -> tuple[Any, int]:
    """A HarfBuzz font of a face file, in font units, and its units per em."""
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(str(path)))
    return hb.Font(face), face.upem
