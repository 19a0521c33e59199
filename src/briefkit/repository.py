"""Where a brief's repository starts: its styles/ live there, and its source texts inside it."""

from __future__ import annotations

import os
from pathlib import Path


def repository_root(path: Path) -> Path:
    """The repository holding the brief at *path*.

    That is the git work tree if there is one. Outside git it is the nearest folder (the
    brief's own first) with a ``styles/`` folder or a ``schema/brief.schema.json``, as
    ``briefkit init`` lays out; failing that, the parent of a ``briefs/`` folder, else the
    brief's own folder.
    """
    start = path.resolve().parent
    folders = (start, *start.parents)
    for folder in folders:
        if (folder / ".git").exists():
            return folder
    for folder in folders:
        if (folder / "styles").is_dir() or (folder / "schema" / "brief.schema.json").is_file():
            return folder
    return start.parent if start.name == "briefs" else start


def current_root() -> Path:
    """The brief repository the working directory is in, so that ``briefs/``, ``out/`` and
    ``styles/`` mean the same folders wherever a command runs: the nearest folder (this one
    first) with a ``briefs/`` folder, not above the git work tree (a monorepo may keep its
    briefs in a subfolder); failing that, :func:`repository_root` of the working directory."""
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "briefs").is_dir():
            return folder
        if (folder / ".git").exists():
            break
    return repository_root(here / "-")


def in_repository(relative: str) -> Path:
    """The folder *relative* (``briefs``, ``out``) of the current repository, as the user would
    type it from the working directory: ``out`` at the top, ``../out`` inside ``briefs/``."""
    target = current_root() / relative
    try:
        return Path(os.path.relpath(target, Path.cwd()))
    except ValueError:  # another drive on Windows
        return target
