"""Levitate testkit: read, normalize, compare, record and replay syscall traces.

Run it as `python3 -m testkit COMMAND ...` (scripts/testkit does that); see
docs/testkit.md.
"""
