"""The fast YAML path (libyaml's events) reads every document it accepts exactly as the ruamel
path does: the same data, the same positions in the same order; whatever it does not accept,
ruamel reads, so every message is ruamel's."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefkit.reading import source

pytest.importorskip("yaml.cyaml")

REPO = Path(__file__).resolve().parents[3]
PATH = Path("brief.yaml")

ACCEPTED = [
    "a: 017\nb: 0o17\nc: 0x1f\nd: 1_000\ne: 1.5e3\nf: .inf\ng: .NaN\nh: 0b101\ni: +12\n",
    "a: yes\nb: NO\nc: on\nd: 1:30\ne: 2026-02-30\nf: true\ng: False\n",
    "a: ~\nb: null\nc:\nd: ''\n",
    "a:\n  - \n  - x\n",
    "- a\n- - b\n  - c\n-\n  k: v\n",
    "a: [1, 2, {b: c}]\nb: {c: [d], e: }\n",
    "a: 'it''s'\nb: \"q\"\n'quoted key': v\n\"other\": w\n",
    "a: |\n  line1\n  line2\nb: >-\n  folded\n  text\n\n  para\nc: |+\n  keep\n\nd: |2\n   x\n",
    "a: x # comment\nb: y#not\nc: plain\n  continued\n  more\n",
    "a: \"é\"\nb: e\u0301\nc: 😀 emoji\nd: '中文'\n",
    "--- \na: 1\n...\n",
    "",
    "# only a comment\n",
    "list:\n- a\n- b\nother: 1\n",
    "a: 12345678901234567890\nb: 1e400\nc: -0.0\n",
]
REFUSED = [
    "a: 1\na: 2\n",  # duplicate key
    "a: &x 1\nb: *x\n",  # anchors and aliases
    "a: !!str 1\n",  # tags
    "%YAML 1.1\n---\na: yes\n",  # directives
    "a:\n\t- x\n",  # tabs
    'a: "\\ud83d\\ude00"\n',  # escapes
    "<<: {a: 1}\n",  # merge keys
    "1: a\n",  # a key that is not text
    "? [a]\n: b\n",  # a complex key
    "---\na: 1\n---\nb: 2\n",  # two documents
    "a: [1, 2\n",  # a syntax error
    "a: " + "9" * 150 + "\n",  # a number too long
    'a: "\\x07"\n',  # a control character
    "a: |#\n  x\n",  # a comment touching a block indicator: an error to ruamel only
]


def same_as_ruamel(text: str) -> bool:
    """Whether the fast path read *text* (else None); if it did, it must be ruamel's reading."""
    fast = source._parse_fast(text, PATH)
    if fast is None:
        return False
    slow = source._slow_parse(text, PATH)
    assert repr(fast.data) == repr(slow.data)
    assert list(fast.values.items()) == list(slow.values.items())
    assert list(fast.keys.items()) == list(slow.keys.items())
    assert fast.blocks == slow.blocks
    return True


@pytest.mark.parametrize("text", ACCEPTED)
def test_plain_documents_read_fast_as_ruamel_reads_them(text: str) -> None:
    assert same_as_ruamel(text)


@pytest.mark.parametrize("text", REFUSED)
def test_what_the_fast_path_leaves_to_ruamel(text: str) -> None:
    assert source._parse_fast(text, PATH) is None


@pytest.mark.parametrize(
    "path", [*sorted((REPO / "briefs").glob("*.yaml")), *sorted((REPO / "styles").glob("*.yaml"))]
)
def test_the_example_briefs_and_style_sheets_read_fast(path: Path) -> None:
    assert same_as_ruamel(path.read_text(encoding="utf-8"))


_characters = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn"))
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False),
    st.text(_characters, max_size=30),
)
_keys = st.text(_characters, min_size=1)
_data = st.recursive(
    _scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_keys, children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(data=st.dictionaries(_keys, _data, max_size=5), flow=st.booleans())
def test_generated_documents_read_fast_as_ruamel_reads_them(data: dict, flow: bool) -> None:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt", pure=True)
    yaml.default_flow_style = flow
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    text = buffer.getvalue()
    try:
        source._slow_parse(text, PATH)
    except source.BriefError:
        assert source._parse_fast(text, PATH) is None
        return
    same_as_ruamel(text)
