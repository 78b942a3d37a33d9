"""pytest setup for the testkit: import path, the --update-golden option, QEMU fixtures."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

TESTKIT_DIR = Path(__file__).resolve().parents[1]
REPO_ROOT = TESTKIT_DIR.parent
sys.path.insert(0, str(TESTKIT_DIR))

from testkit.abi import Abi, load_abi  # noqa: E402
from testkit.freshness import stale_build  # noqa: E402
from testkit.normalize import Rules, Streams, load_rules, normalize  # noqa: E402
from testkit.record import Scenario, lines_to_input, record  # noqa: E402
from testkit.trace import Trace, load  # noqa: E402


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="re-bless goldens whose replay differs (prints the diff)")


GOLDEN_UPDATE = "golden-update"   # user property: what --update-golden re-blessed


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Each golden --update-golden replaced, with its diff: shown even when the
    test's output is captured, and from xdist workers too (user properties travel)."""
    reports = [text for rep in terminalreporter.stats.get("passed", [])
               for name, text in getattr(rep, "user_properties", []) if name == GOLDEN_UPDATE]
    if reports:
        terminalreporter.section("goldens re-blessed (--update-golden)")
        for text in reports:
            terminalreporter.write_line(text)


# The longest tests on an idle 2-core machine (seconds of wall: a bisect, in-guest
# suites, the fork bomb, the conformance battery), longest first: under xdist they
# start first, so that none of them starts last and keeps one worker busy while the
# others have nothing left.  Whole modules where their tests share a module fixture.
# Only the order changes: a missing or renamed entry costs time, never a test.
LONG_FIRST = (
    "testkit/tests/test_bisect.py::",
    "testkit/tests/test_hostile.py::test_fork_bomb",
    "testkit/tests/test_golden.py::test_golden[test_suite",
    "testkit/tests/test_signals.py::test_in_guest_signal_suite_passes",
    "conformance/tests/test_no_regression.py::",
    "conformance/tests/test_levitate_guest.py::",
    "testkit/tests/test_shell.py::test_in_guest_suite_passes",
    "conformance/tests/test_interactive.py::",
    "testkit/tests/test_proctree.py::",
    "testkit/tests/test_cross_era.py::test_fork_era_golden_matches_spawn_era_golden[test_suite]",
)


def _long_rank(item: pytest.Item) -> int:
    return next((i for i, key in enumerate(LONG_FIRST) if item.nodeid.startswith(key)),
                len(LONG_FIRST))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=_long_rank)       # stable: the rest keep their order


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "qemu: boots Levitate in QEMU (needs build/kernel.bin)")
    config.addinivalue_line("markers", "slow: builds commits (deselect with -m 'not slow')")


@pytest.fixture
def fixture_abi() -> Abi:
    """The small ABI table the synthetic traces use (tests/fixtures/abi.json)."""
    return load_abi(Path(__file__).resolve().parent / "fixtures" / "abi.json")


@pytest.fixture
def rules() -> Rules:
    return load_rules()


class Levitate:
    """Handle on a built Levitate for QEMU tests."""

    def __init__(self, root: Path, out_dir: Path, update_golden: bool) -> None:
        self.root = root
        self.out_dir = out_dir
        self.update_golden = update_golden
        self.abi: Abi = load_abi()
        self.rules: Rules = load_rules()

    def record(self, name: str, lines: list[str], run: list[str] | None = None,
               timeout: float = 60.0) -> Trace:
        """Boot with typed lines (and a program instead of the shell); the validated trace."""
        rec = record(self.root, Scenario(name, lines_to_input(lines), run), self.out_dir, timeout)
        assert not rec.result.timed_out, f"{name}: timed out; console in {rec.console}"
        return load(rec.trace)

    def behaviour(self, trace: Trace) -> Streams:
        return normalize(trace, self.abi, self.rules)


@pytest.fixture(scope="session")
def fresh_build() -> None:
    """Fails every QEMU test (once per session, i.e. per xdist worker) when the build
    is older than its sources: a stale build is never judged."""
    why = stale_build(REPO_ROOT)
    if why:
        pytest.fail(why, pytrace=False)


@pytest.fixture
def levitate(request: pytest.FixtureRequest, tmp_path: Path) -> Levitate:
    """A built, up-to-date Levitate; skips the test when build/kernel.bin or abi.json
    is missing."""
    kernel = REPO_ROOT / "build" / "kernel.bin"
    if not kernel.exists():
        pytest.skip(f"{kernel} is missing: build Levitate first (make)")
    if not (TESTKIT_DIR / "testkit" / "abi.json").exists():
        pytest.skip("testkit/testkit/abi.json is missing: run `make abi`")
    request.getfixturevalue("fresh_build")
    return Levitate(REPO_ROOT, tmp_path, request.config.getoption("--update-golden"))
