"""The parts of a brief, described once: what each is called, where it lives in the YAML,
how the documents number and anchor it, how it is named in a cross-reference, and how a
summary of changes ranks it. References, layout and the semantic diff read this table, so a
new kind of part is one line here (and its model)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Loc = tuple[str, ...]


@dataclass(frozen=True)
class Part:
    name: str  # as in messages and ids' kinds: "judgment"
    noun: str  # how a document names one: "key judgment"
    plural: str  # "key judgments"
    location: Loc  # where the list is in a brief: ("summary", "judgments")
    anchor: str  # its place in the documents, with {id} and {n}: "judgment-{id}"
    label: str  # how one is numbered, with {n}: "{n}", "[{n}]", "E{n}"; "" when unnumbered
    tier: int  # rank in a summary of changes, most important first

    def anchor_of(self, ident: str, number: int | None = None) -> str:
        return self.anchor.format(id=ident, n=number)

    def numbered(self, number: int | None) -> str:
        """ "key judgment 2", "source [3]", "evidence E4"; the bare noun without a number."""
        if number is None or not self.label:
            return self.noun
        return f"{self.noun} {self.label.format(n=number)}"

    def items(self, brief: Any) -> Sequence[Any]:
        """The brief's list of these parts (a model or plain data)."""
        node = brief
        for key in self.location:
            node = node.get(key, []) if isinstance(node, dict) else getattr(node, key)
        return node or []


PARTS: tuple[Part, ...] = (
    Part(
        "judgment",
        "key judgment",
        "key judgments",
        ("summary", "judgments"),
        "judgment-{id}",
        "{n}",
        0,
    ),
    Part("signal", "signal", "signals", ("signals",), "signal-{id}", "{n}", 1),
    Part("stakeholder", "stakeholder", "stakeholders", ("stakeholders",), "stakeholders", "", 1),
    Part("question", "question", "questions", ("questions",), "question-{id}", "{n}", 2),
    Part("source", "source", "sources", ("sources",), "source-{n}", "[{n}]", 5),
    Part("evidence", "evidence", "evidence", ("evidence",), "evidence-{id}", "E{n}", 5),
)
BY_NAME = {part.name: part for part in PARTS}
