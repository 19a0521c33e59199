from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from briefkit.cli import main

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
