"""The workload rows of make bench (scripts/bench_workload.py): parsing the
guest's lines, the generated data, the Linux peer's tree, the output check,
and one small boot proving BusyBox's ash, sort and gzip run on Levitate and
give what the same BusyBox gives on the host.

No timing is asserted: only parsing, archives and outputs.
"""
from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

from conftest import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "scripts"))

import bench_workload as bw  # noqa: E402
from bench_cpio import encode_archive  # noqa: E402
from bench_qemu import Machine  # noqa: E402
from test_bench import read_newc  # noqa: E402

CONSOLE = ("kpage: kernel W^X: 0 writable and executable pages\r\n"
           "WORKLOAD start\r\n"
           "WORKLOAD ash_true 2500000000 0\r\n"
           "WORKLOAD sort 1500000000 0\r\n"
           "WORKLOAD gzip 3000000000 0\r\n"
           "WORKLOAD ash_true 2700000000 0\r\n"
           "CHECK sort 0123456789abcdef0123456789abcdef  -\r\n"
           "CHECK gzip fedcba9876543210fedcba9876543210  -\r\n"
           "WORKLOAD end\r\n"
           "WORKLOAD script status 0\r\n"
           "[   31.1] reboot: Power down\r\n")


def test_parse_output_runs_and_checks() -> None:
    res = bw.parse_output(CONSOLE)
    assert res.samples == {"ash_true": [2.5, 2.7], "sort": [1.5], "gzip": [3.0]}
    assert res.checks == {"sort": "0123456789abcdef0123456789abcdef",
                          "gzip": "fedcba9876543210fedcba9876543210"}
    assert res.failures == []


def test_parse_output_failed_run_and_unfinished_script() -> None:
    res = bw.parse_output("WORKLOAD start\nWORKLOAD sort 1000 256\nWORKLOAD gzip 5000 0\n")
    assert res.samples == {"gzip": [5e-06]}
    assert res.failures == ["sort exited with wait status 256",
                            "the script did not finish (no 'WORKLOAD end')"]


def test_merge_fails_a_wrong_or_missing_output() -> None:
    good = bw.parse_output(CONSOLE)
    expected = dict(good.checks)
    assert bw.merge([good, good], expected).failures == []
    assert bw.merge([good, good], expected).samples["ash_true"] == [2.5, 2.7, 2.5, 2.7]
    wrong = dict(expected, gzip="0" * 32)
    assert [f.split(":")[0] for f in bw.merge([good], wrong).failures] == ["gzip"]
    missing = bw.parse_output(CONSOLE.replace("CHECK sort", "CHECK other"))
    assert [f.split(":")[0] for f in bw.merge([missing], expected).failures] == ["sort"]


def test_make_data_is_deterministic_whole_lines() -> None:
    data = bw.make_data(100_000)
    assert data == bw.make_data(100_000) and data != bw.make_data(100_000, seed=7)
    assert 100_000 <= len(data) < 100_200 and data.endswith(b"\n")
    lines = data.split(b"\n")[:-1]
    assert all(line.rsplit(b" ", 1)[1].isdigit() for line in lines)
    assert len(set(lines)) > len(lines) // 2      # not one line repeated


def test_run_script_runs_every_workload_each_round() -> None:
    script = bw.run_script(bw.Params(data_bytes=1, loop=1000, rounds=3))
    assert "while [ $r -lt 3 ]" in script and "while [ $i -lt 1000 ]" in script
    for name, _, _ in bw.WORKLOADS:
        assert f" {name} /bin/busybox " in script
    assert script.rstrip().endswith('echo "WORKLOAD end"')


def test_linux_tree_has_init_console_tmp_and_the_files() -> None:
    files = {"bin/busybox": (b"BB", 0o755), "bin/wltime": (b"\x7fELFwl", 0o755),
             bw.SCRIPT_PATH: (b"echo hi\n", 0o644), bw.DATA_PATH: (b"x 1\n", 0o644)}
    got = {name: (mode, major, minor, body)
           for name, mode, major, minor, body in read_newc(encode_archive(bw.linux_entries(files)))}
    assert got["init"][3] == b"\x7fELFwl" and stat.S_ISREG(got["init"][0])
    assert stat.S_ISCHR(got["dev/console"][0]) and got["dev/console"][1:3] == (5, 1)
    assert stat.S_ISDIR(got["tmp"][0]) and stat.S_IMODE(got["tmp"][0]) == 0o1777
    assert got[bw.DATA_PATH][3] == b"x 1\n" and stat.S_IMODE(got["bin/busybox"][0]) == 0o755


@pytest.mark.qemu
def test_workload_runs_on_levitate_and_matches_host_busybox(tmp_path: Path) -> None:
    busybox = bw.fetch_busybox(REPO_ROOT)
    if isinstance(busybox, str):
        pytest.fail(busybox)
    params = bw.Params(data_bytes=64 << 10, loop=5, rounds=1)
    files = bw.guest_files(busybox, bw.build_wltime(REPO_ROOT, tmp_path / "wltime"), params)
    machine = Machine(REPO_ROOT / "scripts" / "levitate-qemu",
                      ("--initrd", str(bw.levitate_image(REPO_ROOT, tmp_path, files))))
    res = bw.boot(machine, bw.LEVITATE_PROGRAM, timeout=120.0)
    assert res.failures == []
    assert sorted(res.samples) == ["ash_true", "gzip", "sort"]
    assert res.checks == bw.expected_checks(busybox, files[bw.DATA_PATH][0])


def test_the_sides_are_booted_in_turn_and_a_failed_side_stops(monkeypatch) -> None:
    """Levitate, Linux, Levitate, Linux: a slow minute of the host falls on
    both sides.  A side whose boot failed is not booted again and gives a
    note, no figure."""
    order: list[str] = []

    def fake_boot(machine: Machine, program: list[str], timeout: float) -> bw.Result:
        order.append(machine.args[0])
        if machine.args[0] == "bad" and len(order) > 2:
            raise bw.BootError("no verdict")
        return bw.Result()
    monkeypatch.setattr(bw, "boot", fake_boot)
    lev = bw.Side("Levitate", Machine(Path("qemu"), ("lev",)), [])
    lin = bw.Side("Linux", Machine(Path("qemu"), ("bad",)), [])
    bw.boot_in_turn([lev, lin], 3)
    assert order == ["lev", "bad", "lev", "bad", "lev"]
    notes: list[str] = []
    assert lin.result({}, lambda _: None, notes) is None
    assert notes == ["workload on Linux: boot failed: no verdict"]
