/* One library call being printed, shared by the format*.c files:
 * format_call.c reads its values by their types, format_value.c prints one
 * value, format_args.c lays out and prints the argument list, format.c is
 * the API (ptrc/lcall.h). */
#ifndef PTRC_LCALL_FORMAT_CALL_H
#define PTRC_LCALL_FORMAT_CALL_H

#include <stdbool.h>
#include <stdint.h>

#include "ptrc/lcall.h"
#include "proto.h"

struct lcall_printer {
	struct decoder *d;
	struct strbuf *sb;
	const struct lcall_call *c;
	struct syscall_call sc;  /* tid, arch and registers for the decode
				  * layer's helpers (no signature) */
	bool exiting;
	uint64_t ret;
	bool ok;                 /* exiting: the call succeeded */
};

/* ---- format_call.c: the call's values ---- */

void lcall_printer_init(struct lcall_printer *p, struct decoder *d,
			struct strbuf *sb, const struct lcall_call *c,
			bool exiting, uint64_t ret);
/* The decode layer's view of one value. */
struct arg_ctx lcall_arg_ctx(const struct lcall_printer *p, unsigned index,
			     uint64_t value);
unsigned lcall_word_size(const struct lcall_printer *p);
/* V cut to the tracee's word. */
uint64_t lcall_word(const struct lcall_printer *p, uint64_t v);
/* RAW as type T reads it, sign-extended. */
int64_t lcall_svalue(const struct lcall_printer *p, enum lcall_type t,
		     uint64_t raw);
/* The types the call fills, printed when it returns. */
bool lcall_prints_at_exit(enum lcall_type t);
/* Whether the call succeeded, by its return type. */
bool lcall_call_ok(const struct lcall_printer *p);
/* The length (or other value) A refers to; false when it has none, it is
 * negative (a signed type) or cannot be read. */
bool lcall_ref_value(const struct lcall_printer *p, const struct lcall_arg *a,
		     uint64_t *out);
/* V in hex, "0" for 0. */
void lcall_print_hex(struct strbuf *sb, uint64_t v);

/* ---- format_value.c: one value ---- */

/* Print RAW, the value of argument INDEX (LCALL_MAX_ARGS: the return
 * value), as A's type says. */
void lcall_print_value(const struct lcall_printer *p, const struct lcall_arg *a,
		       unsigned index, uint64_t raw);

/* ---- format_args.c: the argument list ---- */

/* The items of the argument list: the fixed arguments (some left out),
 * then the registers a variadic function's `...` shows raw, then "...". */
struct lcall_layout {
	bool omit[LCALL_MAX_ARGS];
	unsigned raw;      /* registers after the fixed arguments, in hex */
	bool ellipsis;     /* "..." last */
};

void lcall_make_layout(const struct lcall_printer *p, struct lcall_layout *l);
/* Arguments FIRST to the end of the list, or up to the first one printed
 * at exit (STOP_AT_EXIT). Returns where it stopped. */
unsigned lcall_print_args(const struct lcall_printer *p, unsigned first,
			  bool stop_at_exit);

#endif
