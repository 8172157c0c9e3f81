/* Types of values (value_format.h): DW_AT_type followed, sizes, and the
 * C names the JSON "type" field shows, simplified. */
#include "value_format.h"

#include <dwarf.h>
#include <string.h>

#include "ptrc/escape.h"

uint64_t value_load(const uint8_t *bytes, size_t size)
{
	uint64_t v = 0;
	for (size_t i = 0; i < size && i < 8; i++)  /* little-endian targets */
		v |= (uint64_t)bytes[i] << (8 * i);
	return v;
}

int64_t value_sign_extend(uint64_t v, size_t size)
{
	if (size >= 8 || size == 0)
		return (int64_t)v;
	unsigned shift = (unsigned)(64 - 8 * size);
	return (int64_t)(v << shift) >> shift;
}

Dwarf_Word value_attr_word(Dwarf_Die *die, unsigned name, Dwarf_Word dflt)
{
	Dwarf_Attribute attr;
	Dwarf_Word w;
	if (dwarf_formudata(dwarf_attr_integrate(die, name, &attr), &w) == 0)
		return w;
	return dflt;
}

/* DW_AT_const_value of DIE as the object's bytes. */
bool value_const_bytes(Dwarf_Die *die, uint8_t *out, size_t size)
{
	Dwarf_Attribute attr;
	if (!dwarf_attr_integrate(die, DW_AT_const_value, &attr))
		return false;
	Dwarf_Block block;
	if (dwarf_formblock(&attr, &block) == 0) {
		if (block.length < size)
			return false;
		memcpy(out, block.data, size);
		return true;
	}
	Dwarf_Sword sv;
	Dwarf_Word uv;
	if (dwarf_formsdata(&attr, &sv) == 0)
		uv = (Dwarf_Word)sv;
	else if (dwarf_formudata(&attr, &uv) != 0)
		return false;
	memset(out, 0, size);
	for (size_t i = 0; i < size && i < 8; i++)
		out[i] = (uint8_t)(uv >> (8 * i));
	return true;
}

bool value_type_of(Dwarf_Die *die, Dwarf_Die *type)
{
	Dwarf_Attribute attr;
	return dwarf_formref_die(dwarf_attr_integrate(die, DW_AT_type, &attr),
			type) != NULL;
}

size_t value_type_size(Dwarf_Die *type)
{
	Dwarf_Word size;
	return dwarf_aggregate_size(type, &size) == 0 ? (size_t)size : 0;
}

static void type_prefix(struct strbuf *sb, Dwarf_Die *type, int depth);

static void name_or(struct strbuf *sb, const char *keyword, Dwarf_Die *t)
{
	const char *name = dwarf_diename(t);
	if (keyword)
		sb_puts(sb, keyword);
	escape_bare_str(sb, name ? name : "{...}");
}

static void type_prefix(struct strbuf *sb, Dwarf_Die *type, int depth)
{
	Dwarf_Die under;
	bool has_under = value_type_of(type, &under);
	if (depth > 8) {
		sb_puts(sb, "...");
		return;
	}
	switch (dwarf_tag(type)) {
	case DW_TAG_pointer_type:
		if (has_under)
			type_prefix(sb, &under, depth + 1);
		else
			sb_puts(sb, "void");
		sb_puts(sb, " *");
		return;
	case DW_TAG_const_type:
	case DW_TAG_volatile_type:
		sb_puts(sb, dwarf_tag(type) == DW_TAG_const_type ? "const " :
				"volatile ");
		if (has_under)
			type_prefix(sb, &under, depth + 1);
		else
			sb_puts(sb, "void");
		return;
	case DW_TAG_array_type:
		if (has_under)
			type_prefix(sb, &under, depth + 1);
		sb_puts(sb, " []");
		return;
	case DW_TAG_subroutine_type:
		sb_puts(sb, "function");
		return;
	case DW_TAG_structure_type:
		name_or(sb, "struct ", type);
		return;
	case DW_TAG_union_type:
		name_or(sb, "union ", type);
		return;
	case DW_TAG_enumeration_type:
		name_or(sb, "enum ", type);
		return;
	}
	name_or(sb, NULL, type);
}

void value_type_name(struct strbuf *sb, Dwarf_Die *type)
{
	type_prefix(sb, type, 0);
}
