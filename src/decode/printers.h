/* Argument printers: one function per argument kind that has a decoder
 * richer than its base representation (argkinds.tbl). Each decoder file
 * (flags, structs, sockets...) implements some; printers.c maps kinds to
 * them. */
#ifndef PTRC_DECODE_PRINTERS_H
#define PTRC_DECODE_PRINTERS_H

#include <stdbool.h>
#include <stdint.h>

#include "ptrc/decode.h"
#include "ptrc/strbuf.h"

struct arg_ctx {
	struct decoder *d;
	struct strbuf *sb;
	const struct syscall_call *call;
	unsigned index;   /* which argument */
	uint64_t value;   /* its register, cut to the tracee's word size */
	bool exiting;     /* printed at the syscall's exit */
	int64_t rval;     /* at exit: the return value */
	bool is_error;
};

typedef void (*arg_printer)(const struct arg_ctx *ctx);

/* NULL where the kind prints by its base representation. */
extern const arg_printer kind_printers[ARG_KIND_COUNT];

/* Helpers for printers. */

/* The raw register of argument I, cut to the tracee's word size. */
uint64_t ctx_arg(const struct arg_ctx *ctx, unsigned i);
unsigned ctx_word_size(const struct arg_ctx *ctx);
/* NULL or 0x1234. */
void ctx_print_ptr(const struct arg_ctx *ctx, uint64_t addr);
/* Read exactly LEN bytes at ADDR; false (and nothing printed) on failure. */
bool ctx_read(const struct arg_ctx *ctx, uint64_t addr, void *buf, size_t len);
/* A quoted NUL-terminated string of at most LIMIT bytes, or the address. */
void ctx_print_cstring(const struct arg_ctx *ctx, uint64_t addr, size_t limit);
/* LEN bytes at ADDR quoted and cut at -s, or the address. */
void ctx_print_data(const struct arg_ctx *ctx, uint64_t addr, uint64_t len);
/* Reusable scratch memory of at least SIZE bytes. */
char *ctx_scratch(const struct arg_ctx *ctx, size_t size);

#endif
