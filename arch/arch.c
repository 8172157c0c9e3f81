/* What ptrc knows about each architecture that is not a syscall table. */
#include "ptrc/arch.h"

#include <linux/audit.h>

enum ptrc_arch arch_from_audit(uint32_t audit_arch)
{
	switch (audit_arch) {
	case AUDIT_ARCH_X86_64:  return PTRC_ARCH_X86_64;
	case AUDIT_ARCH_I386:    return PTRC_ARCH_I386;
	case AUDIT_ARCH_AARCH64: return PTRC_ARCH_AARCH64;
	default:                 return PTRC_ARCH_UNKNOWN;
	}
}

const char *arch_name(enum ptrc_arch arch)
{
	static const char *const names[PTRC_ARCH_COUNT] = {
		[PTRC_ARCH_X86_64] = "x86_64",
		[PTRC_ARCH_I386] = "i386",
		[PTRC_ARCH_AARCH64] = "aarch64",
	};
	return arch < PTRC_ARCH_COUNT ? names[arch] : "unknown";
}

unsigned arch_word_size(enum ptrc_arch arch)
{
	return arch == PTRC_ARCH_I386 ? 4 : 8;
}

enum ptrc_arch arch_host(void)
{
#if defined(__x86_64__)
	return PTRC_ARCH_X86_64;
#elif defined(__i386__)
	return PTRC_ARCH_I386;
#elif defined(__aarch64__)
	return PTRC_ARCH_AARCH64;
#else
#error "ptrc does not know this architecture"
#endif
}
