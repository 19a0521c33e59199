"""``briefkit diff``: two versions of briefs (or two editions of one) compared by meaning."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from briefkit.cli.common import EXIT_INVALID, EXIT_OK, text_or_json
from briefkit.cli.reports import diff_report, echo_json, folders_report
from briefkit.diagnostics import counted


@click.command()
@click.argument("arguments", nargs=-1, metavar="[OLD_REV [NEW_REV]] [PATH...]")
@click.option(
    "--editions",
    default=None,
    metavar="OLD,NEW",
    help="Compare two editions of one brief (names or markings; 'brief' for the brief "
    "itself), as the working tree has it.",
)
@text_or_json
def diff(arguments: tuple[str, ...], output_format: str, editions: str | None) -> None:
    """Compare two versions of briefs by meaning: judgments, signals, likelihoods, questions.

    PATH is a brief or a folder of briefs (default: briefs/ of the repository); a folder also
    lists the briefs added and removed. OLD_REV defaults to HEAD and NEW_REV to the working
    tree.
    """
    from briefkit.building.discover import default_briefs
    from briefkit.versions.compare import split_arguments

    if editions is not None:
        _diff_editions(arguments, editions, output_format)
        return
    revisions, names = split_arguments(arguments)
    if not names:
        names = [str(default_briefs())]
    old_revision = revisions[0] if revisions else "HEAD"
    new_revision = revisions[1] if len(revisions) > 1 else None
    paths = [Path(name) for name in names]
    if len(paths) == 1 and not paths[0].is_dir():
        _diff_one(paths[0], old_revision, new_revision, output_format, given=bool(revisions))
    else:
        _diff_folders(paths, old_revision, new_revision, output_format)


def _diff_editions(arguments: tuple[str, ...], editions: str, output_format: str) -> None:
    """`diff --editions clear,amber brief.yaml`: what the wider edition holds beyond the other."""
    from briefkit.checks.loader import brief_scheme, load
    from briefkit.editions.derive import derive, find_edition, marked
    from briefkit.versions.semantic_diff import diff_briefs

    names = [n.strip() for n in editions.split(",")]
    if len(names) != 2 or len(arguments) != 1:
        raise click.UsageError("--editions takes OLD,NEW and one brief")
    path = Path(arguments[0])
    loaded = load(path)
    if loaded.brief is None:
        for diagnostic in loaded.diagnostics:
            click.echo(str(diagnostic), err=True)
        sys.exit(EXIT_INVALID)
    scheme = brief_scheme(path)
    briefs = []
    for name in names:
        if name == "brief":
            briefs.append(marked(loaded.brief, scheme))
            continue
        try:
            derived = derive(loaded.brief, find_edition(loaded.brief, name, scheme), scheme)
        except ValueError as exc:
            raise click.UsageError(str(exc).replace("--edition", "--editions")) from None
        if derived.brief is None:
            click.echo(
                f"briefkit diff: edition '{name}' cannot be built; see briefkit check", err=True
            )
            sys.exit(EXIT_INVALID)
        briefs.append(derived.brief)
    changes = diff_briefs(briefs[0], briefs[1])
    if output_format == "json":
        echo_json(diff_report(changes))
    else:
        click.echo(f"{path}: edition {names[0]} → edition {names[1]}")
        click.echo(changes.to_text())


def _diff_one(
    path: Path, old_revision: str, new_revision: str | None, output_format: str, *, given: bool
) -> None:
    from briefkit.diagnostics import BriefError
    from briefkit.versions.git import GitError
    from briefkit.versions.semantic_diff import brief_at, diff_briefs

    if not given and not path.is_file():
        raise click.UsageError(f"'{path}' is not a file or a folder")
    try:
        old = brief_at(path, old_revision)
        new = brief_at(path, new_revision)
    except GitError as exc:
        click.echo(f"briefkit diff: {exc}", err=True)
        sys.exit(EXIT_INVALID)
    except BriefError as exc:
        for diagnostic in exc.diagnostics:
            click.echo(str(diagnostic), err=True)
        sys.exit(EXIT_INVALID)
    changes = diff_briefs(old, new)
    if output_format == "json":
        echo_json(diff_report(changes))
    else:
        click.echo(f"{path}: {old_revision} → {new_revision or 'working tree'}")
        click.echo(changes.to_text())


def _diff_folders(
    paths: list[Path], old_revision: str, new_revision: str | None, output_format: str
) -> None:
    from briefkit.diagnostics import display_path
    from briefkit.versions.compare import compare_folders
    from briefkit.versions.git import GitError

    for path in paths:
        if not path.is_dir() and not path.is_file():
            raise click.UsageError(f"'{path}' is not a file or a folder")
    files = [p for p in paths if not p.is_dir()]
    if files:
        raise click.UsageError(
            f"give one brief, or folders of briefs ('{files[0]}' is a file among folders)"
        )
    try:
        result = compare_folders(paths, old_revision, new_revision)
    except GitError as exc:
        click.echo(f"briefkit diff: {exc}", err=True)
        sys.exit(EXIT_INVALID)
    for diagnostic in result.problems:
        click.echo(str(diagnostic), err=True)
    span = f"{old_revision} → {new_revision or 'working tree'}"
    if output_format == "json":
        echo_json(folders_report(old_revision, new_revision, result))
    else:
        for compared in result.briefs:
            where = display_path(compared.path)
            if compared.status == "added":
                click.echo(f"+ {where}: new since {old_revision} ({compared.title})")
            elif compared.status == "removed":
                click.echo(f"- {where}: removed since {old_revision} ({compared.title})")
            elif compared.diff is not None and not compared.diff.empty:
                click.echo(f"{where}: {span}")
                click.echo(compared.diff.to_text())
        counts = ", ".join(
            f"{result.count(status)} {status}"
            for status in ("changed", "added", "removed", "unchanged")
        )
        click.echo(f"{counted(len(result.briefs), 'brief')} compared ({span}): {counts}")
    sys.exit(EXIT_INVALID if result.problems else EXIT_OK)
