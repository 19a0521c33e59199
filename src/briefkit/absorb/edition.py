"""Absorbing an edition's .docx: its fields are the edition's, numbered as the edition
numbers them; each edit is placed at the same part of the full brief, so nothing withheld is
dropped. An edit of text the edition prints in its own words (its title, BLUF, replacement
text, a reference marked withheld) has no place in the brief and is refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from briefkit.absorb.fields import Edit, get
from briefkit.brief.model import Brief, Edition
from briefkit.brief.parts import PARTS
from briefkit.diagnostics import Loc, format_loc

Placer = Callable[[Edit], Edit | str]


def placer(full: dict[str, Any], edition: Edition, released: dict[str, Any]) -> Placer:
    """A function that takes an edit of the edition (*released*, as plain data) to the full
    brief *full*, or says why it cannot be placed."""
    index: dict[Loc, dict[int, int]] = {}
    for part in PARTS:
        ids = [item.get("id") for item in part.items(full)]
        index[part.location] = {
            n: ids.index(item.get("id")) for n, item in enumerate(part.items(released))
        }
    own = {"title": edition.title, "subtitle": edition.subtitle, "audience": edition.audience}
    own_fields: set[Loc] = {(key,) for key, value in own.items() if value is not None}
    own_fields |= {("handling",)}  # computed from the portions
    if edition.bluf is not None:
        own_fields.add(("summary", "bluf"))

    def to_full(loc: Loc) -> Loc | None:
        for location, numbers in index.items():
            depth = len(location)
            n = loc[depth] if len(loc) > depth else None
            if loc[:depth] == location and isinstance(n, int):
                if n < 0:  # an insert before the first item
                    return loc
                if n not in numbers:
                    return None
                return (*location, numbers[n], *loc[depth + 1 :])
        return loc

    def place(edit: Edit) -> Edit | str:
        where = format_loc(edit.loc)
        if edit.loc[:2] in own_fields or edit.loc[:1] in own_fields:
            return f"{where} is the edition's own text: edit it under editions: in the brief"
        target = to_full(edit.loc)
        if target is None:
            return f"{where} has no place in the brief"
        if edit.kind == "set" and _replaced(edition, released, edit.loc):
            return (
                f"{where} is printed as the edition '{edition.name}' words it (replacement "
                "text, or a reference marked withheld): edit it in the brief itself"
            )
        if edit.kind == "set" and _reworded(get(released, edit.loc), get(full, target), edit.loc):
            return (
                f"{where} is printed as the edition '{edition.name}' words it (replacement "
                "text, or a reference marked withheld): edit it in the brief itself"
            )
        return Edit(edit.kind, target, edit.value, edit.place, edit.note)

    return place


TEXT_FIELDS = frozenset(
    {"text", "bluf", "observation", "interpretation", "impact", "name", "title", "question"}
    | {"why", "how", "answer", "note", "quote", "change_note", "publisher", "url", "owner"}
    | {"indicators"}
)


def _reworded(released: Any, full: Any, loc: Loc) -> bool:
    """Whether the edition prints other text at *loc* than the brief holds (citations of
    withheld parts dropped, "[source withheld]" added)."""
    keys = [k for k in loc if isinstance(k, str)]
    if not keys or keys[-1] not in TEXT_FIELDS:
        return False
    return isinstance(released, str) and released != full


def _replaced(edition: Edition, released: dict[str, Any], loc: Loc) -> bool:
    for depth in range(len(loc), 0, -1):
        item = get(released, loc[:depth])
        if isinstance(item, dict) and item.get("id") in edition.replace:
            return str(loc[depth]) in edition.replace[item["id"]] if depth < len(loc) else True
    return False


def released_data(brief: Brief) -> dict[str, Any]:
    """An edition's brief as plain data, as the source's data would hold it."""
    return brief.model_dump(mode="json", exclude_defaults=True)
