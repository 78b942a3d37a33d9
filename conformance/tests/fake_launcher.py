"""A stand-in for a booted guest in test_guestrun.py: prints conform-run's
records for scenarios [first, first + count) of the names given, behaving as
each name says: hang-* never ends, crash-* stops the guest (status 252, a panic),
junk-* prints a malformed record, noise-* surrounds its records with console
noise; any other name prints "NAME\\n" and exits 3.

  fake_launcher.py LOG FIRST COUNT NAME...
LOG gets one line per boot: "FIRST COUNT"."""
import sys
import time

log, first, count, names = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
with open(log, "a") as f:
    f.write(f"{first} {count}\n")
print("booting...", flush=True)
for name in names[first:first + count]:
    print(f"@@CONF begin {name}", flush=True)
    if name.startswith("hang-"):
        time.sleep(60)
    if name.startswith("crash-"):
        print("levitate-qemu: kernel panic", flush=True)
        sys.exit(252)
    if name.startswith("junk-"):
        print("@@CONF out zz", flush=True)
    if name.startswith("noise-"):
        print("[    1.0] some kernel message\r", flush=True)
    print(f"@@CONF out {(name + chr(10)).encode().hex()}\r", flush=True)
    print(f"@@CONF err {b'e'.hex()}", flush=True)
    print("@@CONF status exit 3", flush=True)
    print(f"@@CONF end {name}", flush=True)
print("@@CONF done", flush=True)
