/* The crash mode (--crash): the engine runs tracees with PTRACE_CONT, so
 * the only stops are signals, events and exits. Signals that do not kill
 * pass through untouched (the engine's default). When one is about to
 * kill a process, the engine stops every thread of it and calls
 * fatal_signal here: a report is written, then the process is detached
 * with the same signal (it dies as it would have: same core dump, same
 * wait status for its parent) or, with --on-crash=hold, with SIGSTOP (it
 * stays stopped for a debugger).
 *
 * A signal that dumps no core and that another process sent (master's
 * SIGTERM at `postfix stop`, an administrator's kill) gets a line, not a
 * report, unless --crash-signals=all.
 *
 * A process ptrc was asked about (attach PID, the run command) that ends
 * without a crash gets one line in the output: "process N exited with
 * status S (no crash)", or "... killed by SIG... (no report: ...)" for a
 * signal ptrc cannot see coming (SIGKILL). */
#include "ptrc/modes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "crash_report.h"
#include "ptrc/decode.h"
#include "ptrc/names.h"
#include "ptrc/strbuf.h"

struct crash_mode {
	const struct ptrc_config *config;
	struct engine *engine;
	struct out *out;
	struct strbuf buf;
	unsigned crashes;
};

static double ms_since(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1e3 +
	       (now.tv_nsec - start->tv_nsec) / 1e6;
}

/* Sent by another process with kill/tkill/sigqueue: an orderly stop or
 * an administrator's kill rather than a crash. The kernel's signals (a
 * fault, SIGPIPE, a timer, a hangup) and a process's own raise() are not. */
static bool sent_by_other(const siginfo_t *si, pid_t tgid)
{
	bool sent = si->si_code == SI_USER || si->si_code == SI_TKILL ||
		    si->si_code == SI_QUEUE;
	return sent && si->si_pid != tgid;
}

/* --crash-signals=faults: the one line written instead of a report. */
static int killed_by_other(struct crash_mode *m, struct tracee *t,
			   const siginfo_t *si)
{
	sb_reset(&m->buf);
	if (m->config->json) {
		sb_printf(&m->buf, "{\"type\":\"exit\",\"pid\":%d,\"status\":null,"
			  "\"signal\":%d,\"sender_pid\":%d,\"sender_uid\":%u,"
			  "\"report\":false}\n", (int)t->tgid, si->si_signo,
			  (int)si->si_pid, (unsigned)si->si_uid);
	} else {
		sb_printf(&m->buf, "process %d was killed by ", (int)t->tgid);
		decode_signal_name(&m->buf, si->si_signo);
		sb_printf(&m->buf, " from process %d (uid %u) (no report: sent by "
			  "another process; --crash-signals=all reports it)\n",
			  (int)si->si_pid, (unsigned)si->si_uid);
	}
	out_write(m->out, m->buf.data, m->buf.len);
	out_flush(m->out);
	return si->si_signo;
}

static int fatal_signal(void *mode, struct tracee *t, const siginfo_t *si,
			struct tracee **threads, size_t n)
{
	struct crash_mode *m = mode;
	if (m->config->crash_signals != CRASH_SIGNALS_ALL &&
	    signal_default_action(si->si_signo) != SIGNAL_DUMPS_CORE &&
	    sent_by_other(si, t->tgid))
		return killed_by_other(m, t, si);
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);

	struct crash_report r = { .want_env = m->config->crash_env };
	clock_gettime(CLOCK_REALTIME, &r.when);
	pid_t *tids = calloc(n, sizeof *tids);
	bool *stopped = calloc(n, sizeof *stopped);
	if (tids && stopped) {
		for (size_t i = 0; i < n; i++) {
			tids[i] = threads[i]->tid;
			stopped[i] = threads[i]->stopped || threads[i] == t;
		}
		crash_report_collect(&r, t->tgid, tids, stopped, n, si,
				     m->config->unwinder,
				     m->config->on_crash == ON_CRASH_HOLD);
	} else {
		pid_t one = t->tid;
		bool yes = true;
		crash_report_collect(&r, t->tgid, &one, &yes, 1, si,
				     m->config->unwinder,
				     m->config->on_crash == ON_CRASH_HOLD);
	}
	free(tids);
	free(stopped);

	sb_reset(&m->buf);
	if (m->config->json) {
		crash_report_json(&m->buf, &r);
	} else {
		if (m->crashes)
			sb_putc(&m->buf, '\n');
		crash_report_text(&m->buf, &r);
	}
	out_write(m->out, m->buf.data, m->buf.len);
	out_flush(m->out);
	m->crashes++;
	if (getenv("PTRC_CRASH_TIMING"))
		fprintf(stderr, "ptrc: crash report of %zu threads in %.1f ms\n",
			r.nthreads, ms_since(&start));
	crash_report_free(&r);

	return m->config->on_crash == ON_CRASH_HOLD ? SIGSTOP : si->si_signo;
}

/* Only the processes ptrc was asked about (or found by attach --tree),
 * not -f children. */
static bool is_main_process(struct crash_mode *m, const struct tracee *t)
{
	if (t->tid != t->tgid)
		return false;
	if (t->attached)
		return true;
	if (m->engine && engine_command_pid(m->engine) == t->tgid)
		return true;
	for (unsigned i = 0; i < m->config->npids; i++)
		if (m->config->pids[i] == t->tgid)
			return true;
	return false;
}

static void exited(void *mode, struct tracee *t, int wstatus,
		   pid_t superseded_by)
{
	struct crash_mode *m = mode;
	if (superseded_by || !is_main_process(m, t))
		return;
	sb_reset(&m->buf);
	if (m->config->json) {
		sb_printf(&m->buf, "{\"type\":\"exit\",\"pid\":%d,", (int)t->tgid);
		if (WIFEXITED(wstatus))
			sb_printf(&m->buf, "\"status\":%d,\"signal\":null}\n",
				  WEXITSTATUS(wstatus));
		else
			sb_printf(&m->buf, "\"status\":null,\"signal\":%d}\n",
				  WTERMSIG(wstatus));
	} else if (WIFEXITED(wstatus)) {
		sb_printf(&m->buf, "process %d exited with status %d (no crash)\n",
			  (int)t->tgid, WEXITSTATUS(wstatus));
	} else {
		sb_printf(&m->buf, "process %d was killed by ", (int)t->tgid);
		decode_signal_name(&m->buf, WTERMSIG(wstatus));
		sb_puts(&m->buf, " (no report: the signal gave no warning)\n");
	}
	out_write(m->out, m->buf.data, m->buf.len);
}

static void idle(void *mode)
{
	struct crash_mode *m = mode;
	if (out_flush(m->out) < 0)
		engine_request_stop(0);
}

static const struct mode_ops ops = {
	.fatal_signal = fatal_signal,
	.exited = exited,
	.idle = idle,
};

const struct mode_ops *crash_mode_ops(void)
{
	return &ops;
}

struct crash_mode *crash_mode_new(const struct ptrc_config *config,
				  struct out *out)
{
	struct crash_mode *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->config = config;
	m->out = out;
	sb_init(&m->buf);
	return m;
}

void crash_mode_set_engine(struct crash_mode *m, struct engine *e)
{
	m->engine = e;
}

void crash_mode_free(struct crash_mode *m)
{
	if (!m)
		return;
	sb_free(&m->buf);
	free(m);
}
