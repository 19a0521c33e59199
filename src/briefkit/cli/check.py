"""``briefkit check``: validate briefs without building them (and so without a renderer)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from briefkit.cli.common import EXIT_INVALID, EXIT_OK, brief_paths, text_or_json
from briefkit.cli.reports import check_report, echo_json
from briefkit.diagnostics import counted

if TYPE_CHECKING:
    from briefkit.diagnostics import Diagnostic


@click.command()
@click.argument("paths", nargs=-1)
@text_or_json
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "--changes-since",
    metavar="REV",
    default=None,
    help="Also warn about likelihoods and confidences changed since git REV without a change_note.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only problems, no summary line.")
def check(
    paths: tuple[str, ...],
    output_format: str,
    strict: bool,
    changes_since: str | None,
    quiet: bool,
) -> None:
    """Validate briefs (files, directories or globs; default: briefs/)."""
    from briefkit.diagnostics import Severity

    files = brief_paths(paths)
    if changes_since is not None:
        _check_revision(files, changes_since)
    results = []
    for path in files:
        results.append((path, _check_one(path, changes_since)))
    all_diagnostics = [d for _, ds in results for d in ds]
    errors = sum(d.severity is Severity.ERROR for d in all_diagnostics)
    warnings = len(all_diagnostics) - errors
    failed = errors > 0 or (strict and warnings > 0)

    if output_format == "json":
        echo_json(check_report(results, errors, warnings))
    else:
        for diagnostic in all_diagnostics:
            click.echo(str(diagnostic))
        bad = sum(any(d.severity is Severity.ERROR for d in ds) for _, ds in results)
        if not quiet:
            click.echo(
                f"checked {counted(len(files), 'brief')}: {counted(bad, 'invalid brief')}, "
                f"{counted(errors, 'error')}, {counted(warnings, 'warning')}",
                err=True,
            )
    sys.exit(EXIT_INVALID if failed else EXIT_OK)


def _check_revision(files: list[Path], revision: str) -> None:
    """A revision that names nothing is a usage error, as for ``build --changes-since``."""
    from briefkit.building.batch import resolve_changes_since
    from briefkit.building.pipeline import BuildOptions
    from briefkit.versions.git import GitError

    try:
        resolve_changes_since(files, BuildOptions(changes_since=revision))
    except GitError as exc:
        raise click.BadParameter(str(exc), param_hint="--changes-since") from None


def _check_one(path: Path, changes_since: str | None) -> list[Diagnostic]:
    """The diagnostics of one brief; with *changes_since*, also its unexplained changes."""
    from briefkit.checks.loader import load
    from briefkit.diagnostics import Diagnostic

    loaded = load(path)
    if changes_since is None or loaded.brief is None or loaded.source is None:
        return loaded.diagnostics
    from briefkit.versions.since import compare, unexplained_changes

    comparison, problems = compare(path, loaded.brief, changes_since)
    if comparison is not None:
        problems += unexplained_changes(loaded.source, loaded.brief, comparison)
    return sorted([*loaded.diagnostics, *problems], key=Diagnostic.sort_key)
