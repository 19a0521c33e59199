"""``briefkit init``: a brief repository, with an example, a house style and the schema."""

from __future__ import annotations

from pathlib import Path

import click

from briefkit.cli.common import language_option


@click.command()
@click.argument(
    "directory", type=click.Path(file_okay=False, path_type=Path), default=Path("."), required=False
)
@click.option("--no-git", is_flag=True, help="Do not run `git init`.")
@language_option
def init(directory: Path, no_git: bool, language: str) -> None:
    """Set up a brief repository in DIRECTORY (default: here): an example brief, a house style,
    .gitignore, a pre-commit hook and the schema. Existing files are never overwritten."""
    import shutil
    import subprocess

    from briefkit.building.repository import repository_root
    from briefkit.diagnostics import display_path
    from briefkit.scaffold import example_in_english, init_repository

    directory.mkdir(parents=True, exist_ok=True)
    in_git = (repository_root(directory / "x") / ".git").exists()
    if not no_git and not in_git and shutil.which("git"):
        subprocess.run(["git", "init", "-q", str(directory)], check=True)
        click.echo(f"initialised a git repository in {display_path(directory)}", err=True)
        in_git = True
    for path, written in init_repository(directory, language):
        verb = "wrote" if written else "kept existing"
        click.echo(f"{verb} {display_path(path)}", err=True)
    click.echo(f"next: {_next_steps(directory)}", err=True)
    if example_in_english(language):
        click.echo(
            f"the example's text is English: write it in {language} (its first lines say so)",
            err=True,
        )
    # Nothing is committed for the user (whose name git may not know yet): said instead.
    commit = 'git add -A && git commit -m "Start the brief repository"'
    click.echo(
        f"then commit: {commit if in_git else 'git init && ' + commit} (diff, absorb and "
        "build --changes-since compare the briefs with their commits)",
        err=True,
    )


def _next_steps(directory: Path) -> str:
    """What to type after ``init``: with a ``cd`` into the new repository unless it is here."""
    import shlex

    from briefkit.diagnostics import display_path

    steps = "briefkit check && briefkit build"
    if directory.resolve() == Path.cwd().resolve():
        return steps
    return f"cd {shlex.quote(display_path(directory))} && {steps}"
