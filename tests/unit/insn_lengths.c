/* Feeds the x86-64 decoder for tests/unit/test_insn_objdump.py: each stdin
 * line is hex bytes (an instruction, then what follows it in the file);
 * each stdout line is "LENGTH KIND", LENGTH -1 when insn_plan fails. */
#include <stdio.h>
#include <stdlib.h>

#include "ptrc/lcall.h"

static int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static const char *const kind_names[] = {
	[INSN_UNSUPPORTED] = "unsupported",
	[INSN_SKIP] = "skip",
	[INSN_DISPLACE] = "displace",
	[INSN_EMULATE] = "emulate",
};

int main(void)
{
	char *line = NULL;
	size_t cap = 0;
	uint8_t code[64];

	while (getline(&line, &cap, stdin) > 0) {
		size_t n = 0;
		int high = -1;
		/* pairs of hex digits, anything else separates bytes */
		for (const char *p = line; *p && n < sizeof code; p++) {
			int d = hex_digit((unsigned char)*p);
			if (d < 0) {
				high = -1;
			} else if (high < 0) {
				high = d;
			} else {
				code[n++] = (uint8_t)(high << 4 | d);
				high = -1;
			}
		}
		struct insn_plan plan;
		if (insn_plan(PTRC_ARCH_X86_64, code, n, 0, &plan) < 0)
			printf("-1 none\n");
		else
			printf("%u %s\n", plan.len, kind_names[plan.kind]);
	}
	free(line);
	return 0;
}
