/* libFuzzer target: what -l reads from the tracee's files and memory. The
 * first byte picks the reader:
 *   0: the rest is an ELF file, walked for functions (every name) and for
 *      one symbol, as src/lcall/modules.c reads a module a tracee maps;
 *   1: the rest is x86_64 code, classified and relocated (src/lcall/insn*);
 *   2: the rest is aarch64 code: classified, and emulated on registers
 *      taken from the input too. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ptrc/lcall.h"

static void count_function(void *ctx, const struct lcall_module *m,
			   const char *name, uint64_t addr, bool is_ifunc)
{
	(void)m;
	(void)is_ifunc;
	/* Names must be NUL-terminated within bounds: strlen reads them. */
	*(size_t *)ctx += strlen(name) + (addr & 1);
}

static char path[64];

static void remove_file(void)
{
	unlink(path);
}

static void fuzz_elf(const uint8_t *data, size_t size)
{
	if (!path[0]) {
		snprintf(path, sizeof path, "/tmp/fuzz_lcall.%d.so", (int)getpid());
		atexit(remove_file);
	}
	FILE *f = fopen(path, "w");
	if (!f)
		return;
	fwrite(data, 1, size, f);
	fclose(f);
	/* No such mapping: modules.c falls back to the path. */
	struct lcall_module m = { .path = path, .name = path + 5,
				  .start = 0, .end = UINT64_MAX, .bias = 0x1000,
				  .map_start = 1, .map_end = 2 };
	static struct lcall_patterns all;
	if (!all.count) {
		char err[64];
		lcall_patterns_parse("*", &all, err, sizeof err);
	}
	size_t total = 0;
	lcall_module_functions(getpid(), &m, &all, count_function, &total);
	lcall_module_symbol(getpid(), &m, "_dl_debug_state");
}

static int load_input(void *ctx, uint64_t addr, void *buf, size_t len)
{
	(void)ctx;
	memset(buf, (int)(addr & 0xff), len);
	return 0;
}

static void fuzz_insn(enum ptrc_arch arch, const uint8_t *data, size_t size)
{
	uint8_t code[16] = { 0 };
	memcpy(code, data, size < sizeof code ? size : sizeof code);
	uint64_t orig = 0x7f0000001000ull, slot = 0x7f0000100000ull;
	struct insn_plan plan;
	if (insn_plan(arch, code, sizeof code, orig, &plan) == 0 &&
	    plan.kind == INSN_DISPLACE) {
		uint8_t out[32];
		insn_relocate(arch, &plan, code, orig, slot, out);
	}
	if (arch == PTRC_ARCH_AARCH64 && size >= 4) {
		struct insn_a64_regs regs;
		memset(&regs, 0, sizeof regs);
		memcpy(&regs, data + 4, size - 4 < sizeof regs ? size - 4 : sizeof regs);
		regs.pc = orig;
		uint32_t insn;
		memcpy(&insn, code, 4);
		insn_emulate_a64(insn, &regs, load_input, NULL);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0:
		fuzz_elf(data + 1, size - 1);
		break;
	case 1:
		fuzz_insn(PTRC_ARCH_X86_64, data + 1, size - 1);
		break;
	default:
		fuzz_insn(PTRC_ARCH_AARCH64, data + 1, size - 1);
		break;
	}
	return 0;
}
