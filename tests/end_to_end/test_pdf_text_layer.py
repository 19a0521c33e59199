"""The PDF's text layer: copying and searching shaped scripts give their logical text, and the
words either side of a line end stay apart (render/pdf/text_layer.py)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from briefkit.render.pdf.text_layer import line_end
from tests.conftest import REPO
from tests.pdf_helpers import pdftotext

EXAMPLE = REPO / "briefs" / "red-sea-shipping-exercise.yaml"


def _normal(text: str) -> str:
    """NFC, without the direction marks poppler adds around right-to-left runs, whitespace
    collapsed."""
    text = re.sub("[\u202a-\u202e]", "", unicodedata.normalize("NFC", text))
    return " ".join(text.split())


def _quotes(script: str) -> list[str]:
    evidence = YAML(typ="safe").load(EXAMPLE.read_text(encoding="utf-8"))["evidence"]
    return [
        item["quote"]
        for item in evidence
        if any(script in unicodedata.name(ch, "") for ch in item.get("quote", ""))
    ]


@pytest.fixture(scope="module")
def example_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from click.testing import CliRunner

    from briefkit.cli import main

    out = tmp_path_factory.mktemp("text-layer")
    result = CliRunner().invoke(
        main, ["build", str(EXAMPLE), "-o", str(out), "-q", "--format", "pdf"]
    )
    assert result.exit_code == 0, result.output
    return out / "red-sea-shipping-exercise.pdf"


@pytest.mark.parametrize("script", ["DEVANAGARI", "THAI"])
@pytest.mark.parametrize("layout", [False, True])
def test_shaped_quotes_are_in_the_text_layer_as_written(
    example_pdf: Path, script: str, layout: bool
) -> None:
    text = _normal(pdftotext(example_pdf, layout=layout))
    quotes = _quotes(script)
    assert quotes
    for quote in quotes:
        assert _normal(quote) in text


def test_a_line_ends_with_a_space_only_where_it_broke_at_one() -> None:
    assert line_end(True) == " "
    assert line_end(False) == ""
