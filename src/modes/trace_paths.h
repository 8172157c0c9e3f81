/* -P PATH: which calls touch one of the paths, by strace 6.1's rules (its
 * src/pathtrace.c). */
#ifndef PTRC_TRACE_PATHS_H
#define PTRC_TRACE_PATHS_H

#include <stdbool.h>

#include "ptrc/config.h"
#include "ptrc/decode.h"

struct trace_paths {
	char **paths;  /* each -P path, and its resolved form when it differs */
	unsigned count;
};

/* The paths of CONFIG's -P options, resolved against ptrc's current
 * directory now, as strace does at start. False when out of memory. */
bool trace_paths_init(struct trace_paths *tp, const struct ptrc_config *config);
void trace_paths_free(struct trace_paths *tp);

/* Does CALL (at its entry) name one of the paths, or use a descriptor
 * that refers to one? Only calls of strace's %file, %desc and %network
 * classes can. */
bool trace_paths_match(const struct trace_paths *tp,
		       const struct syscall_call *call);

#endif
