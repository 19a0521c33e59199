"""Text in other scripts, as Word needs it said: fonts, direction and language per run.

Word shapes Arabic, Devanagari and Thai itself; the document must only say which font sets a
run (``w:rFonts``: ``w:cs`` for complex scripts, ``w:eastAsia`` for CJK), that a run reads
right to left (``w:rtl``), which language it is in (``w:lang``), and that a paragraph starting
in a right-to-left script is a right-to-left paragraph (``w:bidi``), so that text typed into it
continues right to left.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from briefkit import fonts
from briefkit.render.common.kept import memo
from briefkit.render.common.language import with_region
from briefkit.style.sheet import FontRole, Style

_RTL = frozenset({"R", "AL"})
_PERSIAN = frozenset("پچژگکی")
_URDU = frozenset("ٹڈڑںےہۓ")
# The scripts whose characters' names _language looks for.
_SCRIPTS = (
    "HIRAGANA", "KATAKANA", "ARABIC", "HEBREW", "DEVANAGARI", "THAI", "HANGUL", "CJK", "CYRILLIC",
)  # fmt: skip


# A parenthetical holding a letter beyond Latin (a gloss: "(البحر الأحمر)", "(ผู้ส่งออกไทย)") and
# no other bracket; every renderer keeps a short one on one line. Its brackets may be either way
# round: a right-to-left run holds them mirrored, ")البحر الأحمر(".
GLOSS = re.compile(r"[()][^()]*[^\x00-\u024f\u1e00-\u1eff\s()][^()]*[()]")
GLOSS_WORDS = 3  # at most this many words to a gloss kept whole


def short_glosses(text: str) -> list[tuple[int, int]]:
    """Where *text*, as written (in logical order: "(" opens), holds a short gloss (see
    GLOSS): each one's start and end, brackets in."""
    spans = []
    for match in GLOSS.finditer(text):
        gloss = match.group()
        if gloss[0] == "(" and gloss[-1] == ")" and len(gloss.split()) <= GLOSS_WORDS:
            spans.append(match.span())
    return spans


@dataclass(frozen=True)
class Piece:
    """A run of text and what Word must be told about it."""

    text: str
    family: str | None = None  # a fallback family; None: the paragraph style's own fonts
    east_asian: bool = False
    rtl: bool = False
    language: tuple[str, str] | None = None  # ("val", "bidi" or "eastAsia", BCP 47 tag)
    upright: bool = False  # set in a family with no italic: never slanted (no synthetic italic)


class Scripts:
    """Splits text into pieces by the style's fallback chain, as the PDF does."""

    def __init__(self, style: Style) -> None:
        self.style = style
        self.chain = style.fonts.chain(FontRole.BODY)
        self.coverages = tuple(fonts.codepoints(family) for family in self.chain)
        self.used: dict[str, set[str]] = {}  # family → characters it sets in this document

    def whole(self, text: str) -> Piece:
        """*text* as one piece (a chip or label: one run, so one bordered box), set in the
        first fallback family its other scripts need: Word sets all of a right-to-left run in
        its complex-script font, digits and brackets included."""
        pieces = self.pieces(text)
        # a space or dash some fallback covers is not a script: it keeps the style's fonts
        scripted = [p for p in pieces if (p.family or p.language) and _has_letters(p.text)]
        if not scripted:
            return Piece(text)
        first = next((p for p in scripted if p.family), scripted[0])
        language = next((p.language for p in scripted if p.language), None)
        rtl = any(p.rtl for p in scripted)
        return Piece(text, first.family, first.east_asian, rtl, language, first.upright)

    def pieces(self, text: str) -> tuple[Piece, ...]:
        out = _pieces(self.chain, self.coverages, text)
        for piece in out:
            self.used.setdefault(piece.family or self.chain[0], set()).update(piece.text)
        return out


@memo(65536)
def _pieces(
    chain: tuple[str, ...], coverages: tuple[frozenset[int], ...], text: str
) -> tuple[Piece, ...]:
    """*text* split by the fallback *chain*, whose fonts cover *coverages*: the same text in
    the same fonts is split once a process (a frozenset keeps its hash: the key is cheap)."""
    out = []
    for run, index in fonts.split_runs(text, coverages):
        family = chain[index] if index else None
        east_asian = family is not None and fonts.family(family).east_asian
        rtl = any(unicodedata.bidirectional(ch) in _RTL for ch in set(run))
        upright = fonts.family(chain[index]).italic is None or not has_italic(run)
        for part in _CYRILLIC.split(run) if _CYRILLIC_LETTER.search(run) else (run,):
            if part:
                out.append(Piece(part, family, east_asian, rtl, _language(part), upright))
    return tuple(out)


# A stretch of Cyrillic words and what stands between them (spaces, punctuation, digits):
# the body font sets Cyrillic with Latin in one run, so that a Russian name or quote in an
# English sentence is a run of its own, which can say its language.
_CYRILLIC_LETTER = re.compile("[\u0400-\u052f]")
_CYRILLIC = re.compile("([\u0400-\u052f]+(?:[\\W\\d_]+[\u0400-\u052f]+)*)")


# Scripts whose typography has no italic (emphasis there is no slant): never slanted, whatever
# a font offers; Latin, Cyrillic and Greek take the style's italic.
_UPRIGHT_SCRIPTS = (
    "CJK", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO", "ARABIC", "HEBREW", "SYRIAC", "THAANA",
    "NKO", "DEVANAGARI", "BENGALI", "GURMUKHI", "GUJARATI", "ORIYA", "TAMIL", "TELUGU",
    "KANNADA", "MALAYALAM", "SINHALA", "THAI", "LAO", "KHMER", "MYANMAR", "TIBETAN", "ETHIOPIC",
)  # fmt: skip


@memo(4096)
def has_italic(text: str) -> bool:
    """Whether *text* may be set in italic: not when a letter of it is in a script without
    italic (Han, Arabic, Hebrew, Devanagari, Thai, …). Every renderer asks this."""
    return not any(
        unicodedata.name(ch, "").startswith(_UPRIGHT_SCRIPTS)
        for ch in set(text)
        if ch.isalpha() or unicodedata.category(ch).startswith("M")
    )


def _has_letters(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def starts_right_to_left(text: str) -> bool:
    """True when the first strongly directional character of *text* is right to left."""
    for ch in text:
        direction = unicodedata.bidirectional(ch)
        if direction in ("L", "R", "AL"):
            return direction != "L"
    return False


@memo(4096)
def _language(text: str) -> tuple[str, str] | None:
    """The language a run's script implies, where the script says it (None for Latin). Kept:
    a label's runs recur in a document, and in every build of it."""
    if not any(unicodedata.name(ch, "").startswith(_SCRIPTS) for ch in set(text)):
        return None  # each distinct character asked once: Latin text says nothing
    names = [unicodedata.name(ch, "") for ch in text]
    if any(name.startswith(("HIRAGANA", "KATAKANA")) for name in names):
        return "eastAsia", "ja-JP"  # kanji with kana is Japanese, wherever the kana stand
    for ch in text:
        name = unicodedata.name(ch, "")
        if name.startswith("ARABIC"):
            letters = set(text)
            if letters & _URDU:
                return "bidi", "ur-PK"
            return "bidi", "fa-IR" if letters & _PERSIAN else "ar-SA"
        if name.startswith("HEBREW"):
            return "bidi", "he-IL"
        if name.startswith("DEVANAGARI"):
            return "bidi", "hi-IN"
        if name.startswith("THAI"):
            return "bidi", "th-TH"
        if name.startswith(("HIRAGANA", "KATAKANA")):
            return "eastAsia", "ja-JP"
        if name.startswith("HANGUL"):
            return "eastAsia", "ko-KR"
        if name.startswith("CJK"):
            return "eastAsia", "zh-CN"
        if name.startswith("CYRILLIC"):  # the script's most likely language (CLDR): Russian
            return "val", with_region("und-Cyrl")
    return None


def word_name(family: str) -> str:
    """The name Word knows a family by: a font file's own family name from its name table."""
    if not fonts.is_font_file(family):
        return family
    return _file_family_name(family, *fonts.versions([family]))


@memo()
def _file_family_name(family: str, version: str) -> str:
    """The family name in font file *family* (read again when its *version* changes)."""
    from fontTools.ttLib import TTFont

    with TTFont(family, lazy=True) as font:
        names = font["name"]
        return str(names.getDebugName(16) or names.getDebugName(1) or family)


def complex_script_family(style: Style, text: str) -> str | None:
    """The fallback family that sets most of *text*'s letters in complex scripts (Arabic,
    Hebrew, Devanagari, Thai…: those Word sets in a run's ``w:cs`` font), or None when *text*
    has none. An East Asian family is not one: Word sets its text in ``w:eastAsia``."""
    chain = style.fonts.chain(FontRole.BODY)
    coverages = tuple(fonts.codepoints(family) for family in chain)
    letters: dict[int, int] = {}
    for run, index in fonts.split_runs(text, coverages):
        if index and not fonts.family(chain[index]).east_asian:
            letters[index] = letters.get(index, 0) + sum(ch.isalpha() for ch in run)
    if not letters:
        return None
    return chain[max(letters, key=lambda index: (letters[index], -index))]


# The families readers' systems have for each script, most common first (Windows, macOS,
# Linux, Android): what a page that embeds no fonts (the e-mail) falls back to. Keyed by a
# letter of the script: a style's fallback family that maps it is followed by these.
SYSTEM_FAMILIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("\u0627", ("Segoe UI", "Geeza Pro", "Noto Sans Arabic", "Tahoma")),  # Arabic
    ("\u05d0", ("Segoe UI", "Arial Hebrew", "Noto Sans Hebrew", "Arial")),  # Hebrew
    ("\u0915", ("Nirmala UI", "Kohinoor Devanagari", "Noto Sans Devanagari", "Mangal")),
    ("\u0e01", ("Leelawadee UI", "Thonburi", "Noto Sans Thai", "Tahoma")),  # Thai
    (
        "\u4e2d",  # Chinese (Simplified first), then Japanese and Korean faces
        (
            "Microsoft YaHei",
            "PingFang SC",
            "Noto Sans CJK SC",
            "Source Han Sans SC",
            "Hiragino Sans GB",
            "SimSun",
        ),
    ),
)


# The systems' Latin families by generic family: they follow a role's own family, so that a
# reader without it sees Latin in a face of the same kind, not in the first script fallback's.
LATIN_SYSTEM_FAMILIES = {
    "serif": ("Georgia", "Cambria", "Times New Roman"),
    "sans-serif": ("Segoe UI", "Helvetica Neue", "Arial"),
    "monospace": ("Consolas", "Menlo", "Courier New"),
}


def generic_family(family: str, *, mono: bool = False) -> str:
    """The CSS generic family of a style's family: monospace for the mono role, serif for a
    family named so ("Source Serif 4", "Noto Serif"), else sans-serif."""
    if mono:
        return "monospace"
    words = family.replace("-", " ").lower().split()
    return "serif" if "serif" in words and "sans" not in words else "sans-serif"


def system_fallbacks(family: str) -> tuple[str, ...]:
    """The system families that cover the scripts *family* (a style's fallback) is there for,
    none for a Latin family."""
    mapped = fonts.codepoints(family)
    found: list[str] = []
    for letter, families in SYSTEM_FAMILIES:
        if ord(letter) in mapped:
            found += families
    return tuple(dict.fromkeys(found))
