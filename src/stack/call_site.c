/* Entry values through the caller's call site (see call_site.h). The call
 * site must name the callee (DW_AT_call_origin): through a tail call or a
 * pointer the caller may have called something else, and then nothing is
 * known, as in gdb. */
#include "call_site.h"

#include <dwarf.h>
#include <elfutils/libdwfl.h>
#include <stdlib.h>

#include "ptrc/stack.h"

#include "dwarf_loc.h"
#include "session.h"
#include "symbolize.h"

/* The register an expression of one DW_OP_regN, regx or regval_type
 * (an entry value's block) names, or -1. */
static int single_register(const Dwarf_Op *ops, size_t nops)
{
	if (nops != 1)
		return -1;
	uint8_t a = ops[0].atom;
	if (a >= DW_OP_reg0 && a <= DW_OP_reg31)
		return a - DW_OP_reg0;
	if ((a == DW_OP_regx || a == DW_OP_regval_type
			|| a == DW_OP_GNU_regval_type) && ops[0].number < 256)
		return (int)ops[0].number;
	return -1;
}

size_t call_site_group_end(const struct stack_thread *t, size_t i, size_t n)
{
	while (i + 1 < n && t->frames[i].inlined)
		i++;
	return i;
}

void call_site_caller_init(struct call_site_caller *c, struct stack_session *s,
		const struct stack_thread *t, size_t end,
		const struct reg_layout *l, const struct frame_regs *next)
{
	*c = (struct call_site_caller){ .s = s, .tid = t->tid,
		.addr_size = l->regs[l->pc].size, .t = t, .l = l, .depth = 1 };
	size_t up = end + 1;
	if (!next || up >= t->nframes)
		return;
	up = call_site_group_end(t, up, t->nframes);
	const struct stack_frame *f = &t->frames[up];
	if (f->activation || next->pc != f->pc || !f->pc)
		return;  /* a signal frame, or not the caller CFI found */
	c->regs = *next;
	/* One more step: the caller's CFA (DW_OP_call_frame_cfa), and the
	 * registers of its own caller, for an entry value one level up. */
	c->above_ok = frame_regs_step(s, t->tid, l, &c->regs, f->pc - 1,
			&c->above);
	c->return_pc = f->pc;
	c->frame = up;
	c->valid = true;
}

void call_site_caller_free(struct call_site_caller *c)
{
	struct call_site_caller *up = c ? c->up : NULL;
	while (up) {
		struct call_site_caller *next = up->up;
		free(up);
		up = next;
	}
	if (c)
		c->up = NULL;
}

/* The caller of C's caller, whose function is FUNCTION, made once; NULL
 * past CALL_SITE_MAX_DEPTH or when not known. */
static struct call_site_caller *caller_above(struct call_site_caller *c,
		Dwarf_Die *function)
{
	if (!c->up_tried && c->depth < CALL_SITE_MAX_DEPTH && c->above_ok
			&& function->addr) {
		c->up = malloc(sizeof *c->up);
		if (c->up) {
			call_site_caller_init(c->up, c->s, c->t, c->frame, c->l,
					&c->above);
			c->up->depth = c->depth + 1;
			c->up->callee = *function;
			c->up->has_callee = true;
		}
	}
	c->up_tried = true;
	return c->up && c->up->valid ? c->up : NULL;
}

static Dwarf_Off origin_offset(Dwarf_Die *die)
{
	Dwarf_Attribute attr;
	Dwarf_Die target;
	if (dwarf_formref_die(dwarf_attr(die, DW_AT_abstract_origin, &attr),
			&target) || dwarf_formref_die(dwarf_attr(die,
			DW_AT_specification, &attr), &target))
		return dwarf_dieoffset(&target);
	return dwarf_dieoffset(die);
}

/* Whether call site SITE, returning to RET (module-relative), calls
 * CALLEE. */
static bool site_matches(Dwarf_Die *site, Dwarf_Addr ret, Dwarf_Die *callee)
{
	Dwarf_Attribute attr;
	Dwarf_Addr pc;
	if (dwarf_formaddr(dwarf_attr(site, DW_AT_call_return_pc, &attr), &pc) != 0
			&& dwarf_formaddr(dwarf_attr(site, DW_AT_low_pc, &attr),
				&pc) != 0)
		return false;
	if (pc != ret)
		return false;
	Dwarf_Die origin;
	if (!dwarf_formref_die(dwarf_attr(site, DW_AT_call_origin, &attr), &origin)
			&& !dwarf_formref_die(dwarf_attr(site, DW_AT_abstract_origin,
				&attr), &origin))
		return false;
	return origin_offset(&origin) == origin_offset(callee);
}

/* The call site DIE of the caller whose return address is RET, among the
 * children of the scopes enclosing it. */
static bool find_site(Dwarf_Die *cu, Dwarf_Addr ret, Dwarf_Die *callee,
		Dwarf_Die *site, Dwarf_Die *function)
{
	Dwarf_Die *scopes = NULL;
	int n = dwarf_getscopes(cu, ret - 1, &scopes);
	bool found = false;
	for (int i = 0; i < n && !found; i++) {
		Dwarf_Die child;
		if (dwarf_child(&scopes[i], &child) == 0) {
			do {
				int tag = dwarf_tag(&child);
				if ((tag == DW_TAG_call_site
						|| tag == DW_TAG_GNU_call_site)
						&& site_matches(&child, ret, callee)) {
					*site = child;
					found = true;
				}
			} while (!found && dwarf_siblingof(&child, &child) == 0);
		}
		if (dwarf_tag(&scopes[i]) == DW_TAG_subprogram)
			break;
	}
	for (int i = 0; i < n; i++)
		if (dwarf_tag(&scopes[i]) == DW_TAG_subprogram) {
			*function = scopes[i];
			break;
		}
	free(scopes);
	return found;
}

/* DW_AT_call_value of the parameter of SITE passed in register REGNO. */
/* The caller's frame base (DW_AT_frame_base of FUNCTION at its pc). */
static void caller_frame_base(struct loc_ctx *ctx, Dwarf_Die *function,
		Dwarf_Addr pc)
{
	Dwarf_Attribute attr;
	Dwarf_Op *ops;
	size_t nops;
	if (dwarf_attr(function, DW_AT_frame_base, &attr)
			&& dwarf_getlocation_addr(&attr, pc, &ops, &nops, 1) == 1
			&& loc_eval_value(ctx, ops, nops, &ctx->frame_base) == LOC_OK)
		ctx->has_frame_base = true;
}

static bool parameter_value(Dwarf_Die *site, int regno, struct loc_ctx *ctx,
		uint64_t *out)
{
	Dwarf_Die child;
	if (dwarf_child(site, &child) != 0)
		return false;
	do {
		int tag = dwarf_tag(&child);
		Dwarf_Attribute loc, val;
		Dwarf_Op *ops;
		size_t nops;
		if ((tag != DW_TAG_call_site_parameter
				&& tag != DW_TAG_GNU_call_site_parameter)
				|| !dwarf_attr(&child, DW_AT_location, &loc)
				|| dwarf_getlocation(&loc, &ops, &nops) != 0
				|| single_register(ops, nops) != regno)
			continue;
		if (!dwarf_attr(&child, DW_AT_call_value, &val)
				&& !dwarf_attr(&child, DW_AT_GNU_call_site_value, &val))
			return false;
		if (dwarf_getlocation(&val, &ops, &nops) != 0)
			return false;
		ctx->attr = &val;
		return loc_eval_value(ctx, ops, nops, out) == LOC_OK;
	} while (dwarf_siblingof(&child, &child) == 0);
	return false;
}

bool call_site_entry_value(void *caller, const Dwarf_Op *inner, size_t ninner,
		uint64_t *out)
{
	struct call_site_caller *c = caller;
	int regno = single_register(inner, ninner);
	if (!c || !c->valid || !c->has_callee || regno < 0 || !c->return_pc)
		return false;
	Dwarf_Addr lookup = c->return_pc - 1;
	Dwfl_Module *mod = dwfl_addrmodule(c->s->dwfl, lookup);
	Dwarf_Die cu, site, function = {0};
	Dwarf_Addr bias;
	if (!mod || !stack_debug_unit_of(mod, lookup, &cu, &bias)
			|| !find_site(&cu, c->return_pc - bias, &c->callee, &site,
				&function))
		return false;
	/* The caller's frame, whose own entry values come from its caller's
	 * call site, up to CALL_SITE_MAX_DEPTH. */
	struct call_site_caller *above = caller_above(c, &function);
	struct loc_ctx ctx = { .tid = c->tid, .addr_size = c->addr_size,
		.regs = &c->regs, .bias = bias, .unit = &cu,
		.entry_value = above ? call_site_entry_value : NULL,
		.entry_arg = above };
	if (function.addr)
		caller_frame_base(&ctx, &function, lookup - bias);
	return parameter_value(&site, regno, &ctx, out);
}
