"""The signal golden (golden/signals.jsonl, trace format 3) guards signal
behaviour: replaying it (test_golden.py) compares its `signal` and
`sigdeliver` records too.  Here, without QEMU, each way a kernel change could
alter signal behaviour is applied to the golden's own records, and the
behaviour comparison must reject it; the golden against itself must pass.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO_ROOT
from testkit.abi import load_abi
from testkit.normalize import load_rules
from testkit.record import behaviour_diff
from testkit.trace import loads

GOLDEN = REPO_ROOT / "golden" / "signals.jsonl"
SIGUSR1, SIGPIPE, SIGSEGV = 10, 13, 11
Record = dict[str, Any]


def golden_records() -> list[Record]:
    return [json.loads(line) for line in GOLDEN.read_text().splitlines() if line.strip()]


def as_text(records: list[Record]) -> str:
    """The records as a trace, with seq numbered again (a trace has no gaps)."""
    seq = 0
    for r in records:
        if "seq" in r:
            r["seq"], seq = seq, seq + 1
    return "".join(json.dumps(r) + "\n" for r in records)


def first(records: list[Record], kind: str, sig: int, **match: Any) -> Record:
    return next(r for r in records if r.get("type") == kind and r.get("sig") == sig
                and all(r.get(k) == v for k, v in match.items()))


def handler_ignored(rs: list[Record]) -> None:
    first(rs, "sigdeliver", SIGUSR1)["action"] = "ignore"


def sigpipe_not_sent(rs: list[Record]) -> None:
    rs.remove(first(rs, "signal", SIGPIPE))


def fault_sent_as_sigbus(rs: list[Record]) -> None:
    first(rs, "signal", SIGSEGV)["sig"] = 7


def no_core_on_fault(rs: list[Record]) -> None:
    first(rs, "sigdeliver", SIGSEGV, action="core")["action"] = "terminate"


def sigchld_to_init(rs: list[Record]) -> None:
    first(rs, "signal", 17, ignored=True)["to"] = 1


def sigpipe_ignored_is_delivered(rs: list[Record]) -> None:
    rec = first(rs, "signal", SIGPIPE, ignored=True)
    del rec["ignored"]


CHANGES: list[Callable[[list[Record]], None]] = [
    handler_ignored, sigpipe_not_sent, fault_sent_as_sigbus, no_core_on_fault,
    sigchld_to_init, sigpipe_ignored_is_delivered,
]


def test_signal_golden_is_format_3_with_signal_records() -> None:
    rs = golden_records()
    boot = next(r for r in rs if r.get("type") == "boot")
    assert boot["format"] == 3
    kinds = {r["type"] for r in rs}
    assert {"signal", "sigdeliver"} <= kinds
    actions = {r["action"] for r in rs if r["type"] == "sigdeliver"}
    assert {"handler", "terminate", "core"} <= actions


def test_signal_golden_matches_itself() -> None:
    text = GOLDEN.read_text()
    assert behaviour_diff(loads(text), loads(text), load_abi(), load_rules()).ok


@pytest.mark.parametrize("change", CHANGES, ids=[c.__name__ for c in CHANGES])
def test_a_changed_signal_behaviour_fails_the_replay(change: Callable[[list[Record]], None]) -> None:
    rs = golden_records()
    change(rs)
    d = behaviour_diff(loads(GOLDEN.read_text()), loads(as_text(rs)), load_abi(), load_rules())
    assert not d.ok, change.__name__
