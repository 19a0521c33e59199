"""Compile briefs to documents: load → style → layout → render → write atomically.

A brief that fails anywhere writes nothing, so its previous outputs stay as they were. Batches
build in parallel processes and skip briefs whose inputs have not changed (see manifest.py).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from briefkit import __version__
from briefkit.coverage import uncovered
from briefkit.diagnostics import BriefError, Diagnostic, Severity, UserError, display_path
from briefkit.files import regular_file_stat
from briefkit.loader import LoadedBrief, load
from briefkit.manifest import FileStamp, Manifest, settings_hash
from briefkit.render import DEFAULT_FORMATS, FORMATS
from briefkit.repository import repository_root
from briefkit.styles import DEFAULT_STYLE, Style, load_style, shadowing_paths


@dataclass(frozen=True)
class BuildOptions:
    out_dir: Path = Path("out")
    formats: tuple[str, ...] = DEFAULT_FORMATS
    style: str | None = None  # overrides the briefs' own style
    force: bool = False  # rebuild even when nothing changed
    wait: bool = True  # wait for another build writing the same folder (else refuse)
    changes_since: str | None = None  # a git revision: add a "What changed since" box
    strict: bool = False  # a brief with warnings fails and writes nothing


class Outcome(StrEnum):
    BUILT = "built"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass
class BuildResult:
    path: Path
    outcome: Outcome = Outcome.FAILED
    outputs: list[Path] = field(default_factory=list)
    # each output stamped with the bytes this build wrote (see Manifest.record)
    written: dict[Path, FileStamp] = field(default_factory=dict)
    # every file the outputs depend on, stamped when it was read
    inputs: dict[Path, FileStamp] = field(default_factory=dict)
    absent: list[Path] = field(default_factory=list)  # files that would change them if created
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.outcome is Outcome.FAILED


@dataclass
class BuildReport:
    results: list[BuildResult]
    orphans: dict[str, list[Path]]  # outputs of briefs that no longer exist
    seconds: float
    warnings: list[str] = field(default_factory=list)  # about the batch, not one brief
    pruned: list[Path] = field(default_factory=list)  # outputs deleted by --prune

    def count(self, outcome: Outcome) -> int:
        return sum(r.outcome is outcome for r in self.results)

    @property
    def failed(self) -> int:
        return self.count(Outcome.FAILED)


# The last second of the year 9999: dates beyond it cannot be written in a document.
MAX_EPOCH = 253_402_300_799


class SettingError(UserError, ValueError):
    """An environment setting briefkit cannot use; the message says what is allowed."""


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` as seconds since 1970, or None when it is not set."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) > MAX_EPOCH:
        raise SettingError(
            f"SOURCE_DATE_EPOCH must be whole seconds since 1970 up to {MAX_EPOCH} "
            f"(the year 9999); it is '{value}'"
        )
    return int(value)


def resolve_style(loaded: LoadedBrief, override: str | None) -> Style:
    assert loaded.brief is not None and loaded.source is not None
    repository = repository_root(loaded.path)
    if override:
        return load_style(override, repository)
    if loaded.style is not None:
        return loaded.style  # already loaded and checked with the brief
    name = loaded.brief.style or DEFAULT_STYLE
    requested_at = (loaded.source, ("style",)) if loaded.brief.style else None
    return load_style(name, repository, requested_at=requested_at)


def output_path(brief: Path, options: BuildOptions, fmt: str) -> Path:
    return options.out_dir / f"{brief.stem}{FORMATS[fmt].extension}"


@dataclass(frozen=True)
class BriefContext:
    """What a build of one brief needs to know about its place in git."""

    revision: str | None = None  # of the brief file, for the footer and metadata
    since: str | None = None  # the commit --changes-since resolved to
    settings: str = ""  # hash of everything besides input files (see brief_context)


def build_brief(
    path: Path, options: BuildOptions, context: BriefContext | None = None
) -> BuildResult:
    """Build one brief (in whatever process calls it); never raises for a user error."""
    context = context or BriefContext()
    result = BuildResult(path)
    with contextlib.suppress(OSError):  # a missing brief is reported by load()
        result.inputs[path] = FileStamp.of(path)
    loaded = load(path)
    result.diagnostics += loaded.diagnostics
    if loaded.brief is None or loaded.source is None:
        return result
    texts = _source_texts(loaded)
    result.inputs |= _stamps(t for t in texts if t.is_file())
    # a source text that appears later changes what check says about the quotes
    result.absent += [t for t in texts if not t.is_file()]
    try:
        style = resolve_style(loaded, options.style)
    except BriefError as exc:
        result.diagnostics += exc.diagnostics
        return result
    result.inputs |= _stamps(style.files)
    result.inputs |= _stamps(font_files(style))  # a font replaced in fonts/ rebuilds the brief
    result.absent += shadowing_paths(style, repository_root(path))
    if options.style:  # the brief's own style was checked when it was loaded: swap its result
        result.diagnostics = [d for d in result.diagnostics if d not in loaded.coverage]
        result.diagnostics += uncovered(loaded.source, style)

    from briefkit.layout import layout
    from briefkit.output import write_atomic

    changes = None
    if options.changes_since:
        changes, problems = changes_since(
            path, loaded.brief, options.changes_since, context.since, loaded.source
        )
        result.diagnostics += problems
        if any(p.severity is Severity.ERROR for p in problems):
            return result
    if options.strict and result.diagnostics:
        return result  # every diagnostic here is a warning: errors returned above
    document = layout(loaded.brief, revision=context.revision, changes=changes)
    epoch = source_date_epoch()
    rendered = {
        output_path(path, options, fmt): FORMATS[fmt].render(document, style, epoch=epoch)
        for fmt in options.formats
    }
    # Written only once every format rendered: a failure above leaves all old outputs intact.
    for target, data in rendered.items():
        try:
            result.written[target] = FileStamp.of_written(data, write_atomic(target, data))
        except OSError as exc:
            message = f"cannot write {display_path(target)}: {exc.strerror or exc}"
            result.diagnostics.append(Diagnostic.unlocated(display_path(path), message))
            return result
        result.outputs.append(target)
    result.outcome = Outcome.BUILT
    return result


def _guarded_build(path: Path, options: BuildOptions, context: BriefContext) -> BuildResult:
    """build_brief, with a bug reported as this brief's failure instead of ending the batch."""
    try:
        return build_brief(path, options, context)
    except UserError as exc:  # a setting, a font file, the cache folder: not a bug
        return BuildResult(path, diagnostics=exc.as_diagnostics(display_path(path)))
    except Exception as exc:  # a briefkit bug: the other briefs still build
        message = f"internal error while building ({type(exc).__name__}: {exc}); please report it"
        return BuildResult(path, diagnostics=[Diagnostic.unlocated(display_path(path), message)])


def changes_since(
    path: Path, brief: Any, revision: str, since: str | None, doc: Any
) -> tuple[Any, list[Diagnostic]]:
    """The "What changed" box for *brief* against git *revision* (resolved to the commit
    *since*), and any problem met computing it (see :mod:`briefkit.since`)."""
    from briefkit.since import changes_box, compare, unexplained_changes

    comparison, problems = compare(path, brief, revision)
    if comparison is None:
        return None, problems
    problems += unexplained_changes(doc, brief, comparison)
    return changes_box(brief, comparison, since), problems


def font_files(style: Style) -> list[Path]:
    """The repository font files (fonts/…) a style sheet names."""
    from briefkit.fonts import is_font_file

    return [Path(family) for family in style.fonts.families() if is_font_file(family)]


def _stamps(paths: Iterable[Path]) -> dict[Path, FileStamp]:
    return {path: FileStamp.of(path) for path in paths}


def _source_texts(loaded: LoadedBrief) -> list[Path]:
    """The local copies of sources a brief names, present or not (see build_brief)."""
    assert loaded.brief is not None
    folder = loaded.path.parent
    return [folder / source.text for source in loaded.brief.sources if source.text]


# --- batches ----------------------------------------------------------------------------------


def brief_context(path: Path, options: BuildOptions, since: str | None) -> BriefContext:
    """The git revision of *path* and the hash of its build settings.

    *since* is the commit that ``--changes-since`` resolved to, so moving a branch or tag
    rebuilds the box.
    """
    from briefkit.git import revision_of

    revision = revision_of(path)
    settings = settings_hash(
        {
            "briefkit": __version__,
            "formats": list(options.formats),
            "style": options.style,
            "epoch": source_date_epoch(),
            "revision": revision,
            "changes_since": [options.changes_since, since],
        }
    )
    return BriefContext(revision=revision, since=since, settings=settings)


def resolve_changes_since(paths: list[Path], options: BuildOptions) -> str | None:
    """The commit ``--changes-since`` names in the repository of the briefs; raises GitError if
    it names none. None when no brief is in a repository (each then gets a warning)."""
    if not options.changes_since or not paths:
        return None
    from briefkit.git import repository_of, resolve

    inside = next((path for path in paths if repository_of(path) is not None), None)
    if inside is None:
        return None
    return resolve(options.changes_since, inside)


def build_all(
    paths: Iterable[Path],
    options: BuildOptions,
    *,
    jobs: int = 1,
    fail_fast: bool = False,
    prune: bool = False,
    on_result: Callable[[BuildResult], None] = lambda result: None,
    on_wait: Callable[[str], None] = lambda message: None,
) -> BuildReport:
    """Build *paths*, skipping up-to-date ones; *on_result* sees each result as it is known.

    The output folder is locked for the whole batch (see lock.py): raises lock.Busy when
    another build holds it and ``options.wait`` is false. With *prune*, the outputs of briefs
    that no longer exist are deleted afterwards, under the same lock.
    """
    from briefkit.lock import output_lock

    paths = list(paths)
    since = resolve_changes_since(paths, options)
    with output_lock(options.out_dir, wait=options.wait, on_wait=on_wait):
        started = time.perf_counter()
        report = _build_locked(paths, options, since, jobs, fail_fast, on_result)
        if prune:
            report.pruned = prune_outputs(options, paths)
            report.orphans = {}
        report.seconds = time.perf_counter() - started
    return report


def _build_locked(
    paths: list[Path],
    options: BuildOptions,
    since: str | None,
    jobs: int,
    fail_fast: bool,
    on_result: Callable[[BuildResult], None],
) -> BuildReport:
    manifest = Manifest.load(options.out_dir)
    warnings = []
    if manifest.warning:
        warnings.append(
            f"{display_path(manifest.path)}: {manifest.warning}; ignoring it and rebuilding "
            "everything (it is rewritten after this build)"
        )
    results: list[BuildResult] = []
    pending: list[tuple[Path, BriefContext]] = []
    clashes = output_clashes(paths, options.formats)
    for path in paths:
        if path in clashes:
            clash = BuildResult(path, diagnostics=[clashes[path]])
            results.append(clash)
            on_result(clash)
            continue
        context = brief_context(path, options, since)
        if not options.force and manifest.up_to_date(path, context.settings):
            warned = manifest.warnings(path)
            outcome = Outcome.FAILED if options.strict and warned else Outcome.SKIPPED
            skipped = BuildResult(path, outcome, diagnostics=warned)
            results.append(skipped)
            on_result(skipped)
        else:
            pending.append((path, context))

    def finish(result: BuildResult, context: BriefContext) -> None:
        if result.outcome is Outcome.BUILT:
            manifest.record(
                result.path,
                context.settings,
                result.inputs,
                result.written,
                result.absent,
                [d for d in result.diagnostics if d.severity is Severity.WARNING],
            )
        results.append(result)
        on_result(result)

    try:
        if jobs <= 1 or len(pending) <= 1:
            for path, context in pending:
                finish(_guarded_build(path, options, context), context)
                if fail_fast and results[-1].failed:
                    break
        else:
            _build_in_processes(pending, options, jobs, fail_fast, finish)
    finally:
        if pending or manifest.warning:
            # The manifest only saves work next time: if out/ cannot be written, the briefs
            # have already failed with that reason.
            with contextlib.suppress(OSError):
                manifest.save()
    results.sort(key=lambda r: str(r.path))
    return BuildReport(results, manifest.orphans(claimed_outputs(paths, options)), 0.0, warnings)


def claimed_outputs(paths: Iterable[Path], options: BuildOptions) -> set[Path]:
    """Every output a current brief writes (in any format), whether or not it was built."""
    return {output_path(path, options, fmt) for path in paths for fmt in FORMATS}


def output_clashes(
    paths: list[Path], formats: Iterable[str] = DEFAULT_FORMATS
) -> dict[Path, Diagnostic]:
    """Briefs whose outputs would overwrite each other's (the same name in two folders)."""
    by_name: dict[str, list[Path]] = {}
    for path in paths:
        by_name.setdefault(path.stem, []).append(path)
    clashes = {}
    for name, group in by_name.items():
        if len(group) < 2:
            continue
        for path in group:
            others = ", ".join(display_path(p) for p in group if p != path)
            files = " and ".join(f"{name}{FORMATS[fmt].extension}" for fmt in formats)
            message = (
                f"{display_path(path)} and {others} would both write {files}; "
                "give the briefs different file names"
            )
            clashes[path] = Diagnostic.unlocated(display_path(path), message)
    return clashes


def _build_in_processes(
    pending: list[tuple[Path, BriefContext]],
    options: BuildOptions,
    jobs: int,
    fail_fast: bool,
    finish: Callable[[BuildResult, BriefContext], None],
) -> None:
    with ProcessPoolExecutor(max_workers=min(jobs, len(pending))) as pool:
        futures: dict[Future[BuildResult], tuple[Path, BriefContext]] = {
            pool.submit(_guarded_build, path, options, context): (path, context)
            for path, context in pending
        }
        remaining = set(futures)
        while remaining:
            done, remaining = wait(remaining, return_when=FIRST_COMPLETED)
            for future in done:
                path, context = futures[future]
                result = _result_of(future, path)
                finish(result, context)
                if fail_fast and result.failed:
                    for other in remaining:
                        other.cancel()
                    remaining = {f for f in remaining if not f.cancelled()}
                    fail_fast = False  # the rest already running finish normally


def _result_of(future: Future[BuildResult], path: Path) -> BuildResult:
    """The worker's result; a worker that died (killed, out of memory) fails only its brief."""
    try:
        return future.result()
    except Exception as exc:
        message = f"the build process stopped ({type(exc).__name__}: {exc})"
        return BuildResult(path, diagnostics=[Diagnostic.unlocated(display_path(path), message)])


def prune_outputs(options: BuildOptions, current: list[Path]) -> list[Path]:
    """Delete the outputs of briefs that no longer exist; return what was deleted.

    Only regular files directly inside the output folder are deleted, and only those no
    current brief claims: a brief moved to another folder keeps its outputs, and a manifest
    naming a path elsewhere (it is untrusted) deletes nothing.
    """
    manifest = Manifest.load(options.out_dir)
    if manifest.warning:
        return []
    folder = os.path.realpath(options.out_dir)
    deleted = []
    for brief, outputs in manifest.orphans(claimed_outputs(current, options)).items():
        for output in outputs:
            if os.path.dirname(os.path.realpath(output)) != folder or output.is_symlink():
                continue
            if regular_file_stat(output) is None:
                continue
            with contextlib.suppress(FileNotFoundError):
                output.unlink()
                deleted.append(output)
        manifest.forget(brief)
    manifest.save()
    return deleted
