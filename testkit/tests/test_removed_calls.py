"""spawn and spawn_args are removed from the ABI: the kernel answers ENOSYS for
their numbers, and the trace still names them (old goldens stay readable)."""
from __future__ import annotations

import pytest

from conftest import Levitate

pytestmark = pytest.mark.qemu


@pytest.mark.parametrize("nr, name", [(1024, "spawn"), (1025, "spawn_args")])
def test_removed_number_answers_enosys_and_is_named(levitate: Levitate, nr: int, name: str) -> None:
    trace = levitate.record(f"removed-{name}", [], run=["/usr/bin/syscall", str(nr), "/bin/true"])
    calls = [r for r in trace.records if r["type"] == "syscall" and r["nr"] == nr]
    assert len(calls) == 1, "the old number was not called exactly once"
    assert calls[0]["name"] == name
    assert calls[0]["ret"] == -38 and calls[0]["err"] == "ENOSYS"
    assert calls[0]["args"]["path"] == "/bin/true"
    halt = [r for r in trace.records if r["type"] == "halt"]
    assert halt and halt[0]["status"] == 1 << 8, "syscall should report the failure with status 1"


def test_removed_calls_are_gone_from_userspace_header() -> None:
    from conftest import REPO_ROOT
    header = (REPO_ROOT / "userspace" / "include" / "los_abi.h").read_text()
    assert "#define LOS_NR_spawn " not in header and "#define LOS_NR_spawn_args " not in header
    assert "spawn (1024) removed" in header
