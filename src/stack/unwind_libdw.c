/* The libdw backend: libdwfl unwinds with the CFI of each module (falling
 * back to frame pointers), reading registers and memory with ptrace.
 * libdw's ebl picks the tracee's architecture from its ELF class, so an
 * i386 process unwinds from an x86_64 ptrc. */
#include <stdlib.h>

#include "backends.h"
#include "message.h"
#include "session.h"

static int on_frame(Dwfl_Frame *frame, void *arg)
{
	struct raw_stack *raw = arg;
	Dwarf_Addr pc;
	bool activation;
	if (!dwfl_frame_pc(frame, &pc, &activation))
		return -1;          /* dwfl_errmsg says why */
	if (!stack_raw_push(raw, pc, activation))
		return DWARF_CB_ABORT;
	return DWARF_CB_OK;
}

/* A core's thread: dwfl_getthread_frames would stop libdwfl's walk over
 * the core's notes at TID, and libdw (0.188) then leaks that walk's state
 * (16 bytes a call); going over every thread frees it. */
struct core_walk {
	pid_t tid;
	struct raw_stack *raw;
	int rc;
	bool found;
};

static int on_core_thread(Dwfl_Thread *thread, void *arg)
{
	struct core_walk *w = arg;
	if (w->found || dwfl_thread_tid(thread) != w->tid)
		return DWARF_CB_OK;
	w->found = true;
	w->rc = dwfl_thread_getframes(thread, on_frame, w->raw);
	return DWARF_CB_OK;
}

static int getthread_frames(struct stack_session *s, pid_t tid,
		struct raw_stack *raw)
{
	if (!s->core)
		return dwfl_getthread_frames(s->dwfl, tid, on_frame, raw);
	struct core_walk w = { tid, raw, -1, false };
	if (dwfl_getthreads(s->dwfl, on_core_thread, &w) != 0 || !w.found)
		return -1;
	return w.rc;
}

int stack_libdw_walk(struct stack_session *s, pid_t tid,
		struct raw_stack *raw, char **reason)
{
	*reason = NULL;
	if (!s->thread_state_attached) {
		*reason = stack_strdupf("libdw thread state not attached");
		return -1;
	}
	int rc = getthread_frames(s, tid, raw);
	if (rc == 0)
		return 0;
	if (raw->count == 0)
		/* Not even the registers (the thread is gone: its process
		 * was killed during the walks). libdw (0.188) then still
		 * counts the thread as attached, and the next walk aborts on
		 * an assertion in pid_set_initial_registers: start afresh. */
		s->thread_state_stale = true;
	if (raw->cut)
		return -1;          /* the caller words it */
	if (rc == DWARF_CB_ABORT) {
		*reason = stack_strdupf("out of memory");
		return -1;
	}
	/* The message of the step that failed: "no matching address range"
	 * (no CFI), "Couldn't find architecture"... */
	int error = dwfl_errno();
	/* No error set: the frame-pointer fallback gave up silently. */
	const char *message = error ? dwfl_errmsg(error)
		: "no CFI and no usable frame pointer";
	if (raw->count)
		*reason = stack_strdupf("cannot unwind past 0x%llx: %s",
				(unsigned long long)raw->frames[raw->count - 1].pc,
				message ? message : "unknown error");
	else
		*reason = stack_strdupf("cannot start the walk: %s",
				message ? message : "unknown error");
	return -1;
}
