"""Page breaks in LibreOffice's rendering of the Word document follow the PDF's keep rules:
a heading never ends a page (its next line is on its page), a signal's heading keeps its
chips and first lines, a key judgment its chips, a label its first item, an evidence line
the line before it. Read from LibreOffice's PDF of the .docx (``pdftotext -bbox``), over
the generated brief of test_pagination and over the examples in both styles."""

from __future__ import annotations

import itertools
import re
import subprocess
import unicodedata
from html import unescape
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from briefkit.building.pipeline import resolve_style
from briefkit.checks.loader import load
from briefkit.layout.from_brief import layout
from briefkit.render.docx import render_docx
from briefkit.style.sheet import Style
from tests.conftest import REPO, require_tool
from tests.end_to_end.test_pagination import BUILDS, LENGTHS, _brief
from tests.libreoffice import LibreOffice, producer

EXAMPLES = sorted((REPO / "briefs").glob("*.yaml"))
STYLES = ("default", "boardroom")
SIGNALS = 12
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</word>'
)


def _sources(root: Path) -> list[tuple[str, Path, str]]:
    """The generated brief (written in *root*) and each example, in each style, by name."""
    sources = []
    for style, _, _ in BUILDS:
        sources.append((f"generated-{style}", root / "briefs" / f"generated-{style}.yaml", style))
    sources += [(f"{path.stem}-{style}", path, style) for path in EXAMPLES for style in STYLES]
    return sources


@producer("docx-pages", fixture="converted")
def _words(root: Path) -> dict[Path, Path]:
    (root / ".git").mkdir(parents=True)
    (root / "briefs").mkdir()
    for style, bluf, rows in BUILDS:
        path = root / "briefs" / f"generated-{style}.yaml"
        path.write_text(_brief(bluf, rows), encoding="utf-8")
    words = {}
    for name, path, style_name in _sources(root):
        loaded = load(path)
        assert loaded.brief is not None, loaded.diagnostics
        word = root / f"{name}.docx"
        word.write_bytes(render_docx(layout(loaded.brief), resolve_style(loaded, style_name)))
        words[word] = word.with_suffix(".pdf")
    return words


@pytest.fixture(scope="module")
def converted(libreoffice: LibreOffice) -> dict[str, tuple[Path, Path, Style]]:
    """(.docx, LibreOffice's PDF of it) of the generated brief and of each example, by name."""
    require_tool("pdftotext")
    pdfs = libreoffice.pdfs("docx-pages")
    root = next(iter(pdfs)).parent
    out = {}
    for name, path, style_name in _sources(root):
        word = root / f"{name}.docx"
        out[name] = (word, pdfs[word], resolve_style(load(path), style_name))
    return out


Line = tuple[float, str]  # top, text


def _lines(pdf: Path, style: Style) -> list[list[Line]]:
    """Each page's body lines (the header and footer, in the margins, left out), top down."""
    margins = style.page.margins
    xml = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for page in re.findall(r"<page (.*?)</page>", xml, re.S):
        height = float(re.search(r'height="([\d.]+)"', page).group(1))
        rows: dict[int, list[tuple[float, str]]] = {}
        for left, top, bottom, word in _WORD.findall(page):
            top_, bottom_ = float(top), float(bottom)
            if top_ < margins.top - 4 or bottom_ > height - margins.bottom + 4:
                continue  # the banner, the footer
            key = next((k for k in rows if abs(k - top_) < 3), round(top_))
            rows.setdefault(key, []).append((float(left), unescape(word)))
        pages.append(
            [(top, " ".join(w for _, w in sorted(words))) for top, words in sorted(rows.items())]
        )
    return pages


def _find(pages: list[list[Line]], token: str) -> tuple[int, int]:
    """The page and line of the first line holding *token* as a word."""
    for number, lines in enumerate(pages):
        for index, (_, text) in enumerate(lines):
            if token in (word.strip(".,;:") for word in text.split()):
                return number, index
    raise AssertionError(f"{token} is not in LibreOffice's PDF")


@pytest.mark.parametrize("style", STYLES)
def test_a_signal_heading_keeps_its_chips_and_first_lines(converted, style):
    pages = _lines(*converted[f"generated-{style}"][1:])
    assert len(pages) > 3
    for n in range(1, SIGNALS + 1):
        page, line = _find(pages, f"Sig{n}")
        assert _find(pages, f"Obs{n}")[0] == page, f"signal {n}'s heading ends page {page + 1}"
        assert "Likely" in pages[page][line + 1][1].split(), f"signal {n}'s chips left it"


@pytest.mark.parametrize("style", STYLES)
def test_a_judgment_keeps_its_chips(converted, style):
    pages = _lines(*converted[f"generated-{style}"][1:])
    for n in range(1, len(LENGTHS) + 1):
        page, line = _find(pages, f"close{n}")
        following = pages[page][line + 1 :] or (
            pages[page + 1][:1] if page + 1 < len(pages) else []
        )
        assert following and "confidence" in following[0][1].split() and pages[page][line + 1 :], (
            f"key judgment {n} ends page {page + 1} without its chips"
        )


def _headings(word: Path) -> list[list[str]]:
    """The words of each heading of the Word document, in order."""
    document = docx.Document(str(word))
    return [
        paragraph.text.casefold().split()
        for paragraph in document.paragraphs
        if paragraph.style is not None
        and paragraph.style.style_id.startswith("Heading")
        and paragraph.text.strip()
    ]


LATIN_EXAMPLES = [f"{p.stem}-{s}" for p in EXAMPLES if not p.stem.endswith("-ar") for s in STYLES]


@pytest.mark.parametrize("name", LATIN_EXAMPLES)
def test_no_heading_ends_a_page(converted, name):
    word, pdf, sheet = converted[name]
    lines = [(page, index, text.casefold().split()) for page, found in enumerate(_lines(pdf, sheet))
             for index, (_, text) in enumerate(found)]  # fmt: skip
    at = 0
    for heading in _headings(word):
        opening = list(itertools.takewhile(_left_to_right, heading))[:4] or heading[:1]
        while at < len(lines) and not _holds(lines[at][2], opening):
            at += 1
        assert at < len(lines), f"heading {' '.join(heading)!r} is not in LibreOffice's PDF"
        last = at
        while last + 1 < len(lines) and set(lines[last + 1][2]) <= set(heading):
            last += 1  # the heading's own further lines
        page = lines[last][0]
        assert last + 1 < len(lines) and lines[last + 1][0] == page, (
            f"{' '.join(heading)!r} ends page {page + 1} of {name}"
        )
        at = last + 1


def _left_to_right(word: str) -> bool:
    """pdftotext gives right-to-left words in their visual order: match the others only."""
    return not any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in word)


def _holds(words: list[str], run: list[str]) -> bool:
    return any(words[i : i + len(run)] == run for i in range(len(words) - len(run) + 1))


def _keeps_next(paragraph, styles) -> bool:
    """keepNext on the paragraph, else on its style (through basedOn)."""
    own = paragraph.find(f"{qn('w:pPr')}/{qn('w:keepNext')}")
    if own is not None:
        return own.get(qn("w:val")) not in ("0", "false")
    found = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    style_id = found.get(qn("w:val")) if found is not None else "Normal"
    while style_id in styles:
        keep = styles[style_id].find(f"{qn('w:pPr')}/{qn('w:keepNext')}")
        if keep is not None:
            return keep.get(qn("w:val")) not in ("0", "false")
        based = styles[style_id].find(qn("w:basedOn"))
        style_id = based.get(qn("w:val")) if based is not None else None
    return False


def _is_heading(paragraph) -> bool:
    return _style_of(paragraph).startswith("Heading")  # a key under a heading keeps with its part


def _style_of(paragraph) -> str:
    found = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return found.get(qn("w:val")) if found is not None else "Normal"


@pytest.mark.parametrize("name", [f"{p.stem}-{s}" for p in EXAMPLES for s in STYLES])
def test_docx_keeps_labels_and_the_line_before_a_caption(converted, name):
    document = docx.Document(str(converted[name][0]))
    styles = {s.get(qn("w:styleId")): s for s in document.styles.element.findall(qn("w:style"))}
    captions = labels = 0
    for paragraph in document.element.body.iterchildren(qn("w:p")):
        before = paragraph.getprevious()
        after_text = before is not None and before.tag == qn("w:p")
        if _style_of(paragraph) == "Caption" and after_text and not _is_heading(before):
            assert _keeps_next(before, styles), "".join(before.itertext())[:60]
            captions += 1
        if _style_of(paragraph) == "LabelHeading":
            assert _keeps_next(paragraph, styles), "".join(paragraph.itertext())[:60]
            labels += 1
    assert captions and labels


@pytest.mark.parametrize("name", LATIN_EXAMPLES)
def test_no_evidence_line_starts_a_page_nor_a_label_ends_one(converted, name):
    _, pdf, sheet = converted[name]
    for number, lines in enumerate(_lines(pdf, sheet)):
        for index, (_, text) in enumerate(lines):
            words = text.casefold().split()
            if words[:1] == ["evidence"] and len(words) > 1 and words[1][:1] == "e":
                assert index > 0, f"an evidence line starts page {number + 1} of {name}"
            if words == ["indicators", "to", "watch"]:
                assert index + 1 < len(lines), f"a label ends page {number + 1} of {name}"
