/* ptrc run -e trace=SET: a seccomp-bpf filter in the child returns
 * SECCOMP_RET_TRACE for the traced syscalls and SECCOMP_RET_ALLOW for the
 * rest, so untraced syscalls never stop. Possible only for a process ptrc
 * starts: a filter cannot be installed into a running process.
 *
 * The program checks the architecture first (an x86_64 process may exec an
 * i386 program, and the filter is inherited), then compares the number
 * against each traced one: "jeq NR; ret TRACE" pairs keep every jump
 * short, whatever the number of syscalls. */
#include "seccomp.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "ptrc/config.h"
#include "ptrc/syscalls.h"

struct program {
	struct sock_filter *insns;
	size_t len, cap;
};

static bool emit(struct program *p, struct sock_filter insn)
{
	if (p->len == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct sock_filter *insns = realloc(p->insns, cap * sizeof *insns);
		if (!insns)
			return false;
		p->insns = insns;
		p->cap = cap;
	}
	p->insns[p->len++] = insn;
	return true;
}

static uint32_t audit_arch_of(enum ptrc_arch arch)
{
	switch (arch) {
	case PTRC_ARCH_X86_64:  return AUDIT_ARCH_X86_64;
	case PTRC_ARCH_I386:    return AUDIT_ARCH_I386;
	case PTRC_ARCH_AARCH64: return AUDIT_ARCH_AARCH64;
	default:                return 0;
	}
}

/* The block for one architecture: traced numbers return TRACE, the rest
 * ALLOW. */
static bool emit_arch_block(struct program *p, const struct ptrc_config *config,
			    enum ptrc_arch arch)
{
	const struct syscall_table *table = syscall_tables[arch];
	bool ok = emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			offsetof(struct seccomp_data, nr)));
	for (unsigned nr = 0; ok && nr < table->count; nr++) {
		uint16_t sig = table->sig_index[nr];
		if (sig == SYSCALL_NO_SIG || !config_traces(config, arch, sig))
			continue;
		ok = emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1)) &&
		     emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE));
	}
	return ok && emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
}

int seccomp_filter_build(const struct ptrc_config *config,
			 struct sock_fprog *prog)
{
	enum ptrc_arch arches[2] = { arch_host(), PTRC_ARCH_UNKNOWN };
	if (arch_host() == PTRC_ARCH_X86_64)
		arches[1] = PTRC_ARCH_I386;

	struct program p = { 0 };
	bool ok = emit(&p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			offsetof(struct seccomp_data, arch)));
	for (size_t i = 0; ok && i < 2; i++) {
		if (arches[i] == PTRC_ARCH_UNKNOWN)
			continue;
		/* jeq ARCH, +1, 0; ja past-block; <block> */
		struct program block = { 0 };
		ok = emit_arch_block(&block, config, arches[i]) &&
		     emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
				audit_arch_of(arches[i]), 1, 0)) &&
		     emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA | BPF_K,
				(uint32_t)block.len, 0, 0));
		for (size_t j = 0; ok && j < block.len; j++)
			ok = emit(&p, block.insns[j]);
		free(block.insns);
	}
	/* An architecture ptrc has no table for: trace everything. */
	ok = ok && emit(&p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE));
	if (!ok || p.len > BPF_MAXINSNS) {
		free(p.insns);
		return -1;
	}
	prog->len = (unsigned short)p.len;
	prog->filter = p.insns;
	return 0;
}

int seccomp_filter_install(const struct sock_fprog *prog)
{
	/* Without CAP_SYS_ADMIN the kernel demands no_new_privs. */
	if (geteuid() != 0 && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, prog);
}
