"""An analyst's first day (issue 14), end to end through the real command line: a fresh clone,
the quick start, a repository of their own, a brief, an edit, git, a diff and a changes box,
with no warning and no stray file on the way."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, require_tool
from tests.pdf_helpers import pdftotext, words


class Shell:
    """Runs commands the way the analyst types them, in a working folder that `cd` moves."""

    def __init__(self, home: Path, cwd: Path) -> None:
        self.cwd = cwd
        gitconfig = home / "gitconfig"
        gitconfig.write_text(
            "[user]\n\tname = Analyst\n\temail = analyst@example.com\n"
            "[init]\n\tdefaultBranch = main\n",
            encoding="utf-8",
        )
        self.env = {**os.environ, "GIT_CONFIG_GLOBAL": str(gitconfig), "GIT_CONFIG_NOSYSTEM": "1"}
        for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "SOURCE_DATE_EPOCH"):
            self.env.pop(name, None)

    def cd(self, folder: str) -> None:
        self.cwd = (self.cwd / folder).resolve()

    def briefkit(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "briefkit", *args],
            cwd=self.cwd,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if ok:
            assert result.returncode == 0, (args, result.stdout, result.stderr)
        return result

    def git(self, *args: str, cwd: Path | None = None) -> str:
        result = subprocess.run(
            ["git", *args],
            cwd=cwd or self.cwd,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout


def fresh_clone(shell: Shell, tmp_path: Path) -> Path:
    """A clone of this project as it stands (tracked and new files, none that git ignores)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    origin = tmp_path / "origin"
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():
            (origin / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, origin / name)
    shell.git("init", "-q", str(origin), cwd=tmp_path)
    shell.git("add", "-A", cwd=origin)
    shell.git("commit", "-q", "-m", "briefkit", cwd=origin)
    shell.git("clone", "-q", str(origin), str(tmp_path / "briefkit"), cwd=tmp_path)
    return tmp_path / "briefkit"


def no_warning(result: subprocess.CompletedProcess[str]) -> None:
    assert "warning" not in (result.stdout + result.stderr).replace(" 0 warnings", ""), (
        result.stdout + result.stderr
    )


def fill_in(skeleton: str) -> str:
    """What an analyst writes over the TODOs of `briefkit new`."""
    return (
        skeleton.replace("TODO title of the source", "Port authority notice")
        .replace("TODO title", "Market entry by a low-cost rival")
        .replace("TODO short headline", "Rival files for landing slots")
        .replace("TODO what we do not know yet?", "Will the rival undercut on price?")
        .replace("TODO who", "Our regional sales team")
        .replace("TODO ", "")
    )


def test_first_day(tmp_path: Path) -> None:
    require_tool("git")
    pdftotext_ok = shutil.which("pdftotext") is not None
    (tmp_path / "home").mkdir()
    shell = Shell(tmp_path / "home", tmp_path)

    # a fresh clone and the quick start: no warning, nothing to commit afterwards
    clone = fresh_clone(shell, tmp_path)
    shell.cd("briefkit")
    quick = shell.briefkit("build", "briefs/")
    no_warning(quick)
    assert (clone / "out" / "xai-anthropic-alliance.pdf").is_file()
    assert shell.git("status", "--porcelain", "--untracked-files=all") == ""

    # a repository of their own, following what init prints, literally
    init = shell.briefkit("init", "../team")
    assert "next: cd ../team && briefkit check && briefkit build" in init.stderr
    shell.cd("../team")
    no_warning(shell.briefkit("check"))
    no_warning(shell.briefkit("build"))
    team = shell.cwd

    # a new brief, written from inside briefs/: it lands in briefs/, in the house style
    shell.cd("briefs")
    new = shell.briefkit("new", "market-entry")
    brief = team / "briefs" / "market-entry.yaml"
    assert brief.is_file() and not (team / "briefs" / "briefs").exists(), new.stderr
    skeleton = brief.read_text(encoding="utf-8")
    assert "\nstyle: house " in skeleton
    brief.write_text(fill_in(skeleton), encoding="utf-8")
    no_warning(shell.briefkit("check"))
    build = shell.briefkit("build")
    no_warning(build)
    assert (team / "out" / "market-entry.pdf").is_file()
    assert not (team / "briefs" / "out").exists()  # out/ is the repository's, wherever we are

    shell.git("add", "-A")
    shell.git("commit", "-q", "-m", "First brief")
    assert shell.git("status", "--porcelain", "--untracked-files=all") == ""

    # an edit with its reason, a diff and a changes box
    edited = brief.read_text(encoding="utf-8").replace(
        "      likelihood: likely      # almost no chance",
        "      change_note: The rival's filing makes entry next year all but settled.\n"
        "      likelihood: very likely # almost no chance",
        1,
    )
    assert "change_note" in edited
    brief.write_text(edited, encoding="utf-8")
    no_warning(shell.briefkit("check", "--changes-since", "HEAD"))
    diff = shell.briefkit("diff")
    assert "market-entry.yaml" in diff.stdout
    assert "likelihood raised: likely → very likely" in diff.stdout
    assert "1 changed, 0 added, 0 removed, 1 unchanged" in diff.stdout
    since = shell.briefkit("build", "--changes-since", "HEAD")
    no_warning(since)
    if pdftotext_ok:
        text = words(pdftotext(team / "out" / "market-entry.pdf"))
        assert "What changed since version 0.1 of" in text
        assert "Why: The rival’s filing makes entry next year all but settled." in text
    status = shell.git("status", "--porcelain", "--untracked-files=all")
    assert status == " M briefs/market-entry.yaml\n"
