/* The console: COM1 through the line discipline, or a scripted input. */
#ifndef FS_CONSOLE_H
#define FS_CONSOLE_H

#include "lib/types.h"

/* Boot: with a script (script_len > 0), console reads are served from it one
 * line at a time instead of from the UART; NULL/0 for interactive input.
 * The script's memory must stay valid for the kernel's lifetime. */
void console_init(const char *script, size_t script_len);

#endif
