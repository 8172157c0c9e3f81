/* The library-call tracer (-l), the engine's extension: its state, shared
 * by its files, each using only those listed before it:
 *   breakpoints.c  breakpoints in tracee memory
 *   stepping.c     getting a thread past one (scratch pages, out of line)
 *   notes.c        its messages to the user
 *   hooking.c      what is hooked: modules, functions, the linker's r_brk
 *   calls.c        calls in progress: frames, entries, returns, events
 *   tracer.c       the engine's hooks: processes and threads coming and
 *                  going, traps, detach */
#ifndef PTRC_LCALL_TRACER_H
#define PTRC_LCALL_TRACER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "ptrc/engine_ext.h"
#include "ptrc/lcall.h"
#include "regs.h"

/* One breakpoint: a function's entry, a return address of calls in
 * progress, or the dynamic linker's rendezvous (r_brk), or several. */
struct lcall_bp {
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
	unsigned return_refs;     /* frames returning here */
	bool rendezvous;          /* r_brk */

	struct lcall_bp *next;       /* hash chain */
};

/* A page ptrc mapped in the tracee for out-of-line copies. */
struct lcall_page {
	uint64_t addr;
	unsigned used;            /* slots handed out */
};

/* A module whose functions are hooked (or looked at and found none). */
struct lcall_hooked {
	dev_t dev;
	ino_t ino;
	uint64_t start, end;      /* all zero once unmapped (dlclose) */
	char *path;               /* kept till the process goes: frames and
				   * breakpoints point at its name */
	const char *name;         /* basename, inside path */
};

/* One process's (one address space's) breakpoints. A vfork child shares
 * its parent's until it execs: it points here through `shared`. */
struct lcall_process {
	pid_t tgid;
	int mem_fd;               /* /proc/TGID/mem, read-write */
	struct lcall_process *shared;  /* vfork child: the parent's state */
	bool unsupported;         /* 32-bit tracee: noted, nothing hooked */

	struct lcall_bp **buckets;
	unsigned nbuckets, count;
	/* Addresses that held a breakpoint once (removed since): a thread
	 * that trapped there before the removal is rewound, not killed. */
	uint64_t *former;
	size_t nformer, capformer;

	struct lcall_page pages[64];  /* 128 copies each */
	unsigned npages;
	uint64_t syscall_insn;    /* a syscall instruction, for injection */

	struct lcall_hooked *hooked;
	size_t nhooked;
	unsigned nfunctions;      /* entry breakpoints set */
	bool ifunc_noted;
	unsigned skipped;         /* functions that could not be hooked */
	bool restored;            /* detaching: the original bytes are back */
	unsigned nthreads;        /* tracees using this entry */
	/* Breakpoints of unloaded modules: freed with the process, since
	 * frames may still name them. */
	struct lcall_bp *graveyard;

	struct lcall_process *next;
};

/* A call in progress on a thread. */
struct lcall_frame {
	const char *entry_name;   /* the function (its breakpoint's name) */
	const char *module;
	uint64_t ret;             /* return address (a breakpoint, unless 0) */
	uint64_t sp;              /* x86_64: where ret lies; aarch64: SP */
	uint64_t args[6];
	struct timespec entry_time;
};

/* A thread's calls in progress (tracee->ext). */
struct lcall_thread {
	struct lcall_frame *frames;
	unsigned count, cap;
	/* How many calls the mode has been told of and not their end: its
	 * lines indent by it (lcall_depth). */
	unsigned depth;
};

struct lcall_tracer {
	struct engine_ext ext;    /* its hooks, as registered */
	struct lcall_sink sink;   /* the mode's */
	bool follow_forks;        /* -f */
	struct lcall_patterns patterns;
	const char **callers;     /* -L */
	unsigned ncallers;
	struct lcall_process *processes;
	bool *pattern_matched;    /* by pattern: selected a function once */
	bool *pattern_warned;     /* "no function matches" said */
	bool processes_seen;      /* one could be hooked (not 32-bit) */
	bool detaching;           /* calls in progress end unreported */
	bool entry_stacks;        /* -k: the sink unwinds at each entry */
};

/* breakpoints.c */
struct lcall_process *lcall_process_new(pid_t tgid);
void lcall_process_free(struct lcall_process *lp);
struct lcall_bp *lcall_bp_find(struct lcall_process *lp, uint64_t addr);
bool lcall_was_bp(struct lcall_process *lp, uint64_t addr);
/* A breakpoint at ADDR (found or made, not inserted). NULL when the
 * instruction there cannot be stepped over (REASON says why). */
struct lcall_bp *lcall_bp_get(struct lcall_process *lp, pid_t tid, uint64_t addr,
			const char **reason);
int lcall_bp_insert(struct lcall_process *lp, struct lcall_bp *bp);
/* A copy of BP (from a fork parent's table) in LP's table. */
struct lcall_bp *lcall_bp_copy(struct lcall_process *lp, const struct lcall_bp *bp);
/* Forget BP without writing (its memory is gone); kept for frames. */
void lcall_bp_bury(struct lcall_process *lp, struct lcall_bp *bp);
/* Put the original bytes back, keeping BP (and its out-of-line copy) for
 * the next time it is inserted. */
void lcall_bp_lift(struct lcall_process *lp, struct lcall_bp *bp);
/* Put the original bytes back and forget BP. */
void lcall_bp_remove(struct lcall_process *lp, struct lcall_bp *bp);
/* Write LEN bytes at ADDR through MEM_FD (/proc/PID/mem). */
int lcall_mem_write(int mem_fd, uint64_t addr, const void *buf, size_t len);
/* Write the original bytes of every breakpoint into the memory of TGID
 * (LP's own, or a fork child's copy). */
void lcall_restore_memory(struct lcall_process *lp, int mem_fd);
/* stepping.c: execute BP's instruction for T, stopped at BP with REGS (PC = BP's
 * address), and leave T ready to resume after it. Returns 0; 1 when T
 * ended meanwhile (*GONE_STATUS is its wait status, for the loop); -1 on
 * an error (noted). *DELIVER: a signal that arrived meanwhile. */
int lcall_step_over(struct engine *e, struct lcall_process *lp,
		    struct tracee *t, struct lcall_bp *bp,
		    struct lcall_regs *regs, int *deliver, int *gone_status);

/* notes.c: messages on stderr; NAME and MODULE come from the tracee's
 * files and are escaped. */
void lcall_note_unmatched(const struct lcall_pattern *p);
void lcall_note_ifunc(const char *name, const char *module);
/* The COUNT-th function that cannot be hooked (the fifth says no more
 * are listed). */
void lcall_note_skipped(const char *name, const char *module,
			const char *reason, unsigned count);
/* NAME: NULL for a return address. */
void lcall_note_step_failed(uint64_t addr, const char *name);

/* hooking.c */
/* Read LP's modules and hook the functions of those not seen yet (T is
 * one of its threads, stopped). */
void lcall_rescan(struct lcall_tracer *lc, struct lcall_process *lp,
		  struct tracee *t);
/* "no function matches -l PATTERN", once for each pattern that has
 * selected nothing in any process so far. */
void lcall_warn_unmatched(struct lcall_tracer *lc);
/* Remember module M (or a copy's) as looked at in LP. */
struct lcall_hooked *lcall_hooked_add(struct lcall_process *lp,
				      const struct lcall_module *m);

/* calls.c */
/* T's frames (t->ext), made on first use; NULL when out of memory. */
struct lcall_thread *lcall_thread_of(struct tracee *t);
/* T hit BP, a function's entry (REGS: its registers, PC at BP): report
 * the call, and plant a breakpoint on its return address. */
void lcall_call_entered(struct lcall_tracer *lc, struct lcall_process *lp,
			struct tracee *t, struct lcall_bp *bp,
			const struct lcall_regs *regs);
/* T reached return breakpoint BP: returns whether a frame returned. */
bool lcall_call_returned(struct lcall_tracer *lc, struct lcall_process *lp,
			 struct tracee *t, struct lcall_bp *bp,
			 const struct lcall_regs *regs);
/* T leaves (exits, execs, is let go): its calls end unreturned (reported
 * unless detaching) and t->ext is freed. */
void lcall_thread_end(struct lcall_tracer *lc, struct tracee *t);

#endif
