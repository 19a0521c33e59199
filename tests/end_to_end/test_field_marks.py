"""Field marks (the .docx bookmarks that say which field a text is) name every printed field
path reversibly, and documents built before "_" in a name was encoded still come back."""

from __future__ import annotations

import shutil
import typing
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pydantic import BaseModel

from briefkit.absorb.reader import Para, Reading, Run, legacy_marks, mark_field
from briefkit.brief.model import Brief
from briefkit.checks.loader import load_text
from briefkit.cli import main
from briefkit.i18n import words_for
from briefkit.layout.from_brief import ChangesSince, layout
from briefkit.render.docx import paragraphs
from briefkit.render.docx.paragraphs import cite_mark, field_mark, mark_path, path_of_mark
from tests import office_edits as edits
from tests.conftest import REPO

NAME = "xai-anthropic-alliance"
EXPECTED = Path(__file__).resolve().parents[1] / "data" / "absorb" / f"{NAME}.edited.yaml"


def _model_paths(model: type[BaseModel], where: str = "") -> set[str]:
    """Every field path of *model*, lists at index 0 and 12."""
    found: set[str] = set()
    for name, info in model.model_fields.items():
        path = f"{where}{name}"
        found.add(path)
        for inner in _classes(info.annotation):
            for index in ("", "0.", "12."):
                found |= _model_paths(inner, f"{path}.{index}")
        found |= {f"{path}.0", f"{path}.12"}
    return found


def _classes(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [c for arg in typing.get_args(annotation) for c in _classes(arg)]


def _printed_paths(value: Any, out: set[str]) -> set[str]:
    """The field paths a document's IR marks."""
    if isinstance(value, tuple):
        for item in value:
            _printed_paths(item, out)
    elif hasattr(value, "__dataclass_fields__"):
        for item in fields(value):
            got = getattr(value, item.name)
            if item.name in ("field", "title_field", "subtitle_field") and isinstance(got, str):
                out.add(got)
            elif item.name == "field_marks":
                out.update(mark for mark in got if mark)
            else:
                _printed_paths(got, out)
    return out


def _every_path() -> set[str]:
    printed: set[str] = set()
    for brief in sorted((REPO / "briefs").glob("*.yaml")):
        loaded = load_text(brief.read_text(encoding="utf-8"), str(brief))
        assert loaded.brief is not None
        words = words_for(loaded.brief.language)
        box = ChangesSince("HEAD", ("A line.",), notes=("A note.",))
        _printed_paths(layout(loaded.brief, words, changes=box), printed)
    assert len(printed) > 100  # a negative control: the walk finds the marks
    return printed | _model_paths(Brief) | _text_paths(Brief)


def _text_paths(model: type[BaseModel], where: str = "") -> set[str]:
    """Every text field of *model* the model says is printed (``Markup`` or ``Plain``), as
    ``briefkit.brief.field_types`` finds it from its path."""
    from briefkit.brief.field_types import field_type

    return {p for p in _model_paths(model, where) if (f := field_type(p)) and f.printed}


def test_every_field_path_round_trips_through_its_mark() -> None:
    paths = _every_path()
    assert "signals.0.change_note" in paths  # a name with "_" is among them
    for path in paths:
        assert mark_field(field_mark(path)) == ("field", path)
        # the later paragraphs of a long field, and LibreOffice's copies of a mark
        assert mark_field(f"{field_mark(path)}{paragraphs.CONTINUED}2") == ("field", path)
        assert mark_field(f"{field_mark(path)}_Copy_1") == ("field", path)
        assert mark_field(cite_mark(path, 3)) == ("cite", f"{path}.3")
        assert set(mark_path(path)) <= set(
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
        )


def test_the_old_encoding_did_not_round_trip() -> None:
    # the negative control of the test above: what the marks were before
    old = "signals.0.change_note".replace(".", "_")
    assert old.replace("_", ".") != "signals.0.change_note"
    assert path_of_mark(mark_path("signals.0.change_note")) == "signals.0.change_note"


def _reading(*paths: str) -> Reading:
    para = Para(1, "Normal", "", [(path, Run("text")) for path in paths], marks=list(paths))
    return Reading({}, [para], [], [])


def test_old_marks_are_taken_for_the_printed_paths_they_can_only_be() -> None:
    printed = _reading("signals.0.change_note", "title")
    edited = legacy_marks(_reading("signals.0.change.note", "title"), printed)
    assert edited.paragraphs[0].fields == ["signals.0.change_note", "title"]
    assert edited.paragraphs[0].marks == ["signals.0.change_note", "title"]


def test_old_marks_two_printed_paths_could_be_are_left_alone() -> None:
    printed = _reading("a.b_c.d", "a_b.c.d")
    edited = legacy_marks(_reading("a.b.c.d"), printed)
    assert edited.paragraphs[0].fields == ["a.b.c.d"]  # reported as unknown, not guessed


def test_a_document_built_by_the_previous_version_is_absorbed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefkit.building.pipeline import BuildOptions, build_brief

    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    shutil.copytree(REPO / "briefs", repo / "briefs")
    with monkeypatch.context() as old:  # the encoder of briefkit before this change
        old.setattr(paragraphs, "mark_path", lambda path: path.replace(".", "_"))
        brief = repo / "briefs" / f"{NAME}.yaml"
        result = build_brief(brief, BuildOptions(out_dir=repo / "out", formats=("docx",)))
        assert not result.failed, result.diagnostics
    edits.office_edit(repo / "out" / f"{NAME}.docx", repo / "edited.docx")
    monkeypatch.chdir(repo)
    args = ["absorb", "edited.docx", "--accept-changes", "--ignore-unmapped"]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (repo / "briefs" / f"{NAME}.yaml").read_bytes() == EXPECTED.read_bytes()
