"""What ``briefkit absorb`` prints: the semantic diff of the update, then everything a reviewer
must see (new parts, deletions, text outside the fields, conflicts, tracked changes,
comments), as text or as JSON."""

from __future__ import annotations

from typing import Any

from briefkit.absorb.fields import shown
from briefkit.absorb.run import Report

JSON_VERSION = 1


def to_text(report: Report, *, dry_run: bool) -> str:
    lines = [f"{report.docx} → {report.brief}"]
    if report.diff is not None:
        lines.append(report.diff.to_text().rstrip("\n"))
    lines += report.notes
    for edit in report.deletions:
        said = report.deleted_text.get(edit.path)
        gist = f": {said!r}" if said else ""
        lines.append(f"deleted in the document: {shown(edit.path)} ({edit.place}){gist}")
    for problem in report.unmapped:
        lines.append(f"not in any field: {report.docx}: {problem.place}: {problem.message!r}")
    for problem in report.warnings:
        where = f"{shown(problem.field)}: " if problem.field else ""
        lines.append(f"warning: {report.docx}: {problem.place}: {where}{problem.message}")
    for conflict in report.conflicts:
        lines.append(
            f"conflict: {shown(conflict.path)} ({conflict.place}): "
            f"built from {_said(conflict.base)}; "
            f"the brief now says {_said(conflict.source)}; the document says "
            f"{_said(conflict.document)}"
        )
    for revision in report.revisions:
        where = f"in {shown(revision.field)}" if revision.field else "outside any field"
        lines.append(
            f"tracked {revision.kind} by {revision.author or 'unknown'} {where} "
            f"({revision.place}): {revision.text!r}"
        )
    for comment in report.comments:
        where = f"on {shown(comment.field)}" if comment.field else "outside any field"
        lines.append(
            f"comment by {comment.author or 'unknown'} {where} ({comment.place}): {comment.text!r}"
        )
    if report.written:
        lines.append(f"wrote {report.brief}")
    elif report.ok:
        lines.append("dry run: nothing written" if dry_run else "nothing to change")
    return "\n".join(lines) + "\n"


def to_json(report: Report) -> dict[str, Any]:
    return {
        "version": JSON_VERSION,
        "document": report.docx,
        "brief": report.brief,
        "written": report.written,
        "refused": report.refused,
        "errors": report.errors,
        "diff": report.diff.to_json() if report.diff is not None else None,
        "notes": report.notes,
        "deletions": [{"field": e.path, "place": e.place} for e in report.deletions],
        "unmapped": [{"place": p.place, "text": p.message} for p in report.unmapped],
        "warnings": [
            {"place": p.place, "field": p.field, "message": p.message} for p in report.warnings
        ],
        "conflicts": [
            {
                "field": c.path,
                "place": c.place,
                "base": c.base,
                "source": c.source,
                "document": c.document,
            }
            for c in report.conflicts
        ],
        "tracked_changes": [
            {"kind": r.kind, "author": r.author, "field": r.field, "place": r.place, "text": r.text}
            for r in report.revisions
        ],
        "comments": [
            {"author": c.author, "field": c.field, "place": c.place, "text": c.text}
            for c in report.comments
        ],
    }


def _said(value: object) -> str:
    """A value as a conflict shows it: quoted text; "nothing" where the field is gone."""
    if value is None or value == "\0insert":
        return "nothing" if value is None else "a new item"
    return f"'{value}'" if isinstance(value, str) else repr(value)
