"""The examples' outputs against stored references in tests/golden/, so that a change meant to
leave the documents alone is shown to (a refactoring, an optimisation, a cache), and a change
meant to alter them shows how, as a diff a reviewer reads.

What is stored is what a reader gets, normalised to text: the PDF's text layer page by page,
its outline, links, fonts and document information; the .docx's document, styles and
numbering parts, pretty-printed; the HTML. When a change is meant, write the references again
and commit them with it::

    BRIEFKIT_UPDATE_GOLDEN=1 python -m pytest tests/golden/test_golden.py
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import zipfile
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner
from lxml import etree

from briefkit.cli import main
from briefkit.versions.git import revision_of
from tests.conftest import REPO
from tests.pdf_helpers import pdftotext

GOLDEN = Path(__file__).parent
UPDATE = os.environ.get("BRIEFKIT_UPDATE_GOLDEN") == "1"
# every example in the default style, and the English one in each other style too
CASES = [(path.stem, "default") for path in sorted((REPO / "briefs").glob("*.yaml"))] + [
    ("xai-anthropic-alliance", path.stem)
    for path in sorted((REPO / "styles").glob("*.yaml"))
    if path.stem != "default"
]
_DOCX_PARTS = ("word/document.xml", "word/styles.xml", "word/numbering.xml", "docProps/custom.xml")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("golden")
    for style in sorted({style for _name, style in CASES}):
        names = [REPO / "briefs" / f"{name}.yaml" for name, s in CASES if s == style]
        result = CliRunner().invoke(
            main,
            [
                "build",
                *map(str, names),
                *("-o", str(out / style), "--style", style, "-q", "--format", "pdf,docx,html"),
            ],
            catch_exceptions=False,
            env={"SOURCE_DATE_EPOCH": "1767225600"},
        )
        assert result.exit_code == 0, result.output
    return out


def _pdf_text(path: Path) -> str:
    pages = pdftotext(path).split("\f")
    return "".join(f"--- page {n} ---\n{page.rstrip()}\n" for n, page in enumerate(pages, 1))


def _pdf_structure(path: Path) -> str:
    reader = pypdf.PdfReader(path)
    lines = [f"pages: {len(reader.pages)}"]
    info = reader.metadata or {}
    lines += [f"info {key}: {info[key]}" for key in sorted(info)]
    lines.append(f"catalog: {sorted(str(key) for key in reader.trailer['/Root'])}")

    def outline(items: list[object], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                outline(item, depth + 1)
            else:
                page = reader.get_destination_page_number(item) + 1  # type: ignore[arg-type]
                lines.append(f"outline {'  ' * depth}{item.title} -> page {page}")  # type: ignore[attr-defined]

    outline(reader.outline, 0)
    for number, page in enumerate(reader.pages, 1):
        fonts = page.get("/Resources", {}).get("/Font", {})
        names = sorted(str(fonts[key].get_object().get("/BaseFont")) for key in fonts)
        lines.append(f"page {number} fonts: {', '.join(names)}")
        for annotation in page.get("/Annots", []) or []:
            annotation = annotation.get_object()
            action = annotation.get("/A", {})
            target = action.get("/URI") or annotation.get("/Dest") or action.get("/D")
            if isinstance(target, str) or target is None:
                lines.append(f"page {number} link: {target}")
            else:
                destination = target if isinstance(target, list) else None
                shown = (
                    f"page {reader.get_page_number(destination[0].get_object()) + 1}"
                    if destination
                    else str(target)
                )
                lines.append(f"page {number} link: -> {shown}")
    return "\n".join(lines) + "\n"


_DATA_URI = re.compile(r"(data:[\w/+.-]+;base64,)([A-Za-z0-9+/=]+)")


def _html(path: Path) -> str:
    """The page, each embedded font or image stood for by a digest of its bytes."""
    text = path.read_text(encoding="utf-8")
    return _DATA_URI.sub(
        lambda m: m.group(1) + "sha256:" + hashlib.sha256(m.group(2).encode()).hexdigest()[:16],
        text,
    )


def _xml(data: bytes) -> str:
    root = etree.fromstring(data)
    etree.indent(root, space=" ")
    return etree.tostring(root, encoding="unicode") + "\n"


def _normalised(out: Path, name: str) -> dict[str, str]:
    """The outputs of brief *name* as text; its git revision, which changes with every commit
    of the brief (the references are committed with it), stood for by a placeholder."""
    found = _found(out, name)
    revision = (revision_of(REPO / "briefs" / f"{name}.yaml") or "").removesuffix("+dirty")
    if revision:
        found = {file: text.replace(revision, "<revision>") for file, text in found.items()}
    return found


def _found(out: Path, name: str) -> dict[str, str]:
    found = {
        "pdf-text.txt": _pdf_text(out / f"{name}.pdf"),
        "pdf-structure.txt": _pdf_structure(out / f"{name}.pdf"),
        "brief.html": _html(out / f"{name}.html"),
    }
    with zipfile.ZipFile(out / f"{name}.docx") as package:
        present = set(package.namelist())
        for part in _DOCX_PARTS:
            if part in present:
                found[part.replace("/", "_")] = _xml(package.read(part))
    return found


@pytest.mark.parametrize(("name", "style"), CASES, ids=[f"{n}-{s}" for n, s in CASES])
def test_the_outputs_are_the_stored_references(built: Path, name: str, style: str) -> None:
    folder = GOLDEN / f"{name}.{style}"
    found = _normalised(built / style, name)
    if UPDATE:
        folder.mkdir(parents=True, exist_ok=True)
        for stale in set(p.name for p in folder.iterdir()) - set(found):
            (folder / stale).unlink()
        for file, text in found.items():
            (folder / file).write_text(text, encoding="utf-8")
        return
    differences = _differences(folder, found)
    assert not differences, (
        "the outputs differ from tests/golden (if the change is meant, run "
        "BRIEFKIT_UPDATE_GOLDEN=1 python -m pytest tests/golden/test_golden.py and commit):\n"
        + "\n\n".join(differences)
    )


def _differences(folder: Path, found: dict[str, str]) -> list[str]:
    differences = []
    for file, text in found.items():
        stored_path = folder / file
        stored = stored_path.read_text(encoding="utf-8") if stored_path.exists() else ""
        if stored != text:
            diff = difflib.unified_diff(
                stored.splitlines(), text.splitlines(), str(stored_path), "built", lineterm="", n=1
            )
            differences.append("\n".join(list(diff)[:40]))
    return differences


def test_a_changed_output_is_caught(built: Path) -> None:
    """The negative control: one word changed in the text layer or in the document part is a
    difference the comparison reports."""
    if UPDATE:
        pytest.skip("writing the references")
    name, style = CASES[0]
    found = _normalised(built / style, name)
    folder = GOLDEN / f"{name}.{style}"
    assert not _differences(folder, found)
    for file in ("pdf-text.txt", "word_document.xml", "brief.html"):
        changed = dict(found)
        lines = found[file].split("\n")
        lines[len(lines) // 2] += " teh"
        changed[file] = "\n".join(lines)
        [difference] = _differences(folder, changed)
        assert "teh" in difference
