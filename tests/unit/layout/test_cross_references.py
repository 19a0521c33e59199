"""A cross-reference "[@id]" names any numbered part by its number and links to it: the
parts registry says which parts those are, so a new numbered part needs no code here."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from briefkit.brief.parts import PARTS, Part
from briefkit.checks.loader import load_brief
from briefkit.layout.document import Block, Callout, ListItem, NumberedList, Paragraph, Span
from briefkit.layout.from_brief import layout

EXAMPLE = Path(__file__).parents[3] / "briefs" / "xai-anthropic-alliance.yaml"
NUMBERED = [part for part in PARTS if part.label and not part.cited]


def _spans(blocks: tuple[Block, ...]) -> Iterator[Span]:
    for block in blocks:
        if isinstance(block, Paragraph):
            yield from block.text
        elif isinstance(block, NumberedList):
            for item in block.items:
                yield from _spans(item.blocks)
        elif isinstance(block, ListItem | Callout):
            yield from _spans(block.blocks)


def test_the_registry_has_numbered_parts_to_refer_to() -> None:
    assert {part.name for part in NUMBERED} >= {"judgment", "signal", "question"}


@pytest.mark.parametrize("part", NUMBERED, ids=lambda part: part.name)
def test_a_reference_names_the_part_by_its_number_and_links_to_it(part: Part) -> None:
    brief = load_brief(EXAMPLE)
    items = part.items(brief)
    assert items, f"the example brief has no {part.plural}: add one to refer to"
    target = items[-1]
    question = brief.questions[0].model_copy(update={"why": f"Compare [@{target.id}]."})
    brief = brief.model_copy(update={"questions": [question, *brief.questions[1:]]})

    linked = [s for s in _spans(layout(brief).blocks) if s.href == f"#{part.anchor_of(target.id)}"]

    assert f"{part.noun} {len(items)}" in [s.text for s in linked]
