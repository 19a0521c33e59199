"""A chip in the Word document is one box, also where its text changes direction or holds
digits ("مرجّح (55–80٪)", "من 3 إلى 12 شهرًا"): one run in a Tag style with a fill and no
border. Renderers draw each stretch of one direction as a box of its own, and a border would
show them; read back from the .docx and from LibreOffice's PDF of it."""

from __future__ import annotations

import itertools
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader
from pypdf.generic import ContentStream

from briefkit.building.pipeline import resolve_style
from briefkit.checks.loader import load
from briefkit.layout.from_brief import layout
from briefkit.render.docx import render_docx
from tests.conftest import REPO
from tests.libreoffice import LibreOffice, producer

BRIEFS = [REPO / "briefs" / f"red-sea-shipping-exercise{edition}.yaml" for edition in ("-ar", "")]
GAP = 0.3  # points: fills closer than this are one box (LibreOffice leaves 0.05 between stretches)


@producer("chips", fixture="converted")
def _words(root: Path) -> dict[Path, Path]:
    """Each brief's .docx, its PDF from LibreOffice beside it."""
    root.mkdir(parents=True)
    words = {}
    for path in BRIEFS:
        loaded = load(path)
        assert loaded.brief is not None, loaded.diagnostics
        word = root / f"{path.stem}.docx"
        word.write_bytes(render_docx(layout(loaded.brief), resolve_style(loaded, None)))
        words[word] = word.with_suffix(".pdf")
    return words


@pytest.fixture(scope="module")
def converted(libreoffice: LibreOffice) -> list[tuple[Path, Path]]:
    return list(libreoffice.pdfs("chips").items())


def _chip_styles(word: docx.document.Document) -> dict[str, str | None]:
    """Each Tag character style's fill colour (None without one)."""
    fills = {}
    for style in word.styles.element.findall(qn("w:style")):
        style_id = style.get(qn("w:styleId"))
        if style.get(qn("w:type")) == "character" and style_id.startswith("Tag"):
            shading = style.find(f"{qn('w:rPr')}/{qn('w:shd')}")
            fills[style_id] = shading.get(qn("w:fill")) if shading is not None else None
    return fills


def _chip_runs(word: docx.document.Document) -> int:
    return sum(
        1
        for run in word.element.body.iter(qn("w:r"))
        if (found := run.find(f"{qn('w:rPr')}/{qn('w:rStyle')}")) is not None
        and found.get(qn("w:val")).startswith("Tag")
    )


def _hex(values) -> str:
    return "".join(f"{round(float(v) * 255):02X}" for v in values)


def _drawn(pdf: Path) -> tuple[list[tuple[str, float, float, float, float]], list[tuple]]:
    """The filled rectangles (colour, x, y, width, height) and stroked segments of a PDF."""
    rects, strokes = [], []
    reader = PdfReader(pdf)
    for page in reader.pages:
        fill, pending, path = "000000", [], []
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"rg":
                fill = _hex(operands)
            elif operator == b"re":
                pending.append(tuple(float(v) for v in operands))
            elif operator in (b"m", b"l"):
                path.append(tuple(float(v) for v in operands))
            elif operator in (b"f", b"f*"):
                rects += [(fill, *rect) for rect in pending]
                pending, path = [], []
            elif operator == b"S":
                strokes += list(itertools.pairwise(path))
                pending, path = [], []
            elif operator == b"n":
                pending, path = [], []
    return rects, strokes


def _boxes(rects, colours) -> list[tuple[float, float, float, float]]:
    """Rectangles in *colours* on one line merged where they touch: (x0, x1, y, height)."""
    boxes: list[list[float]] = []
    for _, x, y, width, height in sorted(
        (r for r in rects if r[0] in colours), key=lambda r: (round(r[2]), r[1])
    ):
        last = boxes[-1] if boxes else None
        if last and abs(last[2] - y) < 0.5 and x - last[1] < GAP:
            last[1] = max(last[1], x + width)
        else:
            boxes.append([x, x + width, y, height])
    return [tuple(box) for box in boxes]


def test_chip_styles_have_a_fill_and_no_border(converted):
    for word_path, _ in converted:
        word = docx.Document(str(word_path))
        for style in word.styles.element.findall(qn("w:style")):
            if (
                style.get(qn("w:styleId")).startswith("Tag")
                and style.get(qn("w:type")) == "character"
            ):
                assert style.find(f"{qn('w:rPr')}/{qn('w:bdr')}") is None, style.get(
                    qn("w:styleId")
                )
        assert all(_chip_styles(word).values())


def test_libreoffice_draws_each_chip_as_one_box(converted):
    for word_path, pdf in converted:
        word = docx.Document(str(word_path))
        colours = {fill for fill in _chip_styles(word).values() if fill}
        rects, strokes = _drawn(pdf)
        boxes = _boxes(rects, colours)
        assert len(boxes) == _chip_runs(word), pdf.name
        inside = [
            segment
            for segment in strokes
            for x0, x1, y, height in boxes
            if all(
                x0 - 0.5 <= px <= x1 + 0.5 and y - 0.5 <= py <= y + height + 0.5
                for px, py in segment
            )
        ]
        assert not inside, pdf.name  # no outline drawn round a chip's stretches
