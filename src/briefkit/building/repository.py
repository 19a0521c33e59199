"""Where a brief's repository starts: its styles/ live there, and its source texts inside it."""

from __future__ import annotations

import os
from pathlib import Path

from briefkit.diagnostics import UserError


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


# --- where briefkit may write -----------------------------------------------------------------
#
# A document, a manifest or a style sheet never names where to write: what they record is at
# most a hint, resolved here against what the repository itself holds. Every place a write
# lands is either named by the user (a command-line argument: their choice, symbolic links
# and all) or derived from the repository and checked by the functions below.

MAX_HINT_CHARS = 1024  # far beyond any real brief path; keeps messages and lookups bounded


class OutsideRepository(UserError):
    """A path that briefkit found (not one the user named) would lead outside the repository."""


def contained(path: Path, root: Path) -> bool:
    """Whether *path*, with every symbolic link in it followed, is *root* or inside it."""
    real, top = os.path.realpath(path), os.path.realpath(root)
    return os.path.commonpath([real, top]) == top


def output_folder() -> Path:
    """The default output folder, ``out/`` at the top of the current repository.

    It must be a real folder (or not exist yet): a symbolic link there, such as one committed
    by a pull request (``/out/`` in ``.gitignore`` does not match a link), would carry every
    document, the manifest, the lock and ``--prune`` to wherever it points. ``-o DIR`` names
    another folder, links included, as the user's own choice."""
    folder = in_repository("out")
    if os.path.islink(folder):
        raise OutsideRepository(
            f"{folder.as_posix()} is a symbolic link (to {os.readlink(folder)}), not a folder "
            "of the repository; briefkit does not write through it: remove the link, or name "
            "the output folder with -o DIR"
        )
    return folder


def recorded_brief(hint: str, known: list[Path]) -> Path | None:
    """The brief among *known* (the repository's briefs) that a built document's recorded
    path *hint* names, relative to the brief's repository as :func:`brief_location` writes
    it; None when the hint is not a plain relative path or names none of them, or the brief
    is reached through a link leaving the repository."""
    parts = hint.split("/")
    if (
        not hint
        or len(hint) > MAX_HINT_CHARS
        or "\\" in hint
        or "\0" in hint
        or hint.startswith("/")
        or any(part in ("", ".", "..") for part in parts)
    ):
        return None
    top = current_root()
    for brief in known:
        if brief_location(brief) == hint and contained(brief, top):
            return brief
    return None


def brief_location(brief: Path) -> str:
    """Where *brief* is in its repository, as a built document records it (``BriefPath``)."""
    try:
        return brief.resolve().relative_to(repository_root(brief).resolve()).as_posix()
    except ValueError:  # a link to a file outside the repository
        return brief.name
