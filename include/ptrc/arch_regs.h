/* The tracee's registers as PTRACE_GETREGSET NT_PRSTATUS gives them: one
 * table per architecture (arch/ARCH/regs.c) says where each register is,
 * what it is called, and what it is for. The register fallback, the -l
 * code and the crash report all read registers through it. */
#ifndef PTRC_ARCH_REGS_H
#define PTRC_ARCH_REGS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include "ptrc/arch.h"

/* Room for any architecture's NT_PRSTATUS. */
#define REGS_MAX_SIZE 512

/* A role no register of the architecture has. */
#define REG_NONE (-1)

/* One register of NT_PRSTATUS. */
struct reg_info {
	const char *name;   /* as the crash report prints it */
	uint16_t offset;    /* bytes from the start of the register set */
	uint8_t size;       /* bytes: 4 or 8 */
};

/* An architecture's register set. The roles are indices into regs, or
 * REG_NONE. */
struct reg_layout {
	enum ptrc_arch arch;
	unsigned size;                /* NT_PRSTATUS bytes: the layouts one
				       * host may give differ in it */
	unsigned count;
	const struct reg_info *regs;  /* in the register set's order */

	int pc, sp;
	int lr;               /* the link register (aarch64 x30); REG_NONE
			       * when a call leaves the return address on
			       * the stack */
	int ret;              /* a function's and a syscall's return value */
	int args[6];          /* a function's arguments (C calling convention);
			       * REG_NONE: on the stack (i386) */
	int syscall_nr;       /* the number a syscall instruction takes */
	int orig_syscall_nr;  /* the number while the syscall runs, as its
			       * stops show it (x86 orig_rax; -1 written there
			       * cancels a restart); REG_NONE: syscall_nr
			       * keeps it (aarch64) */
	int syscall_args[6];
	/* A register set of its own (PTRACE_SETREGSET, an int) that holds
	 * the number while the syscall runs, where writing syscall_nr at an
	 * entry stop changes nothing (aarch64 NT_ARM_SYSTEM_CALL); 0: none,
	 * orig_syscall_nr is written. */
	unsigned syscall_nr_regset;
	int syscall_stop_dir; /* at a syscall-entry or -exit stop, 0 or 1
			       * (aarch64 x7, arch/arm64/kernel/ptrace.c
			       * report_syscall); REG_NONE: no such hint */
	/* DWARF register number (the psABI's) -> index in regs, REG_NONE
	 * where the register set has no such register: what the stack
	 * layer's location expressions and CFI steps read. */
	const int8_t *dwarf_regs;
	unsigned ndwarf_regs;
	/* The DWARF numbers (bit N: register N) of the registers a call
	 * preserves: the only ones an outer frame's values may come from. */
	uint64_t dwarf_callee_saved;
	/* The vector/floating registers (x86 xmm, aarch64 v) a frame-0
	 * float or double may live in: VEC_COUNT of 16 bytes from VEC_OFFSET
	 * in the register set VEC_REGSET (PTRACE_GETREGSET; 0: none), DWARF
	 * numbers VEC_DWARF_FIRST on. A call preserves none of them here. */
	unsigned vec_regset;
	uint16_t vec_offset;
	uint8_t vec_count;
	uint8_t vec_dwarf_first;
};

extern const struct reg_layout regs_x86_64, regs_i386, regs_aarch64;

/* The layout of ARCH, or NULL. */
const struct reg_layout *reg_layout_of(enum ptrc_arch arch);
/* The layout of a register set of SIZE bytes, as this host's kernel gives
 * them (an x86_64 host: x86_64's or, for a 32-bit tracee, i386's), or
 * NULL. */
const struct reg_layout *reg_layout_by_size(size_t size);
/* Register I (a role or an index) of the register set in BUF, zero-extended
 * from its size. */
uint64_t reg_get(const struct reg_layout *l, const void *buf, int i);
/* Set register I of BUF to VALUE, truncated to its size. */
void reg_set(const struct reg_layout *l, void *buf, int i, uint64_t value);
/* The index of the register called NAME, or REG_NONE. */
int reg_find(const struct reg_layout *l, const char *name);

/* The syscall stop read from the tracee's registers, for kernels without
 * PTRACE_GET_SYSCALL_INFO (< 5.3): src/engine/regs_fallback.c.
 *
 * Fill INFO as PTRACE_GET_SYSCALL_INFO would at TID's syscall stop: op
 * (PTRACE_SYSCALL_INFO_ENTRY or _EXIT), arch (AUDIT_ARCH_*), then entry.nr
 * and entry.args, or exit.rval and exit.is_error. The registers do not say
 * entry or exit (but see syscall_stop_dir): EXPECT is the engine's guess
 * by its in_syscall toggle, PTRACE_SYSCALL_INFO_ENTRY or _EXIT, which a
 * register hint may override to resync; PTRACE_SYSCALL_INFO_SECCOMP is a
 * seccomp stop, always an entry (reported as _ENTRY). Returns 0, or -1 with
 * errno (ESRCH: gone; EINVAL: a register set of unknown size). */
int arch_regs_syscall_info(pid_t tid, uint8_t expect,
			   struct __ptrace_syscall_info *info);

#endif
