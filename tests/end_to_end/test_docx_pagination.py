"""Page breaks in LibreOffice's rendering of the Word document follow the PDF's keep rules:
a heading never ends a page (its next line is on its page), a signal's heading keeps its
chips and first lines, a key judgment its chips, a label its first item, an evidence line
the line before it, and no page starts with a trailing part (a key, an evidence line). Read
from LibreOffice's PDF of the .docx (``pdftotext -bbox``, pypdf for colours), over the
generated brief of test_pagination and over the examples in both styles."""

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


# A trailing part (the estimative key under the key judgments, an evidence or owner line, the
# colophon) is set in the Caption style; in a copy of each document it is drawn in this colour,
# which LibreOffice's layout does not see, so that its lines can be told apart in any script.
_MARK = "FF00FF"


def _marked(word: Path, out: Path, *, break_before_key: bool = False) -> None:
    """A copy of *word* whose Caption paragraphs are drawn in _MARK; *break_before_key* puts
    a page break before the first (the negative control: a key that starts a page)."""
    document = docx.Document(str(word))
    style = document.styles["Caption"].element
    rpr = style.find(qn("w:rPr"))
    if rpr is None:
        rpr = style.makeelement(qn("w:rPr"), {})
        style.append(rpr)
    for old in rpr.findall(qn("w:color")):
        rpr.remove(old)
    rpr.append(rpr.makeelement(qn("w:color"), {qn("w:val"): _MARK}))
    captions = [p for p in document.element.body.iter(qn("w:p")) if _style_of(p) == "Caption"]
    for paragraph in captions:
        for colour in paragraph.iter(qn("w:color")):
            colour.set(qn("w:val"), _MARK)
    if break_before_key:
        ppr = captions[0].find(qn("w:pPr"))
        ppr.append(ppr.makeelement(qn("w:pageBreakBefore"), {}))
    document.save(str(out))


@pytest.fixture(scope="module")
def marked(converted, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """LibreOffice's PDF of each example's marked copy, and of the negative control."""
    soffice = require_tool("soffice")
    root = tmp_path_factory.mktemp("docx-trailing")
    words = {}
    for name in EXAMPLE_NAMES:
        words[name] = root / f"{name}.docx"
        _marked(converted[name][0], words[name])
    words["control"] = root / "control.docx"
    _marked(converted[EXAMPLE_NAMES[0]][0], words["control"], break_before_key=True)
    profile = f"-env:UserInstallation={(root / 'profile').as_uri()}"
    command = [soffice, "--headless", profile, "--convert-to", "pdf", "--outdir", str(root)]
    subprocess.run(
        [*command, *map(str, words.values())], check=True, capture_output=True, timeout=600
    )
    return {name: word.with_suffix(".pdf") for name, word in words.items()}


def _pages_opening_with_a_trailing_part(pdf: Path, style: Style) -> list[int]:
    """The pages whose first body line (below the banner) is drawn in _MARK (pypdf)."""
    import pypdf

    mark = tuple(int(_MARK[i : i + 2], 16) / 255 for i in (0, 2, 4))
    found = []
    for number, page in enumerate(pypdf.PdfReader(pdf).pages, start=1):
        top = float(page.mediabox.height) - style.page.margins.top
        bottom = style.page.margins.bottom
        fill: list[tuple[float, ...]] = [(0.0, 0.0, 0.0)]
        shown: list[tuple[float, tuple[float, ...]]] = []  # baseline, fill colour

        def operator(op, args, cm, tm, fill=fill):
            if op == b"rg":
                fill[0] = tuple(float(a) for a in args)
            elif op == b"g":
                fill[0] = (float(args[0]),) * 3

        def text(drawn, cm, tm, font, size, fill=fill, shown=shown):
            if drawn.strip():
                shown.append((tm[4] * cm[1] + tm[5] * cm[3] + cm[5], fill[0]))

        page.extract_text(visitor_operand_before=operator, visitor_text=text)
        body = [(y, colour) for y, colour in shown if bottom < y < top]
        if not body:
            continue
        first = max(y for y, _ in body)
        line = [colour for y, colour in body if y > first - 3]
        if any(all(abs(a - b) < 0.01 for a, b in zip(c, mark, strict=True)) for c in line):
            found.append(number)
    return found


EXAMPLE_NAMES = [f"{p.stem}-{s}" for p in EXAMPLES for s in STYLES]


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_no_page_starts_with_a_key_or_an_evidence_line(converted, marked, name):
    _, pdf, sheet = converted[name]
    assert _pages(marked[name]) == _pages(pdf)  # the colour moved nothing
    assert not _pages_opening_with_a_trailing_part(marked[name], sheet), name


def test_a_key_that_starts_a_page_is_found(converted, marked):
    """The negative control: the key under the key judgments, put at the top of a page."""
    sheet = converted[EXAMPLE_NAMES[0]][2]
    assert len(_pages_opening_with_a_trailing_part(marked["control"], sheet)) == 1


def _pages(pdf: Path) -> int:
    import pypdf

    return len(pypdf.PdfReader(pdf).pages)
