/* How the trace mode prints its events. trace.c decides whether an event
 * is shown, builds the syscall's record once per stop, and hands both to
 * the formatter it chose at start: text lines as strace prints them
 * (trace_text.c), JSON Lines (trace_json.c), or nothing when -c wants the
 * summary alone (trace_quiet.c). A formatter prints through trace_line.c
 * and never calls back into trace.c. */
#ifndef PTRC_TRACE_FORMAT_H
#define PTRC_TRACE_FORMAT_H

#include <signal.h>

#include "trace_internal.h"

struct trace_format {
	/* A shown syscall was entered, returned RVAL (IS_ERROR: -errno), or
	 * ended without returning (its thread exited in it: exit_group). */
	void (*syscall_entry)(struct trace_mode *m, struct tracee *t,
			      const struct syscall_call *call);
	void (*syscall_exit)(struct trace_mode *m, struct tracee *t,
			     const struct syscall_call *call, int64_t rval,
			     bool is_error);
	void (*syscall_unfinished)(struct trace_mode *m, struct tracee *t,
				   const struct syscall_call *call);
	/* A shown signal about to be delivered; a group-stop by SIG. */
	void (*signal)(struct trace_mode *m, struct tracee *t,
		       const siginfo_t *si);
	void (*group_stop)(struct trace_mode *m, struct tracee *t, int sig);
	/* T exited or was killed (WSTATUS from waitpid), or was superseded
	 * by another thread's execve (SUPERSEDED_BY != 0). */
	void (*exited)(struct trace_mode *m, struct tracee *t, int wstatus,
		       pid_t superseded_by);
	/* The engine's note for the user. */
	void (*note)(struct trace_mode *m, struct tracee *t, const char *text);
};

extern const struct trace_format trace_format_text;
extern const struct trace_format trace_format_json;
extern const struct trace_format trace_format_quiet;

#endif
