"""The parts registry is the one description of a brief's parts: every list of parts in the
model is in it, and every table derived from it has each part."""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel

from briefkit.absorb import fields, merge
from briefkit.brief import parts
from briefkit.brief.model import Brief
from briefkit.checks import references
from briefkit.i18n.messages import MESSAGES
from briefkit.versions import semantic_diff


def _unwrap(annotation: Any) -> Any:
    """``Annotated[list[X], ...] | None`` → ``list[X]``."""
    while True:
        if typing.get_origin(annotation) is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if typing.get_origin(annotation) in (typing.Union, type(int | None)) and len(args) == 1:
            annotation = args[0]
            continue
        return annotation


def _lists_of_models(model: type[BaseModel], where: tuple[str, ...] = ()) -> dict:
    """Every list of models in *model*, reached through single models, by location."""
    found: dict[tuple[str, ...], type[BaseModel]] = {}
    for name, info in model.model_fields.items():
        annotation = _unwrap(info.annotation)
        if typing.get_origin(annotation) is list:
            (item,) = typing.get_args(annotation)
            item = _unwrap(item)
            if isinstance(item, type) and issubclass(item, BaseModel):
                found[(*where, name)] = item
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            found |= _lists_of_models(annotation, (*where, name))
    return found


def test_every_list_of_parts_in_the_model_is_a_part() -> None:
    # the editions a brief declares are how to build it, not content a reader sees
    in_model = {
        where: model for where, model in _lists_of_models(Brief).items() if where != ("editions",)
    }
    assert in_model  # a negative control: the walk finds the model's lists
    registered = {part.location: part.model_class() for part in parts.PARTS}
    assert registered == in_model


def test_every_part_has_its_derived_entries() -> None:
    for part in parts.PARTS:
        assert MESSAGES[f"part.{part.name}"] == part.noun
        assert MESSAGES[f"part.{part.name}.plural"] == part.plural
        assert MESSAGES.get(f"part.{part.name}.numbered") == part.numbered()
        assert semantic_diff._SECTIONS[part.name] == part.section
        assert part.name in semantic_diff._TIERS
        assert part.location[0] in semantic_diff._BRIEF_SKIP
        if part.heading:
            assert MESSAGES[part.heading_key] == part.heading
        assert references.COLLECTIONS[part.name] == part.location
        assert part.location in merge.LOCATIONS
        assert fields._PART.match(".".join(part.location) + ".0.id")
    # the sections of a summary of changes keep the registry's order
    assert list(semantic_diff._SECTIONS)[2:] == [part.name for part in parts.PARTS]
