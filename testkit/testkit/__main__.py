"""Entry point for `python3 -m testkit`."""
import sys

from testkit.cli import main

sys.exit(main(sys.argv[1:]))
