"""absorb of an edition's .docx: edits land on the same parts of the full brief, withheld
parts stay, and an edit with no place in the brief is refused with a clear message."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import docx
from click.testing import Result

from tests import office_edits as edits
from tests.end_to_end.test_editions import BRIEF

WITH_MORE = BRIEF.replace(
    "sources:\n",
    "    - id: kj-later\n      text: Later open judgment.\n      handling: TLP:CLEAR\nsources:\n",
)


def _edit(path: Path, old: str, new: str) -> None:
    word = docx.Document(str(path))
    edits.replace_text(word.element.body, old, new)
    word.save(str(path))


def test_an_edition_edit_lands_in_the_full_brief(
    repo: Path, write_brief: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    brief = write_brief(WITH_MORE, "ed.yaml")
    assert cli("build", "--format", "docx").exit_code == 0
    edited = repo / "edited.docx"
    shutil.copy(repo / "out" / "ed.public.docx", edited)
    # the edition's second judgment is the brief's third (the second is withheld)
    _edit(edited, "Later open judgment.", "Later open judgment, revised.")
    result = cli("absorb", str(edited), str(brief))
    assert result.exit_code == 0, result.output
    text = brief.read_text(encoding="utf-8")
    assert "text: Later open judgment, revised." in text
    assert "Closed judgment about Quillfeather." in text and "Quillfeather memo" in text
    assert text.replace("Later open judgment, revised.", "Later open judgment.") == WITH_MORE


def test_an_edit_of_the_edition_own_text_is_refused(
    repo: Path, write_brief: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    brief = write_brief(WITH_MORE, "ed.yaml")
    assert cli("build", "--format", "docx").exit_code == 0
    edited = repo / "edited.docx"
    shutil.copy(repo / "out" / "ed.public.docx", edited)
    _edit(edited, "The bottom line for everyone.", "A new bottom line.")
    result = cli("absorb", str(edited), str(brief))
    assert result.exit_code != 0
    assert "cannot place an edit: summary.bluf is the edition's own text" in result.output, (
        result.output
    )
    assert brief.read_text(encoding="utf-8") == WITH_MORE
