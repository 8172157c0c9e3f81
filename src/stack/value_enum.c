/* Enumerators as gdb prints them: the name of the enumerator with the
 * value, in C++ qualified by the scopes of its enum (ns::Plain's PB is
 * "ns::PB", an enum class's "ns::Sc::y"); else the number. */
#include <dwarf.h>
#include <inttypes.h>
#include <stdlib.h>

#include "ptrc/escape.h"
#include "value_format.h"

static bool is_cxx(Dwarf_Die *cu)
{
	int lang = dwarf_srclang(cu);
	return lang == DW_LANG_C_plus_plus || lang == DW_LANG_C_plus_plus_03
		|| lang == DW_LANG_C_plus_plus_11
		|| lang == DW_LANG_C_plus_plus_14;
}

/* The qualifier of ENUM's enumerators, "ns::S::": the namespaces and
 * classes around it, and the enum itself when it is an enum class. */
static void put_scope(struct strbuf *sb, Dwarf_Die *enum_type)
{
	Dwarf_Die *chain = NULL;
	int n = dwarf_getscopes_die(enum_type, &chain);
	if (n < 2 || !is_cxx(&chain[n - 1])) {
		free(chain);
		return;
	}
	bool scoped = false;
	Dwarf_Attribute attr;
	dwarf_formflag(dwarf_attr(enum_type, DW_AT_enum_class, &attr), &scoped);
	for (int i = n - 2; i >= (scoped ? 0 : 1); i--) {
		int tag = dwarf_tag(&chain[i]);
		const char *name = dwarf_diename(&chain[i]);
		if (tag == DW_TAG_namespace && !name)
			name = "(anonymous namespace)";
		if (tag != DW_TAG_namespace && tag != DW_TAG_structure_type
				&& tag != DW_TAG_class_type
				&& tag != DW_TAG_union_type
				&& tag != DW_TAG_enumeration_type)
			continue;
		if (!name)
			break;  /* an anonymous class: gdb's naming is its own */
		escape_bare_str(sb, name);
		sb_puts(sb, "::");
	}
	free(chain);
}

void value_format_enum(struct strbuf *sb, Dwarf_Die *t,
		const uint8_t *bytes, size_t size)
{
	uint64_t v = value_load(bytes, size);
	uint64_t m = size >= 8 ? UINT64_MAX : ((uint64_t)1 << (8 * size)) - 1;
	/* gdb prints a value no enumerator has as "(A | B)" when every
	 * enumerator is its own bits (a flag enum): that is not done here. */
	bool flags = true;
	uint64_t seen = 0;
	Dwarf_Die child;
	if (dwarf_child(t, &child) == 0) {
		do {
			Dwarf_Attribute attr;
			Dwarf_Word w;
			if (dwarf_tag(&child) != DW_TAG_enumerator
					|| dwarf_formudata(dwarf_attr(&child,
					DW_AT_const_value, &attr), &w) != 0)
				continue;
			flags &= !(w & m & seen);
			seen |= w & m;
			if ((w & m) != v)
				continue;
			const char *name = dwarf_diename(&child);
			if (name) {
				put_scope(sb, t);
				escape_bare_str(sb, name);
				return;
			}
		} while (dwarf_siblingof(&child, &child) == 0);
	}
	if (flags && seen) {
		sb_puts(sb, VALUE_UNSUPPORTED);
		return;
	}
	Dwarf_Die under;
	bool is_signed = value_type_of(t, &under) && dwarf_peel_type(&under, &under) == 0
		&& value_attr_word(&under, DW_AT_encoding, 0) == DW_ATE_signed;
	if (is_signed)
		sb_printf(sb, "%" PRId64, value_sign_extend(v, size));
	else
		sb_printf(sb, "%" PRIu64, v);
}

