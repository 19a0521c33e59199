"""What several commands share: exit codes, options, and the helpers that turn a pass's
errors into click's usage errors."""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from pathlib import Path

import click

# Exit codes: 0 clean, 1 a brief (or style) is invalid, 2 the command line is wrong (click).
EXIT_OK, EXIT_INVALID = 0, 1

text_or_json = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Human text or machine-readable JSON.",
)


def _language(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from briefkit.brief.patterns import HELP, LANGUAGE

    if not re.fullmatch(LANGUAGE, value) or len(value) > 35:
        raise click.BadParameter(f"'{value}': {HELP[LANGUAGE]}")
    return value


language_option = click.option(
    "--language",
    default="en",
    show_default=True,
    callback=_language,
    help="The reader's language (BCP 47, e.g. fr, de-CH, ar, zh-Hans): the documents' labels, "
    "dates and, for ar, fa, he or ur, a right-to-left page. The skeleton's comments stay English.",
)


def brief_paths(paths: tuple[str, ...]) -> list[Path]:
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


def out_dir_or_default(out_dir: Path | None) -> Path:
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


def write(path: Path, text: str) -> None:
    from briefkit.building.output import write_atomic

    try:
        write_atomic(path, text)
    except OSError as exc:
        raise click.UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def check_environment() -> None:
    from briefkit.building.pipeline import SettingError, source_date_epoch

    try:
        source_date_epoch()
    except SettingError as exc:
        raise click.UsageError(str(exc)) from None


def today() -> dt.date:
    """Today, or the date of SOURCE_DATE_EPOCH when set (reproducible scaffolds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()
