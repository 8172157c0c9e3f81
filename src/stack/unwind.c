/* One thread's walk: the session brought up to date, a backend gives the
 * pcs, raw_stack.c checks them, stack_symbolize_pc gives the frames. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "backends.h"
#include "message.h"
#include "session.h"
#include "symbolize.h"

static void read_comm(pid_t pid, pid_t tid, char comm[16])
{
	char path[64];
	comm[0] = '\0';
	snprintf(path, sizeof path, "/proc/%d/task/%d/comm", (int)pid, (int)tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	char buf[17];
	ssize_t n = read(fd, buf, 16);
	close(fd);
	if (n < 0)
		n = 0;
	/* The kernel ends comm with one '\n'; a name may hold others. */
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	if (n > 15)
		n = 15;
	memcpy(comm, buf, (size_t)n);
	comm[n] = '\0';
}

/* After a failed walk: say whether the thread is gone, or was never ours. */
static void explain_failure(struct stack_session *s, struct stack_thread *t,
		size_t nframes)
{
	if (syscall(SYS_tgkill, s->pid, t->tid, 0) != 0 && errno == ESRCH) {
		t->vanished = true;
		char *reason = stack_strdupf("thread exited during the walk (%s)",
				t->stop_reason ? t->stop_reason : "no reason given");
		if (reason) {
			free(t->stop_reason);
			t->stop_reason = reason;
		}
		return;
	}
	errno = 0;
	if (nframes == 0 && ptrace(PTRACE_PEEKUSER, t->tid, 0, 0) == -1
			&& errno == ESRCH) {
		char *reason = stack_strdupf("thread is not ptrace-stopped by this "
				"tracer (%s)", t->stop_reason ? t->stop_reason : "");
		if (reason) {
			free(t->stop_reason);
			t->stop_reason = reason;
		}
	}
}

static bool frames_push(struct stack_thread *t, size_t *cap,
		const struct stack_frame *f)
{
	if (t->nframes == *cap) {
		size_t n = *cap ? *cap * 2 : 32;
		struct stack_frame *frames = realloc(t->frames, n * sizeof *frames);
		if (!frames)
			return false;
		t->frames = frames;
		*cap = n;
	}
	t->frames[t->nframes++] = *f;
	return true;
}

int stack_unwind_thread(struct stack_session *s, pid_t tid,
		struct stack_thread *out, size_t max_frames)
{
	*out = (struct stack_thread){ .tid = tid, .walk = STACK_WALK_NONE };
	if (!max_frames)
		max_frames = STACK_DEFAULT_MAX_FRAMES;
	if (s->core)
		stack_session_core_comm(s, tid, out->comm);
	else
		read_comm(s->pid, tid, out->comm);
	if (stack_session_refresh(s, &out->stop_reason) != 0)
		return out->walk;

	struct raw_stack raw = { .max = max_frames };
	char *reason = NULL;
	int rc = s->backend == STACK_BACKEND_LIBUNWIND
		? stack_libunwind_walk(s, tid, &raw, &reason)
		: stack_libdw_walk(s, tid, &raw, &reason);
	if (s->core)
		stack_session_core_check(s, &raw, &rc, &reason);
	else
		stack_raw_check(s->pid, tid, s->backend, &raw, &rc, &reason);

	size_t cap = 0;
	bool cut = false, oom = false;
	for (size_t i = 0; i < raw.count && !cut && !oom; i++) {
		const struct pc_entry *e = stack_symbolize_pc(s, raw.frames[i].pc,
				raw.frames[i].activation);
		if (!e) {
			oom = true;
			break;
		}
		for (uint32_t k = 0; k < e->nframes; k++) {
			if (out->nframes == max_frames) {
				cut = true;
				break;
			}
			if (!frames_push(out, &cap, &e->frames[k])) {
				oom = true;
				break;
			}
		}
	}
	free(raw.frames);

	if (oom) {
		free(reason);
		stack_thread_free(out);
		out->tid = tid;
		errno = ENOMEM;
		return -1;
	}
	if (cut || raw.cut) {
		free(reason);
		reason = stack_strdupf("stopped after %zu frames (the cap)",
				out->nframes);
		rc = -1;
	}
	if (rc == 0) {
		free(reason);
		out->walk = STACK_WALK_COMPLETE;
		return out->walk;
	}
	out->stop_reason = reason ? reason : stack_strdupf("unknown reason");
	out->walk = out->nframes ? STACK_WALK_PARTIAL : STACK_WALK_NONE;
	if (!cut && !raw.cut && !s->core)
		explain_failure(s, out, out->nframes);
	return out->walk;
}

void stack_thread_free(struct stack_thread *t)
{
	free(t->frames);
	free(t->stop_reason);
	*t = (struct stack_thread){ .tid = t->tid };
}
