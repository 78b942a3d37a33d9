/*
 * suite_test_signal: process groups, sessions, and the console as a
 * controlling terminal.  The pgrp tests are portable; the tty tests need
 * fd 0 to be Levitate's console with nothing typed (as under test_runner).
 */
#include <errno.h>
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
	if (ioctl(0, TIOCSPGRP, &(pid_t){ 99999 }) != -1 || errno != EPERM)
		return 6;
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
