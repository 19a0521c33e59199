"""Compile briefs to documents: load → style → layout → render → write atomically.

A brief that fails anywhere writes nothing, so its previous outputs stay as they were.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefkit.diagnostics import BriefError, Diagnostic, Severity
from briefkit.loader import LoadedBrief, load
from briefkit.quotes import repository_root
from briefkit.references import iter_strings
from briefkit.source import SourceDocument
from briefkit.styles import DEFAULT_STYLE, Style, load_style

FORMATS = ("pdf", "docx")


@dataclass
class BuildResult:
    path: Path
    outputs: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)


def source_date_epoch() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None


def resolve_style(loaded: LoadedBrief, override: str | None) -> Style:
    assert loaded.brief is not None and loaded.source is not None
    repository = repository_root(loaded.path)
    if override:
        return load_style(override, repository)
    name = loaded.brief.style or DEFAULT_STYLE
    requested_at = (loaded.source, ("style",)) if loaded.brief.style else None
    return load_style(name, repository, requested_at=requested_at)


def build_brief(
    path: Path, out_dir: Path, formats: tuple[str, ...] = ("pdf",), style: str | None = None
) -> BuildResult:
    result = BuildResult(path)
    loaded = load(path)
    result.diagnostics += loaded.diagnostics
    if loaded.brief is None or loaded.source is None:
        return result
    try:
        resolved = resolve_style(loaded, style)
    except BriefError as exc:
        result.diagnostics += exc.diagnostics
        return result
    result.diagnostics += uncovered_characters(loaded.brief, loaded.source, resolved)

    from briefkit.layout import layout
    from briefkit.output import write_atomic

    document = layout(loaded.brief)
    rendered: dict[Path, bytes] = {}
    epoch = source_date_epoch()
    for fmt in formats:
        target = out_dir / f"{path.stem}.{fmt}"
        if fmt == "pdf":
            from briefkit.render.pdf import render_pdf

            rendered[target] = render_pdf(document, resolved, epoch=epoch)
        else:
            from briefkit.render.docx import render_docx

            rendered[target] = render_docx(document, resolved, epoch=epoch)
    # Written only once every format rendered: a failure above leaves all old outputs intact.
    for target, data in rendered.items():
        write_atomic(target, data)
        result.outputs.append(target)
    return result


def uncovered_characters(brief: Any, source: SourceDocument, style: Style) -> list[Diagnostic]:
    """A warning for each text field holding a character no configured font can show."""
    from briefkit import fonts

    covered = (fonts.codepoints(style.fonts.body), fonts.codepoints(style.fonts.cjk))
    problems = []
    for loc, text in iter_strings(source.data):
        for character in fonts.missing(text, *covered):
            problems.append(
                source.diagnostic(
                    loc,
                    f"no configured font can show {character!r} "
                    f"(U+{ord(character):04X}); it will print as a blank box",
                    severity=Severity.WARNING,
                )
            )
    return problems
