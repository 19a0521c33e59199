"""Portion markings: inheritance, the computed banner, located errors, a repository's own
scheme (markings.yaml)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from briefkit.checks.loader import brief_scheme, check_brief
from briefkit.editions.derive import banner, portions

MARKED = """\
briefkit: 1
id: marked
title: Marked
date: 2026-11-28
handling: {handling}
summary:
  bluf: The bottom line.
  judgments:
    - id: kj-1
      text: Open judgment.
    - id: kj-2
      text: Closer judgment.
      handling: {kj2}
sources:
  - id: s-1
    title: A source
    handling: TLP:AMBER
evidence:
  - id: e-1
    source: s-1
"""


def _messages(path: Path) -> list[str]:
    return [str(d) for d in check_brief(path)[1]]


def test_inheritance_and_banner(write_brief: Callable[..., Path]) -> None:
    path = write_brief(MARKED.format(handling="TLP:AMBER", kj2="tlp:green"))
    brief, problems = check_brief(path)
    assert brief is not None, problems
    scheme = brief_scheme(path)
    found = {p.ident: scheme.label(p.marking) for p in portions(brief, scheme)}
    # kj-1 inherits the brief's, kj-2 is its own, the evidence its source's
    assert found == {
        "summary": "TLP:AMBER",
        "kj-1": "TLP:AMBER",
        "kj-2": "TLP:GREEN",
        "s-1": "TLP:AMBER",
        "e-1": "TLP:AMBER",
    }
    assert banner(brief, scheme) == "TLP:AMBER"


def test_portion_above_the_brief_is_a_located_error(write_brief: Callable[..., Path]) -> None:
    path = write_brief(MARKED.format(handling="TLP:GREEN", kj2="TLP:RED"))
    messages = _messages(path)
    assert any(
        "brief.yaml:13:17: summary.judgments[1].handling: judgment kj-2 is TLP:RED but the "
        "brief says TLP:GREEN" in m
        for m in messages
    ), messages
    assert any("source s-1 is TLP:AMBER but the brief says TLP:GREEN" in m for m in messages)


def test_unknown_marking_is_located(write_brief: Callable[..., Path]) -> None:
    path = write_brief(MARKED.format(handling="TLP:AMBER", kj2="SECRET"))
    messages = _messages(path)
    assert any(":13:17:" in m and "'SECRET' is not a TLP 2.0 marking" in m for m in messages), (
        messages
    )


def test_markings_need_the_brief_handling(write_brief: Callable[..., Path]) -> None:
    text = MARKED.format(handling="x", kj2="TLP:GREEN").replace("handling: x\n", "")
    messages = _messages(write_brief(text))
    assert any("need the brief's handling" in m for m in messages), messages


def test_free_text_handling_without_markings_still_builds(
    write_brief: Callable[..., Path],
) -> None:
    text = "briefkit: 1\nid: b\ntitle: T\ndate: 2026-11-28\nhandling: INTERNAL ONLY\n"
    brief, problems = check_brief(write_brief(text + "summary:\n  bluf: B.\n"))
    assert brief is not None and brief.handling == "INTERNAL ONLY", problems


SCHEME = """\
name: UK classification
levels: [OFFICIAL, OFFICIAL-SENSITIVE, SECRET]
caveat: REL TO
releasable: [GBR, USA, AUS]
"""


def test_repository_scheme_with_caveats(repo: Path, write_brief: Callable[..., Path]) -> None:
    (repo / "markings.yaml").write_text(SCHEME, encoding="utf-8")
    text = MARKED.format(handling="SECRET//REL TO GBR, USA", kj2="OFFICIAL")
    text = text.replace("TLP:AMBER\nevidence", "SECRET//REL TO GBR, USA, AUS\nevidence")
    path = write_brief(text)
    brief, problems = check_brief(path)
    assert brief is not None, problems
    assert banner(brief, brief_scheme(path)) == "SECRET//REL TO GBR, USA"
    # a portion released to fewer than the brief says is above it
    path = write_brief(text.replace("handling: OFFICIAL\n", "handling: OFFICIAL//REL TO GBR\n"))
    messages = _messages(path)
    assert any(
        "kj-2 is OFFICIAL//REL TO GBR but the brief says SECRET//REL TO GBR, USA" in m
        for m in messages
    ), messages


def test_damaged_scheme_file_is_located(repo: Path, write_brief: Callable[..., Path]) -> None:
    scheme = repo / "markings.yaml"
    brief = write_brief(MARKED.format(handling="LOW", kj2="LOW"))
    scheme.write_text("name: X\nlevels: [LOW, HIGH]\ncolour: red\n", encoding="utf-8")
    assert any("markings.yaml:3:1: colour: unknown key 'colour'" in m for m in _messages(brief))
    scheme.write_text("name: X\nlevels: [LOW, low]\n", encoding="utf-8")
    assert any("markings.yaml:2:15: levels[1]: level 'low' twice" in m for m in _messages(brief))
