/* A tracee's life in the engine: added to the table, resumed from its
 * stops, ended or let go, removed. The mode and the extension hear of
 * each. */
#include "engine_internal.h"
#include "tracees.h"
#include "wait_status.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct tracee *engine_add_tracee(struct engine *e, pid_t tid, pid_t tgid)
{
	struct tracee *t = table_add(&e->table, tid, tgid);
	if (e->ops->tracee_added)
		e->ops->tracee_added(e->mode, t);
	return t;
}

void engine_remove_tracee(struct engine *e, struct tracee *t)
{
	if (e->ext)
		e->ext->on_tracee_gone(e->ext_data, e, t);
	if (e->ops->tracee_removed)
		e->ops->tracee_removed(e->mode, t);
	table_unlink(&e->table, t);
	free(t);
}

bool engine_tracee_ended(struct engine *e, struct tracee *t, int wstatus)
{
	if (!status_ended(wstatus))
		return false;
	if (!t)
		return true;
	if (e->ops->exited && !t->quiet)
		e->ops->exited(e->mode, t, wstatus, 0);
	engine_remove_tracee(e, t);
	return true;
}

pid_t engine_event_task(struct engine *e, pid_t tid)
{
	unsigned long msg = 0;
	if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg) < 0 ||
	    table_find(&e->table, (pid_t)msg))
		return 0;
	return (pid_t)msg;
}

void engine_resume(struct engine *e, struct tracee *t, int sig)
{
	enum __ptrace_request request = e->resume_request;
	/* Under the seccomp filter only the traced syscalls stop, at their
	 * seccomp stop; PTRACE_SYSCALL from there gives their exit stop. */
	if ((e->use_seccomp && !t->in_syscall) || t->quiet)
		request = PTRACE_CONT;
	if (ptrace(request, t->tid, 0, (void *)(long)sig) < 0 &&
	    errno != ESRCH)
		engine_warn("resume %d: %s", t->tid, strerror(errno));
}

void engine_let_go(struct engine *e, struct tracee *t)
{
	ptrace(PTRACE_DETACH, t->tid, 0, 0);
	engine_remove_tracee(e, t);
}

/* waitid answers ECHILD for any task that is not ours, whatever it is. */
bool engine_traced_by_us(pid_t tid)
{
	siginfo_t si;
	return syscall(SYS_waitid, P_PID, (id_t)tid, &si,
		       WEXITED | WSTOPPED | WNOHANG | WNOWAIT | __WALL,
		       NULL) == 0;
}
