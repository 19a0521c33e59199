"""reportlab paragraphs as briefkit draws them: wrapped once per width, and put in visual
order line by line when they hold right-to-left text.

reportlab has no bidirectional algorithm of its own (its ``rlbidi`` hook is not on the package
index). ``fonts`` gives every run of text its embedding level (UAX #9, from python-bidi) as
a suffix of its face name (``NotoSansArabic-Regular~1``); :class:`BidiParagraph` reorders each
line's words by those levels when it is drawn (rule L2), after reportlab has broken the lines
in logical order.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from reportlab.pdfbase.ttfonts import ShapedStr
from reportlab.platypus import Paragraph as _ReportlabParagraph

from briefkit.render.common.kept import Recent, memo
from briefkit.render.pdf.line_breaks import break_lines
from briefkit.render.pdf.tags import Element, label, marked
from briefkit.render.pdf.text_layer import line_ends

_LEVEL_SUFFIX = re.compile(r"~(\d+)$")


class Paragraph(_ReportlabParagraph):
    """A reportlab Paragraph that parses its markup and breaks its lines once per process.

    A table re-wraps every flowable of a cell each time it splits the cell across a page, so a
    long cell (a huge bottom line in its box) cost time quadratic in its length. Line breaks
    depend on the width alone, so the last wrap is kept and reused (see briefkit.layout.longtext).

    Parsed fragments and broken lines are also kept for the process, by markup, style values
    and width: the same label, chip or unchanged paragraph of the next document (or of the next
    ``watch`` round) reuses them. reportlab only reads them when it measures and draws; its
    ``split`` changes words in place, so a paragraph takes copies of its own before splitting.
    """

    # reportlab's state, set by its __init__ and breakLines (reportlab has no type hints)
    text: Any
    frags: Any
    bulletText: Any
    blPara: Any
    _wrapped: tuple[float, tuple[float, float]] | None = None
    _parsed_key: tuple[str, str, Any] | None = None  # where its fragments are kept, if they are
    _shared = False  # whether its broken lines are the kept ones
    # A list number or bullet drawn at the right of the first line, this far in from the right
    # edge: reportlab draws bullets on the left only, and a right-to-left page has them right.
    marker: tuple[_ReportlabParagraph, float] | None = None
    # The structure element whose marked content the paragraph paints (see tags.py).
    tag: Element | None = None
    # A list item's number or bullet on a mirrored page: a space after it in the text layer.
    label_end: bool = False

    def __init__(
        self, text: Any, style: Any, bulletText: Any = None, frags: Any = None, **kwargs: Any
    ) -> None:
        if frags is not None or kwargs or not isinstance(text, str):  # a split: already parsed
            super().__init__(text, style, bulletText, frags, **kwargs)
            return
        key = (text, _style_key(style), bulletText)
        parsed = _PARSED.get(key)
        if parsed is None:
            super().__init__(text, style, bulletText)
            if self.style is not style:  # a <para> tag makes a style of its own: not kept
                return
            _PARSED.put(key, (self.text, self.frags, self.bulletText))
        else:
            super().__init__(text, style, bulletText, frags=parsed[1])
            self.text, self.bulletText = parsed[0], parsed[2]
        self._parsed_key = key

    def breakLines(self, width: Any) -> Any:
        # Shaped text holds glyph codes its document's fonts assign: never kept across documents.
        # A bullet or list number shortens the first line: the key holds the bullet and the
        # style as they are now (a list sets them after the paragraph is made).
        bullet = self.bulletText
        if (
            self._parsed_key is None
            or getattr(self.style, "shaping", False)
            or not isinstance(bullet, str | None)
        ):
            return break_lines(self, width, super().breakLines)
        widths = tuple(width) if isinstance(width, list | tuple) else width
        key = (self._parsed_key[0], _style_key(self.style), bullet, widths)
        kept = _BROKEN.get(key)
        if kept is None:
            lines = break_lines(self, width, super().breakLines)
            state = {a: vars(self)[a] for a in _BREAK_STATE if a in vars(self)}
            kept = _BROKEN.put(key, (lines, state))
        self.__dict__.update(kept[1])
        self._shared = True
        return kept[0]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._wrapped is not None and self._wrapped[0] == availWidth and "blPara" in vars(self):
            return self._wrapped[1]
        size = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, size)
        return size

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        if self._shared and "blPara" in vars(self):
            self.blPara, self.frags = copy.deepcopy((self.blPara, self.frags))
            self._shared = False
        parts = super().split(availWidth, availHeight)
        if parts and self.marker is not None:
            parts[0].marker = self.marker
        for part in parts:  # the parts of a split paragraph are one element
            part.tag = self.tag
        return parts

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        with marked(canvas, self.tag):
            super().drawOn(canvas, x, y, _sW)

    def drawPara(self, debug: int = 0) -> None:
        self._draw_lines(debug, line_ends(self.blPara, self.frags))

    def _draw_lines(self, debug: int, ends: list[str]) -> None:
        """reportlab's drawing of the lines, each line ended in the text layer by *ends*."""
        self._line_ends = [" "] * len(ends) if self.label_end else ends
        try:
            super().drawPara(debug)
        finally:
            del self._line_ends

    def beginText(self, x: float, y: float) -> Any:
        text = super().beginText(x, y)
        ends = getattr(self, "_line_ends", None)
        if ends is not None:  # read by reportlab_fixes' _textOut at each line's end
            text.briefkit_line_ends = iter(ends)
        return text

    def draw(self) -> None:
        super().draw()
        if self.marker is not None:
            marker, offset = self.marker
            _, height = marker.wrap(self.width, self.height)
            with label(self.canv):  # the list item's Lbl
                marker.drawOn(self.canv, -offset, self.height - height)


class BidiParagraph(Paragraph):
    """A paragraph whose lines are put in visual order (UAX #9, L2) when drawn.

    Lines are broken in logical order by reportlab; only drawing sees the reordered copy, so
    splitting the paragraph across pages works on the logical text.
    """

    def drawPara(self, debug: int = 0) -> None:
        logical = self.blPara
        ends = line_ends(logical, self.frags)  # of the lines as broken, in logical order
        if getattr(logical, "kind", 0) == 1:
            self.blPara = logical.clone(lines=[_visual_line(line) for line in logical.lines])
        try:
            self._draw_lines(debug, ends)
        finally:
            self.blPara = logical


# Parsed markup by (markup, style values, bullet): the same label, chip or unchanged paragraph
# is parsed once per process, not once per document (a watch round re-parses nothing it has
# seen). Line breaking only reads parsed fragments; splitting is handled in Paragraph.split.
_PARSED: Recent[tuple[str, str, Any], tuple[str, list[Any], Any]] = Recent(2_000)
# Broken lines by (markup, style values, bullet, widths), with what breakLines sets on its
# paragraph besides.
_BROKEN: Recent[tuple[str, str, str | None, Any], tuple[Any, dict[str, Any]]] = Recent(2_000)
_BREAK_STATE = ("frags", "_width_max", "_splitLongWordCount", "_hyphenations")


def _style_key(style: Any) -> str:
    """What a paragraph style sets, as text: equal for equal styles of different documents."""
    key = vars(style).get("_briefkit_key")
    if key is None:
        values = sorted((k, v) for k, v in vars(style).items() if k not in ("name", "parent"))
        key = repr((values, style.parent and _style_key(style.parent)))
        style._briefkit_key = key
    return key


def frag_level(frag: Any) -> int:
    """The embedding level a run carries in its face name (0 when it carries none)."""
    return name_level(getattr(frag, "fontName", "") or "")


@memo(256)
def name_level(name: str) -> int:
    """The embedding level a face name carries (0 when it carries none)."""
    match = _LEVEL_SUFFIX.search(name)
    return int(match.group(1)) if match else 0


def _visual_line(line: Any) -> Any:
    if _in_visual_order(line.words):
        return line
    tokens: list[tuple[Any, Any, int]] = []  # (frag, its text, level)
    for frag in line.words:
        text = getattr(frag, "text", None)
        level = frag_level(frag)
        if not text or hasattr(frag, "cbDefn"):
            level = tokens[-1][2] if tokens else level
        tokens.append((frag, text, level))
    if not tokens:
        return line
    levels = [level for _, _, level in tokens]
    lowest_odd = min(level for level in levels if level % 2) if any(x % 2 for x in levels) else 0
    floor = max(lowest_odd, 1)
    # A run's words are reversed once for each level from its own down to the floor: an odd
    # number of times turns the run's words round, an even number leaves them as they are.
    tokens = [
        (frag, _words_turned(text), level)
        if text and not hasattr(frag, "cbDefn") and level >= floor and (level - floor) % 2 == 0
        else (frag, text, level)
        for frag, text, level in tokens
    ]
    for level in range(max(levels), floor - 1, -1):
        index = 0
        while index < len(tokens):
            if tokens[index][2] >= level:
                end = index
                while end < len(tokens) and tokens[end][2] >= level:
                    end += 1
                tokens[index:end] = tokens[index:end][::-1]
                index = end
            else:
                index += 1
    words: list[Any] = []
    for frag, piece, _ in tokens:
        if words and words[-1][0] is frag and piece is not None:
            words[-1][1] = words[-1][1] + piece
        else:
            words.append([frag, piece])
    return line.clone(words=[_with_text(frag, piece) for frag, piece in words])


def _words_turned(text: Any) -> Any:
    """*text* with its words and runs of spaces in reverse order (each word as it is), and
    its glyphs' shaping data in the same order."""
    spans = _pieces(text)[::-1]
    plain = str(text)
    turned = "".join(plain[start:end] for start, end in spans)
    data = getattr(text, "__shapeData__", None)
    if data is None:
        return turned
    return ShapedStr(turned, shapeData=[sd for start, end in spans for sd in data[start:end]])


def _in_visual_order(words: list[Any]) -> bool:
    """Whether a line's words are all at one even level, so that reordering them by level
    (below) would give them back as they are: each word's pieces join up again, unless the
    same frag is two words in a row."""
    level = None
    for index, frag in enumerate(words):
        if index and frag is words[index - 1]:
            return False
        if level is None or (getattr(frag, "text", None) and not hasattr(frag, "cbDefn")):
            here = frag_level(frag)
            if here % 2 or (level is not None and here != level):
                return False
            level = here
    return True


def _pieces(text: Any) -> list[tuple[int, int]]:
    """(start, end) of the words and the runs of spaces in *text*. HarfBuzz draws a zero-width
    non-joiner (Persian آماده‌اند) as a space glyph of no width: that is not a word break."""
    data = getattr(text, "__shapeData__", None)
    spans: list[tuple[int, int]] = []
    start, spacing = 0, None
    for index, ch in enumerate(str(text)):
        # spaces reportlab adds between words carry no shaping data (cluster 0x7fffffff)
        shaped = data[index] if data is not None and data[index].cluster != 0x7FFFFFFF else None
        space = ch == " " and not (shaped is not None and shaped.x_advance == 0)
        if spacing is not None and space != spacing:
            spans.append((start, index))
            start = index
        spacing = space
    if len(text) > start:
        spans.append((start, len(text)))
    return spans


def _with_text(frag: Any, text: Any) -> Any:
    if text is None or not hasattr(frag, "text"):
        return frag
    return frag.clone(text=text)
