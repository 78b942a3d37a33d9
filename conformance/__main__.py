"""Entry point for `python3 -m conformance` (see conformance/cli.py)."""
import sys

from conformance.cli import main

sys.exit(main(sys.argv[1:]))
