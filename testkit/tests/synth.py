"""Synthetic traces for the tests: one behaviour, any pids, pointers and interleaving.

A scenario is {process name: [event, ...]}.  Values P("init/1") stand for that
process's pid and PTR for a fresh address; build() assigns pids, addresses and
seq numbers, and merges the processes in a given order.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PTR = "$ptr"


def P(name: str) -> dict[str, str]:
    """Placeholder for the pid of process `name`."""
    return {"$pid": name}


def nr_of(name: str) -> int:
    rows = json.loads((FIXTURES / "abi.json").read_text())["syscalls"]
    return next(r["nr"] for r in rows if r["name"] == name)


def sc(name: str, ret: Any = None, err: str | None = None, input: bool = False,
       **args: Any) -> dict[str, Any]:
    """A syscall event; ret None means a call that does not return."""
    ev: dict[str, Any] = {"type": "syscall", "nr": nr_of(name), "name": name, "args": args}
    if ret is not None:
        ev["ret"] = ret
    if err is not None:
        ev["err"] = err
    if input:
        ev["input"] = True
    return ev


def buf(data: str) -> dict[str, Any]:
    return {"data": data, "len": len(data)}


def exit_ev(code: int) -> dict[str, Any]:
    return {"type": "exit", "status": code << 8}


def shell_scenario(echo_text: str = "hi", exit_code: int = 0) -> dict[str, list[dict[str, Any]]]:
    """init starts sh; sh reads 'echo hi', runs /bin/echo hi, reads EOF and exits."""
    line = f"echo {echo_text}\n"
    return {
        "init": [
            sc("spawn_args", path="/bin/sh", argv=["sh"], ret=P("init/1")),
            sc("wait4", pid=-1, wstatus=PTR, options=0, rusage="0x0", ret=P("init/1")),
            sc("exit_group", status=0),
            exit_ev(0),
        ],
        "init/1": [
            sc("getpid", ret=P("init/1")),
            sc("brk", addr="0x0", ret=PTR),
            sc("read", fd=0, buf=buf(line), count=256, ret=len(line), input=True),
            sc("spawn_args", path="/bin/echo", argv=["echo", echo_text], ret=P("init/1/1")),
            sc("wait4", pid=P("init/1/1"), wstatus=PTR, options=0, rusage="0x0", ret=P("init/1/1")),
            sc("open", path="/nope", flags=0, mode=0, ret=-2, err="ENOENT"),
            sc("read", fd=0, buf={"data": "", "len": 0}, count=256, ret=0, input=True),
            sc("exit_group", status=exit_code),
            exit_ev(exit_code),
        ],
        "init/1/1": [
            sc("brk", addr="0x0", ret=PTR),
            sc("write", fd=1, buf=buf(echo_text + "\n"), count=len(echo_text) + 1,
               ret=len(echo_text) + 1),
            sc("exit_group", status=0),
            exit_ev(0),
        ],
    }


def build(scenario: dict[str, list[dict[str, Any]]], pids: dict[str, int],
          order: list[str] | None = None, ptr_base: int = 0x400000,
          halt_status: int = 0) -> str:
    """JSONL text: boot, the processes' events merged in `order` (names, one event
    each; the rest follows process by process), then halt."""
    queues = {name: [copy.deepcopy(e) for e in evs] for name, evs in scenario.items()}
    merged: list[tuple[str, dict[str, Any]]] = []
    for name in (order or []):
        merged.append((name, queues[name].pop(0)))
    for name, q in queues.items():
        merged += [(name, e) for e in q]
    ptrs = iter(range(ptr_base, ptr_base + 0x100000, 0x1000))
    out = [{"seq": 0, "type": "boot", "format": 1, "kernel": "levitate 0.1",
            "abi": "fixture0000000000", "cmdline": "trace"}]
    for name, ev in merged:
        rec = {"seq": len(out), "type": ev.pop("type"), "pid": pids[name]}
        rec.update(_resolve(ev, pids, ptrs))
        if isinstance(rec.get("ret"), str):
            rec["ret"] = int(rec["ret"], 16)      # a pointer-returning call's ret is a number
        out.append(rec)
    out.append({"seq": len(out), "type": "halt", "status": halt_status})
    return "".join(json.dumps(r) + "\n" for r in out)


def _resolve(v: Any, pids: dict[str, int], ptrs: Any) -> Any:
    if v == PTR:
        return hex(next(ptrs))
    if isinstance(v, dict) and set(v) == {"$pid"}:
        return pids[v["$pid"]]
    if isinstance(v, dict):
        return {k: _resolve(x, pids, ptrs) for k, x in v.items()}
    if isinstance(v, list):
        return [_resolve(x, pids, ptrs) for x in v]
    return v


PIDS_A = {"init": 1, "init/1": 2, "init/1/1": 3}
PIDS_B = {"init": 1, "init/1": 17, "init/1/1": 5}
