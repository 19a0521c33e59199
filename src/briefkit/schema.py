"""The JSON Schema of a brief, for editors (yaml-language-server) and other tools."""

from __future__ import annotations

import json
from typing import Any

SCHEMA_FILE = "schema/brief.schema.json"


def brief_schema() -> dict[str, Any]:
    from briefkit.brief.model import Brief

    schema = Brief.model_json_schema(mode="validation")
    _accept_every_spelling(schema["$defs"])
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def _accept_every_spelling(definitions: dict[str, Any]) -> None:
    """Each vocabulary's terms (which editors offer) or any other spelling `check` accepts
    (``Very Likely``, ``very-likely``, ``reliability: c``, ``credibility: "2"``)."""
    from briefkit.brief.model import SPELLINGS

    for vocabulary, pattern in SPELLINGS.items():
        definition = definitions.get(vocabulary.__name__)
        if definition is None:
            continue
        terms = {key: definition.pop(key) for key in ("type", "enum")}
        definition["anyOf"] = [terms, {"type": "string", "pattern": pattern}]


def schema_text() -> str:
    return json.dumps(brief_schema(), indent=2, ensure_ascii=False) + "\n"
