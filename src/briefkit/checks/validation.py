"""Validate positioned YAML data against a pydantic model; turn every error into a Diagnostic.

Errors are mapped by pydantic's error *type* and *loc* (never by parsing message text), and the
position is that of the offending node: the key for an unknown key, the enclosing mapping for a
missing one, the value otherwise.
"""

from __future__ import annotations

import calendar
import copy
import datetime as dt
import re
import types
from enum import Enum
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from briefkit.brief import patterns
from briefkit.diagnostics import (
    Diagnostic,
    Loc,
    closest,
    did_you_mean,
)
from briefkit.reading.source import SourceDocument

M = TypeVar("M", bound=BaseModel)


def validate(doc: SourceDocument, model: type[M]) -> tuple[M | None, list[Diagnostic]]:
    """Return the model (or None) and the located problems found."""
    try:
        valid = model.model_validate(doc.data)
    except ValidationError as exc:
        problems: dict[Loc, Diagnostic] = {}
        errors = exc.errors(include_url=False)
        for err in errors:
            err["loc"] = _place(doc.data, tuple(err["loc"]))
            # a value that fits no member of a union gets one error per member: keep the first
            problems.setdefault(err["loc"], _diagnostic(doc, model, err))
        under = _under_misspelt_keys(doc, model, errors)
        return None, [*problems.values(), *under]
    return valid, []


def _node(data: Any, loc: Loc) -> Any:
    for part in loc:
        data = data[part]
    return data


_MISSPELT_CHECKED = 20


def _under_misspelt_keys(
    doc: SourceDocument, model: type[BaseModel], errors: list[Any]
) -> list[Diagnostic]:
    """The problems of values under a misspelt key (``likelyhood: probabl``), as if the key
    were the field it is a near miss of: reported with the key, not on the next run."""
    problems = []
    misspelt = [err for err in errors if err["type"] == "extra_forbidden"]
    # each is a validation of the whole brief again: a file of misspellings costs a bounded
    # amount (the rest are still reported as unknown keys)
    for err in misspelt[:_MISSPELT_CHECKED]:
        parent, key = err["loc"][:-1], err["loc"][-1]
        mapping = _node(doc.data, parent)
        meant = closest(key, _fields(model, parent))
        if meant is None or meant in mapping:
            continue
        data = copy.deepcopy(doc.data)
        renamed = {meant if k == key else k: v for k, v in mapping.items()}
        if parent:
            _node(data, parent[:-1])[parent[-1]] = renamed
        else:
            data = renamed
        try:
            model.model_validate(data)
        except ValidationError as exc:
            depth = len(parent) + 1
            for under in exc.errors(include_url=False):
                under["loc"] = _place(data, tuple(under["loc"]))
                if under["loc"][:depth] != (*parent, meant) or under["type"] == "missing":
                    continue
                written = (*parent, key, *under["loc"][depth:])
                under["input"] = _written(doc.data, written, under.get("input"))
                message = _diagnostic(doc, model, under).message
                problems.append(doc.diagnostic(written, message))
    return problems


def _place(data: Any, loc: Loc) -> Loc:
    """*loc* without pydantic's union member tags (``literal['A4',…]``, ``tuple[…]``), which
    name no place in the file: only keys and indexes the data has (or a missing key) stay."""
    out: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(part, int) and isinstance(node, list) and part < len(node):
            node = node[part]
        elif isinstance(part, str) and isinstance(node, dict):
            node = node.get(part)
        else:
            continue
        out.append(part)
    return tuple(out)


def _diagnostic(doc: SourceDocument, model: type[BaseModel], err: Any) -> Diagnostic:
    loc: Loc = tuple(err["loc"])
    kind: str = err["type"]
    value = _written(doc.data, loc, err.get("input"))
    ctx = err.get("ctx") or {}
    if kind == "missing":
        name = loc[-1]
        return doc.diagnostic(loc[:-1], f"missing required key '{name}'")
    if kind == "extra_forbidden":
        allowed = sorted(_fields(model, loc[:-1]))
        message = f"unknown key '{loc[-1]}' (allowed: {', '.join(allowed)})"
        return doc.diagnostic(loc, message + did_you_mean(loc[-1], allowed), key=True)
    return doc.diagnostic(loc, _message(model, loc, kind, value, ctx, err["msg"]))


_EXPECTED = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "date_type": "a date as YYYY-MM-DD",
    "date_parsing": "a date as YYYY-MM-DD",
    "date_from_datetime_parsing": "a date as YYYY-MM-DD",
    "date_from_datetime_inexact": "a date as YYYY-MM-DD",
    "list_type": "a list (lines starting with '- ')",
    "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values",
    "model_attributes_type": "a mapping of keys to values",
}


def _message(
    model: type[BaseModel], loc: Loc, kind: str, value: Any, ctx: dict[str, Any], fallback: str
) -> str:
    got = _describe(value)
    if kind in _EXPECTED:
        why = _impossible_date(value) if kind.startswith("date") else ""
        return f"expected {_EXPECTED[kind]}, got {got}{why}"
    if kind == "enum":
        choices = _choices(model, loc)
        allowed = ", ".join(repr(c) if isinstance(c, str) else str(c) for c in choices)
        words = [c for c in choices if isinstance(c, str)]
        hint = _vocabulary_hint(_type_at(model, loc), value)
        return f"{got} is not allowed (allowed: {allowed or ctx.get('expected')})" + (
            did_you_mean(value, words) if hint is None else hint
        )
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        words = re.findall(r"'([^']*)'", expected)
        return f"{got} is not allowed (allowed: {expected})" + did_you_mean(value, words)
    if kind == "string_type":
        hint = "; put it in quotes" if isinstance(value, int | float | bool | dt.date) else ""
        return f"expected text, got {got}{hint}"
    if kind in {"string_too_short", "too_short"}:
        return "must not be empty" if not str(value or "").strip() else f"too short: {fallback}"
    if kind == "string_too_long":
        return f"too long: at most {ctx.get('max_length')} characters"
    if kind == "string_pattern_mismatch":
        help_text = patterns.HELP.get(ctx.get("pattern", ""), f"must match {ctx.get('pattern')}")
        return f"{got} is not valid: {help_text}"
    if kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        return f"{got} is out of range: {fallback.lower()}"
    return fallback


def _written(data: Any, loc: Loc, default: Any) -> Any:
    """The value at *loc* as the file has it (pydantic's input has been normalised:
    'Near-Term' is 'near term' by then)."""
    try:
        return _node(data, loc)
    except (KeyError, IndexError, TypeError):
        return default


def _impossible_date(value: Any) -> str:
    """Why text shaped like YYYY-MM-DD is no date: "; September has 30 days"."""
    match = re.fullmatch(r"\s*(\d{4})-(\d{2})-(\d{2})\s*", str(value))
    if match is None:
        return ""
    year, month, day = map(int, match.groups())
    if not 1 <= month <= 12:
        return f": there is no month {month:02d} (months run 01–12)"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        name = calendar.month_name[month]
        return f": {name} {year if month == 2 else ''}".rstrip() + f" has {days} days"
    return ""


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, int | float):
        return f"{value!r} (a number)"
    if isinstance(value, dt.date):
        return f"{value.isoformat()} (a date)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _unwrap(tp: Any) -> Any:
    """Strip Annotated and Optional until a concrete type is left."""
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp = get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def _type_at(model: type[BaseModel], loc: Loc) -> Any:
    # The type depends on the keys of the location, not on which item of a list: remembered
    # per shape (a brief asks for each of its thousand strings). Only the model's own paths
    # are kept (a location off the model is None), so the table stays small.
    shape = (model, *(0 if isinstance(part, int) else part for part in loc))
    found = _TYPES_AT.get(shape)
    if found is None:
        found = _walk_type(model, loc)
        if found is not None:
            _TYPES_AT[shape] = found
    return found


_TYPES_AT: dict[tuple[Any, ...], Any] = {}


def _walk_type(model: type[BaseModel], loc: Loc) -> Any:
    tp: Any = model
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(part, int):
            args = get_args(tp)
            if not args:
                return None
            tp = args[0]
        elif isinstance(tp, type) and issubclass(tp, BaseModel) and part in tp.model_fields:
            tp = tp.model_fields[part].annotation
        else:
            return None
    return _unwrap(tp)


def _fields(model: type[BaseModel], loc: Loc) -> list[str]:
    tp = _type_at(model, loc)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return list(tp.model_fields)
    return []


def _choices(model: type[BaseModel], loc: Loc) -> list[str | int]:
    tp = _type_at(model, loc)
    if isinstance(tp, type) and issubclass(tp, Enum):
        return [m.value for m in tp]
    return []


def _vocabulary_hint(vocabulary: Any, value: Any) -> str | None:
    """A synonym's term or a percentage's likelihood term, when *vocabulary* is a brief's."""
    from briefkit.brief.model import _normalise_term
    from briefkit.brief.vocab import Vocabulary, suggest

    if isinstance(vocabulary, type) and issubclass(vocabulary, Vocabulary):
        return suggest(vocabulary, value, _normalise_term(value))
    return None


def deprecated_terms(doc: SourceDocument, model: type[BaseModel]) -> list[Diagnostic]:
    """Warn about a deprecated word that still means a term (``priority: medium``)."""
    from briefkit.brief.model import _normalise_term
    from briefkit.brief.vocab import Vocabulary, deprecated_alias
    from briefkit.checks.references import iter_strings
    from briefkit.diagnostics import Severity

    problems = []
    for loc, value in iter_strings(doc.data, ()):
        vocabulary = _type_at(model, loc)
        if not (isinstance(vocabulary, type) and issubclass(vocabulary, Vocabulary)):
            continue
        word = _normalise_term(value)
        term = deprecated_alias(vocabulary, word)
        if term is None:
            continue
        allowed = " | ".join(t.value for t in vocabulary)
        message = (
            f"'{value}' is deprecated; write '{term}' ({allowed}: every three-step scale "
            f"calls its middle '{term}', as ICD 203 confidence does)"
        )
        problems.append(doc.diagnostic(loc, message, severity=Severity.WARNING))
    return problems
