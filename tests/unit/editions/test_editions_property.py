"""Generated markings: an edition never holds a part above its level and never has a
dangling reference (every reference, listed or cited, names a part it keeps)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from briefkit.brief.markings import TLP_SCHEME, Scheme
from briefkit.brief.model import Brief, Edition
from briefkit.checks.citations import citations
from briefkit.checks.references import iter_strings
from briefkit.editions.derive import derive, portions

LABELS = TLP_SCHEME.levels
# a repository's scheme with a releasability caveat: a part released to fewer names is higher
CAVEATED = Scheme("classification", ("LOW", "MID", "HIGH"), "REL TO", ("AAA", "BBB", "CCC"))
CAVEATED_LABELS = tuple(
    level + (f"//REL TO {', '.join(names)}" if names else "")
    for level in CAVEATED.levels
    for names in ((), ("AAA",), ("AAA", "BBB"), ("BBB", "CCC"), ("AAA", "BBB", "CCC"))
)


@st.composite
def briefs(
    draw: st.DrawFn, labels: tuple[str, ...] = LABELS, top: str = "TLP:RED"
) -> dict[str, Any]:
    marking = st.one_of(st.none(), st.sampled_from(labels))
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
        "handling": top,
        "summary": {"bluf": "Bottom line.", "judgments": judgments, "handling": draw(marking)},
        "signals": signals,
        "stakeholders": stakeholders,
        "questions": questions,
        "sources": sources,
        "evidence": evidence,
    }


def _ids(brief: Brief, scheme: Scheme) -> set[str]:
    return {p.ident for p in portions(brief, scheme) if p.kind != "summary"}


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(briefs(), st.sampled_from(LABELS), st.sampled_from(["error", "mark"]))
def test_an_edition_holds_nothing_above_its_level(
    data: dict[str, Any], level: str, withheld: str
) -> None:
    _check(data, level, withheld, TLP_SCHEME)


@SETTINGS
@given(
    # the brief's handling: the highest level, released to no one in particular
    briefs(CAVEATED_LABELS, "HIGH"),
    st.sampled_from(CAVEATED_LABELS),
    st.sampled_from(["error", "mark"]),
)
def test_a_caveated_edition_holds_nothing_beyond_it(
    data: dict[str, Any], level: str, withheld: str
) -> None:
    _check(data, level, withheld, CAVEATED)


def _check(data: dict[str, Any], level: str, withheld: str, scheme: Scheme) -> None:
    brief = Brief.model_validate(data)
    edition = Edition(name="e", handling=level, bluf="Open bottom line.", withheld=withheld)
    derived = derive(brief, edition, scheme)
    event("refused" if derived.brief is None else "derived")
    if derived.brief is None:
        assert derived.problems and withheld == "error"  # mark resolves every reference
        return
    released = derived.brief
    limit = scheme.parse(level)
    full = {p.ident: p.marking for p in portions(brief, scheme)}
    for portion in portions(released, scheme):
        assert Scheme.within(portion.marking, limit)
        if portion.kind != "summary":  # each kept part keeps its own marking from the brief
            assert portion.marking == full[portion.ident]
    kept = _ids(released, scheme)
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
    assert Scheme.within(scheme.parse(released.handling or ""), limit)
