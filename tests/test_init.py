"""briefkit init: a brief repository that checks and builds out of the box."""

from __future__ import annotations

import re
import subprocess

from click.testing import CliRunner

from briefkit.cli import main
from tests.conftest import require_tool


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_init_makes_a_repository_that_checks_and_builds(tmp_path, monkeypatch):
    require_tool("git")
    target = tmp_path / "briefs-repo"
    result = run("init", str(target))
    assert result.exit_code == 0, result.output
    assert (target / ".git").is_dir()
    for relative in (
        "briefs/example.yaml",
        "briefs/sources/council-notice.txt",
        "styles/house.yaml",
        ".gitignore",
        ".pre-commit-config.yaml",
        "schema/brief.schema.json",
    ):
        assert (target / relative).is_file(), relative
    example = (target / "briefs" / "example.yaml").read_text(encoding="utf-8")
    assert example.startswith("# yaml-language-server: $schema=../schema/brief.schema.json")

    monkeypatch.chdir(target)
    check = run("check", "--strict")  # quotes verified against the shipped source text
    assert check.exit_code == 0, check.output
    assert "0 errors, 0 warnings" in check.stderr
    build = run("build", "-q")
    assert build.exit_code == 0, build.output
    assert (target / "out" / "example.pdf").is_file()
    ignored = subprocess.run(
        ["git", "check-ignore", "out/example.pdf"], cwd=target, capture_output=True, text=True
    )
    assert ignored.returncode == 0  # outputs are not committed
    assert "house" in run("styles").stdout


def test_init_never_overwrites(tmp_path):
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "house.yaml").write_text("extends: default\n", encoding="utf-8")
    result = run("init", str(tmp_path), "--no-git")
    assert result.exit_code == 0
    assert "kept existing" in result.stderr
    assert (tmp_path / "styles" / "house.yaml").read_text(encoding="utf-8") == "extends: default\n"
    assert not (tmp_path / ".git").exists()


def test_pre_commit_hooks_offer_briefkit_check():
    from ruamel.yaml import YAML

    from tests.conftest import REPO

    hooks = YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "briefkit-check")
    assert hook["entry"].split()[:2] == ["briefkit", "check"]
    assert hook["language"] == "python"
    assert re.search(hook["files"], "briefs/x.yaml") and not re.search(hook["files"], "x.py")


def test_init_without_git_still_checks_and_builds(tmp_path, monkeypatch):
    target = tmp_path / "plain"
    assert run("init", str(target), "--no-git").exit_code == 0
    assert not (target / ".git").exists()
    monkeypatch.chdir(target)
    check = run("check", "--strict")
    assert check.exit_code == 0, check.output  # finds styles/house.yaml and the source text
    build = run("build", "-q")
    assert build.exit_code == 0, build.output
    assert (target / "out" / "example.pdf").is_file()
