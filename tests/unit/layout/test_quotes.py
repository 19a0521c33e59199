"""Typographic quotes per language (layout/quotes.py): the rules, one sentence each."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefkit.checks.quotes import normalise
from briefkit.layout.document import Span
from briefkit.layout.quotes import (
    CLDR_DELIMITERS,
    in_source_form,
    quoted,
    straighten,
    text_language,
    typeset,
    typeset_inline,
    unquoted,
)

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "He said “the ‘North’ way” today."),
        ("en-GB", "He said “the ‘North’ way” today."),
        ("de", "He said „the ‚North‘ way“ today."),
        ("fr", f"He said «{NBSP}the «{NBSP}North{NBSP}» way{NBSP}» today."),
        ("ru", "He said «the „North“ way» today."),
        ("zh-Hans", "He said “the ‘North’ way” today."),
        ("zh-Hant", "He said 「the 『North』 way」 today."),
        ("ja", "He said 「the 『North』 way」 today."),
    ],
)
def test_nested_quotes_alternate_in_the_languages_marks(language: str, expected: str) -> None:
    assert typeset("He said \"the 'North' way\" today.", language) == expected


def test_outside_every_quote_the_mark_typed_says_primary_or_secondary() -> None:
    assert typeset("'outer \"inner\" outer'", "en") == "‘outer “inner” outer’"
    assert typeset("alert('x') and 'single'", "de") == "alert(‚x‘) and ‚single‘"
    assert typeset("'single'", "fr") == f"«{NBSP}single{NBSP}»"  # CLDR: French has one kind


def test_marks_the_author_typed_nest_the_straight_ones_inside() -> None:
    assert typeset('ممر «الشمال "الجنوب" يعمل»', "ar") == "ممر «الشمال ’الجنوب‘ يعمل»"
    assert (
        typeset('Er sagte „der "Nord" Weg“ und "so"', "de") == "Er sagte „der ‚Nord‘ Weg“ und „so“"
    )


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("xAI's gap", "xAI’s gap"),
        ("l'État", "l’État"),
        ("the companies' leaders", "the companies’ leaders"),
        ("in the '90s", "in the ’90s"),
        ("'tis so", "’tis so"),
        ("5' 10\" tall", "5′ 10″ tall"),
        ('the "1990" figure', "the “1990” figure"),
        ('("quoted")', "(“quoted”)"),
        ("\"'Hi,' she said\"", "“‘Hi,’ she said”"),
        ('"never closed', "“never closed"),
        ("no quotes at all", "no quotes at all"),
    ],
)
def test_apostrophes_primes_and_quotes(typed: str, printed: str) -> None:
    assert typeset(typed, "en") == printed


def test_web_addresses_keep_their_marks() -> None:
    assert typeset('see https://example.com/a\'b "here"', "en") == (
        "see https://example.com/a'b “here”"
    )


def test_code_and_printed_addresses_are_left_alone_and_quotes_cross_spans() -> None:
    spans = (
        Span('run "'),
        Span("x = 'y'", code=True),
        Span('" or "'),
        Span("bold", bold=True),
        Span('" at '),
        Span("https://e.com/'a'", href="https://e.com/'a'"),
    )
    out = typeset_inline(spans, "en")
    assert [s.text for s in out] == ["run “", "x = 'y'", "” or “", "bold", "” at ", spans[5].text]
    assert out[3].bold and out[1].code


def test_a_quote_in_another_script_takes_its_languages_marks() -> None:
    assert typeset('Moscow asks "Зачем платить?" loudly', "en") == (
        "Moscow asks «Зачем платить?» loudly"
    )
    assert typeset('Kyiv: "Чому?"', "uk") == "Kyiv: «Чому?»"
    assert text_language("Зачем", "uk") == "uk"  # the brief's own script: its own language
    assert text_language("Зачем", "en") == "ru"
    assert text_language("تخفیف ویژه", "en") == "fa"
    assert text_language("بندر عباس و چابهار", "ar") == "fa"  # Persian in an Arabic brief
    assert text_language("إن سلامة الملاحة", "en") == "ar"
    assert text_language("中方愿与各方一道", "en") == "zh"
    assert text_language("plain English", "de") == "de"


def test_an_evidence_quote_and_its_wrapper_follow_the_quotes_language() -> None:
    russian = "Зачем платить, если коридор „Север — Юг“ уже работает?"
    assert quoted(russian, "en") == f"«{russian}»"
    assert quoted('Зачем "Север"', "en") == "«Зачем „Север“»"
    assert quoted("It said \"no\" and 'yes'", "en") == "“It said ‘no’ and ‘yes’”"
    assert quoted('Il dit "non"', "fr") == f"«{NBSP}Il dit «{NBSP}non{NBSP}»{NBSP}»"
    assert quoted("中方愿。", "en") == "“中方愿。”"
    for text, language in ((russian, "en"), ('Il dit "non"', "fr"), ("中方愿。", "ar")):
        assert unquoted(quoted(text, language), language) == typeset(
            text, text_language(text, language), level=1
        )


def test_every_mark_the_layout_prints_is_one_the_quote_check_folds() -> None:
    for language, marks in CLDR_DELIMITERS.items():
        for mark in marks:
            assert normalise(mark) in {'"', "'"}, (language, mark)
    assert normalise(typeset('Il dit "c\'est"', "fr")) == normalise('Il dit "c\'est"')


# --- absorb: back into the YAML's form ------------------------------------------------------


def test_an_untouched_field_comes_back_as_the_yaml_holds_it() -> None:
    for source, language in (
        ('The "compute shortage" headline, xAI\'s gap', "en"),
        ('Il dit "oui" hier', "fr"),
        ('Typed “curly” already, and "straight"', "en"),
        ("`code 'x'` and \"y\"", "en"),
    ):
        assert in_source_form(typeset(source, language), source, language) == source


def test_an_edit_keeps_the_yamls_straight_marks_and_straightens_new_ones() -> None:
    source = 'The "compute shortage" headline, xAI\'s gap'
    printed = typeset(source, "en")
    edited = printed.replace("headline", "title") + ", and the “new” one’s"
    assert in_source_form(edited, source, "en") == (
        'The "compute shortage" title, xAI\'s gap, and the "new" one\'s'
    )
    french = 'Il dit "oui" hier'
    edited = typeset(french, "fr").replace("oui", "non")
    assert in_source_form(edited, french, "fr") == 'Il dit "non" hier'


def test_marks_the_author_typed_stay_as_typed() -> None:
    source = "Moscow's «Зачем платить?» line"
    edited = typeset(source, "en").replace("line", "pitch")
    assert in_source_form(edited, source, "en") == "Moscow's «Зачем платить?» pitch"


def test_straighten_undoes_every_mark() -> None:
    assert (
        straighten(f"«{NBSP}a{NBSP}» „b“ ‚c‘ 「d」 『e』 ’ ′ ″")
        == '"a" "b" \'c\' "d" \'e\' \' \' "'
    )


@given(st.text(alphabet="ab '\"\n.,-(5«»", max_size=40))
def test_typesetting_then_absorbing_gives_the_source_back(source: str) -> None:
    for language in ("en", "fr", "ru"):
        assert in_source_form(typeset(source, language), source, language) == source
        assert typeset(typeset(source, language), language) == typeset(source, language)
