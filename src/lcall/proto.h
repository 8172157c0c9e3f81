/* Prototypes of library functions: the data (prototypes.tbl, turned into
 * lcall_protos[] by tools/gen_prototypes.py) and the printers of the
 * structures they point to (format_structs.c). format_value.c prints by
 * them. */
#ifndef PTRC_LCALL_PROTO_H
#define PTRC_LCALL_PROTO_H

#include <stdbool.h>
#include <stdint.h>

#include "../decode/printers.h"
#include "../decode/xlat.h"

/* The types of prototypes.tbl, which documents each. gen_prototypes.py
 * knows the same names (LT_ + the name in upper case). */
enum lcall_type {
	/* numbers, printed from the register */
	LT_INT, LT_UINT, LT_LONG, LT_ULONG, LT_HEX, LT_PTR, LT_BOOL, LT_FD,
	LT_ERRNUM, LT_EAI, LT_MODE, LT_OFLAGS, LT_SOCK_TYPE, LT_SOCK_PROTO,
	LT_SYSLOG_PRI, LT_FLAGS, LT_ENUM,
	/* memory the argument points to, read when it prints */
	LT_STR, LT_PATH, LT_FMT, LT_IBUF, LT_SOCKADDR, LT_ADDRINFO, LT_ARGV,
	LT_ENVP, LT_HOSTENT, LT_PASSWD, LT_GROUP,
	/* filled by the call: printed when it returns */
	LT_OBUF, LT_OSTR, LT_INT_OUT, LT_SIZE_OUT, LT_SOCKLEN_OUT,
	LT_SOCKADDR_OUT, LT_ADDRINFO_OUT, LT_STRP_OUT,
	/* return type only */
	LT_VOID,
};

/* Where a type's parameter (a length, a domain) comes from. */
enum lcall_ref {
	LREF_NONE,
	LREF_ARG,    /* argument INDEX's value */
	LREF_DEREF,  /* what argument INDEX points to (an *_out type) */
	LREF_RET,    /* the return value */
};

struct lcall_arg {
	uint8_t type;      /* enum lcall_type */
	uint8_t ref;       /* enum lcall_ref */
	uint8_t index;     /* LREF_ARG, LREF_DEREF: the argument */
	const struct xlat *table;  /* LT_FLAGS, LT_ENUM */
};

#define LCALL_MAX_ARGS 6

struct lcall_proto {
	const char *name;
	struct lcall_arg ret;
	uint8_t nargs;
	bool variadic;     /* `...`: more arguments than the fixed ones */
	struct lcall_arg args[LCALL_MAX_ARGS];
};

/* Sorted by name (strcmp), for bsearch. */
extern const struct lcall_proto lcall_protos[];
extern const unsigned lcall_proto_count;

/* Structures (format_structs.c). ADDR is the pointer; each prints "NULL",
 * or the address when the structure cannot be read. */
/* getaddrinfo's hints: {ai_flags=..., ai_family=..., ai_socktype=...,
 * ai_protocol=...}. */
void lcall_print_addrinfo_hints(const struct arg_ctx *ctx, uint64_t addr);
/* The list getaddrinfo returned, from its first node HEAD: [{...}, ...],
 * cut after a few nodes. */
void lcall_print_addrinfo_list(const struct arg_ctx *ctx, uint64_t head);
void lcall_print_hostent(const struct arg_ctx *ctx, uint64_t addr);
void lcall_print_passwd(const struct arg_ctx *ctx, uint64_t addr);
void lcall_print_group(const struct arg_ctx *ctx, uint64_t addr);

#endif
