"""Reading PDFs back the way a user's tools see them."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from tests.conftest import require_tool


def pdftotext(path: Path, *, page: int | None = None, layout: bool = False) -> str:
    tool = require_tool("pdftotext")
    args = [tool, "-enc", "UTF-8"]
    if layout:
        args.append("-layout")
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run(
        [*args, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdffonts(path: Path) -> list[dict[str, str]]:
    tool = require_tool("pdffonts")
    out = subprocess.run([tool, str(path)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name type [type…] encoding emb sub uni object ID
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def words(text: str) -> str:
    return " ".join(text.split())


def word_boxes(path: Path) -> list[tuple[int, str, float, float, float]]:
    """(page, word, xMin, xMax, page width) for every word, from ``pdftotext -bbox``."""
    import re
    from html import unescape

    tool = require_tool("pdftotext")
    html = subprocess.run(
        [tool, "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    boxes = []
    for number, page in enumerate(re.findall(r"<page (.*?)</page>", html, re.S), 1):
        page_width = float(re.search(r'width="([\d.]+)"', page).group(1))
        for x_min, x_max, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>', page
        ):
            boxes.append((number, unescape(word), float(x_min), float(x_max), page_width))
    return boxes


def baseline_lines(path: Path) -> list[list[str]]:
    """The text drawn on each baseline of each page, in drawing order (pypdf): a paragraph's
    lines as they were set. Marks that HarfBuzz raises stay on their line, where pdftotext
    puts a raised Thai tone mark on a line of its own."""
    import pypdf

    def rows_of(page: pypdf.PageObject) -> list[str]:
        rows: dict[float, str] = {}

        def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
            if text.strip("\n"):
                y = round(tm[4] * cm[1] + tm[5] * cm[3] + cm[5], 1)
                rows[y] = rows.get(y, "") + text.replace("\n", "")

        page.extract_text(visitor_text=visit)
        return list(rows.values())

    return [rows_of(page) for page in pypdf.PdfReader(path).pages]


def strip_first_paragraph_marks(data: bytes) -> bytes:
    """*data* with the marked-content operators of the first P on page 1 removed: its text
    drawn untagged (the negative control of the tagging checks)."""
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(data))
    page = pdf.pages[0]
    operations = list(pikepdf.parse_content_stream(page))
    start = next(
        i for i, (operands, op) in enumerate(operations) if str(op) == "BDC" and operands[0] == "/P"
    )
    depth, end = 0, start
    for end in range(start, len(operations)):
        op = str(operations[end][1])
        depth += op in ("BDC", "BMC")
        depth -= op == "EMC"
        if depth == 0:
            break
    kept = operations[:start] + operations[start + 1 : end] + operations[end + 1 :]
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()
