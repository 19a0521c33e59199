"""A brief compared with itself at an earlier git revision: the "What changed" box of
``build --changes-since`` and the warnings of ``check --changes-since``.

The box names the old version as the brief does ("since version 0.9 of 28 November 2026"),
prints each judgment's or signal's ``change_note`` beside its change, and leaves the git
revision to a small line at its foot. A likelihood or confidence that moved without a
``change_note`` is a warning (ICD 203 asks that changes in analytic judgments be explained).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from briefkit.brief.model import Brief, Judgment, Signal
from briefkit.brief.parts import BY_NAME
from briefkit.diagnostics import BriefError, Diagnostic, Loc, Severity, display_path

if TYPE_CHECKING:
    from briefkit.i18n import Words
    from briefkit.layout.from_brief import ChangesSince
    from briefkit.reading.source import SourceDocument
    from briefkit.versions.semantic_diff import BriefDiff

# The estimates whose change must be explained, and where they live in a brief.
EXPLAINED_FIELDS = ("likelihood", "confidence")
_PLACES = {name: BY_NAME[name].location for name in ("judgment", "signal")}


@dataclass(frozen=True)
class Comparison:
    """The brief at *revision* (None: it did not exist then) and what changed since."""

    revision: str
    old: Brief | None
    diff: BriefDiff | None


def compare(path: Path, brief: Brief, revision: str) -> tuple[Comparison | None, list[Diagnostic]]:
    """*brief* (the one at *path*) against its version at git *revision*.

    Says only what git says: "new" when the file did not exist then under any name (renames
    are followed); a brief outside a repository gives a warning and no comparison; a version
    that cannot be read is an error; one that does not validate, a warning.
    """
    from briefkit.versions.git import GitError, repository_of, text_at
    from briefkit.versions.semantic_diff import diff_briefs, load_brief_text

    where = display_path(path)
    if repository_of(path) is None:
        message = (
            f"--changes-since {revision}: the brief is not in a git repository, so there is "
            "no earlier version to compare with; the box is left out"
        )
        return None, [Diagnostic.unlocated(where, message, severity=Severity.WARNING)]
    try:
        text = text_at(path, revision)
    except GitError as exc:
        return None, [Diagnostic.unlocated(where, f"--changes-since {revision}: {exc}")]
    if text is None:
        return Comparison(revision, None, None), []
    try:
        old = load_brief_text(text, f"{path}@{revision}")
    except BriefError as exc:
        problem = Diagnostic.unlocated(
            where,
            f"--changes-since: the brief at {revision} does not validate "
            f"({len(exc.errors)} errors), so its changes are not shown",
            severity=Severity.WARNING,
        )
        return None, [problem]
    return Comparison(revision, old, diff_briefs(old, brief)), []


def unexplained_changes(
    doc: SourceDocument, brief: Brief, comparison: Comparison
) -> list[Diagnostic]:
    """A warning for each judgment or signal whose likelihood or confidence moved since the
    compared revision and that has no ``change_note``, and for a ``change_note`` on a part
    that did not change (a note left from an earlier version)."""
    if comparison.diff is None:
        return []
    parts: dict[str, list[Judgment | Signal]] = {
        "judgment": list(brief.summary.judgments),
        "signal": list(brief.signals),
    }
    problems = []
    for change in comparison.diff.changes:
        if change.part not in _PLACES or change.field not in EXPLAINED_FIELDS:
            continue
        index, part = next(
            ((i, p) for i, p in enumerate(parts[change.part]) if p.id == change.id), (None, None)
        )
        if part is None or index is None or part.change_note:
            continue
        moved = str(change.direction) if change.direction else "changed"
        message = (
            f"{change.field} {moved} from {change.old or 'none'} to {change.new or 'none'} "
            f"since {comparison.revision}, with no change_note saying why (add change_note: "
            "to this part; ICD 203 asks that a changed judgment be explained)"
        )
        loc: Loc = (*_PLACES[change.part], index, change.field)
        problems.append(doc.diagnostic(loc, message, severity=Severity.WARNING))
    changed = {(c.part, c.id) for c in comparison.diff.changes}
    for kind, items in parts.items():
        for index, part in enumerate(items):
            if part.change_note and (kind, part.id) not in changed:
                message = (
                    f"nothing in this {kind} changed since {comparison.revision}, so the note "
                    "is not printed (remove it once the version it explains is out)"
                )
                loc = (*_PLACES[kind], index, "change_note")
                problems.append(doc.diagnostic(loc, message, severity=Severity.WARNING))
    return problems


def changes_box(
    brief: Brief, comparison: Comparison, commit: str | None, words: Words | None = None
) -> ChangesSince:
    """The content of the "What changed" box."""
    from briefkit.layout.from_brief import ChangesSince
    from briefkit.versions.semantic_diff import BriefDiff, summary_lines

    revision = comparison.revision
    if commit and not commit.startswith(revision):
        revision = f"{revision}, {commit}"
    if comparison.old is None or comparison.diff is None:
        return ChangesSince(revision, (), new=True)
    old = comparison.old
    explained: list[tuple[str, Judgment | Signal]] = [
        *(("judgment", j) for j in brief.summary.judgments),
        *(("signal", s) for s in brief.signals),
    ]
    noted = frozenset((kind, part.id) for kind, part in explained if part.change_note)
    lines = summary_lines(comparison.diff, words, ungrouped=noted)
    notes: list[str | None] = [None] * len(lines)
    for kind, part in explained:
        if not part.change_note:
            continue
        own = BriefDiff(
            tuple(c for c in comparison.diff.changes if (c.part, c.id) == (kind, part.id))
        )
        own_lines = [line for line in summary_lines(own, words) if line in lines]
        if own_lines:  # the note goes with the last sentence about the part
            notes[lines.index(own_lines[-1])] = part.change_note
    return ChangesSince(
        revision,
        tuple(lines),
        old_version=old.version,
        old_date=old.date,
        notes=tuple(notes),
    )


def changes_since(
    path: Path,
    brief: Brief,
    revision: str,
    since: str | None,
    doc: SourceDocument,
    words: Words | None = None,
) -> tuple[ChangesSince | None, list[Diagnostic]]:
    """The "What changed" box for *brief* against git *revision* (resolved to the commit
    *since*), and any problem met computing it: an unexplained likelihood or confidence
    change, an old version that cannot be read."""
    comparison, problems = compare(path, brief, revision)
    if comparison is None:
        return None, problems
    problems += unexplained_changes(doc, brief, comparison)
    return changes_box(brief, comparison, since, words), problems
