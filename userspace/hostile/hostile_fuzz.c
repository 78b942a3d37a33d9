/*
 * hostile_fuzz: random system calls with random arguments, from children.
 *
 *   hostile_fuzz [-n CALLS] [-s SEED] [-b BATCH] [-o ONLY_BATCH] [-v]
 *
 * Each child makes BATCH calls (default 1000) and exits 0; the parent runs
 * children one after another until CALLS calls were made, reaps each, and
 * checks at the end that no child was killed, that no child is left, and
 * that free memory is exactly what it was.  Everything is drawn from a
 * seeded PRNG (xorshift64*); child i uses seed ^ i, so
 * "hostile_fuzz -s SEED -o I -v" replays batch I alone, printing each call
 * before it is made.
 *
 * Numbers: three quarters are calls of the ABI table (los_abi_args.h), the
 * rest unknown or removed numbers (1024/1025, around the table, x32-style
 * 0x40000000|nr, 2^32, -1, random 64-bit).  Arguments follow the table's
 * kinds for known calls (valid buffers in a mapping, paths, argv and iovec
 * arrays, bad pointers, small and huge sizes) and are mixed for the rest.
 *
 * Run it on a read-only root (the kernel's "ro" boot word): calls that
 * would change the file tree then fail with EROFS, so what the final
 * freeram check sees is leaks, not files the calls made.
 *
 * What a child must not do, and so never does (docs/hostile.md):
 * - exit, exit_group: skipped (they would only end the batch early);
 * - wait for a signal: pause and rt_sigsuspend are skipped (forever);
 * - signal calls that would end, stop or damage the child or reach other
 *   processes (kill/tkill/tgkill, rt_sigreturn, rt_sigaction, alarm,
 *   setitimer) are made in a throwaway grandchild instead (risky_call): in
 *   the child itself, rt_sigreturn on whatever its stack holds is SIGSEGV
 *   by design (make stress lost batch 499 of seed 0x5eed1e55 that way), a
 *   random handler address or pid ends it or its parent.  The grandchild
 *   is its own process group, sends only to itself, forges the frames
 *   rt_sigreturn reads, and its handlers land on an exit; it may die of
 *   anything, and the child reaps it (killing it if it stopped);
 *   SIGPIPE is ignored in the child (writes see EPIPE);
 * - execve of a real program: execve's path is always a bad pointer or a
 *   path that cannot run (/usr/lib/badelf/..., a text file, a directory,
 *   a missing file), so execve always fails;
 * - block forever: the child closes every descriptor it inherited (so no
 *   console: a read of fd 0 would wait for input); the one pipe it opens
 *   for itself is non-blocking (O_NONBLOCK cannot be cleared: no F_SETFL),
 *   and it closes the write end of every pipe the calls make (a read finds
 *   EOF, a write EPIPE); the processes fork/clone/vfork make exit at once, so
 *   wait4 never waits long; every sleep and poll timeout it passes is at
 *   most 10 ms, and mostly 0 (before_call: a timespec it points to is rewritten, a
 *   negative or huge poll timeout replaced, a NULL ppoll timeout too);
 * - change the files of the RAM root: the calls that create, remove, rename,
 *   link, truncate or change the owner, mode or times of files are never
 *   made (fs_changing), and open/openat only open for reading, so nothing
 *   can be written to a file (the fs suite tests those calls; hostile_pointers
 *   gives them bad pointers); what the fuzz would leave there would be no
 *   leak, but freeram could not be compared;
 * - damage itself: it keeps no state in memory the calls can reach (the
 *   buffers handed out are in a mapping used for nothing else), restores
 *   its FS base after every arch_prctl, and its fork/clone children exit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hostile.h"
#include "los_abi_args.h"

#define NOFILE 32
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define REGION_SIZE (64 * 1024UL)
#define VERBOSE_FD (NOFILE - 1)
#define EAGAIN 11
#define O_NONBLOCK 04000
#define ENOMEM 12
/* open flags that could change a file: access modes, O_CREAT, O_TRUNC,
 * O_APPEND, O_TMPFILE's directory bit included. */
#define OPEN_CHANGES (03 | 0100 | 01000 | 02000 | 020000000)
#define SIGPIPE 13
#define SIGKILL 9
#define WUNTRACED 2
#define SA_RESTORER 0x04000000UL
#define USER_CS 0x2b
#define FRAME_SIZE 440          /* Linux's rt_sigframe without the fxsave image */

/* struct sigaction for SIG_IGN (handler 1, no flags, restorer or mask). */
static const long sig_ignore[4] = { 1, 0, 0, 0 };

/* The fuzzing child's own state: none of it reachable through the buffers
 * the calls get (those are in the region). */
static unsigned long rng;
static unsigned long saved_fs;
static char *region;
static int verbose;

/* Offsets in the region of what is laid out in it. */
enum {
	R_PATHS = 0,              /* NUL-terminated paths, 64 bytes apart */
	R_ARGV = 2048,            /* NULL-terminated arrays of pointers to them */
	R_IOV = 3072,             /* iovec arrays, good and bad bases */
	R_FREE = 4096,            /* the rest: scratch the calls read and write */
	R_FRAME = REGION_SIZE - 4096,   /* a grandchild's forged signal frame ... */
	R_FXSAVE = REGION_SIZE - 1024,  /* ... its fxsave image */
	R_LANDING_STACK = REGION_SIZE - 2048,   /* ... the rsp it returns to */
};

static const char *const paths[] = {
	"/usr/lib/badelf/empty", "/usr/lib/badelf/bad_magic",
	"/usr/lib/badelf/memsz_larger_than_ram", "/usr/lib/badelf/kernel_segment",
	"/etc/hello.txt", "/etc", "/", "/nonexistent", "", "relative",
	"/etc/hello.txt/x", "/usr/lib/badelf",
};
#define NPATHS (sizeof paths / sizeof paths[0])

/* xorshift64*: small, fast, and the same on every machine. */
static unsigned long next_rand(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717UL;
}

static unsigned long below(unsigned long n)
{
	return next_rand() % n;
}

/* An address no access may reach (hostile.h), or this program's .text. */
static unsigned long bad_pointer(void)
{
	static const unsigned long bad[] = {
		0, 1, BAD_UNMAPPED, BAD_KERNEL_DMAP, BAD_KERNEL_TEXT, BAD_NONCANON_LO,
		BAD_NONCANON_HI, BAD_USER_TOP, BAD_WRAP, 0xfffffffffffffff8UL,
		0x00007ffffffffff0UL,
	};
	if (below(8) == 0)
		return (unsigned long)&next_rand;       /* read-only */
	return bad[below(sizeof bad / sizeof bad[0])];
}

static unsigned long scratch_pointer(void)
{
	return (unsigned long)region + R_FREE + below(REGION_SIZE - R_FREE);
}

static unsigned long path_pointer(void)
{
	return (unsigned long)region + R_PATHS + 64 * below(NPATHS);
}

static unsigned long small_int(void)
{
	return below(66) - 2;
}

static unsigned long any_int(void)
{
	switch (below(6)) {
	case 0: return small_int();
	case 1: return 1UL << below(64);
	case 2: return 0x7fffffff;
	case 3: return -1UL;
	case 4: return next_rand() & 0xffffffff;
	default: return next_rand();
	}
}

static unsigned long size_arg(void)
{
	switch (below(8)) {
	case 0: return 0;
	case 1: return 4096;
	case 2: return 1UL << 40;
	case 3: return -1UL;
	case 4: return 0x7ffff000;
	case 5: return any_int();
	default: return below(300);
	}
}

/* Mostly the descriptors the child opened first (0..5), some anything. */
static unsigned long fd_arg(void)
{
	unsigned long r = below(8);

	return r < 5 ? below(6) : r < 7 ? below(NOFILE + 2) - 1 : any_int();
}

static unsigned long flags_arg(void)
{
	unsigned long r = below(10);

	return r < 4 ? 0 : r < 7 ? 1UL << below(24) : r < 8 ? below(8) : any_int();
}

/* Commands, codes, whence values: small, or arch_prctl's 0x1001..0x1004. */
static unsigned long int_arg(void)
{
	unsigned long r = below(10);

	return r < 6 ? small_int() : r < 7 ? 0x1001 + below(4) : any_int();
}

/* One argument of a known call, following its kind. */
static unsigned long arg_of_kind(int kind)
{
	unsigned long r = below(100);

	switch (kind) {
	case LOS_ARG_FD: return fd_arg();
	case LOS_ARG_SIZE: return size_arg();
	case LOS_ARG_FLAGS: return flags_arg();
	case LOS_ARG_INT: return int_arg();
	case LOS_ARG_UINT: return r < 20 ? 0x5413 : r < 60 ? small_int() : any_int();
	case LOS_ARG_PID: return r < 50 ? -1UL : r < 70 ? 0 : r < 85 ? small_int() : any_int();
	case LOS_ARG_PTR: case LOS_ARG_BUF_IN: case LOS_ARG_BUF_OUT: case LOS_ARG_FDS_OUT:
		return r < 55 ? scratch_pointer() : r < 95 ? bad_pointer() : next_rand();
	case LOS_ARG_CSTR:
		return r < 60 ? path_pointer() : r < 75 ? scratch_pointer() : bad_pointer();
	case LOS_ARG_ARGV:
		return r < 60 ? (unsigned long)region + R_ARGV + 8 * below(16) :
		    r < 70 ? scratch_pointer() : bad_pointer();
	case LOS_ARG_IOV_IN:
		return r < 60 ? (unsigned long)region + R_IOV + 16 * below(32) :
		    r < 70 ? scratch_pointer() : bad_pointer();
	default:
		return any_int();
	}
}

/* Any argument at all, for numbers without a known shape. */
static unsigned long mixed_arg(void)
{
	switch (below(5)) {
	case 0: return scratch_pointer();
	case 1: return bad_pointer();
	case 2: return size_arg();
	default: return any_int();
	}
}

static const struct los_abi_call *known_call(long nr)
{
	for (size_t i = 0; i < LOS_ABI_NCALLS; i++)
		if (los_abi_calls[i].nr == nr)
			return &los_abi_calls[i];
	return NULL;
}

/* A number the table does not have (or, by chance, one it does). */
static long unknown_number(void)
{
	long top = los_abi_calls[LOS_ABI_NCALLS - 1].nr;

	switch (below(8)) {
	case 0: return los_abi_removed[below(LOS_ABI_NREMOVED)];
	case 1: return top + 1 + (long)below(8);
	case 2: return 1020 + (long)below(10);
	case 3: return 0x40000000L | los_abi_calls[below(LOS_ABI_NCALLS)].nr;
	case 4: return below(2) ? 1L << 32 : -1L;
	case 5: return (long)next_rand();
	default: return (long)below(512);
	}
}

/* Calls that change the RAM root's files: never made (see the header). */
static const long fs_changing[] = {
	LOS_NR_creat, LOS_NR_mkdir, LOS_NR_mkdirat, LOS_NR_rmdir, LOS_NR_unlink,
	LOS_NR_unlinkat, LOS_NR_rename, LOS_NR_renameat, LOS_NR_renameat2, LOS_NR_link,
	LOS_NR_linkat, LOS_NR_symlink, LOS_NR_symlinkat, LOS_NR_truncate, LOS_NR_ftruncate,
	LOS_NR_chmod, LOS_NR_fchmod, LOS_NR_fchmodat, LOS_NR_chown, LOS_NR_fchown,
	LOS_NR_lchown, LOS_NR_fchownat, LOS_NR_utimensat,
};

/* Calls that would end the batch or wait for ever. */
static const long never_made[] = {
	LOS_NR_exit, LOS_NR_exit_group,            /* end the batch */
	LOS_NR_pause, LOS_NR_rt_sigsuspend,        /* wait for a signal: forever */
};

/* Calls made only in a throwaway grandchild (risky_call). */
static const long in_grandchild[] = {
	LOS_NR_kill, LOS_NR_tkill, LOS_NR_tgkill,  /* would kill or stop others */
	LOS_NR_rt_sigreturn,                       /* a garbage frame: SIGSEGV */
	LOS_NR_rt_sigaction,                       /* a handler at a random address */
	LOS_NR_alarm, LOS_NR_setitimer,            /* SIGALRM would end the child */
};

static int listed(long nr, const long *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (nr == list[i])
			return 1;
	return 0;
}

/* Calls a fuzzing child never makes (see the header). */
static int skipped(long nr)
{
	return listed(nr, never_made, sizeof never_made / sizeof never_made[0]) ||
	    listed(nr, fs_changing, sizeof fs_changing / sizeof fs_changing[0]);
}

/* Draw one call: its number into *nr, its arguments into a; 1 if known. */
static int draw_call(long *nr, unsigned long a[6])
{
	const struct los_abi_call *c;

	do {
		if (below(4) != 0)
			*nr = los_abi_calls[below(LOS_ABI_NCALLS)].nr;
		else
			*nr = unknown_number();
	} while (skipped(*nr));
	c = known_call(*nr);
	for (int i = 0; i < 6; i++)
		a[i] = c && i < c->nargs ? arg_of_kind(c->args[i].kind) : mixed_arg();
	if (*nr == LOS_NR_execve && below(4) != 0)
		a[0] = path_pointer();              /* never a runnable program */
	else if (*nr == LOS_NR_execve)
		a[0] = bad_pointer();
	return c != NULL;
}

/* Whether p points into the region (where a timespec may be written). */
static int in_region(unsigned long p)
{
	unsigned long lo = (unsigned long)region + R_FREE, hi = (unsigned long)region + REGION_SIZE;

	return p >= lo && p <= hi - 16;         /* no p + 16: it wraps for p near 2^64 */
}

/* A timespec of at most 10 ms at p, when p is one of ours; a bad pointer
 * stays bad (the call must answer EFAULT). */
static void short_timespec(unsigned long p)
{
	if (in_region(p)) {
		((long *)p)[0] = 0;
		/* Mostly 0: any real sleep lasts until the next 10 ms tick. */
		((long *)p)[1] = below(16) ? 0 : (long)below(10000000);
	}
}

/* Before the call: make sure it cannot sleep or wait long (the header). */
static void before_call(long nr, unsigned long a[6])
{
	if (nr == LOS_NR_nanosleep)
		short_timespec(a[0]);
	if (nr == LOS_NR_clock_nanosleep)
		short_timespec(a[2]);
	if (nr == LOS_NR_open)
		a[1] &= ~(unsigned long)OPEN_CHANGES;   /* read-only opens only */
	if (nr == LOS_NR_openat)
		a[2] &= ~(unsigned long)OPEN_CHANGES;
	if (nr == LOS_NR_poll)
		a[2] = below(16) ? 0 : below(11);       /* ms */
	if (nr == LOS_NR_ppoll) {
		if (a[2] == 0)
			a[2] = scratch_pointer();       /* NULL would wait forever */
		short_timespec(a[2]);
	}
}

/* After the call: undo what would damage or block this child. */
static void after_call(long nr, unsigned long a[6], long ret)
{
	if ((nr == LOS_NR_fork || nr == LOS_NR_clone || nr == LOS_NR_vfork) && ret == 0)
		hostile_exit(0);                /* the new process: done at once */
	if ((nr == LOS_NR_pipe || nr == LOS_NR_pipe2) && ret == 0)
		SYS1(LOS_NR_close, ((int *)a[0])[1]);   /* no writer: reads see EOF */
	if (nr == LOS_NR_arch_prctl)
		SYS2(LOS_NR_arch_prctl, ARCH_SET_FS, saved_fs);
}

/* Where a grandchild's handlers and forged frames go: exit 0 at once,
 * needing no stack; or a handler that just returns, into the restorer:
 * rt_sigreturn, as libc's. */
__asm__(".text\n\t.globl fuzz_landing, fuzz_restorer\n"
	"fuzz_landing:\n\tmov $231, %eax\n\txor %edi, %edi\n\tsyscall\n\tud2\n"
	"fuzz_restorer:\n\tmov $15, %eax\n\tsyscall\n\tud2\n"
	"fuzz_return:\n\tret\n");
void fuzz_landing(void);
void fuzz_restorer(void);
void fuzz_return(void);

/* Mostly good, sometimes an address no code runs at (never this program's
 * .text: a jump into the middle of it could loop for ever). */
static unsigned long mostly(unsigned long good)
{
	static const unsigned long bad[] = {
		0, BAD_UNMAPPED, BAD_KERNEL_TEXT, BAD_NONCANON_LO, BAD_NONCANON_HI, BAD_USER_TOP,
	};

	return below(4) ? good : bad[below(sizeof bad / sizeof bad[0])];
}

/* A pid for a grandchild's kill/tkill/tgkill: only ever itself (me, 0 or
 * -me: it leads its own group) or no process at all. */
static unsigned long own_pid(long me)
{
	static const long none[] = { 0x3fffffff, -0x3fffffff, 4194304 };

	switch (below(4)) {
	case 0: return (unsigned long)(below(2) ? 0 : -me);
	case 1: return (unsigned long)none[below(3)];
	default: return (unsigned long)me;
	}
}

/* A struct sigaction in the region for a grandchild's rt_sigaction:
 * handler default, ignore, an exit, a return, or bad; any flags; the real
 * restorer mostly. */
static unsigned long forged_sigaction(void)
{
	unsigned long *sa = (unsigned long *)scratch_pointer();
	static const unsigned long handlers[] = { 0, 1, 0, 1 };

	sa = (unsigned long *)((unsigned long)sa & ~7UL);
	if ((unsigned long)(sa + 4) > (unsigned long)region + R_FRAME)
		sa -= 8;
	sa[0] = below(4) == 0 ? handlers[below(4)] :
	    mostly((unsigned long)(below(2) ? fuzz_landing : fuzz_return));
	sa[1] = below(4) ? SA_RESTORER | (next_rand() & 0xdc000007UL) : flags_arg();
	sa[2] = mostly((unsigned long)fuzz_restorer);
	sa[3] = below(2) ? 0 : next_rand();
	return (unsigned long)sa;
}

/* A forged rt_sigframe at R_FRAME: random registers, but mostly a user code
 * selector, a rip that exits (fuzz_landing) and a stack in the region; the
 * fxsave image random with a valid MXCSR mostly.  Returns the rsp that
 * rt_sigreturn expects (the frame + 8: the handler's ret popped pretcode). */
static unsigned long forged_frame(void)
{
	unsigned long *f = (unsigned long *)(region + R_FRAME), *sc = f + 6;
	unsigned int *fx = (unsigned int *)(region + R_FXSAVE);

	for (int i = 0; i < FRAME_SIZE / 8; i++)
		f[i] = below(2) ? next_rand() : small_int();
	for (int i = 0; i < 128; i++)
		fx[i] = (unsigned int)next_rand();
	fx[6] = below(4) ? 0x1f80 : (unsigned int)next_rand();          /* MXCSR */
	sc[16] = mostly((unsigned long)fuzz_landing);                    /* rip */
	sc[15] = mostly((unsigned long)region + R_LANDING_STACK);        /* rsp */
	sc[18] = below(4) ? USER_CS : next_rand() & 0xffff;              /* cs, gs, fs, ss */
	sc[23] = below(4) ? (unsigned long)fx : mostly(0);               /* fpstate */
	return (unsigned long)(f + 1);
}

/* The grandchild: one risky call (its arguments made safe), then a signal
 * to itself, then exit.  Never returns. */
static void grandchild(long nr, unsigned long a[6])
{
	long me = SYS0(LOS_NR_getpid);

	SYS2(LOS_NR_setpgid, 0, 0);     /* kill(0) and kill(-me) reach only it */
	if (nr == LOS_NR_rt_sigreturn) {
		__asm__ volatile("mov %0, %%rsp\n\tsyscall\n\tud2"
		    : : "r"(forged_frame()), "a"((long)LOS_NR_rt_sigreturn) : "rcx", "r11", "memory");
	}
	if (nr == LOS_NR_kill)
		a[0] = own_pid(me);
	if (nr == LOS_NR_tkill)
		a[0] = below(4) ? (unsigned long)me : own_pid(me);
	if (nr == LOS_NR_tgkill)
		a[0] = a[1] = below(4) ? (unsigned long)me : own_pid(me);
	if (nr == LOS_NR_rt_sigaction && below(4)) {
		a[1] = forged_sigaction();
		a[3] = below(8) ? 8 : a[3];     /* sizeof(sigset_t), mostly */
	}
	los_syscall6(nr, (long)a[0], (long)a[1], (long)a[2], (long)a[3], (long)a[4], (long)a[5]);
	SYS2(LOS_NR_kill, me, below(4) ? (long)a[0] : (long)small_int());
	hostile_exit(0);
}

/* nr in a throwaway grandchild (see the header); the child waits for it
 * whatever ends it, and kills it if a signal stopped it. */
static void risky_call(long nr, unsigned long a[6])
{
	long pid = los_fork();
	int st = 0;

	if (pid == 0)
		grandchild(nr, a);
	if (pid < 0)
		return;
	if (SYS4(LOS_NR_wait4, pid, &st, WUNTRACED, 0) == pid && (st & 0xff) == 0x7f) {
		SYS2(LOS_NR_kill, pid, SIGKILL);
		SYS4(LOS_NR_wait4, pid, &st, 0, 0);
	}
}

/* Lay out the region: paths, argv arrays over them, iovec arrays. */
static void fill_region(void)
{
	unsigned long *argv = (unsigned long *)(region + R_ARGV);
	unsigned long *iov = (unsigned long *)(region + R_IOV);

	for (size_t i = 0; i < NPATHS; i++)
		strcpy(region + R_PATHS + 64 * i, paths[i]);
	for (int i = 0; i < 15; i++)
		argv[i] = path_pointer();
	argv[7] = 0;                            /* two arrays end here ... */
	argv[15] = 0;                           /* ... and here */
	argv[11] = BAD_KERNEL_DMAP;             /* a bad element in the second */
	for (int i = 0; i < 32; i++) {
		iov[2 * i] = below(4) ? scratch_pointer() : bad_pointer();
		iov[2 * i + 1] = below(4) ? below(200) : size_arg();
	}
}

static void print_call(long nr, const unsigned long a[6])
{
	char line[200];

	snprintf(line, sizeof line, "call %ld (%#lx, %#lx, %#lx, %#lx, %#lx, %#lx)\n",
	    nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	hostile_puts(VERBOSE_FD, line);
}

/* Descriptors 0..5 for the calls to work on: a file, a directory, a
 * bad ELF, both ends of a non-blocking pipe (reads and writes that would
 * wait answer EAGAIN instead), a dup of the file. */
static void open_fds(void)
{
	int p[2];

	SYS2(LOS_NR_open, region + R_PATHS + 64 * 4, 0);          /* /etc/hello.txt */
	SYS2(LOS_NR_open, region + R_PATHS + 64 * 5, 0);          /* /etc */
	SYS2(LOS_NR_open, region + R_PATHS + 64 * 1, 0);          /* a bad ELF */
	SYS2(LOS_NR_pipe2, p, O_NONBLOCK);
	SYS1(LOS_NR_dup, 0);
}

/* The child: calls calls with seed; exits 0 when it made them all. */
static void fuzz_batch(unsigned long seed, long calls)
{
	long nr, ret, p;
	unsigned long a[6];

	if (verbose)
		SYS2(LOS_NR_dup2, 1, VERBOSE_FD);
	for (int fd = 0; fd < NOFILE - (verbose ? 1 : 0); fd++)
		SYS1(LOS_NR_close, fd);
	rng = seed ? seed : 1;
	p = los_syscall6(LOS_NR_mmap, 0, REGION_SIZE, 3, 0x22, -1, 0);
	if (p < 0)
		hostile_exit(3);
	region = (char *)p;
	fill_region();
	open_fds();
	SYS2(LOS_NR_arch_prctl, ARCH_GET_FS, &saved_fs);
	SYS4(LOS_NR_rt_sigaction, SIGPIPE, sig_ignore, 0, 8);   /* EPIPE, not death */
	for (long i = 0; i < calls; i++) {
		draw_call(&nr, a);
		before_call(nr, a);
		if (verbose)
			print_call(nr, a);
		if (listed(nr, in_grandchild, sizeof in_grandchild / sizeof in_grandchild[0])) {
			risky_call(nr, a);
			continue;
		}
		ret = los_syscall6(nr, (long)a[0], (long)a[1], (long)a[2], (long)a[3],
		    (long)a[4], (long)a[5]);
		after_call(nr, a, ret);
	}
	hostile_exit(0);
}

/* Fork a batch's child, retrying while the system is short of slots or
 * memory (a previous batch's orphans may still be on their way out). */
static long start_batch(unsigned long seed, long calls)
{
	long pid;

	for (int tries = 0; tries < 1000; tries++) {
		fflush(stdout);
		pid = los_fork();
		if (pid == 0)
			fuzz_batch(seed, calls);
		if (pid != -EAGAIN && pid != -ENOMEM)
			return pid;
		SYS0(LOS_NR_sched_yield);
	}
	return pid;
}

struct totals {
	long planned, calls, batches, killed, bad_exit;
};

/* Run batch number b and account for it. */
static void run_batch(unsigned long seed, long b, long calls, struct totals *t)
{
	long pid = start_batch(seed ^ (unsigned long)b, calls), st;

	if (pid < 0) {
		printf("hostile_fuzz: FAIL batch %ld: fork: %ld\n", b, pid);
		t->bad_exit++;
		return;
	}
	st = hostile_wait(pid);
	t->batches++;
	t->planned += calls;
	if (st == 0) {
		t->calls += calls;
	} else if (st > 0 && !HOSTILE_EXITED(st)) {
		t->killed++;
		printf("hostile_fuzz: FAIL batch %ld killed by signal %ld; replay: "
		    "hostile_fuzz -s %lu -b %ld -o %ld -v\n", b, st & 0x7f, seed, calls, b);
	} else {
		t->bad_exit++;
		printf("hostile_fuzz: FAIL batch %ld: status %#lx\n", b, st);
	}
}

int main(int argc, char **argv)
{
	long total = 20000, batch = 1000, only = -1, before, after, left;
	unsigned long seed = 0x5eed1e55UL;
	struct totals t = { 0 };
	int opt, leftover;

	while ((opt = getopt(argc, argv, "n:s:b:o:v")) != -1) {
		switch (opt) {
		case 'n': total = atol(optarg); break;
		case 's': seed = strtoul(optarg, NULL, 0); break;
		case 'b': batch = atol(optarg); break;
		case 'o': only = atol(optarg); break;
		case 'v': verbose = 1; break;
		default:
			fprintf(stderr, "usage: hostile_fuzz [-n CALLS] [-s SEED] [-b BATCH] "
			    "[-o ONLY_BATCH] [-v]\n");
			return 2;
		}
	}
	hostile_start();
	if (batch < 1)
		batch = 1;
	printf("hostile_fuzz: seed %#lx, %ld calls, batches of %ld\n", seed, total, batch);
	run_batch(seed, -1, 10, &t);            /* warm up (not counted) */
	t = (struct totals){ 0 };
	before = hostile_settled_freeram();
	if (only >= 0) {
		run_batch(seed, only, batch, &t);
	} else {
		for (long b = 0; (left = total - b * batch) > 0; b++)
			run_batch(seed, b, left < batch ? left : batch, &t);
	}
	after = hostile_settled_freeram();
	leftover = hostile_reap_all();
	printf("hostile_fuzz: %ld batches, %ld killed, %ld bad exits, %d left unreaped\n",
	    t.batches, t.killed, t.bad_exit, leftover);
	printf("hostile_fuzz: %ld cases, %ld survived, freeram before %ld after %ld\n",
	    t.planned, t.calls, before, after);
	return t.killed || t.bad_exit || leftover || before != after ? 1 : 0;
}
