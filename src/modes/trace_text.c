/* The trace mode's text format: one strace-style line per syscall, signal
 * and exit.
 *
 * A syscall's line is started at its entry (so a blocked call shows) and
 * finished at its exit. When another tracee prints in between, the open
 * line is closed with " <unfinished ...>" and its exit later prints as
 * "<... NAME resumed>", as strace does. With -e status= the outcome
 * decides, so the entry text is held back until the exit. */
#include "trace_format.h"

#include <sys/wait.h>

#include "ptrc/syscalls.h"
#include "stack_k.h"
#include "trace_inject.h"

static bool status_shown(const struct trace_mode *m, unsigned status)
{
	return !m->config->status_filter || (m->config->status_filter & status);
}

static void text_syscall_entry(struct trace_mode *m, struct tracee *t,
			       const struct syscall_call *call)
{
	struct trace_tracee *ts = trace_state(t);
	ts->deferred = m->config->status_filter != 0 || m->hold_entry;
	if (ts->deferred) {
		sb_reset(&ts->pending);
		trace_put_prefix(m, t, &ts->pending);
		ts->next_arg = decode_entry(&m->decoder, &ts->pending, call);
		return;
	}
	trace_begin_line(m, t);
	ts->next_arg = decode_entry(&m->decoder, &m->line, call);
	ts->entry_columns = m->line.len;
	trace_emit(m);
	m->cur->open_line = t;
}

static void put_duration(struct trace_mode *m, const struct tracee *t)
{
	sb_puts(&m->line, " <");
	trace_put_seconds_since(&m->line, &t->entry_time,
				m->config->syscall_times_digits);
	sb_putc(&m->line, '>');
}

/* Continue T's line (or start a "resumed" one) up to the return value.
 * Returns the width of what is already printed on the line. */
static size_t resume_line(struct trace_mode *m, struct tracee *t,
			  const struct syscall_call *call)
{
	struct trace_tracee *ts = trace_state(t);
	if (ts->deferred) {
		sb_reset(&m->line);
		trace_close_open_line(m);
		sb_putn(&m->line, ts->pending.data, ts->pending.len);
		ts->deferred = false;
		return 0;
	}
	if (m->cur->open_line == t) {
		m->cur->open_line = NULL;
		sb_reset(&m->line);
		return ts->entry_columns;
	}
	char name_buf[32];
	trace_begin_line(m, t);
	sb_printf(&m->line, "<... %s resumed>",
		  syscall_display_name(call, name_buf));
	return 0;
}

/* -k: T's stack after its line, as strace 6.1 prints one after each
 * syscall, signal and group-stop line. */
static void put_stack(struct trace_mode *m, const struct tracee *t)
{
	if (!m->config->syscall_stacks)
		return;
	sb_reset(&m->line);
	stack_k_lines(&m->line, t, m->config->unwinder,
		      m->config->trace_set != NULL);
	trace_emit(m);
}

static void text_syscall_exit(struct trace_mode *m, struct tracee *t,
			      const struct syscall_call *call, int64_t rval,
			      bool is_error)
{
	struct trace_tracee *ts = trace_state(t);
	if (!status_shown(m, is_error ? STATUS_FAILED : STATUS_SUCCESSFUL)) {
		ts->deferred = false;
		return;
	}
	size_t before = resume_line(m, t, call);
	decode_exit_args(&m->decoder, &m->line, call, ts->next_arg, rval,
			 is_error);
	trace_pad_to_return(m, before);
	if (!is_error && m->config->decode_fds && decode_returns_fd(call) &&
	    !decode_is_raw(&m->decoder, call))
		decode_fd(&m->line, t->tid, (int)rval, m->config->decode_fds);
	else
		decode_return(&m->decoder, &m->line, call, rval, is_error);
	trace_inject_note(&m->line, t);
	if (m->config->syscall_times)
		put_duration(m, t);
	sb_putc(&m->line, '\n');
	trace_emit(m);
	sb_reset(&m->line);
	decode_io_dump(&m->line, m->config, call, rval, is_error);  /* -e read=/write= */
	if (m->line.len)
		trace_emit(m);
	put_stack(m, t);
}

/* exit_group and friends never return: "= ?". */
static void text_syscall_unfinished(struct trace_mode *m, struct tracee *t,
				    const struct syscall_call *call)
{
	if (status_shown(m, STATUS_UNFINISHED)) {
		size_t before = resume_line(m, t, call);
		trace_pad_to_return(m, before);
		sb_puts(&m->line, "?\n");
		trace_emit(m);
	}
	trace_state(t)->deferred = false;
}

static void text_signal(struct trace_mode *m, struct tracee *t,
			const siginfo_t *si)
{
	trace_begin_line(m, t);
	sb_puts(&m->line, "--- ");
	decode_signal_name(&m->line, si->si_signo);
	sb_putc(&m->line, ' ');
	decode_siginfo(&m->line, si);
	sb_puts(&m->line, " ---\n");
	trace_emit(m);
	put_stack(m, t);
}

static void text_group_stop(struct trace_mode *m, struct tracee *t, int sig)
{
	trace_begin_line(m, t);
	sb_puts(&m->line, "--- stopped by ");
	decode_signal_name(&m->line, sig);
	sb_puts(&m->line, " ---\n");
	trace_emit(m);
	put_stack(m, t);
}

static void text_exited(struct trace_mode *m, struct tracee *t, int wstatus,
			pid_t superseded_by)
{
	trace_begin_line(m, t);
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
	trace_emit(m);
}

static void text_note(struct trace_mode *m, struct tracee *t, const char *text)
{
	trace_begin_line(m, t);
	sb_printf(&m->line, "[ %s ]\n", text);
	trace_emit(m);
}

const struct trace_format trace_format_text = {
	.syscall_entry = text_syscall_entry,
	.syscall_exit = text_syscall_exit,
	.syscall_unfinished = text_syscall_unfinished,
	.signal = text_signal,
	.group_stop = text_group_stop,
	.exited = text_exited,
	.note = text_note,
};
