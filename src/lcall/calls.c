/* Calls in progress. A function's entry breakpoint reports the call and
 * plants a breakpoint on its return address (shared, counted), which
 * reports the return when a thread reaches it with the stack pointer the
 * call had. The stack itself is never changed, so a detach only has to put
 * the original bytes back, and C++ exceptions, longjmp and backtrace()
 * see the program's own frames. */
#include "tracer.h"

#include <stdlib.h>
#include <string.h>

#include "ptrc/mem.h"

struct lcall_thread *lcall_thread_of(struct tracee *t)
{
	if (!t->ext)
		t->ext = calloc(1, sizeof(struct lcall_thread));
	return t->ext;
}

unsigned lcall_depth(const struct tracee *t)
{
	const struct lcall_thread *lt = t->ext;
	return lt ? lt->depth : 0;
}

static void event_of(const struct lcall_frame *f, struct tracee *t,
		     unsigned depth, struct lcall_event *ev)
{
	memset(ev, 0, sizeof *ev);
	ev->tid = t->tid;
	ev->name = f->entry_name;
	memcpy(ev->args, f->args, sizeof ev->args);
	ev->module = f->module;
	ev->depth = depth;
	ev->entry_time = f->entry_time;
}

static bool caller_selected(struct lcall_tracer *lc, struct lcall_process *lp,
			    uint64_t ret)
{
	if (!lc->ncallers)
		return true;
	for (size_t i = 0; i < lp->nhooked; i++) {
		struct lcall_hooked *h = &lp->hooked[i];
		if (ret < h->start || ret >= h->end)
			continue;
		for (unsigned j = 0; j < lc->ncallers; j++)
			if (lcall_module_glob_matches(lc->callers[j], h->path))
				return true;
		return false;
	}
	return false;
}

/* A return breakpoint has one less frame waiting for it. It stays in
 * place (a call site is usually called again; two writes a call saved)
 * until a thread passes it with no frame waiting (tracer.c lifts it). */
static void release_return(struct lcall_process *lp, uint64_t ret)
{
	struct lcall_bp *rb = ret ? lcall_bp_find(lp, ret) : NULL;
	if (rb && rb->return_refs)
		rb->return_refs--;
}

static void pop_frame(struct lcall_tracer *lc, struct lcall_process *lp,
		      struct tracee *t, uint64_t retval, bool returned)
{
	struct lcall_thread *lt = t->ext;
	struct lcall_frame f = lt->frames[--lt->count];
	lt->depth = lt->count;
	if (lp)
		release_return(lp, f.ret);
	if (!t->quiet && !lc->detaching && lc->sink.call_exit) {
		struct lcall_event ev;
		event_of(&f, t, lt->count, &ev);
		lc->sink.call_exit(lc->sink.mode, t, &ev, retval, returned);
	}
}

void lcall_thread_end(struct lcall_tracer *lc, struct tracee *t)
{
	struct lcall_thread *lt = t->ext;
	if (!lt)
		return;
	while (lt->count)
		pop_frame(lc, NULL, t, 0, false);
	free(lt->frames);
	free(lt);
	t->ext = NULL;
}

void lcall_call_entered(struct lcall_tracer *lc, struct lcall_process *lp,
			struct tracee *t, struct lcall_bp *bp,
			const struct lcall_regs *regs)
{
	const struct reg_layout *l = regs->layout;
	uint64_t sp = lcall_reg(regs, l->sp), ret = 0;
	if (l->lr != REG_NONE)
		ret = lcall_reg(regs, l->lr);
	else if (mem_read_word(t->tid, sp, 8, &ret) < 0)
		ret = 0;
	if (!caller_selected(lc, lp, ret))
		return;
	struct lcall_thread *lt = lcall_thread_of(t);
	if (!lt)
		return;
	if (lt->count == lt->cap) {
		unsigned cap = lt->cap ? lt->cap * 2 : 8;
		struct lcall_frame *grown = realloc(lt->frames, cap * sizeof *grown);
		if (!grown)
			return;
		lt->frames = grown;
		lt->cap = cap;
	}
	struct lcall_frame *f = &lt->frames[lt->count++];
	memset(f, 0, sizeof *f);
	f->entry_name = bp->name;
	f->module = bp->module;
	f->sp = sp;
	for (int i = 0; i < 6; i++)
		f->args[i] = lcall_reg(regs, l->args[i]);
	clock_gettime(CLOCK_MONOTONIC, &f->entry_time);
	if (ret) {
		const char *reason;
		struct lcall_bp *rb = lcall_bp_get(lp, t->tid, ret, &reason);
		if (rb && lcall_bp_insert(lp, rb) == 0) {
			rb->return_refs++;
			f->ret = ret;
		}
	}
	if (lc->sink.call_entry) {
		struct lcall_event ev;
		event_of(f, t, lt->count - 1, &ev);
		lc->sink.call_entry(lc->sink.mode, t, &ev);
	}
	lt->depth = lt->count;
	if (!f->ret)  /* no breakpoint on its return: it will not be seen */
		pop_frame(lc, lp, t, 0, false);
}

/* The frames that return at BP (the call, and the calls that tail-called
 * from it share its return) are popped, and frames left above the stack
 * pointer (longjmp) end unreturned. */
bool lcall_call_returned(struct lcall_tracer *lc, struct lcall_process *lp,
			 struct tracee *t, struct lcall_bp *bp,
			 const struct lcall_regs *regs)
{
	struct lcall_thread *lt = t->ext;
	if (!lt)
		return false;
	const struct reg_layout *l = regs->layout;
	/* Where the call's return address was (x86_64), or its SP. */
	uint64_t key = lcall_reg(regs, l->sp) - (l->lr != REG_NONE ? 0 : 8);
	bool returned = false;
	while (lt->count) {
		struct lcall_frame *f = &lt->frames[lt->count - 1];
		if (f->sp < key) {
			pop_frame(lc, lp, t, 0, false);
		} else if (f->sp == key && f->ret == bp->addr) {
			pop_frame(lc, lp, t, lcall_reg(regs, l->ret), true);
			returned = true;
		} else {
			break;
		}
	}
	return returned;
}
