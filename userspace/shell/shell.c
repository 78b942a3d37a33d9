/*
 * shell: Levitate's interactive shell.
 *
 * Prints "$ ", reads a line, splits it into words and runs it: a builtin
 * (exit, help) or the program /bin/NAME (NAME itself when it contains a
 * '/') in a child started with fork + exec (los_fork_exec).  $? is the last status: the
 * child's exit code, 128 + signal when it was killed, 127 when the program
 * does not exist, 126 when it cannot be run.  Words are separated by
 * whitespace; double quotes keep spaces; "$?" expands inside any word.
 * At end of input the shell exits with the last status.
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
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libsyscall.h"

#define MAX_LINE 1024
#define MAX_WORDS 128
#define WRAP_COLUMN 72

/* Bytes read from fd 0 and not yet returned as a line. */
struct input {
	char buf[MAX_LINE];
	size_t len;
	int eof;
};

/* Words of one line, stored back to back in store. */
struct words {
	char store[2 * MAX_LINE];
	size_t used;
	char *word[MAX_WORDS + 1];
	int count;
};

/*
 * Move the next line (without its '\n') from in into line (at least
 * MAX_LINE + 1 bytes).  A line longer than the buffer is cut at MAX_LINE
 * bytes; an unterminated last line is returned as a line.  Returns the
 * line's length, or -1 at end of input.
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
	w->word[w->count++] = w->store + w->used;
	return 0;
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
		if (!quoted && isspace((unsigned char)*p)) {
			if (in_word)
				err = put_bytes(w, "", 1);
			in_word = 0;
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
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
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
	printf("builtins:\n  exit [N]  help\nprograms in /bin:\n");
	return list_programs("/bin");
}

/* Status of a finished child; says so when it was killed. */
static int child_status(const char *name, int wstatus)
{
	int sig;

	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	sig = WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
	fprintf(stderr, "shell: %s: killed by signal %d (%s)\n", name, sig,
	    strsignal(sig));
	return 128 + sig;
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

/* Run argv[0] as a program and wait for it.  Returns its status for $?. */
static int run_program(char **argv)
{
	char path[MAX_LINE + 8];
	const char *name = argv[0];
	int wstatus;
	long pid;

	if (strchr(name, '/'))
		snprintf(path, sizeof path, "%s", name);
	else
		snprintf(path, sizeof path, "/bin/%s", name);
	fflush(stdout);
	pid = los_fork_exec(path, argv);
	if (pid < 0)
		return start_failed(name, (int)-pid);
	if (waitpid((pid_t)pid, &wstatus, 0) < 0) {
		fprintf(stderr, "shell: %s: wait: %s\n", name, strerror(errno));
		return 126;
	}
	return child_status(name, wstatus);
}

/* Run one line.  Returns the new $? (unchanged for an empty line). */
static int run_line(const char *line, int status)
{
	static struct words w;
	int n = split_words(line, status, &w);

	if (n < 0)
		return 2;
	if (n == 0)
		return status;
	if (strcmp(w.word[0], "exit") == 0)
		builtin_exit(w.word, status);
	if (strcmp(w.word[0], "help") == 0)
		return builtin_help();
	return run_program(w.word);
}

int main(void)
{
	static struct input in;
	static char line[MAX_LINE + 1];
	int status = 0;

	for (;;) {
		fputs("$ ", stdout);
		fflush(stdout);
		if (read_line(&in, line) < 0)
			break;
		status = run_line(line, status);
	}
	return status;
}
