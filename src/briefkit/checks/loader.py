"""Load a brief file: source → model → references → quotes, collecting every problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from briefkit.brief.model import Brief
from briefkit.building.collector import fewer_collections
from briefkit.checks.quotes import check_quotes
from briefkit.checks.references import check_links, check_references, find_placeholders
from briefkit.checks.validation import deprecated_terms, validate
from briefkit.diagnostics import BriefError, Diagnostic, Severity
from briefkit.editions.marked_parts import uses_markings
from briefkit.reading.folded_keys import folded_keys
from briefkit.reading.source import MAX_FILE_BYTES, SourceDocument, load_yaml, parse_yaml

if TYPE_CHECKING:
    from briefkit.brief.markings import Scheme
    from briefkit.style.sheet import Style


@dataclass
class LoadedBrief:
    """A brief with its positioned source, so later passes can report located problems."""

    path: Path
    brief: Brief | None
    source: SourceDocument | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    style: Style | None = None  # the sheet the brief is built with (named or default), checked
    # what depends on the style (also among diagnostics): characters it cannot show, words
    # it has no translation for; a build with another style replaces them
    style_warnings: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.brief is not None


@fewer_collections()
def load(path: str | Path) -> LoadedBrief:
    """The brief in the file at *path*, with every problem found: its source, model,
    references, links, quotes (against the local source texts), style and fonts."""
    path = Path(path)
    try:
        doc = load_yaml(path)
    except BriefError as exc:
        return LoadedBrief(path, None, None, exc.diagnostics)
    return _checked(path, doc, whole=True)


def load_text(text: str, label: str) -> LoadedBrief:
    """The brief in *text* (an old version, from ``git show``), located as *label*: the same
    checks as :func:`load` but those of its surroundings (quotes against source texts, which
    may not exist at that revision; the style and its fonts)."""
    size = len(text.encode("utf-8", errors="replace"))
    if size > MAX_FILE_BYTES:
        message = f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes"
        return LoadedBrief(Path(label), None, None, [Diagnostic.unlocated(label, message)])
    try:
        doc = parse_yaml(text.removeprefix("\ufeff"), Path(label))
    except BriefError as exc:
        return LoadedBrief(Path(label), None, None, exc.diagnostics)
    return _checked(Path(label), doc, whole=False)


def load_from_text(path: Path, text: str) -> LoadedBrief:
    """The brief *text* would be if it were the file at *path* (which it is about to replace):
    every check of :func:`load`, its surroundings included."""
    from briefkit.reading.source import check_characters

    try:
        check_characters(text, path)
        doc = parse_yaml(text, path)
    except BriefError as exc:
        return LoadedBrief(path, None, None, exc.diagnostics)
    return _checked(path, doc, whole=True)


def _checked(path: Path, doc: SourceDocument, *, whole: bool) -> LoadedBrief:
    brief, problems = validate(doc, Brief)
    problems += folded_keys(doc, Brief)
    problems += check_references(doc)
    problems += check_links(doc)
    problems += find_placeholders(doc)
    problems += deprecated_terms(doc, Brief)
    if brief is not None:
        problems += markings_problems(doc, brief, whole=whole)
    style = None
    style_warnings: list[Diagnostic] = []
    if whole:
        problems += check_quotes(doc)  # on the raw data: reported with every other problem
        if brief is not None:
            style, style_problems = check_style(brief, doc)
            problems += style_problems
            if not style_problems:
                style = style or default_style(doc)
                style_warnings = style_dependent(doc, brief, style)
                problems += style_warnings
    problems.sort(key=Diagnostic.sort_key)
    if any(p.severity is Severity.ERROR for p in problems):
        brief = None
    return LoadedBrief(path, brief, doc, problems, style, style_warnings)


def markings_problems(doc: SourceDocument, brief: Brief, *, whole: bool) -> list[Diagnostic]:
    """The brief's portion markings and editions checked against its repository's scheme (an
    old version read from git against TLP 2.0 only if it uses markings at all)."""
    if not uses_markings(brief):
        return []
    from briefkit.editions.derive import check_markings

    try:
        scheme = brief_scheme(doc.path if whole else None)
    except BriefError as exc:
        return exc.diagnostics
    return check_markings(doc, brief, scheme)


def brief_scheme(path: Path | None) -> Scheme:
    """The marking scheme of the brief at *path* (its repository's, else TLP 2.0)."""
    from briefkit.brief.markings import scheme_for
    from briefkit.building.repository import repository_root

    return scheme_for(repository_root(path) if path is not None else None)


def default_style(doc: SourceDocument) -> Style | None:
    """The sheet a brief that names none is built with; None if it does not load (build
    reports that)."""
    from briefkit.building.repository import repository_root
    from briefkit.style.sheet import DEFAULT_STYLE, load_style

    try:
        return load_style(DEFAULT_STYLE, repository_root(doc.path))
    except BriefError:
        return None


def style_dependent(doc: SourceDocument, brief: Brief, style: Style | None) -> list[Diagnostic]:
    """The warnings a brief gets from the style it is built in."""
    return check_coverage(doc, style) + check_language(doc, brief, style)


def check_language(doc: SourceDocument, brief: Brief, style: Style | None) -> list[Diagnostic]:
    """Fixed words the documents print in English for want of a translation: one warning at
    the brief's ``language``."""
    from briefkit.checks.coverage import uncovered_words
    from briefkit.i18n import SHIPPED, is_source_language, words_for
    from briefkit.i18n.messages import MESSAGES

    if is_source_language(brief.language) and (style is None or not style.labels):
        return []  # English messages: the check of the brief's own text covers their fonts
    labels = style.labels if style is not None else None
    words = words_for(brief.language, labels)
    problems = uncovered_words(doc, style, dict(words.messages)) if style is not None else []
    if not words.missing:
        return problems
    where = ("language",) if "language" in (doc.data or {}) else ()
    if len(words.missing) == len(MESSAGES):
        message = (
            f"briefkit has no catalogue for language '{brief.language}': headings, labels "
            f"and chips print in English (dates follow the language); shipped: "
            f"{', '.join(SHIPPED)}. A style sheet's labels can supply them (see README, "
            "Languages)"
        )
    else:
        shown = ", ".join(words.missing[:8]) + (", …" if len(words.missing) > 8 else "")
        message = (
            f"the '{words.catalogue}' catalogue lacks {len(words.missing)} of "
            f"{len(MESSAGES)} messages, printed in English: {shown}"
        )
    return [*problems, doc.diagnostic(where, message, severity=Severity.WARNING)]


def check_coverage(doc: SourceDocument, style: Style | None) -> list[Diagnostic]:
    """Text the brief's style has no font for."""
    from briefkit.checks.coverage import uncovered
    from briefkit.fonts import FontError

    if style is None:
        return []
    try:
        return uncovered(doc, style)
    except FontError as exc:  # a font package missing, the cache unwritable: not the brief's fault
        return [Diagnostic.unlocated(doc.display, str(exc))]


def check_style(brief: Brief, doc: SourceDocument) -> tuple[Style | None, list[Diagnostic]]:
    """The style sheet a brief names, which must exist and be valid (checked here, not first
    at build time)."""
    if brief.style is None:
        return None, []
    from briefkit.building.repository import repository_root
    from briefkit.style.sheet import load_style

    try:
        style = load_style(brief.style, repository_root(doc.path), requested_at=(doc, ("style",)))
    except BriefError as exc:
        return None, exc.diagnostics
    return style, []


def check_brief(path: str | Path) -> tuple[Brief | None, list[Diagnostic]]:
    """Validate the brief at *path*; return the brief (None if invalid) and all diagnostics."""
    loaded = load(path)
    return loaded.brief, loaded.diagnostics


def load_brief(path: str | Path) -> Brief:
    """Load and validate the brief at *path*.

    Raises :class:`briefkit.BriefError` carrying every located problem when it is invalid.
    """
    loaded = load(path)
    if loaded.brief is None:
        raise BriefError(loaded.diagnostics)
    return loaded.brief
