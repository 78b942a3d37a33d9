/*
 * shell: Levitate's interactive shell.
 *
 * Prints "$ ", reads a line, splits it into words and runs it: a builtin
 * (exit, help, cd, pwd) or the program /bin/NAME (NAME itself when it contains a
 * '/') in a child started with fork + exec (los_fork_exec).  $? is the last status: the
 * child's exit code, 128 + signal when it was killed, 127 when the program
 * does not exist, 126 when it cannot be run.  Words are separated by
 * whitespace; double quotes keep spaces and "$?" expands inside them and
 * in bare words; single quotes keep everything literally.
 * An unquoted '|' joins commands into a pipeline (each one's output feeds
 * the next; $? is the last one's status).  Redirections, on any command,
 * applied left to right: "< FILE" (input), "> FILE" (output, truncated),
 * ">> FILE" (appended), "2> FILE", "2>> FILE" (errors), "2>&1" (errors to
 * wherever output goes at that point).  At end of input the shell exits
 * with the last status.
 *
 * Ctrl-C: the terminal sends SIGINT to its foreground group, which holds the
 * shell and the program it runs.  The shell catches it (so it lives on; exec
 * gives the program the default action, so the program ends), without
 * SA_RESTART: a wait or the prompt's read ends with EINTR, and the prompt
 * starts over.  Ctrl-\ (SIGQUIT) likewise; Ctrl-Z (SIGTSTP) stops the
 * program, and since this shell has no job control it says so and lets the
 * program go on (SIGCONT).
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

/* Operators, as op[] codes: the ones that take a file name after them, and
 * the rest. */
#define OP_PIPE '|'
#define OP_IN '<'
#define OP_OUT '>'
#define OP_APPEND 'a'          /* >> */
#define OP_ERR 'e'             /* 2> */
#define OP_ERR_APPEND 'E'      /* 2>> */
#define OP_ERR_TO_OUT 'd'      /* 2>&1 */

/* Words of one line, stored back to back in store.  op[i] marks an
 * unquoted operator (OP_*), as opposed to a word that merely says so. */
struct words {
	char store[2 * MAX_LINE];
	size_t used;
	char *word[MAX_WORDS + 1];
	char op[MAX_WORDS + 1];
	int count;
};

#define INTERRUPTED (-2)

/* SIGINT, SIGQUIT, SIGTSTP (Ctrl-C, Ctrl-\\, Ctrl-Z): nothing to do but end
 * the call it interrupts. */
static volatile sig_atomic_t last_key_signal;

static void on_interrupt(int sig)
{
	last_key_signal = sig;
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

/* The operator at p (the start of ">", ">>", "<", "|"): its code, and in
 * *len how many characters it spans.  errs: the word before it is a bare
 * "2" written against it ("2>", "2>>", "2>&1"). */
static char operator_at(const char *p, int errs, int *len)
{
	*len = 1;
	if (*p != '>')
		return *p;
	if (errs && strncmp(p, ">&1", 3) == 0) {
		*len = 3;
		return OP_ERR_TO_OUT;
	}
	if (p[1] == '>') {
		*len = 2;
		return errs ? OP_ERR_APPEND : OP_APPEND;
	}
	return errs ? OP_ERR : OP_OUT;
}

/* Whether the word being built is just "2", typed unquoted (so "2>" is a
 * redirection of errors, and "x2>" or "'2'>" are not). */
static int word_is_fd2(const struct words *w, int in_word, const char *start, const char *p)
{
	return in_word && p - start == 1 && *start == '2' &&
	    w->store + w->used - w->word[w->count - 1] == 1;
}

/*
 * Split line into w, expanding "$?" to status.  Returns the number of
 * words, or -1 after printing why the line cannot be split.
 */
static int split_words(const char *line, int status, struct words *w)
{
	char num[16];
	int quoted = 0, in_word = 0, err = 0, len;
	const char *p, *start = line;

	snprintf(num, sizeof num, "%d", status);
	w->used = 0;
	w->count = 0;
	for (p = line; *p && !err; p++) {
		if (!quoted && (isspace((unsigned char)*p) || strchr("|<>", *p))) {
			int errs = *p == '>' && word_is_fd2(w, in_word, start, p);

			if (errs) {                     /* "2" was the operator's start */
				w->count--;
				w->used = (size_t)(w->word[w->count] - w->store);
			} else if (in_word)
				err = put_bytes(w, "", 1);
			in_word = 0;
			if (!err && !isspace((unsigned char)*p)) {
				err = put_operator(w, operator_at(p, errs, &len));
				p += len - 1;
			}
			continue;
		}
		if (!in_word && (err = start_word(w)) < 0)
			break;
		if (!in_word)
			start = p;
		in_word = 1;
		if (*p == '"' && quoted != '\'')
			quoted = quoted ? 0 : '"';
		else if (*p == '\'' && quoted != '"')
			quoted = quoted ? 0 : '\'';
		else if (p[0] == '$' && p[1] == '?' && quoted != '\'') {
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
	int fd = openat(AT_FDCWD, path, O_RDONLY);

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

/* waitpid(pid), again when Ctrl-C interrupts it (the child got SIGINT too).
 * Ctrl-Z stops the child; with no job control to bring it back later, the
 * shell says so and lets it go on. */
static pid_t wait_child(pid_t pid, int *wstatus)
{
	pid_t r;
	int options = 0;

	for (;;) {
		last_key_signal = 0;
		r = waitpid(pid, wstatus, options);
		options = last_key_signal == SIGTSTP ? WUNTRACED : 0;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || !WIFSTOPPED(*wstatus))
			return r;
		fprintf(stderr, "\nshell: pid %d stopped; no job control here, so it goes on\n", (int)pid);
		kill(pid, SIGCONT);
	}
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

/* One redirection of a command: its operator (OP_IN, OP_OUT, ...) and file. */
struct redir {
	char op;
	const char *file;
};

#define MAX_REDIRS 8

/* A command of a pipeline: its argv (a NULL-terminated slice of the words)
 * and its redirections, in the order written. */
struct stage {
	char **argv;
	struct redir redir[MAX_REDIRS];
	int nredir;
};

struct pipeline {
	struct stage stage[MAX_STAGES];
	int stages;
};

/* How an operator is written, for messages. */
static const char *op_text(char op)
{
	switch (op) {
	case OP_APPEND: return ">>";
	case OP_ERR: return "2>";
	case OP_ERR_APPEND: return "2>>";
	default: return op == OP_IN ? "<" : ">";
	}
}

/* Add redirection op (whose file, if it takes one, is word i + 1) to st.
 * Returns the index of the last word used, or -1 after saying why. */
static int add_redir(struct words *w, int i, struct stage *st)
{
	char op = w->op[i];
	const char *file = NULL;

	if (op != OP_ERR_TO_OUT) {
		if (i + 1 >= w->count || w->op[i + 1]) {
			fprintf(stderr, "shell: %s needs a file name\n", op_text(op));
			return -1;
		}
		file = w->word[++i];
	}
	if (st->nredir == MAX_REDIRS) {
		fprintf(stderr, "shell: too many redirections\n");
		return -1;
	}
	st->redir[st->nredir++] = (struct redir){ op, file };
	return i;
}

/*
 * Cut w into a pipeline at its '|' operators, taking each command's
 * redirections out of its words (argv is compacted in place: a word only
 * ever moves to a lower index).  Returns 0, or -1 after saying why.
 */
static int parse_pipeline(struct words *w, struct pipeline *pl)
{
	struct stage *st = NULL;
	int out = 0, argc = 0;

	pl->stages = 0;
	for (int i = 0; i <= w->count; i++) {
		char op = i < w->count ? w->op[i] : OP_PIPE;

		if (!st) {
			if (pl->stages == MAX_STAGES) {
				fprintf(stderr, "shell: pipeline too long\n");
				return -1;
			}
			st = &pl->stage[pl->stages];
			st->argv = &w->word[out];
			st->nredir = argc = 0;
		}
		if (op == OP_PIPE) {
			if (argc == 0) {
				fprintf(stderr, "shell: empty command in a pipeline\n");
				return -1;
			}
			w->word[out++] = NULL;
			pl->stages++;
			st = NULL;
		} else if (!op) {
			w->word[out++] = w->word[i];
			argc++;
		} else if ((i = add_redir(w, i, st)) < 0) {
			return -1;
		}
	}
	return 0;
}

/* Close the first n of files[] that are open. */
static void close_files(const int files[MAX_REDIRS], int n)
{
	for (int i = 0; i < n; i++)
		if (files[i] >= 0)
			close(files[i]);
}

/* Open st's files, in the order written, into files[] (close-on-exec;
 * -1 for "2>&1", which opens nothing).  Returns how many entries were
 * filled (the caller closes the files), or -1 after saying why (none left
 * open). */
static int open_files(const struct stage *st, int files[MAX_REDIRS])
{
	for (int i = 0; i < st->nredir; i++) {
		const struct redir *r = &st->redir[i];
		int flags = O_CLOEXEC;

		files[i] = -1;
		if (r->op == OP_ERR_TO_OUT)
			continue;
		if (r->op == OP_IN)
			flags |= O_RDONLY;
		else
			flags |= O_WRONLY | O_CREAT |
			    (r->op == OP_APPEND || r->op == OP_ERR_APPEND ? O_APPEND : O_TRUNC);
		if ((files[i] = openat(AT_FDCWD, r->file, flags, 0666)) < 0) {
			fprintf(stderr, "shell: %s: %s\n", r->file, strerror(errno));
			close_files(files, i);
			return -1;
		}
	}
	return st->nredir;
}

/* Apply st's redirections, left to right, to fds (what the command gets as
 * 0, 1, 2), with the files open_files opened. */
static void apply_redirs(const struct stage *st, const int files[MAX_REDIRS], int fds[3])
{
	for (int i = 0; i < st->nredir; i++) {
		char op = st->redir[i].op;

		if (op == OP_ERR_TO_OUT)
			fds[2] = fds[1];
		else
			fds[op == OP_IN ? 0 : op == OP_OUT || op == OP_APPEND ? 1 : 2] = files[i];
	}
}

/* Make the shell's own fds 0, 1, 2 be fds[0..2] (children inherit the
 * table, and builtins write to it); what they were goes to saved[] for
 * swap_back.  A source that is itself about to be replaced ("2>&1 > f":
 * errors go to the old output) is copied aside first.  Returns 0, or -errno. */
static int swap_in(const int fds[3], int saved[3])
{
	int src[3];

	fflush(stdout);
	for (int i = 0; i < 3; i++) {
		saved[i] = -1;
		src[i] = fds[i];
		if (fds[i] != i && fds[i] < 3 && fds[fds[i]] != fds[i])
			src[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 10);
	}
	for (int i = 0; i < 3; i++) {
		if (fds[i] == i)
			continue;
		saved[i] = fcntl(i, F_DUPFD_CLOEXEC, 10);
		if (saved[i] < 0 || src[i] < 0 || dup2(src[i], i) < 0)
			return -errno;
		if (src[i] != fds[i])
			close(src[i]);
	}
	return 0;
}

/* Put back what swap_in saved. */
static void swap_back(const int saved[3])
{
	fflush(stdout);
	for (int i = 0; i < 3; i++)
		if (saved[i] >= 0) {
			dup2(saved[i], i);
			close(saved[i]);
		}
}

/* Start argv with fds 0, 1, 2 as fds[].  Returns the pid, or -errno. */
static long start_with_fds(char **argv, const int fds[3])
{
	char path[MAX_LINE + 8];
	int saved[3];
	long pid;

	program_path(argv[0], path, sizeof path);
	pid = swap_in(fds, saved);
	if (pid == 0)
		pid = los_fork_exec(path, argv);
	swap_back(saved);
	return pid;
}

/* Start stage i of pl reading *in; its output goes to a new pipe whose read
 * end replaces *in (the last stage writes to fd 1).  Files are opened
 * before the pipe, and redirections apply on top of it.  Returns the pid,
 * 0 when its files could not be opened (said why), or -errno. */
static long start_stage(const struct pipeline *pl, int i, int *in)
{
	const struct stage *st = &pl->stage[i];
	int files[MAX_REDIRS], n = open_files(st, files), p[2] = { 0, 1 };
	int last = i == pl->stages - 1, fds[3];
	long pid = 0;

	if (!last && pipe2(p, O_CLOEXEC) < 0) {
		fprintf(stderr, "shell: pipe: %s\n", strerror(errno));
		p[0] = p[1] = -1;
	}
	fds[0] = *in, fds[1] = p[1], fds[2] = 2;
	if (n >= 0) {
		apply_redirs(st, files, fds);
		pid = start_with_fds(st->argv, fds);
		close_files(files, n);
	}
	if (*in > 0)
		close(*in);
	if (!last)
		close(p[1]);
	*in = last ? 0 : p[0];
	return pid;
}

/* Run a pipeline: every stage started, connected by close-on-exec pipes, then
 * all waited for.  Returns the last stage's status for $? (1 when its
 * redirections failed). */
static int run_pipeline(const struct pipeline *pl)
{
	long pid[MAX_STAGES];
	int status = 0, in = 0;

	fflush(stdout);
	for (int i = 0; i < pl->stages; i++) {
		pid[i] = start_stage(pl, i, &in);
		if (pid[i] == 0)
			status = 1;
		else if (pid[i] < 0)
			status = start_failed(pl->stage[i].argv[0], (int)-pid[i]);
	}
	for (int i = 0; i < pl->stages; i++) {
		int wstatus;
		if (pid[i] <= 0 || wait_child((pid_t)pid[i], &wstatus) != pid[i])
			continue;
		if (i == pl->stages - 1)
			status = child_status(pl->stage[i].argv[0], wstatus);
	}
	return status;
}

/* A builtin (help, cd, pwd) with its redirections on the shell's own fds.
 * Returns its status, or -1 when argv names no builtin. */
static int run_builtin(const struct stage *st)
{
	int fds[3] = { 0, 1, 2 }, saved[3], files[MAX_REDIRS], n, status = 1;
	char **argv = st->argv;

	if (strcmp(argv[0], "help") && strcmp(argv[0], "cd") && strcmp(argv[0], "pwd"))
		return -1;
	if ((n = open_files(st, files)) < 0)
		return 1;
	apply_redirs(st, files, fds);
	if (swap_in(fds, saved) == 0)
		status = strcmp(argv[0], "help") == 0 ? builtin_help() :
		    strcmp(argv[0], "cd") == 0 ? builtin_cd(argv) : builtin_pwd();
	swap_back(saved);
	close_files(files, n);
	return status;
}

/* Run one line.  Returns the new $? (unchanged for an empty line). */
static int run_line(const char *line, int status)
{
	static struct words w;
	struct pipeline pl;
	int n = split_words(line, status, &w), r;

	if (n < 0)
		return 2;
	if (n == 0)
		return status;
	if (parse_pipeline(&w, &pl) < 0)
		return 2;
	if (pl.stages > 1)
		return run_pipeline(&pl);
	if (strcmp(pl.stage[0].argv[0], "exit") == 0)
		builtin_exit(pl.stage[0].argv, status);
	if ((r = run_builtin(&pl.stage[0])) >= 0)
		return r;
	if (pl.stage[0].nredir)
		return run_pipeline(&pl);
	return run_program(pl.stage[0].argv);
}

int main(void)
{
	static struct input in;
	static char line[MAX_LINE + 1];
	int status = 0, n;

	los_sigaction(SIGINT, on_interrupt, 0);
	los_sigaction(SIGQUIT, on_interrupt, 0);
	los_sigaction(SIGTSTP, on_interrupt, 0);
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
