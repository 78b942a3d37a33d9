"""Canonical process names: a process is named by its place in the process tree.

pid 1 is "init"; the k-th child that process P created (k from 1, in P's own
order) is P's name + "/" + k: "init/1", "init/1/3".  Children are found from
the records of calls that return a child pid (rules/processes.json).  Names
therefore do not depend on pid numbering or on how processes interleaved.

A pid may be reused after its process was reaped: a pid's records after its
`exit` record belong to a new process (a new "incarnation").
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from testkit.trace import Trace

INIT_PID = 1


@dataclass
class Process:
    """One process of a trace: its records in seq order and where it came from."""
    name: str
    pid: int
    records: list[dict[str, Any]] = field(default_factory=list)
    created_by: dict[str, Any] | None = None   # the parent's creating record
    parent: str | None = None
    children: list[str] = field(default_factory=list)

    def start_seq(self) -> int:
        seqs = [r["seq"] for r in self.records[:1]]
        if self.created_by is not None:
            seqs.append(self.created_by["seq"])
        return min(seqs) if seqs else 0

    def argv(self) -> list[str] | None:
        """The program it runs: argv of its last successful exec, else of its
        creation, else of the exec it tried (a child whose exec failed)."""
        for rec in reversed(self.records):
            if rec.get("name") == "execve" and rec.get("ret") == 0:
                return _argv_of(rec)
        created = _argv_of(self.created_by) if self.created_by else None
        if created:
            return created
        tried = [r for r in self.records if r.get("name") == "execve"]
        return _argv_of(tried[0]) if tried else None


def _argv_of(rec: dict[str, Any]) -> list[str] | None:
    args = rec.get("args", {})
    if isinstance(args.get("argv"), list):
        return args["argv"]
    if isinstance(args.get("path"), str):
        return [args["path"]]
    return None


@dataclass
class ProcessTree:
    """All processes of a trace by canonical name (tree pre-order) and pid lookup."""
    procs: dict[str, Process]
    owner: dict[int, str]                 # record seq -> name of the process that wrote it
    by_pid: dict[int, list[Process]]      # incarnations of each pid, in start order

    def name_at(self, pid: int, seq: int) -> str | None:
        """Name of the process that had pid at record seq; None if no process of the trace had it."""
        incs = self.by_pid.get(pid)
        if not incs:
            return None
        current = incs[0]
        for p in incs:
            if p.start_seq() <= seq:
                current = p
        return current.name


def load_creators(rules_dir: Path) -> tuple[str, ...]:
    """The calls whose positive ret is a new child's pid."""
    data = json.loads((rules_dir / "processes.json").read_text())
    return tuple(data["creators"])


def build_tree(trace: Trace, creators: tuple[str, ...]) -> ProcessTree:
    """Split records into processes, link children to parents, name them from init down."""
    incs = _incarnations(trace.records)
    creations = _creations(trace.records, creators)
    _attach_creators(incs, creations)
    procs: dict[str, Process] = {}
    owner: dict[int, str] = {}
    roots = [p for plist in incs.values() for p in plist if p.created_by is None]
    roots.sort(key=lambda p: (p.pid != INIT_PID, p.start_seq()))
    made_by = {id(p.created_by): p for plist in incs.values() for p in plist
               if p.created_by is not None}
    for root in roots:
        root.name = "init" if root.pid == INIT_PID and root is incs[INIT_PID][0] \
            else f"?pid{root.pid}@{root.start_seq()}"
        _name_subtree(root, made_by, procs, owner)
    by_pid = {pid: sorted(pl, key=Process.start_seq) for pid, pl in incs.items()}
    return ProcessTree(procs, owner, by_pid)


def _incarnations(records: list[dict[str, Any]]) -> dict[int, list[Process]]:
    """Records grouped by pid; a record after its pid's exit record starts a new process."""
    incs: dict[int, list[Process]] = {}
    ended: set[int] = set()
    for rec in records:
        pid = rec.get("pid")
        if pid is None:
            continue
        if pid not in incs or pid in ended:
            incs.setdefault(pid, []).append(Process("", pid))
            ended.discard(pid)
        incs[pid][-1].records.append(rec)
        if rec["type"] == "exit":
            ended.add(pid)
    return incs


def _creations(records: list[dict[str, Any]], creators: tuple[str, ...]) -> list[dict[str, Any]]:
    return [r for r in records if r["type"] == "syscall" and r["name"] in creators
            and type(r.get("ret")) is int and r["ret"] > 0]


def _attach_creators(incs: dict[int, list[Process]], creations: list[dict[str, Any]]) -> None:
    """The i-th creation returning pid X made the i-th process with pid X (init's excepted)."""
    used: dict[int, int] = {}
    for rec in creations:
        child = rec["ret"]
        plist = incs.setdefault(child, [])
        first = 1 if child == INIT_PID else 0
        i = first + used.get(child, 0)
        used[child] = used.get(child, 0) + 1
        if i >= len(plist):
            plist.append(Process("", child))     # created, but wrote no record
        plist[i].created_by = rec


def _name_subtree(proc: Process, made_by: dict[int, Process],
                  procs: dict[str, Process], owner: dict[int, str]) -> None:
    """Register proc, then name its children in its own creation order (pre-order).

    made_by maps id(creating record) to the child it made."""
    procs[proc.name] = proc
    for rec in proc.records:
        owner[rec["seq"]] = proc.name
    kids = [made_by[id(r)] for r in proc.records if id(r) in made_by]
    for k, kid in enumerate(kids, 1):
        kid.name = f"{proc.name}/{k}"
        kid.parent = proc.name
        proc.children.append(kid.name)
        _name_subtree(kid, made_by, procs, owner)
