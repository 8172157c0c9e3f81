/* Flag and enum tables: values to names, as strace's xlat. Every table
 * ptrc prints names from is data (src/decode/xlat/NAME.tbl), turned into
 * `const struct xlat xlat_NAME` by tools/gen_xlat.py at build time;
 * "xlat_tables.h" (generated) declares them. An entry's value is the C
 * macro itself where the target's headers define it, else the kernel value
 * the table gives (see tools/gen_xlat.py). print_flags and print_enum (or,
 * for a value printed in parts, xlat_start and xlat_finish) print them in
 * the -X style of struct ptrc_config. */
#ifndef PTRC_DECODE_XLAT_H
#define PTRC_DECODE_XLAT_H

#include <stdbool.h>
#include <stdint.h>

#include "ptrc/config.h"
#include "ptrc/strbuf.h"

enum xlat_type { XLAT_FLAGS, XLAT_ENUM };

struct xlat_entry {
	uint64_t value;
	const char *name;
};

struct xlat {
	const char *name;                 /* the table's file name: "open_flags" */
	const struct xlat_entry *entries; /* in print order */
	unsigned count;
	enum xlat_type type;
	const char *zero;     /* flags: what 0 prints as; NULL prints "0" */
	const char *unknown;  /* comment for an unnamed value: "MADV_???" */
};

/* Around the printing of one value: xlat_start returns the mark to give
 * xlat_finish, which rewrites what was printed since in the -X STYLE (the
 * number alone for XLAT_STYLE_RAW, the number and the names in a comment
 * for XLAT_STYLE_VERBOSE, nothing changed for XLAT_STYLE_ABBREV). A value
 * printed in parts ("O_RDWR|O_CLOEXEC", "CLONE_VM|SIGCHLD") prints its
 * parts with XLAT_STYLE_ABBREV between one xlat_start and xlat_finish, so
 * that the style applies once, to the whole. */
size_t xlat_start(const struct strbuf *sb);
void xlat_finish(struct strbuf *sb, enum xlat_style style, size_t mark,
		 uint64_t value);

/* Every table, for tests. */
extern const struct xlat *const xlat_all[];
extern const unsigned xlat_all_count;

/* The name of VALUE (an exact match), or NULL. */
const char *xlat_name(const struct xlat *x, uint64_t value);

/* The printers below print in the -X STYLE; XLAT_STYLE_ABBREV as described.
 *
 * Known bits joined by '|', in table order, then any bits left as hex:
 * "O_CREAT|O_EXCL", "MAP_SHARED|0x40". 0 prints as the table's zero name or
 * "0"; a value with no known bit as hex followed by the table's unknown
 * text as a C comment (strace's `0x10 / * EFD_??? * /`, without the spaces).
 * Entries of value 0 never match. */
void print_flags(struct strbuf *sb, enum xlat_style style,
		 const struct xlat *x, uint64_t value);

/* Like print_flags, but prints nothing for 0 and nothing for a value with
 * no known bit; returns the bits it could not name, for callers that print
 * flags after another field ("SOCK_STREAM|SOCK_CLOEXEC"). Names only: the
 * caller applies the style with xlat_start and xlat_finish. */
uint64_t print_flags_known(struct strbuf *sb, const struct xlat *x,
			   uint64_t value, bool leading_bar);

/* The name of VALUE, or, when the table has none, VALUE in hex followed by
 * a C comment holding UNKNOWN if not NULL, else the table's unknown text
 * (`0x4d / * MADV_??? * /` without the spaces). Without either, the hex. */
void print_enum(struct strbuf *sb, enum xlat_style style,
		const struct xlat *x, uint64_t value, const char *unknown);

/* Like print_enum, with VALUE printed in decimal where print_enum prints
 * hex (strace's printxval_d): "7 / * SOCK_TXREHASH_??? * /", AT_FDCWD's
 * "-100 / * AT_FDCWD * /" under -X verbose. */
void print_enum_dec(struct strbuf *sb, enum xlat_style style,
		    const struct xlat *x, int64_t value);

/* VALUE in hex ("0" for zero), then TEXT as a C comment if not NULL. */
void print_unknown(struct strbuf *sb, uint64_t value, const char *text);

#endif
