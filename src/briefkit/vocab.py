"""Controlled vocabularies of a brief: ICD 203 estimative language, TLP 2.0, Admiralty codes.

Each term's value is what an analyst writes in YAML; ``label`` is how documents print it. Enum
order is meaningful (scales run low → high) so that later passes can say "raised" or "lowered".
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Vocabulary(StrEnum):
    """A string enum whose members carry a printable label and a one-line meaning."""

    label: str
    meaning: str

    def __new__(cls, value: str, label: str = "", meaning: str = "") -> Vocabulary:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value.capitalize()
        member.meaning = meaning
        return member

    def __str__(self) -> str:
        return self.value

    @property
    def rank(self) -> int:
        return list(type(self)).index(self)


class Likelihood(Vocabulary):
    """ICD 203 likelihood terms, lowest to highest."""

    ALMOST_NO_CHANCE = "almost no chance", "Almost no chance", "1–5%"
    VERY_UNLIKELY = "very unlikely", "Very unlikely", "5–20%"
    UNLIKELY = "unlikely", "Unlikely", "20–45%"
    ROUGHLY_EVEN_CHANCE = "roughly even chance", "Roughly even chance", "45–55%"
    LIKELY = "likely", "Likely", "55–80%"
    VERY_LIKELY = "very likely", "Very likely", "80–95%"
    ALMOST_CERTAIN = "almost certain", "Almost certain", "95–99%"

    @property
    def range(self) -> str:
        return self.meaning


class Confidence(Vocabulary):
    """Analytic confidence: a separate axis from likelihood."""

    LOW = "low", "Low confidence", "thin, fragmentary or poorly corroborated information"
    MODERATE = "moderate", "Moderate confidence", "credibly sourced and plausible, not corroborated"
    HIGH = "high", "High confidence", "high-quality information from multiple sources"


class Tlp(Vocabulary):
    """Traffic Light Protocol 2.0 labels."""

    CLEAR = "TLP:CLEAR", "TLP:CLEAR", "disclosure is not limited"
    GREEN = "TLP:GREEN", "TLP:GREEN", "limited disclosure, recipients' community"
    AMBER = "TLP:AMBER", "TLP:AMBER", "limited disclosure, recipients' organisation and clients"
    AMBER_STRICT = "TLP:AMBER+STRICT", "TLP:AMBER+STRICT", "recipients' organisation only"
    RED = "TLP:RED", "TLP:RED", "for the eyes and ears of individual recipients only"


class Reliability(Vocabulary):
    """Admiralty code: reliability of a source."""

    A = "A", "A", "completely reliable"
    B = "B", "B", "usually reliable"
    C = "C", "C", "fairly reliable"
    D = "D", "D", "not usually reliable"
    E = "E", "E", "unreliable"
    F = "F", "F", "reliability cannot be judged"


class Credibility(IntEnum):
    """Admiralty code: credibility of a piece of information."""

    CONFIRMED = 1
    PROBABLY_TRUE = 2
    POSSIBLY_TRUE = 3
    DOUBTFUL = 4
    IMPROBABLE = 5
    CANNOT_BE_JUDGED = 6

    @property
    def meaning(self) -> str:
        return self.name.lower().replace("_", " ")


class Horizon(Vocabulary):
    """When an effect is expected to show."""

    IMMEDIATE = "immediate", "Immediate", "within 3 months"
    NEAR = "near", "Near term", "3–12 months"
    MEDIUM = "medium", "Medium term", "1–3 years"
    LONG = "long", "Long term", "beyond 3 years"


class Trend(Vocabulary):
    """Which way a signal is moving."""

    EMERGING = "emerging", "Emerging", "newly observed"
    STRENGTHENING = "strengthening", "Strengthening", "growing in strength or frequency"
    STABLE = "stable", "Stable", "persisting without change"
    WEAKENING = "weakening", "Weakening", "fading"


class ImpactDirection(Vocabulary):
    """Whether a development helps or hurts a stakeholder."""

    POSITIVE = "positive", "Positive", "the stakeholder gains"
    NEGATIVE = "negative", "Negative", "the stakeholder loses"
    MIXED = "mixed", "Mixed", "gains and losses"
    UNCERTAIN = "uncertain", "Uncertain", "the direction cannot yet be judged"


class Magnitude(Vocabulary):
    """How much a development changes a stakeholder's position."""

    LOW = "low", "Low", "marginal"
    MODERATE = "moderate", "Moderate", "noticeable"
    HIGH = "high", "High", "material to strategy"


class Priority(Vocabulary):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Status(Vocabulary):
    DRAFT = "draft", "Draft", "work in progress; documents carry a DRAFT mark"
    FINAL = "final", "Final", "approved for distribution"


class QuestionStatus(Vocabulary):
    OPEN = "open", "Open", "not yet answered"
    ANSWERED = "answered", "Answered", "answered; the answer is recorded"
    CLOSED = "closed", "Closed", "no longer pursued"


def describe(vocabulary: type[Vocabulary]) -> str:
    """``'likely' (55–80%), …`` for schema descriptions and error messages."""
    return ", ".join(
        f"'{term.value}' ({term.meaning})" if term.meaning else f"'{term.value}'"
        for term in vocabulary
    )
