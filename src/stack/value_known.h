/* What each byte of a value being printed is (dwarf_loc.h's
 * loc_read_pieces: known, unknown, past the pieces, implicit pointer),
 * and how value_format.c prints the parts that are not known, as gdb
 * does: <optimized out>, <synthetic pointer>. */
#ifndef PTRC_STACK_VALUE_KNOWN_H
#define PTRC_STACK_VALUE_KNOWN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ptrc/strbuf.h"

struct value_known {
	const uint8_t *base;      /* the object's first byte */
	const uint8_t *known;     /* per byte, from base on; NULL: all known */
	size_t total;
	bool *past_pieces;        /* set when a part past the pieces shows */
};

/* Whether BYTES[0..SIZE) are all known; a part past the pieces sets
 * *past_pieces. Bytes outside the object (a copy, memory read through a
 * pointer) are known. */
bool value_all_known(const struct value_known *f, const uint8_t *bytes,
		size_t size);

/* Whether the elements at A and B (SIZE bytes each) are known alike. */
bool value_same_known(const struct value_known *f, const uint8_t *a,
		const uint8_t *b, size_t size);

/* Whether BYTES[0..SIZE) are all implicit pointer or, with PAST, also
 * past the pieces. */
bool value_synthetic(const struct value_known *f, const uint8_t *bytes,
		size_t size, bool past);

/* A scalar of DWARF tag TAG that is not all known, into SB. */
void value_put_unknown(const struct value_known *f, struct strbuf *sb,
		int tag, const uint8_t *bytes, size_t size);

#endif
