/* Bounded reads of /proc and /etc files for the crash report's context. */
#ifndef PTRC_MODES_CRASH_CTX_READ_H
#define PTRC_MODES_CRASH_CTX_READ_H

#include <stddef.h>
#include <sys/types.h>

/* At most MAX bytes of PATH, NUL-terminated (the bytes may hold NULs:
 * *LEN says how many); NULL when it cannot be opened. *CUT: the file had
 * more. */
char *ctx_read_file(const char *path, size_t max, size_t *len, int *cut);

/* The target of the link PATH (at most 4095 bytes), or NULL. */
char *ctx_read_link(const char *path);

/* "/proc/PID/NAME" into BUF. */
const char *ctx_proc_path(char *buf, size_t size, pid_t pid, const char *name);

#endif
