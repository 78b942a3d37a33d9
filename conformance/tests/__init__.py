"""The conformance battery's own tests (docs/conformance.md)."""
