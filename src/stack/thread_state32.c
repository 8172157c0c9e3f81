/* libdwfl's thread state for a 32-bit process (an i386 tracee of an
 * x86_64 ptrc), in place of dwfl_linux_proc_attach.
 *
 * Why: libdw 0.188's reader behind dwfl_linux_proc_attach serves tracee
 * words from a process_vm_readv page cache, and for an ELFCLASS32 process
 * on a 64-bit little-endian host it hands back 8 bytes, not 4: a
 * DW_OP_deref in a CFA expression (gcc's stack-realigning i386 main:
 * the CFA is *(ebp - 4)) then yields a garbage upper half, and the walk
 * ends quietly at main (no __libc_start_main, no _start), where the
 * walk of the same process's core goes on. These callbacks read 4 bytes,
 * and take the registers from ptrc's own layout tables. The threads are
 * held ptrace-stopped by the caller: nothing here attaches or detaches. */
#include "thread_state32.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

#include "frame_regs.h"
#include "ptrc/arch_regs.h"
#include "ptrc/mem.h"

struct state32 {
	pid_t pid;
	DIR *tasks;   /* /proc/PID/task, while libdwfl lists the threads */
};

static pid_t next_thread(Dwfl *dwfl, void *arg, void **thread_argp)
{
	(void)dwfl;
	struct state32 *st = arg;
	*thread_argp = NULL;
	if (!st->tasks) {
		char path[64];
		snprintf(path, sizeof path, "/proc/%d/task", (int)st->pid);
		st->tasks = opendir(path);
		if (!st->tasks)
			return -1;
	}
	struct dirent *d;
	while ((d = readdir(st->tasks)) != NULL) {
		char *end;
		long tid = strtol(d->d_name, &end, 10);
		if (*end == '\0' && tid > 0)
			return (pid_t)tid;
	}
	closedir(st->tasks);
	st->tasks = NULL;
	return 0;
}

static bool get_thread(Dwfl *dwfl, pid_t tid, void *arg, void **thread_argp)
{
	(void)dwfl, (void)tid, (void)arg;
	*thread_argp = NULL;
	return true;
}

static bool memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result,
		void *arg)
{
	(void)dwfl;
	const struct state32 *st = arg;
	uint64_t word;
	if (addr > UINT32_MAX - 3 || mem_read_word(st->pid, addr, 4, &word) != 0)
		return false;
	*result = word;
	return true;
}

static bool set_initial_registers(Dwfl_Thread *thread, void *thread_arg)
{
	(void)thread_arg;
	_Alignas(8) unsigned char set[REGS_MAX_SIZE];
	const struct reg_layout *l =
		frame_regs_read_set(dwfl_thread_tid(thread), set);
	if (!l)
		return false;
	struct frame_regs r;
	frame_regs_from_set(&r, l, set);
	for (unsigned n = 0; n < FRAME_REGS_MAX; n++) {
		if (!(r.known & ((uint64_t)1 << n)))
			continue;
		Dwarf_Word v = r.val[n];
		if (!dwfl_thread_state_registers(thread, (int)n, 1, &v))
			return false;
	}
	dwfl_thread_state_register_pc(thread, r.pc);
	return true;
}

static void detach(Dwfl *dwfl, void *arg)
{
	(void)dwfl;
	struct state32 *st = arg;
	if (st->tasks)
		closedir(st->tasks);
	free(st);
}

static const Dwfl_Thread_Callbacks callbacks = {
	.next_thread = next_thread,
	.get_thread = get_thread,
	.memory_read = memory_read,
	.set_initial_registers = set_initial_registers,
	.detach = detach,
};

bool stack_thread_state32_wanted(pid_t pid)
{
	_Alignas(8) unsigned char set[REGS_MAX_SIZE];
	const struct reg_layout *l = frame_regs_read_set(pid, set);
	return l && l->arch == PTRC_ARCH_I386;
}

bool stack_thread_state32_attach(Dwfl *dwfl, pid_t pid)
{
	struct state32 *st = calloc(1, sizeof *st);
	if (!st)
		return false;
	st->pid = pid;
	if (!dwfl_attach_state(dwfl, NULL, pid, &callbacks, st)) {
		free(st);
		return false;
	}
	return true;
}
