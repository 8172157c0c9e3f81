/* The trace mode's line: m->line is built by one formatter at a time and
 * written out here. A text line may be left open across stops (a
 * syscall's or a library call's entry, printed before it blocks); the
 * next line of another tracee first closes it " <unfinished ...>", as
 * strace does. */
#include "trace_internal.h"

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <time.h>

#include "ptrc/arch_regs.h"

#include "ptrc/lcall.h"
#include "ptrc/output.h"

void trace_select(struct trace_mode *m, struct tracee *t)
{
	struct trace_tracee *ts = t ? trace_state(t) : NULL;
	m->cur = ts && ts->stream ? ts->stream : &m->shared;
}

/* Remember the first output error; stop tracing, as strace dies. */
static void output_failed(struct trace_mode *m, int error)
{
	if (!m->output_error)
		m->output_error = error;
	engine_request_stop(0);
}

void trace_open_separate(struct trace_mode *m, struct tracee *t)
{
	struct trace_tracee *ts = trace_state(t);
	if (!m->separate_base || !ts || ts->stream)
		return;
	char path[4200], err[4400];
	snprintf(path, sizeof path, "%s.%d", m->separate_base, (int)t->tid);
	struct trace_stream *s = calloc(1, sizeof *s);
	if (s)
		s->out = out_open_path(path, m->config->output_append,
				       err, sizeof err);
	else
		snprintf(err, sizeof err, "out of memory");
	if (!s || !s->out) {
		free(s);
		if (!m->output_error)
			fprintf(stderr, "ptrc: %s\n", err);
		output_failed(m, EIO);
		return;
	}
	s->users = 1;
	s->next = m->separate;
	m->separate = s;
	ts->stream = s;
}

void trace_close_separate(struct trace_mode *m, struct tracee *t)
{
	struct trace_tracee *ts = trace_state(t);
	if (!ts || !ts->stream)
		return;
	if (ts->stream->users > 1) {  /* another thread of its process's file */
		ts->stream->users--;
		if (m->cur == ts->stream)
			m->cur = &m->shared;
		ts->stream = NULL;
		return;
	}
	for (struct trace_stream **p = &m->separate; *p; p = &(*p)->next)
		if (*p == ts->stream) {
			*p = ts->stream->next;
			break;
		}
	if (out_flush(ts->stream->out) < 0 && !m->output_error)
		m->output_error = out_error(ts->stream->out);
	out_close(ts->stream->out);
	if (m->cur == ts->stream)
		m->cur = &m->shared;
	free(ts->stream->path);
	free(ts->stream);
	ts->stream = NULL;
}

bool trace_flush_all(struct trace_mode *m)
{
	bool ok = out_flush(m->shared.out) == 0;
	for (struct trace_stream *s = m->separate; s; s = s->next)
		if (out_flush(s->out) < 0) {
			if (!m->output_error)
				m->output_error = out_error(s->out);
			ok = false;
		}
	return ok;
}

void trace_emit(struct trace_mode *m)
{
	out_write(m->cur->out, m->line.data, m->line.len);
	if (out_error(m->cur->out))
		output_failed(m, out_error(m->cur->out));
}

void trace_end_open_line(struct trace_mode *m, const char *mark)
{
	if (!m->cur->open_line)
		return;
	sb_reset(&m->line);
	sb_puts(&m->line, mark);
	sb_putc(&m->line, '\n');
	trace_emit(m);
	m->cur->open_line = NULL;
}

void trace_close_open_line(struct trace_mode *m)
{
	trace_end_open_line(m, " <unfinished ...>");
}

/* NS nanoseconds' seconds, then DIGITS digits of the fraction. */
static void put_seconds(struct strbuf *sb, const char *format, long long sec,
			long ns, unsigned digits)
{
	static const long scale[] = { 1000000000, 100000000, 10000000,
		1000000, 100000, 10000, 1000, 100, 10, 1 };
	sb_printf(sb, format, sec);
	if (digits)
		sb_printf(sb, ".%0*ld", (int)digits, ns / scale[digits]);
}

/* -t, -tt, -ttt, --absolute-timestamps: "11:00:21.123456 " or, for unix,
 * "1700000421.123456 " (strace's strftime %T and %s, in local time). */
static void put_absolute_time(const struct ptrc_config *config,
			      struct strbuf *sb)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	if (config->timestamps == TS_UNIX) {
		put_seconds(sb, "%lld", (long long)now.tv_sec, now.tv_nsec,
			    config->timestamp_digits);
	} else {
		struct tm tm;
		time_t sec = now.tv_sec;
		if (localtime_r(&sec, &tm))
			sb_printf(sb, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min,
				  tm.tm_sec);
		else
			sb_printf(sb, "%lld", (long long)now.tv_sec);
		put_seconds(sb, "", 0, now.tv_nsec, config->timestamp_digits);
	}
	sb_putc(sb, ' ');
}

/* -r: the time since the previous line's prefix (0 for the first), in
 * "(+ ...) " after an absolute time. */
static void put_relative_time(struct trace_mode *m, struct strbuf *sb)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!m->last_line.tv_sec && !m->last_line.tv_nsec)
		m->last_line = now;
	long long sec = now.tv_sec - m->last_line.tv_sec;
	long ns = now.tv_nsec - m->last_line.tv_nsec;
	if (ns < 0) {
		ns += 1000000000;
		sec--;
	}
	m->last_line = now;
	bool after_time = m->config->timestamps != TS_NONE;
	sb_puts(sb, after_time ? "(+" : "");
	put_seconds(sb, "%6lld", sec, ns, m->config->relative_digits);
	sb_puts(sb, after_time ? ") " : " ");
}

/* The thread's pid, in the form trace_pid.c's rule gives this line. */
static void put_pid(struct trace_mode *m, struct tracee *t, struct strbuf *sb)
{
	enum trace_pid_form form =
		trace_pid_form(&m->pid_rule, engine_tracee_count(m->engine));
	struct trace_tracee *ts = trace_state(t);
	bool comm = (m->config->decode_pids & DECODE_PID_COMM) && ts;
	trace_put_pid(sb, form, t->tid, comm ? ts->comm : NULL);
}

/* -i: the thread's program counter now, as strace reads it for each
 * line: 16 hex digits (8 for a 32-bit tracee), or as many '?' when the
 * registers cannot be read (the thread is gone: "+++ exited"). */
static void put_instruction_pointer(struct tracee *t, struct strbuf *sb)
{
	unsigned width = arch_word_size(t->arch) == 4 ? 8 : 16;
	uint8_t buf[REGS_MAX_SIZE];
	struct iovec iov = { buf, sizeof buf };
	const struct reg_layout *l = NULL;
	if (ptrace(PTRACE_GETREGSET, t->tid, (void *)NT_PRSTATUS, &iov) == 0)
		l = reg_layout_by_size(iov.iov_len);
	if (l && l->pc != REG_NONE) {
		sb_printf(sb, "[%0*llx] ", (int)width,
			  (unsigned long long)reg_get(l, buf, l->pc));
		return;
	}
	sb_putc(sb, '[');
	for (unsigned i = 0; i < width; i++)
		sb_putc(sb, '?');
	sb_puts(sb, "] ");
}

void trace_put_prefix(struct trace_mode *m, struct tracee *t,
		      struct strbuf *sb)
{
	put_pid(m, t, sb);
	if (m->config->timestamps != TS_NONE)
		put_absolute_time(m->config, sb);
	if (m->config->relative_timestamps)
		put_relative_time(m, sb);
	/* -n: the number of the thread's current (or last) syscall */
	if (m->config->syscall_numbers)
		sb_printf(sb, "[%4llu] ", (unsigned long long)t->nr);
	if (m->config->instruction_pointer)
		put_instruction_pointer(t, sb);
	/* -l: two spaces per library call of this thread in progress. */
	for (unsigned i = 0, depth = lcall_depth(t); i < depth; i++)
		sb_puts(sb, "  ");
}

void trace_begin_line(struct trace_mode *m, struct tracee *t)
{
	trace_close_open_line(m);
	sb_reset(&m->line);
	trace_put_prefix(m, t, &m->line);
}

uint64_t trace_ns_since(const struct timespec *since)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	int64_t ns = (now.tv_sec - since->tv_sec) * 1000000000LL +
		     (now.tv_nsec - since->tv_nsec);
	return ns > 0 ? (uint64_t)ns : 0;
}

void trace_put_seconds_since(struct strbuf *sb, const struct timespec *since,
			     unsigned digits)
{
	uint64_t ns = trace_ns_since(since);
	put_seconds(sb, "%lld", (long long)(ns / 1000000000u),
		    (long)(ns % 1000000000u), digits);
}

void trace_pad_to_return(struct trace_mode *m, size_t columns_before)
{
	sb_puts(&m->line, ") ");
	size_t column = columns_before + m->line.len;
	while (column++ < m->config->return_column)
		sb_putc(&m->line, ' ');
	sb_puts(&m->line, "= ");
}
