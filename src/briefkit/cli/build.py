"""``briefkit build``: compile briefs, and what ``watch`` shares with it (the options and one
round of builds with its progress and summary)."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from briefkit.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    brief_paths,
    check_environment,
    out_dir_or_default,
)
from briefkit.diagnostics import counted
from briefkit.render import FORMATS

if TYPE_CHECKING:
    from briefkit.building.batch import BuildReport
    from briefkit.building.pipeline import BuildOptions


def _style_name(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from briefkit.brief.patterns import ID

    if value is not None and (not re.fullmatch(ID, value) or value.endswith((".yaml", ".yml"))):
        raise click.BadParameter(
            f"'{value}' is not a style name; name a sheet as `briefkit styles` lists it "
            "(a file styles/NAME.yaml is named NAME)"
        )
    return value


def _parse_formats(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(
            f"{', '.join(unknown) or 'nothing'} (choose from {', '.join(FORMATS)})"
        )
    return chosen


def build_options(f: Callable[..., None]) -> Callable[..., None]:
    """The options `build` and `watch` share."""
    options = [
        click.argument("paths", nargs=-1),
        click.option(
            "-o",
            "--output",
            "out_dir",
            type=click.Path(file_okay=False, path_type=Path),
            default=None,
            show_default="out/ at the top of the repository",
            help="Directory for the compiled documents.",
        ),
        click.option(
            "--format",
            "formats",
            default="pdf,docx",
            show_default=True,
            callback=_parse_formats,
            help="Comma-separated output formats: "
            + ", ".join(f"{f.name} ({f.description})" for f in FORMATS.values())
            + ".",
        ),
        click.option(
            "--style",
            default=None,
            callback=_style_name,
            help="Style sheet to use instead of the brief's.",
        ),
        click.option(
            "-j",
            "--jobs",
            type=click.IntRange(min=1),
            default=os.cpu_count() or 1,
            show_default="number of cores",
            help="Briefs built at once, in separate processes.",
        ),
        click.option(
            "--email",
            is_flag=True,
            help="Write the HTML for e-mail: inline styles only (the same as --format email).",
        ),
        click.option("-q", "--quiet", is_flag=True, help="Print only problems and the summary."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def with_email(formats: tuple[str, ...], email: bool) -> tuple[str, ...]:
    """`--email`: the HTML output is the e-mail variant (added when no HTML was asked for)."""
    if not email:
        return formats
    swapped = tuple("email" if f == "html" else f for f in formats)
    return tuple(dict.fromkeys((*swapped, "email")))


@click.command()
@build_options
@click.option("--force", is_flag=True, help="Rebuild even briefs whose inputs have not changed.")
@click.option("--fail-fast", is_flag=True, help="Stop at the first brief that fails.")
@click.option(
    "--prune",
    is_flag=True,
    help="Delete outputs (in the output folder) of briefs that no longer exist.",
)
@click.option(
    "--no-wait",
    is_flag=True,
    help="Fail at once if another build is writing to the same output folder.",
)
@click.option(
    "--changes-since",
    metavar="REV",
    default=None,
    help="Add a 'What changed since REV' box, from a comparison with the brief at git REV.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Fail briefs with warnings (such as text no font can show); they write nothing.",
)
@click.option(
    "--edition",
    default=None,
    metavar="EDITION",
    help="Build only this edition: a name from the brief's editions: or a marking "
    "(TLP:GREEN), written to DIR/<name>.<edition>.<format>. Without it, the brief and each "
    "declared edition are built.",
)
def build(
    paths: tuple[str, ...],
    out_dir: Path | None,
    formats: tuple[str, ...],
    style: str | None,
    jobs: int,
    email: bool,
    quiet: bool,
    force: bool,
    fail_fast: bool,
    prune: bool,
    no_wait: bool,
    changes_since: str | None,
    strict: bool,
    edition: str | None,
) -> None:
    """Compile briefs (files, directories or globs; default: briefs/) to DIR/<name>.<format>.

    Briefs whose inputs (the brief, its style sheets, its source texts) have not changed since
    the last build are skipped. A brief that fails keeps its previous outputs.
    """
    from briefkit.building.pipeline import BuildOptions
    from briefkit.versions.git import GitError

    check_environment()
    options = BuildOptions(
        out_dir=out_dir_or_default(out_dir),
        formats=with_email(formats, email),
        style=style,
        force=force,
        changes_since=changes_since,
        strict=strict,
        wait=not no_wait,
        edition=edition,
    )
    try:
        report = run_build(
            brief_paths(paths), options, jobs=jobs, quiet=quiet, fail_fast=fail_fast, prune=prune
        )
    except GitError as exc:
        raise click.BadParameter(str(exc), param_hint="--changes-since") from None
    from briefkit.diagnostics import display_path

    for deleted in report.pruned:
        click.echo(f"deleted {display_path(deleted)} (its brief no longer exists)", err=True)
    for deleted in report.pruned_editions:
        click.echo(f"deleted {display_path(deleted)} (its edition is no longer declared)", err=True)
    if report.orphans:
        count = sum(len(outputs) for outputs in report.orphans.values())
        if count:
            click.echo(
                f"kept {counted(count, 'output')} of deleted briefs (use --prune to delete them)",
                err=True,
            )
    sys.exit(EXIT_INVALID if report.failed else EXIT_OK)


def run_build(
    files: list[Path],
    options: BuildOptions,
    *,
    jobs: int,
    quiet: bool,
    fail_fast: bool,
    repeat_warnings: bool = True,
    prune: bool = False,
) -> BuildReport:
    """Build *files*, printing each result; *repeat_warnings* prints the warnings recorded for
    briefs skipped as unchanged (``watch`` prints them once, when the brief changes)."""
    from briefkit.building.batch import build_all
    from briefkit.building.lock import Busy, Unlockable
    from briefkit.building.manifest import ManifestNotSaved
    from briefkit.building.pipeline import BuildResult, Outcome

    progress = _Progress(len(files), enabled=not quiet and sys.stderr.isatty())

    def show(result: BuildResult) -> None:
        progress.clear()
        if result.outcome is not Outcome.SKIPPED or repeat_warnings:
            for diagnostic in result.diagnostics:
                click.echo(str(diagnostic), err=True)
        if result.outcome is Outcome.BUILT and not quiet:
            for output in result.outputs:
                click.echo(f"wrote {output}", err=True)
        progress.advance(result.path)

    def waiting(message: str) -> None:
        progress.clear()
        click.echo(message, err=True)

    try:
        report = build_all(
            files,
            options,
            jobs=jobs,
            fail_fast=fail_fast,
            prune=prune,
            on_result=show,
            on_wait=waiting,
        )
    except (Busy, Unlockable, ManifestNotSaved) as exc:
        progress.clear()
        click.echo(f"briefkit build: {exc}", err=True)
        sys.exit(EXIT_INVALID)
    progress.clear()
    warned = sum(1 for r in report.results if not r.failed and r.diagnostics)
    verb = "has" if warned == 1 else "have"
    notes = f"; {counted(warned, 'brief')} {verb} warnings" if warned else ""
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(
        f"{report.count(Outcome.BUILT)} built, {report.count(Outcome.SKIPPED)} skipped "
        f"(unchanged), {report.count(Outcome.FAILED)} failed in {report.seconds:.1f}s{notes}",
        err=True,
    )
    return report


class _Progress:
    """A one-line counter on a terminal, rewritten in place."""

    def __init__(self, total: int, *, enabled: bool) -> None:
        self.total, self.done, self.enabled = total, 0, enabled

    def advance(self, path: Path) -> None:
        self.done += 1
        if self.enabled:
            click.echo(f"\r[{self.done}/{self.total}] {path}"[:120], err=True, nl=False)

    def clear(self) -> None:
        if self.enabled:
            click.echo("\r\x1b[K", err=True, nl=False)
