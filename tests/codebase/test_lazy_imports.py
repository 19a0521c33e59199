"""What a command does not need, it does not import: each probe runs briefkit in a fresh
process and lists the heavy modules it loaded (no timings here: see benchmarks/bench.py)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import MINIMAL

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("pydantic", "reportlab", "docx", "fontTools", "lxml", "ruamel", "pikepdf")
HEAVY += ("multiprocessing",)


def loaded_after(arguments: list[str], cwd: Path) -> list[str]:
    """The heavy top-level packages (and multiprocessing) loaded by ``briefkit ARGUMENTS``."""
    probe = (
        "import sys\n"
        "from briefkit.cli import main\n"
        f"try:\n    main({arguments!r})\n"
        "except SystemExit as exit:\n    print('EXIT', exit.code)\n"
        f"print('LOADED', sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert "EXIT 0" in result.stdout, result.stdout + result.stderr
    return ast.literal_eval(result.stdout.split("LOADED ", 1)[1].strip())


def test_a_no_op_build_loads_neither_the_model_nor_a_renderer(repo: Path) -> None:
    (repo / "briefs" / "a.yaml").write_text(MINIMAL, encoding="utf-8")
    (repo / "briefs" / "b.yaml").write_text(MINIMAL.replace("id: ", "id: b"), encoding="utf-8")
    assert loaded_after(["build", "-q", "--format", "pdf"], repo) != []  # built
    assert loaded_after(["build", "-q", "--format", "pdf"], repo) == []  # nothing to do


def test_building_one_brief_starts_no_process_pool(repo: Path) -> None:
    (repo / "briefs" / "a.yaml").write_text(MINIMAL, encoding="utf-8")
    loaded = loaded_after(["build", "-q", "-j", "2", "--format", "pdf", "--force"], repo)
    assert "reportlab" in loaded and "multiprocessing" not in loaded
    assert "pikepdf" in loaded  # the PDF's archival post-pass


def test_a_word_document_names_its_fonts_without_fonttools(repo: Path) -> None:
    (repo / "briefs" / "a.yaml").write_text(MINIMAL, encoding="utf-8")
    loaded_after(["build", "-q", "--format", "docx"], repo)  # the font cache holds the faces
    loaded = loaded_after(["build", "-q", "--format", "docx", "--force"], repo)
    assert "docx" in loaded and "fontTools" not in loaded
    assert "pikepdf" not in loaded


def test_family_names_read_without_fonttools_are_fonttools_names() -> None:
    from fontTools.ttLib import TTFont

    from briefkit import fonts
    from briefkit.render.docx.fonts import _family_name

    faces = [fonts.face_path(family, bold=False, italic=False) for family in fonts.FAMILIES]
    faces += [f for f in fonts.cache_dir().rglob("*.ttf")][:200]
    for face in faces:
        with TTFont(face, lazy=True) as font:
            expected = font["name"].getDebugName(1)
        assert _family_name(face.read_bytes()) in (expected, None), face
    assert _family_name(b"not a font") is None


def modules_after(arguments: list[str], cwd: Path) -> set[str]:
    """Every module loaded by ``briefkit ARGUMENTS``, run in a fresh process."""
    probe = (
        "import sys\n"
        "from briefkit.cli import main\n"
        f"try:\n    main({arguments!r})\n"
        "except SystemExit as exit:\n    print('EXIT', exit.code)\n"
        "print('LOADED', sorted(sys.modules))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert "EXIT 0" in result.stdout, result.stdout + result.stderr
    return set(ast.literal_eval(result.stdout.split("LOADED ", 1)[1].strip()))


# What check never needs for a valid brief: the document model and what builds it, the
# renderers and their libraries, and what only a wrong name needs (difflib's suggestions).
NOT_FOR_CHECK = (
    "briefkit.layout.document",
    "briefkit.layout.inline",
    "briefkit.layout.from_brief",
    "briefkit.building.pipeline",
    "briefkit.render.pdf.writer",
    "briefkit.render.docx",
    "briefkit.render.html",
    "reportlab",
    "docx",
    "fontTools",
    "lxml",
    "uharfbuzz",
    "bidi",
    "babel",
    "difflib",
)

LINKED = MINIMAL.replace("The bottom line.", "The bottom line, [in full](https://example.org).")


def test_check_loads_what_it_checks_with_and_nothing_it_does_not(repo: Path) -> None:
    example = (REPO / "briefs" / "xai-anthropic-alliance.yaml").read_text(encoding="utf-8")
    (repo / "briefs" / "example.yaml").write_text(example, encoding="utf-8")
    (repo / "briefs" / "linked.yaml").write_text(LINKED, encoding="utf-8")
    for brief in ("example.yaml", "linked.yaml"):
        loaded = modules_after(["check", f"briefs/{brief}"], repo)
        assert {
            "briefkit.brief.model",
            "briefkit.style.sheet",
            "briefkit.fonts",
        } <= loaded  # checked
        below = tuple(f"{name}." for name in NOT_FOR_CHECK)
        assert {m for m in loaded if m in NOT_FOR_CHECK or m.startswith(below)} == set(), brief
    assert "markdown_it" in loaded  # the links are read (and the probe sees what loads)
    # a brief without portion markings or editions needs no marking scheme
    assert {"briefkit.editions.derive", "briefkit.brief.markings"}.isdisjoint(loaded)


def test_icu_is_loaded_only_for_text_written_without_spaces(repo: Path) -> None:
    # ICU's line breaking (render/pdf/line_breaks.py) is for Thai, Lao, Khmer, Myanmar and
    # CJK text: a Latin brief, Arabic gloss and all, never loads it
    glossed = MINIMAL.replace("The bottom line.", "The bottom line at the Red Sea (البحر الأحمر).")
    (repo / "briefs" / "a.yaml").write_text(glossed, encoding="utf-8")
    latin = modules_after(["build", "-q", "--format", "pdf"], repo)
    assert "briefkit.render.pdf.line_breaks" in latin and "icu4py" not in latin
    thai = MINIMAL.replace("The bottom line.", "ผู้ส่งออกข้าวต้องรับภาระต้นทุนที่สูงขึ้น")
    (repo / "briefs" / "a.yaml").write_text(thai, encoding="utf-8")
    assert "icu4py" in modules_after(["build", "-q", "--format", "pdf"], repo)
