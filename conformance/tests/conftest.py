"""pytest setup for the conformance battery's tests: the repository root on
the import path (the package is `conformance`)."""
from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "qemu: boots a guest in QEMU (needs `make all`)")
