"""``briefkit schema``: the JSON Schema of a brief."""

from __future__ import annotations

from pathlib import Path

import click

from briefkit.cli.common import write


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the schema to this file instead of standard output.",
)
def schema(output: Path | None) -> None:
    """Print the JSON Schema of a brief (for editor completion and validation)."""
    from briefkit.schema import schema_text

    text = schema_text()
    if output is None:
        click.echo(text, nl=False)
    else:
        write(output, text)
        click.echo(f"wrote {output}", err=True)
