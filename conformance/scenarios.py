"""The battery: conformance/scenarios/NAME.sh, one BusyBox ash script each.

A scenario's first comment line says what it checks; a line
`# blocked-by: N` says that issue N (16: filesystem, 15: signals) must land
before the scenario can behave as on Linux, so the table can say so.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

SCENARIO_DIR = Path(__file__).resolve().parent / "scenarios"
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
BLOCKED_RE = re.compile(r"^# blocked-by: (\d+)\s*$", re.M)


@dataclass(frozen=True)
class Scenario:
    """One battery entry: its name, what it checks, the issue blocking it
    (None if none), and the sha256 of its script (to spot stale Linux data)."""
    name: str
    what: str
    blocked_by: int | None
    sha256: str


def parse(name: str, text: str) -> Scenario:
    """A Scenario from its script text; ValueError for a bad name or a
    script without its leading '# what' comment."""
    if not NAME_RE.match(name):
        raise ValueError(f"scenario name {name!r}: use lower-case letters, digits and '-'")
    first = text.split("\n", 1)[0]
    if not first.startswith("# ") or first.startswith("# blocked-by:"):
        raise ValueError(f"scenario {name}: the first line must be '# what it checks'")
    blocked = BLOCKED_RE.search(text)
    return Scenario(name, first[2:].strip(), int(blocked.group(1)) if blocked else None,
                    hashlib.sha256(text.encode()).hexdigest())


def load(directory: Path = SCENARIO_DIR) -> list[Scenario]:
    """Every scenario in directory, sorted by name."""
    return [parse(p.stem, p.read_text()) for p in sorted(directory.glob("*.sh"))]
