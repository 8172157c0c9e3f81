/* State shared by the trace mode's files: trace.c (the engine's callbacks:
 * filters, counts, the choice of format), the formatters it hands each
 * event to (trace_format.h: trace_text.c, trace_json.c, trace_quiet.c),
 * trace_lcall.c (-l), and trace_line.c (the line they all print through). */
#ifndef PTRC_TRACE_INTERNAL_H
#define PTRC_TRACE_INTERNAL_H

#include "ptrc/decode.h"
#include "ptrc/modes.h"
#include "ptrc/strbuf.h"
#include "summary.h"

struct trace_format;
struct inject_count;

struct trace_mode {
	const struct ptrc_config *config;
	struct engine *engine;
	struct out *out;
	/* How events print: text, JSON, or not at all (-c); set once. */
	const struct trace_format *format;
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
	/* -e inject=: this thread's counts per syscall (trace_inject.c);
	 * NULL until it makes a call a rule names. */
	struct inject_count *inject_counts;
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

/* trace_line.c: the line in m->line, written out, and the line left open. */
void trace_emit(struct trace_mode *m);
/* Start a line of T's own (closing another's open line "<unfinished ...>"),
 * with its prefix: [pid N], time, indentation by library-call depth. */
void trace_begin_line(struct trace_mode *m, const struct tracee *t);
/* T's prefix alone, appended to SB. */
void trace_put_prefix(struct trace_mode *m, const struct tracee *t,
		      struct strbuf *sb);
/* Finish the open line, if any, with MARK (" <unfinished ...>",
 * " <detached ...>"). */
void trace_end_open_line(struct trace_mode *m, const char *mark);
void trace_close_open_line(struct trace_mode *m);
/* Nanoseconds since SINCE (CLOCK_MONOTONIC), never below 0. */
uint64_t trace_ns_since(const struct timespec *since);
/* The time since SINCE (CLOCK_MONOTONIC), "0.000012": -T, durations. */
void trace_put_seconds_since(struct strbuf *sb, const struct timespec *since);
/* ") " padded to the return column, then "= ". */
void trace_pad_to_return(struct trace_mode *m, size_t columns_before);

/* -l (trace_lcall.c): start the library-call tracer on m->engine when -l
 * asks, its calls printed as text or JSON lines. */
void trace_lcall_start(struct trace_mode *m);

#endif
