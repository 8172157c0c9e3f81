/* What ptrc knows about each architecture that is not a syscall table,
 * and the lookups of the register tables (arch/ARCH/regs.c). */
#include "ptrc/arch.h"
#include "ptrc/arch_regs.h"

#include <linux/audit.h>
#include <string.h>

/* The AUDIT_ARCH_* value of each architecture. */
static const uint32_t audit_archs[PTRC_ARCH_COUNT] = {
	[PTRC_ARCH_X86_64] = AUDIT_ARCH_X86_64,
	[PTRC_ARCH_I386] = AUDIT_ARCH_I386,
	[PTRC_ARCH_AARCH64] = AUDIT_ARCH_AARCH64,
};

enum ptrc_arch arch_from_audit(uint32_t audit_arch)
{
	for (unsigned a = 0; a < PTRC_ARCH_COUNT; a++)
		if (audit_archs[a] == audit_arch)
			return (enum ptrc_arch)a;
	return PTRC_ARCH_UNKNOWN;
}

uint32_t arch_audit(enum ptrc_arch arch)
{
	return arch < PTRC_ARCH_COUNT ? audit_archs[arch] : 0;
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

/* ---- register layouts (the tables: arch/ARCH/regs.c) ---- */

const struct reg_layout *reg_layout_of(enum ptrc_arch arch)
{
	static const struct reg_layout *const layouts[PTRC_ARCH_COUNT] = {
		[PTRC_ARCH_X86_64] = &regs_x86_64,
		[PTRC_ARCH_I386] = &regs_i386,
		[PTRC_ARCH_AARCH64] = &regs_aarch64,
	};
	return arch < PTRC_ARCH_COUNT ? layouts[arch] : NULL;
}

const struct reg_layout *reg_layout_by_size(size_t size)
{
	const struct reg_layout *own = reg_layout_of(arch_host());
	if (size == own->size)
		return own;
	/* An x86_64 kernel gives a 32-bit tracee's registers as i386's. */
	if (arch_host() == PTRC_ARCH_X86_64 && size == regs_i386.size)
		return &regs_i386;
	return NULL;
}

uint64_t reg_get(const struct reg_layout *l, const void *buf, int i)
{
	const struct reg_info *r = &l->regs[i];
	const unsigned char *at = (const unsigned char *)buf + r->offset;
	if (r->size == 4) {
		uint32_t v;
		memcpy(&v, at, 4);
		return v;
	}
	uint64_t v;
	memcpy(&v, at, 8);
	return v;
}

void reg_set(const struct reg_layout *l, void *buf, int i, uint64_t value)
{
	const struct reg_info *r = &l->regs[i];
	unsigned char *at = (unsigned char *)buf + r->offset;
	if (r->size == 4) {
		uint32_t v = (uint32_t)value;
		memcpy(at, &v, 4);
		return;
	}
	memcpy(at, &value, 8);
}

int reg_find(const struct reg_layout *l, const char *name)
{
	for (unsigned i = 0; i < l->count; i++)
		if (!strcmp(l->regs[i].name, name))
			return (int)i;
	return REG_NONE;
}
