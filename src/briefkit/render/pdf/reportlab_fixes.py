"""Every change briefkit makes to reportlab, in one place, installed by :func:`apply`.

reportlab 5.1 is what these were written and tested against: :func:`apply` refuses another
version (:class:`UntestedReportlab`) rather than let a private method that moved break a
document silently. What is changed, and why:

1. ``PDFTextObject.setRise`` reaches an empty list of operators in a shaped paragraph.
2. ``shapeFragWord`` (ttfonts, and platypus.paragraph's copy) shapes a word of pieces in
   several fonts with the first piece's font, and lets HarfBuzz guess the direction.
3. ``makeToUnicodeCMap``: glyphs without a character of their own map to their cluster's text.
4. ``PDFTextObject._formatText`` writes shaped text by :func:`shaped_text.format_shaped`
   (faster, and with each word's ``/ActualText``); other text goes to reportlab's own.
5. ``TTFont.__addPrivate`` records a private glyph's own advance as its width (PDF/A-2
   6.2.11.5): see :func:`_add_private_with_own_advance`.
6. ``PDFTextObject._textOut`` writes what the text layer needs where a line ends (a space
   where the line broke at one), which paragraph.py decides line by line.
7. ``platypus.paragraph._drawBullet`` paints a list item's number or bullet as the content
   of the item's ``Lbl`` element (:func:`tags.label`), not of its first paragraph.

What a document's drawing needs to remember (the text of its glyphs) is in a
:class:`DocumentState` held in a context variable, set by :func:`document` around one PDF, so
that two documents built at once (threads, or a document inside another's build) never mix.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import reportlab
import uharfbuzz
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import paragraph as reportlab_paragraph

from briefkit.render.common.kept import Recent
from briefkit.render.pdf.paragraph import frag_level
from briefkit.render.pdf.shaped_text import format_shaped
from briefkit.render.pdf.tags import label
from briefkit.render.pdf.text_layer import Label, with_sources

TESTED = ((5, 1),)
"""The reportlab releases (major, minor) these fixes are tested with; pyproject.toml pins the
same range."""


class UntestedReportlab(RuntimeError):
    """The installed reportlab is not one these fixes were tested with."""


def check_version(version: str) -> None:
    numbers = tuple(int(part) for part in version.split(".")[:2] if part.isdigit())
    if numbers not in TESTED:
        tested = ", ".join(f"{major}.{minor}.x" for major, minor in TESTED)
        raise UntestedReportlab(
            f"briefkit's PDF writer changes private parts of reportlab and is tested with "
            f"reportlab {tested}; reportlab {version} is installed "
            f"(install a tested one: pip install 'reportlab>=5.1,<5.2')"
        )


# reportlab's own functions, as they were before apply() replaced them
_ORIGINAL: dict[str, Any] = {
    "setRise": PDFTextObject.setRise,
    "_formatText": PDFTextObject._formatText,
    "_textOut": PDFTextObject._textOut,
    "makeToUnicodeCMap": ttfonts.makeToUnicodeCMap,
    "shapeFragWord": ttfonts.shapeFragWord,
    "addPrivate": TTFont._TTFont__addPrivate,
    "uharfbuzz": ttfonts.uharfbuzz,
    "_drawBullet": reportlab_paragraph._drawBullet,
}


def original(name: str) -> Any:
    """reportlab's own function *name* (a key of the table above), unchanged."""
    return _ORIGINAL[name]


_applied = False


def apply() -> None:
    """Install every fix (once: calling it again does nothing)."""
    global _applied
    if _applied:
        return
    check_version(reportlab.Version)
    PDFTextObject.setRise = _set_rise
    PDFTextObject._formatText = _format_text
    PDFTextObject._textOut = _text_out
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    ttfonts.shapeFragWord = _shape_frag_word
    reportlab_paragraph.shapeFragWord = _shape_frag_word
    ttfonts.uharfbuzz = _HarfBuzz()
    TTFont._TTFont__addPrivate = _add_private_with_own_advance
    reportlab_paragraph._drawBullet = _draw_bullet
    _applied = True


@dataclass
class DocumentState:
    """What drawing one PDF remembers: the text of each glyph without a character of its own,
    and the cached words whose glyph texts it has noted."""

    cluster_text: dict[tuple[str, int], str] = field(default_factory=dict)
    recorded: set[tuple[Any, ...]] = field(default_factory=set)


_STATE: ContextVar[DocumentState | None] = ContextVar("briefkit_pdf_document", default=None)


@contextmanager
def document() -> Iterator[DocumentState]:
    """A fresh state for the PDF drawn inside the block: its ToUnicode maps come from its own
    text alone, so its bytes do not depend on what the process built before."""
    state = DocumentState()
    token = _STATE.set(state)
    try:
        yield state
    finally:
        _STATE.reset(token)


def current() -> DocumentState:
    """The state of the document being drawn; outside :func:`document` (a paragraph measured
    on its own), a state that is thrown away."""
    state = _STATE.get()
    if state is None:
        state = DocumentState()
        _STATE.set(state)
    return state


def _format_text(self: PDFTextObject, text: Any) -> str:
    """``PDFTextObject._formatText``, with shaped text in a TrueType font by
    :func:`format_shaped`."""
    font = pdfmetrics.getFont(self._fontname)
    if font._dynamicFont and font.shapable and isinstance(text, ttfonts.ShapedStr):
        return format_shaped(self, font, text)
    if isinstance(text, Label):  # a list item's number: a space after it in the text layer
        return f"{_ORIGINAL['_formatText'](self, text)} {_ORIGINAL['_formatText'](self, ' ')}"
    return _ORIGINAL["_formatText"](self, text)


def _text_out(self: PDFTextObject, text: Any, TStar: int = 0) -> None:
    """``PDFTextObject._textOut``; at the end of a line (``T*``) of a paragraph that says what
    its lines end with, that text too (drawn after the line: nothing on the page moves)."""
    ends = getattr(self, "briefkit_line_ends", None)
    if TStar and ends is not None:
        end = next(ends, "")
        if end:
            self._code.append(f"{self._formatText(text)} {self._formatText(end)} T*")
            return
    self._code.append(f"{self._formatText(text)}{' T*' if TStar else ''}")


def _draw_bullet(
    canvas: Any, offset: float, cur_y: float, text: Any, *args: Any, **kwargs: Any
) -> Any:
    """``platypus.paragraph._drawBullet``: the bullet or number drawn as the ``Lbl`` of its
    list item, when its paragraph's element has one, followed by a space in the text layer
    (what is painted does not change: the bullet's width is measured without it)."""
    with label(canvas) as labelled:
        if labelled and isinstance(text, str):
            text = Label(text)
        return _ORIGINAL["_drawBullet"](canvas, offset, cur_y, text, *args, **kwargs)


def _add_private_with_own_advance(self: Any, name: str, gid: int, advance: float) -> int:
    """reportlab gives a glyph HarfBuzz picks that has no character of its own (a Devanagari
    conjunct, an Arabic joining form) a private-use code and records as its width the advance
    HarfBuzz gave it where it first occurred, in font units: after kerning or mark positioning,
    and unscaled for a font whose em is not 1000 units. That width goes into the font's
    /Widths, which must agree with the embedded font program (PDF/A-2 6.2.11.5). Recorded here
    is the glyph's own advance instead. What is painted does not change: each shaped glyph is
    placed by its shaped advance, written as the difference from the recorded width."""
    own = uharfbuzz.Font(self.hbFace).get_glyph_h_advance(gid)
    uchar: int = _ORIGINAL["addPrivate"](self, name, gid, advance)
    self.face.charWidths[uchar] = self.face._pdfScale(own)
    return uchar


# 1. PDFTextObject.setRise reads self._code[-1], which a shaped paragraph that is right-aligned
#    or mixes fonts reaches with an empty list (IndexError).
# 2. shapeFragWord shapes a word made of pieces in several fonts (a Latin bracket against an
#    Arabic word, a run-in label against the first word) with the first piece's font: the
#    other pieces get that font's glyph ids, and the private-use mapping crashes. A word that
#    also holds an anchor (<a name>) before right-to-left text loses its pieces. Each
#    single-font piece is shaped on its own here (each piece, in right-to-left text), and
#    anchors are left out of shaping.


def _set_rise(self: PDFTextObject, rise: float) -> None:
    if not self._code:
        self._code.append("")
    _ORIGINAL["setRise"](self, rise)


def _shape_frag_word(word: Any, *args: Any, **kwargs: Any) -> Any:
    if isinstance(word, ttfonts.ShapedFragWord):
        return word
    key = None if args or kwargs else _word_key(word)
    if key is None:
        shaped, texts = _shape_word(word, *args, **kwargs)
        _record(texts)
        return shaped
    known = _WORDS.get(key)
    if known is None:
        known = _WORDS.put(key, _Shaping.of(word, *_shape_word(word)))
    state = current()
    if key not in state.recorded:  # this document's ToUnicode map needs the word's glyph texts
        state.recorded.add(key)
        _record(known.texts)
    return known.applied_to(word)


# Words shaped in this process: a word recurs (Arabic "في", "من", a label in every box, the same
# brief rebuilt), and HarfBuzz gives the same glyphs for the same fonts, sizes and text. A key
# holds the font objects themselves: the private-use codes reportlab gives glyphs without a
# character (hbAddPrivate) belong to the font object and its face, which live as long as the
# process (fonts are registered once), so a key can never meet another font's codes.
_WORDS: Recent[tuple[Any, ...], _Shaping] = Recent(50_000)
_GlyphText = tuple[tuple[str, int], str]  # ((face name, private-use code), the text it draws)


@dataclass(frozen=True)
class _Shaping:
    """What shaping made of a word, for any word with the same pieces (fonts, sizes, text)."""

    width: float | None  # None: shaping left the word as it was
    pieces: tuple[tuple[int, Any], ...]  # (index of the piece in the word, its new text or None)
    texts: tuple[_GlyphText, ...]

    @classmethod
    def of(cls, word: Any, shaped: Any, texts: list[_GlyphText]) -> _Shaping:
        if shaped is word:
            return cls(None, (), tuple(texts))
        index = {id(piece[0]): at for at, piece in enumerate(word) if at}
        kept = {id(piece) for piece in word[1:]}  # pieces shaping left as they were
        pieces = tuple(
            (index[id(piece[0])], None if id(piece) in kept else piece[1]) for piece in shaped[1:]
        )
        return cls(shaped[0], pieces, tuple(texts))

    def applied_to(self, word: Any) -> Any:
        if self.width is None:
            return word
        pieces = [word[at] if text is None else (word[at][0], text) for at, text in self.pieces]
        return ttfonts.makeShapedFragWord(word)([self.width, *pieces])


def _word_key(word: Any) -> tuple[Any, ...] | None:
    """What the shaping of *word* depends on: each piece's font object, size and text (an
    anchor's width). None for a word that is not cached: a frag in two pieces, or a piece
    that is shaped already."""
    pieces = word[1:]
    if len(pieces) > 1 and len({id(frag) for frag, _ in pieces}) < len(pieces):
        return None
    key: list[Any] = []
    for frag, text in pieces:
        if hasattr(frag, "cbDefn"):
            key.append((None, getattr(frag, "width", 0)))
        elif type(text) is str:
            key.append((pdfmetrics.getFont(frag.fontName), frag.fontSize, text))
        else:
            return None
    return tuple(key)


def _shape_word(word: Any, *args: Any, **kwargs: Any) -> tuple[Any, list[_GlyphText]]:
    """*word* shaped, each single-font piece on its own, and the texts of its glyphs that have
    no character of their own."""
    texts: list[_GlyphText] = []
    if not any(_has_layout(piece[0]) for piece in word[1:]):
        # a Latin word in a paragraph that is shaped for another word in it: its faces have
        # no layout tables, so HarfBuzz would change nothing (reportlab then returns the word)
        return word, texts
    groups: list[list[Any]] = []
    for piece in word[1:]:
        frag = piece[0]
        last = groups[-1][-1][0] if groups else None
        if (
            last is not None
            and not hasattr(frag, "cbDefn")
            and not hasattr(last, "cbDefn")
            and last.fontName == frag.fontName
            # reportlab hands a right-to-left word's glyphs back to its pieces in visual
            # order, so a piece (an italic word between brackets) would get another's
            and frag_level(frag) % 2 == 0
        ):
            groups[-1].append(piece)
        else:
            groups.append([piece])
    if len(groups) == 1:
        shaped_word = _orient(_shape_in_direction(word, *args, **kwargs))
        if shaped_word is not word:
            with_sources(word[1:], shaped_word)
        return shaped_word, _cluster_texts(word[1:], shaped_word)
    shaped = []
    for group in groups:
        if hasattr(group[0][0], "cbDefn"):  # an anchor or image: never shaped
            shaped.append([getattr(group[0][0], "width", 0), *group])
            continue
        width = sum(pdfmetrics.stringWidth(text, f.fontName, f.fontSize) for f, text in group)
        part = _orient(_shape_in_direction([width, *group], *args, **kwargs))
        with_sources(group, part)
        texts += _cluster_texts(group, part)
        shaped.append(part)
    result = ttfonts.makeShapedFragWord(word)([sum(part[0] for part in shaped)])
    for part in shaped:
        result.extend(part[1:])
    return result, texts


# The direction HarfBuzz shapes the word at hand in: None lets it guess from the script.
_DIRECTION: ContextVar[str | None] = ContextVar("briefkit_shaping_direction", default=None)


class _DirectedBuffer(uharfbuzz.Buffer):
    """A HarfBuzz buffer whose guessed direction yields to the bidi level's: reportlab lets
    HarfBuzz guess from the script, which sets Persian or Arabic-Indic digits in left-to-right
    text right to left, and mirrors the brackets around them."""

    def guess_segment_properties(self) -> None:
        super().guess_segment_properties()
        direction = _DIRECTION.get()
        if direction is not None:
            self.direction = direction


class _HarfBuzz:
    """uharfbuzz as reportlab's shaping sees it: with :class:`_DirectedBuffer`."""

    Buffer = _DirectedBuffer

    def __getattr__(self, name: str) -> Any:
        return getattr(uharfbuzz, name)


def _shape_in_direction(word: Any, *args: Any, **kwargs: Any) -> Any:
    """reportlab's shaping of a word whose pieces share one level: left to right at an even
    level; at an odd one, as HarfBuzz guesses (neutral words were turned for it already)."""
    levels = {frag_level(frag) for frag, _ in word[1:] if not hasattr(frag, "cbDefn")}
    token = _DIRECTION.set("ltr" if levels and all(level % 2 == 0 for level in levels) else None)
    try:
        return _ORIGINAL["shapeFragWord"](word, *args, **kwargs)
    finally:
        _DIRECTION.reset(token)


def _has_layout(frag: Any) -> bool:
    """Whether *frag* is in a face HarfBuzz can change: one that kept GSUB or GPOS, or at an
    odd level (mirrored), or an anchor or image (reportlab's own affair)."""
    if hasattr(frag, "cbDefn") or frag_level(frag) % 2:
        return True
    return _face_has_layout(frag.fontName)


def _face_has_layout(name: str) -> bool:
    tables = getattr(pdfmetrics.getFont(name).face, "table", None)
    return tables is None or "GSUB" in tables or "GPOS" in tables


def _orient(shaped: Any) -> Any:
    """HarfBuzz guesses a run's direction from its script: Arabic-Indic digits (٢٠٢٦) come
    back right to left. A run at an even level is drawn left to right: such a run is turned
    round."""
    for index, (frag, piece) in enumerate(list(shaped[1:]), 1):
        data = getattr(piece, "__shapeData__", None)
        if data is None or len(data) < 2 or hasattr(frag, "cbDefn"):
            continue
        clusters = [sd.cluster for sd in data]
        if frag_level(frag) % 2 == 0 and clusters[0] > clusters[-1]:
            shaped[index] = (frag, ttfonts.ShapedStr(str(piece)[::-1], shapeData=data[::-1]))
    return shaped


# 3. Glyphs HarfBuzz picks that have no character of their own (Arabic joining forms, Devanagari
#    conjuncts, Thai mark variants) get private-use codes, and the PDF's ToUnicode map sends
#    them to those codes, so copied or extracted text has holes. The text of each glyph's
#    cluster is remembered here and written into the map instead.
_PRIVATE = range(0xE000, 0xF900)


def _record(texts: Iterable[_GlyphText]) -> None:
    """Note the text of each glyph: the shortest seen in this document (a cluster may hold
    more)."""
    cluster_text = current().cluster_text
    for glyph, text in texts:
        known = cluster_text.get(glyph)
        if known is None or len(text) < len(known):
            cluster_text[glyph] = text


def _cluster_texts(pieces: list[Any], shaped: Any) -> list[_GlyphText]:
    """The text of each glyph of *shaped* that has a private-use code, from its cluster in
    *pieces*."""
    text = "".join(piece for frag, piece in pieces if not hasattr(frag, "cbDefn"))
    glyphs = []  # (face name, glyph character, cluster)
    for frag, piece in shaped[1:]:
        data = getattr(piece, "__shapeData__", None)
        if data is None or hasattr(frag, "cbDefn"):
            continue
        face = pdfmetrics.getFont(frag.fontName).face.name
        face = face.decode("latin-1") if isinstance(face, bytes) else str(face)
        glyphs += [(face, ch, sd.cluster) for ch, sd in zip(piece, data, strict=False)]
    starts = sorted({cluster for _, _, cluster in glyphs if cluster >= 0})
    if not starts:
        return []
    ends = dict(zip(starts, [*starts[1:], len(text)], strict=True))
    named: set[tuple[str, int]] = set()  # clusters whose text a glyph already carries
    texts: list[_GlyphText] = []
    for face, ch, cluster in glyphs:
        if ord(ch) not in _PRIVATE or cluster not in ends:
            continue
        source = text[cluster : ends[cluster]]
        # the cluster's other glyphs that have characters of their own keep them
        own = {c for f, c, k in glyphs if k == cluster and ord(c) not in _PRIVATE}
        if (face, cluster) in named or (
            own and any(unicodedata.bidirectional(c) == "AL" for c in source)
        ):
            # a second glyph of the cluster, or the dots of an Arabic letter drawn as a dotless
            # form (which has a character): nothing more to say
            rest = "\u200d"
        else:
            rest = "".join(c for c in source if c not in own) or source
            named.add((face, cluster))
        texts.append(((face, ord(ch)), rest))
    return texts


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    cmap = _ORIGINAL["makeToUnicodeCMap"](fontname, subset)
    cluster_text = current().cluster_text
    face = fontname.split("+", 1)[-1]
    for index, code in enumerate(subset):
        text = cluster_text.get((face, code))
        if text:
            utf16 = text.encode("utf-16-be").hex().upper()
            cmap = cmap.replace(f"<{index:02X}> <{code:04X}>", f"<{index:02X}> <{utf16}>", 1)
    return cmap
