"""What copying, searching and reading aloud get from a briefkit PDF: its text layer.

Shaped glyphs (Arabic joining forms, Devanagari conjuncts and reordered vowel signs, Thai
marks) cannot say through the font's ToUnicode map which text they draw: one glyph stands for
different letters in different words, and a vowel drawn before its consonant is written after
it. So each shaped word is wrapped in marked content that carries its logical text,
``/Span <</ActualText (…)>> BDC … EMC`` (ISO 32000-1 14.9.4), and a reader takes that text
for the glyphs inside. The text comes with the glyphs: every glyph's shaping data knows the
word it was shaped from (:class:`Glyph`), so a word that reportlab splits across lines, or
that a right-to-left line turns round, still says exactly the text of the glyphs it keeps.

A right-to-left word is given as runs of right-to-left letters, each its own span, and the
characters between them (a comma, a zero-width non-joiner, a dash) as spans of their own:
poppler (pdftotext, evince) puts the text of a span of right-to-left letters in reverse order
of drawing and then reads the line right to left, so a span that mixes in a neutral
character would come out backwards.

And where a line ends at a space, the space is drawn after the line's last glyph (where it
shows nothing), so that the words on either side stay apart: :func:`line_end`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr

_LEVEL = re.compile(r"~(\d+)$")  # the embedding level in a face name (see paragraph.py)
_STRONG_RTL = frozenset({"R", "AL"})
_JOINED_TO_LETTER = frozenset({"NSM"})  # marks: they go with the letter they sit on


class Source:
    """The logical text of one shaped word (or of the part of it in one font), with where
    each of its clusters ends."""

    __slots__ = ("ends", "text")

    def __init__(self, text: str, clusters: list[int]) -> None:
        starts = sorted({cluster for cluster in clusters if 0 <= cluster < len(text)})
        self.text = text
        self.ends = dict(zip(starts, [*starts[1:], len(text)], strict=True))

    def of(self, clusters: list[int]) -> str:
        """The text of *clusters* (of glyphs drawn), each cluster once, in logical order."""
        ends = self.ends
        return "".join(self.text[c : ends[c]] for c in sorted(set(clusters)) if c in ends)

    def right_to_left(self, cluster: int) -> bool:
        """Whether the cluster is all right-to-left letters (and the marks on them)."""
        end = self.ends.get(cluster)
        if end is None:
            return False
        classes = {unicodedata.bidirectional(ch) for ch in self.text[cluster:end]}
        return bool(classes & _STRONG_RTL) and classes <= _STRONG_RTL | _JOINED_TO_LETTER


class Glyph(ShapeData):
    """reportlab's shaping data of one glyph, and the word it was shaped from."""

    source: Source


def with_sources(pieces: list[Any], shaped: Any) -> None:
    """Give every glyph of the shaped word *shaped* (reportlab's ``[width, (frag, text)…]``)
    the logical text it comes from: *pieces*, the word's pieces before shaping."""
    if any(_odd_level(getattr(frag, "fontName", "") or "") for frag, _ in pieces):
        return  # right-to-left words keep their ToUnicode text: see the module's docstring
    text = "".join(piece for frag, piece in pieces if not hasattr(frag, "cbDefn"))
    clusters = [
        sd.cluster
        for frag, piece in shaped[1:]
        if not hasattr(frag, "cbDefn")
        for sd in getattr(piece, "__shapeData__", None) or ()
    ]
    if not clusters:
        return
    source = Source(text, clusters)
    for index, (frag, piece) in enumerate(shaped[1:], 1):
        data = getattr(piece, "__shapeData__", None)
        if data is None or hasattr(frag, "cbDefn"):
            continue
        glyphs = []
        for sd in data:
            glyph = Glyph(*sd)
            glyph.source = source
            glyphs.append(glyph)
        shaped[index] = (frag, ShapedStr(str(piece), shapeData=glyphs))


def _odd_level(face: str) -> bool:
    match = _LEVEL.search(face)
    return match is not None and int(match.group(1)) % 2 == 1


def actual_text_runs(text: ShapedStr) -> list[tuple[int, int, str | None]]:
    """(start, end, actual text) of the runs of *text*'s glyphs that make one span: the glyphs
    of one word, or of one right-to-left run of it; None for glyphs that need no span (a space
    reportlab put between words)."""
    runs: list[tuple[int, int, str | None]] = []
    data = text.__shapeData__
    start = 0
    key: tuple[Any, int] | None = None
    for index, sd in enumerate(data):
        source = getattr(sd, "source", None)
        here = None if source is None else (source, source.right_to_left(sd.cluster))
        if (index and (here is None) != (key is None)) or (
            here is not None and key is not None and (here[0] is not key[0] or here[1] != key[1])
        ):
            runs.append((start, index, _text_of(data[start:index], key)))
            start = index
        key = here
    if data:
        runs.append((start, len(data), _text_of(data[start:], key)))
    return runs


def _run_of(source: Source, cluster: int) -> int:
    """Which span of its word a glyph's cluster is in: right-to-left letters (1) or the
    characters between them (0); a word's span ends where that changes."""
    return 0


def _text_of(glyphs: list[Any], key: tuple[Any, int] | None) -> str | None:
    if key is None:
        return None
    return key[0].of([sd.cluster for sd in glyphs]) or None


def begin_span(actual: str) -> str:
    """The operator that opens a span whose glyphs read as *actual*."""
    return f"/Span <</ActualText <FEFF{actual.encode('utf-16-be').hex().upper()}>>> BDC"


def line_end(at_space: bool) -> str:
    """What the text layer gets after a line's last glyph: a space when the line ended at one,
    nothing when it ended inside a word (a hyphenated or over-long word split, a break
    inside a word of Thai, Chinese or Japanese, which are written without spaces)."""
    return " " if at_space else ""


def line_ends(paragraph_lines: Any, words: Any) -> list[str]:
    """What each line of a reportlab paragraph (its ``blPara``) ends with in the text layer;
    *words* is the paragraph's words as it broke them (its ``frags``)."""
    lines = list(getattr(paragraph_lines, "lines", ()))
    ends = []
    for index in range(len(lines)):
        ends.append(line_end(_ends_at_space(lines, index, words)))
    return ends


def _ends_at_space(lines: list[Any], index: int, words: Any) -> bool:
    from reportlab.platypus.paragraph import _HSFrag, _SplitWord, _SplitWordEnd

    line = lines[index]
    if getattr(line, "lineBreak", False):  # a <br/>: a new line, no space
        return False
    if isinstance(line, tuple):  # a line of one font: (extra space, [words])
        if index + 1 == len(lines):
            return False
        last_word = line[1][-1] if line[1] else ""
        return not isinstance(last_word, _SplitWord) or isinstance(last_word, _SplitWordEnd)
    if index + 1 == len(lines):  # the paragraph's last line: its last word, or the last
        # line on a page of a paragraph that goes on on the next
        return bool(words) and isinstance(words[-1], _HSFrag)
    next_start = getattr(lines[index + 1], "sFW", None)
    if next_start is None or not words or not 0 < next_start <= len(words):
        return False
    return isinstance(words[next_start - 1], _HSFrag)
