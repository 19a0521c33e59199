"""Every text field of the model says how it is printed (``Markup`` or ``Plain``), and absorb
reads the fields back as the model's types say (briefkit.brief.field_types), as it did when it
kept its own tables of field names."""

from __future__ import annotations

import re
import types
import typing
from dataclasses import fields as dataclass_fields
from typing import Annotated, Any, Union

from pydantic import BaseModel, StringConstraints

from briefkit.absorb.fields import STAKEHOLDER_FIELDS
from briefkit.brief import model
from briefkit.brief.field_types import field_type, printed_of
from briefkit.brief.vocab import (
    Confidence,
    Horizon,
    ImpactDirection,
    Likelihood,
    Magnitude,
    Priority,
    QuestionStatus,
    Reliability,
    Trend,
)
from briefkit.checks.loader import load_text
from briefkit.i18n import words_for
from briefkit.layout.document import Span
from briefkit.layout.from_brief import ChangesSince, layout
from tests.conftest import REPO
from tests.end_to_end.test_field_marks import _printed_paths


def _unannotated(annotation: Any, where: str) -> list[str]:
    """The places in *annotation* where a ``str`` has no ``Printed`` metadata."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        base = typing.get_args(annotation)[0]
        if base is str:
            return [] if printed_of(annotation) is not None else [where]
        return _unannotated(base, where)
    if annotation is str:
        return [where]
    if origin in (list, dict, Union, types.UnionType):
        return [f for arg in typing.get_args(annotation) for f in _unannotated(arg, where)]
    return []  # a Literal, a date, a vocabulary, a model (checked on its own)


def _unannotated_fields(classes: list[type[BaseModel]]) -> list[str]:
    found = []
    for cls in classes:
        for name, info in cls.model_fields.items():
            metadata = tuple(info.metadata)
            annotation = Annotated[(info.annotation, *metadata)] if metadata else info.annotation
            found += _unannotated(annotation, f"{cls.__name__}.{name}")
    return found


def _model_classes() -> list[type[BaseModel]]:
    return [
        value
        for value in vars(model).values()
        if isinstance(value, type)
        and issubclass(value, model.Model)
        and value.__module__ == model.__name__
    ]


def test_every_text_field_of_the_model_is_markup_or_plain() -> None:
    classes = _model_classes()
    assert {model.Brief, model.Signal, model.Edition} <= set(classes)  # the scan sees them
    assert _unannotated_fields(classes) == []


def test_a_text_field_without_its_kind_is_found() -> None:
    # the negative control: fields added without Markup or Plain
    class Scenario(model.Model):
        name: str
        outline: Annotated[str, StringConstraints(min_length=1)] | None = None
        steps: list[model.Markup]
        notes: dict[model.Id, str]

    assert _unannotated_fields([Scenario]) == [
        "Scenario.name",
        "Scenario.outline",
        "Scenario.notes",
    ]


# What absorb's tables said before they were derived from the model (absorb/fields.py).
OLD_TERMS = {
    "likelihood": Likelihood,
    "confidence": Confidence,
    "horizon": Horizon,
    "trend": Trend,
    "direction": ImpactDirection,
    "magnitude": Magnitude,
    "priority": Priority,
    "status": QuestionStatus,
}
OLD_OPTIONAL_TERMS = {"magnitude", "horizon", "likelihood", "confidence", "trend"}
OLD_PLAIN = re.compile(
    r"^(title|subtitle|audience|handling|sources\.\d+\.(title|publisher|url)|evidence\.\d+\.quote"
    r"|questions\.\d+\.owner)$"
)
OLD_FORCED_BOLD = re.compile(r"^questions\.\d+\.question$")


def _as_it_was(path: str) -> tuple[Any, ...]:
    name = path.rsplit(".", 1)[-1]
    if name in OLD_TERMS or (name == "reliability" and path.startswith("sources.")):
        return ("term", OLD_TERMS.get(name, Reliability), name in OLD_OPTIONAL_TERMS)
    if name == "signals" and path.startswith("stakeholders."):
        return ("ids",)
    kind = "plain" if OLD_PLAIN.match(path) else "markup"
    return (kind, bool(OLD_FORCED_BOLD.match(path)))


def _as_the_model_says(path: str) -> tuple[Any, ...]:
    found = field_type(path)
    assert found is not None, path
    if found.vocabulary is not None:
        return ("term", found.vocabulary, found.optional)
    if found.references:
        return ("ids",)
    assert found.printed is not None, path
    return ("markup" if found.printed.markup else "plain", found.printed.bold)


# Every optional text the examples leave out, so that the layout prints (and marks) it.
FULL = """\
briefkit: 1
id: full
title: Every field
subtitle: A subtitle
date: 2026-11-28
audience: The board
handling: TLP:AMBER
summary:
  bluf: The bottom line.
  judgments:
    - {id: kj, text: A judgment., likelihood: likely, confidence: high, change_note: Raised.}
signals:
  - id: s1
    title: A signal
    observation: Seen.
    interpretation: Meant.
    likelihood: likely
    confidence: low
    horizon: near
    trend: emerging
    indicators: [One, Two]
    change_note: Why.
stakeholders:
  - {id: a, name: A, impact: Less., direction: mixed, magnitude: high, horizon: long, signals: [s1]}
questions:
  - id: q1
    question: Why?
    why: Because.
    how: Look.
    owner: Desk
    priority: high
    status: answered
    answer: So.
sources:
  - {id: src, title: A source, publisher: P, url: "https://example.org/a", reliability: B}
evidence:
  - {id: e1, source: src, quote: said so, note: It shows., credibility: 2}
"""


def _printed() -> set[str]:
    texts = [FULL] + [
        p.read_text(encoding="utf-8") for p in sorted((REPO / "briefs").glob("*.yaml"))
    ]
    printed: set[str] = set()
    for text in texts:
        loaded = load_text(text, "brief.yaml")
        assert loaded.brief is not None, loaded.diagnostics
        box = ChangesSince("HEAD", ("A line.",), notes=("A note.",))
        _printed_paths(layout(loaded.brief, words_for(loaded.brief.language), changes=box), printed)
    return printed


def test_absorb_reads_every_printed_field_as_its_tables_did() -> None:
    printed = _printed()
    assert {"sources.0.url", "questions.0.answer", "questions.0.question"} <= printed
    paths = printed | {f"stakeholders.new.{name}" for name in STAKEHOLDER_FIELDS}
    changed = {p: (_as_it_was(p), _as_the_model_says(p)) for p in sorted(paths)}
    assert {p: c for p, c in changed.items() if c[0] != c[1]} == {}


def _bold_fields(value: Any, spans: dict[str, list[bool]]) -> dict[str, list[bool]]:
    """Whether each span of each field the document's IR marks is bold."""
    if isinstance(value, tuple):
        for item in value:
            _bold_fields(item, spans)
    elif hasattr(value, "__dataclass_fields__"):
        if isinstance(value, Span) and value.field:
            spans.setdefault(value.field, []).append(value.bold)
        for item in dataclass_fields(value):
            _bold_fields(getattr(value, item.name), spans)
    return spans


def test_the_fields_printed_bold_are_those_the_model_says() -> None:
    """Bold in a document is markup except where the layout prints a whole field bold: the
    model's ``Printed(bold=True)`` says where, and absorb reads it."""
    loaded = load_text(FULL, "brief.yaml")
    assert loaded.brief is not None
    spans = _bold_fields(layout(loaded.brief, words_for("en")), {})
    bold = {path for path, flags in spans.items() if all(flags)}
    said = {path for path in spans if (f := field_type(path)) and f.printed and f.printed.bold}
    assert bold == said == {"questions.0.question"}
