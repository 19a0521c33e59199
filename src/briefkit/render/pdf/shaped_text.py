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

from briefkit.render.pdf.text_layer import actual_text_runs, begin_span


def format_shaped(
    self: PDFTextObject, font: Any, text: ShapedStr, *, actual_text: bool = True
) -> str:
    """The operators that draw *text*; with *actual_text*, each word's glyphs inside a span
    that gives their logical text (see text_layer). The operators are those reportlab writes,
    in the same order: a TJ array that a span boundary crosses is written as two, which moves
    no glyph (the adjustments between the two glyphs are the same numbers)."""
    spans = actual_text_runs(text) if actual_text else None
    if spans is not None and all(actual is None for _, _, actual in spans):
        spans = None
    return _format_glyphs(self, font, text, spans)


_Span = tuple[int, int, str | None]


def _format_glyphs(
    self: PDFTextObject, font: Any, text: ShapedStr, spans: list[_Span] | None = None
) -> str:
    """reportlab's writing of shaped text (``_formatText``), in fewer steps; each of *spans*
    (glyph indices from, to, and the text they read as) in its marked content."""
    doc = self._canvas._doc
    state = (self._code, self._x, self._y)
    try:
        self._code = code = []
        tmpl = None
        r0 = self._rise
        fontsize = self._fontsize
        shape_data = text.__shapeData__
        span_of = _span_of(spans, len(shape_data)) if spans else None
        start = 0
        for subset, chunk in font.splitString(text, doc):
            if subset != self._curSubset:
                if not tmpl:
                    tmpl = f"{fp_str(fontsize)} Tf {fp_str(self._leading)} TL"
                code.append(f"{font.getSubsetInternalName(subset, doc)} {tmpl}")
                self._curSubset = subset
            end = start + len(chunk)
            _write_runs(self, chunk, shape_data[start:end] + _sdGuardL, r0, (start, span_of))
            start = end
        if self._rise != r0:
            self.setRise(r0)
    finally:
        self._code, self._x, self._y = state
    return " ".join(code)


def _write_runs(
    self: PDFTextObject,
    chunk: bytes,
    data: list[Any],
    r0: float,
    where: tuple[int, list[_Span | None] | None],
) -> None:
    """The glyphs of *chunk* (subset codes) as Tj or TJ operators, a run of glyphs at one rise
    at a time; *data* ends with reportlab's guard entry (cluster -1). *where* is the index of
    the chunk's first glyph in the text, and the span of each glyph of the text (or None)."""
    offset, span_of = where
    fontsize = self._fontsize
    escape = self._canvas._escape
    started = False
    operands: list[Any] = []
    run_start = offset  # the text's index of the run's first glyph
    for index, sd in enumerate(data):
        rise = r0 + fontsize * sd.y_offset / 1000
        if not started or sd.cluster < 0 or rise != self._rise:
            if started:
                if span_of is None:
                    self._code.append(_operator(operands, escape))
                else:
                    _append_in_spans(self._code, operands, run_start, span_of, escape)
                if self._rise != r0:
                    self.setRise(r0)
                if sd.cluster < 0:
                    break
            if rise != self._rise:
                self.setRise(rise)
            started = True
            operands = []
            run_start = offset + index
        operands += (-sd.x_offset, chunk[index : index + 1], sd.width - sd.x_advance + sd.x_offset)


def _span_of(spans: list[_Span], count: int) -> list[_Span | None]:
    """The span each glyph is in (None: outside every span)."""
    found: list[_Span | None] = [None] * count
    for span in spans:
        if span[2] is not None:
            found[span[0] : span[1]] = [span] * (span[1] - span[0])
    return found


def _append_in_spans(
    code: list[str], operands: list[Any], first: int, span_of: list[_Span | None], escape: Any
) -> None:
    """The operator of a run of glyphs (the glyph *first* and those after it; three operands
    each), cut where a span starts or ends, each span opened just before its first glyph's
    operator and closed just after its last's. Nothing but the span operators is added, and
    only next to glyph operators: reportlab's setRise, which rewrites the code's last entry
    when that is a rise, sees the same entries as it does without spans."""
    count = len(operands) // 3
    index = 0
    while index < count:
        span = span_of[first + index]
        end = index + 1
        while end < count and span_of[first + end] is span:
            end += 1
        if span is not None and span[0] == first + index:
            code.append(begin_span(span[2] or ""))
        code.append(_operator(operands[index * 3 : end * 3], escape))
        if span is not None and span[1] == first + end:
            code.append("EMC")
        index = end


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
