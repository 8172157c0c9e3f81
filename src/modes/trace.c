/* The trace mode: the engine's callbacks. They decide what is shown (-e
 * trace=, -P, -e signal=, ptrc run's hidden start), count calls for -c,
 * keep -k's view of the mappings fresh, build each syscall's record once
 * per stop, and hand the event to the format chosen at start
 * (trace_format.h). */
#include "trace_format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "ptrc/mem.h"
#include "ptrc/output.h"
#include "ptrc/syscalls.h"
#include "stack_k.h"
#include "trace_gate.h"
#include "trace_inject.h"
#include "trace_recorder.h"

/* The record of T's syscall in progress, as the decoder and the formats
 * take it. */
static struct syscall_call call_of(const struct tracee *t)
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
					return config_traces(m->config, call->arch, i);
	}
	return config_traces(m->config, call->arch,
			     (unsigned)(call->sig - syscall_sigs));
}

/* -Y: /proc/TID/comm, as the kernel has it (up to 15 bytes). */
static void read_comm(struct tracee *t)
{
	char path[64];
	struct trace_tracee *ts = trace_state(t);
	snprintf(path, sizeof path, "/proc/%d/comm", (int)t->tid);
	FILE *f = fopen(path, "re");
	ts->comm[0] = '\0';
	if (!f)
		return;
	size_t n = fread(ts->comm, 1, sizeof ts->comm - 1, f);
	fclose(f);
	ts->comm[n] = '\0';
	ts->comm[strcspn(ts->comm, "\n")] = '\0';
}

static void tracee_added(void *mode, struct tracee *t)
{
	struct trace_mode *m = mode;
	struct trace_tracee *ts = calloc(1, sizeof *ts);
	if (!ts) {
		fputs("ptrc: out of memory\n", stderr);
		abort();
	}
	sb_init(&ts->pending);
	t->mode_data = ts;
	if (m->config->decode_pids & DECODE_PID_COMM)
		read_comm(t);
	trace_open_separate(m, t);  /* -ff */
	trace_files_added(m, t);    /* -o DIR/%n.%p with --tree or -f */
	if (m->gate)
		m->gate->tracee_added(m->gate_data, t);
}

/* After execve the thread has the program's name (-Y). */
static void exec_done(void *mode, struct tracee *t, pid_t former_tid)
{
	struct trace_mode *m = mode;
	(void)former_tid;
	if (trace_state(t) && (m->config->decode_pids & DECODE_PID_COMM))
		read_comm(t);
	if (m->gate && trace_state(t))
		m->gate->exec(m->gate_data, t);
	trace_files_exec(m, t);
}

static void detached(void *mode, struct tracee *t)
{
	struct trace_mode *m = mode;
	trace_select(m, t);
	if (m->cur->open_line == t)
		trace_end_open_line(m, " <detached ...>");
}

static void tracee_removed(void *mode, struct tracee *t)
{
	struct trace_mode *m = mode;
	trace_select(m, t);
	if (m->cur->open_line == t)
		trace_close_open_line(m);
	trace_close_separate(m, t);  /* -ff */
	if (m->config->syscall_stacks && t->tid == t->tgid)
		stack_k_forget(t->tgid);  /* -k: the process is gone */
	/* A task the engine met only while detaching was never added. */
	if (trace_state(t) && m->gate)
		m->gate->tracee_removed(m->gate_data, t);
	if (trace_state(t) && m->recorder)
		m->recorder->tracee_removed(m->recorder_data, t);
	if (trace_state(t)) {
		sb_free(&trace_state(t)->pending);
		free(trace_state(t)->call_next_arg);
		sb_free(&trace_state(t)->call_stacks);
		free(trace_state(t)->call_stack_at);
		free(trace_state(t)->inject_counts);
	}
	free(t->mode_data);
	t->mode_data = NULL;
}

static void syscall_entry(void *mode, struct tracee *t)
{
	struct trace_mode *m = mode;
	struct trace_tracee *ts = trace_state(t);
	struct syscall_call call = call_of(t);

	trace_select(m, t);
	if (t->hidden) {
		/* ptrc run: the command's own life starts at its execve. */
		if (!call.sig || strcmp(call.sig->name, "execve") != 0) {
			ts->shown = false;
			return;
		}
		t->hidden = false;
	}
	/* --peer sees every call, shown or not, to follow the sessions */
	enum trace_gate_verdict gate = m->gate ?
		m->gate->syscall_entry(m->gate_data, t, &call) : GATE_SHOW;
	ts->shown = call_traced(m, &call);
	if (ts->shown && m->config->npaths)
		ts->shown = trace_paths_match(&m->paths, &call);
	if (!ts->shown)
		return;
	/* strace injects before it prints: a delay holds the line back */
	trace_inject_entry(m, t, &call);
	if (gate == GATE_DROP) {
		ts->shown = false;
		return;
	}
	ts->gate_at_exit = gate == GATE_AT_EXIT;
	m->hold_entry = ts->gate_at_exit;
	m->format->syscall_entry(m, t, &call);
	m->hold_entry = false;
}

/* -c, -C: the call's time, by the wall clock (-w) or in the kernel. */
static void count_call(struct trace_mode *m, struct tracee *t,
		       const struct syscall_call *call, bool failed)
{
	if (!m->summary)
		return;
	uint64_t ns = m->config->summary_wall ? trace_ns_since(&t->entry_time) :
		      (t->stime_us - t->entry_stime_us) * 1000u;
	char name_buf[32];
	/* a socketcall counts as its sub-call (socket, connect...) */
	const struct syscall_sig *sig = syscall_shown_sig(call);
	summary_add(m->summary, call->arch, sig ? (int)(sig - syscall_sigs) : -1,
		    syscall_display_name(call, name_buf), failed, ns);
}

static void syscall_exit(void *mode, struct tracee *t, int64_t rval,
			 bool is_error)
{
	struct trace_mode *m = mode;
	struct trace_tracee *ts = trace_state(t);
	struct syscall_call call = call_of(t);
	trace_select(m, t);
	if (m->config->syscall_stacks)  /* -k: mappings may have changed */
		stack_k_syscall_exit(t, call.sig ? call.sig->name : NULL,
				     is_error);
	bool gate_shows = !m->gate ||
		m->gate->syscall_exit(m->gate_data, t, &call, rval, is_error);
	if (m->recorder && !t->hidden)  /* --transcript, --pcap */
		m->recorder->syscall_exit(m->recorder_data, t, &call, rval,
					  is_error);
	if (!ts->shown)
		return;
	ts->shown = false;
	if (ts->gate_at_exit) {
		ts->gate_at_exit = false;
		if (!gate_shows) {
			ts->deferred = false;  /* its held entry is dropped */
			return;
		}
	}
	count_call(m, t, &call, is_error);
	m->format->syscall_exit(m, t, &call, rval, is_error);
}

/* --peer: T's lines other than syscalls are written now. */
static bool gate_shows(const struct trace_mode *m, const struct tracee *t)
{
	return !m->gate || m->gate->shows(m->gate_data, t);
}

static int signal_delivery(void *mode, struct tracee *t, const siginfo_t *si)
{
	struct trace_mode *m = mode;
	trace_select(m, t);
	if (!t->hidden && config_shows_signal(m->config, si->si_signo) &&
	    gate_shows(m, t))
		m->format->signal(m, t, si);
	return si->si_signo;
}

static void group_stop(void *mode, struct tracee *t, int sig)
{
	struct trace_mode *m = mode;
	trace_select(m, t);
	if (config_shows_signal(m->config, sig) && gate_shows(m, t))
		m->format->group_stop(m, t, sig);
}

static void exited(void *mode, struct tracee *t, int wstatus,
		   pid_t superseded_by)
{
	struct trace_mode *m = mode;
	struct trace_tracee *ts = trace_state(t);
	trace_select(m, t);
	if (t->in_syscall && ts->shown && ts->gate_at_exit) {
		ts->shown = ts->deferred = false;  /* --peer never decided */
	} else if (t->in_syscall && ts->shown) {
		/* exit_group and friends never return. strace's -c counts
		 * a call at its return, so these are not counted. */
		ts->shown = false;
		struct syscall_call call = call_of(t);
		m->format->syscall_unfinished(m, t, &call);
	}
	/* -e quiet=exit, thread-execve (superseded); "killed by" as the
	 * signal set says, as strace */
	unsigned quiet = m->config->quiet;
	bool quieted = superseded_by ? quiet & QUIET_THREAD_EXECVE :
		       WIFEXITED(wstatus) ? quiet & QUIET_EXIT :
		       WIFSIGNALED(wstatus) &&
		       !config_shows_signal(m->config, WTERMSIG(wstatus));
	if (!t->hidden && !quieted && gate_shows(m, t))
		m->format->exited(m, t, wstatus, superseded_by);
}

static void note(void *mode, struct tracee *t, const char *text)
{
	struct trace_mode *m = mode;
	trace_select(m, t);
	m->format->note(m, t, text);
}

static void idle(void *mode)
{
	struct trace_mode *m = mode;
	if (!trace_flush_all(m))
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
	.exec = exec_done,
	.exited = exited,
	.note = note,
	.idle = idle,
};

const struct mode_ops *trace_mode_ops(void)
{
	return &ops;
}

/* -c shows the summary alone; otherwise events print as text or JSON. */
static const struct trace_format *format_of(const struct ptrc_config *config)
{
	if (config->summary == SUMMARY_ONLY)
		return &trace_format_quiet;
	return config->json ? &trace_format_json : &trace_format_text;
}

/* --peer's gate, the recorder of --transcript and --pcap; false when
 * out of memory. */
static bool plugins_new(struct trace_mode *m)
{
	if (m->config->npeers) {
		m->gate_data = trace_peer_new(m->config);
		if (!m->gate_data)
			return false;
		m->gate = &trace_peer_gate;
	}
	if (m->config->transcript_dir || m->config->pcap_path) {
		m->recorder_data = trace_conns_new(m->config);
		if (!m->recorder_data)
			return false;
		m->recorder = &trace_conns_recorder;
	}
	return true;
}

struct trace_mode *trace_mode_new(const struct ptrc_config *config,
				  struct out *out)
{
	struct trace_mode *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->config = config;
	m->shared.out = out;
	m->cur = &m->shared;
	m->format = format_of(config);
	trace_pid_rule_init(&m->pid_rule, config);
	decoder_init(&m->decoder, config);
	if (!trace_paths_init(&m->paths, config) || !trace_files_init(m)) {
		trace_paths_free(&m->paths);
		free(m);
		return NULL;
	}
	sb_init(&m->line);
	sb_init(&m->scratch);
	if (config->summary != SUMMARY_NONE) {
		m->summary = summary_new(config);
		if (!m->summary) {
			trace_paths_free(&m->paths);
			free(m);
			return NULL;
		}
	}
	if (!plugins_new(m)) {
		summary_free(m->summary);
		m->summary = NULL;  /* nothing to print */
		trace_mode_free(m);
		return NULL;
	}
	return m;
}

void trace_mode_set_engine(struct trace_mode *m, struct engine *e)
{
	m->engine = e;
	trace_lcall_start(m);
}

bool trace_mode_output_separately(struct trace_mode *m, const char *base)
{
	free(m->separate_base);
	m->separate_base = strdup(base);
	return m->separate_base != NULL;
}

int trace_mode_output_error(const struct trace_mode *m)
{
	return m->output_error;
}

void trace_mode_free(struct trace_mode *m)
{
	if (!m)
		return;
	/* -ff: tracees the engine still held were removed (closing their
	 * files) before this; what remains is the shared output's. */
	m->cur = &m->shared;
	trace_close_open_line(m);
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
	trace_paths_free(&m->paths);
	if (m->gate)
		m->gate->free(m->gate_data);
	if (m->recorder)
		m->recorder->free(m->recorder_data);
	free(m->separate_base);
	free(m->process_template);
	sb_free(&m->line);
	sb_free(&m->scratch);
	free(m);
}
