"""The spawn = fork + exec equivalence (rules/equivalence/spawn-is-fork-exec.json).

Rewrites both eras into one canonical spelling, spawn_args(path, argv) = C:
- spawn(path) = C                     ->  spawn_args(path, [path]) = C
- P: fork() = C, C: execve(path, argv, envp) = 0 first
                                      ->  P: spawn_args(path, argv) = C, C: the rest
- P: fork() = C, C: execve(...) = -E, the error reported through the pipe
                                      ->  P: spawn_args(path, argv) = -E, no C
with the error pipe's events absorbed only in the exact shape the rule
describes.  Deleting a failed child shifts the names of P's later children
(P/k+1 becomes P/k), as they were numbered in the spawn era.
"""
from __future__ import annotations

import re
import struct
from typing import Any

from testkit.normalize import Event, Streams

NAME_RE = re.compile(r"init(/\d+)*\Z")


def fork_exec_as_spawn(streams: Streams, rule: dict[str, Any]) -> Streams:
    """streams with every spawn spelled as spawn_args (see the module comment)."""
    out = {proc: list(evs) for proc, evs in streams.items()}
    for proc in sorted(out, key=_depth):
        if proc in out:
            _rewrite_process(out, proc, rule)
    return out


def _depth(proc: str) -> tuple[int, str]:
    return (proc.count("/"), proc)


def _rewrite_process(streams: Streams, proc: str, rule: dict[str, Any]) -> None:
    i = 0
    while i < len(streams[proc]):
        evs = streams[proc]            # renaming after a deleted child replaces the lists
        ev = evs[i]
        if _is_call(ev, "spawn"):
            evs[i] = _spawn_args(ev.data["args"]["path"], [ev.data["args"]["path"]], ev,
                                 ev.data.get("ret"), ev.data.get("err"))
        elif _is_fork(ev, rule) and isinstance(ev.data.get("ret"), str):
            i = _rewrite_fork(streams, proc, i, rule)
        i += 1


def _rewrite_fork(streams: Streams, proc: str, i: int, rule: dict[str, Any]) -> int:
    """Rewrite the fork at evs[i] if its child starts with execve; the index to continue from."""
    evs, child = streams[proc], streams[proc][i].data["ret"]
    cevs = streams.get(child, [])
    if not cevs or not _is_call(cevs[0], "execve") or cevs[0].data["args"].get("envp") != rule["child_envp"]:
        return i
    exe = cevs[0].data
    pipe = _error_pipe(evs, i, rule["error_pipe"])
    if exe.get("ret") == 0:
        if pipe and pipe["errno"] is None:
            start, end = i - 1, pipe["end"]
        else:
            start, end = i, i + 1
        evs[start:end] = [_spawn_args(exe["args"]["path"], exe["args"]["argv"], evs[i], child)]
        streams[child] = cevs[1:]
        return start
    if not pipe or pipe["errno"] is None or not _failed_child_shape(cevs, pipe, rule["error_pipe"]):
        return i
    if not _is_reap(evs, pipe["end"], child):
        return i
    failed = _spawn_args(exe["args"]["path"], exe["args"]["argv"], evs[i], exe["ret"], exe.get("err"))
    evs[i - 1:pipe["end"] + 1] = [failed]
    _delete_child(streams, child)
    return i - 1


def _is_call(ev: Event, name: str) -> bool:
    return ev.data.get("type") == "syscall" and ev.data.get("name") == name


def _is_fork(ev: Event, rule: dict[str, Any]) -> bool:
    f = rule["fork"]
    if _is_call(ev, "fork"):
        return "fork" in f["calls"]
    return _is_call(ev, "clone") and "clone" in f["calls"] and ev.data["args"].get("flags") == f["clone_flags"]


def _spawn_args(path: Any, argv: Any, like: Event, ret: Any = None, err: Any = None) -> Event:
    data: dict[str, Any] = {"type": "syscall", "name": "spawn_args",
                            "args": {"path": path, "argv": argv},
                            "ret": like.data["ret"] if ret is None else ret}
    if err is not None:
        data["err"] = err
    return Event(data, like.seq)


def _error_pipe(evs: list[Event], i: int, spec: dict[str, Any]) -> dict[str, Any] | None:
    """The error pipe around the fork at i: {"r", "w", "errno", "end"} or None if not that exact shape."""
    if i < 1 or i + 3 >= len(evs) or not _is_call(evs[i - 1], spec["pipe_call"]):
        return None
    p = evs[i - 1].data
    fds = p["args"].get("fds")
    if p.get("ret") != 0 or p["args"].get("flags") != spec["flags"] or not isinstance(fds, list):
        return None
    r, w = fds
    close_w, rd, close_r = evs[i + 1].data, evs[i + 2].data, evs[i + 3].data
    if not (_is_call(evs[i + 1], "close") and close_w["args"].get("fd") == w and close_w.get("ret") == 0):
        return None
    if not (_is_call(evs[i + 2], "read") and rd["args"].get("fd") == r and rd["args"].get("count") == spec["errno_bytes"]):
        return None
    if not (_is_call(evs[i + 3], "close") and close_r["args"].get("fd") == r and close_r.get("ret") == 0):
        return None
    if rd.get("ret") == 0:
        return {"r": r, "w": w, "errno": None, "end": i + 4}
    if rd.get("ret") != spec["errno_bytes"]:
        return None
    raw = rd["args"]["buf"].get("data", "").encode("latin-1")
    return {"r": r, "w": w, "errno": struct.unpack("<i", raw)[0], "end": i + 4}


def _failed_child_shape(cevs: list[Event], pipe: dict[str, Any], spec: dict[str, Any]) -> bool:
    """The child did exactly: execve = -E, write(w, E), exit_group(127), and exited 127."""
    if len(cevs) != 4:
        return False
    exe, wr, ex, end = (e.data for e in cevs)
    want = struct.pack("<i", pipe["errno"]).decode("latin-1")
    return (exe.get("ret") == -pipe["errno"]
            and wr.get("name") == "write" and wr["args"].get("fd") == pipe["w"]
            and wr["args"].get("buf", {}).get("data") == want and wr.get("ret") == spec["errno_bytes"]
            and ex.get("name") == "exit_group" and ex["args"].get("status") == spec["child_exit_code"]
            and end.get("type") == "exit" and end.get("status") == spec["child_exit_code"] << 8)


def _is_reap(evs: list[Event], j: int, child: str) -> bool:
    if j >= len(evs) or not _is_call(evs[j], "wait4"):
        return False
    return evs[j].data["args"].get("pid") == child and evs[j].data.get("ret") == child


def _delete_child(streams: Streams, child: str) -> None:
    """Remove child and shift its later siblings' names down by one, everywhere."""
    del streams[child]
    parent, k = child.rsplit("/", 1)
    renames: dict[str, str] = {}
    for name in streams:
        if name.startswith(parent + "/"):
            head, _, rest = name[len(parent) + 1:].partition("/")
            if int(head) > int(k):
                renames[name] = f"{parent}/{int(head) - 1}" + (f"/{rest}" if rest else "")
    if not renames:
        return
    # All names move at once: P/10 -> P/9 must not land before P/9 -> P/8 leaves.
    renamed = {renames.get(name, name): [_rename_event(e, renames) for e in evs]
               for name, evs in streams.items()}
    streams.clear()
    streams.update(renamed)


def _rename_event(ev: Event, renames: dict[str, str]) -> Event:
    """ev with every process name in renames replaced (ret, arguments); ev itself
    when it names none of them (most events: no copy)."""
    data = ev.data
    args = data.get("args") if isinstance(data.get("args"), dict) else {}
    if not (_renamed(data.get("ret"), renames) or any(_renamed(v, renames) for v in args.values())):
        return ev
    data = dict(data)
    if _renamed(data.get("ret"), renames):
        data["ret"] = renames[data["ret"]]
    if "args" in data:
        data["args"] = {k: renames[v] if _renamed(v, renames) else v for k, v in args.items()}
    return Event(data, ev.seq)


def _renamed(v: Any, renames: dict[str, str]) -> bool:
    return isinstance(v, str) and v in renames and NAME_RE.match(v) is not None
