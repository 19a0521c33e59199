"""briefkit.versions.git against real temporary git repositories."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from briefkit.versions import git as bgit
from briefkit.versions.git import GitError, read_at, repository_of, resolve, revision_of
from tests.conftest import MINIMAL, require_tool

SHORT_HASH = re.compile(r"^[0-9a-f]{7,}$")


def run_git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def commit(root: Path, message: str = "edit") -> str:
    """Commit everything in *root*; return the new short hash."""
    run_git(root, "add", "-A")
    run_git(root, "commit", "-q", "-m", message)
    return run_git(root, "rev-parse", "--short", "HEAD")


@pytest.fixture
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Git with no system or user configuration, that never looks above *tmp_path*."""
    require_tool("git")
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_CONFIG_GLOBAL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    return tmp_path


@pytest.fixture
def git_repo(isolated_git: Path) -> Path:
    """An empty git repository with a ``briefs/`` folder and a local identity."""
    root = isolated_git / "repo"
    (root / "briefs").mkdir(parents=True)
    run_git(root, "init", "-q")
    run_git(root, "config", "user.name", "Test Analyst")
    run_git(root, "config", "user.email", "analyst@example.com")
    run_git(root, "config", "commit.gpgsign", "false")
    return root


@pytest.fixture
def committed(git_repo: Path) -> Path:
    """A brief committed once (message "first"), unchanged since."""
    path = git_repo / "briefs" / "brief.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    commit(git_repo, "first")
    return path


# --------------------------------------------------------------------------- repository_of


def test_repository_of_is_the_work_tree_root(committed: Path, git_repo: Path) -> None:
    assert repository_of(committed) == git_repo.resolve()
    assert repository_of(git_repo / "briefs") == git_repo.resolve()
    # A path that does not exist yet, in folders that do not exist yet, is still in the tree.
    assert repository_of(git_repo / "briefs" / "new" / "deeper" / "x.yaml") == git_repo.resolve()


def test_repository_of_outside_git_is_none(isolated_git: Path) -> None:
    outside = isolated_git / "outside"
    outside.mkdir()
    (outside / "brief.yaml").write_text(MINIMAL, encoding="utf-8")
    assert repository_of(outside / "brief.yaml") is None


# --------------------------------------------------------------------------- revision_of


def test_revision_of_is_the_short_hash_of_the_last_commit_touching_the_file(
    committed: Path, git_repo: Path
) -> None:
    first = run_git(git_repo, "rev-parse", "--short", "HEAD")
    assert SHORT_HASH.match(first)
    assert revision_of(committed) == first
    # A later commit of another file does not change the brief's revision.
    (git_repo / "README.md").write_text("readme\n", encoding="utf-8")
    commit(git_repo, "other file")
    assert revision_of(committed) == first


def test_revision_of_is_dirty_after_an_uncommitted_edit(committed: Path, git_repo: Path) -> None:
    first = revision_of(committed)
    committed.write_text(MINIMAL.replace("The bottom line.", "A new line."), encoding="utf-8")
    assert revision_of(committed) == f"{first}+dirty"
    run_git(git_repo, "add", "-A")  # staged is still not committed
    assert revision_of(committed) == f"{first}+dirty"
    second = commit(git_repo)
    assert second != first
    assert revision_of(committed) == second


def test_revision_of_a_never_committed_file_is_uncommitted(committed: Path, git_repo: Path) -> None:
    new = git_repo / "briefs" / "new.yaml"
    new.write_text(MINIMAL, encoding="utf-8")
    assert revision_of(new) == "uncommitted"
    run_git(git_repo, "add", "briefs/new.yaml")
    assert revision_of(new) == "uncommitted"


def test_revision_of_in_a_repository_without_commits(git_repo: Path) -> None:
    path = git_repo / "briefs" / "brief.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    assert revision_of(path) == "uncommitted"


def _states(git_repo: Path) -> list[Path]:
    """Briefs in every state revision_of tells apart, in two folders of one repository."""
    briefs, other = git_repo / "briefs", git_repo / "other"
    other.mkdir()
    (git_repo / ".gitignore").write_text("briefs/ignored.yaml\n", encoding="utf-8")
    for name in ("old", "edited", "renamed", "staged-edit", "moved"):
        (briefs / f"{name}.yaml").write_text(MINIMAL + f"# {name}\n", encoding="utf-8")
    (other / "far.yaml").write_text(MINIMAL, encoding="utf-8")
    commit(git_repo, "first")
    (briefs / "edited.yaml").write_text(MINIMAL + "# later\n", encoding="utf-8")
    commit(git_repo, "second")
    run_git(git_repo, "mv", "briefs/renamed.yaml", "briefs/new-name.yaml")
    commit(git_repo, "rename")
    (briefs / "edited.yaml").write_text(MINIMAL + "# dirty\n", encoding="utf-8")
    (briefs / "staged-edit.yaml").write_text(MINIMAL + "# staged\n", encoding="utf-8")
    run_git(git_repo, "add", "briefs/staged-edit.yaml")
    (briefs / "moved.yaml").unlink()
    (briefs / "untracked.yaml").write_text(MINIMAL, encoding="utf-8")
    (briefs / "ignored.yaml").write_text(MINIMAL, encoding="utf-8")
    names = [*sorted(briefs.glob("*.yaml")), briefs / "moved.yaml", other / "far.yaml"]
    return [*names, git_repo.parent / "outside.yaml"]


def test_revisions_of_a_batch_are_those_of_each_file(git_repo: Path) -> None:
    paths = _states(git_repo)
    expected = {path: revision_of(path) for path in paths}
    assert set(expected.values()) >= {None, "uncommitted"}
    assert any(r and r.endswith("+dirty") for r in expected.values())
    assert bgit.revisions_of(paths) == expected


def test_revisions_of_a_batch_asks_git_a_few_times(
    git_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = []
    for n in range(12):
        paths.append(git_repo / "briefs" / f"b{n}.yaml")
        paths[-1].write_text(MINIMAL + f"# {n}\n", encoding="utf-8")
    commit(git_repo, "first")
    paths[0].write_text(MINIMAL + "# edited\n", encoding="utf-8")
    expected = {path: revision_of(path) for path in paths}
    calls = []
    real = bgit._git
    monkeypatch.setattr(bgit, "_git", lambda *args: calls.append(args) or real(*args))
    assert bgit.revisions_of(paths) == expected
    assert len(calls) == 3  # merges?, last commits, blobs at HEAD: not two per brief


def test_revisions_of_a_batch_with_merges_are_those_of_each_file(git_repo: Path) -> None:
    paths = _states(git_repo)
    run_git(git_repo, "stash", "-u")
    run_git(git_repo, "checkout", "-q", "-b", "side")
    (git_repo / "briefs" / "old.yaml").write_text(MINIMAL + "# side\n", encoding="utf-8")
    commit(git_repo, "side")
    run_git(git_repo, "checkout", "-q", "-")
    (git_repo / "briefs" / "new-name.yaml").write_text(MINIMAL + "# main\n", encoding="utf-8")
    commit(git_repo, "main")
    run_git(git_repo, "merge", "-q", "--no-edit", "side")
    run_git(git_repo, "stash", "pop")
    expected = {path: revision_of(path) for path in paths}
    assert bgit.revisions_of(paths) == expected


def test_revision_of_an_ignored_file_is_none(committed: Path, git_repo: Path) -> None:
    (git_repo / ".gitignore").write_text("scratch/\n", encoding="utf-8")
    scratch = git_repo / "scratch"
    scratch.mkdir()
    (scratch / "draft.yaml").write_text(MINIMAL, encoding="utf-8")
    assert revision_of(scratch / "draft.yaml") is None


def test_revision_of_outside_git_is_none(isolated_git: Path) -> None:
    outside = isolated_git / "outside"
    outside.mkdir()
    (outside / "brief.yaml").write_text(MINIMAL, encoding="utf-8")
    assert revision_of(outside / "brief.yaml") is None


# --------------------------------------------------------------------------- read_at


def test_read_at_gives_the_text_at_a_revision(committed: Path, git_repo: Path) -> None:
    edited = MINIMAL.replace("The bottom line.", "A new bottom line.")
    committed.write_text(edited, encoding="utf-8")
    commit(git_repo, "second")
    committed.write_text("uncommitted: true\n", encoding="utf-8")
    assert read_at(committed, "HEAD") == edited
    assert read_at(committed, "HEAD~1") == MINIMAL
    assert read_at(committed, run_git(git_repo, "rev-parse", "--short", "HEAD~1")) == MINIMAL


def test_read_at_works_for_a_file_deleted_since(committed: Path, git_repo: Path) -> None:
    committed.unlink()
    (git_repo / "briefs").rmdir()
    assert read_at(committed, "HEAD") == MINIMAL


def test_read_at_an_unknown_revision_says_so(committed: Path) -> None:
    with pytest.raises(GitError, match=r"^'HEAD~5' is not a revision in this repository$"):
        read_at(committed, "HEAD~5")
    with pytest.raises(GitError, match="'no-such-branch' is not a revision"):
        read_at(committed, "no-such-branch")


def test_read_at_of_a_file_absent_at_the_revision_says_so(committed: Path, git_repo: Path) -> None:
    later = git_repo / "briefs" / "later.yaml"
    later.write_text(MINIMAL, encoding="utf-8")
    commit(git_repo, "second")
    with pytest.raises(GitError, match=r"later\.yaml does not exist at revision 'HEAD~1'"):
        read_at(later, "HEAD~1")


def test_read_at_refuses_option_like_revisions(committed: Path) -> None:
    with pytest.raises(GitError, match="'--output=x' is not a revision"):
        read_at(committed, "--output=x")
    with pytest.raises(GitError, match="is not a revision"):
        read_at(committed, "")


def test_read_at_outside_git_says_so(isolated_git: Path) -> None:
    outside = isolated_git / "outside"
    outside.mkdir()
    with pytest.raises(GitError, match="not inside a git repository"):
        read_at(outside / "brief.yaml", "HEAD")


# --------------------------------------------------------------------------- resolve


def test_resolve_gives_the_short_hash(committed: Path, git_repo: Path) -> None:
    head = run_git(git_repo, "rev-parse", "--short", "HEAD")
    run_git(git_repo, "tag", "v1")
    assert resolve("HEAD", git_repo) == head
    assert resolve("v1", committed) == head  # a file in the repository will do
    with pytest.raises(GitError, match="'nope' is not a revision in this repository"):
        resolve("nope", git_repo)


def test_resolve_outside_git_says_so(isolated_git: Path) -> None:
    with pytest.raises(GitError, match="not inside a git repository"):
        resolve("HEAD", isolated_git)


# --------------------------------------------------------------------------- robustness


def test_without_git_installed(
    committed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert repository_of(committed) is None
    assert revision_of(committed) is None
    with pytest.raises(GitError, match="git is not installed"):
        resolve("HEAD", committed)
    with pytest.raises(GitError, match="git is not installed"):
        read_at(committed, "HEAD")


def test_each_question_costs_at_most_two_git_runs(
    committed: Path, git_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[list[str]] = []
    real_run = subprocess.run

    def counting_run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        calls.append(args)
        return real_run(args, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(bgit.subprocess, "run", counting_run)
    committed.write_text("edited: true\n", encoding="utf-8")
    for question in (
        lambda: repository_of(committed),
        lambda: revision_of(committed),
        lambda: read_at(committed, "HEAD"),
        lambda: resolve("HEAD", git_repo),
    ):
        calls.clear()
        question()
        assert 1 <= len(calls) <= 2, calls


def test_repository_commands_are_never_run(
    committed: Path, git_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A checkout's .git/config (or the environment) may name programs for git to run: an
    fsmonitor, hooks, a pager, an external diff. Building a brief runs none of them."""
    ran = git_repo.parent / "ran"
    script = git_repo.parent / "evil.sh"
    script.write_text(f'#!/bin/sh\necho "$0 $*" >> {ran}\n', encoding="utf-8")
    script.chmod(0o755)
    for key in ("core.fsmonitor", "core.pager", "diff.external", "core.sshCommand"):
        run_git(git_repo, "config", key, str(script))
    hooks = git_repo / ".git" / "hooks"
    for hook in ("post-checkout", "post-index-change", "reference-transaction"):
        (hooks / hook).write_text(f"#!/bin/sh\necho {hook} >> {ran}\n", encoding="utf-8")
        (hooks / hook).chmod(0o755)
    monkeypatch.setenv("GIT_CONFIG_PARAMETERS", f"'core.fsmonitor'='{script}'")
    monkeypatch.setenv("GIT_EXTERNAL_DIFF", str(script))
    monkeypatch.setenv("GIT_PAGER", str(script))
    committed.write_text(MINIMAL + "status: final\n", encoding="utf-8")  # dirty
    assert revision_of(committed).endswith("+dirty")
    assert read_at(committed, "HEAD") == MINIMAL
    assert resolve("HEAD", git_repo)
    assert repository_of(committed) == git_repo
    assert not ran.exists(), ran.read_text(encoding="utf-8")


def test_no_git_outside_a_work_tree(isolated_git: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    monkeypatch.setattr(bgit.subprocess, "run", lambda *a, **k: calls.append(a))
    path = isolated_git / "loose.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    assert revision_of(path) is None
    assert calls == []
