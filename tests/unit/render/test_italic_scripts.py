"""One rule for every renderer: which scripts may be slanted."""

from __future__ import annotations

import pytest

from briefkit.render.common.scripts import has_italic


@pytest.mark.parametrize("text", ["Latin words", "Кириллица", "Ελληνικά", "xAI’s “quote”", "5 %"])
def test_latin_cyrillic_and_greek_take_italic(text: str) -> None:
    assert has_italic(text)


@pytest.mark.parametrize(
    "text", ["“中方愿”", "نقل قول", "تخفیف", "हिन्दी", "שלום", "ข้าว", "カナ", "한국"]
)
def test_scripts_without_italic_stay_upright(text: str) -> None:
    assert not has_italic(text)
