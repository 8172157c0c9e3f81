/* Syscall tampering for -e inject= (engine_tamper_entry in ptrc/engine.h):
 * at the entry stop the syscall number is replaced (-1: nothing runs) and
 * the return value written; at the exit stop the return value is written
 * again (a stand-in call overwrote it) and reported as the call's. All
 * through PTRACE_GETREGSET/SETREGSET and the register tables, so i386
 * tracees of an x86_64 ptrc and aarch64 work alike. Delays hold the tracer
 * (and so every tracee) for their time. */
#include "engine_internal.h"
#include "messages.h"
#include "tamper.h"

#include <elf.h>
#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>

#include "ptrc/arch_regs.h"

static void sleep_us(uint64_t us)
{
	struct timespec ts = { (time_t)(us / 1000000), (long)(us % 1000000) * 1000 };
	/* the 100 ms tick interrupts: sleep the rest */
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Write the return register of TID (and with NR_TOO the syscall number,
 * NR). Returns 0 or -1. */
static int write_regs(pid_t tid, bool nr_too, long nr, int64_t rval)
{
	uint64_t buf[REGS_MAX_SIZE / 8];
	struct iovec iov = { buf, sizeof buf };
	if (ptrace(PTRACE_GETREGSET, tid, (void *)NT_PRSTATUS, &iov) < 0)
		return -1;
	const struct reg_layout *l = reg_layout_by_size(iov.iov_len);
	if (!l)
		return -1;
	if (nr_too && l->syscall_nr_regset) {
		int value = (int)nr;
		struct iovec nr_iov = { &value, sizeof value };
		if (ptrace(PTRACE_SETREGSET, tid,
			   (void *)(unsigned long)l->syscall_nr_regset,
			   &nr_iov) < 0)
			return -1;
	} else if (nr_too) {
		int reg = l->orig_syscall_nr != REG_NONE ? l->orig_syscall_nr :
			  l->syscall_nr;
		reg_set(l, buf, reg, (uint64_t)nr);
	}
	reg_set(l, buf, l->ret, (uint64_t)rval);
	return ptrace(PTRACE_SETREGSET, tid, (void *)NT_PRSTATUS, &iov);
}

int engine_tamper_entry(struct engine *e, struct tracee *t,
			const struct syscall_tamper *how)
{
	(void)e;
	if (how->replace) {
		if (write_regs(t->tid, true, how->nr, how->rval) < 0) {
			if (errno != ESRCH)
				engine_warn("cannot change syscall of %d: %s",
					    t->tid, strerror(errno));
			return -1;
		}
		t->tamper.replaced = true;
		t->tamper.rval = how->rval;
	}
	t->tamper.signal = how->signal;
	t->tamper.delay_exit_us = how->delay_exit_us;
	if (how->delay_enter_us) {
		sleep_us(how->delay_enter_us);
		t->tamper.delayed = true;
	}
	return 0;
}

void engine_tamper_exit(struct tracee *t, int64_t *rval, bool *is_error)
{
	if (t->tamper.delay_exit_us) {
		sleep_us(t->tamper.delay_exit_us);
		t->tamper.delayed = true;
	}
	if (!t->tamper.replaced)
		return;
	int64_t value = t->tamper.rval;
	if (arch_word_size(t->arch) == 4)  /* as the tracee reads it */
		value = (int32_t)(uint32_t)value;
	if (write_regs(t->tid, false, 0, value) < 0) {
		t->tamper.replaced = false;  /* what the kernel said stands */
		return;
	}
	*is_error = value >= -4095 && value <= -1;
	*rval = *is_error || arch_word_size(t->arch) == 8 ? value :
		(int64_t)(uint32_t)value;
}
