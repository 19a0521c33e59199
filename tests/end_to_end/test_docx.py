"""The Word document: real styles, tables, fields and links; reproducible; opened by LibreOffice
with the same text, in the same order, as briefkit's own PDF.

LibreOffice is slow to start, so the module builds its documents once and they are converted
with the suite's other Word documents in one ``soffice`` call (the ``rendered`` fixture).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import subprocess
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph

from briefkit.building.pipeline import resolve_style
from briefkit.checks.loader import load
from briefkit.layout import document as d
from briefkit.layout.from_brief import layout
from briefkit.render.docx import render_docx
from briefkit.render.pdf.writer import render_pdf
from briefkit.style.sheet import Style
from tests.conftest import EXAMPLE_BRIEF, MINIMAL, require_tool
from tests.libreoffice import LibreOffice, producer

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"

# Every style a briefkit document may use: Word's own names, then briefkit's.
WORD_STYLES = {
    "Normal",
    "Title",
    "Subtitle",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "List Bullet",
    "List Number",
    "List Continue",
    "Quote",
    "Caption",
    "Header",
    "Footer",
    "Hyperlink",
}
BRIEFKIT_STYLES = {
    "Meta",
    "Meta Label",
    "Label",
    "Label Heading",
    "Tag Line",
    "Callout Title",
    "Title Rule",
    "Table Header",
    "Table Cell",
    "Banner",
    "Code",
    "Brief Table",
    "Callout Box",
    "Meta Grid",
}
TAG_STYLE = re.compile(r"^Tag( [A-Z][a-z]+)*$")

LONG_URL = "https://example.org/reports/" + "/".join(f"section-{n:02d}" for n in range(24))
CJK = "利益格局"
MIXED = "Greek αβγ Ελλάδα, Cyrillic Россия, CJK 利益格局, AT&T, AT&amp;T, <b>not bold</b>"


def _long_impact() -> str:
    """A 3,000-character cell: numbered sentences, so no two lines of it look alike."""
    text, number = "", 0
    while len(text) < 3000:
        number += 1
        text += f"Impact {number} on margins & <pricing> for “partners” in Ελλάδα, Россия, 中国. "
    return text.strip()


HOSTILE = f"""\
briefkit: 1
id: hostile
title: "Tom & Jerry <script>alert('x')</script> \\"quoted\\" — {CJK}"
subtitle: "Ελληνικά, русский, 中文 & <more>"
date: 2026-03-01
status: draft
authors: ["R&D <team>", "Анна Каренина"]
audience: "Board & \\"friends\\""
handling: "Commercial in confidence & <internal>"
tags: [a&b, "<tag>", 利益]
summary:
  bluf: >-
    {MIXED}. See [the long report]({LONG_URL}) and `code & <mono>`; 5 < 6 > 4.
  judgments:
    - id: kj-one
      text: "Judgment with &amp; literal and “typographic quotes” [@s-one]."
      likelihood: very likely
      confidence: high
signals:
  - id: sig-one
    title: "Signal <one> & {CJK}"
    observation: "Observed: {LONG_URL} is an unbroken address [@e-one]."
    interpretation: "Means: Ελλάδα & Россия; see [@kj-one]."
    likelihood: unlikely
    confidence: low
    horizon: near
    indicators:
      - "Indicator with <angle> & ampersand"
      - "Indicator 利益格局 in CJK"
stakeholders:
  - id: p-long
    name: "Partners & <co>"
    impact: "{_long_impact()}"
    direction: negative
    magnitude: high
    horizon: medium
    signals: [sig-one]
  - id: p-short
    name: "Россия & Ελλάδα"
    impact: "Short: 利益格局."
    direction: positive
    signals: [sig-one]
questions:
  - id: q-one
    question: "What if A & B < C? {CJK}"
    why: "Because [@kj-one] depends on it."
    changes: [kj-one]
    priority: high
sources:
  - id: s-one
    title: "Report <one> & “two”"
    publisher: "Publisher & Co."
    url: "{LONG_URL}"
    reliability: B
evidence:
  - id: e-one
    source: s-one
    quote: "A quote with & and < and {CJK} in it"
    note: "Note: Ελλάδα."
    credibility: 2
"""


# --- building the documents once --------------------------------------------------------------


@dataclass(frozen=True)
class Built:
    name: str
    pdf: Path
    docx: Path
    document: d.Document
    style: Style
    converted: Path  # LibreOffice's PDF of the .docx

    def word(self) -> docx.document.Document:
        return docx.Document(str(self.docx))


def _jobs(root: Path) -> dict[str, tuple[Path, str | None]]:
    """Each document's brief and style, by name (the hostile brief in a repository in *root*)."""
    return {
        "example": (EXAMPLE_BRIEF, None),
        "boardroom": (EXAMPLE_BRIEF, "boardroom"),
        "hostile": (root / "hostile-repo" / "briefs" / "hostile.yaml", None),
    }


@producer("docx", fixture="rendered")
def _words(root: Path) -> dict[Path, Path]:
    """Each Word document, through the same passes as ``briefkit build``, in root/<name>;
    LibreOffice's PDFs of them in root/converted."""
    hostile_repo = root / "hostile-repo"
    (hostile_repo / ".git").mkdir(parents=True)
    (hostile_repo / "briefs").mkdir()
    (hostile_repo / "briefs" / "hostile.yaml").write_text(HOSTILE, encoding="utf-8")
    words = {}
    for name, (path, style_name) in _jobs(root).items():
        loaded = load(path)
        assert loaded.brief is not None, loaded.diagnostics
        (root / name).mkdir()
        word = root / name / f"{path.stem}.docx"
        word.write_bytes(render_docx(layout(loaded.brief), resolve_style(loaded, style_name)))
        words[word] = root / "converted" / f"{name}.pdf"
    return words


@pytest.fixture(scope="module")
def rendered(
    libreoffice: LibreOffice, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Built]:
    """Each brief's PDF and Word document, and LibreOffice's PDF of the Word document."""
    converted = libreoffice.pdfs("docx")
    root, out = next(iter(converted)).parent.parent, tmp_path_factory.mktemp("docx")
    built = {}
    for name, (path, style_name) in _jobs(root).items():
        loaded = load(path)
        assert loaded.brief is not None, loaded.diagnostics
        style = resolve_style(loaded, style_name)
        document = layout(loaded.brief)
        word = root / name / f"{path.stem}.docx"
        (out / name).mkdir()
        pdf = out / name / f"{path.stem}.pdf"
        pdf.write_bytes(render_pdf(document, style))
        built[name] = Built(name, pdf, word, document, style, converted[word])
    return built


# --- reading documents back -------------------------------------------------------------------


def _paragraphs(word: docx.document.Document) -> Iterator[DocxParagraph]:
    """Every paragraph of the body, table cells included, in document order."""
    body = word.element.body
    for element in body.iter(f"{W}p"):
        yield DocxParagraph(element, word)


def _style_names(word: docx.document.Document) -> set[str]:
    by_id = {style.style_id: style.name for style in word.styles}
    used = set()
    root = word.element
    parts = [root] + [s.header._element for s in word.sections]
    parts += [s.footer._element for s in word.sections]
    for part in parts:
        for tag in ("pStyle", "rStyle", "tblStyle"):
            for element in part.iter(f"{W}{tag}"):
                used.add(by_id[element.get(qn("w:val"))])
    return used


def _expected_headings(document: d.Document) -> list[tuple[str, str]]:
    return [(f"Heading {h.level}", d.inline_text(h.text)) for h in document.headings()]


def _zip_entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


# --- python-docx reads the documents back ------------------------------------------------------


@pytest.mark.parametrize("name", ["example", "boardroom", "hostile"])
def test_styles_are_named_word_and_briefkit_styles(rendered, name):
    word = rendered[name].word()
    used = _style_names(word)
    unknown = {s for s in used if s not in WORD_STYLES | BRIEFKIT_STYLES and not TAG_STYLE.match(s)}
    assert not unknown
    assert {"Title", "Heading 1", "Heading 2", "Normal", "List Bullet", "List Number"} <= used
    assert {"Caption", "Quote", "Table Header", "Table Cell", "Brief Table", "Label"} <= used


def test_styles_carry_the_style_sheet(rendered):
    for name in ("example", "boardroom"):
        built = rendered[name]
        word = built.word()
        styles_xml = _zip_entries(built.docx)["word/styles.xml"].decode()
        for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            assert theme not in styles_xml
        fonts = built.style.fonts
        assert word.styles["Heading 1"].font.name == fonts.heading
        assert word.styles["Normal"].font.name == fonts.body
        heading = built.style.paragraph("heading1")
        assert word.styles["Heading 1"].font.size.pt == pytest.approx(heading.size)
        assert str(word.styles["Heading 1"].font.color.rgb) == built.style.color("accent")[1:]
        defaults = word.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        assert defaults.find(f"{W}rFonts").get(qn("w:eastAsia")) == fonts.east_asian
        # the brief's language with the region CLDR finds likely for it
        assert defaults.find(f"{W}lang").get(qn("w:val")) == "en-US"


@pytest.mark.parametrize("name", ["example", "boardroom", "hostile"])
def test_headings_in_order(rendered, name):
    built = rendered[name]
    found = [
        (p.style.name, p.text)
        for p in built.word().paragraphs
        if p.style is not None and p.style.name.startswith("Heading")
    ]
    assert found == _expected_headings(built.document)
    titles = [p.text for p in built.word().paragraphs if p.style.name == "Title"]
    assert titles == [built.document.metadata.title]


def test_stakeholder_table_header_repeats_and_direction_is_shaded(rendered):
    built = rendered["example"]
    table = next(t for t in built.word().tables if t.rows[0].cells[0].text == "Stakeholder")
    assert table.style.name == "Brief Table"
    header = table.rows[0]._tr
    assert header.find(f"{W}trPr/{W}tblHeader") is not None
    headers = [cell.text for cell in table.rows[0].cells]
    column = headers.index("Direction")
    colours = {term.label: colour for term, colour in built.style.colors.direction.items()}
    for row in table.rows[1:]:
        cell = row.cells[column]
        fill = cell._tc.find(f"{W}tcPr/{W}shd").get(qn("w:fill"))
        assert fill == colours[cell.text][1:].upper()


def test_hyperlinks_resolve(rendered):
    for name in ("example", "hostile"):
        word = rendered[name].word()
        body = word.element.body
        bookmarks = {b.get(qn("w:name")) for b in body.iter(f"{W}bookmarkStart")}
        links = list(body.iter(f"{W}hyperlink"))
        internal = [link.get(qn("w:anchor")) for link in links if link.get(qn("w:anchor"))]
        external = [link.get(R_ID) for link in links if link.get(R_ID)]
        assert internal and set(internal) <= bookmarks
        # anchors start with a letter; absorb's field marks are hidden bookmarks ("_F_…")
        assert all(re.fullmatch(r"_?[A-Za-z]\w{0,39}", b) for b in bookmarks)
        rels = word.part.rels
        for r_id in external:
            assert rels[r_id].reltype == HYPERLINK and rels[r_id].is_external
            assert rels[r_id].target_ref.startswith(("https://", "http://"))
        for link in links:
            styles = {r.get(qn("w:val")) for r in link.iter(f"{W}rStyle")}
            assert styles == {"Hyperlink"}
    hostile = rendered["hostile"].word()
    targets = {rel.target_ref for rel in hostile.part.rels.values() if rel.reltype == HYPERLINK}
    assert LONG_URL in targets


def test_numbered_lists_restart_and_sources_are_bracketed(rendered):
    word = rendered["example"].word()
    numbering = word.part.numbering_part.element
    num_ids = []
    for paragraph in _paragraphs(word):
        if paragraph.style.name == "List Number":
            num_ids.append(paragraph._p.find(f"{W}pPr/{W}numPr/{W}numId").get(qn("w:val")))
    lists = list(dict.fromkeys(num_ids))
    assert len(lists) == 3  # key judgments, open questions, sources
    assert Counter(num_ids)[lists[1]] == 6  # the questions
    formats = {}
    for num in numbering.findall(f"{W}num"):
        if num.get(qn("w:numId")) in lists:
            override = num.find(f"{W}lvlOverride/{W}startOverride")
            assert override is not None and override.get(qn("w:val")) == "1"
            abstract = num.find(f"{W}abstractNumId").get(qn("w:val"))
            formats[num.get(qn("w:numId"))] = abstract
    texts = {}
    for abstract in numbering.findall(f"{W}abstractNum"):
        level_text = abstract.find(f"{W}lvl/{W}lvlText").get(qn("w:val"))
        texts[abstract.get(qn("w:abstractNumId"))] = level_text
    assert [texts[formats[n]] for n in lists] == ["%1.", "%1.", "[%1]"]


@pytest.mark.parametrize("name", ["example", "hostile"])
def test_header_and_footer(rendered, name):
    built = rendered[name]
    meta = built.document.metadata
    section = built.word().sections[0]
    header = section.header._element
    footer = section.footer._element
    header_text = "".join(t.text for t in header.iter(f"{W}t"))
    footer_text = "".join(t.text for t in footer.iter(f"{W}t"))
    assert meta.handling and meta.handling in header_text and meta.handling in footer_text
    assert meta.footer in footer_text
    instructions = [i.text.strip() for i in footer.iter(f"{W}instrText")]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert footer_text.count("Page") == 1 and " of " in footer_text
    wp = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    watermark = header.find(f".//{wp}anchor/{wp}docPr")
    if meta.draft:  # in the header for pages 2 on, in the body on page 1 (see test_pages)
        assert watermark is not None and watermark.get("descr") == "DRAFT"
        assert "DRAFT" in footer_text
    else:
        assert watermark is None


def test_tlp_banner_is_tlp_colour_on_black(rendered):
    built = rendered["example"]
    header = built.word().sections[0].header._element
    run = next(r for r in header.iter(f"{W}r") if "TLP:AMBER" in "".join(r.itertext()))
    assert run.find(f"{W}rPr/{W}shd").get(qn("w:fill")) == "000000"
    amber = built.style.colors.tlp["TLP:AMBER"]  # type: ignore[index]
    assert run.find(f"{W}rPr/{W}color").get(qn("w:val")) == amber[1:].upper()


def test_page_size_and_margins(rendered):
    for name, size in (("example", (11906, 16838)), ("boardroom", (12240, 15840))):
        built = rendered[name]
        section = built.word().sections[0]
        assert (section.page_width.twips, section.page_height.twips) == size
        assert section.orientation == 0  # portrait
        margins = built.style.page.margins
        assert section.left_margin.twips == round(margins.left * 20)
        assert section.top_margin.twips == round(margins.top * 20)


def test_core_properties_match_the_brief(rendered):
    built = rendered["example"]
    meta = built.document.metadata
    props = built.word().core_properties
    assert props.title == meta.title
    assert props.author == ", ".join(meta.authors)
    assert props.last_modified_by == ", ".join(meta.authors)
    assert props.keywords == ", ".join(meta.keywords)
    assert props.category == "Executive brief"
    assert props.subject and meta.subject.startswith(props.subject.rstrip("…"))
    assert props.language == "en-US"  # the brief's "en" with its likely region
    assert props.revision == 1
    expected = dt.datetime.fromisoformat(meta.date).replace(tzinfo=dt.UTC)
    assert props.created == expected and props.modified == expected
    assert props.comments == ""


@pytest.mark.parametrize("name", ["example", "hostile"])
def test_no_python_docx_traces(rendered, name):
    entries = _zip_entries(rendered[name].docx)
    for entry, data in entries.items():
        assert b"python-docx" not in data.lower(), entry
    assert b"<Application>briefkit</Application>" in entries["docProps/app.xml"]
    assert "docProps/thumbnail.jpeg" not in entries
    assert next(iter(entries)) == "[Content_Types].xml"


def test_fonts_are_embedded_and_used_by_libreoffice(rendered):
    from pypdf import PdfReader

    for name, families in (("example", ["SourceSans3"]), ("boardroom", ["SourceSerif4"])):
        built = rendered[name]
        entries = _zip_entries(built.docx)
        assert any(n.startswith("word/fonts/") for n in entries)
        assert b"embedTrueTypeFonts" in entries["word/settings.xml"]
        used = set()
        for page in PdfReader(built.converted).pages:
            for font in page["/Resources"]["/Font"].values():
                used.add(str(font.get_object()["/BaseFont"]))
        for family in families:
            assert any(family in font for font in used), used
    hostile = _zip_entries(rendered["hostile"].docx)["word/fontTable.xml"].decode()
    assert hostile.count("<w:font ") == 3 and "Source Code Pro" in hostile  # code spans


def test_hostile_text_round_trips(rendered):
    word = rendered["hostile"].word()
    text = "\n".join(p.text for p in _paragraphs(word))
    assert MIXED in text
    assert _long_impact() in text
    assert LONG_URL in text
    assert "Judgment with &amp; literal and “typographic quotes”" in text
    title = "Tom & Jerry <script>alert(‘x’)</script> “quoted” — 利益格局"  # typographic
    assert word.core_properties.title == title
    codes = [r for r in word.element.body.iter(f"{W}r") if "code & <mono>" in "".join(r.itertext())]
    assert codes and codes[0].find(f"{W}rPr/{W}rStyle").get(qn("w:val")) == "Code"


def test_source_revision_is_a_custom_property(rendered):
    built = rendered["example"]
    meta = dataclasses.replace(built.document.metadata, revision="1a2b3c4+dirty")
    data = render_docx(dataclasses.replace(built.document, metadata=meta), built.style)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        custom = archive.read("docProps/custom.xml").decode()
    assert 'name="BriefRevision"><vt:lpwstr>1a2b3c4+dirty</vt:lpwstr>' in custom
    if not built.document.metadata.revision:  # no revision, no custom properties part
        assert "docProps/custom.xml" not in _zip_entries(built.docx)
    assert docx.Document(io.BytesIO(data)).core_properties.title == meta.title


# --- reproducible -----------------------------------------------------------------------------


def test_same_input_same_bytes(rendered):
    built = rendered["hostile"]
    first = render_docx(built.document, built.style)
    assert render_docx(built.document, built.style) == first
    assert first == built.docx.read_bytes()
    epoch = 1_780_000_000  # 2026-05-28T20:26:40Z
    stamped = render_docx(built.document, built.style, epoch=epoch)
    assert stamped == render_docx(built.document, built.style, epoch=epoch)
    with zipfile.ZipFile(io.BytesIO(stamped)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 5, 28, 20, 26, 40)}
    props = docx.Document(io.BytesIO(stamped)).core_properties
    assert props.created == dt.datetime(2026, 5, 28, 20, 26, 40, tzinfo=dt.UTC)


def test_cli_builds_are_byte_identical(write_brief, cli, repo, monkeypatch):
    write_brief(MINIMAL)
    outputs = []
    for run in range(2):
        assert cli("build", "--force", "--format", "docx", "-o", f"out{run}").exit_code == 0
        outputs.append((repo / f"out{run}" / "brief.docx").read_bytes())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    for run in range(2, 4):
        assert cli("build", "--force", "--format", "docx", "-o", f"out{run}").exit_code == 0
        outputs.append((repo / f"out{run}" / "brief.docx").read_bytes())
    assert outputs[0] == outputs[1] and outputs[2] == outputs[3]
    with zipfile.ZipFile(io.BytesIO(outputs[2])) as archive:
        assert archive.infolist()[0].date_time == (1980, 1, 1, 0, 0, 0)  # zip's earliest
    created = docx.Document(io.BytesIO(outputs[2])).core_properties.created
    assert created == dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


# --- LibreOffice shows the same text as the PDF ----------------------------------------------


def _body_words(pdf: Path, style: Style) -> list[str]:
    """The words inside the page margins, in content order: banners and footers excluded."""
    require_tool("pdftotext")
    width, height = style.page.width_height
    margins = style.page.margins
    crop = ["-x", "0", "-y", str(int(margins.top)), "-W", str(int(width))]
    crop += ["-H", str(int(height - margins.top - margins.bottom))]
    result = subprocess.run(
        ["pdftotext", "-raw", *crop, str(pdf), "-"], capture_output=True, text=True, check=True
    )
    # justified styles hyphenate, each renderer at its own points: a word broken at a line
    # end is joined again, and hyphens do not count (a compound may break at its own hyphen)
    joined = re.sub(r"(?<=\w)-\n", "", result.stdout)
    return [word.replace("-", "") or "-" for word in joined.split()]


def _without(words: list[str], sequence: list[str]) -> list[str]:
    out: list[str] = []
    index = 0
    while index < len(words):
        if sequence and words[index : index + len(sequence)] == sequence:
            index += len(sequence)
            continue
        out.append(words[index])
        index += 1
    return out


def _furniture(document: d.Document) -> list[list[str]]:
    """Text repeated per page, so present a different number of times in each rendering."""
    # The PDF's watermark: pdftotext reads its rotated letters one by one.
    repeated = [["DRAFT"], list("DRAFT")] if document.metadata.draft else []

    def walk(blocks: tuple[d.Block, ...]) -> None:
        for block in blocks:
            if isinstance(block, d.Table):
                repeated.append(" ".join(c.header for c in block.columns).split())
            elif isinstance(block, d.Callout | d.Group):
                walk(block.blocks)

    walk(document.blocks)
    return repeated


def _differences(expected: list[str], actual: list[str]) -> tuple[list[str], list[str]]:
    """Text in one rendering and not at the same place in the other.

    Words broken at a different place (a hyphen or a long address at the end of a line) are
    the same text, so a difference whose characters agree once spaces are removed is none.
    """
    matcher = SequenceMatcher(None, expected, actual, autojunk=False)
    missing, extra = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal" and "".join(expected[i1:i2]) != "".join(actual[j1:j2]):
            missing.append(" ".join(expected[i1:i2]))
            extra.append(" ".join(actual[j1:j2]))
    return missing, extra


@pytest.mark.parametrize("name", ["example", "boardroom", "hostile"])
def test_libreoffice_shows_the_same_text_as_the_pdf(rendered, name):
    built = rendered[name]
    assert built.converted.is_file(), "LibreOffice could not open the .docx"
    expected = _body_words(built.pdf, built.style)
    actual = _body_words(built.converted, built.style)
    for sequence in _furniture(built.document):
        expected, actual = _without(expected, sequence), _without(actual, sequence)
    missing, extra = _differences(expected, actual)
    # The one allowed difference: a table row split by a page break at a different line,
    # which moves the row's short cells before or after the continuation of its long cell.
    # Nothing may be lost or added, and no more than those few words may move.
    moved = "".join(missing).replace(" ", "")
    assert sorted(moved) == sorted("".join(extra).replace(" ", "")), (missing, extra)
    assert sum(len(block.split()) for block in missing) <= 12, (missing, extra)
    assert len(expected) > 50


def test_libreoffice_keeps_the_hostile_characters(rendered):
    built = rendered["hostile"]
    text = "".join(_body_words(built.converted, built.style))
    for needle in (CJK, "Ελλάδα", "Россия", "AT&amp;T", "<b>notbold</b>", LONG_URL):
        assert needle.replace("-", "") in text  # _body_words does not count hyphens


def test_pdf_prints_punctuation_after_cjk(tmp_path, rendered):
    built = rendered["hostile"]
    document = d.Document(built.document.metadata, (d.Paragraph(d.plain(f"“{CJK}” and “{CJK}”.")),))
    pdf = tmp_path / "quotes.pdf"
    pdf.write_bytes(render_pdf(document, built.style))
    assert f"“{CJK}”and“{CJK}”." in "".join(_body_words(pdf, built.style))
