"""Portion markings and editions: the effective marking of every part, the computed banner,
and an edition as a derived brief that holds only the parts at or below its marking.

An edition is derived from the model before the layout pass, so no renderer ever sees a
withheld part: its text, id, change note, source title or URL are not in the derived brief.
A kept part that refers to a withheld one either gets replacement text from the edition,
prints "[source withheld]" (``withheld: mark``; the numbering of the kept parts stays
contiguous, so it does not reveal how many were withheld), or is a located error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefkit.brief.markings import Marking, Scheme
from briefkit.brief.model import Brief, Edition
from briefkit.brief.parts import PARTS
from briefkit.checks.citations import CITATION
from briefkit.diagnostics import Diagnostic, Loc
from briefkit.editions.marked_parts import every_part, uses_markings
from briefkit.reading.source import SourceDocument

# what a kept text says in place of a withheld reference (messages, in the brief's language)
WITHHELD_SOURCE = "edition.withheld.source"  # "[source withheld]"
WITHHELD_PART = "edition.withheld.part"  # "[withheld]"
# references held in lists, and the text field a "[source withheld]" goes after when a kept
# part loses every one of them
LIST_REFERENCES = {"judgment": "evidence", "signal": "evidence", "stakeholder": "signals"}
LIST_REFERENCES_TEXT = {"judgment": "text", "signal": "interpretation", "stakeholder": "impact"}
QUESTION_CHANGES = "changes"
_CITING = {"source", "evidence"}


@dataclass(frozen=True)
class Portion:
    kind: str  # "judgment", … or "summary"
    ident: str  # the part's id ("summary" for the summary)
    loc: Loc  # where the part is in the brief
    marking: Marking
    own: bool  # marked itself (not inherited)


def portions(brief: Brief, scheme: Scheme) -> list[Portion]:
    """Every part with its effective marking: its own, else its parent's (the summary's for a
    judgment), else the brief's; evidence at least as high as its source. The markings must
    parse (check_markings reports those that do not)."""
    default = scheme.parse(brief.handling or "")
    summary = scheme.parse(brief.summary.handling) if brief.summary.handling else default
    found: list[Portion] = []
    source_marking: dict[str, Marking] = {}
    for kind, loc, item in every_part(brief):
        parent = summary if kind == "judgment" else default
        own = scheme.parse(item.handling) if item.handling else None
        marking = own or (summary if kind == "summary" else parent)
        if kind == "source":
            source_marking[item.id] = marking
        if kind == "evidence" and item.source in source_marking:
            marking = Scheme.highest([marking, source_marking[item.source]]) or marking
        ident = "summary" if kind == "summary" else item.id
        found.append(Portion(kind, ident, loc, marking, own is not None))
    return found


def check_markings(doc: SourceDocument, brief: Brief, scheme: Scheme) -> list[Diagnostic]:
    """Located errors for markings outside the scheme, portions above the brief's handling,
    evidence below its source, and every edition that is not a brief of its own."""
    if not uses_markings(brief):
        return []
    problems: list[Diagnostic] = []
    if brief.handling is None:
        message = (
            "portion markings and editions need the brief's handling as the default "
            f"marking: add 'handling:' ({', '.join(scheme.levels)})"
        )
        return [doc.diagnostic((), message)]
    bad = False
    for loc, text in _marking_texts(brief):
        try:
            scheme.parse(text)
        except ValueError as exc:
            problems.append(doc.diagnostic((*loc, "handling"), str(exc)))
            bad = True
    if bad:
        return problems
    declared = scheme.parse(brief.handling)
    found = portions(brief, scheme)
    by_id = {p.ident: p for p in found}
    for portion in found:
        label = scheme.label(portion.marking)
        if not Scheme.within(portion.marking, declared):
            message = (
                f"{portion.kind} {portion.ident} is {label} but the brief says {brief.handling}"
            )
            problems.append(doc.diagnostic((*portion.loc, "handling"), message))
        if portion.kind == "evidence" and portion.own:
            item = brief.evidence[portion.loc[-1]]  # type: ignore[index]
            source = by_id.get(item.source)
            own = scheme.parse(item.handling)  # type: ignore[arg-type]
            if source is not None and not Scheme.within(source.marking, own):
                message = (
                    f"evidence {item.id} is {item.handling} but its source {item.source} is "
                    f"{scheme.label(source.marking)} (evidence is at least as high as its source)"
                )
                problems.append(doc.diagnostic((*portion.loc, "handling"), message))
    names: set[str] = set()
    for index, edition in enumerate(brief.editions):
        where: Loc = ("editions", index)
        if edition.name in names:
            message = f"edition '{edition.name}' twice (edition names must be unique)"
            problems.append(doc.diagnostic((*where, "name"), message))
        names.add(edition.name)
        result = derive(brief, edition, scheme)
        problems += [doc.diagnostic(loc, message) for loc, message in result.problems]
    return problems


def _marking_texts(brief: Brief) -> Iterator[tuple[Loc, str]]:
    yield (), brief.handling or ""
    for _, loc, item in every_part(brief):
        if item.handling:
            yield loc, item.handling
    for index, edition in enumerate(brief.editions):
        yield ("editions", index), edition.handling


def banner(brief: Brief, scheme: Scheme) -> str | None:
    """The banner: the highest portion marking (the brief's handling when nothing is
    marked)."""
    if not uses_markings(brief):
        return brief.handling
    highest = Scheme.highest(p.marking for p in portions(brief, scheme))
    return scheme.label(highest) if highest else brief.handling


def marked(brief: Brief, scheme: Scheme) -> Brief:
    """*brief* with every part's effective marking written on it and the computed banner as
    its handling: what the layout prints. A brief without markings is returned as it is."""
    if not uses_markings(brief):
        return brief
    return _rebuilt(
        brief,
        {p.loc: scheme.label(p.marking) for p in portions(brief, scheme)},
        banner(brief, scheme),
    )


def _rebuilt(brief: Brief, labels: dict[Loc, str], handling: str | None) -> Brief:
    data = brief.model_dump()
    for loc, label in labels.items():
        _at(data, loc)["handling"] = label
    data["handling"] = handling
    data["editions"] = []
    return Brief.model_validate(data)


def _at(data: Any, loc: Loc) -> Any:
    for key in loc:
        data = data[key]
    return data


# --- editions -------------------------------------------------------------------------------


@dataclass
class Derived:
    brief: Brief | None
    problems: list[tuple[Loc, str]] = field(default_factory=list)


def find_edition(brief: Brief, wanted: str, scheme: Scheme) -> Edition:
    """The edition *wanted* names: a declared edition's name, or a marking (the declared
    edition of that marking, else one made for it). ValueError when it is neither."""
    for edition in brief.editions:
        if edition.name == wanted:
            return edition
    try:
        marking = scheme.parse(wanted)
    except ValueError as exc:
        names = ", ".join(e.name for e in brief.editions) or "none declared"
        raise ValueError(f"--edition: no edition '{wanted}' (editions: {names}); {exc}") from None
    for edition in brief.editions:
        if scheme.parse(edition.handling) == marking:
            return edition
    label = scheme.label(marking)
    return Edition(name=edition_slug(label), handling=label)


def edition_slug(label: str) -> str:
    """ "TLP:AMBER+STRICT" → "tlp-amber-strict": a marking as part of a file name."""
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


# The editions derived last: `check` derives each declared edition of a brief as it is loaded,
# and the build that follows in the same process takes the same ones from here.
_RECENT: dict[tuple[int, int, Scheme], tuple[Brief, Edition, Derived]] = {}
_RECENT_KEPT = 16


def derive(brief: Brief, edition: Edition, scheme: Scheme) -> Derived:
    """The brief *edition* releases, or the located reasons it cannot be had."""
    key = (id(brief), id(edition), scheme)
    found = _RECENT.get(key)
    if found is not None and found[0] is brief and found[1] is edition:
        return found[2]
    derived = _derive(brief, edition, scheme)
    if len(_RECENT) >= _RECENT_KEPT:
        del _RECENT[next(iter(_RECENT))]
    _RECENT[key] = (brief, edition, derived)
    return derived


def _derive(brief: Brief, edition: Edition, scheme: Scheme) -> Derived:
    index = next((n for n, e in enumerate(brief.editions) if e is edition), None)
    where: Loc = ("editions", index) if index is not None else ()
    limit = scheme.parse(edition.handling)
    found = portions(brief, scheme)
    kept = {p.loc for p in found if Scheme.within(p.marking, limit)}
    kept_ids = {p.ident for p in found if p.loc in kept and p.kind != "summary"}
    all_ids = {p.ident: p for p in found if p.kind != "summary"}
    withheld = set(all_ids) - kept_ids
    problems: list[tuple[Loc, str]] = []
    data = brief.model_dump()
    labels = {p.loc: scheme.label(p.marking) for p in found}
    name = f"edition '{edition.name}'"
    release = _Withholding(edition, name, withheld, all_ids, problems, brief.language)

    summary_kept = ("summary",) in kept
    if not summary_kept and edition.bluf is None:
        label = labels[("summary",)]
        message = (
            f"the summary is {label}, above {name} ({edition.handling}): give the edition its "
            "own 'bluf'"
        )
        problems.append((where or ("summary",), message))
    summary_label = labels[("summary",)] if summary_kept else edition.handling

    replaced: dict[str, dict[str, str]] = dict(edition.replace)
    for ident in replaced:
        if ident not in kept_ids:
            why = "withheld from it" if ident in all_ids else "not a part of this brief"
            message = f"{name} replaces text of '{ident}', which is {why}"
            problems.append(((*where, "replace", ident), message))

    def keep(kind: str, items: list[dict[str, Any]], location: Loc) -> list[dict[str, Any]]:
        out = []
        for n, item in enumerate(items):
            loc = (*location, n)
            if loc not in kept:
                continue
            item["handling"] = labels[loc]
            fields = replaced.get(item["id"], {})
            for key, text in fields.items():
                if (
                    key not in item
                    or not isinstance(item[key], str | type(None))
                    or key
                    in (
                        "id",
                        "handling",
                        "source",
                    )
                ):
                    message = f"{name} replaces '{key}' of '{item['id']}', which has no such text"
                    problems.append(((*where, "replace", item["id"], key), message))
                    continue
                item[key] = text
            _resolve(kind, item, loc, fields, release)
            out.append(item)
        return out

    summary = data["summary"]
    summary["judgments"] = keep("judgment", summary["judgments"], ("summary", "judgments"))
    summary["handling"] = summary_label
    if edition.bluf is not None:
        summary["bluf"] = edition.bluf
    elif summary_kept:
        summary["bluf"] = _cited(summary["bluf"], ("summary", "bluf"), release)
    for part in PARTS:
        if part.name == "judgment":
            continue
        (key,) = part.location
        data[key] = keep(part.name, data[key], part.location)
    if edition.title is not None:
        data["title"] = edition.title
    if edition.subtitle is not None:
        data["subtitle"] = edition.subtitle
    if edition.audience is not None:
        data["audience"] = edition.audience
    data["editions"] = []
    if problems:
        return Derived(None, problems)
    kept_markings = [p.marking for p in found if p.loc in kept and p.kind != "summary"]
    kept_markings.append(scheme.parse(summary_label))
    highest = Scheme.highest(kept_markings)
    data["handling"] = scheme.label(highest) if highest else edition.handling
    return _validated(data, where, name)


def _validated(data: dict[str, Any], where: Loc, name: str) -> Derived:
    """The derived data as a brief of its own: the model's checks and every reference."""
    from pydantic import ValidationError

    from briefkit.checks.references import check_references

    try:
        derived = Brief.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        at = ".".join(map(str, first["loc"]))
        return Derived(None, [(where, f"{name} is not a valid brief: {at}: {first['msg']}")])
    dangling = check_references(SourceDocument(path=Path("-"), data=data))
    if dangling:
        return Derived(None, [(where, f"{name}: {d.field}: {d.message}") for d in dangling])
    return Derived(derived)


def _resolve(
    kind: str,
    item: dict[str, Any],
    loc: Loc,
    replaced: dict[str, str],
    release: _Withholding,
) -> None:
    """Drop *item*'s references to withheld parts; a reference that cannot go unnoticed (the
    last of a list, an inline citation) needs replacement text or ``withheld: mark``, which
    prints its marks ("[source withheld]", "[withheld]" in the brief's language)."""
    for key in (LIST_REFERENCES.get(kind), QUESTION_CHANGES if kind == "question" else None):
        if key is None or not item.get(key):
            continue
        refs = [ref for ref in item[key] if ref not in release.withheld]
        lost = [ref for ref in item[key] if ref in release.withheld]
        item[key] = refs
        if refs or not lost or replaced or kind == "question":
            continue  # a question's judgments are named, not cited: dropping them is enough
        if release.edition.withheld == "mark":
            text_key = LIST_REFERENCES_TEXT[kind]
            item[text_key] = f"{item[text_key]} {_escaped(release.source_mark())}"
        else:
            release.problems.append(((*loc, key), _lost(kind, item["id"], lost, release)))
    for key, value in list(item.items()):
        if isinstance(value, str) and key not in ("id", "handling", "source"):
            item[key] = _cited(value, (*loc, key), release)
        elif key == "indicators" and isinstance(value, list):
            item[key] = [_cited(text, (*loc, key, n), release) for n, text in enumerate(value)]


def _lost(kind: str, ident: str, lost: list[str], release: _Withholding) -> str:
    which = ", ".join(f"{release.all_ids[r].kind} {r}" for r in lost)
    return (
        f"{kind} {ident} is kept in {release.name} but everything it rests on is withheld "
        f"({which}): give the edition replacement text (replace: {{{ident}: …}}) or "
        "'withheld: mark'"
    )


def _cited(text: str, loc: Loc, release: _Withholding) -> str:
    """*text* without its citations of withheld parts (or the error that it has some)."""

    def swap(match: re.Match[str]) -> str:
        ids = [match.group(1), *re.findall(r"@([^\]\s;]+)", match.group(2))]
        gone = [i for i in ids if i in release.withheld]
        if not gone:
            return match.group(0)
        if release.edition.withheld != "mark":
            which = ", ".join(f"{release.all_ids[i].kind} {i}" for i in gone)
            message = (
                f"kept in {release.name}, this text cites {which}, which the edition withholds: "
                "give the edition replacement text or 'withheld: mark'"
            )
            release.problems.append((loc, message))
            return match.group(0)
        left = [i for i in ids if i not in release.withheld]
        if left:
            return "[" + "; ".join(f"@{i}" for i in left) + "]"
        citing = any(release.all_ids[i].kind in _CITING for i in gone)
        return _escaped(release.source_mark() if citing else release.part_mark())

    return CITATION.sub(swap, text)


@dataclass(frozen=True)
class _Withholding:
    """What resolving an edition's references needs: the edition, what it withholds, every
    part by id, where its problems go, and the language its marks are printed in."""

    edition: Edition
    name: str  # "edition 'clear'", as messages say it
    withheld: set[str]
    all_ids: dict[str, Portion]
    problems: list[tuple[Loc, str]]
    language: str

    def source_mark(self) -> str:
        return self._word(WITHHELD_SOURCE)

    def part_mark(self) -> str:
        return self._word(WITHHELD_PART)

    def _word(self, key: str) -> str:
        # looked up only when a mark is printed: the catalogues load Babel, which `check`
        # does without
        from briefkit.i18n import words_for

        return words_for(self.language)(key)


def _escaped(text: str) -> str:
    return text.replace("[", "\\[").replace("]", "\\]")
