"""Lines of exact height, tall enough for the scripts each paragraph sets.

Every paragraph style has lines of exact height (the style sheet's leading), so that a line
holding one Arabic or Devanagari word is not pushed apart by that font's tall declared
metrics (Word and LibreOffice grow an "at least" line to the tallest font in it). A paragraph
set partly in a fallback family gets the height its text's highest marks need to stay inside
the line (see ``measure.exact_line_height``), measured with the faces its runs are set in.
"""

from __future__ import annotations

from collections.abc import Iterable

from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from briefkit import fonts
from briefkit.render.common.measure import exact_line_height
from briefkit.render.common.scripts import word_name
from briefkit.render.docx.ooxml import el, props, put, twips
from briefkit.style.sheet import FontRole, Style

_P, _R, _T = qn("w:p"), qn("w:r"), qn("w:t")
_RPR, _RFONTS, _RSTYLE, _BOLD = qn("w:rPr"), qn("w:rFonts"), qn("w:rStyle"), qn("w:b")
_PSTYLE, _SPACING = qn("w:pPr") + "/" + qn("w:pStyle"), qn("w:spacing")
_ASCII, _EAST_ASIA, _HINT = qn("w:ascii"), qn("w:eastAsia"), qn("w:hint")
_VAL, _LINE, _RULE = qn("w:val"), qn("w:line"), qn("w:lineRule")


def fit_lines(parts: Iterable[BaseOxmlElement], style: Style, roles: dict[str, str]) -> None:
    """Give each paragraph in *parts* set partly in a fallback family the exact line height
    its text needs; *roles* are the style-sheet roles of the paragraph styles of exact lines.

    A family's lines in a paragraph style are as tall as the tallest of its text in that style
    needs, the whole document through, and a paragraph's lines as tall as its tallest family
    needs: the lines of a script keep one rhythm, whatever other scripts a paragraph holds."""
    families = {word_name(family): family for family in style.fonts.families()}
    placed: list[tuple[BaseOxmlElement, str, frozenset[str]]] = []
    heights: dict[tuple[str, str], float] = {}  # (role, family) → the height it needs
    for part in parts:
        for paragraph in part.iter(_P):
            found = paragraph.find(_PSTYLE)
            role = roles.get(found.get(_VAL) if found is not None else "Normal")
            if role is None:
                continue
            spec = style.paragraph(role)
            own = style.fonts.family(spec.font)
            faces: set[str] = set()
            for run in paragraph.iter(_R):
                family, text = _family(run, families, style) or own, _text(run)
                if family == own or not text.strip():
                    continue  # the style's own family: its leading was chosen for it
                faces.add(family)
                ink = fonts.ink_extents(family, text, bold=_bold(run, spec.bold))
                height = exact_line_height(spec.leading, spec.size, [ink])
                heights[role, family] = max(heights.get((role, family), 0.0), height)
            if faces:
                placed.append((paragraph, role, frozenset(faces)))
    for paragraph, role, used in placed:
        height = max(heights[role, family] for family in used)
        if twips(height) == twips(style.paragraph(role).leading):
            continue
        ppr = props(paragraph, "pPr")
        spacing = ppr.find(_SPACING)
        if spacing is None:
            spacing = put(ppr, el("spacing"))
        spacing.set(_LINE, twips(height))
        spacing.set(_RULE, "exact")


def _family(run: BaseOxmlElement, families: dict[str, str], style: Style) -> str | None:
    rpr = run.find(_RPR)
    if rpr is None:
        return None
    named = rpr.find(_RFONTS)
    if named is not None:
        name = named.get(_EAST_ASIA if named.get(_HINT) == "eastAsia" else _ASCII)
        return families.get(name or "")
    character = rpr.find(_RSTYLE)
    if character is not None and character.get(_VAL) == "Code":
        return style.fonts.family(FontRole.MONO)
    return None


def _bold(run: BaseOxmlElement, bold: bool) -> bool:
    found = run.find(f"{_RPR}/{_BOLD}")
    if found is None:
        return bold
    return found.get(_VAL) not in ("0", "false", "off")


def _text(run: BaseOxmlElement) -> str:
    return "".join(t.text or "" for t in run.iter(_T))
