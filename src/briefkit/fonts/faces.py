"""Static TrueType faces instanced from the variable fonts (reportlab embeds only static
TrueType), and per-document subsets; fontTools is imported only when a face is built."""

from __future__ import annotations

import hashlib
import io
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from briefkit.fonts.cache import RECIPE, fonts_dir, intact, preparing, store
from briefkit.fonts.coverage import codepoints
from briefkit.fonts.families import Family, family, font_file, reading, slug, version

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont


_REGULAR, _BOLD = 400, 700


# OpenType layout tables. Latin, Greek, Cyrillic and CJK text is set without shaping, and
# instancing these tables is ~95% of the time, so they are dropped; scripts that need shaping
# (Arabic joining, Devanagari conjuncts, Thai mark stacking) keep them.
_LAYOUT_TABLES = ("GPOS", "GSUB", "GDEF", "BASE")


# Always kept in a per-document subset: spaces and ASCII punctuation join fallback runs.
_ASCII = frozenset(range(0x20, 0x7F))


def style_name(*, bold: bool, italic: bool) -> str:
    """The name of a face's style: Regular, Bold, Italic or BoldItalic."""
    if bold and italic:
        return "BoldItalic"
    if bold:
        return "Bold"
    return "Italic" if italic else "Regular"


def face_path(name: str, *, bold: bool, italic: bool, characters: str | None = None) -> Path:
    """A static TrueType file for one face of a family, built on first use and then cached.

    For families subset per document, ``characters`` is the text the document sets in this
    family (its fallback runs, or all its text when the family is a role's own); without it the
    face has ASCII only, which is enough to measure Latin text. It is ignored for other
    families. Only the characters the family covers beyond ASCII (always included) count
    towards the cache key, so edits that only touch other text reuse the cached subset.
    Raises FontError for an unknown family, a missing package or an unwritable cache.
    """
    fam = family(name)
    italic = italic and fam.italic is not None
    parts = [slug(fam), style_name(bold=bold, italic=italic), version(fam), f"r{RECIPE}"]
    wanted: frozenset[int] = frozenset()
    if fam.subset_per_document:
        wanted = (frozenset(map(ord, characters or "")) & codepoints(fam.name)) - _ASCII
        parts.append(_characters_key(wanted))
    target = fonts_dir() / ("-".join(parts) + ".ttf")
    if intact(target):
        return target
    with preparing(target, fam):
        if intact(target):  # another process prepared it while this one waited
            return target
        source = font_file(fam, italic=italic)
        with reading(fam):
            font = _build_face(fam, source, _BOLD if bold else _REGULAR, wanted | _ASCII)
            if fam.subset_per_document:
                # reportlab registers fonts by their PostScript name: two subsets sharing one
                # would be taken for the same font, and the second document would lose glyphs.
                _suffix_postscript_name(font, parts[-1])
            buffer = io.BytesIO()
            # Keep the source font's timestamp: a cache built today must give the same bytes
            # as one built yesterday, or documents would differ between machines.
            font.recalcTimestamp = False
            font.save(buffer)
        store(target, buffer.getvalue())
    return target


def subset_face(path: Path, characters: Iterable[str]) -> Path:
    """*path* (a face from ``face_path``) cut down to *characters*, keeping the layout tables
    the kept glyphs need; cached by the face and the character set."""
    text = "".join(characters)
    # what a shaper may decompose a character into (Thai ำ into ํ and า) must be there too
    wanted = frozenset(map(ord, text + unicodedata.normalize("NFKD", text)))
    key = hashlib.sha256(path.name.encode() + _characters_key(wanted).encode()).hexdigest()[:16]
    target = fonts_dir() / "subsets" / f"{path.stem}-{key}.ttf"
    if intact(target):
        return target
    import logging

    from fontTools import subset
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "FFTM NOT subset" and such
    options = subset.Options()
    options.layout_features = ["*"]
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.recalc_timestamp = False
    font = TTFont(path)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted | _ASCII)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.recalcTimestamp = False
    font.save(buffer)
    store(target, buffer.getvalue())
    return target


def _suffix_postscript_name(font: TTFont, suffix: str) -> None:
    names = font["name"]
    for record in names.names:
        if record.nameID == 6:
            names.setName(
                f"{record.toUnicode()}-{suffix}",
                6,
                record.platformID,
                record.platEncID,
                record.langID,
            )


def _characters_key(chars: Iterable[int]) -> str:
    """A short, order-independent digest of a set of characters."""
    text = "".join(chr(c) for c in sorted(chars))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _build_face(fam: Family, source: Path, weight: int, subset_to: frozenset[int]) -> TTFont:
    """Instance the variable font at ``weight``, every other axis pinned."""
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    font = TTFont(source, lazy=fam.subset_per_document)
    if fam.subset_per_document:
        _subset(font, subset_to)
    if "CFF " in font:
        _cff_to_truetype(font)
    if not fam.shaping:
        for tag in _LAYOUT_TABLES:
            if tag in font:
                del font[tag]
    if "fvar" not in font:
        return font  # a static file has one weight: bold text is set in it as it is
    limits: dict[str, float] = {axis.axisTag: axis.defaultValue for axis in font["fvar"].axes}
    limits.update(fam.pinned_axes)
    if "wght" in limits:
        limits["wght"] = weight
    # updateFontNames rewrites the name table from STAT, giving each style its own
    # PostScript name; static=True drops fvar/gvar so reportlab sees a plain TrueType font.
    return instancer.instantiateVariableFont(font, limits, updateFontNames=True, static=True)


def _cff_to_truetype(font: TTFont) -> None:
    """Give an OpenType font with PostScript (CFF) outlines TrueType outlines instead: reportlab
    embeds only TrueType. Cubic curves become quadratic within a thousandth of an em."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    max_error = font["head"].unitsPerEm / 1000
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, max_err=max_error, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    limits = ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs")
    for limit in (*limits, "maxStackElements", "maxSizeOfInstructions"):
        setattr(maxp, limit, 0)
    maxp.maxZones = 1
    maxp.maxComponentElements = max(
        (len(g.components) for g in glyf.glyphs.values() if hasattr(g, "components")), default=0
    )
    font["head"].indexToLocFormat = 0
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\0\1\0\0"


def _subset(font: TTFont, unicodes: frozenset[int]) -> None:
    """Cut the font down to ``unicodes`` before instancing: instancing 30 000 glyphs is slow."""
    from fontTools import subset

    options = subset.Options()
    options.layout_features = []
    options.notdef_outline = True
    options.name_IDs = ["*"]  # instancing renames from STAT, which refers to these names
    options.drop_tables += list(_LAYOUT_TABLES)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
