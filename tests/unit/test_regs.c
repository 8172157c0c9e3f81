/* The register tables (arch/ARCH/regs.c): each register set laid out
 * without gaps or overlaps, the roles where they should be, the host's
 * table against the kernel's struct, and reading and writing a register. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#if defined(__x86_64__)
#include <sys/user.h>
#elif defined(__aarch64__)
#include <asm/ptrace.h>
#endif

#include "check.h"
#include "ptrc/arch_regs.h"

static const char *name_of(const struct reg_layout *l, int i)
{
	return i >= 0 && (unsigned)i < l->count ? l->regs[i].name : "(none)";
}

static void check_shape(const struct reg_layout *l)
{
	unsigned offset = 0;
	for (unsigned i = 0; i < l->count; i++) {
		const struct reg_info *r = &l->regs[i];
		CHECK(r->name && r->offset == offset);
		CHECK(r->size == arch_word_size(l->arch));
		offset += r->size;
		for (unsigned j = 0; j < i; j++)
			CHECK(strcmp(l->regs[j].name, r->name) != 0);
	}
	CHECK(offset == l->size && l->size <= REGS_MAX_SIZE);
	CHECK(reg_layout_of(l->arch) == l);
}

static void check_roles(const struct reg_layout *l, const char *pc,
			const char *sp, const char *ret, const char *nr,
			const char *orig_nr, const char *const sys[6])
{
	CHECK_STR(name_of(l, l->pc), pc);
	CHECK_STR(name_of(l, l->sp), sp);
	CHECK_STR(name_of(l, l->ret), ret);
	CHECK_STR(name_of(l, l->syscall_nr), nr);
	CHECK_STR(name_of(l, l->orig_syscall_nr), orig_nr);
	for (int i = 0; i < 6; i++)
		CHECK_STR(name_of(l, l->syscall_args[i]), sys[i]);
}

static void check_x86_64(void)
{
	const struct reg_layout *l = &regs_x86_64;
	check_shape(l);
	check_roles(l, "rip", "rsp", "rax", "rax", "orig_rax",
		    (const char *const[6]){ "rdi", "rsi", "rdx", "r10", "r8", "r9" });
	const char *const args[6] = { "rdi", "rsi", "rdx", "rcx", "r8", "r9" };
	for (int i = 0; i < 6; i++)
		CHECK_STR(name_of(l, l->args[i]), args[i]);
	CHECK(l->lr == REG_NONE && l->syscall_stop_dir == REG_NONE);
	/* -e inject= writes orig_rax at entry: no regset of its own */
	CHECK(l->syscall_nr_regset == 0);
}

static void check_i386(void)
{
	const struct reg_layout *l = &regs_i386;
	check_shape(l);
	check_roles(l, "eip", "esp", "eax", "eax", "orig_eax",
		    (const char *const[6]){ "ebx", "ecx", "edx", "esi", "edi", "ebp" });
	for (int i = 0; i < 6; i++)
		CHECK(l->args[i] == REG_NONE);
	CHECK(l->lr == REG_NONE && l->syscall_stop_dir == REG_NONE);
	CHECK(l->syscall_nr_regset == 0);  /* orig_eax, as x86_64 */
}

static void check_aarch64(void)
{
	const struct reg_layout *l = &regs_aarch64;
	check_shape(l);
	check_roles(l, "pc", "sp", "x0", "x8", "(none)",
		    (const char *const[6]){ "x0", "x1", "x2", "x3", "x4", "x5" });
	for (int i = 0; i < 6; i++)
		CHECK(l->args[i] == l->syscall_args[i]);
	CHECK_STR(name_of(l, l->lr), "x30");
	CHECK_STR(name_of(l, l->syscall_stop_dir), "x7");
	/* x8 at an entry stop changes nothing: NT_ARM_SYSTEM_CALL does */
	CHECK(l->syscall_nr_regset == 0x404);
}

/* The host's table against the struct the kernel fills. */
static void check_host_struct(void)
{
#if defined(__x86_64__)
#define AT(field) { #field, offsetof(struct user_regs_struct, field) }
	static const struct { const char *name; size_t offset; } fields[] = {
		AT(r15), AT(r14), AT(r13), AT(r12), AT(rbp), AT(rbx), AT(r11),
		AT(r10), AT(r9), AT(r8), AT(rax), AT(rcx), AT(rdx), AT(rsi),
		AT(rdi), AT(orig_rax), AT(rip), AT(cs), AT(eflags), AT(rsp),
		AT(ss), AT(fs_base), AT(gs_base), AT(ds), AT(es), AT(fs), AT(gs),
	};
#undef AT
	const struct reg_layout *l = &regs_x86_64;
	CHECK(l->size == sizeof(struct user_regs_struct));
	CHECK(l->count == sizeof fields / sizeof fields[0]);
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		int r = reg_find(l, fields[i].name);
		CHECK(r >= 0 && l->regs[r].offset == fields[i].offset);
	}
#elif defined(__aarch64__)
	const struct reg_layout *l = &regs_aarch64;
	CHECK(l->size == sizeof(struct user_pt_regs));
	for (unsigned n = 0; n < 31; n++)
		CHECK(l->regs[n].offset == offsetof(struct user_pt_regs, regs) + 8 * n);
	CHECK(l->regs[l->sp].offset == offsetof(struct user_pt_regs, sp));
	CHECK(l->regs[l->pc].offset == offsetof(struct user_pt_regs, pc));
	CHECK(l->regs[reg_find(l, "pstate")].offset ==
	      offsetof(struct user_pt_regs, pstate));
#endif
}

static void check_lookups(void)
{
	const struct reg_layout *host = reg_layout_of(arch_host());
	CHECK(host && reg_layout_by_size(host->size) == host);
	CHECK(reg_layout_by_size(regs_i386.size) ==
	      (arch_host() == PTRC_ARCH_X86_64 ? &regs_i386 : NULL));
	CHECK(reg_layout_by_size(0) == NULL);
	CHECK(reg_layout_of(PTRC_ARCH_UNKNOWN) == NULL);
	CHECK(reg_find(&regs_x86_64, "orig_rax") == regs_x86_64.orig_syscall_nr);
	CHECK(reg_find(&regs_x86_64, "eip") == REG_NONE);
}

static void check_access(void)
{
	uint64_t buf[REGS_MAX_SIZE / 8];
	memset(buf, 0xff, sizeof buf);
	const struct reg_layout *l = &regs_i386;
	reg_set(l, buf, l->ret, 0xfffffffffffffffeull);
	CHECK(reg_get(l, buf, l->ret) == 0xfffffffe);  /* zero-extended */
	reg_set(l, buf, l->pc, 0x12345678);
	CHECK(reg_get(l, buf, l->pc) == 0x12345678);
	CHECK(reg_get(l, buf, l->ret) == 0xfffffffe);  /* its neighbours kept */
	CHECK(reg_get(l, buf, l->pc + 1) == 0xffffffff);
	l = &regs_x86_64;
	reg_set(l, buf, l->sp, 0x7ffd12345678ull);
	CHECK(reg_get(l, buf, l->sp) == 0x7ffd12345678ull);
	unsigned char *bytes = (unsigned char *)buf;
	uint64_t raw;
	memcpy(&raw, bytes + l->regs[l->sp].offset, 8);
	CHECK(raw == 0x7ffd12345678ull);
}

int main(void)
{
	check_x86_64();
	check_i386();
	check_aarch64();
	check_host_struct();
	check_lookups();
	check_access();
	return check_result("regs");
}
