"""The rule language's cross-process primitives (docs/trace-equivalence.md).

A rule matches in one process; these two let it reach the child a matched call
created (its ret names the child, as procs.py names processes):
- drop_first_event: the child's first event is absorbed into the rewrite
  (spawn = fork + exec: the execve becomes part of spawn_args);
- delete_child: the child goes, and its parent's later children are renumbered
  (P/k+1 becomes P/k, with their descendants, in every name that mentions them),
  as if it had never been created (a failed spawn created no process).
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from testkit.normalize import Event, Streams

NAME_RE = re.compile(r"init(/\d+)*\Z")


def drop_first_event(streams: Streams, child: str) -> Event:
    """Remove and return the first event of child (which the caller checked exists)."""
    first = streams[child][0]
    streams[child] = streams[child][1:]
    return first


def delete_child(streams: Streams, child: str) -> dict[str, str]:
    """Remove child and shift its later siblings' names down by one, everywhere;
    the renames made (old name -> new name)."""
    del streams[child]
    parent, k = child.rsplit("/", 1)
    renames: dict[str, str] = {}
    for name in streams:
        if name.startswith(parent + "/"):
            head, _, rest = name[len(parent) + 1:].partition("/")
            if head.isdigit() and int(head) > int(k):
                renames[name] = f"{parent}/{int(head) - 1}" + (f"/{rest}" if rest else "")
    if not renames:
        return renames
    # All names move at once: P/10 -> P/9 must not land before P/9 -> P/8 leaves.
    renamed = {renames.get(name, name): [_rename_event(e, renames) for e in evs]
               for name, evs in streams.items()}
    streams.clear()
    streams.update(renamed)
    return renames


def _rename_event(ev: Event, renames: dict[str, str]) -> Event:
    """ev with every process name in renames replaced (ret, arguments); ev itself
    when it names none of them (most events: no copy).  Its origin keeps the
    names of its own trace."""
    data = ev.data
    args = data.get("args") if isinstance(data.get("args"), dict) else {}
    if not (_renamed(data.get("ret"), renames) or any(_renamed(v, renames) for v in args.values())):
        return ev
    data = dict(data)
    if _renamed(data.get("ret"), renames):
        data["ret"] = renames[data["ret"]]
    if "args" in data:
        data["args"] = {k: renames[v] if _renamed(v, renames) else v for k, v in args.items()}
    return replace(ev, data=data)


def _renamed(v: Any, renames: dict[str, str]) -> bool:
    return isinstance(v, str) and v in renames and NAME_RE.match(v) is not None
