/* Sets of syscalls and comma-separated lists in strace's -e syntax, shared
 * by the expressions that take them (trace=, inject=, fault=...). */
#ifndef PTRC_CLI_SYSCALL_SET_H
#define PTRC_CLI_SYSCALL_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Split LIST at commas, handling a leading "!" (*NEGATE), "all" and
 * "none"; calls ADD for every other element. Returns 0 or -1 (ADD's -1). */
int cli_parse_list(const char *list, bool *negate, bool *all, bool *none,
		   int (*add)(const char *item, void *arg), void *arg);

/* A syscall set (names, numbers, %classes, /regexes, ?, @64, all, none,
 * a leading "!") as a malloc'd bitmap per architecture (enum ptrc_arch,
 * cli_set_arch_bytes() each) of a bit per index in syscall_sigs. Returns
 * NULL after printing a one-line error. */
uint8_t *cli_parse_syscall_set(const char *list);
/* The bytes of one architecture's bitmap. */
size_t cli_set_arch_bytes(void);

static inline bool cli_set_has(const uint8_t *set, unsigned arch, unsigned i)
{
	return (set[arch * cli_set_arch_bytes() + i / 8] >> (i % 8)) & 1;
}

#endif
