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
import os
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx.oxml.ns import qn
from lxml import etree

from briefkit.pipeline import BuildOptions, build_brief
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
