"""The Word document checked by an Open XML validator and read back for what Word's
Accessibility Checker looks at: the example briefs in both built-in style sheets and in
several languages.

The validator is ``openxml-audit``, a Python port of the Open XML SDK's validation: the SDK's
schema data for every part (content models in schema order, attribute types and enumerations,
undeclared attributes where the SDK's metadata says which type an element has), its semantic
constraints (unique ids, references between parts) and the package's relationships and
content types. It reads no ISO 29500 XSD files: none are to be had offline.
"""

from __future__ import annotations

import io
import itertools
import os
import re
import shutil
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx.oxml.ns import qn
from lxml import etree

from briefkit.building.pipeline import BuildOptions, build_brief
from tests.conftest import EXAMPLE_BRIEF, REPO

STYLES = ("default", "boardroom")
LANGUAGES = ("en", "fr", "ar", "zh-Hans")
EXAMPLES = sorted((REPO / "briefs").glob("*.yaml"))
MULTI_SCRIPT = "red-sea-shipping-exercise"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def docx_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every example in each style, and the English example in each language."""
    root = tmp_path_factory.mktemp("docx-standards")
    (root / ".git").mkdir()
    briefs = root / "briefs"
    shutil.copytree(REPO / "briefs", briefs)
    out: dict[str, Path] = {}
    for style in STYLES:
        target = root / style
        for brief in EXAMPLES:
            options = BuildOptions(out_dir=target, style=style, formats=("docx",))
            result = build_brief(briefs / brief.name, options)
            assert not result.failed, result.diagnostics
            out[f"{brief.stem}-{style}"] = target / f"{brief.stem}.docx"
    source = EXAMPLE_BRIEF.read_text(encoding="utf-8")
    for language in LANGUAGES:
        text = re.sub(r"^language: .*$", f"language: {language}", source, flags=re.M)
        brief = briefs / f"language-{language}.yaml"
        brief.write_text(text, encoding="utf-8")
        result = build_brief(brief, BuildOptions(out_dir=root / "languages", formats=("docx",)))
        assert not result.failed, result.diagnostics
        out[f"language-{language}"] = root / "languages" / f"language-{language}.docx"
    # a draft: the watermark is a picture, in the first page's body and in the header
    draft = briefs / "draft.yaml"
    draft.write_text(re.sub(r"^status: .*$", "status: draft", source, flags=re.M), "utf-8")
    result = build_brief(draft, BuildOptions(out_dir=root / "draft", formats=("docx",)))
    assert not result.failed, result.diagnostics
    out["draft"] = root / "draft" / "draft.docx"
    return out


@pytest.fixture(scope="module")
def audit() -> Callable[[Path], list[str]]:
    """The validator's errors for a file, as text; required on CI."""
    try:
        from openxml_audit import OpenXmlValidator
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("openxml-audit is required on CI (it is in the test extras)")
        pytest.skip("openxml-audit is not installed (pip install -e '.[test]')")
    validator = OpenXmlValidator(max_errors=0)

    def errors(path: Path) -> list[str]:
        result = validator.validate(str(path))
        return [str(error) for error in result.errors]

    return errors


def test_openxml_validator_finds_no_error(
    docx_files: dict[str, Path], audit: Callable[[Path], list[str]]
) -> None:
    found = {name: audit(path) for name, path in docx_files.items()}
    assert not {name: errors for name, errors in found.items() if errors}


def _rewritten(path: Path, target: Path, part: str, edit: Callable[[bytes], bytes]) -> Path:
    """A copy of the package at *path* with *part* changed by *edit*."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as copy:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == part:
                changed = edit(data)
                assert changed != data, f"the edit changed nothing in {part}"
                data = changed
            copy.writestr(info, data)
    return target


def _swap_first_properties(xml: bytes) -> bytes:
    """The first two properties of the first table's w:tblPr the wrong way round."""
    root = etree.fromstring(xml)
    tblpr = root.find(f".//{W}tbl/{W}tblPr")
    first = tblpr[0]
    tblpr.remove(first)
    tblpr.insert(1, first)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _undeclared_attribute(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    root.find(f".//{W}tblW").set(qn("w:colour"), "red")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


@pytest.mark.parametrize(
    ("edit", "expected"),
    [(_swap_first_properties, "Unexpected element"), (_undeclared_attribute, "not declared")],
)
def test_openxml_validator_finds_a_broken_document(
    docx_files: dict[str, Path],
    audit: Callable[[Path], list[str]],
    tmp_path: Path,
    edit: Callable[[bytes], bytes],
    expected: str,
) -> None:
    """The negative control: the same check reports an element out of schema order and an
    attribute the schema does not declare."""
    original = docx_files[f"{MULTI_SCRIPT}-default"]
    broken = _rewritten(original, tmp_path / "broken.docx", "word/document.xml", edit)
    errors = audit(broken)
    assert any(expected in error for error in errors), errors


# --- what Word's Accessibility Checker looks at ----------------------------------------------


def _part(path: Path, name: str) -> Any:
    with zipfile.ZipFile(path) as package:
        return etree.parse(io.BytesIO(package.read(name))).getroot()


# The language each quote of the multi-script example is in, by its evidence id's prefix.
QUOTE_LANGUAGES = {
    "e-sa": "ar",
    "e-ir": "fa",
    "e-in": "hi",
    "e-th": "th",
    "e-cn": "zh",
    "e-ru": "ru",
}


def _quotes(stem: str) -> dict[str, str]:
    """Each quote of a multi-script example (NFC) and the language it is in."""
    from ruamel.yaml import YAML

    brief = YAML(typ="safe").load((REPO / "briefs" / f"{stem}.yaml").read_text("utf-8"))
    found = {}
    for evidence in brief["evidence"]:
        language = QUOTE_LANGUAGES[evidence["id"][:4]]
        found[unicodedata.normalize("NFC", evidence["quote"])] = language
    assert set(found.values()) == set(QUOTE_LANGUAGES.values())
    return found


def _run_language(run: Any) -> set[str]:
    """The languages a run says it is in (each slot of its w:lang), as primary subtags."""
    lang = run.find(f"{W}rPr/{W}lang")
    if lang is None:
        return set()
    return {value.split("-")[0] for value in lang.attrib.values()}


def misread_runs(document: Any, quotes: dict[str, str], language: str) -> list[str]:
    """The runs of each quote that a reader would take for another language than the quote's:
    a quote in another language than the document's (*language*) says its own in every run;
    one in the document's language says no other."""
    wrong = []
    seen = set()
    for paragraph in document.iter(f"{W}p"):
        runs = list(paragraph.iter(f"{W}r"))
        text = unicodedata.normalize("NFC", "".join(t.text or "" for t in paragraph.iter(f"{W}t")))
        for quote, quoted in quotes.items():
            if quote not in text:
                continue
            seen.add(quote)
            for run in runs:
                shown = "".join(t.text or "" for t in run.iter(f"{W}t"))
                if not any(ch.isalpha() for ch in shown):
                    continue
                said = _run_language(run)
                own = quoted in said if quoted != language else not said - {language}
                if not own:
                    wrong.append(f"{quoted}: {shown!r} says {sorted(said)}")
    assert seen == set(quotes), f"quotes not found: {set(quotes) - seen}"
    return wrong


@pytest.mark.parametrize(("stem", "language"), [(MULTI_SCRIPT, "en"), (f"{MULTI_SCRIPT}-ar", "ar")])
def test_every_run_of_a_quote_in_another_language_says_its_language(
    docx_files: dict[str, Path], stem: str, language: str
) -> None:
    document = _part(docx_files[f"{stem}-default"], "word/document.xml")
    assert not misread_runs(document, _quotes(stem), language)


def test_the_language_check_fails_without_w_lang(docx_files: dict[str, Path]) -> None:
    """The negative control: the same document with its runs' w:lang removed."""
    document = _part(docx_files[f"{MULTI_SCRIPT}-default"], "word/document.xml")
    for lang in list(document.iter(f"{W}lang")):
        lang.getparent().remove(lang)
    wrong = misread_runs(document, _quotes(MULTI_SCRIPT), "en")
    assert {entry.split(":")[0] for entry in wrong} == set(QUOTE_LANGUAGES.values())


def test_latin_text_around_a_russian_name_is_not_marked_russian(
    docx_files: dict[str, Path],
) -> None:
    """A Cyrillic name inside an English sentence is a run of its own that says ru-RU."""
    document = _part(docx_files[f"{MULTI_SCRIPT}-default"], "word/document.xml")
    marked = {
        "".join(t.text or "" for t in run.iter(f"{W}t"))
        for run in document.iter(f"{W}r")
        if "ru" in _run_language(run)
    }
    assert "Ирина Белозёрова" in marked
    assert not [text for text in marked if re.search("[A-Za-z]", text)]


@pytest.mark.parametrize(
    ("language", "slot", "tag"),
    [
        ("en", "val", "en-US"),
        ("fr", "val", "fr-FR"),
        ("ar", "bidi", "ar-EG"),
        ("zh-Hans", "eastAsia", "zh-CN"),
    ],
)
def test_the_document_language_has_its_region(
    docx_files: dict[str, Path], language: str, slot: str, tag: str
) -> None:
    """The default run properties and the core properties say the brief's language with the
    region CLDR's likely subtags give it."""
    path = docx_files[f"language-{language}"]
    styles = _part(path, "word/styles.xml")
    lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang.get(qn(f"w:{slot}")) == tag
    assert lang.get(qn("w:val")) == tag
    core = _part(path, "docProps/core.xml")
    assert core.findtext("{http://purl.org/dc/elements/1.1/}language") == tag
    # a run in the document's own language repeats nothing
    document = _part(path, "word/document.xml")
    repeated = [e.attrib for e in document.iter(f"{W}lang") if tag in e.attrib.values()]
    assert not repeated


# --- tables ------------------------------------------------------------------------------------


def _tables(path: Path) -> list[dict[str, Any]]:
    found = []
    for table in _part(path, "word/document.xml").iter(f"{W}tbl"):
        tblpr = table.find(f"{W}tblPr")
        look = tblpr.find(f"{W}tblLook")
        first = table.find(f"{W}tr")
        found.append(
            {
                "style": tblpr.find(f"{W}tblStyle").get(qn("w:val")),
                "caption": tblpr.find(f"{W}tblCaption"),
                "description": tblpr.find(f"{W}tblDescription"),
                "first_row": look.get(qn("w:firstRow")),
                "look": int(look.get(qn("w:val")), 16),
                "header_rows": [
                    row
                    for row in table.findall(f"{W}tr")
                    if row.find(f"{W}trPr/{W}tblHeader") is not None
                ],
                "first": first,
            }
        )
    return found


@pytest.mark.parametrize("style", STYLES)
def test_layout_tables_have_no_header_and_data_tables_repeat_theirs(
    docx_files: dict[str, Path], style: str
) -> None:
    for brief in EXAMPLES:
        tables = _tables(docx_files[f"{brief.stem}-{style}"])
        kinds = {table["style"] for table in tables}
        assert {"MetaGrid", "CalloutBox", "BriefTable"} <= kinds, kinds
        for table in tables:
            assert table["caption"] is not None and table["caption"].get(qn("w:val"))
            if table["style"] == "BriefTable":  # data: one header row, repeated on each page
                assert table["first_row"] == "1" and table["look"] & 0x20
                assert table["header_rows"] == [table["first"]]
                assert table["description"] is not None
            elif table["style"] == "CalloutBox" and table["header_rows"]:
                # a box taller than a page: its title row repeats on the next (issue 22), the
                # one header a one-column box has, and it says what the box holds
                assert table["header_rows"] == [table["first"]]
                title = "".join(table["first"].itertext()).strip()
                assert title == table["caption"].get(qn("w:val")), title
            else:  # layout: nothing a screen reader would take for column headers
                assert table["first_row"] == "0" and not table["look"] & 0x20
                assert not table["header_rows"]


# --- headings, pictures, links, title ----------------------------------------------------------


@pytest.mark.parametrize("name", ["default", "boardroom"])
def test_headings_skip_no_level(docx_files: dict[str, Path], name: str) -> None:
    """Heading 1 → 2 → 3, never deeper than one past the heading before (the title is the
    document's level 0)."""
    for brief in EXAMPLES:
        document = _part(docx_files[f"{brief.stem}-{name}"], "word/document.xml")
        levels = []
        for style in document.iter(f"{W}pStyle"):
            found = re.fullmatch(r"Heading(\d)", style.get(qn("w:val")))
            if found:
                levels.append(int(found[1]))
        assert levels and levels[0] == 1
        jumps = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
        assert not jumps, (brief.stem, jumps)
        # the styles say the same levels to the navigation pane and to assistive technology
        styles = _part(docx_files[f"{brief.stem}-{name}"], "word/styles.xml")
        for level in set(levels):
            style = styles.find(f"{W}style[@{W}styleId='Heading{level}']")
            outline = style.find(f"{W}pPr/{W}outlineLvl")
            assert outline is not None and outline.get(qn("w:val")) == str(level - 1)
            assert style.find(f"{W}name").get(qn("w:val")) == f"heading {level}"


def test_pictures_have_alt_text_links_say_where(docx_files: dict[str, Path]) -> None:
    """Every picture (the DRAFT watermark is the only one) has a description; every link
    has text that is not its address; the document has a title."""
    wp = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    pictures = links = 0
    for name, path in docx_files.items():
        with zipfile.ZipFile(path) as package:
            names = package.namelist()
        stories = [n for n in names if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)]
        for story in stories:
            root = _part(path, story)
            for picture in root.iter(f"{wp}docPr"):
                assert picture.get("descr"), (name, story)
                pictures += 1
            for link in root.iter(f"{W}hyperlink"):
                text = "".join(t.text or "" for t in link.iter(f"{W}t")).strip()
                assert text and not text.startswith(("http://", "https://")), (name, text)
                links += 1
        core = _part(path, "docProps/core.xml")
        assert core.findtext("{http://purl.org/dc/elements/1.1/}title")
    assert pictures >= 2 and links  # the draft's watermarks: the check saw pictures


def test_settings_zoom_has_the_percent_the_schema_requires(docx_files: dict[str, Path]) -> None:
    """ISO 29500's CT_Zoom requires w:percent; python-docx's template leaves it out."""
    for path in docx_files.values():
        zoom = _part(path, "word/settings.xml").find(f"{W}zoom")
        assert zoom is not None and zoom.get(qn("w:percent")) == "100"


@pytest.mark.parametrize(
    ("tag", "word"),
    [
        ("en", "en-US"),
        ("en-GB", "en-GB"),
        ("pt", "pt-BR"),
        ("zh-Hant", "zh-TW"),
        ("sr-Latn", "sr-Latn-RS"),
        ("und-Cyrl", "ru-RU"),
        ("en-u-ca-gregory", "en-US"),  # an extension's subtags are not a region
        ("x-private", "x-private"),  # nothing CLDR knows: as it is
    ],
)
def test_language_tags_get_their_likely_region(tag: str, word: str) -> None:
    from briefkit.render.common.language import with_region

    assert with_region(tag) == word


@pytest.mark.parametrize(
    ("run", "document", "differs"),
    [
        ("ru-RU", "en", True),
        ("ru-RU", "uk", False),  # a Cyrillic run in a Ukrainian brief is Ukrainian
        ("ru-RU", "ru-RU", False),
        ("fa-IR", "ar", True),  # Persian letters say Persian, whatever the brief's language
        ("ar-SA", "ar", False),
        ("ar-SA", "ur", False),
        ("zh-CN", "zh-Hans", False),
        ("ja-JP", "zh-Hans", True),
    ],
)
def test_a_run_says_its_language_only_where_it_differs(
    run: str, document: str, differs: bool
) -> None:
    from briefkit.render.common.language import differs as differs_from

    assert differs_from(run, document) is differs
