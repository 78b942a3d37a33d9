"""abi/gen.py's command line run in the test's process, for abi/tests."""
from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from pathlib import Path

GEN = Path(__file__).resolve().parents[1] / "gen.py"
sys.path.insert(0, str(GEN.parent))
import gen  # noqa: E402  (abi/gen.py)


def run_gen(root: Path, *args: str) -> subprocess.CompletedProcess:
    """`gen.py --root ROOT ARGS` run in this process: its exit status, stdout and stderr,
    as the script gives them (sys.exit(main(argv))), without a Python start and its
    imports for each run.  test_gen's test_real_tree_is_fresh runs the script itself."""
    argv = ["--root", str(root), *args]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = gen.main(argv)
        except SystemExit as e:        # argparse's usage errors
            code = e.code if isinstance(e.code, int) else 1
    return subprocess.CompletedProcess([str(GEN), *argv], code, out.getvalue(), err.getvalue())
