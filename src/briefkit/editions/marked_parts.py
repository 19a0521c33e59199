"""The parts of a brief that can carry a portion marking, and whether any does: apart from
:mod:`briefkit.editions.derive` so that checking a brief without markings loads neither it nor the
marking schemes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from briefkit.brief.model import Brief
from briefkit.brief.parts import PARTS
from briefkit.diagnostics import Loc


def uses_markings(brief: Brief) -> bool:
    """Whether any part carries a portion marking or the brief declares editions (else its
    ``handling`` is a free-text banner, as before markings)."""
    return bool(brief.editions) or any(p.handling for _, _, p in every_part(brief))


def every_part(brief: Brief) -> Iterator[tuple[str, Loc, Any]]:
    yield "summary", ("summary",), brief.summary
    for part in PARTS:
        for index, item in enumerate(part.items(brief)):
            yield part.name, (*part.location, index), item
