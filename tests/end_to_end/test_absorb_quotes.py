"""`briefkit absorb` and typographic quotes: the .docx prints “…” and ’ where the YAML has
straight marks; absorb compares in the marks the reader saw and writes back in the YAML's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner, Result

from briefkit.cli import main
from tests import office_edits as edits

NBSP = "\u00a0"
BRIEFS = {
    "en": """\
briefkit: 1
id: en
title: The "quoted" title
date: 2026-11-28
summary:
  bluf: >-
    The "compute shortage" headline sits badly with xAI's own account of the 'spare'
    capacity, a 5' 10" figure and `code 'as typed'`.
sources:
  - id: s
    title: Source
    reliability: B
evidence:
  - id: e
    source: s
    quote: "They said \\"no\\" and 'maybe' twice"
  - id: r
    source: s
    quote: Зачем платить за "риск"?
""",
    "fr": """\
briefkit: 1
id: fr
title: Un essai
date: 2026-11-28
language: fr
summary:
  bluf: Le ministre a dit "oui, 'peut-être'" hier, et c'est tout.
""",
}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from briefkit.building.pipeline import BuildOptions, build_brief

    (tmp_path / ".git").mkdir()
    (tmp_path / "briefs").mkdir()
    for name, text in BRIEFS.items():
        path = tmp_path / "briefs" / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        result = build_brief(path, BuildOptions(out_dir=tmp_path / "out", formats=("docx",)))
        assert not result.failed, result.diagnostics
    monkeypatch.chdir(tmp_path)
    return tmp_path


def absorb(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["absorb", *map(str, args)], catch_exceptions=False)


def edited(repo: Path, name: str, change: Callable[[object], None]) -> Path:
    document = docx.Document(str(repo / "out" / f"{name}.docx"))
    change(document.element.body)
    target = repo / f"{name}-edited.docx"
    document.save(str(target))
    return target


@pytest.mark.parametrize("name", sorted(BRIEFS))
def test_an_untouched_document_gives_the_yaml_back_byte_for_byte(repo: Path, name: str) -> None:
    body = docx.Document(str(repo / "out" / f"{name}.docx")).element.body
    text = edits.text_of(body)
    assert "’" in text and "'" not in text.replace("'as typed'", "")  # the reader's marks
    result = absorb(f"out/{name}.docx")
    assert result.exit_code == 0, result.output
    assert "No changes in meaning." in result.output
    assert (repo / "briefs" / f"{name}.yaml").read_text(encoding="utf-8") == BRIEFS[name]


def test_an_edit_beside_curly_quotes_is_written_back_with_the_yamls_straight_ones(
    repo: Path,
) -> None:
    def change(body: object) -> None:
        edits.replace_text(body, "headline sits badly", "headline sits worse")
        edits.replace_text(body, "The “quoted” title", "The “quoted” heading")

    result = absorb(edited(repo, "en", change))
    assert result.exit_code == 0, result.output
    expected = (
        BRIEFS["en"]
        .replace("sits badly", "sits worse")
        .replace('The "quoted" title', 'The "quoted" heading')
    )
    assert (repo / "briefs" / "en.yaml").read_text(encoding="utf-8") == expected


def test_marks_an_office_types_come_back_straight(repo: Path) -> None:
    """Word turns a typed " into “ or ”: the YAML keeps its straight form."""

    def change(body: object) -> None:
        edits.replace_text(body, "sits badly", "sits “very” badly, it’s said,")

    result = absorb(edited(repo, "en", change))
    assert result.exit_code == 0, result.output
    text = (repo / "briefs" / "en.yaml").read_text(encoding="utf-8")
    assert "sits \"very\" badly, it's said, with xAI's own" in text
    assert "“" not in text and "’" not in text


def test_an_edited_evidence_quote_comes_back_without_its_marks(repo: Path) -> None:
    def change(body: object) -> None:
        edits.replace_text(body, "twice", "thrice")
        edits.replace_text(body, "Зачем платить", "Зачем же платить")

    result = absorb(edited(repo, "en", change))
    assert result.exit_code == 0, result.output
    expected = (
        BRIEFS["en"]
        .replace("'maybe' twice", "'maybe' thrice")
        .replace("Зачем платить", "Зачем же платить")
    )
    assert (repo / "briefs" / "en.yaml").read_text(encoding="utf-8") == expected


def test_a_french_edit_drops_the_no_break_spaces_the_guillemets_bring(repo: Path) -> None:
    def change(body: object) -> None:
        edits.replace_text(body, f"«{NBSP}oui", f"«{NBSP}non")

    result = absorb(edited(repo, "fr", change))
    assert result.exit_code == 0, result.output
    expected = BRIEFS["fr"].replace('"oui,', '"non,')
    assert (repo / "briefs" / "fr.yaml").read_text(encoding="utf-8") == expected
