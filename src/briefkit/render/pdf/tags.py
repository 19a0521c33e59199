"""The logical structure of a briefkit PDF, recorded while reportlab draws it.

The writer makes an :class:`Element` for every block of the document IR as it makes the
block's flowables, so elements are made in document order whatever the page shows (a mirrored
page, a table's columns reversed). A paragraph that carries an element wraps what it paints in
``/P <</MCID n>> BDC … EMC`` (see :meth:`Tags.begin`); a paragraph split across pages gives its
element one MCID per page. A list item's number or bullet, which reportlab draws inside the
item's first paragraph, is cut out of that paragraph's content into the item's ``Lbl`` (see
:meth:`Tags.label`). Page furniture is wrapped as a pagination artifact by the canvas,
and whatever else is painted outside a tagged sequence (table fills and rules, chip boxes, the
title rule) becomes an artifact in :mod:`briefkit.render.pdf.tags_tree`, which writes the tree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from briefkit.render.common.scripts import Piece

# a marked-content reference: (page index, MCID); a link annotation: ("annot", page, index)
Kid = "Element | tuple[int, int] | tuple[str, int, int]"


@dataclass(eq=False, slots=True)
class Element:
    """A structure element: its standard type (``P``, ``H2``, ``TD``…), its kids in order."""

    type: str
    kids: list[Any] = field(default_factory=list)
    lang: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    once: bool = False  # a repeated table header: drawn again on a later page as an artifact
    links: dict[str, str] = field(default_factory=dict)  # a link's target -> its text
    drawn: bool = False
    # the Lbl of the list item whose number or bullet is drawn inside this element's content
    # (see Tags.label)
    label: Element | None = None

    def add(self, type_: str, **kwargs: Any) -> Element:
        child = Element(type_, **kwargs)
        self.kids.append(child)
        return child


PAGINATION = b"/Artifact <</Type /Pagination>> BDC"
# what reportlab writes before a paragraph's first glyphs that paints nothing: the graphics
# state saved and the origin moved
_NOT_PAINTING = re.compile(r"q|Q|[-+\d.eE ]+ cm|")


class Tags:
    """The elements of one document and the marked content drawn for them, page by page."""

    def __init__(self, lang: str | None) -> None:
        self.root = Element("Document", lang=lang)
        self._mcids: dict[int, int] = {}  # page index -> next MCID
        self._links: dict[int, int] = {}  # page index -> link annotations so far
        self._open: list[tuple[Element | None, int]] = []  # sequences open, with their page

    def _next_mcid(self, page: int) -> int:
        mcid = self._mcids.get(page, 0)
        self._mcids[page] = mcid + 1
        return mcid

    def begin(self, canvas: Any, element: Element | None) -> bool:
        """Open *element*'s marked content on *canvas*; False when nothing was opened (no
        element, or one already open: a list marker drawn inside its item)."""
        if element is None or self._open:
            return False
        page = canvas_page(canvas)
        if element.once and element.drawn:
            canvas._code.append(PAGINATION.decode())
            self._open.append((None, page))
            return True
        element.drawn = True
        mcid = self._next_mcid(page)
        element.kids.append((page, mcid))
        canvas._code.append(f"/{element.type} <</MCID {mcid}>> BDC")
        self._open.append((element, page))
        return True

    def end(self, canvas: Any) -> None:
        self._open.pop()
        canvas._code.append("EMC")

    @contextmanager
    def artifact(self, canvas: Any) -> Iterator[None]:
        """Paint an artifact (a rule under a heading) in the middle of an element's content:
        the element's sequence is closed around it and opened again with a new MCID."""
        if not self._open or self._open[-1][0] is None:
            yield
            return
        element, _ = self._open.pop()
        canvas._code.append("EMC")
        canvas._code.append("/Artifact BMC")
        try:
            yield
        finally:
            canvas._code.append("EMC")
            assert element is not None
            element.drawn = False
            self.begin(canvas, element)

    @contextmanager
    def label(self, canvas: Any) -> Iterator[bool]:
        """Paint a list item's number or bullet as the content of the item's ``Lbl``; True
        when it is one. reportlab draws it inside the content of the item's first paragraph
        (the ``LBody``, or the first ``P`` in it): that sequence is closed around it and
        opened again with a new MCID, as around an artifact; when it has painted nothing yet
        (the number comes first), its MCID is the label's instead."""
        element = self._open[-1][0] if self._open else None
        label = element.label if element is not None else None
        if element is None or label is None or label.drawn:
            yield False
            return
        _, page = self._open.pop()
        code = canvas._code
        kid = next(k for k in reversed(element.kids) if isinstance(k, tuple) and k[0] == page)
        opened = f"/{element.type} <</MCID {kid[1]}>> BDC"
        start = len(code) - 1 - code[::-1].index(opened) if opened in code else -1
        if start >= 0 and all(_NOT_PAINTING.fullmatch(entry) for entry in code[start + 1 :]):
            del code[start]
            element.kids.remove(kid)
            mcid = kid[1]
        else:
            code.append("EMC")
            mcid = self._next_mcid(page)
        label.kids.append((page, mcid))
        label.drawn = True
        code.append(f"/{label.type} <</MCID {mcid}>> BDC")
        try:
            yield True
        finally:
            code.append("EMC")
            element.drawn = False
            self.begin(canvas, element)

    def link_text(self, target: str) -> str:
        """What the link to *target* drawn now says (a link annotation's description)."""
        element = self._open[-1][0] if self._open else None
        text = element.links.get(target) if element is not None else None
        return " ".join((text or target).split()) or target

    def annotation(self, canvas: Any) -> None:
        """A link annotation made while drawing: a ``Link`` element in the open element."""
        page = canvas_page(canvas)
        index = self._links.get(page, 0)
        self._links[page] = index + 1
        open_element = self._open[-1][0] if self._open else None
        parent = open_element or self.root
        parent.add("Link").kids.append(("annot", page, index))


def language_of(pieces: Iterable[Piece], document: str) -> str | None:
    """The language of text split into *pieces* when it differs from the *document*'s: text
    whose letters are all in one other script (an Arabic quote in an English brief)."""
    found = (
        {
            piece.language[1]
            for piece in pieces
            if any(ch.isalpha() for ch in piece.text) and piece.language
        }
        if all(piece.language or not any(ch.isalpha() for ch in piece.text) for piece in pieces)
        else set()
    )
    if len(found) != 1:
        return None
    (language,) = found
    if language.split("-")[0].lower() == document.split("-")[0].lower():
        return None
    return language


def with_artifacts(code: list[str]) -> list[str]:
    """A page's content (reportlab's list of operator strings, each a whole graphics object
    or state change) with every run of entries outside marked content made an artifact:
    table fills and rules, chip boxes, the title rule. Done on the strings, not on a parsed
    stream: parsing every page's content again doubled the time of a build."""
    out: list[str] = []
    depth = 0
    run_start: int | None = None  # where the run outside marked content begins in *out*
    for entry in code:
        if entry == "EMC":
            depth -= 1
        elif entry.endswith(("BDC", "BMC")) and entry.startswith("/"):
            if depth == 0 and run_start is not None:
                out.insert(run_start, "/Artifact BMC")
                out.append("EMC")
                run_start = None
            depth += 1
        elif depth == 0 and run_start is None and entry:
            run_start = len(out)
        out.append(entry)
    if run_start is not None:
        out.insert(run_start, "/Artifact BMC")
        out.append("EMC")
    return out


def canvas_page(canvas: Any) -> int:
    """The index of the page *canvas* is drawing (briefkit's canvas keeps pages until save)."""
    return len(getattr(canvas, "_pages", ()))


def tags_of(canvas: Any) -> Tags | None:
    return getattr(canvas, "_briefkit_tags", None)


@contextmanager
def marked(canvas: Any, element: Element | None) -> Iterator[None]:
    """Wrap what is painted in the block on *canvas* in *element*'s marked content."""
    tags = tags_of(canvas)
    opened = tags is not None and tags.begin(canvas, element)
    try:
        yield
    finally:
        if opened:
            assert tags is not None
            tags.end(canvas)


@contextmanager
def label(canvas: Any) -> Iterator[bool]:
    """Paint a list item's number or bullet on *canvas* as its ``Lbl`` (:meth:`Tags.label`);
    True when it is one."""
    tags = tags_of(canvas)
    if tags is None:
        yield False
        return
    with tags.label(canvas) as labelled:
        yield labelled


@contextmanager
def artifact(canvas: Any) -> Iterator[None]:
    tags = tags_of(canvas)
    if tags is None:
        yield
        return
    with tags.artifact(canvas):
        yield
