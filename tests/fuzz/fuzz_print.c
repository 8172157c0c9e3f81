/* libFuzzer target: the printers that take tracee-controlled bytes but
 * are not reached through a syscall's arguments: the JSON string escaper,
 * quoted and bare escaping, the siginfo printer (a whole siginfo_t from
 * the input), the hex dump (-e read=/write=, over a fuzzed memory image)
 * and signal names. The input's first byte picks the printer and its
 * options; the rest is the data. The output must hold printable ASCII
 * only (and newlines in the hex dump, which is multi-line). */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptrc/decode.h"
#include "ptrc/escape.h"
#include "ptrc/json.h"
#include "ptrc/mem.h"
#include "ptrc/strbuf.h"

#include "fuzz_image.h"

static void check(const struct strbuf *sb, int allow_newline)
{
	for (size_t i = 0; i < sb->len; i++) {
		unsigned char c = (unsigned char)sb->data[i];
		if (c == '\n' && allow_newline)
			continue;
		if (c < 0x20 || c >= 0x7f) {
			fprintf(stderr, "raw byte 0x%02x at %zu in: %.*s\n", c, i,
				(int)sb->len, sb->data);
			abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct strbuf sb;
	static int ready;
	if (!ready) {
		sb_init(&sb);
		mem_set_reader(image_reader);
		ready = 1;
	}
	if (size < 1)
		return 0;
	unsigned op = data[0];
	data++;
	size--;
	sb_reset(&sb);
	switch (op % 5) {
	case 0:
		json_string(&sb, (const char *)data, size);
		check(&sb, 0);
		/* ASCII, quoted, no raw quote inside */
		if (sb.len < 2 || sb.data[0] != '"' || sb.data[sb.len - 1] != '"')
			abort();
		for (size_t i = 1; i + 1 < sb.len; i++) {
			if (sb.data[i] == '\\') {
				i++;
				continue;
			}
			if (sb.data[i] == '"')
				abort();
		}
		break;
	case 1:
		escape_quoted(&sb, (const char *)data, size,
			      (enum escape_style)((op >> 3) % 3), op & 0x80);
		check(&sb, 0);
		sb_reset(&sb);
		escape_bare(&sb, (const char *)data, size);
		check(&sb, 0);
		break;
	case 2: {
		siginfo_t si;
		memset(&si, 0, sizeof si);
		memcpy(&si, data, size < sizeof si ? size : sizeof si);
		decode_siginfo(&sb, &si);
		check(&sb, 0);
		break;
	}
	case 3: {
		/* 2 bytes offset into the image, 4 bytes length, then it */
		if (size < 6)
			return 0;
		uint64_t off = data[0] | (uint64_t)data[1] << 8;
		uint64_t len = data[2] | (uint64_t)data[3] << 8 |
			       (uint64_t)data[4] << 16 | (uint64_t)data[5] << 24;
		image = data + 6;
		image_len = size - 6;
		/* Bounded: the dump prints what it can read. */
		decode_hexdump(&sb, 1, IMAGE_BASE + off, len % (1u << 20));
		check(&sb, 1);
		break;
	}
	default: {
		int sig = 0;
		memcpy(&sig, data, size < sizeof sig ? size : sizeof sig);
		decode_signal_name(&sb, sig);
		check(&sb, 0);
		break;
	}
	}
	return 0;
}
