# running an applet by an absolute busybox path
/bin/busybox echo direct
/bin/busybox seq 2
