"""The strace -> JSONL converter (strace_parse.py, strace_convert.py) on real
strace 6.1 output recorded on Linux 6.1 (fixtures/strace/README.md)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from testkit.abi import Abi, check_trace, load_abi
from testkit.normalize import Rules
from testkit.procs import build_tree
from testkit.strace_convert import Conversion, convert, strace_options
from testkit.strace_parse import StraceError
from testkit.trace import Trace, load, loads

SAMPLES = Path(__file__).resolve().parent / "fixtures" / "strace"
REPO = Path(__file__).resolve().parents[2]
KERNEL = "linux 6.1.0-57-amd64"


@pytest.fixture(scope="module")
def abi() -> Abi:
    """The table the samples were recorded with (strace's options come from it)."""
    return load_abi(SAMPLES / "abi.json")


def sample(name: str) -> str:
    return (SAMPLES / f"{name}.strace").read_text(encoding="latin-1")


def conv(text: str, abi: Abi) -> Conversion:
    return convert(text, abi, KERNEL, "console=ttyS0 -- /bin/x")


@pytest.fixture(scope="module")
def sampled(abi: Abi) -> Conversion:
    return conv(sample("sample"), abi)


def calls(c: Conversion, name: str, pid: int | None = None) -> list[dict[str, Any]]:
    return [r for r in c.records if r["type"] == "syscall" and r["name"] == name
            and (pid is None or r["pid"] == pid)]


def the_program(c: Conversion) -> int:
    """pid of init's first child (the program the scenario runs)."""
    return next(r["ret"] for r in c.records if r.get("name") == "fork" and r["pid"] == 1)


def sample_abi(name: str, abi: Abi) -> Abi:
    """The table a sample was recorded with: NAME.abi.json when it was recorded
    alone (scripts/strace-samples NAME), else the samples' abi.json."""
    own = SAMPLES / f"{name}.abi.json"
    return load_abi(own) if own.exists() else abi


def test_every_sample_converts_to_a_valid_trace(abi: Abi) -> None:
    for path in sorted(SAMPLES.glob("*.strace")):
        table = sample_abi(path.stem, abi)
        c = conv(path.read_text(encoding="latin-1"), table)
        trace = loads(c.jsonl(), path.name)
        assert trace.complete and trace.version == 3, path.name
        assert [r["seq"] for r in c.records] == list(range(len(c.records)))
        unknown = {e.what.split("'")[1] for e in check_trace(trace, table)}
        assert unknown <= {"rt_sigaction", "nanosleep", "rt_sigreturn", "stat", "getuid", "prctl"}, unknown


def test_boot_record_names_linux(sampled: Conversion, abi: Abi) -> None:
    boot = sampled.records[0]
    assert boot == {"seq": 0, "type": "boot", "format": 3, "kernel": KERNEL, "abi": abi.hash,
                    "cmdline": "console=ttyS0 -- /bin/x"}


def test_cstr_buf_out_buf_in_and_iov_in(sampled: Conversion) -> None:
    prog = the_program(sampled)
    motd = "Welcome to Levitate.  Type \"help\" for the builtins and programs.\n"
    opened = calls(sampled, "open", prog)[0]
    assert opened["args"] == {"path": "/etc/motd", "flags": 0x8000, "mode": 0} and opened["ret"] == 3
    read = calls(sampled, "read", prog)[0]
    assert read["args"] == {"fd": 3, "buf": {"data": motd, "len": 65}, "count": 256}
    assert read["ret"] == 65 and "input" not in read
    write = calls(sampled, "write", prog)[0]
    assert write["args"] == {"fd": 1, "buf": {"data": motd, "len": 65}, "count": 65}
    assert calls(sampled, "writev", prog)[0]["args"] == {"fd": 1, "iov": {"data": "iovec\n", "len": 6}, "iovcnt": 2}


def test_argv_and_exec(sampled: Conversion) -> None:
    execs = calls(sampled, "execve")
    assert execs[0]["args"] == {"path": "/init", "argv": ["/init", "/bin/strace_sample"], "envp": []}
    assert execs[1]["args"] == {"path": "/bin/init", "argv": ["/bin/init", "/bin/strace_sample"], "envp": []}
    child = next(r for r in execs if r["args"]["path"] == "/bin/echo")
    assert child["args"]["argv"] == ["echo", "child"] and child["ret"] == 0


def test_fds_out_ptr_and_int_kinds(sampled: Conversion) -> None:
    prog = the_program(sampled)
    assert calls(sampled, "pipe2", prog)[0]["args"] == {"fds": [3, 4], "flags": 0x80000}
    assert calls(sampled, "pipe", prog)[0]["args"] == {"fds": [3, 4]}
    mm = calls(sampled, "mmap", prog)[1]
    assert mm["args"] == {"addr": "0x0", "length": 8192, "prot": 3, "flags": 0x22, "fd": -1, "offset": 0}
    assert mm["ret"] > 0
    ioctl = calls(sampled, "ioctl")[0]
    assert ioctl["args"]["request"] == 0x5413 and ioctl["args"]["arg"].startswith("0x7ff")
    created = calls(sampled, "open", prog)[2]
    assert created["args"] == {"path": "/big", "flags": 0x8241, "mode": 0o644}     # octal mode
    assert calls(sampled, "getcwd", prog)[0]["args"] == {"buf": {"data": "/bin\0", "len": 5}, "size": 64}
    assert calls(sampled, "dup2", prog)[0]["ret"] == 5                               # "5</dev/console>"


def test_failed_calls_have_errno(sampled: Conversion) -> None:
    prog = the_program(sampled)
    missing = calls(sampled, "open", prog)[1]
    assert missing["args"]["path"] == "/nonexistent"
    assert (missing["ret"], missing["err"]) == (-2, "ENOENT")
    bad = calls(sampled, "read", prog)[1]
    assert bad["args"] == {"fd": 99, "buf": {"len": 0}, "count": 1}
    assert (bad["ret"], bad["err"]) == (-9, "EBADF")


def test_truncated_buffer_keeps_full_length(sampled: Conversion) -> None:
    big = [r for r in calls(sampled, "write") if r["args"]["count"] == 70000][0]
    assert big["args"]["buf"] == {"data": "x" * 4096, "len": 70000, "trunc": True}
    assert big["ret"] == 70000


def test_signal_interrupted_read(sampled: Conversion) -> None:
    """`read(...) = ? ERESTARTSYS`, SIGCHLD, then rt_sigreturn returning EINTR to the program."""
    prog = the_program(sampled)
    interrupted = [r for r in calls(sampled, "read", prog) if r.get("err") == "ERESTARTSYS"]
    assert len(interrupted) == 1
    assert interrupted[0]["ret"] == -512 and interrupted[0]["args"]["buf"] == {"len": 0}
    delivered, after = sampled.records[interrupted[0]["seq"] + 1:interrupted[0]["seq"] + 3]
    assert delivered == {"seq": delivered["seq"], "type": "sigdeliver", "pid": prog, "sig": 17, "action": "handler"}
    assert (after["name"], after["nr"], after["ret"], after["err"]) == ("rt_sigreturn", 15, -4, "EINTR")
    assert {s.name for s in sampled.signals} == {"SIGCHLD", "SIGSEGV"}


def test_fork_exec_exit_and_process_tree(sampled: Conversion, abi: Abi, rules: Rules) -> None:
    tree = build_tree(loads(sampled.jsonl()), rules.creators)
    assert sorted(tree.procs) == ["init", "init/1", "init/1/1", "init/1/2", "init/1/3"]
    exits = {tree.name_at(r["pid"], r["seq"]): r["status"] for r in sampled.records if r["type"] == "exit"}
    assert exits == {"init/1/1": 0, "init/1/2": 3 << 8, "init/1/3": 11, "init/1": 7 << 8, "init": 7 << 8}
    assert sampled.records[-1] == {"seq": len(sampled.records) - 1, "type": "halt", "status": 7 << 8}


def test_pids_root_is_1_and_linux_init_is_0(sampled: Conversion) -> None:
    """strace's first process (Levitate's init) is pid 1; its parent, Linux's pid 1, reads 0."""
    assert sampled.records[1]["pid"] == 1
    assert calls(sampled, "set_tid_address", 1)[0]["ret"] == 1
    prog = the_program(sampled)
    assert calls(sampled, "getppid", prog)[0]["ret"] == 1
    assert calls(sampled, "getpid", prog)[0]["ret"] == prog


def test_unknown_calls_keep_linux_name_and_number(sampled: Conversion, abi: Abi) -> None:
    # Every call of the sample is in the table now: an unknown one, written here.
    unknown = conv('83    [ 213] epoll_create(0x1)          = 3\n', abi).records[1]
    assert (unknown["nr"], unknown["name"], unknown["args"], unknown["ret"]) == (213, "epoll_create", {"arg0": 1}, 3)
    # getuid and stat are decoded by the table's names.
    getuid = calls(sampled, "getuid")[0]
    assert (getuid["nr"], getuid["args"], getuid["ret"]) == (102, {}, 0)
    stat = calls(sampled, "stat")[0]
    assert stat["nr"] == 4 and stat["args"]["path"] == "/etc/motd"


def test_resumed_call_is_placed_where_it_returned(abi: Abi) -> None:
    """Levitate records a call when it returns: the joined call sits at its resumed line."""
    text = ('82    [  61] wait4(-1,  <unfinished ...>\n'
            '83    [  20] writev(1<\\x2f>, [{iov_base="\\x68\\x69", iov_len=2}, {iov_base=NULL, iov_len=0}], 2) = 2\n'
            '83    [ 231] exit_group(0)              = ?\n'
            '83    [ 231] +++ exited with 0 +++\n'
            '82    [  61] <... wait4 resumed>0x7ffe310313d0, 0, NULL) = 83\n')
    recs = conv(text, abi).records
    assert [(r["pid"], r.get("name", r["type"])) for r in recs[1:]] == [
        (83, "writev"), (83, "exit_group"), (83, "exit"), (1, "wait4")]
    assert recs[1]["args"]["iov"] == {"data": "hi", "len": 2}
    assert recs[4]["args"] == {"pid": -1, "wstatus": "0x7ffe310313d0", "options": 0, "rusage": "0x0"}
    assert recs[4]["ret"] == 83


def test_real_resumed_pairs_join(abi: Abi) -> None:
    text = sample("echo-hi")
    assert "resumed>" in text and "<unfinished ...>" in text
    c = conv(text, abi)
    assert not c.abandoned
    wait = calls(c, "wait4", 1)[0]
    assert wait["ret"] == the_program(c)
    assert wait["seq"] > next(r["seq"] for r in c.records if r["type"] == "exit")


def test_console_reads_are_input(abi: Abi) -> None:
    c = conv(sample("shell-echo"), abi)
    inputs = [r["args"]["buf"]["data"] for r in c.records if r.get("input")]
    assert inputs == ["echo hi\n", "exit\n"]
    assert all(r["args"]["fd"] == 0 for r in c.records if r.get("input"))


LINE = '83    [   0] read(3<\\x2f\\x62>, "\\x68\\x69", 2) = 2\n'


@pytest.mark.parametrize("text, what", [
    ('83    [   0] <... read resumed>"", 4) = 0\n', "without its unfinished start"),
    ('83    [   0] read(3, "", 4\n', "argument list is not closed"),
    ('83    [   0] read(3, "\\x68, 4) = 0\n', "unclosed string"),
    ('83    [   0] read(3, "", 4) = 0 EWHAT (x)\n', "unknown errno EWHAT"),
    ('83    garbage here\n', "not a call, exit or signal"),
    ('83    +++ exited with lots +++\n', "unreadable exit line"),
])
def test_malformed_output_names_the_line(text: str, what: str, abi: Abi) -> None:
    with pytest.raises(StraceError) as e:
        conv(LINE + text, abi)
    assert str(e.value).startswith("strace output line 2: ") and what in str(e.value)


def test_ptr_that_strace_decoded_is_an_error(abi: Abi) -> None:
    """Exactness: if strace printed a struct where Levitate records an address, say so."""
    with pytest.raises(StraceError, match="line 1: .*fstat.*statbuf.*not the address"):
        conv('83    [   5] fstat(3, {st_mode=0100644, st_size=5, ...}) = 0\n', abi)


def test_killed_process_and_core_dump_status(abi: Abi) -> None:
    text = ('82    [  57] fork()                     = 83\n'
            '83    [   0] read(0,  <unfinished ...>\n'
            '83    [   0] +++ killed by SIGKILL +++\n'
            '82    [  61] wait4(-1, 0x7ffc1, 0, NULL) = 83\n'
            '82    [  61] +++ killed by SIGABRT (core dumped) +++\n')
    c = conv(text, abi)
    assert [{k: v for k, v in r.items() if k != "seq"} for r in c.records if r["type"] == "exit"] == [
        {"type": "exit", "pid": 83, "status": 9},
        {"type": "exit", "pid": 1, "status": 6 | 0x80}]
    assert [(a.pid, a.name) for a in c.abandoned] == [(83, "read")]     # never returned: not recorded


def test_unfinished_exit_group_is_recorded_at_entry(abi: Abi) -> None:
    text = ('82    [ 231] exit_group(3 <unfinished ...>\n'
            '82    [ 231] +++ exited with 3 +++\n')
    recs = conv(text, abi).records
    assert recs[1] == {"seq": 1, "type": "syscall", "pid": 1, "nr": 231, "name": "exit_group",
                       "args": {"status": 3}}
    assert recs[2]["status"] == 3 << 8 and recs[3]["type"] == "halt"


def test_cut_c_string_marks_the_record(abi: Abi) -> None:
    text = '82    [   2] open("\\x2f\\x65"..., 0x8000) = -1 ENOENT (No such file or directory)\n'
    rec = conv(text, abi).records[1]
    assert rec["args"]["path"] == "/e" and rec["trunc"] is True


def test_options_ask_registers_or_addresses_for_pointer_arguments(abi: Abi) -> None:
    opts = strace_options(abi)
    raw = set(opts[opts.index("-e") + 1].removeprefix("raw=").split(","))
    verbose = opts[opts.index("-e") + 3]
    assert {"wait4", "fstat", "ioctl", "fcntl", "close", "mmap"} <= raw     # numbers and addresses only
    assert verbose == "-e" or verbose.startswith("verbose=!")
    named = set(opts[-1].removeprefix("verbose=!").split(","))
    assert "newfstatat" in named and not named & raw                        # a path and an address
    assert not (raw | named) & {"execve", "pipe2", "writev", "read"}        # those decode what they point to
    assert {"-f", "-xx", "-y", "-n"} <= set(opts) and opts[opts.index("-X") + 1] == "raw"


def test_raw_registers_read_as_the_kernel_records_them(abi: Abi) -> None:
    """-e raw prints registers in hex: signed kinds wrap, an argument the call ignores is kept."""
    text = ('82    [  61] wait4(0xffffffffffffffff, 0x7ffc1, 0, 0) = 0x53\n'
            '82    [  72] fcntl(0x5, 0x1, 0x63) = -1 EBADF (Bad file descriptor)\n'
            '82    [  61] wait4(0xffffffff, 0, 0, 0) = -1 ECHILD (No child processes)\n'
            '82    [9999] syscall_0x1388(0, 0, 0, 0, 0, 0) = -1 ENOSYS (Function not implemented)\n'
            '82    [   1] write(4, 0x1, 5) = -1 EFAULT (Bad address)\n')
    recs = conv(text, abi).records
    assert recs[1]["args"] == {"pid": -1, "wstatus": "0x7ffc1", "options": 0, "rusage": "0x0"}
    assert recs[1]["ret"] == 0x53
    assert recs[2]["args"] == {"fd": 5, "cmd": 1, "arg": 99}
    assert recs[3]["args"]["pid"] == 0xffffffff       # a zero-extended -1 is not -1, as on Levitate
    assert (recs[4]["name"], recs[4]["args"], recs[4]["ret"]) == (None, {}, -38)
    assert recs[5]["args"]["buf"] == {"data": "", "len": 5, "trunc": True}   # unreadable: no bytes shown


def test_an_unknown_call_number_reads_as_the_kernel_records_rax(abi: Abi) -> None:
    """syscall(-1): Levitate records rax unsigned; strace prints [-1] or only
    the name: both are 2^64 - 1 (the oracle's suite.enosys read syscall_-1)."""
    text = ('82    [  -1] syscall_0xffffffffffffffff(0, 0, 0, 0, 0, 0) = -1 ENOSYS (Function not implemented)\n'
            '82    syscall_0xffffffffffffffff(0, 0, 0, 0, 0, 0) = -1 ENOSYS (Function not implemented)\n')
    recs = conv(text, abi).records
    assert [(r["nr"], r["name"]) for r in recs[1:]] == [(2**64 - 1, None), (2**64 - 1, None)]


def test_jsonl_is_one_object_per_line(sampled: Conversion) -> None:
    lines = sampled.jsonl().splitlines()
    assert [json.loads(x)["seq"] for x in lines] == list(range(len(sampled.records)))


def test_argv_faults_as_the_kernel_records_them(abi: Abi) -> None:
    """Real line from the in-guest suite on Linux: a bad array is [], a bad element a fault."""
    text = ('82    [  59] execve(0x1, [0x1], []) = -1 EFAULT (Bad address)\n'
            '82    [  59] execve("\\x2f", ["\\x74", 0xffff800000000000], NULL) = -1 EFAULT (Bad address)\n'
            '82    [  59] execve("\\x2f", 0x10, []) = -1 EFAULT (Bad address)\n')
    recs = conv(text, abi).records
    assert recs[1]["args"] == {"path": {"fault": "0x1"}, "argv": [{"fault": "0x1"}], "envp": []}
    assert recs[2]["args"]["argv"] == ["t", {"fault": "0xffff800000000000"}] and recs[2]["args"]["envp"] == []
    assert recs[3]["args"]["argv"] == [] and recs[3]["ret"] == -14



# --- signals: format 3's signal and sigdeliver records (strace_signals.py) ---------

def sigrecs(c: Conversion) -> list[dict[str, Any]]:
    """signal/sigdeliver/exit records and kill-like calls, without seq, in order."""
    out = []
    for r in c.records:
        if r["type"] in ("signal", "sigdeliver", "exit"):
            out.append({k: v for k, v in r.items() if k != "seq"})
        elif r["type"] == "syscall" and r["name"] in ("kill", "tkill", "tgkill", "write", "rt_sigreturn"):
            out.append({"call": r["name"], "pid": r["pid"]})
    return out


HANDLER_USR1 = ('82    [  13] rt_sigaction(10, {sa_handler=0x401260, sa_mask=[], sa_flags=0x14000000, '
                'sa_restorer=0x402649}, {sa_handler=0, sa_mask=[], sa_flags=0}, 8) = 0\n')
IGNORE_USR2 = ('82    [  13] rt_sigaction(12, {sa_handler=0x1, sa_mask=[], sa_flags=0x14000000, '
               'sa_restorer=0x402649}, NULL, 8) = 0\n')


def test_kill_to_a_handler_is_sent_then_delivered(abi: Abi) -> None:
    """The signal record precedes the kill's own record (written while it runs), the
    sigdeliver follows it; si_code 0 is SI_USER."""
    text = (HANDLER_USR1 +
            '82    [  62] kill(82, 10)               = 0\n'
            '82    [  62] --- SIGUSR1 {si_signo=10, si_code=0, si_pid=82, si_uid=0} ---\n'
            '82    [  15] rt_sigreturn({mask=[]})    = 0\n')
    assert sigrecs(conv(text, abi)) == [
        {"type": "signal", "pid": 1, "to": 1, "sig": 10, "code": 0}, {"call": "kill", "pid": 1},
        {"type": "sigdeliver", "pid": 1, "sig": 10, "action": "handler"}, {"call": "rt_sigreturn", "pid": 1}]


def test_ignored_signal_reported_by_ptrace_is_dropped_at_send(abi: Abi) -> None:
    """Under ptrace Linux reports an ignored signal; Levitate drops it when sent."""
    text = (IGNORE_USR2 +
            '82    [  62] kill(82, 12)               = 0\n'
            '82    [  62] --- SIGUSR2 {si_signo=12, si_code=0, si_pid=82, si_uid=0} ---\n'
            '82    [  39] getpid()                   = 82\n')
    c = conv(text, abi)
    assert sigrecs(c) == [{"type": "signal", "pid": 1, "to": 1, "sig": 12, "code": 0, "ignored": True},
                          {"call": "kill", "pid": 1}]
    assert c.records[-1]["name"] == "getpid"
    today = conv(text, load_abi()).records[1]          # the table that knows rt_sigaction
    assert today["args"] == {"sig": 12, "act": "0xffffffffffffffff", "oldact": "0x0", "sigsetsize": 8}


FORK = '82    [  57] fork()                     = 83\n'


def test_sigchld_from_exit_ignored_by_default_handled_with_handler(abi: Abi) -> None:
    chld = ('83    [ 231] exit_group(3)              = ?\n'
            '83    [ 231] +++ exited with 3 +++\n'
            '82    [  61] --- SIGCHLD {si_signo=17, si_code=0x1, si_pid=83, si_uid=0, si_status=3, si_utime=0, si_stime=0} ---\n'
            '82    [  39] getpid()                   = 82\n')
    assert sigrecs(conv(FORK + chld, abi)) == [
        {"type": "signal", "pid": 83, "to": 1, "sig": 17, "code": 1, "ignored": True},
        {"type": "exit", "pid": 83, "status": 3 << 8}]
    handler = HANDLER_USR1.replace("(10,", "(17,")
    assert sigrecs(conv(handler + FORK + chld, abi)) == [
        {"type": "signal", "pid": 83, "to": 1, "sig": 17, "code": 1},
        {"type": "exit", "pid": 83, "status": 3 << 8},
        {"type": "sigdeliver", "pid": 1, "sig": 17, "action": "handler"}]


def test_blocked_signal_is_kept_and_ignored_at_delivery(abi: Abi) -> None:
    """A blocked signal is never dropped when sent: SIGCHLD blocked, then unblocked."""
    text = ('82    [  14] rt_sigprocmask(0, [17], NULL, 8) = 0\n' + FORK +
            '83    [ 231] exit_group(0)              = ?\n'
            '83    [ 231] +++ exited with 0 +++\n'
            '82    [  14] rt_sigprocmask(0x1, [17], NULL, 8) = 0\n'
            '82    [  14] --- SIGCHLD {si_signo=17, si_code=0x1, si_pid=83, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---\n')
    c = conv(text, abi)
    assert sigrecs(c) == [
        {"type": "signal", "pid": 83, "to": 1, "sig": 17, "code": 1},
        {"type": "exit", "pid": 83, "status": 0},
        {"type": "sigdeliver", "pid": 1, "sig": 17, "action": "ignore"}]
    assert calls(conv(text, load_abi()), "rt_sigprocmask")[0]["args"] == {
        "how": 0, "set": "0xffffffffffffffff", "oldset": "0x0", "sigsetsize": 8}


def test_fork_inherits_and_execve_resets_handlers(abi: Abi) -> None:
    """The child inherits the handler and the ignore (even printed before the
    parent's fork returns); execve resets the handler to the default, keeps the ignore."""
    text = (HANDLER_USR1 + IGNORE_USR2 +
            '82    [  57] fork( <unfinished ...>\n'
            '83    [  62] kill(83, 10)               = 0\n'
            '83    [  62] --- SIGUSR1 {si_signo=10, si_code=0, si_pid=83, si_uid=0} ---\n'
            '82    [  57] <... fork resumed>)        = 83\n'
            '83    [  59] execve("\\x2f", ["\\x2f"], []) = 0\n'
            '83    [  62] kill(83, 12)               = 0\n'
            '83    [  62] --- SIGUSR2 {si_signo=12, si_code=0, si_pid=83, si_uid=0} ---\n'
            '83    [  62] kill(83, 10)               = 0\n'
            '83    [  62] --- SIGUSR1 {si_signo=10, si_code=0, si_pid=83, si_uid=0} ---\n'
            '83    [  62] +++ killed by SIGUSR1 +++\n')
    assert [r for r in sigrecs(conv(text, abi)) if r.get("type") != "signal"] == [
        {"call": "kill", "pid": 83}, {"type": "sigdeliver", "pid": 83, "sig": 10, "action": "handler"},
        {"call": "kill", "pid": 83}, {"call": "kill", "pid": 83},
        {"type": "sigdeliver", "pid": 83, "sig": 10, "action": "terminate"},
        {"type": "exit", "pid": 83, "status": 10}]


def test_killed_child_tells_its_parent_and_sigkill_is_delivered_at_death(abi: Abi) -> None:
    """SIGKILL is never a --- line: its sigdeliver is written at +++ killed by +++,
    before SIGCHLD (CLD_KILLED) and the exit record."""
    text = (FORK +
            '83    [   0] read(0,  <unfinished ...>\n'
            '82    [  62] kill(83, 9)                = 0\n'
            '83    [   0] +++ killed by SIGKILL +++\n')
    assert sigrecs(conv(text, abi)) == [
        {"type": "signal", "pid": 1, "to": 83, "sig": 9, "code": 0}, {"call": "kill", "pid": 1},
        {"type": "sigdeliver", "pid": 83, "sig": 9, "action": "terminate"},
        {"type": "signal", "pid": 83, "to": 1, "sig": 17, "code": 2, "ignored": True},
        {"type": "exit", "pid": 83, "status": 9}]


def test_epipe_sends_sigpipe_to_the_writer(abi: Abi) -> None:
    text = ('82    [   1] write(4<\\x70>, "\\x78", 1) = -1 EPIPE (Broken pipe)\n'
            '82    [   1] --- SIGPIPE {si_signo=13, si_code=0, si_pid=82, si_uid=0} ---\n'
            '82    [   1] +++ killed by SIGPIPE +++\n')
    assert sigrecs(conv(text, abi)) == [
        {"type": "signal", "pid": 1, "to": 1, "sig": 13, "code": 0}, {"call": "write", "pid": 1},
        {"type": "sigdeliver", "pid": 1, "sig": 13, "action": "terminate"},
        {"type": "exit", "pid": 1, "status": 13}]


def test_stop_and_continue(abi: Abi) -> None:
    """tkill is SI_TKILL (strace -X raw prints -6 as 0xfffffffa); a stop tells the
    parent (CLD_STOPPED); SIGCONT to the stopped child tells it CLD_CONTINUED, from
    the sender, then is itself ignored (its default action is to continue)."""
    text = (FORK +
            '83    [ 200] tkill(83, 19)              = 0\n'
            '83    [ 200] --- SIGSTOP {si_signo=19, si_code=0xfffffffa, si_pid=83, si_uid=0} ---\n'
            '83    [ 200] --- stopped by SIGSTOP ---\n'
            '82    [  62] kill(83, 18)               = 0\n'
            '83    [ 200] --- SIGCONT {si_signo=18, si_code=0, si_pid=82, si_uid=0} ---\n'
            '82    [  61] --- SIGCHLD {si_signo=17, si_code=0x5, si_pid=83, si_uid=0, si_status=19, si_utime=0, si_stime=0} ---\n')
    assert sigrecs(conv(text, abi)) == [
        {"type": "signal", "pid": 83, "to": 83, "sig": 19, "code": -6}, {"call": "tkill", "pid": 83},
        {"type": "sigdeliver", "pid": 83, "sig": 19, "action": "stop"},
        {"type": "signal", "pid": 83, "to": 1, "sig": 17, "code": 5, "ignored": True},
        {"type": "signal", "pid": 1, "to": 1, "sig": 17, "code": 6, "ignored": True},
        {"type": "signal", "pid": 1, "to": 83, "sig": 18, "code": 0, "ignored": True},
        {"call": "kill", "pid": 1}]


def test_signals_without_a_visible_sender(abi: Abi) -> None:
    """The terminal (si_code SI_KERNEL): no pid; a fault: the process itself."""
    text = (FORK +
            '83    [   0] --- SIGINT {si_signo=2, si_code=0x80} ---\n'
            '83    [   0] +++ killed by SIGINT +++\n'
            '82    [  57] fork()                     = 84\n'
            '84    [  14] --- SIGSEGV {si_signo=11, si_code=0x1, si_addr=NULL} ---\n'
            '84    [  14] +++ killed by SIGSEGV +++\n')
    assert [r for r in sigrecs(conv(text, abi)) if r.get("to") != 1] == [
        {"type": "signal", "to": 83, "sig": 2, "code": 128},
        {"type": "sigdeliver", "pid": 83, "sig": 2, "action": "terminate"},
        {"type": "exit", "pid": 83, "status": 2},
        {"type": "signal", "pid": 84, "to": 84, "sig": 11, "code": 1},
        {"type": "sigdeliver", "pid": 84, "sig": 11, "action": "core"},
        {"type": "exit", "pid": 84, "status": 11}]


def test_group_kill_reaches_every_member(abi: Abi) -> None:
    text = ('82    [ 112] setsid()                   = 82\n' + FORK +
            '82    [  57] fork()                     = 84\n'
            '84    [ 109] setpgid(0, 0)              = 0\n'
            '82    [  62] kill(0, 15)                = 0\n')
    assert sigrecs(conv(text, abi))[:2] == [
        {"type": "signal", "pid": 1, "to": 1, "sig": 15, "code": 0},
        {"type": "signal", "pid": 1, "to": 83, "sig": 15, "code": 0}]     # not 84: its own group


@pytest.mark.parametrize("text, what", [
    ('83    [  62] --- SIGUSR1 {si_signo=10, si_code} ---\n', "unreadable siginfo field"),
    ('83    [  62] --- SIGUSR1 si_signo=10 ---\n', "unreadable siginfo"),
    ('83    [  62] --- SIGWHAT {si_signo=99, si_code=0} ---\n', "unknown signal SIGWHAT"),
    ('83    [  62] --- SIGUSR1 {si_signo=10} ---\n', "siginfo without si_code"),
    ('83    [  13] rt_sigaction(10, {sa_handler=0x1, sa_mask=17, sa_flags=0}, NULL, 8) = 0\n',
     "unreadable signal set"),
])
def test_malformed_signal_lines_name_the_line(text: str, what: str, abi: Abi) -> None:
    with pytest.raises(StraceError) as e:
        conv(LINE + text, abi)
    assert str(e.value).startswith("strace output line 2: ") and what in str(e.value)


def test_options_decode_the_signal_state_calls(abi: Abi) -> None:
    """rt_sigaction and rt_sigprocmask are printed decoded: the dispositions and
    masks are what the signal records are derived from."""
    opts = strace_options(load_abi())
    printed_raw = [o for o in opts if o.startswith("raw=") or o.startswith("verbose=!")]
    for o in printed_raw:
        assert not {"rt_sigaction", "rt_sigprocmask"} & set(o.split("=", 1)[1].lstrip("!").split(","))


def signal_story(trace: Trace, rules: Rules) -> list[tuple[Any, ...]]:
    """Each signal and sigdeliver record with its processes by canonical name."""
    tree = build_tree(trace, rules.creators)
    out = []
    for r in trace.records:
        if r["type"] not in ("signal", "sigdeliver"):
            continue
        who = tree.owner.get(r["seq"])
        to = tree.name_at(r["to"], r["seq"]) if "to" in r else None
        out.append((who, r["type"], to, r["sig"], r.get("code"), r.get("action"), r.get("ignored", False)))
    return out


def test_signals_sample_derives_what_levitate_recorded(abi: Abi, rules: Rules) -> None:
    """The session of golden/signals.jsonl (Levitate's own records of eight signal
    tests) run on Linux 6.1 under strace (the first eight tests of signals.strace):
    the converter's derived signal and sigdeliver records are Levitate's, process
    by process: handlers, SI_TKILL, SA_NODEFER/SA_RESETHAND, SIGPIPE killing and
    ignored, a SIGCHLD handler, a caught fault, SIGKILL, and every ignored SIGCHLD."""
    golden = load(REPO / "golden" / "signals.jsonl")
    linux = loads(conv(sample("signals"), sample_abi("signals", abi)).jsonl(), "signals.strace")
    tests = [f"init/1/{i}" for i in range(1, 9)]

    def story(trace: Trace) -> list[tuple[Any, ...]]:
        return [s for s in signal_story(trace, rules)
                if s[0] in tests or str(s[0]).startswith(tuple(t + "/" for t in tests))]
    assert story(linux) == story(golden)
    assert len(story(golden)) == 35


def test_signals_sample_stop_continue_and_group_kill(abi: Abi, rules: Rules) -> None:
    """Real Linux output of sig_stop_continue_wait and sig_kill_group: a kill strace
    split (the target stopped before the kill returned) sends at its start; the
    stop tells the parent, SIGCONT tells it too (from the sender); the child still
    blocks every signal (musl's fork) so SIGCONT is kept, not dropped; it was still
    pending when the SIGTERM came, and the lower number is delivered first (Linux
    and Levitate), so SIGTERM killed it before SIGCONT's delivery; kill(-pgid)
    reaches both members of the group the test made with setpgid."""
    linux = loads(conv(sample("signals"), sample_abi("signals", abi)).jsonl(), "signals.strace")
    story = signal_story(linux, rules)
    stop = [s for s in story if s[0] and s[0].startswith("init/1/9")]
    assert stop == [
        ("init/1/9", "signal", "init/1/9/1", 19, 0, None, False),
        ("init/1/9/1", "sigdeliver", None, 19, None, "stop", False),
        ("init/1/9/1", "signal", "init/1/9", 17, 5, None, True),
        ("init/1/9", "signal", "init/1/9", 17, 6, None, True),
        ("init/1/9", "signal", "init/1/9/1", 18, 0, None, False),
        ("init/1/9", "signal", "init/1/9/1", 15, 0, None, False),
        ("init/1/9/1", "sigdeliver", None, 15, None, "terminate", False),
        ("init/1/9/1", "signal", "init/1/9", 17, 2, None, True),
        ("init/1/9", "signal", "init/1", 17, 1, None, True)]
    group = [s for s in story if s[0] == "init/1/10" and s[3] == 15]
    assert group == [("init/1/10", "signal", "init/1/10/1", 15, 0, None, False),
                     ("init/1/10", "signal", "init/1/10/2", 15, 0, None, False)]


def test_real_time_signals_by_the_kernels_numbers(abi: Abi) -> None:
    """strace names real-time signals from the kernel's SIGRTMIN (32), not glibc's
    (34); two sends of a real-time signal are two deliveries (standard ones merge)."""
    text = (HANDLER_USR1.replace("(10,", "(34,") +
            '82    [  62] kill(82, 34)               = 0\n'
            '82    [  62] kill(82, 34)               = 0\n'
            '82    [  62] --- SIGRT_2 {si_signo=34, si_code=0, si_pid=82, si_uid=0} ---\n'
            '82    [  62] --- SIGRT_2 {si_signo=34, si_code=0, si_pid=82, si_uid=0} ---\n'
            '82    [  62] +++ killed by SIGRTMIN +++\n')
    recs = [r for r in sigrecs(conv(text, abi)) if "type" in r]
    assert [(r["type"], r.get("sig"), r.get("action"), r.get("status")) for r in recs] == [
        ("signal", 34, None, None), ("signal", 34, None, None),
        ("sigdeliver", 34, "handler", None), ("sigdeliver", 34, "handler", None),
        ("sigdeliver", 32, "terminate", None), ("exit", None, None, 32)]


def test_unreaped_zombie_reparented_to_init_tells_init(abi: Abi) -> None:
    """Linux's exit (reparent_leader) sends SIGCHLD to the new parent for each zombie
    child it passes on (real output: prog.test-runner's clone_flags_einval, where
    init got a --- SIGCHLD for its grandchild), sent by the exiting process; a
    reaped child is not passed on."""
    text = (FORK +
            '83    [  57] fork()                     = 84\n'
            '84    [  57] fork()                     = 85\n'
            '85    [  60] exit(0x63)                 = ?\n'
            '85    [  60] +++ exited with 99 +++\n'
            '84    [ 231] exit_group(0x1)            = ?\n'
            '84    [ 231] +++ exited with 1 +++\n'
            '83    [  61] --- SIGCHLD {si_signo=17, si_code=0x1, si_pid=84, si_uid=0, si_status=1, si_utime=0, si_stime=0} ---\n'
            '82    [  61] --- SIGCHLD {si_signo=17, si_code=0x1, si_pid=85, si_uid=0, si_status=99, si_utime=0, si_stime=0} ---\n')
    recs = [r for r in sigrecs(conv(text, abi)) if r.get("type") == "signal"]
    assert recs == [{"type": "signal", "pid": 85, "to": 84, "sig": 17, "code": 1, "ignored": True},
                    {"type": "signal", "pid": 84, "to": 1, "sig": 17, "code": 1, "ignored": True},
                    {"type": "signal", "pid": 84, "to": 83, "sig": 17, "code": 1, "ignored": True}]
    reaped = text.replace('84    [ 231] exit_group', '84    [  61] wait4(0x55, 0, 0, 0) = 0x55\n84    [ 231] exit_group')
    reaped = reaped[:reaped.rindex("82    [  61]")]
    assert len([r for r in sigrecs(conv(reaped, abi)) if r.get("type") == "signal"]) == 2


def test_orphan_tells_init_itself_and_zombie_reaped_first(abi: Abi) -> None:
    """An orphan that dies after its parent sends its own SIGCHLD to init (no
    passed-on notice); a zombie init reaps before its parent's exit line (real
    order in prog.test-runner) is told of at that wait4, sent by the dying parent."""
    orphan = (FORK +
              '83    [  57] fork()                     = 84\n'
              '83    [ 231] exit_group(0)              = ?\n'
              '83    [ 231] +++ exited with 0 +++\n'
              '84    [ 231] exit_group(0)              = ?\n'
              '84    [ 231] +++ exited with 0 +++\n'
              '82    [  61] --- SIGCHLD {si_signo=17, si_code=0x1, si_pid=84, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---\n')
    assert [r for r in sigrecs(conv(orphan, abi)) if r.get("type") == "signal"] == [
        {"type": "signal", "pid": 83, "to": 1, "sig": 17, "code": 1, "ignored": True},
        {"type": "signal", "pid": 84, "to": 1, "sig": 17, "code": 1, "ignored": True}]
    first = (FORK +
             '83    [  56] clone(0x111, 0, 0, 0, 0)   = 0x54\n'
             '84    [  60] exit(0x63)                 = ?\n'
             '84    [  60] +++ exited with 99 +++\n'
             '83    [ 231] exit_group(0x1)            = ?\n'
             '82    [  61] wait4(0xffffffffffffffff, 0, 0, 0) = 0x54\n'
             '83    [ 231] +++ exited with 1 +++\n'
             '82    [  61] --- SIGCHLD {si_signo=17, si_code=0x1, si_pid=84, si_uid=0, si_status=99, si_utime=0, si_stime=0} ---\n')
    assert [r for r in sigrecs(conv(first, abi)) if r.get("type") == "signal"] == [
        {"type": "signal", "pid": 84, "to": 83, "sig": 17, "code": 1, "ignored": True},
        {"type": "signal", "pid": 83, "to": 1, "sig": 17, "code": 1, "ignored": True},
        {"type": "signal", "pid": 83, "to": 1, "sig": 17, "code": 1, "ignored": True}]
