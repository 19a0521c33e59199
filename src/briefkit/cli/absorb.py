"""``briefkit absorb``: an office's edits to a built .docx taken back into its brief."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from briefkit.cli.common import EXIT_INVALID, EXIT_OK, text_or_json
from briefkit.cli.reports import absorb_report, echo_json


@click.command()
@click.argument("document", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("brief", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--accept-changes", is_flag=True, help="Take tracked changes as if all were accepted."
)
@click.option(
    "--reject-changes", is_flag=True, help="Take tracked changes as if all were rejected."
)
@click.option(
    "--allow-deletions", is_flag=True, help="Delete from the brief what the document deleted."
)
@click.option(
    "--ignore-unmapped", is_flag=True, help="Write even when text lies outside every field."
)
@click.option(
    "--prefer",
    type=click.Choice(["docx", "source"]),
    help="Settle fields changed both in the document and in the brief since it was built.",
)
@click.option("--dry-run", is_flag=True, help="Print what would change; write nothing.")
@text_or_json
def absorb(
    document: Path,
    brief: Path | None,
    accept_changes: bool,
    reject_changes: bool,
    allow_deletions: bool,
    ignore_unmapped: bool,
    prefer: str | None,
    dry_run: bool,
    output_format: str,
) -> None:
    """Take the edits made to a built .docx back into its brief (BRIEF, default: the brief the
    document records), in place: only the fields the office changed change in the YAML.

    Prints the changes in meaning, as `briefkit diff` does. Nothing is written when the
    document has unresolved tracked changes, text outside every field, deletions, conflicts
    with changes made to the brief since, or an edit that makes the brief invalid (unless
    the options below say how to settle them).
    """
    from briefkit.absorb import Options
    from briefkit.absorb import absorb as run_absorb
    from briefkit.absorb.report import to_text
    from briefkit.diagnostics import UserError

    if accept_changes and reject_changes:
        raise click.UsageError("give --accept-changes or --reject-changes, not both")
    changes = "accept" if accept_changes else "reject" if reject_changes else None
    options = Options(changes, allow_deletions, ignore_unmapped, prefer, dry_run)
    try:
        report = run_absorb(document, brief, options)
    except UserError as exc:
        for diagnostic in exc.as_diagnostics(str(document)):
            click.echo(str(diagnostic), err=True)
        sys.exit(EXIT_INVALID)
    if output_format == "json":
        echo_json(absorb_report(report))
    else:
        click.echo(to_text(report, dry_run=dry_run), nl=False)
    for line in report.errors:
        click.echo(line, err=True)
    for reason in report.refused:
        click.echo(f"briefkit absorb: {reason}; nothing written", err=True)
    sys.exit(EXIT_OK if report.ok else EXIT_INVALID)
