"""Batch and incremental builds over a brief repository."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import MINIMAL, require_tool

FORMATS = "pdf,docx"


def make_briefs(repo: Path, count: int) -> list[Path]:
    paths = []
    for n in range(count):
        path = repo / "briefs" / f"brief-{n:02d}.yaml"
        path.write_text(
            MINIMAL.replace("id: minimal", f"id: brief-{n:02d}")
            + f"signals:\n  - id: s1\n    title: Signal of brief {n}\n"
            + "    observation: Observed.\n    interpretation: Interpreted.\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def snapshot(out: Path) -> dict[str, tuple[int, bytes]]:
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(out.iterdir())}


@pytest.fixture(scope="module")
def built_thirty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository of 30 briefs, built once; tests work on copies of it."""
    from click.testing import CliRunner

    from briefkit.cli import main

    git = require_tool("git")
    template = tmp_path_factory.mktemp("thirty")
    (template / "briefs").mkdir()
    make_briefs(template, 30)
    quiet = {"capture_output": True, "check": True, "cwd": template}
    subprocess.run([git, "init", "-q"], **quiet)
    subprocess.run([git, "add", "-A"], **quiet)
    identity = ["-c", "user.name=Analyst", "-c", "user.email=analyst@example.com"]
    subprocess.run([git, *identity, "commit", "-q", "-m", "thirty briefs"], **quiet)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(template)
        result = CliRunner().invoke(main, ["build", "--format", FORMATS, "-j", "2"])
    assert result.exit_code == 0, result.output
    assert "30 built, 0 skipped (unchanged), 0 failed" in result.stderr
    return template


@pytest.fixture
def thirty(repo: Path, built_thirty: Path) -> list[Path]:
    shutil.rmtree(repo / ".git")
    shutil.copytree(built_thirty, repo, dirs_exist_ok=True)  # keeps modification times
    return sorted((repo / "briefs").glob("*.yaml"))


def outputs(repo: Path) -> list[str]:
    return sorted(p.name for p in (repo / "out").iterdir() if not p.name.startswith("."))


def test_batch_builds_every_brief(repo, thirty):
    assert len(outputs(repo)) == 30 * len(FORMATS.split(","))


def test_second_run_rewrites_nothing(repo, cli, thirty):
    """A no-op build renders nothing (its speed is measured in benchmarks/bench.py; that it
    imports no renderer is tests/codebase/test_lazy_imports.py's)."""
    before = snapshot(repo / "out")
    result = cli("build", "--format", FORMATS)
    assert result.exit_code == 0
    assert "0 built, 30 skipped (unchanged), 0 failed" in result.stderr
    after = snapshot(repo / "out")
    assert {k: v for k, v in after.items() if not k.startswith(".")} == {
        k: v for k, v in before.items() if not k.startswith(".")
    }
    assert "30 built" in cli("build", "--format", FORMATS, "--force").stderr


def test_editing_one_brief_rebuilds_only_it(repo, cli, thirty):
    before = snapshot(repo / "out")
    thirty[7].write_text(thirty[7].read_text().replace("Signal of", "Edited signal of"))
    result = cli("build", "--format", FORMATS)
    assert "1 built, 29 skipped (unchanged), 0 failed" in result.stderr
    after = snapshot(repo / "out")
    changed = sorted(k for k in after if not k.startswith(".") and after[k] != before[k])
    assert changed == sorted(f"brief-07.{fmt}" for fmt in FORMATS.split(","))


def test_style_change_rebuilds_the_briefs_using_it(repo, cli, thirty):
    (repo / "styles").mkdir()
    (repo / "styles" / "house.yaml").write_text("extends: default\n", encoding="utf-8")
    brief = thirty[3]
    brief.write_text(brief.read_text() + "style: house\n")
    assert "1 built, 29 skipped" in cli("build", "--format", FORMATS).stderr
    (repo / "styles" / "house.yaml").write_text(
        "extends: default\ncolors: {accent: '#006D5B'}\n", encoding="utf-8"
    )
    assert "1 built, 29 skipped" in cli("build", "--format", FORMATS).stderr
    # a repository default.yaml shadows the built-in one that every brief uses (house too)
    (repo / "styles" / "default.yaml").write_text("extends: default\n", encoding="utf-8")
    assert "30 built, 0 skipped" in cli("build", "--format", FORMATS).stderr
    assert "0 built, 30 skipped" in cli("build", "--format", FORMATS).stderr


def test_force_rebuilds_everything(repo, cli, thirty):
    result = cli("build", "--format", FORMATS, "--force")
    assert "30 built, 0 skipped" in result.stderr


def test_broken_brief_fails_alone_and_keeps_its_outputs(repo, cli, thirty):
    before = snapshot(repo / "out")
    thirty[4].write_text(thirty[4].read_text() + "status: drafty\n")
    thirty[5].write_text(thirty[5].read_text().replace("Signal of", "Changed signal of"))
    result = cli("build", "--format", FORMATS)
    assert result.exit_code == 1
    assert "briefs/brief-04.yaml:12:9: status: 'drafty' is not allowed" in result.stderr
    assert "1 built, 28 skipped (unchanged), 1 failed" in result.stderr
    after = snapshot(repo / "out")
    for fmt in FORMATS.split(","):
        assert after[f"brief-04.{fmt}"] == before[f"brief-04.{fmt}"]
        assert after[f"brief-05.{fmt}"] != before[f"brief-05.{fmt}"]
    # still broken: tried again next time, never skipped
    again = cli("build", "--format", FORMATS)
    assert "0 built, 29 skipped (unchanged), 1 failed" in again.stderr


def test_fail_fast_stops_early(repo, cli):
    briefs = make_briefs(repo, 4)
    briefs[0].write_text(briefs[0].read_text() + "status: drafty\n")
    result = cli("build", "--format", FORMATS, "-j", "1", "--fail-fast")
    assert result.exit_code == 1
    assert "0 built, 0 skipped (unchanged), 1 failed" in result.stderr


def test_outputs_of_deleted_briefs_are_kept_until_pruned(repo, cli):
    briefs = make_briefs(repo, 3)
    assert cli("build", "--format", FORMATS).exit_code == 0
    briefs[1].unlink()
    result = cli("build", "--format", FORMATS)
    formats = FORMATS.split(",")
    assert f"kept {len(formats)} output" in result.stderr
    assert "of deleted briefs (use --prune to delete them)" in result.stderr
    assert "brief-01.pdf" in outputs(repo)
    result = cli("build", "--format", FORMATS, "--prune")
    for fmt in formats:
        assert f"deleted out/brief-01.{fmt} (its brief no longer exists)" in result.stderr
    assert outputs(repo) == sorted(f"brief-{n}.{fmt}" for n in ("00", "02") for fmt in formats)


def test_quiet_prints_only_problems_and_summary(repo, cli):
    make_briefs(repo, 2)
    result = cli("build", "--format", FORMATS, "-q")
    assert result.stderr.splitlines() == [
        "2 built, 0 skipped (unchanged), 0 failed in " + result.stderr.split(" in ")[-1].strip()
    ]
