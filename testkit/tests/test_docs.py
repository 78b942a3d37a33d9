"""Docs that must stay true to the code: they cite only what the repository has,
show the trace format the kernel writes, and walk through a call that is not there."""
from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import REPO_ROOT

DOCS = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]


def kernel_trace_format() -> int:
    header = (REPO_ROOT / "kernel" / "trace" / "trace.h").read_text()
    m = re.search(r"#define TRACE_FORMAT (\d+)", header)
    assert m, "TRACE_FORMAT not found in kernel/trace/trace.h"
    return int(m.group(1))


def test_readme_trace_example_is_the_format_the_kernel_writes() -> None:
    readme = (REPO_ROOT / "README.md").read_text()
    boot = next(line for line in readme.splitlines() if line.startswith('{"seq":0,"type":"boot"'))
    assert json.loads(boot)["format"] == kernel_trace_format()


def test_adding_a_syscall_walks_through_a_call_that_does_not_exist() -> None:
    doc = (REPO_ROOT / "docs" / "adding-a-syscall.md").read_text()
    row = re.search(r"^(\d+)\s+\|\s+(\w+)\s+\|", doc, re.M)
    assert row, "no table row in the walk-through"
    nr, name = int(row.group(1)), row.group(2)
    table = (REPO_ROOT / "abi" / "syscalls.tbl").read_text().splitlines()
    taken = {(int(cols[0]), cols[1]) for cols in (
        [c.strip() for c in line.split("|")] for line in table if re.match(r"\s*\d+\s*\|", line))}
    assert all(nr != n and name != nm for n, nm in taken), f"{name} ({nr}) is in abi/syscalls.tbl"


def test_docs_cite_no_file_the_repository_lacks() -> None:
    """DESIGN.md lives outside the repository: the docs must carry what they cite."""
    for path in [*DOCS, REPO_ROOT / "scripts" / "bench_report.py"]:
        assert "DESIGN.md" not in path.read_text(), path


def test_setup_installs_what_make_debug_and_make_test_use() -> None:
    """make debug needs gdb; make test runs pytest under xdist and bisect's builds
    through ccache: scripts/setup.sh installs each on a fresh machine."""
    setup = (REPO_ROOT / "scripts" / "setup.sh").read_text()
    packages = re.search(r"^packages=\(([^)]*)\)", setup, re.M)
    assert packages
    assert {"gdb", "python3-pytest-xdist", "ccache"} <= set(packages.group(1).split())
