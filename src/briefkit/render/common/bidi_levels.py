"""Embedding levels (Unicode Bidirectional Algorithm, UAX #9) of a paragraph's characters.

python-bidi wraps the Rust crate unicode-bidi, a complete implementation (isolates, bracket
pairs, overrides), but its Python API returns only the reordered string; the levels are read
from its debug output, whose shape is pinned with the dependency (python-bidi 0.6). A change in
that shape fails loudly here (and in the tests) rather than ordering text wrongly.
"""

from __future__ import annotations

import re

from briefkit.render.common.kept import memo

_LEVEL = re.compile(r"Level\(\n +(\d+),")
# explicit embeddings, overrides and isolates: a text that says its own structure keeps it
_EXPLICIT = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
FSI, PDI = "\u2068", "\u2069"


class BidiUnavailable(RuntimeError):
    """python-bidi's debug output is not what this module reads (a changed dependency)."""


def base_level(text: str) -> int:
    """0 when the first strong character of *text* is left to right (or there is none), else 1."""
    from bidi import get_base_level

    return int(get_base_level(text))


@memo(4096)
def levels(text: str, base: int, isolates: tuple[tuple[int, int], ...] = ()) -> tuple[int, ...]:
    """The embedding level of each character of *text* in a paragraph of level *base*, each
    range of *isolates* (start, end) treated as a first-strong isolate (FSI … PDI, UAX #9):
    a citation ``[1]`` after an Arabic word in English text is then a neutral between the
    word and the paragraph's text, and keeps the paragraph's direction and its logical side
    (alone it would be an Arabic number joined to the word's run). Kept for the process: a
    label recurs in a brief, and a brief is rebuilt (watch)."""
    isolates = tuple((a, b) for a, b in isolates if a < b)
    if not isolates or _EXPLICIT.intersection(text):
        return _levels(text, base)  # a text that says its own structure keeps it
    out: list[str] = []
    cursor = 0
    for start, end in isolates:  # in order, not overlapping: spans of one paragraph
        out.append(text[cursor:start] + FSI + text[start:end] + PDI)
        cursor = end
    out.append(text[cursor:])
    kept_at: list[int] = []  # where each character of *text* is in the marked text
    shift = 0
    marks = {start: 1 for start, _ in isolates}
    ends = {end - 1 for _, end in isolates}
    for index in range(len(text)):
        shift += marks.get(index, 0)
        kept_at.append(index + shift)
        if index in ends:
            shift += 1
    every = _levels("".join(out), base)
    return tuple(every[i] for i in kept_at)


@memo(4096)
def _levels(text: str, base: int) -> tuple[int, ...]:
    from bidi import get_display

    debug = str(get_display(text, base_dir="R" if base else "L", debug=True))
    start = debug.find("\n    levels: [")
    end = debug.find("\n    ],", start)  # absent when the list is empty: "levels: []"
    by_byte = [int(level) for level in _LEVEL.findall(debug, start, end)] if end > start else []
    encoded = text.encode("utf-8")
    if len(by_byte) != len(encoded):
        raise BidiUnavailable(
            "python-bidi's debug output changed; briefkit needs python-bidi 0.6 to order "
            "right-to-left text"
        )
    if len(encoded) == len(text):  # all ASCII: one byte a character
        return tuple(by_byte)
    # a character's level is its first byte's (UTF-8 continuation bytes are 10xxxxxx)
    return tuple(level for byte, level in zip(encoded, by_byte, strict=True) if byte & 0xC0 != 0x80)
