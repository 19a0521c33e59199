"""One brief through the passes: load → style → layout → render → write atomically.

A brief that fails anywhere writes nothing, so its previous outputs stay as they were.
Batches of briefs (in parallel, skipping unchanged ones) are :mod:`briefkit.building.batch`'s job.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from briefkit.building.collector import fewer_collections
from briefkit.building.manifest import FileStamp
from briefkit.building.repository import brief_location, repository_root
from briefkit.diagnostics import BriefError, Diagnostic, Severity, UserError, display_path
from briefkit.render import DEFAULT_FORMATS, FORMATS

if TYPE_CHECKING:  # the loader, the model and the styles are imported when a brief is built
    from briefkit.brief.model import Brief, Edition
    from briefkit.checks.loader import LoadedBrief
    from briefkit.i18n import Words
    from briefkit.layout.document import Document
    from briefkit.layout.from_brief import ChangesSince
    from briefkit.style.sheet import Style


@dataclass(frozen=True)
class BuildOptions:
    out_dir: Path = Path("out")
    formats: tuple[str, ...] = DEFAULT_FORMATS
    style: str | None = None  # overrides the briefs' own style
    force: bool = False  # rebuild even when nothing changed
    wait: bool = True  # wait for another build writing the same folder (else refuse)
    changes_since: str | None = None  # a git revision: add a "What changed since" box
    strict: bool = False  # a brief with warnings fails and writes nothing
    # one edition (a declared edition's name or a marking) instead of the brief and all of
    # its declared editions
    edition: str | None = None


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
    # the brief's text as built, kept in the manifest as the base `briefkit absorb` merges on
    source: str | None = None
    # an edition built on its own: its manifest entry keeps neither the brief's text nor its
    # warnings (which may quote withheld parts)
    private: bool = False
    editions: tuple[str, ...] = ()  # the editions built besides the brief (a full build)
    # the sources' own text files among the inputs (their names may be a withheld part's)
    source_texts: frozenset[Path] = frozenset()

    @property
    def failed(self) -> bool:
        return self.outcome is Outcome.FAILED


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
    from briefkit.style.sheet import DEFAULT_STYLE, load_style

    assert loaded.brief is not None and loaded.source is not None
    repository = repository_root(loaded.path)
    if override:
        return load_style(override, repository)
    if loaded.style is not None:
        return loaded.style  # already loaded and checked with the brief
    name = loaded.brief.style or DEFAULT_STYLE
    requested_at = (loaded.source, ("style",)) if loaded.brief.style else None
    return load_style(name, repository, requested_at=requested_at)


def output_path(brief: Path, options: BuildOptions, fmt: str, edition: str | None = None) -> Path:
    """Where *brief*'s output in *fmt* goes: ``out/<name>.pdf``, an edition's
    ``out/<name>.<edition>.pdf``."""
    name = f"{brief.stem}.{edition}" if edition else brief.stem
    return options.out_dir / f"{name}{FORMATS[fmt].extension}"


@dataclass(frozen=True)
class BriefContext:
    """What a build of one brief needs to know about its place in git."""

    revision: str | None = None  # of the brief file, for the footer and metadata
    since: str | None = None  # the commit --changes-since resolved to
    settings: str = ""  # hash of everything besides input files (see brief_context)


@fewer_collections()
def build_brief(
    path: Path, options: BuildOptions, context: BriefContext | None = None
) -> BuildResult:
    """Build one brief (in whatever process calls it); never raises for a user error."""
    from briefkit.checks.loader import load

    context = context or BriefContext()
    result = BuildResult(path)
    with contextlib.suppress(OSError):  # a missing brief is reported by load()
        result.inputs[path] = FileStamp.of(path)
    loaded = load(path)
    result.diagnostics += loaded.diagnostics
    if loaded.brief is None or loaded.source is None:
        return result
    style = _prepare(loaded, options, result)
    if style is None:
        return result
    from briefkit.i18n import words_for

    words = words_for(loaded.brief.language, style.labels, style.digits)
    changes = None
    if options.changes_since:
        from briefkit.versions.since import changes_since

        changes, problems = changes_since(
            path, loaded.brief, options.changes_since, context.since, loaded.source, words
        )
        result.diagnostics += problems
        if any(p.severity is Severity.ERROR for p in problems):
            return result
    if options.strict and result.diagnostics:
        return result  # every diagnostic here is a warning: errors returned above
    documents = _documents(loaded, style, words, options, context, changes, result)
    if documents is not None:
        _render_and_write(documents, style, options, result)
    return result


def _documents(
    loaded: LoadedBrief,
    style: Style,
    words: Words,
    options: BuildOptions,
    context: BriefContext,
    changes: ChangesSince | None,
    result: BuildResult,
) -> dict[str | None, Document] | None:
    """The brief's document (None) and each edition's, by name; None when one fails."""

    from briefkit.checks.loader import brief_scheme
    from briefkit.editions.derive import derive, marked
    from briefkit.layout.from_brief import layout

    brief, doc, scheme = loaded.brief, loaded.source, brief_scheme(loaded.path)
    assert brief is not None and doc is not None
    documents: dict[str | None, Document] = {}
    for edition in _targets(loaded, options, result) or []:
        released, box = marked(brief, scheme), changes
        if edition is not None:
            derived = derive(brief, edition, scheme)
            result.diagnostics += [doc.diagnostic(at, why) for at, why in derived.problems]
            if derived.brief is None:
                return None
            released = derived.brief
            box = _edition_changes(loaded, edition, released, words, context, changes)
        document = layout(
            released,
            words,
            revision=context.revision,
            changes=box,
            portion_marks=style.portion_marks,
        )
        name = edition.name if edition else None
        documents[name] = _with_provenance(document, result, name)
    return documents or None


def _targets(
    loaded: LoadedBrief, options: BuildOptions, result: BuildResult
) -> list[Edition | None] | None:
    """What to build: the brief (None) and its declared editions, or the one edition asked
    for; None, with the reason in *result*, when there is no such edition."""
    from briefkit.checks.loader import brief_scheme
    from briefkit.editions.derive import find_edition

    assert loaded.brief is not None
    if options.edition is None:
        result.editions = tuple(edition.name for edition in loaded.brief.editions)
        targets: list[Edition | None] = [None, *loaded.brief.editions]
    else:
        result.private = True  # an edition's folder keeps no withheld text
        try:
            targets = [find_edition(loaded.brief, options.edition, brief_scheme(loaded.path))]
        except ValueError as exc:
            result.diagnostics.append(Diagnostic.unlocated(display_path(loaded.path), str(exc)))
            return None
    clashes = [_edition_clash(loaded, edition) for edition in targets if edition is not None]
    result.diagnostics += [clash for clash in clashes if clash is not None]
    return None if any(clashes) else targets


def _edition_clash(loaded: LoadedBrief, edition: Edition) -> Diagnostic | None:
    """The error when a brief beside this one has the name edition *edition*'s outputs take
    (``x.clear.yaml`` beside ``x.yaml`` and its edition ``clear``): one would overwrite the
    other's documents."""
    path = loaded.path
    other = path.with_name(f"{path.stem}.{edition.name}{path.suffix}")
    if not other.is_file():
        return None
    message = (
        f"edition '{edition.name}' would write {path.stem}.{edition.name}.pdf and the other "
        f"outputs of the brief {display_path(other)}; rename the edition or that brief"
    )
    assert loaded.brief is not None and loaded.source is not None
    index = next((n for n, e in enumerate(loaded.brief.editions) if e is edition), None)
    if index is None:
        return Diagnostic.unlocated(display_path(path), message)
    return loaded.source.diagnostic(("editions", index, "name"), message)


def _edition_changes(
    loaded: LoadedBrief,
    edition: Edition,
    released: Brief,
    words: Words,
    context: BriefContext,
    changes: ChangesSince | None,
) -> ChangesSince | None:
    """The "What changed" box of an edition: the edition then against the edition now, so
    that it says nothing of what the edition withholds."""
    if changes is None or changes.new:
        return changes
    from briefkit.checks.loader import brief_scheme
    from briefkit.editions.derive import derive
    from briefkit.versions.semantic_diff import diff_briefs
    from briefkit.versions.since import Comparison, changes_box, compare

    comparison, _ = compare(loaded.path, released, changes.revision.split(",")[0])
    if comparison is None or comparison.old is None:
        return changes if comparison is None else changes_box(released, comparison, None, words)
    old = derive(comparison.old, edition, brief_scheme(loaded.path)).brief
    if old is None:  # the old version has no such edition: everything in it is new
        return changes_box(released, Comparison(comparison.revision, None, None), None, words)
    edited = Comparison(comparison.revision, old, diff_briefs(old, released))
    return changes_box(released, edited, context.since, words)


def _with_provenance(document: Document, result: BuildResult, edition: str | None) -> Document:
    """*document* with the path (in its repository) and hash of the brief it comes from, and
    the name of the *edition* it is, if one. An edition never carries the brief's source text:
    it holds the parts the edition withholds."""
    from dataclasses import replace

    stamp = result.inputs.get(result.path)
    with contextlib.suppress(OSError, UnicodeDecodeError):
        raw = result.path.read_bytes()
        if stamp is not None and hashlib.sha256(raw).hexdigest() == stamp.sha256:
            result.source = raw.decode("utf-8")
    metadata = replace(
        document.metadata,
        source_path=brief_location(result.path),
        source_hash=stamp.sha256 if stamp else None,
        source=result.source if edition is None else None,
        edition=edition,
    )
    return replace(document, metadata=metadata)


def _prepare(loaded: LoadedBrief, options: BuildOptions, result: BuildResult) -> Style | None:
    """The style to build *loaded* in, with every input file stamped into *result*; None (and
    the reason in *result*) when the style cannot be had."""
    from briefkit.style.sheet import shadowing_paths

    assert loaded.source is not None and loaded.brief is not None
    texts = _source_texts(loaded)
    result.source_texts = frozenset(texts)
    result.inputs |= _stamps(t for t in texts if t.is_file())
    # a source text that appears later changes what check says about the quotes
    result.absent += [t for t in texts if not t.is_file()]
    try:
        style = resolve_style(loaded, options.style)
    except BriefError as exc:
        result.diagnostics += exc.diagnostics
        return None
    result.inputs |= _stamps(style.files)
    result.inputs |= _stamps(font_files(style))  # a font replaced in fonts/ rebuilds the brief
    result.absent += shadowing_paths(style, repository_root(loaded.path))
    if options.style:  # the brief's own style was checked when it was loaded: swap its result
        from briefkit.checks.loader import style_dependent

        result.diagnostics = [d for d in result.diagnostics if d not in loaded.style_warnings]
        result.diagnostics += style_dependent(loaded.source, loaded.brief, style)
    return style


def _render_and_write(
    documents: dict[str | None, Document], style: Style, options: BuildOptions, result: BuildResult
) -> None:
    """Render every document in every format, then write them; a failure anywhere leaves all
    old outputs."""
    from briefkit.building.output import write_atomic

    epoch = source_date_epoch()
    rendered = {
        output_path(result.path, options, fmt, edition): FORMATS[fmt].render(
            document, style, epoch=epoch
        )
        for edition, document in documents.items()
        for fmt in options.formats
    }
    for target, data in rendered.items():
        try:
            result.written[target] = FileStamp.of_written(data, write_atomic(target, data))
        except OSError as exc:
            message = f"cannot write {display_path(target)}: {exc.strerror or exc}"
            result.diagnostics.append(Diagnostic.unlocated(display_path(result.path), message))
            return
        result.outputs.append(target)
    result.outcome = Outcome.BUILT


def guarded_build(path: Path, options: BuildOptions, context: BriefContext) -> BuildResult:
    """build_brief, with a bug reported as this brief's failure instead of ending the batch."""
    try:
        return build_brief(path, options, context)
    except UserError as exc:  # a setting, a font file, the cache folder: not a bug
        return BuildResult(path, diagnostics=exc.as_diagnostics(display_path(path)))
    except Exception as exc:  # a briefkit bug: the other briefs still build
        message = f"internal error while building ({type(exc).__name__}: {exc}); please report it"
        return BuildResult(path, diagnostics=[Diagnostic.unlocated(display_path(path), message)])


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
