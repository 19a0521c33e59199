"""briefkit watch: rebuilds on change, keeps the last good output, stays up on errors."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from briefkit.build import BuildOptions, BuildReport, build_all
from briefkit.watch import watch
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
