"""Page breaks a reader can trust, as rules over generated briefs rather than the examples.

A key judgment never ends a page without its chips (its ratings would sit above the next
judgment); a legend or a table's last row never stands alone on a page; the English example
never gains pages. The PDF is read back with ``pdftotext -bbox``, the .docx as its XML.
"""

from __future__ import annotations

import re
import subprocess
from html import unescape
from itertools import pairwise
from pathlib import Path

import docx
import pypdf
import pytest
from docx.oxml.ns import qn

from briefkit.style.sheet import load_style
from tests.conftest import EXAMPLE_BRIEF, commit, require_tool

# Judgments of growing and shrinking length: each starts at a different height, so that
# across the box's pages one of them meets the foot of a page wherever it may.
FILLER = "Shipping lines reroute their container services and insurers reprice the risk"
LENGTHS = [1, 3, 2, 5, 1, 4, 2, 6, 1, 3, 5, 2, 4, 1, 6, 3, 2, 5]
# (style, sentences in the bottom line, stakeholder rows): without the rule, the table's last
# row would stand alone on the next page in each
BUILDS = (("default", 2, 9), ("boardroom", 5, 12))


def _brief(bluf_sentences: int, rows: int) -> str:
    judgments = "".join(
        f"    - id: kj-{n}\n"
        f"      text: >-\n"
        f"        Open{n} {'. '.join([FILLER] * length)} close{n}.\n"
        f"      likelihood: likely\n"
        f"      confidence: low\n"
        for n, length in enumerate(LENGTHS, 1)
    )
    stakeholders = "".join(
        f"  - id: s-{n}\n    name: Party {n}\n    impact: {FILLER}. {FILLER}. {FILLER} row{n}.\n"
        f"    direction: negative\n"
        for n in range(1, rows + 1)
    )
    signals = "".join(
        f"  - id: sig-{n}\n    title: Sig{n} heading\n    likelihood: likely\n"
        f"    observation: Obs{n} {'. '.join([FILLER] * length)}.\n"
        f"    interpretation: {'. '.join([FILLER] * (7 - length))}.\n"
        for n, length in enumerate(LENGTHS[:12], 1)
    )
    return (
        "briefkit: 1\nid: pages\ntitle: Pagination\ndate: 2026-11-28\n"
        f"signals:\n{signals}"
        f"summary:\n  bluf: {'. '.join([FILLER] * bluf_sentences)}.\n  judgments:\n"
        f"{judgments}stakeholders:\n{stakeholders}"
        "sources:\n  - id: src\n    title: Gazette\n    reliability: B\n"
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """(PDF, .docx) of the generated brief in each style, built through the command line."""
    from click.testing import CliRunner

    from briefkit.cli import main

    root = tmp_path_factory.mktemp("pages")
    (root / ".git").mkdir()
    (root / "briefs").mkdir()
    out: dict[str, tuple[Path, Path]] = {}
    for style, bluf, rows in BUILDS:
        brief = root / "briefs" / f"{style}.yaml"
        brief.write_text(_brief(bluf, rows), encoding="utf-8")
        target = root / "out" / style
        result = CliRunner().invoke(
            main,
            ["build", str(brief), "-o", str(target), "--style", style, "--format", "pdf,docx"],
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.output
        out[style] = (target / f"{style}.pdf", target / f"{style}.docx")
    return out


def _pages(pdf: Path) -> list[list[tuple[str, float]]]:
    """Each page's words with their tops, in pdftotext's reading order."""
    tool = require_tool("pdftotext")
    xml = subprocess.run(
        [tool, "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [
        [(unescape(word), float(top)) for top, word in re.findall(word_re, page)]
        for page in re.findall(r"<page .*?</page>", xml, re.S)
    ]


word_re = r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">(.*?)</word>'


def _find(pages: list[list[tuple[str, float]]], token: str) -> tuple[int, float]:
    for number, words in enumerate(pages):
        for word, top in words:
            if word.strip(".") == token:
                return number, top
    raise AssertionError(f"{token} is not in the PDF")


@pytest.mark.parametrize("style", ["default", "boardroom"])
def test_a_judgment_and_its_chips_share_a_page(built, style):
    pages = _pages(built[style][0])
    assert len(pages) >= 2  # the box crosses at least one page break: the test bites
    for n in range(1, len(LENGTHS) + 1):
        page, end = _find(pages, f"close{n}")
        nxt = _find(pages, f"Open{n + 1}") if n < len(LENGTHS) else (page + 1, 0.0)
        chips = [
            top
            for word, top in pages[page]
            if word == "confidence" and top > end and (nxt[0] > page or top < nxt[1])
        ]
        assert chips, f"key judgment {n} ends page {page + 1} without its chips ({style})"


@pytest.mark.parametrize("style", ["default", "boardroom"])
def test_a_box_split_across_pages_keeps_its_outline_entry(built, style):
    pdf = built[style][0]
    assert _find(_pages(pdf), f"close{len(LENGTHS)}")[0] > 0  # the box crosses a page
    reader = pypdf.PdfReader(pdf)
    entries = {
        item.title: reader.get_destination_page_number(item)
        for item in reader.outline
        if not isinstance(item, list)
    }
    assert entries.get("Bottom line up front") == 0, entries


@pytest.mark.parametrize("style", ["default", "boardroom"])
def test_a_signal_heading_starts_a_page_with_its_chips_and_text(built, style):
    pages = _pages(built[style][0])
    for n in range(1, 13):
        page, top = _find(pages, f"Sig{n}")
        assert _find(pages, f"Obs{n}")[0] == page, f"signal {n}'s heading ends a page ({style})"
        chips = [t for word, t in pages[page] if word == "Likely" and t > top]
        assert chips, f"signal {n}'s chips are not on the page of its heading ({style})"


def _keeps_next(paragraph) -> bool:
    ppr = paragraph._p.pPr
    keep = ppr.find(qn("w:keepNext")) if ppr is not None else None
    return keep is not None and keep.get(qn("w:val")) not in ("0", "false")


@pytest.mark.parametrize("style", ["default", "boardroom"])
def test_docx_keeps_each_judgment_with_its_chips(built, style):
    document = docx.Document(str(built[style][1]))
    body = document.element.body
    checked = 0
    for p in body.iter(qn("w:p")):
        style_el = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if style_el is None or style_el.get(qn("w:val")) != "TagLine":
            continue
        keep = p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}")
        assert keep is None or keep.get(qn("w:val")) != "0", "a chip line lets go of its part"
        judgment = p.getprevious()
        row = p.getparent().getparent()
        if row.tag == qn("w:tr"):
            # in a box: the judgment and its chips share a row that cannot split
            assert judgment is not None and judgment.getparent() is p.getparent()
            assert row.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None
        else:
            assert _keeps_next(docx.text.paragraph.Paragraph(judgment, None))
        checked += 1
    assert checked == len(LENGTHS) + 12  # the judgments and the signals


@pytest.mark.parametrize(("style", "rows"), [(style, rows) for style, _, rows in BUILDS])
def test_no_page_holds_only_a_legend_or_one_table_row(built, style, rows):
    pages = [" ".join(word for word, _ in words) for words in _pages(built[style][0])]
    legend = [n for n, text in enumerate(pages) if "Admiralty" in text]
    assert legend, "the Admiralty legend is missing"  # a negative control
    assert all("Gazette" in pages[n] for n in legend), "the legend apart from its sources"
    per_page = [len(re.findall(r"row\d+", text)) for text in pages]
    assert sum(per_page) == rows
    assert len([n for n in per_page if n]) >= 2, "the table no longer crosses a page"
    assert all(n != 1 for n in per_page), f"a table row alone on a page: {per_page}"


# Pages of the English example before the pagination rules (2026-12-07): never more.
EXAMPLE_PAGES = {"default": (7, 7), "boardroom": (9, 9)}  # (PDF, LibreOffice's .docx)


@pytest.mark.parametrize("style", ["default", "boardroom"])
def test_the_example_never_gains_pages(tmp_path, style):
    from click.testing import CliRunner

    from briefkit.cli import main

    result = CliRunner().invoke(
        main,
        ["build", str(EXAMPLE_BRIEF), "-o", str(tmp_path), "--style", style, "--format", "pdf"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    pdf = tmp_path / f"{EXAMPLE_BRIEF.stem}.pdf"
    assert len(pypdf.PdfReader(pdf).pages) <= EXAMPLE_PAGES[style][0]


def test_word_gallery_holds_only_what_an_editor_applies(built):
    document = docx.Document(str(built["default"][1]))
    gallery = {
        style.get(qn("w:styleId"))
        for style in document.styles.element.iter(qn("w:style"))
        if style.find(qn("w:qFormat")) is not None
    }
    assert {"Normal", "Heading1", "ListBullet", "Quote"} <= gallery
    furniture = {"Header", "Footer", "Banner", "TableCell", "Hyperlink", "TagLine"}
    assert not gallery & furniture
    assert not {name for name in gallery if name.startswith("Tag")}


WOULD_CHANGE = """\
briefkit: 1
id: refs
title: References
date: 2026-11-28
summary:
  bluf: The bottom line.
  judgments:
    - id: kj-a
      text: The first judgment.
    - id: kj-b
      text: The second judgment.
questions:
  - id: q-a
    question: Which way will it go?
    changes: [kj-a, kj-b]
"""


def test_would_change_names_judgments_briefly_and_links_them(tmp_path):
    """ "Would change: KJ1, KJ2", each a link to its judgment, in PDF, .docx and HTML."""
    from click.testing import CliRunner

    from briefkit.cli import main
    from tests.end_to_end.test_pdf_links import misplaced, read_pages

    (tmp_path / ".git").mkdir()
    brief = tmp_path / "refs.yaml"
    brief.write_text(WOULD_CHANGE, encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["build", str(brief), "-o", str(tmp_path / "out"), "--format", "pdf,docx,html"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    text = " ".join(page.text for page in read_pages(out / "refs.pdf"))
    assert "kj1, kj2" in text and "key judgment 1" not in text  # read_pages casefolds
    reader = pypdf.PdfReader(out / "refs.pdf")
    links = [
        ref.get_object()
        for page in reader.pages
        for ref in page.get("/Annots", [])
        if "/Dest" in ref.get_object()
    ]
    assert len(links) >= 2 and misplaced(out / "refs.pdf") == []
    document = docx.Document(str(out / "refs.docx"))
    anchors = {
        "".join(t.text or "" for t in link.iter(qn("w:t"))): link.get(qn("w:anchor"))
        for link in document.element.body.iter(qn("w:hyperlink"))
    }
    marks = {mark.get(qn("w:name")) for mark in document.element.body.iter(qn("w:bookmarkStart"))}
    assert {"KJ1", "KJ2"} <= anchors.keys()
    assert anchors["KJ1"] in marks and anchors["KJ2"] in marks and anchors["KJ1"] != anchors["KJ2"]
    page = (out / "refs.html").read_text(encoding="utf-8")
    for label in ("KJ1", "KJ2"):
        href = re.search(rf'<a [^>]*href="#([^"]+)"[^>]*>{label}</a>', page)
        assert href and f'id="{href.group(1)}"' in page, label


def _judgments(count: int, sentences: int) -> str:
    return "".join(
        f"    - id: kj-{n}\n      text: Open{n} {'. '.join([FILLER] * sentences)} close{n}.\n"
        f"      likelihood: likely\n      confidence: low\n"
        for n in range(1, count + 1)
    )


def _build_all(root: Path, style: str, *extra: str) -> Path:
    from click.testing import CliRunner

    from briefkit.cli import main

    out = root / "out" / style
    result = CliRunner().invoke(
        main,
        [
            "build",
            str(root / "briefs"),
            "-o",
            str(out),
            "--style",
            style,
            "--format",
            "pdf",
            "-q",
            *extra,
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return out


# Bottom lines of 1 to 28 sentences move the end of the box, and the legend under it, from
# the middle of page 1 across its foot to page 2, a line or two at a time.
SWEEP = range(1, 29)


@pytest.mark.parametrize("style", ["default", "boardroom"])
def test_the_legend_stays_under_the_judgments_wherever_they_end(tmp_path, style):
    (tmp_path / ".git").mkdir()
    (tmp_path / "briefs").mkdir()
    for n in SWEEP:
        (tmp_path / "briefs" / f"b{n:02d}.yaml").write_text(
            f"briefkit: 1\nid: b{n:02d}\ntitle: Legend\ndate: 2026-11-28\n"
            f"summary:\n  bluf: {'. '.join([FILLER] * n)}.\n  judgments:\n{_judgments(5, 2)}",
            encoding="utf-8",
        )
    out = _build_all(tmp_path, style)
    crossed = 0
    for n in SWEEP:
        pages = _pages(out / f"b{n:02d}.pdf")
        crossed += len(pages) > 1
        legend, _ = _find(pages, "Estimative")
        assert legend == _find(pages, "close5")[0], f"b{n:02d}: the legend left the judgments"
        for number, words in enumerate(pages):
            # every page holds some of the box: never a legend or the colophon alone
            assert any(word == "Shipping" for word, _ in words), f"b{n:02d} page {number + 1}"
    assert crossed >= 3  # the sweep reaches page 2: the test bites


def _lowest_body_word(pdf: Path, page: int, bottom_margin: float) -> tuple[float, float]:
    """The bottom of the lowest word of *page* above the footer, and the page's height."""
    tool = require_tool("pdftotext")
    xml = subprocess.run(
        [tool, "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', xml).group(1))
    bottoms = [float(y) for y in re.findall(r'yMax="([\d.]+)"', xml)]
    return max(y for y in bottoms if y < height - bottom_margin), height


@pytest.mark.parametrize("style", ["default", "boardroom"])
def test_the_changes_box_uses_page_one(git_repo, style):
    """ "What changed" starts under the legend and splits, its title repeated, rather than
    move whole to page 2 and leave a fifth of page 1 blank; neither side is a stub."""
    briefs = git_repo / "briefs"
    sweep = range(1, 13, 2)
    for n in sweep:
        (briefs / f"c{n:02d}.yaml").write_text(
            f"briefkit: 1\nid: c{n:02d}\ntitle: Changes\ndate: 2026-11-28\nversion: '1.0'\n"
            f"summary:\n  bluf: {'. '.join([FILLER] * n)}.\n  judgments:\n{_judgments(6, 1)}",
            encoding="utf-8",
        )
    commit(git_repo, "first")
    for n in sweep:
        brief = briefs / f"c{n:02d}.yaml"
        brief.write_text(
            brief.read_text(encoding="utf-8")
            .replace("confidence: low", "confidence: high")
            .replace("likelihood: likely", "likelihood: very likely"),
            encoding="utf-8",
        )
    out = _build_all(git_repo, style, "--changes-since", "HEAD")
    frame = load_style(style, None)
    bottom = frame.page.margins.bottom
    for n in sweep:
        pdf = out / f"c{n:02d}.pdf"
        pages = _pages(pdf)
        lowest, height = _lowest_body_word(pdf, 1, bottom)
        blank = (height - bottom - lowest) / (height - bottom - frame.page.margins.top)
        assert blank < 0.2, f"c{n:02d}: {blank:.0%} of page 1 is blank"
        titles = [p for p, words in enumerate(pages) if any(w == "changed" for w, _ in words)]
        lines = [sum(w == "raised" for w, _ in words) for words in pages]
        assert sum(lines) == 12
        for page in titles:  # the box's pages: each has its title and three lines or more
            footnote = any(w == "Compared" for w, _ in pages[page])
            assert lines[page] + footnote >= 3, f"c{n:02d}: a stub of the box on page {page + 1}"


@pytest.mark.parametrize("style", ["default", "boardroom"])
def test_a_label_never_ends_a_page_nor_a_last_line_starts_one(tmp_path, style):
    """ "Indicators to watch" starts a page with its first indicator, and a signal's evidence
    line never starts a page alone, wherever the signals fall: bottom lines of growing
    length move every label and every last line across the foot of a page."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "briefs").mkdir()
    sweep = range(1, 17)
    signals = "".join(
        f"  - id: sig-{n}\n    title: Sig{n} heading\n"
        f"    observation: {'. '.join([FILLER] * length)}.\n"
        f"    interpretation: {FILLER}.\n    evidence: [e-{n}]\n"
        f"    indicators:\n      - W{n}a {FILLER}\n      - W{n}b {FILLER}\n"
        for n, length in enumerate(LENGTHS[:10], 1)
    )
    evidence = "".join(
        f"  - id: e-{n}\n    source: src\n    quote: Said {n}\n    credibility: 3\n"
        for n in range(1, 11)
    )
    for b in sweep:
        (tmp_path / "briefs" / f"l{b:02d}.yaml").write_text(
            f"briefkit: 1\nid: l{b:02d}\ntitle: Labels\ndate: 2026-11-28\n"
            f"summary:\n  bluf: {'. '.join([FILLER] * b)}.\nsignals:\n{signals}"
            "sources:\n  - id: src\n    title: Gazette\n    reliability: B\n"
            f"evidence:\n{evidence}",
            encoding="utf-8",
        )
    out = _build_all(tmp_path, style)
    for b in sweep:
        pages = _pages(out / f"l{b:02d}.pdf")
        labels = [
            number
            for number, words in enumerate(pages)
            for word, _ in words
            if word.casefold() == "indicators"
        ]
        lines = {  # the page of each signal's evidence line, by the item it cites
            after: number
            for number, words in enumerate(pages)
            for (word, _), (after, _) in pairwise(words)
            if word.casefold() == "evidence" and re.fullmatch(r"E\d+", after)
        }
        assert len(labels) == 10 and len(lines) == 10
        for n, page in enumerate(labels, 1):
            assert _find(pages, f"W{n}a")[0] == page, f"l{b:02d}: label {n} ends page {page + 1}"
            last = lines[f"E{n}"]
            assert _find(pages, f"W{n}b")[0] == last, f"l{b:02d}: evidence {n} alone, {last + 1}"
