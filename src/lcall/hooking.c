/* What the tracer hooks in a process: the functions -l selects in each
 * module mapped (and the dynamic linker's r_brk, to see modules come and
 * go), by one breakpoint each. */
#include "tracer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void lcall_warn_unmatched(struct lcall_tracer *lc)
{
	/* With "!" patterns, a pattern whose every function was left out
	 * is not seen matching (only hooked functions are): no warning then,
	 * rather than a wrong one. */
	bool excluding = false;
	for (size_t i = 0; i < lc->patterns.count; i++)
		excluding |= lc->patterns.items[i].exclude;
	for (size_t i = 0; i < lc->patterns.count; i++) {
		if (lc->pattern_matched[i] || lc->pattern_warned[i] || excluding)
			continue;
		lcall_note_unmatched(&lc->patterns.items[i]);
		lc->pattern_warned[i] = true;
	}
}

struct hook_ctx {
	struct lcall_tracer *lc;
	struct lcall_process *lp;
	struct tracee *t;
	const char *module_name;
	unsigned hooked;
};

/* Which patterns selected NAME of M: they are not "matching nothing". */
static void note_matches(struct lcall_tracer *lc, const struct lcall_module *m,
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
	note_matches(ctx->lc, m, name);
	const char *reason = NULL;
	struct lcall_bp *bp = NULL;
	if (is_ifunc) {
		if (!ctx->lp->ifunc_noted)
			lcall_note_ifunc(name, m->name);
		ctx->lp->ifunc_noted = true;
	} else if (!(bp = lcall_bp_get(ctx->lp, ctx->t->tid, addr, &reason)) &&
		   ctx->lp->skipped++ < 5) {
		lcall_note_skipped(name, m->name, reason, ctx->lp->skipped);
	}
	if (!bp)
		return;
	if (!bp->name) {
		bp->name = strdup(name);
		bp->module = ctx->module_name;
	}
	if (lcall_bp_insert(ctx->lp, bp) < 0) {
		engine_warn("cannot write a breakpoint into process %d: %s",
			    ctx->lp->tgid, strerror(errno));
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

static struct lcall_hooked *hooked_find(struct lcall_process *lp,
				     const struct lcall_module *m)
{
	for (size_t i = 0; i < lp->nhooked; i++)
		if (lp->hooked[i].dev == m->dev && lp->hooked[i].ino == m->ino &&
		    lp->hooked[i].start == m->start)
			return &lp->hooked[i];
	return NULL;
}

struct lcall_hooked *lcall_hooked_add(struct lcall_process *lp,
				    const struct lcall_module *m)
{
	struct lcall_hooked *grown = realloc(lp->hooked,
					  (lp->nhooked + 1) * sizeof *grown);
	if (!grown)
		return NULL;
	lp->hooked = grown;
	struct lcall_hooked *h = &lp->hooked[lp->nhooked];
	*h = (struct lcall_hooked){ m->dev, m->ino, m->start, m->end,
				 strdup(m->path), NULL };
	if (!h->path)
		return NULL;
	h->name = strrchr(h->path, '/') ? strrchr(h->path, '/') + 1 : h->path;
	lp->nhooked++;
	return h;
}

/* Modules unmapped since (dlclose): their breakpoints are forgotten
 * without writing (the memory is gone, or another file's now). */
static void forget_unmapped(struct lcall_process *lp, struct lcall_module *mods,
			    size_t nmods)
{
	for (size_t i = 0; i < lp->nhooked;) {
		struct lcall_hooked *h = &lp->hooked[i];
		bool mapped = h->start == h->end;  /* already forgotten */
		for (size_t j = 0; j < nmods && !mapped; j++)
			mapped = mods[j].dev == h->dev && mods[j].ino == h->ino &&
				 mods[j].start == h->start;
		if (mapped) {
			i++;
			continue;
		}
		for (unsigned b = 0; b < lp->nbuckets; b++) {
			struct lcall_bp *bp = lp->buckets[b], *next;
			for (; bp; bp = next) {
				next = bp->next;
				if (bp->addr >= h->start && bp->addr < h->end) {
					bp->inserted = false;
					lcall_bp_bury(lp, bp);
				}
			}
		}
		h->dev = 0;
		h->ino = 0;
		h->start = h->end = 0;
		i++;
	}
}

void lcall_rescan(struct lcall_tracer *lc, struct lcall_process *lp,
		  struct tracee *t)
{
	struct lcall_module *mods = NULL;
	size_t nmods = 0;
	if (lcall_modules_read(lp->tgid, &mods, &nmods) < 0)
		return;
	forget_unmapped(lp, mods, nmods);
	for (size_t i = 0; i < nmods; i++) {
		struct lcall_module *m = &mods[i];
		if (hooked_find(lp, m))
			continue;
		struct lcall_hooked *h = lcall_hooked_add(lp, m);
		if (!h)
			break;
		if (is_dynamic_linker(m->name)) {
			/* dlopen and the libraries loaded at start-up: the
			 * linker calls _dl_debug_state (r_debug.r_brk) when
			 * its list of objects changes. */
			uint64_t r_brk = lcall_module_symbol(lp->tgid, m,
							     "_dl_debug_state");
			const char *reason;
			struct lcall_bp *bp = r_brk ?
				lcall_bp_get(lp, t->tid, r_brk, &reason) : NULL;
			if (bp && lcall_bp_insert(lp, bp) == 0)
				bp->rendezvous = true;
			if (!module_named(&lc->patterns, m->path))
				continue;
		}
		struct hook_ctx ctx = { lc, lp, t, h->name, 0 };
		lcall_module_functions(lp->tgid, m, &lc->patterns, hook_function,
				       &ctx);
		lp->nfunctions += ctx.hooked;
	}
	lcall_modules_free(mods, nmods);
}
