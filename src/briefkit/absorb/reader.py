"""Read a Word document as briefkit wrote it, or as an office edited it: every run of text
with its formatting and the brief field whose mark it stands in, the tracked changes and the
comments.

python-docx skips runs inside ``w:ins``, ``w:del`` and content controls, so the body is read
with lxml. The field marks are the hidden bookmarks the Word renderer writes (see
``render.docx.paragraphs``): ``_F_<path>`` around a field, ``_C_<path>_<n>`` around its n-th
citation, ``_T_<part>_<letters>`` at the start of a line of chips.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from briefkit.absorb.archive import DocumentError, read_members
from briefkit.layout.from_brief import CHANGES_ANCHOR
from briefkit.render.docx.paragraphs import (
    CHIP_LETTERS,
    CHIPS_MARK,
    CITE_MARK,
    CONTINUED,
    FIELD_MARK,
    path_of_mark,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_LETTER_FIELDS = {letter: name for name, letter in CHIP_LETTERS.items()}
_CHANGES = {"ins": "inserted", "moveTo": "inserted", "del": "deleted", "moveFrom": "deleted"}
# what a tracked change is called in a report
CHANGE_NAMES = {
    "ins": "insertion",
    "moveTo": "move (moved here)",
    "del": "deletion",
    "moveFrom": "move (moved away)",
    "rPrChange": "formatting change",
}
# a citation's number in its mark: ASCII digits, as many as a brief could have
_INDEX = re.compile(r"[0-9]{1,6}")
# LibreOffice names the mark of a pasted copy after the mark it copied: "<name>_Copy_<n>"
_COPY = re.compile(r"(?:_Copy_[0-9]+)+$")
# the path of a field mark that is a copy of the mark of *path*: no mark name gives it
COPY_PATH = "{path}~copy{n}"
_SKIPPED = {"drawing", "pict", "txbxContent", "instrText", "rPr", "pPr", "object"}


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None
    cite: int | None = None
    change: str | None = None  # "inserted" or "deleted" while a tracked change is pending
    style: str | None = None  # the character style ("Tag…" for a chip)
    # bold and italic before a tracked formatting change (w:rPrChange), while it is pending
    was: tuple[bool, bool] | None = None

    def formatted(self, mode: str) -> tuple[bool, bool]:
        """Bold and italic with pending formatting changes accepted or rejected."""
        return self.was if self.was is not None and mode == "reject" else (self.bold, self.italic)


@dataclass
class Para:
    index: int  # 1-based, in reading order (table cells included)
    style: str
    heading: str  # the last heading above it, for messages
    segments: list[tuple[str | None, Run]] = field(default_factory=list)
    cell: tuple[int, int, int] | None = None  # (table, row, column) for text in a table
    marks: list[str] = field(default_factory=list)  # fields whose marks start here
    generated: bool = False  # in the "What changed" box of a build --changes-since

    @property
    def fields(self) -> list[str]:
        seen: list[str] = []
        for path, _run in self.segments:
            if path is not None and path not in seen:
                seen.append(path)
        return seen

    @property
    def place(self) -> str:
        where = f"paragraph {self.index}"
        return f"{where} (under '{self.heading}')" if self.heading else where

    def text(self, mode: str = "accept") -> str:
        return "".join(run.text for _p, run in self.segments if visible(run, mode))


def visible(run: Run, mode: str) -> bool:
    """Whether *run* is in the text with pending changes accepted or rejected."""
    if run.change is None:
        return True
    return (run.change == "inserted") == (mode == "accept")


@dataclass
class Revision:
    kind: str  # "insertion", "deletion", "move"
    author: str
    text: str
    field: str | None
    place: str


@dataclass
class Comment:
    author: str
    text: str
    field: str | None
    place: str


@dataclass
class Reading:
    """What a .docx says: its custom properties, paragraphs, tracked changes, comments."""

    properties: dict[str, str]
    paragraphs: list[Para]
    revisions: list[Revision]
    comments: list[Comment]
    # the field of every copied mark (a pasted copy, a second mark of the same name): a path
    # made with COPY_PATH → the path of the mark it copies
    copies: dict[str, str] = field(default_factory=dict)

    def fields(self) -> dict[str, list[Run]]:
        """The runs of every marked field, in order (a field split over paragraphs joined by
        a space)."""
        out: dict[str, list[Run]] = {}
        last: dict[str, int] = {}
        for para in self.paragraphs:
            for mark in para.marks:
                out.setdefault(mark, [])  # a mark left empty: the field was emptied
                last.setdefault(mark, para.index)
            for path, run in para.segments:
                if path is None:
                    continue
                if path in out and last[path] != para.index:
                    out[path].append(Run(" "))
                out.setdefault(path, []).append(run)
                last[path] = para.index
        return out

    def places(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for para in self.paragraphs:
            for path in [*para.fields, *para.marks]:
                found.setdefault(path, para.place)
        return found


def read_docx(path: Path) -> Reading:
    """Read the document at *path*: an office's edit, so anything in it may be hostile.

    Whatever goes wrong while it is read is a :class:`DocumentError` naming the file: the
    document's shape is the editor's, and a reader that meets a shape it did not foresee must
    refuse it in one line rather than fail.
    """
    parts = read_members(
        path,
        (
            "word/document.xml",
            "word/_rels/document.xml.rels",
            "word/comments.xml",
            "docProps/custom.xml",
        ),
    )
    if parts["word/document.xml"] is None:
        raise DocumentError(path, "not a Word document (no word/document.xml)")
    try:
        return read_parts(parts)
    except DocumentError:
        raise
    except etree.XMLSyntaxError as exc:
        raise DocumentError(path, f"damaged Word document ({exc})") from None
    except _PartRefused as exc:
        raise DocumentError(path, str(exc)) from None
    except Exception as exc:  # see the docstring
        raise DocumentError(
            path,
            f"cannot be read as a Word document ({type(exc).__name__}: {exc}); "
            "open it in Word or LibreOffice and save it again as .docx",
        ) from None


class _PartRefused(ValueError):
    """A part of the package that Word never writes (a DTD, entity references)."""


def _parsed(name: str, data: bytes) -> etree._Element:
    # Office parts never declare a DTD: one that does may define entities meant to expand
    # (resolve_entities=False keeps them as nodes, which no reader below expects).
    root = etree.fromstring(data, _PARSER)
    if root.getroottree().docinfo.internalDTD is not None:
        raise _PartRefused(
            f"{name} declares a DTD (Word documents never do; save the document again as .docx)"
        )
    return root


_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    huge_tree=False,
    load_dtd=False,
    remove_comments=True,
    remove_pis=True,
)


def read_parts(parts: dict[str, bytes | None]) -> Reading:
    """Read the parts of a package (document, its relationships, comments, properties)."""
    document = _parsed("word/document.xml", parts["word/document.xml"] or b"")
    if document.tag != _w("document") or document.find(_w("body")) is None:
        raise _PartRefused("not a Word document (word/document.xml holds no w:document body)")
    rels = parts.get("word/_rels/document.xml.rels")
    targets = _targets(_parsed("word/_rels/document.xml.rels", rels)) if rels else {}
    comments = parts.get("word/comments.xml")
    notes = _comments(_parsed("word/comments.xml", comments)) if comments else {}
    custom = parts.get("docProps/custom.xml")
    properties = _properties(_parsed("docProps/custom.xml", custom)) if custom else {}
    walker = _Walker(targets)
    walker.walk(document.find(_w("body")))
    found = [
        Comment(author, text, *walker.comment_places.get(ident, (None, "the document")))
        for ident, (author, text) in notes.items()
    ]
    return Reading(properties, walker.paragraphs, walker.revisions(), found, walker.copies)


def read_body(xml: bytes, targets: dict[str, str]) -> Reading:
    """Read a body rendered in memory (see render.docx.render_docx_body)."""
    document = etree.fromstring(xml)
    walker = _Walker(targets)
    walker.walk(document.find(_w("body")))
    return Reading({}, walker.paragraphs, [], [])


def _targets(root: etree._Element) -> dict[str, str]:
    return {rel.get("Id", ""): rel.get("Target", "") for rel in root if rel.get("Id")}


def _comments(root: etree._Element) -> dict[str, tuple[str, str]]:
    out = {}
    for comment in root.iter(_w("comment")):
        paragraphs = ["".join(t.text or "" for t in p.iter(_w("t"))) for p in comment.iter(_w("p"))]
        out[comment.get(_w("id"), "")] = (comment.get(_w("author"), ""), "\n".join(paragraphs))
    return out


def _properties(root: etree._Element) -> dict[str, str]:
    out = {}
    for prop in root.iter(f"{{{_CUSTOM}}}property"):
        value = next(iter(prop), None)
        if value is not None and value.tag == f"{{{_VT}}}lpwstr":
            out[prop.get("name", "")] = value.text or ""
    return out


def mark_field(name: str) -> tuple[str, str | int | None] | None:
    """("field", path) for a field mark, ("cite", path + index), ("chips", part + letters)."""
    name = re.sub(rf"{CONTINUED}\d+$", "", _COPY.sub("", name))
    for prefix, kind in ((FIELD_MARK, "field"), (CITE_MARK, "cite"), (CHIPS_MARK, "chips")):
        if name.startswith(prefix):
            return kind, path_of_mark(name[len(prefix) :])
    return None


def legacy_marks(reading: Reading, printed: Reading) -> Reading:
    """*reading* with the paths of marks written before "_" in a name was written "__" (where
    "change_note" read back as "change.note") taken for the printed paths they can only be."""
    known = set(printed.fields())
    legacy: dict[str, str | None] = {}
    for path in known:
        old = path.replace("_", ".")
        legacy[old] = None if old in legacy else path  # two paths one old name: not taken
    renames = {
        path: new
        for path in reading.fields()
        if path not in known and (new := legacy.get(path.split("~", 1)[0])) is not None
    }
    if not renames:
        return reading

    def to(path: str | None) -> str | None:
        if path is None or path in known:
            return path
        base, tilde, copy = path.partition("~")
        return renames.get(base, base) + tilde + copy if base in renames else path

    for para in reading.paragraphs:
        para.segments = [(to(path), run) for path, run in para.segments]
        para.marks = [to(mark) or mark for mark in para.marks]
    for revision in reading.revisions:
        revision.field = to(revision.field)
    for comment in reading.comments:
        comment.field = to(comment.field)
    reading.copies = {to(copy) or copy: to(path) or path for copy, path in reading.copies.items()}
    return reading


class _Walker:
    """Reads the body in order, keeping the field marks open at each point."""

    def __init__(self, targets: dict[str, str]) -> None:
        self.targets = targets
        self.paragraphs: list[Para] = []
        self.open = _OpenMarks()
        self.style = ""
        self.heading = ""
        self.changes: dict[etree._Element, tuple[str, str, list[tuple[str | None, str]], Para]] = {}
        self.comment_places: dict[str, tuple[str | None, str]] = {}
        self.tables = 0
        self.names: set[str] = set()  # the field and citation marks started so far
        self.copies: dict[str, str] = {}
        self.copy_of: dict[str, str] = {}  # original path → the copy of it open last
        self.generated_table: int | None = None
        # the citation each internal link is: LibreOffice moves a bookmark's end one
        # character back for each comment before it in the paragraph, so a citation's mark
        # may end inside its "[1]"; the whole link is the citation
        self.link_cites: dict[etree._Element, int] = {}

    def walk(
        self, element: etree._Element | None, cell: tuple[int, int, int] | None = None
    ) -> None:
        if element is None:
            return
        for child in element:
            name = etree.QName(child).localname
            if name == "p":
                self.paragraph(child, cell)
            elif name == "tbl":
                self.table(child)
            elif name in ("sdt", "sdtContent", "customXml", "ins", "del", "moveTo", "moveFrom"):
                self.walk(child, cell)
            elif name in ("bookmarkStart", "bookmarkEnd"):
                self.bookmark(child)

    def table(self, table: etree._Element) -> None:
        self.tables += 1
        number = self.tables
        for row_index, row in enumerate(table.iter(_w("tr"))):
            if (
                row.getparent() is not table
                and etree.QName(row.getparent()).localname != "sdtContent"
            ):
                continue  # a row of a nested table is read with that table
            for column, cell in enumerate(row.findall(_w("tc"))):
                self.walk(cell, (number, row_index, column))

    def bookmark(self, element: etree._Element) -> None:
        ident = element.get(_w("id"), "")
        if etree.QName(element).localname == "bookmarkEnd":
            self.open.close(ident)
            return
        self.open.start(ident, *self.named(element))

    def named(self, element: etree._Element) -> tuple[str, str]:
        """The kind and path of a bookmark's mark ("" for none); a copy of a field's mark
        gets a path of its own (see Reading.copies), and the citations in it are its."""
        name = element.get(_w("name"), "")
        found = mark_field(name)
        if found is None:
            return "", ""
        kind, path = found[0], str(found[1])
        copied = bool(_COPY.search(name)) or name in self.names
        self.names.add(name)
        if kind == "field" and copied:
            copy = COPY_PATH.format(path=path, n=len(self.copies) + 1)
            self.copies[copy] = path
            self.copy_of[path] = copy
            return kind, copy
        if kind == "cite":
            owner, _, index = path.rpartition(".")
            if owner in self.copy_of and self.open.current()[0] == self.copy_of[owner]:
                return kind, f"{self.copy_of[owner]}.{index}"
        return kind, path

    def current(self) -> tuple[str | None, int | None]:
        """The innermost field open here, and the citation of it open here."""
        return self.open.current()

    def paragraph(self, element: etree._Element, cell: tuple[int, int, int] | None) -> None:
        style_element = element.find(f"{_w('pPr')}/{_w('pStyle')}")
        style = style_element.get(_w("val"), "") if style_element is not None else ""
        if style != self.style:
            # a field whose end mark an editor lost (LibreOffice drops it when Enter splits
            # the paragraph) ends where the style it started in does, instead of taking in
            # the rest of the document
            self.open.clear()
        self.style = style
        para = Para(len(self.paragraphs) + 1, style, self.heading, cell=cell)
        self.paragraphs.append(para)
        chips: list[str] = []
        pending: list[str] = []  # comments starting here, waiting for the field of a run
        for node in element.iter():
            if node is element or not isinstance(node.tag, str) or _skipped(node, element):
                continue
            name = etree.QName(node).localname
            if name == "bookmarkStart":
                kind, path = self.named(node)
                self.open.start(node.get(_w("id"), ""), kind, path)
                if kind == "chips":
                    chips = _chip_fields(path)
                elif kind == "field":
                    para.marks.append(path)
                elif node.get(_w("name")) == CHANGES_ANCHOR and cell is not None:
                    self.generated_table = cell[0]
            elif name == "bookmarkEnd":
                self.bookmark(node)
            elif name == "commentRangeStart":
                pending.append(node.get(_w("id"), ""))
            elif name == "r":
                self.run(node, element, para, chips, pending)
        for ident in pending:
            self.comment_places[ident] = (self.current()[0], para.place)
        para.generated = cell is not None and cell[0] == self.generated_table
        if style.startswith(("Heading", "Title", "CalloutTitle")):
            self.heading = " ".join(para.text().split())[:80]

    def run(
        self,
        node: etree._Element,
        paragraph: etree._Element,
        para: Para,
        chips: list[str],
        pending: list[str],
    ) -> None:
        run = self._run(node, paragraph)
        if not run.text:
            return
        path, run.cite = self.current()
        link = _link_of(node, paragraph)
        if link is not None and run.href and run.href.startswith("#"):
            if run.cite is not None:
                self.link_cites.setdefault(link, run.cite)
            run.cite = self.link_cites.get(link, run.cite)
        if run.style and run.style.startswith("Tag"):
            path = self._chip_field(para, chips, run.style)
        for ident in pending:
            self.comment_places[ident] = (path, para.place)
        pending.clear()
        para.segments.append((path, run))
        change = _change_of(node, paragraph)
        if run.was is not None:  # a tracked formatting change of this run
            change = node.find(f"{_w('rPr')}/{_w('rPrChange')}")
        if change is not None:
            key = change
            kind = CHANGE_NAMES[etree.QName(change).localname]
            author = change.get(_w("author"), "")
            entry = self.changes.setdefault(key, (kind, author, [], para))
            entry[2].append((path, run.text))

    def _chip_field(self, para: Para, chips: list[str], style: str) -> str | None:
        """The field of a chip run: the same chip as the run before it when that was a chip
        too (an edit may split a chip into runs); else the chip its style says (a likelihood
        chip has the style of its term, a confidence chip "TagConfidence"), else the next
        chip of the line's mark not yet seen."""
        previous = para.segments[-1] if para.segments else None
        if previous and previous[1].style and previous[1].style.startswith("Tag"):
            return previous[0]
        used = {p for p, r in para.segments if r.style and r.style.startswith("Tag")}
        left = [chip for chip in chips if chip not in used]
        kind = {"Tag": None, "TagConfidence": "confidence"}.get(style, "likelihood")
        for chip in left:
            if chip.endswith("." + (kind or "")) or (
                kind is None and not chip.endswith((".likelihood", ".confidence"))
            ):
                return chip
        return left[0] if left else None

    def _run(self, node: etree._Element, paragraph: etree._Element) -> Run:
        text = []
        for child in node:
            name = etree.QName(child).localname
            if name in ("t", "delText"):
                text.append(child.text or "")
            elif name == "tab":
                text.append("\t")
            elif name in ("br", "cr"):
                text.append("\n")
            elif name == "noBreakHyphen":
                text.append("\u2011")
        rpr = node.find(_w("rPr"))
        style = None
        if rpr is not None and rpr.find(_w("rStyle")) is not None:
            style = rpr.find(_w("rStyle")).get(_w("val"))
        change = _change_of(node, paragraph)
        old = rpr.find(f"{_w('rPrChange')}/{_w('rPr')}") if rpr is not None else None
        return Run(
            "".join(text),
            bold=_on(rpr, "b"),
            italic=_on(rpr, "i"),
            code=style == "Code",
            href=self._href(node, paragraph),
            change=_CHANGES[etree.QName(change).localname] if change is not None else None,
            style=style,
            was=(_on(old, "b"), _on(old, "i")) if old is not None else None,
        )

    def _href(self, node: etree._Element, paragraph: etree._Element) -> str | None:
        for ancestor in node.iterancestors():
            if ancestor is paragraph:
                break
            if etree.QName(ancestor).localname == "hyperlink":
                anchor = ancestor.get(_w("anchor"))
                if anchor:
                    return "#" + anchor
                return self.targets.get(ancestor.get(f"{{{R}}}id", ""))
        return None

    def revisions(self) -> list[Revision]:
        out = []
        for kind, author, pieces, para in self.changes.values():
            paths = [p for p, _t in pieces if p is not None]
            if not paths and len(para.fields) == 1:
                # typed beside a field's mark in a paragraph of that field alone (at its end,
                # after the mark closes): it is that field's text, as accepting it makes it
                paths = para.fields
            text = "".join(t for _p, t in pieces)
            out.append(Revision(kind, author, text, paths[0] if paths else None, para.place))
        return out


class _OpenMarks:
    """The field and citation marks open at a point of the body, in the order they opened.

    The innermost field is the one opened last; its citation is the last citation of that
    field opened after it. Both are found from heaps with entries dropped lazily when their
    mark has closed, so that a body whose marks are never closed (an editor lost their ends)
    is still read in time proportional to its size.
    """

    def __init__(self) -> None:
        self._live: dict[str, int] = {}  # bookmark id → the order number it opened with
        self._order = 0
        self._fields: list[tuple[int, str, str]] = []  # (-order, id, path)
        self._cites: dict[str, list[tuple[int, str, int]]] = {}  # path → [(-order, id, index)]

    def start(self, ident: str, kind: str, value: str) -> None:
        if kind == "field":
            self._order += 1
            self._live[ident] = self._order
            heapq.heappush(self._fields, (-self._order, ident, value))
        elif kind == "cite":
            owner, _, index = value.rpartition(".")
            if not _INDEX.fullmatch(index):
                return  # no citation this document could have: its text is the field's
            self._order += 1
            self._live[ident] = self._order
            heapq.heappush(self._cites.setdefault(owner, []), (-self._order, ident, int(index)))

    def close(self, ident: str) -> None:
        self._live.pop(ident, None)

    def clear(self) -> None:
        if self._live:
            self._live.clear()
            self._fields.clear()
            self._cites.clear()

    def current(self) -> tuple[str | None, int | None]:
        field = self._top(self._fields)
        if field is None:
            return None, None
        order, _ident, path = field
        cites = self._cites.get(path)
        cite = self._top(cites) if cites else None
        return path, cite[2] if cite is not None and -cite[0] > -order else None

    def _top(self, heap: list[Any]) -> Any:
        while heap and self._live.get(heap[0][1]) != -heap[0][0]:
            heapq.heappop(heap)  # closed, or opened again since
        return heap[0] if heap else None


def _link_of(node: etree._Element, paragraph: etree._Element) -> etree._Element | None:
    for ancestor in node.iterancestors():
        if ancestor is paragraph:
            return None
        if etree.QName(ancestor).localname == "hyperlink":
            return ancestor
    return None


def _chip_fields(value: str) -> list[str]:
    owner, _, letters = value.rpartition(".")
    return [f"{owner}.{_LETTER_FIELDS[letter]}" for letter in letters if letter in _LETTER_FIELDS]


def _skipped(node: etree._Element, paragraph: etree._Element) -> bool:
    for ancestor in node.iterancestors():
        if ancestor is paragraph:
            return False
        if etree.QName(ancestor).localname in _SKIPPED:
            return True
    return False


def _change_of(node: etree._Element, paragraph: etree._Element) -> etree._Element | None:
    for ancestor in node.iterancestors():
        if etree.QName(ancestor).localname in _CHANGES:
            return ancestor
        if ancestor is paragraph:
            break
    parent = paragraph.getparent()  # a paragraph inside a tracked block
    while parent is not None:
        if etree.QName(parent).localname in _CHANGES:
            return parent
        parent = parent.getparent()
    return None


def _on(rpr: etree._Element | None, tag: str) -> bool:
    if rpr is None:
        return False
    element = rpr.find(_w(tag))
    if element is None:
        return False
    return element.get(_w("val"), "true").lower() not in ("0", "false", "off", "none")
