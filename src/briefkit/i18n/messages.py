"""Every fixed word the documents print, by key, in English: the source of the catalogues.

A key names one message; its English text is the gettext ``msgid`` and the key its
``msgctxt``, so a translation goes stale (and falls back to English, with a warning) when the
English it translates changes. Placeholders are ``str.format`` fields (``{n}``); a translation
must keep the same fields. Vocabulary terms (likelihood, horizon, …) get keys from their enums,
so a new term cannot be forgotten here.
"""

from __future__ import annotations

from briefkit.brief import parts
from briefkit.brief.vocab import (
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
    Trend,
    Vocabulary,
)

FIXED: dict[str, str] = {
    # the summary box
    "summary.title": "Bottom line up front",
    "summary.judgments": "Key judgments",
    # section headings, from briefkit.brief.parts
    **{part.heading_key: part.heading for part in parts.PARTS if part.heading},
    # the title block
    "title.date": "Date",
    "title.version": "Version",
    "title.cutoff": "Information cut-off",
    "title.authors": "Authors",
    "title.audience": "Audience",
    "title.handling": "Handling",
    "title.revision": "Source revision",
    # run-in labels of a signal
    "signal.observed": "Observed",
    "signal.assessment": "Assessment",
    "signal.indicators": "Indicators to watch",
    "signal.evidence": "Evidence",
    # an open question
    "question.why": "Why it matters",
    "question.changes": "Would change",
    "question.how": "How to answer",
    "question.answer": "Answer",
    "question.owner": "Owner: {name}",
    "question.priority": "Priority: {term}",
    "question.status": "Status: {term}",
    # how the text names a part it refers to
    "reference.judgment.short": "KJ{n}",  # in a list of judgments, "Would change: KJ1, KJ3"
    "reference.evidence": "E{n}",
    # tables
    "stakeholders.name": "Stakeholder",
    "stakeholders.impact": "Impact",
    "stakeholders.direction": "Direction",
    "stakeholders.magnitude": "Magnitude",
    "stakeholders.horizon": "Horizon",
    "stakeholders.signals": "Signals",
    "evidence.number": "No.",
    "evidence.source": "Source",
    "evidence.code": "Code",
    "evidence.quote": "Quote and what it shows",
    # chips
    "chip.likelihood": "{term} ({range})",
    "chip.horizon": "{term} ({meaning})",
    "likelihood.range": "{low}–{high}%",
    # legends
    "legend.likelihood": (
        "Estimative language (ICD 203): likelihood is one of {terms}. Confidence (low, moderate, "
        "high) is a separate judgment of the evidence base."
    ),
    "legend.evidence": (
        "Evidence lines read E3 [1] C2: evidence item 3, from source [1], graded C2 on the "
        "Admiralty scale (source reliability A–F, credibility 1–6; key under Sources)."
    ),
    # an edition's text in place of a reference to a part it withholds (``withheld: mark``)
    "edition.withheld.source": "[source withheld]",
    "edition.withheld.part": "[withheld]",
    "legend.admiralty": (
        "Admiralty codes: source reliability A (completely reliable) to F (cannot be judged); "
        "information credibility 1 (confirmed) to 6 (cannot be judged)."
    ),
    "source.reliability": "Reliability {code} ({meaning}).",
    # the box of changes since an earlier revision
    "changes.title": "What changed",
    "changes.since": "What changed since version {version} of {date}",
    "changes.footnote": "Compared with the brief at git revision {revision}.",
    "changes.new": "This brief is new: there was no earlier version of it.",
    "changes.none": "No change in meaning.",
    "changes.why": "Why:",
    # between the items of a list: "signals 1, 2"
    "list.separator": ", ",
    # a brief's git revision, as footers and the title block print it
    "revision.uncommitted": "uncommitted",
    "revision.edited": "{revision}+dirty",
    # the "What changed" box: the sentences of the semantic diff (briefkit diff prints them too)
    "diff.added": "{name} added.",
    "diff.removed": "{name} removed.",
    "diff.answered": "{name} answered.",
    "diff.closed": "{name} closed.",
    "diff.reopened": "{name} reopened.",
    "diff.reordered": "{parts} reordered.",
    "diff.of": "{field} of {name}",
    # a kind of part counted, as in "Handling of signals (7) set to TLP:CLEAR."
    "diff.group": "{parts} ({count})",
    "diff.raised": "{subject} raised from {old} to {new}.",
    "diff.lowered": "{subject} lowered from {old} to {new}.",
    "diff.set": "{subject} set to {new}.",
    "diff.unset": "{subject} removed (was {old}).",
    "diff.changed": "{subject} changed from {old} to {new}.",
    "diff.reworded": "{name} reworded.",
    "diff.fields_reworded": "{fields} reworded",
    "diff.fields_updated": "{fields} updated",
    "diff.edits": "{name}: {clauses}.",
    "diff.edits_of_brief": "{clauses}.",
    "diff.clause_separator": "; ",
    "diff.titled": "{noun} '{title}'",
    "list.and": "{items} and {last}",
    # page furniture and document properties
    "footer.version": "v{version}",
    "footer.revision": "rev {revision}",
    "footer.page": "Page {page} of {pages}",
    "mark.draft": "DRAFT",
    "document.category": "Executive brief",
    "banner.handling": "Handling",
}

# The parts of a brief as the "What changed" box names them: "part.signal" (the noun),
# "part.signal.numbered" ("signal {n}") and "part.signal.plural", from briefkit.brief.parts.
PARTS: dict[str, tuple[str, str | None, str]] = {
    part.name: (part.noun, part.numbered(), part.plural) for part in parts.PARTS
}
# The fields of a brief as the box names them ("field.likelihood"): every field of the model
# (a test checks), in words where its YAML key is not one.
FIELDS: dict[str, str] = {
    name: name.replace("_", " ")
    for name in (
        "answer",
        "audience",
        "authors",
        "change_note",
        "changes",
        "confidence",
        "credibility",
        "date",
        "evidence",
        "how",
        "impact",
        "indicators",
        "interpretation",
        "judgments",
        "language",
        "likelihood",
        "magnitude",
        "name",
        "note",
        "observation",
        "owner",
        "priority",
        "publisher",
        "question",
        "questions",
        "quote",
        "reliability",
        "signals",
        "source",
        "sources",
        "stakeholders",
        "status",
        "style",
        "subtitle",
        "summary",
        "tags",
        "text",
        "title",
        "trend",
        "url",
        "version",
        "why",
        "horizon",
        "id",
        "briefkit",
        *(part.location[-1] for part in parts.PARTS),
    )
} | {
    "bluf": "BLUF",
    "direction": "impact direction",
    "cutoff": "information cut-off",
    "handling": "handling",
    "editions": "editions",
    "replace": "replacement text",
    "withheld": "withheld references",
}

# Printed terms of the vocabularies: key prefix → vocabulary. Each term has "prefix.value";
# those whose meaning is printed also "prefix.value.meaning".
VOCABULARIES: dict[str, type[Vocabulary]] = {
    "likelihood": Likelihood,
    "confidence": Confidence,
    "horizon": Horizon,
    "trend": Trend,
    "direction": ImpactDirection,
    "magnitude": Magnitude,
    "priority": Priority,
    "question_status": QuestionStatus,
    "status": Status,
}
PRINTED_MEANINGS = ("horizon",)


def _terms() -> dict[str, str]:
    terms: dict[str, str] = {}
    for prefix, vocabulary in VOCABULARIES.items():
        for term in vocabulary:
            terms[f"{prefix}.{term.value}"] = term.label
            if prefix in PRINTED_MEANINGS:
                terms[f"{prefix}.{term.value}.meaning"] = term.meaning
    for reliability in Reliability:
        terms[f"reliability.{reliability.value}.meaning"] = reliability.meaning
    for credibility in Credibility:
        terms[f"credibility.{int(credibility)}.meaning"] = credibility.meaning
    return terms


def _parts_and_fields() -> dict[str, str]:
    out: dict[str, str] = {}
    for part, (noun, numbered, plural) in PARTS.items():
        out[f"part.{part}"] = noun
        if numbered:
            out[f"part.{part}.numbered"] = numbered
        out[f"part.{part}.plural"] = plural
    out |= {f"field.{name}": text for name, text in sorted(FIELDS.items())}
    return out


MESSAGES: dict[str, str] = FIXED | _terms() | _parts_and_fields()


def vocabulary_key(term: Vocabulary) -> str:
    """The message key of a vocabulary term: "likelihood.very likely"."""
    prefix = next(p for p, v in VOCABULARIES.items() if isinstance(term, v))
    return f"{prefix}.{term.value}"
