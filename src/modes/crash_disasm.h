/* The crash report's disassembler: capstone behind a small interface that
 * knows nothing of processes. It decodes bytes already read from the
 * tracee (x86_64, i386, aarch64), in AT&T syntax on x86 (gdb's and
 * objdump's default, so a report reads like `x/6i $pc`), and computes
 * the addresses an instruction's memory accesses use from a register set
 * of ptrc/arch_regs.h. Built without capstone (meson -Dcapstone=disabled)
 * every call fails with DISASM_UNAVAILABLE. */
#ifndef PTRC_MODES_CRASH_DISASM_H
#define PTRC_MODES_CRASH_DISASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ptrc/arch_regs.h"

#define DISASM_UNAVAILABLE "ptrc built without capstone"
/* The longest x86 instruction; aarch64's are 4 bytes. */
#define DISASM_MAX_INSN 15

struct disasm_insn {
	uint64_t address;
	uint8_t size;
	uint8_t bytes[DISASM_MAX_INSN];
	bool is_call;
	char text[160];          /* "mov    %eax,(%rdx)" (capstone's words) */
};

/* One memory access of an instruction. */
struct disasm_access {
	char what[32];           /* "operand", or the mnemonic of a stack access: "pushq", "callq", "popq", "retq" */
	char rw[12];             /* "read", "write", "read+write" or "" */
	unsigned size;           /* bytes, 0 when unknown */
	bool known;
	uint64_t address;
	/* How it was computed: "rdx=0x10 + rax=0x3*4 + 0x8", or why it was
	 * not ("%gs base unknown"). */
	char formula[200];
};

#define DISASM_MAX_ACCESSES 4

/* The bases of the x86 fs and gs segments; on i386 they are not in the
 * register set (the caller asks the kernel). */
struct disasm_segments {
	bool fs_known, gs_known;
	uint64_t fs, gs;
};

/* false: built without capstone. */
bool disasm_available(void);

/* Decodes instructions from CODE (LEN bytes at ADDR, ADDR being an
 * instruction boundary) into OUT[MAX], stopping after AFTER instructions
 * past FOCUS. Only instructions decoded in one unbroken run from ADDR are
 * returned. *FOCUS_INDEX is the index of the instruction at FOCUS, or -1
 * when the run does not land on FOCUS exactly (a misaligned start, bytes
 * that do not decode): then nothing before FOCUS may be trusted. Keeps
 * only the last BEFORE instructions ahead of FOCUS. Returns the number in
 * OUT, or -1 with *ERROR set. */
int disasm_window(enum ptrc_arch arch, const uint8_t *code, size_t len,
		  uint64_t addr, uint64_t focus, unsigned before,
		  unsigned after, struct disasm_insn *out, size_t max,
		  int *focus_index, const char **error);

/* The call instruction that ends exactly at RET (a return address), found
 * by decoding backwards: CODE holds LEN bytes that end at RET. x86: every
 * start 2..15 bytes back that decodes as one call instruction ending at
 * RET; accepted only when exactly one does. aarch64: the word before.
 * Returns 1 and fills *OUT, 0 when none (or several) fits, -1 when
 * capstone is missing. */
int disasm_call_before(enum ptrc_arch arch, const uint8_t *code, size_t len,
		       uint64_t ret, struct disasm_insn *out);

/* The memory accesses of INSN (one decoded by disasm_window) with their
 * addresses computed from REGS (layout L, the faulting thread's). Returns
 * the number in OUT[max], or -1. */
int disasm_accesses(const struct disasm_insn *insn, const struct reg_layout *l,
		    const void *regs, const struct disasm_segments *seg,
		    struct disasm_access *out, size_t max);

#endif
