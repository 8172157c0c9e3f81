/* The event loop: wait for ptrace stops, turn each into an event for the
 * mode (and the extension, ptrc/engine_ext.h), and resume. Every stop is
 * resumed right away, except during the final detach. */
#include "engine_internal.h"
#include "detach.h"
#include "stop_process.h"
#include "syscall_stop.h"
#include "tracees.h"
#include "wait.h"
#include "wait_status.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "ptrc/proc.h"

static volatile sig_atomic_t stop_requested;

void engine_request_stop(int signo)
{
	stop_requested = signo ? signo : 1;
	tick_wake_soon();
}

bool engine_stop_pending(void)
{
	return stop_requested != 0;
}

struct engine *engine_new(const struct ptrc_config *config,
			  const struct mode_ops *ops, void *mode)
{
	struct engine *e = calloc(1, sizeof *e);
	if (!e)
		return NULL;
	e->config = config;
	e->ops = ops;
	e->mode = mode;
	table_init(&e->table);
	/* Threads are always followed (PTRACE_O_TRACECLONE catches clone()
	 * without SIGCHLD as exit signal, i.e. threads); new processes only
	 * with -f. */
	e->ptrace_options = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC |
			    PTRACE_O_TRACECLONE;
	if (config->follow_forks)
		e->ptrace_options |= PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK;
	/* --crash needs no syscall stops. */
	e->resume_request = config->crash ? PTRACE_CONT : PTRACE_SYSCALL;
	/* Only with -f: a child the filter was inherited by but that has
	 * no tracer gets ENOSYS from every traced syscall (strace's rule
	 * too). */
	e->use_seccomp = config->command == CMD_RUN && config->trace_set &&
			 config->follow_forks && !config->crash &&
			 !config->no_seccomp && !config_injects_signals(config) &&
			 !config->detach_on_execve;  /* a detached process
			 * would get ENOSYS from the traced syscalls */
	if (e->use_seccomp)
		e->ptrace_options |= PTRACE_O_TRACESECCOMP;
	const char *no_info = getenv("PTRC_NO_SYSCALL_INFO");
	e->no_syscall_info = no_info && strcmp(no_info, "1") == 0;
	return e;
}

void engine_set_ext(struct engine *e, const struct engine_ext *ext, void *data)
{
	e->ext = ext;
	e->ext_data = data;
	e->ptrace_options |= ext->ptrace_options;
	if (ext->no_syscall_stops)
		e->resume_request = PTRACE_CONT;
}

void engine_free(struct engine *e)
{
	if (!e)
		return;
	/* Tracees left (the detach timed out): the mode frees its state. */
	struct tracee *t;
	while ((t = table_any(&e->table)))
		engine_remove_tracee(e, t);
	table_free(&e->table);
	if (e->ext)
		e->ext->free(e->ext_data);
	free(e->reaped);
	free(e);
}

pid_t engine_command_pid(const struct engine *e)
{
	return e->run_child;
}

unsigned engine_tracee_count(const struct engine *e)
{
	return e->table.count;
}

static void new_task_event(struct engine *e, struct tracee *parent,
			   unsigned event)
{
	unsigned long msg = 0;
	if (ptrace(PTRACE_GETEVENTMSG, parent->tid, 0, &msg) < 0)
		return;
	pid_t tid = (pid_t)msg;
	struct tracee *child = table_find(&e->table, tid);
	if (!child) {
		/* It may have lived and died before this event: do not
		 * bring it back, nor take a task that reuses its tid. */
		if (!engine_traced_by_us(tid))
			return;
		child = engine_add_tracee(e, tid, proc_tgid(tid));
	}
	/* The parent's architecture is only a guess for a child whose own
	 * syscall stops have not told it yet. A child can run ahead of this
	 * event (wait reports the newest tracee first) and be in the middle
	 * of a syscall by now: its exit must be decoded with the entry's
	 * table. And the parent's may not be known at all: a thread seized
	 * inside clone(), or under seccomp, has made no syscall stop yet. */
	if (child->arch == PTRC_ARCH_UNKNOWN) {
		child->arch = parent->arch;
		child->arch_noted = parent->arch_noted;
	}
	if (e->ext)
		e->ext->on_new_task(e->ext_data, e, parent, child, event);
}

/* PTRACE_EVENT_EXEC is reported under the thread-group leader's tid, even
 * when another thread called execve; that thread takes the leader's tid. */
static struct tracee *exec_event(struct engine *e, pid_t tid)
{
	unsigned long msg = 0;
	ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg);
	pid_t former = msg ? (pid_t)msg : tid;
	struct tracee *t = table_find(&e->table, tid);
	if (former != tid) {
		struct tracee *execer = table_find(&e->table, former);
		if (t) {
			if (e->ops->exited)
				e->ops->exited(e->mode, t, 0, former);
			engine_remove_tracee(e, t);
		}
		t = execer;
		if (!t)
			t = engine_add_tracee(e, former, tid);
		table_rekey(&e->table, t, tid);
	}
	if (!t)
		t = engine_add_tracee(e, tid, tid);
	t->tgid = tid;
	t->arch_noted = false;
	/* ptrc run: the command's life starts here, even when its execve
	 * was not traced (-e trace= without execve). */
	t->hidden = false;
	if (e->ops->exec)
		e->ops->exec(e->mode, t, former);
	return t;
}

/* A stop of T that is not a signal-delivery-stop (EVENT: its
 * PTRACE_EVENT_*, 0 for a syscall stop): handled, and T resumed. */
static void event_stop(struct engine *e, struct tracee *t, int sig,
		       unsigned event)
{
	switch (event) {
	case 0:  /* a syscall stop */
		if (!t->quiet)
			engine_syscall_stop(e, t, false);
		break;
	case PTRACE_EVENT_STOP:
		if (is_stop_signal(sig)) {
			/* A group-stop: PTRACE_LISTEN keeps the tracee
			 * stopped, as kill -STOP meant, until SIGCONT. */
			if (!t->group_stopped && e->ops->group_stop && !t->quiet)
				e->ops->group_stop(e->mode, t, sig);
			t->group_stopped = true;
			ptrace(PTRACE_LISTEN, t->tid, 0, 0);
			return;
		}
		t->group_stopped = false;
		break;
	case PTRACE_EVENT_SECCOMP:
		if (!t->quiet)
			engine_syscall_stop(e, t, true);
		break;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		new_task_event(e, t, event);
		break;
	}
	/* -e inject=...:signal= at a syscall-entry stop */
	int deliver = t->tamper.signal;
	t->tamper.signal = 0;
	engine_resume(e, t, deliver);
}

/* A signal-delivery-stop of SIG: the signal goes to the mode, which says
 * what to deliver; one that kills the process to the crash event. */
static void signal_stop(struct engine *e, struct tracee *t, int sig)
{
	/* The extension tells its own traps before the siginfo is read
	 * (it may know them by the PC alone: two ptrace calls less). */
	if (sig == SIGTRAP && e->ext && e->ext->on_sigtrap(e->ext_data, e, t))
		return;
	siginfo_t si;
	if (ptrace(PTRACE_GETSIGINFO, t->tid, 0, &si) < 0 || t->quiet) {
		engine_resume(e, t, sig);
		return;
	}
	if (e->ops->fatal_signal && signal_kills(t->tid, si.si_signo)) {
		fatal_signal_stop(e, t, &si);  /* reports, then detaches */
		return;
	}
	int deliver = e->ops->signal ? e->ops->signal(e->mode, t, &si) : sig;
	engine_resume(e, t, deliver);
}

/* -b execve: T, at its exec stop, is let go (the mode closes its execve
 * line " <detached ...>", as strace's). */
static void detach_at_exec(struct engine *e, struct tracee *t)
{
	ptrace(PTRACE_DETACH, t->tid, 0, 0);
	if (e->ops->detached)
		e->ops->detached(e->mode, t);
	engine_remove_tracee(e, t);
}

static void handle_status(struct engine *e, pid_t tid, int status,
			  const struct rusage *usage)
{
	struct tracee *t = table_find(&e->table, tid);
	if (t && usage)
		t->stime_us = (uint64_t)usage->ru_stime.tv_sec * 1000000u +
			      (uint64_t)usage->ru_stime.tv_usec;
	if (engine_tracee_ended(e, t, status) || !WIFSTOPPED(status))
		return;
	if (t)
		t->introduced = true;
	if (status_event(status) == PTRACE_EVENT_EXEC) {
		if (t && t->quiet) {
			engine_let_go(e, t);  /* followed till its execve */
			return;
		}
		/* ptrc run's command's first execve is its start, not -b's */
		bool starting = e->run_child && tid == e->run_child &&
				!e->run_exec_seen;
		if (starting)
			e->run_exec_seen = true;
		t = exec_event(e, tid);
		if (e->config->detach_on_execve && !starting) {
			detach_at_exec(e, t);
			return;
		}
		if (e->ext)
			e->ext->on_exec(e->ext_data, e, t);
		engine_resume(e, t, 0);
		return;
	}
	if (!t) {
		/* An auto-attached child can report before its parent's
		 * fork/clone event. */
		t = engine_add_tracee(e, tid, proc_tgid(tid));
		if (e->ext && e->ext->hold_new_task(e->ext_data, e, t))
			return;
	}
	if (e->ext && !e->ext->on_stop(e->ext_data, e, t)) {
		ptrace(PTRACE_DETACH, tid, 0,
		       (void *)(long)status_delivery_signal(status));
		engine_remove_tracee(e, t);
		return;
	}
	int sig = WSTOPSIG(status);
	if (status_event(status) || status_syscall_stop(status))
		event_stop(e, t, sig, status_event(status));
	else
		signal_stop(e, t, sig);
}

void engine_handle_status(struct engine *e, pid_t tid, int status)
{
	handle_status(e, tid, status, NULL);
}

void engine_handle_pending(struct engine *e)
{
	int status;
	struct rusage usage;
	pid_t tid;
	/* At most about one stop per tracee: threads attached already may
	 * stop again as fast as they are resumed, and attach must go on. */
	for (size_t left = e->table.count + 16; left > 0; left--) {
		if ((tid = engine_wait(e, -1, WNOHANG, &status, &usage)) <= 0)
			break;
		handle_status(e, tid, status, &usage);
	}
}

static void count_unintroduced(struct tracee *t, void *arg)
{
	if (!t->introduced)
		(*(unsigned *)arg)++;
}

void engine_settle(struct engine *e, int timeout_ms)
{
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	tick_start();  /* bounds each wait: 100 ms */
	for (;;) {
		unsigned waiting = 0;
		table_for_each(&e->table, count_unintroduced, &waiting);
		clock_gettime(CLOCK_MONOTONIC, &now);
		long elapsed_ms = (now.tv_sec - start.tv_sec) * 1000 +
				  (now.tv_nsec - start.tv_nsec) / 1000000;
		if (!waiting || stop_requested || elapsed_ms >= timeout_ms)
			break;
		int status;
		pid_t tid = engine_wait(e, -1, 0, &status, NULL);
		if (tid < 0)
			break;
		if (tid > 0)
			handle_status(e, tid, status, NULL);
	}
	tick_stop();
}

/* ptrc's exit status: in run mode the traced command's (128+N when killed
 * by signal N). */
static int exit_status(struct engine *e)
{
	if (e->run_child && !e->run_done && e->config->crash) {
		/* Detached after a crash (or held stopped): still ptrc's
		 * child, whose end gives ptrc's exit status. */
		int status;
		while (engine_wait(e, e->run_child, 0, &status, NULL) == 0)
			;  /* interrupted */
	}
	if (e->run_child && e->run_done) {
		if (WIFEXITED(e->run_wstatus))
			return WEXITSTATUS(e->run_wstatus);
		if (WIFSIGNALED(e->run_wstatus))
			return 128 + WTERMSIG(e->run_wstatus);
	}
	return PTRC_EXIT_OK;
}

int engine_run(struct engine *e)
{
	/* Output is flushed on the tick, so that a quiet tracee's last
	 * lines show within 0.1 s without a write per event. The tick runs
	 * only while events come: a tick with no event since the one before
	 * (all output flushed then) stops it, and an idle ptrc sleeps in its
	 * wait with no timer. Stopping only then keeps a tick that fires just
	 * before the wait blocks from being the last one. */
	bool busy = false;  /* an event since the last tick */
	tick_start();  /* flushes what attaching and settling printed */
	/* The kernel sums every thread's times for a rusage: ask only when
	 * -c wants system time (23% slower at 100 threads). */
	bool want_usage = e->config->summary && !e->config->summary_wall;
	while (e->table.count > 0) {
		if (tick_fired()) {
			if (e->ops->idle)
				e->ops->idle(e->mode);
			if (!busy)
				tick_stop();
			busy = false;
		}
		/* After tick_stop: a stop requested from here on has its own
		 * wake-up (tick_wake_soon). */
		if (stop_requested) {
			detach_everything(e);
			break;
		}
		int status;
		struct rusage usage;
		pid_t tid = engine_wait(e, -1, 0, &status,
					want_usage ? &usage : NULL);
		if (tid == 0)
			continue;  /* the tick */
		if (tid < 0) {
			if (errno == ECHILD)
				break;
			engine_warn("waitpid: %s", strerror(errno));
			detach_everything(e);
			break;
		}
		handle_status(e, tid, status, want_usage ? &usage : NULL);
		busy = true;
		tick_ensure();
	}
	tick_stop();
	if (e->ops->idle)
		e->ops->idle(e->mode);
	return exit_status(e);
}
