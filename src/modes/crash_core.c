/* A crash report from a core file (see crash_core.h). Every byte of the
 * core is hostile: lengths come from the stack layer's bounded reads, and
 * the printers escape. */
#include "crash_core.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptrc/escape.h"
#include "ptrc/json.h"

/* NT_SIGINFO into R->si. The note has the dumped process's layout: the
 * host's when its word is ours; a 32-bit process's (i386 under an x86_64
 * ptrc) has its union at offset 12 with 32-bit members: the fields a
 * crash report prints are converted (a fault's address, or the sender's
 * pid and uid). Without the note (an old kernel, some gcore cores) only
 * pr_cursig is known. */
static void read_siginfo(struct crash_report *r, const struct stack_core_facts *f)
{
	memset(&r->si, 0, sizeof r->si);
	if (f->siginfo && f->word == sizeof(long) &&
	    f->siginfo_size >= sizeof r->si) {
		memcpy(&r->si, f->siginfo, sizeof r->si);
		return;
	}
	if (f->siginfo && f->word == 4 && f->siginfo_size >= 20) {
		int32_t head[3];
		uint32_t u[2];
		memcpy(head, f->siginfo, sizeof head);
		memcpy(u, (const char *)f->siginfo + 12, sizeof u);
		r->si.si_signo = head[0];
		r->si.si_errno = head[1];
		r->si.si_code = head[2];
		if (head[2] > 0) {
			r->si.si_addr = (void *)(uintptr_t)u[0];
		} else {
			r->si.si_pid = (pid_t)u[0];
			r->si.si_uid = u[1];
		}
		return;
	}
	r->si.si_signo = f->cursig;
}

static int by_tid(const void *a, const void *b)
{
	const struct stack_thread *x = a, *y = b;
	return (x->tid > y->tid) - (x->tid < y->tid);
}

/* Every thread's stack, the signalled one (TID) first, the others by
 * tid, as a live report orders them. */
static void walk_threads(struct crash_report *r, pid_t tid)
{
	pid_t *tids = NULL;
	size_t n = 0;
	if (stack_session_core_tids(r->session, &tids, &n) != 0 || !n ||
	    !(r->threads = calloc(n, sizeof *r->threads))) {
		free(tids);
		return;
	}
	r->nthreads = n;
	for (size_t i = 0; i < n; i++)
		stack_unwind_thread(r->session, tids[i], &r->threads[i],
				    STACK_PRINT_MAX_FRAMES);
	free(tids);
	qsort(r->threads, n, sizeof *r->threads, by_tid);
	for (size_t i = 1; i < n; i++)
		if (r->threads[i].tid == tid) {
			struct stack_thread crashed = r->threads[i];
			memmove(r->threads + 1, r->threads, i * sizeof *r->threads);
			r->threads[0] = crashed;
		}
	r->tid = r->threads[0].tid;
}

void crash_core_collect(struct crash_report *r)
{
	struct stack_core_facts f;
	if (stack_session_core_facts(r->session, &f) != 0)
		return;
	r->pid = stack_session_pid(r->session);
	r->when = f.written;
	r->backend = stack_backend_name(STACK_BACKEND_LIBDW);
	read_siginfo(r, &f);
	if (f.regs && f.regs_size <= sizeof r->regs) {
		memcpy(r->regs, f.regs, f.regs_size);
		r->regs_size = f.regs_size;
	}
	/* pr_psargs: one string (the kernel turns the NULs between the
	 * arguments, and the last one's, into spaces, and cuts at 79 bytes),
	 * as the command's only element, without the last NUL's space. */
	size_t len = f.psargs_len;
	if (len && len < 79 && f.psargs[len - 1] == ' ')
		len--;
	if (len && (r->cmdline = malloc(len + 1))) {
		memcpy(r->cmdline, f.psargs, len);
		r->cmdline[len] = '\0';
		r->cmdline_len = len + 1;
	}
	r->exe = f.exe ? strdup(f.exe) : NULL;
	walk_threads(r, f.tid);
	stack_session_modules(r->session, &r->modules, &r->nmodules);
	for (size_t i = 0; i < r->nmodules && r->exe; i++)
		if (r->modules[i].path && !strcmp(r->modules[i].path, r->exe) &&
		    r->modules[i].build_id)
			r->build_id = strdup(r->modules[i].build_id);
}

void crash_core_mapping(struct crash_report *r)
{
	stack_session_core_mapping(r->session, r->address, &r->mapping,
				   &r->below, &r->above);
}

void crash_core_text(struct strbuf *sb, const struct crash_report *r)
{
	if (!r->core)
		return;
	sb_puts(sb, "    Source: from core ");
	escape_bare_str(sb, r->core);
	sb_puts(sb, " (time: when it was written; no live process: no "
		"process context, no syscalls, no values)\n");
}

void crash_core_json(struct strbuf *sb, const struct crash_report *r)
{
	if (!r->core)
		return;
	sb_puts(sb, ",\"source\":\"core\",\"core\":");
	json_string_or_null(sb, r->core);
}
