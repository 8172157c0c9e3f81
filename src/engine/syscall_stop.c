/* Syscall stops: entry or exit, the number and arguments or the return
 * value (PTRACE_GET_SYSCALL_INFO, or the registers), handed to the mode;
 * and the note when a process turns out to run in another architecture
 * (32-bit) mode. */
#include "engine_internal.h"
#include "messages.h"
#include "syscall_stop.h"
#include "tamper.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "ptrc/arch_regs.h"

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

static void note_arch(struct engine *e, struct tracee *t, enum ptrc_arch arch)
{
	if (!(e->config->quiet & QUIET_PERSONALITY))
		engine_note(e, t, "Process PID=%d runs in %s mode.", t->tgid,
			    arch_word_size(arch) == 4 ? "32 bit" : "64 bit");
}

/* The first stop in another arch than the host's is noted once per
 * process, and each return to the host's arch (an i386 program that execs
 * a native one, int 0x80 in a native one), as strace notes every change of
 * personality. */
static void set_arch(struct engine *e, struct tracee *t, uint32_t audit_arch)
{
	enum ptrc_arch arch = arch_from_audit(audit_arch);
	enum ptrc_arch before = t->arch;
	if (arch == before)
		return;
	t->arch = arch;
	if (arch == arch_host()) {
		if (before != PTRC_ARCH_UNKNOWN)
			note_arch(e, t, arch);
		t->arch_noted = false;  /* a switch back is noted again */
		return;
	}
	if (!t->arch_noted) {
		bool noted = process_noted(e, t->tgid);
		t->arch_noted = true;
		if (noted)
			return;
		if (arch == PTRC_ARCH_UNKNOWN)
			engine_note(e, t, "unknown syscall architecture 0x%x", audit_arch);
		else
			note_arch(e, t, arch);
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
		engine_warn("registers of %d: %s", t->tid, strerror(errno));
	return -1;
}

void engine_syscall_stop(struct engine *e, struct tracee *t, bool seccomp)
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
		memset(&t->tamper, 0, sizeof t->tamper);
		if (e->ops->syscall_entry)
			e->ops->syscall_entry(e->mode, t);
	} else if (info.op == PTRACE_SYSCALL_INFO_EXIT) {
		/* An exit without its entry (a fork child's first stop)
		 * has nothing to print against. */
		if (!t->in_syscall)
			return;
		t->in_syscall = false;
		int64_t rval = info.exit.rval;
		bool is_error = info.exit.is_error;
		engine_tamper_exit(t, &rval, &is_error);
		if (e->ops->syscall_exit)
			e->ops->syscall_exit(e->mode, t, rval, is_error);
		memset(&t->tamper, 0, sizeof t->tamper);
	}
}
