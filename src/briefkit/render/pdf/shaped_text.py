"""Shaped text written into a PDF text object, as reportlab 5.1 writes it, in fewer steps.

reportlab's ``PDFTextObject._formatText`` writes a shaped string (Arabic, Devanagari, kerned
Latin in a shaped paragraph) glyph by glyph: each glyph's offsets become TJ operands, joined by
``itertools.groupby`` with a lambda per operand, which made it a sixth of the time of a build of
an Arabic brief. :func:`format_shaped` is the same algorithm with the operands joined in one
pass; its output is the same, character for character, including reportlab's quirks (a run of
glyphs raised by HarfBuzz ends at every glyph, because ``setRise`` does not record a rise it
rewrites in place). Text that is not shaped goes to reportlab's own method.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr, _sdGuardL
from reportlab.pdfgen.textobject import PDFTextObject


def format_text(self: PDFTextObject, text: Any) -> str:
    """``PDFTextObject._formatText``, with shaped text in a TrueType font by
    :func:`format_shaped`."""
    font = pdfmetrics.getFont(self._fontname)
    if font._dynamicFont and font.shapable and isinstance(text, ShapedStr):
        return format_shaped(self, font, text)
    return _original_format_text(self, text)


def format_shaped(self: PDFTextObject, font: Any, text: ShapedStr) -> str:
    doc = self._canvas._doc
    state = (self._code, self._x, self._y)
    try:
        self._code = code = []
        tmpl = None
        r0 = self._rise
        fontsize = self._fontsize
        shape_data = text.__shapeData__
        start = 0
        for subset, chunk in font.splitString(text, doc):
            if subset != self._curSubset:
                if not tmpl:
                    tmpl = f"{fp_str(fontsize)} Tf {fp_str(self._leading)} TL"
                code.append(f"{font.getSubsetInternalName(subset, doc)} {tmpl}")
                self._curSubset = subset
            end = start + len(chunk)
            _write_runs(self, chunk, shape_data[start:end] + _sdGuardL, r0)
            start = end
        if self._rise != r0:
            self.setRise(r0)
    finally:
        self._code, self._x, self._y = state
    return " ".join(code)


def _write_runs(self: PDFTextObject, chunk: bytes, data: list[Any], r0: float) -> None:
    """The glyphs of *chunk* (subset codes) as Tj or TJ operators, a run of glyphs at one rise
    at a time; *data* ends with reportlab's guard entry (cluster -1)."""
    fontsize = self._fontsize
    escape = self._canvas._escape
    started = False
    operands: list[Any] = []
    for index, sd in enumerate(data):
        rise = r0 + fontsize * sd.y_offset / 1000
        if not started or sd.cluster < 0 or rise != self._rise:
            if started:
                self._code.append(_operator(operands, escape))
                if self._rise != r0:
                    self.setRise(r0)
                if sd.cluster < 0:
                    break
            if rise != self._rise:
                self.setRise(rise)
            started = True
            operands = []
        operands += (-sd.x_offset, chunk[index : index + 1], sd.width - sd.x_advance + sd.x_offset)


def _operator(operands: list[Any], escape: Any) -> str:
    """A run's glyphs and adjustments: zeros left out, neighbouring glyphs in one string,
    neighbouring adjustments summed (in order, as ``sum`` adds them), sums of 0 left out."""
    if len(operands) == 3:  # one glyph (most runs: a raised glyph is a run of its own)
        before, glyph, after = operands
        return _one_glyph(before, glyph, after, escape)
    parts: list[str] = []
    glyphs: list[bytes] = []
    total: Any = None  # the sum of the adjustments since the last glyph
    for operand in operands:
        if not operand:
            continue
        if operand.__class__ is bytes:
            if total is not None:
                parts.append(fp_str(total))
                total = None
            glyphs.append(operand)
        else:
            if glyphs:
                parts.append(f"({escape(b''.join(glyphs))})")
                glyphs = []
            total = operand if total is None else total + operand
    if glyphs:
        parts.append(f"({escape(b''.join(glyphs))})")
    elif total is not None:
        parts.append(fp_str(total))
    parts = [part for part in parts if part != "0"]
    if len(parts) == 1 and parts[0].startswith("("):
        return f"{parts[0]} Tj"
    return f"[{' '.join(parts)}] TJ"


def _one_glyph(before: Any, glyph: bytes, after: Any, escape: Any) -> str:
    parts = [fp_str(before)] if before else []
    parts.append(f"({escape(glyph)})")
    if after:
        parts.append(fp_str(after))
    parts = [part for part in parts if part != "0"]
    if len(parts) == 1:
        return f"{parts[0]} Tj"
    return f"[{' '.join(parts)}] TJ"


_original_format_text = PDFTextObject._formatText
