"""Split very long paragraphs (and words) before a renderer sees them, so layout stays linear.

reportlab breaks a paragraph into lines by popping words off the front of a list (quadratic in
the number of words), and each time a paragraph continues on the next page it breaks all that
is left again (quadratic in the number of pages): a 400 KB bottom line took minutes. Pieces of
at most :data:`PIECE_CHARS` characters keep both costs proportional to the text's length.

Real paragraphs are far shorter than :data:`LONG_CHARS`, so their documents do not change.
A longer one becomes several paragraphs, cut at a sentence end where there is one, else at a
space, else (one enormous word) anywhere; the text and its formatting are kept, in both formats.
"""

from __future__ import annotations

import re
from dataclasses import replace

from briefkit.layout.document import (
    Block,
    Callout,
    Group,
    Inline,
    NumberedList,
    Paragraph,
    Span,
    Table,
)

LONG_CHARS = 8000  # a paragraph longer than this is split…
PIECE_CHARS = 3000  # …into pieces of at most this many characters
_SENTENCE_END = re.compile(r"[.!?。！？]\s+")


def split_long_paragraphs(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """*blocks* with every paragraph over LONG_CHARS characters split into pieces."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out += _split_paragraph(block)
        elif isinstance(block, Callout | Group):
            out.append(replace(block, blocks=split_long_paragraphs(block.blocks)))
        elif isinstance(block, NumberedList):
            items = tuple(
                replace(item, blocks=split_long_paragraphs(item.blocks)) for item in block.items
            )
            out.append(replace(block, items=items))
        elif isinstance(block, Table):
            rows = tuple(
                tuple(replace(cell, blocks=split_long_paragraphs(cell.blocks)) for cell in row)
                for row in block.rows
            )
            out.append(replace(block, rows=rows))
        else:
            out.append(block)
    return tuple(out)


def _split_paragraph(paragraph: Paragraph) -> list[Paragraph]:
    if sum(len(span.text) for span in paragraph.text) <= LONG_CHARS:
        return [paragraph]
    pieces = split_inline(paragraph.text)
    first = replace(paragraph, text=pieces[0])
    rest = [Paragraph(piece, role=paragraph.role) for piece in pieces[1:]]
    return [first, *rest]


def split_inline(text: Inline, limit: int = PIECE_CHARS) -> list[Inline]:
    """*text* cut into runs of spans of at most *limit* characters each."""
    flat = "".join(span.text for span in text)
    cuts = _cut_points(flat, limit)
    pieces: list[Inline] = []
    start = 0
    for end in [*cuts, len(flat)]:
        piece = _slice(text, start, end)
        if piece:
            pieces.append(piece)
        start = end
    return pieces


def _cut_points(text: str, limit: int) -> list[int]:
    """Offsets to cut *text* at: after a sentence end, else after a space, else anywhere."""
    cuts = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        # prefer the last sentence end in the second half of the window, then the last space
        sentence = None
        for match in _SENTENCE_END.finditer(window, limit // 2):
            sentence = match.end()
        space = window.rfind(" ", limit // 2)
        cut = sentence or (space + 1 if space > 0 else limit)
        start += cut
        cuts.append(start)
    return cuts


def _slice(text: Inline, start: int, end: int) -> Inline:
    """The spans of *text* covering characters start..end, leading and trailing spaces off."""
    out: list[Span] = []
    offset = 0
    for span in text:
        low, high = max(start, offset), min(end, offset + len(span.text))
        if low < high:
            out.append(replace(span, text=span.text[low - offset : high - offset]))
        offset += len(span.text)
    if out:
        out[0] = replace(out[0], text=out[0].text.lstrip())
        out[-1] = replace(out[-1], text=out[-1].text.rstrip())
    return tuple(span for span in out if span.text)
