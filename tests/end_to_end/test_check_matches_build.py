"""`check` accepts only what `build` can build: values no document can hold are located errors,
and document properties longer than Word allows are shortened, not a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import MINIMAL


def _style(repo: Path, text: str) -> None:
    (repo / "styles").mkdir(exist_ok=True)
    (repo / "styles" / "t.yaml").write_text("extends: default\n" + text, encoding="utf-8")


@pytest.mark.parametrize(
    ("sheet", "expected"),
    [
        (
            "paragraphs:\n  body: {size: 72pt, leading: 200pt}\n",
            "styles/t.yaml:3:31: paragraphs.body.leading: two lines with their space before "
            "and after take 405 pt, more than half the text height",
        ),
        (
            "paragraphs:\n  heading1: {space_before: 800pt}\n",
            "styles/t.yaml:3:28: paragraphs.heading1.space_before: 800 pt is out of range "
            "(allowed: 0 to 72 pt)",
        ),
        (
            "paragraphs:\n  heading2: {size: 600pt, leading: 600pt}\n",
            "styles/t.yaml:3:20: paragraphs.heading2.size: 600 pt is out of range "
            "(allowed: 1 pt to 72 pt)",
        ),
        (
            "paragraphs:\n  table_cell: {size: 30pt, leading: 40pt}\n",
            "styles/t.yaml:3:22: paragraphs.table_cell.size: 30 pt table text needs a text "
            "width of at least 840 pt",
        ),
        (
            "paragraphs:\n  body: {size: .inf}\n",
            "styles/t.yaml:3:16: paragraphs.body.size: 'inf' is not a usable length",
        ),
        (
            "paragraphs:\n  body: {leading: 800pt}\n",
            "styles/t.yaml:3:19: paragraphs.body.leading: 800 pt is out of range for 10 pt text",
        ),
        (
            "page:\n  size: [20000pt, 800pt]\n",
            "styles/t.yaml:3:9: page.size: a page of 20000 × 800 pt is too large",
        ),
    ],
    ids=["leading", "space", "heading", "table", "inf", "leading-per-size", "page"],
)
def test_style_values_no_page_can_hold_are_located_errors(
    repo: Path, write_brief, cli, sheet: str, expected: str
) -> None:
    _style(repo, sheet)
    write_brief(MINIMAL + "style: t\n")
    result = cli("check")
    assert result.exit_code == 1
    assert expected in result.stdout, result.stdout
    built = cli("build", "--format", "pdf")
    assert built.exit_code == 1 and "internal error" not in built.stderr


def test_a_generous_style_inside_the_ranges_builds(repo: Path, write_brief, cli) -> None:
    _style(
        repo,
        "paragraphs:\n"
        "  heading1: {size: 72pt, leading: 80pt, space_before: 72pt, space_after: 20pt}\n"
        "  body: {size: 40pt, leading: 60pt}\n"
        "  table_cell: {size: 17pt, leading: 20pt}\n",
    )
    write_brief(MINIMAL + "style: t\n")
    assert cli("check").exit_code == 0
    assert cli("build").exit_code == 0


def test_long_document_properties_are_shortened_not_fatal(write_brief, cli, repo: Path) -> None:
    version = " ".join(["v1.0-revised"] * 30)  # 389 characters; Word keeps 255
    write_brief(MINIMAL + f"version: {version}\n")
    assert cli("check").exit_code == 0
    result = cli("build")
    assert result.exit_code == 0, result.stderr
    from docx import Document

    core = Document(str(repo / "out" / "brief.docx")).core_properties
    assert len(core.version) <= 255 and core.version.endswith("…")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "language: " + "-".join(["en"] + ["abcdefgh"] * 40),
            "briefs/brief.yaml:7:11: language: too long: at most 35",
        ),
        ("title: " + "word " * 200, "briefs/brief.yaml:3:8: title: too long: at most 500"),
    ],
    ids=["language", "title"],
)
def test_values_longer_than_a_document_can_show_are_located_errors(
    write_brief, cli, line: str, expected: str
) -> None:
    if line.startswith("title"):
        write_brief(MINIMAL.replace("title: A minimal brief", line))
    else:
        write_brief(MINIMAL + line + "\n")
    result = cli("check")
    assert result.exit_code == 1
    assert expected in result.stdout, result.stdout
