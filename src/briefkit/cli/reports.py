"""The JSON reports of ``--format json``: one builder per report, and every report carries a
``version``, raised when a key changes meaning or goes away (the test of the command line
checks each)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from briefkit.absorb.report import Report
    from briefkit.diagnostics import Diagnostic
    from briefkit.versions.compare import FolderComparison
    from briefkit.versions.semantic_diff import BriefDiff

# The format of `check --format json`.
CHECK_JSON_VERSION = 1


def echo_json(report: dict[str, Any]) -> None:
    click.echo(json.dumps(report, indent=2, ensure_ascii=False))


def check_report(
    results: Sequence[tuple[Path, list[Diagnostic]]], errors: int, warnings: int
) -> dict[str, Any]:
    """`check`: each brief, valid or not, with its diagnostics."""
    from briefkit.diagnostics import Severity

    return {
        "version": CHECK_JSON_VERSION,
        "files": [
            {
                "path": str(path),
                "valid": not any(d.severity is Severity.ERROR for d in ds),
                "diagnostics": [d.as_dict() for d in ds],
            }
            for path, ds in results
        ],
        "errors": errors,
        "warnings": warnings,
    }


def diff_report(changes: BriefDiff) -> dict[str, Any]:
    """`diff` of one brief (or of two editions): its versioned ``BriefDiff.to_json``."""
    return changes.to_json()


def folders_report(
    old_revision: str, new_revision: str | None, result: FolderComparison
) -> dict[str, Any]:
    """`diff` over folders: every brief compared, added or removed."""
    from briefkit.versions.compare import JSON_VERSION

    return {
        "version": JSON_VERSION,
        "old": old_revision,
        "new": new_revision,
        "briefs": [c.to_json() for c in result.briefs],
    }


def absorb_report(report: Report) -> dict[str, Any]:
    """`absorb`: what was written, refused and why (``briefkit.absorb.report``)."""
    from briefkit.absorb.report import to_json

    return to_json(report)
