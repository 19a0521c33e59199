"""The PDF's text layer (render/pdf/text_layer.py): copying and searching shaped scripts give
their logical text, and the words either side of a line end stay apart, except inside a word
of a script written without spaces.

Read back with poppler: ``pdftotext`` (default, ``-layout``, ``-raw``), which honours
/ActualText, and ``pdfinfo -struct-text``, the text of each structure element, which does not
(it reads the glyphs' ToUnicode text) and shows whether a line end left a space."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from briefkit.cli import main
from briefkit.layout import quotes
from briefkit.render.pdf import text_layer
from tests.conftest import EXAMPLE_BRIEF, REPO, require_tool

MULTI_SCRIPT = REPO / "briefs" / "red-sea-shipping-exercise.yaml"
_UNSPACED = "[\u0e00-\u0eff\u3000-\u9fff]"  # Thai, Chinese and Japanese
# poppler places neutral characters at the ends of a right-to-left run by its own simplified
# bidi (an Arabic comma or a full stop after the last word comes out before it, joined to the
# next word): words of Arabic and Persian are compared as the text between spaces and them
_NEUTRAL = re.compile(r"[\s،.”“«»()]+")


def _normal(text: str) -> str:
    """NFC, without the direction marks poppler puts around right-to-left runs, whitespace
    collapsed."""
    text = re.sub("[\u202a-\u202e]", "", unicodedata.normalize("NFC", text))
    # a line that ended inside a Thai or Chinese word (the text layer has no space there):
    # poppler's line break is not a space of the text
    text = re.sub(f"(?<={_UNSPACED})\n[ \t]*(?={_UNSPACED})", "", text)
    return " ".join(text.split())


def _quotes(script: str) -> list[str]:
    evidence = YAML(typ="safe").load(MULTI_SCRIPT.read_text(encoding="utf-8"))["evidence"]
    return [
        item["quote"]
        for item in evidence
        if any(unicodedata.name(ch, "").startswith(script) for ch in item.get("quote", ""))
    ]


def _pdftotext(path: Path, *mode: str) -> str:
    tool = require_tool("pdftotext")
    run = subprocess.run([tool, *mode, "-enc", "UTF-8", str(path), "-"], capture_output=True)
    return _normal(run.stdout.decode("utf-8"))


def _element_texts(path: Path) -> list[str]:
    """The text of every structure element, as ``pdfinfo -struct-text`` gives it."""
    tool = require_tool("pdfinfo")
    out = subprocess.run(
        [tool, "-struct-text", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return [line.strip()[1:-1] for line in out.splitlines() if line.strip().startswith('"')]


def _build(brief: Path, out: Path) -> Path:
    result = CliRunner().invoke(
        main, ["build", str(brief), "-o", str(out), "-q", "--format", "pdf"]
    )
    assert result.exit_code == 0, result.output
    return out / f"{brief.stem}.pdf"


@pytest.fixture(scope="module")
def multi_script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(MULTI_SCRIPT, tmp_path_factory.mktemp("text-layer"))


@pytest.mark.parametrize("script", ["DEVANAGARI", "THAI"])
@pytest.mark.parametrize("mode", [(), ("-layout",), ("-raw",)], ids=["default", "layout", "raw"])
def test_devanagari_and_thai_quotes_read_as_written(
    multi_script: Path, script: str, mode: tuple[str, ...]
) -> None:
    text = _pdftotext(multi_script, *mode)
    quotes = _quotes(script)
    assert len(quotes) == 2
    for quote in quotes:
        assert _normal(quote) in text


@pytest.mark.parametrize("script", ["ARABIC"])
@pytest.mark.parametrize("mode", [(), ("-layout",)], ids=["default", "layout"])
def test_arabic_and_persian_quotes_read_as_written_word_by_word(
    multi_script: Path, script: str, mode: tuple[str, ...]
) -> None:
    """Every word of the Arabic and Persian quotes, its letters in the order written. Not the
    quote as one string: poppler's own bidi moves neutral punctuation, and ``-raw`` gives
    right-to-left words in the order they are drawn (visual). The quote marks of the script
    (U+0600 to U+06FF) include Persian."""
    words = set(_NEUTRAL.split(_pdftotext(multi_script, *mode)))
    quotes = _quotes(script)
    assert len(quotes) == 3  # two Arabic, one Persian
    for quote in quotes:
        for word in filter(None, _NEUTRAL.split(_normal(quote))):
            assert word in words, word


def _brief_with_summary(tmp_path: Path, summary: str) -> Path:
    source = EXAMPLE_BRIEF.read_text(encoding="utf-8")
    source = re.sub(
        r"(  bluf: >-\n)(?:    .*\n)+", lambda m: f"{m.group(1)}    {summary}\n", source, count=1
    )
    (tmp_path / ".git").mkdir(exist_ok=True)
    brief = tmp_path / "brief.yaml"
    brief.write_text(source, encoding="utf-8")
    return brief


def _summary_text(tmp_path: Path, summary: str, marker: str) -> str:
    pdf = _build(_brief_with_summary(tmp_path, summary), tmp_path / "out")
    (text,) = [t for t in _element_texts(pdf) if marker in t]
    return text


def test_a_line_that_ends_at_a_space_leaves_one(tmp_path: Path) -> None:
    bluf = YAML(typ="safe").load(EXAMPLE_BRIEF.read_text(encoding="utf-8"))["summary"]["bluf"]
    plain = quotes.typeset(" ".join(bluf.replace("**", "").split()), "en")  # as printed
    (text,) = [
        t for t in _element_texts(_build(EXAMPLE_BRIEF, tmp_path)) if t.startswith("The xAI")
    ]
    assert text == plain  # "safety know-how", not "safetyknow-how", at a line end


def test_without_the_rule_the_words_run_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The negative control of the test above: no line-end text, words run together."""
    monkeypatch.setattr(text_layer, "line_end", lambda at_space: "")
    (text,) = [
        t for t in _element_texts(_build(EXAMPLE_BRIEF, tmp_path)) if t.startswith("The xAI")
    ]
    assert "safetyknow-how" in text or "itsown" in text or "hypothesisuntil" in text


THAI_WORD = "กรรมการ"  # no marks: the glyphs' own text is the text, read by -struct-text too


def test_thai_broken_at_its_spaces_keeps_them(tmp_path: Path) -> None:
    spaced = " ".join([THAI_WORD] * 40)
    assert _summary_text(tmp_path, spaced, THAI_WORD) == spaced


@pytest.mark.parametrize("broken_rule", [False, True], ids=["rule", "negative-control"])
def test_a_thai_word_split_at_a_line_end_gets_no_space(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken_rule: bool
) -> None:
    """A word longer than a line is split where the line ends (reportlab's splitLongWords,
    or ICU's breaks inside a Thai word): the text layer keeps it one word. The control says
    every line ended at a space, and the word gets one."""
    if broken_rule:
        monkeypatch.setattr(text_layer, "_ends_at_space", lambda *args: True)
    long_word = THAI_WORD * 30
    text = _summary_text(tmp_path, long_word, THAI_WORD)
    assert (text == long_word) is not broken_rule
    if broken_rule:
        assert text.replace(" ", "") == long_word


def test_line_end_is_one_rule() -> None:
    assert text_layer.line_end(True) == " "
    assert text_layer.line_end(False) == ""


def test_a_label_and_its_value_stay_apart(tmp_path: Path) -> None:
    """The title grid's label and value are one paragraph with a line break between them: a
    screen reader reads "Date 28 November 2026", not "Date28"."""
    texts = _element_texts(_build(EXAMPLE_BRIEF, tmp_path))
    labelled = [t for t in texts if t.startswith(("Date", "Version", "Handling"))]
    assert len(labelled) == 3
    assert all(re.match(r"(Date|Version|Handling) \S", t) for t in labelled), labelled
