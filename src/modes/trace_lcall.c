/* -l: library-call lines. A call's line opens at its entry and is
 * finished at its return, like a syscall's:
 *
 *   SSL_write@libssl.so.3(0x55d0c2a0, "EHLO client\r\n", 13) = 13
 *
 * and anything the thread does in between (calls it makes, syscalls when
 * both are traced, signals) ends it with " <unfinished ...>", indented
 * lines follow, and the return prints as "<... SSL_write resumed>) = 13".
 * --json: one "call" object at the return. */
#include "trace_internal.h"
#include "trace_gate.h"

#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "ptrc/escape.h"
#include "ptrc/json.h"
#include "ptrc/lcall.h"
#include "trace_lcall_stack.h"

static bool remember_next_arg(struct trace_tracee *ts, unsigned depth,
			      unsigned next_arg)
{
	if (depth >= ts->call_next_cap) {
		unsigned cap = depth + 16;
		unsigned *grown = realloc(ts->call_next_arg, cap * sizeof *grown);
		if (!grown)
			return false;
		ts->call_next_arg = grown;
		ts->call_next_cap = cap;
	}
	ts->call_next_arg[depth] = next_arg;
	return true;
}

/* The call as the lcall formatter takes it: the prototype is found by the
 * name (prototypes.tbl) here, where it is printed. */
static struct lcall_call call_of(const struct lcall_event *ev)
{
	struct lcall_call c = {
		.tid = ev->tid,
		.arch = arch_host(),
		.name = ev->name,
		.proto = lcall_proto_find(ev->name),
	};
	memcpy(c.args, ev->args, sizeof c.args);
	return c;
}

static void call_entry(void *mode, struct tracee *t,
		       const struct lcall_event *ev)
{
	struct trace_mode *m = mode;
	struct trace_tracee *ts = trace_state(t);
	trace_select(m, t);
	trace_lcall_stack_capture(m, t, ev->depth);  /* -k */
	if (m->config->json || m->config->summary == SUMMARY_ONLY)
		return;
	if (m->gate && !m->gate->shows(m->gate_data, t))
		return;  /* --peer: not in a session */
	trace_begin_line(m, t);
	/* Names come from ELF files and maps of the tracee: escaped too. */
	escape_bare(&m->line, ev->name, strlen(ev->name));
	sb_putc(&m->line, '@');
	escape_bare(&m->line, ev->module, strlen(ev->module));
	sb_putc(&m->line, '(');
	struct lcall_call call = call_of(ev);
	unsigned next = lcall_decode_entry(&m->decoder, &m->line, &call);
	if (!remember_next_arg(ts, ev->depth, next))
		next = 0;
	ts->call_columns = m->line.len;
	ts->open_call_depth = ev->depth;
	trace_emit(m);
	m->cur->open_line = t;
}

static void json_call(struct trace_mode *m, struct tracee *t,
		      const struct lcall_event *ev, const struct lcall_call *call,
		      uint64_t ret, bool returned)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	sb_reset(&m->line);
	sb_printf(&m->line, "{\"type\":\"call\",\"time\":%lld.%06ld,\"pid\":%d,"
		  "\"tid\":%d,\"function\":", (long long)tv.tv_sec,
		  (long)tv.tv_usec, t->tgid, t->tid);
	json_string(&m->line, ev->name, strlen(ev->name));
	sb_puts(&m->line, ",\"module\":");
	json_string(&m->line, ev->module, strlen(ev->module));
	sb_printf(&m->line, ",\"depth\":%u,\"args\":[", ev->depth);
	/* The arguments as the line shows them, one object each: the
	 * inputs, and the outputs as the call left them. */
	sb_reset(&m->scratch);
	struct lcall_item items[LCALL_MAX_ITEMS];
	unsigned n = lcall_decode_items(&m->decoder, &m->scratch, call,
					returned, ret, items);
	for (unsigned i = 0; i < n; i++) {
		if (items[i].has_raw)
			sb_printf(&m->line, "%s{\"raw\":\"%#llx\",\"text\":",
				  i ? "," : "", (unsigned long long)items[i].raw);
		else
			sb_printf(&m->line, "%s{\"raw\":null,\"text\":", i ? "," : "");
		json_string(&m->line, m->scratch.data + items[i].start,
			    items[i].end - items[i].start);
		sb_putc(&m->line, '}');
	}
	sb_putc(&m->line, ']');
	if (returned) {
		sb_reset(&m->scratch);
		lcall_decode_return(&m->decoder, &m->scratch, call, ret);
		sb_printf(&m->line, ",\"return\":%llu,\"text\":",
			  (unsigned long long)ret);
		json_string(&m->line, m->scratch.data ? m->scratch.data : "",
			    m->scratch.len);
	} else {
		sb_puts(&m->line, ",\"return\":null");
	}
	sb_puts(&m->line, ",\"duration\":");
	trace_put_seconds_since(&m->line, &ev->entry_time, 6);
	if (m->config->syscall_stacks) {  /* -k: the stack at the entry */
		sb_puts(&m->line, ",\"stack\":");
		if (!trace_lcall_stack_take(m, t, ev->depth, &m->line))
			sb_puts(&m->line, "null");
	}
	sb_puts(&m->line, "}\n");
	trace_emit(m);
}

static void call_exit(void *mode, struct tracee *t,
		      const struct lcall_event *ev, uint64_t ret, bool returned)
{
	struct trace_mode *m = mode;
	struct trace_tracee *ts = trace_state(t);
	trace_select(m, t);
	if (m->config->summary == SUMMARY_ONLY)
		return;
	if (m->gate && !m->gate->shows(m->gate_data, t))
		return;  /* --peer: not in a session */
	struct lcall_call call = call_of(ev);
	if (m->config->json) {
		json_call(m, t, ev, &call, ret, returned);
		return;
	}
	size_t before;
	if (m->cur->open_line == t && ts->open_call_depth == ev->depth) {
		m->cur->open_line = NULL;
		sb_reset(&m->line);
		before = ts->call_columns;
	} else {
		trace_begin_line(m, t);
		sb_puts(&m->line, "<... ");
		escape_bare(&m->line, ev->name, strlen(ev->name));
		sb_puts(&m->line, " resumed>");
		before = 0;
	}
	unsigned next = ev->depth < ts->call_next_cap ?
			ts->call_next_arg[ev->depth] : 0;
	if (returned)
		lcall_decode_exit_args(&m->decoder, &m->line, &call, next, ret);
	trace_pad_to_return(m, before);
	if (returned)
		lcall_decode_return(&m->decoder, &m->line, &call, ret);
	else
		sb_putc(&m->line, '?');
	if (m->config->syscall_times) {
		sb_puts(&m->line, " <");
		trace_put_seconds_since(&m->line, &ev->entry_time,
					m->config->syscall_times_digits);
		sb_putc(&m->line, '>');
	}
	sb_putc(&m->line, '\n');
	trace_emit(m);
	if (returned && m->config->lcall_dump) {
		sb_reset(&m->line);
		lcall_decode_dumps(&m->decoder, &m->line, &call, false, ret);
		lcall_decode_dumps(&m->decoder, &m->line, &call, true, ret);
		if (m->line.len)
			trace_emit(m);
	}
	sb_reset(&m->line);  /* -k: the stack at the entry, after the line */
	if (trace_lcall_stack_take(m, t, ev->depth, &m->line))
		trace_emit(m);
}

void trace_lcall_start(struct trace_mode *m)
{
	if (!m->config->lcall_spec)
		return;
	const struct lcall_sink sink = { call_entry, call_exit, m };
	lcall_tracer_start(m->engine, m->config, &sink);
}
