# nproc: one CPU in this QEMU
nproc
