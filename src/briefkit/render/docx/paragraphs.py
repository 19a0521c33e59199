"""Paragraphs and runs in the named styles: labels, inline formatting, hyperlinks, bookmarks."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from briefkit.layout import document as d
from briefkit.render.common.language import differs
from briefkit.render.common.scripts import Piece, Scripts, starts_right_to_left, word_name
from briefkit.render.docx.ooxml import XML_SPACE, el, put, sub, twips
from briefkit.render.docx.styles import LIST_INDENT, bullet_hanging, style_role
from briefkit.style.sheet import Style

_SECT_PR = qn("w:sectPr")

LABEL_GAP = "\u2002"  # en space between a run-in label and its text

# Field marks: what each run shows of the brief, for `briefkit absorb` to read an edited copy
# back. They are bookmarks, not content controls: LibreOffice 7.4 drops block-level content
# controls (w:sdt around paragraphs) and the tag of inline ones when it saves a .docx, while
# it keeps bookmarks, their names and their places through editing and saving, and so does
# Word. Names starting with "_" are hidden bookmarks: Word lists them only on request.
# "_F_signals_1_observation" marks a field (its path with "_" for ".", and "__" for a "_" in
# a name: "_F_signals_1_change__note", see mark_path); "_C_…_2" the third
# citation or cross-reference in it; a field split over several paragraphs (see longtext)
# has one mark per paragraph, the later ones suffixed "_c2", "_c3"…
#
# A line of chips is marked differently: LibreOffice sets chips (runs with a border) a little
# further apart when a bookmark stands between them, so one empty bookmark at the start of the
# line names the fields its chips show in order, one letter each: "_T_signals_0_LCHT" is the
# likelihood, confidence, horizon and trend of signals.0. A chip is a run in a "Tag…" style.
FIELD_MARK = "_F_"
CITE_MARK = "_C_"
CHIPS_MARK = "_T_"
CONTINUED = "_c"
CHIP_LETTERS = {"likelihood": "L", "confidence": "C", "horizon": "H", "trend": "T"}


def mark_path(path: str) -> str:
    """*path* in a bookmark name (letters, digits and "_" only): "." as "_", "_" as "__"."""
    return path.replace("_", "__").replace(".", "_")


def path_of_mark(name: str) -> str:
    """The path *name* was made from by mark_path."""
    return re.sub("__?", lambda m: "_" if m.group() == "__" else ".", name)


def field_mark(field: str) -> str:
    return FIELD_MARK + mark_path(field)


def chips_mark(fields: list[str]) -> str | None:
    """The mark of a line of chips showing *fields* (all of one part); None when it cannot
    say them (a field with no letter, or of another part)."""
    owners = {field.rsplit(".", 1)[0] for field in fields}
    names = [field.rsplit(".", 1)[1] for field in fields]
    if len(owners) != 1 or any(name not in CHIP_LETTERS for name in names):
        return None
    letters = "".join(CHIP_LETTERS[name] for name in names)
    return f"{CHIPS_MARK}{mark_path(owners.pop())}_{letters}"


def cite_mark(field: str, index: int) -> str:
    return f"{CITE_MARK}{mark_path(field)}_{index}"


@dataclass(frozen=True)
class Place:
    """Where blocks go: the body or a table cell, its width and the list indent around it."""

    parent: BaseOxmlElement
    width: float
    indent: float = 0.0
    in_cell: bool = False  # page breaks inside a table cell are the table's affair

    def add(self, element: BaseOxmlElement) -> BaseOxmlElement:
        # The body's section properties are its last child: look there first, rather than
        # search every child for them on every insertion (quadratic in a long brief).
        try:
            last = self.parent[-1]
        except IndexError:
            last = None
        if last is not None and last.tag == _SECT_PR:
            last.addprevious(element)
        else:
            self.parent.insert_element_before(element, "w:sectPr")
        return element

    def indented(self, extra: float) -> Place:
        return Place(self.parent, self.width - extra, self.indent + extra, self.in_cell)

    def inside(self, cell: BaseOxmlElement, width: float) -> Place:
        return Place(cell, width, in_cell=True)


class Paragraphs:
    """Writes paragraphs and runs into a document, and keeps its hyperlinks and bookmarks."""

    def __init__(
        self,
        word: Any,
        style: Style,
        keeping: set[str],
        *,
        rtl: bool = False,
        language: str = "en",
    ) -> None:
        self.word = word
        self.style = style
        self.rtl = rtl  # the page is mirrored: every paragraph style runs right to left
        self.language = language  # the document's: a run in another one says its own
        self.keeping = keeping  # paragraph styles that keep with the next paragraph
        self.bookmarks: dict[str, str] = {}  # anchor → its bookmark's name
        self._bookmark_names: set[str] = set()  # the names given so far
        self.placed: set[str] = set()
        self.bookmark_ids = itertools.count(1)
        self.marks: set[str] = set()
        self.scripts = Scripts(style)

    def paragraph(
        self,
        place: Place,
        style_id: str,
        spans: d.Inline,
        *,
        label: str | None = None,
        anchor: str | None = None,
        list_item: bool = False,
    ) -> BaseOxmlElement:
        paragraph = place.add(el("p"))
        ppr = sub(paragraph, "pPr")
        if place.indent and style_id == "Normal" and place.indent == LIST_INDENT:
            style_id = "ListContinue"
        put(ppr, el("pStyle", val=style_id))
        if place.in_cell and style_id in self.keeping and style_id != "TagLine":
            # Inside a cell it would keep the whole row (LibreOffice: the whole box) together;
            # chips, the last line of a part, keep it with what follows (a row, the legend).
            put(ppr, el("keepNext", val=0))
        if place.indent and style_id != "ListContinue":
            self._indent(ppr, style_id, place.indent, list_item)
        rtl = starts_right_to_left(d.inline_text(spans))
        if not self.rtl and rtl:
            put(ppr, el("bidi"))
        elif self.rtl and style_id == "Quote" and not rtl:  # a quote keeps its own direction
            put(ppr, el("bidi", val=0))
        if label:
            paragraph.append(self.run(label, style="Label"))
            paragraph.append(self.run(LABEL_GAP))
        self.inline(paragraph, spans)
        if anchor:
            self.bookmark(paragraph, anchor)
        return paragraph

    def _indent(self, ppr: BaseOxmlElement, style_id: str, extra: float, list_item: bool) -> None:
        if list_item:
            left, hanging = LIST_INDENT + extra, LIST_INDENT
        elif style_id == "ListBullet":
            spec = self.style.paragraph("bullet")
            left, hanging = spec.indent + extra, bullet_hanging(spec)
        else:
            role = style_role(style_id)
            left, hanging = self.style.paragraph(role).indent + extra, 0.0
        put(ppr, el("ind", left=twips(left), hanging=twips(hanging)))

    def inline(self, paragraph: BaseOxmlElement, spans: d.Inline) -> None:
        link: BaseOxmlElement | None = None
        link_href: str | None = None
        field_open: tuple[str | None, int | None] = (None, None)
        marks: list[int] = []  # ids of the open marks: the field's, then the citation's
        for span in spans:
            if not span.text:
                continue
            if (span.field, span.cite) != field_open:
                self._remark(paragraph, marks, field_open, span)
                field_open = (span.field, span.cite)
                link = link_href = None
            runs = [
                self.run(
                    piece.text,
                    style="Hyperlink" if span.href else ("Code" if span.code else None),
                    bold=span.bold,
                    italic=span.italic,
                    mono=span.code and bool(span.href),
                    piece=piece,
                )
                for piece in self.scripts.pieces(span.text)
            ]
            if span.href is None:
                link = link_href = None
                paragraph.extend(runs)
                continue
            if link is None or link_href != span.href:
                link, link_href = self.hyperlink(span.href), span.href
                paragraph.append(link)
            link.extend(runs)
        for ident in reversed(marks):
            paragraph.append(el("bookmarkEnd", id=ident))

    def _remark(
        self,
        paragraph: BaseOxmlElement,
        marks: list[int],
        previous: tuple[str | None, int | None],
        span: d.Span,
    ) -> None:
        """Close the marks *previous* opened that *span* is not in; open those it is in."""
        same_field = previous[0] == span.field
        keep = 1 if same_field and previous[0] is not None else 0
        while len(marks) > keep:
            paragraph.append(el("bookmarkEnd", id=marks.pop()))
        if span.field is None:
            return
        if not same_field:
            marks.append(self.open_mark(paragraph, field_mark(span.field)))
        if span.cite is not None:
            marks.append(self.open_mark(paragraph, cite_mark(span.field, span.cite)))

    def open_mark(self, paragraph: BaseOxmlElement, name: str) -> int:
        """Start a field mark named *name* (made unique) at the end of *paragraph*."""
        unique, count = name, 1
        while unique in self.marks:
            count += 1
            unique = f"{name}{CONTINUED}{count}"
        self.marks.add(unique)
        ident = next(self.bookmark_ids)
        paragraph.append(el("bookmarkStart", id=ident, name=unique))
        return ident

    def run(
        self,
        text: str,
        *,
        style: str | None = None,
        bold: bool = False,
        italic: bool = False,
        mono: bool = False,
        piece: Piece | None = None,
    ) -> BaseOxmlElement:
        run = el("r")
        if piece is None:  # a label, chip or banner: one run, in the fonts its scripts need
            piece = self.scripts.whole(text)
        language = piece.language
        if language is not None and not differs(language[1], self.language):
            language = None
        scripted = bool(piece.family or piece.rtl or language)
        upright = piece.upright
        if style or bold or italic or mono or scripted or upright:
            rpr = sub(run, "rPr")
            if style:
                put(rpr, el("rStyle", val=style))
            if piece is not None and piece.family:
                family = word_name(piece.family)
                if piece.east_asian:
                    # w:cs too: LibreOffice sets CJK punctuation (《》) between right-to-left
                    # text in the complex-script font, which has no glyph for it.
                    put(rpr, el("rFonts", eastAsia=family, cs=family, hint="eastAsia"))
                else:
                    put(rpr, el("rFonts", ascii=family, hAnsi=family, cs=family))
            elif mono:
                family = self.style.fonts.mono
                put(rpr, el("rFonts", ascii=family, hAnsi=family, cs=family))
            if bold:
                put(rpr, el("b"))
                put(rpr, el("bCs"))
            if upright:  # a script with no italic: upright even in an italic style (quotes)
                put(rpr, el("i", val=0))
                put(rpr, el("iCs", val=0))
            elif italic:
                put(rpr, el("i"))
                put(rpr, el("iCs"))
            if piece is not None and piece.rtl:
                put(rpr, el("rtl"))
            if language is not None:
                slot, tag = language
                put(rpr, el("lang", **{slot: tag}))
        _add_text(run, text)
        return run

    def hyperlink(self, href: str) -> BaseOxmlElement:
        if href.startswith("#"):
            return el("hyperlink", anchor=self.bookmark_name(href[1:]), history=1)
        r_id = self.word.part.relate_to(_uri(href), RT.HYPERLINK, is_external=True)
        return el("hyperlink", r_id=r_id, history=1)

    def bookmark_name(self, anchor: str) -> str:
        """A valid Word bookmark name (letters, digits, _; at most 40) for *anchor*."""
        if anchor not in self.bookmarks:
            base = re.sub(r"\W", "_", anchor, flags=re.ASCII)
            if not base[:1].isalpha():
                base = "bk_" + base
            name, counter = base[:40], 1
            while name in self._bookmark_names:
                counter += 1
                name = f"{base[: 40 - len(str(counter)) - 1]}_{counter}"
            self.bookmarks[anchor] = name
            self._bookmark_names.add(name)
        return self.bookmarks[anchor]

    def bookmark(self, paragraph: BaseOxmlElement, anchor: str) -> None:
        if anchor in self.placed:
            return
        self.placed.add(anchor)
        ident = next(self.bookmark_ids)
        start = el("bookmarkStart", id=ident, name=self.bookmark_name(anchor))
        paragraph.find(qn("w:pPr")).addnext(start)
        paragraph.append(el("bookmarkEnd", id=ident))


def _uri(href: str) -> str:
    """*href* as a valid URI: Word rejects a relationship target with spaces, ``<`` or ``"``."""
    return quote(href, safe=":/?#[]@!$&'()*+,;=%~")


def _add_text(run: BaseOxmlElement, text: str) -> None:
    for index, line in enumerate(text.split("\n")):
        if index:
            sub(run, "br")
        for part_index, part in enumerate(line.split("\t")):
            if part_index:
                sub(run, "tab")
            if part:
                element = sub(run, "t")
                element.text = part
                if part != part.strip():
                    element.set(XML_SPACE, "preserve")
