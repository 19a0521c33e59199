"""The complex-script font (``w:cs``) of the Word document: what Word sets Arabic, Hebrew,
Devanagari or Thai in. Every style of a brief written in such a script, and the document's
defaults, name a font that has its letters, so that a label, a chip or text an editor types
is not set in a Latin font (which Word then replaces with one of its own). And LibreOffice,
which sets neutral characters between right-to-left text in the complex-script font, draws
every character of the examples in a font that maps it (read from its PDF with pypdf)."""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from briefkit import fonts
from briefkit.building.pipeline import resolve_style
from briefkit.checks.loader import load
from briefkit.fonts.families import FAMILIES
from briefkit.layout.from_brief import layout
from briefkit.render.docx import render_docx
from tests.conftest import EXAMPLE_BRIEF, REPO, require_tool

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


_BY_POSTSCRIPT = {name.replace(" ", "").casefold(): name for name in FAMILIES}


def _family_of(font) -> str:
    """The shipped family of a PDF font: ``/DAAAAA+NotoSansArabic-Regular`` → ``NotoSansArabic``."""
    base = str(font.get("/BaseFont", "")).lstrip("/").split("+")[-1].split("-")[0]
    base = re.sub(r"(Bold|Italic|Regular|Semibold|Medium)+$", "", base)
    return _BY_POSTSCRIPT[base.casefold()]


def _not_mapped(pdf: Path) -> list[tuple[int, str, str]]:
    """(page, family, character) for each character drawn in a font that does not map it.
    Shaped Arabic glyphs without a character of their own come back as control codes: skipped."""
    from pypdf import PdfReader

    found: list[tuple[int, str, str]] = []
    for number, page in enumerate(PdfReader(pdf).pages, start=1):

        def text(drawn, cm, tm, font, size, number=number):
            if font is None or not drawn.strip():
                return
            name = _family_of(font)
            covered = fonts.codepoints(name)
            found.extend(
                (number, name, ch)
                for ch in drawn
                if not ch.isspace()
                and not unicodedata.category(ch).startswith("C")
                and ord(ch) not in covered
            )

        page.extract_text(visitor_text=text)
    return found


def _without_cjk_complex_font(word: Path, out: Path) -> None:
    """*word* as it was written before CJK runs named their font as w:cs too."""
    document = docx.Document(str(word))
    for named in document.element.body.iter(qn("w:rFonts")):
        if named.get(qn("w:hint")) == "eastAsia":
            named.attrib.pop(qn("w:cs"), None)
    document.save(str(out))


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """LibreOffice's PDF of the examples with Arabic text, in both styles, by name; and
    "control", the Arabic example without the CJK runs' w:cs (the negative control)."""
    soffice = require_tool("soffice")
    root = tmp_path_factory.mktemp("cs-font")
    words = {}
    for path in (ARABIC, ENGLISH_WITH_ARABIC):
        for style_name in ("default", "boardroom"):
            loaded = load(path)
            assert loaded.brief is not None, loaded.diagnostics
            word = root / f"{path.stem}-{style_name}.docx"
            word.write_bytes(render_docx(layout(loaded.brief), resolve_style(loaded, style_name)))
            words[word.stem] = word
    words["control"] = root / "control.docx"
    _without_cjk_complex_font(words[f"{ARABIC.stem}-default"], words["control"])
    profile = f"-env:UserInstallation={(root / 'profile').as_uri()}"
    command = [soffice, "--headless", profile, "--convert-to", "pdf", "--outdir", str(root)]
    subprocess.run(
        [*command, *map(str, words.values())], check=True, capture_output=True, timeout=600
    )
    return {name: word.with_suffix(".pdf") for name, word in words.items()}


@pytest.mark.parametrize("style_name", ["default", "boardroom"])
@pytest.mark.parametrize("path", [ARABIC, ENGLISH_WITH_ARABIC], ids=["arabic", "english"])
def test_libreoffice_draws_every_character_in_a_font_that_maps_it(converted, path, style_name):
    assert not _not_mapped(converted[f"{path.stem}-{style_name}"])


def test_cjk_brackets_in_the_complex_script_font_are_found(converted):
    """The negative control: without w:cs on CJK runs, LibreOffice draws the brackets round
    the Chinese outlet's name (《演习航运快讯》) in Noto Sans Arabic, which has no glyph."""
    lost = _not_mapped(converted["control"])
    assert lost and {(name, ch) for _, name, ch in lost} <= {("Noto Sans Arabic", "《")}
