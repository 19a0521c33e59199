"""The intermediate document: what a brief says, in order, with no styling.

The layout pass builds it from a Brief; each renderer turns it into its format using a Style.
Blocks carry a ``role`` naming the paragraph style they use, never fonts or colours.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from typing import Any, Literal

from briefkit.layout.digits import LATIN_DIGITS, in_digits


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text with uniform inline formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None  # "https://…" for links, "#anchor" for places in the document
    # Where the text comes from, for formats that mark it so that an edited copy can be read
    # back (``briefkit absorb``): the field's path in the brief, "signals.1.observation", and
    # for a citation or cross-reference its index among the field's ``[@…]`` groups.
    field: str | None = None
    cite: int | None = None


Inline = tuple[Span, ...]


def plain(text: str) -> Inline:
    return (Span(text),)


# Word keeps at most 255 characters of a document property; the other formats follow it.
MAX_PROPERTY_CHARS = 255


def property_text(text: str, limit: int = MAX_PROPERTY_CHARS) -> str:
    """*text* fit for a document property: cut at a word and marked with … when too long."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


def inline_text(spans: Inline) -> str:
    return "".join(span.text for span in spans)


@dataclass(frozen=True, slots=True)
class Tag:
    """A short labelled value printed as a chip, e.g. "Likely (55–80%)"."""

    text: str
    kind: str  # "likelihood", "confidence", "horizon", "trend", "direction", "magnitude", …
    key: str  # the vocabulary value, which styles colour by
    field: str | None = None  # the brief field it shows, "signals.0.likelihood" (see Span)


@dataclass(frozen=True, slots=True)
class Heading:
    level: int  # 1, 2 or 3; never skips a level
    text: Inline
    anchor: str
    number: int | None = None  # a numbered heading (signal 1, 2, …); Word numbers it itself
    number_text: str | None = None  # the number in the reader's digits ("٣"), else as is

    @property
    def numbered_text(self) -> Inline:
        """The text with its number typed in front, "1. Compute strain", for formats that do
        not number headings themselves."""
        if self.number is None:
            return self.text
        return (Span(f"{self.number_text or self.number}. "), *self.text)


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: Inline
    role: str = "body"
    label: str | None = None  # a run-in label printed before the text, e.g. "Observed"
    anchor: str | None = None


@dataclass(frozen=True, slots=True)
class TagLine:
    tags: tuple[Tag, ...]


@dataclass(frozen=True, slots=True)
class BulletList:
    items: tuple[Inline, ...]
    role: str = "bullet"


@dataclass(frozen=True, slots=True)
class ListItem:
    blocks: tuple[Block, ...]
    anchor: str | None = None


@dataclass(frozen=True, slots=True)
class NumberedList:
    """Items numbered from 1; ``prefix`` and ``suffix`` frame the number, e.g. "[" "]"."""

    items: tuple[ListItem, ...]
    prefix: str = ""
    suffix: str = "."


@dataclass(frozen=True, slots=True)
class Cell:
    blocks: tuple[Block, ...]
    shade: tuple[str, str] | None = None  # (colour group, key), e.g. ("direction", "negative")


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    width: float  # share of the text width; a table's widths add up to 1


@dataclass(frozen=True, slots=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    caption: str | None = None


@dataclass(frozen=True, slots=True)
class Callout:
    """A shaded box, e.g. the bottom line and key judgments on page one."""

    title: str
    blocks: tuple[Block, ...]
    anchor: str


@dataclass(frozen=True, slots=True)
class TitleBlock:
    title: str
    subtitle: str | None
    fields: tuple[tuple[str, str], ...]  # (label, value) pairs: date, version, authors, …
    # the brief fields the title, subtitle and each value show, where one does (see Span)
    title_field: str | None = None
    subtitle_field: str | None = None
    field_marks: tuple[str | None, ...] = ()


@dataclass(frozen=True, slots=True)
class Group:
    """Blocks that belong together: the opening (a heading, its chips) never ends a page
    without the first lines of the text after it; the rest may flow onto the next page."""

    blocks: tuple[Block, ...]


Block = (
    Heading | Paragraph | TagLine | BulletList | NumberedList | Table | Callout | TitleBlock | Group
)


@dataclass(frozen=True)
class Metadata:
    id: str
    title: str
    subject: str
    authors: tuple[str, ...]
    keywords: tuple[str, ...]
    language: str
    date: str  # ISO date; documents carry no wall-clock time
    version: str
    status: str
    draft: bool
    handling: str | None  # the banner text, e.g. "TLP:AMBER"
    tlp: str | None  # the TLP label when handling is one
    footer: str  # e.g. "v1.0 · DRAFT" (the id and revision are in the properties)
    revision: str | None = None  # git revision of the brief file, e.g. "1a2b3c4+dirty"
    # the reader's language: the page's direction and the words renderers print themselves
    direction: Literal["ltr", "rtl"] = "ltr"
    page_label: str = "Page {page} of {pages}"  # {page} and {pages} filled in on each page
    draft_mark: str = "DRAFT"
    category: str = "Executive brief"  # the Word document's category property
    handling_label: str = "Handling"  # what a screen reader calls the handling banner
    digits: str = LATIN_DIGITS  # the reader's ten digits ("٠١٢٣٤٥٦٧٨٩" for Arabic-Indic)

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"

    def number(self, value: int) -> str:
        """*value* in the reader's digits (list numbers, page numbers)."""
        return in_digits(str(value), self.digits)

    def page_text(self, page: int, pages: int) -> str:
        return self.page_label.format(page=self.number(page), pages=self.number(pages))

    # where the brief came from, recorded in the Word file for ``briefkit absorb``: its path
    # in the repository and the SHA-256 of the bytes it was built from
    source_path: str | None = None
    source_hash: str | None = None
    edition: str | None = None  # the name of the edition this document is, if one
    source: str | None = None  # the text of those bytes (a PDF can carry it: styles' pdf)


@dataclass(frozen=True)
class Document:
    metadata: Metadata
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    def spans(self) -> Iterator[Span]:
        """Every piece of text the document prints, as spans, in order.

        Plain strings (titles, table headers, tags, banner and footer) come as unformatted
        spans. Renderers choose fonts per span, so they measure coverage span by span too.
        """
        meta = self.metadata
        yield from (Span(text) for text in (meta.handling, meta.footer) if text)
        # page furniture drawn by the renderers: every digit a page number may use
        digits = "".join(meta.number(n) for n in range(10))
        yield Span(meta.page_label.format(page=digits, pages=""))
        if meta.draft:
            yield Span(meta.draft_mark)
        yield from self._block_spans

    @functools.cached_property
    def _block_spans(self) -> tuple[Span, ...]:  # every renderer asks: walked once
        return tuple(_spans(self.blocks))

    def headings(self) -> list[Heading]:
        found: list[Heading] = []

        def walk(blocks: tuple[Block, ...]) -> None:
            for block in blocks:
                if isinstance(block, Heading):
                    found.append(block)
                elif isinstance(block, Callout | Group):
                    walk(block.blocks)

        walk(self.blocks)
        return found


_NOT_TEXT = frozenset(
    {"anchor", "kind", "key", "role", "shade", "field", "cite"}
    | {"title_field", "subtitle_field", "field_marks"}
)


def _spans(value: Any) -> Iterator[Span]:
    if isinstance(value, Span):
        yield value
    elif isinstance(value, str):
        yield Span(value)
    elif isinstance(value, tuple):
        for item in value:
            yield from _spans(item)
    elif hasattr(value, "__dataclass_fields__"):
        for item in fields(value):
            if item.name not in _NOT_TEXT:
                yield from _spans(getattr(value, item.name))
