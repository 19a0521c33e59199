"""The brief: pydantic models of what an analyst writes in ``briefs/<slug>.yaml``.

Only ``briefkit``, ``id``, ``title``, ``date`` and ``summary.bluf`` are required; everything else
is optional with a sensible default. Cross-references between parts (evidence → source, …) are
checked by :mod:`briefkit.checks.references`, which can report them even when the rest of
the file has type errors.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
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

from briefkit.brief import patterns
from briefkit.brief.vocab import (
    DEPRECATED,
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
    Vocabulary,
    deprecated_alias,
    describe,
)


def _normalise_term(value: Any) -> Any:
    """Accept ``Very Likely``, ``very-likely`` and ``very_likely`` for ``very likely``."""
    if isinstance(value, str):
        return " ".join(value.replace("_", " ").replace("-", " ").split()).lower()
    return value


# Characters _normalise_term reads as the space between two words, and their JSON Schema class.
_SEPARATORS = r"[\s_-]"


def _any_case(word: str) -> str:
    return "".join(
        f"[{c.lower()}{c.upper()}]" if c.lower() != c.upper() else re.escape(c) for c in word
    )


def _spelling_pattern(words: list[str]) -> str:
    """A JSON Schema pattern for every spelling that _normalise_term turns into one of *words*
    (JSON Schema patterns have no case-insensitive flag: each letter is a class)."""
    spelt = (f"{_SEPARATORS}+".join(map(_any_case, word.split())) for word in words)
    return f"^{_SEPARATORS}*(?:{'|'.join(spelt)}){_SEPARATORS}*$"


# What each vocabulary accepts besides its terms as the schema lists them, as JSON Schema
# patterns, filled in where each vocabulary's reading is defined: the schema
# (briefkit.schema) accepts every spelling that `check` accepts.
SPELLINGS: dict[type, str] = {}


def _term(vocabulary: type[Vocabulary]) -> BeforeValidator:
    """The validator of a term of *vocabulary*: ``Annotated[vocabulary, _term(vocabulary)]``."""
    deprecated = [word for word in DEPRECATED if deprecated_alias(vocabulary, word)]
    SPELLINGS[vocabulary] = _spelling_pattern([t.value for t in vocabulary] + deprecated)

    def accept(value: Any) -> Any:
        value = _normalise_term(value)
        # a deprecated word (priority: medium) still means its term; vocab_warnings says so
        return deprecated_alias(vocabulary, value) or value if isinstance(value, str) else value

    return BeforeValidator(accept)


def _term_field(vocabulary: type, description: str, example: str, default: Any = None) -> Any:
    return Field(
        default=default,
        description=f"{description} One of: {describe(vocabulary)}.",
        examples=[example],
    )


@dataclass(frozen=True)
class Printed:
    """How the documents print a text field, in the metadata of its type (``Markup``,
    ``Plain``): every text field of the model says it (tests/codebase/test_text_kinds.py), and
    absorb reads an edited document's text back accordingly (briefkit.brief.field_types)."""

    markup: bool  # its inline markup is read: **bold**, *italic*, `code`, links, [@id] citations
    bold: bool = False  # printed bold as a whole (by the layout): bold in a document is not markup


MARKUP = Printed(markup=True)
PLAIN = Printed(markup=False)

_TEXT = StringConstraints(strip_whitespace=True, min_length=1)
# A title, a name or a label: printed on one line (or a few) of a heading, a table cell or the
# title block, never split across pages, so it is kept to a length a page can hold.
MAX_LINE_CHARS = 500
_LINE = StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_LINE_CHARS)

# Text with inline markup, and text printed as it is written; a "Line" is kept short.
Markup = Annotated[str, _TEXT, MARKUP]
MarkupLine = Annotated[str, _LINE, MARKUP]
Plain = Annotated[str, _TEXT, PLAIN]
PlainLine = Annotated[str, _LINE, PLAIN]
# Markup the layout prints in bold as a whole (a question).
BoldMarkup = Annotated[str, _TEXT, Printed(markup=True, bold=True)]
Id = Annotated[str, StringConstraints(pattern=patterns.ID, max_length=64), PLAIN]
Url = Annotated[str, StringConstraints(strip_whitespace=True, pattern=patterns.URL), PLAIN]
Language = Annotated[str, StringConstraints(pattern=patterns.LANGUAGE, max_length=35), PLAIN]
Ref = Id
ID_HELP = "Identifier, unique in the brief: lower-case letters, digits, '.', '_' and '-'."

LikelihoodTerm = Annotated[Likelihood, _term(Likelihood)]
ConfidenceTerm = Annotated[Confidence, _term(Confidence)]
HorizonTerm = Annotated[Horizon, _term(Horizon)]
TrendTerm = Annotated[Trend, _term(Trend)]
DirectionTerm = Annotated[ImpactDirection, _term(ImpactDirection)]
MagnitudeTerm = Annotated[Magnitude, _term(Magnitude)]
PriorityTerm = Annotated[Priority, _term(Priority)]
QuestionStatusTerm = Annotated[QuestionStatus, _term(QuestionStatus)]
StatusTerm = Annotated[Status, _term(Status)]
ReliabilityCode = Annotated[
    Reliability, BeforeValidator(lambda v: v.strip().upper() if isinstance(v, str) else v)
]
SPELLINGS[Reliability] = rf"^\s*(?:{'|'.join(_any_case(t.value) for t in Reliability)})\s*$"

_CREDIBILITY_TEXT = rf"^\s*(?:{'|'.join(str(t.value) for t in Credibility)})\s*$"
SPELLINGS[Credibility] = _CREDIBILITY_TEXT


def _credibility(value: Any) -> Any:
    """A number 1–6, or one written as text ("2"); true (which pydantic reads as 1) is not."""
    if isinstance(value, str) and re.fullmatch(_CREDIBILITY_TEXT, value):
        return int(value)
    if isinstance(value, bool | str):
        expected = ", ".join(str(t.value) for t in Credibility)
        raise PydanticCustomError(
            "enum", "Input should be one of {expected}", {"expected": expected}
        )
    return value


CredibilityCode = Annotated[Credibility, BeforeValidator(_credibility)]


def _likelihood() -> Any:
    return _term_field(Likelihood, "ICD 203 likelihood that this holds.", "likely")


def _confidence() -> Any:
    return _term_field(Confidence, "Analytic confidence, a separate axis from likelihood.", "high")


def _horizon() -> Any:
    return _term_field(Horizon, "When the effect is expected.", "near")


def _change_note() -> Any:
    return Field(
        default=None,
        description="Why this changed since the last version (ICD 203 asks that a change in "
        "an analytic judgment be explained); printed beside the change in the 'What changed' "
        "box of `briefkit build --changes-since`.",
        examples=["Raised after the second carrier confirmed the contract."],
    )


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


Handling = Annotated[str, StringConstraints(max_length=120), AfterValidator(_handling), PLAIN]


def _portion() -> Any:
    return Field(
        default=None,
        description="Portion marking of this part (a label of the marking scheme, TLP 2.0 "
        "unless the repository's markings.yaml defines one); without one, the part's parent's "
        "marking, the brief's handling at the top. The banner is the highest marking.",
        examples=["TLP:AMBER"],
    )


class Judgment(Model):
    """A key judgment: the analytic conclusion an executive should take away."""

    id: Id = Field(description=ID_HELP, examples=["kj-independence"])
    text: Markup = Field(
        description="The judgment in one or two sentences. Inline **bold**, *italic* and "
        "[@evidence-id] citations are allowed.",
        examples=["xAI is trading strategic independence for time to market."],
    )
    likelihood: LikelihoodTerm | None = _likelihood()
    confidence: ConfidenceTerm | None = _confidence()
    evidence: list[Ref] = Field(
        default_factory=list,
        description="Ids of the evidence that supports this judgment.",
        examples=[["e-partner-strain", "e-division-of-labour"]],
    )
    change_note: Markup | None = _change_note()
    handling: Handling | None = _portion()


class Summary(Model):
    """Bottom line up front and the key judgments."""

    bluf: Markup = Field(
        description="Bottom line up front: the one or two sentences an executive must read.",
        examples=["The alliance buys xAI speed at the price of strategic independence."],
    )
    judgments: list[Judgment] = Field(
        default_factory=list,
        description="Key judgments, most important first (3–5 is typical).",
        examples=[[{"id": "kj1", "text": "A judgment.", "likelihood": "likely"}]],
    )
    handling: Handling | None = _portion()


class Signal(Model):
    """A strategic signal: what was observed, kept apart from what it means."""

    id: Id = Field(description=ID_HELP, examples=["sig-compute-strain"])
    title: MarkupLine = Field(
        description="A short headline for the signal.", examples=["Compute strain"]
    )
    observation: Markup = Field(
        description="What was observed: facts only, no interpretation.",
        examples=["xAI chose to partner with Anthropic rather than build alone."],
    )
    interpretation: Markup = Field(
        description="What the observation means, and for whom.",
        examples=["xAI cannot reach frontier quality on its own fast enough."],
    )
    likelihood: LikelihoodTerm | None = _likelihood()
    confidence: ConfidenceTerm | None = _confidence()
    horizon: HorizonTerm | None = _horizon()
    trend: TrendTerm | None = _term_field(Trend, "Which way the signal is moving.", "emerging")
    evidence: list[Ref] = Field(
        default_factory=list,
        description="Ids of the evidence that supports this signal.",
        examples=[["e-partner-strain"]],
    )
    indicators: list[MarkupLine] = Field(
        default_factory=list,
        description="Indicators to watch: observable events that would confirm or refute it.",
        examples=[["SpaceX procurement notices for inference capacity"]],
    )
    change_note: Markup | None = _change_note()
    handling: Handling | None = _portion()


class Stakeholder(Model):
    """Who is affected, how, how much and when."""

    id: Id = Field(description=ID_HELP, examples=["openai"])
    name: MarkupLine = Field(description="Who is affected.", examples=["OpenAI and Microsoft"])
    impact: Markup = Field(
        description="How the stakeholder is affected.",
        examples=["Faces a third well-funded coalition with its own compute."],
    )
    direction: DirectionTerm = _term_field(
        ImpactDirection, "Direction of the impact.", "negative", default=...
    )
    magnitude: MagnitudeTerm | None = _term_field(Magnitude, "Size of the impact.", "moderate")
    horizon: HorizonTerm | None = _horizon()
    signals: list[Ref] = Field(
        default_factory=list,
        description="Ids of the signals that drive this impact.",
        examples=[["sig-compute-strain"]],
    )
    handling: Handling | None = _portion()


class Question(Model):
    """An open question: what we do not know yet and why it matters."""

    id: Id = Field(description=ID_HELP, examples=["q-integration-depth"])
    question: BoldMarkup = Field(
        description="The question, phrased so that it can be answered.",
        examples=["Will xAI train on Anthropic's model architecture?"],
    )
    why: Markup | None = Field(
        default=None,
        description="Why it matters: what answer would change which judgment.",
        examples=["A yes would mean xAI is becoming a channel partner, not a rival."],
    )
    changes: list[Ref] = Field(
        default_factory=list,
        description="Ids of the key judgments an answer would change.",
        examples=[["kj-independence"]],
    )
    how: Markup | None = Field(
        default=None,
        description="How the question could be answered.",
        examples=["Track xAI model cards and joint technical publications."],
    )
    owner: PlainLine | None = Field(
        default=None, description="Who is answering it.", examples=["AI research desk"]
    )
    priority: PriorityTerm = _term_field(Priority, "How urgent it is.", "high", Priority.MODERATE)
    status: QuestionStatusTerm = _term_field(
        QuestionStatus, "Where the question stands.", "open", QuestionStatus.OPEN
    )
    answer: Markup | None = Field(
        default=None,
        description="The answer, once status is 'answered'.",
        examples=["Yes: the joint model card of 2027-02 names Anthropic's architecture."],
    )
    handling: Handling | None = _portion()

    @model_validator(mode="after")
    def _answered_has_answer(self) -> Question:
        if self.status is QuestionStatus.ANSWERED and self.answer is None:
            raise PydanticCustomError(
                "answer_missing", "status is 'answered' but there is no 'answer'; add one"
            )
        return self


class Source(Model):
    """A source: where evidence comes from, with its Admiralty reliability."""

    id: Id = Field(description=ID_HELP, examples=["techcrunch-equity"])
    title: PlainLine = Field(
        description="Title of the article, report or conversation.",
        examples=["Equity podcast: the xAI–Anthropic deal"],
    )
    publisher: PlainLine | None = Field(
        default=None, description="Who published it.", examples=["TechCrunch"]
    )
    url: Url | None = Field(
        default=None,
        description="Web address (http or https).",
        examples=["https://example.com/article"],
    )
    date: dt.date | None = Field(
        default=None, description="Publication date, YYYY-MM-DD.", examples=["2026-11-27"]
    )
    reliability: ReliabilityCode = _term_field(
        Reliability, "Admiralty source reliability.", "B", Reliability.F
    )
    text: Plain | None = Field(
        default=None,
        description="Path (relative to this brief) of a local text copy of the source; "
        "evidence quotes are checked against it.",
        examples=["sources/article.txt"],
    )
    handling: Handling | None = _portion()


class Evidence(Model):
    """A piece of evidence: a source, an optional verbatim quote, its credibility."""

    id: Id = Field(description=ID_HELP, examples=["e-partner-strain"])
    source: Ref = Field(description="Id of the source it comes from.", examples=["techcrunch"])
    quote: Plain | None = Field(
        default=None,
        description="A short verbatim excerpt; checked against the source's local text.",
        examples=["interpreted as a sign of strain"],
    )
    note: Markup | None = Field(
        default=None,
        description="What this evidence shows.",
        examples=["Observers read the partnership as weakness, not strength."],
    )
    credibility: CredibilityCode = Field(
        default=Credibility.CANNOT_BE_JUDGED,
        description="Admiralty information credibility: 1 confirmed, 2 probably true, "
        "3 possibly true, 4 doubtful, 5 improbable, 6 cannot be judged.",
        examples=[3],
    )
    handling: Handling | None = _portion()


class Edition(Model):
    """A releasable edition: the parts marked at or below its handling, for one audience."""

    name: Id = Field(
        description="Name of the edition, in its file names: <brief>.<name>.pdf.",
        examples=["clear"],
    )
    handling: Handling = Field(
        description="The highest marking this edition may hold.", examples=["TLP:CLEAR"]
    )
    audience: PlainLine | None = Field(
        default=None, description="Who the edition is for.", examples=["Partners"]
    )
    title: PlainLine | None = Field(
        default=None, description="The edition's own title.", examples=["The alliance, openly"]
    )
    subtitle: PlainLine | None = Field(
        default=None, description="The edition's own subtitle.", examples=["For partners"]
    )
    bluf: Markup | None = Field(
        default=None,
        description="The edition's own bottom line up front for its readership.",
        examples=["The alliance buys xAI speed; what it costs is argued from open sources."],
    )
    # a replacement is validated and printed as the field it replaces (most are Markup)
    replace: dict[Id, dict[Id, Markup]] = Field(
        default_factory=dict,
        description="Replacement text of kept parts, by part id and field: "
        "{kj-2: {text: 'A judgment argued without the withheld evidence.'}}.",
        examples=[{"kj-2": {"text": "A judgment argued from open sources."}}],
    )
    withheld: Literal["error", "mark"] = Field(
        default="error",
        description="A kept part citing a withheld one: an error (the default), or 'mark' "
        "to print '[source withheld]' in its place.",
        examples=["mark"],
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
    id: Id = Field(description=ID_HELP, examples=["xai-anthropic-alliance"])
    title: PlainLine = Field(
        description="Title of the brief.",
        examples=["xAI and Anthropic: compute traded for capability"],
    )
    subtitle: PlainLine | None = Field(
        default=None,
        description="One line of context under the title.",
        examples=["What the alliance means for the frontier-model race"],
    )
    date: dt.date = Field(description="Date of the brief, YYYY-MM-DD.", examples=["2026-11-28"])
    cutoff: dt.date | None = Field(
        default=None,
        description="Information cut-off date: nothing later was considered.",
        examples=["2026-11-27"],
    )
    version: PlainLine = Field(
        default="1.0",
        description="Version of this brief (text: quote it). Without one, a draft is '0.1' "
        "and a final brief '1.0'.",
        examples=["1.0"],
    )
    status: StatusTerm = _term_field(Status, "Editorial status.", "final", Status.DRAFT)
    authors: list[PlainLine] = Field(
        default_factory=list, description="Who wrote the brief.", examples=[["A. Analyst"]]
    )
    audience: PlainLine | None = Field(
        default=None, description="Who the brief is for.", examples=["Executive committee"]
    )
    handling: Handling | None = Field(
        default=None,
        description="Handling label printed at the top and bottom of every page: a TLP 2.0 "
        "label (TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT, TLP:RED) or free text.",
        examples=["TLP:AMBER", "INTERNAL — COMMERCIAL IN CONFIDENCE"],
    )
    tags: list[PlainLine] = Field(
        default_factory=list, description="Keywords for search.", examples=[["ai", "compute"]]
    )
    language: Language = Field(
        default="en", description="Document language (BCP 47).", examples=["en-GB"]
    )
    style: Id | None = Field(
        default=None, description="Name of the style sheet to compile with.", examples=["default"]
    )
    summary: Summary = Field(
        description="The bottom line up front and the key judgments.",
        examples=[{"bluf": "The bottom line in one or two sentences."}],
    )
    signals: list[Signal] = Field(
        default_factory=list,
        description="Strategic signals: observations and what they mean.",
        examples=[
            [{"id": "s1", "title": "T", "observation": "What happened.", "interpretation": "So."}]
        ],
    )
    stakeholders: list[Stakeholder] = Field(
        default_factory=list,
        description="Stakeholder impacts: who is affected, how, how much, when.",
        examples=[[{"id": "xai", "name": "xAI", "impact": "Less autonomy.", "direction": "mixed"}]],
    )
    questions: list[Question] = Field(
        default_factory=list,
        description="Open questions, most important first.",
        examples=[[{"id": "q1", "question": "Will the deal terms be published?"}]],
    )
    sources: list[Source] = Field(
        default_factory=list,
        description="Sources, cited in the documents as [n].",
        examples=[[{"id": "techcrunch", "title": "Equity podcast", "reliability": "B"}]],
    )
    evidence: list[Evidence] = Field(
        default_factory=list,
        description="Evidence: what each source says, with optional verbatim quotes.",
        examples=[[{"id": "e1", "source": "techcrunch", "quote": "a sign of strain"}]],
    )
    editions: list[Edition] = Field(
        default_factory=list,
        description="Releasable editions built besides the brief: each holds only the parts "
        "marked at or below its handling.",
        examples=[[{"name": "clear", "handling": "TLP:CLEAR", "audience": "Public"}]],
    )

    @model_validator(mode="before")
    @classmethod
    def _default_version(cls, data: Any) -> Any:
        """No version: a draft is "0.1" (nobody has approved a 1.0 yet), a final brief "1.0"."""
        if isinstance(data, dict) and "version" not in data:
            final = _normalise_term(data.get("status", "draft")) == Status.FINAL.value
            data = {**data, "version": "1.0" if final else "0.1"}
        return data

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
        if self.handling is None or self.handling not in Tlp._value2member_map_:
            return None
        return Tlp(self.handling)
