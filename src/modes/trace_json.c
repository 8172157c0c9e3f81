/* The trace mode's JSON format (--json, trace_format_json): JSON Lines,
 * one object per event. Every string goes through json_string, so a line
 * stays valid JSON whatever the tracee holds.
 *
 *   {"type":"syscall","time":1732530021.123456,"pid":12,"tid":13,
 *    "arch":"x86_64","syscall":"openat","nr":257,
 *    "args":[{"raw":"0xffffff9c","text":"AT_FDCWD"},...],
 *    "return":3,"text":"3","duration":0.000012}
 * (with -e read=/write= also "dump": the text format's dump lines)
 * and "signal", "stopped", "exit", "killed", "superseded", "note". */
#include "trace_format.h"

#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

#include "ptrc/json.h"
#include "ptrc/names.h"
#include "ptrc/syscalls.h"
#include "stack_k.h"

static void begin_object(struct trace_mode *m, const struct tracee *t,
			 const char *type)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	sb_reset(&m->line);
	sb_printf(&m->line, "{\"type\":\"%s\",\"time\":%lld.%06ld,\"pid\":%d,\"tid\":%d",
		  type, (long long)tv.tv_sec, (long)tv.tv_usec, t->tgid, t->tid);
}

static void end_object(struct trace_mode *m)
{
	sb_puts(&m->line, "}\n");
	trace_emit(m);
}

static void put_string_field(struct strbuf *sb, const char *key,
			     const char *text, size_t len)
{
	sb_printf(sb, ",\"%s\":", key);
	json_string(sb, text, len);
}

/* -k: the thread's stack in a "stack" field of a syscall's (finished),
 * a signal's or a group-stop's object, as the text prints one after
 * each of those lines. */
static void put_stack(struct trace_mode *m, const struct tracee *t)
{
	if (!m->config->syscall_stacks)
		return;
	sb_puts(&m->line, ",\"stack\":");
	stack_k_json(&m->line, t, m->config->unwinder,
		     m->config->trace_set != NULL);
}

/* The arguments are those of the text line: a socketcall's sub-call's,
 * an i386 register pair as one. Those printed at entry are decoded then,
 * into the tracee's pending buffer: the tracee may change that memory
 * before the call returns. Every arg_end is set, past the call's own
 * arguments too: the exit finds its shown call again on its own and may
 * count more arguments (a socketcall's array readable only by then); those
 * must find nothing pending, not a zero or stale end below their start. */
static void json_syscall_entry(struct trace_mode *m, struct tracee *t,
			       const struct syscall_call *call)
{
	struct trace_tracee *ts = trace_state(t);
	struct syscall_call sub;
	uint64_t sub_args[SYSCALL_MAX_ARGS];
	const struct syscall_call *shown = decode_shown_call(call, &sub, sub_args);
	unsigned nargs = shown->sig ? shown->sig->nargs : SYSCALL_MAX_ARGS;
	sb_reset(&ts->pending);
	for (unsigned i = 0; i < SYSCALL_MAX_ARGS; i++) {
		uint64_t raw;
		bool at_exit;
		if (i < nargs && decode_arg_info(shown, i, &raw, &at_exit) &&
		    !at_exit)
			decode_arg(&m->decoder, &ts->pending, shown, i, false, 0, false);
		ts->arg_end[i] = (uint32_t)ts->pending.len;
	}
	sb_reset(&m->scratch);
	decode_save_entry_values(&m->decoder, &m->scratch, shown);
}

/* The call's return value: null when it did not return, the errno and
 * its message when it failed, else the value and its decoded text. */
static void put_return(struct trace_mode *m, struct tracee *t,
		       const struct syscall_call *call, int64_t rval,
		       bool is_error, bool finished)
{
	struct strbuf *text = &m->scratch;
	if (!finished) {
		sb_puts(&m->line, ",\"return\":null");
	} else if (is_error) {
		long err = (long)-rval;
		const char *name = errno_name(err);
		const char *message = errno_message(err);
		sb_printf(&m->line, ",\"return\":-1,\"errno\":%ld", err);
		if (name)
			put_string_field(&m->line, "errno_name", name, strlen(name));
		if (message)
			put_string_field(&m->line, "error", message, strlen(message));
	} else {
		sb_reset(text);
		if (m->config->decode_fds && decode_returns_fd(call))  /* -y */
			decode_fd(text, t->tid, (int)rval, m->config->decode_fds);
		else
			decode_return(&m->decoder, text, call, rval, false);
		sb_printf(&m->line, ",\"return\":%lld", (long long)rval);
		put_string_field(&m->line, "text", text->data, text->len);
	}
}

/* FINISHED false: the call ended without returning (exit_group). */
static void syscall_object(struct trace_mode *m, struct tracee *t,
			   const struct syscall_call *call, int64_t rval,
			   bool is_error, bool finished)
{
	struct trace_tracee *ts = trace_state(t);
	struct syscall_call sub;
	uint64_t sub_args[SYSCALL_MAX_ARGS];
	const struct syscall_call *shown = decode_shown_call(call, &sub, sub_args);
	char name_buf[32];
	begin_object(m, t, "syscall");
	sb_printf(&m->line, ",\"arch\":\"%s\",\"syscall\":\"%s\",\"nr\":%llu,\"args\":[",
		  arch_name(call->arch), syscall_display_name(call, name_buf),
		  (unsigned long long)call->nr);
	unsigned nargs = shown->sig ? shown->sig->nargs : SYSCALL_MAX_ARGS;
	struct strbuf *text = &m->scratch;
	sb_reset(text);
	bool first = true;
	for (unsigned i = 0; i < nargs; i++) {
		uint64_t raw;
		bool at_exit;
		if (!decode_arg_info(shown, i, &raw, &at_exit))
			continue;
		sb_printf(&m->line, "%s{\"raw\":\"%#llx\",\"text\":", first ? "" : ",",
			  (unsigned long long)raw);
		first = false;
		size_t start = i ? ts->arg_end[i - 1] : 0;
		size_t len = ts->arg_end[i] - start;
		if (len) {
			json_string(&m->line, ts->pending.data + start, len);
		} else if (finished) {
			sb_reset(text);
			decode_arg(&m->decoder, text, shown, i, true, rval, is_error);
			json_string(&m->line, text->data ? text->data : "", text->len);
		} else {
			sb_puts(&m->line, "null");
		}
		sb_putc(&m->line, '}');
	}
	sb_putc(&m->line, ']');
	put_return(m, t, call, rval, is_error, finished);
	/* -e inject=: strace's (INJECTED) and (DELAYED) */
	if (finished && t->tamper.replaced)
		sb_puts(&m->line, ",\"injected\":true");
	if (finished && t->tamper.delayed)
		sb_puts(&m->line, ",\"delayed\":true");
	if (m->config->syscall_times || m->config->summary) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		double seconds = (double)(now.tv_sec - t->entry_time.tv_sec) +
				 (double)(now.tv_nsec - t->entry_time.tv_nsec) / 1e9;
		sb_printf(&m->line, ",\"duration\":%.6f", seconds);
	}
	if (finished) {  /* -e read=/write=: the dump's text lines */
		sb_reset(text);
		decode_io_dump(text, m->config, call, rval, is_error);
		if (text->len)
			put_string_field(&m->line, "dump", text->data, text->len);
	}
	if (finished)
		put_stack(m, t);
	end_object(m);
}

static void json_signal(struct trace_mode *m, struct tracee *t, const siginfo_t *si)
{
	struct strbuf *text = &m->scratch;
	sb_reset(text);
	begin_object(m, t, "signal");
	decode_signal_name(text, si->si_signo);
	put_string_field(&m->line, "signal", text->data, text->len);
	sb_reset(text);
	decode_siginfo(text, si);
	put_string_field(&m->line, "siginfo", text->data, text->len);
	sb_printf(&m->line, ",\"si_code\":%d", si->si_code);
	put_stack(m, t);
	end_object(m);
}

static void json_group_stop(struct trace_mode *m, struct tracee *t, int sig)
{
	struct strbuf *name = &m->scratch;
	sb_reset(name);
	decode_signal_name(name, sig);
	begin_object(m, t, "stopped");
	put_string_field(&m->line, "signal", name->data, name->len);
	put_stack(m, t);
	end_object(m);
}

static void json_exited(struct trace_mode *m, struct tracee *t, int wstatus,
		 pid_t superseded_by)
{
	if (superseded_by) {
		begin_object(m, t, "superseded");
		sb_printf(&m->line, ",\"by\":%d", superseded_by);
	} else if (WIFEXITED(wstatus)) {
		begin_object(m, t, "exit");
		sb_printf(&m->line, ",\"status\":%d", WEXITSTATUS(wstatus));
	} else {
		struct strbuf *name = &m->scratch;
		sb_reset(name);
		decode_signal_name(name, WTERMSIG(wstatus));
		begin_object(m, t, "killed");
		put_string_field(&m->line, "signal", name->data, name->len);
		sb_printf(&m->line, ",\"core_dumped\":%s",
			  WCOREDUMP(wstatus) ? "true" : "false");
	}
	end_object(m);
}

static void json_note(struct trace_mode *m, struct tracee *t, const char *text)
{
	begin_object(m, t, "note");
	put_string_field(&m->line, "text", text, strlen(text));
	end_object(m);
}

static void json_syscall_exit(struct trace_mode *m, struct tracee *t,
			      const struct syscall_call *call, int64_t rval,
			      bool is_error)
{
	syscall_object(m, t, call, rval, is_error, true);
}

static void json_syscall_unfinished(struct trace_mode *m, struct tracee *t,
				    const struct syscall_call *call)
{
	syscall_object(m, t, call, 0, false, false);
}

const struct trace_format trace_format_json = {
	.syscall_entry = json_syscall_entry,
	.syscall_exit = json_syscall_exit,
	.syscall_unfinished = json_syscall_unfinished,
	.signal = json_signal,
	.group_stop = json_group_stop,
	.exited = json_exited,
	.note = json_note,
};
