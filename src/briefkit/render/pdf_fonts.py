"""Register a style's font faces with reportlab and write span text as reportlab markup.

reportlab has no per-glyph fallback, so text is split into runs by coverage and runs only the
CJK family can show are wrapped in an explicit ``<font>``. Every face is embedded (TrueType).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from briefkit import fonts
from briefkit.document import Span
from briefkit.styles import FontRole, Style

_STYLES = ((False, False), (True, False), (False, True), (True, True))


def _face_name(family: str, bold: bool, italic: bool, suffix: str = "") -> str:
    style = fonts.style_name(bold=bold, italic=italic)
    return f"{family.replace(' ', '')}-{style}{suffix}"


@dataclass(frozen=True)
class FontSet:
    """The registered faces for one document and the coverage used to split runs."""

    families: dict[FontRole, str]  # role → reportlab family name
    cjk_face: str | None  # the regular face of the document's CJK subset
    primary_coverage: frozenset[int]
    cjk_coverage: frozenset[int]

    def face(self, role: FontRole, *, bold: bool = False, italic: bool = False) -> str:
        return _face_name(self.families[role], bold, italic)

    def markup(self, spans: tuple[Span, ...], link_color: str) -> str:
        return "".join(self._span(span, link_color) for span in spans)

    def _span(self, span: Span, link_color: str) -> str:
        parts = []
        for run, use_cjk in fonts.split_runs(span.text, self.primary_coverage, self.cjk_coverage):
            text = escape(run)
            # <font face> takes a registered face; <b> and <i> then pick that face's family.
            if use_cjk and self.cjk_face:
                text = f'<font face="{self.cjk_face}">{text}</font>'
            elif span.code:
                text = f'<font face="{self.face(FontRole.MONO)}">{text}</font>'
            parts.append(text)
        out = "".join(parts)
        if span.bold:
            out = f"<b>{out}</b>"
        if span.italic:
            out = f"<i>{out}</i>"
        if span.href:
            out = (
                f'<a href="{escape(span.href, {chr(34): "&quot;"})}" color="{link_color}">{out}</a>'
            )
        return out


def _register_family(family: str, faces: dict[tuple[bool, bool], str], suffix: str = "") -> str:
    """Register four faces under one reportlab family name; return that name."""
    name = family.replace(" ", "") + suffix
    for bold, italic in _STYLES:
        face = _face_name(family, bold, italic, suffix)
        if face not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(face, faces[(bold, italic)]))
        addMapping(name, int(bold), int(italic), face)
    return name


def register_fonts(style: Style, texts: Iterable[str]) -> FontSet:
    """Register the style's families; the CJK family only if one of *texts* needs it.

    Each text is split into runs on its own, exactly as :meth:`FontSet.markup` will split it.
    """
    families: dict[FontRole, str] = {}
    for role in FontRole:
        family = style.fonts.family(role)
        faces = {
            (bold, italic): str(fonts.face_path(family, bold=bold, italic=italic))
            for bold, italic in _STYLES
        }
        families[role] = _register_family(family, faces)
    primary = fonts.codepoints(style.fonts.body)
    cjk_name = style.fonts.cjk
    cjk_coverage = fonts.codepoints(cjk_name)
    # every character that will be set in the CJK face, punctuation joining a CJK run included
    needed = "".join(
        sorted(
            {
                character
                for text in texts
                for run, fallback in fonts.split_runs(text, primary, cjk_coverage)
                if fallback
                for character in run
            }
        )
    )
    cjk_face = None
    if needed:
        # The CJK face is subset to this document's characters: name it by that set.
        key = "-" + hashlib.sha256(needed.encode()).hexdigest()[:10]
        faces = {
            (bold, italic): str(
                fonts.face_path(cjk_name, bold=bold, italic=False, characters=needed)
            )
            for bold, italic in _STYLES
        }
        _register_family(cjk_name, faces, key)
        cjk_face = _face_name(cjk_name, False, False, key)
    return FontSet(families, cjk_face, primary, cjk_coverage)
