"""Lines of the Word document: an exact height, the leading, and more only where a tall
script's ink needs it, so that an Arabic edition keeps the PDF's pages and Latin lines their
rhythm. Read back from the .docx and through LibreOffice."""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from briefkit.building.pipeline import resolve_style
from briefkit.checks.loader import load
from briefkit.layout.from_brief import layout
from briefkit.render.docx import render_docx
from briefkit.render.pdf.writer import render_pdf
from tests.conftest import REPO, require_tool
from tests.libreoffice import LibreOffice, producer

ARABIC = REPO / "briefs" / "red-sea-shipping-exercise-ar.yaml"
ENGLISH = REPO / "briefs" / "red-sea-shipping-exercise.yaml"  # holds Hindi and Arabic quotes
STYLES = ("default", "boardroom")


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(
        next(line.split()[1] for line in info.stdout.splitlines() if line.startswith("Pages"))
    )


@producer("line-heights", fixture="built")
def _documents(root: Path) -> dict[Path, Path]:
    """Each brief's PDF and Word document in each style (in *root*), by ``<brief>-<style>``,
    and where LibreOffice's PDF of it goes (root/lo)."""
    root.mkdir(parents=True)
    words = {}
    for path in (ARABIC, ENGLISH):
        loaded = load(path)
        assert loaded.brief is not None, loaded.diagnostics
        document = layout(loaded.brief)
        for name in STYLES:
            style = resolve_style(loaded, name)
            stem = f"{path.stem}-{name}"
            pdf, word = root / f"{stem}.pdf", root / f"{stem}.docx"
            pdf.write_bytes(render_pdf(document, style))
            word.write_bytes(render_docx(document, style))
            words[word] = root / "lo" / f"{stem}.pdf"
    return words


@pytest.fixture(scope="module")
def built(libreoffice: LibreOffice) -> dict[str, tuple[Path, Path, Path]]:
    """Each brief's PDF, Word document and LibreOffice's PDF of the Word document."""
    require_tool("pdfinfo")
    return {
        word.stem: (word.with_suffix(".pdf"), word, converted)
        for word, converted in libreoffice.pdfs("line-heights").items()
    }


def _line(paragraph: docx.text.paragraph.Paragraph) -> tuple[str | None, str | None]:
    """The paragraph's line height and rule, its own or its style's."""
    for element in (paragraph._p.pPr, paragraph.style.element.pPr if paragraph.style else None):
        spacing = element.find(qn("w:spacing")) if element is not None else None
        if spacing is not None and spacing.get(qn("w:line")):
            return spacing.get(qn("w:line")), spacing.get(qn("w:lineRule"))
    return None, None


def _arabic(text: str) -> bool:
    return any(unicodedata.name(ch, "").startswith("ARABIC") for ch in text)


@pytest.mark.parametrize("style", STYLES)
def test_arabic_edition_keeps_the_pdfs_pages_in_libreoffice(built, style):
    pdf, _, converted = built[f"{ARABIC.stem}-{style}"]
    assert _pages(converted) <= _pages(pdf)


@pytest.mark.parametrize("style", STYLES)
def test_english_brief_keeps_the_pdfs_pages_in_libreoffice(built, style):
    pdf, _, converted = built[f"{ENGLISH.stem}-{style}"]
    assert _pages(converted) <= _pages(pdf)


def test_paragraph_styles_have_lines_of_exact_height(built):
    for _, word, _ in built.values():
        for style in docx.Document(str(word)).styles.element.findall(qn("w:style")):
            spacing = style.find(f"{qn('w:pPr')}/{qn('w:spacing')}")
            if style.get(qn("w:type")) != "paragraph" or spacing is None:
                continue
            style_id = style.get(qn("w:styleId"))
            if spacing.get(qn("w:line")) and style_id != "TagLine":  # chips need an auto line
                assert spacing.get(qn("w:lineRule")) == "exact", style_id


@pytest.mark.parametrize("style", STYLES)
def test_arabic_body_lines_share_one_height_taller_than_the_leading(built, style):
    word = docx.Document(str(built[f"{ARABIC.stem}-{style}"][1]))
    leading = word.styles["Normal"].element.pPr.find(qn("w:spacing")).get(qn("w:line"))
    heights = {
        _line(p)
        for p in word.paragraphs
        if p.style is not None and p.style.name == "Normal" and _arabic(p.text)
    }
    assert len(heights) == 1, heights  # one rhythm, whatever marks a paragraph holds
    ((line, rule),) = heights
    assert rule == "exact"
    size = word.styles["Normal"].font.size.pt
    assert int(leading) < int(line) < 2.1 * size * 20  # but not the font's 2.1 em (in twips)


@pytest.mark.parametrize("style", STYLES)
def test_latin_and_devanagari_lines_keep_the_leading(built, style):
    word = docx.Document(str(built[f"{ENGLISH.stem}-{style}"][1]))
    overridden = [
        p.text[:40]
        for p in word.paragraphs
        if p._p.pPr is not None
        and p._p.pPr.find(qn("w:spacing")) is not None
        and p._p.pPr.find(qn("w:spacing")).get(qn("w:line"))
        and not _arabic(p.text)
    ]
    assert not overridden
