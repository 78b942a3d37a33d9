"""abi.json: the fixture the synthetic tests use must match the generated table."""
from __future__ import annotations

import pytest

from synth import FIXTURES
from testkit.abi import default_path, load_abi, value_fits_kind


def test_fixture_matches_generated_abi() -> None:
    if not default_path().exists():
        pytest.skip("testkit/testkit/abi.json not generated yet (make abi)")
    real, fixture = load_abi(), load_abi(FIXTURES / "abi.json")
    for name, call in fixture.calls.items():
        if name in real.calls:      # the fixture may hold calls the kernel does not have yet
            assert real.calls[name].args == call.args and real.calls[name].nr == call.nr, name
            assert real.calls[name].ret == call.ret, name


@pytest.mark.parametrize("value,kind,ok", [
    (3, "fd", True), (True, "int", False), ("0x10", "ptr", True), ("16", "ptr", False),
    ("/bin/sh", "cstr", True), ({"fault": "0x1"}, "cstr", True), (["a"], "argv", True),
    ({"data": "x", "len": 1}, "buf_in", True), ({"len": 0}, "buf_out", True),
    ({"data": "x", "len": 9000, "trunc": True}, "buf_in", True), ({"data": 1, "len": 1}, "buf_in", False),
])
def test_value_shapes(value: object, kind: str, ok: bool) -> None:
    assert value_fits_kind(value, kind) is ok
