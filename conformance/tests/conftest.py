"""pytest setup for the conformance battery's tests.  conformance/tests is a
package (its __init__.py), so this conftest is `conformance.tests.conftest`
and never shadows testkit/tests/conftest.py in one pytest run; the
repository root goes on the import path for the `conformance` package."""
from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "qemu: boots a guest in QEMU (needs `make all`)")
