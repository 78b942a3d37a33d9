"""The results table: docs/conformance.md (between its results markers) and
conformance/results.json, both rewritten by `make conformance`."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from .compare import DIFFERS, FAILS, SAME, Verdict
from .scenarios import Scenario

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "conformance.md"
RESULTS = Path(__file__).resolve().parent / "results.json"
BEGIN, END = "<!-- results:begin (make conformance writes this part) -->", "<!-- results:end -->"
DETAIL_MAX = 160


def summary(verdicts: list[Verdict], battery: dict[str, Scenario]) -> dict[str, Any]:
    """Counts per result, and the measure: the share of scenarios not
    blocked by another issue that behave as on Linux."""
    counts = {k: sum(v.result == k for v in verdicts) for k in (SAME, DIFFERS, FAILS)}
    free = [v for v in verdicts if battery[v.name].blocked_by is None]
    same_free = sum(v.result == SAME for v in free)
    blocked: dict[str, int] = {}
    for v in verdicts:
        issue = battery[v.name].blocked_by
        if issue is not None and v.result != SAME:
            blocked[str(issue)] = blocked.get(str(issue), 0) + 1
    return {"total": len(verdicts), **counts, "not_blocked": len(free),
            "not_blocked_same": same_free,
            "not_blocked_same_percent": round(100 * same_free / len(free), 1) if free else 0.0,
            "blocked_not_same": blocked}


def cell(v: Verdict, s: Scenario) -> str:
    """The result column: same / differs / fails, or 'blocked by issue N'
    for a blocked scenario that is not the same yet."""
    if s.blocked_by is not None and v.result != SAME:
        return f"blocked by issue {s.blocked_by} ({v.result})"
    return v.result


def _escape(text: str) -> str:
    """text safe inside a markdown table cell, cut to DETAIL_MAX."""
    text = text if len(text) <= DETAIL_MAX else text[:DETAIL_MAX - 1] + "…"
    return text.replace("|", "\\|").replace("\n", " ")


def table(verdicts: list[Verdict], battery: dict[str, Scenario], meta: dict[str, Any]) -> str:
    """The markdown results part."""
    s = summary(verdicts, battery)
    lines = [BEGIN, "",
             f"Levitate `{meta['levitate']}` against Linux `{meta['linux_kernel']}`, "
             f"{meta['busybox']}",
             "",
             f"**{s['not_blocked_same']} of {s['not_blocked']} scenarios not blocked by another "
             f"issue behave as on Linux ({s['not_blocked_same_percent']}%).** All {s['total']}: "
             f"{s[SAME]} same, {s[DIFFERS]} differ, {s[FAILS]} fail; blocked and not yet the "
             f"same: " + (", ".join(f"{n} by issue {i}" for i, n in
                                    sorted(s["blocked_not_same"].items())) or "none") + ".",
             "", "| scenario | checks | result | detail |", "|---|---|---|---|"]
    for v in verdicts:
        sc = battery[v.name]
        lines.append(f"| `{v.name}` | {_escape(sc.what)} | {cell(v, sc)} | {_escape(v.detail)} |")
    lines += ["", END]
    return "\n".join(lines)


def write_doc(text: str, doc: Path = DOC) -> None:
    """Replace the part between the markers in doc (appending it when the
    markers are missing)."""
    old = doc.read_text() if doc.exists() else ""
    if BEGIN in old and END in old:
        head, rest = old.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        doc.write_text(head + text + tail)
    else:
        doc.write_text(old + ("\n" if old else "") + text + "\n")


def results_doc(verdicts: list[Verdict], battery: dict[str, Scenario],
                meta: dict[str, Any]) -> dict[str, Any]:
    """The JSON form: meta, summary, one entry per scenario."""
    return {"meta": meta, "summary": summary(verdicts, battery),
            "scenarios": {v.name: {"result": v.result, "blocked_by": battery[v.name].blocked_by,
                                   "detail": v.detail, "rules": list(v.rules)}
                          for v in verdicts}}


def previous_same(path: Path = RESULTS) -> set[str]:
    """The scenarios the committed table (path as of git HEAD) shows the
    same, and not blocked by another issue: a blocked scenario may pass by
    accident before its issue lands.  Empty when nothing is committed."""
    shown = subprocess.run(["git", "show", f"HEAD:{path.relative_to(REPO)}"], cwd=REPO,
                           capture_output=True, text=True)
    if shown.returncode != 0:
        return set()
    doc = json.loads(shown.stdout)
    return {n for n, r in doc["scenarios"].items()
            if r["result"] == SAME and r["blocked_by"] is None}


def write_results(doc: dict[str, Any], path: Path = RESULTS) -> None:
    """Write the JSON results."""
    path.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n")
