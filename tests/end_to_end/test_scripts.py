"""Every script a brief quotes is shown, shaped and in reading order, or refused by check.

Legibility is tested without eyes: a page is rasterised and read back with tesseract, which
does not recognise Arabic drawn unjoined or in the wrong word order, nor Devanagari unshaped.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import zipfile
from importlib import resources
from pathlib import Path

import pytest

from tests.conftest import MINIMAL, REPO, require_tool
from tests.libreoffice import LibreOffice, producer

# long enough to wrap: each line must be put in right-to-left order on its own
ARABIC = (
    "قال المتحدث باسم الوزارة إن الميناء سيعمل بكامل طاقته خلال يومين من الآن وإن السفن "
    "ستعود إلى مسارها المعتاد في البحر الأحمر بعد انتهاء الأزمة الحالية في المنطقة"
)
# vowel signs drawn before their consonant (ि) and conjuncts: wrong without shaping
HINDI = "सरकार ने स्थिति की समीक्षा के लिए विशेषज्ञों की समिति बनाई और क्षेत्रीय व्यापार की सुरक्षा बढ़ाई"
THAI = "ผู้ส่งออกข้าวต้องรับภาระต้นทุนที่สูงขึ้น"
# Persian letters and zero-width non-joiners inside words (آماده‌اند), which HarfBuzz draws as
# spaces of no width: they must not be taken for word breaks when lines are reordered
PERSIAN = (
    "بندر عباس و چابهار آماده‌اند بار کشتی‌هایی را که از دریای سرخ دور می‌شوند، از مسیر "
    "پایدار کریدور شمال–جنوب با تخفیف ویژه و ترخیص سریع گمرکی به مقصد برسانند"
)
HEBREW = "שלום עולם"


def brief_with(bluf: str) -> str:
    return MINIMAL.replace("The bottom line.", f'"{bluf}"')


def require_ocr(language: str) -> str:
    tesseract = require_tool("tesseract")
    languages = subprocess.run(
        [tesseract, "--list-langs"], capture_output=True, text=True, check=False
    ).stdout.split()
    if language not in languages:
        if os.environ.get("CI") == "true":
            pytest.fail(f"tesseract-ocr-{language} is required on CI but is not installed")
        pytest.skip(
            f"tesseract has no '{language}' data (apt-get install tesseract-ocr-{language})"
        )
    return tesseract


def ocr(pdf: Path, language: str, tmp_path: Path) -> str:
    """The text tesseract reads on the top half of the first page of *pdf* (where the title and
    the bottom line are), spaces collapsed."""
    tesseract = require_ocr(language)
    pdftoppm = require_tool("pdftoppm")
    image = tmp_path / f"page-{language}"
    crop = ["-x", "0", "-y", "0", "-W", "1700", "-H", "1100"]  # at 200 dpi: A4's top half
    command = [pdftoppm, "-png", "-r", "200", "-f", "1", "-l", "1", *crop, str(pdf), str(image)]
    subprocess.run(command, check=True)
    page = next(tmp_path.glob(f"page-{language}*.png"))
    result = subprocess.run(
        [tesseract, str(page), "-", "-l", language], capture_output=True, text=True, check=True
    )
    return " ".join(result.stdout.split())


def build_pdf_and_docx(repo: Path, cli, text: str) -> tuple[Path, Path]:
    (repo / "briefs" / "s.yaml").write_text(brief_with(text), encoding="utf-8")
    result = cli("build")
    assert result.exit_code == 0, result.output
    return repo / "out" / "s.pdf", repo / "out" / "s.docx"


LEGIBILITY = {"arabic": (ARABIC, "ara"), "persian": (PERSIAN, "fas"), "devanagari": (HINDI, "hin")}
LEGIBILITY["thai"] = (THAI, "tha")


@producer("legibility", fixture="legibility")
def _legibility_documents(repo: Path) -> dict[Path, Path]:
    """One brief per script in the repository *repo*, built once; LibreOffice's rendering of
    their .docx files goes in repo/lo-out."""
    from click.testing import CliRunner

    from briefkit.cli import main

    (repo / ".git").mkdir(parents=True)
    (repo / "briefs").mkdir()
    for name, (text, _) in LEGIBILITY.items():
        (repo / "briefs" / f"{name}.yaml").write_text(brief_with(text), encoding="utf-8")
    old = Path.cwd()
    os.chdir(repo)
    try:
        result = CliRunner().invoke(main, ["build", "-j", "1"])
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    return {repo / "out" / f"{name}.docx": repo / "lo-out" / f"{name}.pdf" for name in LEGIBILITY}


@pytest.fixture(scope="module")
def legibility(libreoffice: LibreOffice) -> Path:
    """The repository of _legibility_documents, its .docx files converted with the suite's
    others (LibreOffice takes seconds to start)."""
    return next(iter(libreoffice.pdfs("legibility"))).parent.parent


@pytest.mark.parametrize("name", list(LEGIBILITY))
def test_shaped_scripts_are_legible_in_pdf_and_word(legibility, tmp_path, name):
    text, language = LEGIBILITY[name]
    read = ocr(legibility / "out" / f"{name}.pdf", language, tmp_path)
    assert _legible(text, read), (text, read)
    converted = legibility / "lo-out" / f"{name}.pdf"
    assert converted.is_file(), "LibreOffice could not open the .docx"
    read = ocr(converted, language, tmp_path / "lo-ocr")
    assert _legible(text, read), (text, read)


def _legible(text: str, read: str) -> bool:
    """OCR read *text*: all of it for Thai, which has no spaces between words; otherwise its
    words in reading order, one of them perhaps missed."""
    if " " not in text:
        return text in read.replace(" ", "")
    return _in_order(_words(text), _words(read))


def _words(text: str) -> list[str]:
    """Words without the punctuation OCR confuses (، and ., – and -)."""
    words = (word.replace("–", "-").strip('،.,;:!?"“”«»()') for word in text.split())
    return [word for word in words if word]


def _in_order(expected: list[str], read: list[str]) -> bool:
    """Most of *expected* appears in *read*, in the same order (OCR may miss a word)."""
    position, found = 0, 0
    for word in expected:
        if word in read[position:]:
            position = read.index(word, position) + 1
            found += 1
    return found >= len(expected) - 1


@pytest.fixture
def tmp_path(tmp_path: Path) -> Path:  # OCR writes beside the pages: keep each test's own
    (tmp_path / "lo-ocr").mkdir(exist_ok=True)
    return tmp_path


def test_pdf_embeds_a_font_for_every_script(repo, cli):
    pdf, _ = build_pdf_and_docx(repo, cli, f"{ARABIC} {HINDI} {THAI} {HEBREW} 利益格局 Россия")
    pdffonts = require_tool("pdffonts")
    listing = subprocess.run([pdffonts, str(pdf)], capture_output=True, text=True).stdout
    for family in ("NotoSansArabic", "NotoSansDevanagari", "NotoSansThai", "Heebo", "NotoSansSC"):
        assert family in listing, listing
    assert "Helvetica" not in listing


def test_word_marks_scripts_direction_and_language(repo, cli):
    _, docx = build_pdf_and_docx(repo, cli, f"{ARABIC} then English, {HINDI}")
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode()
    bluf = xml[xml.index("قال") - 600 : xml.index("सरकार") + 100]
    assert (
        '<w:rFonts w:ascii="Noto Sans Arabic" w:hAnsi="Noto Sans Arabic" w:cs="Noto Sans Arabic"/>'
        in bluf
    )
    assert "<w:rtl/>" in bluf
    assert '<w:lang w:bidi="ar-SA"/>' in bluf
    assert '<w:lang w:bidi="hi-IN"/>' in bluf
    assert "<w:bidi/>" in bluf  # the paragraph starts in Arabic: a right-to-left paragraph
    fonts = zipfile.ZipFile(docx).read("word/fontTable.xml").decode()
    assert 'w:name="Noto Sans Arabic"' in fonts and 'w:name="Noto Sans Devanagari"' in fonts
    assert 'w:subsetted="1"' in fonts


def test_example_docx_is_small(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from briefkit.cli import main

    work = tmp_path / "work"
    shutil.copytree(REPO / "briefs", work / "briefs")
    (work / ".git").mkdir()
    monkeypatch.chdir(work)
    result = CliRunner().invoke(main, ["build", "briefs/xai-anthropic-alliance.yaml"])
    assert result.exit_code == 0, result.output
    assert (work / "out" / "xai-anthropic-alliance.docx").stat().st_size < 150_000


def test_check_strict_refuses_script_without_font_until_one_is_added(repo, cli):
    (repo / "styles").mkdir()
    house = repo / "styles" / "house.yaml"
    house.write_text("extends: default\nfonts:\n  fallback: [Noto Sans SC]\n", encoding="utf-8")
    brief = repo / "briefs" / "s.yaml"
    brief.write_text(brief_with(f"The minister said {ARABIC}.") + "style: house\n", "utf-8")
    result = cli("check", "--strict")
    assert result.exit_code == 1
    letters = len(ARABIC.replace(" ", ""))
    assert (
        f"briefs/s.yaml:6:9: warning: summary.bluf: {letters} Arabic characters (e.g. 'قال') "
        "have no font in style 'house'" in result.output
    )
    assert result.output.count("warning:") == 1  # one line per field, not per character
    build = cli("build", "--strict")
    assert build.exit_code == 1 and not (repo / "out" / "s.pdf").exists()
    # a plain build warns, and so does every later (no-op) build
    assert cli("build").exit_code == 0
    again = cli("build")
    assert "0 built, 1 skipped" in again.stderr and "Arabic characters" in again.stderr

    # a repository font in fonts/, named in the sheet, fixes it
    (repo / "fonts").mkdir()
    package = resources.files("fontpkg_noto_sans_arabic") / "files"
    source = next(p for p in package.iterdir() if str(p).endswith(".ttf"))
    shutil.copyfile(str(source), repo / "fonts" / "Arabic.ttf")
    house.write_text(
        "extends: default\nfonts:\n  fallback: [fonts/Arabic.ttf, Noto Sans SC]\n", "utf-8"
    )
    result = cli("check", "--strict")
    assert result.exit_code == 0, result.output
    assert cli("build", "--strict").exit_code == 0


def test_missing_font_file_is_a_located_error(repo, cli):
    (repo / "styles").mkdir()
    (repo / "styles" / "house.yaml").write_text(
        "extends: default\nfonts:\n  fallback: [fonts/Nope.ttf]\n", encoding="utf-8"
    )
    (repo / "briefs" / "s.yaml").write_text(MINIMAL + "style: house\n", encoding="utf-8")
    result = cli("check")
    assert result.exit_code == 1
    assert "styles/house.yaml:3:14: fonts.fallback[0]: font file fonts/Nope.ttf does not exist" in (
        result.output
    )
    (repo / "fonts").mkdir()
    (repo / "fonts" / "Nope.ttf").write_bytes(b"not a font at all")
    result = cli("check")
    assert "fonts.fallback[0]: not a TrueType or OpenType font file" in result.output


def test_invisible_format_characters_are_not_boxes(repo, cli):
    text = "co\u200bop\u2060er\u200eation zero\u200dwidth"
    pdf, _ = build_pdf_and_docx(repo, cli, text)
    check = cli("check", "--strict")
    assert check.exit_code == 0, check.stderr
    pdftotext = require_tool("pdftotext")
    out = subprocess.run([pdftotext, "-raw", str(pdf), "-"], capture_output=True, text=True).stdout
    # nothing is drawn for them (a box would come back as the character itself)
    assert "cooperation zerowidth" in out
    assert not any(ch in out for ch in "\u200b\u2060\u200e\u200d")


def test_text_layer_of_shaped_scripts(repo, cli):
    """Copying text out of the PDF: Thai comes back exactly, Devanagari words without a
    pre-base vowel sign exactly (that sign comes out in drawing order, before its consonant),
    Latin, Greek, Cyrillic and CJK exactly."""
    text = f"{THAI} क्षमता उपलब्ध है Ελλάδα Россия 利益格局"
    pdf, _ = build_pdf_and_docx(repo, cli, text)
    pdftotext = require_tool("pdftotext")
    # -raw: content order, as a copy and paste gives; the layout mode splits stacked Thai marks
    raw = [pdftotext, "-raw", str(pdf), "-"]
    out = subprocess.run(raw, capture_output=True, text=True).stdout
    words = out.split()
    for word in (THAI, "क्षमता", "उपलब्ध", "है", "Ελλάδα", "Россия", "利益格局"):
        assert word in words, (word, words)
    assert not any(0xE000 <= ord(c) < 0xF900 for c in out), "private-use characters leaked"


def _bengali_otf(path: Path) -> None:
    """A tiny OpenType font with PostScript (CFF) outlines for three Bengali letters."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    letters = {"ক": "ka", "খ": "kha", "গ": "ga"}
    order = [".notdef", "space", *letters.values()]
    builder = FontBuilder(1000, isTTF=False)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap({32: "space", **{ord(c): name for c, name in letters.items()}})
    charstrings = {}
    for name in order:
        pen = T2CharStringPen(600, None)
        if name not in ("space",):
            pen.moveTo((100, 0))
            pen.curveTo((100, 500), (500, 700), (500, 0))
            pen.closePath()
        charstrings[name] = pen.getCharString()
    builder.setupCFF("TestBengali-Regular", {"FullName": "Test Bengali"}, charstrings, {})
    builder.setupHorizontalMetrics({name: (600, 100) for name in order})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Test Bengali", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=800, usWinAscent=800, usWinDescent=200)
    builder.setupPost()
    builder.save(str(path))


def test_an_opentype_font_with_postscript_outlines_in_fonts_works(repo, cli):
    (repo / "fonts").mkdir()
    _bengali_otf(repo / "fonts" / "TestBengali.otf")
    (repo / "styles").mkdir()
    (repo / "styles" / "house.yaml").write_text(
        "extends: default\nfonts:\n  fallback: [fonts/TestBengali.otf, Noto Sans SC]\n", "utf-8"
    )
    (repo / "briefs" / "s.yaml").write_text(
        brief_with("Dhaka: কখগ") + "style: house\n", encoding="utf-8"
    )
    check = cli("check", "--strict")
    assert check.exit_code == 0, check.output
    build = cli("build", "--strict")
    assert build.exit_code == 0, build.output
    pdffonts = require_tool("pdffonts")
    listing = subprocess.run(
        [pdffonts, str(repo / "out" / "s.pdf")], capture_output=True, text=True
    ).stdout
    assert "Bengali" in listing and "TrueType" in listing
    fonts = zipfile.ZipFile(repo / "out" / "s.docx").read("word/fontTable.xml").decode()
    assert 'w:name="Test Bengali"' in fonts


def test_a_cjk_family_can_be_the_body_font(repo, cli):
    (repo / "styles").mkdir()
    (repo / "styles" / "cjk.yaml").write_text(
        "extends: default\nfonts:\n  body: Noto Sans SC\n  heading: Noto Sans SC\n", "utf-8"
    )
    text = brief_with("利益格局正在变化 — **加粗** and the bottom line.") + "style: cjk\n"
    (repo / "briefs" / "c.yaml").write_text(text, encoding="utf-8")
    result = cli("build", "--strict")
    assert result.exit_code == 0, result.output
    pdftotext = require_tool("pdftotext")
    out = subprocess.run(
        [pdftotext, "-raw", str(repo / "out" / "c.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "利益格局正在变化 — 加粗 and the bottom line." in out


def test_numbered_items_with_right_to_left_text_keep_their_numbers(repo, cli):
    text = MINIMAL + (
        "questions:\n"
        "  - id: q1\n    question: How long will carriers avoid باب المندب?\n"
        "  - id: q2\n    question: قال المتحدث إن الميناء مفتوح\n"
    )
    (repo / "briefs" / "q.yaml").write_text(text, encoding="utf-8")
    assert cli("build", "--format", "pdf").exit_code == 0
    pdftotext = require_tool("pdftotext")
    out = subprocess.run(
        [pdftotext, "-raw", str(repo / "out" / "q.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "1. How long will carriers avoid" in out
    assert "\n2. " in out


def _bbox_words(pdf: Path) -> list[str]:
    """The words pdftotext finds, each as drawn (glyphs left to right)."""
    pdftotext = require_tool("pdftotext")
    out = subprocess.run([pdftotext, "-bbox", str(pdf), "-"], capture_output=True, text=True)
    return [html.unescape(w) for w in re.findall(r">([^<]*)</word>", out.stdout)]


def test_numbers_and_brackets_in_right_to_left_text(repo, cli):
    """Arabic-Indic and Latin digits read left to right inside Arabic; brackets mirror."""
    pdf, _ = build_pdf_and_docx(repo, cli, "الف (٢٠٢٦) جيم ١٢٣٤ و (2026) نهاية")
    words = _bbox_words(pdf)
    for word in ("(٢٠٢٦)", "١٢٣٤", "(2026)"):
        assert word in words, (word, words)


def test_isolates_and_overrides_do_not_break_the_pdf(repo, cli):
    text = "x \u2067عربي inside RLI\u2069 after \u202eRLO override\u202c end"
    text += " \u2066a\u2069 \u2068b\u2069"
    pdf, _ = build_pdf_and_docx(repo, cli, text)
    words = _bbox_words(pdf)
    assert "edirrevo" in words and "OLR" in words  # letters under RLO run right to left


def test_pdf_bytes_do_not_depend_on_what_the_process_built_before(repo, cli):
    (repo / "briefs" / "a.yaml").write_text(brief_with(ARABIC), encoding="utf-8")
    (repo / "briefs" / "b.yaml").write_text(
        brief_with(PERSIAN).replace("id: minimal", "id: other"), encoding="utf-8"
    )
    assert cli("build", "briefs/a.yaml", "-o", "alone", "--format", "pdf").exit_code == 0
    both = cli(
        "build", "briefs/b.yaml", "briefs/a.yaml", "-j", "1", "-o", "after", "--format", "pdf"
    )
    assert both.exit_code == 0
    alone = (repo / "alone" / "a.pdf").read_bytes()
    assert alone == (repo / "after" / "a.pdf").read_bytes()


def test_replacing_a_repository_font_rebuilds(repo, cli):
    (repo / "fonts").mkdir()
    package = resources.files("fontpkg_noto_sans_arabic") / "files"
    arabic = next(p for p in package.iterdir() if str(p).endswith(".ttf"))
    shutil.copyfile(str(arabic), repo / "fonts" / "Swap.ttf")
    (repo / "styles").mkdir()
    (repo / "styles" / "swap.yaml").write_text(
        "extends: default\nfonts:\n  fallback: [fonts/Swap.ttf]\n", "utf-8"
    )
    (repo / "briefs" / "s.yaml").write_text(brief_with(ARABIC) + "style: swap\n", "utf-8")
    assert cli("build", "--format", "pdf").exit_code == 0
    _bengali_otf(repo / "fonts" / "Swap.ttf")  # another font in its place, without Arabic
    again = cli("build", "--format", "pdf")
    assert "1 built" in again.stderr and "Arabic characters" in again.stderr


def test_word_title_block_values_carry_their_script(repo, cli):
    text = brief_with("Plain.") + 'audience: "مكتب المدير"\nauthors: ["東京は晴れです"]\n'
    (repo / "briefs" / "s.yaml").write_text(text, encoding="utf-8")
    assert cli("build", "--format", "docx").exit_code == 0
    xml = zipfile.ZipFile(repo / "out" / "s.docx").read("word/document.xml").decode()
    audience = xml[xml.index("مكتب") - 400 : xml.index("مكتب")]
    assert "<w:rtl/>" in audience and 'w:bidi="ar-SA"' in audience
    assert 'w:eastAsia="ja-JP"' in xml  # kanji with kana is Japanese


def test_subset_faces_keep_what_a_shaper_decomposes_to(tmp_path, monkeypatch):
    """Thai ำ is shaped as ํ + า: a subset without them shows boxes in a browser."""
    from fontTools.ttLib import TTFont

    from briefkit import fonts

    monkeypatch.setenv("BRIEFKIT_CACHE_DIR", str(tmp_path))
    face = fonts.face_path("Noto Sans Thai", bold=False, italic=False)
    covered = TTFont(fonts.subset_face(face, "จำนวน")).getBestCmap()
    assert {0x0E33, 0x0E4D, 0x0E32} <= set(covered)
