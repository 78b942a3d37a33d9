"""Tests of abi/symbols.tbl and the argument sets of abi/syscalls.tbl (`name:kind@SET`).

Each works on a scratch tree (gen.py --root TMP) holding a small table, a
symbols table, and a fake kernel source with #defines.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
GEN = REPO / "abi" / "gen.py"
sys.path.insert(0, str(Path(__file__).resolve().parent))
from genrun import run_gen  # noqa: E402  (gen.py's command line, in this process)

TABLE = """\
# nr | name | entry | status | ret | args | doc
2    | open   | sys_open   | active | fd  | path:cstr, flags:flags@open_flags, mode:uint | Open.
62   | kill   | sys_kill   | active | int | pid:pid, sig:int@signal | Kill.
72   | fcntl  | sys_fcntl  | active | int | fd:fd, cmd:int@fcntl_cmd, arg:uint@fcntl_arg | Fcntl.
257  | openat | sys_openat | active | fd  | dirfd:fd@at_dirfd, path:cstr, flags:flags@open_flags, mode:uint | Openat.
"""
SYMBOLS = """\
# set | style | names
at_dirfd   | enum | AT_FDCWD
open_flags | bits | O_ACCMODE(O_RDONLY O_WRONLY O_RDWR) O_CREAT O_CLOEXEC O_PATH=010000000
signal     | enum | SIGKILL SIGCHLD SIGSYS=31
clone      | bits | CSIGNAL(@signal) CLONE_VM=0x100
fd_flags   | bits | FD_CLOEXEC=1
fcntl_cmd  | enum | F_GETFD=1 F_SETFD=2
fcntl_arg  | by(cmd) | F_SETFD:fd_flags
"""
KERNEL_H = """\
#define O_ACCMODE 03
#define O_RDONLY 00
#define O_WRONLY 01
#define O_RDWR 02
#define O_CREAT 0100   /* create */
#define O_CLOEXEC 02000000
#define AT_FDCWD (-100)
"""
KERNEL_C = "#define SIGKILL 9\n#define SIGCHLD 17\n#define CSIGNAL 0xffUL\n"


def make_root(tmp: Path, table: str = TABLE, symbols: str | None = SYMBOLS,
              kernel_c: str = KERNEL_C) -> Path:
    (tmp / "abi").mkdir(parents=True, exist_ok=True)
    (tmp / "abi/syscalls.tbl").write_text(table)
    if symbols is not None:
        (tmp / "abi/symbols.tbl").write_text(symbols)
    (tmp / "kernel/fs").mkdir(parents=True, exist_ok=True)
    (tmp / "kernel/fs/fs_abi.h").write_text(KERNEL_H)
    (tmp / "kernel/proc").mkdir(parents=True, exist_ok=True)
    (tmp / "kernel/proc/signal.c").write_text(kernel_c)
    return tmp


def test_sets_reach_abi_json_with_the_kernels_values(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    res = run_gen(root)
    assert res.returncode == 0, res.stderr
    abi = json.loads((root / "testkit/testkit/abi.json").read_text())
    openat = next(r for r in abi["syscalls"] if r["name"] == "openat")
    assert openat["args"][0] == {"name": "dirfd", "kind": "fd", "sym": "at_dirfd"}
    assert openat["args"][1] == {"name": "path", "kind": "cstr"}
    sets = abi["symbols"]
    assert sets["at_dirfd"] == {"style": "enum", "names": [["AT_FDCWD", -100]]}
    assert sets["open_flags"]["names"] == [["O_CREAT", 0o100], ["O_CLOEXEC", 0o2000000],
                                           ["O_PATH", 0o10000000]]
    assert sets["open_flags"]["fields"] == [{"name": "O_ACCMODE", "mask": 3, "names": [
        ["O_RDONLY", 0], ["O_WRONLY", 1], ["O_RDWR", 2]]}]
    assert sets["signal"]["names"] == [["SIGKILL", 9], ["SIGCHLD", 17], ["SIGSYS", 31]]
    assert sets["clone"]["fields"] == [{"name": "CSIGNAL", "mask": 255, "set": "signal"}]
    assert sets["fcntl_arg"] == {"style": "by", "arg": "cmd", "cases": [["F_SETFD", "fd_flags"]]}
    md = (root / "docs/abi.md").read_text()
    assert "`dirfd: fd@at_dirfd, path: cstr, flags: flags@open_flags, mode: uint`" in md
    assert "| `signal` | enum | `SIGKILL`=9 `SIGCHLD`=17 `SIGSYS`=31 |" in md


def test_a_literal_the_kernel_came_to_define_alike_is_fine(tmp_path: Path) -> None:
    """Another branch may add the #define of a name the table gives a value: the same
    value is no error (the kernel's wins), another is."""
    root = make_root(tmp_path, kernel_c=KERNEL_C + "#define SIGSYS 31\n")
    res = run_gen(root)
    assert res.returncode == 0, res.stderr


def test_a_kernel_value_change_makes_abi_json_stale(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    assert run_gen(root).returncode == 0
    (root / "kernel/proc/signal.c").write_text(KERNEL_C.replace("17", "20"))
    res = run_gen(root, "--check")
    assert res.returncode == 1 and "stale: testkit/testkit/abi.json" in res.stderr


def symbols_edit(old: str, new: str, message: str) -> tuple[str, str, str, str]:
    """A bad case that only edits the symbols table."""
    return TABLE, SYMBOLS.replace(old, new), KERNEL_C, message


BAD = [
    # (table, symbols, kernel .c, message)
    (TABLE.replace("@signal", "@signals"), SYMBOLS, KERNEL_C,
     "abi/syscalls.tbl:3: argument 'sig': no symbol set 'signals' in abi/symbols.tbl"),
    (TABLE.replace("path:cstr, flags", "path:cstr@signal, flags", 1), SYMBOLS, KERNEL_C,
     "abi/syscalls.tbl:2: argument 'path': @signal needs a set name and a kind of"),
    (TABLE.replace("sig:int@signal", "sig:int@"), SYMBOLS, KERNEL_C,
     "abi/syscalls.tbl:3: argument 'sig': @ needs a set name"),
    (TABLE, None, KERNEL_C, "abi/syscalls.tbl:2: argument 'flags': no symbol set 'open_flags'"),
    symbols_edit("SIGSYS=31", "SIGSYS",
                 "abi/symbols.tbl:4: SIGSYS: the kernel defines no such name; give NAME=VALUE"),
    symbols_edit("SIGKILL", "SIGKILL=8",
                 "abi/symbols.tbl:4: SIGKILL=8: the kernel defines SIGKILL otherwise (kernel/proc/signal.c)"),
    symbols_edit("SIGSYS=31", "SIGSYS=3x",
                 "abi/symbols.tbl:4: SIGSYS=3x: not an integer literal"),
    (TABLE, SYMBOLS, KERNEL_C + "#define SIGCHLD 20\n",
     "abi/symbols.tbl:4: SIGCHLD: the kernel defines it with different values"),
    (TABLE, SYMBOLS, KERNEL_C + "#define SIGKILL (1 << 3)\n",
     "abi/symbols.tbl:4: SIGKILL: the kernel's #define is not an integer literal"),
    (TABLE, SYMBOLS + "more | enum | SIGKILL=9\n".replace("SIGKILL=9", "O_PATH=1"), KERNEL_C,
     "abi/symbols.tbl:9: O_PATH is 0x1 here, 0x200000 in set 'open_flags'"),
    symbols_edit("O_RDWR)", "O_RDWR O_CREAT)",
                 "abi/symbols.tbl:3: O_CREAT (0x40) has bits outside its field O_ACCMODE (0x3)"),
    symbols_edit("(@signal)", "(@signals)",
                 "abi/symbols.tbl:5: CSIGNAL(@signals): no set 'signals'"),
    symbols_edit("signal     | enum", "signal     | list",
                 "abi/symbols.tbl:4: unknown style 'list'"),
    symbols_edit("signal     | enum |", "signal     | enum",
                 "abi/symbols.tbl:4: expected 3 '|'-separated columns"),
    (TABLE, SYMBOLS + "at_dirfd | enum | AT_FDCWD\n", KERNEL_C, "abi/symbols.tbl:9: duplicate set 'at_dirfd'"),
    symbols_edit("F_SETFD:fd_flags", "F_SETFD:fd_flag", "abi/symbols.tbl:8: F_SETFD:fd_flag: no bits or enum set 'fd_flag'"),
    symbols_edit("F_SETFD:fd_flags", "F_SETFL:fd_flags", "abi/symbols.tbl:8: F_SETFL:fd_flags: no set names F_SETFL"),
    symbols_edit("F_SETFD:fd_flags", "F_SETFD=fd_flags", "abi/symbols.tbl:8: by(cmd): 'F_SETFD=fd_flags' is not VALUE_NAME:set"),
    (TABLE.replace("arg:uint@fcntl_arg", "arg:uint@fcntl_arg, how:int@fcntl_arg").replace("cmd:int@fcntl_cmd", "command:int@fcntl_cmd"),
     SYMBOLS, KERNEL_C, "abi/syscalls.tbl:4: argument 'arg': set 'fcntl_arg' depends on 'cmd', not another argument of fcntl"),
    symbols_edit("SIGKILL SIGCHLD", "SIGKILL(SIGCHLD)",
                 "abi/symbols.tbl:4: SIGKILL(...): fields belong to bits sets only"),
]


@pytest.mark.parametrize("table,symbols,kernel_c,message", BAD, ids=[b[3][:60] for b in BAD])
def test_bad_symbols_are_reported_with_their_line(tmp_path: Path, table: str, symbols: str | None,
                                                  kernel_c: str, message: str) -> None:
    root = make_root(tmp_path, table, symbols, kernel_c)
    res = run_gen(root)
    assert res.returncode == 2, res.stderr
    assert message in res.stderr, res.stderr
    assert re.fullmatch(r"(abi/(syscalls|symbols)\.tbl:\d+: .+\n)+", res.stderr), res.stderr
    assert not (root / "testkit").exists()


def test_the_real_sets_match_musl(tmp_path: Path) -> None:
    """Every name of abi/symbols.tbl that musl's headers define has musl's value:
    what the testkit calls O_CLOEXEC is what a userspace program passes."""
    if subprocess.run(["sh", "-c", "command -v musl-gcc"], capture_output=True).returncode:
        pytest.skip("musl-gcc is not installed")
    sets = json.loads((REPO / "testkit/testkit/abi.json").read_text())["symbols"]
    names = {}
    for s in sets.values():
        pairs = s.get("names", []) + [p for f in s.get("fields", []) for p in [[f["name"], f["mask"]]]
                              + f.get("names", [])]
        names.update({n: v for n, v in pairs})
    checks = "".join(f'#ifdef {n}\n\tprintf("{n} %lld\\n", (long long)({n}));\n#endif\n'
                     for n in sorted(names))
    src = tmp_path / "names.c"
    src.write_text("#define _GNU_SOURCE\n" + "".join(f"#include <{h}>\n" for h in (
        "stdio.h", "fcntl.h", "signal.h", "sched.h", "unistd.h", "time.h", "sys/mman.h",
        "sys/wait.h", "sys/ioctl.h", "sys/time.h", "sys/resource.h", "sys/random.h",
        "sys/prctl.h")) + "int main(void)\n{\n" + checks + "\treturn 0;\n}\n")
    cc = subprocess.run(["musl-gcc", "-static", "-o", str(tmp_path / "names"), str(src)],
                        capture_output=True, text=True)
    assert cc.returncode == 0, cc.stderr
    out = subprocess.run([str(tmp_path / "names")], capture_output=True, text=True, check=True).stdout
    musl = {n: int(v) for n, v in (line.split() for line in out.splitlines())}
    assert len(musl) > 100                                    # the check covers most names
    # musl's O_ACCMODE also holds O_PATH's bit (its O_SEARCH/O_EXEC are O_PATH);
    # the kernel's, Linux's, is 03: the access mode bits alone.
    assert musl.pop("O_ACCMODE") == 3 | names["O_PATH"]
    wrong = {n: (names[n], musl[n]) for n in musl if names[n] != musl[n]}
    assert not wrong, wrong
