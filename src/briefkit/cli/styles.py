"""``briefkit styles``: the style sheets a repository can use."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from briefkit.cli.common import EXIT_INVALID, EXIT_OK


@click.command()
@click.option(
    "--repo",
    "repository",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The brief repository whose styles/ folder is searched first.",
)
def styles(repository: Path) -> None:
    """List the style sheets available and where each comes from."""
    from briefkit.building.repository import repository_root
    from briefkit.diagnostics import BriefError, display_path
    from briefkit.style.sheet import available_styles, load_style

    root = repository_root(repository / "x")
    failed = False
    for source in available_styles(root):
        try:
            style = load_style(source.name, root)
            description = style.description
        except BriefError as exc:
            failed = True
            description = f"INVALID ({len(exc.errors)} errors; first: {exc.errors[0]})"
        click.echo(f"{source.name:<14} {source.origin:<11} {display_path(source.path)}")
        if description:
            click.echo(f"{'':<14} {description}")
    sys.exit(EXIT_INVALID if failed else EXIT_OK)
