"""Keys indented into a block scalar: ``text: >-`` and then ``likelihood: likely`` one step too
far, which YAML reads as more of the text (and prints), located as an error instead."""

from __future__ import annotations

import re
from enum import Enum
from typing import get_origin

from pydantic import BaseModel

from briefkit.checks.validation import _fields, _node, _type_at, _vocabulary_hint
from briefkit.diagnostics import Diagnostic, Loc, closest, display_path, format_loc
from briefkit.reading.source import SourceDocument

# A line of a block that reads as "name: ..." or "name:" (a key and its value).
_KEY_LINE = re.compile(r"([a-z_][a-z0-9_]*):(?: |$)")


def folded_keys(doc: SourceDocument, model: type[BaseModel]) -> list[Diagnostic]:
    """A line of a block scalar (``text: >-``) that starts with a key of the mapping holding
    the text: a key indented one step too far, which YAML reads as more of the text.

    Prose is not taken for a key: only a field of that mapping counts ("Note: this …" names
    none), one the mapping does not set already, followed by what could be its value
    ("… with high / confidence: the deal holds" is no confidence term). A text that is
    meant to hold such a line can be quoted."""
    problems = []
    for loc, lines in doc.blocks.items():
        if not loc or not isinstance(loc[-1], str):
            continue
        mapping = _node(doc.data, loc[:-1])
        names = set(_fields(model, loc[:-1])) - set(mapping)
        for line in lines:
            key = _KEY_LINE.match(line.text)
            if key is None or key.group(1) not in names:
                continue
            if not _could_be_value(model, (*loc[:-1], key.group(1)), line.text[key.end() :]):
                continue
            where = display_path(line.position.path) if line.position.path else doc.display
            message = (
                f"line looks like a key '{key.group(1)}' folded into the text; indent it like "
                f"'{loc[-1]}:' (or quote the text if it is meant)"
            )
            problems.append(
                Diagnostic(
                    where, line.position.line, line.position.column, message, format_loc(loc)
                )
            )
    return problems


def _could_be_value(model: type[BaseModel], loc: Loc, written: str) -> bool:
    """Whether *written* (what follows ``name:`` on a line) could be meant as the value of the
    field at *loc*: nothing (a nested list or mapping follows), a list for a list, a term or
    a near miss of one for a vocabulary; any text for text."""
    from briefkit.brief.model import _normalise_term
    from briefkit.brief.vocab import Vocabulary, deprecated_alias

    value = written.split(" #")[0].strip()
    kind = _type_at(model, loc)
    if not value:
        return True
    if get_origin(kind) is list:
        return value.startswith("[")
    if isinstance(kind, type) and issubclass(kind, Enum):
        word = _normalise_term(value)
        terms = [str(member.value).lower() for member in kind]
        return (
            word in terms
            or closest(word, terms) is not None
            or (issubclass(kind, Vocabulary) and deprecated_alias(kind, word) is not None)
            or _vocabulary_hint(kind, value) is not None
        )
    return True
