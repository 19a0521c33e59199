"""Mistakes around a build (file names, output folders, settings) fail cleanly, never with a
traceback, and never at the cost of other briefs or earlier outputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefkit.building.batch import build_all
from briefkit.building.pipeline import BriefContext, BuildOptions
from tests.conftest import MINIMAL


def test_same_file_name_in_two_folders_is_refused_not_overwritten(repo: Path, cli) -> None:
    for folder in ("a", "b"):
        (repo / "briefs" / folder).mkdir()
        (repo / "briefs" / folder / "same.yaml").write_text(MINIMAL, encoding="utf-8")
    (repo / "briefs" / "other.yaml").write_text(MINIMAL, encoding="utf-8")
    result = cli("build", "--format", "pdf")
    assert result.exit_code == 1
    assert "briefs/a/same.yaml and briefs/b/same.yaml would both write same.pdf" in result.stderr
    assert "1 built, 0 skipped (unchanged), 2 failed" in result.stderr
    assert not (repo / "out" / "same.pdf").exists()


def test_unwritable_output_folder_is_reported(repo: Path, cli) -> None:
    (repo / "briefs" / "b.yaml").write_text(MINIMAL, encoding="utf-8")
    (repo / "afile").write_text("not a folder", encoding="utf-8")
    result = cli("build", "-o", "afile/sub", "--format", "pdf")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "cannot write afile/sub/b.pdf" in result.stderr


def test_schema_and_new_report_unwritable_targets(repo: Path, cli) -> None:
    (repo / "afile").write_text("", encoding="utf-8")
    schema = cli("schema", "-o", "afile/x.json")
    assert schema.exit_code == 2 and "cannot write afile/x.json" in schema.stderr
    new = cli("new", "s", "--dir", "afile/briefs")
    assert new.exit_code == 2 and "cannot write" in new.stderr


def test_a_bug_in_one_brief_does_not_stop_the_batch(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefkit.building.pipeline as build

    for name in ("fine", "boom"):
        (repo / "briefs" / f"{name}.yaml").write_text(MINIMAL, encoding="utf-8")
    real = build.build_brief

    def flaky(path: Path, options: BuildOptions, context: BriefContext | None = None):
        if path.stem == "boom":
            raise RuntimeError("simulated bug")
        return real(path, options, context)

    monkeypatch.setattr(build, "build_brief", flaky)
    paths = sorted((repo / "briefs").glob("*.yaml"))
    report = build_all(paths, BuildOptions(out_dir=repo / "out", formats=("pdf",)), jobs=1)
    outcomes = {r.path.stem: r.outcome.value for r in report.results}
    assert outcomes == {"boom": "failed", "fine": "built"}
    boom = next(r for r in report.results if r.path.stem == "boom")
    assert "internal error while building (RuntimeError: simulated bug)" in str(boom.diagnostics[0])


def test_a_source_text_that_appears_later_triggers_a_rebuild(repo: Path, cli) -> None:
    brief = repo / "briefs" / "q.yaml"
    brief.write_text(
        MINIMAL
        + "sources:\n  - id: s\n    title: S\n    text: src.txt\n"
        + "evidence:\n  - id: e\n    source: s\n    quote: hello world\n",
        encoding="utf-8",
    )
    assert cli("build", "--format", "pdf").exit_code == 0
    (repo / "briefs" / "src.txt").write_text("different text", encoding="utf-8")
    result = cli("build", "--format", "pdf")
    assert result.exit_code == 1
    assert "quote not found" in result.stderr


@pytest.mark.parametrize("value", ["soon", "99999999999999"])
def test_bad_source_date_epoch_is_a_usage_error(
    repo: Path, cli, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    (repo / "briefs" / "b.yaml").write_text(MINIMAL, encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    result = cli("build")
    assert result.exit_code == 2
    assert "SOURCE_DATE_EPOCH must be whole seconds since 1970" in result.stderr


@pytest.mark.parametrize("value", ["house.yaml", "styles/house", ""])
def test_style_option_takes_a_name(repo: Path, cli, value: str) -> None:
    (repo / "briefs" / "b.yaml").write_text(MINIMAL, encoding="utf-8")
    result = cli("build", "--style", value)
    assert result.exit_code == 2
    assert "is not a style name" in result.stderr


def test_a_brief_saved_during_its_build_is_rebuilt_next_time(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefkit.layout.from_brief

    brief = repo / "briefs" / "racy.yaml"
    brief.write_text(MINIMAL, encoding="utf-8")
    real = briefkit.layout.from_brief.layout

    def save_while_building(*args, **kwargs):
        # the analyst saves an edit (of the same length) while the build is running
        brief.write_text(MINIMAL.replace("minimal", "changed"), encoding="utf-8")
        return real(*args, **kwargs)

    options = BuildOptions(out_dir=repo / "out", formats=("pdf",))
    monkeypatch.setattr(briefkit.layout.from_brief, "layout", save_while_building)
    assert build_all([brief], options).results[0].outcome.value == "built"
    monkeypatch.setattr(briefkit.layout.from_brief, "layout", real)
    again = build_all([brief], options).results[0]
    assert again.outcome.value == "built"  # not skipped: the saved edit gets its own build


def test_an_unwritable_font_cache_is_a_user_error(repo: Path, cli, monkeypatch) -> None:
    import briefkit.fonts

    (repo / "briefs" / "b.yaml").write_text(MINIMAL, encoding="utf-8")
    blocker = repo / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("BRIEFKIT_CACHE_DIR", str(blocker / "cache"))
    for name in dir(briefkit.fonts):  # forget fonts prepared in this process
        cached = getattr(getattr(briefkit.fonts, name), "cache_clear", None)
        if cached is not None:
            cached()
    result = cli("build", "--format", "pdf")
    assert result.exit_code == 1
    assert "BRIEFKIT_CACHE_DIR" in result.stderr
    assert "internal error" not in result.stderr and ":1:1:" not in result.stderr
