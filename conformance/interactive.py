"""Interactive ash sessions, typed through a terminal as a person would.

Each session (conformance/interactive.json) boots a guest whose runner
starts `/bin/busybox sh -i` on the console (conform-run --tty), waits for
the shell's prompt, types its lines one at a time (each ended by Enter,
"\\r"), and keeps what the terminal showed between one prompt and the next.
The last line must end the shell; the runner then prints its exit status.

What is compared with Linux: the prompt, each reply (terminal control
sequences and carriage returns removed: how a line is redrawn is the
terminal's business, what it says is the shell's), and the final status.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pexpect

from .compare import DIFFERS, FAILS, SAME, Verdict
from .scenarios import Scenario

SESSIONS = Path(__file__).resolve().parent / "interactive.json"
LINUX_TRANSCRIPTS = Path(__file__).resolve().parent / "linux" / "interactive.json"
FIRST_PROMPT = re.compile(r"\n[^\n]*[#$] ")
STATUS = re.compile(r"@@CONF status (exit|signal) (\d+)")
CONTROL = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\r|\x07")


@dataclass(frozen=True)
class Line:
    """One typed line; with `after`, the shell's command asks for input:
    wait until the terminal shows `after`, then type `then` (and Enter)."""
    text: str
    after: str | None = None
    then: str = ""


@dataclass(frozen=True)
class Session:
    """A named list of typed lines; blocked_by as for scenarios."""
    name: str
    what: str
    lines: tuple[Line, ...]
    blocked_by: int | None = None


@dataclass
class Transcript:
    """What a session showed: the prompt, one reply per line but the last,
    the shell's final status, or why it has none (failure)."""
    name: str
    prompt: str | None = None
    replies: list[str] = field(default_factory=list)
    status: str | None = None
    failure: str | None = None


def load(path: Path = SESSIONS) -> list[Session]:
    """The sessions, in file order.  A line is a string, or {"send": TEXT,
    "after": SHOWN, "then": TEXT} (see Line)."""
    def line(v: Any) -> Line:
        return Line(v) if isinstance(v, str) else Line(v["send"], v["after"], v["then"])
    return [Session(s["name"], s["what"], tuple(line(v) for v in s["lines"]), s.get("blocked_by"))
            for s in json.loads(path.read_text())]


def digest(session: Session) -> str:
    """sha256 of what the session types (to spot stale Linux transcripts)."""
    return hashlib.sha256(repr(session.lines).encode()).hexdigest()


def clean(text: str) -> str:
    """text without terminal control sequences and carriage returns."""
    return CONTROL.sub("", text)


def _last_line(text: str) -> str:
    return clean(text).split("\n")[-1]


def run_session(argv: list[str], session: Session, timeout: float,
                boot_timeout: float | None = None) -> Transcript:
    """Boot with argv (a guest running conform-run --tty), type the lines,
    and return the transcript; a missing prompt or status is a failure.
    The first prompt may take boot_timeout (default: timeout)."""
    t = Transcript(session.name)
    child = pexpect.spawn(argv[0], argv[1:], encoding="latin-1", timeout=timeout)
    try:
        child.expect(FIRST_PROMPT, timeout=boot_timeout or timeout)
        t.prompt = _last_line(child.before + child.after)
        for line in session.lines[:-1]:
            child.send(line.text + "\r")
            shown = ""
            if line.after is not None:
                # The typed line's own echo ends first: its text may hold
                # `after` (read -p 'name? '), which must not count as the ask.
                child.expect_exact("\n")
                echoed = child.before + "\n"
                child.expect_exact(line.after)
                shown = echoed + child.before + line.after
                child.send(line.then + "\r")
            child.expect_exact(t.prompt)
            t.replies.append(clean(shown + child.before))
        child.send(session.lines[-1].text + "\r")
        child.expect(STATUS)
        t.status = f"{child.match.group(1)} {int(child.match.group(2))}"
        child.expect(pexpect.EOF)
    except (pexpect.TIMEOUT, pexpect.EOF) as err:
        waited = "the prompt" if t.prompt is None else (
            f"a reply to line {len(t.replies) + 1}" if t.status is None else "power-off")
        tail = clean(child.before if isinstance(child.before, str) else "")[-160:]
        t.failure = f"{type(err).__name__} waiting for {waited}; console tail {tail!r}"
    finally:
        child.close(force=True)
    return t


def save(path: Path, meta: dict[str, Any], transcripts: list[Transcript],
         sessions: dict[str, Session], keep: dict[str, dict[str, Any]] | None = None) -> None:
    """Write the transcripts (with their sessions' digests) to path, with the
    records of `keep` as they are for sessions not among transcripts."""
    recs = dict(keep or {})
    recs.update({t.name: {"sha256": digest(sessions[t.name]), "prompt": t.prompt,
                          "replies": t.replies, "status": t.status, "failure": t.failure}
                 for t in transcripts})
    doc = {"meta": meta, "sessions": recs}
    path.write_text(json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


def load_transcripts(path: Path) -> dict[str, tuple[str, Transcript]]:
    """name -> (digest, transcript) from a file save() wrote."""
    recs = json.loads(path.read_text())["sessions"]
    return {n: (r["sha256"], Transcript(n, r["prompt"], list(r["replies"]), r["status"],
                                        r["failure"])) for n, r in recs.items()}


def _short(text: str | None, limit: int = 100) -> str:
    """repr of text, cut to about limit characters."""
    r = repr(text)
    return r if len(r) <= limit else r[:limit - 1] + "…"


def differences(linux: Transcript, levitate: Transcript) -> list[str]:
    """What differs between two transcripts (empty: the same)."""
    out = []
    if linux.prompt != levitate.prompt:
        out.append(f"prompt: Linux {linux.prompt!r}, Levitate {levitate.prompt!r}")
    for i, (a, b) in enumerate(zip(linux.replies, levitate.replies)):
        if a != b:
            out.append(f"reply to line {i + 1}: Linux {_short(a)}, Levitate {_short(b)}")
    if len(linux.replies) != len(levitate.replies):
        out.append(f"replies: Linux {len(linux.replies)}, Levitate {len(levitate.replies)}")
    if linux.status != levitate.status:
        out.append(f"status: Linux {linux.status}, Levitate {levitate.status}")
    return out


def judge(linux: Transcript, levitate: Transcript) -> Verdict:
    """same / differs / fails for one session, as compare.judge does for a
    scenario: fails when either side has no transcript."""
    if linux.failure:
        return Verdict(levitate.name, FAILS, f"no Linux transcript: {linux.failure}")
    if levitate.failure:
        return Verdict(levitate.name, FAILS, levitate.failure)
    diffs = differences(linux, levitate)
    return Verdict(levitate.name, DIFFERS, "; ".join(diffs)) if diffs else \
        Verdict(levitate.name, SAME)


def as_scenario(session: Session) -> Scenario:
    """The session as a table row's scenario (name, what, blocked_by)."""
    return Scenario(session.name, session.what, session.blocked_by, digest(session))
