"""Quotation marks and apostrophes as each language prints them, the same in every format:
the PDF's text (pdftotext), the Word file's XML and the HTML's text, read back."""

from __future__ import annotations

import re
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from tests.conftest import EXAMPLE_BRIEF, MINIMAL, REPO, require_tool

NBSP = "\u00a0"
# (language, bluf as typed, as printed, evidence quote as typed, as printed)
LANGUAGES = {
    "fr": (
        "Le ministre a dit \"oui, 'peut-être'\" hier, et c'est tout.",
        f"Le ministre a dit «{NBSP}oui, «{NBSP}peut-être{NBSP}»{NBSP}» hier, et c’est tout.",
        'Nous disons "non"',
        f"«{NBSP}Nous disons «{NBSP}non{NBSP}»{NBSP}»",
    ),
    "de": (
        "Der Minister sagte \"ja, 'vielleicht'\" gestern, so war's.",
        "Der Minister sagte „ja, ‚vielleicht‘“ gestern, so war’s.",
        'Wir sagen "nein"',
        "„Wir sagen ‚nein‘“",
    ),
    "ru": (
        "Министр сказал \"да, 'может быть'\" вчера.",
        "Министр сказал «да, „может быть“» вчера.",
        'Мы говорим "нет"',
        "«Мы говорим „нет“»",
    ),
}
CODE = "Run `x = 'y'` as typed."  # code keeps its straight marks: the negative control


def _brief(language: str) -> str:
    bluf, _, quote, _ = LANGUAGES[language]
    return (
        MINIMAL.replace("The bottom line.", bluf.replace('"', '\\"').join('""'))
        + f"language: {language}\n"
        + "sources:\n  - id: s\n    title: Source\n    reliability: B\n"
        + "evidence:\n  - id: e\n    source: s\n"
        + f"    quote: {quote.replace(chr(34), chr(92) + chr(34)).join(chr(34) * 2)}\n"
        + "signals:\n  - id: sig\n    title: One\n"
        + f"    observation: {CODE}\n    interpretation: Read.\n    evidence: [e]\n"
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from briefkit.building.pipeline import BuildOptions, build_brief

    repo = tmp_path_factory.mktemp("quotes")
    (repo / ".git").mkdir()
    (repo / "briefs").mkdir()
    for language in LANGUAGES:
        path = repo / "briefs" / f"{language}.yaml"
        path.write_text(_brief(language), encoding="utf-8")
        options = BuildOptions(out_dir=repo / "out", formats=("pdf", "docx", "html"))
        result = build_brief(path, options)
        assert not result.failed, result.diagnostics
    return repo / "out"


def pdf_text(path: Path) -> str:
    pdftotext = require_tool("pdftotext")
    return subprocess.run(
        [pdftotext, "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
        encoding="utf-8",
    ).stdout


def docx_paragraphs(path: Path) -> list[str]:
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    return [
        "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", paragraph))
        for paragraph in re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S)
    ]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("style", "script", "head")

    def handle_endtag(self, tag):
        self.skip -= tag in ("style", "script", "head")

    def handle_data(self, data):
        if not self.skip:
            self.chunks.append(data)


def html_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return "".join(parser.chunks)


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_each_format_prints_the_languages_marks(built: Path, language: str) -> None:
    _, bluf, _, quote = LANGUAGES[language]
    pdf = pdf_text(built / f"{language}.pdf")
    words = " ".join(pdf.split())  # pdftotext gives a no-break space as a space
    assert " ".join(bluf.split()) in words and " ".join(quote.split()) in words, words
    paragraphs = docx_paragraphs(built / f"{language}.docx")
    assert bluf in paragraphs
    assert quote in paragraphs
    page = html_text(built / f"{language}.html")
    assert bluf in page and quote in page
    # code keeps its straight marks, in every format (and shows that a straight mark would
    # be seen: the checks above are not vacuous)
    assert "= 'y'" in pdf and "x = 'y'" in page
    assert any("x = 'y'" in paragraph for paragraph in paragraphs)


def test_the_example_pdf_prints_no_straight_quote_in_its_prose(tmp_path: Path) -> None:
    from briefkit.building.pipeline import BuildOptions, build_brief

    result = build_brief(EXAMPLE_BRIEF, BuildOptions(out_dir=tmp_path, formats=("pdf",)))
    assert not result.failed, result.diagnostics
    text = pdf_text(tmp_path / f"{EXAMPLE_BRIEF.stem}.pdf")
    source = EXAMPLE_BRIEF.read_text(encoding="utf-8")
    assert source.count("'") > 40  # the YAML is typed with straight marks
    assert [line for line in text.splitlines() if "'" in line or '"' in line] == []
    assert text.count("’") > 40 and text.count("“") > 10


def test_word_never_slants_a_chinese_or_other_upright_quote(tmp_path: Path) -> None:
    """The red-sea example's evidence quotes (an italic paragraph style): runs in scripts
    without italic are explicitly upright; Latin and Cyrillic ones keep the style's italic."""
    path = REPO / "briefs" / "red-sea-shipping-exercise.yaml"
    from briefkit.building.pipeline import BuildOptions, build_brief

    out = tmp_path
    result = build_brief(path, BuildOptions(out_dir=out, formats=("docx",)))
    assert not result.failed, result.diagnostics
    document = docx.Document(str(out / f"{path.stem}.docx"))
    body = document.element.body
    quotes = [
        Paragraph(p, document)
        for p in body.iter(qn("w:p"))
        if p.pPr is not None and p.pPr.pStyle is not None and p.pPr.pStyle.val == "Quote"
    ]
    runs = [run for paragraph in quotes for run in paragraph.runs]
    chinese = [run for run in runs if re.search("[\u4e00-\u9fff]", run.text)]
    cyrillic = [run for run in runs if re.search("[\u0400-\u04ff]", run.text)]
    assert len(chinese) >= 2 and cyrillic
    for run in chinese:
        assert run.italic is False, run.text  # w:i w:val="0": the Quote style's italic undone
    assert document.styles["Quote"].font.italic is True
    assert all(run.italic is None for run in cyrillic)  # negative control: they stay italic
    assert any(paragraph.text.startswith("«Зачем") for paragraph in quotes)
