/* State shared by the trace mode's files: trace.c (text lines and the
 * event callbacks) and trace_json.c (--json). */
#ifndef PTRC_TRACE_INTERNAL_H
#define PTRC_TRACE_INTERNAL_H

#include "ptrc/decode.h"
#include "ptrc/modes.h"
#include "ptrc/strbuf.h"
#include "summary.h"

struct trace_mode {
	const struct ptrc_config *config;
	struct engine *engine;
	struct out *out;
	struct decoder decoder;
	struct strbuf line;
	struct strbuf scratch;    /* --json: one value's text at a time */
	struct summary *summary;  /* -c, -C */
	/* The tracee whose text line was started and not finished yet. */
	struct tracee *open_line;
};

struct trace_tracee {
	bool shown;           /* the current syscall is printed */
	bool deferred;        /* its entry text waits in `pending` (-e status=) */
	unsigned next_arg;    /* first argument left for the exit */
	size_t entry_columns; /* width of the started line */
	/* Entry text held back until the outcome is known (status filter), or
	 * for --json the entry-time text of each argument, back to back. */
	struct strbuf pending;
	uint32_t arg_end[6];  /* --json: end offset of argument i in pending */
	/* Argument values the decoder saves at entry for the exit. */
	struct decode_saved saved;

	/* -l: per call in progress (by depth), the first argument left for
	 * its return; and the depth of the call whose line is open. */
	unsigned *call_next_arg;
	unsigned call_next_cap;
	unsigned open_call_depth;
	size_t call_columns;
};

static inline struct trace_tracee *trace_state(struct tracee *t)
{
	return t->mode_data;
}

struct syscall_call trace_call_of(const struct tracee *t);
void trace_emit(struct trace_mode *m);
/* Start a line of T's own (closing another's open line "<unfinished ...>"),
 * with its prefix: [pid N], time, indentation by library-call depth. */
void trace_begin_line(struct trace_mode *m, const struct tracee *t);
/* The time since SINCE (CLOCK_MONOTONIC), "0.000012": -T, durations. */
void trace_put_seconds_since(struct strbuf *sb, const struct timespec *since);
/* ") " padded to the return column, then "= ". */
void trace_pad_to_return(struct trace_mode *m, size_t columns_before);

/* -l (trace_lcall.c): start the library-call tracer on m->engine when -l
 * asks, its calls printed as text or JSON lines. */
void trace_lcall_start(struct trace_mode *m);

/* --json (trace_json.c): one object per event into m->line, emitted. */
void json_syscall_entry(struct trace_mode *m, struct tracee *t);
void json_syscall_exit(struct trace_mode *m, struct tracee *t, int64_t rval,
		       bool is_error, bool finished);
void json_signal(struct trace_mode *m, struct tracee *t, const siginfo_t *si);
void json_group_stop(struct trace_mode *m, struct tracee *t, int sig);
void json_exited(struct trace_mode *m, struct tracee *t, int wstatus,
		 pid_t superseded_by);
void json_note(struct trace_mode *m, struct tracee *t, const char *text);

#endif
