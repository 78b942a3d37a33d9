"""Hostile userspace (docs/hostile.md): the in-guest programs of userspace/hostile/
attack the kernel; the kernel must survive, answer as documented and leak nothing.

Each program runs as the guest's only program (scripts/levitate-qemu --batch --
/usr/bin/NAME); the machine powers off with its status (252 would be a kernel
panic).  The tests check the status and the program's summary line, and hold
the counts against what they must be (the ABI table, the generated bad ELFs).
`make stress` runs the same tests with HOSTILE_FUZZ_CALLS=1000000.
Skipped when build/kernel.bin or the programs are missing.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import proctree
from conftest import REPO_ROOT
from testkit import status
from testkit.trace import load

QEMU = REPO_ROOT / "scripts" / "levitate-qemu"
USR_BIN = REPO_ROOT / "build" / "rootfs" / "usr" / "bin"
ABI_JSON = REPO_ROOT / "testkit" / "testkit" / "abi.json"
GEN_BAD_ELFS = REPO_ROOT / "scripts" / "gen_bad_elfs.py"
POINTER_KINDS = {"ptr", "cstr", "argv", "buf_in", "buf_out", "iov_in", "fds_out"}
PANIC_STATUS = status.PANIC     # scripts/levitate-qemu: README "Exit statuses"

FUZZ_CALLS = int(os.environ.get("HOSTILE_FUZZ_CALLS", "20000"))
FUZZ_SEED = os.environ.get("HOSTILE_FUZZ_SEED", "0x5eed1e55")
# One counted round after the warm-up (make stress runs 20), in a 64 MiB
# guest: memory is the only bound on processes, so half the memory proves
# the same refusal with half the forks (about 1000; 2100 in 128 MiB), and
# the fork-cost and copy-fault cases do not depend on the size.
FORKBOMB_ROUNDS = int(os.environ.get("HOSTILE_FORKBOMB_ROUNDS", "1"))
FORKBOMB_MEM = os.environ.get("HOSTILE_FORKBOMB_MEM", "64M")
CONSOLE_BYTES_PER_IOVEC = int(os.environ.get("HOSTILE_CONSOLE_BYTES", "256"))
TRACED_FUZZ_CALLS = 5000

SUMMARY_RE = re.compile(r"^(?P<prog>hostile_\w+): .*?(?P<cases>\d+) cases, (?P<survived>\d+) "
                        r"survived(?:, (?P<passed>\d+) passed)?.*freeram before "
                        r"(?P<before>\d+) after (?P<after>\d+)\s*$", re.M)


def guest(program: str, *args: str, trace: Path | None = None, timeout: float = 120.0,
          append: str = "", mem: str | None = None) -> subprocess.CompletedProcess[str]:
    """Boot with /usr/bin/PROGRAM ARGS as the only program; skip if not built.
    append: kernel command-line words (the fuzzer boots with "ro");
    mem: the guest's RAM (QEMU -m, the launcher's MEM) instead of 128M."""
    if not (REPO_ROOT / "build" / "kernel.bin").exists():
        pytest.skip("build/kernel.bin is missing: build Levitate first (make)")
    if not (USR_BIN / program).exists():
        pytest.skip(f"{USR_BIN / program} is missing: build Levitate first (make)")
    cmd = [str(QEMU), "--batch"] + (["--trace", str(trace)] if trace else [])
    cmd += ["--append", append] if append else []
    env = dict(os.environ, MEM=mem) if mem else None
    return proctree.run(cmd + ["--", f"/usr/bin/{program}", *args], capture_output=True,
                        text=True, errors="replace", timeout=timeout, cwd=REPO_ROOT, env=env)


def summary(run: subprocess.CompletedProcess[str], program: str) -> dict[str, int]:
    """The program's summary line's numbers; fails the test when it is missing."""
    out = run.stdout.replace("\r", "")
    found = [m for m in SUMMARY_RE.finditer(out) if m["prog"] == program]
    assert found, f"no summary line from {program} (status {run.returncode}):\n{out[-3000:]}"
    return {k: int(v) for k, v in found[-1].groupdict().items() if k != "prog" and v is not None}


def run_named_cases(program: str, names: tuple[str, ...]) -> str:
    """Boot PROGRAM -v: it must end clean (assert_clean), run exactly the
    cases names and report each ok.  Its output."""
    run = guest(program, "-v")
    s = assert_clean(run, program)
    out = run.stdout.replace("\r", "")
    assert s["cases"] == len(names), s
    for name in names:
        assert f"{program}: ok {name}:" in out, name
    return out


def assert_clean(run: subprocess.CompletedProcess[str], program: str) -> dict[str, int]:
    """No panic, status 0, every case survived and passed, freeram unchanged."""
    out = run.stdout.replace("\r", "")
    assert run.returncode != PANIC_STATUS, f"kernel panic:\n{out[-3000:]}"
    fails = [line for line in out.splitlines() if "FAIL" in line]
    assert run.returncode == 0 and not fails, "\n".join(fails) or out[-3000:]
    s = summary(run, program)
    assert s["cases"] > 0
    assert s["survived"] == s["cases"], s
    assert s.get("passed", s["cases"]) == s["cases"], s
    assert s["before"] == s["after"], f"freeram before {s['before']} after {s['after']}"
    return s


def pointer_args_in_table() -> tuple[int, int]:
    """(calls, pointer arguments) that hostile_pointers must cover, from abi.json:
    dispatched calls that return, with at least one pointer-kind argument."""
    calls = args = 0
    for c in json.loads(ABI_JSON.read_text())["syscalls"]:
        if c["status"] == "removed" or c["ret"] == "noreturn":
            continue
        n = sum(1 for a in c["args"] if a["kind"] in POINTER_KINDS)
        calls += n > 0
        args += n
    return calls, args


# --- the boot line --------------------------------------------------------------

@pytest.mark.qemu
def test_smep_smap_nx_umip_are_on_and_nothing_is_writable_and_executable() -> None:
    # QEMU runs with -cpu max, which has SMEP, SMAP and UMIP; NX is always set
    # up.  The kernel walks its own page tables at boot (kpage_audit).
    run = guest("hostile_kill", "-v")
    assert "cpu: SMEP on, SMAP on, NX on, UMIP on" in run.stdout, run.stdout[:500]
    assert "kpage: kernel W^X: 0 writable and executable pages" in run.stdout, run.stdout[:500]


# --- kernel entry: compat mode, flags, UMIP, x87, FS, exec path ------------------

ENTRY_CASES = ("compat_syscall_rsp0", "compat_syscall_user_stack", "compat_far_jump",
               "sysenter", "nt_flag_yield", "df_flag_write", "ac_flag_kept", "umip_sgdt",
               "umip_sidt", "umip_sldt", "umip_smsw", "umip_str", "x87_divide_by_zero",
               "fs_selector_kept", "registers_kept_getpid", "registers_kept_blocking",
               "registers_kept_signal", "registers_kept_at_user_top", "exec_long_path")


@pytest.mark.qemu
def test_kernel_entries_start_from_known_state_and_end_the_caller_not_the_kernel() -> None:
    out = run_named_cases("hostile_entry", ENTRY_CASES)
    assert "hostile_entry: UMIP yes" in out          # -cpu max: the umip_* cases must fault
    assert "hostile_entry: fork and exec still work" in out


@pytest.mark.qemu
def test_the_traced_entry_keeps_registers_too_and_records_every_call(tmp_path: Path) -> None:
    # With tracing on, SYSCALL enters syscall_entry_traced (cpu.c's choice at
    # boot), which always builds the whole frame and goes through
    # syscall_dispatch; the untraced run above takes the fast path.  Both
    # must keep every register, and traced, the calls the fast path would
    # take (getpid, kill, nanosleep, mprotect) are recorded.
    trace_path = tmp_path / "entry.jsonl"
    run = guest("hostile_entry", "-v", trace=trace_path)
    assert_clean(run, "hostile_entry")
    out = run.stdout.replace("\r", "")
    for name in ENTRY_CASES:
        assert f"hostile_entry: ok {name}:" in out, name
    trace = load(trace_path)
    assert trace.complete
    names = {r["name"] for r in trace.records if r["type"] == "syscall"}
    assert {"getpid", "kill", "nanosleep", "mprotect", "rt_sigreturn"} <= names, names


# --- the kernel's own stacks: guard pages and IST ------------------------------------

CRASHTEST_KERNEL = REPO_ROOT / "build" / "crashtest" / "kernel.bin"


@pytest.fixture(scope="module")
def crashtest_kernel() -> Path:
    """The test build with kernel/arch/x86_64/crashtest.c compiled in."""
    if not (REPO_ROOT / "build" / "kernel.bin").exists():
        pytest.skip("build/kernel.bin is missing: build Levitate first (make)")
    subprocess.run(["make", "-s", "crashtest-kernel"], cwd=REPO_ROOT, check=True,
                   capture_output=True, text=True)
    return CRASHTEST_KERNEL


@pytest.mark.qemu
@pytest.mark.parametrize("case", ["bootstack", "kstack", "badrsp"])
def test_a_broken_kernel_stack_is_a_panic_naming_the_double_fault(
        crashtest_kernel: Path, case: str) -> None:
    # Overflow into the guard page below the boot stack or a process kernel
    # stack, or an exception on an unmapped rsp: the CPU cannot push the
    # fault, so it raises #DF, which runs on its own IST stack and panics.
    # Without them QEMU resets silently (status 1, no line).
    run = proctree.run([str(QEMU), "--batch", "--kernel", str(crashtest_kernel),
                          "--append", f"crashtest={case}", "--", "/bin/true"],
                         capture_output=True, text=True, errors="replace", timeout=60,
                         cwd=REPO_ROOT)
    out = run.stdout.replace("\r", "")
    assert f"crashtest: {case}" in out, out[-2000:]
    assert run.returncode == PANIC_STATUS, (run.returncode, out[-2000:])
    assert "kernel panic: double fault (vector 8," in out, out[-2000:]


# --- mappings never replace mappings ------------------------------------------------

@pytest.mark.qemu
def test_brk_cannot_grow_over_mmap_pages_and_no_frame_is_lost() -> None:
    out = run_named_cases("hostile_vm", ("brk_over_mmap", "brk_to_mmap_base", "brk_shrink_regrow"))
    assert "hostile_vm: fork and exec still work" in out


# --- huge arguments in a traced run ---------------------------------------------------

@pytest.mark.qemu
def test_huge_arguments_still_give_one_valid_json_line_per_record(tmp_path: Path) -> None:
    trace_path = tmp_path / "huge.jsonl"
    run = guest("hostile_trace", "-v", trace=trace_path)
    assert_clean(run, "hostile_trace")
    assert "records were lost" not in run.stderr
    # jq, as a user would: every line parses on its own.
    lines = trace_path.read_bytes().splitlines()
    jq = subprocess.run(["jq", "-c", ".seq"], input=trace_path.read_bytes(),
                        capture_output=True, check=False)
    assert jq.returncode == 0, jq.stderr.decode()[:500]
    assert len(jq.stdout.splitlines()) == len(lines)
    trace = load(trace_path)        # the testkit's validation: schema, seq without a gap
    assert trace.complete
    calls = [r for r in trace.records if r["type"] == "syscall"]
    execs = [r for r in calls if r["name"] == "execve" and r["ret"] < 0]
    assert len(execs) == 2 and all(r["trunc"] and r["ret"] == -7 for r in execs)
    # After the cut, the record's structure is whole: every key, the errno name.
    assert all(set(r["args"]) == {"path", "argv", "envp"} and r["err"] == "E2BIG" for r in execs)
    opens = [r for r in calls if r["name"] == "open" and r["ret"] == -36]
    assert len(opens) == 1 and opens[0]["trunc"]
    writev = [r for r in calls if r["name"] == "writev" and r["args"]["iovcnt"] == 1024]
    assert len(writev) == 1 and writev[0]["args"]["iov"]["len"] == 1024 << 20
    assert writev[0]["args"]["iov"]["trunc"]


# --- a console writer does not stop the machine ------------------------------------

@pytest.mark.qemu
def test_a_huge_console_writev_lets_other_processes_run() -> None:
    run = guest("hostile_console", str(CONSOLE_BYTES_PER_IOVEC))
    assert_clean(run, "hostile_console")
    out = run.stdout.replace("\r", "")
    total = 1024 * CONSOLE_BYTES_PER_IOVEC
    m = re.search(r"hostile_console: ok: wrote (\d+) of (\d+), the watcher had (\d+) turns", out)
    assert m, out[-2000:]
    assert int(m[1]) == int(m[2]) == total
    # At least a turn per 16 KiB of output (about 16 ms of UART time).
    assert int(m[3]) >= total // (16 * 1024), m[0]


# --- bad pointers ---------------------------------------------------------------

@pytest.fixture(scope="module")
def pointers_run() -> subprocess.CompletedProcess[str]:
    return guest("hostile_pointers")


@pytest.mark.qemu
def test_bad_pointers_get_efault_and_the_caller_goes_on(
        pointers_run: subprocess.CompletedProcess[str]) -> None:
    s = assert_clean(pointers_run, "hostile_pointers")
    calls, args = pointer_args_in_table()
    # At least the nine common bad values per pointer argument, plus a good call each.
    assert s["cases"] >= 9 * args + calls, s


@pytest.mark.qemu
def test_bad_pointers_cover_the_whole_table(
        pointers_run: subprocess.CompletedProcess[str]) -> None:
    calls, args = pointer_args_in_table()
    line = f"hostile_pointers: {calls} calls, {args} pointer arguments (from the ABI table)"
    assert line in pointers_run.stdout.replace("\r", ""), pointers_run.stdout[-2000:]


# --- malformed ELF files ----------------------------------------------------------

def bad_elf_names() -> list[str]:
    res = subprocess.run([sys.executable, str(GEN_BAD_ELFS), "--list"], capture_output=True,
                         text=True, check=True)
    return res.stdout.split()


@pytest.mark.qemu
def test_malformed_elfs_fail_with_enoexec_and_the_caller_is_intact() -> None:
    run = guest("hostile_elf", "-v")
    s = assert_clean(run, "hostile_elf")
    names = bad_elf_names()
    out = run.stdout.replace("\r", "")
    assert f"hostile_elf: {len(names)} files," in out
    assert s["cases"] == 2 * len(names) + 1          # child, self, and the control exec
    for name in names:
        want = -12 if name == "memsz_larger_than_ram" else -8
        assert out.count(f"hostile_elf: {name}: {want} ok") == 2, name


def test_bad_elf_generator_breaks_every_file(tmp_path: Path) -> None:
    source = REPO_ROOT / "build" / "userspace" / "hostile" / "badelf_source"
    if not source.exists():
        pytest.skip(f"{source} is missing: build Levitate first (make)")
    subprocess.run([sys.executable, str(GEN_BAD_ELFS), str(source), str(tmp_path)], check=True)
    names = bad_elf_names()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)
    original = source.read_bytes()
    for name in names:
        data = (tmp_path / name).read_bytes()
        assert data != original, name
        assert len(data) <= len(original), name
    assert {"empty", "truncated_header", "bad_magic", "class32", "wrong_machine",
            "phdrs_outside_file", "kernel_segment", "filesz_gt_memsz", "overlapping_segments",
            "memsz_larger_than_ram", "entry_outside_segments"} <= set(names)


# --- fork bomb ------------------------------------------------------------------

@pytest.mark.qemu
def test_fork_bomb_is_refused_and_everything_comes_back() -> None:
    run = guest("hostile_forkbomb", str(FORKBOMB_ROUNDS), timeout=120 + 120 * FORKBOMB_ROUNDS,
                mem=FORKBOMB_MEM)
    s = assert_clean(run, "hostile_forkbomb")
    out = run.stdout.replace("\r", "")
    assert s["cases"] == FORKBOMB_ROUNDS + 2
    rounds = re.findall(r"hostile_forkbomb: processes: (\d+) forks, refused with (-\d+)", out)
    assert len(rounds) == FORKBOMB_ROUNDS
    for forks, refusal in rounds:
        # No process table: memory is the bound (about 1000 in 64 MiB).
        assert refusal in ("-11", "-12") and int(forks) >= 500, (forks, refusal)
    assert out.count("hostile_forkbomb: echo runs after the bomb") == FORKBOMB_ROUNDS
    assert "hostile_forkbomb: echo runs after the copy round" in out
    # Fork copies nothing until a write (copy-on-write): a forked child of a
    # process with 1 MiB written costs a few pages (an eager copy took 256
    # more) until it writes the 1 MiB.
    m = re.search(r"fork of a 1 MiB process: the child costs (\d+) pages, (\d+) once it wrote", out)
    assert m, out[-3000:]
    assert int(m[1]) <= 32 and int(m[2]) >= 256 + int(m[1]) - 8, m.groups()
    # Children writing shared memory run out: exactly one is killed by SIGKILL
    # in its copy fault (Linux's OOM answer), the rest and the kernel go on.
    m = re.search(r"copies: (\d+) children wrote \d+ KiB each, (\d+) killed for memory "
                  r"\(signal 9\), (\d+) ended otherwise, fork refused with (-?\d+)", out)
    assert m and int(m[1]) >= 1 and m[2] == "1" and m[3] == "0" and m[4] == "0", out[-3000:]
    assert "levitate: out of memory: killed process" in out


# --- lazy exec ------------------------------------------------------------------

@pytest.mark.qemu
def test_a_running_image_never_changes_with_its_file_and_exec_loads_nothing() -> None:
    # exec maps pages at first touch (kernel/mm/filemap.c): a probe that reads
    # its data only after its file was overwritten or unlinked must see the
    # bytes of its exec, whether the file came from the initramfs or was
    # written since boot; and exec of 1 MiB of data and .bss costs a few pages.
    out = run_named_cases("hostile_lazyexec", ("exec_cost", "copy_overwritten", "copy_unlinked",
                                               "image_overwritten"))
    pages = [int(p) for p in re.findall(r"exec of 1 MiB of data and .bss: the child costs (\d+) pages",
                                        out)]
    assert pages and max(pages) <= 64, pages


# --- faults ---------------------------------------------------------------------

@pytest.mark.qemu
def test_forbidden_user_code_is_killed_with_the_right_signal() -> None:
    run = guest("hostile_kill", "-v")
    s = assert_clean(run, "hostile_kill")
    out = run.stdout.replace("\r", "")
    assert s["cases"] >= 30
    for name in ("read_kernel_dmap", "write_kernel_text", "jump_kernel_text", "exec_stack",
                 "exec_heap", "exec_data", "priv_out_poweroff"):
        assert f"hostile_kill: ok {name}: status 0xb, want signal 11" in out, name


@pytest.mark.qemu
def test_a_huge_sendfile_lets_other_processes_run_and_a_signal_ends_it() -> None:
    # Before: 64 MiB from /dev/zero gave the watcher 2 turns, and a pipe sent
    # into itself copied all 2 GiB (seconds with every other process stopped).
    run = guest("hostile_sendfile", "-v")
    s = assert_clean(run, "hostile_sendfile")
    out = run.stdout.replace("\r", "")
    assert s["cases"] == 2
    assert "hostile_sendfile: ok zero_to_null: moved 67108864 of 67108864" in out
    assert re.search(r"hostile_sendfile: ok pipe_to_itself: moved \d+ of 2147479552, handler ran",
                     out)


# --- signal delivery -------------------------------------------------------------

SIGNAL_CASES = ("handler_runs", "handler_noncanonical_lo", "handler_noncanonical_hi",
                "handler_noncanonical_top", "handler_kernel_text", "segv_handler_bad_stack",
                "segv_handler_no_restorer", "usr1_bad_stack", "altstack_past_user_top",
                "altstack_wraps")


@pytest.mark.qemu
def test_handler_frames_that_cannot_be_built_end_the_program_not_the_kernel() -> None:
    # segv_handler_* and usr1_bad_stack hung the machine: a SIGSEGV handler
    # whose frame failed was retried for ever with interrupts off.
    run = guest("hostile_signal", "-v", timeout=60)
    s = assert_clean(run, "hostile_signal")
    out = run.stdout.replace("\r", "")
    assert s["cases"] == len(SIGNAL_CASES)
    for name in SIGNAL_CASES:
        assert re.search(rf"hostile_signal: ok {name}: ", out), name


# --- the fuzzer -----------------------------------------------------------------

@pytest.mark.qemu
def test_fuzzer_leaves_no_panic_no_child_and_no_lost_memory() -> None:
    # A read-only root: what the calls change in a writable one is state,
    # not a leak, and the exact freeram check must see only leaks.
    run = guest("hostile_fuzz", "-n", str(FUZZ_CALLS), "-s", FUZZ_SEED,
                timeout=120 + FUZZ_CALLS / 5000, append="ro")
    s = assert_clean(run, "hostile_fuzz")
    out = run.stdout.replace("\r", "")
    assert s["cases"] == FUZZ_CALLS, s
    assert f"hostile_fuzz: seed {int(FUZZ_SEED, 0):#x}," in out
    assert re.search(r"hostile_fuzz: \d+ batches, 0 killed, 0 bad exits, 0 left unreaped", out)


@pytest.mark.qemu
def test_traced_fuzz_run_has_a_valid_gap_free_trace(tmp_path: Path) -> None:
    trace_path = tmp_path / "fuzz.jsonl"
    run = guest("hostile_fuzz", "-n", str(TRACED_FUZZ_CALLS), "-s", "7", "-b", "500",
                trace=trace_path, append="ro")
    assert_clean(run, "hostile_fuzz")
    assert "records were lost" not in run.stderr
    trace = load(trace_path)        # validates every record and that seq has no gap
    assert trace.complete
    records = trace.records
    kinds = [r["type"] for r in records]
    assert "panic" not in kinds
    assert records[-1]["type"] == "halt" and records[-1]["status"] == 0
    syscalls = [r for r in records if r["type"] == "syscall"]
    assert len(syscalls) >= TRACED_FUZZ_CALLS
    unknown = [r for r in syscalls if r["name"] is None]
    assert unknown and all(r["ret"] == -38 for r in unknown)           # ENOSYS
    removed = [r for r in syscalls if r["nr"] in (1024, 1025)]
    assert removed and all(r["ret"] == -38 for r in removed)
    # Every process ended, init last (its children were reaped by the fuzzer,
    # its orphans by init, before init could end).
    started = {r["pid"] for r in syscalls}
    ended = [r["pid"] for r in records if r["type"] == "exit"]
    assert started <= set(ended) and ended[-1] == 1
