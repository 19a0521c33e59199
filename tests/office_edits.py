"""Edit a built .docx the way an office does: python-docx where it has an API (a comment),
raw WordprocessingML where it has none (tracked changes, bookmarks it cannot see).

Each edit finds its place by the text the document prints, as a person would, not by
briefkit's field marks (a new row or bullet is a copy of its neighbour without them, as Word
makes one when Tab is pressed in the last cell or Enter at the end of a bullet)."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import docx
from docx.oxml.ns import qn

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WHEN = "2026-12-01T09:00:00Z"


def text_of(element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def paragraph_with(body, text: str):
    for paragraph in body.iter(f"{W}p"):
        if text in text_of(paragraph):
            return paragraph
    raise AssertionError(f"no paragraph says {text!r}")


def run_with(paragraph, text: str):
    for run in paragraph.iter(f"{W}r"):
        if text in text_of(run):
            return run
    raise AssertionError(f"no run says {text!r}")


def split_run(run, text: str):
    """Cut *run* around its *text*: returns the new run holding exactly *text*."""
    whole = text_of(run)
    before, _, after = whole.partition(text)
    pieces = []
    for part in (before, text, after):
        piece = copy.deepcopy(run)
        for t in piece.findall(f"{W}t"):
            piece.remove(t)
        t = piece.makeelement(f"{W}t", {})
        t.text = part
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        piece.append(t)
        pieces.append(piece)
    for piece in pieces:
        run.addprevious(piece)
    run.getparent().remove(run)
    for piece, part in zip(pieces, (before, text, after), strict=True):
        if not part:
            piece.getparent().remove(piece)
    return pieces[1]


def replace_text(body, old: str, new: str) -> None:
    run = run_with(paragraph_with(body, old), old)
    for t in run.iter(f"{W}t"):
        t.text = (t.text or "").replace(old, new)


def make_bold(body, phrase: str, tag: str = "b") -> None:
    run = split_run(run_with(paragraph_with(body, phrase), phrase), phrase)
    rpr = run.find(f"{W}rPr")
    if rpr is None:
        rpr = run.makeelement(f"{W}rPr", {})
        run.insert(0, rpr)
    # after the run's style and fonts (and bold, for italic), as the schema orders them
    earlier = ("rStyle", "rFonts", "b", "bCs") if tag == "i" else ("rStyle", "rFonts")
    rpr.insert(
        sum(len(rpr.findall(f"{W}{name}")) for name in earlier), rpr.makeelement(f"{W}{tag}", {})
    )


def make_italic(body, phrase: str) -> None:
    make_bold(body, phrase, tag="i")


def without_marks(element):
    for mark in list(element.iter(f"{W}bookmarkStart", f"{W}bookmarkEnd")):
        mark.getparent().remove(mark)
    return element


def set_paragraph_text(paragraph, text: str) -> None:
    """Keep the paragraph's properties and first run's formatting; say *text*."""
    runs = paragraph.findall(f".//{W}r")
    keep = copy.deepcopy(runs[0]) if runs else paragraph.makeelement(f"{W}r", {})
    for child in list(paragraph):
        if child.tag != f"{W}pPr":
            paragraph.remove(child)
    for t in list(keep):
        if t.tag != f"{W}rPr":
            keep.remove(t)
    t = keep.makeelement(f"{W}t", {})
    t.text = text
    keep.append(t)
    paragraph.append(keep)


def add_bullet_after(body, text_before: str, text: str) -> None:
    paragraph = paragraph_with(body, text_before)
    bullet = without_marks(copy.deepcopy(paragraph))
    set_paragraph_text(bullet, text)
    paragraph.addnext(bullet)


def add_row(body, first_cell_text: str, cells: list[str]) -> None:
    row = paragraph_with(body, first_cell_text).getparent().getparent()
    assert row.tag == f"{W}tr"
    new = without_marks(copy.deepcopy(row))
    for cell, text in zip(new.findall(f"{W}tc"), cells, strict=True):
        set_paragraph_text(cell.find(f"{W}p"), text)
    table = row.getparent()
    table.append(new)


def add_paragraph_after(body, text_before: str, text: str) -> None:
    paragraph = paragraph_with(body, text_before)
    new = paragraph.makeelement(f"{W}p", {})
    run = new.makeelement(f"{W}r", {})
    t = run.makeelement(f"{W}t", {})
    t.text = text
    run.append(t)
    new.append(run)
    paragraph.addnext(new)


def track_insertion(body, after: str, text: str, author: str = "Chief of Staff") -> None:
    """Type *text* right after *after*, with change tracking on."""
    run = split_run(run_with(paragraph_with(body, after), after), after)
    ins = run.makeelement(
        f"{W}ins", {qn("w:id"): "901", qn("w:author"): author, qn("w:date"): WHEN}
    )
    new = copy.deepcopy(run)
    for t in new.findall(f"{W}t"):
        t.text = text
    ins.append(new)
    run.addnext(ins)


def track_deletion(body, text: str, author: str = "Chief of Staff") -> None:
    run = split_run(run_with(paragraph_with(body, text), text), text)
    deletion = run.makeelement(
        f"{W}del", {qn("w:id"): "902", qn("w:author"): author, qn("w:date"): WHEN}
    )
    run.addprevious(deletion)
    deletion.append(run)
    for t in run.findall(f"{W}t"):
        t.tag = f"{W}delText"


def comment_on(document, text: str, comment: str, author: str = "Head of Strategy") -> None:
    from docx.text.run import Run

    paragraph = paragraph_with(document.element.body, text)
    run = split_run(run_with(paragraph, text), text)
    added = document.add_comment(Run(run, document), comment, author=author, initials="HS")
    added._comment_elm.set(qn("w:date"), WHEN)


def office_edit(source: Path, target: Path) -> None:
    """The edits the tests expect absorb to take back (see tests/data/absorb/)."""
    document = docx.Document(str(source))
    body = document.element.body
    # changed wording (the bottom line) and a bolded phrase (a key judgment)
    replace_text(body, "treat it as a working hypothesis", "treat it as a provisional view")
    make_bold(body, "clearer near-term winner")
    # a chip changed to another term: key judgment 1 "Likely (55–80%)" → "Very likely"
    chip = paragraph_with(body, "Moderate confidence")
    for t in chip.iter(f"{W}t"):
        if "Likely (55" in (t.text or ""):
            t.text = "\u2007Very likely\u2007"
    # a new stakeholder row and a new indicator bullet
    add_row(
        body,
        "Investors",
        ["Regulators", "May scrutinise the pact as a related-party deal.", "Uncertain", "Low",
         "Long term", "4"],
    )  # fmt: skip
    add_bullet_after(
        body,
        "Senior research departures or hiring shifts",
        "xAI job postings for alignment researchers",
    )
    # a tracked insertion and deletion (an assessment)
    track_insertion(body, "xAI appears to judge that it cannot", " yet")
    track_deletion(body, " on its own fast enough")
    # text typed outside every field
    add_paragraph_after(
        body, "Strategic signals", "Please check these with the desk before Friday."
    )
    # a comment on an observation
    comment_on(document, "describes xAI providing infrastructure", "Is this confirmed?")
    document.core_properties.modified = dt.datetime(2026, 12, 1, 9, 0)
    document.save(str(target))


def add_text_run(paragraph, text: str) -> None:
    run = paragraph.makeelement(f"{W}r", {})
    t = run.makeelement(f"{W}t", {})
    t.text = text
    run.append(t)
    paragraph.append(run)
