/* /proc, generated on read.  The /proc directory is a persistent inode of
 * the RAM filesystem marked is_proc; everything under it is made by lookup
 * (an inode describing which node, which process, which fd) and freed when
 * its last reference goes.  A file's text is generated at open, in the
 * formats Linux's fs/proc/array.c, meminfo.c and friends write, for the
 * fields BusyBox's ps, top, free, uptime, df and mount read. */
#include "fs/procfs.h"
#include "fs/inode.h"
#include "fs/devfs.h"
#include "fs/fileops.h"
#include "arch/x86_64/arch.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "mm/kmalloc.h"
#include "mm/pmm.h"
#include "proc/sched.h"
#include "proc/proc.h"
#include "fs/ctty.h"

#define TEXT_MAX 4096
#define PID_POS 1024            /* getdents position of /proc/PID: PID_POS + pid */
#define KB(frames) ((frames) * (PAGE_SIZE / 1024))

enum node {
	PN_ROOT, PN_SELF, PN_MEMINFO, PN_MOUNTS, PN_UPTIME, PN_LOADAVG, PN_STAT,
	PN_CPUINFO, PN_VERSION,
	PN_PID, PN_PID_STAT, PN_PID_STATUS, PN_PID_CMDLINE, PN_PID_EXE, PN_PID_CWD,
	PN_PID_FD, PN_FD_LINK, PN_COUNT
};

struct text {
	char *s;
	size_t len;
};

#define USER_HZ 100                 /* the clock tick /proc counts in (Linux's USER_HZ) */

static void gen_meminfo(struct text *t, struct proc *p);
static void gen_mounts(struct text *t, struct proc *p);
static void gen_uptime(struct text *t, struct proc *p);
static void gen_loadavg(struct text *t, struct proc *p);
static void gen_stat(struct text *t, struct proc *p);
static void gen_cpuinfo(struct text *t, struct proc *p);
static void gen_version(struct text *t, struct proc *p);
static void gen_pid_stat(struct text *t, struct proc *p);
static void gen_pid_status(struct text *t, struct proc *p);
static void gen_pid_cmdline(struct text *t, struct proc *p);

static const struct {
	const char *name;
	u32 mode;
	enum node parent;             /* the directory listing it */
	void (*gen)(struct text *t, struct proc *p);
} nodes[PN_COUNT] = {
	[PN_ROOT] = { "proc", S_IFDIR | 0555, PN_ROOT, NULL },
	[PN_SELF] = { "self", S_IFLNK | 0777, PN_ROOT, NULL },
	[PN_MEMINFO] = { "meminfo", S_IFREG | 0444, PN_ROOT, gen_meminfo },
	[PN_MOUNTS] = { "mounts", S_IFREG | 0444, PN_ROOT, gen_mounts },
	[PN_UPTIME] = { "uptime", S_IFREG | 0444, PN_ROOT, gen_uptime },
	[PN_LOADAVG] = { "loadavg", S_IFREG | 0444, PN_ROOT, gen_loadavg },
	[PN_STAT] = { "stat", S_IFREG | 0444, PN_ROOT, gen_stat },
	[PN_CPUINFO] = { "cpuinfo", S_IFREG | 0444, PN_ROOT, gen_cpuinfo },
	[PN_VERSION] = { "version", S_IFREG | 0444, PN_ROOT, gen_version },
	[PN_PID] = { NULL, S_IFDIR | 0555, PN_ROOT, NULL },
	[PN_PID_STAT] = { "stat", S_IFREG | 0444, PN_PID, gen_pid_stat },
	[PN_PID_STATUS] = { "status", S_IFREG | 0444, PN_PID, gen_pid_status },
	[PN_PID_CMDLINE] = { "cmdline", S_IFREG | 0444, PN_PID, gen_pid_cmdline },
	[PN_PID_EXE] = { "exe", S_IFLNK | 0777, PN_PID, NULL },
	[PN_PID_CWD] = { "cwd", S_IFLNK | 0777, PN_PID, NULL },
	[PN_PID_FD] = { "fd", S_IFDIR | 0500, PN_PID, NULL },
	[PN_FD_LINK] = { NULL, S_IFLNK | 0700, PN_PID_FD, NULL },
};

static struct inode *proc_dir;

/* ---- processes ---- */

/* The live (or zombie) process with this pid, or NULL. */
static struct proc *proc_by_pid(int pid)
{
	struct proc *p;

	for_each_proc(p)
		if (pid > 0 && p->pid == pid && p->state != P_UNUSED && p->state != P_EMBRYO)
			return p;
	return NULL;
}

/* The smallest live pid >= from, or 0. */
static int next_pid_from(int from)
{
	struct proc *p;
	int best = 0;

	for_each_proc(p)
		if (p->state != P_UNUSED && p->state != P_EMBRYO && p->pid >= from &&
		    (!best || p->pid < best))
			best = p->pid;
	return best;
}

/* Parse a decimal pid or fd (no sign, no leading zero): the number, or -1. */
static int parse_num(const char *s, size_t n)
{
	int v = 0;

	if (n == 0 || n > 9 || (n > 1 && s[0] == '0'))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* ---- inodes ---- */

/* A generated inode for node about pid (and fd), with one reference. */
static struct inode *make(enum node node, int pid, int fd)
{
	struct inode *ip = inode_new(nodes[node].mode);

	if (!ip)
		return NULL;
	ip->is_proc = true;
	ip->proc.node = node;
	ip->proc.pid = pid;
	ip->proc.fd = fd;
	ip->ino = 0x100000000UL | (u64)pid << 16 | (u64)(fd + 1) << 6 | (u64)node;
	ip->nlink = 0;
	ip->refs = 1;
	return ip;
}

/* Boot: /proc in the root (an initramfs one is used if it brought one). */
void procfs_init(void)
{
	struct dentry *d = dir_lookup(ramfs_root(), "proc", 4);

	if (d) {
		proc_dir = d->inode;
	} else if (!(proc_dir = inode_new(S_IFDIR | 0555)) ||
		   dir_link(ramfs_root(), "proc", 4, proc_dir) < 0) {
		kprintf("procfs: no /proc directory\n");
		proc_dir = NULL;
		return;
	}
	proc_dir->is_proc = true;
	proc_dir->proc.node = PN_ROOT;
}

/* See procfs.h. */
int procfs_lookup(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	enum node kind = (enum node)dir->proc.node;
	int pid = dir->proc.pid, n;

	if (kind == PN_PID_FD) {
		struct proc *p = proc_by_pid(pid);

		if (!p || (n = parse_num(name, len)) < 0 || !fd_of(p, n))
			return -ENOENT;
		return (*out = make(PN_FD_LINK, pid, n)) ? 0 : -ENOMEM;
	}
	if (kind == PN_ROOT && (n = parse_num(name, len)) > 0)
		return proc_by_pid(n) && (*out = make(PN_PID, n, -1)) ? 0 : -ENOENT;
	if (kind == PN_PID && !proc_by_pid(pid))
		return -ENOENT;
	for (int i = PN_SELF; i < PN_COUNT; i++)
		if (nodes[i].name && nodes[i].parent == kind && strlen(nodes[i].name) == len &&
		    memcmp(nodes[i].name, name, len) == 0)
			return (*out = make((enum node)i, pid, -1)) ? 0 : -ENOMEM;
	return -ENOENT;
}

/* See procfs.h. */
struct inode *procfs_parent(struct inode *dir)
{
	switch (dir->proc.node) {
	case PN_ROOT:
		return ramfs_root();
	case PN_PID:
		return proc_dir;
	default: {
		struct inode *ip = make(PN_PID, dir->proc.pid, -1);

		if (ip)
			ip->refs = 0;      /* the caller takes the reference */
		return ip;
	}
	}
}

/* ---- directory listings ---- */

/* Entry "." or ".." at pos < 2 of dir. */
static void dot_entry(struct inode *dir, i64 pos, struct dent *d)
{
	d->name = pos ? ".." : ".";
	d->namelen = (size_t)pos + 1;
	d->ino = dir->ino;
	d->type = S_IFDIR >> 12;
	d->next = pos + 1;
}

/* The k-th fixed child (k >= 0) of a node of kind, or -1. */
static int fixed_child(enum node kind, i64 k)
{
	for (int i = PN_SELF; i < PN_COUNT; i++)
		if (nodes[i].name && nodes[i].parent == kind && k-- == 0)
			return i;
	return -1;
}

/* Entry of /proc/PID/fd at pos >= 2: the next open fd. */
static int fd_entry(struct inode *dir, i64 pos, struct dent *d)
{
	static char num[12];              /* the name lives until the record is copied */
	struct proc *p = proc_by_pid(dir->proc.pid);
	int fd = (int)(pos - 2);

	if (!p || (fd = fd_next_open(p, fd)) < 0)
		return 1;
	d->namelen = (size_t)ksnprintf(num, sizeof(num), "%d", fd);
	d->name = num;
	d->ino = 0x100000000UL | (u64)dir->proc.pid << 16 | (u64)(fd + 1) << 6 | PN_FD_LINK;
	d->type = S_IFLNK >> 12;
	d->next = fd + 3;
	return 0;
}

/* Entry of /proc at a position past its fixed files: the next process. */
static int pid_entry(i64 pos, struct dent *d)
{
	static char num[12];
	int pid = next_pid_from(pos < PID_POS ? 1 : (int)(pos - PID_POS));

	if (!pid)
		return 1;
	d->namelen = (size_t)ksnprintf(num, sizeof(num), "%d", pid);
	d->name = num;
	d->ino = 0x100000000UL | (u64)pid << 16 | PN_PID;
	d->type = S_IFDIR >> 12;
	d->next = PID_POS + pid + 1;
	return 0;
}

/* See procfs.h. */
int procfs_entry(struct inode *dir, i64 pos, struct dent *d)
{
	enum node kind = (enum node)dir->proc.node;
	int i;

	if (pos < 2) {
		dot_entry(dir, pos, d);
		return 0;
	}
	if (kind == PN_PID_FD)
		return fd_entry(dir, pos, d);
	if (kind == PN_PID && !proc_by_pid(dir->proc.pid))
		return 1;
	if (pos < PID_POS && (i = fixed_child(kind, pos - 2)) >= 0) {
		d->name = nodes[i].name;
		d->namelen = strlen(nodes[i].name);
		d->ino = 0x100000000UL | (u64)dir->proc.pid << 16 | (u64)i;
		d->type = (u8)((nodes[i].mode & S_IFMT) >> 12);
		d->next = pos + 1;
		return 0;
	}
	return kind == PN_ROOT ? pid_entry(pos, d) : 1;
}

/* ---- symlinks ---- */

/* What fd f of a process shows as its link text. */
static int fd_link_text(struct file *f, char *buf, size_t size)
{
	if (f->type == FT_CONSOLE)
		return (int)strlcpy(buf, "/dev/console", size);
	if (f->type == FT_PIPE_READ || f->type == FT_PIPE_WRITE)
		return ksnprintf(buf, size, "pipe:[%lu]", (u64)(uptr)f->pipe & 0xFFFFFF);
	if (f->ip && S_ISDIR(f->ip->mode) && !f->ip->is_proc)
		return dir_path(f->ip, buf, size);
	return ksnprintf(buf, size, "/anon_inode:[%lu]", f->ip ? f->ip->ino : 0);
}

/* See procfs.h. */
int procfs_readlink(struct inode *ip, char **out)
{
	struct proc *p = proc_by_pid(ip->proc.pid);
	char *buf = kmalloc(PATH_MAX);
	int r = 0;

	if (!buf)
		return -ENOMEM;
	if (ip->proc.node == PN_SELF)
		ksnprintf(buf, PATH_MAX, "%d", myproc()->pid);
	else if (!p)
		r = -ENOENT;
	else if (ip->proc.node == PN_PID_EXE)
		r = p->exe[0] ? (int)strlcpy(buf, p->exe, PATH_MAX) : -ENOENT;
	else if (ip->proc.node == PN_PID_CWD)
		r = dir_path(p->cwd ? p->cwd : ramfs_root(), buf, PATH_MAX);
	else if (ip->proc.node == PN_FD_LINK && fd_of(p, ip->proc.fd))
		r = fd_link_text(fd_of(p, ip->proc.fd), buf, PATH_MAX);
	else
		r = -ENOENT;
	if (r < 0) {
		kfree(buf);
		return r;
	}
	*out = buf;
	return 0;
}

/* See procfs.h. */
int procfs_fd_inode(struct inode *ip, struct inode **out)
{
	struct proc *p;
	struct file *f;

	if (!ip->is_proc || ip->proc.node != PN_FD_LINK)
		return 1;
	if (!(p = proc_by_pid(ip->proc.pid)) || !(f = fd_of(p, ip->proc.fd)))
		return -ENOENT;
	*out = f->type == FT_CONSOLE ? devfs_console() : f->ip;
	if (!*out)
		return -ENXIO;             /* a pipe: no inode to reopen */
	inode_get(*out);
	return 0;
}

/* ---- file contents ---- */

/* Append formatted text to t (cut at TEXT_MAX). */
static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(t->s + t->len, TEXT_MAX - t->len, fmt, ap);
	va_end(ap);
	t->len = MIN(t->len + (size_t)(n > 0 ? n : 0), TEXT_MAX - 1);
}

/* Seconds and hundredths since boot, as "12.34". */
static void put_uptime(struct text *t)
{
	u64 cs = clock_ns() / 10000000UL;

	put(t, "%lu.%02lu", cs / 100, cs % 100);
}

static void gen_meminfo(struct text *t, struct proc *p)
{
	u64 total = KB(pmm_total_frames()), free = KB(pmm_free_frames());

	(void)p;
	put(t, "MemTotal:       %8lu kB\n", total);
	put(t, "MemFree:        %8lu kB\n", free);
	put(t, "MemAvailable:   %8lu kB\n", free);
	put(t, "Buffers:        %8lu kB\n", 0UL);
	put(t, "Cached:         %8lu kB\n", 0UL);
	put(t, "SwapCached:     %8lu kB\n", 0UL);
	put(t, "Active:         %8lu kB\n", 0UL);
	put(t, "Inactive:       %8lu kB\n", 0UL);
	put(t, "SwapTotal:      %8lu kB\n", 0UL);
	put(t, "SwapFree:       %8lu kB\n", 0UL);
	put(t, "Shmem:          %8lu kB\n", 0UL);
	put(t, "SReclaimable:   %8lu kB\n", 0UL);
}

/* The root is listed as the tmpfs it behaves as (statfs says TMPFS_MAGIC):
 * Linux would call it "rootfs", which BusyBox's df and its mount-point
 * search skip by that name, leaving df with nothing to show. */
static void gen_mounts(struct text *t, struct proc *p)
{
	(void)p;
	put(t, "tmpfs / tmpfs rw 0 0\n");
	put(t, "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n");
}

static void gen_uptime(struct text *t, struct proc *p)
{
	(void)p;
	put_uptime(t);
	put(t, " ");
	put_uptime(t);            /* one CPU, and time idle is not kept: all of it */
	put(t, "\n");
}

static void gen_loadavg(struct text *t, struct proc *p)
{
	(void)p;
	put(t, "0.00 0.00 0.00 1/%d %d\n", proc_count(), next_pid_from(0));
}

static void gen_stat(struct text *t, struct proc *p)
{
	u64 ticks = timer_ticks();

	(void)p;
	put(t, "cpu  0 0 0 %lu 0 0 0 0 0 0\n", ticks);
	put(t, "cpu0 0 0 0 %lu 0 0 0 0 0 0\n", ticks);
	put(t, "intr 0\nctxt 0\nbtime 0\nprocesses %d\n", proc_count());
	put(t, "procs_running 1\nprocs_blocked 0\n");
}

static void gen_cpuinfo(struct text *t, struct proc *p)
{
	(void)p;
	put(t, "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: QEMU Virtual CPU\n");
	put(t, "cpu MHz\t\t: 1000.000\ncache size\t: 0 KB\ncpu cores\t: 1\n");
	put(t, "flags\t\t: fpu tsc msr pae cx8 apic sep pge cmov pat clflush mmx fxsr sse sse2 syscall nx lm\n");
	put(t, "bogomips\t: 2000.00\n\n");
}

static void gen_version(struct text *t, struct proc *p)
{
	(void)p;
	put(t, "Levitate version 0.1 (levitate@levitate) #1 SMP\n");
}

/* The one-letter state ps shows. */
static char state_letter(const struct proc *p)
{
	switch (p->state) {
	case P_ZOMBIE:
		return 'Z';
	case P_STOPPED:
		return 'T';
	case P_SLEEPING:
		return 'S';
	default:
		return 'R';
	}
}

/* status's State: line for a stat state letter. */
static const char *state_name(char c)
{
	switch (c) {
	case 'Z':
		return "Z (zombie)";
	case 'T':
		return "T (stopped)";
	case 'S':
		return "S (sleeping)";
	default:
		return "R (running)";
	}
}

/* A device number as stat's tty_nr spells it (Linux's new_encode_dev):
 * minor's low byte, major, then minor's high bits. */
static u32 encode_tty(u64 dev)
{
	u32 major = (u32)(dev >> 8) & 0xfff, minor = (u32)dev & 0xff;

	return minor | major << 8;
}

static int ppid_of(const struct proc *p)
{
	return p->parent ? p->parent->pid : 0;
}

/* /proc/PID/stat: the 52 fields of Linux's do_task_stat.  Group, session,
 * terminal and its foreground group, CPU times (cputime.c) and the start
 * time (clock ticks since boot, USER_HZ 100) are real; faults and sizes
 * Levitate does not count are 0. */
static void gen_pid_stat(struct text *t, struct proc *p)
{
	u64 tty = 0;
	int fg = -1;

	if (!ctty_of_session(p->sid, &tty, &fg))
		fg = -1;
	put(t, "%d (%s) %c %d %d %d %d %d 4194304 0 0 0 0 ",
	    p->pid, p->name, state_letter(p), ppid_of(p), p->pgid, p->sid,
	    (int)encode_tty(tty), fg);
	put(t, "%lu %lu %lu %lu 20 0 1 0 %lu 0 0 ", (unsigned long)cputime_clock_t(p->cpu.utime),
	    (unsigned long)cputime_clock_t(p->cpu.stime), (unsigned long)cputime_clock_t(p->cpu.cutime),
	    (unsigned long)cputime_clock_t(p->cpu.cstime),
	    (unsigned long)(p->start_ns / (1000000000UL / USER_HZ)));
	put(t, "18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n");
}

static void gen_pid_status(struct text *t, struct proc *p)
{
	const struct cred *c = &p->cred;

	put(t, "Name:\t%s\nUmask:\t%04o\nState:\t%s\n", p->name, p->umask,
	    state_name(state_letter(p)));
	put(t, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", p->pid, p->pid, ppid_of(p));
	put(t, "Uid:\t%u\t%u\t%u\t%u\n", c->uid, c->euid, c->suid, c->euid);
	put(t, "Gid:\t%u\t%u\t%u\t%u\n", c->gid, c->egid, c->sgid, c->egid);
	put(t, "FDSize:\t%d\nGroups:\t\n", p->fdt.size);
	put(t, "Threads:\t1\n");
}

static void gen_pid_cmdline(struct text *t, struct proc *p)
{
	size_t n = MIN((size_t)p->cmdline_len, TEXT_MAX - 1);

	memcpy(t->s, p->cmdline, n);
	t->len = n;
}

/* See procfs.h. */
int procfs_generate(struct inode *ip, char **out, size_t *len)
{
	struct proc *p = NULL;
	struct text t;

	if (ip->proc.pid && !(p = proc_by_pid(ip->proc.pid)))
		return -ESRCH;
	if (!nodes[ip->proc.node].gen)
		return -EINVAL;
	if (!(t.s = kmalloc(TEXT_MAX)))
		return -ENOMEM;
	t.len = 0;
	nodes[ip->proc.node].gen(&t, p);
	*out = t.s;
	*len = t.len;
	return 0;
}
