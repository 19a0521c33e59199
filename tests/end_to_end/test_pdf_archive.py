"""The archival side of the PDF, read back with pikepdf and fontTools: XMP that says what the
document information dictionary says, an sRGB output intent, every font embedded with the
widths its program has, annotations that print (what veraPDF's PDF/A-2 profile checks, without
needing Java)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from pikepdf import Dictionary, Name
from pikepdf.models.metadata import decode_pdf_date
from reportlab.pdfgen.canvas import Canvas

from briefkit import load_brief
from briefkit.building.pipeline import BuildOptions, build_brief
from briefkit.render.pdf.archive import PDFA_CONFORMANCE, PDFA_PART, finish_pdf, xmp_date
from tests.conftest import EXAMPLE_BRIEF, MINIMAL, REPO

MULTI_SCRIPT = REPO / "briefs" / "red-sea-shipping-exercise.yaml"
AWKWARD_TITLE = "Fish & Chips <Ltd> \"quoted\" 'single' — €"


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The examples, a brief with no author and a title XML must escape, and a French one."""
    root = tmp_path_factory.mktemp("archive")
    (root / ".git").mkdir()
    briefs = root / "briefs"
    shutil.copytree(REPO / "briefs", briefs)
    minimal = MINIMAL.replace("title: A minimal brief", f"title: {json.dumps(AWKWARD_TITLE)}")
    (briefs / "minimal.yaml").write_text(minimal + "language: fr\n", encoding="utf-8")
    out: dict[str, Path] = {}
    for name in (EXAMPLE_BRIEF.stem, MULTI_SCRIPT.stem, "minimal"):
        result = build_brief(briefs / f"{name}.yaml", BuildOptions(out_dir=root, formats=("pdf",)))
        assert not result.failed, result.diagnostics
        out[name] = root / f"{name}.pdf"
    return out


def test_xmp_says_what_the_info_dictionary_and_the_brief_say(pdfs: dict[str, Path]) -> None:
    brief = load_brief(EXAMPLE_BRIEF)
    with pikepdf.open(pdfs[EXAMPLE_BRIEF.stem]) as pdf:
        info = pdf.docinfo
        meta = pdf.open_metadata(strict=True)
        assert meta["dc:title"] == str(info.Title) == brief.title
        assert meta["dc:creator"] == [str(info.Author)] == [", ".join(brief.authors)]
        assert meta["dc:description"] == str(info.Subject)
        assert meta["dc:language"] == {brief.language} == {"en"}
        assert meta["pdf:Keywords"] == str(info.Keywords)
        assert meta["pdf:Producer"] == str(info.Producer) == "briefkit"
        assert meta["xmp:CreatorTool"] == str(info.Creator)
        midnight = dt.datetime.combine(brief.date, dt.time(), tzinfo=dt.UTC)
        for entry, names in (
            ("CreationDate", ("xmp:CreateDate",)),
            ("ModDate", ("xmp:ModifyDate", "xmp:MetadataDate")),
        ):
            assert decode_pdf_date(str(info[f"/{entry}"])) == midnight
            for name in names:
                assert dt.datetime.fromisoformat(meta[name]) == midnight, name
        assert meta.pdfa_status == f"{PDFA_PART}{PDFA_CONFORMANCE}"
        assert meta["pdfuaid:part"] == "1"
        # the title in the document's language too, beside the default
        xml = bytes(pdf.Root.Metadata.read_bytes()).decode()
        assert f'<rdf:li xml:lang="en">{brief.title}</rdf:li>' in xml
        # PDF/A accepts the pdfuaid property only with a description of its schema
        assert "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in xml


def test_xmp_escapes_the_title_and_leaves_out_an_author_nobody_named(
    pdfs: dict[str, Path],
) -> None:
    with pikepdf.open(pdfs["minimal"]) as pdf:
        meta = pdf.open_metadata(strict=True)
        # the title as the page prints it: in French marks (layout/quotes.py)
        printed = "Fish & Chips <Ltd> «\u00a0quoted\u00a0» «\u00a0single\u00a0» — €"
        assert meta["dc:title"] == str(pdf.docinfo.Title) == printed
        assert meta["dc:language"] == {"fr"}
        assert "/Author" not in pdf.docinfo and "dc:creator" not in meta


def test_xmp_dates_follow_source_date_epoch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    (tmp_path / ".git").mkdir()
    brief = tmp_path / "minimal.yaml"
    brief.write_text(MINIMAL, encoding="utf-8")
    result = build_brief(brief, BuildOptions(out_dir=tmp_path / "out", formats=("pdf",)))
    assert not result.failed, result.diagnostics
    with pikepdf.open(tmp_path / "out" / "minimal.pdf") as pdf:
        meta = pdf.open_metadata(strict=True)
        when = dt.datetime.fromtimestamp(1700000000, tz=dt.UTC)
        assert decode_pdf_date(str(pdf.docinfo.CreationDate)) == when
        assert dt.datetime.fromisoformat(meta["xmp:CreateDate"]) == when


@pytest.mark.parametrize(
    ("pdf_date", "xmp"),
    [
        ("D:20261128000000+00'00'", "2026-11-28T00:00:00+00:00"),
        ("D:20261128093000-05'30'", "2026-11-28T09:30:00-05:30"),
        ("D:20261128093000Z", "2026-11-28T09:30:00Z"),
        ("D:20261128093000", "2026-11-28T09:30:00"),
    ],
)
def test_pdf_dates_become_xmp_dates(pdf_date: str, xmp: str) -> None:
    assert xmp_date(pdf_date) == xmp


def test_the_output_intent_is_srgb_with_its_profile(pdfs: dict[str, Path]) -> None:
    with pikepdf.open(pdfs[EXAMPLE_BRIEF.stem]) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == Name.GTS_PDFA1
        profile = intent.DestOutputProfile
        assert profile.N == 3
        header = profile.read_bytes()[:40]
        assert header[12:20] == b"mntrRGB " and header[36:40] == b"acsp"  # a monitor RGB profile


def test_pages_have_no_empty_transition_and_annotations_print(pdfs: dict[str, Path]) -> None:
    annotated = 0
    for path in pdfs.values():
        with pikepdf.open(path) as pdf:
            for page in pdf.pages:
                assert Name.Trans not in page.obj
                annotations = page.obj.get(Name.Annots, [])
                for annotation in annotations:
                    assert annotation.F == 4
                    annotated += 1
                if annotations:
                    assert page.obj.Tabs == Name.S
    assert annotated > 20  # the examples' links and citations


# --- fonts ----------------------------------------------------------------------------------


def font_resources(pdf: pikepdf.Pdf) -> Iterator[tuple[str, Dictionary]]:
    """(where, font) for every font a page, a form XObject or an appearance stream names."""
    seen: set[tuple[int, int]] = set()

    def walk(resources: Dictionary | None, where: str) -> Iterator[tuple[str, Dictionary]]:
        if resources is None or (resources.is_indirect and resources.objgen in seen):
            return
        if resources.is_indirect:
            seen.add(resources.objgen)
        for name, font in resources.get(Name.Font, {}).items():
            yield f"{where} {name}", font
            yield from walk(font.get(Name.Resources), f"{where} {name}")  # Type 3
        for name, xobject in resources.get(Name.XObject, {}).items():
            if xobject.get(Name.Subtype) == Name.Form:
                yield from walk(xobject.get(Name.Resources), f"{where} {name}")

    for number, page in enumerate(pdf.pages, 1):
        yield from walk(page.obj.get(Name.Resources), f"page {number}")
        for annotation in page.obj.get(Name.Annots, []):
            for appearance in annotation.get(Name.AP, {}).values():
                if isinstance(appearance, pikepdf.Stream):
                    yield from walk(appearance.get(Name.Resources), f"page {number} annotation")


def unembedded_fonts(path: Path) -> list[str]:
    """Where a font is named whose program the file does not carry."""
    missing = []
    with pikepdf.open(path) as pdf:
        for where, font in font_resources(pdf):
            if font.get(Name.Subtype) == Name.Type3:
                continue  # glyphs drawn by the file's own procedures
            described = font.DescendantFonts[0] if Name.DescendantFonts in font else font
            descriptor = described.get(Name.FontDescriptor, {})
            if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.append(f"{where}: {font.get(Name.BaseFont)}")
    return missing


def test_every_font_resource_is_embedded(pdfs: dict[str, Path]) -> None:
    for path in pdfs.values():
        assert unembedded_fonts(path) == [], path


def test_an_unembedded_font_resource_is_caught(tmp_path: Path) -> None:
    """The negative control: what reportlab writes unless told otherwise."""
    path = tmp_path / "helvetica.pdf"
    canvas = Canvas(str(path))
    canvas.setFont("Helvetica", 12)
    canvas.drawString(72, 720, "Helvetica")
    canvas.save()
    assert unembedded_fonts(path) == ["page 1 /F1: /Helvetica"]


def width_disagreements(path: Path) -> list[str]:
    """Glyphs whose /Widths entry differs from the advance in the embedded font program."""
    found = []
    with pikepdf.open(path) as pdf:
        fonts = {font.objgen: font for _, font in font_resources(pdf)}
        for font in fonts.values():
            if font.get(Name.Subtype) != Name.TrueType:
                continue
            program = TTFont(io.BytesIO(font.FontDescriptor.FontFile2.read_bytes()))
            scale = 1000 / program["head"].unitsPerEm
            codes = program["cmap"].tables[0].cmap  # a subset maps its codes directly
            for code, width in enumerate(font.Widths, int(font.FirstChar)):
                if code in codes:
                    advance = program["hmtx"][codes[code]][0] * scale
                    if abs(advance - float(width)) > 1:
                        found.append(f"{font.BaseFont} code {code}: {width} != {advance}")
    return found


def test_glyph_widths_agree_with_the_font_programs(pdfs: dict[str, Path]) -> None:
    # the multi-script example sets Devanagari conjuncts and Arabic joining forms: glyphs that
    # HarfBuzz picks without a character of their own
    for path in pdfs.values():
        assert width_disagreements(path) == [], path


def test_a_width_disagreement_is_caught(pdfs: dict[str, Path], tmp_path: Path) -> None:
    """The negative control: one font's widths changed."""
    with pikepdf.open(pdfs[EXAMPLE_BRIEF.stem]) as pdf:
        font = next(font for _, font in font_resources(pdf) if Name.Widths in font)
        font.Widths = pikepdf.Array([float(width) + 50 for width in font.Widths])
        name = str(font.BaseFont)
        pdf.save(tmp_path / "changed.pdf")
    found = width_disagreements(tmp_path / "changed.pdf")
    assert found and all(line.startswith(f"{name} ") for line in found)


def test_two_renderings_are_identical(pdfs: dict[str, Path], tmp_path: Path) -> None:
    """The post-pass keeps the PDF reproducible: same brief, same bytes (its /ID included)."""
    source = pdfs[MULTI_SCRIPT.stem].parent / "briefs" / MULTI_SCRIPT.name
    result = build_brief(source, BuildOptions(out_dir=tmp_path, formats=("pdf",)))
    assert not result.failed, result.diagnostics
    again = (tmp_path / f"{MULTI_SCRIPT.stem}.pdf").read_bytes()
    assert again == pdfs[MULTI_SCRIPT.stem].read_bytes()
    assert re.search(rb"/ID \[<[0-9a-f]{32}>", again)


def test_the_source_rides_along_as_a_pdf_a3_associated_file(pdfs: dict[str, Path]) -> None:
    """finish_pdf with the brief's YAML: embedded byte for byte, related as its source."""
    raw = pdfs[EXAMPLE_BRIEF.stem].read_bytes()
    source = EXAMPLE_BRIEF.read_bytes()
    finished = finish_pdf(raw, language="en", source=(EXAMPLE_BRIEF.name, source))
    assert finish_pdf(raw, language="en", source=(EXAMPLE_BRIEF.name, source)) == finished
    with pikepdf.open(io.BytesIO(finished)) as pdf:
        (spec,) = pdf.Root.AF
        assert spec.AFRelationship == Name.Source
        attached = pdf.attachments[EXAMPLE_BRIEF.name]
        assert attached.get_file().read_bytes() == source
        assert attached.get_file().mime_type == "application/yaml"
        assert pdf.open_metadata(strict=True).pdfa_status == f"3{PDFA_CONFORMANCE}"
    # veraPDF validates such a PDF in its one run (test_pdf_standards.py, with_source)


def test_a_style_sheet_asks_for_the_source_in_the_pdf(repo: Path, write_brief, cli) -> None:
    (repo / "styles").mkdir()
    (repo / "styles" / "keeping.yaml").write_text(
        "extends: default\npdf: {embed_source: true}\n", encoding="utf-8"
    )
    brief = write_brief(MINIMAL + "style: keeping\n")
    result = cli("build", "--format", "pdf")
    assert result.exit_code == 0, result.output
    with pikepdf.open(repo / "out" / "brief.pdf") as pdf:
        assert pdf.attachments["brief.yaml"].get_file().read_bytes() == brief.read_bytes()
        assert pdf.open_metadata().pdfa_status == f"3{PDFA_CONFORMANCE}"
    cli("build", "--format", "pdf", "--style", "default")  # the negative control
    with pikepdf.open(repo / "out" / "brief.pdf") as pdf:
        assert not pdf.attachments and Name.AF not in pdf.Root
        assert pdf.open_metadata().pdfa_status == f"{PDFA_PART}{PDFA_CONFORMANCE}"


def test_a_mistaken_embed_source_points_into_the_style_sheet(repo: Path, write_brief, cli) -> None:
    (repo / "styles").mkdir()
    (repo / "styles" / "keeping.yaml").write_text(
        "extends: default\npdf: {embed_source: perhaps}\n", encoding="utf-8"
    )
    write_brief(MINIMAL + "style: keeping\n")
    result = cli("build", "--format", "pdf")
    assert result.exit_code == 1
    assert "styles/keeping.yaml:2:21: pdf.embed_source: expected true or false" in result.stderr, (
        result.stderr
    )
    assert not (repo / "out" / "brief.pdf").exists()
