/* Freestanding string and memory helpers (lib/string.c).  Prototypes match the
 * C library's so host unit tests can link the pure modules against libc. */
#ifndef LIB_STRING_H
#define LIB_STRING_H

#include "lib/types.h"

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strstr(const char *haystack, const char *needle);
/* Copy at most size-1 chars and always NUL-terminate (OpenBSD); returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);

#endif
