"""Each kind of mistake an analyst makes gives exit 1, no traceback, and the right line:col."""

from __future__ import annotations

import pytest

from tests.conftest import MINIMAL

CASES = {
    "misspelled key": (
        MINIMAL + "sumary_extra: 1\nsignals:\n  - id: s1\n    title: T\n    observaton: x\n",
        "brief.yaml:11:5: signals[0].observaton: unknown key 'observaton'",
        "did you mean 'observation'?",
    ),
    "unknown top-level key": (
        MINIMAL.replace("title:", "titel:"),
        "brief.yaml:3:1: titel: unknown key 'titel'",
        "did you mean 'title'?",
    ),
    "wrong vocabulary term": (
        MINIMAL + "  judgments:\n    - id: kj1\n      text: J.\n      likelihood: lkely\n",
        "brief.yaml:10:19: summary.judgments[0].likelihood: 'lkely' is not allowed",
        "did you mean 'likely'?",
    ),
    "wrong TLP label": (
        MINIMAL + "handling: TLP:AMBR\n",
        "brief.yaml:7:11: handling: 'TLP:AMBR' is not a TLP 2.0 label",
        "TLP:AMBER+STRICT",
    ),
    "wrong type": (
        MINIMAL + "authors: Jane Doe\n",
        "brief.yaml:7:10: authors: expected a list",
        "got 'Jane Doe'",
    ),
    "number where text is expected": (
        MINIMAL + "version: 1.10\n",
        "brief.yaml:7:10: version: expected text, got 1.1 (a number)",
        "put it in quotes",
    ),
    "bad date": (
        MINIMAL.replace("2026-11-28", "28/11/2026"),
        "brief.yaml:4:7: date: expected a date as YYYY-MM-DD",
        "'28/11/2026'",
    ),
    "missing required key": (
        MINIMAL + "signals:\n  - id: s1\n    title: T\n    observation: O.\n",
        "brief.yaml:8:5: signals[0]: missing required key 'interpretation'",
        "",
    ),
    "dangling reference": (
        MINIMAL + "sources:\n  - id: src\n    title: S\nevidence:\n  - id: e1\n    source: scr\n",
        "brief.yaml:12:13: evidence[0].source: no source has the id 'scr'",
        "did you mean 'src'?",
    ),
    "dangling inline citation": (
        MINIMAL.replace("The bottom line.", "The bottom line [@nowhere]."),
        "brief.yaml:6:9: summary.bluf: nothing in this brief has the id 'nowhere'",
        "",
    ),
    "duplicate id": (
        MINIMAL
        + "signals:\n  - id: dup\n    title: T\n    observation: O.\n    interpretation: I.\n"
        + "questions:\n  - id: dup\n    question: Q?\n",
        "brief.yaml:13:9: questions[0].id: duplicate id 'dup': already used by the signal "
        "signals[0] on line 8",
        "",
    ),
    "yaml syntax error": (
        MINIMAL + "tags: [a, b\n",
        "brief.yaml:8:1: YAML syntax error",
        "",
    ),
    "duplicate key": (
        MINIMAL + "title: Again\n",
        "brief.yaml:7:1: duplicate key 'title'",
        "each key may appear once",
    ),
    "tab-indented line": (
        MINIMAL + "signals:\n\t- id: s1\n",
        "brief.yaml:8:1: tab character in indentation; indent with spaces",
        "",
    ),
    "control character": (
        MINIMAL.replace("A minimal brief", "A minimal\x1b brief"),
        "brief.yaml:3:17: control character U+001B is not allowed",
        "",
    ),
    "python object tag": (
        MINIMAL + "subtitle: !!python/object/apply:os.system [echo]\n",
        "brief.yaml:7:11: subtitle: YAML feature '!!python/object/apply:os.system' is not allowed",
        "",
    ),
    "impossible date": (
        MINIMAL.replace("2026-11-28", "2026-02-30"),
        "brief.yaml:4:7: date: expected a date as YYYY-MM-DD, got '2026-02-30'",
        "",
    ),
    "control character written as an escape": (
        MINIMAL.replace("A minimal brief", '"Bell\\x07 rings"'),
        "brief.yaml:3:8: title: control character U+0007 is not allowed in text",
        "",
    ),
    "merge key": (
        MINIMAL + "questions:\n  - &q\n    id: q1\n    question: Q?\n  - <<: *q\n    id: q2\n",
        "brief.yaml:11:5: questions[1]: YAML merge keys (<<) are not supported",
        "",
    ),
    "set": (
        MINIMAL + "tags: !!set {a, b}\n",
        "brief.yaml:7:7: tags: YAML feature '!!set' is not allowed",
        "",
    ),
    "empty value is located at its key": (
        MINIMAL + "signals:\n\n# a comment\nstakeholders: []\n",
        "brief.yaml:7:1: signals: expected a list",
        "got nothing (null)",
    ),
    "link to a file": (
        MINIMAL.replace("The bottom line.", "See [the memo](file:///etc/passwd)."),
        "brief.yaml:6:9: summary.bluf: link target 'file:///etc/passwd' is not allowed",
        "links must start with http://, https:// or mailto:",
    ),
    "link to an anchor": (
        MINIMAL.replace("The bottom line.", "See [below](#nowhere)."),
        "brief.yaml:6:9: summary.bluf: link target '#nowhere' is not allowed",
        "to refer to a part of this brief, write [@id]",
    ),
    "banner too long": (
        MINIMAL + "handling: " + "CONFIDENTIAL " * 20 + "\n",
        "brief.yaml:7:11: handling: too long: at most 120 characters",
        "",
    ),
    "unsupported format version": (
        MINIMAL.replace("briefkit: 1", "briefkit: 2"),
        "brief.yaml:1:11: briefkit: 2 (a number) is not allowed (allowed: 1)",
        "",
    ),
    "cut-off after date": (
        MINIMAL + "cutoff: 2026-12-01\n",
        "brief.yaml:1:1: information cut-off 2026-12-01 is after the brief's date 2026-11-28",
        "",
    ),
    "answered question without answer": (
        MINIMAL + "questions:\n  - id: q1\n    question: Q?\n    status: answered\n",
        "brief.yaml:8:5: questions[0]: status is 'answered' but there is no 'answer'",
        "",
    ),
    "bad id": (
        MINIMAL.replace("id: minimal", "id: My Brief"),
        "brief.yaml:2:5: id: 'My Brief' is not valid: use lower-case letters",
        "",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_mistake_is_located(case, write_brief, cli):
    text, expected, extra = CASES[case]
    write_brief(text)
    result = cli("check")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stdout.splitlines()
    assert any(line.startswith(f"briefs/{expected}") for line in lines), result.stdout
    assert extra in result.stdout


def test_all_problems_of_a_file_in_one_run(write_brief, cli):
    write_brief(
        MINIMAL
        + "status: drafty\n"
        + "handling: TLP:PURPLE\n"
        + "evidence:\n  - id: e1\n    source: missing\n    credibility: 9\n"
    )
    result = cli("check")
    assert result.exit_code == 1
    out = result.stdout
    assert "briefs/brief.yaml:7:9: status:" in out
    assert "briefs/brief.yaml:8:11: handling:" in out
    assert "briefs/brief.yaml:11:13: evidence[0].source:" in out
    assert "briefs/brief.yaml:12:18: evidence[0].credibility:" in out
    assert "4 errors" in result.stderr


def test_alias_bomb_is_refused(write_brief, cli):
    """Nine levels of nine aliases would expand to 9**9 items: the reader refuses past its
    expansion limit instead of building them (the limit is what keeps it quick)."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    write_brief(MINIMAL + "\n".join(lines) + "\n")
    result = cli("check")
    assert result.exit_code == 1
    assert "expands to more than" in result.stdout


def test_small_anchors_are_fine(write_brief, cli):
    write_brief(
        MINIMAL
        + "signals:\n"
        + "  - &base\n    id: s1\n    title: T\n    observation: O.\n    interpretation: I.\n"
        + "    indicators: &watch [one, two]\n"
        + "  - id: s2\n    title: T2\n    observation: O.\n    interpretation: I.\n"
        + "    indicators: *watch\n"
    )
    assert cli("check").exit_code == 0


def test_yaml_1_2_keeps_norway_and_times_as_text(write_brief, cli):
    from briefkit import load_brief

    path = write_brief(
        MINIMAL.replace("A minimal brief", "NO") + "subtitle: 1:30\ntags: [yes, on, off]\n"
    )
    brief = load_brief(path)
    assert brief.title == "NO"
    assert brief.subtitle == "1:30"
    assert brief.tags == ["yes", "on", "off"]


def test_invalid_utf8_is_located(repo, cli):
    (repo / "briefs" / "brief.yaml").write_bytes(MINIMAL.encode() + b"subtitle: caf\xe9\n")
    result = cli("check")
    assert result.exit_code == 1
    assert "briefs/brief.yaml:7:14: byte 0xe9 is not valid UTF-8" in result.stdout


def test_huge_file_is_refused(write_brief, cli):
    write_brief(MINIMAL + "# " + "x" * (3 * 1024 * 1024) + "\n")
    result = cli("check")
    assert result.exit_code == 1
    assert "the limit is" in result.stdout


def test_empty_file(write_brief, cli):
    write_brief("")
    result = cli("check")
    assert result.exit_code == 1
    assert "briefs/brief.yaml:1:1: expected a mapping of keys to values" in result.stdout
