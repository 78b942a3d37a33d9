/* Fixture for test_elf: a tiny program built by check.mk with musl-gcc
 * (static, dynamic and PIE).  The thread-local gives the static build a
 * PT_TLS header, which elf_parse must accept and ignore. */
#include <stdio.h>

static __thread int calls = 1;

int main(int argc, char **argv)
{
	printf("hello from %s, argc %d, call %d\n", argc > 0 ? argv[0] : "?", argc, calls++);
	return 0;
}
