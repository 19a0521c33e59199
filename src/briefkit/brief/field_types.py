"""What the model says of a field path (``signals.2.likelihood``): how the documents print its
text (``Printed``: markup or plain, bold or not) and which vocabulary its terms come from.

One source for absorb, which takes an edited document's text back into the field a mark names:
a new field of the model is read back as its type says, with no table to update.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Annotated, Any, Union

from pydantic import BaseModel

from briefkit.brief.model import Brief, Id, Printed
from briefkit.brief.vocab import Vocabulary


@dataclass(frozen=True)
class FieldType:
    printed: Printed | None = None  # text, and how it is printed
    vocabulary: type[Vocabulary] | None = None  # a term of this vocabulary
    optional: bool = False  # None is a value: an empty table cell removes the field
    references: bool = False  # a list of ids of other parts


def field_type(path: str) -> FieldType | None:
    """The type of the field at *path* (keys and list indices joined by "."; an index may be
    any word, as in ``stakeholders.new.name``), None where the model has no field."""
    annotation: Any = Brief
    optional = False
    for key in path.split("."):
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            info = annotation.model_fields.get(key)
            if info is None:
                return None
            metadata = tuple(info.metadata)
            annotation = Annotated[(info.annotation, *metadata)] if metadata else info.annotation
            optional = info.default is None
        elif typing.get_origin(inner := unwrapped(annotation)) in (list, dict):
            annotation, optional = typing.get_args(inner)[-1], False
        else:
            return None
    base = unwrapped(annotation)
    if isinstance(base, type) and issubclass(base, Vocabulary):
        return FieldType(vocabulary=base, optional=optional)
    if typing.get_origin(base) is list:
        return FieldType(references=typing.get_args(base)[0] == Id, optional=optional)
    return FieldType(printed=printed_of(annotation), optional=optional)


def unwrapped(annotation: Any) -> Any:
    """*annotation* without its ``Annotated`` metadata and ``| None``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType) and type(None) in typing.get_args(annotation):
            (annotation,) = (a for a in typing.get_args(annotation) if a is not type(None))
        else:
            return annotation


def printed_of(annotation: Any) -> Printed | None:
    """The ``Printed`` metadata of a text type (through ``| None``)."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        found = [m for m in annotation.__metadata__ if isinstance(m, Printed)]
        return found[-1] if found else printed_of(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        kinds = {printed_of(a) for a in typing.get_args(annotation)} - {None}
        return kinds.pop() if len(kinds) == 1 else None
    return None
