/* Freestanding memory and string routines (the compiler may also emit calls
 * to memcpy/memset itself). */
#include "lib/string.h"

/* 64 bytes per loop iteration, in one translated block: under QEMU's TCG
 * each iteration of a rep-prefixed instruction is a block of its own, so a
 * page took 512 of them with rep movsq (fork's stack copy, the kernel's
 * page zeroing spent most of a fork there); the tail goes by rep. */
void *memcpy(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;
	size_t words, rest;

	for (; n >= 64; d += 64, s += 64, n -= 64)
		__asm__ volatile("mov 0(%1), %%rax; mov %%rax, 0(%0); mov 8(%1), %%rax; mov %%rax, 8(%0)\n\t"
				 "mov 16(%1), %%rax; mov %%rax, 16(%0); mov 24(%1), %%rax; mov %%rax, 24(%0)\n\t"
				 "mov 32(%1), %%rax; mov %%rax, 32(%0); mov 40(%1), %%rax; mov %%rax, 40(%0)\n\t"
				 "mov 48(%1), %%rax; mov %%rax, 48(%0); mov 56(%1), %%rax; mov %%rax, 56(%0)"
				 : : "r"(d), "r"(s) : "rax", "memory");
	words = n / 8, rest = n % 8;
	__asm__ volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(words) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(rest) : : "memory");
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	u8 *d = dst;
	u64 v = (u8)c * 0x0101010101010101UL;
	size_t words, rest;

	/* As memcpy: 64 bytes per iteration, the tail by rep. */
	for (; n >= 64; d += 64, n -= 64)
		__asm__ volatile("mov %1, 0(%0); mov %1, 8(%0); mov %1, 16(%0); mov %1, 24(%0)\n\t"
				 "mov %1, 32(%0); mov %1, 40(%0); mov %1, 48(%0); mov %1, 56(%0)"
				 : : "r"(d), "r"(v) : "memory");
	words = n / 8, rest = n % 8;
	__asm__ volatile("rep stosq" : "+D"(d), "+c"(words) : "a"(v) : "memory");
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(rest) : "a"(v) : "memory");
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] - y[i];
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (u8)*a - (u8)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (u8)*a - (u8)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = MIN(len, size - 1);
		memcpy(dst, src, n);
		dst[n] = 0;
	}
	return len;
}

char *strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	for (; *haystack; haystack++)
		if (strncmp(haystack, needle, n) == 0)
			return (char *)haystack;
	return n ? NULL : (char *)haystack;
}
