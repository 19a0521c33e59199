"""The PDF a user receives: read back with pdftotext, pdffonts, qpdf and pypdf."""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from briefkit import load_brief
from briefkit.cli import main
from briefkit.layout.from_brief import layout
from briefkit.layout.quotes import typeset
from tests.conftest import EXAMPLE_BRIEF, MINIMAL, REPO, require_tool
from tests.pdf_helpers import pdffonts, pdftotext, word_boxes, words

HOSTILE = """\
briefkit: 1
id: hostile
title: "Fish & Chips <Ltd> &amp; “Quotes” — 'single' € → ✓"
subtitle: "Ελληνικά κείμενο · Кириллица текст · 中文 利益格局"
date: 2026-11-28
status: draft
handling: "COMMERCIAL <IN> CONFIDENCE & RESTRICTED"
summary:
  bluf: "A & B < C > D &amp; E; see https://example.com/a/very/long/unbroken/path/that/goes/on/and/on/and/on/without/any/break/at/all/whatsoever/0123456789"
  judgments:
    - id: kj1
      text: "Αθήνα and Москва and 北京 all matter; <script>alert(1)</script> is text."
      likelihood: very likely
      confidence: high
signals:
  - id: s1
    title: "Signal with **bold** & *italic* & `code<1>`"
    observation: "Observed [a link](https://example.com/?a=1&b=2) and (x < y)."
    interpretation: "Interpreted &lt;literally&gt;."
stakeholders:
  - id: big
    name: "Cell & <Co>"
    impact: "{long}"
    direction: negative
"""


def build(repo: Path, *args: str) -> Path:
    result = CliRunner().invoke(main, ["build", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return repo / "out"


@pytest.fixture(scope="module")
def example_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example brief built once in each built-in style."""
    out = {}
    root = tmp_path_factory.mktemp("example")
    for style in ("default", "boardroom"):
        target = root / style
        result = CliRunner().invoke(
            main,
            ["build", str(EXAMPLE_BRIEF), "-o", str(target), "--style", style],
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.output
        out[style] = target / "xai-anthropic-alliance.pdf"
    return out


@pytest.fixture(scope="module")
def hostile_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    (root / ".git").mkdir()
    brief = root / "hostile.yaml"
    long_cell = ("Lorem ipsum dolor sit amet & <consectetur> " * 80)[:3000]
    brief.write_text(HOSTILE.replace("{long}", long_cell), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["build", str(brief), "-o", str(root / "out")], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return root / "out" / "hostile.pdf"


@pytest.mark.parametrize("style", ["default", "boardroom"])
def test_every_part_of_the_brief_is_in_the_pdf(example_pdfs, style):
    text = words(pdftotext(example_pdfs[style]))
    brief = load_brief(EXAMPLE_BRIEF)

    def printed(value: str) -> str:  # as the page prints it: with typographic quotes
        return words(typeset(value, brief.language))

    for heading in (
        "Bottom line up front",
        "Strategic signals",
        "Stakeholder impacts",
        "Open questions",
        "Sources and evidence",
        "Evidence",
    ):
        assert heading.lower() in text.lower()  # a style may set headings in capitals
    assert printed(brief.title) in text
    for signal in brief.signals:
        assert printed(signal.title) in text
    for stakeholder in brief.stakeholders:
        assert printed(stakeholder.name) in text
    for question in brief.questions:
        assert printed(question.question) in text
    for source in brief.sources:
        assert printed(source.title) in text
    assert "Likely (55–80%)" in text
    assert "Estimative language (ICD 203)" in text


def test_page_x_of_y_and_banner_on_every_page(example_pdfs):
    path = example_pdfs["default"]
    total = len(pypdf.PdfReader(path).pages)
    assert total > 2
    for page in range(1, total + 1):
        text = pdftotext(path, page=page)
        assert f"Page {page} of {total}" in text
        assert text.count("TLP:AMBER") >= 2  # top and bottom banners
        assert "v1.0" in text  # the version in the footer; the id and revision are not
        assert "xai-anthropic-alliance" not in text or page == total  # (the colophon)


def test_fonts_are_embedded_and_subset(example_pdfs, hostile_pdf):
    for path in [*example_pdfs.values(), hostile_pdf]:
        fonts = pdffonts(path)
        assert fonts, path
        assert all(f["emb"] == "yes" and f["sub"] == "yes" for f in fonts), fonts
        assert not any("Helvetica" in f["name"] or "Times" in f["name"] for f in fonts)
    serif = {f["name"].split("+")[1] for f in pdffonts(example_pdfs["boardroom"])}
    assert any(name.startswith("SourceSerif4") for name in serif)
    cjk = {f["name"].split("+")[1] for f in pdffonts(hostile_pdf)}
    assert any(name.startswith("NotoSansSC") for name in cjk), cjk


def test_outline_matches_headings(example_pdfs):
    reader = pypdf.PdfReader(example_pdfs["default"])

    def titles(items, depth=0):
        for item in items:
            if isinstance(item, list):
                yield from titles(item, depth + 1)
            else:
                yield depth, item.title

    outline = list(titles(reader.outline))
    document = layout(load_brief(EXAMPLE_BRIEF))
    expected = [(0, "Bottom line up front")] + [
        (heading.level - 1, "".join(span.text for span in heading.numbered_text))
        for heading in document.headings()
    ]
    assert outline == expected


def test_metadata_and_language(example_pdfs):
    reader = pypdf.PdfReader(example_pdfs["default"])
    brief = load_brief(EXAMPLE_BRIEF)
    info = reader.metadata
    assert info.title == brief.title
    assert info.author == "Strategy & Insights team"
    assert info.subject.startswith("The xAI–Anthropic alliance reads as a swap")
    assert "compute" in info["/Keywords"]
    assert info.creation_date.date().isoformat() == "2026-11-28"
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_links_are_clickable(hostile_pdf):
    reader = pypdf.PdfReader(hostile_pdf)
    uris = [
        annotation.get_object()["/A"].get("/URI")
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/Subtype") == "/Link"
    ]
    assert "https://example.com/?a=1&b=2" in uris


def test_hostile_text_comes_out_exactly(hostile_pdf):
    text = words(pdftotext(hostile_pdf))
    for expected in (
        "Fish & Chips <Ltd> &amp; “Quotes” — ‘single’ € → ✓",  # typographic marks
        "Ελληνικά κείμενο · Кириллица текст · 中文 利益格局",
        "A & B < C > D &amp; E;",
        "Αθήνα and Москва and 北京 all matter; <script>alert(1)</script> is text.",
        "Signal with bold & italic & code<1>",
        "Interpreted &lt;literally&gt;.",
        "COMMERCIAL <IN> CONFIDENCE & RESTRICTED",
        "Cell & <Co>",
    ):
        assert expected in text, expected
    assert "\x00" not in text  # no glyph fell back to an empty box
    assert "DRAFT" in text


def test_long_url_and_long_cell_stay_inside_the_page(hostile_pdf):
    margin = 20 * 72 / 25.4  # the default style's side margins
    outside = [
        (page, word, round(x_min), round(x_max))
        for page, word, x_min, x_max, width in word_boxes(hostile_pdf)
        if word != "DRAFT" and (x_min < margin - 1 or x_max > width - margin + 1)
    ]
    assert outside == []
    text = words(pdftotext(hostile_pdf))
    assert text.count("Lorem ipsum") >= 60  # the whole 3,000-character cell is there


def test_qpdf_finds_no_structural_problem(example_pdfs, hostile_pdf):
    qpdf = require_tool("qpdf")
    for path in [*example_pdfs.values(), hostile_pdf]:
        result = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_two_builds_are_identical_and_honour_source_date_epoch(repo, cli, monkeypatch):
    shutil.copy(EXAMPLE_BRIEF, repo / "briefs")
    first = (build(repo) / "xai-anthropic-alliance.pdf").read_bytes()
    second = (build(repo) / "xai-anthropic-alliance.pdf").read_bytes()
    assert first == second
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    third = (build(repo) / "xai-anthropic-alliance.pdf").read_bytes()
    assert third != first
    info = pypdf.PdfReader(repo / "out" / "xai-anthropic-alliance.pdf").metadata
    assert info.creation_date.isoformat().startswith("2023-11-14T22:13:20")


def test_large_brief_builds(repo, cli):
    signals = "".join(
        textwrap.dedent(
            f"""\
              - id: s{n}
                title: Signal number {n}
                observation: Something observable happened, number {n}.
                interpretation: It means something for the business, number {n}.
                likelihood: likely
                confidence: moderate
                indicators: [One indicator, another indicator]
            """
        )
        for n in range(200)
    )
    cell = ("A very long impact description that keeps going. " * 70)[:3000]
    (repo / "briefs" / "large.yaml").write_text(
        MINIMAL
        + "signals:\n"
        + textwrap.indent(signals, "")
        + f"stakeholders:\n  - id: st\n    name: Everyone\n    impact: {cell}\n"
        + "    direction: mixed\n",
        encoding="utf-8",
    )
    out = build(repo)
    text = words(pdftotext(out / "large.pdf"))
    assert "Signal number 199" in text
    assert text.count("A very long impact description") >= 55


def test_huge_title_block_values_build(repo, cli):
    authors = ", ".join(["Author"] * 400)
    (repo / "briefs" / "long.yaml").write_text(
        MINIMAL + f"authors: [{authors}]\n", encoding="utf-8"
    )
    out = build(repo)
    assert "Author, Author" in words(pdftotext(out / "long.pdf"))


def test_stakeholder_columns_nobody_fills_are_left_out(repo, cli):
    (repo / "briefs" / "few.yaml").write_text(
        MINIMAL
        + "stakeholders:\n  - id: a\n    name: Alpha Corp\n    impact: Gains.\n"
        + "    direction: positive\n    horizon: near\n",
        encoding="utf-8",
    )
    text = words(pdftotext(build(repo) / "few.pdf"))
    assert "Impact Direction Horizon Alpha Corp Gains. Positive Near term" in text
    assert "Magnitude" not in text and "Signals" not in text


def test_draft_watermark_only_while_draft(repo, cli):
    (repo / "briefs" / "d.yaml").write_text(MINIMAL + "status: draft\n", encoding="utf-8")
    (repo / "briefs" / "f.yaml").write_text(MINIMAL + "status: final\n", encoding="utf-8")
    out = build(repo)
    assert "DRAFT" in pdftotext(out / "d.pdf")
    assert "DRAFT" not in pdftotext(out / "f.pdf")


def test_failed_build_keeps_previous_output(repo, cli):
    brief = repo / "briefs" / "keep.yaml"
    brief.write_text(MINIMAL, encoding="utf-8")
    out = build(repo)
    before = (out / "keep.pdf").read_bytes()
    brief.write_text(MINIMAL + "status: drafty\n", encoding="utf-8")
    result = cli("build")
    assert result.exit_code == 1
    assert "briefs/keep.yaml:7:9: status:" in result.stderr
    assert (out / "keep.pdf").read_bytes() == before
    # no temporary files left behind
    names = sorted(p.name for p in out.iterdir())
    assert names == [".briefkit-lock", ".briefkit-manifest.json", "keep.docx", "keep.pdf"]


def test_character_no_font_has_is_a_located_warning(repo, cli):
    (repo / "briefs" / "glyph.yaml").write_text(
        MINIMAL.replace("The bottom line.", "The bottom line 𓀀."), encoding="utf-8"
    )
    result = cli("build")
    assert result.exit_code == 0
    assert (
        "briefs/glyph.yaml:6:9: warning: summary.bluf: 1 Egyptian character (e.g. '𓀀') has no font"
        in result.stderr
    )


def test_check_builds_nothing(repo, cli):
    (repo / "briefs" / "b.yaml").write_text(MINIMAL, encoding="utf-8")
    assert cli("check").exit_code == 0
    assert not (repo / "out").exists()


def test_built_in_styles_ship_in_the_source_tree():
    assert (REPO / "styles" / "default.yaml").is_file()
    assert (REPO / "styles" / "boardroom.yaml").is_file()
