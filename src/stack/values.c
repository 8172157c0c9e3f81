/* A frame's arguments and locals (ptrc/stack.h, stack_read_values): for
 * each group of frames sharing one pc (inlined calls, then the real
 * frame), the DIE chain that encloses the pc is cut at each function:
 * the innermost function's blocks and itself belong to frame 0 of the
 * group, the next to frame 1... Each variable's location for the pc is
 * run by dwarf_loc.c with that real frame's registers (frame_regs.c), its
 * bytes printed by value_format.c. */
#include <dwarf.h>
#include <stdlib.h>
#include <string.h>

#include "call_site.h"
#include "dwarf_loc.h"
#include "frame_regs.h"
#include "session.h"
#include "symbolize.h"
#include "value_format.h"

#define VALUES_MAX_PER_FRAME 64

struct stack_values {
	struct stack_thread *t;
	struct stack_frame_vars *frames;
	size_t nframes;
};

/* What a group of frames shares: where its pc is in the DWARF. */
struct group {
	struct stack_session *s;
	pid_t tid;
	bool locals;
	Dwarf_Addr bias;
	uint64_t dwarf_pc;           /* the lookup pc, module-relative */
	struct loc_ctx ctx;
	struct call_site_caller *caller;  /* for entry values, or NULL */
};

static char *take(struct strbuf *sb)
{
	char *text = sb->data ? sb->data : strdup("");
	*sb = (struct strbuf){0};
	return text;
}


/* The object of DIE into BYTES, what each byte is into KNOWN; status,
 * *ERR_ADDR for an error. */
static enum loc_status read_object(const struct group *g, Dwarf_Die *die,
		uint8_t *bytes, uint8_t *known, size_t size, uint64_t *err_addr)
{
	Dwarf_Attribute attr;
	memset(known, LOC_KNOWN, size);
	if (!dwarf_attr(die, DW_AT_location, &attr))
		return value_const_bytes(die, bytes, size) ? LOC_OK : LOC_OPTIMIZED_OUT;
	Dwarf_Op *ops;
	size_t nops;
	if (dwarf_getlocation_addr(&attr, g->dwarf_pc, &ops, &nops, 1) != 1)
		return LOC_OPTIMIZED_OUT;
	struct loc_ctx c = g->ctx;
	c.attr = &attr;
	return loc_read_pieces(&c, ops, nops, bytes, known, size, err_addr);
}

static bool all_known(const uint8_t *known, size_t size)
{
	for (size_t i = 0; i < size; i++)
		if (known[i] != LOC_KNOWN)
			return false;
	return true;
}

static void read_var(const struct group *g, Dwarf_Die *die,
		struct stack_var *v)
{
	struct strbuf sb = {0};
	Dwarf_Die type;
	bool typed = value_type_of(die, &type);
	if (typed)
		value_type_name(&sb, &type);
	v->type = take(&sb);
	size_t size = typed ? value_type_size(&type) : 0;
	if (size > LOC_MAX_OBJECT)
		size = LOC_MAX_OBJECT;  /* printed as far as it goes */
	uint8_t *bytes = size ? malloc(2 * size) : NULL;
	uint8_t *known = bytes ? bytes + size : NULL;
	uint64_t err_addr = 0;
	enum loc_status st = bytes ? read_object(g, die, bytes, known, size,
			&err_addr) : LOC_OPTIMIZED_OUT;
	if (st == LOC_OK && !value_format(&sb, g->tid, g->s, g->bias, &type,
			bytes, all_known(known, size) ? NULL : known, size)) {
		free(take(&sb));  /* a part past the pieces shows: see above */
		st = LOC_OPTIMIZED_OUT;
	}
	if (st == LOC_OK) {
		v->status = strcmp(sb.data, VALUE_UNSUPPORTED) == 0
			? STACK_VAR_UNSUPPORTED : STACK_VAR_OK;
	} else if (st == LOC_MEM_ERROR) {
		sb_printf(&sb, "<error: Cannot access memory at address 0x%llx>",
				(unsigned long long)err_addr);
		v->status = STACK_VAR_ERROR;
	} else {
		sb_puts(&sb, "<optimized out>");
		v->status = STACK_VAR_OPTIMIZED_OUT;
	}
	v->value = take(&sb);
	free(bytes);
}

static bool add_var(const struct group *g, struct stack_frame_vars *fv,
		size_t *cap, Dwarf_Die *die, bool param)
{
	Dwarf_Attribute attr;
	const char *name = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_name,
			&attr));
	bool decl = false;
	if (!name || (dwarf_formflag(dwarf_attr(die, DW_AT_declaration, &attr),
			&decl) == 0 && decl))
		return true;
	if (fv->nvars == VALUES_MAX_PER_FRAME) {
		fv->more++;
		return true;
	}
	if (fv->nvars == *cap) {
		size_t n = *cap ? *cap * 2 : 8;
		struct stack_var *vars = realloc(fv->vars, n * sizeof *vars);
		if (!vars)
			return false;
		fv->vars = vars;
		*cap = n;
	}
	struct stack_var *v = &fv->vars[fv->nvars++];
	*v = (struct stack_var){ .param = param,
		.name = stack_strpool_intern(&g->s->pool, name) };
	read_var(g, die, v);
	return v->type && v->value;
}

/* The children of SCOPE with tag TAG. */
static bool add_children(const struct group *g, struct stack_frame_vars *fv,
		size_t *cap, Dwarf_Die *scope, int tag)
{
	Dwarf_Die child;
	if (dwarf_child(scope, &child) != 0)
		return true;
	do {
		if (dwarf_tag(&child) == tag
				&& !add_var(g, fv, cap, &child,
					tag == DW_TAG_formal_parameter))
			return false;
	} while (dwarf_siblingof(&child, &child) == 0);
	return true;
}

static bool is_function(Dwarf_Die *die)
{
	int tag = dwarf_tag(die);
	return tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine
		|| tag == DW_TAG_entry_point;
}

/* One frame: CHAIN[FROM..TO], TO its function. */
static bool frame_vars(const struct group *g, Dwarf_Die *chain, int from,
		int to, struct stack_frame_vars *fv)
{
	size_t cap = 0;
	if (!add_children(g, fv, &cap, &chain[to], DW_TAG_formal_parameter))
		return false;
	for (int k = from; g->locals && k <= to; k++)
		if (!add_children(g, fv, &cap, &chain[k], DW_TAG_variable))
			return false;
	return true;
}

/* The frame base of FUNCTION (a subprogram) at the group's pc. */
static void frame_base(struct group *g, Dwarf_Die *function)
{
	Dwarf_Attribute attr;
	Dwarf_Op *ops;
	size_t nops;
	if (dwarf_attr(function, DW_AT_frame_base, &attr)
			&& dwarf_getlocation_addr(&attr, g->dwarf_pc, &ops, &nops,
				1) == 1
			&& loc_eval_value(&g->ctx, ops, nops, &g->ctx.frame_base)
				== LOC_OK)
		g->ctx.has_frame_base = true;
}

/* Values of the frames OUT[0..N) (innermost first), which share LOOKUP:
 * 1 when read, 0 without DWARF for them, -1 out of memory. */
static int group_vars(struct group *g, uint64_t lookup,
		struct stack_frame_vars *out, size_t n)
{
	Dwfl_Module *mod = dwfl_addrmodule(g->s->dwfl, lookup);
	Dwarf_Die cu, *scopes = NULL, *chain = NULL;
	if (!mod || !stack_debug_unit_of(mod, lookup, &cu, &g->bias))
		return 0;  /* no DWARF: no values */
	g->dwarf_pc = lookup - g->bias;
	g->ctx.bias = g->bias;
	g->ctx.unit = &cu;  /* only used within this call */
	int nscopes = dwarf_getscopes(&cu, g->dwarf_pc, &scopes);
	int nchain = nscopes > 0 ? dwarf_getscopes_die(&scopes[0], &chain) : 0;
	free(scopes);
	int nfunc = 0;
	for (int k = 0; k < nchain; k++) {
		nfunc += is_function(&chain[k]);
		if (dwarf_tag(&chain[k]) == DW_TAG_subprogram) {
			frame_base(g, &chain[k]);
			if (g->caller) {
				g->caller->callee = chain[k];
				g->caller->has_callee = true;
			}
			break;
		}
	}
	bool ok = true;
	int read = nfunc == (int)n;  /* else the DWARF and the frames differ */
	if (read) {
		size_t f = 0;
		for (int k = 0, from = 0; k < nchain && f < n && ok; k++) {
			if (!is_function(&chain[k]))
				continue;
			ok = frame_vars(g, chain, from, k, &out[f++]);
			from = k + 1;
		}
	}
	free(chain);
	return ok ? read : -1;
}

struct stack_values *stack_read_values(struct stack_session *s,
		struct stack_thread *t, const void *regs, size_t regs_size,
		size_t max_frames, bool locals)
{
	uint64_t set[REGS_MAX_SIZE / 8];
	const struct reg_layout *l = NULL;
	if (regs && regs_size <= sizeof set) {
		memcpy(set, regs, regs_size);
		l = reg_layout_by_size(regs_size);
	} else if (!regs) {
		l = frame_regs_read_set(t->tid, set);
	}
	struct stack_values *v = calloc(1, sizeof *v);
	size_t n = t->nframes < max_frames ? t->nframes : max_frames;
	if (!v || !(v->frames = calloc(n ? n : 1, sizeof *v->frames))) {
		free(v);
		return NULL;
	}
	v->t = t;
	v->nframes = n;
	if (!l)
		return v;
	struct frame_regs cur, next;
	frame_regs_from_set(&cur, l, set);
	frame_regs_read_vec(&cur, l, t->tid);
	for (size_t i = 0; i < n; ) {
		size_t end = call_site_group_end(t, i, n);
		const struct stack_frame *real = &t->frames[end];
		uint64_t lookup = real->activation || !real->pc ? real->pc
			: real->pc - 1;
		if (cur.pc != real->pc)
			/* lost the chain */
			cur.known = 0, cur.cfa_known = false, cur.vec_known = 0;
		bool stepped = frame_regs_step(s, t->tid, l, &cur, lookup, &next);
		struct call_site_caller caller;
		call_site_caller_init(&caller, s, t, end, l,
				stepped ? &next : NULL);
		struct group g = { .s = s, .tid = t->tid, .locals = locals,
			.ctx = { .tid = t->tid, .addr_size = l->regs[l->pc].size,
				 .regs = &cur, .entry_value = call_site_entry_value,
				 .entry_arg = &caller }, .caller = &caller };
		int rc = group_vars(&g, lookup, &v->frames[i], end + 1 - i);
		call_site_caller_free(&caller);
		if (rc < 0) {
			stack_values_free(v);
			return NULL;
		}
		for (size_t k = i; rc > 0 && k <= end; k++)
			t->frames[k].vars = &v->frames[k];
		cur = next;
		if (!stepped)
			cur.pc = 0;
		i = end + 1;
	}
	return v;
}

void stack_values_free(struct stack_values *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->nframes; i++) {
		if (i < v->t->nframes)
			v->t->frames[i].vars = NULL;
		for (size_t k = 0; k < v->frames[i].nvars; k++) {
			free(v->frames[i].vars[k].type);
			free(v->frames[i].vars[k].value);
		}
		free(v->frames[i].vars);
	}
	free(v->frames);
	free(v);
}
