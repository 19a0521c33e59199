"""Compare two versions of a brief by meaning, not by line.

Parts (key judgments, signals, stakeholders, questions, sources, evidence) are matched by
``id``; each is reported as added, removed, or changed field by field. Estimates on ordered
scales say which way they moved ("raised" / "lowered"): likelihood (ICD 203), confidence,
magnitude and priority upwards through their vocabulary; source reliability (A is best) and
information credibility (1 is best) towards the better code. A question whose status moves
from open to answered or closed is reported as answered or closed, with its answer.

Text is compared with whitespace normalised, so re-folding a YAML paragraph is not a change.

JSON (:meth:`BriefDiff.to_json`), stable keys, every key always present::

    {
      "version": 1,                 # of this format
      "empty": false,
      "changes": [
        {
          "kind": "changed",        # added | removed | changed | answered | closed | reopened
                                    # | reordered
          "part": "signal",         # brief | summary | judgment | signal | stakeholder
                                    # | question | source | evidence
          "id": "sig-compute",      # the part's id; null for brief/summary fields, reorders
          "field": "likelihood",    # the field that changed; null for added/removed/reordered
          "old": "likely",          # printable values (vocabulary values, ISO dates, list
          "new": "very likely",     #   items joined with "; "); null when absent
          "direction": "raised",    # raised | lowered on ordered scales, else null
          "steps": 1,               # how many steps along the scale, else 0
          "number": 2,              # the part's number in the document (1-based, as printed:
                                    #   "signal 2", "[2]", "E2"); in the old brief if removed
          "title": "Compute strain",  # the part's title/name/question/text, null for fields
          "detail": null,           # the answer of an answered or closed question
          "added": [],              # items added to / removed from a list field
          "removed": []
        }
      ],
      "summary": ["Likelihood of signal 2 'Compute strain' raised from likely to very likely."]
    }

For ``reordered``, ``old`` and ``new`` are the ids of the parts present in both versions, in
their order, joined with ", ".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import Enum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from briefkit.diagnostics import BriefError, Diagnostic, display_path

if TYPE_CHECKING:
    from briefkit.i18n import Words
from briefkit.brief.model import Brief, Evidence, Judgment, Question, Signal, Source, Stakeholder
from briefkit.brief.parts import BY_NAME, PARTS
from briefkit.brief.vocab import (
    Confidence,
    Credibility,
    Likelihood,
    Magnitude,
    Priority,
    QuestionStatus,
    Reliability,
)
from briefkit.checks.loader import load_text
from briefkit.reading.source import read_text

JSON_VERSION = 1
# Fields that explain a change rather than make one: never reported as changes themselves.
NOT_MEANING = frozenset({"change_note"})


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    ANSWERED = "answered"
    CLOSED = "closed"
    REOPENED = "reopened"
    REORDERED = "reordered"


class Direction(StrEnum):
    RAISED = "raised"
    LOWERED = "lowered"


@dataclass(frozen=True, slots=True)
class Change:
    """One change in meaning between two versions of a brief (see the module doc for fields)."""

    kind: ChangeKind
    part: str
    id: str | None = None
    field: str | None = None
    old: str | None = None
    new: str | None = None
    direction: Direction | None = None
    steps: int = 0
    number: int | None = None
    title: str | None = None
    detail: str | None = None
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": str(self.kind),
            "part": self.part,
            "id": self.id,
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "direction": str(self.direction) if self.direction else None,
            "steps": self.steps,
            "number": self.number,
            "title": self.title,
            "detail": self.detail,
            "added": list(self.added),
            "removed": list(self.removed),
        }


@dataclass(frozen=True, slots=True)
class BriefDiff:
    """The changes from an old to a new version of a brief, in document order."""

    changes: tuple[Change, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.changes

    def __len__(self) -> int:
        return len(self.changes)

    def to_text(self) -> str:
        """Concise lines grouped by section, e.g. ``~ signal s1: likelihood raised: a → b``."""
        if self.empty:
            return "No changes in meaning.\n"
        out: list[str] = []
        for section, changes in _sections(self.changes):
            out.append(section)
            out.extend(f"  {_text_line(change)}" for change in changes)
        return "\n".join(out) + "\n"

    def to_json(self) -> dict[str, Any]:
        return {
            "version": JSON_VERSION,
            "empty": self.empty,
            "changes": [change.to_json() for change in self.changes],
            "summary": summary_lines(self),
        }


# --------------------------------------------------------------------------- loading


def load_brief_text(text: str, label: str) -> Brief:
    """Validate brief YAML *text* (e.g. from ``git show``); diagnostics are located in *label*.

    The loader's checks (:func:`briefkit.checks.loader.load_text`); raises :class:`BriefError`
    when the text is not a valid brief.
    """
    loaded = load_text(text, label)
    if loaded.brief is None:
        raise BriefError(_relabel(loaded.diagnostics, label))
    return loaded.brief


def brief_at(path: Path, revision: str | None = None) -> Brief:
    """The brief at *path* in the working tree (*revision* None) or at a git *revision*.

    Diagnostics are labelled ``path@revision`` for a revision. Raises :class:`BriefError` or
    :class:`briefkit.versions.git.GitError`.
    """
    if revision is None:
        return load_brief_text(read_text(path), display_path(path))
    from briefkit.versions.git import read_at

    return load_brief_text(read_at(path, revision), f"{display_path(path)}@{revision}")


def _relabel(diagnostics: Iterable[Diagnostic], label: str) -> list[Diagnostic]:
    return [replace(d, path=label) for d in diagnostics]


# --------------------------------------------------------------------------- comparing

# Ordered scales, and which way along the enum's order counts as "raised".
_ORDERED: dict[type[Enum], int] = {
    Likelihood: 1,
    Confidence: 1,
    Magnitude: 1,
    Priority: 1,
    Reliability: -1,  # A (completely reliable) … F
    Credibility: -1,  # 1 (confirmed) … 6
}

# Fields holding prose: a change of wording is "reworded".
_PROSE = frozenset(
    {
        "title",
        "subtitle",
        "bluf",
        "text",
        "observation",
        "interpretation",
        "impact",
        "question",
        "why",
        "how",
        "answer",
        "quote",
        "note",
        "audience",
        "name",
    }
)

_Part = Judgment | Signal | Stakeholder | Question | Source | Evidence
# Fields of the brief compared as collections, not as values (and the format version).
_BRIEF_SKIP = frozenset({"briefkit"} | {part.location[0] for part in PARTS})


def diff_briefs(old: Brief, new: Brief) -> BriefDiff:
    """What changed in meaning from *old* to *new*."""
    changes = _fields("brief", None, old, new, skip=_BRIEF_SKIP)
    nested = {part.location[1] for part in PARTS if part.location[0] == "summary"}
    changes += _fields("summary", None, old.summary, new.summary, skip=nested)
    for part in PARTS:
        changes += _collection(part.name, part.items(old), part.items(new))
    return BriefDiff(tuple(changes))


def _collection(part: str, old: Sequence[_Part], new: Sequence[_Part]) -> list[Change]:
    before = {item.id: (n, item) for n, item in enumerate(old, 1)}
    after = {item.id: (n, item) for n, item in enumerate(new, 1)}
    changes: list[Change] = []
    for ident, (number, item) in after.items():
        if ident not in before:
            changes.append(Change(ChangeKind.ADDED, part, ident, number=number, title=_title(item)))
            continue
        found = _fields(part, ident, before[ident][1], item, skip={"id"})
        changes += [replace(c, number=number, title=_title(item)) for c in found]
    for ident, (number, item) in before.items():
        if ident not in after:
            changes.append(
                Change(ChangeKind.REMOVED, part, ident, number=number, title=_title(item))
            )
    reordered = _reordered(part, list(before), list(after))
    return changes + ([reordered] if reordered else [])


def _title(item: _Part) -> str:
    for name in ("title", "name", "question", "text", "quote", "note"):
        value = getattr(item, name, None)
        if isinstance(value, str):
            return value
    return f"from {getattr(item, 'source', '?')}"


def _reordered(part: str, old_ids: list[str], new_ids: list[str]) -> Change | None:
    kept = set(old_ids) & set(new_ids)
    before = [i for i in old_ids if i in kept]
    after = [i for i in new_ids if i in kept]
    if before == after:
        return None
    return Change(ChangeKind.REORDERED, part, old=", ".join(before), new=", ".join(after))


def _fields(
    part: str, ident: str | None, old: BaseModel, new: BaseModel, *, skip: Iterable[str]
) -> list[Change]:
    skipped = set(skip) | NOT_MEANING
    changes: list[Change] = []
    if part == "question":
        status = _question_status(ident, old, new)
        if status is not None:
            changes.append(status)
            skipped.add("status")
            if status.kind is not ChangeKind.REOPENED:
                skipped.add("answer")  # the answer is the change's detail
    for name in type(new).model_fields:
        if name in skipped:
            continue
        before, after = getattr(old, name), getattr(new, name)
        if not _same(before, after):
            changes.append(_field_change(part, ident, name, before, after))
    return changes


_STATUS_CHANGES = {
    QuestionStatus.ANSWERED: ChangeKind.ANSWERED,
    QuestionStatus.CLOSED: ChangeKind.CLOSED,
    QuestionStatus.OPEN: ChangeKind.REOPENED,
}


def _question_status(ident: str | None, old: Any, new: Any) -> Change | None:
    if old.status == new.status:
        return None
    kind = _STATUS_CHANGES[new.status]
    return Change(
        kind,
        "question",
        ident,
        "status",
        old.status.value,
        new.status.value,
        detail=new.answer if kind is not ChangeKind.REOPENED else None,
    )


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, str) and isinstance(new, str) and not isinstance(old, Enum):
        return old.split() == new.split()
    return bool(old == new)


def _field_change(part: str, ident: str | None, name: str, old: Any, new: Any) -> Change:
    direction, steps = _direction(old, new)
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    if isinstance(old, list) and isinstance(new, list):
        added = tuple(_printable_item(v) for v in new if v not in old)
        removed = tuple(_printable_item(v) for v in old if v not in new)
    return Change(
        ChangeKind.CHANGED,
        part,
        ident,
        name,
        _printable(old),
        _printable(new),
        direction,
        steps,
        added=added,
        removed=removed,
    )


def _direction(old: Any, new: Any) -> tuple[Direction | None, int]:
    scale = type(old)
    if old is None or new is None or scale is not type(new) or scale not in _ORDERED:
        return None, 0
    order = list(scale)
    delta = (order.index(new) - order.index(old)) * _ORDERED[scale]
    if delta == 0:
        return None, 0
    return (Direction.RAISED if delta > 0 else Direction.LOWERED), abs(delta)


def _printable(value: Any) -> str | None:
    if value is None or value == []:
        return None
    if isinstance(value, list):
        return "; ".join(_printable_item(v) for v in value)
    return _printable_item(value)


def _printable_item(value: Any) -> str:
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# --------------------------------------------------------------------------- text

_SECTIONS = {"brief": "Brief", "summary": "Summary"} | {part.name: part.section for part in PARTS}
_TEXT_WIDTH = 72


def _sections(changes: Sequence[Change]) -> list[tuple[str, list[Change]]]:
    grouped: dict[str, list[Change]] = {}
    for change in changes:
        grouped.setdefault(_SECTIONS[change.part], []).append(change)
    return [(s, grouped[s]) for s in _SECTIONS.values() if s in grouped]


def _text_line(change: Change) -> str:
    subject = change.part if change.id is None else f"{change.part} {change.id}"
    kind = change.kind
    if kind is ChangeKind.ADDED:
        return f"+ {subject} added: {_quoted(change.title)}"
    if kind is ChangeKind.REMOVED:
        return f"- {subject} removed: {_quoted(change.title)}"
    if kind in (ChangeKind.ANSWERED, ChangeKind.CLOSED):
        answer = f": {_quoted(change.detail)}" if change.detail else ""
        return f"✓ {subject} {kind}{answer}"
    if kind is ChangeKind.REOPENED:
        return f"~ {subject} reopened: {change.old} → {change.new}"
    if kind is ChangeKind.REORDERED:
        return f"~ {BY_NAME[change.part].plural} reordered: {change.old} → {change.new}"
    return f"~ {subject}: {change.field} {_verb(change)}: {_values(change)}"


def _verb(change: Change) -> str:
    if change.direction is not None:
        return str(change.direction)
    if _reworded(change):
        return "reworded"
    return "changed"


def _reworded(change: Change) -> bool:
    return change.field in _PROSE and change.old is not None and change.new is not None


def _values(change: Change) -> str:
    if change.added or change.removed:
        return ", ".join([*(f"+{v}" for v in change.added), *(f"-{v}" for v in change.removed)])
    if _reworded(change):
        old, new = _excerpts(change.old or "", change.new or "")
        return f'"{old}" → "{new}"'
    if change.field in _PROSE:
        return f"{_quoted(change.old)} → {_quoted(change.new)}"
    return f"{change.old or '(none)'} → {change.new or '(none)'}"


def _quoted(text: str | None) -> str:
    return f'"{_shorten(text)}"' if text else "(none)"


def _shorten(text: str, width: int = _TEXT_WIDTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _excerpts(old: str, new: str, context: int = 3, limit: int = 12) -> tuple[str, str]:
    """The differing stretch of two texts, a few words of context around it."""
    a, b = old.split(), new.split()
    prefix = 0
    while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(a), len(b)) - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    start = max(0, prefix - context)

    def clip(words: list[str]) -> str:
        stop = min(len(words), len(words) - suffix + context)
        shown = words[start:stop]
        cut = len(shown) > limit + context
        if cut:
            shown = shown[: limit + context]
        text = " ".join(shown)
        return ("…" if start else "") + text + ("…" if cut or stop < len(words) else "")

    return clip(a), clip(b)


# --------------------------------------------------------------------------- summary

# Fields of the brief itself not worth a sentence: the box already names the revisions.
_SUMMARY_SKIP = frozenset({("brief", "version"), ("brief", "date")})
# Fields whose change reads as a judgment, not as an edit: each gets a sentence of its own.
_ESTIMATES = frozenset(
    {
        "likelihood",
        "confidence",
        "horizon",
        "trend",
        "direction",
        "magnitude",
        "priority",
        "reliability",
        "credibility",
    }
)
# … and so do these fields of the brief itself; any other field change is an edit, summarised
# per part ("Signal 2 'X': interpretation reworded; evidence updated.").
_STATEMENTS = _ESTIMATES | {"status", "handling", "cutoff"}
# Rank of a sentence in the summary: judgments first, wording edits and bookkeeping last.
# How a summary of changes ranks them, most important first (see parts.PARTS for the parts).
_TIERS = {"brief": 3, "summary": 3} | {part.name: part.tier for part in PARTS}
_EDIT_TIER = 4
_LAST_TIER = 5


def summary_lines(
    diff: BriefDiff,
    words: Words | None = None,
    *,
    ungrouped: frozenset[tuple[str, str]] = frozenset(),
) -> list[str]:
    """Short sentences for a "What changed" box, most important first, in *words* (the
    reader's language; English by default).

    Order: key judgments (added, removed, estimates moved); signals and stakeholders; questions
    (answered, closed, added, removed); the brief's status, handling and cut-off; wording and
    list edits (BLUF, texts, evidence lists); then sources, evidence and reorderings. The
    brief's version and date are left out. A handling marking given to many parts of one kind
    at once is one sentence ("Handling of signals (7) set to TLP:CLEAR."), except for the parts
    in *ungrouped* (part, id), whose own sentence an analyst's change note explains.
    """
    from briefkit.i18n import english

    words = words or english()
    ranked: list[tuple[int, int, str]] = []
    edits: dict[tuple[str, str | None], list[Change]] = {}
    markings: dict[tuple[str, str | None, str | None], list[tuple[int, Change]]] = {}
    for index, change in enumerate(diff.changes):
        if (change.part, change.field) in _SUMMARY_SKIP:
            continue
        if _is_edit(change):
            edits.setdefault((change.part, change.id), []).append(change)
            continue
        if _groupable(change) and (change.part, change.id or "") not in ungrouped:
            markings.setdefault((change.part, change.old, change.new), []).append((index, change))
            continue
        ranked.append((_tier(change), index, _sentence(change, words)))
    for (part, _, _), marked in markings.items():
        if len(marked) < _GROUPED_FROM:
            ranked += [(_tier(c), index, _sentence(c, words)) for index, c in marked]
            continue
        index, first = marked[0]
        parts = words("diff.group", count=words.number(len(marked)), parts=_plural(part, words))
        ranked.append((_tier(first), index, _sentence(first, words, name=parts)))
    for group in edits.values():
        index = diff.changes.index(group[0])
        tier = max(_EDIT_TIER, _TIERS[group[0].part])
        ranked.append((tier, index, _edit_sentence(group, words)))
    return [sentence for _, _, sentence in sorted(ranked)]


# From how many parts of one kind a shared handling change is one sentence.
_GROUPED_FROM = 3


def _groupable(change: Change) -> bool:
    return (
        change.kind is ChangeKind.CHANGED
        and change.field == "handling"
        and change.id is not None
        and change.part in BY_NAME
    )


def _plural(part: str, words: Words) -> str:
    return words(f"part.{part}.plural")


def _is_edit(change: Change) -> bool:
    return change.kind is ChangeKind.CHANGED and change.field not in _STATEMENTS


def _tier(change: Change) -> int:
    return _LAST_TIER if change.kind is ChangeKind.REORDERED else _TIERS[change.part]


def _sentence(change: Change, words: Words, name: str | None = None) -> str:
    """The sentence of *change*; *name* names the part(s) instead of the change's own."""
    kind = change.kind
    if kind is ChangeKind.REORDERED:
        return _capital(words("diff.reordered", parts=_plural(change.part, words)))
    if name is None:
        titled = kind is not ChangeKind.CHANGED or change.part != "judgment"
        name = _name(change, words, titled=titled)
    if kind is ChangeKind.ADDED:
        return _capital(words("diff.added", name=name))
    if kind is ChangeKind.REMOVED:
        removed = _name(change, words, titled=True, numbered=False)
        return _capital(words("diff.removed", name=removed))
    if kind in (ChangeKind.ANSWERED, ChangeKind.CLOSED, ChangeKind.REOPENED):
        return _capital(words(f"diff.{kind}", name=name))
    field = _field_name(change.field, words)
    subject = words("diff.of", field=field, name=name) if name else field
    old, new = _value(change.field, change.old, words), _value(change.field, change.new, words)
    if change.direction is not None:
        return _capital(words(f"diff.{change.direction}", subject=subject, old=old, new=new))
    if change.old is None:
        return _capital(words("diff.set", subject=subject, new=new))
    if change.new is None:
        return _capital(words("diff.unset", subject=subject, old=old))
    return _capital(words("diff.changed", subject=subject, old=old, new=new))


def _field_name(field: str | None, words: Words) -> str:
    key = f"field.{field}"
    return words(key) if key in words.messages else (field or "")


def _value(field: str | None, value: str | None, words: Words) -> str:
    """An old or new value as the reader reads it: a vocabulary term in their words, a date
    in their form; anything else as it is."""
    if value is None:
        return ""
    key = f"{field}.{value}"  # a vocabulary term: "likelihood.very likely"
    from briefkit.i18n import is_source_language

    if key in words.messages and not is_source_language(words.language):
        term = words(key)  # English prints the YAML's own terms
        german = words.language.split("-")[0].lower() == "de"  # capitalises its nouns
        return term if german else term[:1].lower() + term[1:]
    if field in ("cutoff", "date"):
        try:
            return words.date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return value


def _edit_sentence(group: list[Change], words: Words) -> str:
    first = group[0]
    reworded = [_field_name(c.field, words) for c in group if _reworded(c)]
    updated = [_field_name(c.field, words) for c in group if not _reworded(c)]
    name = _name(first, words, titled=first.part != "judgment")
    if first.part == "judgment" and group == [c for c in group if c.field == "text"]:
        return _capital(words("diff.reworded", name=name))
    clauses = [words("diff.fields_reworded", fields=_join(reworded, words))] if reworded else []
    if updated:
        clauses.append(words("diff.fields_updated", fields=_join(updated, words)))
    joined = words("diff.clause_separator").join(clauses)
    if not name:
        return _capital(words("diff.edits_of_brief", clauses=joined))
    return _capital(words("diff.edits", name=name, clauses=joined))


def _name(change: Change, words: Words, *, titled: bool, numbered: bool = True) -> str:
    """How a sentence names the part: "signal 2 'Compute strain'", "source [3] 'Title'"."""
    part = change.part
    if change.id is None:
        return ""
    key = f"part.{part}.numbered"
    number = change.number if numbered and key in words.messages else None
    noun = words(f"part.{part}") if number is None else words(key, n=words.number(number))
    if part == "evidence":  # printed as "E2"; its quote is no name
        return noun if number is not None else words("diff.titled", noun=noun, title=change.id)
    if titled or part == "stakeholder":
        title = _plain(change.title or change.id, 60)
        return words("diff.titled", noun=noun, title=title)
    return noun


def _plain(text: str, width: int) -> str:
    """Text without inline markup or citations, shortened."""
    from briefkit.layout.document import inline_text
    from briefkit.layout.inline import parse_inline

    return _shorten(inline_text(parse_inline(text, cite=lambda ids: ())), width)


def _join(items: list[str], words: Words) -> str:
    """ "text, title and indicators" in the reader's words."""
    if len(items) == 1:
        return items[0]
    head = words("list.separator").join(items[:-1])
    return words("list.and", items=head, last=items[-1])


def _capital(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


__all__ = [
    "BriefDiff",
    "Change",
    "ChangeKind",
    "Direction",
    "brief_at",
    "diff_briefs",
    "load_brief_text",
    "summary_lines",
]
