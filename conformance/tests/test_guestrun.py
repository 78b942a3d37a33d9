"""The battery driver against a fake guest (fake_launcher.py): records are
read whole, and a hang, a crash or a malformed record fails that scenario
only: a fresh boot goes on from the next one."""
from __future__ import annotations

import sys
from pathlib import Path

from conformance.guestrun import run_battery

FAKE = Path(__file__).resolve().parent / "fake_launcher.py"


def run(tmp_path: Path, names: list[str], timeout: float = 2.0):
    log = tmp_path / "boots.log"

    def boot(first: int, count: int) -> list[str]:
        return [sys.executable, str(FAKE), str(log), str(first), str(count), *names]
    outcomes = run_battery(boot, names, timeout=timeout, boot_timeout=10.0)
    boots = log.read_text().split("\n")[:-1]
    return outcomes, boots


def test_records_are_read_whole(tmp_path):
    outcomes, boots = run(tmp_path, ["a", "noise-b"])
    assert boots == ["0 2"]
    assert [(o.name, o.stdout, o.stderr, o.status, o.failure) for o in outcomes] == [
        ("a", b"a\n", b"e", "exit 3", None), ("noise-b", b"noise-b\n", b"e", "exit 3", None)]


def test_hang_fails_and_the_battery_goes_on(tmp_path):
    outcomes, boots = run(tmp_path, ["a", "hang-b", "c"], timeout=1.0)
    assert [o.name for o in outcomes] == ["a", "hang-b", "c"]
    assert outcomes[1].failure.startswith("hung") and outcomes[1].status is None
    assert outcomes[2].status == "exit 3" and outcomes[2].failure is None
    assert boots == ["0 3", "2 1"]


def test_crash_fails_and_the_battery_goes_on(tmp_path):
    outcomes, boots = run(tmp_path, ["crash-a", "b"])
    assert "kernel panic" in outcomes[0].failure
    assert outcomes[1].failure is None
    assert boots == ["0 2", "1 1"]


def test_malformed_record_fails(tmp_path):
    outcomes, _ = run(tmp_path, ["junk-a", "b"])
    assert "malformed" in outcomes[0].failure
    assert outcomes[1].failure is None


def test_guest_that_never_starts_fails_each_scenario_once(tmp_path):
    """A boot that dies before any record costs one scenario, then the next
    boot tries the next (no endless loop)."""
    log = tmp_path / "boots.log"

    def boot(first: int, count: int) -> list[str]:
        return [sys.executable, "-c", f"open({str(log)!r}, 'a').write('x\\n')"]
    outcomes = run_battery(boot, ["a", "b"], timeout=1.0, boot_timeout=5.0)
    assert all(o.failure and "guest stopped" in o.failure for o in outcomes)
    assert log.read_text() == "x\nx\n"


def test_guest_that_hangs_after_the_last_scenario_loses_nothing(tmp_path):
    """Every scenario ended, then no "done" and no power-off: all outcomes
    stand (the guest is killed), none is invented."""
    script = ("import time\n"
              "print('@@CONF begin a'); print('@@CONF status exit 0'); print('@@CONF end a')\n"
              "import sys; sys.stdout.flush(); time.sleep(60)\n")
    outcomes = run_battery(lambda f, c: [sys.executable, "-c", script], ["a"],
                           timeout=1.0, boot_timeout=5.0)
    assert [(o.name, o.status, o.failure) for o in outcomes] == [("a", "exit 0", None)]
