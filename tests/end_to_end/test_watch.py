"""briefkit watch: rebuilds on change, keeps the last good output, stays up on errors."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from briefkit.building.batch import BuildReport, build_all
from briefkit.building.pipeline import BuildOptions
from briefkit.building.watch import watch
from tests.conftest import MINIMAL


def wait_for(condition: Callable[[], bool], seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_watch_rebuilds_changes_and_survives_errors(repo: Path, monkeypatch) -> None:
    monkeypatch.chdir(repo)
    brief = repo / "briefs" / "live.yaml"
    brief.write_text(MINIMAL, encoding="utf-8")
    output = repo / "out" / "live.pdf"
    reports: list[BuildReport] = []
    errors: list[str] = []
    stop = threading.Event()

    def build(files: list[Path]) -> BuildReport:
        report = build_all(files, BuildOptions(out_dir=repo / "out"))
        reports.append(report)
        return report

    watcher = threading.Thread(
        target=watch,
        args=(["briefs"], build, errors.append),
        kwargs={"stop": stop, "out_dir": repo / "out"},
    )
    watcher.start()
    try:
        assert wait_for(output.exists)
        first = output.read_bytes()

        brief.write_text(MINIMAL.replace("A minimal brief", "A changed brief"), encoding="utf-8")
        assert wait_for(lambda: output.read_bytes() != first)
        good = output.read_bytes()

        brief.write_text(MINIMAL + "status: drafty\n", encoding="utf-8")
        assert wait_for(lambda: any(r.failed for r in reports))
        assert output.read_bytes() == good  # the last good output stays
        failed = next(r for r in reports if r.failed)
        assert "status" in str(failed.results[0].diagnostics[0])

        (repo / "briefs" / "second.yaml").write_text(MINIMAL, encoding="utf-8")
        assert wait_for((repo / "out" / "second.pdf").exists)  # new briefs are picked up
        assert watcher.is_alive()
    finally:
        stop.set()
        watcher.join(timeout=10)
    assert not watcher.is_alive()
    assert errors == []


def test_watch_prints_a_briefs_warnings_once_per_change(repo: Path, monkeypatch, capsys) -> None:
    """A build prints a skipped brief's warnings again; a watch round after an unrelated change
    does not repeat them (one line per field, once per change of that brief)."""
    from briefkit.cli.build import run_build

    monkeypatch.chdir(repo)
    warned = repo / "briefs" / "warned.yaml"
    warned.write_text(MINIMAL.replace("The bottom line.", "The bottom line 𓀀."), "utf-8")
    other = repo / "briefs" / "other.yaml"
    other.write_text(MINIMAL, encoding="utf-8")
    options = BuildOptions(out_dir=repo / "out", formats=("pdf",))

    def round_output(repeat: bool) -> str:
        run_build(
            [other, warned], options, jobs=1, quiet=True, fail_fast=False, repeat_warnings=repeat
        )
        return capsys.readouterr().err

    assert round_output(True).count("Egyptian character") == 1  # the first round
    other.write_text(MINIMAL.replace("A minimal brief", "Another"), encoding="utf-8")
    later = round_output(False)  # a later round: only `other` changed
    assert "Egyptian character" not in later and "1 built, 1 skipped" in later
    assert "1 brief has warnings" in later  # still counted in the summary
