"""Shaped text written into a PDF text object, as reportlab 5.1 writes it, in fewer steps.

reportlab's ``PDFTextObject._formatText`` writes a shaped string (Arabic, Devanagari, kerned
Latin in a shaped paragraph) glyph by glyph: each glyph's offsets become TJ operands, joined by
``itertools.groupby`` with a lambda per operand, which made it a sixth of the time of a build of
an Arabic brief. :func:`format_shaped` is the same algorithm with the operands joined in one
pass; its output is the same, character for character, including reportlab's quirks (a run of
glyphs raised by HarfBuzz ends at every glyph, because ``setRise`` does not record a rise it
rewrites in place). Text that is not shaped goes to reportlab's own method (see
reportlab_fixes).
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.ttfonts import ShapedStr, _sdGuardL
from reportlab.pdfgen.textobject import PDFTextObject

from briefkit.render.pdf.paragraph import name_level
from briefkit.render.pdf.text_layer import actual_text_runs, begin_span

_LOGICAL_ORDER = False  # see the report: poppler reads words drawn so backwards


def format_shaped(
    self: PDFTextObject, font: Any, text: ShapedStr, *, actual_text: bool = True
) -> str:
    """The operators that draw *text*; with *actual_text*, each word's glyphs inside a span
    that gives their logical text (see text_layer). Splitting a TJ array at a span moves no
    glyph: the adjustments between two glyphs are the same, only written as two numbers."""
    if not actual_text:
        return _format_glyphs(self, font, text)
    if _LOGICAL_ORDER and name_level(self._fontname) % 2 and _plain_spacing(self):
        return _format_right_to_left(self, font, text)
    code = []
    for start, end, actual in actual_text_runs(text):
        glyphs = _format_glyphs(self, font, text[start:end])
        code.append(f"{begin_span(actual)} {glyphs} EMC" if actual else glyphs)
    return " ".join(code)


def _plain_spacing(self: PDFTextObject) -> bool:
    """No word or character spacing and no horizontal scaling: a glyph's place is the sum of
    the advances before it."""
    spacing = (getattr(self, "_wordSpace", 0), getattr(self, "_charSpace", 0))
    return spacing == (0, 0) and getattr(self, "_horizScale", 100) == 100


def _format_right_to_left(self: PDFTextObject, font: Any, text: ShapedStr) -> str:
    """*text* (a run at a right-to-left level, its glyphs in visual order) drawn in logical
    order: from its right end to its left, each glyph moved to where the visual order puts it
    (by the numbers of TJ), then on to the run's end. The page shows the same glyphs in the
    same places; what changes is the order a reader meets them in (a screen reader, copying,
    ``pdftotext -raw``), and each span's glyphs run right to left, which tells poppler to read
    the span's text as it is written."""
    doc = self._canvas._doc
    escape = self._canvas._escape
    fontsize = self._fontsize
    r0 = self._rise
    data = text.__shapeData__
    glyphs: list[tuple[int, bytes]] = []
    for subset, chunk in font.splitString(text, doc):
        glyphs += [(subset, chunk[i : i + 1]) for i in range(len(chunk))]
    natural = [font.stringWidth(ch, 1000) for ch in str(text)]
    places = []  # where each glyph's advance starts, in thousandths of the font size
    place = 0.0
    for width, sd in zip(natural, data, strict=True):
        places.append(place)
        place += width - sd.width + sd.x_advance
    end = place
    turned = ShapedStr(str(text)[::-1], shapeData=data[::-1])
    count = len(data)
    state = (self._code, self._x, self._y)
    try:
        self._code = code = []
        pen = 0.0
        operands: list[Any] = []

        def flush() -> None:
            if operands:
                code.append(_moves_and_glyphs(operands, escape))
                operands.clear()

        for start, stop, actual in actual_text_runs(turned):
            if actual:
                flush()
                code.append(begin_span(actual))
            for turned_index in range(start, stop):
                index = count - 1 - turned_index
                sd = data[index]
                subset, glyph = glyphs[index]
                rise = r0 + fontsize * sd.y_offset / 1000
                if subset != self._curSubset or rise != self._rise:
                    flush()
                if subset != self._curSubset:
                    name = font.getSubsetInternalName(subset, doc)
                    code.append(f"{name} {fp_str(fontsize)} Tf {fp_str(self._leading)} TL")
                    self._curSubset = subset
                if rise != self._rise:
                    self.setRise(rise)
                move = fp_str(pen - (places[index] + sd.x_offset))
                operands.append(move)
                pen -= float(move)
                operands.append(glyph)
                pen += natural[index]
            if actual:
                flush()
                code.append("EMC")
        if self._rise != r0:
            flush()
            self.setRise(r0)
        operands.append(fp_str(pen - end))
        flush()
    finally:
        self._code, self._x, self._y = state
    return " ".join(part for part in code if part)


def _moves_and_glyphs(operands: list[Any], escape: Any) -> str:
    """A TJ operator of moves (numbers, as text) and glyphs, zero moves left out."""
    parts = [
        f"({escape(operand)})" if operand.__class__ is bytes else operand
        for operand in operands
        if operand.__class__ is bytes or float(operand) != 0
    ]
    if not parts:
        return ""
    if len(parts) == 1 and parts[0].startswith("("):
        return f"{parts[0]} Tj"
    return f"[{' '.join(parts)}] TJ"


def _format_glyphs(self: PDFTextObject, font: Any, text: ShapedStr) -> str:
    """reportlab's writing of shaped text (``_formatText``), in fewer steps."""
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
