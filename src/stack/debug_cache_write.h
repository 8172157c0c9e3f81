/* Writing a debug file with its compressed sections inflated
 * (debug_cache_write.c), for the debug-file cache. */
#ifndef PTRC_STACK_DEBUG_CACHE_WRITE_H
#define PTRC_STACK_DEBUG_CACHE_WRITE_H

#include <stdbool.h>

/* Write to OUT_FD a copy of the ELF file SOURCE whose SHF_COMPRESSED
 * sections are stored inflated; every other byte keeps its offset. False
 * (and OUT_FD's contents undefined) when SOURCE has no compressed section
 * or cannot be read. */
bool debug_cache_write_inflated(const char *source, int out_fd);

#endif
