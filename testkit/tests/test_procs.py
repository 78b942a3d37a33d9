"""Canonical process names depend on the tree, not on pids or interleaving."""
from __future__ import annotations

from typing import Any

from synth import P, PIDS_B, PTR, build, exit_ev, sc, shell_scenario
from testkit.normalize import load_rules
from testkit.procs import build_tree
from testkit.show import render_tree
from testkit.trace import loads


def two_children() -> dict[str, list[dict[str, Any]]]:
    """sh runs 'echo a' then 'cat b', each waited for."""
    s = shell_scenario()
    s["init/1"] = [
        sc("spawn_args", path="/bin/echo", argv=["echo", "a"], ret=P("init/1/1")),
        sc("wait4", pid=-1, wstatus=PTR, options=0, rusage="0x0", ret=P("init/1/1")),
        sc("spawn_args", path="/bin/cat", argv=["cat", "b"], ret=P("init/1/2")),
        sc("wait4", pid=-1, wstatus=PTR, options=0, rusage="0x0", ret=P("init/1/2")),
        sc("exit_group", status=0), exit_ev(0)]
    s["init/1/2"] = [sc("getpid", ret=P("init/1/2")), sc("exit_group", status=3), exit_ev(3)]
    return s


def names_and_programs(text: str) -> dict[str, tuple[int, list[str] | None]]:
    tree = build_tree(loads(text), load_rules().creators)
    return {n: (p.pid, p.argv()) for n, p in tree.procs.items()}


def test_names_follow_creation_order() -> None:
    got = names_and_programs(build(two_children(), {"init": 1, "init/1": 2, "init/1/1": 3, "init/1/2": 4}))
    assert list(got) == ["init", "init/1", "init/1/1", "init/1/2"]
    assert got["init/1/1"] == (3, ["echo", "a"]) and got["init/1/2"] == (4, ["cat", "b"])


def test_names_independent_of_pids_and_interleaving() -> None:
    # The second child gets the lower pid and runs first; its records come before
    # its parent's spawn_args record.  It is still init/1/2.
    pids = {"init": 1, "init/1": 9, "init/1/1": 40, "init/1/2": 12}
    order = ["init", "init/1/2", "init/1/2", "init/1", "init/1/1", "init/1", "init/1"]
    got = names_and_programs(build(two_children(), pids, order))
    assert got["init/1/2"] == (12, ["cat", "b"])
    assert got["init/1/1"] == (40, ["echo", "a"])


def test_reused_pid_is_a_new_process() -> None:
    pids = {"init": 1, "init/1": 2, "init/1/1": 3, "init/1/2": 3}
    got = names_and_programs(build(two_children(), pids))
    assert got["init/1/1"] == (3, ["echo", "a"]) and got["init/1/2"] == (3, ["cat", "b"])


def test_tree_rendering_shows_programs_and_status() -> None:
    tree = build_tree(loads(build(shell_scenario(), PIDS_B)), load_rules().creators)
    lines = render_tree(tree)
    assert lines[0].startswith("init  (pid 1)")
    assert lines[1] == "  init/1  (pid 17)  sh  [exited with 0]"
    assert lines[2] == "    init/1/1  (pid 5)  echo hi  [exited with 0]"


def test_pid_values_become_names(fixture_abi: Any) -> None:
    from testkit.normalize import normalize
    streams = normalize(loads(build(shell_scenario(), PIDS_B)), fixture_abi, load_rules())
    sh = [e.data for e in streams["init/1"]]
    assert sh[0]["ret"] == "init/1"                      # getpid
    assert sh[3]["ret"] == "init/1/1"                    # spawn_args
    assert sh[4]["args"]["pid"] == "init/1/1"            # wait4 argument
    assert streams["init"][1].data["args"]["pid"] == -1  # -1 is not a pid: kept


def test_a_process_group_is_named_by_its_leader() -> None:
    """kill(-PGID) and wait4(-PGID) name a group by its leader's pid: the
    group's name is "-" and the leader's (they differed between kernels)."""
    from testkit.normalize import _name_or_value
    trace = loads(build(shell_scenario(), PIDS_B))
    tree = build_tree(trace, load_rules().creators)
    last = trace.records[-1]["seq"]
    assert _name_or_value(-5, last, tree, group=True) == "-init/1/1"
    assert _name_or_value(5, last, tree, group=True) == "init/1/1"
    assert [_name_or_value(v, last, tree, True) for v in (-1, 0, -99, 99)] == [-1, 0, -99, 99]
    assert _name_or_value(-5, last, tree) == -5        # a result: -5 is an errno (EIO)


def test_forked_child_is_named_by_the_program_it_ran_or_tried() -> None:
    scenario = {
        "init": [sc("fork", ret=P("init/1")), sc("fork", ret=P("init/2")),
                 sc("exit_group", status=0), exit_ev(0)],
        "init/1": [sc("execve", path="/bin/echo", argv=["echo", "hi"], envp=[], ret=0),
                   sc("exit_group", status=0), exit_ev(0)],
        "init/2": [sc("execve", path="/bin/nope", argv=["nope"], envp=[], ret=-2, err="ENOENT"),
                   sc("exit_group", status=127), exit_ev(127)],
    }
    tree = build_tree(loads(build(scenario, {"init": 1, "init/1": 2, "init/2": 3})), load_rules().creators)
    assert tree.procs["init/1"].argv() == ["echo", "hi"]
    assert tree.procs["init/2"].argv() == ["nope"]
