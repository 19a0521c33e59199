"""``briefkit new``: a skeleton brief that passes ``check``."""

from __future__ import annotations

import re
from pathlib import Path

import click

from briefkit.cli.common import language_option, today, write


@click.command()
@click.argument("slug")
@click.option(
    "--from-article",
    "article",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A text file of the article: its headline becomes the title and it becomes a source "
    "(copied into the brief's sources/ folder when it is outside the repository).",
)
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    show_default="briefs/ at the top of the repository",
    help="Directory to write the brief into.",
)
@language_option
def new(slug: str, article: Path | None, directory: Path | None, language: str) -> None:
    """Write a commented skeleton brief DIR/SLUG.yaml that passes `briefkit check`, in the
    repository's house style when it has one."""
    from briefkit.brief.patterns import HELP, ID
    from briefkit.building.discover import default_briefs
    from briefkit.scaffold import (
        ScaffoldError,
        article_copy,
        ensure_schema,
        read_article,
        skeleton,
    )

    if not re.fullmatch(ID, slug) or len(slug) > 64:
        raise click.BadParameter(f"'{slug}': {HELP[ID]}", param_hint="SLUG")
    target = (directory if directory is not None else default_briefs()) / f"{slug}.yaml"
    if target.exists():
        raise click.UsageError(f"{target} already exists; choose another slug or delete it")
    copy = article_text = None
    try:
        if article is not None:
            article_text = read_article(article)
            copy = article_copy(article, target, article_text)
        text = skeleton(
            slug, target, article, today(), language, article_text=article_text, copy=copy
        )
    except (ScaffoldError, OSError) as exc:
        raise click.UsageError(str(exc)) from None
    write(target, text)
    if copy is not None and article_text is not None:
        from briefkit.diagnostics import display_path

        if copy.exists():
            click.echo(
                f"the article is already in {display_path(copy)}: the source's text", err=True
            )
        else:
            write(copy, article_text)
            click.echo(
                f"copied the article to {display_path(copy)}, so that evidence quotes are "
                "checked against it (commit it with the brief)",
                err=True,
            )
    try:
        written_schema = ensure_schema(target)
    except OSError as exc:
        raise click.UsageError(f"cannot write the schema: {exc.strerror or exc}") from None
    if written_schema is not None:
        click.echo(f"wrote {written_schema} (the schema editors use for completion)", err=True)
    click.echo(f"wrote {target}; fill in the TODOs, then run: briefkit check {target}", err=True)
