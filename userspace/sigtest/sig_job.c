/*
 * suite_test_signal: process groups, sessions, and the console as a
 * controlling terminal.  The pgrp tests are portable; the tty tests need
 * fd 0 to be Levitate's console with nothing typed (as under test_runner).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "suite.h"
#include "sigtest.h"

static int session_child(void)
{
	pid_t me = getpid();

	if (setsid() != me || getsid(0) != me || getpgrp() != me)
		return 3;
	if (setpgid(0, 0) != -1 || errno != EPERM)      /* a session leader */
		return 4;
	return setsid() == -1 && errno == EPERM ? 0 : 5;
}

int test_pgrp_setpgid_setsid(void)
{
	pid_t pid;
	int st;

	EXPECT_EQ(getpgrp(), getpgid(0));
	EXPECT_EQ(getsid(0), getsid(getpid()));
	EXPECT_EQ(setpgid(0, 0), 0);
	EXPECT_EQ(getpgrp(), getpid());
	EXPECT_ERRNO(setsid(), EPERM);                  /* a group leader */
	EXPECT_ERRNO(setpgid(1, 0), ESRCH);             /* not a child */
	EXPECT_ERRNO(setpgid(0, 99999), EPERM);         /* no such group */
	EXPECT_ERRNO(setpgid(0, -1), EINVAL);
	EXPECT_ERRNO(getpgid(99999), ESRCH);
	pid = fork_child(session_child);
	EXPECT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT(WIFEXITED(st));
	EXPECT_EQ(WEXITSTATUS(st), 0);
	return 0;
}

/* Where a grandchild of a test reports: its pid, then one byte. */
static int report[2];

/* Run middle, which forks the grandchild and exits 0, then wait up to 10 s
 * for the grandchild's byte: 0 with *byte set, else a test failure.  A
 * grandchild that never answers (one the kernel stopped) is killed, so the
 * test fails instead of hanging. */
static int grandchild_byte(int (*middle)(void), char *byte)
{
	pid_t mid, grandchild = 0;
	int st, got;
	struct pollfd in;

	EXPECT_EQ(pipe(report), 0);
	mid = fork_child(middle);
	EXPECT_EQ(waitpid(mid, &st, 0), mid);
	EXPECT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(report[1]);
	EXPECT_EQ(read(report[0], &grandchild, sizeof(grandchild)), (ssize_t)sizeof(grandchild));
	in = (struct pollfd){ .fd = report[0], .events = POLLIN };
	got = poll(&in, 1, 10000) == 1 ? (int)read(report[0], byte, 1) : 0;
	if (got != 1)
		kill(grandchild, SIGKILL);
	close(report[0]);
	EXPECT_EQ(got, 1);
	return 0;
}

static void on_hangup(int sig)
{
	char c = 'H';

	(void)sig;
	_exit(write(report[1], &c, 1) == 1 ? 0 : 3);
}

/* A job of its own group that stops itself, as after Ctrl-Z. */
static int stopped_job(void)
{
	pid_t me = getpid();

	signal(SIGHUP, on_hangup);
	if (setpgid(0, 0) != 0 || write(report[1], &me, sizeof(me)) != sizeof(me))
		return 3;
	raise(SIGSTOP);
	return 4;                                   /* continued, but no SIGHUP */
}

/* The job's shell: waits until its job is stopped, then exits. */
static int job_shell(void)
{
	int st;
	pid_t job = fork_child(stopped_job);

	return job > 0 && waitpid(job, &st, WUNTRACED) == job && WIFSTOPPED(st) ? 0 : 3;
}

/* When a job's shell exits, the job's group is orphaned (its only member's
 * parent is init now) with a stopped member: nobody could continue it, so
 * it gets SIGHUP and SIGCONT (Linux's kill_orphaned_pgrp), and dies of the
 * SIGHUP or, here, runs its handler. */
int test_pgrp_orphaned_stopped_job_gets_sighup(void)
{
	char c = 0;

	EXPECT_EQ(grandchild_byte(job_shell, &c), 0);
	EXPECT_EQ(c, 'H');
	return 0;
}

static int gate[2];

/* A child that exits when the parent closes the gate's write end. */
static int wait_gate(void)
{
	char c;

	close(gate[1]);
	return read(gate[0], &c, 1) == 0 ? 0 : 3;
}

int test_pgrp_wait_by_group(void)
{
	pid_t a, b;
	int st;

	EXPECT_EQ(pipe(gate), 0);
	a = fork_child(wait_gate);
	b = fork_child(wait_gate);
	EXPECT_EQ(setpgid(a, a), 0);
	close(gate[0]);
	close(gate[1]);                                  /* both may exit now */
	EXPECT_EQ(waitpid(-a, &st, 0), a);               /* group a: only a */
	EXPECT_EQ(waitpid(-a, &st, WNOHANG), -1);
	EXPECT_EQ(waitpid(0, &st, 0), b);                /* our group: b */
	EXPECT_ERRNO(waitpid(0, &st, 0), ECHILD);
	return 0;
}

static void on_alarm(int sig) { (void)sig; }

/* A read of the console with nothing typed, interrupted by SIGALRM. */
int test_tty_read_eintr(void)
{
	char c;

	EXPECT_EQ(catch_signal(SIGALRM, on_alarm, 0), 0);
	EXPECT_EQ(arm_timer_ms(30), 0);
	EXPECT_ERRNO(read(0, &c, 1), EINTR);
	return 0;
}

static int background_read(void)
{
	char c;

	setpgid(0, 0);
	return read(0, &c, 1) == -1 ? 3 : 4;             /* stopped before this */
}

int test_tty_background_read_sigttin(void)
{
	pid_t pid = fork_child(background_read);
	int st;

	EXPECT_EQ(waitpid(pid, &st, WUNTRACED), pid);
	EXPECT(WIFSTOPPED(st));
	EXPECT_EQ(WSTOPSIG(st), SIGTTIN);
	EXPECT_EQ(kill(pid, SIGKILL), 0);
	EXPECT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	return 0;
}

static int background_write(void)
{
	setpgid(0, 0);
	return write(1, "\n", 1) == 1 ? 4 : 3;           /* stopped before this */
}

static int background_write_ignoring(void)
{
	signal(SIGTTOU, SIG_IGN);
	setpgid(0, 0);
	return write(1, "\n", 1) == 1 ? 0 : 3;
}

/* With TOSTOP, a background write to the terminal stops the writer's group
 * with SIGTTOU (Linux's tty_check_change); ignoring SIGTTOU lets it write. */
int test_tty_background_write_sigttou(void)
{
	struct termios old, t;
	pid_t pid, quiet;
	int st, qst;

	EXPECT_EQ(tcgetattr(0, &old), 0);
	t = old;
	t.c_lflag |= TOSTOP;
	EXPECT_EQ(tcsetattr(0, TCSANOW, &t), 0);
	pid = fork_child(background_write);
	quiet = fork_child(background_write_ignoring);
	waitpid(pid, &st, WUNTRACED);
	waitpid(quiet, &qst, 0);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	EXPECT_EQ(tcsetattr(0, TCSANOW, &old), 0);
	EXPECT(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTOU);
	EXPECT(WIFEXITED(qst) && WEXITSTATUS(qst) == 0);
	return 0;
}

static int take_foreground(void)
{
	pid_t old, now;

	signal(SIGTTOU, SIG_IGN);
	setpgid(0, 0);
	if (ioctl(0, TIOCGPGRP, &old) != 0)
		return 3;
	if (ioctl(0, TIOCSPGRP, &(pid_t){ getpgrp() }) != 0)
		return 4;
	if (ioctl(0, TIOCGPGRP, &now) != 0 || now != getpgrp())
		return 5;
	if (ioctl(0, TIOCSPGRP, &(pid_t){ 99999 }) != -1 || errno != ESRCH)
		return 6;                                 /* no such group (Linux: ESRCH) */
	return ioctl(0, TIOCSPGRP, &old) == 0 ? 0 : 7;
}

int test_tty_foreground_group(void)
{
	pid_t fg, pid;
	int st;

	EXPECT_EQ(ioctl(0, TIOCGPGRP, &fg), 0);
	EXPECT_EQ(fg, getpgrp());
	pid = fork_child(take_foreground);
	EXPECT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT(WIFEXITED(st));
	EXPECT_EQ(WEXITSTATUS(st), 0);
	EXPECT_EQ(ioctl(0, TIOCGPGRP, &fg), 0);
	EXPECT_EQ(fg, getpgrp());
	return 0;
}

static int background_change(void)
{
	struct termios t;

	setpgid(0, 0);
	if (tcgetattr(0, &t) != 0)
		return 5;
	return tcsetattr(0, TCSANOW, &t) == 0 ? 4 : 3;   /* stopped before this */
}

static int background_change_ignoring(void)
{
	struct termios t;

	signal(SIGTTOU, SIG_IGN);
	setpgid(0, 0);
	if (tcgetattr(0, &t) != 0)
		return 5;
	return tcsetattr(0, TCSANOW, &t) == 0 ? 0 : 3;
}

static int background_set_pgrp(void)
{
	setpgid(0, 0);
	return ioctl(0, TIOCSPGRP, &(pid_t){ getpgrp() }) == 0 ? 4 : 3;
}

/* A background process changing the terminal (tcsetattr, TIOCSPGRP) is
 * stopped by SIGTTOU even without TOSTOP, unless it ignores SIGTTOU: Linux's
 * tty_check_change, which shells rely on to stay out of a job's way. */
int test_tty_background_change_sigttou(void)
{
	pid_t change, setpg, quiet;
	int st, pst, qst;

	change = fork_child(background_change);
	setpg = fork_child(background_set_pgrp);
	quiet = fork_child(background_change_ignoring);
	waitpid(change, &st, WUNTRACED);
	waitpid(setpg, &pst, WUNTRACED);
	waitpid(quiet, &qst, 0);
	kill(change, SIGKILL);
	kill(setpg, SIGKILL);
	waitpid(change, NULL, 0);
	waitpid(setpg, NULL, 0);
	EXPECT(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTOU);
	EXPECT(WIFSTOPPED(pst) && WSTOPSIG(pst) == SIGTTOU);
	EXPECT(WIFEXITED(qst) && WEXITSTATUS(qst) == 0);
	return 0;
}

/* In a group of its own whose only member's parent is init (an orphaned
 * group): what job control answers it, as one byte per check. */
static int orphan_checks(void)
{
	struct termios t;
	char c, bits = 0;

	pid_t me = getpid();

	if (write(report[1], &me, sizeof(me)) != sizeof(me) || setpgid(0, 0) != 0 ||
	    tcgetattr(0, &t) != 0)
		return 3;
	for (int i = 0; i < 5000 && getppid() != 1; i++)
		usleep(1000);                         /* the middle process exits */
	if (getppid() != 1)
		return 4;
	if (tcsetattr(0, TCSANOW, &t) == -1 && errno == EIO)
		bits |= 1;
	if (read(0, &c, 1) == -1 && errno == EIO)
		bits |= 2;
	if (ioctl(0, TIOCSPGRP, &(pid_t){ getpgrp() }) == -1 && errno == ENOTTY)
		bits |= 4;
	return write(report[1], &bits, 1) == 1 ? 0 : 5;
}

static int orphan_parent(void)
{
	return fork_child(orphan_checks) > 0 ? 0 : 3;  /* exits at once: init adopts */
}

/* An orphaned background group is never stopped (no shell of the session
 * could continue it): a change of the terminal, a read and TIOCSPGRP fail
 * with EIO, EIO and ENOTTY instead of SIGTTOU/SIGTTIN. */
int test_tty_orphaned_group_gets_eio(void)
{
	char bits = 0;

	EXPECT_EQ(grandchild_byte(orphan_parent, &bits), 0);
	EXPECT_EQ(bits, 7);
	return 0;
}
