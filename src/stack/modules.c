/* The modules of a session, with build-ids, for crash reports. */
#include <stdlib.h>
#include <string.h>

#include "session.h"

struct module_list {
	struct stack_session *s;
	struct stack_module *items;
	size_t count, cap;
	bool oom;
};

static const char *build_id_hex(struct strpool *pool, Dwfl_Module *mod)
{
	const unsigned char *bits;
	GElf_Addr vaddr;
	int len = dwfl_module_build_id(mod, &bits, &vaddr);
	if (len <= 0 || len > 64)
		return NULL;
	char hex[129];
	for (int i = 0; i < len; i++) {
		static const char digits[] = "0123456789abcdef";
		hex[2 * i] = digits[bits[i] >> 4];
		hex[2 * i + 1] = digits[bits[i] & 15];
	}
	return stack_strpool_intern_len(pool, hex, 2 * (size_t)len);
}

static int on_module(Dwfl_Module *mod, void **userdata, const char *name,
		Dwarf_Addr start, void *arg)
{
	(void)userdata;
	struct module_list *l = arg;
	if (l->count == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		struct stack_module *items = realloc(l->items, cap * sizeof *items);
		if (!items) {
			l->oom = true;
			return DWARF_CB_ABORT;
		}
		l->items = items;
		l->cap = cap;
	}
	/* Finds the ELF file (its build-id note comes with it); debug info
	 * is only reported when a walk already loaded it, so listing modules
	 * never searches for it (nor asks debuginfod). */
	Dwarf_Addr bias;
	dwfl_module_getelf(mod, &bias);
	Dwarf_Addr end = 0;
	const char *elf_file = NULL, *debug_file = NULL;
	dwfl_module_info(mod, NULL, NULL, &end, NULL, NULL, &elf_file,
			&debug_file);
	struct strpool *pool = &l->s->pool;
	l->items[l->count++] = (struct stack_module){
		.path = stack_strpool_intern(pool,
				stack_session_module_path(l->s, name, start)),
		.start = start,
		.end = end,
		.build_id = build_id_hex(pool, mod),
		.elf_file = stack_strpool_intern(pool, elf_file),
		.debug_file = stack_strpool_intern(pool, debug_file),
	};
	return DWARF_CB_OK;
}

static int by_start(const void *a, const void *b)
{
	const struct stack_module *x = a, *y = b;
	return (x->start > y->start) - (x->start < y->start);
}

int stack_session_modules(struct stack_session *s, struct stack_module **out,
		size_t *n)
{
	*out = NULL;
	*n = 0;
	char *error = NULL;
	if (stack_session_refresh(s, &error) != 0) {
		free(error);
		return -1;
	}
	struct module_list l = { .s = s };
	if (dwfl_getmodules(s->dwfl, on_module, &l, 0) != 0 || l.oom) {
		free(l.items);
		return -1;
	}
	if (l.count)   /* none when the process died meanwhile: items NULL */
		qsort(l.items, l.count, sizeof *l.items, by_start);
	*out = l.items;
	*n = l.count;
	return 0;
}
