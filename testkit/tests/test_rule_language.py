"""The rule language (docs/trace-equivalence.md): each construct does what the
document says, on synthetic streams, and a malformed rule is one clear line."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO_ROOT
from testkit.diff import compare
from testkit.normalize import Event, RulesError, Streams, load_rules
from testkit.rule_engine import apply_rule
from testkit.rulelang import Rule, compile_rule

AT_FDCWD, O_CLOEXEC, F_SETFD, FD_CLOEXEC = -100, 0o2000000, 2, 1


def call(name: str, ret: Any = 0, err: str | None = None, **args: Any) -> Event:
    data: dict[str, Any] = {"type": "syscall", "name": name, "args": args, "ret": ret}
    if err:
        data["err"] = err
    return Event(data)


def rule(patterns: list[dict[str, Any]], **extra: Any) -> Rule:
    return compile_rule({"id": "t", "order": 1, "why": "test", "patterns": patterns, **extra}, "t.json")


# The open -> openat migration as data: musl's open() with O_CLOEXEC adds
# fcntl(fd, F_SETFD, FD_CLOEXEC); openat() does not.
OPEN_IS_OPENAT = [
    {"name": "cloexec",
     "match": [{"call": "open", "args": {"flags": {"bits_set": ["O_CLOEXEC"]}}, "ret": "$fd"},
               {"where": "next_on_fd", "fd": "$fd", "call": "fcntl",
                "args": {"fd": "$fd", "cmd": "F_SETFD", "arg": "FD_CLOEXEC"}, "ret": 0}],
     "emit": [{"from": 0, "call": "openat", "args": {"dirfd": "AT_FDCWD"}}]},
    {"name": "plain",
     "match": [{"call": "open", "args": {"flags": {"bits_clear": ["O_CLOEXEC"]}}}],
     "emit": [{"from": 0, "call": "openat", "args": {"dirfd": "AT_FDCWD"}}]},
]


def old_open(flags: int = O_CLOEXEC, path: str = "/etc/motd", fcntl_arg: int = FD_CLOEXEC) -> Streams:
    return {"init": [call("open", 3, path=path, flags=flags, mode=0),
                     call("getpid", ret="init"),
                     call("fcntl", 0, fd=3, cmd=F_SETFD, arg=fcntl_arg),
                     call("read", 5, fd=3, buf={"data": "hello", "len": 5}, count=64)]}


def new_openat(flags: int = O_CLOEXEC, path: str = "/etc/motd", dirfd: int = AT_FDCWD) -> Streams:
    return {"init": [call("openat", 3, dirfd=dirfd, path=path, flags=flags, mode=0),
                     call("getpid", ret="init"),
                     call("read", 5, fd=3, buf={"data": "hello", "len": 5}, count=64)]}


def same(a: Streams, b: Streams, r: Rule) -> bool:
    return compare(a, b, [r]).ok


def test_a_migration_is_data_only() -> None:
    r = rule(OPEN_IS_OPENAT)
    assert same(old_open(), new_openat(), r)
    plain_old = {"init": [call("open", 3, path="/etc/motd", flags=0, mode=0)]}
    plain_new = {"init": [call("openat", 3, dirfd=AT_FDCWD, path="/etc/motd", flags=0, mode=0)]}
    assert same(plain_old, plain_new, r)


@pytest.mark.parametrize("old,new", [
    (old_open(flags=0), new_openat(flags=0)),                       # plain open keeps its fcntl: visible
    (old_open(), new_openat(flags=0)),                              # O_CLOEXEC lost: an fd leak
    (old_open(path="/etc/hello.txt"), new_openat()),                # path changed
    (old_open(), new_openat(dirfd=5)),                              # a call through a directory fd
    (old_open(fcntl_arg=0), new_openat()),                          # another fcntl is not absorbed
])
def test_the_migration_hides_no_real_change(old: Streams, new: Streams) -> None:
    assert not same(old, new, rule(OPEN_IS_OPENAT))


def test_next_on_fd_stops_at_the_next_call_on_that_fd() -> None:
    """A close of the fd before the fcntl: the fcntl is on another open file."""
    s = old_open()
    s["init"].insert(1, call("close", 0, fd=3))
    out = apply_rule(s, rule(OPEN_IS_OPENAT[:1]))
    assert [e.data["name"] for e in out["init"]] == ["open", "close", "getpid", "fcntl", "read"]


def test_rewritten_events_keep_their_result_and_origin() -> None:
    s = {"init": [call("open", -2, err="ENOENT", path="/nope", flags=0, mode=0)]}
    out = apply_rule(s, rule(OPEN_IS_OPENAT))["init"][0]
    assert out.data == {"type": "syscall", "name": "openat", "ret": -2, "err": "ENOENT",
                        "args": {"path": "/nope", "flags": 0, "mode": 0, "dirfd": AT_FDCWD}}
    assert out.origin == (("init", s["init"][0]),) and out.rules == ("t",)


def test_argument_edits() -> None:
    r = rule([{"match": [{"call": "open", "args": {"flags": {"mask": 3, "is": 0}}}],
               "emit": [{"from": 0, "args": {"flags": {"bits_clear": ["O_CLOEXEC"], "bits_set": [0o100]},
                                             "mode": {"remove": True},
                                             "path": {"map": {"/a": "/b"}}}}]}])
    s = {"init": [call("open", 3, path="/a", flags=O_CLOEXEC | 2, mode=0),     # O_RDWR: not matched
                  call("open", 3, path="/a", flags=O_CLOEXEC, mode=0),
                  call("open", 3, path="/c", flags=0, mode=0)]}
    out = [e.data["args"] for e in apply_rule(s, r)["init"]]
    assert out == [{"path": "/a", "flags": O_CLOEXEC | 2, "mode": 0},
                   {"path": "/b", "flags": 0o100},
                   {"path": "/c", "flags": 0o100}]


def test_variables_bind_once_and_compare_after() -> None:
    r = rule([{"match": [{"call": "dup", "args": {"oldfd": "$a"}, "ret": "$b"},
                         {"call": "close", "args": {"fd": "$a"}, "ret": 0}],
               "emit": [{"from": 0, "call": "moved"}]}])
    moved = {"init": [call("dup", 4, oldfd=3), call("close", 0, fd=3)]}
    other = {"init": [call("dup", 4, oldfd=3), call("close", 0, fd=4)]}
    assert [e.data["name"] for e in apply_rule(moved, r)["init"]] == ["moved"]
    assert apply_rule(other, r) == other


def test_child_primitives_drop_first_and_delete_renumber() -> None:
    r = rule([{"match": [{"call": "fork", "ret": "$c", "child": {"first": {"call": "execve", "ret": -2}}}],
               "emit": [{"from": 0, "call": "failed"}], "child": {"delete": "$c"}}])
    s = {"init": [call("fork", "init/1"), call("fork", "init/2"), call("wait4", "init/2", pid="init/2")],
         "init/1": [call("execve", -2, err="ENOENT", path="/x")],
         "init/2": [call("execve", 0, path="/y")],
         "init/2/1": [call("getpid", "init/2/1")]}
    out = apply_rule(s, r)
    assert sorted(out) == ["init", "init/1", "init/1/1"]
    assert [e.data["ret"] for e in out["init"]] == ["init/1", "init/1", "init/1"]
    assert out["init/1/1"][0].data["ret"] == "init/1/1"


def test_order_decides_which_rule_sees_what(tmp_path: Path) -> None:
    base = load_rules().dir
    d = tmp_path / "rules"
    shutil.copytree(base, d)
    for p in (d / "equivalence").glob("*.json"):
        p.unlink()
    first = {"id": "a", "order": 2, "why": "w", "patterns": [
        {"match": [{"call": "x"}], "emit": [{"from": 0, "call": "y"}]}]}
    second = {"id": "b", "order": 1, "why": "w", "patterns": [
        {"match": [{"call": "y"}], "emit": [{"from": 0, "call": "z"}]}]}
    (d / "equivalence" / "a.json").write_text(json.dumps(first))
    (d / "equivalence" / "b.json").write_text(json.dumps(second))
    assert [r.id for r in load_rules(d).rewrites] == ["b", "a"]


def test_scope_by_golden_name() -> None:
    r = rule(OPEN_IS_OPENAT, applies_to={"goldens": ["cat_*"]})
    assert compare(old_open(), new_openat(), [r], "cat_file").ok
    d = compare(old_open(), new_openat(), [r], "ls_etc")
    assert not d.ok and d.rules == []


BAD: dict[str, tuple[Any, str]] = {
    "not an object": ([], "a rule is a JSON object"),
    "no order": ({"id": "x", "why": "w", "patterns": []}, "needs an integer 'order'"),
    "unknown member": ({"id": "x", "order": 1, "why": "w", "kind": "merge", "patterns": [{}]},
                       "unknown member 'kind'"),
    "unknown constant": ({"id": "x", "order": 1, "why": "w", "patterns": [
        {"match": [{"call": "open", "args": {"flags": "O_NOSUCH"}}], "emit": [{"from": 0}]}]},
        "unknown constant 'O_NOSUCH'"),
    "unbound variable": ({"id": "x", "order": 1, "why": "w", "patterns": [
        {"match": [{"call": "open"}], "emit": [{"from": 0, "ret": "$fd"}]}]},
        "variable $fd is used before a step binds it"),
    "absorb without context": ({"id": "x", "order": 1, "why": "w", "patterns": [
        {"match": [{"call": "getpid"}], "emit": []}]}, "absorbs an event without context"),
    "next_on_fd unbound": ({"id": "x", "order": 1, "why": "w", "patterns": [
        {"match": [{"call": "open"}, {"where": "next_on_fd", "fd": "$fd"}], "emit": []}]},
        "next_on_fd needs 'fd'"),
    "from out of range": ({"id": "x", "order": 1, "why": "w", "patterns": [
        {"match": [{"call": "open"}], "emit": [{"from": 1}]}]}, "'from' is the index"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_malformed_rule_is_one_line(case: str) -> None:
    raw, words = BAD[case]
    with pytest.raises(RulesError) as e:
        compile_rule(raw, "r.json")
    msg = str(e.value)
    assert "\n" not in msg and msg.startswith("r.json: rule ") and words in msg, msg


def test_cli_bad_rule_exits_2_with_one_line(tmp_path: Path) -> None:
    d = tmp_path / "rules"
    shutil.copytree(load_rules().dir, d)
    (d / "equivalence" / "zz.json").write_text('{"id": "zz", "order": 1, "why": "w", "patterns": []}')
    golden = REPO_ROOT / "golden" / "echo_args.jsonl"
    p = subprocess.run([sys.executable, "-m", "testkit", "--rules", str(d), "diff", str(golden), str(golden)],
                       cwd=REPO_ROOT / "testkit", capture_output=True, text=True, timeout=60)
    assert p.returncode == 2, p
    assert p.stderr.count("\n") == 1 and "Traceback" not in p.stderr
    assert p.stderr.startswith(f"testkit: {d / 'equivalence' / 'zz.json'}: rule zz: "), p.stderr


def test_a_rule_that_does_not_fit_the_data_rewrites_nothing() -> None:
    """Operands of the wrong type for what was recorded (a sum of strings, flag
    bits of a string): no rewrite, never a traceback."""
    r = rule([{"match": [{"call": "open", "args": {"path": "$p"}}, {"call": "close", "ret": "$r"}],
               "emit": [{"from": 0, "ret": {"sum": ["$p", "$r"]}, "args": {"path": {"bits_set": [1]}}}]}])
    s = {"init": [call("open", 3, path="/a", flags=0, mode=0), call("close", 0, fd=3)]}
    assert apply_rule(s, r) == s
    cond = rule([{"match": [{"call": "open", "args": {"path": "$p"}},
                            {"call": "close", "args": {"fd": {"le32": "$p"}}}], "emit": [{"from": 0}]}])
    assert apply_rule(s, cond) == s


def test_ret_one_of_not_and_comparisons() -> None:
    """$ret is the event's own result (a complete write: count = ret); one_of,
    not and ge combine."""
    r = rule([{"match": [{"call": "write", "args": {"count": "$ret", "fd": {"not": {"one_of": [0, 2]}}},
                          "ret": {"ge": 1}},
                         {"call": "write", "args": {"fd": 1}}],
               "emit": [{"from": 0, "call": "both"}]}])
    def writes(count: int, ret: int, fd: int = 1) -> Streams:
        return {"init": [call("write", ret, fd=fd, count=count), call("write", 1, fd=1, count=1)]}
    assert [e.data["name"] for e in apply_rule(writes(3, 3), r)["init"]] == ["both"]
    for s in (writes(3, 2), writes(0, 0), writes(3, 3, fd=2)):
        assert apply_rule(s, r) == s


def test_call_variable_repeat_start_process_result_from() -> None:
    """The Linux rules' constructs: a call named by a variable, a repeated step,
    the process's first event, a process glob, the result of another step."""
    again = rule([{"match": [{"call": "$c", "err": "ERESTARTSYS"}, {"call": "$c"}], "emit": [{"from": 1}]}])
    s = {"init": [call("read", err="ERESTARTSYS", ret=-512, fd=0), call("read", 3, fd=0)]}
    assert [e.data for e in apply_rule(s, again)["init"]] == [s["init"][1].data]
    other = {"init": [call("read", err="ERESTARTSYS", ret=-512, fd=0), call("write", 3, fd=0)]}
    assert apply_rule(other, again) == other
    launch = rule([{"match": [{"process": "init", "at": "start", "call": "execve", "args": {"path": "/init"}},
                              {"repeat": True, "call": ["getpid", "prctl"]},
                              {"call": "execve", "args": {"path": "/bin/init"}}],
                    "emit": [{"from": 2, "result_from": 0, "call": "launched"}]}])
    evs = [call("execve", 0, path="/init"), call("getpid", 1), call("prctl", 0), call("execve", 0, path="/bin/init"),
           call("write", 1, fd=1)]
    out = apply_rule({"init": evs, "init/1": evs}, launch)
    assert [e.data["name"] for e in out["init"]] == ["launched", "write"]
    assert out["init"][0].data["args"] == {"path": "/bin/init"} and len(out["init"][0].origin) == 4
    assert out["init/1"] == evs                                        # another process
    assert apply_rule({"init": [call("getpid", 1)] + evs}, launch)["init"][1:] == evs   # not at the start
    assert apply_rule({"init": evs[:2] + [call("getuid", 0)] + evs[2:]}, launch)["init"][0] == evs[0]


def test_absorb_anywhere_is_for_the_linux_rules_only() -> None:
    raw = {"id": "x", "order": 1, "why": "w",
           "patterns": [{"match": [{"call": "getpid"}], "emit": [], "absorb_anywhere": True}]}
    with pytest.raises(RulesError, match="absorb_anywhere is for the Linux rules"):
        compile_rule(raw, "r.json")
    s = {"init": [call("getpid", 1), call("write", 1, fd=1)]}
    assert [e.data["name"] for e in apply_rule(s, compile_rule(raw, "r.json", anywhere_ok=True))["init"]] == ["write"]
