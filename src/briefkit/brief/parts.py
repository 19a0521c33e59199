"""The parts of a brief, described once: what each is called, where it lives in the YAML,
how the documents number and anchor it, how it is named in a cross-reference, and how a
summary of changes ranks it. References, layout, the messages, absorb and the semantic diff
read this table, so a new kind of part is one line here (and its model, and its layout)."""

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
    model: (
        str  # its class in briefkit.brief.model (by name: the model is imported only when needed)
    )
    cited: bool = False  # printed as a citation "[n]" rather than a cross-reference by name
    heading: str = ""  # the English heading of its section ("section.<key>"); "" for none

    def anchor_of(self, ident: str, number: int | None = None) -> str:
        return self.anchor.format(id=ident, n=number)

    def numbered(self) -> str | None:
        """The English message of one with its number: "key judgment {n}", "source [{n}]";
        None when unnumbered."""
        return f"{self.noun} {self.label}" if self.label else None

    @property
    def heading_key(self) -> str:
        """The message key of its section's heading: "section.signals"."""
        return f"section.{self.location[-1]}"

    @property
    def section(self) -> str:
        """How a summary of changes heads its changes: "Key judgments"."""
        return self.plural[:1].upper() + self.plural[1:]

    def model_class(self) -> type[Any]:
        from briefkit.brief import model

        return getattr(model, self.model)

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
        "Judgment",
    ),
    Part(
        "signal",
        "signal",
        "signals",
        ("signals",),
        "signal-{id}",
        "{n}",
        1,
        "Signal",
        heading="Strategic signals",
    ),
    Part(
        "stakeholder",
        "stakeholder",
        "stakeholders",
        ("stakeholders",),
        "stakeholders",
        "",
        1,
        "Stakeholder",
        heading="Stakeholder impacts",
    ),
    Part(
        "question",
        "question",
        "questions",
        ("questions",),
        "question-{id}",
        "{n}",
        2,
        "Question",
        heading="Open questions",
    ),
    Part(
        "source",
        "source",
        "sources",
        ("sources",),
        "source-{n}",
        "[{n}]",
        5,
        "Source",
        True,
        heading="Sources and evidence",
    ),
    Part(
        "evidence",
        "evidence",
        "evidence",
        ("evidence",),
        "evidence-{id}",
        "E{n}",
        5,
        "Evidence",
        True,
        heading="Evidence",
    ),
)
BY_NAME = {part.name: part for part in PARTS}
LOCATIONS = frozenset(part.location for part in PARTS)
