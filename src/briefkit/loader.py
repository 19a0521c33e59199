"""Load a brief file: source → model → references → quotes, collecting every problem."""

from __future__ import annotations

from pathlib import Path

from briefkit.diagnostics import BriefError, Diagnostic, Severity
from briefkit.model import Brief
from briefkit.quotes import check_quotes
from briefkit.references import check_references, find_placeholders
from briefkit.source import load_yaml
from briefkit.validation import validate


def check_brief(path: str | Path) -> tuple[Brief | None, list[Diagnostic]]:
    """Validate the brief at *path*; return the brief (None if invalid) and all diagnostics."""
    try:
        doc = load_yaml(Path(path))
    except BriefError as exc:
        return None, exc.diagnostics
    brief, problems = validate(doc, Brief)
    problems += check_references(doc)
    problems += find_placeholders(doc)
    if brief is not None:
        problems += check_quotes(brief, doc)
    problems.sort(key=lambda d: (d.line, d.column))
    if any(p.severity is Severity.ERROR for p in problems):
        return None, problems
    return brief, problems


def load_brief(path: str | Path) -> Brief:
    """Load and validate the brief at *path*.

    Raises :class:`briefkit.BriefError` carrying every located problem when it is invalid.
    """
    brief, problems = check_brief(path)
    if brief is None:
        raise BriefError(problems)
    return brief
