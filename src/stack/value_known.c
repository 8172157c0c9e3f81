/* Parts of a partly known object (dwarf_loc.h's loc_read_pieces) as gdb
 * prints them: see value_known.h. */
#include "value_known.h"

#include <dwarf.h>
#include <string.h>

#include "dwarf_loc.h"

/* Whether BYTES[0..SIZE) are all known; a part past the pieces makes the
 * whole value unprintable (*past_pieces). Bytes outside the object (a
 * copy, memory read through a pointer) are known. */
bool value_all_known(const struct value_known *f, const uint8_t *bytes,
		size_t size)
{
	if (!f->known || bytes < f->base || bytes >= f->base + f->total)
		return true;
	size_t at = (size_t)(bytes - f->base);
	bool all = true;
	for (size_t i = at; i < at + size && i < f->total; i++) {
		if (f->known[i] == LOC_PAST_PIECES)
			*f->past_pieces = true;
		all &= f->known[i] == LOC_KNOWN;
	}
	return all;
}

/* Whether BYTES[0..SIZE) are all implicit pointer (LOC_SYNTHETIC) or,
 * with PAST, also past the pieces. */
bool value_synthetic(const struct value_known *f, const uint8_t *bytes,
		size_t size, bool past)
{
	if (!f->known || bytes < f->base || size == 0
			|| (size_t)(bytes - f->base) + size > f->total)
		return false;
	size_t at = (size_t)(bytes - f->base);
	for (size_t i = at; i < at + size; i++)
		if (f->known[i] != LOC_SYNTHETIC
				&& !(past && f->known[i] == LOC_PAST_PIECES))
			return false;
	return true;
}

/* A scalar that is not all known: gdb's <synthetic pointer> for a pointer
 * that is one implicit pointer, <optimized out> for one with unknown
 * parts. Any other mix with an implicit pointer (gdb prints a double
 * over one as <synthetic pointer>) refuses the whole value. */
void value_put_unknown(const struct value_known *f, struct strbuf *sb,
		int tag,
		const uint8_t *bytes, size_t size)
{
	bool any_synthetic = false;
	size_t at = (size_t)(bytes - f->base);
	for (size_t i = at; i < at + size && i < f->total; i++)
		any_synthetic |= f->known[i] == LOC_SYNTHETIC;
	if (tag == DW_TAG_pointer_type && value_synthetic(f, bytes, size, false))
		sb_puts(sb, "<synthetic pointer>");
	else if (any_synthetic)
		*f->past_pieces = true;
	else
		sb_puts(sb, "<optimized out>");
}

/* Whether the elements at A and B (SIZE bytes each) are known alike. */
bool value_same_known(const struct value_known *f, const uint8_t *a,
		const uint8_t *b, size_t size)
{
	if (!f->known || a < f->base || b + size > f->base + f->total)
		return true;
	return memcmp(f->known + (a - f->base), f->known + (b - f->base),
			size) == 0;
}

