"""Cross-references inside a brief: ids are unique, and every reference names an existing part.

This works on the raw positioned data rather than on the validated model, so that dangling
references are reported in the same run as type errors elsewhere in the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from briefkit.brief.parts import PARTS
from briefkit.checks.citations import citations
from briefkit.checks.links import allowed_link, link_targets
from briefkit.diagnostics import Diagnostic, Loc, Severity, did_you_mean, format_loc
from briefkit.reading.source import SourceDocument

# Where each kind of part lives in a brief.
COLLECTIONS: dict[str, Loc] = {part.name: part.location for part in PARTS}

REFERENCES: list[tuple[Loc, tuple[str, ...]]] = [
    (("summary", "judgments", "*", "evidence", "*"), ("evidence",)),
    (("signals", "*", "evidence", "*"), ("evidence",)),
    (("stakeholders", "*", "signals", "*"), ("signal",)),
    (("questions", "*", "changes", "*"), ("judgment",)),
    (("evidence", "*", "source"), ("source",)),
]

# Inline references in text: "[@id]", several as "[@a; @b]". Sources and evidence print as
# citations "[n]"; judgments, signals, stakeholders and questions as cross-references.
CITABLE = tuple(COLLECTIONS)


def check_references(doc: SourceDocument) -> list[Diagnostic]:
    ids: dict[str, tuple[str, Loc]] = {}
    problems: list[Diagnostic] = []
    for kind, where in COLLECTIONS.items():
        for loc, item in _walk(doc.data, (*where, "*")):
            ident = item.get("id") if isinstance(item, dict) else None
            if not isinstance(ident, str):
                continue
            if ident in ids:
                other_kind, other_loc = ids[ident]
                line = doc.position((*other_loc, "id")).line
                problems.append(
                    doc.diagnostic(
                        (*loc, "id"),
                        f"duplicate id '{ident}': already used by the {other_kind} "
                        f"{format_loc(other_loc)} on line {line} (ids must be unique in a brief)",
                    )
                )
            else:
                ids[ident] = (kind, loc)

    def resolve(loc: Loc, ref: Any, kinds: tuple[str, ...]) -> None:
        if not isinstance(ref, str) or (ref in ids and ids[ref][0] in kinds):
            return
        candidates = sorted(i for i, (k, _) in ids.items() if k in kinds)
        if kinds == CITABLE:
            message = f"nothing in this brief has the id '{ref}'"
            listing = ""
        else:
            names = " or ".join(kinds)
            if ref in ids:
                message = f"'{ref}' is a {ids[ref][0]}, but a {names} is expected here"
            else:
                message = f"no {names} has the id '{ref}'"
            listing = (
                f" ({names} ids: {', '.join(candidates)})" if candidates else " (none defined)"
            )
        problems.append(doc.diagnostic(loc, message + listing + did_you_mean(ref, candidates)))

    for pattern, kinds in REFERENCES:
        for loc, ref in _walk(doc.data, pattern):
            resolve(loc, ref, kinds)
    for loc, text in iter_strings(doc.data, ()):
        for group in citations(text):
            for ref in group:
                resolve(loc, ref, CITABLE)
    return problems


def check_links(doc: SourceDocument) -> list[Diagnostic]:
    """Every ``[text](target)`` link goes to the web or to an e-mail address."""
    problems = []
    for loc, text in iter_strings(doc.data):
        if "](" not in text:
            continue
        for target in link_targets(text):
            if allowed_link(target):
                continue
            hint = (
                "; to refer to a part of this brief, write [@id]" if target.startswith("#") else ""
            )
            problems.append(
                doc.diagnostic(
                    loc,
                    f"link target '{target}' is not allowed (links must start with http://, "
                    f"https:// or mailto:){hint}",
                )
            )
    return problems


def find_placeholders(doc: SourceDocument) -> list[Diagnostic]:
    """Warn about text still holding a skeleton's TODO placeholder."""
    return [
        doc.diagnostic(loc, "placeholder text 'TODO' left in", severity=Severity.WARNING)
        for loc, text in iter_strings(doc.data, ())
        if "TODO" in text
    ]


def _walk(data: Any, pattern: Loc, loc: Loc = ()) -> Iterator[tuple[Loc, Any]]:
    if not pattern:
        yield loc, data
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        if isinstance(data, list):
            for index, item in enumerate(data):
                yield from _walk(item, rest, (*loc, index))
    elif isinstance(data, dict) and head in data:
        yield from _walk(data[head], rest, (*loc, head))


def iter_strings(data: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Every string in *data* with its location."""
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from iter_strings(value, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from iter_strings(value, (*loc, index))
