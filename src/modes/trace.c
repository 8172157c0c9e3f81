/* The trace mode: one strace-style line per syscall, signal and exit.
 *
 * A syscall's line is started at its entry (so a blocked call shows) and
 * finished at its exit. When another tracee prints in between, the open
 * line is closed with " <unfinished ...>" and its exit later prints as
 * "<... NAME resumed>", as strace does. With -e status= the outcome
 * decides, so the entry text is held back until the exit. */
#include "trace_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ptrc/mem.h"
#include "ptrc/output.h"
#include "ptrc/syscalls.h"
#include "stack_k.h"

/* strace aligns " = " at this column. */
#define RETURN_COLUMN 40

struct syscall_call trace_call_of(const struct tracee *t)
{
	struct trace_tracee *ts = t->mode_data;
	struct syscall_call call = {
		.tid = t->tid,
		.arch = t->arch,
		.nr = t->nr,
		.args = t->args,
		.sp = t->entry_sp,
		.sig = syscall_lookup(t->arch, t->nr),
		.saved = ts ? &ts->saved : NULL,
	};
	return call;
}

/* -e trace=: an i386 socketcall is shown as its sub-call (socket, send...)
 * and so selected by the sub-call's name or class; a number without a
 * sub-call by socketcall's own. (The filter's set holds socketcall too when
 * any sub-call is selected, so that it stops under seccomp.) */
static bool call_traced(const struct trace_mode *m,
			const struct syscall_call *call)
{
	if (!call->sig)
		return true;
	if (m->config->trace_set && !strcmp(call->sig->name, "socketcall")) {
		char buf[32];
		const char *name = syscall_display_name(call, buf);
		if (strcmp(name, "socketcall") != 0)
			for (unsigned i = 0; i < syscall_sig_count; i++)
				if (!strcmp(syscall_sigs[i].name, name))
					return config_traces(m->config, i);
	}
	return config_traces(m->config, (unsigned)(call->sig - syscall_sigs));
}

/* -c shows the summary alone; otherwise events print as text or JSON. */
static bool text_output(const struct trace_mode *m)
{
	return !m->config->json && m->config->summary != SUMMARY_ONLY;
}

static bool json_events(const struct trace_mode *m)
{
	return m->config->json && m->config->summary != SUMMARY_ONLY;
}

void trace_emit(struct trace_mode *m)
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
	trace_emit(m);
	m->open_line = NULL;
}

static void close_open_line(struct trace_mode *m)
{
	end_open_line(m, " <unfinished ...>");
}

static void put_prefix(struct trace_mode *m, const struct tracee *t,
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
	for (unsigned i = 0; i < t->lcall_depth; i++)
		sb_puts(sb, "  ");
}

/* Start a line of its own for T (closing another tracee's open line). */
void trace_begin_line(struct trace_mode *m, const struct tracee *t)
{
	close_open_line(m);
	sb_reset(&m->line);
	put_prefix(m, t, &m->line);
}

static void tracee_added(void *mode, struct tracee *t)
{
	(void)mode;
	struct trace_tracee *ts = calloc(1, sizeof *ts);
	if (!ts) {
		fputs("ptrc: out of memory\n", stderr);
		abort();
	}
	sb_init(&ts->pending);
	t->mode_data = ts;
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
	if (m->config->syscall_stacks && t->tid == t->tgid)
		stack_k_forget(t->tgid);  /* -k: the process is gone */
	/* A task the engine met only while detaching was never added. */
	if (trace_state(t)) {
		sb_free(&trace_state(t)->pending);
		free(trace_state(t)->call_next_arg);
	}
	free(t->mode_data);
	t->mode_data = NULL;
}

/* Does the descriptor FD of T refer to PATH? (-P) */
static bool fd_is_path(pid_t tid, long fd, const char *path)
{
	char link[64], target[4096];
	snprintf(link, sizeof link, "/proc/%d/fd/%ld", tid, fd);
	ssize_t n = readlink(link, target, sizeof target - 1);
	if (n <= 0)
		return false;
	target[n] = '\0';
	return strcmp(target, path) == 0;
}

/* -P: does the call name one of the paths, or use a descriptor of one? */
static bool touches_paths(struct trace_mode *m, const struct syscall_call *call)
{
	if (!call->sig)
		return false;
	char buf[4097];
	for (unsigned i = 0; i < call->sig->nargs; i++) {
		enum arg_kind kind = call->sig->kinds[i];
		uint64_t value = arch_word_size(call->arch) == 4 ?
				 (uint32_t)call->args[i] : call->args[i];
		for (unsigned p = 0; p < m->config->npaths; p++) {
			const char *path = m->config->paths[p];
			bool terminated;
			if (kind == ARG_PATH &&
			    mem_read_str(call->tid, value, buf, sizeof buf - 1,
					 &terminated) >= 0 &&
			    terminated && !strcmp(buf, path))
				return true;
			if ((kind == ARG_FD || kind == ARG_DIRFD) &&
			    fd_is_path(call->tid, (int)value, path))
				return true;
		}
	}
	return false;
}

static bool status_shown(const struct trace_mode *m, unsigned status)
{
	return !m->config->status_filter || (m->config->status_filter & status);
}

static void syscall_entry(void *mode, struct tracee *t)
{
	struct trace_mode *m = mode;
	struct trace_tracee *ts = trace_state(t);
	struct syscall_call call = trace_call_of(t);

	if (t->hidden) {
		/* ptrc run: the command's own life starts at its execve. */
		if (!call.sig || strcmp(call.sig->name, "execve") != 0) {
			ts->shown = false;
			return;
		}
		t->hidden = false;
	}
	ts->shown = call_traced(m, &call);
	if (ts->shown && m->config->npaths)
		ts->shown = touches_paths(m, &call);
	if (!ts->shown)
		return;
	if (json_events(m)) {
		json_syscall_entry(m, t);
		return;
	}
	if (!text_output(m))
		return;
	ts->deferred = m->config->status_filter != 0;
	if (ts->deferred) {
		sb_reset(&ts->pending);
		put_prefix(m, t, &ts->pending);
		ts->next_arg = decode_entry(&m->decoder, &ts->pending, &call);
		return;
	}
	trace_begin_line(m, t);
	ts->next_arg = decode_entry(&m->decoder, &m->line, &call);
	ts->entry_columns = m->line.len;
	trace_emit(m);
	m->open_line = t;
}

static uint64_t ns_since(const struct timespec *since)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	int64_t ns = (now.tv_sec - since->tv_sec) * 1000000000LL +
		     (now.tv_nsec - since->tv_nsec);
	return ns > 0 ? (uint64_t)ns : 0;
}

static uint64_t elapsed_ns(const struct tracee *t)
{
	return ns_since(&t->entry_time);
}

void trace_put_seconds_since(struct strbuf *sb, const struct timespec *since)
{
	uint64_t ns = ns_since(since);
	sb_printf(sb, "%llu.%06llu", (unsigned long long)(ns / 1000000000u),
		  (unsigned long long)(ns % 1000000000u / 1000));
}

static void put_duration(struct trace_mode *m, const struct tracee *t)
{
	sb_puts(&m->line, " <");
	trace_put_seconds_since(&m->line, &t->entry_time);
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
		close_open_line(m);
		sb_putn(&m->line, ts->pending.data, ts->pending.len);
		ts->deferred = false;
		return 0;
	}
	if (m->open_line == t) {
		m->open_line = NULL;
		sb_reset(&m->line);
		return ts->entry_columns;
	}
	char name_buf[32];
	trace_begin_line(m, t);
	sb_printf(&m->line, "<... %s resumed>",
		  syscall_display_name(call, name_buf));
	return 0;
}

void trace_pad_to_return(struct trace_mode *m, size_t columns_before)
{
	sb_puts(&m->line, ") ");
	size_t column = columns_before + m->line.len;
	while (column++ < RETURN_COLUMN)
		sb_putc(&m->line, ' ');
	sb_puts(&m->line, "= ");
}

/* -e read= / -e write=: the data of a successful transfer, in full. */
static void dump_data(struct trace_mode *m, const struct syscall_call *call,
		      int64_t rval)
{
	if (!call->sig || rval <= 0 || call->sig->nargs < 2)
		return;
	long fd = (int)call->args[0];
	bool is_read = call->sig->kinds[1] == ARG_OBUF;
	bool is_write = call->sig->kinds[1] == ARG_IBUF;
	if (!(is_read && m->config->dump_reads && fd_in_set(m->config->read_dump_fds, fd)) &&
	    !(is_write && m->config->dump_writes && fd_in_set(m->config->write_dump_fds, fd)))
		return;
	uint64_t addr = arch_word_size(call->arch) == 4 ?
			(uint32_t)call->args[1] : call->args[1];
	sb_reset(&m->line);
	decode_hexdump(&m->line, call->tid, addr, (uint64_t)rval);
	trace_emit(m);
}

static void count_call(struct trace_mode *m, struct tracee *t,
		       const struct syscall_call *call, bool failed)
{
	if (!m->summary)
		return;
	uint64_t ns = m->config->summary_wall ? elapsed_ns(t) :
		      (t->stime_us - t->entry_stime_us) * 1000u;
	char name_buf[32];
	/* a socketcall counts as its sub-call (socket, connect...) */
	const struct syscall_sig *sig = syscall_shown_sig(call);
	summary_add(m->summary, sig ? (int)(sig - syscall_sigs) : -1,
		    syscall_display_name(call, name_buf), failed, ns);
}

static void syscall_exit(void *mode, struct tracee *t, int64_t rval,
			 bool is_error)
{
	struct trace_mode *m = mode;
	struct trace_tracee *ts = trace_state(t);
	if (m->config->syscall_stacks) {  /* -k: mappings may have changed */
		const struct syscall_sig *sig = syscall_lookup(t->arch, t->nr);
		stack_k_syscall_exit(t, sig ? sig->name : NULL, is_error);
	}
	if (!ts->shown)
		return;
	ts->shown = false;
	struct syscall_call call = trace_call_of(t);
	count_call(m, t, &call, is_error);
	if (json_events(m)) {
		json_syscall_exit(m, t, rval, is_error, true);
		return;
	}
	if (!text_output(m))
		return;
	if (!status_shown(m, is_error ? STATUS_FAILED : STATUS_SUCCESSFUL)) {
		ts->deferred = false;
		return;
	}
	size_t before = resume_line(m, t, &call);
	decode_exit_args(&m->decoder, &m->line, &call, ts->next_arg, rval,
			 is_error);
	trace_pad_to_return(m, before);
	if (!is_error && call.sig && call.sig->ret == RET_FD &&
	    m->config->decode_fds)
		decode_fd(&m->line, t->tid, (int)rval, m->config->decode_fds);
	else
		decode_return(&m->decoder, &m->line, &call, rval, is_error);
	if (m->config->syscall_times)
		put_duration(m, t);
	sb_putc(&m->line, '\n');
	trace_emit(m);
	if (!is_error)
		dump_data(m, &call, rval);
	if (m->config->syscall_stacks) {  /* -k */
		sb_reset(&m->line);
		stack_k_lines(&m->line, t, m->config->unwinder,
			      m->config->trace_set != NULL);
		trace_emit(m);
	}
}

static int signal_delivery(void *mode, struct tracee *t, const siginfo_t *si)
{
	struct trace_mode *m = mode;
	if (t->hidden || !config_shows_signal(m->config, si->si_signo))
		return si->si_signo;
	if (json_events(m)) {
		json_signal(m, t, si);
	} else if (text_output(m)) {
		trace_begin_line(m, t);
		sb_puts(&m->line, "--- ");
		decode_signal_name(&m->line, si->si_signo);
		sb_putc(&m->line, ' ');
		decode_siginfo(&m->line, si);
		sb_puts(&m->line, " ---\n");
		trace_emit(m);
	}
	return si->si_signo;
}

static void group_stop(void *mode, struct tracee *t, int sig)
{
	struct trace_mode *m = mode;
	if (!config_shows_signal(m->config, sig))
		return;
	if (json_events(m)) {
		json_group_stop(m, t, sig);
	} else if (text_output(m)) {
		trace_begin_line(m, t);
		sb_puts(&m->line, "--- stopped by ");
		decode_signal_name(&m->line, sig);
		sb_puts(&m->line, " ---\n");
		trace_emit(m);
	}
}

static void exited(void *mode, struct tracee *t, int wstatus,
		   pid_t superseded_by)
{
	struct trace_mode *m = mode;
	struct trace_tracee *ts = trace_state(t);
	if (t->in_syscall && ts->shown) {
		/* exit_group and friends never return. */
		ts->shown = false;
		struct syscall_call call = trace_call_of(t);
		count_call(m, t, &call, false);
		if (json_events(m)) {
			json_syscall_exit(m, t, 0, false, false);
		} else if (text_output(m) && status_shown(m, STATUS_UNFINISHED)) {
			size_t before = resume_line(m, t, &call);
			trace_pad_to_return(m, before);
			sb_puts(&m->line, "?\n");
			trace_emit(m);
		}
		ts->deferred = false;
	}
	if (t->hidden)
		return;
	if (json_events(m)) {
		json_exited(m, t, wstatus, superseded_by);
		return;
	}
	if (!text_output(m))
		return;
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

static void note(void *mode, struct tracee *t, const char *text)
{
	struct trace_mode *m = mode;
	if (json_events(m)) {
		json_note(m, t, text);
		return;
	}
	if (!text_output(m))
		return;
	trace_begin_line(m, t);
	sb_printf(&m->line, "[ %s ]\n", text);
	trace_emit(m);
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
	.call_entry = trace_call_entry,
	.call_exit = trace_call_exit,
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
	sb_init(&m->scratch);
	if (config->summary != SUMMARY_NONE) {
		m->summary = summary_new(config);
		if (!m->summary) {
			free(m);
			return NULL;
		}
	}
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
	if (m->summary) {
		sb_reset(&m->line);
		if (m->config->json)
			summary_print_json(m->summary, &m->line);
		else
			summary_print_text(m->summary, &m->line);
		trace_emit(m);
		summary_free(m->summary);
	}
	decoder_free(&m->decoder);
	sb_free(&m->line);
	sb_free(&m->scratch);
	free(m);
}
