/* The engine's state, shared by its files. Each file's functions for the
 * others are in a header of its own (tracees.h, wait.h, loop.h...). */
#ifndef PTRC_ENGINE_INTERNAL_H
#define PTRC_ENGINE_INTERNAL_H

#include <sys/ptrace.h>
#include <sys/resource.h>

#include "ptrc/engine.h"
#include "ptrc/engine_ext.h"
#include "tracee_table.h"

/* A wait status taken ahead of its turn. */
struct reaped {
	pid_t tid;
	int status;
	struct rusage usage;
};

struct engine {
	const struct ptrc_config *config;
	const struct mode_ops *ops;
	void *mode;
	struct tracee_table table;
	unsigned ptrace_options;
	/* How stops are resumed: PTRACE_SYSCALL, or PTRACE_CONT when no
	 * syscall stops are needed (--crash, or the extension says so). */
	enum __ptrace_request resume_request;

	/* ptrc run -e trace=: the child runs under a seccomp filter that
	 * stops only the traced syscalls (seccomp.c). */
	bool use_seccomp;
	/* Syscall stops are read from the registers (arch_regs.h): the
	 * kernel has no PTRACE_GET_SYSCALL_INFO (EIO at the first stop), or
	 * PTRC_NO_SYSCALL_INFO=1 asks for it (tests). */
	bool no_syscall_info;

	/* The extension (engine_ext.h) and its state; NULL without. */
	const struct engine_ext *ext;
	void *ext_data;
	/* Stops reaped ahead of their turn (engine_ext.reap_ahead, wait.c). */
	struct reaped *reaped;
	size_t nreaped, reaped_next, reaped_cap;

	pid_t run_child;     /* ptrc run: the command's pid */
	bool run_exec_seen;  /* its first execve (its start) happened */
	int run_wstatus;     /* its wait status, once it has gone */
	bool run_done;
};

#endif
