/* A pc -> frames: the real frame, preceded by one virtual frame per inlined
 * call the pc sits in. The same for both backends, cached per session.
 *
 * For a pc inside two levels of inlining the DIE chain (innermost first) is
 *   inlined_subroutine A, inlined_subroutine B, subprogram F.
 * A's frame takes its position from the line table; B's from A's
 * DW_AT_call_file/line/column (where A was inlined); F's from B's call
 * site. Only F is a real frame: it keeps the ELF symbol and its offset. */
#include <dwarf.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"
#include "symbolize.h"

/* The name a person knows the function by: the linkage name demangled
 * (C++), else DW_AT_name; abstract origins followed. */
static const char *die_function_name(struct strpool *pool, Dwarf_Die *die)
{
	Dwarf_Attribute attr;
	const char *name = dwarf_formstring(dwarf_attr_integrate(die,
			DW_AT_linkage_name, &attr));
	if (!name)
		name = dwarf_formstring(dwarf_attr_integrate(die,
				DW_AT_MIPS_linkage_name, &attr));
	if (!name)
		name = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_name, &attr));
	return name ? stack_demangle(pool, name) : NULL;
}

struct position {
	const char *file;
	int line, column;
};

/* Where the inlined call DIE was made, from its DW_AT_call_* attributes. */
static struct position call_site(struct strpool *pool, Dwarf_Die *die)
{
	struct position pos = {0};
	Dwarf_Attribute attr;
	Dwarf_Word value;
	Dwarf_Die cu;
	Dwarf_Files *files;
	size_t nfiles;
	if (dwarf_formudata(dwarf_attr(die, DW_AT_call_file, &attr), &value) == 0
			&& dwarf_diecu(die, &cu, NULL, NULL)
			&& dwarf_getsrcfiles(&cu, &files, &nfiles) == 0
			&& value < nfiles)
		pos.file = stack_strpool_intern(pool, dwarf_filesrc(files, value, NULL,
				NULL));
	if (dwarf_formudata(dwarf_attr(die, DW_AT_call_line, &attr), &value) == 0
			&& value <= INT32_MAX)
		pos.line = (int)value;
	if (dwarf_formudata(dwarf_attr(die, DW_AT_call_column, &attr), &value) == 0
			&& value <= INT32_MAX)
		pos.column = (int)value;
	return pos;
}

/* The compilation unit of ADDR into *CU, with the module's DWARF bias.
 * libdwfl (0.188) finds it through .debug_aranges alone, which clang does
 * not emit unless asked (-gdwarf-aranges): for a module without that
 * section, walk the units and ask each whether it covers the address. */
bool stack_unit_of(Dwfl_Module *mod, Dwarf_Addr addr, Dwarf_Die *cu,
		Dwarf_Addr *bias)
{
	Dwarf_Die *found = dwfl_module_addrdie(mod, addr, bias);
	if (found) {
		*cu = *found;
		return true;
	}
	Dwarf *dw = dwfl_module_getdwarf(mod, bias);
	if (!dw)
		return false;
	Dwarf_Aranges *aranges;
	size_t naranges;
	if (dwarf_getaranges(dw, &aranges, &naranges) == 0 && naranges > 0)
		return false;  /* the ranges are known: ADDR is in no unit */
	Dwarf_CU *unit = NULL;
	Dwarf_Half version;
	uint8_t unit_type;
	Dwarf_Die die;
	while (dwarf_get_units(dw, unit, &unit, &version, &unit_type, &die,
			NULL) == 0) {
		if (dwarf_haspc(&die, addr - *bias) == 1) {
			*cu = die;
			return true;
		}
	}
	return false;
}

bool stack_debug_unit_of(Dwfl_Module *mod, Dwarf_Addr addr, Dwarf_Die *cu,
		Dwarf_Addr *bias)
{
	if (!stack_unit_of(mod, addr, cu, bias))
		return false;
	uint8_t unit_type;
	Dwarf_Die split;
	if (dwarf_cu_info(cu->cu, NULL, &unit_type, NULL, &split, NULL, NULL,
			NULL) == 0 && unit_type == DW_UT_skeleton) {
		if (!dwarf_tag(&split) || split.addr == NULL)
			return false;  /* no .dwo found: no variables */
		*cu = split;
	}
	return true;
}

static struct position line_table_position(struct strpool *pool,
		Dwfl_Module *mod, Dwarf_Addr addr)
{
	struct position pos = {0};
	Dwfl_Line *line = dwfl_module_getsrc(mod, addr);
	if (line) {
		const char *file = dwfl_lineinfo(line, NULL, &pos.line, &pos.column,
				NULL, NULL);
		pos.file = stack_strpool_intern(pool, file);
		return pos;
	}
	Dwarf_Die cu;
	Dwarf_Addr bias;
	Dwarf_Line *unit_line;
	if (stack_unit_of(mod, addr, &cu, &bias) &&
			(unit_line = dwarf_getsrc_die(&cu, addr - bias))) {
		pos.file = stack_strpool_intern(pool, dwarf_linesrc(unit_line, NULL,
				NULL));
		dwarf_lineno(unit_line, &pos.line);
		dwarf_linecol(unit_line, &pos.column);
	}
	return pos;
}

struct frame_list {
	struct stack_frame *frames;
	uint32_t count, cap;
};

static bool list_push(struct frame_list *l, const struct stack_frame *f)
{
	if (l->count == l->cap) {
		uint32_t cap = l->cap ? l->cap * 2 : 4;
		struct stack_frame *frames = realloc(l->frames, cap * sizeof *frames);
		if (!frames)
			return false;
		l->frames = frames;
		l->cap = cap;
	}
	l->frames[l->count++] = *f;
	return true;
}

/* Pushes the inlined frames of ADDR (module-relative DWARF address) and
 * returns the position and DWARF name that belong to the real frame. */
static bool push_inlined(struct stack_session *s, Dwfl_Module *mod,
		Dwarf_Addr addr, const struct stack_frame *base,
		struct frame_list *l, struct position *pos, const char **real_name)
{
	Dwarf_Addr bias;
	Dwarf_Die cudie;
	if (!stack_debug_unit_of(mod, addr, &cudie, &bias))
		return true;
	Dwarf_Die *scopes = NULL;
	int nscopes = dwarf_getscopes(&cudie, addr - bias, &scopes);
	if (nscopes <= 0) {
		free(scopes);
		return true;
	}
	/* dwarf_getscopes may append an inlined function's abstract scopes;
	 * the parent chain of the innermost scope is only what encloses the
	 * pc in the code. */
	Dwarf_Die *chain = NULL;
	int nchain = dwarf_getscopes_die(&scopes[0], &chain);
	free(scopes);
	bool ok = true;
	for (int i = 0; i < nchain && ok; i++) {
		int tag = dwarf_tag(&chain[i]);
		if (tag == DW_TAG_subprogram || tag == DW_TAG_entry_point) {
			*real_name = die_function_name(&s->pool, &chain[i]);
			break;
		}
		if (tag != DW_TAG_inlined_subroutine)
			continue;
		struct stack_frame f = *base;
		f.inlined = true;
		f.function = die_function_name(&s->pool, &chain[i]);
		f.function_offset = 0;
		f.file = pos->file;
		f.line = pos->line;
		f.column = pos->column;
		ok = list_push(l, &f);
		*pos = call_site(&s->pool, &chain[i]);
	}
	free(chain);
	return ok;
}

const struct pc_entry *stack_symbolize_pc(struct stack_session *s, uint64_t pc,
		bool activation)
{
	/* Bit 63 keeps the key from 0 (empty slot); user-space pcs never
	 * reach bit 62. */
	uint64_t key = pc << 1 | activation | 1ull << 63;
	const struct pc_entry *cached = stack_pc_cache_find(&s->cache, key);
	if (cached)
		return cached;

	/* A return address may be the first byte after the function (a call
	 * to a noreturn function): look up the call instruction instead. */
	Dwarf_Addr addr = activation || pc == 0 ? pc : pc - 1;
	struct stack_frame real = { .pc = pc, .activation = activation };
	struct frame_list list = {0};
	bool ok = true;

	Dwfl_Module *mod = dwfl_addrmodule(s->dwfl, addr);
	if (mod) {
		Dwarf_Addr start = 0, bias = 0;
		const char *modname = dwfl_module_info(mod, NULL, &start, NULL,
				NULL, NULL, NULL, NULL);
		real.module = stack_strpool_intern(&s->pool,
				stack_session_module_path(s, modname, start));
		if (!dwfl_module_getelf(mod, &bias))
			bias = start;
		real.module_offset = pc - bias;

		GElf_Off offset = 0;
		GElf_Sym sym;
		const char *symname = dwfl_module_addrinfo(mod, addr, &offset, &sym,
				NULL, NULL, NULL);
		struct position pos = line_table_position(&s->pool, mod, addr);
		const char *dwarf_name = NULL;
		ok = push_inlined(s, mod, addr, &real, &list, &pos, &dwarf_name);
		if (symname) {
			/* "memcpy@@GLIBC_2.14": the version is noise here. */
			const char *at = strchr(symname, '@');
			if (at && at > symname)
				symname = stack_strpool_intern_len(&s->pool, symname,
						(size_t)(at - symname));
			real.function = symname
				? stack_demangle(&s->pool, symname) : NULL;
			real.function_offset = offset;
		} else {
			real.function = dwarf_name;
		}
		real.file = pos.file;
		real.line = pos.line;
		real.column = pos.column;
	}
	if (!ok || !list_push(&list, &real)) {
		free(list.frames);
		return NULL;
	}
	return stack_pc_cache_add(&s->cache, key, list.frames, list.count);
}
