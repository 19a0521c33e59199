"""How high and deep shaped text's ink reaches, and the exact line height that holds it."""

from __future__ import annotations

import pytest

from briefkit import fonts
from briefkit.render.common.measure import EXACT_LINE_ASCENT, exact_line_height


def test_marks_stacked_over_a_tall_letter_rise_above_the_letters():
    plain = fonts.ink_extents("Noto Sans Arabic", "لا")
    marked = fonts.ink_extents("Noto Sans Arabic", "لَّا")  # shadda and fatha over lam
    assert marked[0] > plain[0] + 0.2
    assert fonts.ink_extents("Noto Sans Arabic", "في")[1] > 0.3  # yeh's dots below


def test_latin_ink_is_about_an_em():
    above, below = fonts.ink_extents("Source Sans 3", "Hgjpy ÇÅ")
    assert 0.6 < above < 1.0
    assert 0.15 < below < 0.35


def test_nothing_drawn_has_no_extent():
    assert fonts.ink_extents("Source Sans 3", "  ") == (0.0, 0.0)


def test_a_line_keeps_its_leading_when_the_ink_fits():
    latin = fonts.ink_extents("Source Sans 3", "Hgjpy")
    devanagari = fonts.ink_extents("Noto Sans Devanagari", "अतिरिक्त क्षमता उपलब्ध है")
    assert exact_line_height(14, 10, [latin, devanagari]) == 14


def test_a_tall_script_gets_the_height_its_highest_mark_needs():
    ink = fonts.ink_extents("Noto Sans Arabic", "المحوَّلة في لَّا")
    height = exact_line_height(14, 10, [ink])
    above, below = ink
    assert height > 14  # shadda and fatha over lam rise above what a 14 pt line leaves room for
    # Word and LibreOffice set the baseline EXACT_LINE_ASCENT of the line down from its top:
    # the highest mark stays inside the line's box, so no renderer clips it, and no more is
    # added: lines keep as close to the PDF's leading as the marks allow.
    assert height == pytest.approx(above * 10 / EXACT_LINE_ASCENT)
    # Not the worst case, a descender right above the next line's highest mark: the rare
    # words that reach both depths seldom meet, and the PDF sets them at the leading too.
    assert height < (above + below) * 10
    assert height < 2.1 * 10  # nor the font's declared 2.1 em
