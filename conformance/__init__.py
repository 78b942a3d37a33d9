"""The conformance battery: BusyBox scenarios run on Levitate and compared
with Linux 6.1 in the same QEMU (docs/conformance.md)."""
