"""Where PDF lines end in scripts written without spaces (Thai, Chinese), read back from the
drawn lines: only where ICU's line break iterator (UAX #14 with its dictionaries) allows, never
before closing or after opening CJK punctuation, never leaving one ideograph alone on a
paragraph's last line; and a short gloss in parentheses stays on one line."""

from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest
import yaml
from icu4py.breakers import LineBreaker

from tests.conftest import MINIMAL, REPO, require_tool
from tests.pdf_helpers import baseline_lines, pdftotext

DATA = REPO / "tests" / "data" / "unspaced-lines.yaml"
# A column 240 pt wide (the default sheet's A4 with wide margins): Thai and Chinese lines of
# a dozen words or twenty characters.
NARROW = "extends: default\npage:\n  margins: {top: 24mm, right: 55mm, bottom: 22mm, left: 55mm}\n"
JUSTIFIED = NARROW + "paragraphs:\n  body: {align: justify}\n"
UNSPACED = re.compile("[\u0e00-\u0e7f\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]")
# Words of the brief's Thai text that ICU keeps whole: a line never ends inside one.
THAI_WORDS = (
    "กระทรวง", "พาณิชย์", "หารือ", "จัดหา", "คอนเทนเนอร์", "ระวาง", "ท่าเรือ", "ยุโรป",
    "เกือบ", "ข้าว", "ภาระ", "ต้นทุน",
)  # fmt: skip
CLOSING = "。，、；：？！」』）》〉】〕”’"
OPENING = "「『（《〈【〔“‘"
LIST_NUMBER = re.compile(r"^\d+\.\s*")
# Arabic letters as the text layer gives them (presentation forms among them)
ARABIC = re.compile("[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")


def build(repo: Path, cli, brief: str, style: str = NARROW) -> list[str]:
    (repo / "styles").mkdir(exist_ok=True)
    (repo / "styles" / "narrow.yaml").write_text(style, encoding="utf-8")
    (repo / "briefs" / "lines.yaml").write_text(brief, encoding="utf-8")
    result = cli("build", "--format", "pdf", "--style", "narrow")
    assert result.exit_code == 0, result.output
    return [line for page in baseline_lines(repo / "out" / "lines.pdf") for line in page]


def icu_breaks(text: str) -> set[int]:
    offsets, offset = set(), 0
    for segment in LineBreaker(text, "und"):
        offset += len(segment)
        offsets.add(offset)
    return offsets


def joins_inside_words(lines: list[str], text: str) -> list[int]:
    """The offsets in *text* where one of *lines* ends and the next starts with no space
    between them: the lines of *text* found in order."""
    joins, cursor, previous_end = [], 0, None
    for line in lines:
        line = LIST_NUMBER.sub("", line.strip())
        at = text.find(line, cursor) if line else -1
        if at < 0:
            continue
        if at == previous_end and UNSPACED.search(text[at - 1 : at + 1]):
            joins.append(at)
        cursor = previous_end = at + len(line)
    return joins


@pytest.mark.parametrize("style", [NARROW, JUSTIFIED], ids=["ragged", "justified"])
def test_thai_lines_end_only_between_words(repo, cli, style):
    brief = DATA.read_text(encoding="utf-8")
    thai = yaml.safe_load(brief)["summary"]["bluf"]
    lines = build(repo, cli, brief, style)
    joins = joins_inside_words(lines, thai)
    legal = icu_breaks(thai)
    for join in joins:
        assert join in legal, f"{thai[join - 10 : join]}|{thai[join : join + 10]}"
        for word in THAI_WORDS:
            for found in re.finditer(word, thai):
                assert not found.start() < join < found.end(), (word, thai[join - 10 : join])
    assert len(joins) >= 6, lines  # the paragraph broke inside runs of Thai many times


@pytest.mark.parametrize("style", [NARROW, JUSTIFIED], ids=["ragged", "justified"])
def test_chinese_lines_keep_their_punctuation(repo, cli, style):
    brief = DATA.read_text(encoding="utf-8")
    chinese = yaml.safe_load(brief)["summary"]["judgments"][0]["text"]
    lines = build(repo, cli, brief, style)
    joins = joins_inside_words(lines, chinese)
    legal = icu_breaks(chinese)
    for join in joins:
        before, after = chinese[join - 1], chinese[join]
        assert join in legal and after not in CLOSING and before not in OPENING, (
            f"{chinese[join - 8 : join]}|{chinese[join : join + 8]}"
        )
    assert len(joins) >= 6, lines


def test_no_paragraph_ends_on_a_lone_ideograph(repo, cli):
    base = (
        "中方愿与各方一道共同维护红海和印度洋航道的安全与畅通"
        "目前上海至欧洲航线的集装箱运价较月初上涨约一倍"
    )
    # paragraphs one character longer each, over more than a line: one of them would leave a
    # single character (and its full stop) on its last line
    judgments = "".join(
        f"  - id: kj-{n}\n    text: {base[:n]}。\n    likelihood: likely\n    confidence: low\n"
        for n in range(24, 48)
    )
    brief = MINIMAL.replace("bluf: The bottom line.", "bluf: The bottom line.\n  judgments:\n")
    brief = brief + re.sub("^", "  ", judgments, flags=re.M).rstrip(" ")
    lines = [LIST_NUMBER.sub("", line.strip()) for line in build(repo, cli, brief)]
    lone = [line for line in lines if re.fullmatch("[\u4e00-\u9fff][。]?", line)]
    assert lone == [], lone
    # the paragraph whose last character would have been alone took one more down with it
    assert any(re.fullmatch("[\u4e00-\u9fff]{2}。", line) for line in lines), lines


def test_a_short_gloss_stays_on_one_line(repo, cli):
    # the gloss at every position along a line: somewhere a break falls inside it
    judgments = "".join(
        f"  - id: kj-{k}\n    text: At the port{' of call' * k} (البحر الأحمر) traffic fell.\n"
        "    likelihood: likely\n    confidence: low\n"
        for k in range(12)
    )
    brief = MINIMAL.replace("bluf: The bottom line.", "bluf: The bottom line.\n  judgments:\n")
    brief = brief + re.sub("^", "  ", judgments, flags=re.M).rstrip(" ")
    build(repo, cli, brief)
    lines = pdftotext(repo / "out" / "lines.pdf").splitlines()
    glossed = [line for line in lines if ARABIC.search(line)]
    assert len(glossed) == 12, glossed  # one line each: both its brackets on it
    assert all(line.count("(") == line.count(")") == 1 for line in glossed), glossed


def test_the_example_title_keeps_its_arabic_gloss_whole(cli, repo):
    brief = REPO / "briefs" / "red-sea-shipping-exercise.yaml"
    shutil.copytree(REPO / "briefs" / "sources", repo / "briefs" / "sources")
    (repo / "briefs" / "red-sea.yaml").write_text(brief.read_text(encoding="utf-8"), "utf-8")
    result = cli("build", "--format", "pdf", "briefs/red-sea.yaml")
    assert result.exit_code == 0, result.output
    first = pdftotext(repo / "out" / "red-sea.pdf", page=1).splitlines()[:4]
    title = [line for line in first if ARABIC.search(line)]
    assert len(title) == 1 and title[0].count("(") == title[0].count(")") == 1, first


def right_edges(path: Path) -> list[tuple[float, str]]:
    """(right edge, text) of each line of the PDF's first page, by ``pdftotext -bbox``."""
    html = subprocess.run(
        [require_tool("pdftotext"), "-bbox", "-f", "1", "-l", "1", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    boxes = re.findall(
        r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', html
    )
    rows: list[tuple[float, list[tuple[float, str]]]] = []  # (bottom, words) top to bottom
    for x_max, y_max, word in sorted(boxes, key=lambda box: float(box[1])):
        if not rows or float(y_max) - rows[-1][0] > 4:  # faces of two scripts differ by less
            rows.append((float(y_max), []))
        rows[-1][1].append((float(x_max), unescape(word)))
    return [(max(x for x, _ in row), " ".join(w for _, w in row)) for _, row in rows]


def test_justified_lines_with_cut_words_stay_flush(repo, cli):
    # justification spreads a line's spare width over its spaces: a word cut between two
    # ideographs adds none
    mixed = "The freight figure 上涨约一倍 since the start of the month and the 中欧班列 slots"
    brief = MINIMAL.replace("The bottom line.", " ".join([mixed] * 6) + ".")
    build(repo, cli, brief, JUSTIFIED)
    words = ("freight", "figure", "since", "month", "slots")
    lines = [
        (x, text)
        for x, text in right_edges(repo / "out" / "lines.pdf")
        if UNSPACED.search(text) or any(word in text for word in words)
    ]
    body = lines[:-1]  # the last line is not justified
    assert len(body) >= 6, lines
    edge = max(x for x, _ in body)
    assert all(edge - x < 1 for x, _ in body), body
