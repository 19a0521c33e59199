"""The complex-script font (``w:cs``) of the Word document: what Word sets Arabic, Hebrew,
Devanagari or Thai in. Every style of a brief written in such a script, and the document's
defaults, name a font that has its letters, so that a label, a chip or text an editor types
is not set in a Latin font (which Word then replaces with one of its own)."""

from __future__ import annotations

import io
import unicodedata

import docx
import pytest
from docx.oxml.ns import qn

from briefkit import fonts
from briefkit.building.pipeline import resolve_style
from briefkit.checks.loader import load
from briefkit.layout.from_brief import layout
from briefkit.render.docx import render_docx
from tests.conftest import EXAMPLE_BRIEF, REPO

ARABIC = REPO / "briefs" / "red-sea-shipping-exercise-ar.yaml"
ENGLISH_WITH_ARABIC = REPO / "briefs" / "red-sea-shipping-exercise.yaml"
ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def _word(path, style_name=None):
    loaded = load(path)
    assert loaded.brief is not None, loaded.diagnostics
    style = resolve_style(loaded, style_name)
    return docx.Document(io.BytesIO(render_docx(layout(loaded.brief), style))), style


def _families(style):
    from briefkit.render.common.scripts import word_name

    return {word_name(family): family for family in style.fonts.families()}


def _complex_font(styles, style_id):
    """The w:cs font a style sets, through its basedOn chain, then the document default."""
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    while style_id in by_id:
        found = by_id[style_id].find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        if found is not None and found.get(qn("w:cs")):
            return found.get(qn("w:cs"))
        based = by_id[style_id].find(qn("w:basedOn"))
        style_id = based.get(qn("w:val")) if based is not None else None
    default = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    return default.find(qn("w:rFonts")).get(qn("w:cs"))


@pytest.mark.parametrize("style_name", [None, "boardroom"])
@pytest.mark.parametrize("path", [ARABIC, ENGLISH_WITH_ARABIC], ids=["arabic", "english"])
def test_every_style_sets_arabic_in_a_font_that_has_it(path, style_name):
    word, style = _word(path, style_name)
    styles = word.styles.element
    families = _families(style)
    for element in styles.findall(qn("w:style")):
        if element.get(qn("w:type")) not in ("paragraph", "character"):
            continue
        style_id = element.get(qn("w:styleId"))
        name = _complex_font(styles, style_id)
        assert name in families, (style_id, name)
        covered = fonts.codepoints(families[name])
        assert all(ord(ch) in covered for ch in ARABIC_LETTERS), (style_id, name)


def test_a_brief_without_complex_scripts_keeps_the_body_font():
    word, style = _word(EXAMPLE_BRIEF)
    assert _complex_font(word.styles.element, "Normal") == style.fonts.body


def test_every_arabic_run_is_set_in_a_font_that_has_it():
    word, style = _word(ARABIC)
    families = _families(style)
    styles = word.styles.element
    checked = 0
    for paragraph in word.element.body.iter(qn("w:p")):
        found = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        paragraph_style = found.get(qn("w:val")) if found is not None else "Normal"
        for run in paragraph.iter(qn("w:r")):
            text = "".join(t.text or "" for t in run.iter(qn("w:t")))
            if not any(unicodedata.name(ch, "").startswith("ARABIC LETTER") for ch in text):
                continue
            own = run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
            character = run.find(f"{qn('w:rPr')}/{qn('w:rStyle')}")
            if own is not None and own.get(qn("w:cs")):
                name = own.get(qn("w:cs"))
            elif character is not None:
                name = _complex_font(styles, character.get(qn("w:val")))
            else:
                name = _complex_font(styles, paragraph_style)
            covered = fonts.codepoints(families[name])
            letters = [ch for ch in text if unicodedata.category(ch).startswith("L")]
            assert all(ord(ch) in covered for ch in letters), (text, name)
            checked += 1
    assert checked > 50
