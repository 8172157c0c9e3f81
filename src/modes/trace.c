/* The trace mode: one strace-style line per syscall, signal and exit.
 *
 * A syscall's line is started at its entry (so a blocked call shows) and
 * finished at its exit. When another tracee prints in between, the open
 * line is closed with " <unfinished ...>" and its exit later prints as
 * "<... NAME resumed>", as strace does. */
#include "ptrc/modes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

#include "ptrc/decode.h"
#include "ptrc/strbuf.h"
#include "ptrc/syscalls.h"

/* strace aligns " = " at this column. */
#define RETURN_COLUMN 40

struct trace_mode {
	const struct ptrc_config *config;
	struct engine *engine;
	struct out *out;
	struct decoder decoder;
	struct strbuf line;
	/* The tracee whose line was started and not finished yet. */
	struct tracee *open_line;
};

struct trace_tracee {
	bool shown;           /* the current syscall is printed */
	unsigned next_arg;    /* first argument left for the exit */
	size_t entry_columns; /* width of the started line */
};

static struct trace_tracee *state(struct tracee *t)
{
	return t->mode_data;
}

static struct syscall_call call_of(const struct tracee *t)
{
	struct syscall_call call = {
		.tid = t->tid,
		.arch = t->arch,
		.nr = t->nr,
		.args = t->args,
		.sig = syscall_lookup(t->arch, t->nr),
	};
	return call;
}

static void emit(struct trace_mode *m)
{
	out_write(m->out, m->line.data, m->line.len);
	if (out_error(m->out))
		engine_request_stop(0);
}

/* Finish the open line with MARK (" <unfinished ...>", " <detached ...>"). */
static void end_open_line(struct trace_mode *m, const char *mark)
{
	if (!m->open_line)
		return;
	sb_reset(&m->line);
	sb_puts(&m->line, mark);
	sb_putc(&m->line, '\n');
	emit(m);
	m->open_line = NULL;
}

static void close_open_line(struct trace_mode *m)
{
	end_open_line(m, " <unfinished ...>");
}

static void put_prefix(struct trace_mode *m, const struct tracee *t)
{
	if (engine_tracee_count(m->engine) > 1)
		sb_printf(&m->line, "[pid %5d] ", t->tid);
	if (m->config->timestamps == TS_WALL_US) {
		struct timeval tv;
		gettimeofday(&tv, NULL);
		struct tm tm;
		localtime_r(&tv.tv_sec, &tm);
		sb_printf(&m->line, "%02d:%02d:%02d.%06ld ", tm.tm_hour,
			  tm.tm_min, tm.tm_sec, (long)tv.tv_usec);
	}
}

/* Start a line of its own for T (closing another tracee's open line). */
static void begin_line(struct trace_mode *m, const struct tracee *t)
{
	close_open_line(m);
	sb_reset(&m->line);
	put_prefix(m, t);
}

static void tracee_added(void *mode, struct tracee *t)
{
	(void)mode;
	t->mode_data = calloc(1, sizeof(struct trace_tracee));
	if (!t->mode_data) {
		fputs("ptrc: out of memory\n", stderr);
		abort();
	}
}

static void detached(void *mode, struct tracee *t)
{
	struct trace_mode *m = mode;
	if (m->open_line == t)
		end_open_line(m, " <detached ...>");
}

static void tracee_removed(void *mode, struct tracee *t)
{
	struct trace_mode *m = mode;
	if (m->open_line == t)
		close_open_line(m);
	free(t->mode_data);
	t->mode_data = NULL;
}

static void syscall_entry(void *mode, struct tracee *t)
{
	struct trace_mode *m = mode;
	struct trace_tracee *ts = state(t);
	struct syscall_call call = call_of(&*t);

	if (t->hidden) {
		/* ptrc run: the command's own life starts at its execve. */
		if (!call.sig || strcmp(call.sig->name, "execve") != 0) {
			ts->shown = false;
			return;
		}
		t->hidden = false;
	}
	ts->shown = !call.sig ||
		    config_traces(m->config, (unsigned)(call.sig - syscall_sigs));
	if (!ts->shown)
		return;
	begin_line(m, t);
	ts->next_arg = decode_entry(&m->decoder, &m->line, &call);
	ts->entry_columns = m->line.len;
	emit(m);
	m->open_line = t;
}

static void put_duration(struct trace_mode *m, const struct tracee *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long long ns = (now.tv_sec - t->entry_time.tv_sec) * 1000000000LL +
		       (now.tv_nsec - t->entry_time.tv_nsec);
	sb_printf(&m->line, " <%lld.%06lld>", ns / 1000000000LL,
		  (ns % 1000000000LL) / 1000);
}

/* Continue T's line (or start a "resumed" one) up to the return value. */
static size_t resume_line(struct trace_mode *m, struct tracee *t,
			  const struct syscall_call *call)
{
	if (m->open_line == t) {
		m->open_line = NULL;
		sb_reset(&m->line);
		return state(t)->entry_columns;
	}
	char name_buf[32];
	begin_line(m, t);
	sb_printf(&m->line, "<... %s resumed>",
		  syscall_display_name(call, name_buf));
	return 0;
}

static void pad_to_return(struct trace_mode *m, size_t columns_before)
{
	sb_puts(&m->line, ") ");
	size_t column = columns_before + m->line.len;
	while (column++ < RETURN_COLUMN)
		sb_putc(&m->line, ' ');
	sb_puts(&m->line, "= ");
}

static void syscall_exit(void *mode, struct tracee *t, int64_t rval,
			 bool is_error)
{
	struct trace_mode *m = mode;
	struct trace_tracee *ts = state(t);
	if (!ts->shown)
		return;
	struct syscall_call call = call_of(t);
	size_t before = resume_line(m, t, &call);
	decode_exit_args(&m->decoder, &m->line, &call, ts->next_arg, rval,
			 is_error);
	pad_to_return(m, before);
	decode_return(&m->line, &call, rval, is_error);
	if (m->config->syscall_times)
		put_duration(m, t);
	sb_putc(&m->line, '\n');
	emit(m);
	ts->shown = false;
}

static int signal_delivery(void *mode, struct tracee *t, const siginfo_t *si)
{
	struct trace_mode *m = mode;
	if (!t->hidden) {
		begin_line(m, t);
		sb_puts(&m->line, "--- ");
		decode_signal_name(&m->line, si->si_signo);
		sb_putc(&m->line, ' ');
		decode_siginfo(&m->line, si);
		sb_puts(&m->line, " ---\n");
		emit(m);
	}
	return si->si_signo;
}

static void group_stop(void *mode, struct tracee *t, int sig)
{
	struct trace_mode *m = mode;
	begin_line(m, t);
	sb_puts(&m->line, "--- stopped by ");
	decode_signal_name(&m->line, sig);
	sb_puts(&m->line, " ---\n");
	emit(m);
}

static void exited(void *mode, struct tracee *t, int wstatus,
		   pid_t superseded_by)
{
	struct trace_mode *m = mode;
	struct trace_tracee *ts = state(t);
	if (t->in_syscall && ts->shown) {
		/* exit_group and friends never return. */
		struct syscall_call call = call_of(t);
		size_t before = resume_line(m, t, &call);
		pad_to_return(m, before);
		sb_puts(&m->line, "?\n");
		emit(m);
		ts->shown = false;
	}
	if (t->hidden)
		return;
	begin_line(m, t);
	if (superseded_by)
		sb_printf(&m->line, "+++ superseded by execve in pid %d +++\n",
			  superseded_by);
	else if (WIFEXITED(wstatus))
		sb_printf(&m->line, "+++ exited with %d +++\n", WEXITSTATUS(wstatus));
	else {
		sb_puts(&m->line, "+++ killed by ");
		decode_signal_name(&m->line, WTERMSIG(wstatus));
		sb_puts(&m->line, WCOREDUMP(wstatus) ? " (core dumped) +++\n" : " +++\n");
	}
	emit(m);
}

static void note(void *mode, struct tracee *t, const char *text)
{
	struct trace_mode *m = mode;
	begin_line(m, t);
	sb_printf(&m->line, "[ %s ]\n", text);
	emit(m);
}

static void idle(void *mode)
{
	struct trace_mode *m = mode;
	if (out_flush(m->out) < 0)
		engine_request_stop(0);
}

static const struct mode_ops ops = {
	.tracee_added = tracee_added,
	.detached = detached,
	.tracee_removed = tracee_removed,
	.syscall_entry = syscall_entry,
	.syscall_exit = syscall_exit,
	.signal = signal_delivery,
	.group_stop = group_stop,
	.exited = exited,
	.note = note,
	.idle = idle,
};

const struct mode_ops *trace_mode_ops(void)
{
	return &ops;
}

struct trace_mode *trace_mode_new(const struct ptrc_config *config,
				  struct out *out)
{
	struct trace_mode *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->config = config;
	m->out = out;
	decoder_init(&m->decoder, config);
	sb_init(&m->line);
	return m;
}

void trace_mode_set_engine(struct trace_mode *m, struct engine *e)
{
	m->engine = e;
}

void trace_mode_free(struct trace_mode *m)
{
	if (!m)
		return;
	close_open_line(m);
	decoder_free(&m->decoder);
	sb_free(&m->line);
	free(m);
}
