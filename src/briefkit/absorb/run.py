"""One absorb: find the brief and the base it was built from, compare, merge, check, write."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefkit.absorb.edition import Placer, released_data
from briefkit.absorb.fields import Comparison, Edit, Found, Problem, get, loc_of, shown
from briefkit.absorb.merge import Conflict, rebase
from briefkit.absorb.reader import (
    Comment,
    Reading,
    Revision,
    legacy_marks,
    read_body,
    read_docx,
)
from briefkit.absorb.yaml_edit import YamlEditor
from briefkit.diagnostics import (
    Diagnostic,
    FileProblem,
    Loc,
    Severity,
    counted,
    display_path,
    format_loc,
)

if TYPE_CHECKING:
    from briefkit.brief.model import Brief

_BOM = "\ufeff"


class AbsorbError(FileProblem):
    """The document or its brief cannot be absorbed at all (no brief, no base)."""


@dataclass(frozen=True)
class Options:
    changes: str | None = None  # "accept" or "reject" pending tracked changes; None: refuse
    allow_deletions: bool = False
    ignore_unmapped: bool = False
    prefer: str | None = None  # "docx" or "source" for conflicts
    dry_run: bool = False


@dataclass
class Report:
    """What absorbing found, and what it did."""

    docx: str
    brief: str
    written: bool = False
    refused: list[str] = field(default_factory=list)  # why nothing was written
    diff: Any = None  # the semantic diff (semantic_diff.BriefDiff) of the brief's update
    notes: list[str] = field(default_factory=list)  # new parts and their ids
    deletions: list[Edit] = field(default_factory=list)
    deleted_text: dict[str, str] = field(default_factory=dict)  # by path: what the brief said
    unmapped: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # taken back in part (a link left out)
    errors: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refused


def absorb(docx_path: Path, brief_path: Path | None, options: Options) -> Report:
    reading = read_docx(docx_path)
    brief_path = brief_path or _recorded_brief(reading, docx_path)
    from briefkit.reading.source import read_text

    raw = _read_bytes(brief_path)
    current = read_text(brief_path)
    _same_brief(reading, brief_path, current, docx_path)
    base = _base_text(reading, brief_path, raw, current, docx_path)
    report = Report(display_path(docx_path), display_path(brief_path))
    report.revisions, report.comments = reading.revisions, reading.comments
    generated = [p.index for p in reading.paragraphs if p.generated]
    if generated:
        report.notes.append(
            f"the 'What changed' box (paragraphs {generated[0]}–{generated[-1]}) is made by "
            "build --changes-since, not from the brief: edits in it are not taken back"
        )
    if reading.revisions and options.changes is None:
        report.refused.append(
            f"{counted(len(reading.revisions), 'tracked change')} "
            f"{'is' if len(reading.revisions) == 1 else 'are'} not resolved; accept or reject them "
            "in the document, or give --accept-changes or --reject-changes"
        )
        return report
    found, base_data = _compare(reading, brief_path, base, options)
    current_data = _data(current, brief_path)
    edits = _screen(found, report, options)
    report.deleted_text = {e.path: _gist(get(base_data, e.loc)) for e in report.deletions}
    edits, report.conflicts = rebase(edits, base_data, current_data, options.prefer)
    if report.conflicts:
        report.refused.append(
            f"{counted(len(report.conflicts), 'field')} changed both in the document and in "
            "the brief since the document was built; give --prefer docx or --prefer source"
        )
    if report.refused:
        return report
    _name_new_parts(edits, current_data, report)
    updated = _apply(current, edits)
    _finish(report, brief_path, current, updated, edits, options, raw)
    return report


def _same_brief(reading: Reading, brief: Path, current: str, docx: Path) -> None:
    """Refuse a document built from another brief than *brief* (a moved brief keeps its id)."""
    recorded = reading.properties.get("BriefId")
    if not recorded:
        return
    data = _data(current, brief)
    if data.get("id") != recorded:
        path = _shown(reading.properties.get("BriefPath", "?"))
        raise AbsorbError(
            docx,
            f"the document was built from brief {_shown(recorded)} ({path}), "
            f"not from {display_path(brief)} (brief '{data.get('id')}'); name that brief",
        )


def _shown(text: str) -> str:
    """A text the document holds, quoted and cut short for a message."""
    return repr(text if len(text) <= 80 else text[:80] + "…")


def _read_bytes(path: Path) -> bytes:
    from briefkit.reading.files import read_regular
    from briefkit.reading.source import MAX_FILE_BYTES

    try:
        return read_regular(path, MAX_FILE_BYTES)
    except OSError as exc:
        raise AbsorbError(path, str(exc)) from None


def _recorded_brief(reading: Reading, docx_path: Path) -> Path:
    recorded = reading.properties.get("BriefPath")
    if not recorded:
        raise AbsorbError(
            docx_path,
            "the document does not say which brief it was built "
            "from (no BriefPath property); name the brief: briefkit absorb EDITED.docx BRIEF.yaml",
        )
    from briefkit.building.discover import default_briefs, find_briefs
    from briefkit.building.repository import recorded_brief

    # The property is the document's word, and the document comes from outside: it only
    # picks one of this repository's own briefs, and never names a file to write.
    path = recorded_brief(recorded, find_briefs([]) if default_briefs().is_dir() else [])
    if path is None:
        raise AbsorbError(
            docx_path,
            f"the document says it was built from "
            f"{_shown(recorded)}, which is not a brief in this repository's briefs/; name the "
            "brief: "
            "briefkit absorb EDITED.docx briefs/BRIEF.yaml",
        )
    return path


def _base_text(reading: Reading, brief: Path, raw: bytes, current: str, docx: Path) -> str:
    """The source the document was built from: the brief itself when unchanged since, else
    the version at the git revision the document records, else the copy a build manifest
    keeps (in the repository's out/ or beside the document), whichever has its hash."""
    recorded = reading.properties.get("BriefSourceHash")
    if not recorded:
        raise AbsorbError(
            brief,
            "the document does not record the hash of the source it was "
            "built from (built by an older briefkit?); build it again and edit that copy",
        )
    if hashlib.sha256(raw).hexdigest() == recorded:
        return current
    revision = reading.properties.get("BriefRevision", "")
    old = _at_revision(brief, revision)
    if old is not None and hashlib.sha256(old.encode("utf-8")).hexdigest() == recorded:
        return old
    kept = _kept(brief, docx, recorded)
    if kept is not None:
        return kept
    raise AbsorbError(
        brief,
        f"the brief changed since the document was built, and the "
        f"version it was built from (git revision '{revision or 'none'}', SHA-256 "
        f"{recorded[:12]}…) is neither in git nor kept by a build's manifest, so the "
        "document's edits cannot be merged; commit briefs before sending their documents out",
    )


def _kept(brief: Path, docx: Path, recorded: str) -> str | None:
    from briefkit.building.manifest import kept_source
    from briefkit.building.repository import repository_root

    for folder in (repository_root(brief) / "out", docx.parent):
        found = kept_source(folder, recorded)
        if found is not None:
            return found
    return None


def _at_revision(brief: Path, revision: str) -> str | None:
    if not revision or not re.fullmatch(r"[0-9a-f]{4,64}", revision):
        return None  # uncommitted or dirty: that version is in no commit
    from briefkit.versions.git import GitError, text_at

    try:
        return text_at(brief, revision)
    except GitError:
        return None


def _data(text: str, path: Path) -> dict[str, Any]:
    from briefkit.reading.source import parse_yaml

    data = parse_yaml(text.removeprefix(_BOM), path).data
    return data if isinstance(data, dict) else {}


def _compare(
    reading: Reading, brief: Path, base: str, options: Options
) -> tuple[Found, dict[str, Any]]:
    """The edited document against the one the base prints."""
    from briefkit.building.pipeline import resolve_style
    from briefkit.checks.loader import load_text
    from briefkit.i18n import words_for
    from briefkit.layout.from_brief import layout
    from briefkit.render.docx import render_docx_body

    loaded = load_text(base, str(brief))
    if loaded.brief is None or loaded.source is None:
        problems = "; ".join(str(d) for d in loaded.diagnostics if d.severity is Severity.ERROR)
        raise AbsorbError(
            brief, f"the version the document was built from is not valid: {problems}"
        )
    style = resolve_style(loaded, None)
    words = words_for(loaded.brief.language, style.labels, style.digits)
    revision = reading.properties.get("BriefRevision") or None
    base_data = loaded.source.data
    released, place = _edition(loaded.brief, brief, base_data, reading)
    document = layout(released, words, revision=revision, portion_marks=style.portion_marks)
    xml, targets = render_docx_body(document, style)
    printed = read_body(xml, targets)
    reading = legacy_marks(reading, printed)
    shown_data = base_data if place is None else released_data(released)
    comparison = Comparison(reading, printed, shown_data, options.changes or "accept", words)
    found = comparison.run()
    if place is not None:
        placed = [place(edit) for edit in found.edits]
        unplaced = [p for p in placed if isinstance(p, str)]
        if unplaced:
            raise AbsorbError(brief, "; ".join(f"cannot place an edit: {why}" for why in unplaced))
        found.edits = [p for p in placed if not isinstance(p, str)]
    return found, base_data


def _edition(
    brief: Brief, path: Path, data: dict[str, Any], reading: Reading
) -> tuple[Brief, Placer | None]:
    """The brief the document printed: the brief (with its markings), or the edition the
    document records, with what places the edition's edits in the brief."""
    from briefkit.absorb.edition import placer, released_data
    from briefkit.checks.loader import brief_scheme
    from briefkit.editions.derive import derive, find_edition, marked

    scheme = brief_scheme(path)
    name = reading.properties.get("BriefEdition")
    if not name:
        return marked(brief, scheme), None
    try:
        edition = find_edition(brief, name, scheme)
    except ValueError:
        raise AbsorbError(
            path,
            f"the document is edition {_shown(name)}, which the brief it was built from "
            "does not declare",
        ) from None
    derived = derive(brief, edition, scheme)
    if derived.brief is None:
        raise AbsorbError(path, f"edition '{edition.name}' of the brief cannot be built")
    return derived.brief, placer(data, edition, released_data(derived.brief))


def _screen(found: Found, report: Report, options: Options) -> list[Edit]:
    """The edits that may be made; the reasons to write nothing go into *report*."""
    report.unmapped = found.unmapped
    report.warnings = found.warnings
    report.errors += [
        f"{report.docx}: {p.place}: {shown(p.field) if p.field else ''}: {p.message}"
        for p in found.errors
    ]
    if found.errors:
        report.refused.append("the document has values the brief cannot take (see above)")
    removed = [e for e in found.edits if e.kind == "remove"]
    emptied = [e for e in removed if _required(e.loc)]
    report.errors += [
        f"{report.docx}: {e.place}: {shown(e.path)}: is required, and the document leaves it "
        "empty; write it again"
        + (
            " (or delete the whole item it belongs to)"
            if any(isinstance(k, int) for k in e.loc)
            else ""
        )
        for e in emptied
    ]
    if emptied:
        report.refused.append("the document empties fields a brief must have (see above)")
    report.deletions = [e for e in removed if e not in emptied]
    if report.deletions and not options.allow_deletions:
        report.refused.append(
            f"{counted(len(report.deletions), 'part or field', 'parts or fields')} "
            f"{'was' if len(report.deletions) == 1 else 'were'} deleted in the document; give "
            "--allow-deletions to delete them from the brief too"
        )
    if found.unmapped and not options.ignore_unmapped:
        report.refused.append(
            f"{counted(len(found.unmapped), 'piece of text', 'pieces of text')} "
            f"{'is' if len(found.unmapped) == 1 else 'are'} outside every field of the brief (edit "
            "what the brief does not hold as text, such as the date, version or authors, in the "
            "brief itself); give --ignore-unmapped to leave them out"
        )
    return found.edits


def _name_new_parts(edits: list[Edit], current: dict[str, Any], report: Report) -> None:
    """Give each new stakeholder an id made from its name, unique in the brief."""
    taken = set(_ids(current))
    for edit in edits:
        if edit.kind != "insert" or not isinstance(edit.value, dict):
            continue
        name = re.sub(r"[*_`\[\]]", "", str(edit.value.get("name", "")))
        ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:56] or "stakeholder"
        ident, count = base, 1
        while ident in taken:
            count += 1
            ident = f"{base}-{count}"
        taken.add(ident)
        edit.value = {"id": ident, **edit.value}
        report.notes.append(f"new stakeholder '{name}' ({edit.place}) gets the id '{ident}'")


def _ids(data: Any) -> list[str]:
    if isinstance(data, dict):
        own = [data["id"]] if isinstance(data.get("id"), str) else []
        return own + [i for v in data.values() for i in _ids(v)]
    if isinstance(data, list):
        return [i for v in data for i in _ids(v)]
    return []


def _apply(text: str, edits: list[Edit]) -> str:
    if not edits:
        return text  # composing a round-trip tree costs more than all the reading
    bom = text.startswith(_BOM)
    editor = YamlEditor(text.removeprefix(_BOM))
    for edit in edits:
        if edit.kind == "set":
            editor.set(edit.loc, edit.value)
        elif edit.kind == "remove":
            editor.remove(edit.loc)
        else:
            editor.insert_after(edit.loc, edit.value)
    return (_BOM if bom else "") + editor.result()


def _finish(
    report: Report,
    brief: Path,
    current: str,
    updated: str,
    edits: list[Edit],
    options: Options,
    raw: bytes,
) -> None:
    """Validate the update as `check` does, say what changed in meaning, write it."""
    from briefkit.checks.loader import load_from_text
    from briefkit.versions.semantic_diff import diff_briefs

    new = load_from_text(brief, updated.removeprefix(_BOM))
    old = load_from_text(brief, current.removeprefix(_BOM))
    errors = [d for d in new.diagnostics if d.severity is Severity.ERROR]
    if errors or new.brief is None:
        report.errors += [_located(d, brief, current, edits, report.docx) for d in errors]
        report.refused.append("the edited brief would not be valid (see above)")
        return
    if old.brief is not None:
        report.diff = diff_briefs(old.brief, new.brief)
    if updated == current or options.dry_run:
        return
    from briefkit.building.output import write_atomic

    if _read_bytes(brief) != raw:  # saved by someone else meanwhile: theirs is kept
        report.refused.append(f"{report.brief} changed while it was being absorbed; run again")
        return
    data = updated.removeprefix(_BOM).encode("utf-8")
    # A brief that is a symbolic link is updated where it points: replacing the link with a
    # file would leave its target stale and show git a type change.
    target = Path(os.path.realpath(brief))
    write_atomic(target, (b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b"") + data)
    report.written = True


def _located(problem: Diagnostic, brief: Path, current: str, edits: list[Edit], docx: str) -> str:
    """A problem of the updated brief at the brief's field (where it is in the file now) and
    at the place in the document the edit came from."""
    from briefkit.reading.source import parse_yaml

    place = ""
    for edit in edits:
        edited = format_loc(edit.loc)
        if problem.field and (problem.field.startswith(edited) or edited.startswith(problem.field)):
            place = f" (in the document: {docx}: {edit.place})"
            break
    where = problem
    if problem.field:
        doc = parse_yaml(current.removeprefix(_BOM), brief)
        position = doc.position(loc_of(problem.field.replace("[", ".").replace("]", "")))
        where = Diagnostic(
            problem.path, position.line, position.column, problem.message, problem.field
        )
    return str(where) + place


GIST_CHARS = 60
_GIST_KEYS = ("title", "name", "question", "text", "bluf")  # what names a part, first found


def _gist(value: Any) -> str:
    """What a deleted part or field said, on one short line: its text, or a part's first text
    (a signal's title, a stakeholder's name)."""
    if isinstance(value, dict):
        names = [value.get(key) for key in _GIST_KEYS] + list(value.values())
        value = next((v for v in names if isinstance(v, str) and v != value.get("id")), "")
    text = " ".join(str(value or "").split())
    return text if len(text) <= GIST_CHARS else text[: GIST_CHARS - 1].rstrip() + "…"


def _required(loc: Loc) -> bool:
    """Whether the field at *loc* is one its part cannot be without (the model says so)."""
    from pydantic import BaseModel

    from briefkit.brief.model import Brief

    model: type[BaseModel] | None = Brief
    for index, key in enumerate(loc):
        if isinstance(key, int):
            continue  # an item of a list: its fields are those of the list's model
        info = model.model_fields.get(key) if model is not None else None
        if info is None:
            return False
        if index == len(loc) - 1:
            return info.is_required()
        model = _model_in(info.annotation)
    return False


def _model_in(annotation: Any) -> Any:
    """The pydantic model a field holds, directly, in a list or as an optional value."""
    from typing import get_args

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        if (found := _model_in(argument)) is not None:
            return found
    return None
