"""Glyph widths in the font dictionary that agree with the embedded font program (PDF/A-2
6.2.11.5), for the glyphs HarfBuzz picks that have no character of their own.

reportlab gives such a glyph (a Devanagari conjunct, an Arabic joining form) a private-use code
and records as its width the advance HarfBuzz gave it where it first occurred, in font units:
after kerning or mark positioning, and unscaled for a font whose em is not 1000 units. That
width goes into the font's /Widths. Recorded here is the glyph's own advance instead. What is
painted does not change: each shaped glyph is placed by its shaped advance, written as the
difference from the recorded width.
"""

from __future__ import annotations

from typing import Any

import uharfbuzz
from reportlab.pdfbase.ttfonts import TTFont

_add_private = TTFont._TTFont__addPrivate


def _add_private_with_own_advance(self: Any, name: str, gid: int, advance: float) -> int:
    own = uharfbuzz.Font(self.hbFace).get_glyph_h_advance(gid)
    uchar: int = _add_private(self, name, gid, advance)
    self.face.charWidths[uchar] = self.face._pdfScale(own)
    return uchar


TTFont._TTFont__addPrivate = _add_private_with_own_advance
