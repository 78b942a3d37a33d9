"""symbols.py: constants for rules, and arguments shown by name with the raw value beside."""
from __future__ import annotations

import pytest

from synth import FIXTURES, PIDS_A, build, sc
from testkit.abi import load_abi
from testkit.diff import compare
from testkit.normalize import Event, load_rules, normalize
from testkit.show import describe_number_change, format_event
from testkit.symbols import Symbols, UnknownConstant, resolve_constant, symbols_of
from testkit.trace import loads

ABI = load_abi()


@pytest.mark.parametrize("name,value", [
    ("AT_FDCWD", -100), ("O_RDONLY", 0), ("O_CLOEXEC", 0o2000000), ("O_LARGEFILE", 0o100000),
    ("O_ACCMODE", 3), ("F_SETFD", 2), ("F_DUPFD_CLOEXEC", 1030), ("FD_CLOEXEC", 1),
    ("SIGCHLD", 17), ("SIGKILL", 9), ("SIGSYS", 31), ("CLONE_VM", 0x100), ("MAP_ANONYMOUS", 0x20),
    ("PROT_NONE", 0), ("WNOHANG", 1), ("O_WRONLY|O_CREAT|O_TRUNC", 0o1101),
    (" O_RDONLY | O_CLOEXEC ", 0o2000000),
])
def test_resolve_constant(name: str, value: int) -> None:
    assert resolve_constant(name) == value


@pytest.mark.parametrize("name", ["O_NOPE", "", "O_RDONLY|", "o_cloexec", "17"])
def test_resolve_constant_refuses_what_no_set_names(name: str) -> None:
    with pytest.raises(UnknownConstant):
        resolve_constant(name)
    assert issubclass(UnknownConstant, ValueError)


@pytest.mark.parametrize("sym,value,shown", [
    ("open_flags", 0o100000, "O_RDONLY|O_LARGEFILE (0x8000)"),
    ("open_flags", 0o2100000, "O_RDONLY|O_LARGEFILE|O_CLOEXEC (0x88000)"),
    ("open_flags", 0o2101101, "O_WRONLY|O_CREAT|O_TRUNC|O_LARGEFILE|O_CLOEXEC (0x88241)"),
    ("open_flags", 0, "O_RDONLY (0)"),
    ("open_flags", 0x40000002, "O_RDWR|0x40000000 (0x40000002)"),   # unknown bits kept
    ("open_flags", 0o4010000, "O_RDONLY|O_SYNC (0x101000)"),        # O_SYNC holds O_DSYNC's bit
    ("at_dirfd", -100, "AT_FDCWD (-100)"),
    ("at_dirfd", 3, "3"),                                           # an fd is a number
    ("fcntl_cmd", 2, "F_SETFD (2)"),
    ("fcntl_cmd", 99, "99"),
    ("signal", 17, "SIGCHLD (17)"),
    ("clone_flags", 0x1200011, "SIGCHLD|CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID (0x1200011)"),
    ("prot", 0, "PROT_NONE (0)"),
    ("prot", 3, "PROT_READ|PROT_WRITE (0x3)"),
    ("map_flags", 0x22, "MAP_PRIVATE|MAP_ANONYMOUS (0x22)"),
    ("wait_options", 0, "0"),                                       # no name for 0
    ("fd_open_flags", 0x40, "0x40"),                                # no name applies
    ("ioctl_request", 0x5413, "TIOCGWINSZ (0x5413)"),
    ("no_such_set", 5, "5"),
])
def test_format_names_with_raw_value_beside(sym: str, value: int, shown: str) -> None:
    assert ABI.symbols.format(sym, value) == shown


@pytest.mark.parametrize("sym,a,b,said", [
    ("open_flags", 0o2101101, 0o101101, "O_WRONLY|O_CREAT|O_TRUNC|O_LARGEFILE|O_CLOEXEC (0x88241) → "
     "O_WRONLY|O_CREAT|O_TRUNC|O_LARGEFILE (0x8241): O_CLOEXEC cleared"),
    ("open_flags", 0o1101, 0o2101, "O_WRONLY|O_CREAT|O_TRUNC (0x241) → O_WRONLY|O_CREAT|O_APPEND (0x441): "
     "O_TRUNC cleared, O_APPEND set"),
    ("open_flags", 1, 2, "O_WRONLY (0x1) → O_RDWR (0x2): O_WRONLY → O_RDWR"),
    ("open_flags", 0, 0x40000000, "O_RDONLY (0) → O_RDONLY|0x40000000 (0x40000000): 0x40000000 set"),
    ("fcntl_cmd", 1, 2, "F_GETFD (1) → F_SETFD (2)"),
    ("at_dirfd", -100, 3, "AT_FDCWD (-100) → 3"),
    ("wait_options", 0, 0x40, None),                           # no name either side: the caller's words
    ("signal", 15, "init/1", None),                            # not a number
    ("fcntl_arg", 1, 0, None),                                 # a by set names nothing itself
])
def test_change_says_what_changed_by_name(sym: str, a: object, b: object, said: str | None) -> None:
    assert ABI.symbols.change(sym, a, b) == said


def test_fcntls_arg_is_named_by_its_command_in_a_diff() -> None:
    assert describe_number_change("fcntl", "arg", 1, 0, ABI, {"cmd": 2}) == "FD_CLOEXEC (0x1) → 0: FD_CLOEXEC cleared"
    assert describe_number_change("fcntl", "arg", 1, 0, ABI, {"cmd": 0}) is None     # F_DUPFD: an fd
    assert ABI.symbols.resolve("fcntl_arg", {"cmd": 2}) == "fd_flags"
    assert ABI.symbols.resolve("fcntl_arg", {}) is None and ABI.symbols.resolve("signal") == "signal"


def test_diff_names_the_flags_that_changed() -> None:
    def trace(flags: int) -> str:
        return build({"init": [sc("open", path="/etc/motd", flags=flags, mode=0, ret=3),
                               sc("exit_group", status=0), {"type": "exit", "status": 0}]}, PIDS_A)
    rules = load_rules()
    a, b = (normalize(loads(trace(f), "t"), ABI, rules) for f in (0o2100000, 0o100000))
    what = compare(a, b, rules.rewrites).divergences[0].what
    assert what == ("open argument flags: O_RDONLY|O_LARGEFILE|O_CLOEXEC (0x88000) → "
                    "O_RDONLY|O_LARGEFILE (0x8000): O_CLOEXEC cleared")


def test_a_table_without_sets_shows_numbers() -> None:
    assert Symbols().format("open_flags", 0o2000000) == "524288"
    assert symbols_of({"syscalls": []}).sets == {}
    fixture = load_abi(FIXTURES / "abi.json")
    ev = Event({"type": "syscall", "name": "open", "args": {"path": "/a", "flags": 0, "mode": 0}, "ret": 3})
    assert format_event(ev, fixture) == 'open("/a", 0, 0) = 3'


def syscall(name: str, nr: int | None, args: dict, ret: int, err: str | None = None) -> Event:
    d = {"type": "syscall", "name": name, "nr": nr, "args": args, "ret": ret}
    return Event(d | ({"err": err} if err else {}))


def test_show_openat_symbolically() -> None:
    ev = syscall("openat", 257, {"dirfd": -100, "path": "/etc/hello.txt", "flags": 0o2100000,
                                 "mode": 0}, 3)
    assert format_event(ev, ABI) == ('openat(AT_FDCWD (-100), "/etc/hello.txt", '
                                     'O_RDONLY|O_LARGEFILE|O_CLOEXEC (0x88000), 0) = 3')
    fcntl = syscall("fcntl", 72, {"fd": 3, "cmd": 2, "arg": 1}, 0)
    assert format_event(fcntl, ABI) == "fcntl(3, F_SETFD (2), FD_CLOEXEC (0x1)) = 0"
    dup = syscall("fcntl", 72, {"fd": 3, "cmd": 1030, "arg": 10}, 10)      # arg is an fd here
    assert format_event(dup, ABI) == "fcntl(3, F_DUPFD_CLOEXEC (1030), 10) = 10"
    setfl = syscall("fcntl", 72, {"fd": 3, "cmd": 4, "arg": 0o4000}, 0)
    assert format_event(setfl, ABI) == "fcntl(3, F_SETFL (4), O_NONBLOCK (0x800)) = 0"
    kill = syscall("kill", 62, {"pid": "init/1/2", "sig": 15}, 0)
    assert format_event(kill, ABI) == "kill(init/1/2, SIGTERM (15)) = 0"


def test_a_call_the_table_does_not_know_is_shown_by_its_number() -> None:
    ev = syscall(None, 999, {}, -38, "ENOSYS")          # the kernel records "name": null
    assert format_event(ev, ABI) == "syscall_999() = -1 ENOSYS"
    assert "None" not in format_event(ev, load_abi(FIXTURES / "abi.json"))


def test_diff_shows_an_unknown_call_by_its_number() -> None:
    scenario = {"init": [sc("getpid", ret=1), sc("exit_group", status=0),
                         {"type": "exit", "status": 0}]}
    unknown = {"type": "syscall", "nr": 999, "name": None, "args": {}, "ret": -38, "err": "ENOSYS"}
    with_unknown = {"init": [scenario["init"][0], unknown, *scenario["init"][1:]]}
    fixture, rules = load_abi(FIXTURES / "abi.json"), load_rules()
    a = normalize(loads(build(scenario, PIDS_A), "a"), fixture, rules)
    b = normalize(loads(build(with_unknown, PIDS_A), "b"), fixture, rules)
    res = compare(a, b, rules.rewrites)
    text = res.render(fixture)
    assert "+ [init] syscall_999() = -1 ENOSYS" in text
    assert "extra event in current: syscall_999()" in text and "None" not in text


def test_two_unknown_calls_differ_by_their_numbers() -> None:
    """name null is all the kernel knows of an unknown number: the nr must survive
    normalization, or syscall_998 and syscall_999 would compare equal."""
    def trace(nr: int) -> str:
        unknown = {"type": "syscall", "nr": nr, "name": None, "args": {}, "ret": -38, "err": "ENOSYS"}
        return build({"init": [unknown, sc("exit_group", status=0), {"type": "exit", "status": 0}]},
                     PIDS_A)
    fixture, rules = load_abi(FIXTURES / "abi.json"), load_rules()
    a, b = (normalize(loads(trace(nr), str(nr)), fixture, rules) for nr in (998, 999))
    res = compare(a, b, rules.rewrites)
    assert not res.ok
    assert "call changed: syscall_998 → syscall_999" in res.render(fixture)
    assert "- [init] syscall_998() = -1 ENOSYS" in res.render(fixture)
    assert "+ [init] syscall_999() = -1 ENOSYS" in res.render(fixture)
    assert compare(a, a, rules.rewrites).ok
