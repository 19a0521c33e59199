"""Generated markings: an edition never holds a part above its level and never has a
dangling reference (every reference, listed or cited, names a part it keeps)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from briefkit.citations import citations
from briefkit.editions import derive, portions
from briefkit.markings import TLP_SCHEME, Scheme
from briefkit.model import Brief, Edition
from briefkit.references import iter_strings

LABELS = TLP_SCHEME.levels
marking = st.one_of(st.none(), st.sampled_from(LABELS))


@st.composite
def briefs(draw: st.DrawFn) -> dict[str, Any]:
    sources = [
        {"id": f"s{n}", "title": f"Source {n}", "handling": draw(marking)}
        for n in range(draw(st.integers(1, 3)))
    ]
    evidence = [
        {
            "id": f"e{n}",
            "source": draw(st.sampled_from(sources))["id"],
            "handling": draw(marking),
        }
        for n in range(draw(st.integers(0, 4)))
    ]
    evidence_ids = [e["id"] for e in evidence]

    def cited() -> str:
        picked = draw(st.lists(st.sampled_from(evidence_ids), max_size=2)) if evidence_ids else []
        return " ".join(f"[@{i}]" for i in picked)

    judgments = [
        {
            "id": f"kj{n}",
            "text": f"Judgment {n} {cited()}".strip(),
            "evidence": draw(st.lists(st.sampled_from(evidence_ids), max_size=2, unique=True))
            if evidence_ids
            else [],
            "handling": draw(marking),
        }
        for n in range(draw(st.integers(0, 4)))
    ]
    signals = [
        {
            "id": f"sig{n}",
            "title": f"Signal {n}",
            "observation": "Seen.",
            "interpretation": f"Means {cited()}".strip(),
            "evidence": draw(st.lists(st.sampled_from(evidence_ids), max_size=2, unique=True))
            if evidence_ids
            else [],
            "handling": draw(marking),
        }
        for n in range(draw(st.integers(0, 3)))
    ]
    signal_ids = [s["id"] for s in signals]
    stakeholders = [
        {
            "id": f"st{n}",
            "name": f"Holder {n}",
            "impact": "Some.",
            "direction": "mixed",
            "signals": draw(st.lists(st.sampled_from(signal_ids), max_size=2, unique=True))
            if signal_ids
            else [],
            "handling": draw(marking),
        }
        for n in range(draw(st.integers(0, 2)))
    ]
    questions = [
        {
            "id": f"q{n}",
            "question": "Why?",
            "changes": draw(st.lists(st.sampled_from([j["id"] for j in judgments]), max_size=2))
            if judgments
            else [],
            "handling": draw(marking),
        }
        for n in range(draw(st.integers(0, 2)))
    ]
    return {
        "briefkit": 1,
        "id": "generated",
        "title": "Generated",
        "date": "2026-11-28",
        "handling": "TLP:RED",
        "summary": {"bluf": "Bottom line.", "judgments": judgments, "handling": draw(marking)},
        "signals": signals,
        "stakeholders": stakeholders,
        "questions": questions,
        "sources": sources,
        "evidence": evidence,
    }


def _ids(brief: Brief) -> set[str]:
    return {p.ident for p in portions(brief, TLP_SCHEME) if p.kind != "summary"}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(briefs(), st.sampled_from(LABELS), st.sampled_from(["error", "mark"]))
def test_an_edition_holds_nothing_above_its_level(
    data: dict[str, Any], level: str, withheld: str
) -> None:
    brief = Brief.model_validate(data)
    edition = Edition(name="e", handling=level, bluf="Open bottom line.", withheld=withheld)
    derived = derive(brief, edition, TLP_SCHEME)
    event("refused" if derived.brief is None else "derived")
    if derived.brief is None:
        assert derived.problems and withheld == "error"  # mark resolves every reference
        return
    released = derived.brief
    limit = TLP_SCHEME.parse(level)
    full = {p.ident: p.marking for p in portions(brief, TLP_SCHEME)}
    for portion in portions(released, TLP_SCHEME):
        assert Scheme.within(portion.marking, limit)
        if portion.kind != "summary":  # each kept part keeps its own marking from the brief
            assert portion.marking == full[portion.ident]
    kept = _ids(released)
    # and every part the brief had at or below the level is kept
    assert kept == {i for i, m in full.items() if i != "summary" and Scheme.within(m, limit)}
    dumped = released.model_dump()
    for part in (*dumped["summary"]["judgments"], *dumped["signals"]):
        assert set(part["evidence"]) <= kept
    for holder in dumped["stakeholders"]:
        assert set(holder["signals"]) <= kept
    for question in dumped["questions"]:
        assert set(question["changes"]) <= kept
    for evidence in dumped["evidence"]:
        assert evidence["source"] in kept
    for _, text in iter_strings(dumped):
        for group in citations(text):
            assert set(group) <= kept
    assert Scheme.within(TLP_SCHEME.parse(released.handling or ""), limit)
