/* Entry values through the caller's call site (see call_site.h). The call
 * site must name the callee (DW_AT_call_origin): through a tail call or a
 * pointer the caller may have called something else, and then nothing is
 * known, as in gdb. */
#include "call_site.h"

#include <dwarf.h>
#include <elfutils/libdwfl.h>
#include <stdlib.h>

#include "dwarf_loc.h"
#include "session.h"
#include "symbolize.h"

/* The register an expression of one DW_OP_regN / regx names, or -1. */
static int single_register(const Dwarf_Op *ops, size_t nops)
{
	if (nops != 1)
		return -1;
	if (ops[0].atom >= DW_OP_reg0 && ops[0].atom <= DW_OP_reg31)
		return ops[0].atom - DW_OP_reg0;
	if (ops[0].atom == DW_OP_regx && ops[0].number < FRAME_REGS_MAX)
		return (int)ops[0].number;
	return -1;
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
	if (!mod || !stack_unit_of(mod, lookup, &cu, &bias)
			|| !find_site(&cu, c->return_pc - bias, &c->callee, &site,
				&function))
		return false;
	/* The caller's frame, without entry values of its own: what needs
	 * them stays unknown. */
	struct loc_ctx ctx = { .tid = c->tid, .addr_size = c->addr_size,
		.regs = &c->regs, .bias = bias };
	if (function.addr)
		caller_frame_base(&ctx, &function, lookup - bias);
	return parameter_value(&site, regno, &ctx, out);
}
