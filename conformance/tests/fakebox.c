/*
 * fakebox: a stand-in for /bin/busybox in test_levitate_guest.py, so the
 * battery's machinery is tested on a real Levitate guest whatever BusyBox
 * itself can do there.  Run as `sh SCRIPT` (argv[0] "sh"), it obeys the script's lines:
 *
 *   #fake out TEXT     TEXT and a newline on stdout
 *   #fake err N        N bytes of 'e' on stderr
 *   #fake bulk N       N bytes of 'o' on stdout
 *   #fake exit N       exit with N (default 0)
 *   #fake hang         loop forever
 *   #fake segv         write through a null pointer
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
		for (volatile int spin = 0;; spin++)
			;
	} else if (strcmp(line, "#fake segv") == 0) {
		*(volatile int *)0 = 1;
	}
}

int main(int argc, char **argv)
{
	static char text[8192];
	int fd;
	ssize_t n;

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
