/* Printing the faulting instruction (crash_insn.h), text and JSON. The
 * instruction texts are capstone's, the names the tracee's symbols: both
 * go through the escapers. */
#include "crash_insn.h"

#include <inttypes.h>
#include <stdio.h>

#include "ptrc/escape.h"
#include "ptrc/json.h"

static const char *const check_names[] = {
	[CRASH_CHECK_NONE] = "none",
	[CRASH_CHECK_MATCH] = "match",
	[CRASH_CHECK_INSIDE] = "inside",
	[CRASH_CHECK_FETCH] = "fetch",
	[CRASH_CHECK_NO_ADDR] = "no_address",
	[CRASH_CHECK_DIFFERS] = "differs",
};

static bool has_label(const struct crash_code *c, const struct disasm_insn *i)
{
	return c->function && i->address >= c->function_start &&
	       i->address - c->function_start <= 0xffff;
}

static void put_insn_text(struct strbuf *sb, const struct crash_code *c,
			  size_t k)
{
	const struct disasm_insn *i = &c->insns[k];
	int width = c->arch == PTRC_ARCH_I386 ? 8 : 16;
	sb_printf(sb, "%s0x%0*" PRIx64, (int)k == c->mark ? "=> " : "   ",
		  width, i->address);
	if (has_label(c, i)) {
		sb_puts(sb, " <");
		escape_bare_str(sb, c->function);
		sb_printf(sb, "+%" PRIu64 ">", i->address - c->function_start);
	}
	sb_puts(sb, ":  ");  /* gdb's tab: the report has no control bytes */
	escape_bare_str(sb, i->text);
	sb_putc(sb, '\n');
}

static void put_access_text(struct strbuf *sb, const struct crash_code *c,
			    size_t k)
{
	const struct disasm_access *a = &c->accesses[k];
	sb_puts(sb, "    Access: ");
	escape_bare_str(sb, a->what);
	if (a->rw[0])
		sb_printf(sb, ", %s", a->rw);
	if (a->size)
		sb_printf(sb, ", %u byte%s", a->size, a->size == 1 ? "" : "s");
	if (a->known)
		sb_printf(sb, " at 0x%" PRIx64 " = ", a->address);
	else
		sb_puts(sb, ", address not computed: ");
	escape_bare_str(sb, a->formula);
	if ((int)k == c->matched)
		sb_puts(sb, "  <- si_addr");
	sb_putc(sb, '\n');
}

void crash_code_text(struct strbuf *sb, const struct crash_code *c)
{
	if (!c->present)
		return;
	if (c->unavailable[0] && !c->ninsns) {
		sb_puts(sb, "\nDisassembly: ");
		escape_bare_str(sb, c->unavailable);
		sb_putc(sb, '\n');
		if (c->check != CRASH_CHECK_NONE) {
			sb_puts(sb, "     si_addr: ");
			escape_bare_str(sb, c->check_text);
			sb_putc(sb, '\n');
		}
		return;
	}
	sb_puts(sb, "\nFaulting instruction");
	if (c->arch != PTRC_ARCH_AARCH64)
		sb_puts(sb, " (AT&T syntax, as gdb's x/i)");
	sb_puts(sb, ":\n");
	if (c->at_return) {
		sb_puts(sb, "   ");
		escape_bare_str(sb, c->unavailable);
		sb_printf(sb, "; the call that jumped there, before the return "
			  "address 0x%" PRIx64 ":\n", c->return_address);
	} else if (!c->before_aligned && c->arch != PTRC_ARCH_AARCH64 &&
		   !(c->function && c->function_start == c->pc)) {
		sb_puts(sb, "   (no function start to decode from: nothing "
			"before the pc is shown)\n");
	}
	for (size_t k = 0; k < c->ninsns; k++)
		put_insn_text(sb, c, k);
	for (size_t k = 0; k < c->naccesses; k++)
		put_access_text(sb, c, k);
	if (c->check != CRASH_CHECK_NONE) {
		sb_puts(sb, "   si_addr: ");
		escape_bare_str(sb, c->check_text);
		sb_putc(sb, '\n');
	}
}

static void put_hex_or_null(struct strbuf *sb, const char *name, bool known,
			    uint64_t value)
{
	if (known)
		sb_printf(sb, ",\"%s\":\"0x%" PRIx64 "\"", name, value);
	else
		sb_printf(sb, ",\"%s\":null", name);
}

static void put_insn_json(struct strbuf *sb, const struct crash_code *c,
			  size_t k)
{
	const struct disasm_insn *i = &c->insns[k];
	sb_printf(sb, "%s{\"address\":\"0x%" PRIx64 "\",\"bytes\":\"",
		  k ? "," : "", i->address);
	for (unsigned b = 0; b < i->size; b++)
		sb_printf(sb, "%02x", i->bytes[b]);
	sb_puts(sb, "\",\"text\":");
	json_string_or_null(sb, i->text);
	if (has_label(c, i))
		sb_printf(sb, ",\"function_offset\":%" PRIu64,
			  i->address - c->function_start);
	else
		sb_puts(sb, ",\"function_offset\":null");
	sb_printf(sb, ",\"marked\":%s}", (int)k == c->mark ? "true" : "false");
}

static void put_access_json(struct strbuf *sb, const struct crash_code *c,
			    size_t k)
{
	const struct disasm_access *a = &c->accesses[k];
	sb_printf(sb, "%s{\"kind\":", k ? "," : "");
	json_string_or_null(sb, a->what);
	sb_puts(sb, ",\"access\":");
	json_string_or_null(sb, a->rw[0] ? a->rw : NULL);
	sb_printf(sb, ",\"size\":%u", a->size);
	put_hex_or_null(sb, "address", a->known, a->address);
	sb_puts(sb, ",\"formula\":");
	json_string_or_null(sb, a->formula);
	sb_printf(sb, ",\"si_addr\":%s}", (int)k == c->matched ? "true" : "false");
}

void crash_code_json(struct strbuf *sb, const struct crash_code *c)
{
	if (!c->present) {
		sb_puts(sb, ",\"code\":null");
		return;
	}
	sb_printf(sb, ",\"code\":{\"syntax\":\"%s\"",
		  c->arch == PTRC_ARCH_AARCH64 ? "arm" : "att");
	put_hex_or_null(sb, "pc", true, c->pc);
	sb_puts(sb, ",\"unavailable\":");
	json_string_or_null(sb, c->unavailable[0] ? c->unavailable : NULL);
	put_hex_or_null(sb, "return_address", c->at_return, c->return_address);
	sb_puts(sb, ",\"function\":");
	json_string_or_null(sb, c->function);
	put_hex_or_null(sb, "function_start", c->function != NULL,
			c->function_start);
	sb_printf(sb, ",\"before_aligned\":%s,\"instructions\":[",
		  c->before_aligned ? "true" : "false");
	for (size_t k = 0; k < c->ninsns; k++)
		put_insn_json(sb, c, k);
	sb_puts(sb, "],\"accesses\":[");
	for (size_t k = 0; k < c->naccesses; k++)
		put_access_json(sb, c, k);
	sb_printf(sb, "],\"si_addr_check\":\"%s\",\"si_addr_text\":",
		  check_names[c->check]);
	json_string_or_null(sb, c->check == CRASH_CHECK_NONE ? NULL :
			    c->check_text);
	sb_putc(sb, '}');
}
