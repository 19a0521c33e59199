"""briefkit's command line: orchestration only; the work is done by the passes it calls.

Imports are lazy so that ``briefkit check`` never loads a renderer.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from briefkit import __version__
from briefkit.building.collector import YOUNG_THRESHOLD
from briefkit.diagnostics import counted
from briefkit.render import FORMATS

if TYPE_CHECKING:
    from briefkit.building.batch import BuildReport
    from briefkit.building.pipeline import BuildOptions
    from briefkit.diagnostics import Diagnostic

# Exit codes: 0 clean, 1 a brief (or style) is invalid, 2 the command line is wrong (click).
EXIT_OK, EXIT_INVALID = 0, 1


# The format of `check --format json`: raised when a key changes meaning or goes away.
CHECK_JSON_VERSION = 1

_text_or_json = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Human text or machine-readable JSON.",
)


def _replace_unencodable() -> None:
    """Print "?" for characters the terminal cannot show (a latin-1 or Windows console, or
    ``PYTHONIOENCODING=latin-1``) instead of failing with UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", "") == "strict":
            # a closed or unusual stream is left as it is
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


class _Group(click.Group):
    def main(self, *args: Any, **kwargs: Any) -> Any:
        _replace_unencodable()
        if args or "args" in kwargs:  # called by a program (a test's runner): return as usual
            return super().main(*args, **kwargs)
        # The command line: objects imported so far are never collected, so the collector
        # need not scan them again, and it collects less often (see briefkit.building.collector);
        # once the output is flushed, the process ends without tearing down its modules (a
        # tenth of a second of a short command's time).
        gc.freeze()
        gc.set_threshold(YOUNG_THRESHOLD, *gc.get_threshold()[1:])
        try:
            super().main(*args, **kwargs)
            code: str | int | None = 0
        except SystemExit as exc:
            code = exc.code
        _exit_now(code)
        return None


def _exit_now(code: str | int | None) -> None:
    """End the process with *code* as ``sys.exit`` would, without the interpreter's teardown.

    Falls back to ``sys.exit`` when the output cannot be flushed (a closed pipe) or *code* is
    not a number, so that what is printed and the exit status stay exactly those of an
    ordinary exit."""
    if code is None:
        code = 0
    if not isinstance(code, int):
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)
    os._exit(code & 0xFF)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefkit")
def main() -> None:
    """Compile executive briefs from YAML sources to PDF and Word."""


def _brief_paths(paths: tuple[str, ...]) -> list[Path]:
    from briefkit.building.discover import NoSuchPath, find_briefs

    try:
        found = find_briefs(paths)
    except NoSuchPath as exc:
        raise click.UsageError(str(exc)) from None
    if not found:
        from briefkit.building.discover import default_briefs

        where = ", ".join(paths) or str(default_briefs())
        raise click.UsageError(f"no brief files (*.yaml, *.yml) in {where}")
    return found


def _out_dir(out_dir: Path | None) -> Path:
    """``-o DIR``, else ``out/`` at the top of the repository, wherever the command runs (so a
    build from inside ``briefs/`` writes where ``.gitignore`` expects)."""
    from briefkit.building.repository import OutsideRepository, output_folder

    if out_dir is not None:
        return out_dir
    try:
        return output_folder()
    except OutsideRepository as exc:
        click.echo(f"briefkit: {exc}", err=True)
        sys.exit(EXIT_INVALID)


def _language(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from briefkit.brief.patterns import HELP, LANGUAGE

    if not re.fullmatch(LANGUAGE, value) or len(value) > 35:
        raise click.BadParameter(f"'{value}': {HELP[LANGUAGE]}")
    return value


_LANGUAGE_OPTION = click.option(
    "--language",
    default="en",
    show_default=True,
    callback=_language,
    help="The reader's language (BCP 47, e.g. fr, de-CH, ar, zh-Hans): the documents' labels, "
    "dates and, for ar, fa, he or ur, a right-to-left page. The skeleton's comments stay English.",
)


@main.command()
@click.argument("paths", nargs=-1)
@_text_or_json
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

    files = _brief_paths(paths)
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
        report = {
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
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
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


@main.command()
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
        _write(output, text)
        click.echo(f"wrote {output}", err=True)


@main.command()
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
@_LANGUAGE_OPTION
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
    today = _today()
    copy = article_text = None
    try:
        if article is not None:
            article_text = read_article(article)
            copy = article_copy(article, target, article_text)
        text = skeleton(
            slug, target, article, today, language, article_text=article_text, copy=copy
        )
    except (ScaffoldError, OSError) as exc:
        raise click.UsageError(str(exc)) from None
    _write(target, text)
    if copy is not None and article_text is not None:
        from briefkit.diagnostics import display_path

        if copy.exists():
            click.echo(
                f"the article is already in {display_path(copy)}: the source's text", err=True
            )
        else:
            _write(copy, article_text)
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


@main.command()
@click.argument(
    "directory", type=click.Path(file_okay=False, path_type=Path), default=Path("."), required=False
)
@click.option("--no-git", is_flag=True, help="Do not run `git init`.")
@_LANGUAGE_OPTION
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


def _write(path: Path, text: str) -> None:
    from briefkit.building.output import write_atomic

    try:
        write_atomic(path, text)
    except OSError as exc:
        raise click.UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def _style_name(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from briefkit.brief.patterns import ID

    if value is not None and (not re.fullmatch(ID, value) or value.endswith((".yaml", ".yml"))):
        raise click.BadParameter(
            f"'{value}' is not a style name; name a sheet as `briefkit styles` lists it "
            "(a file styles/NAME.yaml is named NAME)"
        )
    return value


def _check_environment() -> None:
    from briefkit.building.pipeline import SettingError, source_date_epoch

    try:
        source_date_epoch()
    except SettingError as exc:
        raise click.UsageError(str(exc)) from None


def _today() -> dt.date:
    """Today, or the date of SOURCE_DATE_EPOCH when set (reproducible scaffolds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


@main.command()
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


def _build_options(f: Callable[..., None]) -> Callable[..., None]:
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


def _with_email(formats: tuple[str, ...], email: bool) -> tuple[str, ...]:
    """`--email`: the HTML output is the e-mail variant (added when no HTML was asked for)."""
    if not email:
        return formats
    swapped = tuple("email" if f == "html" else f for f in formats)
    return tuple(dict.fromkeys((*swapped, "email")))


def _parse_formats(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(
            f"{', '.join(unknown) or 'nothing'} (choose from {', '.join(FORMATS)})"
        )
    return chosen


@main.command()
@_build_options
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

    _check_environment()
    options = BuildOptions(
        out_dir=_out_dir(out_dir),
        formats=_with_email(formats, email),
        style=style,
        force=force,
        changes_since=changes_since,
        strict=strict,
        wait=not no_wait,
        edition=edition,
    )
    try:
        report = _run_build(
            _brief_paths(paths), options, jobs=jobs, quiet=quiet, fail_fast=fail_fast, prune=prune
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


def _run_build(
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


@main.command()
@_build_options
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

    _check_environment()
    out_dir = _out_dir(out_dir)
    options = BuildOptions(out_dir=out_dir, formats=_with_email(formats, email), style=style)

    rounds = 0

    def build_round(files: list[Path]) -> BuildReport:
        nonlocal rounds
        rounds += 1
        return _run_build(
            files, options, jobs=jobs, quiet=quiet, fail_fast=False, repeat_warnings=rounds == 1
        )

    click.echo("watching for changes; press Ctrl-C to stop", err=True)
    watch_and_build(
        paths, build_round, lambda message: click.echo(message, err=True), out_dir=out_dir
    )


@main.command()
@click.argument("arguments", nargs=-1, metavar="[OLD_REV [NEW_REV]] [PATH...]")
@click.option(
    "--editions",
    default=None,
    metavar="OLD,NEW",
    help="Compare two editions of one brief (names or markings; 'brief' for the brief "
    "itself), as the working tree has it.",
)
@_text_or_json
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
        click.echo(json.dumps(changes.to_json(), indent=2, ensure_ascii=False))
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
        click.echo(json.dumps(changes.to_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(f"{path}: {old_revision} → {new_revision or 'working tree'}")
        click.echo(changes.to_text())


def _diff_folders(
    paths: list[Path], old_revision: str, new_revision: str | None, output_format: str
) -> None:
    from briefkit.diagnostics import display_path
    from briefkit.versions.compare import JSON_VERSION, compare_folders
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
        report = {
            "version": JSON_VERSION,
            "old": old_revision,
            "new": new_revision,
            "briefs": [c.to_json() for c in result.briefs],
        }
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
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


@main.command()
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
@_text_or_json
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
    from briefkit.absorb.report import to_json, to_text
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
        click.echo(json.dumps(to_json(report), indent=2, ensure_ascii=False))
    else:
        click.echo(to_text(report, dry_run=dry_run), nl=False)
    for line in report.errors:
        click.echo(line, err=True)
    for reason in report.refused:
        click.echo(f"briefkit absorb: {reason}; nothing written", err=True)
    sys.exit(EXIT_OK if report.ok else EXIT_INVALID)
