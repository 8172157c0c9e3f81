/* Shared by the decoder unit tests: a whole syscall line as ptrc prints
 * it for the test's own process (memory read from itself), with the
 * decoder, its config and the output buffer the test sets up in main. */
#ifndef PTRC_TEST_DECODE_LINE_H
#define PTRC_TEST_DECODE_LINE_H

#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ptrc/decode.h"
#include "ptrc/syscalls.h"

static struct strbuf out;
static struct decoder decoder;
static struct ptrc_config config;

/* The whole line of syscall NAME with ARGS as ptrc prints it for the
 * test's own process as an ARCH tracee, returning RVAL: "name(args) = ret". */
static const char *line_arch(enum ptrc_arch arch, const char *name,
			     const uint64_t args[6], int64_t rval)
{
	long nr = syscall_number(arch, name);
	const struct syscall_sig *sig = nr < 0 ? NULL :
		syscall_lookup(arch, (unsigned long)nr);
	if (!sig) {
		fprintf(stderr, "no signature for %s\n", name);
		return "";
	}
	struct syscall_call call = {
		.tid = getpid(), .arch = arch, .nr = (uint64_t)nr, .args = args,
		.sig = sig,
	};
	bool is_error = rval < 0 && rval > -4096;
	sb_reset(&out);
	unsigned next = decode_entry(&decoder, &out, &call);
	decode_exit_args(&decoder, &out, &call, next, rval, is_error);
	sb_puts(&out, ") = ");
	decode_return(&decoder, &out, &call, rval, is_error);
	return out.data;
}

/* A readable page followed by a PROT_NONE one: the first byte that
 * cannot be read (NULL if mmap failed). */
static inline char *guard_page_end(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *map = mmap(NULL, 2 * (size_t)page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED ||
	    mprotect(map + page, (size_t)page, PROT_NONE) != 0)
		return NULL;
	return map + page;
}

#define ARGS(...) ((const uint64_t[6]){ __VA_ARGS__ })

#endif
