"""`briefkit absorb` against documents from outside: damaged or hostile archives, marks an
editor broke or typed, and bodies large enough that any step growing faster than the
document would show (the work is counted, never timed)."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from types import FrameType
from typing import Any

from briefkit.absorb import reader

W = reader.W


def _body(paragraphs: list[str]) -> bytes:
    return (
        f'<w:document xmlns:w="{W}"><w:body>' + "".join(paragraphs) + "</w:body></w:document>"
    ).encode()


def _marked(index: int, name: str, text: str, *, closed: bool = False) -> str:
    end = f'<w:bookmarkEnd w:id="{index}"/>' if closed else ""
    return (
        f'<w:p><w:pPr><w:pStyle w:val="ListBullet"/></w:pPr>'
        f'<w:bookmarkStart w:id="{index}" w:name="{name}"/>'
        f"<w:r><w:t>{text}</w:t></w:r>{end}</w:p>"
    )


def _lines_run(action: Callable[[], Any], module: str) -> int:
    """How many lines of *module* run while *action* runs: the work it does, counted."""
    counted: Counter[str] = Counter()

    def trace(frame: FrameType, event: str, _arg: Any) -> Any:
        if frame.f_globals.get("__name__") != module:
            return None
        if event == "line":
            counted["lines"] += 1
        return trace

    sys.settrace(trace)
    try:
        action()
    finally:
        sys.settrace(None)
    return counted["lines"]


def test_unclosed_field_marks_are_read_in_linear_work() -> None:
    """Every paragraph opens a field mark that is never closed (an editor lost the ends), all
    in one style: the reading walker's work grows with the body, not with its square."""

    def work(count: int) -> int:
        xml = _body([_marked(n, f"_F_signals_{n}_title", f"Text {n}") for n in range(count)])
        return _lines_run(lambda: reader.read_body(xml, {}), reader.__name__)

    small, large = work(500), work(2000)
    assert large < 4.6 * small, (small, large)


def test_unclosed_marks_still_name_the_innermost_field() -> None:
    xml = _body([_marked(n, f"_F_signals_{n}_title", f"Text {n}") for n in range(3)])
    paragraphs = reader.read_body(xml, {}).paragraphs
    assert [p.fields for p in paragraphs] == [
        ["signals.0.title"],
        ["signals.1.title"],
        ["signals.2.title"],
    ]


def test_a_citation_mark_with_no_number_a_brief_could_have_is_the_fields_text() -> None:
    """ "²" is a digit to Python but no int(); 5,000 digits are more than int() reads."""
    for index in ("²", "9" * 5000, "١"):
        xml = _body(
            [
                '<w:p><w:bookmarkStart w:id="1" w:name="_F_summary_bluf"/>'
                f'<w:bookmarkStart w:id="2" w:name="_C_summary_bluf_{index}"/>'
                "<w:r><w:t>[1]</w:t></w:r>"
                '<w:bookmarkEnd w:id="2"/><w:bookmarkEnd w:id="1"/></w:p>'
            ]
        )
        [para] = reader.read_body(xml, {}).paragraphs
        assert [(path, run.text, run.cite) for path, run in para.segments] == [
            ("summary.bluf", "[1]", None)
        ]
