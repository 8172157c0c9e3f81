/* A persistent cache of separate debug files with their compressed
 * sections inflated (debug_cache.c), keyed by build-id. */
#ifndef PTRC_STACK_DEBUG_CACHE_H
#define PTRC_STACK_DEBUG_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

/* The cache directory: $PTRC_DEBUG_CACHE ("" or "off": no cache), else
 * $XDG_CACHE_HOME/ptrc/debug, else $HOME/.cache/ptrc/debug; NULL for none.
 * Read once. */
const char *debug_cache_dir(void);

/* Whether a cache file or directory with status ST may be trusted by a
 * process of effective uid EUID: owned by it, writable by no one else,
 * the right type. */
bool debug_cache_trusted(const struct stat *st, uid_t euid, bool is_dir);

/* An open descriptor of DIR's entry for build-id ID (LEN bytes), or -1:
 * only a trusted file in a trusted directory whose own build-id note is
 * ID is opened. *NAME (malloc'ed) is the path of the debug file the entry
 * was made from, as recorded beside it, else the entry's own path. */
int debug_cache_open(const char *dir, const unsigned char *id, size_t len,
		     char **name);

/* Write DIR's entry for ID from the debug file SOURCE in a detached
 * process (ptrc goes on at once), when SOURCE has compressed sections.
 * Asked once per build-id per ptrc. The cache is kept under
 * $PTRC_DEBUG_CACHE_MAX MiB (default 512) by removing the oldest entries. */
void debug_cache_fill(const char *dir, const unsigned char *id, size_t len,
		      const char *source);

#endif
