"""The brief: pydantic models of what an analyst writes in ``briefs/<slug>.yaml``.

Only ``briefkit``, ``id``, ``title``, ``date`` and ``summary.bluf`` are required; everything else
is optional with a sensible default. Cross-references between parts (evidence → source, …) are
checked by :mod:`briefkit.references`, which can report them even when the rest of the file has
type errors.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

from briefkit import patterns
from briefkit.vocab import (
    Confidence,
    Credibility,
    Horizon,
    ImpactDirection,
    Likelihood,
    Magnitude,
    Priority,
    QuestionStatus,
    Reliability,
    Status,
    Tlp,
    Trend,
    describe,
)


def _normalise_term(value: Any) -> Any:
    """Accept ``Very Likely``, ``very-likely`` and ``very_likely`` for ``very likely``."""
    if isinstance(value, str):
        return " ".join(value.replace("_", " ").replace("-", " ").split()).lower()
    return value


def _term(vocabulary: type, description: str, example: str) -> Any:
    return Annotated[
        vocabulary,
        BeforeValidator(_normalise_term),
        Field(description=f"{description} One of: {describe(vocabulary)}.", examples=[example]),
    ]


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Id = Annotated[
    str,
    StringConstraints(pattern=patterns.ID, max_length=64),
    Field(description="Identifier, unique in the brief: lower-case letters, digits, . _ -"),
]
Ref = Annotated[
    str,
    StringConstraints(pattern=patterns.ID, max_length=64),
    Field(description="The id of another part of this brief."),
]

LikelihoodTerm = _term(
    Likelihood,
    "ICD 203 likelihood that the judgment holds.",
    "likely",
)
ConfidenceTerm = _term(Confidence, "Analytic confidence, separate from likelihood.", "moderate")
HorizonTerm = _term(Horizon, "When the effect is expected.", "near")


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


def _handling(value: str) -> str:
    """A TLP 2.0 label (normalised to upper case) or any free-text classification banner."""
    compact = value.strip()
    if compact.upper().replace(" ", "").startswith("TLP"):
        label = compact.upper().replace(" ", "")
        if not label.startswith("TLP:"):
            label = "TLP:" + label[3:].lstrip(":")
        if label not in {t.value for t in Tlp}:
            raise PydanticCustomError(
                "tlp_label",
                "'{value}' is not a TLP 2.0 label (allowed: {allowed}; any other text is "
                "printed as a free-text classification banner)",
                {"value": value, "allowed": ", ".join(t.value for t in Tlp)},
            )
        return label
    return compact


class Judgment(Model):
    """A key judgment: the analytic conclusion an executive should take away."""

    id: Id = Field(examples=["kj1"])
    text: Text = Field(
        description="The judgment in one or two sentences. Inline **bold**, *italic* and "
        "[@source-id] citations are allowed.",
        examples=["xAI is trading independence for time to market."],
    )
    likelihood: LikelihoodTerm | None = None
    confidence: ConfidenceTerm | None = None
    evidence: list[Ref] = Field(
        default_factory=list, description="Ids of evidence that supports this judgment."
    )


class Summary(Model):
    """Bottom line up front and the key judgments."""

    bluf: Text = Field(
        description="Bottom line up front: the one or two sentences an executive must read.",
        examples=["The alliance buys xAI speed at the price of strategic independence."],
    )
    judgments: list[Judgment] = Field(
        default_factory=list, description="Key judgments, most important first (3–5 is typical)."
    )


class Signal(Model):
    """A strategic signal: what was observed, kept apart from what it means."""

    id: Id = Field(examples=["compute-strain"])
    title: Text = Field(description="A short headline for the signal.", examples=["Compute strain"])
    observation: Text = Field(
        description="What was observed: facts only, no interpretation.",
        examples=["xAI chose to partner with Anthropic rather than build alone."],
    )
    interpretation: Text = Field(
        description="What the observation means, and for whom.",
        examples=["xAI's in-house compute is not enough to compete at the frontier alone."],
    )
    likelihood: LikelihoodTerm | None = None
    confidence: ConfidenceTerm | None = None
    horizon: HorizonTerm | None = None
    trend: (
        Annotated[
            Trend,
            BeforeValidator(_normalise_term),
            Field(description=f"Which way the signal is moving. One of: {describe(Trend)}."),
        ]
        | None
    ) = None
    evidence: list[Ref] = Field(default_factory=list, description="Ids of supporting evidence.")
    indicators: list[Text] = Field(
        default_factory=list,
        description="Indicators to watch: observable events that would confirm or refute it.",
        examples=[["SpaceX procurement notices for inference capacity"]],
    )


class Stakeholder(Model):
    """Who is affected, how, how much and when."""

    id: Id = Field(examples=["openai"])
    name: Text = Field(examples=["OpenAI and Microsoft"])
    impact: Text = Field(
        description="How the stakeholder is affected.",
        examples=["Faces a third well-funded coalition with its own compute."],
    )
    direction: Annotated[
        ImpactDirection,
        BeforeValidator(_normalise_term),
        Field(description=f"Direction of the impact. One of: {describe(ImpactDirection)}."),
    ]
    magnitude: (
        Annotated[
            Magnitude,
            BeforeValidator(_normalise_term),
            Field(description=f"Size of the impact. One of: {describe(Magnitude)}."),
        ]
        | None
    ) = None
    horizon: HorizonTerm | None = None
    signals: list[Ref] = Field(
        default_factory=list, description="Ids of the signals that drive this impact."
    )


class Question(Model):
    """An open question: what we do not know yet and why it matters."""

    id: Id = Field(examples=["q-integration-depth"])
    question: Text = Field(examples=["Will xAI train on Anthropic's model architecture?"])
    why: Text | None = Field(
        default=None, description="Why it matters: what answer would change which judgment."
    )
    changes: list[Ref] = Field(
        default_factory=list, description="Ids of the key judgments an answer would change."
    )
    how: Text | None = Field(default=None, description="How the question could be answered.")
    owner: Text | None = Field(default=None, description="Who is answering it.")
    priority: Annotated[
        Priority,
        BeforeValidator(_normalise_term),
        Field(description=f"One of: {describe(Priority)}."),
    ] = Priority.MEDIUM
    status: Annotated[
        QuestionStatus,
        BeforeValidator(_normalise_term),
        Field(description=f"One of: {describe(QuestionStatus)}."),
    ] = QuestionStatus.OPEN
    answer: Text | None = Field(default=None, description="The answer, once status is answered.")

    @model_validator(mode="after")
    def _answered_has_answer(self) -> Question:
        if self.status is QuestionStatus.ANSWERED and self.answer is None:
            raise PydanticCustomError(
                "answer_missing", "status is 'answered' but there is no 'answer'; add one"
            )
        return self


class Source(Model):
    """A source: where evidence comes from, with its Admiralty reliability."""

    id: Id = Field(examples=["techcrunch-equity"])
    title: Text = Field(examples=["Equity podcast: the xAI–Anthropic deal"])
    publisher: Text | None = Field(default=None, examples=["TechCrunch"])
    url: (
        Annotated[
            str,
            StringConstraints(strip_whitespace=True, pattern=patterns.URL),
            Field(description="Web address (http or https).", examples=["https://example.com/"]),
        ]
        | None
    ) = None
    date: dt.date | None = Field(default=None, description="Publication date, YYYY-MM-DD.")
    reliability: Annotated[
        Reliability,
        BeforeValidator(lambda v: v.strip().upper() if isinstance(v, str) else v),
        Field(description=f"Admiralty source reliability. One of: {describe(Reliability)}."),
    ] = Reliability.F
    text: Text | None = Field(
        default=None,
        description="Path (relative to this brief) of a local text copy of the source; "
        "evidence quotes are checked against it.",
        examples=["sources/article.txt"],
    )


class Evidence(Model):
    """A piece of evidence: a source, an optional verbatim quote, its credibility."""

    id: Id = Field(examples=["e1"])
    source: Ref = Field(description="Id of the source it comes from.")
    quote: Text | None = Field(
        default=None, description="A short verbatim excerpt; checked against the source text."
    )
    note: Text | None = Field(default=None, description="What this evidence shows.")
    credibility: Credibility = Field(
        default=Credibility.CANNOT_BE_JUDGED,
        description="Admiralty information credibility: 1 confirmed, 2 probably true, "
        "3 possibly true, 4 doubtful, 5 improbable, 6 cannot be judged.",
    )


class Brief(Model):
    """An executive brief."""

    model_config = ConfigDict(
        title="briefkit brief",
        json_schema_extra={"$comment": "Generated by `briefkit schema`; do not edit."},
    )

    briefkit: Literal[1] = Field(
        description="Version of the brief format. Always 1 for now.", examples=[1]
    )
    id: Id = Field(examples=["xai-anthropic-alliance"])
    title: Text = Field(examples=["xAI and Anthropic: an alliance born of compute"])
    subtitle: Text | None = None
    date: dt.date = Field(description="Date of the brief, YYYY-MM-DD.", examples=["2026-11-28"])
    cutoff: dt.date | None = Field(
        default=None, description="Information cut-off date: nothing later was considered."
    )
    version: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] = Field(
        default="1.0", description="Version of this brief (text: quote it).", examples=["1.0"]
    )
    status: Annotated[
        Status,
        BeforeValidator(_normalise_term),
        Field(description=f"One of: {describe(Status)}."),
    ] = Status.DRAFT
    authors: list[Text] = Field(default_factory=list, examples=[["A. Analyst"]])
    audience: Text | None = Field(
        default=None, description="Who the brief is for.", examples=["Executive committee"]
    )
    handling: Annotated[str, AfterValidator(_handling)] | None = Field(
        default=None,
        description="Handling label printed at the top and bottom of every page: a TLP 2.0 "
        "label (TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT, TLP:RED) or free text.",
        examples=["TLP:AMBER", "INTERNAL — COMMERCIAL IN CONFIDENCE"],
    )
    tags: list[Text] = Field(default_factory=list, examples=[["ai", "compute"]])
    language: Annotated[str, StringConstraints(pattern=patterns.LANGUAGE)] = Field(
        default="en", description="Document language (BCP 47).", examples=["en-GB"]
    )
    style: Id | None = Field(
        default=None, description="Name of the style sheet to compile with.", examples=["default"]
    )
    summary: Summary
    signals: list[Signal] = Field(default_factory=list)
    stakeholders: list[Stakeholder] = Field(default_factory=list)
    questions: list[Question] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)

    @model_validator(mode="after")
    def _cutoff_not_after_date(self) -> Brief:
        if self.cutoff is not None and self.cutoff > self.date:
            raise PydanticCustomError(
                "cutoff_after_date",
                "information cut-off {cutoff} is after the brief's date {date}",
                {"cutoff": self.cutoff.isoformat(), "date": self.date.isoformat()},
            )
        return self

    @property
    def tlp(self) -> Tlp | None:
        return Tlp(self.handling) if self.handling in Tlp._value2member_map_ else None
