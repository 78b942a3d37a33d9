"""docs/trace-schema.json and the hand validator in trace.py must describe the same records
(V3_FIELDS: every record type of every version, v3 being a superset)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from testkit.trace import META_FIELDS, V3_FIELDS

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "trace-schema.json"
JSON_TYPES = {int: "integer", str: "string", dict: "object", list: "array", bool: "boolean",
              type(None): "null"}


def schema_records() -> dict[str, dict[str, Any]]:
    schema = json.loads(SCHEMA.read_text())
    return {name.removesuffix("_record"): d for name, d in schema["$defs"].items()
            if name.endswith("_record")}


def json_types(t: Any) -> set[str]:
    return {JSON_TYPES[x] for x in (t if isinstance(t, tuple) else (t,))}


def schema_types(prop: dict[str, Any]) -> set[str]:
    t = prop.get("type")
    if t is None and "const" in prop:
        return {"string"}
    return set(t) if isinstance(t, list) else {t}


@pytest.mark.parametrize("kind", sorted({**V3_FIELDS, **META_FIELDS}))
def test_fields_agree(kind: str) -> None:
    required, optional = {**V3_FIELDS, **META_FIELDS}[kind]
    rec = schema_records()[kind]
    assert set(rec["required"]) == set(required), kind
    assert set(rec["properties"]) == set(required) | set(optional), kind
    assert rec.get("additionalProperties") is False
    for name, t in {**required, **optional}.items():
        assert schema_types(rec["properties"][name]) == json_types(t), f"{kind}.{name}"


def test_schema_has_no_other_record_types() -> None:
    assert set(schema_records()) == set(V3_FIELDS) | set(META_FIELDS)
