"""The whole comparison on a real Levitate guest, with a stand-in BusyBox
(fakebox.c) whose behaviour each scenario dictates: a matching scenario is
judged the same; a changed output byte, a changed status or a crash is a
difference; a hung guest is a failure, and the battery goes on after it.
Also more stdout and stderr than a pipe holds (no deadlock in the runner)."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conformance import compare, guests
from conformance.cli import RUNNER
from conformance.guestrun import Outcome, run_battery

HERE = Path(__file__).resolve().parent
HELLO = b"hello\n"

# name: (fakebox lines, Linux's outcome as (stdout, status), expected verdict)
CASES = {
    "a-same": (["#fake out hello"], (HELLO, "exit 0"), compare.SAME),
    "b-output-changed": (["#fake out hellp"], (HELLO, "exit 0"), compare.DIFFERS),
    "c-status-changed": (["#fake out hello", "#fake exit 1"], (HELLO, "exit 0"), compare.DIFFERS),
    "d-hang": (["#fake out hello", "#fake hang"], (HELLO, "exit 0"), compare.FAILS),
    "e-after-hang": (["#fake out hello"], (HELLO, "exit 0"), compare.SAME),
    "f-segv": (["#fake out hello", "#fake segv"], (HELLO, "exit 0"), compare.DIFFERS),
    "g-big-streams": (["#fake err 20000", "#fake bulk 30000", "#fake exit 4"],
                      (b"o" * 30000, "exit 4"), compare.SAME),
}


@pytest.fixture(scope="module")
def fakebox(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("fakebox") / "fakebox"
    subprocess.run(["musl-gcc", "-static", "-O2", "-Wall", "-Werror", "-o", str(out),
                    str(HERE / "fakebox.c")], check=True)
    return out


@pytest.mark.qemu
def test_comparison_fails_on_real_differences(tmp_path, fakebox):
    if not RUNNER.is_file():
        pytest.skip("build/conformance/conform-run is not built (make all)")
    scen = tmp_path / "scenarios"
    scen.mkdir()
    for name, (lines, _, _) in CASES.items():
        (scen / f"{name}.sh").write_text(f"# {name}\n" + "\n".join(lines) + "\n")
    names = sorted(CASES)
    image = guests.levitate_image(guests.payload(RUNNER, scen, names, fakebox), tmp_path)

    def boot(first: int, count: int) -> list[str]:
        return guests.levitate_command(image, ["/" + guests.RUNNER, "--first", str(first),
                                               "--count", str(count)])
    # 6 s: a loaded host (eight QEMUs on two cores) can take seconds to start
    # one scenario; the hung one costs this much of make test.
    outcomes = run_battery(boot, names, timeout=6.0, boot_timeout=60.0)
    got = {}
    for o in outcomes:
        stdout, status = CASES[o.name][1]
        got[o.name] = compare.judge(Outcome(o.name, stdout, b"", status), o, []).result
    why = {o.name: o.failure for o in outcomes if o.failure}
    assert got == {name: case[2] for name, case in CASES.items()}, why
    by_name = {o.name: o for o in outcomes}
    assert by_name["f-segv"].status == "signal 11"
    assert by_name["g-big-streams"].stderr == b"e" * 20000
