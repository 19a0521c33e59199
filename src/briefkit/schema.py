"""The JSON Schema of a brief, for editors (yaml-language-server) and other tools."""

from __future__ import annotations

import json
from typing import Any

SCHEMA_FILE = "schema/brief.schema.json"


def brief_schema() -> dict[str, Any]:
    from briefkit.model import Brief

    schema = Brief.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_text() -> str:
    return json.dumps(brief_schema(), indent=2, ensure_ascii=False) + "\n"
