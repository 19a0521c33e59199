"""Text split into runs by the first font of a fallback chain that has each character."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from briefkit.render.common.kept import memo

# Whitespace that never splits a run, whatever the fonts cover.
_PLAIN_SPACE = frozenset(" \t\n\r")


def is_invisible(ch: str) -> bool:
    """Format characters (ZWJ, ZWNJ, direction marks, word joiner, soft hyphen…) and variation
    selectors: they steer shaping, joining and direction, and are never drawn as glyphs."""
    cp = ord(ch)
    return unicodedata.category(ch) == "Cf" or 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


def _follows(ch: str) -> bool:
    """Characters that belong to the run of the character before them: combining marks
    (vowel signs, accents) and invisible format characters must never start a run of their
    own, or shaping would see a mark without its base."""
    return unicodedata.category(ch) in ("Mn", "Mc", "Me") or is_invisible(ch)


def split_runs(text: str, coverages: Sequence[frozenset[int]]) -> list[tuple[str, int]]:
    """Split ``text`` into maximal runs, each with the index of the font in ``coverages`` (a
    fallback chain, the primary font first) that sets it.

    A character goes to the first font that covers it (the primary font when none does, where
    it prints as a box and ``check`` warns). Spaces, punctuation and symbols stay in the run
    they are in when its font has them, and so do combining marks and invisible format
    characters whatever the fonts cover. Joining the runs gives back ``text``.
    """
    if not text:
        return []
    if set(map(ord, text)) <= coverages[0]:
        return [(text, 0)]  # the common case, at C speed: the primary font has it all
    # every renderer splits the same texts again (frozensets cache their hashes)
    return list(_split_runs(text, tuple(coverages)))


@memo(16384)
def _split_runs(text: str, coverages: tuple[frozenset[int], ...]) -> tuple[tuple[str, int], ...]:
    # each distinct character is classified once: a text repeats few characters many times
    distinct = set(text)
    follows = {ch for ch in distinct if _follows(ch)}
    marks = {ch for ch in distinct if unicodedata.category(ch)[0] in "PSZ"}  # punctuation…
    first = {ch: next((i for i, c in enumerate(coverages) if ord(ch) in c), 0) for ch in distinct}

    def stays(ch: str, index: int) -> bool:
        """Spaces, and punctuation and symbols the font *index* has, stay in its run; so do
        combining marks and invisible format characters."""
        return ch in follows or ch in _PLAIN_SPACE or (ch in marks and ord(ch) in coverages[index])

    runs: list[tuple[list[str], int]] = []
    leading: list[str] = []  # spaces and punctuation before the first run: they join it
    for ch in text:
        if runs and stays(ch, runs[-1][1]):
            runs[-1][0].append(ch)
            continue
        if not runs and (ch in follows or ch in _PLAIN_SPACE or ch in marks):
            leading.append(ch)
            continue
        index = first[ch]
        if runs and runs[-1][1] == index:
            runs[-1][0].append(ch)
            continue
        if leading and not all(stays(c, index) for c in leading):
            runs.append((leading, _covering(leading, coverages)))
            leading = []
        if runs and runs[-1][1] == index:
            runs[-1][0].append(ch)
        else:
            runs.append(([*leading, ch], index))
        leading = []
    if leading:
        runs.append((leading, _covering(leading, coverages)))
    return tuple(("".join(chars), index) for chars, index in runs)


def _covering(chars: list[str], coverages: Sequence[frozenset[int]]) -> int:
    """The first font that has every visible one of *chars* (punctuation alone in a span, such
    as an Arabic comma between two links), else the primary font."""
    needed = {ord(c) for c in chars if c not in _PLAIN_SPACE and not _follows(c)}
    return next((i for i, covered in enumerate(coverages) if needed <= covered), 0)


def missing(text: str, *covered: frozenset[int]) -> list[str]:
    """Distinct characters of ``text`` that no set in ``covered`` has, in order of first
    appearance. Whitespace, control and invisible format characters are ignored: they are
    never drawn."""
    absent = set(map(ord, text))
    for chars in covered:
        absent = absent - chars  # at C speed; the set of the text is the small one
        if not absent:
            return []  # the common case: every character has a font
    found: dict[str, None] = {}
    for ch in text:
        if ch in found or ord(ch) not in absent:
            continue
        if ch.isspace() or unicodedata.category(ch) == "Cc" or is_invisible(ch):
            continue
        found[ch] = None
    return list(found)
