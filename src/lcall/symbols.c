/* The function symbols of a module that -l patterns select (aliases at
 * one address reported once, by their best name), and the address of one
 * symbol by name. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ptrc/lcall.h"
#include "elf_file.h"

/* A function symbol seen by lcall_module_functions. */
struct func_sym {
	uint64_t addr;
	const char *name;  /* LEN bytes, not terminated at LEN */
	size_t len;
	bool ifunc;
	bool selected;
};

struct func_walk {
	const struct lcall_module *m;
	const struct lcall_patterns *patterns;
	struct func_sym *syms;
	size_t count, cap;
	char *scratch;  /* a terminated copy of a versioned name */
	size_t scratch_cap;
	bool failed;
};

/* NAME's first LEN bytes, terminated: NAME itself when it ends there. */
static const char *terminated(struct func_walk *w, const char *name,
			      size_t len)
{
	if (name[len] == '\0')
		return name;
	if (len + 1 > w->scratch_cap) {
		char *s = realloc(w->scratch, len + 1);
		if (!s)
			return NULL;
		w->scratch = s;
		w->scratch_cap = len + 1;
	}
	memcpy(w->scratch, name, len);
	w->scratch[len] = '\0';
	return w->scratch;
}

static void on_func_sym(void *ctx, const GElf_Sym *sym, const char *name,
			size_t len, bool hidden)
{
	(void)hidden;
	struct func_walk *w = ctx;
	int type = GELF_ST_TYPE(sym->st_info);
	if (w->failed || (type != STT_FUNC && type != STT_GNU_IFUNC) ||
	    sym->st_value == 0 || sym->st_shndx == SHN_ABS)
		return;
	/* A function outside the module's mappings is garbage. */
	uint64_t addr = sym->st_value + w->m->bias;
	if (addr < w->m->start || addr >= w->m->end)
		return;
	const char *plain = terminated(w, name, len);
	if (!plain) {
		w->failed = true;
		return;
	}
	if (w->count == w->cap) {
		size_t ncap = w->cap ? w->cap * 2 : 256;
		struct func_sym *ns = realloc(w->syms, ncap * sizeof *ns);
		if (!ns) {
			w->failed = true;
			return;
		}
		w->syms = ns;
		w->cap = ncap;
	}
	w->syms[w->count++] = (struct func_sym){
		.addr = addr,
		.name = name,
		.len = len,
		.ifunc = type == STT_GNU_IFUNC,
		.selected = lcall_patterns_match(w->patterns, w->m->path, plain),
	};
}

static int func_sym_order(const void *a, const void *b)
{
	const struct func_sym *x = a, *y = b;
	return (x->addr > y->addr) - (x->addr < y->addr);
}

/* Of two aliases, is A the better name: no leading underscore, then
 * shorter, then alphabetical (so the choice does not depend on order)? */
static bool better_name(const struct func_sym *a, const struct func_sym *b)
{
	bool ua = a->name[0] == '_', ub = b->name[0] == '_';
	if (ua != ub)
		return !ua;
	if (a->len != b->len)
		return a->len < b->len;
	return memcmp(a->name, b->name, a->len) < 0;
}

int lcall_module_functions(pid_t pid, const struct lcall_module *m,
			   const struct lcall_patterns *patterns,
			   lcall_func_cb cb, void *ctx)
{
	struct lcall_elf ef;
	if (lcall_elf_open(pid, m->path, m->map_start, m->map_end, &ef) != 0)
		return -1;
	struct func_walk w = { .m = m, .patterns = patterns };
	int rc = lcall_elf_walk_symbols(&ef, on_func_sym, &w);
	if (rc == 0 && w.failed) {
		errno = ENOMEM;
		rc = -1;
	}
	if (rc == 0) {
		if (w.count > 1)
			qsort(w.syms, w.count, sizeof *w.syms, func_sym_order);
		for (size_t i = 0; i < w.count;) {
			/* The aliases at one address: [i, j). */
			size_t j = i;
			const struct func_sym *best = NULL;
			bool ifunc = false;  /* the address is a resolver */
			for (; j < w.count && w.syms[j].addr == w.syms[i].addr; j++) {
				ifunc |= w.syms[j].ifunc;
				if (w.syms[j].selected &&
				    (!best || better_name(&w.syms[j], best)))
					best = &w.syms[j];
			}
			i = j;
			if (!best)
				continue;
			const char *name = terminated(&w, best->name, best->len);
			if (!name) {
				errno = ENOMEM;
				rc = -1;
				break;
			}
			cb(ctx, m, name, best->addr, ifunc);
			rc++;
		}
	}
	free(w.syms);
	free(w.scratch);
	lcall_elf_close(&ef);
	return rc;
}

struct symbol_find {
	const char *name;
	size_t len;
	uint64_t value;
	bool found, found_default;
};

static void on_symbol(void *ctx, const GElf_Sym *sym, const char *name,
		      size_t len, bool hidden)
{
	struct symbol_find *f = ctx;
	int type = GELF_ST_TYPE(sym->st_info);
	/* Not addresses: absolute values and thread-local offsets. */
	if (len != f->len || memcmp(name, f->name, len) != 0 ||
	    sym->st_value == 0 || sym->st_shndx == SHN_ABS || type == STT_TLS)
		return;
	/* The default version wins, as for the dynamic linker. */
	if (f->found_default || (f->found && hidden))
		return;
	f->value = sym->st_value;
	f->found = true;
	f->found_default = !hidden;
}

uint64_t lcall_module_symbol(pid_t pid, const struct lcall_module *m,
			     const char *name)
{
	struct lcall_elf ef;
	if (lcall_elf_open(pid, m->path, m->map_start, m->map_end, &ef) != 0)
		return 0;
	struct symbol_find f = { .name = name, .len = strlen(name) };
	int rc = lcall_elf_walk_symbols(&ef, on_symbol, &f);
	lcall_elf_close(&ef);
	if (rc != 0 || !f.found)
		return 0;
	return f.value + m->bias;
}
