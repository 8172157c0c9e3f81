/* The trace mode's line: m->line is built by one formatter at a time and
 * written out here. A text line may be left open across stops (a
 * syscall's or a library call's entry, printed before it blocks); the
 * next line of another tracee first closes it " <unfinished ...>", as
 * strace does. */
#include "trace_internal.h"

#include <sys/time.h>
#include <time.h>

#include "ptrc/lcall.h"
#include "ptrc/output.h"

/* strace aligns " = " at this column. */
#define RETURN_COLUMN 40

void trace_emit(struct trace_mode *m)
{
	out_write(m->out, m->line.data, m->line.len);
	if (out_error(m->out))
		engine_request_stop(0);
}

void trace_end_open_line(struct trace_mode *m, const char *mark)
{
	if (!m->open_line)
		return;
	sb_reset(&m->line);
	sb_puts(&m->line, mark);
	sb_putc(&m->line, '\n');
	trace_emit(m);
	m->open_line = NULL;
}

void trace_close_open_line(struct trace_mode *m)
{
	trace_end_open_line(m, " <unfinished ...>");
}

void trace_put_prefix(struct trace_mode *m, const struct tracee *t,
		      struct strbuf *sb)
{
	if (engine_tracee_count(m->engine) > 1)
		sb_printf(sb, "[pid %5d] ", t->tid);
	if (m->config->timestamps == TS_WALL_US) {
		struct timeval tv;
		gettimeofday(&tv, NULL);
		struct tm tm;
		localtime_r(&tv.tv_sec, &tm);
		sb_printf(sb, "%02d:%02d:%02d.%06ld ", tm.tm_hour, tm.tm_min,
			  tm.tm_sec, (long)tv.tv_usec);
	}
	/* -l: two spaces per library call of this thread in progress. */
	for (unsigned i = 0, depth = lcall_depth(t); i < depth; i++)
		sb_puts(sb, "  ");
}

void trace_begin_line(struct trace_mode *m, const struct tracee *t)
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

void trace_put_seconds_since(struct strbuf *sb, const struct timespec *since)
{
	uint64_t ns = trace_ns_since(since);
	sb_printf(sb, "%llu.%06llu", (unsigned long long)(ns / 1000000000u),
		  (unsigned long long)(ns % 1000000000u / 1000));
}

void trace_pad_to_return(struct trace_mode *m, size_t columns_before)
{
	sb_puts(&m->line, ") ");
	size_t column = columns_before + m->line.len;
	while (column++ < RETURN_COLUMN)
		sb_putc(&m->line, ' ');
	sb_puts(&m->line, "= ");
}
