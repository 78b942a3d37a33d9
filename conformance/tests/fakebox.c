/*
 * fakebox: a stand-in for /bin/busybox in test_levitate_guest.py, so the
 * battery's machinery is tested on a real Levitate guest whatever BusyBox
 * itself can do there.  Run as `sh SCRIPT` (argv[0] "sh"), it obeys the script's lines:
 *
 *   #fake out TEXT     TEXT and a newline on stdout
 *   #fake err N        N bytes of 'e' on stderr
 *   #fake bulk N       N bytes of 'o' on stdout
 *   #fake exit N       exit with N (default 0)
 *   #fake hang         never answer nor end (waits for ever in pause())
 *   #fake segv         write through a null pointer
 *
 * Run as `sh -i`, it is a tiny interactive shell on its terminal: prompt
 * "/ # ", then per line: "say TEXT" prints "said TEXT", "hang" never
 * answers, "exit N" exits with N.
 *
 * A hang waits instead of spinning: the harness sees the same (no output, no
 * end, until its timeout), but a spinning guest kept one host core busy under
 * QEMU for the whole timeout, twice per make test.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Write n copies of c to fd. */
static void fill(int fd, char c, long n)
{
	char buf[512];

	memset(buf, c, sizeof buf);
	while (n > 0) {
		long k = n < (long)sizeof buf ? n : (long)sizeof buf;
		if (write(fd, buf, (size_t)k) != k)
			exit(99);
		n -= k;
	}
}

/* Obey one "#fake" line. */
static void obey(char *line)
{
	if (strncmp(line, "#fake out ", 10) == 0) {
		printf("%s\n", line + 10);
		fflush(stdout);
	} else if (strncmp(line, "#fake err ", 10) == 0) {
		fill(2, 'e', atol(line + 10));
	} else if (strncmp(line, "#fake bulk ", 11) == 0) {
		fill(1, 'o', atol(line + 11));
	} else if (strncmp(line, "#fake exit ", 11) == 0) {
		exit(atoi(line + 11));
	} else if (strcmp(line, "#fake hang") == 0) {
		for (;;)
			pause();
	} else if (strcmp(line, "#fake segv") == 0) {
		*(volatile int *)0 = 1;
	}
}

/* Read one line from fd 0 (ended by \n or \r) into buf; 0 at EOF. */
static int read_line(char *buf, size_t size)
{
	size_t n = 0;
	char c;

	while (read(0, &c, 1) == 1) {
		if (c == '\n' || c == '\r') {
			buf[n] = 0;
			return 1;
		}
		if (n + 1 < size)
			buf[n++] = c;
	}
	return 0;
}

/* The `sh -i` mode: does not return. */
static void interactive(void)
{
	char line[256];

	for (;;) {
		printf("/ # ");
		fflush(stdout);
		if (!read_line(line, sizeof line))
			exit(0);
		if (strncmp(line, "say ", 4) == 0)
			printf("said %s\n", line + 4);
		else if (strcmp(line, "hang") == 0)
			obey("#fake hang");
		else if (strncmp(line, "exit ", 5) == 0)
			exit(atoi(line + 5));
	}
}

int main(int argc, char **argv)
{
	static char text[8192];
	int fd;
	ssize_t n;

	if (argc >= 2 && strcmp(argv[1], "-i") == 0)
		interactive();
	if (argc < 2 || (fd = open(argv[1], O_RDONLY)) < 0)
		return 127;
	n = read(fd, text, sizeof text - 1);
	if (n < 0)
		return 126;
	text[n] = 0;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		obey(line);
	return 0;
}
