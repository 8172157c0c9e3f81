/* A stack session (struct stack_session of ptrc/stack.h): one Dwfl per
 * traced process, kept in step with its mappings, and the caches that
 * make repeated walks cheap. What the files of src/stack read of it. */
#ifndef PTRC_STACK_SESSION_H
#define PTRC_STACK_SESSION_H

#include <elfutils/libdwfl.h>

#include "pc_cache.h"
#include "ptrc/stack.h"
#include "strpool.h"

struct unw_state;                    /* libunwind backend, unwind_libunwind.c */

struct stack_session {
	pid_t pid;
	enum stack_backend backend;
	Dwfl *dwfl;
	bool thread_state_attached;  /* dwfl_linux_proc_attach done */
	bool maps_dirty;             /* re-read /proc/PID/maps before a walk */
	bool exec_seen;              /* rebuild everything before a walk */
	bool thread_state_stale;     /* libdw's may be wrong: rebuild too */
	uint64_t maps_fingerprint;   /* of the file mappings last reported */
	struct unw_state *unw;
	struct pc_cache cache;
	struct strpool pool;
};

/* Make the Dwfl match the process now (after exec or map changes). Returns
 * 0, or -1 with a malloc'd message in *error. */
int stack_session_refresh(struct stack_session *s, char **error);

#endif
