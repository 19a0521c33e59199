"""Which characters a family's font maps, read once and remembered on disk."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from briefkit.fonts.cache import RECIPE, fonts_dir, write_atomically
from briefkit.fonts.families import Family, family, font_file, reading, slug, version

if TYPE_CHECKING:
    pass


def codepoints(name: str) -> frozenset[int]:
    """The characters the family's upright font maps, remembered on disk per package version
    (reading the cmap of the 17 MB CJK font takes a noticeable fraction of a second) or font
    file content."""
    fam = family(name)
    return _codepoints(fam, version(fam))


def forget_coverage() -> None:
    """Forget the coverage read in this process (tests that change the cache use it)."""
    _codepoints.cache_clear()


@functools.cache
def _codepoints(fam: Family, version: str) -> frozenset[int]:
    stored = fonts_dir() / f"{slug(fam)}-{version}-r{RECIPE}.cmap.json"
    cached = _read_ranges(stored)
    if cached is not None:
        return cached
    from fontTools.ttLib import TTFont

    with reading(fam), TTFont(font_file(fam, italic=False), lazy=True) as font:
        covered = frozenset(font.getBestCmap() or ())
    data = {"family": fam.name, "ranges": _to_ranges(covered)}
    write_atomically(stored, json.dumps(data, separators=(",", ":")).encode("utf-8"))
    return covered


def _read_ranges(path: Path) -> frozenset[int] | None:
    """Codepoints stored by ``codepoints``; None when absent or unreadable."""
    try:
        ranges = json.loads(path.read_text(encoding="utf-8"))["ranges"]
        return frozenset(c for first, last in ranges for c in range(first, last + 1))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _to_ranges(covered: Iterable[int]) -> list[list[int]]:
    """Inclusive [first, last] runs of consecutive codepoints."""
    ranges: list[list[int]] = []
    for c in sorted(covered):
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return ranges
