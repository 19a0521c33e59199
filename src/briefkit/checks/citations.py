"""The inline citation syntax: ``[@id]`` or ``[@a; @b]`` in any text field of a brief."""

from __future__ import annotations

import re
from collections.abc import Iterator

CITATION = re.compile(r"\[@([^\]\s;]+)((?:\s*;\s*@[^\]\s;]+)*)\]")


def citations(text: str) -> Iterator[list[str]]:
    """Each ``[@a; @b]`` group in *text* as a list of ids."""
    for match in CITATION.finditer(text):
        yield [match.group(1), *re.findall(r"@([^\]\s;]+)", match.group(2))]
