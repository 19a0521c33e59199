"""briefkit.versions.semantic_diff: comparing two versions of a brief by meaning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefkit.brief.model import Brief
from briefkit.diagnostics import BriefError
from briefkit.versions.git import GitError
from briefkit.versions.semantic_diff import (
    BriefDiff,
    Change,
    ChangeKind,
    Direction,
    brief_at,
    diff_briefs,
    load_brief_text,
    summary_lines,
)
from tests.conftest import MINIMAL
from tests.unit.versions.test_git import commit, git_repo, isolated_git  # noqa: F401 - fixtures

ORIGINAL = """\
briefkit: 1
id: compute
title: Compute and partnerships
date: 2026-11-28
version: "1.0"
status: draft
summary:
  bluf: >-
    xAI is trading strategic independence
    for time to market.
  judgments:
    - id: kj1
      text: The alliance favours Anthropic in the near term.
      likelihood: likely
      confidence: moderate
      evidence: [e1]
signals:
  - id: sig-compute
    title: Compute strain
    observation: xAI chose to partner rather than build alone.
    interpretation: xAI cannot reach frontier quality on its own fast enough.
    likelihood: likely
    confidence: moderate
    evidence: [e1]
  - id: sig-old
    title: Hardware limits
    observation: Reports mention hardware limits.
    interpretation: Capacity is scarce.
    likelihood: unlikely
stakeholders:
  - id: xai
    name: xAI
    impact: Less autonomy.
    direction: mixed
    magnitude: high
    signals: [sig-compute]
questions:
  - id: q1
    question: Will the deal terms be published?
    priority: high
  - id: q2
    question: Who owns the joint model?
sources:
  - id: src1
    title: Equity podcast
    reliability: B
evidence:
  - id: e1
    source: src1
    note: Observers read the partnership as weakness.
    credibility: 3
"""


def edit(text: str, *replacements: tuple[str, str]) -> str:
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


EDITED = edit(
    ORIGINAL,
    # BLUF reworded
    ("for time to market.", "for speed to market."),
    # likelihood raised, likely → very likely
    ("own fast enough.\n    likelihood: likely", "own fast enough.\n    likelihood: very likely"),
    # signal removed
    (
        "  - id: sig-old\n    title: Hardware limits\n"
        "    observation: Reports mention hardware limits.\n"
        "    interpretation: Capacity is scarce.\n    likelihood: unlikely\n",
        "",
    ),
    # question answered
    (
        "published?\n    priority: high\n",
        "published?\n    priority: high\n    status: answered\n"
        "    answer: Yes, in the 2027 annual report.\n",
    ),
    # stakeholder added
    (
        "questions:\n",
        "  - id: openai\n    name: OpenAI and Microsoft\n"
        "    impact: Faces a third well-funded coalition.\n    direction: negative\n"
        "questions:\n",
    ),
)


def brief(text: str, label: str = "test.yaml") -> Brief:
    return load_brief_text(text, label)


def diff_of(old: str, new: str) -> BriefDiff:
    return diff_briefs(brief(old), brief(new))


def only(diff: BriefDiff) -> Change:
    assert len(diff.changes) == 1, diff.to_text()
    return diff.changes[0]


# --------------------------------------------------------------------------- in git


def test_diff_of_a_committed_brief_and_its_edit(git_repo: Path) -> None:  # noqa: F811
    path = git_repo / "briefs" / "compute.yaml"
    path.write_text(ORIGINAL, encoding="utf-8")
    commit(git_repo, "first")
    path.write_text(EDITED, encoding="utf-8")

    diff = diff_briefs(brief_at(path, "HEAD"), brief_at(path))

    found = {(str(c.kind), c.part, c.id, c.field, c.direction) for c in diff.changes}
    assert found == {
        ("changed", "summary", None, "bluf", None),
        ("changed", "signal", "sig-compute", "likelihood", Direction.RAISED),
        ("removed", "signal", "sig-old", None, None),
        ("answered", "question", "q1", "status", None),
        ("added", "stakeholder", "openai", None, None),
    }
    assert diff.to_text() == (
        "Summary\n"
        '  ~ summary: bluf reworded: "…strategic independence for time to market." → '
        '"…strategic independence for speed to market."\n'
        "Signals\n"
        "  ~ signal sig-compute: likelihood raised: likely → very likely\n"
        '  - signal sig-old removed: "Hardware limits"\n'
        "Stakeholders\n"
        '  + stakeholder openai added: "OpenAI and Microsoft"\n'
        "Questions\n"
        '  ✓ question q1 answered: "Yes, in the 2027 annual report."\n'
    )

    data = json.loads(json.dumps(diff.to_json()))
    assert data["version"] == 1
    assert data["empty"] is False
    assert len(data["changes"]) == 5
    raised = next(c for c in data["changes"] if c["field"] == "likelihood")
    assert raised == {
        "kind": "changed",
        "part": "signal",
        "id": "sig-compute",
        "field": "likelihood",
        "old": "likely",
        "new": "very likely",
        "direction": "raised",
        "steps": 1,
        "number": 1,
        "title": "Compute strain",
        "detail": None,
        "added": [],
        "removed": [],
    }
    answered = next(c for c in data["changes"] if c["kind"] == "answered")
    assert (answered["old"], answered["new"]) == ("open", "answered")
    assert answered["detail"] == "Yes, in the 2027 annual report."
    removed = next(c for c in data["changes"] if c["kind"] == "removed")
    assert (removed["id"], removed["title"], removed["number"]) == ("sig-old", "Hardware limits", 2)

    assert (
        data["summary"]
        == summary_lines(diff)
        == [
            "Likelihood of signal 1 'Compute strain' raised from likely to very likely.",
            "Signal 'Hardware limits' removed.",
            "Stakeholder 'OpenAI and Microsoft' added.",
            "Question 1 'Will the deal terms be published?' answered.",
            "BLUF reworded.",
        ]
    )


def test_brief_at_a_revision_labels_its_problems(
    git_repo: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(git_repo)
    path = git_repo / "briefs" / "compute.yaml"
    path.write_text(ORIGINAL.replace("likelihood: unlikely", "likelihood: probable"), "utf-8")
    commit(git_repo, "broken")
    path.write_text(ORIGINAL, encoding="utf-8")
    commit(git_repo, "fixed")

    assert brief_at(path, "HEAD").id == "compute"
    with pytest.raises(BriefError) as caught:
        brief_at(path, "HEAD~1")
    (problem,) = caught.value.errors
    assert problem.path == "briefs/compute.yaml@HEAD~1"
    assert problem.field == "signals[1].likelihood"
    assert "'probable' is not allowed" in problem.message
    with pytest.raises(GitError, match="'HEAD~2' is not a revision"):
        brief_at(path, "HEAD~2")


# --------------------------------------------------------------------------- no change


def test_identical_briefs_have_no_changes() -> None:
    diff = diff_of(ORIGINAL, ORIGINAL)
    assert diff.empty
    assert diff.to_text() == "No changes in meaning.\n"
    assert diff.to_json() == {"version": 1, "empty": True, "changes": [], "summary": []}
    assert summary_lines(diff) == []


def test_reflowing_text_is_not_a_change() -> None:
    reflowed = edit(
        ORIGINAL,
        (
            "    xAI is trading strategic independence\n    for time to market.",
            "    xAI is trading\n    strategic independence for time to market.",
        ),
    )
    assert diff_of(ORIGINAL, reflowed).empty


# --------------------------------------------------------------------------- estimates


def test_confidence_lowered_two_steps_and_judgment_first_in_summary() -> None:
    new = edit(
        ORIGINAL,
        (
            "near term.\n      likelihood: likely\n      confidence: moderate",
            "near term.\n      likelihood: likely\n      confidence: low",
        ),
        (
            "enough.\n    likelihood: likely\n    confidence: moderate",
            "enough.\n    likelihood: likely\n    confidence: high",
        ),
        ("likelihood: unlikely", "likelihood: almost no chance"),
    )
    diff = diff_of(ORIGINAL, new)
    moves = [(c.part, c.id, c.field, c.direction, c.steps) for c in diff.changes]
    assert moves == [
        ("judgment", "kj1", "confidence", Direction.LOWERED, 1),
        ("signal", "sig-compute", "confidence", Direction.RAISED, 1),
        ("signal", "sig-old", "likelihood", Direction.LOWERED, 2),
    ]
    assert "  ~ judgment kj1: confidence lowered: moderate → low" in diff.to_text()
    assert summary_lines(diff)[0] == "Confidence of key judgment 1 lowered from moderate to low."


def test_stakeholder_direction_and_magnitude() -> None:
    new = edit(
        ORIGINAL,
        ("direction: mixed\n    magnitude: high", "direction: negative\n    magnitude: low"),
    )
    diff = diff_of(ORIGINAL, new)
    direction, magnitude = diff.changes
    assert (direction.field, direction.old, direction.new, direction.direction) == (
        "direction",
        "mixed",
        "negative",
        None,
    )
    assert (magnitude.field, magnitude.direction, magnitude.steps) == (
        "magnitude",
        Direction.LOWERED,
        2,
    )
    assert diff.to_text().splitlines()[1:] == [
        "  ~ stakeholder xai: direction changed: mixed → negative",
        "  ~ stakeholder xai: magnitude lowered: high → low",
    ]
    assert summary_lines(diff) == [
        "Impact direction of stakeholder 'xAI' changed from mixed to negative.",
        "Magnitude of stakeholder 'xAI' lowered from high to low.",
    ]


def test_likelihood_set_where_there_was_none() -> None:
    new = edit(ORIGINAL, ("term.\n      likelihood: likely\n", "term.\n"))
    change = only(diff_of(new, ORIGINAL))
    assert (change.field, change.old, change.new, change.direction) == (
        "likelihood",
        None,
        "likely",
        None,
    )
    assert "~ judgment kj1: likelihood changed: (none) → likely" in diff_of(new, ORIGINAL).to_text()
    assert summary_lines(diff_of(new, ORIGINAL)) == ["Likelihood of key judgment 1 set to likely."]


def test_source_reliability_and_evidence_credibility_improve_upwards() -> None:
    new = edit(ORIGINAL, ("reliability: B", "reliability: A"), ("credibility: 3", "credibility: 5"))
    reliability, credibility = diff_of(ORIGINAL, new).changes
    assert (reliability.direction, reliability.old, reliability.new) == (Direction.RAISED, "B", "A")
    assert (credibility.direction, credibility.steps) == (Direction.LOWERED, 2)
    assert summary_lines(diff_of(ORIGINAL, new)) == [
        "Reliability of source [1] 'Equity podcast' raised from B to A.",
        "Credibility of evidence E1 lowered from 3 to 5.",
    ]


# --------------------------------------------------------------------------- questions


def test_question_closed_and_reopened() -> None:
    closed = edit(ORIGINAL, ("joint model?\n", "joint model?\n    status: closed\n"))
    change = only(diff_of(ORIGINAL, closed))
    assert (change.kind, change.id, change.old, change.new) == (
        ChangeKind.CLOSED,
        "q2",
        "open",
        "closed",
    )
    assert "  ✓ question q2 closed" in diff_of(ORIGINAL, closed).to_text().splitlines()
    assert summary_lines(diff_of(ORIGINAL, closed)) == [
        "Question 2 'Who owns the joint model?' closed."
    ]
    reopened = only(diff_of(closed, ORIGINAL))
    assert (reopened.kind, reopened.old, reopened.new) == (ChangeKind.REOPENED, "closed", "open")


def test_question_priority_and_new_question() -> None:
    new = edit(
        ORIGINAL,
        ("priority: high", "priority: low"),
        ("sources:\n", "  - id: q-new\n    question: Will regulators look at it?\nsources:\n"),
    )
    diff = diff_of(ORIGINAL, new)
    assert [(c.kind, c.id, c.field) for c in diff.changes] == [
        (ChangeKind.CHANGED, "q1", "priority"),
        (ChangeKind.ADDED, "q-new", None),
    ]
    assert '  + question q-new added: "Will regulators look at it?"' in diff.to_text()
    assert "Question 3 'Will regulators look at it?' added." in summary_lines(diff)


# --------------------------------------------------------------------------- edits


def test_list_fields_report_items_added_and_removed() -> None:
    new = edit(
        ORIGINAL,
        ("    evidence: [e1]\n  - id: sig-old", "    evidence: []\n  - id: sig-old"),
        (
            "interpretation: Capacity is scarce.\n",
            "interpretation: Capacity is scarce.\n    evidence: [e1]\n"
            "    indicators: [New fabs announced]\n",
        ),
    )
    diff = diff_of(ORIGINAL, new)
    assert [(c.id, c.field, c.added, c.removed) for c in diff.changes] == [
        ("sig-compute", "evidence", (), ("e1",)),
        ("sig-old", "evidence", ("e1",), ()),
        ("sig-old", "indicators", ("New fabs announced",), ()),
    ]
    text = diff.to_text()
    assert "  ~ signal sig-compute: evidence changed: -e1" in text
    assert "  ~ signal sig-old: indicators changed: +New fabs announced" in text
    assert summary_lines(diff) == [
        "Signal 1 'Compute strain': evidence updated.",
        "Signal 2 'Hardware limits': evidence and indicators updated.",
    ]


def test_wording_edits_come_after_changes_of_judgment() -> None:
    new = edit(
        ORIGINAL,
        ("The alliance favours Anthropic", "The alliance clearly favours Anthropic"),
        ("Reports mention hardware limits.", "Two reports mention hardware limits."),
        ("interpretation: Capacity is scarce.", "interpretation: Capacity is very scarce."),
        ("likelihood: unlikely", "likelihood: roughly even chance"),
    )
    diff = diff_of(ORIGINAL, new)
    assert summary_lines(diff) == [
        "Likelihood of signal 2 'Hardware limits' raised from unlikely to roughly even chance.",
        "Key judgment 1 reworded.",
        "Signal 2 'Hardware limits': observation and interpretation reworded.",
    ]
    assert (
        '  ~ judgment kj1: text reworded: "The alliance favours Anthropic in…" → '
        '"The alliance clearly favours Anthropic in…"' in diff.to_text()
    )


def test_metadata_changes() -> None:
    new = edit(
        ORIGINAL,
        ('version: "1.0"\nstatus: draft', 'version: "1.1"\nstatus: final\nhandling: TLP:AMBER'),
        ("title: Compute and partnerships", "title: Compute, chips and partnerships"),
    )
    diff = diff_of(ORIGINAL, new)
    assert [(c.part, c.field, c.old, c.new) for c in diff.changes] == [
        ("brief", "title", "Compute and partnerships", "Compute, chips and partnerships"),
        ("brief", "version", "1.0", "1.1"),
        ("brief", "status", "draft", "final"),
        ("brief", "handling", None, "TLP:AMBER"),
    ]
    assert diff.to_text().splitlines()[:4] == [
        "Brief",
        '  ~ brief: title reworded: "Compute and partnerships" → "Compute, chips and partnerships"',
        "  ~ brief: version changed: 1.0 → 1.1",
        "  ~ brief: status changed: draft → final",
    ]
    # The version and date are left out of the summary: the box names the revisions.
    assert summary_lines(diff) == [
        "Status changed from draft to final.",
        "Handling set to TLP:AMBER.",
        "Title reworded.",
    ]


def test_reordering_is_reported_once_per_section() -> None:
    new = edit(
        ORIGINAL,
        ("  - id: q1\n    question: Will the deal terms be published?\n    priority: high\n", ""),
        (
            "sources:\n",
            "  - id: q1\n    question: Will the deal terms be published?\n    priority: high\n"
            "sources:\n",
        ),
    )
    change = only(diff_of(ORIGINAL, new))
    assert (change.kind, change.part, change.old, change.new) == (
        ChangeKind.REORDERED,
        "question",
        "q1, q2",
        "q2, q1",
    )
    assert (
        diff_of(ORIGINAL, new).to_text() == "Questions\n  ~ questions reordered: q1, q2 → q2, q1\n"
    )
    assert summary_lines(diff_of(ORIGINAL, new)) == ["Questions reordered."]


def test_removed_and_added_judgments() -> None:
    new = edit(ORIGINAL, ("- id: kj1", "- id: kj-new"))
    diff = diff_of(ORIGINAL, new)
    assert [(c.kind, c.id) for c in diff.changes] == [
        (ChangeKind.ADDED, "kj-new"),
        (ChangeKind.REMOVED, "kj1"),
    ]
    assert summary_lines(diff) == [
        "Key judgment 1 'The alliance favours Anthropic in the near term.' added.",
        "Key judgment 'The alliance favours Anthropic in the near term.' removed.",
    ]


def test_summary_titles_drop_inline_markup() -> None:
    new = edit(
        ORIGINAL,
        ("title: Compute strain", "title: '**Compute** strain [@e1]'"),
        ("enough.\n    likelihood: likely", "enough.\n    likelihood: very likely"),
    )
    lines = summary_lines(diff_of(ORIGINAL, new))
    assert lines[0] == "Likelihood of signal 1 'Compute strain' raised from likely to very likely."


# --------------------------------------------------------------------------- loading text


def test_load_brief_text_accepts_a_valid_brief() -> None:
    assert load_brief_text("\ufeff" + MINIMAL, "x.yaml@HEAD").id == "minimal"


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        (MINIMAL + "title: twice\n", "", "duplicate key 'title'"),
        (MINIMAL.replace("2026-11-28", "tomorrow"), "date", "expected a date"),
        (
            MINIMAL + "signals:\n  - {id: s1, title: T, observation: O, interpretation: I, "
            "evidence: [e-missing]}\n",
            "signals[0].evidence[0]",
            "e-missing",
        ),
    ],
    ids=["syntax", "type", "reference"],
)
def test_load_brief_text_errors_are_located_in_the_label(
    text: str, field: str, message: str
) -> None:
    label = "briefs/x.yaml@HEAD~1"
    with pytest.raises(BriefError) as caught:
        load_brief_text(text, label)
    (problem,) = caught.value.errors
    assert problem.path == label
    assert problem.field == field
    assert message in problem.message
    assert str(problem).startswith(f"{label}:")
