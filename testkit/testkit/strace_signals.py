"""Signals in strace's output -> trace format 3's `signal` and `sigdeliver` records,
as Levitate's kernel writes them (kernel/proc/signal.c, docs/trace-format.md).

strace shows a delivery (`--- SIGUSR1 {si_signo=10, si_code=0, si_pid=83, ...} ---`)
but not its action, and shows a sending only as the call or event that sent it.  So
this module follows each process's dispositions and blocked mask through its own
calls in the same output (rt_sigaction, rt_sigprocmask, rt_sigreturn's mask, a
handler's mask while it runs), inherited at fork/clone and reset at execve
(handlers -> default, ignored stays ignored), and derives what Levitate records:

- a `signal` record where the sender is visible, placed as the kernel writes it,
  during the sending call (before its syscall record): a kill/tkill/tgkill that
  succeeded (to every member for a group), a call that failed with EPIPE (SIGPIPE
  to itself), a child's exit (SIGCHLD, before its exit record) or stop (at
  `--- stopped by`), a SIGCONT that resumes a stopped child (SIGCHLD CLD_CONTINUED
  from the sender, before the SIGCONT itself);
- a `signal` record at the delivery line when no sender was visible: no pid for
  si_code SI_KERNEL (the terminal, a timer) or a sender outside the trace, the
  process itself for a fault (a synchronous signal with a positive si_code);
- `"ignored":true` when the target ignores it (SIG_IGN, or a default action of
  ignore or continue) and does not block it: Levitate drops it at once and writes
  no `sigdeliver`.  Under ptrace Linux reports even those (sig_ignored() is false
  for a traced task), so their `---` lines are left out;
- a `sigdeliver` for the other `---` lines, with the action the disposition gives
  (handler, ignore, or the default: terminate, core, stop, continue); a standard
  signal sent again while pending is delivered once, a real-time one each time;
- `+++ killed by SIGx +++` confirms terminate/core (a SIGKILL, never shown as a
  `---` line, gets its sigdeliver there); `--- stopped by SIGx ---` confirms a stop.

Not followed: the temporary masks of rt_sigsuspend, ppoll and pselect; calls strace
printed as raw registers (an old recording's rt_sigaction) change nothing.  Linux's
init protection does not apply: on Linux the oracle's init is not pid 1.
"""
from __future__ import annotations

import re
import signal as pysignal
from dataclasses import dataclass, field
from typing import Any, Callable

from testkit.strace_parse import Call, Event, Exit, Signal, StraceError, split_args

SIGKILL, SIGSTOP, SIGCONT, SIGCHLD, SIGPIPE = 9, 19, 18, 17, 13
NSIG = 64
SIGRTMIN = 32
SI_USER, SI_KERNEL, SI_TKILL = 0, 0x80, -6
CLD_EXITED, CLD_KILLED, CLD_DUMPED, CLD_STOPPED, CLD_CONTINUED = 1, 2, 3, 5, 6
SIG_DFL, SIG_IGN = 0, 1
SA_NOCLDSTOP, SA_NODEFER, SA_RESETHAND = 1, 0x40000000, 0x80000000
UNBLOCKABLE = (1 << (SIGKILL - 1)) | (1 << (SIGSTOP - 1))
STOP_SIGS = (19, 20, 21, 22)                              # STOP TSTP TTIN TTOU
CORE_SIGS = (3, 4, 5, 6, 7, 8, 11, 24, 25, 31)           # signal(7): Core
IGNORE_SIGS = (17, 23, 28)                               # CHLD URG WINCH
SYNC_SIGS = (4, 5, 7, 8, 11)                             # ILL TRAP BUS FPE SEGV: a fault's
FORKS = ("fork", "vfork", "clone", "clone3")
SA_NAMES = {"SA_NOCLDSTOP": 1, "SA_NOCLDWAIT": 2, "SA_SIGINFO": 4, "SA_RESTORER": 0x04000000,
            "SA_ONSTACK": 0x08000000, "SA_RESTART": 0x10000000, "SA_NODEFER": 0x40000000,
            "SA_RESETHAND": 0x80000000, "SA_INTERRUPT": 0x20000000}
SI_CODES = {"SI_USER": 0, "SI_KERNEL": 0x80, "SI_QUEUE": -1, "SI_TIMER": -2, "SI_MESGQ": -3,
            "SI_ASYNCIO": -4, "SI_SIGIO": -5, "SI_TKILL": -6, "CLD_EXITED": 1, "CLD_KILLED": 2,
            "CLD_DUMPED": 3, "CLD_TRAPPED": 4, "CLD_STOPPED": 5, "CLD_CONTINUED": 6,
            "SEGV_MAPERR": 1, "SEGV_ACCERR": 2, "BUS_ADRALN": 1, "BUS_ADRERR": 2,
            "ILL_ILLOPC": 1, "ILL_ILLOPN": 2, "FPE_INTDIV": 1, "TRAP_BRKPT": 1}


def _signal_names() -> dict[str, int]:
    """strace's signal names: the classic ones, then the kernel's real-time range
    (SIGRTMIN is 32 for the kernel and strace, 34 for Python's glibc), SIGRT_n = 32+n."""
    names = {s.name: int(s) for s in pysignal.Signals if int(s) < SIGRTMIN}
    names.update({"SIGRTMIN": SIGRTMIN, "SIGRTMAX": NSIG})
    names.update({f"SIGRT_{n}": SIGRTMIN + n for n in range(1, NSIG - SIGRTMIN + 1)})
    return names


SIGNALS = _signal_names()


def default_action(sig: int) -> str:
    """Linux's default action for sig (signal(7)), as sigdeliver names it."""
    if sig in CORE_SIGS:
        return "core"
    if sig in IGNORE_SIGS:
        return "ignore"
    if sig == SIGCONT:
        return "continue"
    return "stop" if sig in STOP_SIGS else "terminate"


def bit(sig: int) -> int:
    """sig's bit in a signal mask (signal 1 is bit 0, as the kernel's sigset)."""
    return 1 << (sig - 1)


@dataclass
class Action:
    """One signal's disposition: SIG_DFL (0), SIG_IGN (1) or a handler's address."""
    handler: int = SIG_DFL
    flags: int = 0
    mask: int = 0


@dataclass
class Proc:
    """What the kernel knows of one process that decides a signal's fate."""
    parent: int | None
    pgid: int
    actions: dict[int, Action] = field(default_factory=dict)
    blocked: int = 0
    stopped: bool = False
    dead: bool = False
    told: bool = False              # init was told of it as a zombie passed on
    status: int = 0                 # its wait status, once dead
    pending: dict[int, list[bool]] = field(default_factory=dict)   # sig -> sends' "ignored"
    last_deliver: dict[str, Any] | None = None

    def action(self, sig: int) -> Action:
        """sig's disposition; SIG_DFL until an rt_sigaction set another."""
        return self.actions.get(sig, Action())

    def inherit(self, parent: int) -> Proc:
        """A fork's child: dispositions and mask copied, nothing pending."""
        return Proc(parent, self.pgid, dict(self.actions), self.blocked)


Emit = Callable[[dict[str, Any]], None]


class SignalModel:
    """Feeds on the conversion's events in order; `emit` receives each record
    (without seq) at the place it belongs.  Pids are the trace's (already mapped)."""

    def __init__(self, emit: Emit, pid_of: Callable[[int], int], root: int = 1) -> None:
        self.emit = emit
        self.pid_of = pid_of            # a Linux pid -> the trace's
        self.root = root
        self.parents: dict[int, int] = {}    # child -> parent, from every fork-like call
        self.passed_on: set[int] = set()     # zombies whose parent's death told init of them
        self.procs: dict[int, Proc] = {}

    def learn(self, events: list[Event]) -> None:
        """Before the events: every fork-like call's child (a child's lines may come
        before its parent's `fork() = N`), and the zombies init was told of when
        their parent died (init's `--- SIGCHLD` or wait4 naming a grandchild: which
        zombies were still unreaped is not in strace's output, a wait4 that failed
        with EFAULT may have reaped one)."""
        told: set[int] = set()
        for ev in events:
            me = self.pid_of(ev.pid) if ev.pid is not None else self.root
            if isinstance(ev, Call) and ev.name in FORKS + ("wait4",) and (_result(ev) or 0) > 0:
                ret = self.pid_of(_result(ev) or 0)
                if ev.name != "wait4":
                    self.parents[ret] = me
                elif me == self.root:
                    told.add(ret)
            elif isinstance(ev, Signal) and me == self.root and ev.signame == "SIGCHLD" and not ev.stopped:
                si_pid = ev.fields().get("si_pid")
                if si_pid is not None:
                    told.add(self.pid_of(_number(ev, si_pid)))
        self.passed_on = {z for z in told if self.parents.get(z, self.root) != self.root}

    # --- processes ---------------------------------------------------------------

    def proc(self, pid: int) -> Proc:
        """pid's state, made on first sight: a copy of its parent's (the child may
        print before the parent's fork returns), or the defaults for init."""
        if pid not in self.procs:
            parent = self.parents.get(pid)
            if parent is not None and parent in self.procs:
                self.procs[pid] = self.procs[parent].inherit(parent)
            else:
                self.procs[pid] = Proc(parent, pid)
        return self.procs[pid]

    def live(self, pid: int) -> Proc | None:
        """pid's state if it is a process of the trace that has not exited."""
        p = self.procs.get(pid)
        return p if p is not None and not p.dead else None

    # --- sending -----------------------------------------------------------------

    def ignored_at_send(self, p: Proc, sig: int) -> bool:
        """kernel/proc/signal.c ignored_now: blocked signals are kept; SIG_IGN or a
        default of ignore/continue drops it."""
        if p.blocked & bit(sig) and not UNBLOCKABLE & bit(sig):
            return False
        a = p.action(sig)
        if a.handler == SIG_IGN:
            return True
        return a.handler == SIG_DFL and default_action(sig) in ("ignore", "continue")

    def send(self, sender: int | None, to: int, sig: int, code: int) -> None:
        """One signal record, as post() writes it; SIGCONT/SIGKILL resume a stopped
        target (SIGCHLD CLD_CONTINUED first), stop signals cancel a pending SIGCONT."""
        if to <= 0:
            return                       # not a process of the trace
        p = self.live(to) if to in self.procs else self.proc(to)
        if p is None:
            return                       # a zombie: post() writes nothing
        if sig in STOP_SIGS:
            p.pending.pop(SIGCONT, None)
        elif sig in (SIGCONT, SIGKILL):
            for s in STOP_SIGS:
                p.pending.pop(s, None)
            if p.stopped:
                p.stopped = False
                if sig == SIGCONT:
                    self.child_signal(to, CLD_CONTINUED, sender)
        ignored = self.ignored_at_send(p, sig)
        rec: dict[str, Any] = {"type": "signal"}
        if sender is not None and code != SI_KERNEL:
            rec["pid"] = sender
        rec.update({"to": to, "sig": sig, "code": code})
        if ignored:
            rec["ignored"] = True
        self.emit(rec)
        p.pending.setdefault(sig, []).append(ignored)

    def child_signal(self, child: int, code: int, sender: int | None) -> None:
        """SIGCHLD to child's parent (signal_child): a stop or continue only when the
        parent's SIGCHLD has no SA_NOCLDSTOP; init has no parent to tell."""
        c = self.proc(child)
        parent = self.live(c.parent) if c.parent is not None else None
        if parent is None:
            return
        if code not in (CLD_EXITED, CLD_KILLED, CLD_DUMPED) and parent.action(SIGCHLD).flags & SA_NOCLDSTOP:
            return
        self.send(sender, c.parent, SIGCHLD, code)

    def sends_of(self, call: Call, me: int) -> list[tuple[int, int, int]]:
        """(target, sig, code) of each signal a successful kill/tkill/tgkill sent."""
        a = _ints(call)
        if call.name == "kill" and len(a) >= 2:
            pid, sig = a[0], a[1]
            if pid > 0:
                targets = [self.pid_of(pid)]
            elif pid == -1:
                targets = [t for t, p in self.procs.items() if not p.dead and t not in (self.root, me)]
            else:
                group = self.pid_of(-pid) if pid else self.proc(me).pgid
                targets = [t for t, p in self.procs.items() if not p.dead and p.pgid == group]
            return [(t, sig, SI_USER) for t in targets] if sig else []
        if call.name in ("tkill", "tgkill") and len(a) >= 2:
            tid, sig = (a[0], a[1]) if call.name == "tkill" else (a[1], a[2] if len(a) > 2 else 0)
            return [(self.pid_of(tid), sig, SI_TKILL)] if sig and tid > 0 else []
        return []

    # --- the conversion's events ---------------------------------------------------

    def before_call(self, call: Call, me: int) -> None:
        """Records the call wrote before its own syscall record."""
        self.proc(me)
        if call.errname == "EPIPE":
            self.send(me, me, SIGPIPE, SI_USER)
        elif call.name in ("kill", "tkill", "tgkill") and _result(call) == 0:
            for to, sig, code in self.sends_of(call, me):
                if 1 <= sig <= NSIG:
                    self.send(me, to, sig, code)

    def after_call(self, call: Call, me: int) -> None:
        """What a successful call changed: dispositions, mask, group, exec's reset."""
        p = self.proc(me)
        if call.name == "rt_sigreturn" and call.args:      # its result is the interrupted call's
            m = re.fullmatch(r"\{mask=(.*)\}", call.args[0].strip())
            if m:
                p.blocked = _sigset(call, m.group(1)) & ~UNBLOCKABLE
            return
        ret = _result(call)
        if ret is None or ret < 0:
            return
        a = _ints(call)
        if call.name == "rt_sigaction" and len(call.args) >= 2 and a:
            act = _sigaction(call, call.args[1])
            if act is not None and 1 <= a[0] <= NSIG and a[0] not in (SIGKILL, SIGSTOP):
                p.actions[a[0]] = act
        elif call.name == "rt_sigprocmask" and len(call.args) >= 2 and a:
            p.blocked = _new_mask(call, p.blocked, a[0], call.args[1])
        elif call.name == "execve":
            p.actions = {s: act for s, act in p.actions.items() if act.handler == SIG_IGN}
        elif call.name == "wait4" and ret > 0 and me == self.root:
            self.tell_init(self.pid_of(ret))      # reaped before its parent's exit line
        elif call.name in FORKS and ret > 0 and self.pid_of(ret) not in self.procs:
            self.procs[self.pid_of(ret)] = p.inherit(me)
        elif call.name == "setsid":
            p.pgid = me
        elif call.name == "setpgid" and len(a) >= 2:
            target = self.pid_of(a[0]) if a[0] > 0 else me
            self.proc(target).pgid = self.pid_of(a[1]) if a[1] > 0 else target

    def on_signal(self, ev: Signal, me: int) -> None:
        """A `---` line: a delivery (or a ptrace-only report of an ignored signal),
        or a group-stop."""
        sig = SIGNALS.get(ev.signame)
        if sig is None:
            raise StraceError(ev.line, f"unknown signal {ev.signame}")
        p = self.proc(me)
        if ev.stopped:
            p.stopped = True
            if p.last_deliver is not None and p.last_deliver["sig"] == sig:
                p.last_deliver["action"] = "stop"
            self.child_signal(me, CLD_STOPPED, me)
            return
        sends = self.take_pending(p, sig)
        if not sends:
            self.send(self.sender(ev, me, sig), me, sig, _code(ev))
            sends = self.take_pending(p, sig)
        if all(sends):
            return                       # ignored when sent: Levitate dropped it
        self.deliver(me, p, sig)

    def take_pending(self, p: Proc, sig: int) -> list[bool]:
        """The sends one delivery answers: all of a standard signal's (they merged
        while pending), the oldest of a real-time one's."""
        sends = p.pending.get(sig, [])
        if sig >= SIGRTMIN and len(sends) > 1:
            return [sends.pop(0)]
        p.pending.pop(sig, None)
        return sends

    def sender(self, ev: Signal, me: int, sig: int) -> int | None:
        """Who sent a signal whose sending was not seen: si_pid if it names a process
        of the trace, the process itself for a fault, else nobody (terminal, timer)."""
        f = ev.fields()
        code = _code(ev)
        if code == SI_KERNEL:
            return None
        if "si_pid" in f:
            pid = self.pid_of(_number(ev, f["si_pid"]))
            return pid if pid > 0 else None
        return me if sig in SYNC_SIGS and code > 0 else None

    def deliver(self, me: int, p: Proc, sig: int) -> None:
        """The sigdeliver record, and what running a handler changes."""
        a = p.action(sig)
        if a.handler == SIG_IGN:
            action = "ignore"
        elif a.handler != SIG_DFL:
            action = "handler"
            p.blocked |= (a.mask | (0 if a.flags & SA_NODEFER else bit(sig))) & ~UNBLOCKABLE
            if a.flags & SA_RESETHAND:
                p.actions[sig] = Action()
        else:
            action = default_action(sig)
        rec = {"type": "sigdeliver", "pid": me, "sig": sig, "action": action}
        self.emit(rec)
        p.last_deliver = rec

    def on_exit(self, ev: Exit, me: int) -> None:
        """Before the exit record: the fatal delivery (confirmed or, for SIGKILL,
        written here), children passed on to init, then SIGCHLD to the parent."""
        p = self.proc(me)
        sig = ev.status & 0x7F
        if sig:
            action = "core" if default_action(sig) == "core" else "terminate"
            p.pending.pop(sig, None)
            if p.last_deliver is not None and p.last_deliver["sig"] == sig:
                p.last_deliver["action"] = action
            else:
                self.emit({"type": "sigdeliver", "pid": me, "sig": sig, "action": action})
        self.pass_on_children(me)
        self.child_signal(me, _cld_code(ev.status), me)
        p.dead, p.status = True, ev.status

    def pass_on_children(self, me: int) -> None:
        """An exiting process's children go to init (the oracle's init is the child
        subreaper); Linux tells init of each zombie among them with a SIGCHLD of its
        own (reparent_leader), sent by the exiting process."""
        for pid, q in self.procs.items():
            if q.parent == me and pid != me:
                q.parent = self.root
                self.tell_init(pid)

    def tell_init(self, zombie: int) -> None:
        """The SIGCHLD init gets for a zombie passed on to it, once, sent by the
        dying parent (the process whose exit passed it on), while that parent is
        exiting: at its exit line, or when init's wait4 reaped the zombie first."""
        z = self.procs.get(zombie)
        parent = self.parents.get(zombie)
        if z is None or not z.dead or z.told or zombie not in self.passed_on or parent is None:
            return
        if self.procs[parent].dead:
            return                       # it died after its parent: an orphan, not a zombie passed on
        z.told = True
        self.send(parent, self.root, SIGCHLD, _cld_code(z.status))


def _cld_code(status: int) -> int:
    """SIGCHLD's si_code for a child that ended with this wait status."""
    if not status & 0x7F:
        return CLD_EXITED
    return CLD_DUMPED if status & 0x80 else CLD_KILLED


def _result(call: Call) -> int | None:
    """The call's return value as a number; None when it failed or never returned."""
    if call.errname is not None or call.ret is None:
        return None
    try:
        return int(re.sub(r"<.*>$", "", call.ret), 0)
    except ValueError:
        return None


def _ints(call: Call) -> list[int]:
    """The call's leading numeric arguments, as signed 64-bit values (strace's -e raw
    prints -1 as 0xffffffffffffffff); stops at the first that is not a number."""
    out = []
    for text in call.args:
        t = re.sub(r"<.*>$", "", text.strip())
        try:
            v = int(t, 0) & ((1 << 64) - 1)
        except ValueError:
            break
        out.append(v - (1 << 64) if v >> 63 else v)
    return out


def _number(ev: Signal | Call, text: str) -> int:
    """A number strace printed (decimal, hex, or a 32-bit hex si_code) or a name."""
    t = text.strip()
    if t in SI_CODES:
        return SI_CODES[t]
    try:
        v = int(t, 0)
    except ValueError:
        raise StraceError(ev.line, f"{ev.name}: not a number: {t[:40]}") from None
    return v - (1 << 32) if t.startswith("0x") and len(t) <= 10 and v >> 31 else v


def _code(ev: Signal) -> int:
    """The delivery's si_code (strace -X raw prints -6 as 0xfffffffa)."""
    f = ev.fields()
    if "si_code" not in f:
        raise StraceError(ev.line, f"{ev.name}: siginfo without si_code")
    return _number(ev, f["si_code"])


def _sigset(call: Call, text: str) -> int:
    """strace's signal set: [10 12], [USR1 USR2], ~[KILL STOP] (all but those)."""
    t = text.strip()
    invert = t.startswith("~")
    t = t.removeprefix("~")
    if not (t.startswith("[") and t.endswith("]")):
        raise StraceError(call.line, f"{call.name}: unreadable signal set: {text[:60]}")
    mask = 0
    for word in t[1:-1].split():
        sig = int(word) if word.isdigit() else SIGNALS.get("SIG" + word, SIGNALS.get(word, 0))
        if 1 <= sig <= NSIG:
            mask |= bit(sig)
    return ~mask & ((1 << NSIG) - 1) if invert else mask


def _flags(call: Call, text: str) -> int:
    """sa_flags: a number (strace -X raw, maybe sign-extended) or SA_ names or'ed."""
    v = 0
    for part in text.split("|"):
        part = part.strip()
        v |= SA_NAMES[part] if part in SA_NAMES else _number(call, part)
    return v


def _sigaction(call: Call, text: str) -> Action | None:
    """The new disposition strace decoded ({sa_handler=..., sa_mask=[...],
    sa_flags=...}); None for NULL or an address strace did not decode."""
    t = text.strip()
    if not (t.startswith("{") and t.endswith("}")):
        return None
    f = dict(part.partition("=")[::2] for part in split_args(call.line, t[1:-1]))
    names = {"SIG_DFL": SIG_DFL, "SIG_IGN": SIG_IGN}
    h = f.get("sa_handler", "0").strip()
    handler = names[h] if h in names else _number(call, h)
    return Action(handler, _flags(call, f.get("sa_flags", "0")), _sigset(call, f.get("sa_mask", "[]")))


def _new_mask(call: Call, old: int, how: int, text: str) -> int:
    """rt_sigprocmask's result: SIG_BLOCK (0), SIG_UNBLOCK (1), SIG_SETMASK (2)."""
    t = text.strip()
    if not (t.startswith("[") or t.startswith("~[")):
        return old                       # NULL (a query) or an address strace did not read
    s = _sigset(call, t)
    new = old | s if how == 0 else old & ~s if how == 1 else s
    return new & ~UNBLOCKABLE
