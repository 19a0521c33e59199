"""Every property of a style sheet is honoured by every renderer that must: the example brief
is built with one property changed at a time, each output is read back (the PDF's pages,
fonts and files; the .docx's XML parts; the HTML), and each must differ from the build with
the sheet as it was. A property a renderer does not honour is listed, with the reason."""

from __future__ import annotations

import copy
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel
from pypdf import PdfReader

from briefkit.building.pipeline import BuildOptions, build_brief
from briefkit.style.sheet import PARAGRAPH_STYLES, ParagraphStyle, Style
from tests.conftest import MINIMAL, REPO

FORMATS = ("pdf", "docx", "html")
EXAMPLE = "xai-anthropic-alliance"
ARABIC = "red-sea-shipping-exercise-ar"

# One change of each property (a dotted path in the sheet); paragraph properties are changed on
# the body text, keep_with_next on the headings (the one style whose default keeps).
PARAGRAPH = {
    "font": "mono",
    "size": "14pt",
    "leading": "22pt",
    "space_before": "14pt",
    "space_after": "20pt",
    "indent": "30pt",
    "color": "accent",
    "background": "shade",
    "bold": True,
    "italic": True,
    "caps": True,
    "align": "center",
}
CHANGES: dict[str, Any] = {
    "page.size": "Letter",
    "page.margins.top": "40mm",
    "page.margins.right": "40mm",
    "page.margins.bottom": "40mm",
    "page.margins.left": "40mm",
    "fonts.body": "Source Serif 4",
    "fonts.heading": "Source Serif 4",
    "fonts.mono": "Source Sans 3",
    "fonts.fallback": ["Noto Sans Arabic"],
    "fonts.cjk": "Noto Sans SC",
    "colors.text": "#123456",
    "colors.accent": "#123456",
    "colors.muted": "#123456",
    "colors.rule": "#123456",
    "colors.shade": "#123456",
    "colors.table_header": "#123456",
    "colors.table_header_text": "#123456",
    "colors.table_stripe": "#123456",
    "colors.direction": {"positive": "#123456", "negative": "#123456", "mixed": "#123456"},
    "colors.likelihood": {"likely": "#123456", "very likely": "#123456"},
    "colors.tlp": {"TLP:AMBER": "#123456"},
    **{f"paragraphs.body.{name}": value for name, value in PARAGRAPH.items()},
    "paragraphs.heading1.keep_with_next": False,
    "labels": {"en": {"summary.title": "Key takeaways"}},
    "digits": "native",
    "portion_marks": True,
    "pdf.embed_source": True,
}
# The brief a change shows in, when the example does not: Arabic digits, code, Chinese text.
CODE = MINIMAL.replace("The bottom line.", "The bottom line, `briefkit build`.")
CHINESE = MINIMAL.replace("The bottom line.", "The bottom line, 中文.")
BRIEF = {"digits": ARABIC, "fonts.mono": CODE, "fonts.fallback": CHINESE, "fonts.cjk": CHINESE}
# The sheet a change is made to, when the default would hide it (its fallbacks hold Chinese).
BASE: dict[str, dict[str, Any]] = {"fonts.cjk": {"fonts": {"fallback": []}}}
# Properties that are not the documents' (the sheet's own name, parent and description).
NOT_DOCUMENT = {"name", "extends", "description"}
# What a renderer does not honour, and why.
NOT_HONOURED = {
    ("pdf.embed_source", "docx"): "an attachment of the PDF only (PDF/A-3)",
    ("pdf.embed_source", "html"): "an attachment of the PDF only (PDF/A-3)",
}


def _leaves(model: type[BaseModel], where: str = "") -> set[str]:
    """Every property of a sheet, as a dotted path (paragraph styles once, by property)."""
    found = set()
    for name, info in model.model_fields.items():
        path = f"{where}{name}"
        annotation = info.annotation
        if annotation is ParagraphStyle:
            continue
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            found |= _leaves(annotation, f"{path}.")
        else:
            found.add(path)
    return found


def _sheet(path: str, value: Any = None) -> dict[str, Any]:
    """The sheet of *path*'s test, with *path* set to *value* (unless None)."""
    sheet: dict[str, Any] = {"extends": "default", **copy.deepcopy(BASE.get(path, {}))}
    if value is None:
        return sheet
    *parents, last = path.split(".")
    here = sheet
    for key in parents:
        here = here.setdefault(key, {})
    here[last] = value
    return sheet


def _build(root: Path, brief: str, sheet: dict[str, Any]) -> dict[str, Any]:
    """The outputs of *brief* built with *sheet* (extending the default), as read back."""
    (root / ".git").mkdir(parents=True)
    (root / "styles").mkdir()
    (root / "styles" / "probe.yaml").write_text(yaml.safe_dump(sheet), encoding="utf-8")
    briefs = root / "briefs"
    briefs.mkdir()
    if brief in (EXAMPLE, ARABIC):
        source = (REPO / "briefs" / f"{brief}.yaml").read_text(encoding="utf-8")
        source = source.replace("status: final", "status: draft")  # with its watermark
    else:
        source, brief = brief, "probe"
    (briefs / f"{brief}.yaml").write_text(source, encoding="utf-8")
    for text in (REPO / "briefs" / "sources").glob("*"):
        (briefs / "sources").mkdir(exist_ok=True)
        (briefs / "sources" / text.name).write_bytes(text.read_bytes())
    options = BuildOptions(out_dir=root / "out", formats=FORMATS, style="probe")
    result = build_brief(briefs / f"{brief}.yaml", options)
    assert not result.failed, result.diagnostics
    out = root / "out"
    return {
        "pdf": _pdf(out / f"{brief}.pdf"),
        "docx": _docx(out / f"{brief}.docx"),
        "html": (out / f"{brief}.html").read_text(encoding="utf-8"),
    }


def _pdf(path: Path) -> Any:
    reader = PdfReader(path)
    pages = []
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        names = sorted(str(f.get_object().get("/BaseFont")) for f in fonts.values())
        pages.append((tuple(page.mediabox), page.get_contents().get_data(), names))
    files = sorted(reader.attachments)
    return pages, files


def _docx(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n.startswith("word/")}


_BUILT: dict[tuple[str, str], dict[str, Any]] = {}


@pytest.fixture
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The outputs of a brief built with a test's sheet before the change (built once)."""

    def built(brief: str, path: str) -> dict[str, Any]:
        key = (brief, repr(BASE.get(path)))
        if key not in _BUILT:
            _BUILT[key] = _build(tmp_path_factory.mktemp("base"), brief, _sheet(path))
        return _BUILT[key]

    return built


def test_every_property_of_a_sheet_is_changed_here() -> None:
    properties = _leaves(Style) | {f"paragraphs.body.{p}" for p in ParagraphStyle.model_fields}
    properties -= {"paragraphs.body.keep_with_next"}
    assert "colors.tlp" in properties and "paragraphs.body.caps" in properties  # not vacuous
    assert set(PARAGRAPH_STYLES) == set(Style.model_fields["paragraphs"].annotation.model_fields)
    missing = properties - set(CHANGES) - NOT_DOCUMENT - {"paragraphs.heading1.keep_with_next"}
    assert missing == set(), "give each new style property a change in CHANGES"


def test_an_unchanged_sheet_reads_back_the_same(tmp_path: Path, baseline: Any) -> None:
    # the negative control: a rebuild elsewhere is not a change
    assert _build(tmp_path, EXAMPLE, {"extends": "default"}) == baseline(EXAMPLE, "")


@pytest.mark.parametrize("path", sorted(CHANGES))
def test_each_renderer_honours_the_property(path: str, tmp_path: Path, baseline: Any) -> None:
    brief = BRIEF.get(path, EXAMPLE)
    before = baseline(brief, path)
    outputs = _build(tmp_path, brief, _sheet(path, CHANGES[path]))
    same = {f for f in FORMATS if outputs[f] == before[f]}
    expected = {f for f in FORMATS if (path, f) in NOT_HONOURED}
    assert same == expected, f"{path}: unchanged in {sorted(same)}"
