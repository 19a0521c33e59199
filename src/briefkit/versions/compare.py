"""``briefkit diff`` over files and folders: which briefs were added, removed or changed.

A folder stands for every brief under it at each revision (``*.yaml`` and ``*.yml``, hidden
folders skipped, as ``check`` and ``build`` find them); a brief renamed since the old revision
(committed, or staged with ``git mv``) is compared with its old self rather than listed as
removed and added. The comparison of one brief is
:func:`briefkit.versions.semantic_diff.diff_briefs`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from briefkit.brief.model import Brief
from briefkit.building.discover import BRIEF_SUFFIXES
from briefkit.diagnostics import BriefError, Diagnostic, display_path
from briefkit.versions.semantic_diff import BriefDiff, brief_at, diff_briefs, load_brief_text

Status = Literal["changed", "unchanged", "added", "removed"]
JSON_VERSION = 1


@dataclass
class Compared:
    """One brief of a folder comparison."""

    path: Path
    status: Status
    title: str
    diff: BriefDiff | None = None  # for changed and unchanged briefs

    def to_json(self) -> dict[str, Any]:
        return {
            "path": display_path(self.path),
            "status": self.status,
            "title": self.title,
            "diff": self.diff.to_json() if self.diff is not None else None,
        }


def split_arguments(arguments: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Leading arguments that name no file or folder (and are not a brief's name) are
    revisions, at most two; the rest are paths."""
    revisions: list[str] = []
    paths = list(arguments)
    while paths and len(revisions) < 2 and not _is_path(paths[0]):
        revisions.append(paths.pop(0))
    return revisions, paths


def _is_path(argument: str) -> bool:
    return Path(argument).exists() or argument.endswith(BRIEF_SUFFIXES)


def _is_brief(path: Path, folder: Path) -> bool:
    relative = path.relative_to(folder) if path.is_relative_to(folder) else path
    return path.suffix in BRIEF_SUFFIXES and not any(p.startswith(".") for p in relative.parts)


def briefs_in(folder: Path, revision: str | None) -> list[Path]:
    """The briefs under *folder* in the working tree (*revision* None) or at *revision*."""
    if revision is None:
        found = [p for p in folder.rglob("*") if p.is_file() and _is_brief(p, folder)]
    else:
        from briefkit.versions.git import files_at

        found = [p for p in files_at(folder, revision) if _is_brief(p, folder)]
    return sorted(found)


@dataclass
class FolderComparison:
    briefs: list[Compared]
    problems: list[Diagnostic]

    def count(self, status: Status) -> int:
        return sum(1 for b in self.briefs if b.status == status)


def compare_folders(folders: list[Path], old: str, new: str | None) -> FolderComparison:
    """Every brief under *folders* at *old* against *new* (None: the working tree).

    Raises :class:`briefkit.versions.git.GitError` for a revision or repository problem; a
    brief that does not validate at one side is reported among the problems and the others
    compared.
    """
    from briefkit.versions.git import text_at

    compared: list[Compared] = []
    problems: list[Diagnostic] = []
    for folder in folders:
        before = briefs_in(folder, old)
        after = briefs_in(folder, new)
        gone = [p for p in before if p not in after]
        for path in after:
            try:
                new_brief = brief_at(path, new)
                if path in before:
                    old_brief = brief_at(path, old)
                else:
                    earlier = text_at(path, old) if new is None else None
                    if earlier is None:
                        compared.append(Compared(path, "added", new_brief.title))
                        continue
                    old_brief = load_brief_text(earlier, f"{display_path(path)}@{old}")
                    gone = [p for p in gone if not _same_brief(p, old, old_brief)]
            except BriefError as exc:
                problems += exc.diagnostics
                continue
            diff = diff_briefs(old_brief, new_brief)
            status: Status = "unchanged" if diff.empty else "changed"
            compared.append(Compared(path, status, new_brief.title, diff))
        for path in gone:
            try:
                compared.append(Compared(path, "removed", brief_at(path, old).title))
            except BriefError as exc:
                problems += exc.diagnostics
    compared.sort(key=lambda c: c.path)
    return FolderComparison(compared, problems)


def _same_brief(path: Path, revision: str, brief: Brief) -> bool:
    """Whether the old brief at *path* is *brief* (the earlier name of a renamed brief)."""
    try:
        return brief_at(path, revision) == brief
    except BriefError:
        return False
