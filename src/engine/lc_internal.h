/* State shared by the library-call files of the engine: lc_mechanics.c
 * (breakpoints in memory, scratch pages, stepping over) and lc_calls.c
 * (what is hooked, call frames, events). */
#ifndef PTRC_LC_INTERNAL_H
#define PTRC_LC_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "engine_internal.h"
#include "lc_regs.h"
#include "lcall_engine.h"
#include "ptrc/lcall.h"

/* One breakpoint: a function's entry, a return address of calls in
 * progress, or the dynamic linker's rendezvous (r_brk), or several. */
struct lc_bp {
	uint64_t addr;
	uint8_t orig[4];          /* the bytes the breakpoint replaced */
	uint8_t code[16];         /* the instruction there (and what follows) */
	struct insn_plan plan;
	int push_reg;             /* x86_64 `push REG` emulated: its word index */
	uint64_t slot;            /* out-of-line copy, 0 until first needed */
	bool inserted;

	/* Roles. */
	char *name;               /* a hooked function's entry (else NULL) */
	const char *module;       /* its module's basename (the process's) */
	const struct lcall_proto *proto;
	unsigned return_refs;     /* frames returning here */
	bool rendezvous;          /* r_brk */

	struct lc_bp *next;       /* hash chain */
};

/* A page ptrc mapped in the tracee for out-of-line copies. */
struct lc_page {
	uint64_t addr;
	unsigned used;            /* slots handed out */
};

/* A module whose functions are hooked (or looked at and found none). */
struct lc_hooked {
	dev_t dev;
	ino_t ino;
	uint64_t start, end;      /* all zero once unmapped (dlclose) */
	char *path;               /* kept till the process goes: frames and
				   * breakpoints point at its name */
	const char *name;         /* basename, inside path */
};

/* One process's (one address space's) breakpoints. A vfork child shares
 * its parent's until it execs: it points here through `shared`. */
struct lc_process {
	pid_t tgid;
	int mem_fd;               /* /proc/TGID/mem, read-write */
	struct lc_process *shared;  /* vfork child: the parent's state */
	bool unsupported;         /* 32-bit tracee: noted, nothing hooked */

	struct lc_bp **buckets;
	unsigned nbuckets, count;
	/* Addresses that held a breakpoint once (removed since): a thread
	 * that trapped there before the removal is rewound, not killed. */
	uint64_t *former;
	size_t nformer, capformer;

	struct lc_page pages[64];  /* 128 copies each */
	unsigned npages;
	uint64_t syscall_insn;    /* a syscall instruction, for injection */

	struct lc_hooked *hooked;
	size_t nhooked;
	unsigned nfunctions;      /* entry breakpoints set */
	bool ifunc_noted;
	unsigned skipped;         /* functions that could not be hooked */
	bool restored;            /* detaching: the original bytes are back */
	unsigned nthreads;        /* tracees using this entry */
	/* Breakpoints of unloaded modules: freed with the process, since
	 * frames may still name them. */
	struct lc_bp *graveyard;

	struct lc_process *next;
};

/* A call in progress on a thread. */
struct lc_frame {
	const char *entry_name;   /* the function (its breakpoint's name) */
	const char *module;
	const struct lcall_proto *proto;
	uint64_t ret;             /* return address (a breakpoint, unless 0) */
	uint64_t sp;              /* x86_64: where ret lies; aarch64: SP */
	uint64_t args[6];
	struct timespec entry_time;
};

struct lc_thread {
	struct lc_frame *frames;
	unsigned count, cap;
};

struct lcall_engine {
	struct lcall_patterns patterns;
	const char **callers;     /* -L */
	unsigned ncallers;
	struct lc_process *processes;
	bool *pattern_matched;    /* by pattern: selected a function once */
	bool *pattern_warned;     /* "no function matches" said */
	bool processes_seen;      /* one could be hooked (not 32-bit) */
	bool detaching;           /* calls in progress end unreported */
};

/* lc_mechanics.c */
struct lc_process *lc_process_new(pid_t tgid);
void lc_process_free(struct lc_process *lp);
struct lc_bp *lc_bp_find(struct lc_process *lp, uint64_t addr);
bool lc_was_bp(struct lc_process *lp, uint64_t addr);
/* A breakpoint at ADDR (found or made, not inserted). NULL when the
 * instruction there cannot be stepped over (REASON says why). */
struct lc_bp *lc_bp_get(struct lc_process *lp, pid_t tid, uint64_t addr,
			const char **reason);
int lc_bp_insert(struct lc_process *lp, struct lc_bp *bp);
/* A copy of BP (from a fork parent's table) in LP's table. */
struct lc_bp *lc_bp_copy(struct lc_process *lp, const struct lc_bp *bp);
/* Forget BP without writing (its memory is gone); kept for frames. */
void lc_bp_bury(struct lc_process *lp, struct lc_bp *bp);
/* Put the original bytes back, keeping BP (and its out-of-line copy) for
 * the next time it is inserted. */
void lc_bp_lift(struct lc_process *lp, struct lc_bp *bp);
/* Put the original bytes back and forget BP. */
void lc_bp_remove(struct lc_process *lp, struct lc_bp *bp);
/* Write the original bytes of every breakpoint into the memory of TGID
 * (LP's own, or a fork child's copy). */
void lc_restore_memory(struct lc_process *lp, int mem_fd);
/* Execute BP's instruction for T, stopped at BP with REGS (PC = BP's
 * address), and leave T ready to resume after it. Returns 0; 1 when T
 * ended meanwhile (*GONE_STATUS is its wait status, for the loop); -1 on
 * an error (noted). *DELIVER: a signal that arrived meanwhile. */
int lc_step_over(struct engine *e, struct lc_process *lp, struct tracee *t,
		 struct lc_bp *bp, struct lc_regs *regs, int *deliver,
		 int *gone_status);

#endif
