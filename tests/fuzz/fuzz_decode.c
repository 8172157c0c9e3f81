/* libFuzzer target: every syscall decoder, fed fuzzed registers and a
 * fuzzed memory image. The input is: 1 byte arch, 2 bytes syscall number,
 * 6 x 8 bytes arguments, 8 bytes return value, 1 byte flags, then the
 * memory image, mapped at IMAGE_BASE. Arguments are pointed into the image
 * half of the time. The output must hold printable ASCII only. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptrc/config.h"
#include "ptrc/decode.h"
#include "ptrc/mem.h"
#include "ptrc/syscalls.h"

#include "fuzz_image.h"

static uint64_t take(const uint8_t **data, size_t *size, size_t n)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n && *size; i++, (*data)++, (*size)--)
		v |= (uint64_t)**data << (8 * i);
	return v;
}

static void check_printable(const struct strbuf *sb)
{
	for (size_t i = 0; i < sb->len; i++) {
		unsigned char c = (unsigned char)sb->data[i];
		if (c < 0x20 || c >= 0x7f) {
			fprintf(stderr, "raw byte 0x%02x in output: %s\n", c, sb->data);
			abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ptrc_config config;
	static struct decoder decoder;
	static struct strbuf sb;
	static int ready;
	if (!ready) {
		config.string_limit = 32;
		config.signal_set = ~0ull;
		decoder_init(&decoder, &config);
		sb_init(&sb);
		mem_set_reader(image_reader);
		ready = 1;
	}

	enum ptrc_arch arch = (enum ptrc_arch)(take(&data, &size, 1) % PTRC_ARCH_COUNT);
	uint64_t nr = take(&data, &size, 2) % 512;
	uint64_t args[6];
	for (int i = 0; i < 6; i++)
		args[i] = take(&data, &size, 8);
	int64_t rval = (int64_t)take(&data, &size, 8);
	unsigned flags = (unsigned)take(&data, &size, 1);
	image = data;
	image_len = size;
	/* Point arguments into the image where the flags say so. */
	for (int i = 0; i < 6; i++)
		if (flags & (1u << i) && image_len)
			args[i] = IMAGE_BASE + args[i] % image_len;
	bool is_error = flags & 0x40;
	config.escape = (flags & 0x80) ? ESCAPE_HEX_NONASCII : ESCAPE_C;
	config.verbose = flags & 0x20;
	if (is_error)
		rval = -(int64_t)(1 + (uint64_t)rval % 530);

	struct decode_saved saved = { 0 };
	struct syscall_call call = {
		.tid = 1,
		.arch = arch,
		.nr = nr,
		.args = args,
		.sig = syscall_lookup(arch, nr),
		.saved = &saved,
	};
	sb_reset(&sb);
	unsigned next = decode_entry(&decoder, &sb, &call);
	decode_exit_args(&decoder, &sb, &call, next, rval, is_error);
	sb_puts(&sb, ") = ");
	decode_return(&decoder, &sb, &call, rval, is_error);
	check_printable(&sb);
	return 0;
}
