/* The crash report's disassembler (crash_disasm.h): decoding with
 * capstone, and the addresses of an instruction's memory accesses. */
#include "crash_disasm.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#ifndef PTRC_HAVE_CAPSTONE

bool disasm_available(void)
{
	return false;
}

int disasm_window(enum ptrc_arch arch, const uint8_t *code, size_t len,
		  uint64_t addr, uint64_t focus, unsigned before,
		  unsigned after, struct disasm_insn *out, size_t max,
		  int *focus_index, const char **error)
{
	(void)arch, (void)code, (void)len, (void)addr, (void)focus;
	(void)before, (void)after, (void)out, (void)max;
	*focus_index = -1;
	*error = DISASM_UNAVAILABLE;
	return -1;
}

int disasm_call_before(enum ptrc_arch arch, const uint8_t *code, size_t len,
		       uint64_t ret, struct disasm_insn *out)
{
	(void)arch, (void)code, (void)len, (void)ret, (void)out;
	return -1;
}

int disasm_accesses(const struct disasm_insn *insn, const struct reg_layout *l,
		    const void *regs, const struct disasm_segments *seg,
		    struct disasm_access *out, size_t max)
{
	(void)insn, (void)l, (void)regs, (void)seg, (void)out, (void)max;
	return -1;
}

#else
#include <capstone/capstone.h>

#include "crash_disasm_accesses.h"

/* The most instructions kept ahead of the focus. */
#define MAX_BEFORE 16

bool disasm_available(void)
{
	return true;
}

static bool disasm_open(enum ptrc_arch arch, csh *h)
{
	cs_arch a = arch == PTRC_ARCH_AARCH64 ? CS_ARCH_ARM64 : CS_ARCH_X86;
	cs_mode m = arch == PTRC_ARCH_X86_64 ? CS_MODE_64 :
		    arch == PTRC_ARCH_I386 ? CS_MODE_32 : CS_MODE_ARM;
	if (arch >= PTRC_ARCH_COUNT || cs_open(a, m, h) != CS_ERR_OK)
		return false;
	cs_option(*h, CS_OPT_DETAIL, CS_OPT_ON);
	/* AT&T: what gdb and objdump print by default on x86, so the report
	 * reads like the `x/i $pc` a user would compare it with. */
	if (a == CS_ARCH_X86)
		cs_option(*h, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
	return true;
}

/* Capstone 4 puts aarch64's bl and blr (and blraa...) in no call group. */
static bool is_call(csh h, const cs_insn *i, bool x86)
{
	if (x86)
		return cs_insn_group(h, i, CS_GRP_CALL);
	return strncmp(i->mnemonic, "bl", 2) == 0 &&
	       (i->mnemonic[2] == '\0' || i->mnemonic[2] == 'r');
}

/* INSN as the report keeps it. x86 operands as gdb separates them
 * ("%eax,(%rdx)"), capstone's ", " would not compare. */
static void fill_insn(csh h, const cs_insn *i, bool x86, struct disasm_insn *out)
{
	memset(out, 0, sizeof *out);
	out->address = i->address;
	out->size = i->size > DISASM_MAX_INSN ? DISASM_MAX_INSN : (uint8_t)i->size;
	memcpy(out->bytes, i->bytes, out->size);
	out->is_call = is_call(h, i, x86);
	size_t n = (size_t)snprintf(out->text, sizeof out->text, "%-6s %s",
				    i->mnemonic, "");
	if (!i->op_str[0]) {
		snprintf(out->text, sizeof out->text, "%s", i->mnemonic);
		return;
	}
	for (const char *p = i->op_str; *p && n + 1 < sizeof out->text; p++) {
		if (x86 && p[0] == ',' && p[1] == ' ') {
			out->text[n++] = ',';
			p++;
			continue;
		}
		out->text[n++] = *p;
	}
	out->text[n] = '\0';
}

/* Decodes from CODE[OFF] on; returns the number of instructions put in
 * OUT: those ahead of FOCUS (at most BEFORE kept), the one at FOCUS, and
 * AFTER more. *FOCUS_INDEX: -1 when the run did not land on FOCUS. */
static size_t decode_run(csh h, bool x86, const uint8_t *code, size_t len,
			 uint64_t addr, uint64_t focus, unsigned before,
			 unsigned after, struct disasm_insn *out, size_t max,
			 int *focus_index)
{
	struct disasm_insn ring[MAX_BEFORE];
	size_t nring = 0, n = 0;
	const uint8_t *p = code;
	size_t left = len;
	uint64_t at = addr;
	cs_insn *insn = cs_malloc(h);
	*focus_index = -1;
	if (!insn)
		return 0;
	if (before > MAX_BEFORE)
		before = MAX_BEFORE;
	while (at <= focus + 64 * DISASM_MAX_INSN &&
	       cs_disasm_iter(h, &p, &left, &at, insn)) {
		if (insn->address < focus) {
			if (before) {
				memmove(ring, ring + (nring == before), (nring -
					(nring == before)) * sizeof *ring);
				nring -= nring == before;
				fill_insn(h, insn, x86, &ring[nring++]);
			}
			continue;
		}
		if (*focus_index < 0) {
			if (insn->address != focus)
				break;  /* stepped over FOCUS: misaligned */
			for (size_t i = 0; i < nring && n < max; i++)
				out[n++] = ring[i];
			*focus_index = (int)n;
		}
		if (n < max)
			fill_insn(h, insn, x86, &out[n++]);
		if (n >= max || n - (size_t)*focus_index > after)
			break;
	}
	cs_free(insn, 1);
	if (*focus_index < 0)
		return 0;
	return n;
}

int disasm_window(enum ptrc_arch arch, const uint8_t *code, size_t len,
		  uint64_t addr, uint64_t focus, unsigned before,
		  unsigned after, struct disasm_insn *out, size_t max,
		  int *focus_index, const char **error)
{
	csh h;
	*focus_index = -1;
	if (!disasm_open(arch, &h)) {
		*error = "capstone cannot decode this architecture";
		return -1;
	}
	bool x86 = arch != PTRC_ARCH_AARCH64;
	size_t n = 0;
	if (focus >= addr && focus - addr < len)
		n = decode_run(h, x86, code, len, addr, focus, before, after,
			       out, max, focus_index);
	/* Not lined up with FOCUS from ADDR: nothing before it is shown, the
	 * decoding starts again at FOCUS itself. */
	if (*focus_index < 0 && focus > addr && focus - addr < len)
		n = decode_run(h, x86, code + (focus - addr), len - (focus - addr),
			       focus, focus, 0, after, out, max, focus_index);
	cs_close(&h);
	if (*focus_index < 0)
		*error = "the bytes at the address do not decode as an instruction";
	return (int)n;
}

int disasm_call_before(enum ptrc_arch arch, const uint8_t *code, size_t len,
		       uint64_t ret, struct disasm_insn *out)
{
	csh h;
	if (!disasm_open(arch, &h))
		return -1;
	bool x86 = arch != PTRC_ARCH_AARCH64;
	unsigned lo = x86 ? 2 : 4, hi = x86 ? DISASM_MAX_INSN : 4;
	int found = 0;
	cs_insn *insn = NULL;
	for (unsigned k = lo; k <= hi && k <= len; k++) {
		size_t n = cs_disasm(h, code + len - k, k, ret - k, 1, &insn);
		if (n == 1 && insn->size == k && is_call(h, insn, x86)) {
			if (found++ == 0)
				fill_insn(h, insn, x86, out);
		}
		if (n)
			cs_free(insn, n);
	}
	cs_close(&h);
	return found == 1;
}

int disasm_accesses(const struct disasm_insn *di, const struct reg_layout *l,
		    const void *regs, const struct disasm_segments *seg,
		    struct disasm_access *out, size_t max)
{
	csh h;
	if (!disasm_open(l->arch, &h))
		return -1;
	cs_insn *insn = NULL;
	int n = -1;
	if (cs_disasm(h, di->bytes, di->size, di->address, 1, &insn) == 1) {
		n = l->arch == PTRC_ARCH_AARCH64 ?
			accesses_a64(h, insn, l, regs, out, max) :
			accesses_x86(h, insn, l, regs, seg, out, max);
		cs_free(insn, 1);
	}
	cs_close(&h);
	return n;
}
#endif
