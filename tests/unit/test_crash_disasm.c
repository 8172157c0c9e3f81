/* The crash report's disassembler (src/modes/crash_disasm.c) on fabricated
 * bytes and registers: x86_64, i386 and aarch64 instructions (the aarch64
 * words assembled by hand from the Arm ARM encodings, the x86 bytes
 * checked with objdump), their text, the windows around a focus (aligned
 * or not), the call before a return address, and the addresses of their
 * memory accesses. Built without capstone it fails when pkg-config finds
 * capstone installed (the suite must exercise the disassembly), and
 * skips where it does not. */
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "../../src/modes/crash_disasm.h"
#include "../../src/modes/crash_insn.h"
#include "ptrc/mem.h"
#include "ptrc/strbuf.h"

static uint64_t regs[REGS_MAX_SIZE / 8];

static void set(const struct reg_layout *l, const char *name, uint64_t v)
{
	int i = reg_find(l, name);
	CHECK(i != REG_NONE);
	if (i != REG_NONE)
		reg_set(l, regs, i, v);
}

/* The one instruction in CODE at ADDR. */
static struct disasm_insn one(enum ptrc_arch arch, const void *code, size_t len,
			      uint64_t addr)
{
	struct disasm_insn out[4];
	int at = -1;
	const char *error = NULL;
	memset(out, 0, sizeof out);
	int n = disasm_window(arch, code, len, addr, addr, 0, 0, out, 4, &at,
			      &error);
	CHECK(n == 1 && at == 0);
	return out[0];
}

/* The accesses of the instruction in CODE; returns how many. */
static int accesses(const struct reg_layout *l, const void *code, size_t len,
		    uint64_t addr, const struct disasm_segments *seg,
		    struct disasm_access *out)
{
	struct disasm_insn insn = one(l->arch, code, len, addr);
	return disasm_accesses(&insn, l, regs, seg, out, DISASM_MAX_ACCESSES);
}

static void test_x86_64(void)
{
	const struct reg_layout *l = &regs_x86_64;
	struct disasm_access a[DISASM_MAX_ACCESSES];
	struct disasm_segments seg = { .fs_known = true, .fs = 0x7f0000001000 };
	memset(regs, 0, sizeof regs);
	set(l, "rax", 0x1000); set(l, "rcx", 3); set(l, "rdx", 0x5000);
	set(l, "rsp", 0x7ffd0000); set(l, "rdi", 0xffffffff00000010);

	/* mov 0x10(%rax,%rcx,4),%eax */
	static const uint8_t index[] = { 0x8b, 0x44, 0x88, 0x10 };
	CHECK_STR(one(PTRC_ARCH_X86_64, index, sizeof index, 0x400000).text,
		  "movl   0x10(%rax,%rcx,4),%eax");
	CHECK(accesses(l, index, sizeof index, 0x400000, &seg, a) == 1);
	CHECK(a[0].known && a[0].address == 0x1000 + 3 * 4 + 0x10);
	CHECK(a[0].size == 4);
	CHECK_STR(a[0].rw, "read");
	CHECK_STR(a[0].formula, "%rax=0x1000 + %rcx=0x3*4 + 0x10");

	/* mov %eax,(%rdx): a write */
	static const uint8_t store[] = { 0x89, 0x02 };
	CHECK(accesses(l, store, sizeof store, 0x400000, &seg, a) == 1);
	CHECK(a[0].address == 0x5000);
	CHECK_STR(a[0].rw, "write");

	/* mov %fs:0x28,%rax: the fs base from the register set */
	static const uint8_t fs[] = { 0x64, 0x48, 0x8b, 0x04, 0x25, 0x28, 0, 0, 0 };
	CHECK(accesses(l, fs, sizeof fs, 0x400000, &seg, a) == 1);
	CHECK(a[0].known && a[0].address == 0x7f0000001028);
	CHECK_STR(a[0].formula, "%fs base=0x7f0000001000 + 0x28");
	/* ...and %gs unknown: said, not guessed */
	static const uint8_t gs[] = { 0x65, 0x48, 0x8b, 0x04, 0x25, 0x28, 0, 0, 0 };
	CHECK(accesses(l, gs, sizeof gs, 0x400000, &seg, a) == 1);
	CHECK(!a[0].known);
	CHECK_STR(a[0].formula, "%gs base unknown");

	/* mov 0x10(%rip),%rax at 0x401000: from the next instruction */
	static const uint8_t rip[] = { 0x48, 0x8b, 0x05, 0x10, 0, 0, 0 };
	CHECK(accesses(l, rip, sizeof rip, 0x401000, &seg, a) == 1);
	CHECK(a[0].address == 0x401007 + 0x10);

	/* mov -0x20(%edi),%eax (addr32): the offset wraps at 32 bits */
	static const uint8_t addr32[] = { 0x67, 0x8b, 0x47, 0xe0 };
	CHECK(accesses(l, addr32, sizeof addr32, 0x400000, &seg, a) == 1);
	CHECK(a[0].address == 0xfffffff0);
	CHECK_STR(a[0].formula, "%edi=0x10 - 0x20");

	/* push (%rax): reads its operand, then writes the stack */
	static const uint8_t push[] = { 0xff, 0x30 };
	CHECK(accesses(l, push, sizeof push, 0x400000, &seg, a) == 2);
	CHECK(a[0].address == 0x1000 && strcmp(a[0].rw, "read") == 0);
	CHECK(a[1].address == 0x7ffd0000 - 8 && strcmp(a[1].rw, "write") == 0);
	CHECK_STR(a[1].what, "pushq");
	/* call *%rax and ret: the stack slot */
	static const uint8_t call[] = { 0xff, 0xd0 };
	CHECK(accesses(l, call, sizeof call, 0x400000, &seg, a) == 1);
	CHECK(a[0].address == 0x7ffd0000 - 8 && a[0].size == 8);
	static const uint8_t ret[] = { 0xc3 };
	CHECK(accesses(l, ret, sizeof ret, 0x400000, &seg, a) == 1);
	CHECK(a[0].address == 0x7ffd0000 && strcmp(a[0].rw, "read") == 0);
	/* lea and nopw name memory they do not touch */
	static const uint8_t lea[] = { 0x48, 0x8d, 0x04, 0x88 };
	CHECK(accesses(l, lea, sizeof lea, 0x400000, &seg, a) == 0);
	/* ud2, idiv: no memory */
	static const uint8_t ud2[] = { 0x0f, 0x0b };
	CHECK_STR(one(PTRC_ARCH_X86_64, ud2, 2, 0x400000).text, "ud2");
	CHECK(accesses(l, ud2, sizeof ud2, 0x400000, &seg, a) == 0);
}

static void test_window(void)
{
	/* push %rbp; mov %rsp,%rbp; mov 0x10(%rax,%rcx,4),%eax; pop %rbp; ret */
	static const uint8_t code[] = { 0x55, 0x48, 0x89, 0xe5, 0x8b, 0x44,
					0x88, 0x10, 0x5d, 0xc3 };
	struct disasm_insn out[8];
	int at;
	const char *error = NULL;
	int n = disasm_window(PTRC_ARCH_X86_64, code, sizeof code, 0x1000,
			      0x1004, 3, 2, out, 8, &at, &error);
	CHECK(n == 5 && at == 2);
	CHECK(out[0].address == 0x1000 && out[2].address == 0x1004);
	CHECK_STR(out[1].text, "movq   %rsp,%rbp");
	CHECK_STR(out[4].text, "retq");
	/* BEFORE keeps the last ones only */
	n = disasm_window(PTRC_ARCH_X86_64, code, sizeof code, 0x1000, 0x1004,
			  1, 0, out, 8, &at, &error);
	CHECK(n == 2 && at == 1 && out[0].address == 0x1001);
	/* a start that does not line up with the focus: the same bytes said
	 * to be at 0x1002 decode as push, then a 3-byte mov that steps over
	 * 0x1004; nothing before it is shown, the decoding restarts there */
	n = disasm_window(PTRC_ARCH_X86_64, code, sizeof code, 0x1002, 0x1004,
			  3, 1, out, 8, &at, &error);
	CHECK(at == 0 && n == 2 && out[0].address == 0x1004);
	/* bytes at the focus that do not decode */
	static const uint8_t bad[] = { 0x0f, 0xff, 0xff, 0xff };
	n = disasm_window(PTRC_ARCH_X86_64, bad, 1, 0x2000, 0x2000, 3, 1, out,
			  8, &at, &error);
	CHECK(n == 0 && at == -1 && error);

	/* the call before a return address: e8 rel32 ends at 0x3005 */
	static const uint8_t before[] = { 0x90, 0x90, 0xe8, 0x10, 0, 0, 0 };
	struct disasm_insn c;
	CHECK(disasm_call_before(PTRC_ARCH_X86_64, before, sizeof before,
				 0x3007, &c) == 1);
	CHECK(c.address == 0x3002 && c.size == 5 && c.is_call);
	/* no call ends there */
	static const uint8_t none[] = { 0x90, 0x90, 0x90, 0x90 };
	CHECK(disasm_call_before(PTRC_ARCH_X86_64, none, sizeof none, 0x3004,
				 &c) == 0);
}

static void test_i386(void)
{
	const struct reg_layout *l = &regs_i386;
	struct disasm_access a[DISASM_MAX_ACCESSES];
	struct disasm_segments seg = { .gs_known = true, .gs = 0xf7d00000 };
	memset(regs, 0, sizeof regs);
	set(l, "eax", 0xfffffff0); set(l, "ecx", 8); set(l, "esp", 0xffd00000);

	/* mov 0x10(%eax,%ecx,4),%eax: the address wraps at 32 bits */
	static const uint8_t index[] = { 0x8b, 0x44, 0x88, 0x10 };
	CHECK_STR(one(PTRC_ARCH_I386, index, sizeof index, 0x8048000).text,
		  "movl   0x10(%eax,%ecx,4),%eax");
	CHECK(accesses(l, index, sizeof index, 0x8048000, &seg, a) == 1);
	CHECK(a[0].known && a[0].address == 0x20);
	/* mov %gs:0x14,%eax: the gs base the caller found */
	static const uint8_t gs[] = { 0x65, 0xa1, 0x14, 0, 0, 0 };
	CHECK(accesses(l, gs, sizeof gs, 0x8048000, &seg, a) == 1);
	CHECK(a[0].address == 0xf7d00014);
	/* call *%eax: 4 bytes below esp */
	static const uint8_t call[] = { 0xff, 0xd0 };
	CHECK(accesses(l, call, sizeof call, 0x8048000, &seg, a) == 1);
	CHECK(a[0].address == 0xffd00000 - 4 && a[0].size == 4);
	CHECK_STR(a[0].formula, "%esp=0xffd00000 - 4");
	/* %r8 does not exist in 32-bit code: 0x41 is inc %ecx there */
	static const uint8_t inc[] = { 0x41 };
	CHECK_STR(one(PTRC_ARCH_I386, inc, 1, 0x8048000).text, "incl   %ecx");
}

static struct disasm_access a64_one(uint32_t word, uint64_t addr)
{
	struct disasm_access a[DISASM_MAX_ACCESSES];
	memset(a, 0, sizeof a);
	uint8_t code[4];
	memcpy(code, &word, 4);  /* aarch64 code is little-endian */
	CHECK(accesses(&regs_aarch64, code, 4, addr, NULL, a) == 1);
	return a[0];
}

static void test_aarch64(void)
{
	const struct reg_layout *l = &regs_aarch64;
	memset(regs, 0, sizeof regs);
	set(l, "x1", 0x10000); set(l, "x2", 0xfffffffffffffffe);
	set(l, "sp", 0x7ff000);
	struct disasm_access a;

	a = a64_one(0xf9400420, 0x4000);   /* ldr x0, [x1, #8] */
	CHECK(a.known && a.address == 0x10008 && a.size == 8);
	CHECK_STR(a.rw, "read");
	a = a64_one(0xf8408c20, 0x4000);   /* ldr x0, [x1, #8]! */
	CHECK(a.address == 0x10008);
	a = a64_one(0xf8408420, 0x4000);   /* ldr x0, [x1], #8: the old base */
	CHECK(a.address == 0x10000);
	a = a64_one(0xf8627820, 0x4000);   /* ldr x0, [x1, x2, lsl #3] */
	CHECK(a.address == 0x10000 - 16);
	CHECK_STR(a.formula, "x1=0x10000 + x2=0xfffffffffffffffe << 3");
	a = a64_one(0xb862d820, 0x4000);   /* ldr w0, [x1, w2, sxtw #2] */
	CHECK(a.address == 0x10000 - 8 && a.size == 4);
	a = a64_one(0xb8624820, 0x4000);   /* ldr w0, [x1, w2, uxtw] */
	CHECK(a.address == 0x10000 + 0xfffffffeull);
	a = a64_one(0xa9bf7bfd, 0x4000);   /* stp x29, x30, [sp, #-16]! */
	CHECK(a.address == 0x7ff000 - 16 && a.size == 16);
	CHECK_STR(a.rw, "write");
	a = a64_one(0xa8c17bfd, 0x4000);   /* ldp x29, x30, [sp], #16 */
	CHECK(a.address == 0x7ff000 && a.size == 16);
	a = a64_one(0x39400020, 0x4000);   /* ldrb w0, [x1] */
	CHECK(a.address == 0x10000 && a.size == 1);
	a = a64_one(0x3dc00420, 0x4000);   /* ldr q0, [x1, #16] */
	CHECK(a.address == 0x10010 && a.size == 16);
	a = a64_one(0x58000040, 0x4000);   /* ldr x0, <pc + 8> */
	CHECK(a.address == 0x4008);

	/* the call before a return address: blr x0 */
	uint32_t blr = 0xd63f0000;
	struct disasm_insn c;
	CHECK(disasm_call_before(PTRC_ARCH_AARCH64, (uint8_t *)&blr, 4, 0x5004,
				 &c) == 1);
	CHECK(c.address == 0x5000 && c.is_call);
	CHECK_STR(c.text, "blr    x0");
}

/* ---- crash_code_collect on fabricated memory: code at 0x400000, a
 * stack word at 0x7000 ---- */
static uint8_t fake_code[16];
static uint64_t fake_stack_word;

static ssize_t fake_reader(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	(void)tid;
	if (addr >= 0x400000 && addr < 0x400000 + sizeof fake_code) {
		size_t off = (size_t)(addr - 0x400000);
		size_t n = len < sizeof fake_code - off ? len : sizeof fake_code - off;
		memcpy(buf, fake_code + off, n);
		return (ssize_t)n;
	}
	if (addr >= 0x7000 && addr + len <= 0x7008) {
		memcpy(buf, (uint8_t *)&fake_stack_word + (addr - 0x7000), len);
		return (ssize_t)len;
	}
	return -1;
}

static void collect(struct crash_code *c, const char *function,
		    uint64_t offset, uint64_t fault)
{
	struct stack_frame frame = { .pc = reg_get(&regs_x86_64, regs,
		regs_x86_64.pc), .activation = true, .function = function,
		.function_offset = offset };
	struct stack_thread t = { .frames = &frame, .nframes = function ? 1 : 0 };
	siginfo_t si = { .si_signo = SIGSEGV, .si_code = SEGV_MAPERR };
	si.si_addr = (void *)(uintptr_t)fault;
	crash_code_collect(c, 1, regs, regs_x86_64.size, &si, &t);
}

static void test_collect(void)
{
	const struct reg_layout *l = &regs_x86_64;
	static const uint8_t code[] = { 0x55, 0x48, 0x89, 0xe5, 0x8b, 0x44,
					0x88, 0x10, 0x5d, 0xc3, 0x90, 0x90,
					0xe8, 0, 0, 0 };
	struct crash_code c;
	struct strbuf sb;
	memcpy(fake_code, code, sizeof code);
	mem_set_reader(fake_reader);
	memset(regs, 0, sizeof regs);
	set(l, "rax", 0x1000); set(l, "rcx", 3); set(l, "rip", 0x400004);

	/* from the function's start: two before, the mark, two after; a
	 * hostile symbol name escaped in text and JSON */
	collect(&c, "f\033[2J", 4, 0x101c);
	CHECK(c.ninsns == 5 && c.mark == 2 && c.before_aligned);
	CHECK(c.check == CRASH_CHECK_MATCH && c.matched == 0);
	sb_init(&sb);
	crash_code_text(&sb, &c);
	CHECK(strstr(sb.data, "=> 0x0000000000400004 <f\\x1b[2J+4>:  movl   "
		     "0x10(%rax,%rcx,4),%eax\n") != NULL);
	CHECK(strstr(sb.data, "    Access: operand, read, 4 bytes at 0x101c = "
		     "%rax=0x1000 + %rcx=0x3*4 + 0x10  <- si_addr\n") != NULL);
	CHECK(strchr(sb.data, '\033') == NULL);
	sb_reset(&sb);
	crash_code_json(&sb, &c);
	CHECK(strstr(sb.data, "\"function\":\"f\\u001b[2J\"") != NULL);
	CHECK(strstr(sb.data, "\"si_addr_check\":\"match\"") != NULL);

	/* si_addr elsewhere: said to differ */
	collect(&c, "fn", 4, 0x2000);
	CHECK(c.check == CRASH_CHECK_DIFFERS && c.matched == -1);

	/* no symbol: from the pc, and the text says why nothing is before */
	collect(&c, NULL, 0, 0x101c);
	CHECK(c.mark == 0 && !c.before_aligned && c.ninsns == 3);
	sb_reset(&sb);
	crash_code_text(&sb, &c);
	CHECK(strstr(sb.data, "no function start to decode from") != NULL);

	/* a symbol offset that does not line up: from 0x400003, e5 8b is
	 * "in $0x8b,%eax", which steps over 0x400004: nothing before it */
	collect(&c, "fn", 1, 0x101c);
	CHECK(c.mark == 0 && !c.before_aligned);
	CHECK(c.insns[0].address == 0x400004);

	/* pc 0 (a call through NULL): the call that ends at the return
	 * address on the stack. None ends there (nops): nothing shown. */
	set(l, "rip", 0); set(l, "rsp", 0x7000);
	fake_stack_word = 0x40000c;
	collect(&c, NULL, 0, 0);
	CHECK(c.at_return && c.mark == -1 && c.ninsns == 0);
	CHECK(c.check == CRASH_CHECK_FETCH);
	fake_code[10] = 0xff;
	fake_code[11] = 0xd0;  /* call *%rax at 0x40000a, ending at 0x40000c */
	collect(&c, NULL, 0, 0);
	CHECK(c.at_return && c.mark == 0 && c.ninsns == 1);
	CHECK(c.return_address == 0x40000c && c.insns[0].address == 0x40000a);
	CHECK_STR(c.insns[0].text, "callq  *%rax");
	sb_reset(&sb);
	crash_code_text(&sb, &c);
	CHECK(strstr(sb.data, "the code at pc 0x0 is not readable; the call that "
		     "jumped there, before the return address 0x40000c:\n"
		     "=> 0x000000000040000a:  callq  *%rax\n") != NULL);
	sb_free(&sb);
	mem_set_reader(NULL);
}

/* An i386 tracee's registers (68 bytes of NT_PRSTATUS, as an x86_64
 * kernel gives them): 32-bit decoding, addresses and text. */
static void test_collect_i386(void)
{
	const struct reg_layout *l = &regs_i386;
	static const uint8_t code[] = { 0x55, 0x48, 0x89, 0xe5, 0x8b, 0x44,
					0x88, 0x10, 0x5d, 0xc3 };
	memcpy(fake_code, code, sizeof code);
	mem_set_reader(fake_reader);
	memset(regs, 0, sizeof regs);
	set(l, "eax", 0x1000); set(l, "ecx", 3); set(l, "eip", 0x400004);
	struct stack_frame frame = { .pc = 0x400004, .activation = true,
		.function = "fn", .function_offset = 4 };
	struct stack_thread t = { .frames = &frame, .nframes = 1 };
	siginfo_t si = { .si_signo = SIGSEGV, .si_code = SEGV_MAPERR };
	si.si_addr = (void *)(uintptr_t)0x101c;
	struct crash_code c;
	crash_code_collect(&c, 1, regs, regs_i386.size, &si, &t);
	/* push %ebp; dec %eax (0x48 is no REX prefix here); mov %esp,%ebp */
	CHECK(c.arch == PTRC_ARCH_I386 && c.mark == 3 && c.before_aligned);
	CHECK(c.check == CRASH_CHECK_MATCH);
	struct strbuf sb;
	sb_init(&sb);
	crash_code_text(&sb, &c);
	CHECK(strstr(sb.data, "   0x00400001 <fn+1>:  decl   %eax\n") != NULL);
	CHECK(strstr(sb.data, "=> 0x00400004 <fn+4>:  movl   "
		     "0x10(%eax,%ecx,4),%eax\n") != NULL);
	CHECK(strstr(sb.data, "4 bytes at 0x101c = %eax=0x1000 + %ecx=0x3*4 + "
		     "0x10  <- si_addr") != NULL);
	sb_free(&sb);
	mem_set_reader(NULL);
}

/* Garbage in: every window and access computation stays in its bounds
 * (run under ASan in the sanitizer build). A fixed seed. */
static void test_garbage(void)
{
	static const enum ptrc_arch arches[] = { PTRC_ARCH_X86_64,
		PTRC_ARCH_I386, PTRC_ARCH_AARCH64 };
	static const struct reg_layout *const layouts[] = { &regs_x86_64,
		&regs_i386, &regs_aarch64 };
	uint32_t seed = 12345;
	uint8_t code[64];
	struct disasm_insn out[8];
	struct disasm_access a[DISASM_MAX_ACCESSES];
	struct disasm_segments seg = { 0 };
	for (int round = 0; round < 300; round++) {
		for (size_t i = 0; i < sizeof code; i++) {
			seed = seed * 1103515245 + 12345;
			code[i] = (uint8_t)(seed >> 16);
		}
		for (size_t i = 0; i < sizeof regs / sizeof regs[0]; i++)
			regs[i] = (uint64_t)seed * (i + 1) * 0x9e3779b97f4a7c15ull;
		int k = round % 3, at;
		const char *error = NULL;
		int n = disasm_window(arches[k], code, sizeof code, 0x1000,
				      0x1000 + (unsigned)(round % 40), 3, 2, out, 8,
				      &at, &error);
		CHECK(n >= 0 && n <= 8 && at < n);
		for (int i = 0; i < n; i++) {
			CHECK(memchr(out[i].text, 0, sizeof out[i].text) != NULL);
			int m = disasm_accesses(&out[i], layouts[k], regs, &seg, a,
						DISASM_MAX_ACCESSES);
			CHECK(m >= -1 && m <= DISASM_MAX_ACCESSES);
		}
	}
}

int main(void)
{
	if (!disasm_available()) {
		bool require = system("pkg-config --exists capstone "
				      "2>/dev/null") == 0;
		printf("crash_disasm: built without capstone%s\n",
		       require ? ", but libcapstone-dev is installed: "
		       "reconfigure (meson setup --wipe BUILD)" : "");
		return require ? 1 : 77;  /* 77: meson's "skipped" */
	}
	test_x86_64();
	test_window();
	test_i386();
	test_aarch64();
	/* crash_code_collect takes the registers of a tracee this host can
	 * have: x86_64 and i386 ones only on an x86_64 host. */
	if (reg_layout_by_size(regs_x86_64.size) == &regs_x86_64) {
		test_collect();
		test_collect_i386();
	} else {
		printf("crash_disasm: x86 register sets are not this host's: "
		       "crash_code_collect on x86 code left out\n");
	}
	test_garbage();
	return check_result("crash_disasm");
}
