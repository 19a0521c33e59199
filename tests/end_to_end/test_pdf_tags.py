"""The tagged PDF read back: every painting operator on every page inside marked content (a
tagged sequence or an artifact), every MCID reachable from the structure tree, the tree in
document order (PDF/UA-1, issue 20)."""

from __future__ import annotations

import io
import itertools
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest

from briefkit import load_brief
from briefkit.building.pipeline import BuildOptions, build_brief
from briefkit.layout import document as d
from briefkit.layout.from_brief import layout
from tests.conftest import REPO, require_tool
from tests.pdf_helpers import strip_first_paragraph_marks

EXAMPLES = sorted((REPO / "briefs").glob("*.yaml"))
_PAINT = frozenset(
    {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "Do", "sh"}
    | {"INLINE IMAGE"}
)
# Scripts whose words carry /ActualText spans (render/pdf/text_layer.py): poppler's structure
# text ends an element's text at its first span, so their headings are compared elsewhere
# (test_pdf_text_layer.py reads them with pdftotext, which honours the spans)
_SHAPED = re.compile(r"[\u0590-\u08ff\u0900-\u0dff\u0e00-\u0e7f]")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("tags")
    (root / ".git").mkdir()
    briefs = root / "briefs"
    shutil.copytree(REPO / "briefs", briefs)
    out: dict[str, Path] = {}
    for style in ("default", "boardroom"):
        for brief in EXAMPLES:
            target = root / style
            options = BuildOptions(out_dir=target, style=style, formats=("pdf",))
            result = build_brief(briefs / brief.name, options)
            assert not result.failed, result.diagnostics
            out[f"{brief.stem}-{style}"] = target / f"{brief.stem}.pdf"
    return out


# --- the walker ---------------------------------------------------------------------------


def _mcids_in_content(page: pikepdf.Page) -> tuple[list[str], set[int]]:
    """Painting operators outside marked content (as "operator #index"), and the MCIDs the
    page's content marks."""
    stack: list[int | None] = []
    untagged: list[str] = []
    mcids: set[int] = set()
    for index, (operands, operator) in enumerate(pikepdf.parse_content_stream(page)):
        op = str(operator)
        if op in ("BDC", "BMC"):
            mcid = None
            if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary):
                mcid = operands[1].get("/MCID")
            if mcid is not None:
                assert not any(m is not None for m in stack), "nested MCIDs"
                mcids.add(int(mcid))
            stack.append(None if mcid is None else int(mcid))
        elif op == "EMC":
            assert stack, f"EMC without BDC at operator {index}"
            stack.pop()
        elif op in _PAINT and not stack:
            untagged.append(f"{op} #{index}")
    assert not stack, "marked content left open at the end of the page"
    return untagged, mcids


def _tree_kids(node: pikepdf.Object, pages: dict[tuple[int, int], int]) -> Iterator[tuple]:
    """(page index, MCID, element) for every marked-content kid, in tree order."""
    kids = node.get("/K")
    if kids is None:
        return
    if not isinstance(kids, pikepdf.Array):
        kids = [kids]
    page = node.get("/Pg")
    for kid in kids:
        if isinstance(kid, int):
            yield pages[page.objgen], kid, node
        elif isinstance(kid, pikepdf.Dictionary):
            if kid.get("/Type") == "/MCR":
                yield pages[kid.Pg.objgen], int(kid.MCID), node
            elif kid.get("/Type") == "/OBJR":
                continue
            else:
                assert kid.P.objgen == node.objgen, "an element whose /P is not its parent"
                yield from _tree_kids(kid, pages)


def walk(data: bytes) -> list[str]:
    """What is wrong with the tagging of the PDF *data* (nothing: an empty list)."""
    problems: list[str] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if pdf.Root.get("/MarkInfo", {}).get("/Marked") is not True:
            problems.append("MarkInfo /Marked is not true")
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            return [*problems, "no StructTreeRoot"]
        pages = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
        parent_tree = dict(pikepdf.NumberTree(root.ParentTree).items())
        in_tree = {(p, m): node for p, m, node in _tree_kids(root, pages)}
        for index, page in enumerate(pdf.pages):
            untagged, mcids = _mcids_in_content(page)
            problems += [f"page {index + 1}: untagged {op}" for op in untagged]
            parents = parent_tree.get(int(page.obj.get("/StructParents", -1)))
            for mcid in sorted(mcids):
                if (index, mcid) not in in_tree:
                    problems.append(f"page {index + 1}: MCID {mcid} not in the tree")
                elif parents is None or parents[mcid].objgen != in_tree[index, mcid].objgen:
                    problems.append(f"page {index + 1}: MCID {mcid} not in the ParentTree")
            missing = {m for p, m in in_tree if p == index} - mcids
            problems += [f"page {index + 1}: MCID {m} in the tree only" for m in missing]
    return problems


def test_every_painting_operator_is_tagged_and_every_mcid_is_in_the_tree(
    pdfs: dict[str, Path],
) -> None:
    for name, path in pdfs.items():
        assert walk(path.read_bytes()) == [], name


def test_the_walker_fails_when_one_paragraph_is_not_marked(pdfs: dict[str, Path]) -> None:
    broken = strip_first_paragraph_marks(next(iter(pdfs.values())).read_bytes())
    problems = walk(broken)
    assert any("untagged" in p for p in problems), problems
    assert any("in the tree only" in p for p in problems), problems


# --- the tree in document order -------------------------------------------------------------


def _ir_headings(
    blocks: tuple[d.Block, ...], level: list[int] | None = None
) -> Iterator[tuple[str, str]]:
    """(element type, text) of the document's headings, in document order: a label
    paragraph ("Key judgments", "Indicators to watch") one level below the heading before it."""
    level = [0] if level is None else level  # the last heading's level, shared by the walk
    for block in blocks:
        match block:
            case d.TitleBlock():
                level[0] = 1
                yield "H1", block.title
            case d.Heading():
                level[0] = block.level + 1
                yield f"H{block.level + 1}", d.inline_text(block.numbered_text)
            case d.Paragraph(role="label"):
                yield f"H{level[0] + 1}", d.inline_text(block.text)
            case d.Callout():
                level[0] = 2
                yield "H2", block.title
                yield from _ir_headings(block.blocks, level)
            case d.Group():
                yield from _ir_headings(block.blocks, level)
            case d.NumberedList():
                for item in block.items:
                    yield from _ir_headings(item.blocks, level)
            case d.Table():
                for row in block.rows:
                    for cell in row:
                        yield from _ir_headings(cell.blocks, level)


def _struct_headings(path: Path) -> list[tuple[str, str]]:
    """(element type, text) of the headings `pdfinfo -struct-text` lists, in its order."""
    run = subprocess.run(
        [require_tool("pdfinfo"), "-struct-text", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    out: list[tuple[str, str]] = []
    lines = run.stdout.splitlines()
    for index, line in enumerate(lines):
        if match := re.fullmatch(r"\s*(H[1-6])( \(block\))?", line):
            text = lines[index + 1].strip()
            out.append((match.group(1), text[1:-1] if text.startswith('"') else ""))
    return out


@pytest.mark.parametrize("brief", EXAMPLES, ids=lambda p: p.stem)
def test_pdfinfo_lists_the_headings_in_document_order(pdfs: dict[str, Path], brief: Path) -> None:
    document = layout(load_brief(brief))
    expected = list(_ir_headings(document.blocks))
    found = _struct_headings(pdfs[f"{brief.stem}-default"])
    assert [kind for kind, _ in found] == [kind for kind, _ in expected]
    pairs = [(f, e) for (_, f), (_, e) in zip(found, expected, strict=True)]
    readable = [(f, e) for f, e in pairs if not _SHAPED.search(e)]
    assert readable or document.metadata.rtl  # a right-to-left brief's headings are shaped
    for text, heading in readable:  # a label is printed in capitals (its style's caps)
        assert re.sub(r"\s+", "", text).casefold() == re.sub(r"\s+", "", heading).casefold()


def skipped_levels(levels: list[int]) -> list[str]:
    """Where a heading goes more than one level below the one before it (H2 then H4), or the
    first is not H1: what veraPDF's and PAC's heading-order checks report."""
    problems = [] if levels[:1] == [1] else [f"the first heading is H{levels[0]}"]
    for before, after in itertools.pairwise(levels):
        if after > before + 1:
            problems.append(f"H{before} then H{after}")
    return problems


def _tree_headings(path: Path) -> list[int]:
    """The levels of the H1-H6 elements of the structure tree, in tree order."""
    levels: list[int] = []

    def visit(node: pikepdf.Object) -> None:
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                if re.fullmatch("/H[1-6]", str(kid.S)):
                    levels.append(int(str(kid.S)[2:]))
                visit(kid)

    with pikepdf.open(path) as pdf:
        visit(pdf.Root.StructTreeRoot)
    return levels


def test_no_heading_level_is_skipped_and_box_labels_are_headings(pdfs: dict[str, Path]) -> None:
    for name, path in pdfs.items():
        levels = _tree_headings(path)
        assert skipped_levels(levels) == [], name
        assert levels.count(4) >= 1, name  # "Indicators to watch" under a signal's H3
    # the negative control: the checker sees a skip, and the box title P of before
    assert skipped_levels([1, 2, 4]) == ["H2 then H4"]
    assert skipped_levels([2, 3]) == ["the first heading is H2"]


def test_the_key_judgments_label_is_a_heading_under_its_box(pdfs: dict[str, Path]) -> None:
    """In the bottom-line box (H2), "Key judgments" is an H3; before, it was a P."""
    for name, path in pdfs.items():
        if not name.startswith("xai"):
            continue
        found = [(kind, text.casefold()) for kind, text in _struct_headings(path)]
        box = found.index(("H2", "bottom line up front"))
        assert found[box + 1] == ("H3", "key judgments"), name


# --- lists ----------------------------------------------------------------------------------


def _ir_list_items(blocks: tuple[d.Block, ...]) -> Iterator[str]:
    """ "number" or "bullet" for every list item of the document, in document order."""
    for block in blocks:
        match block:
            case d.BulletList():
                yield from ["bullet"] * len(block.items)
            case d.NumberedList():
                for item in block.items:
                    yield "number"
                    yield from _ir_list_items(item.blocks)
            case d.Callout() | d.Group():
                yield from _ir_list_items(block.blocks)
            case d.Table():
                for row in block.rows:
                    for cell in row:
                        yield from _ir_list_items(cell.blocks)


def list_problems(path: Path) -> tuple[int, list[str]]:
    """How many list items the PDF's structure tree has, and what is wrong with them: each LI
    holds a Lbl then an LBody (ISO 32000-1 14.8.4.3.3, PDF/UA-1 7.6), and the Lbl's text
    (``pdfinfo -struct-text``) is a number or a bullet followed by one space."""
    problems: list[str] = []
    items = 0
    with pikepdf.open(path) as pdf:
        for node in pdf.objects:
            if not isinstance(node, pikepdf.Dictionary) or node.get("/S") != "/LI":
                continue
            items += 1
            kinds = [str(kid.S) for kid in node.K if isinstance(kid, pikepdf.Dictionary)]
            if kinds != ["/Lbl", "/LBody"]:
                problems.append(f"an LI of {kinds}")
    run = subprocess.run(
        [require_tool("pdfinfo"), "-struct-text", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = run.stdout.splitlines()
    for index, line in enumerate(lines):
        if line.strip() == "Lbl (block)":
            text = lines[index + 1].strip()
            # a number with its prefix and suffix ("1.", "[1]"; on a mirrored page drawn
            # in visual order, ".1") or a bullet, then one space
            if not re.fullmatch(r'"[^\s"]+ "', text):
                problems.append(f"a Lbl that reads {text}")
    return items, problems


@pytest.mark.parametrize("style", ["default", "boardroom"])
@pytest.mark.parametrize("brief", EXAMPLES, ids=lambda p: p.stem)
def test_every_list_item_has_its_number_or_bullet_in_a_lbl(
    pdfs: dict[str, Path], brief: Path, style: str
) -> None:
    expected = list(_ir_list_items(layout(load_brief(brief)).blocks))
    assert "number" in expected and "bullet" in expected
    items, problems = list_problems(pdfs[f"{brief.stem}-{style}"])
    assert problems == []
    assert items == len(expected)


def test_the_lbl_reads_as_a_number_then_a_space(pdfs: dict[str, Path]) -> None:
    """A screen reader reads "1. The deal", not "1.The deal": the Lbl says "1. "."""
    run = subprocess.run(
        [require_tool("pdfinfo"), "-struct-text", str(pdfs["xai-anthropic-alliance-default"])],
        capture_output=True,
        text=True,
        check=True,
    )
    text = run.stdout
    assert re.search(
        r'Lbl \(block\)\n\s*"1\. "\n\s*LBody \(block\)\n\s*P \(block\)\n\s*"The deal', text
    )
    assert re.search(r'Lbl \(block\)\n\s*"• "\n\s*LBody \(block\)\n\s*"xAI product', text)


def _without_lbl(source: Path, target: Path) -> Path:
    """*source* with every Lbl made a kid of its LI's LBody's first element, as before: the
    number run into the item's first paragraph."""
    with pikepdf.open(source) as pdf:
        for node in list(pdf.objects):
            if isinstance(node, pikepdf.Dictionary) and node.get("/S") == "/LI":
                node.K = pikepdf.Array([k for k in node.K if k.get("/S") != "/Lbl"])
        pdf.save(target)
    return target


def test_the_list_checks_fail_without_the_lbl_or_the_space(
    pdfs: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The negative controls: the tree without its Lbl elements, and a build whose number is
    not followed by a space in the text layer."""
    _, problems = list_problems(
        _without_lbl(pdfs["xai-anthropic-alliance-default"], tmp_path / "no-lbl.pdf")
    )
    assert "an LI of ['/LBody']" in problems
    from reportlab.pdfgen.textobject import PDFTextObject

    from briefkit.render.pdf import reportlab_fixes
    from briefkit.render.pdf.text_layer import Label

    def no_space(self: PDFTextObject, text: object) -> str:
        return reportlab_fixes._format_text(self, str(text) if isinstance(text, Label) else text)

    monkeypatch.setattr(PDFTextObject, "_formatText", no_space)
    (tmp_path / ".git").mkdir()
    shutil.copytree(REPO / "briefs", tmp_path / "briefs")
    options = BuildOptions(out_dir=tmp_path / "out", formats=("pdf",))
    result = build_brief(tmp_path / "briefs" / "xai-anthropic-alliance.yaml", options)
    assert not result.failed, result.diagnostics
    _, problems = list_problems(tmp_path / "out" / "xai-anthropic-alliance.pdf")
    assert 'a Lbl that reads "1."' in problems


# --- links and languages --------------------------------------------------------------------


def test_every_link_annotation_is_in_a_link_element_and_says_what_it_is(
    pdfs: dict[str, Path],
) -> None:
    for name, path in pdfs.items():
        with pikepdf.open(path) as pdf:
            parent_tree = dict(pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree).items())
            links = [
                annotation
                for page in pdf.pages
                for annotation in page.obj.get("/Annots", [])
                if annotation.get("/Subtype") == "/Link"
            ]
            assert links, name
            for annotation in links:
                element = parent_tree[int(annotation.StructParent)]
                assert element.S == "/Link", name
                objects = [k.Obj.objgen for k in element.K if k.get("/Type") == "/OBJR"]
                assert objects == [annotation.objgen], name
                assert str(annotation.Contents).strip(), name


def test_quotes_in_other_scripts_carry_their_language(pdfs: dict[str, Path]) -> None:
    with pikepdf.open(pdfs["red-sea-shipping-exercise-default"]) as pdf:
        assert pdf.Root.Lang == "en"
        languages = {
            str(o.Lang)
            for o in pdf.objects
            if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/StructElem"
            if "/Lang" in o and o.S != "/Document"
        }
    assert {"ar-SA", "fa-IR", "hi-IN", "th-TH"} <= languages
    assert not {lang for lang in languages if lang.startswith("en")}
