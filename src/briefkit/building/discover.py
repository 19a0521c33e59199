"""Turn command-line arguments (files, directories, globs) into brief files."""

from __future__ import annotations

import glob
from collections.abc import Iterable
from pathlib import Path

from briefkit.diagnostics import UserError

BRIEF_SUFFIXES = (".yaml", ".yml")
DEFAULT_DIR = Path("briefs")


class NoSuchPath(UserError):
    """An argument that is neither an existing path nor a glob matching anything."""


def default_briefs() -> Path:
    """``briefs/`` at the top of the current repository, wherever the command runs."""
    from briefkit.building.repository import in_repository

    return in_repository(str(DEFAULT_DIR))


def find_briefs(arguments: Iterable[str]) -> list[Path]:
    """Brief files named by *arguments*; none: every brief in the repository's ``briefs/``."""
    found: dict[Path, None] = {}
    for argument in arguments or [str(default_briefs())]:
        path = Path(argument)
        if path.is_dir():
            matches = [
                p
                for p in sorted(path.rglob("*"))
                if p.suffix in BRIEF_SUFFIXES
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            ]
        elif path.is_file():
            matches = [path]
        elif glob.has_magic(argument):
            matches = [Path(p) for p in sorted(glob.glob(argument, recursive=True))]
            matches = [p for p in matches if p.is_file()]
            if not matches:
                raise NoSuchPath(f"no file matches '{argument}'")
        elif path.exists():
            raise NoSuchPath(f"'{argument}' is not a regular file or a folder")
        else:
            raise NoSuchPath(f"'{argument}' does not exist")
        found.update(dict.fromkeys(matches))
    return list(found)
