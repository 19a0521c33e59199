"""Batches of briefs: each built in its own process, skipped when its inputs are unchanged
(see :mod:`briefkit.building.manifest`), one batch per output folder at a time (see
:mod:`briefkit.building.lock`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from briefkit import __version__
from briefkit.building.manifest import FileStamp, Manifest, ManifestNotSaved, settings_hash
from briefkit.building.output import remove_temporaries
from briefkit.building.pipeline import (
    BriefContext,
    BuildOptions,
    BuildResult,
    Outcome,
    guarded_build,
    output_path,
    source_date_epoch,
)
from briefkit.diagnostics import Diagnostic, Severity, display_path
from briefkit.reading.files import regular_file_stat
from briefkit.render import DEFAULT_FORMATS, FORMATS

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_STOP_SECONDS = 10  # how long a stopped worker may take to remove its file before it is killed


@dataclass
class BuildReport:
    results: list[BuildResult]
    orphans: dict[str, list[Path]]  # outputs of briefs that no longer exist
    seconds: float
    warnings: list[str] = field(default_factory=list)  # about the batch, not one brief
    pruned: list[Path] = field(default_factory=list)  # outputs deleted by --prune
    # outputs of editions a brief no longer declares, deleted by --prune
    pruned_editions: list[Path] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(r.outcome is outcome for r in self.results)

    @property
    def failed(self) -> int:
        return self.count(Outcome.FAILED)


def brief_context(
    path: Path, options: BuildOptions, since: str | None, revision: str | None
) -> BriefContext:
    """The context of building *path*: its git *revision* (see git.revisions_of) and the hash
    of its build settings.

    *since* is the commit that ``--changes-since`` resolved to, so moving a branch or tag
    rebuilds the box.
    """
    settings = settings_hash(
        {
            "briefkit": __version__,
            "formats": list(options.formats),
            "style": options.style,
            "epoch": source_date_epoch(),
            "revision": revision,
            "changes_since": [options.changes_since, since],
            # only when set, so the settings of a build without editions stay as they were
            **({"edition": options.edition} if options.edition else {}),
        }
    )
    return BriefContext(revision=revision, since=since, settings=settings)


def resolve_changes_since(paths: list[Path], options: BuildOptions) -> str | None:
    """The commit ``--changes-since`` names in the repository of the briefs; raises GitError if
    it names none. None when no brief is in a repository (each then gets a warning)."""
    if not options.changes_since or not paths:
        return None
    from briefkit.versions.git import repository_of, resolve

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

    The output folder is locked for the whole batch (see building/lock.py): raises lock.Busy when
    another build holds it and ``options.wait`` is false. With *prune*, the outputs of briefs
    that no longer exist are deleted afterwards, under the same lock.
    """
    from briefkit.building.lock import output_lock

    paths = list(paths)
    since = resolve_changes_since(paths, options)
    with output_lock(options.out_dir, wait=options.wait, on_wait=on_wait), _stoppable(options):
        started = time.perf_counter()
        report = _build_locked(paths, options, since, jobs, fail_fast, on_result, prune)
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
    prune: bool = False,
) -> BuildReport:
    manifest = Manifest.load(options.out_dir)
    stale: list[Path] = []
    warnings = _manifest_warnings(manifest)
    results, pending = _sort_out(paths, options, since, manifest, on_result)

    def finish(result: BuildResult, context: BriefContext) -> None:
        if result.outcome is Outcome.BUILT:
            stale.extend(_settle_editions(manifest, result, options, prune))
            _record(manifest, result, context)
        results.append(result)
        on_result(result)

    try:
        if jobs <= 1 or len(pending) <= 1:
            for path, context in pending:
                finish(guarded_build(path, options, context), context)
                if fail_fast and results[-1].failed:
                    break
        else:
            _build_in_processes(pending, options, jobs, fail_fast, finish)
    except BaseException:  # stopped (Ctrl-C, SIGTERM): what was built is recorded if it can be
        with contextlib.suppress(ManifestNotSaved):
            manifest.save()
        raise
    if pending or manifest.warning:
        manifest.save()
    results.sort(key=lambda r: str(r.path))
    orphans = manifest.orphans(claimed_outputs(paths, options))
    return BuildReport(results, orphans, 0.0, warnings, pruned_editions=stale)


def _manifest_warnings(manifest: Manifest) -> list[str]:
    if not manifest.warning:
        return []
    return [
        f"{display_path(manifest.path)}: {manifest.warning}; ignoring it and rebuilding "
        "everything (it is rewritten after this build)"
    ]


def _settle_editions(
    manifest: Manifest, result: BuildResult, options: BuildOptions, prune: bool
) -> list[Path]:
    """The outputs of editions the brief no longer declares: deleted with *prune* (and
    returned), else still recorded with *result*, so that a later --prune finds them."""
    dropped = _dropped_editions(manifest, result, options)
    if prune:
        return _delete(list(dropped))
    result.written = {**dropped, **result.written}
    return []


def _dropped_editions(
    manifest: Manifest, result: BuildResult, options: BuildOptions
) -> dict[Path, FileStamp]:
    """The outputs of editions *result*'s brief no longer declares, as its last full build
    recorded them (a build of one edition drops nothing)."""
    entry = manifest.entries.get(manifest.key(result.path))
    if entry is None or result.private:
        return {}
    stem = result.path.stem
    own = {output_path(result.path, options, fmt).name for fmt in FORMATS}
    dropped = {}
    for name, stamp in entry.outputs.items():
        path = manifest.resolve(name)
        rest = path.name.removeprefix(f"{stem}.")
        if path.name in own or rest == path.name or path in result.written:
            continue
        if rest.split(".")[0] not in result.editions:
            dropped[path] = stamp
    return dropped


def _delete(paths: list[Path]) -> list[Path]:
    """Delete the regular files among *paths*; those deleted."""
    deleted = []
    for path in paths:
        if regular_file_stat(path) is None or path.is_symlink():
            continue
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            deleted.append(path)
    return deleted


def _sort_out(
    paths: list[Path],
    options: BuildOptions,
    since: str | None,
    manifest: Manifest,
    on_result: Callable[[BuildResult], None],
) -> tuple[list[BuildResult], list[tuple[Path, BriefContext]]]:
    """The briefs that need no build (clashing or unchanged: their results, reported now) and
    those that do, each with its context."""
    from briefkit.versions.git import revisions_of

    results: list[BuildResult] = []
    pending: list[tuple[Path, BriefContext]] = []
    clashes = output_clashes(paths, options.formats)
    revisions = revisions_of([path for path in paths if path not in clashes])
    for path in paths:
        if path in clashes:
            results.append(BuildResult(path, diagnostics=[clashes[path]]))
            on_result(results[-1])
            continue
        context = brief_context(path, options, since, revisions[path])
        if not options.force and manifest.up_to_date(path, context.settings):
            warned = manifest.warnings(path)
            outcome = Outcome.FAILED if options.strict and warned else Outcome.SKIPPED
            results.append(BuildResult(path, outcome, diagnostics=warned))
            on_result(results[-1])
        else:
            pending.append((path, context))
    return results, pending


def _record(manifest: Manifest, result: BuildResult, context: BriefContext) -> None:
    """Record *result*'s build. An edition built on its own records none of the brief's text
    or warnings (they may hold withheld parts), nor the names of the sources' text files (a
    withheld source's is one), but keeps what the folder's last full build recorded: its
    outputs (for --prune) and its source (for absorb). Its outputs do not depend on those
    texts: they only check the quotes."""
    warnings = [d for d in result.diagnostics if d.severity is Severity.WARNING]
    written, source = result.written, result.source
    inputs, absent = result.inputs, result.absent
    if result.private:
        old = manifest.entries.get(manifest.key(result.path))
        kept = {manifest.resolve(n): stamp for n, stamp in old.outputs.items()} if old else {}
        written, source, warnings = {**kept, **written}, old.source if old else None, []
        texts = result.source_texts
        inputs = {path: stamp for path, stamp in inputs.items() if path not in texts}
        absent = [path for path in absent if path not in texts]
    manifest.record(
        result.path,
        context.settings,
        inputs,
        written,
        absent,
        warnings,
        source=source,
    )


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
    from concurrent.futures import ProcessPoolExecutor  # multiprocessing: only for -j 2 and up

    pool = ProcessPoolExecutor(
        max_workers=min(jobs, len(pending)), initializer=_start_worker, initargs=(os.getpid(),)
    )
    try:
        futures: dict[Future[BuildResult], tuple[Path, BriefContext]] = {
            pool.submit(_build_in_worker, path, options, context): (path, context)
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
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown()


# --- stopping: a build ended by a signal leaves no worker, no temporary file and no lock ------


class Terminated(SystemExit):
    """SIGTERM (sent by timeout, CI cancellation, systemd): end as Ctrl-C would, status 143."""


def _terminate(signum: int, frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM ends the process at once
    raise Terminated(128 + signal.SIGTERM)


@contextlib.contextmanager
def _stoppable(options: BuildOptions) -> Iterator[None]:
    """Turn SIGTERM into :class:`Terminated` during a build, and remove the temporary files of
    outputs whose writing was stopped (the lock is still held, so they are this build's)."""
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if main else None
    try:
        yield
    except BaseException:
        remove_temporaries(options.out_dir)
        raise
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)


def _start_worker(parent: int) -> None:
    """Make a worker end, removing the file it is writing, when it or its parent is stopped."""
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which stops us
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            # PR_SET_PDEATHSIG: SIGTERM when the parent dies, even by SIGKILL
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the parent died before that was asked for
        os._exit(128 + signal.SIGTERM)


def _build_in_worker(path: Path, options: BuildOptions, context: BriefContext) -> BuildResult:
    try:
        return guarded_build(path, options, context)
    except Terminated as stop:  # the pool would report it to the parent and carry on
        os._exit(int(stop.code or 1))


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop the pool's workers now: each removes the file it was writing and ends."""
    workers = list((pool._processes or {}).values())  # no public way before Python 3.14
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.join(_STOP_SECONDS)
        if worker.is_alive():
            worker.kill()
            worker.join()


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
