"""Hostile and careless input: refused with a located (or honestly unlocated) message, never a
hang, a crash or a traceback; text that is accepted is printed as written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MINIMAL

QUOTED = """\
briefkit: 1
id: nfc
title: Café
date: 2026-11-28
summary:
  bluf: The café [@e1].
sources:
  - id: s
    title: S
    reliability: B
    text: ../sources/s.txt
evidence:
  - id: e1
    source: s
    quote: "{quote}"
"""


def test_a_fifo_as_source_text_is_refused_not_waited_for(repo: Path, cli) -> None:
    (repo / "sources").mkdir()
    os.mkfifo(repo / "sources" / "s.txt")
    (repo / "briefs" / "b.yaml").write_text(QUOTED.format(quote="café"), encoding="utf-8")
    result = cli("check")  # hung before: reading a FIFO waits for a writer
    assert result.exit_code == 1
    assert "sources[0].text: source text '../sources/s.txt' is a named pipe (FIFO)" in (
        result.stdout
    )


def test_a_huge_source_text_is_refused(repo: Path, cli, monkeypatch) -> None:
    import briefkit.checks.quotes

    monkeypatch.setattr(briefkit.checks.quotes, "MAX_SOURCE_TEXT_BYTES", 1000)
    (repo / "sources").mkdir()
    (repo / "sources" / "s.txt").write_text("café " * 1000, encoding="utf-8")
    (repo / "briefs" / "b.yaml").write_text(QUOTED.format(quote="café"), encoding="utf-8")
    result = cli("check")
    assert result.exit_code == 1
    assert "source text '../sources/s.txt' is 6,000 bytes; the limit is 1,000 bytes" in (
        result.stdout
    )


def test_a_device_or_fifo_named_as_a_brief_is_refused(repo: Path, cli) -> None:
    os.mkfifo(repo / "briefs" / "pipe.yaml")
    (repo / "briefs" / "zero.yaml").symlink_to("/dev/zero")
    for name in ("pipe", "zero"):
        result = cli("check", f"briefs/{name}.yaml")
        assert result.exit_code == 2
        assert "is not a regular file" in result.stderr
    from briefkit.checks.loader import check_brief

    _brief, problems = check_brief(repo / "briefs" / "zero.yaml")
    assert [str(p) for p in problems] == [
        f"{repo / 'briefs' / 'zero.yaml'}: the file is a character device, not a regular file"
    ]


@pytest.mark.parametrize("escape", ["\\uFFFF", "\\uFFFE", "\\uFDD0", "\\U0010FFFF", "\\uD800"])
def test_non_characters_are_refused_by_check(write_brief, cli, escape: str) -> None:
    write_brief(MINIMAL.replace("bluf: The bottom line.", f'bluf: "The {escape} line."'))
    result = cli("check")
    assert result.exit_code == 1
    assert "briefs/brief.yaml:6:9: summary.bluf: U+" in result.stdout
    assert "non-character or lone surrogate" in result.stdout


def test_decomposed_accents_are_composed_for_print_and_quotes(repo: Path, cli) -> None:
    (repo / "sources").mkdir()
    (repo / "sources" / "s.txt").write_text("We met at the cafe\u0301 on Monday.", "utf-8")
    # the quote composed, the source decomposed: the same text
    (repo / "briefs" / "b.yaml").write_text(QUOTED.format(quote="the café on"), "utf-8")
    assert cli("check").exit_code == 0
    (repo / "briefs" / "b.yaml").write_text(QUOTED.format(quote="the cafe\u0301 on"), "utf-8")
    assert cli("check").exit_code == 0
    from briefkit.checks.loader import load_brief

    assert load_brief(repo / "briefs" / "b.yaml").evidence[0].quote == "the caf\u00e9 on"


@pytest.mark.parametrize(
    "text",
    ["&a [*a]\n", "&a {x: [1, *a]}\n"],
    ids=["list", "mapping"],
)
def test_recursive_aliases_are_located_errors(write_brief, cli, text: str) -> None:
    write_brief(text)
    result = cli("check")
    assert result.exit_code == 1
    assert "recursive alias" in result.stdout and "Traceback" not in result.output


def test_recursive_alias_in_a_style_sheet(repo: Path, write_brief, cli) -> None:
    (repo / "styles").mkdir()
    (repo / "styles" / "loop.yaml").write_text("&a [*a]\n", encoding="utf-8")
    write_brief(MINIMAL + "style: loop\n")
    result = cli("check")
    assert result.exit_code == 1
    assert "styles/loop.yaml:1:1: [0]: an alias refers to" in result.stdout


def test_a_five_thousand_digit_number_is_a_located_error(write_brief, cli) -> None:
    write_brief(MINIMAL + "version: " + "9" * 5000 + "\n")
    result = cli("check")
    assert result.exit_code == 1
    assert "briefs/brief.yaml:7:10: a number with 5,000 digits is not allowed" in result.stdout


def test_problems_with_a_whole_file_carry_no_made_up_position(repo: Path, cli) -> None:
    (repo / "briefs" / "b.yaml").write_text(MINIMAL, encoding="utf-8")
    (repo / "afile").write_text("not a folder", encoding="utf-8")
    result = cli("build", "-o", "afile/sub", "--format", "pdf")
    assert result.exit_code == 1
    assert "briefs/b.yaml: cannot write afile/sub/b.pdf" in result.stderr
    assert ":1:1:" not in result.stderr


def test_output_never_fails_on_a_stream_that_cannot_encode_it(repo: Path) -> None:
    (repo / "briefs" / "b.yaml").write_text(MINIMAL + "status: fin→al ☃\n", "utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "latin-1"}
    result = subprocess.run(
        [sys.executable, "-m", "briefkit", "check", "briefs/b.yaml"],
        cwd=repo,
        env=env,
        capture_output=True,
    )
    assert b"Traceback" not in result.stderr
    assert result.returncode == 1
    assert b"briefs/b.yaml:7:9: status: 'fin?al ?' is not allowed" in result.stdout


def test_json_style_surrogate_pair_escapes_are_one_character(repo: Path, cli) -> None:
    """A brief written by a JSON tool escapes 😀 as a surrogate pair: that is the emoji."""
    brief = repo / "briefs" / "b.yaml"
    brief.write_text(MINIMAL.replace("The bottom line.", '"Smile \\ud83d\\ude00 here."'), "utf-8")
    result = cli("check")
    assert "surrogate" not in result.output
    from briefkit.checks.loader import load

    assert load(brief).brief.summary.bluf == "Smile 😀 here."
