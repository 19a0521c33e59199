"""Register a style's font faces with reportlab and write span text as reportlab markup.

reportlab has no per-glyph fallback, so text is split into runs by the style's fallback chain
(``fonts.split_runs``) and every run a fallback family sets is wrapped in an explicit
``<font face>``. Every face is embedded (TrueType).

Scripts that need shaping (Arabic, Devanagari, Thai, Hebrew marks) are shaped by HarfBuzz
through reportlab's ``shaping`` paragraphs, and only paragraphs that contain them pay for it.
For right-to-left text the Unicode bidirectional algorithm (python-bidi) gives every character
its embedding level, runs are split where the level changes, and the level travels with the run
as a suffix of its face name (``NotoSansArabic-Regular~1``) to ``paragraph``, which puts
each line in visual order when it is drawn.
"""

from __future__ import annotations

import hashlib
import itertools
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from briefkit import fonts
from briefkit.layout.document import Span
from briefkit.render.common.kept import memo
from briefkit.render.common.scripts import has_italic
from briefkit.style.sheet import FontRole, Style

_STYLES = ((False, False), (True, False), (False, True), (True, True))
_RTL_CLASSES = frozenset({"R", "AL", "RLE", "RLO", "RLI"})


def _family_key(family: str) -> str:
    """reportlab's name for a family: its name without spaces, or a font file's stem."""
    if fonts.is_font_file(family):
        stem = family.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
        digest = hashlib.sha256(family.encode()).hexdigest()[:6]
        return "".join(c for c in stem if c.isalnum()) + digest
    return family.replace(" ", "")


@dataclass(frozen=True)
class Marked:
    """Paragraph markup and what drawing it needs: shaping, and the direction of its text."""

    text: str
    shaping: bool = False
    bidi: bool = False  # holds right-to-left text: lines are reordered when drawn
    rtl: bool = False  # its first strong character is right-to-left: align it right

    def __add__(self, other: Marked) -> Marked:
        return Marked(
            self.text + other.text,
            self.shaping or other.shaping,
            self.bidi or other.bidi,
            self.rtl or (not self.bidi and other.rtl),
        )


@dataclass
class FontSet:
    """The registered faces for one document and the coverage used to split runs."""

    style: Style
    families: dict[str, str] = field(default_factory=dict)  # family → reportlab family name
    coverage: dict[str, frozenset[int]] = field(default_factory=dict)
    _levels: set[tuple[str, int]] = field(default_factory=set)

    def face(self, role: FontRole, *, bold: bool = False, italic: bool = False) -> str:
        return self._face(self.style.fonts.family(role), bold, italic)

    def _face(self, family: str, bold: bool, italic: bool, level: int = 0) -> str:
        italic = italic and fonts.family(family).italic is not None
        if level:
            self._register_level(family, level)
        return _level_face(self.families[family], bold, italic, level)

    def _register_level(self, family: str, level: int) -> None:
        """The family's faces again under names that carry an embedding level."""
        if (family, level) in self._levels:
            return
        self._levels.add((family, level))
        name = self.families[family]
        for bold, italic in _STYLES:
            base = pdfmetrics.getFont(_level_face(name, bold, italic, 0))
            face = _level_face(name, bold, italic, level)
            if face not in pdfmetrics.getRegisteredFontNames():
                variant = TTFont(face, base.face.filename)
                # one face object: glyphs given private-use codes while shaping stay the same
                # codes in every level's copy (see _cluster_texts)
                variant.face = base.face
                pdfmetrics.registerFont(variant)
            addMapping(f"{name}~{level}", int(bold), int(italic), face)

    def width(self, text: str, role: FontRole, size: float, *, bold: bool = False) -> float:
        """The width of *text* set in *role*'s fonts: each run in the first family of the
        chain that has it, as :meth:`markup` sets it (shaping aside)."""
        chain = self.chain(role)
        runs = fonts.split_runs(text, [self.coverage[f] for f in chain])
        return sum(
            pdfmetrics.stringWidth(run, self._face(chain[index], bold, False), size)
            for run, index in runs
        )

    def chain(self, role: FontRole) -> tuple[str, ...]:
        return tuple(f for f in self.style.fonts.chain(role) if f in self.families)

    def markup(
        self,
        spans: tuple[Span, ...],
        link_color: str,
        *,
        role: FontRole = FontRole.BODY,
        bold: bool = False,
        italic: bool = False,
        rtl: bool | None = None,
    ) -> Marked:
        """Reportlab markup for *spans* set in *role*'s fonts, in a paragraph that is already
        *bold* or *italic* (fallback faces are chosen to match). *rtl* fixes the paragraph's
        direction (a run-in label joins the direction of the text it introduces); by default
        its first strong character decides."""
        text = "".join(span.text for span in spans)
        chain = self.chain(role)
        coverages = [self.coverage[f] for f in chain]
        isolates: list[tuple[int, int]] = []
        start, previous = 0, None
        for span in spans:  # a citation (its spans, one group): a neutral between its words
            end = start + len(span.text)
            if span.cite is not None and span.cite == previous and isolates:
                isolates[-1] = (isolates[-1][0], end)
            elif span.cite is not None:
                isolates.append((start, end))
            start, previous = end, span.cite
        levels, rtl = _levels(text, rtl, tuple(isolates))
        shaping = False
        parts: list[str] = []
        offset = 0
        for span in spans:
            out: list[str] = []
            for run, index, level in _runs(span.text, coverages, levels, offset):
                family = chain[index]
                shaping = shaping or fonts.family(family).shaping or _has_marks(run)
                out.append(self._run(run, family, index, level, span, bold, italic))
            offset += len(span.text)
            parts.append(_wrap(span, "".join(out), link_color))
        return Marked("".join(parts), shaping, levels is not None, rtl)

    def _run(
        self, run: str, family: str, index: int, level: int, span: Span, bold: bool, italic: bool
    ) -> str:
        if level % 2:
            run = _odd_level_text(run)
        text = escape(run if fonts.family(family).shaping else _visible(run))
        if span.code and index == 0:
            family = self.style.fonts.mono
        elif index == 0 and not level:
            return text  # the paragraph's own face, made bold or italic by <b> and <i>
        slanted = (italic or span.italic) and has_italic(run)  # never Han, Arabic, Thai…
        face = self._face(family, bold or span.bold, slanted, level)
        return f'<font face="{face}">{text}</font>'


def escape(data: str, entities: dict[str, str] | None = None) -> str:
    """``xml.sax.saxutils.escape``, whose module imports urllib.request (and with it http and
    ssl: 20 to 40 ms of a cold start) for functions briefkit never uses."""
    data = data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    for key, value in (entities or {}).items():
        data = data.replace(key, value)
    return data


def _level_face(name: str, bold: bool, italic: bool, level: int) -> str:
    face = f"{name}-{fonts.style_name(bold=bold, italic=italic)}"
    return f"{face}~{level}" if level else face


def _wrap(span: Span, out: str, link_color: str) -> str:
    if span.bold:
        out = f"<b>{out}</b>"
    if span.italic:
        out = f"<i>{out}</i>"
    if span.href:
        href = escape(span.href, {chr(34): "&quot;"})
        out = f'<a href="{href}" color="{link_color}">{out}</a>'
    return out


def _visible(text: str) -> str:
    """*text* without invisible format characters, which unshaped text would draw as boxes."""
    if not any(fonts.is_invisible(ch) for ch in set(text)):  # each character asked once
        return text
    return "".join(ch for ch in text if not fonts.is_invisible(ch))


def _has_marks(text: str) -> bool:
    """Combining marks that no precomposed character replaces: shaping positions them."""
    return any(unicodedata.category(ch) == "Mn" for ch in set(text))


def _levels(
    text: str, rtl: bool | None = None, isolates: tuple[tuple[int, int], ...] = ()
) -> tuple[tuple[int, ...] | None, bool]:
    """The embedding level of every character (None when all text is left to right), and
    whether the paragraph is right to left: *rtl*, or else its first strong character is."""
    if not rtl and not any(unicodedata.bidirectional(ch) in _RTL_CLASSES for ch in set(text)):
        return None, False
    from briefkit.render.common.bidi_levels import base_level, levels

    base = base_level(text) if rtl is None else int(rtl)
    return levels(text, base, isolates), base == 1


def _odd_level_text(run: str) -> str:
    """A run at an odd (right-to-left) level. Its words that hold no right-to-left letter
    (brackets around a number, punctuation, letters under a right-to-left override) are shaped
    by HarfBuzz on their own and left to right, so they are mirrored (UAX #9, L4) and reversed
    here; words with right-to-left letters are shaped right to left, mirroring included."""
    from bidi.algorithm import MIRRORED

    def turned(word: str) -> str:
        if _shaped_right_to_left(word):
            return word
        return "".join(MIRRORED.get(ch, ch) for ch in reversed(word))

    return " ".join(turned(word) for word in run.split(" "))


@memo(4096)
def _shaped_right_to_left(word: str) -> bool:
    """Whether HarfBuzz sets *word* right to left: it guesses the direction from the script of
    the first character that has one, so "٪)" (an Arabic percent sign) is, "(12" is not."""
    import uharfbuzz as hb

    buffer = hb.Buffer()
    buffer.add_str(word)
    buffer.guess_segment_properties()
    return buffer.direction == "rtl"


def _runs(
    text: str, coverages: list[frozenset[int]], levels: tuple[int, ...] | None, offset: int
) -> Iterator[tuple[str, int, int]]:
    """Font runs of *text*, split again where the embedding level changes."""
    position = offset
    for run, index in fonts.split_runs(text, coverages):
        if levels is None:
            yield run, index, 0
        else:
            start = 0
            for level, same in itertools.groupby(levels[position : position + len(run)]):
                end = start + sum(1 for _ in same)
                yield run[start:end], index, level
                start = end
        position += len(run)


def register_fonts(style: Style, texts: Iterable[str]) -> FontSet:
    """Register the style's families, fallbacks only if one of *texts* needs them.

    Each text is split into runs on its own, as :meth:`FontSet.markup` will split it; a family
    subset per document (CJK) is subset to the characters it sets.
    """
    fontset = FontSet(style)
    needed: dict[str, set[str]] = {}
    texts = list(texts)
    for role in FontRole:
        chain = style.fonts.chain(role)
        coverages = [fonts.codepoints(f) for f in chain]
        for family, covered in zip(chain, coverages, strict=True):
            fontset.coverage[family] = covered
        for text in texts:
            for run, index in fonts.split_runs(text, coverages):
                if index:
                    needed.setdefault(chain[index], set()).update(run)
    every = "".join(sorted(set("".join(texts))))
    for role in FontRole:
        family = style.fonts.family(role)
        if family in fontset.families:
            continue
        # a family subset per document (CJK) as a role's own font keeps all the text's characters
        subset = fonts.family(family).subset_per_document
        fontset.families[family] = _register_subset(family, every if subset else None)
    for family, characters in needed.items():
        if family in fontset.families:
            continue
        subset = fonts.family(family).subset_per_document
        fontset.families[family] = _register_subset(
            family, "".join(sorted(characters)) if subset else None
        )
    return fontset


def _register_subset(family: str, characters: str | None) -> str:
    """Register *family*'s faces (subset to *characters* when given); return its name."""
    suffix = "-" + hashlib.sha256(characters.encode()).hexdigest()[:10] if characters else ""
    faces = {
        style: str(fonts.face_path(family, bold=style[0], italic=style[1], characters=characters))
        for style in _STYLES
    }
    return _register_family(family, faces, suffix)


def _register_family(family: str, faces: dict[tuple[bool, bool], str], suffix: str = "") -> str:
    """Register four faces under one reportlab family name; return that name."""
    # The face files' paths name the font's version: a font file replaced while the process runs
    # (``watch``) is registered under a new name, which every kept markup, line and shaping
    # then tells apart (reportlab never replaces a registered font). PDFs name fonts by their
    # own PostScript names, so the registered name is not in them.
    files = hashlib.sha256("\n".join(sorted(faces.values())).encode()).hexdigest()[:8]
    name = f"{_family_key(family)}{suffix}-{files}"
    for bold, italic in _STYLES:
        face = _level_face(name, bold, italic, 0)
        if face not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(face, faces[(bold, italic)]))
        addMapping(name, int(bold), int(italic), face)
    return name
