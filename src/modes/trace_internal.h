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
#include "trace_paths.h"
#include "trace_pid.h"

struct trace_format;
struct trace_gate;
struct trace_recorder;
struct inject_count;

/* One output and the line left open on it: the shared one, or with -ff
 * one per thread (its own file, so a line left open there waits for its
 * own thread, as strace's per-file lines do). */
struct trace_stream {
	struct out *out;
	/* The tracee whose text line was started and not finished yet. */
	struct tracee *open_line;
	struct trace_stream *next;  /* -ff: every thread's, for flushing */
	/* Per-process files (trace_files.c): the process, how many of its
	 * threads write here, the file's path (renamed at exec). -ff: 0, 1,
	 * NULL. */
	pid_t tgid;
	unsigned users;
	char *path;
};

struct trace_mode {
	const struct ptrc_config *config;
	struct engine *engine;
	struct trace_stream shared;    /* -o, stderr, syslog */
	struct trace_stream *cur;      /* the one of the event at hand */
	struct trace_stream *separate; /* -ff: the threads' own, a list */
	char *separate_base;           /* -ff: FILE of FILE.TID */
	/* attach --tree or -f with -o's %p/%n: the template of each process's
	 * file (absolute), and the process whose file is the shared one. */
	char *process_template;
	pid_t root_tgid;
	int output_error;              /* the first failed open or write */
	struct timespec last_line;     /* -r: the previous line's time */
	struct trace_pid_rule pid_rule; /* which lines name their pid, how */
	/* How events print: text, JSON, or not at all (-c); set once. */
	const struct trace_format *format;
	struct decoder decoder;
	struct strbuf line;
	struct strbuf scratch;    /* --json: one value's text at a time */
	struct summary *summary;  /* -c, -C */
	struct trace_paths paths; /* -P */
	/* --peer: which lines are written at all (trace_gate.h); NULL: all. */
	const struct trace_gate *gate;
	void *gate_data;
	/* --transcript, --pcap: what is recorded beside the lines
	 * (trace_recorder.h). */
	const struct trace_recorder *recorder;
	void *recorder_data;
	/* The entry being formatted is held back for the exit (the gate
	 * decides there), as -e status= holds it. */
	bool hold_entry;
};

struct trace_tracee {
	struct trace_stream *stream;  /* -ff: its own file */
	char comm[16];        /* -Y: /proc/TID/comm, as read at start and exec */
	bool shown;           /* the current syscall is printed */
	bool deferred;        /* its entry text waits in `pending` (-e status=) */
	bool gate_at_exit;    /* the gate decides at the exit (GATE_AT_EXIT) */
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
	/* -k with -l (trace_lcall_stack.c): the stack of each call in
	 * progress, taken at its entry, printed after its line at the
	 * return; call_stack_at[DEPTH] is where that call's text starts. */
	struct strbuf call_stacks;
	size_t *call_stack_at;
	unsigned call_stack_cap;
};

static inline struct trace_tracee *trace_state(struct tracee *t)
{
	return t->mode_data;
}

/* trace_line.c: the line in m->line, written out, and the line left open. */
/* The stream T's lines go to (its own with -ff), made current. */
void trace_select(struct trace_mode *m, struct tracee *t);
/* -ff: T's own file, FILE.TID, opened; on failure said once on stderr,
 * and T's lines go to the shared output. */
void trace_open_separate(struct trace_mode *m, struct tracee *t);
/* T is gone: its own file (-ff) flushed and closed; its process's file
 * (trace_files.c) once its last thread has gone. */
void trace_close_separate(struct trace_mode *m, struct tracee *t);
/* trace_files.c: per-process files (attach --tree, -f, with -o's %p or
 * %n). Decide at start whether they are wanted; false when out of memory. */
bool trace_files_init(struct trace_mode *m);
/* T (a new process's first thread, or another thread of one) writes to
 * its process's own file, opened now when needed. */
void trace_files_added(struct trace_mode *m, struct tracee *t);
/* T's process exec'd: its file takes the program's name. */
void trace_files_exec(struct trace_mode *m, struct tracee *t);
/* Every stream flushed; false once any write failed. */
bool trace_flush_all(struct trace_mode *m);
void trace_emit(struct trace_mode *m);
/* Start a line of T's own (closing another's open line "<unfinished ...>"),
 * with its prefix: [pid N], time, indentation by library-call depth. */
void trace_begin_line(struct trace_mode *m, struct tracee *t);
/* T's prefix alone, appended to SB. */
void trace_put_prefix(struct trace_mode *m, struct tracee *t,
		      struct strbuf *sb);
/* Finish the open line, if any, with MARK (" <unfinished ...>",
 * " <detached ...>"). */
void trace_end_open_line(struct trace_mode *m, const char *mark);
void trace_close_open_line(struct trace_mode *m);
/* Nanoseconds since SINCE (CLOCK_MONOTONIC), never below 0. */
uint64_t trace_ns_since(const struct timespec *since);
/* The time since SINCE (CLOCK_MONOTONIC) with DIGITS after the second
 * (0, 3, 6, 9): "0.000012" for -T, durations. */
void trace_put_seconds_since(struct strbuf *sb, const struct timespec *since,
			     unsigned digits);
/* ") " padded to the return column, then "= ". */
void trace_pad_to_return(struct trace_mode *m, size_t columns_before);

/* -l (trace_lcall.c): start the library-call tracer on m->engine when -l
 * asks, its calls printed as text or JSON lines. */
void trace_lcall_start(struct trace_mode *m);

#endif
