/* Library calls (-l): which functions get a breakpoint, and what a thread
 * hitting one means. A function's entry breakpoint reports the call and
 * plants a breakpoint on its return address (shared, counted), which
 * reports the return when a thread reaches it with the stack pointer the
 * call had. The stack itself is never changed, so a detach only has to put
 * the original bytes back, and C++ exceptions, longjmp and backtrace()
 * see the program's own frames. */
#include "lc_internal.h"
#include "proc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ptrc/escape.h"
#include "ptrc/mem.h"

#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP 128
#endif

/* "no function matches -l PATTERN", once for each pattern that has
 * selected nothing in any process so far. */
static void warn_unmatched(struct lcall_engine *lc)
{
	for (size_t i = 0; i < lc->patterns.count; i++) {
		if (lc->pattern_matched[i] || lc->pattern_warned[i])
			continue;
		const struct lcall_pattern *p = &lc->patterns.items[i];
		fprintf(stderr, "ptrc: no function matches -l %s%s%s\n",
			p->module_glob ? p->module_glob : "",
			p->module_glob ? ":" : "", p->func_glob);
		lc->pattern_warned[i] = true;
	}
}

struct lcall_engine *lcall_engine_new(const struct ptrc_config *config)
{
	if (!config->lcall_spec)
		return NULL;
	struct lcall_engine *lc = calloc(1, sizeof *lc);
	if (!lc) {
		fputs("ptrc: out of memory\n", stderr);
		exit(PTRC_EXIT_INTERNAL);
	}
	char err[256];
	if (lcall_patterns_parse(config->lcall_spec, &lc->patterns, err,
				 sizeof err) < 0) {
		fprintf(stderr, "ptrc: -l: %s\n", err);
		exit(PTRC_EXIT_USAGE);
	}
	lc->pattern_matched = calloc(lc->patterns.count, sizeof(bool));
	lc->pattern_warned = calloc(lc->patterns.count, sizeof(bool));
	if (!lc->pattern_matched || !lc->pattern_warned) {
		fputs("ptrc: out of memory\n", stderr);
		exit(PTRC_EXIT_INTERNAL);
	}
	lc->callers = config->lcall_callers;
	lc->ncallers = config->nlcall_callers;
	return lc;
}

void lcall_engine_free(struct lcall_engine *lc)
{
	if (!lc)
		return;
	if (lc->processes_seen)
		warn_unmatched(lc);
	free(lc->pattern_matched);
	free(lc->pattern_warned);
	while (lc->processes) {
		struct lc_process *lp = lc->processes;
		lc->processes = lp->next;
		lc_process_free(lp);
	}
	lcall_patterns_free(&lc->patterns);
	free(lc);
}

/* The list entry of TGID (a vfork child's is an alias), or NULL. */
static struct lc_process *entry_of(struct lcall_engine *lc, pid_t tgid)
{
	for (struct lc_process *lp = lc->processes; lp; lp = lp->next)
		if (lp->tgid == tgid)
			return lp;
	return NULL;
}

/* The state holding TGID's breakpoints (the parent's for a vfork child). */
static struct lc_process *process_of(struct lcall_engine *lc, pid_t tgid)
{
	struct lc_process *lp = entry_of(lc, tgid);
	return lp && lp->shared ? lp->shared : lp;
}

/* Take GONE out of the list and free it, with the entries that share its
 * memory (a clone(CLONE_VM) child may outlive the parent's state). */
static void drop_entry(struct lcall_engine *lc, struct lc_process *gone)
{
	struct lc_process **link = &lc->processes;
	while (*link) {
		struct lc_process *lp = *link;
		if (lp == gone || (lp->shared && lp->shared == gone)) {
			*link = lp->next;
			if (lp != gone)
				lc_process_free(lp);
		} else {
			link = &lp->next;
		}
	}
	lc_process_free(gone);
}

static struct lc_thread *thread_of(struct tracee *t)
{
	if (!t->lcall)
		t->lcall = calloc(1, sizeof(struct lc_thread));
	return t->lcall;
}

/* ---- what to hook ---- */

struct hook_ctx {
	struct engine *e;
	struct lc_process *lp;
	struct tracee *t;
	const char *module_name;
	unsigned hooked;
};

/* NAME (from the tracee's files) escaped for a message, in SB. */
static const char *bare(struct strbuf *sb, const char *name)
{
	sb_reset(sb);
	escape_bare(sb, name, strlen(name));
	return sb->data ? sb->data : "";
}

/* Which patterns selected NAME of M: they are not "matching nothing". */
static void note_matches(struct lcall_engine *lc, const struct lcall_module *m,
			 const char *name)
{
	for (size_t i = 0; i < lc->patterns.count; i++) {
		struct lcall_patterns one = { &lc->patterns.items[i], 1 };
		if (!lc->pattern_matched[i] &&
		    lcall_patterns_match(&one, m->path, name))
			lc->pattern_matched[i] = true;
	}
}

static void hook_function(void *arg, const struct lcall_module *m,
			  const char *name, uint64_t addr, bool is_ifunc)
{
	struct hook_ctx *ctx = arg;
	note_matches(ctx->e->lcall, m, name);
	struct strbuf name_text, module_text;
	sb_init(&name_text);
	sb_init(&module_text);
	const char *reason = NULL;
	struct lc_bp *bp = NULL;
	if (is_ifunc) {
		if (!ctx->lp->ifunc_noted)
			fprintf(stderr, "ptrc: %s in %s is an IFUNC (its code is "
				"chosen at load time): not traced\n",
				bare(&name_text, name), bare(&module_text, m->name));
		ctx->lp->ifunc_noted = true;
	} else if (!(bp = lc_bp_get(ctx->lp, ctx->t->tid, addr, &reason)) &&
		   ctx->lp->skipped++ < 5) {
		fprintf(stderr, "ptrc: not tracing %s in %s: %s%s\n",
			bare(&name_text, name), bare(&module_text, m->name), reason,
			ctx->lp->skipped == 5 ? " (further ones not listed)" : "");
	}
	sb_free(&name_text);
	sb_free(&module_text);
	if (!bp)
		return;
	if (!bp->name) {
		bp->name = strdup(name);
		bp->module = ctx->module_name;
		bp->proto = lcall_proto_find(name);
	}
	if (lc_bp_insert(ctx->lp, bp) < 0) {
		fprintf(stderr, "ptrc: cannot write a breakpoint into process %d: "
			"%s\n", ctx->lp->tgid, strerror(errno));
		return;
	}
	ctx->hooked++;
}

static bool is_dynamic_linker(const char *name)
{
	return strncmp(name, "ld-", 3) == 0 || strncmp(name, "ld.so", 5) == 0;
}

/* Does a pattern name this module explicitly ("ld-linux*:*")? */
static bool module_named(const struct lcall_patterns *p, const char *path)
{
	for (size_t i = 0; i < p->count; i++)
		if (p->items[i].module_glob &&
		    lcall_module_glob_matches(p->items[i].module_glob, path))
			return true;
	return false;
}

static struct lc_hooked *hooked_find(struct lc_process *lp,
				     const struct lcall_module *m)
{
	for (size_t i = 0; i < lp->nhooked; i++)
		if (lp->hooked[i].dev == m->dev && lp->hooked[i].ino == m->ino &&
		    lp->hooked[i].start == m->start)
			return &lp->hooked[i];
	return NULL;
}

static struct lc_hooked *hooked_add(struct lc_process *lp,
				    const struct lcall_module *m)
{
	struct lc_hooked *grown = realloc(lp->hooked,
					  (lp->nhooked + 1) * sizeof *grown);
	if (!grown)
		return NULL;
	lp->hooked = grown;
	struct lc_hooked *h = &lp->hooked[lp->nhooked];
	*h = (struct lc_hooked){ m->dev, m->ino, m->start, m->end,
				 strdup(m->path), NULL };
	if (!h->path)
		return NULL;
	h->name = strrchr(h->path, '/') ? strrchr(h->path, '/') + 1 : h->path;
	lp->nhooked++;
	return h;
}

/* Modules unmapped since (dlclose): their breakpoints are forgotten
 * without writing (the memory is gone, or another file's now). */
static void forget_unmapped(struct lc_process *lp, struct lcall_module *mods,
			    size_t nmods)
{
	for (size_t i = 0; i < lp->nhooked;) {
		struct lc_hooked *h = &lp->hooked[i];
		bool mapped = h->start == h->end;  /* already forgotten */
		for (size_t j = 0; j < nmods && !mapped; j++)
			mapped = mods[j].dev == h->dev && mods[j].ino == h->ino &&
				 mods[j].start == h->start;
		if (mapped) {
			i++;
			continue;
		}
		for (unsigned b = 0; b < lp->nbuckets; b++) {
			struct lc_bp *bp = lp->buckets[b], *next;
			for (; bp; bp = next) {
				next = bp->next;
				if (bp->addr >= h->start && bp->addr < h->end) {
					bp->inserted = false;
					lc_bp_bury(lp, bp);
				}
			}
		}
		h->dev = 0;
		h->ino = 0;
		h->start = h->end = 0;
		i++;
	}
}

/* Read LP's modules and hook those not seen yet. T is stopped. */
static void rescan(struct engine *e, struct lc_process *lp, struct tracee *t)
{
	struct lcall_engine *lc = e->lcall;
	struct lcall_module *mods = NULL;
	size_t nmods = 0;
	if (lcall_modules_read(lp->tgid, &mods, &nmods) < 0)
		return;
	forget_unmapped(lp, mods, nmods);
	for (size_t i = 0; i < nmods; i++) {
		struct lcall_module *m = &mods[i];
		if (hooked_find(lp, m))
			continue;
		struct lc_hooked *h = hooked_add(lp, m);
		if (!h)
			break;
		if (is_dynamic_linker(m->name)) {
			/* dlopen and the libraries loaded at start-up: the
			 * linker calls _dl_debug_state (r_debug.r_brk) when
			 * its list of objects changes. */
			uint64_t r_brk = lcall_module_symbol(lp->tgid, m,
							     "_dl_debug_state");
			const char *reason;
			struct lc_bp *bp = r_brk ?
				lc_bp_get(lp, t->tid, r_brk, &reason) : NULL;
			if (bp && lc_bp_insert(lp, bp) == 0)
				bp->rendezvous = true;
			if (!module_named(&lc->patterns, m->path))
				continue;
		}
		struct hook_ctx ctx = { e, lp, t, h->name, 0 };
		lcall_module_functions(lp->tgid, m, &lc->patterns, hook_function,
				       &ctx);
		lp->nfunctions += ctx.hooked;
	}
	lcall_modules_free(mods, nmods);
}

void lcall_seen(struct engine *e, struct tracee *t)
{
	struct lcall_engine *lc = e->lcall;
	if (t->hidden || t->quiet)
		return;
	struct lc_process *entry = entry_of(lc, t->tgid);
	if (!entry) {
		entry = lc_process_new(t->tgid);
		if (!entry) {
			fprintf(stderr, "ptrc: process %d: cannot open its memory: "
				"%s\n", t->tgid, strerror(errno));
			return;
		}
		entry->next = lc->processes;
		lc->processes = entry;
		struct lc_regs regs;
		if (lc_regs_get(t->tid, &regs) < 0) {
			entry->unsupported = true;
			if (errno == ENOTSUP)
				fprintf(stderr, "ptrc: process %d: library calls of "
					"32-bit processes are not traced\n", t->tgid);
		} else {
			lc->processes_seen = true;
			rescan(e, entry, t);
			/* Right after an execve only the program and the
			 * dynamic linker are mapped: its libraries come
			 * later (said at the end, if still nothing). */
			if (!t->lcall_fresh_exec)
				warn_unmatched(lc);
		}
	}
	if (!t->lcall) {
		thread_of(t);
		entry->nthreads++;
	}
}

/* ---- calls and returns ---- */

static void event_of(const struct lc_frame *f, struct tracee *t,
		     unsigned depth, struct lcall_event *ev)
{
	memset(ev, 0, sizeof *ev);
	ev->call.tid = t->tid;
	ev->call.arch = arch_host();
	ev->call.name = f->entry_name;
	ev->call.proto = f->proto;
	memcpy(ev->call.args, f->args, sizeof ev->call.args);
	ev->module = f->module;
	ev->depth = depth;
	ev->entry_time = f->entry_time;
}

static bool caller_selected(struct lcall_engine *lc, struct lc_process *lp,
			    uint64_t ret)
{
	if (!lc->ncallers)
		return true;
	for (size_t i = 0; i < lp->nhooked; i++) {
		struct lc_hooked *h = &lp->hooked[i];
		if (ret < h->start || ret >= h->end)
			continue;
		for (unsigned j = 0; j < lc->ncallers; j++)
			if (lcall_module_glob_matches(lc->callers[j], h->path))
				return true;
		return false;
	}
	return false;
}

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

/* A return breakpoint has one less frame waiting for it. It stays in
 * place (a call site is usually called again; two writes a call saved)
 * until a thread passes it with no frame waiting (lcall_trap lifts it). */
static void release_return(struct lc_process *lp, uint64_t ret)
{
	struct lc_bp *rb = ret ? lc_bp_find(lp, ret) : NULL;
	if (rb && rb->return_refs)
		rb->return_refs--;
}

static void pop_frame(struct engine *e, struct lc_process *lp,
		      struct tracee *t, uint64_t retval, bool returned)
{
	struct lc_thread *lt = t->lcall;
	struct lc_frame f = lt->frames[--lt->count];
	t->lcall_depth = lt->count;
	if (lp)
		release_return(lp, f.ret);
	if (!t->quiet && !e->lcall->detaching && e->ops->call_exit) {
		struct lcall_event ev;
		event_of(&f, t, lt->count, &ev);
		e->ops->call_exit(e->mode, t, &ev, retval, returned);
	}
}

static void on_entry(struct engine *e, struct lc_process *lp,
		     struct tracee *t, struct lc_bp *bp,
		     const struct lc_regs *regs)
{
	const struct reg_layout *l = regs->layout;
	uint64_t sp = lc_reg(regs, l->sp), ret = 0;
	if (l->lr != REG_NONE)
		ret = lc_reg(regs, l->lr);
	else if (mem_read_word(t->tid, sp, 8, &ret) < 0)
		ret = 0;
	if (!caller_selected(e->lcall, lp, ret))
		return;
	struct lc_thread *lt = thread_of(t);
	if (!lt)
		return;
	if (lt->count == lt->cap) {
		unsigned cap = lt->cap ? lt->cap * 2 : 8;
		struct lc_frame *grown = realloc(lt->frames, cap * sizeof *grown);
		if (!grown)
			return;
		lt->frames = grown;
		lt->cap = cap;
	}
	struct lc_frame *f = &lt->frames[lt->count++];
	memset(f, 0, sizeof *f);
	f->entry_name = bp->name;
	f->module = bp->module;
	f->proto = bp->proto;
	f->sp = sp;
	for (int i = 0; i < 6; i++)
		f->args[i] = lc_reg(regs, l->args[i]);
	clock_gettime(CLOCK_MONOTONIC, &f->entry_time);
	if (ret) {
		const char *reason;
		struct lc_bp *rb = lc_bp_get(lp, t->tid, ret, &reason);
		if (rb && lc_bp_insert(lp, rb) == 0) {
			rb->return_refs++;
			f->ret = ret;
		}
	}
	if (e->ops->call_entry) {
		struct lcall_event ev;
		event_of(f, t, lt->count - 1, &ev);
		e->ops->call_entry(e->mode, t, &ev);
	}
	t->lcall_depth = lt->count;
	if (!f->ret)  /* no breakpoint on its return: it will not be seen */
		pop_frame(e, lp, t, 0, false);
}

/* T reached return breakpoint BP: the frames that return here (the call,
 * and the calls that tail-called from it share its return) are popped,
 * and frames left above the stack pointer (longjmp) end unreturned.
 * Returns whether a frame returned. */
static bool on_return(struct engine *e, struct lc_process *lp,
		      struct tracee *t, struct lc_bp *bp,
		      const struct lc_regs *regs)
{
	struct lc_thread *lt = t->lcall;
	if (!lt)
		return false;
	const struct reg_layout *l = regs->layout;
	/* Where the call's return address was (x86_64), or its SP. */
	uint64_t key = lc_reg(regs, l->sp) - (l->lr != REG_NONE ? 0 : 8);
	bool returned = false;
	while (lt->count) {
		struct lc_frame *f = &lt->frames[lt->count - 1];
		if (f->sp < key) {
			pop_frame(e, lp, t, 0, false);
		} else if (f->sp == key && f->ret == bp->addr) {
			pop_frame(e, lp, t, lc_reg(regs, l->ret), true);
			returned = true;
		} else {
			break;
		}
	}
	return returned;
}

bool lcall_trap(struct engine *e, struct tracee *t, const siginfo_t *si)
{
	struct lc_process *lp = process_of(e->lcall, t->tgid);
	if (!lp || (si && si->si_code <= 0))
		return false;  /* not ours; or sent by kill() */
	struct lc_regs regs;
	if (lc_regs_get(t->tid, &regs) < 0)
		return false;
	const struct reg_layout *l = regs.layout;
	uint64_t addr = lc_reg(&regs, l->pc) -
			(l->arch == PTRC_ARCH_X86_64 ? 1 : 0);
	struct lc_bp *bp = lc_bp_find(lp, addr);
	if (!bp || !bp->inserted) {
		if (!bp && !lc_was_bp(lp, addr))
			return false;
		/* Trapped just before ptrc removed it: run the original. */
		lc_set_reg(&regs, l->pc, addr);
		lc_regs_set(t->tid, &regs);
		engine_resume(e, t, 0);
		return true;
	}
	lc_set_reg(&regs, l->pc, addr);
	if (!t->quiet) {
		if (bp->rendezvous) {
			/* Hit before (RT_ADD) and after (RT_CONSISTENT) the
			 * linker changes its list. */
			rescan(e, lp, t);
		}
		bool returned = bp->return_refs && on_return(e, lp, t, bp, &regs);
		if (!returned && bp->name)
			on_entry(e, lp, t, bp, &regs);
		if (!returned && !bp->return_refs && !bp->name &&
		    !bp->rendezvous && lift_unused_returns()) {
			/* Passed with no frame waiting: lift it; the thread
			 * runs the original instruction. */
			lc_bp_lift(lp, bp);
			lc_regs_set(t->tid, &regs);
			engine_resume(e, t, 0);
			return true;
		}
	}
	int deliver = 0, gone_status = 0;
	int r = lc_step_over(e, lp, t, bp, &regs, &deliver, &gone_status);
	if (r == 1) {
		engine_status(e, t->tid, gone_status);
		return true;
	}
	if (r < 0) {
		struct strbuf text;
		sb_init(&text);
		fprintf(stderr, "ptrc: cannot step over the breakpoint at %#llx "
			"(%s): removed\n", (unsigned long long)addr,
			bp->name ? bare(&text, bp->name) : "a return address");
		sb_free(&text);
		lc_bp_remove(lp, bp);
		lc_set_reg(&regs, l->pc, addr);
		lc_regs_set(t->tid, &regs);
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

static void restore_copy(struct lc_process *from, pid_t tgid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/mem", tgid);
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return;
	lc_restore_memory(from, fd);
	close(fd);
}

static struct lc_process *copy_process(struct lc_process *parent, pid_t tgid)
{
	struct lc_process *lp = lc_process_new(tgid);
	if (!lp)
		return NULL;
	for (unsigned b = 0; b < parent->nbuckets; b++)
		for (struct lc_bp *bp = parent->buckets[b]; bp; bp = bp->next)
			lc_bp_copy(lp, bp);
	memcpy(lp->pages, parent->pages, sizeof lp->pages);
	lp->npages = parent->npages;
	lp->syscall_insn = parent->syscall_insn;
	for (size_t i = 0; i < parent->nhooked; i++) {
		struct lc_hooked *h = &parent->hooked[i];
		struct lcall_module m = { .path = h->path, .start = h->start,
					  .end = h->end, .dev = h->dev,
					  .ino = h->ino };
		hooked_add(lp, &m);
	}
	/* lc_bp.module points into the parent's names: re-point them. */
	for (unsigned b = 0; b < lp->nbuckets; b++)
		for (struct lc_bp *bp = lp->buckets[b]; bp; bp = bp->next)
			for (size_t i = 0; bp->module && i < lp->nhooked; i++)
				if (bp->addr >= lp->hooked[i].start &&
				    bp->addr < lp->hooked[i].end)
					bp->module = lp->hooked[i].name;
	return lp;
}

void lcall_new_task(struct engine *e, struct tracee *parent,
		    struct tracee *child, unsigned event)
{
	struct lcall_engine *lc = e->lcall;
	if (event == PTRACE_EVENT_CLONE && child->tgid == parent->tgid)
		return;  /* a thread: same memory, no frames yet */
	/* clone() of a process without SIGCHLD: nearly always with CLONE_VM
	 * (its own stack, the parent's memory), like vfork. */
	if (event == PTRACE_EVENT_CLONE)
		event = PTRACE_EVENT_VFORK;
	struct lc_process *plp = process_of(lc, parent->tgid);
	bool follow = e->config->follow_forks && !parent->quiet;
	child->quiet = !follow;
	if (plp && child->tgid != parent->tgid) {
		struct lc_process *entry = NULL;
		if (event == PTRACE_EVENT_VFORK) {
			/* Shares the parent's memory until it execs. */
			entry = lc_process_new(child->tgid);
			if (entry)
				entry->shared = plp;
		} else if (follow) {
			entry = copy_process(plp, child->tgid);
			/* Its stack is a copy too: the same calls are in
			 * progress, returning through the copied breakpoints. */
			struct lc_thread *from = parent->lcall, *to = thread_of(child);
			if (entry && from && to && from->count) {
				to->frames = malloc(from->count * sizeof *to->frames);
				if (to->frames) {
					memcpy(to->frames, from->frames,
					       from->count * sizeof *to->frames);
					to->count = to->cap = from->count;
					child->lcall_depth = to->count;
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
			thread_of(child);
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

bool lcall_hold_new_process(struct engine *e, struct tracee *t)
{
	(void)e;
	/* A new process whose parent's fork event has not come yet: what
	 * to do with its memory is known only then. */
	if (t->tid != t->tgid)
		return false;
	t->stopped = true;
	return true;
}

void lcall_release_held(struct engine *e, struct tracee *t)
{
	struct lc_process *parent = process_of(e->lcall, parent_of(t->tid));
	if (parent && !entry_of(e->lcall, t->tgid))
		restore_copy(parent, t->tgid);
}

bool lcall_keeps(struct engine *e, struct tracee *t)
{
	struct lc_process *entry = entry_of(e->lcall, t->tgid);
	return entry && entry->shared;
}

void lcall_exec(struct engine *e, struct tracee *t)
{
	struct lcall_engine *lc = e->lcall;
	struct lc_thread *lt = t->lcall;
	if (lt) {
		while (lt->count)
			pop_frame(e, NULL, t, 0, false);
		free(lt->frames);
		free(lt);
		t->lcall = NULL;
	}
	t->lcall_depth = 0;
	struct lc_process *entry = entry_of(lc, t->tgid);
	if (entry)
		drop_entry(lc, entry);
	t->lcall_fresh_exec = true;
	lcall_seen(e, t);
	t->lcall_fresh_exec = false;
}

void lcall_tracee_gone(struct engine *e, struct tracee *t)
{
	struct lc_thread *lt = t->lcall;
	if (!lt)
		return;
	struct lc_process *entry = entry_of(e->lcall, t->tgid);
	while (lt->count)
		pop_frame(e, NULL, t, 0, false);
	free(lt->frames);
	free(lt);
	t->lcall = NULL;
	if (entry && entry->nthreads && --entry->nthreads == 0)
		drop_entry(e->lcall, entry);
}

void lcall_restore_all(struct engine *e)
{
	e->lcall->detaching = true;
	for (struct lc_process *lp = e->lcall->processes; lp; lp = lp->next)
		if (!lp->shared) {
			lc_restore_memory(lp, lp->mem_fd);
			lp->restored = true;
		}
}

bool lcall_trap_pending(struct engine *e, struct tracee *t)
{
	/* SigPnd: the thread's own pending signals, where a trap goes. */
	unsigned long long pending;
	return process_of(e->lcall, t->tgid) &&
	       proc_status_value(t->tid, "SigPnd", 16, &pending) &&
	       ((pending >> (SIGTRAP - 1)) & 1);
}

int lcall_detach_signal(struct engine *e, struct tracee *t, int sig)
{
	if (sig != SIGTRAP || !t)
		return sig;
	struct lc_process *lp = process_of(e->lcall, t->tgid);
	siginfo_t si;
	struct lc_regs regs;
	if (!lp || ptrace(PTRACE_GETSIGINFO, t->tid, 0, &si) < 0 ||
	    si.si_code <= 0 || lc_regs_get(t->tid, &regs) < 0)
		return sig;
	const struct reg_layout *l = regs.layout;
	uint64_t addr = lc_reg(&regs, l->pc) -
			(l->arch == PTRC_ARCH_X86_64 ? 1 : 0);
	if (!lc_bp_find(lp, addr) && !lc_was_bp(lp, addr))
		return sig;  /* a SIGTRAP of the program's own */
	lc_set_reg(&regs, l->pc, addr);
	lc_regs_set(t->tid, &regs);
	return 0;
}
