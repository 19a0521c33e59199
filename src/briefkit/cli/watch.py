"""``briefkit watch``: build, then rebuild what changes, until Ctrl-C."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from briefkit.cli.build import build_options, run_build, with_email
from briefkit.cli.common import check_environment, out_dir_or_default

if TYPE_CHECKING:
    from briefkit.building.batch import BuildReport


@click.command()
@build_options
def watch(
    paths: tuple[str, ...],
    out_dir: Path | None,
    formats: tuple[str, ...],
    style: str | None,
    jobs: int,
    email: bool,
    quiet: bool,
) -> None:
    """Build briefs, then rebuild what changed whenever a brief or style changes (Ctrl-C stops).

    Problems are printed and the last good outputs kept; the watcher stays up.
    """
    from briefkit.building.pipeline import BuildOptions
    from briefkit.building.watch import watch as watch_and_build

    check_environment()
    out_dir = out_dir_or_default(out_dir)
    options = BuildOptions(out_dir=out_dir, formats=with_email(formats, email), style=style)

    rounds = 0

    def build_round(files: list[Path]) -> BuildReport:
        nonlocal rounds
        rounds += 1
        return run_build(
            files, options, jobs=jobs, quiet=quiet, fail_fast=False, repeat_warnings=rounds == 1
        )

    click.echo("watching for changes; press Ctrl-C to stop", err=True)
    watch_and_build(
        paths, build_round, lambda message: click.echo(message, err=True), out_dir=out_dir
    )
