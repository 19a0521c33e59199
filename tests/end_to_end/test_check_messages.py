"""What `check` says about the slips a writer makes: in the writer's words, located, in one run,
and the same whichever YAML reader read the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from briefkit.diagnostics import BriefError
from briefkit.reading import source
from tests.conftest import MINIMAL

JUDGMENT = "  judgments:\n    - id: kj1\n      text: {block}\n        The bottom line [1].\n"


def _problems(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.startswith("briefs/")]


@pytest.mark.parametrize("block", [">-", "|", ">", "|-"])
def test_a_key_indented_into_a_block_is_an_error(block, write_brief, cli):
    write_brief(MINIMAL + JUDGMENT.format(block=block) + "        likelihood: likely\n")
    result = cli("check")
    assert result.exit_code == 1, result.output
    assert (
        "briefs/brief.yaml:11:9: summary.judgments[0].text: line looks like a key "
        "'likelihood' folded into the text; indent it like 'text:'"
    ) in result.stdout


def test_prose_with_a_colon_in_a_block_is_not_a_key(write_brief, cli):
    # negative control: words that are no field of a judgment, and a field name not at the start
    write_brief(
        MINIMAL
        + JUDGMENT.format(block=">-")
        + "        Note: this is prose.\n        confidence is: high\n        the id: x\n"
    )
    result = cli("check", "--strict")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "line",
    [
        "        likelihood: likly",  # a near miss of a term is still a key
        "        evidence: [e1]",
        "        confidence: High  # a comment",
        "        confidence: medium",  # deprecated, still a term
    ],
)
def test_what_could_be_a_value_makes_a_folded_key(line, write_brief, cli):
    write_brief(MINIMAL + JUDGMENT.format(block=">-") + line + "\n")
    assert "folded into the text" in cli("check").stdout


@pytest.mark.parametrize(
    ("lines", "judgment_has"),
    [
        # prose wrapped before a word and a colon: no term of the scale follows
        ("        We hold this with high\n        confidence: the deal holds.\n", ""),
        ("        evidence: thin, as the notes say.\n", ""),
        # a field the judgment sets already is not the key that was meant
        ("        likelihood: likely\n", "      likelihood: likely\n"),
    ],
)
def test_prose_that_starts_with_a_field_name_is_text(lines, judgment_has, write_brief, cli):
    write_brief(MINIMAL + JUDGMENT.format(block=">-") + lines + judgment_has)
    result = cli("check", "--strict")
    assert result.exit_code == 0, result.output


def test_the_same_key_line_indented_right_is_a_key(write_brief, cli):
    write_brief(MINIMAL + JUDGMENT.format(block=">-") + "      likelihood: likely\n")
    assert cli("check", "--strict").exit_code == 0


def test_a_key_folded_into_a_style_sheet_block(tmp_path: Path) -> None:
    from briefkit.style.sheet import load_style

    (tmp_path / "styles").mkdir()
    sheet = tmp_path / "styles" / "house.yaml"
    sheet.write_text("description: >-\n  A house style.\n  extends: default\n")
    with pytest.raises(BriefError) as caught:
        load_style("house", tmp_path)
    # with extends folded away the sheet lacks what default gives, which is said too
    assert [str(p) for p in caught.value.diagnostics if "folded" in p.message] == [
        f"{sheet}:3:3: description: line looks like a key 'extends' folded into the text; "
        "indent it like 'description:' (or quote the text if it is meant)"
    ]


SYNTAX = {
    "colon in a value": (
        MINIMAL.replace("A minimal brief", "Shipping: the outlook"),
        "briefs/brief.yaml:3:16: quote this value: it contains ': '",
    ),
    "key indented into a plain value": (
        MINIMAL + "  judgments:\n    - id: kj1\n      text: J.\n        likelihood: likely\n",
        "briefs/brief.yaml:10:19: this line is indented more than 'text:' on line 9, so "
        "'likelihood:' is read as more of its value; indent it like 'text:'",
    ),
    "key among list items": (
        MINIMAL + "  judgments:\n    - id: kj1\n      text: J.\n    likely: x\n",
        "briefs/brief.yaml:10:5: 'likely:' is indented like the list items ('- ') above it",
    ),
    "key between two indents": (
        MINIMAL + " title: x\n",
        "briefs/brief.yaml:7:2: this line is indented by 1: less than the line above (2) and "
        "more than the key that holds it (0)",
    ),
    "a line at a key's indent without a colon": (
        MINIMAL + "  judgments:\n    - id: kj1\n      text: J.\n      more of the text\n",
        "briefs/brief.yaml:10:7: this line is indented like a key but is not 'key: value'",
    ),
    "text after a quote": (
        MINIMAL.replace("A minimal brief", '"A minimal" brief'),
        "briefs/brief.yaml:3:20: text after the closing quote",
    ),
}


@pytest.mark.parametrize("case", list(SYNTAX))
def test_syntax_errors_in_plain_words(case, write_brief, cli):
    text, expected = SYNTAX[case]
    write_brief(text)
    result = cli("check")
    assert result.exit_code == 1
    assert any(line.startswith(expected) for line in _problems(result)), result.stdout
    assert "YAML syntax error" not in result.stdout


@pytest.mark.parametrize("case", list(SYNTAX))
def test_both_yaml_readers_say_the_same(case, monkeypatch):
    text = SYNTAX[case][0]

    def message(parse) -> str:
        with pytest.raises(BriefError) as caught:
            parse(text, Path("b.yaml"))
        return str(caught.value.diagnostics[0])

    assert message(source.parse_yaml) == message(source._slow_parse)


def test_block_lines_are_read_the_same_on_both_paths() -> None:
    text = "a: >-\n  one\n  two: x\n\n   three\nb: |\n  k: v\nc:\n  - |-\n    x: y\n"
    fast = source._parse_fast(text, Path("b.yaml"))
    assert fast is not None
    slow = source._slow_parse(text, Path("b.yaml"))
    assert fast.blocks == slow.blocks
    assert [line.text for line in fast.blocks[("a",)]] == ["one", "two: x", "three"]
    assert [line.position.line for line in fast.blocks[("c", 0)]] == [10]


VALUES = {
    "a day the month does not have": (
        MINIMAL.replace("2026-11-28", "2025-09-31"),
        "briefs/brief.yaml:4:7: date: expected a date as YYYY-MM-DD, got '2025-09-31': "
        "September has 30 days",
    ),
    "29 February of a common year": (
        MINIMAL.replace("2026-11-28", "2025-02-29"),
        "briefs/brief.yaml:4:7: date: expected a date as YYYY-MM-DD, got '2025-02-29': "
        "February 2025 has 28 days",
    ),
    "a month that does not exist": (
        MINIMAL.replace("2026-11-28", "2025-13-01"),
        "briefs/brief.yaml:4:7: date: expected a date as YYYY-MM-DD, got '2025-13-01': "
        "there is no month 13",
    ),
    "a synonym of a trend": (
        MINIMAL + "signals:\n  - id: s\n    title: T\n    observation: O.\n"
        "    interpretation: I.\n    trend: growing\n",
        "briefs/brief.yaml:12:12: signals[0].trend: 'growing' is not allowed (allowed: "
        "'emerging', 'strengthening', 'stable', 'weakening'); did you mean 'strengthening'?",
    ),
    "a term echoed as written": (
        MINIMAL + "signals:\n  - id: s\n    title: T\n    observation: O.\n"
        "    interpretation: I.\n    horizon: Near-Term\n",
        "briefs/brief.yaml:12:14: signals[0].horizon: 'Near-Term' is not allowed",
    ),
}


@pytest.mark.parametrize("case", list(VALUES))
def test_bad_values_are_explained(case, write_brief, cli):
    text, expected = VALUES[case]
    write_brief(text)
    result = cli("check")
    assert result.exit_code == 1
    assert any(p.startswith(expected) for p in _problems(result)), result.stdout


@pytest.mark.parametrize(
    ("word", "term"),
    [("declining", "weakening"), ("steady", "stable"), ("approved", "final")],
)
def test_synonyms_of_other_vocabularies(word, term, write_brief, cli):
    key = (
        "status"
        if term == "final"
        else "signals:\n  - id: s\n    title: T\n"
        + ("    observation: O.\n    interpretation: I.\n    trend")
    )
    write_brief(MINIMAL + f"{key}: {word}\n")
    result = cli("check")
    assert f"did you mean '{term}'?" in result.stdout, result.stdout


def test_a_bad_value_under_a_misspelt_key_in_the_same_run(write_brief, cli):
    write_brief(
        MINIMAL + "  judgments:\n    - id: kj1\n      text: J.\n      likelyhood: Very-Lickely\n"
    )
    problems = _problems(cli("check"))
    assert problems == [
        "briefs/brief.yaml:10:7: summary.judgments[0].likelyhood: unknown key 'likelyhood' "
        "(allowed: change_note, confidence, evidence, handling, id, likelihood, text); did you "
        "mean 'likelihood'?",
        "briefs/brief.yaml:10:19: summary.judgments[0].likelyhood: 'Very-Lickely' is not "
        "allowed (allowed: 'almost no chance', 'very unlikely', 'unlikely', 'roughly even "
        "chance', 'likely', 'very likely', 'almost certain'); did you mean 'very likely'?",
    ]


def test_a_good_value_under_a_misspelt_key_is_only_the_key(write_brief, cli):
    # negative control: nothing is reported of a value that would be right under the key meant
    write_brief(MINIMAL + "  judgments:\n    - id: kj1\n      text: J.\n      likelyhood: likely\n")
    problems = _problems(cli("check"))
    assert len(problems) == 1 and "unknown key 'likelyhood'" in problems[0]


_LINE = st.lists(
    st.sampled_from(["a", "b:", " ", "  ", "- ", ": ", "'", '"', "?", "|", ">-", "#", "[", "]"]),
    max_size=8,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(_LINE, max_size=6))
@example(lines=["", "", "| #"])  # ruamel's round-trip scanner failed an assertion on it
def test_every_broken_document_gets_a_located_message_not_a_crash(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    try:
        fast = source.parse_yaml(text, Path("b.yaml"))
    except BriefError as caught:
        with pytest.raises(BriefError) as slow:
            source._slow_parse(text, Path("b.yaml"))
        assert [str(d) for d in caught.diagnostics] == [str(d) for d in slow.value.diagnostics]
    else:
        assert fast.blocks == source._slow_parse(text, Path("b.yaml")).blocks


@pytest.mark.parametrize("text", ["#[\n| #a\n- \n", "#\n| #\n[\n"])
def test_a_comment_before_a_block_scalar_header_comment_is_not_a_crash(write_brief, cli, text):
    # ruamel's round-trip scanner used to fail an assertion here: a traceback, no line
    write_brief(text)
    result = cli("check")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert _problems(result)[0].startswith("briefs/brief.yaml:")


def test_many_misspelt_keys_are_all_reported_and_the_first_values_checked(write_brief, cli):
    from briefkit.checks.validation import _MISSPELT_CHECKED

    judgments = "".join(
        f"    - id: kj{n}\n      text: J.\n      likelyhood: lkely\n" for n in range(60)
    )
    write_brief(MINIMAL + "  judgments:\n" + judgments)
    problems = _problems(cli("check"))
    assert sum("unknown key 'likelyhood'" in p for p in problems) == 60
    assert sum("'lkely' is not allowed" in p for p in problems) == _MISSPELT_CHECKED
