"""Controlled vocabularies of a brief: ICD 203 estimative language, TLP 2.0, Admiralty codes.

Each term's value is what an analyst writes in YAML; ``label`` is how documents print it. Enum
order is meaningful (scales run low → high) so that later passes can say "raised" or "lowered".
"""

from __future__ import annotations

import re
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
    """How urgent an open question is."""

    LOW = "low", "Low"
    MODERATE = "moderate", "Moderate"
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


# --- words briefkit understands but does not use ------------------------------------------------

# Every three-step scale (confidence, magnitude, priority) calls its middle step 'moderate', as
# ICD 203 confidence does. 'medium' is still accepted there, with a warning saying what to write.
MIDDLE = "moderate"
DEPRECATED = {"medium": MIDDLE}


def three_step(vocabulary: type[Vocabulary]) -> bool:
    return [t.value for t in vocabulary] == ["low", MIDDLE, "high"]


def deprecated_alias(vocabulary: type[Vocabulary], normalised: str) -> str | None:
    """The term an accepted but deprecated *normalised* word stands for, if it is one."""
    return DEPRECATED.get(normalised) if three_step(vocabulary) else None


# Words analysts write for a term, answered with "did you mean". ICD 203 itself pairs each
# likelihood term with a synonym (remote, highly improbable, improbable, roughly even odds,
# probable, highly probable, nearly certain); briefkit prints only the first of each pair.
_MIDDLE_WORDS = ("mid", "middle", "medium high", "medium low", "average", "fair", "normal")
SYNONYMS: dict[type[Vocabulary], dict[str, str]] = {
    Likelihood: {
        "remote": "almost no chance",
        "impossible": "almost no chance",
        "no chance": "almost no chance",
        "highly improbable": "very unlikely",
        "highly unlikely": "very unlikely",
        "improbable": "unlikely",
        "doubtful": "unlikely",
        "roughly even odds": "roughly even chance",
        "even odds": "roughly even chance",
        "even chance": "roughly even chance",
        "even": "roughly even chance",
        "possible": "roughly even chance",
        "toss up": "roughly even chance",
        "probable": "likely",
        "probably": "likely",
        "highly probable": "very likely",
        "highly likely": "very likely",
        "nearly certain": "almost certain",
        "certain": "almost certain",
        "almost certainly": "almost certain",
    },
    Confidence: {**dict.fromkeys(_MIDDLE_WORDS, MIDDLE), "strong": "high", "weak": "low"},
    Magnitude: {
        **dict.fromkeys(_MIDDLE_WORDS, MIDDLE),
        "small": "low",
        "minor": "low",
        "large": "high",
        "major": "high",
        "significant": "high",
    },
    Priority: {
        **dict.fromkeys(_MIDDLE_WORDS, MIDDLE),
        "urgent": "high",
        "critical": "high",
        "top": "high",
    },
    Trend: {
        **dict.fromkeys(
            ("growing", "increasing", "rising", "intensifying", "accelerating", "stronger"),
            "strengthening",
        ),
        **dict.fromkeys(
            ("declining", "decreasing", "falling", "shrinking", "fading", "waning", "weaker"),
            "weakening",
        ),
        **dict.fromkeys(("new", "nascent", "early", "appearing"), "emerging"),
        **dict.fromkeys(("steady", "flat", "unchanged", "constant", "static"), "stable"),
    },
    ImpactDirection: {
        **dict.fromkeys(("good", "favourable", "favorable", "beneficial", "gain"), "positive"),
        **dict.fromkeys(("bad", "adverse", "unfavourable", "harmful", "loss"), "negative"),
        **dict.fromkeys(("both", "neutral"), "mixed"),
        **dict.fromkeys(("unknown", "unclear"), "uncertain"),
    },
    Status: {
        **dict.fromkeys(("approved", "published", "done", "ready", "released"), "final"),
        **dict.fromkeys(("wip", "work in progress", "in progress", "review"), "draft"),
    },
    QuestionStatus: {
        **dict.fromkeys(("resolved", "answer"), "answered"),
        **dict.fromkeys(("pending", "unanswered", "new", "todo"), "open"),
        **dict.fromkeys(("dropped", "abandoned", "withdrawn"), "closed"),
    },
    Horizon: {
        "short": "near",
        "short term": "near",
        "near term": "near",
        "mid": "medium",
        "mid term": "medium",
        "medium term": "medium",
        "long term": "long",
        "now": "immediate",
    },
}

_PERCENT = re.compile(r"(\d{1,3}(?:\.\d+)?)\s*(?:%|percent|per\s*cent)?")


def likelihood_percent(value: object) -> float | None:
    """A probability written as a number: ``70%``, ``"70 percent"``, ``70`` or ``0.7``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
        return number * 100 if 0 < number < 1 else number
    if isinstance(value, str):
        match = _PERCENT.fullmatch(value.strip())
        if match:
            return float(match.group(1))
    return None


def _bounds(term: Likelihood) -> tuple[float, float]:
    low, high = term.range.rstrip("%").split("–")
    return float(low), float(high)


def likelihood_for(percent: float) -> str:
    """The ICD 203 term(s) whose range holds *percent*, as a suggestion."""
    if not 0 <= percent <= 100:
        return ""
    holding = [t for t in Likelihood if _bounds(t)[0] <= percent <= _bounds(t)[1]]
    shown = f"{percent:g}%"
    if len(holding) == 2:
        a, b = holding
        return (
            f"; {shown} is where '{a.value}' ({a.range}) and '{b.value}' ({b.range}) meet in "
            f"ICD 203: write one of them"
        )
    if holding:
        term = holding[0]
        return (
            f"; did you mean '{term.value}'? (ICD 203 gives it {term.range}, which holds {shown})"
        )
    nearest = Likelihood.ALMOST_NO_CHANCE if percent < 1 else Likelihood.ALMOST_CERTAIN
    return f"; ICD 203 has no term for {shown}: the nearest is '{nearest.value}' ({nearest.range})"


def suggest(vocabulary: type[Vocabulary], value: object, normalised: object) -> str | None:
    """A hint for a value that is not a term of *vocabulary*: a synonym's term, or for a
    likelihood written as a percentage the term whose range holds it. None: no better hint
    than a spelling match."""
    if vocabulary is Likelihood:
        percent = likelihood_percent(value)
        if percent is not None:
            return likelihood_for(percent)
    if isinstance(normalised, str):
        term = SYNONYMS.get(vocabulary, {}).get(normalised)
        if term is not None:
            return f"; did you mean '{term}'?"
    return None
