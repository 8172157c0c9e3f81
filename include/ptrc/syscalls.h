/* System call tables: number -> signature, per architecture.
 *
 * The numbers live in arch/<arch>/syscalls.tbl; the meaning of each syscall
 * (argument kinds, return kind, classes) lives once, in
 * src/syscall/signatures.tbl. tools/gen_syscalls.py turns both into C. */
#ifndef PTRC_SYSCALLS_H
#define PTRC_SYSCALLS_H

#include <stdint.h>
#include "ptrc/arch.h"
#include "syscall_kinds.h" /* generated from argkinds.tbl: enum arg_kind */

#define SYSCALL_MAX_ARGS 6

/* How a return value prints. */
enum ret_kind {
	RET_INT,   /* signed decimal; -1 ERRNO (message) on error */
	RET_UINT,  /* unsigned decimal (never an error) */
	RET_HEX,   /* addresses: mmap, brk */
	RET_OCT,   /* umask */
	RET_FD,    /* a new descriptor */
	RET_NONE,  /* does not return: exit, exit_group, execve on success */
};

/* Classes, as strace's %file, %network, ... filters. */
enum syscall_class {
	SC_FILE    = 1 << 0,
	SC_NETWORK = 1 << 1,
	SC_PROCESS = 1 << 2,
	SC_SIGNAL  = 1 << 3,
	SC_IPC     = 1 << 4,
	SC_DESC    = 1 << 5,
	SC_MEMORY  = 1 << 6,
	SC_CREDS   = 1 << 7,
	SC_STAT    = 1 << 8,
	SC_CLOCK   = 1 << 9,
	SC_PURE    = 1 << 10,  /* no argument, no side effect: getpid... */
	SC_LSTAT   = 1 << 11,
	SC_FSTAT   = 1 << 12,  /* fstat, newfstatat, statx... */
	SC_STATLIKE = 1 << 13, /* %%stat: every stat */
	SC_STATFS  = 1 << 14,
	SC_FSTATFS = 1 << 15,
	SC_STATFSLIKE = 1 << 16,  /* %%statfs: ustat too */
};

enum arg_when { ARG_AT_ENTRY, ARG_AT_EXIT };

enum arg_base {
	BASE_DEC, BASE_LDEC, BASE_UDEC, BASE_HEX, BASE_OCT, BASE_PTR,
	BASE_FD, BASE_PATH, BASE_STR, BASE_IBUF, BASE_OBUF,
};

struct arg_kind_info {
	const char *name;
	uint8_t when;   /* enum arg_when */
	uint8_t base;   /* enum arg_base */
	/* How many low bits of the register the kernel reads (an `int`, a
	 * umode_t): 32 or 16; 0 for the whole word (longs, pointers). */
	uint8_t width;
	uint8_t width_i386;   /* the same for an i386 tracee */
};

struct syscall_sig {
	const char *name;
	uint8_t nargs;
	uint8_t ret;                       /* enum ret_kind */
	uint32_t classes;                  /* enum syscall_class bits */
	uint8_t kinds[SYSCALL_MAX_ARGS];   /* enum arg_kind */
	/* Per argument: index of a related argument (a buffer's length), or
	 * 0xff for none. */
	uint8_t aux[SYSCALL_MAX_ARGS];
};

#define SYSCALL_NO_SIG 0xffff

struct syscall_table {
	const char *arch;
	unsigned count;             /* numbers 0 .. count-1 */
	const uint16_t *sig_index;  /* per number, or SYSCALL_NO_SIG */
};

extern const struct arg_kind_info arg_kinds[ARG_KIND_COUNT];
extern const struct syscall_sig syscall_sigs[];
extern const unsigned syscall_sig_count;
extern const struct syscall_table *const syscall_tables[PTRC_ARCH_COUNT];

/* The signature of syscall NR on ARCH, or NULL when the number is unknown. */
const struct syscall_sig *syscall_lookup(enum ptrc_arch arch, unsigned long nr);
/* The number of the syscall called NAME on ARCH, or -1. */
long syscall_number(enum ptrc_arch arch, const char *name);

#endif
