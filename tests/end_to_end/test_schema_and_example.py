"""The committed JSON Schema is fresh and documents every field; the example brief is sound."""

from __future__ import annotations

import json
import shutil
from typing import Any

import jsonschema
import pytest

from briefkit import load_brief
from briefkit.reading.source import load_yaml
from briefkit.schema import SCHEMA_FILE, brief_schema, schema_text
from tests.conftest import ARTICLE, EXAMPLE_BRIEF, REPO, require_article


def test_committed_schema_is_fresh():
    committed = (REPO / SCHEMA_FILE).read_text(encoding="utf-8")
    assert committed == schema_text(), (
        "schema is stale: run `briefkit schema -o schema/brief.schema.json`"
    )


def test_schema_command_prints_the_schema(cli):
    result = cli("schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == brief_schema()


def _properties(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = [("", schema)]
    for name, definition in schema.get("$defs", {}).items():
        found.append((name, definition))
    return [
        (f"{owner}.{prop}", spec)
        for owner, definition in found
        for prop, spec in definition.get("properties", {}).items()
    ]


def test_every_field_has_a_description_and_an_example():
    properties = _properties(brief_schema())
    assert len(properties) > 50
    undocumented = [name for name, spec in properties if not spec.get("description")]
    assert undocumented == []
    without_example = [name for name, spec in properties if not spec.get("examples")]
    assert without_example == []


def _as_json(data: Any) -> Any:
    return json.loads(json.dumps(data, default=str))


def test_schema_validates_the_example_brief_and_rejects_a_bad_one():
    schema = brief_schema()
    data = _as_json(load_yaml(EXAMPLE_BRIEF).data)
    jsonschema.Draft202012Validator(schema).validate(data)
    data["signals"][0]["likelihood"] = "lkely"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(data)


def test_example_brief_checks_clean(cli, repo):
    shutil.copytree(REPO / "briefs", repo / "briefs", dirs_exist_ok=True)
    result = cli("check", "--strict", "briefs")
    assert result.exit_code == 0, result.output
    # The article is not part of the project: the brief does not name it, so a fresh clone
    # gets no warning (the next test verifies its quotes against the tests' copy).
    assert "warning:" not in result.output
    assert "0 errors, 0 warnings" in result.stderr


def test_example_brief_quotes_are_verbatim_from_the_article(cli, repo):
    require_article()
    text = EXAMPLE_BRIEF.read_text(encoding="utf-8")
    line = "    # text: sources/xai-anthropic-alliance.txt\n"
    assert line in text  # the shipped brief names the text a reader with the article saves
    (repo / "briefs" / EXAMPLE_BRIEF.name).write_text(
        text.replace(line, line.replace("# ", "", 1)), encoding="utf-8"
    )
    (repo / "briefs" / "sources").mkdir()
    shutil.copy(ARTICLE, repo / "briefs" / "sources" / "xai-anthropic-alliance.txt")
    result = cli("check", "--strict", "briefs")
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings" in result.stderr


def test_example_brief_is_a_full_brief():
    brief = load_brief(EXAMPLE_BRIEF)
    assert EXAMPLE_BRIEF.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../schema/brief.schema.json\n"
    )
    assert 3 <= len(brief.summary.judgments) <= 5
    assert len(brief.signals) >= 5
    assert len(brief.stakeholders) >= 6
    assert len(brief.questions) >= 5
    assert sum(e.quote is not None for e in brief.evidence) >= 3
    assert all(s.likelihood and s.confidence and s.horizon and s.indicators for s in brief.signals)


# Where each vocabulary is written in a brief, and the brief around it.
def _brief_with(path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    brief: dict[str, Any] = {
        "briefkit": 1,
        "id": "b",
        "title": "T",
        "date": "2026-11-28",
        "summary": {"bluf": "B.", "judgments": [{"id": "kj", "text": "J."}]},
        "signals": [{"id": "s", "title": "T", "observation": "O.", "interpretation": "I."}],
        "stakeholders": [{"id": "st", "name": "N", "impact": "I.", "direction": "mixed"}],
        "questions": [{"id": "q", "question": "Q?", "answer": "A."}],
        "sources": [{"id": "src", "title": "S"}],
        "evidence": [{"id": "e", "source": "src"}],
    }
    node: Any = brief
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return brief


VOCABULARY_AT = {
    "Likelihood": ("summary", "judgments", 0, "likelihood"),
    "Confidence": ("summary", "judgments", 0, "confidence"),
    "Horizon": ("signals", 0, "horizon"),
    "Trend": ("signals", 0, "trend"),
    "ImpactDirection": ("stakeholders", 0, "direction"),
    "Magnitude": ("stakeholders", 0, "magnitude"),
    "Priority": ("questions", 0, "priority"),
    "QuestionStatus": ("questions", 0, "status"),
    "Status": ("status",),
    "Reliability": ("sources", 0, "reliability"),
    "Credibility": ("evidence", 0, "credibility"),
}


def _spellings(name: str) -> tuple[list[Any], list[Any]]:
    """What `check` should accept for the vocabulary *name*, and what it should refuse."""
    from briefkit.brief import vocab

    vocabulary = getattr(vocab, name)
    if name == "Credibility":
        numbers = [t.value for t in vocabulary]
        return [*numbers, *map(str, numbers), " 3 ", 2.0], [True, 0, 7, "2.0", "x", "", 2.5]
    words = [t.value for t in vocabulary]
    if name == "Reliability":
        return [*words, *(w.lower() for w in words), " c "], ["G", "AB", "", "a b"]
    words += [w for w in vocab.DEPRECATED if vocab.deprecated_alias(vocabulary, w)]
    accepted = []
    for word in words:
        accepted += [word, word.upper(), word.title(), f"  {word} ", word.capitalize()]
        accepted += [word.replace(" ", sep) for sep in ("-", "_", "  ", " - ")]
    refused = [words[0] + "x", "x" + words[0], "", "-", "none", words[0][:-1]]
    return accepted, refused + [w.replace(" ", "") for w in words if " " in w]


@pytest.mark.parametrize("name", list(VOCABULARY_AT))
def test_schema_accepts_exactly_what_check_accepts(name):
    from briefkit.brief.model import Brief

    schema = jsonschema.Draft202012Validator(brief_schema())
    accepted, refused = _spellings(name)
    assert refused  # a negative control: the test could not pass by accepting everything
    for value, should in [*((v, True) for v in accepted), *((v, False) for v in refused)]:
        data = _brief_with(VOCABULARY_AT[name], value)
        try:
            Brief.model_validate(data)
            checked = True
        except ValueError:
            checked = False
        assert checked == should, f"check: {name} {value!r}"
        assert schema.is_valid(data) == should, f"schema: {name} {value!r}"
