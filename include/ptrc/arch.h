/* Architectures ptrc knows: the tracee's, which may differ from the host's
 * (an i386 process traced by an x86_64 ptrc). */
#ifndef PTRC_ARCH_H
#define PTRC_ARCH_H

#include <stdint.h>

enum ptrc_arch {
	PTRC_ARCH_X86_64,
	PTRC_ARCH_I386,
	PTRC_ARCH_AARCH64,
	PTRC_ARCH_COUNT,
	PTRC_ARCH_UNKNOWN = PTRC_ARCH_COUNT,
};

/* The AUDIT_ARCH_* value of PTRACE_GET_SYSCALL_INFO, mapped to our arch. */
enum ptrc_arch arch_from_audit(uint32_t audit_arch);
/* And back: ARCH's AUDIT_ARCH_* value (0 for none). */
uint32_t arch_audit(enum ptrc_arch arch);
const char *arch_name(enum ptrc_arch arch);
/* Size in bytes of the tracee's pointers and longs: 4 or 8. */
unsigned arch_word_size(enum ptrc_arch arch);
/* The architecture ptrc itself was built for. */
enum ptrc_arch arch_host(void);

#endif
