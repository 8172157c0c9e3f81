/* The crash report's faulting instruction: a few instructions around the
 * crashed thread's pc, disassembled (crash_disasm.h), the faulting one
 * marked, and for a memory fault the addresses its accesses compute from
 * the registers, checked against si_addr. */
#ifndef PTRC_MODES_CRASH_INSN_H
#define PTRC_MODES_CRASH_INSN_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "crash_disasm.h"
#include "ptrc/stack.h"
#include "ptrc/strbuf.h"

/* Instructions shown before and after the faulting one. */
#define CRASH_CODE_BEFORE 3
#define CRASH_CODE_AFTER 2
#define CRASH_CODE_MAX (CRASH_CODE_BEFORE + 2 + CRASH_CODE_AFTER)

/* How the computed addresses compare with si_addr. */
enum crash_code_check {
	CRASH_CHECK_NONE,      /* not a memory fault, or nothing computed */
	CRASH_CHECK_MATCH,     /* one access's address is si_addr */
	CRASH_CHECK_INSIDE,    /* si_addr is inside an access (a page crossed) */
	CRASH_CHECK_FETCH,     /* the pc itself is the fault (si_addr == pc) */
	CRASH_CHECK_NO_ADDR,   /* x86 general protection fault: si_addr is 0 */
	CRASH_CHECK_DIFFERS,
};

struct crash_code {
	bool present;            /* a register set was there to start from */
	enum ptrc_arch arch;
	uint64_t pc;
	/* Why there is no disassembly, or NULL. */
	char unavailable[160];
	/* The pc's code was unreadable: the instructions are those before
	 * the return address (the call that jumped to pc). */
	bool at_return;
	uint64_t return_address;
	const char *function;    /* symbol of the instructions, or NULL
				  * (the stack session's string) */
	uint64_t function_start;
	bool before_aligned;     /* instructions before the mark decoded in
				  * one run from function_start */
	struct disasm_insn insns[CRASH_CODE_MAX];
	size_t ninsns;
	int mark;                /* the faulting (or calling) one, or -1 */
	struct disasm_access accesses[DISASM_MAX_ACCESSES];
	size_t naccesses;
	int matched;             /* the access si_addr matched, or -1 */
	enum crash_code_check check;
	char check_text[200];
};

/* Reads and decodes the code of TID (held in a ptrace-stop) around the pc
 * of REGS (REGS_SIZE bytes of NT_PRSTATUS); T is its walked stack (for
 * function starts), SI the fatal signal. */
void crash_code_collect(struct crash_code *c, pid_t tid, const void *regs,
			size_t regs_size, const siginfo_t *si,
			const struct stack_thread *t);
void crash_code_text(struct strbuf *sb, const struct crash_code *c);
/* ,"code":{...} */
void crash_code_json(struct strbuf *sb, const struct crash_code *c);

#endif
