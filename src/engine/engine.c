/* The event loop: wait for ptrace stops, turn each into an event for the
 * mode, and resume. Every stop is resumed right away, except during the
 * final detach. */
#include "engine_internal.h"
#include "proc.h"
#include "lcall_engine.h"
#include "ptrc/arch_regs.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP 128
#endif

static volatile sig_atomic_t stop_requested;
/* How stops are resumed: PTRACE_SYSCALL, or PTRACE_CONT when the mode needs
 * no syscall stops (--crash). Set once by engine_new. */
static enum __ptrace_request resume_request = PTRACE_SYSCALL;
static volatile sig_atomic_t flush_due;
static bool crash_mode;  /* --crash */

void engine_request_stop(int signo)
{
	stop_requested = signo ? signo : 1;
}

bool engine_stop_pending(void)
{
	return stop_requested != 0;
}

static void on_alarm(int signo)
{
	(void)signo;
	flush_due = 1;
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
	/* -l alone needs no syscall stops either; and it must see every
	 * child, to take its breakpoints out of a copy it does not follow. */
	resume_request = config->crash ||
			 (config->lcall_spec && !config->lcall_syscalls) ?
			 PTRACE_CONT : PTRACE_SYSCALL;
	crash_mode = config->crash;
	e->lcall = lcall_engine_new(config);
	if (e->lcall)
		e->ptrace_options |= PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK;
	/* Only with -f: a child the filter was inherited by but that has
	 * no tracer gets ENOSYS from every traced syscall (strace's rule
	 * too). */
	e->use_seccomp = config->command == CMD_RUN && config->trace_set &&
			 config->follow_forks && !config->crash &&
			 !config->no_seccomp;
	if (e->use_seccomp)
		e->ptrace_options |= PTRACE_O_TRACESECCOMP;
	const char *no_info = getenv("PTRC_NO_SYSCALL_INFO");
	e->no_syscall_info = no_info && strcmp(no_info, "1") == 0;
	return e;
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
	lcall_engine_free(e->lcall);
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

struct tracee *engine_add_tracee(struct engine *e, pid_t tid, pid_t tgid)
{
	struct tracee *t = table_add(&e->table, tid, tgid);
	if (e->ops->tracee_added)
		e->ops->tracee_added(e->mode, t);
	return t;
}

void engine_remove_tracee(struct engine *e, struct tracee *t)
{
	if (e->lcall)
		lcall_tracee_gone(e, t);
	if (e->ops->tracee_removed)
		e->ops->tracee_removed(e->mode, t);
	table_unlink(&e->table, t);
	free(t);
}

static void __attribute__((format(printf, 3, 4)))
engine_note(struct engine *e, struct tracee *t, const char *fmt, ...)
{
	if (!e->ops->note)
		return;
	char text[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	e->ops->note(e->mode, t, text);
}

static void resume(struct engine *e, struct tracee *t, int sig)
{
	enum __ptrace_request request = resume_request;
	/* Under the seccomp filter only the traced syscalls stop, at their
	 * seccomp stop; PTRACE_SYSCALL from there gives their exit stop. */
	if ((e->use_seccomp && !t->in_syscall) || t->quiet)
		request = PTRACE_CONT;
	if (ptrace(request, t->tid, 0, (void *)(long)sig) < 0 &&
	    errno != ESRCH)
		fprintf(stderr, "ptrc: resume %d: %s\n", t->tid, strerror(errno));
}

void engine_resume(struct engine *e, struct tracee *t, int sig)
{
	resume(e, t, sig);
}

void engine_let_go(struct engine *e, struct tracee *t)
{
	ptrace(PTRACE_DETACH, t->tid, 0, 0);
	engine_remove_tracee(e, t);
}

static bool is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
	       sig == SIGTTOU;
}

struct noted_search {
	pid_t tgid;
	bool found;
};

static void find_noted(struct tracee *t, void *arg)
{
	struct noted_search *search = arg;
	if (t->tgid == search->tgid && t->arch_noted)
		search->found = true;
}

/* Was the 32-bit note given for another thread of TGID already? Only
 * asked when a thread's architecture changes, so the walk is rare. */
static bool process_noted(struct engine *e, pid_t tgid)
{
	struct noted_search search = { tgid, false };
	table_for_each(&e->table, find_noted, &search);
	return search.found;
}

static void set_arch(struct engine *e, struct tracee *t, uint32_t audit_arch)
{
	enum ptrc_arch arch = arch_from_audit(audit_arch);
	if (arch == t->arch)
		return;
	t->arch = arch;
	if (arch != arch_host() && !t->arch_noted) {
		bool noted = process_noted(e, t->tgid);
		t->arch_noted = true;
		if (noted)
			return;
		if (arch == PTRC_ARCH_UNKNOWN)
			engine_note(e, t, "unknown syscall architecture 0x%x", audit_arch);
		else
			engine_note(e, t, "Process PID=%d runs in %s mode.", t->tgid,
				    arch_word_size(arch) == 4 ? "32 bit" : arch_name(arch));
	}
}

/* The syscall stop as PTRACE_GET_SYSCALL_INFO tells it, or from the
 * registers when the kernel lacks it (< 5.3): then entry or exit is the
 * tracee's in_syscall toggle, which the registers may resync. SECCOMP:
 * reported as PTRACE_EVENT_SECCOMP, always an entry. */
static int syscall_info(struct engine *e, struct tracee *t, bool seccomp,
			struct __ptrace_syscall_info *info)
{
	if (!e->no_syscall_info) {
		if (ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, sizeof *info,
			   info) >= 0)
			return 0;
		if (errno != EIO)
			return -1;
		e->no_syscall_info = true;  /* unsupported: not asked again */
	}
	uint8_t expect = seccomp ? PTRACE_SYSCALL_INFO_SECCOMP :
			 t->in_syscall ? PTRACE_SYSCALL_INFO_EXIT :
					 PTRACE_SYSCALL_INFO_ENTRY;
	if (arch_regs_syscall_info(t->tid, expect, info) == 0)
		return 0;
	if (errno != ESRCH)
		fprintf(stderr, "ptrc: registers of %d: %s\n", t->tid,
			strerror(errno));
	return -1;
}

static void syscall_stop(struct engine *e, struct tracee *t, bool seccomp)
{
	struct __ptrace_syscall_info info;
	if (syscall_info(e, t, seccomp, &info) < 0)
		return;  /* gone (ESRCH); the exit status follows */

	if (info.op == PTRACE_SYSCALL_INFO_ENTRY ||
	    info.op == PTRACE_SYSCALL_INFO_SECCOMP) {
		set_arch(e, t, info.arch);
		t->in_syscall = true;
		/* entry and seccomp share the layout of nr and args */
		t->nr = info.entry.nr;
		memcpy(t->args, info.entry.args, sizeof t->args);
		t->entry_sp = info.stack_pointer;
		if (e->config->syscall_times || e->config->summary)
			clock_gettime(CLOCK_MONOTONIC, &t->entry_time);
		t->entry_stime_us = t->stime_us;
		if (e->ops->syscall_entry)
			e->ops->syscall_entry(e->mode, t);
	} else if (info.op == PTRACE_SYSCALL_INFO_EXIT) {
		/* An exit without its entry (a fork child's first stop)
		 * has nothing to print against. */
		if (!t->in_syscall)
			return;
		t->in_syscall = false;
		if (e->ops->syscall_exit)
			e->ops->syscall_exit(e->mode, t, info.exit.rval,
					     info.exit.is_error);
	}
}

/* waitid answers ECHILD for any task that is not ours, whatever it is. */
bool engine_traced_by_us(pid_t tid)
{
	siginfo_t si;
	return syscall(SYS_waitid, P_PID, (id_t)tid, &si,
		       WEXITED | WSTOPPED | WNOHANG | WNOWAIT | __WALL,
		       NULL) == 0;
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
	if (e->lcall)
		lcall_new_task(e, parent, child, event);
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

static void handle_status(struct engine *e, pid_t tid, int status,
			  const struct rusage *usage)
{
	struct tracee *t = table_find(&e->table, tid);
	if (t && usage)
		t->stime_us = (uint64_t)usage->ru_stime.tv_sec * 1000000u +
			      (uint64_t)usage->ru_stime.tv_usec;
	if (t && WIFSTOPPED(status))
		t->introduced = true;
	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		if (tid == e->run_child) {
			e->run_wstatus = status;
			e->run_done = true;
		}
		if (!t)
			return;
		if (e->ops->exited && !t->quiet)
			e->ops->exited(e->mode, t, status, 0);
		engine_remove_tracee(e, t);
		return;
	}
	if (!WIFSTOPPED(status))
		return;
	int sig = WSTOPSIG(status);
	unsigned event = (unsigned)status >> 16;

	if (event == PTRACE_EVENT_EXEC) {
		if (t && t->quiet) {
			/* A vfork child followed for the memory it shared:
			 * its own now. */
			engine_let_go(e, t);
			return;
		}
		t = exec_event(e, tid);
		if (e->lcall)
			lcall_exec(e, t);
		resume(e, t, 0);
		return;
	}
	if (!t) {
		/* An auto-attached child can report before its parent's
		 * fork/clone event. */
		t = engine_add_tracee(e, tid, proc_tgid(tid));
		if (e->lcall && lcall_hold_new_process(e, t))
			return;
	}
	if (e->lcall) {
		if (t->quiet && !lcall_keeps(e, t)) {
			/* A fork child not followed, its memory restored. */
			bool signal_stop = !event && sig != (SIGTRAP | 0x80);
			ptrace(PTRACE_DETACH, tid, 0,
			       (void *)(long)(signal_stop ? sig : 0));
			engine_remove_tracee(e, t);
			return;
		}
		lcall_seen(e, t);
	}
	if (sig == (SIGTRAP | 0x80)) {
		if (!t->quiet)
			syscall_stop(e, t, false);
		resume(e, t, 0);
		return;
	}
	switch (event) {
	case PTRACE_EVENT_STOP:
		if (is_stop_signal(sig)) {
			/* A group-stop: PTRACE_LISTEN keeps the tracee
			 * stopped, as kill -STOP meant, until SIGCONT. */
			if (!t->group_stopped && e->ops->group_stop && !t->quiet)
				e->ops->group_stop(e->mode, t, sig);
			t->group_stopped = true;
			ptrace(PTRACE_LISTEN, tid, 0, 0);
			return;
		}
		t->group_stopped = false;
		resume(e, t, 0);
		return;
	case PTRACE_EVENT_SECCOMP:
		if (!t->quiet)
			syscall_stop(e, t, true);
		resume(e, t, 0);
		return;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		new_task_event(e, t, event);
		resume(e, t, 0);
		return;
	case 0:
		break;
	default:
		resume(e, t, 0);
		return;
	}
	/* A signal-delivery-stop. A breakpoint's is known by the PC alone,
	 * which saves reading its siginfo (two ptrace calls a library call). */
	if (sig == SIGTRAP && e->lcall && lcall_trap(e, t, NULL))
		return;
	siginfo_t si;
	if (ptrace(PTRACE_GETSIGINFO, tid, 0, &si) < 0) {
		resume(e, t, sig);
		return;
	}
	if (t->quiet) {
		resume(e, t, sig);
		return;
	}
	if (e->ops->fatal_signal && signal_kills(tid, si.si_signo)) {
		fatal_signal_stop(e, t, &si);  /* reports, then detaches */
		return;
	}
	int deliver = e->ops->signal ? e->ops->signal(e->mode, t, &si) : sig;
	resume(e, t, deliver);
}

/* wait4(-1, OPTIONS), except that the stops handle_status resumes on the
 * spot (signal-delivery, syscall and seccomp stops) are only looked at
 * (waitid's WNOWAIT), not consumed. Waiting for a signal-delivery-stop
 * makes the kernel forget its signal: if ptrc were killed (SIGKILL)
 * before resuming the tracee, it would run on without the signal. Left
 * unconsumed, the signal is delivered when the kernel detaches. A stop
 * that is resumed is no longer reported, so leaving it costs nothing:
 * one waitid per stop, as wait4 was. Events and exits are consumed (a
 * new task's first stop may be held). With -l, where stops are reaped
 * ahead and may wait their turn, every stop is consumed: a ptrc killed
 * there leaves breakpoints behind anyway. */
static pid_t wait_next(const struct engine *e, int *status, int options,
		       struct rusage *usage)
{
	if (e->lcall && !crash_mode)
		return wait4(-1, status, __WALL | options, usage);
	siginfo_t si;
	memset(&si, 0, sizeof si);
	if (syscall(SYS_waitid, P_ALL, 0, &si,
		    WEXITED | WSTOPPED | __WALL | WNOWAIT | options, usage) < 0)
		return -1;
	if (si.si_pid == 0)
		return 0;  /* WNOHANG: nothing ready */
	/* For ptrace stops si_status is the whole stop code: signal,
	 * 0x80 of syscall stops, event << 8. */
	int code = si.si_status;
	bool resumed_on_the_spot = (code >> 8) == 0 ||
				   (code >> 8) == PTRACE_EVENT_SECCOMP;
	if (si.si_code == CLD_TRAPPED && resumed_on_the_spot) {
		*status = (code << 8) | 0x7f;
		return si.si_pid;
	}
	return wait4(si.si_pid, status, __WALL | options, usage);
}

void engine_status(struct engine *e, pid_t tid, int status)
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
		if ((tid = wait_next(e, &status, WNOHANG, &usage)) <= 0)
			break;
		handle_status(e, tid, status, &usage);
	}
}

/* -l: stops reaped ahead of their turn. wait4(-1) reports the first
 * stopped tracee in the kernel's list (the last attached first): with
 * breakpoints, two threads that trap again before ptrc waits can keep
 * every other thread stopped, unreported, for good. So after each wait
 * every other stop that is ready is reaped too, and all are handled in
 * turn. Not in crash mode, which leaves signal stops unreaped (and stops
 * a process's threads by their tids). */
static void reap_ready(struct engine *e, bool want_usage)
{
	for (;;) {
		if (e->nreaped == e->reaped_cap) {
			size_t cap = e->reaped_cap ? e->reaped_cap * 2 : 16;
			struct reaped *grown = realloc(e->reaped, cap * sizeof *grown);
			if (!grown)
				return;  /* reported later by the kernel */
			e->reaped = grown;
			e->reaped_cap = cap;
		}
		struct reaped *r = &e->reaped[e->nreaped];
		r->tid = wait4(-1, &r->status, __WALL | WNOHANG,
			       want_usage ? &r->usage : NULL);
		if (r->tid <= 0)
			return;
		e->nreaped++;
	}
}

/* The next stop reaped ahead, if any. */
static struct reaped *next_reaped(struct engine *e)
{
	if (e->reaped_next < e->nreaped)
		return &e->reaped[e->reaped_next++];
	e->nreaped = e->reaped_next = 0;
	return NULL;
}

/* Detach from everything: interrupt each tracee, and detach it from the
 * stop it reports, passing on a signal that was about to be delivered. */
static void interrupt_tracee(struct tracee *t, void *arg)
{
	(void)arg;
	if (!t->stopped)
		ptrace(PTRACE_INTERRUPT, t->tid, 0, 0);
}

struct tid_list {
	pid_t *tids;
	size_t count, cap;
};

static void collect_held(struct tracee *t, void *arg)
{
	struct tid_list *held = arg;
	if (!t->stopped || held->count == held->cap)
		return;
	held->tids[held->count++] = t->tid;
}

/* Tracees held in a stop ptrc has already waited for (a new process
 * waiting for its parent's fork event, -l) report nothing more: let them
 * go now. */
static void detach_held(struct engine *e)
{
	struct tid_list held = { NULL, 0, e->table.count };
	held.tids = calloc(held.cap ? held.cap : 1, sizeof *held.tids);
	if (!held.tids)
		return;
	table_for_each(&e->table, collect_held, &held);
	for (size_t i = 0; i < held.count; i++) {
		struct tracee *t = table_find(&e->table, held.tids[i]);
		if (!t)
			continue;
		if (e->lcall)
			lcall_release_held(e, t);
		engine_let_go(e, t);
	}
	free(held.tids);
}

static void start_tick(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };  /* no SA_RESTART */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval tick = { { 0, 100000 }, { 0, 100000 } };
	setitimer(ITIMER_REAL, &tick, NULL);
}

static void stop_tick(void)
{
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &off, NULL);
}

static void detach_all(struct engine *e)
{
	/* The tick interrupts waitpid so that a tracee that never reports
	 * cannot hold ptrc forever. */
	start_tick();
	if (e->lcall)
		lcall_restore_all(e);
	table_for_each(&e->table, interrupt_tracee, NULL);
	detach_held(e);
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (e->table.count > 0) {
		int status;
		struct reaped *r = next_reaped(e);  /* stops reaped ahead first */
		pid_t tid = r ? r->tid : wait_next(e, &status, 0, NULL);
		if (r)
			status = r->status;
		if (tid < 0) {
			if (errno != EINTR)
				break;
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec - start.tv_sec >= 3)
				break;  /* the kernel detaches the rest as we exit */
			continue;
		}
		struct tracee *t = table_find(&e->table, tid);
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (tid == e->run_child) {
				e->run_wstatus = status;
				e->run_done = true;
			}
			if (t) {
				if (e->ops->exited)
					e->ops->exited(e->mode, t, status, 0);
				engine_remove_tracee(e, t);
			}
			continue;
		}
		if (!WIFSTOPPED(status))
			continue;
		int sig = WSTOPSIG(status);
		unsigned event = (unsigned)status >> 16;
		int deliver = 0;
		if (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK ||
		    event == PTRACE_EVENT_CLONE) {
			/* The new task is ours too and will report: wait
			 * for it as well. */
			unsigned long msg = 0;
			if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg) == 0 &&
			    !table_find(&e->table, (pid_t)msg) &&
			    engine_traced_by_us((pid_t)msg))
				engine_add_tracee(e, (pid_t)msg, tid);
		} else if (event == 0 && sig != (SIGTRAP | 0x80)) {
			deliver = sig;  /* a signal-delivery-stop */
			if (e->lcall && t)
				deliver = lcall_detach_signal(e, t, deliver);
		} else if (e->lcall && t && lcall_trap_pending(e, t)) {
			/* It hit a breakpoint just before the interrupt,
			 * whose stop comes first: let the trap's stop come,
			 * to take the SIGTRAP away and rewind it there. */
			ptrace(PTRACE_CONT, tid, 0, 0);
			continue;
		}
		ptrace(PTRACE_DETACH, tid, 0, (void *)(long)deliver);
		if (t) {
			if (e->ops->detached && !t->quiet)
				e->ops->detached(e->mode, t);
			engine_remove_tracee(e, t);
		}
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
	start_tick();  /* bounds each wait: 100 ms */
	for (;;) {
		unsigned waiting = 0;
		table_for_each(&e->table, count_unintroduced, &waiting);
		clock_gettime(CLOCK_MONOTONIC, &now);
		long elapsed_ms = (now.tv_sec - start.tv_sec) * 1000 +
				  (now.tv_nsec - start.tv_nsec) / 1000000;
		if (!waiting || stop_requested || elapsed_ms >= timeout_ms)
			break;
		int status;
		struct reaped *r = next_reaped(e);
		if (r) {
			handle_status(e, r->tid, r->status, NULL);
			continue;
		}
		pid_t tid = wait_next(e, &status, 0, NULL);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		handle_status(e, tid, status, NULL);
	}
	stop_tick();
}

int engine_run(struct engine *e)
{
	/* Output is flushed on this tick, so that a quiet tracee's last
	 * lines show within 0.1 s without a write per event. */
	start_tick();
	while (e->table.count > 0) {
		if (stop_requested) {
			detach_all(e);
			break;
		}
		if (flush_due) {
			flush_due = 0;
			if (e->ops->idle)
				e->ops->idle(e->mode);
		}
		int status;
		struct rusage usage;
		/* The kernel sums every thread's times for a rusage: ask
		 * only when -c wants system time (23% slower at 100 threads). */
		struct rusage *want = e->config->summary && !e->config->summary_wall ?
				      &usage : NULL;
		struct reaped *r = next_reaped(e);
		if (r) {
			handle_status(e, r->tid, r->status, want ? &r->usage : NULL);
			continue;
		}
		pid_t tid = wait_next(e, &status, 0, want);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				break;
			fprintf(stderr, "ptrc: waitpid: %s\n", strerror(errno));
			detach_all(e);
			break;
		}
		if (e->lcall && !crash_mode)
			reap_ready(e, want != NULL);
		handle_status(e, tid, status, want);
	}

	stop_tick();
	if (e->ops->idle)
		e->ops->idle(e->mode);

	if (e->run_child && !e->run_done && e->config->crash) {
		/* Detached after a crash (or held stopped): still ptrc's
		 * child, whose end gives ptrc's exit status. */
		int status;
		pid_t got;
		while ((got = waitpid(e->run_child, &status, 0)) < 0 &&
		       errno == EINTR)
			;
		if (got == e->run_child) {
			e->run_wstatus = status;
			e->run_done = true;
		}
	}
	if (e->run_child && e->run_done) {
		if (WIFEXITED(e->run_wstatus))
			return WEXITSTATUS(e->run_wstatus);
		if (WIFSIGNALED(e->run_wstatus))
			return 128 + WTERMSIG(e->run_wstatus);
	}
	return PTRC_EXIT_OK;
}

void engine_detach_all(struct engine *e)
{
	detach_all(e);
	stop_tick();
}
