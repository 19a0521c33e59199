"""The changes briefkit makes to reportlab (render/pdf/reportlab_fixes.py): installed once, on
a tested reportlab only, and the rewritten ``_formatText`` writes what reportlab's own writes."""

from __future__ import annotations

import pytest
import reportlab
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from briefkit import fonts
from briefkit.render.pdf import reportlab_fixes
from briefkit.render.pdf.shaped_text import format_shaped


def test_apply_is_idempotent_and_installs_every_fix() -> None:
    reportlab_fixes.apply()
    installed = (PDFTextObject._formatText, ttfonts.shapeFragWord, ttfonts.makeToUnicodeCMap)
    reportlab_fixes.apply()
    assert (PDFTextObject._formatText, ttfonts.shapeFragWord, ttfonts.makeToUnicodeCMap) == (
        installed
    )
    assert PDFTextObject._formatText is not reportlab_fixes.original("_formatText")
    assert ttfonts.shapeFragWord is not reportlab_fixes.original("shapeFragWord")


def test_the_installed_reportlab_is_a_tested_one() -> None:
    reportlab_fixes.check_version(reportlab.Version)


@pytest.mark.parametrize("version", ["5.2.0", "4.4.1", "6.0"])
def test_an_untested_reportlab_is_refused_clearly(version: str) -> None:
    with pytest.raises(reportlab_fixes.UntestedReportlab, match=f"reportlab {version} is"):
        reportlab_fixes.check_version(version)


def _face(family: str) -> str:
    name = f"test-fixes-{family.replace(' ', '')}"
    if name not in pdfmetrics.getRegisteredFontNames():
        path = fonts.face_path(family, bold=False, italic=False, characters=None)
        pdfmetrics.registerFont(ttfonts.TTFont(name, str(path)))
    return name


def _text_object(face: str) -> PDFTextObject:
    canvas = Canvas("unused.pdf")
    tx = canvas.beginText(10, 10)
    tx.setFont(face, 11)
    return tx


def _shaped(face: str, text: str) -> ttfonts.ShapedStr:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus.paraparser import ParaFrag

    frag = ParaFrag(fontName=face, fontSize=11, text=text)
    del ParagraphStyle
    word = reportlab_fixes.original("shapeFragWord")(
        [pdfmetrics.stringWidth(text, face, 11), (frag, text)], force=True
    )
    pieces = [piece for _, piece in word[1:]]
    assert all(isinstance(piece, ttfonts.ShapedStr) for piece in pieces)
    return pieces[0]


@pytest.mark.parametrize(
    ("family", "text"),
    [
        ("Noto Sans Arabic", "باب المندب"),
        ("Noto Sans Devanagari", "अतिरिक्त क्षमता"),
        ("Noto Sans Thai", "ค่าระวางเรือ"),
        ("Source Sans 3", "Office, affine"),
    ],
)
def test_shaped_text_is_written_as_reportlab_writes_it(family: str, text: str) -> None:
    face = _face(family)
    shaped = _shaped(face, text)
    ours, theirs = _text_object(face), _text_object(face)
    assert format_shaped(ours, pdfmetrics.getFont(face), shaped, actual_text=False) == (
        reportlab_fixes.original("_formatText")(theirs, shaped)
    )


def test_unshaped_text_goes_to_reportlabs_own_method() -> None:
    reportlab_fixes.apply()
    face = _face("Source Sans 3")
    for text in ("Q3 2027", "(a) — «b»", ""):
        ours, theirs = _text_object(face), _text_object(face)
        assert PDFTextObject._formatText(ours, text) == (
            reportlab_fixes.original("_formatText")(theirs, text)
        )


def test_each_document_has_its_own_glyph_texts() -> None:
    with reportlab_fixes.document() as outer:
        outer.cluster_text[("Face", 0xE000)] = "क्ष"
        with reportlab_fixes.document() as inner:
            assert reportlab_fixes.current() is inner
            assert not inner.cluster_text
        assert reportlab_fixes.current() is outer
