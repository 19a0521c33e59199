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

import unicodedata
from typing import Any

from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr

_STRONG_RTL = frozenset({"R", "AL"})
_JOINED_TO_LETTER = frozenset({"NSM"})  # marks: they go with the letter they sit on


class Source:
    """The logical text of one shaped word (or of the part of it in one font), with where
    each of its clusters ends."""

    __slots__ = ("ends", "rtl", "text")

    def __init__(self, text: str, clusters: list[int]) -> None:
        starts = sorted({cluster for cluster in clusters if 0 <= cluster < len(text)})
        self.text = text
        self.ends = dict(zip(starts, [*starts[1:], len(text)], strict=True))
        self.rtl = frozenset(c for c, end in self.ends.items() if _right_to_left(text[c:end]))

    def of(self, clusters: list[int]) -> str:
        """The text of *clusters* (of glyphs drawn), each cluster once, in logical order."""
        ends = self.ends
        return "".join(self.text[c : ends[c]] for c in sorted(set(clusters)) if c in ends)

    def right_to_left(self, cluster: int) -> bool:
        """Whether the cluster is all right-to-left letters (and the marks on them)."""
        return cluster in self.rtl


def _right_to_left(text: str) -> bool:
    classes = {unicodedata.bidirectional(ch) for ch in text}
    return bool(classes & _STRONG_RTL) and classes <= _STRONG_RTL | _JOINED_TO_LETTER


class Glyph(ShapeData):
    """reportlab's shaping data of one glyph, and the word it was shaped from."""

    source: Source


def with_sources(pieces: list[Any], shaped: Any) -> None:
    """Give every glyph of the shaped word *shaped* (reportlab's ``[width, (frag, text)…]``)
    the logical text it comes from: *pieces*, the word's pieces before shaping."""
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


def actual_text_runs(text: ShapedStr) -> list[tuple[int, int, str | None]]:
    """(start, end, actual text) of the runs of *text*'s glyphs that make one span: the glyphs
    of one word, or one right-to-left letter of it (see :func:`_span_key`); None for glyphs
    that need no span (a space reportlab put between words)."""
    runs: list[tuple[int, int, str | None]] = []
    data = text.__shapeData__
    with_advance = {
        (id(source), sd.cluster)
        for sd in data
        if (source := getattr(sd, "source", None)) is not None and sd.x_advance
    }
    said: set[tuple[int, int]] = set()  # right-to-left clusters whose text a span carries
    start = 0
    key: tuple[Any, ...] | None = None
    for index, sd in enumerate(data):
        here = _span_key(sd)
        if index and here != key:
            runs.append((start, index, _text_of(data[start:index], key, with_advance, said)))
            start = index
        key = here
    if data:
        runs.append((start, len(data), _text_of(data[start:], key, with_advance, said)))
    return _where_needed(str(text), data, runs)


def _where_needed(
    chars: str, data: list[Any], runs: list[tuple[int, int, str | None]]
) -> list[tuple[int, int, str | None]]:
    """*runs* with a span only where the glyphs' own characters (what the font's ToUnicode
    map gives) are not the text: a word or a right-to-left letter drawn by a glyph of a
    presentation form, a glyph without a character, glyphs in another order, or a glyph
    drawn far from where its width puts it (:func:`_displaced`) or a mark drawn without
    advancing (:func:`_has_mark`). Fewer
    spans: poppler's structure text (``pdfinfo -struct-text``) ends an element's text at the
    first span's end, and every span costs operators."""
    wrong: set[tuple[int, int]] = set()  # right-to-left clusters whose glyphs say otherwise
    for start, end, actual in runs:
        source = getattr(data[start], "source", None)
        if actual is None or source is None or not source.right_to_left(data[start].cluster):
            continue
        cluster = (id(source), data[start].cluster)
        own = [chars[i] for i in range(start, end) if data[i].x_advance or ord(chars[i]) < 0xE000]
        if (actual != "" and ("".join(own) != actual or any(_private(c) for c in own))) or any(
            _private(chars[i]) for i in range(start, end)
        ):
            wrong.add(cluster)
    needed: list[tuple[int, int, str | None]] = []
    for start, end, actual in runs:
        sd = data[start]
        source = getattr(sd, "source", None)
        if actual is not None and source is not None:
            if source.right_to_left(sd.cluster):
                keep = (id(source), sd.cluster) in wrong
            else:
                text = chars[start:end]
                keep = (
                    text != actual
                    or any(_private(c) for c in text)
                    or _displaced(data[start:end])
                    or _has_mark(data[start:end])
                )
            if not keep:
                actual = None
        needed.append((start, end, actual))
    return needed


def _displaced(glyphs: list[Any]) -> bool:
    """Whether a glyph is drawn more than a tenth of the size away from where its own width
    puts it (a Devanagari vowel sign drawn back over its consonant): poppler would take the
    gap or the overlap for a word break."""
    return any(abs(sd.x_offset) > 100 or abs(sd.x_advance - sd.width) > 100 for sd in glyphs)


def _has_mark(glyphs: list[Any]) -> bool:
    """Whether a glyph draws without advancing the pen (a Thai tone mark, a Devanagari
    virama): poppler orders characters by where they start, so a mark that starts a hair to
    the right of the next letter (its own offset, or the next piece of a word cut by ICU)
    comes out after that letter and breaks the word apart. Not a run of marks alone (an
    Arabic vowel mark that HarfBuzz leaves a cluster of its own): a span of its own would
    only move it further from its letter."""
    return any(not sd.x_advance for sd in glyphs) and any(sd.x_advance for sd in glyphs)


def _private(ch: str) -> bool:
    return 0xE000 <= ord(ch) < 0xF900


def _span_key(sd: Any) -> tuple[Any, ...] | None:
    """What a glyph shares with the glyphs of its span. A right-to-left letter is a span of
    its own: poppler lays the characters of a span out left to right and then reads the run
    right to left, so a span of several right-to-left letters comes out backwards. A mark
    drawn as a glyph of its own (Noto Sans Arabic draws the dots of a letter apart from its
    body) is a span that reads as nothing, so that the letter's span starts where its body
    does (poppler takes a gap between spans wider than a tenth of the size for a space)."""
    source = getattr(sd, "source", None)
    if source is None:
        return None
    if source.right_to_left(sd.cluster):
        return (source, sd.cluster, not sd.x_advance)
    return (source, -1, False)


def _text_of(
    glyphs: list[Any],
    key: tuple[Any, ...] | None,
    with_advance: set[tuple[int, int]],
    said: set[tuple[int, int]],
) -> str | None:
    if key is None:
        return None
    source, cluster, mark = key
    if cluster < 0:
        return source.of([sd.cluster for sd in glyphs]) or None
    here = (id(source), cluster)
    if here in said or (mark and here in with_advance):
        return ""
    said.add(here)
    return source.of([cluster])


def begin_span(actual: str) -> str:
    """The operator that opens a span whose glyphs read as *actual*."""
    if not actual:
        return "/Span <</ActualText ()>> BDC"
    return f"/Span <</ActualText <FEFF{actual.encode('utf-16-be').hex().upper()}>>> BDC"


class Label(str):
    """A list item's number or bullet: in the text layer, a space follows it (drawn after its
    last glyph: nothing on the page moves), which the page shows as the distance to the
    item's text."""

    __slots__ = ()


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

    from briefkit.render.pdf.line_breaks import Cut  # a word cut where ICU lets a line end

    line = lines[index]
    if getattr(line, "lineBreak", False):  # a <br/> ("Date", then the date): words apart
        return True
    if isinstance(line, tuple):  # a line of one font: (extra space, [words])
        if index + 1 == len(lines):
            return False
        last_word = line[1][-1] if line[1] else ""
        if isinstance(last_word, Cut):
            return False
        return not isinstance(last_word, _SplitWord) or isinstance(last_word, _SplitWordEnd)
    if index + 1 == len(lines):  # the paragraph's last line: its last word, or the last
        # line on a page of a paragraph that goes on on the next
        return bool(words) and isinstance(words[-1], _HSFrag)
    next_start = getattr(lines[index + 1], "sFW", None)
    if next_start is None or not words or not 0 < next_start <= len(words):
        return False
    before = words[next_start - 1]
    return isinstance(before, _HSFrag) and not isinstance(before, Cut)
