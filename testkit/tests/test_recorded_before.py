"""Rules about traces recorded before a change (applies_to.recorded_before):
they rewrite a trace recorded from that commit or an older one, never a fresh
recording, a trace of unknown origin or one from Linux, so a kernel that went
back to its old answer still diverges from every golden."""
from __future__ import annotations

import subprocess
from typing import Any

import pytest

from conftest import REPO_ROOT
from testkit.diff import compare
from testkit.normalize import Event, RulesError, Streams
from testkit.rulelang import Rule, compile_rule


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(REPO_ROOT), *args], capture_output=True,
                          text=True, check=True).stdout.strip()


ROOT = _git("rev-list", "--max-parents=0", "HEAD").splitlines()[0]     # the first commit
HEAD = _git("rev-parse", "HEAD")


def old_answer_rule(before: str) -> Rule:
    """getpid = -1 EPERM in old traces is compared as getpid = 5."""
    return compile_rule({
        "id": "old-answer", "order": 1, "why": "test",
        "applies_to": {"recorded_before": before},
        "patterns": [{"match": [{"call": "getpid", "err": "EPERM"}, {"call": "exit_group"}],
                      "emit": [{"from": 0, "ret": 5}, {"from": 1}]}]}, "test")


def side(ret: Any, err: str | None = None) -> Streams:
    g: dict[str, Any] = {"type": "syscall", "name": "getpid", "args": {}, "ret": ret}
    if err:
        g["err"] = err
    return {"init/1": [Event(g), Event({"type": "syscall", "name": "exit_group", "args": {"status": 0}})]}


OLD, NEW = side(-1, "EPERM"), side(5)


@pytest.mark.parametrize("golden_from, current_from, golden, current, same", [
    (ROOT, HEAD, OLD, NEW, True),                 # an old golden against the new answer
    (ROOT, HEAD, OLD, OLD, False),                # the kernel went back: still a divergence
    (HEAD, HEAD, OLD, NEW, False),                # a golden recorded after the change is as recorded
    (ROOT + "-dirty", HEAD, OLD, NEW, True),      # recorded with edits on top of an old commit
    (ROOT, ROOT, OLD, OLD, True),                 # two old traces: both rewritten
    (None, HEAD, OLD, NEW, False),                # no recorded_from (Linux, strace): as recorded
    ("f" * 40, HEAD, OLD, NEW, False),            # a commit git does not know: as recorded
])
def test_recorded_before_rewrites_only_old_traces(golden_from: str | None, current_from: str | None,
                                                   golden: Streams, current: Streams, same: bool) -> None:
    diff = compare(golden, current, [old_answer_rule(ROOT)], None, (golden_from, current_from))
    assert diff.ok is same, diff.messages()


def test_recorded_before_must_be_a_commit_hash() -> None:
    with pytest.raises(RulesError, match="recorded_before"):
        old_answer_rule("last tuesday")
