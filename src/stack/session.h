/* A stack session (struct stack_session of ptrc/stack.h): one Dwfl per
 * traced process, kept in step with its mappings, and the caches that
 * make repeated walks cheap. What the files of src/stack read of it. */
#ifndef PTRC_STACK_SESSION_H
#define PTRC_STACK_SESSION_H

#include <elfutils/libdwfl.h>

#include "pc_cache.h"
#include "raw_stack.h"
#include "ptrc/stack.h"
#include "strpool.h"

struct unw_state;                    /* libunwind backend, unwind_libunwind.c */
struct core_file;                    /* core_file.h */

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
	/* A session over a core file (session_core.c): the modules and
	 * threads never change, and nothing is asked of /proc or ptrace. */
	struct core_file *core;
	struct pc_cache cache;
	struct strpool pool;
};

/* Make the Dwfl match the process now (after exec or map changes). Returns
 * 0, or -1 with a malloc'd message in *error. */
int stack_session_refresh(struct stack_session *s, char **error);

/* A session that failed to open: closes S, hands MESSAGE (malloc'd) to
 * *ERROR (or frees it when ERROR is NULL), returns NULL. */
struct stack_session *stack_session_abandon(struct stack_session *s,
		char *message, char **error);

/* The path ptrc prints for the module NAME that starts at START: for a
 * core, the file its NT_FILE note says is mapped there (libdwfl names a
 * core's libraries by their sonames), "[vdso]" for the vdso, as
 * /proc/PID/maps has them; NAME itself for a live process. */
const char *stack_session_module_path(const struct stack_session *s,
		const char *name, uint64_t start);

/* A core's thread's comm: pr_fname (NT_PRPSINFO) for the main thread
 * (TID the pid), "" for the others (a core has no per-thread name). */
void stack_session_core_comm(struct stack_session *s, pid_t tid,
		char comm[16]);

/* A core session's walk of one thread, checked (raw_stack.h's checks
 * with the core's executable segments and memory). */
void stack_session_core_check(struct stack_session *s, struct raw_stack *raw,
		int *rc, char **reason);

#endif
