#include "ptrc/syscalls.h"

#include <string.h>

const struct syscall_sig *syscall_lookup(enum ptrc_arch arch, unsigned long nr)
{
	if (arch >= PTRC_ARCH_COUNT || !syscall_tables[arch])
		return NULL;
	const struct syscall_table *table = syscall_tables[arch];
	if (nr >= table->count || table->sig_index[nr] == SYSCALL_NO_SIG)
		return NULL;
	return &syscall_sigs[table->sig_index[nr]];
}

long syscall_number(enum ptrc_arch arch, const char *name)
{
	if (arch >= PTRC_ARCH_COUNT || !syscall_tables[arch])
		return -1;
	const struct syscall_table *table = syscall_tables[arch];
	for (unsigned nr = 0; nr < table->count; nr++) {
		uint16_t i = table->sig_index[nr];
		if (i != SYSCALL_NO_SIG && !strcmp(syscall_sigs[i].name, name))
			return nr;
	}
	return -1;
}
