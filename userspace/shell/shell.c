/*
 * shell: Levitate's interactive shell.
 *
 * Prints "$ ", reads a line, splits it into words and runs it: a builtin
 * (exit, help, cd, pwd) or the program /bin/NAME (NAME itself when it contains a
 * '/') in a child started with fork + exec (los_fork_exec).  $? is the last status: the
 * child's exit code, 128 + signal when it was killed, 127 when the program
 * does not exist, 126 when it cannot be run.  Words are separated by
 * whitespace; double quotes keep spaces; "$?" expands inside any word.
 * An unquoted '|' joins commands into a pipeline (each one's output feeds
 * the next; $? is the last one's status) and "< FILE" feeds the first
 * command from FILE.  At end of input the shell exits with the last status.
 *
 * Ctrl-C: the terminal sends SIGINT to its foreground group, which holds the
 * shell and the program it runs.  The shell catches it (so it lives on; exec
 * gives the program the default action, so the program ends), without
 * SA_RESTART: a wait or the prompt's read ends with EINTR, and the prompt
 * starts over.
 *
 * The console's line discipline (echo, backspace) is in the kernel: one
 * read returns one line.  Input from a pipe may hold several lines per read,
 * so lines are cut from a buffer anyway.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libsyscall.h"

#define MAX_LINE 1024
#define MAX_WORDS 128
#define MAX_STAGES 16
#define WRAP_COLUMN 72

/* Bytes read from fd 0 and not yet returned as a line. */
struct input {
	char buf[MAX_LINE];
	size_t len;
	int eof;
};

/* Words of one line, stored back to back in store.  op[i] marks an
 * unquoted operator ("|" or "<"), as opposed to a word that merely says so. */
struct words {
	char store[2 * MAX_LINE];
	size_t used;
	char *word[MAX_WORDS + 1];
	char op[MAX_WORDS + 1];
	int count;
};

#define INTERRUPTED (-2)

/* SIGINT (Ctrl-C): nothing to do but end the call it interrupts. */
static void on_interrupt(int sig)
{
	(void)sig;
}

/*
 * Move the next line (without its '\n') from in into line (at least
 * MAX_LINE + 1 bytes).  A line longer than the buffer is cut at MAX_LINE
 * bytes; an unterminated last line is returned as a line.  Returns the
 * line's length, -1 at end of input, or INTERRUPTED after Ctrl-C (the
 * terminal threw the typed line away; so does the shell).
 */
static int read_line(struct input *in, char *line)
{
	char *nl;
	size_t take, skip;
	ssize_t n;

	for (;;) {
		nl = memchr(in->buf, '\n', in->len);
		if (nl || in->eof || in->len == sizeof in->buf)
			break;
		n = read(0, in->buf + in->len, sizeof in->buf - in->len);
		if (n < 0 && errno == EINTR) {
			in->len = 0;
			return INTERRUPTED;
		}
		if (n <= 0)
			in->eof = 1;
		else
			in->len += n;
	}
	if (!nl && in->len == 0)
		return -1;
	take = nl ? (size_t)(nl - in->buf) : in->len;
	skip = nl ? take + 1 : take;
	memcpy(line, in->buf, take);
	line[take] = '\0';
	memmove(in->buf, in->buf + skip, in->len - skip);
	in->len -= skip;
	return (int)take;
}

/* Append n bytes to the word being built.  Returns 0, or -1 if full. */
static int put_bytes(struct words *w, const char *s, size_t n)
{
	if (w->used + n >= sizeof w->store)
		return -1;
	memcpy(w->store + w->used, s, n);
	w->used += n;
	return 0;
}

/* Start a new word at the end of the store.  Returns 0, or -1 if full. */
static int start_word(struct words *w)
{
	if (w->count == MAX_WORDS)
		return -1;
	w->op[w->count] = 0;
	w->word[w->count++] = w->store + w->used;
	return 0;
}

/* Add the operator c as a word of its own.  Returns 0, or -1 if full. */
static int put_operator(struct words *w, char c)
{
	if (start_word(w) < 0)
		return -1;
	w->op[w->count - 1] = c;
	return put_bytes(w, &c, 1) < 0 ? -1 : put_bytes(w, "", 1);
}

/*
 * Split line into w, expanding "$?" to status.  Returns the number of
 * words, or -1 after printing why the line cannot be split.
 */
static int split_words(const char *line, int status, struct words *w)
{
	char num[16];
	int quoted = 0, in_word = 0, err = 0;
	const char *p;

	snprintf(num, sizeof num, "%d", status);
	w->used = 0;
	w->count = 0;
	for (p = line; *p && !err; p++) {
		if (!quoted && (isspace((unsigned char)*p) || *p == '|' || *p == '<')) {
			if (in_word)
				err = put_bytes(w, "", 1);
			in_word = 0;
			if (!err && !isspace((unsigned char)*p))
				err = put_operator(w, *p);
			continue;
		}
		if (!in_word && (err = start_word(w)) < 0)
			break;
		in_word = 1;
		if (*p == '"')
			quoted = !quoted;
		else if (p[0] == '$' && p[1] == '?') {
			err = put_bytes(w, num, strlen(num));
			p++;
		} else
			err = put_bytes(w, p, 1);
	}
	if (in_word && !err)
		err = put_bytes(w, "", 1);
	if (err || quoted) {
		fprintf(stderr, "shell: %s\n",
		    err ? "line has too many words" : "unterminated quote");
		return -1;
	}
	w->word[w->count] = NULL;
	return w->count;
}

/* Builtin "exit [N]": does not return. */
static void builtin_exit(char **argv, int status)
{
	char *end;
	long n;

	if (argv[1]) {
		n = strtol(argv[1], &end, 10);
		if (*argv[1] == '\0' || *end != '\0') {
			fprintf(stderr, "shell: exit: %s: number expected\n",
			    argv[1]);
			exit(2);
		}
		status = (int)(n & 0xff);
	}
	exit(status);
}

/* Builtin "cd [DIR]" (default /).  Returns its status. */
static int builtin_cd(char **argv)
{
	const char *dir = argv[1] ? argv[1] : "/";

	if (chdir(dir) == 0)
		return 0;
	fprintf(stderr, "shell: cd: %s: %s\n", dir, strerror(errno));
	return 1;
}

/* Builtin "pwd".  Returns its status. */
static int builtin_pwd(void)
{
	char dir[MAX_LINE];

	if (!getcwd(dir, sizeof dir)) {
		fprintf(stderr, "shell: pwd: %s\n", strerror(errno));
		return 1;
	}
	printf("%s\n", dir);
	return 0;
}

/* Print name in a row of names wrapped at WRAP_COLUMN; *col is the row's width. */
static void print_wrapped(const char *name, int *col)
{
	int len = (int)strlen(name);

	if (*col > 2 && *col + 1 + len > WRAP_COLUMN) {
		printf("\n");
		*col = 0;
	}
	if (*col == 0) {
		printf("  %s", name);
		*col = 2 + len;
	} else {
		printf(" %s", name);
		*col += 1 + len;
	}
}

/* Print the names in directory path, skipping dot files.  Returns 0 or 1. */
static int list_programs(const char *path)
{
	char buf[2048];
	long n, off;
	int col = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		fprintf(stderr, "shell: help: %s: %s\n", path, strerror(errno));
		return 1;
	}
	while ((n = los_syscall6(LOS_NR_getdents64, fd, (long)buf, sizeof buf, 0, 0, 0)) > 0) {
		for (off = 0; off < n;) {
			struct dirent *d = (struct dirent *)(buf + off);

			if (d->d_name[0] != '.')
				print_wrapped(d->d_name, &col);
			off += d->d_reclen;
		}
	}
	if (col)
		printf("\n");
	close(fd);
	return n < 0;
}

/* Builtin "help".  Returns its status. */
static int builtin_help(void)
{
	printf("builtins:\n  exit [N]  help  cd [DIR]  pwd\nprograms in /bin:\n");
	return list_programs("/bin");
}

/* Status of a finished child; says so when it was killed. */
static int child_status(const char *name, int wstatus)
{
	int sig;

	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	sig = WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
	/* After Ctrl-C or Ctrl-\ the terminal's "^C" ends the line: start a new one. */
	fprintf(stderr, "%sshell: %s: killed by signal %d (%s)\n",
	    sig == SIGINT || sig == SIGQUIT ? "\n" : "", name, sig, strsignal(sig));
	return 128 + sig;
}

/* waitpid(pid), again when Ctrl-C interrupts it: the child got SIGINT too. */
static pid_t wait_child(pid_t pid, int *wstatus)
{
	pid_t r;

	while ((r = waitpid(pid, wstatus, 0)) < 0 && errno == EINTR)
		;
	return r;
}

/* Report that name could not be started (err is a positive errno); returns $?. */
static int start_failed(const char *name, int err)
{
	if (err == ENOENT) {
		fprintf(stderr, "shell: %s: command not found\n", name);
		return 127;
	}
	if (err == ENOEXEC)
		fprintf(stderr, "shell: %s: exec format error\n", name);
	else
		fprintf(stderr, "shell: %s: %s\n", name, strerror(err));
	return 126;
}

/* Path of the program a command names: NAME itself when it has a '/'. */
static void program_path(const char *name, char *path, size_t size)
{
	snprintf(path, size, strchr(name, '/') ? "%s" : "/bin/%s", name);
}

/* Run argv[0] as a program and wait for it.  Returns its status for $?. */
static int run_program(char **argv)
{
	char path[MAX_LINE + 8];
	const char *name = argv[0];
	int wstatus;
	long pid;

	program_path(name, path, sizeof path);
	fflush(stdout);
	pid = los_fork_exec(path, argv);
	if (pid < 0)
		return start_failed(name, (int)-pid);
	if (wait_child((pid_t)pid, &wstatus) < 0) {
		fprintf(stderr, "shell: %s: wait: %s\n", name, strerror(errno));
		return 126;
	}
	return child_status(name, wstatus);
}

/* A pipeline: its commands' argv (NULL-terminated slices of the words) and
 * the file its first command reads, if any. */
struct pipeline {
	char **argv[MAX_STAGES];
	int stages;
	const char *input;
};

/* Cut w into a pipeline at its operators.  Returns 0, or -1 after saying why. */
static int parse_pipeline(struct words *w, struct pipeline *pl)
{
	int start = 0;

	pl->stages = 0;
	pl->input = NULL;
	for (int i = 0; i <= w->count; i++) {
		char op = i < w->count ? w->op[i] : '|';
		if (!op)
			continue;
		if (op == '<') {
			/* Only "CMD [ARGS] < FILE" as the first stage. */
			if (pl->input || pl->stages > 0 || i == start || i + 1 >= w->count ||
			    w->op[i + 1] || (i + 2 < w->count && w->op[i + 2] != '|')) {
				fprintf(stderr, "shell: < takes one file, after the first command\n");
				return -1;
			}
			pl->input = w->word[i + 1];
			w->word[i] = NULL;         /* ends the first command's argv */
			i++;                       /* the file name is no argument */
			continue;
		}
		if (i == start || pl->stages == MAX_STAGES) {
			fprintf(stderr, "shell: %s\n", i == start ? "empty command in a pipeline"
			    : "pipeline too long");
			return -1;
		}
		w->word[i] = NULL;
		pl->argv[pl->stages++] = &w->word[start];
		start = i + 1;
	}
	return 0;
}

/* Start argv with fd 0 and fd 1 replaced by in and out (-1: keep): children
 * inherit the descriptor table, so the shell swaps its own around the start
 * and puts them back.  Returns the pid, or -errno. */
static long start_with_fds(char **argv, int in, int out)
{
	char path[MAX_LINE + 8];
	int saved[2] = { -1, -1 }, fds[2] = { in, out };
	long pid = 0;

	program_path(argv[0], path, sizeof path);
	for (int i = 0; i < 2 && pid == 0; i++) {
		if (fds[i] < 0)
			continue;
		saved[i] = fcntl(i, F_DUPFD_CLOEXEC, 10);
		if (saved[i] < 0 || dup2(fds[i], i) < 0)
			pid = -errno;
	}
	if (pid == 0)
		pid = los_fork_exec(path, argv);
	for (int i = 0; i < 2; i++) {
		if (saved[i] >= 0) {
			dup2(saved[i], i);
			close(saved[i]);
		}
	}
	return pid;
}

/* Run a pipeline: every stage started, connected by close-on-exec pipes, then
 * all waited for.  Returns the last stage's status for $?. */
static int run_pipeline(const struct pipeline *pl)
{
	long pid[MAX_STAGES];
	int status = 0, in = -1, p[2];

	if (pl->input && (in = open(pl->input, O_RDONLY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "shell: %s: %s\n", pl->input, strerror(errno));
		return 1;
	}
	fflush(stdout);
	for (int i = 0; i < pl->stages; i++) {
		int last = i == pl->stages - 1;
		if (!last && pipe2(p, O_CLOEXEC) < 0) {
			fprintf(stderr, "shell: pipe: %s\n", strerror(errno));
			p[0] = p[1] = -1;
		}
		pid[i] = start_with_fds(pl->argv[i], in, last ? -1 : p[1]);
		if (pid[i] < 0)
			status = start_failed(pl->argv[i][0], (int)-pid[i]);
		if (in >= 0)
			close(in);
		if (!last)
			close(p[1]);
		in = last ? -1 : p[0];
	}
	for (int i = 0; i < pl->stages; i++) {
		int wstatus;
		if (pid[i] <= 0 || wait_child((pid_t)pid[i], &wstatus) != pid[i])
			continue;
		if (i == pl->stages - 1)
			status = child_status(pl->argv[i][0], wstatus);
	}
	return status;
}

/* Run one line.  Returns the new $? (unchanged for an empty line). */
static int run_line(const char *line, int status)
{
	static struct words w;
	struct pipeline pl;
	int n = split_words(line, status, &w);

	if (n < 0)
		return 2;
	if (n == 0)
		return status;
	if (parse_pipeline(&w, &pl) < 0)
		return 2;
	if (pl.stages > 1 || pl.input)
		return run_pipeline(&pl);
	if (strcmp(w.word[0], "exit") == 0)
		builtin_exit(w.word, status);
	if (strcmp(w.word[0], "help") == 0)
		return builtin_help();
	if (strcmp(w.word[0], "cd") == 0)
		return builtin_cd(w.word);
	if (strcmp(w.word[0], "pwd") == 0)
		return builtin_pwd();
	return run_program(w.word);
}

int main(void)
{
	static struct input in;
	static char line[MAX_LINE + 1];
	int status = 0, n;

	los_sigaction(SIGINT, on_interrupt, 0);
	for (;;) {
		fputs("$ ", stdout);
		fflush(stdout);
		n = read_line(&in, line);
		if (n == INTERRUPTED) {
			fputs("\n", stdout);
			continue;
		}
		if (n < 0)
			break;
		status = run_line(line, status);
	}
	return status;
}
