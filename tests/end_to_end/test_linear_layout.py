"""A long field or a long word costs layout work proportional to its length, and loses nothing.

Work is counted as the function calls a build makes (the same count on a busy machine
as on an idle one), not timed."""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

from briefkit.building.pipeline import BuildOptions, build_brief

HEAD = "briefkit: 1\nid: long\ntitle: Long\ndate: 2026-11-28\n"
SIZE = 120_000


def _text(size: int, seed: int) -> str:
    rng = random.Random(seed)
    vocabulary = [
        "".join(rng.choice("etaoinshrdlu") for _ in range(rng.randint(2, 9))) for _ in range(800)
    ]
    words: list[str] = []
    length = 0
    while length < size:
        words.append(rng.choice(vocabulary) + ("." if rng.random() < 0.07 else ""))
        length += len(words[-1]) + 1
    return " ".join(words)[:size].rstrip(".") + "."


def _calls(repo: Path, name: str, text: str) -> int:
    """The function calls (Python and C) a PDF build of *text* makes."""
    path = repo / "briefs" / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    options = BuildOptions(out_dir=repo / "out", formats=("pdf",))
    calls = 0

    def count(frame: Any, event: str, arg: Any) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        result = build_brief(path, options)
    finally:
        sys.setprofile(None)
    assert result.outcome.value == "built", result.diagnostics
    return calls


def _spread(size: int) -> str:
    signals = "".join(
        f"  - id: s{n}\n    title: Signal {n}\n    observation: {_text(1000, n)}\n"
        f"    interpretation: {_text(1000, -n - 1)}\n"
        for n in range(size // 2000)
    )
    return HEAD + "summary:\n  bluf: Short.\nsignals:\n" + signals


def test_one_huge_field_or_word_costs_no_more_than_the_same_text_spread_out(repo: Path) -> None:
    _calls(repo, "warm", HEAD + "summary:\n  bluf: Warm up the fonts.\n")
    spread = _calls(repo, "spread", _spread(SIZE))
    field = _calls(repo, "field", HEAD + f"summary:\n  bluf: {_text(SIZE, 1)}\n")
    word = _calls(repo, "word", HEAD + f"summary:\n  bluf: {'w' * (SIZE // 2)}\n")
    assert field < 2 * spread, (field, spread)
    assert word < 2 * spread, (word, spread)


def test_a_long_paragraph_is_split_but_every_word_is_kept(repo: Path) -> None:
    from docx import Document
    from docx.oxml.ns import qn

    text = _text(30_000, 7)
    path = repo / "briefs" / "split.yaml"
    path.write_text(HEAD + f"summary:\n  bluf: {text}\n", encoding="utf-8")
    result = build_brief(path, BuildOptions(out_dir=repo / "out", formats=("docx",)))
    assert result.outcome.value == "built"
    body = Document(str(repo / "out" / "split.docx")).element.body
    paragraphs = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]
    pieces = [p for p in paragraphs if p and p.split()[0] in text.split()]
    assert len(pieces) > 3  # split, at sentence ends where possible
    assert " ".join(pieces).split() == text.split()
    assert all(piece.endswith(".") for piece in pieces)
