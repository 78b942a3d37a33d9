"""Outcomes as data files: conformance/linux/results.json (Linux's, the
oracle, committed) and the Levitate run's.

{"meta": {...how it was produced...},
 "scenarios": {NAME: {"sha256": script hash, "stdout": text, "stderr": text,
                      "status": "exit N" | "signal N" | null,
                      "failure": why there is no result | null,
                      "seconds": s (Levitate's raw outcomes only)}}}

Linux's committed data has no timings, so regenerating it shows only
behaviour changes in a diff.

A stream that is not UTF-8 is stored as {"base64": ...} instead of text.
"""
from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from .guestrun import Outcome
from .scenarios import Scenario

LINUX_RESULTS = Path(__file__).resolve().parent / "linux" / "results.json"


def encode_stream(data: bytes) -> Any:
    """Text when data is UTF-8, else {"base64": ...}."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(data).decode()}


def decode_stream(value: Any) -> bytes:
    """The bytes encode_stream stored."""
    if isinstance(value, dict):
        return base64.b64decode(value["base64"])
    return str(value).encode("utf-8")


def outcome_record(outcome: Outcome, scenario: Scenario, timings: bool) -> dict[str, Any]:
    """The JSON record of one outcome (with its seconds when timings)."""
    rec = {"sha256": scenario.sha256, "stdout": encode_stream(outcome.stdout),
           "stderr": encode_stream(outcome.stderr), "status": outcome.status,
           "failure": outcome.failure}
    if timings:
        rec["seconds"] = outcome.seconds
    return rec


def outcome_from_record(name: str, rec: dict[str, Any]) -> Outcome:
    """An Outcome from its JSON record."""
    return Outcome(name, decode_stream(rec["stdout"]), decode_stream(rec["stderr"]),
                   rec["status"], rec["failure"], float(rec.get("seconds", 0.0)))


def save(path: Path, meta: dict[str, Any], outcomes: list[Outcome],
         scenarios: dict[str, Scenario], timings: bool = False,
         keep: dict[str, dict[str, Any]] | None = None) -> None:
    """Write meta and the outcomes to path, with the records of `keep` (as
    they are, their script hashes included) for names not among outcomes."""
    recs = dict(keep or {})
    recs.update({o.name: outcome_record(o, scenarios[o.name], timings) for o in outcomes})
    write_doc(path, {"meta": meta, "scenarios": recs})


def write_doc(path: Path, doc: dict[str, Any]) -> None:
    """Write a results document as the project stores them (sorted, indented)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


def load(path: Path) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """meta and the per-scenario records of a results file."""
    doc = json.loads(path.read_text())
    return doc["meta"], doc["scenarios"]
