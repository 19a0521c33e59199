"""``briefkit watch``: rebuild what changed whenever a brief, style sheet or source text changes.

Each round is an ordinary incremental batch build, so only briefs whose inputs changed are
rebuilt, a broken brief keeps its last good outputs, and errors never stop the watcher.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from threading import Event

from briefkit.building.batch import BuildReport
from briefkit.building.discover import NoSuchPath, find_briefs
from briefkit.building.repository import repository_root

WATCHED_SUFFIXES = (".yaml", ".yml", ".txt", ".ttf", ".otf")


def watched_folders(arguments: Sequence[str], files: list[Path]) -> list[Path]:
    """The folders to watch: where the briefs are, and their repositories' styles/ and fonts/."""
    folders: set[Path] = set()
    for argument in arguments or ["briefs"]:
        path = Path(argument)
        folders.add((path if path.is_dir() else path.parent).resolve())
    for brief in files:
        folders.add(brief.parent.resolve())
        for name in ("styles", "fonts"):
            folder = repository_root(brief) / name
            if folder.is_dir():
                folders.add(folder.resolve())
    # watching a folder covers its subfolders
    return sorted(f for f in folders if not any(f != o and f.is_relative_to(o) for o in folders))


def _relevant_outside(out_dir: Path) -> Callable[[object, str], bool]:
    """Briefs, style sheets and source texts, but nothing briefkit itself writes."""
    outputs = out_dir.resolve()

    def relevant(change: object, path: str) -> bool:
        return path.endswith(WATCHED_SUFFIXES) and not Path(path).is_relative_to(outputs)

    return relevant


def watch(
    arguments: Sequence[str],
    build: Callable[[list[Path]], BuildReport],
    report_error: Callable[[str], None],
    *,
    out_dir: Path = Path("out"),
    stop: Event | None = None,
) -> None:
    """Build once, then again after every relevant change, until *stop* is set (or Ctrl-C)."""
    from watchfiles import watch as changes

    files = _discover(arguments, report_error)
    folders = watched_folders(arguments, files)
    built_once = False
    # The first build waits for the watcher's first (empty) report, so that an edit saved
    # while it runs is seen rather than missed.
    for changed in changes(
        *folders,
        watch_filter=_relevant_outside(out_dir),
        stop_event=stop,
        debounce=300,
        step=50,
        rust_timeout=200,
        yield_on_timeout=True,
        raise_interrupt=False,
    ):
        if changed or not built_once:
            build(_discover(arguments, report_error))
            built_once = True


def _discover(arguments: Sequence[str], report_error: Callable[[str], None]) -> list[Path]:
    try:
        return find_briefs(arguments)
    except NoSuchPath as exc:
        report_error(str(exc))
        return []
