"""Fonts: static faces built from the packaged variable fonts, coverage and font fallback runs.

Most tests use the default cache so that repeated runs are fast; only the tests about the cache
itself point BRIEFKIT_CACHE_DIR at a temporary directory.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont as FontToolsFont

from briefkit import fonts
from briefkit.fonts import FontError, codepoints, face_path, forget_coverage, missing, split_runs

LATIN = ["Source Sans 3", "Source Serif 4", "Source Code Pro"]
CJK = "Noto Sans SC"


def two_font_runs(
    text: str, primary: frozenset[int], fallback: frozenset[int]
) -> list[tuple[str, bool]]:
    """split_runs over a two-font chain, each run flagged True when the fallback sets it."""
    return [(run, bool(index)) for run, index in split_runs(text, [primary, fallback])]


STYLES = [(False, False), (False, True), (True, False), (True, True)]

EUROPEAN = "éüŁő" + "αβγΩ" + "жЖЯя" + "€→✓“”—…•"
HANZI = "利益格局"
DOCUMENT = f"Growth: {HANZI}，{HANZI}。"  # the Han text of every CJK face built here, to save time
NO_FONT = "\U0001f600\U00013000"  # an emoji and an Egyptian hieroglyph

ITALIC_BIT = 0x01  # OS/2 fsSelection
MAC_ITALIC_BIT = 0x02  # head macStyle


def _font(path: Path) -> FontToolsFont:
    return FontToolsFont(path)


@pytest.fixture(scope="module")
def latin_faces() -> dict[tuple[str, bool, bool], Path]:
    return {
        (name, bold, italic): face_path(name, bold=bold, italic=italic)
        for name in LATIN
        for bold, italic in STYLES
    }


@pytest.fixture
def tmp_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BRIEFKIT_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def fresh_codepoints() -> Iterator[None]:
    """Forget the in-memory coverage before and after, so the disk cache is exercised."""
    forget_coverage()
    yield
    forget_coverage()


# --- faces ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", LATIN)
def test_latin_faces_are_static_with_the_right_style(
    name: str, latin_faces: dict[tuple[str, bool, bool], Path]
) -> None:
    postscript_names = set()
    for bold, italic in STYLES:
        font = _font(latin_faces[name, bold, italic])
        assert "fvar" not in font and "gvar" not in font
        assert "glyf" in font
        assert font["OS/2"].usWeightClass == (700 if bold else 400)
        assert bool(font["OS/2"].fsSelection & ITALIC_BIT) == italic
        assert bool(font["head"].macStyle & MAC_ITALIC_BIT) == italic
        postscript_names.add(font["name"].getDebugName(6))
    assert len(postscript_names) == 4, postscript_names


def test_source_serif_is_pinned_to_the_text_optical_size(
    latin_faces: dict[tuple[str, bool, bool], Path],
) -> None:
    regular = _font(latin_faces["Source Serif 4", False, False])
    assert "11pt" in regular["name"].getDebugName(4)


def test_faces_load_in_reportlab(latin_faces: dict[tuple[str, bool, bool], Path]) -> None:
    from reportlab.pdfbase.ttfonts import TTFont

    paths = [*latin_faces.values()]
    paths += [face_path(CJK, bold=b, italic=False, characters=DOCUMENT) for b in (False, True)]
    for index, path in enumerate(paths):
        TTFont(f"BriefkitTest{index}", str(path))


def test_faces_are_cached_and_not_rebuilt(tmp_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fontTools.varLib import instancer

    first = face_path("Source Code Pro", bold=False, italic=False)
    assert first.parent == tmp_cache / "fonts"
    assert first.is_file()
    built = first.stat().st_mtime_ns

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a cached face was rebuilt")

    monkeypatch.setattr(instancer, "instantiateVariableFont", refuse)
    assert face_path("Source Code Pro", bold=False, italic=False) == first
    # characters only matter for families subset per document
    assert face_path("Source Code Pro", bold=False, italic=False, characters="abc") == first
    assert first.stat().st_mtime_ns == built
    cached = [
        p.name
        for p in first.parent.iterdir()
        if p.suffix not in (".json", ".sha256", ".lock") and not p.name.startswith(".announced-")
    ]
    assert cached == [first.name]


def test_faces_built_on_different_days_are_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two machines' caches must give the same bytes, or their documents would differ."""
    built = []
    for name, day in (("one", 1_700_000_000), ("two", 1_800_000_000)):
        monkeypatch.setenv("BRIEFKIT_CACHE_DIR", str(tmp_path / name))
        monkeypatch.setattr("time.time", lambda day=day: float(day))
        built.append(
            face_path("Noto Sans SC", bold=True, italic=False, characters="利益").read_bytes()
        )
    assert built[0] == built[1]


def test_cache_file_names_say_family_style_and_version(
    latin_faces: dict[tuple[str, bool, bool], Path],
) -> None:
    from importlib.metadata import version

    name = latin_faces["Source Sans 3", True, True].name
    assert name.startswith("SourceSans3-BoldItalic-")
    assert version("fontpkg-source-sans-3") in name


def test_cache_dir_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRIEFKIT_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert fonts.cache_dir() == tmp_path / "home" / ".cache" / "briefkit"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert fonts.cache_dir() == tmp_path / "xdg" / "briefkit"
    monkeypatch.setenv("BRIEFKIT_CACHE_DIR", str(tmp_path / "mine"))
    assert fonts.cache_dir() == tmp_path / "mine"


# --- the CJK family, subset per document ----------------------------------------------------


def test_cjk_face_is_a_small_subset_with_the_documents_glyphs() -> None:
    for bold in (False, True):
        path = face_path(CJK, bold=bold, italic=False, characters=DOCUMENT)
        assert path.stat().st_size < 1_000_000
        font = _font(path)
        assert "fvar" not in font
        assert font["OS/2"].usWeightClass == (700 if bold else 400)
        cmap = font.getBestCmap()
        glyphs = font["glyf"]
        for ch in HANZI + "，。 ":
            assert ord(ch) in cmap, ch
        for ch in HANZI:
            assert glyphs[cmap[ord(ch)]].numberOfContours > 0, ch


def test_cjk_faces_have_distinct_postscript_names() -> None:
    names = {
        _font(face_path(CJK, bold=bold, italic=False, characters=DOCUMENT))["name"].getDebugName(6)
        for bold in (False, True)
    }
    assert len(names) == 2


def test_cjk_italic_uses_the_upright_face() -> None:
    upright = face_path(CJK, bold=True, italic=False, characters=DOCUMENT)
    assert face_path(CJK, bold=True, italic=True, characters=DOCUMENT) == upright


def test_cjk_faces_depend_on_the_documents_han_characters_only() -> None:
    base = face_path(CJK, bold=False, italic=False, characters=DOCUMENT)
    assert face_path(CJK, bold=False, italic=False, characters=DOCUMENT + "中") != base
    # order, repeats and Latin text do not matter: they would only churn the cache
    same = face_path(CJK, bold=False, italic=False, characters="。局格益利，利益 and more Łő")
    assert same == base


def test_a_cjk_face_without_characters_has_ascii_only(tmp_cache: Path) -> None:
    """Enough to measure Latin text; the documents' own text is always passed for drawing."""
    from fontTools.ttLib import TTFont

    covered = set(TTFont(face_path(CJK, bold=False, italic=False)).getBestCmap())
    assert set(range(0x20, 0x7F)) <= covered and ord("利") not in covered


# --- coverage -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Source Sans 3", "Source Serif 4"])
def test_text_families_cover_european_scripts_and_typography(name: str) -> None:
    assert missing(EUROPEAN, codepoints(name)) == []


def test_cjk_family_covers_han() -> None:
    assert missing(HANZI + "，。、「」", codepoints(CJK)) == []


def test_coverage_is_remembered_on_disk(
    tmp_cache: Path, fresh_codepoints: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fontTools.ttLib

    covered = codepoints("Source Code Pro")
    stored = list((tmp_cache / "fonts").glob("*.json"))
    assert len(stored) == 1
    assert json.loads(stored[0].read_text(encoding="utf-8"))["family"] == "Source Code Pro"

    forget_coverage()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the font file was read again")

    monkeypatch.setattr(fontTools.ttLib, "TTFont", refuse)
    assert codepoints("Source Code Pro") == covered


def test_an_unwritable_cache_is_a_font_error(
    tmp_path: Path, fresh_codepoints: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("BRIEFKIT_CACHE_DIR", str(blocker))
    with pytest.raises(FontError, match="BRIEFKIT_CACHE_DIR"):
        codepoints("Source Code Pro")


# --- runs and missing characters ------------------------------------------------------------


@pytest.fixture(scope="module")
def serif() -> frozenset[int]:
    return codepoints("Source Serif 4")


@pytest.fixture(scope="module")
def han() -> frozenset[int]:
    return codepoints(CJK)


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "plain Latin",
        f"The {HANZI} shift.",
        f"“{HANZI}”, she said",
        f"  {HANZI}\n{HANZI} x {NO_FONT}",
        f"{HANZI}，{HANZI}。",
    ],
)
def test_runs_give_back_the_text(text: str, serif: frozenset[int], han: frozenset[int]) -> None:
    runs = two_font_runs(text, serif, han)
    assert "".join(run for run, _ in runs) == text
    assert all(run for run, _ in runs)
    assert all(a[1] != b[1] for a, b in itertools.pairwise(runs)), "runs not maximal"


def test_mixed_text_splits_into_latin_and_cjk_runs(
    serif: frozenset[int], han: frozenset[int]
) -> None:
    assert two_font_runs(f"The {HANZI} shift", serif, han) == [
        ("The ", False),
        (f"{HANZI} ", True),
        ("shift", False),
    ]


def test_spaces_between_cjk_words_do_not_split_the_run(
    serif: frozenset[int], han: frozenset[int]
) -> None:
    assert two_font_runs("利益 格局", serif, han) == [("利益 格局", True)]


def test_cjk_punctuation_belongs_to_the_fallback(
    serif: frozenset[int], han: frozenset[int]
) -> None:
    assert two_font_runs("Yes，no", serif, han) == [("Yes", False), ("，", True), ("no", False)]


def test_punctuation_both_fonts_have_joins_the_current_run(
    serif: frozenset[int], han: frozenset[int]
) -> None:
    assert two_font_runs(f"“{HANZI}”", serif, han) == [(f"“{HANZI}”", True)]
    assert two_font_runs(f"a, {HANZI}", serif, han) == [("a, ", False), (HANZI, True)]


def test_letters_and_digits_both_fonts_have_stay_primary(
    serif: frozenset[int], han: frozenset[int]
) -> None:
    assert two_font_runs("2026年", serif, han) == [("2026", False), ("年", True)]


def test_characters_no_font_covers_stay_primary(serif: frozenset[int], han: frozenset[int]) -> None:
    assert two_font_runs(f"{HANZI}{NO_FONT}", serif, han) == [(HANZI, True), (NO_FONT, False)]


def test_missing_reports_uncovered_characters_once_in_order(
    serif: frozenset[int], han: frozenset[int]
) -> None:
    text = f"Smile \U0001f600 {HANZI}\t\n\U00013000 again \U0001f600"
    assert missing(text, serif, han) == ["\U0001f600", "\U00013000"]
    assert missing(text, serif) == ["\U0001f600", *HANZI, "\U00013000"]
    assert missing("a\tb\nc\r ", frozenset()) == ["a", "b", "c"]


# --- errors and import cost -----------------------------------------------------------------


def test_unknown_family_suggests_the_near_miss() -> None:
    with pytest.raises(FontError) as caught:
        fonts.family("Source Sans")
    message = str(caught.value)
    assert "did you mean 'Source Sans 3'?" in message
    assert "Noto Sans SC" in message


def test_unknown_family_lists_what_is_available() -> None:
    with pytest.raises(FontError) as caught:
        face_path("Comic Sans", bold=False, italic=False)
    message = str(caught.value)
    assert "Comic Sans" in message
    assert all(name in message for name in fonts.FAMILIES)


def test_family_names_forgive_case_and_spacing() -> None:
    assert fonts.family("source  serif 4") is fonts.FAMILIES["Source Serif 4"]


def test_importing_fonts_is_cheap() -> None:
    code = (
        "import sys, briefkit.fonts; "
        "print([m for m in sys.modules if m.startswith(('fontTools', 'reportlab'))])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_a_damaged_cached_face_is_built_again(tmp_cache: Path) -> None:
    """A truncated cache entry (a full disk, a killed process) must not break every build."""
    from fontTools.ttLib import TTFont

    face = face_path("Source Code Pro", bold=True, italic=False)
    whole = face.read_bytes()
    face.write_bytes(whole[: len(whole) // 3])
    again = face_path("Source Code Pro", bold=True, italic=False)
    assert again == face and again.read_bytes() == whole
    TTFont(again).ensureDecompiled()  # it parses
