from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

# Every cache hit of the renderers is computed again and compared (see briefkit.render.common.kept):
# a wrong cache key fails whichever test meets it. BRIEFKIT_CHECK_KEPT=0 turns it off.
os.environ.setdefault("BRIEFKIT_CHECK_KEPT", "1")

from briefkit.cli import main
from tests.libreoffice import LibreOffice

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
ARTICLE = SHARED / "seed" / "article.txt"
EXAMPLE_BRIEF = REPO / "briefs" / "xai-anthropic-alliance.yaml"

MINIMAL = """\
briefkit: 1
id: minimal
title: A minimal brief
date: 2026-11-28
summary:
  bluf: The bottom line.
"""


# --- the font cache ---------------------------------------------------------------------------
# Tests never write into the user's cache (~/.cache/briefkit, $XDG_CACHE_HOME or their own
# $BRIEFKIT_CACHE_DIR): the whole session shares one temporary cache, so the fonts are built
# once per run (10-20 s) rather than once per test. $BRIEFKIT_TEST_CACHE_DIR names a cache kept
# between runs instead (a developer's speed-up; CI leaves it unset).
_SESSION_CACHE: tempfile.TemporaryDirectory[str] | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _SESSION_CACHE
    kept = os.environ.get("BRIEFKIT_TEST_CACHE_DIR")
    if os.environ.get("PYTEST_XDIST_WORKER") and os.environ.get("BRIEFKIT_CACHE_DIR"):
        return  # a pytest-xdist worker: the controller made the session's cache for all
    if kept:
        cache = kept
    else:
        _SESSION_CACHE = tempfile.TemporaryDirectory(prefix="briefkit-test-cache-")
        cache = _SESSION_CACHE.name
    os.environ["BRIEFKIT_CACHE_DIR"] = cache
    os.environ.pop("XDG_CACHE_HOME", None)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _SESSION_CACHE is not None:
        _SESSION_CACHE.cleanup()


@pytest.fixture(scope="session", autouse=True)
def warm_font_cache(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Build the fonts of every script once, before the tests that time their builds run (a
    run of a few tests skips it and builds fonts as they need them)."""
    if len(request.session.items) < 40:
        return
    from briefkit.building.pipeline import BuildOptions, build_brief

    out = tmp_path_factory.mktemp("warm-fonts")
    build_brief(REPO / "briefs" / "red-sea-shipping-exercise.yaml", BuildOptions(out_dir=out))


def require_tool(name: str) -> str:
    """Path of an outside program; skip without it, but fail on CI where it must exist."""
    found = shutil.which(name)
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail(f"{name} is required on CI but was not found on PATH")
    pytest.skip(f"{name} is not installed (install it to run this test)")


def require_article() -> None:
    """The seed article lives beside the project (../shared), not in it."""
    if ARTICLE.is_file():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{ARTICLE} is required on CI but is missing")
    pytest.skip(f"{ARTICLE} is not present")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """An empty brief repository (a directory with .git, so it is the repository root)."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "briefs").mkdir()
    return tmp_path


@pytest.fixture
def write_brief(repo: Path) -> Callable[..., Path]:
    def write(text: str, name: str = "brief.yaml") -> Path:
        path = repo / "briefs" / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, repo: Path) -> Callable[..., Result]:
    """Run briefkit in the temporary repository, like a user in a terminal."""
    monkeypatch.chdir(repo)

    def run(*args: str) -> Result:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return run


@pytest.fixture
def git_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A brief repository that is a real git repository, with the user's git settings out."""
    git = require_tool("git")
    # keep a developer's git configuration out, but not HOME: the font cache lives there
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)
    repo = tmp_path / "repo"
    (repo / "briefs").mkdir(parents=True)
    subprocess.run([git, "init", "-q", str(repo)], check=True)
    for key, value in (("user.name", "Analyst"), ("user.email", "analyst@example.com")):
        subprocess.run([git, "-C", str(repo), "config", key, value], check=True)
    monkeypatch.chdir(repo)
    return repo


def commit(repo: Path, message: str) -> str:
    """Commit everything in *repo*; its short hash."""
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=repo, check=True)
    return subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=repo, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture(scope="session")
def libreoffice(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> LibreOffice:
    """The Word documents the selected tests read back through LibreOffice, converted to PDF
    in one soffice run for the whole test run (see tests/libreoffice.py)."""
    soffice = require_tool("soffice")
    base = tmp_path_factory.getbasetemp()
    # pytest-xdist workers each have a folder in the run's: they share the conversions there
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    used = {name for item in request.session.items for name in item.fixturenames}
    return LibreOffice(soffice, shared / "libreoffice", used.__contains__)


VERAPDF_HOME = Path("/opt/verapdf")  # where .ci/install-verapdf puts it


def require_verapdf() -> list[str]:
    """The command that runs veraPDF ($BRIEFKIT_VERAPDF, else .ci/install-verapdf's folder):
    skipped without it or Java, but required on CI."""
    home = Path(os.environ.get("BRIEFKIT_VERAPDF") or VERAPDF_HOME)
    java = shutil.which("java")
    if java and any((home / "lib").glob("greenfield-apps-*.jar")):
        return [java, "-cp", str(home / "lib" / "*"), "org.verapdf.apps.GreenfieldCliWrapper"]
    reason = f"veraPDF is not installed in {home} (run .ci/install-verapdf)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; it is required on CI")
    pytest.skip(reason)
