"""Inline markup in text fields → spans.

``**bold**``, ``*italic*``, ```code```, ``[text](https://…)`` and citations ``[@id]`` (one or
more ids, ``[@a; @b]``). Parsed once with markdown-it-py; raw HTML is text, never markup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from briefkit.checks.citations import CITATION, citations
from briefkit.checks.links import allowed_link, inline_parser
from briefkit.layout.document import Inline, Span

# Turns the ids of one citation group into the spans that print it, e.g. "[2, 3]".
CiteFormatter = Callable[[list[str]], Inline]


def parse_inline(text: str, cite: CiteFormatter | None = None) -> Inline:
    tokens = inline_parser().parseInline(text)
    spans: list[Span] = []
    bold = italic = 0
    href: str | None = None
    for token in tokens[0].children or [] if tokens else []:
        kind = token.type
        if kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            target = str(token.attrs.get("href", ""))
            # checked at load time; a link that slipped through is printed as plain text
            href = target if allowed_link(target) else None
        elif kind == "link_close":
            href = None
        elif kind == "code_inline":
            spans.append(Span(token.content, bold=bold > 0, italic=italic > 0, code=True))
        elif kind in {"softbreak", "hardbreak"}:
            spans.append(Span(" ", bold=bold > 0, italic=italic > 0, href=href))
        elif kind == "text":
            spans.extend(_text_spans(token.content, bold > 0, italic > 0, href, cite))
    return _merge(spans)


def _text_spans(
    text: str, bold: bool, italic: bool, href: str | None, cite: CiteFormatter | None
) -> list[Span]:
    if cite is None or "[@" not in text:
        return [Span(text, bold=bold, italic=italic, href=href)]
    out: list[Span] = []
    position = 0
    for match, ids in zip(CITATION.finditer(text), citations(text), strict=True):
        if match.start() > position:
            out.append(Span(text[position : match.start()], bold=bold, italic=italic, href=href))
        out.extend(cite(ids))
        position = match.end()
    if position < len(text):
        out.append(Span(text[position:], bold=bold, italic=italic, href=href))
    return out


def _same_format(a: Span, b: Span) -> bool:
    return (a.bold, a.italic, a.code, a.href, a.field, a.cite) == (
        b.bold,
        b.italic,
        b.code,
        b.href,
        b.field,
        b.cite,
    )


def _merge(spans: list[Span]) -> Inline:
    """Join neighbouring spans that format alike (markdown-it splits text at every '*')."""
    merged: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        if merged and _same_format(merged[-1], span):
            merged[-1] = replace(merged[-1], text=merged[-1].text + span.text)
            continue
        merged.append(span)
    return tuple(merged)
