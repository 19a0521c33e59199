"""Three-way merge: edits made in a document built from an older version of a brief, applied
to the brief as it is now.

Parts are matched by id (a judgment, signal, stakeholder… may have moved), list items by
their text. A field the office changed that the source did not is taken from the document; a
field only the source changed keeps the source's value (the document does not touch it); a
field both changed, differently, is a conflict.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from briefkit.absorb.fields import Edit, Loc, get
from briefkit.brief.parts import LOCATIONS


@dataclass
class Conflict:
    path: str
    place: str
    base: Any
    source: Any
    document: Any


def rebase(
    edits: list[Edit], base: dict[str, Any], current: dict[str, Any], prefer: str | None
) -> tuple[list[Edit], list[Conflict]]:
    """*edits* (made against *base*) as edits of *current*, and the conflicts among them."""
    out: list[Edit] = []
    conflicts: list[Conflict] = []
    for edit in edits:
        if edit.kind == "insert":
            if not _already_there(edit, current):  # absorbed before: the same new item
                out.append(_inserted(edit, base, current))
            continue
        loc = map_loc(edit.loc, base, current)
        was = get(base, edit.loc)
        now = get(current, loc) if loc is not None else None
        if loc is None and edit.kind == "remove":
            continue  # gone from the brief too: both sides removed it
        if loc is None or (now != was and now != _meant(edit)):
            conflict = Conflict(edit.path, edit.place, was, now, _meant(edit))
            if prefer == "docx" and loc is not None:
                out.append(Edit(edit.kind, loc, edit.value, edit.place, edit.note))
            elif prefer is None or loc is None:  # no place for it in the brief: never dropped
                conflicts.append(conflict)
            continue
        if now == _meant(edit) and edit.kind != "insert":
            continue  # both sides made the same change
        out.append(Edit(edit.kind, loc, edit.value, edit.place, edit.note))
    return out, conflicts


def _already_there(edit: Edit, current: dict[str, Any]) -> bool:
    """Whether the brief already has the item *edit* adds: the same bullet, or a stakeholder
    of the same name (an earlier absorb of this document took it)."""
    items = get(current, edit.loc[:-1])
    if not isinstance(items, list):
        return False
    value = edit.value
    if isinstance(value, dict):
        return any(isinstance(i, dict) and i.get("name") == value.get("name") for i in items)
    return value in items


def _inserted(edit: Edit, base: dict[str, Any], current: dict[str, Any]) -> Edit:
    """A new item goes after the item it followed, or at the end of the list."""
    loc = map_loc(edit.loc, base, current)
    if loc is None:
        items = get(current, edit.loc[:-1])
        loc = (*edit.loc[:-1], max(len(items) - 1, 0) if isinstance(items, list) else 0)
    return Edit("insert", loc, edit.value, edit.place, edit.note)


def _meant(edit: Edit) -> Any:
    return edit.value if edit.kind == "set" else None if edit.kind == "remove" else "\0insert"


def map_loc(loc: Loc, base: dict[str, Any], current: dict[str, Any]) -> Loc | None:
    """Where the node at *loc* in *base* is in *current*; None when it is gone."""
    out: list[str | int] = []
    old_node: Any = base
    new_node: Any = current
    for depth, key in enumerate(loc):
        if isinstance(key, int):
            old_list = old_node if isinstance(old_node, list) else []
            new_list = new_node if isinstance(new_node, list) else []
            index = _match(tuple(loc[:depth]), key, old_list, new_list)
            if index is None:
                return None
            out.append(index)
            old_node = old_list[key] if key < len(old_list) else None
            new_node = new_list[index] if index < len(new_list) else None
        else:
            out.append(key)
            old_node = old_node.get(key) if isinstance(old_node, dict) else None
            new_node = new_node.get(key) if isinstance(new_node, dict) else None
    return tuple(out)


def _match(where: Loc, index: int, old: list[Any], new: list[Any]) -> int | None:
    if old == new:
        return index if index < len(new) or not new else None
    if index >= len(old):
        return None
    item = old[index]
    if where in LOCATIONS and isinstance(item, dict):
        ids = [n.get("id") if isinstance(n, dict) else None for n in new]
        return ids.index(item.get("id")) if item.get("id") in ids else None
    if item in new:
        return new.index(item)
    # an item that changed (an indicator reworded, by the brief or an earlier absorb): the
    # same place, when the list has as many items and its others are where they were
    same_place = len(old) == len(new) and all(
        a == b for n, (a, b) in enumerate(zip(old, new, strict=True)) if n != index
    )
    return index if same_place else None
