/* The library-call tracer (-l) as the engine's extension: processes and
 * threads coming and going, what a trap of its breakpoints means, and the
 * detach that puts every byte back (tracer.h lists its other files). */
#include "tracer.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <unistd.h>

#include "ptrc/config.h"
#include "ptrc/proc.h"

#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP 128
#endif

static const struct engine_ext tracer_ext;

void lcall_tracer_start(struct engine *e, const struct ptrc_config *config,
			const struct lcall_sink *sink)
{
	struct lcall_tracer *lc = calloc(1, sizeof *lc);
	if (!lc) {
		engine_warn("out of memory");
		exit(PTRC_EXIT_INTERNAL);
	}
	char err[256];
	if (lcall_patterns_parse(config->lcall_spec, &lc->patterns, err,
				 sizeof err) < 0) {
		engine_warn("-l: %s", err);
		exit(PTRC_EXIT_USAGE);
	}
	lc->pattern_matched = calloc(lc->patterns.count, sizeof(bool));
	lc->pattern_warned = calloc(lc->patterns.count, sizeof(bool));
	if (!lc->pattern_matched || !lc->pattern_warned) {
		engine_warn("out of memory");
		exit(PTRC_EXIT_INTERNAL);
	}
	lc->sink = *sink;
	lc->follow_forks = config->follow_forks;
	lc->entry_stacks = config->syscall_stacks;
	lc->callers = config->lcall_callers;
	lc->ncallers = config->nlcall_callers;
	lc->ext = tracer_ext;
	/* -l alone needs no syscall stops. */
	lc->ext.no_syscall_stops = !config->lcall_syscalls;
	engine_set_ext(e, &lc->ext, lc);
}

static void tracer_free(void *ext)
{
	struct lcall_tracer *lc = ext;
	if (lc->processes_seen)
		lcall_warn_unmatched(lc);
	free(lc->pattern_matched);
	free(lc->pattern_warned);
	while (lc->processes) {
		struct lcall_process *lp = lc->processes;
		lc->processes = lp->next;
		lcall_process_free(lp);
	}
	lcall_patterns_free(&lc->patterns);
	free(lc);
}

/* The list entry of TGID (a vfork child's is an alias), or NULL. */
static struct lcall_process *entry_of(struct lcall_tracer *lc, pid_t tgid)
{
	for (struct lcall_process *lp = lc->processes; lp; lp = lp->next)
		if (lp->tgid == tgid)
			return lp;
	return NULL;
}

/* The state holding TGID's breakpoints (the parent's for a vfork child). */
static struct lcall_process *process_of(struct lcall_tracer *lc, pid_t tgid)
{
	struct lcall_process *lp = entry_of(lc, tgid);
	return lp && lp->shared ? lp->shared : lp;
}

/* Take GONE out of the list and free it, with the entries that share its
 * memory (a clone(CLONE_VM) child may outlive the parent's state). */
static void drop_entry(struct lcall_tracer *lc, struct lcall_process *gone)
{
	struct lcall_process **link = &lc->processes;
	while (*link) {
		struct lcall_process *lp = *link;
		if (lp == gone || (lp->shared && lp->shared == gone)) {
			*link = lp->next;
			if (lp != gone)
				lcall_process_free(lp);
		} else {
			link = &lp->next;
		}
	}
	lcall_process_free(gone);
}


/* A stop of T, traced and shown: hook T's process if that is not done yet
 * (its first stop after attach, or its exec: FRESH_EXEC). */
static void seen(struct lcall_tracer *lc, struct tracee *t, bool fresh_exec)
{
	if (t->hidden || t->quiet)
		return;
	struct lcall_process *entry = entry_of(lc, t->tgid);
	if (!entry) {
		entry = lcall_process_new(t->tgid);
		if (!entry) {
			engine_warn("process %d: cannot open its memory: %s",
				    t->tgid, strerror(errno));
			return;
		}
		entry->next = lc->processes;
		lc->processes = entry;
		struct lcall_regs regs;
		if (lcall_regs_get(t->tid, &regs) < 0) {
			entry->unsupported = true;
			if (errno == ENOTSUP)
				engine_warn("process %d: library calls of 32-bit "
					    "processes are not traced", t->tgid);
		} else {
			lc->processes_seen = true;
			lcall_rescan(lc, entry, t);
			/* Right after an execve only the program and the
			 * dynamic linker are mapped: its libraries come
			 * later (said at the end, if still nothing). */
			if (!fresh_exec)
				lcall_warn_unmatched(lc);
		}
	}
	if (!t->ext) {
		lcall_thread_of(t);
		entry->nthreads++;
	}
}

static bool on_stop(void *ext, struct engine *e, struct tracee *t)
{
	(void)e;
	struct lcall_tracer *lc = ext;
	if (t->quiet) {
		/* A child not followed: kept while it shares hooked memory
		 * (vfork), else let go, its copy restored already. */
		struct lcall_process *entry = entry_of(lc, t->tgid);
		if (!entry || !entry->shared)
			return false;
	}
	seen(lc, t, false);
	return true;
}

/* ---- traps ---- */

/* Whether a return breakpoint no frame waits for is lifted (its bytes put
 * back while the other threads run). Not on aarch64: there, rewriting an
 * instruction another thread may be executing is CONSTRAINED UNPREDICTABLE
 * unless both are among B, BL, BRK, NOP... (the ARM ARM's concurrent
 * modification and execution), and qemu-system-aarch64 does keep a block
 * it translated while the bytes changed: a thread went on running a lifted
 * and reinserted return address without trapping, its calls never
 * returning. Inserted once and left there, a return breakpoint costs a
 * step over when code reaches it other than by returning. */
static bool lift_unused_returns(void)
{
	return arch_host() != PTRC_ARCH_AARCH64;
}

/* A breakpoint's trap is known by the PC alone, which saves reading its
 * siginfo (two ptrace calls a library call). */
static bool on_sigtrap(void *ext, struct engine *e, struct tracee *t)
{
	struct lcall_tracer *lc = ext;
	struct lcall_process *lp = process_of(lc, t->tgid);
	if (!lp)
		return false;  /* not ours */
	struct lcall_regs regs;
	if (lcall_regs_get(t->tid, &regs) < 0)
		return false;
	const struct reg_layout *l = regs.layout;
	uint64_t addr = lcall_reg(&regs, l->pc) -
			(l->arch == PTRC_ARCH_X86_64 ? 1 : 0);
	struct lcall_bp *bp = lcall_bp_find(lp, addr);
	if (!bp || !bp->inserted) {
		if (!bp && !lcall_was_bp(lp, addr))
			return false;
		/* Trapped just before ptrc removed it: run the original. */
		lcall_set_reg(&regs, l->pc, addr);
		lcall_regs_set(t->tid, &regs);
		engine_resume(e, t, 0);
		return true;
	}
	lcall_set_reg(&regs, l->pc, addr);
	if (!t->quiet) {
		if (bp->rendezvous) {
			/* Hit before (RT_ADD) and after (RT_CONSISTENT) the
			 * linker changes its list. */
			lcall_rescan(lc, lp, t);
		}
		bool returned = bp->return_refs &&
				lcall_call_returned(lc, lp, t, bp, &regs);
		/* -k unwinds the thread at the entry: from the function's
		 * first instruction, not from past the trap */
		if (!returned && bp->name && lc->entry_stacks &&
		    l->arch == PTRC_ARCH_X86_64)
			lcall_regs_set(t->tid, &regs);
		if (!returned && bp->name)
			lcall_call_entered(lc, lp, t, bp, &regs);
		if (!returned && !bp->return_refs && !bp->name &&
		    !bp->rendezvous && lift_unused_returns()) {
			/* Passed with no frame waiting: lift it; the thread
			 * runs the original instruction. */
			lcall_bp_lift(lp, bp);
			lcall_regs_set(t->tid, &regs);
			engine_resume(e, t, 0);
			return true;
		}
	}
	int deliver = 0, gone_status = 0;
	int r = lcall_step_over(e, lp, t, bp, &regs, &deliver, &gone_status);
	if (r == 1) {
		engine_handle_status(e, t->tid, gone_status);
		return true;
	}
	if (r < 0) {
		lcall_note_step_failed(addr, bp->name);
		lcall_bp_remove(lp, bp);
		lcall_set_reg(&regs, l->pc, addr);
		lcall_regs_set(t->tid, &regs);
	}
	engine_resume(e, t, deliver);
	return true;
}

/* ---- processes coming and going ---- */

/* TID's parent; 0 when unknown. */
static pid_t parent_of(pid_t tid)
{
	unsigned long long ppid;
	return proc_status_value(tid, "PPid", 10, &ppid) ? (pid_t)ppid : 0;
}

static void restore_copy(struct lcall_process *from, pid_t tgid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/mem", tgid);
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return;
	lcall_restore_memory(from, fd);
	close(fd);
}

static struct lcall_process *copy_process(struct lcall_process *parent, pid_t tgid)
{
	struct lcall_process *lp = lcall_process_new(tgid);
	if (!lp)
		return NULL;
	for (unsigned b = 0; b < parent->nbuckets; b++)
		for (struct lcall_bp *bp = parent->buckets[b]; bp; bp = bp->next)
			lcall_bp_copy(lp, bp);
	memcpy(lp->pages, parent->pages, sizeof lp->pages);
	lp->npages = parent->npages;
	lp->syscall_insn = parent->syscall_insn;
	for (size_t i = 0; i < parent->nhooked; i++) {
		struct lcall_hooked *h = &parent->hooked[i];
		struct lcall_module m = { .path = h->path, .start = h->start,
					  .end = h->end, .dev = h->dev,
					  .ino = h->ino };
		lcall_hooked_add(lp, &m);
	}
	/* lcall_bp.module points into the parent's names: re-point them. */
	for (unsigned b = 0; b < lp->nbuckets; b++)
		for (struct lcall_bp *bp = lp->buckets[b]; bp; bp = bp->next)
			for (size_t i = 0; bp->module && i < lp->nhooked; i++)
				if (bp->addr >= lp->hooked[i].start &&
				    bp->addr < lp->hooked[i].end)
					bp->module = lp->hooked[i].name;
	return lp;
}

static void on_new_task(void *ext, struct engine *e, struct tracee *parent,
			struct tracee *child, unsigned event)
{
	struct lcall_tracer *lc = ext;
	if (event == PTRACE_EVENT_CLONE && child->tgid == parent->tgid)
		return;  /* a thread: same memory, no frames yet */
	/* clone() of a process without SIGCHLD: nearly always with CLONE_VM
	 * (its own stack, the parent's memory), like vfork. */
	if (event == PTRACE_EVENT_CLONE)
		event = PTRACE_EVENT_VFORK;
	struct lcall_process *plp = process_of(lc, parent->tgid);
	bool follow = lc->follow_forks && !parent->quiet;
	child->quiet = !follow;
	if (plp && child->tgid != parent->tgid) {
		struct lcall_process *entry = NULL;
		if (event == PTRACE_EVENT_VFORK) {
			/* Shares the parent's memory until it execs. */
			entry = lcall_process_new(child->tgid);
			if (entry)
				entry->shared = plp;
		} else if (follow) {
			entry = copy_process(plp, child->tgid);
			/* Its stack is a copy too: the same calls are in
			 * progress, returning through the copied breakpoints. */
			struct lcall_thread *from = parent->ext;
			struct lcall_thread *to = lcall_thread_of(child);
			if (entry && from && to && from->count) {
				to->frames = malloc(from->count * sizeof *to->frames);
				if (to->frames) {
					memcpy(to->frames, from->frames,
					       from->count * sizeof *to->frames);
					to->count = to->cap = from->count;
					to->depth = to->count;
				}
			}
		} else {
			/* Not followed: its copy of the memory gets the
			 * original bytes back before it runs. */
			restore_copy(plp, child->tgid);
		}
		if (entry) {
			entry->next = lc->processes;
			lc->processes = entry;
			lcall_thread_of(child);
			entry->nthreads++;
		}
	}
	if (child->stopped) {
		/* Its first stop came before this event: held till now. */
		child->stopped = false;
		if (child->quiet && event != PTRACE_EVENT_VFORK)
			engine_let_go(e, child);
		else
			engine_resume(e, child, 0);
	}
}

static bool hold_new_task(void *ext, struct engine *e, struct tracee *t)
{
	(void)ext;
	(void)e;
	/* A new process whose parent's fork event has not come yet: what
	 * to do with its memory is known only then. */
	if (t->tid != t->tgid)
		return false;
	t->stopped = true;
	return true;
}

static void release_held(void *ext, struct engine *e, struct tracee *t)
{
	(void)e;
	struct lcall_tracer *lc = ext;
	struct lcall_process *parent = process_of(lc, parent_of(t->tid));
	if (parent && !entry_of(lc, t->tgid))
		restore_copy(parent, t->tgid);
}

static void on_exec(void *ext, struct engine *e, struct tracee *t)
{
	(void)e;
	struct lcall_tracer *lc = ext;
	lcall_thread_end(lc, t);
	struct lcall_process *entry = entry_of(lc, t->tgid);
	if (entry)
		drop_entry(lc, entry);
	seen(lc, t, true);
}

static void on_tracee_gone(void *ext, struct engine *e, struct tracee *t)
{
	(void)e;
	struct lcall_tracer *lc = ext;
	if (!t->ext)
		return;
	struct lcall_process *entry = entry_of(lc, t->tgid);
	lcall_thread_end(lc, t);
	if (entry && entry->nthreads && --entry->nthreads == 0)
		drop_entry(lc, entry);
}

/* ---- detaching ---- */

static void restore(void *ext, struct engine *e)
{
	(void)e;
	struct lcall_tracer *lc = ext;
	lc->detaching = true;
	for (struct lcall_process *lp = lc->processes; lp; lp = lp->next)
		if (!lp->shared) {
			lcall_restore_memory(lp, lp->mem_fd);
			lp->restored = true;
		}
}

static bool trap_pending(void *ext, struct engine *e, struct tracee *t)
{
	(void)e;
	/* SigPnd: the thread's own pending signals, where a trap goes. */
	unsigned long long pending;
	return process_of(ext, t->tgid) &&
	       proc_status_value(t->tid, "SigPnd", 16, &pending) &&
	       ((pending >> (SIGTRAP - 1)) & 1);
}

static int detach_signal(void *ext, struct engine *e, struct tracee *t,
			 int sig)
{
	(void)e;
	if (sig != SIGTRAP)
		return sig;
	struct lcall_process *lp = process_of(ext, t->tgid);
	siginfo_t si;
	struct lcall_regs regs;
	if (!lp || ptrace(PTRACE_GETSIGINFO, t->tid, 0, &si) < 0 ||
	    si.si_code <= 0 || lcall_regs_get(t->tid, &regs) < 0)
		return sig;
	const struct reg_layout *l = regs.layout;
	uint64_t addr = lcall_reg(&regs, l->pc) -
			(l->arch == PTRC_ARCH_X86_64 ? 1 : 0);
	if (!lcall_bp_find(lp, addr) && !lcall_was_bp(lp, addr))
		return sig;  /* a SIGTRAP of the program's own */
	lcall_set_reg(&regs, l->pc, addr);
	lcall_regs_set(t->tid, &regs);
	return 0;
}

static const struct engine_ext tracer_ext = {
	/* Every child is seen, to take the breakpoints out of the copy of
	 * one that is not followed (without -f). */
	.ptrace_options = PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK,
	.reap_ahead = true,
	.hold_new_task = hold_new_task,
	.on_stop = on_stop,
	.on_sigtrap = on_sigtrap,
	.on_new_task = on_new_task,
	.on_exec = on_exec,
	.on_tracee_gone = on_tracee_gone,
	.restore = restore,
	.release_held = release_held,
	.trap_pending = trap_pending,
	.detach_signal = detach_signal,
	.free = tracer_free,
};
