"""What each trace format version could see, so that goldens recorded in an
older format keep judging newer recordings (goldens are never re-recorded to
follow the format).

- Version 1 recorded a C string (a `cstr` argument, an element of an `argv`)
  as its first 255 bytes at most.
- Version 2 records it whole.
- Version 3 adds the `signal` and `sigdeliver` records.

Comparing a v1 golden with a newer recording therefore cuts the recording's
strings to 255 bytes, and comparing a v1 or v2 golden drops the recording's
signal records: the comparison sees exactly what both could record.
"""
from __future__ import annotations

from typing import Any

from testkit.abi import Abi
from testkit.normalize import Event, Streams

V1_STRING_BYTES = 255
SIGNAL_RECORDS = ("signal", "sigdeliver")      # new in version 3


def as_format(streams: Streams, version: int, abi: Abi) -> Streams:
    """streams as a trace of format `version` would have recorded them."""
    if version < 3:
        streams = {proc: [e for e in evs if e.data.get("type") not in SIGNAL_RECORDS]
                   for proc, evs in streams.items()}
    if version >= 2:
        return streams
    return {proc: [_cut_strings(e, abi) for e in evs] for proc, evs in streams.items()}


def _cut(v: Any) -> Any:
    return v[:V1_STRING_BYTES] if isinstance(v, str) else v


def _cut_strings(ev: Event, abi: Abi) -> Event:
    if ev.data.get("type") != "syscall":
        return ev
    call = abi.call(ev.data.get("name") or "")
    if call is None:
        return ev
    args = dict(ev.data["args"])
    for name, kind in call.args:
        v = args.get(name)
        if kind == "cstr":
            args[name] = _cut(v)
        elif kind == "argv" and isinstance(v, list):
            args[name] = [_cut(x) for x in v]
    return Event(dict(ev.data, args=args), ev.seq)
