/* libFuzzer target: ptrc triage's reading of crash report files (the
 * scanner, the text and JSON parsers, src/util/json_read.c), then the
 * grouping, flags and both printers over whatever was kept. The input is
 * the file. Warnings and output must hold printable ASCII only (and
 * newlines). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "triage.h"

static void check(const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)data[i];
		if (c != '\n' && (c < 0x20 || c >= 0x7f)) {
			fprintf(stderr, "raw byte 0x%02x at %zu in: %.*s\n", c, i,
				(int)len, data);
			abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	FILE *in = fmemopen((void *)data, size, "r");
	char *warnings = NULL;
	size_t wlen = 0;
	FILE *warn = open_memstream(&warnings, &wlen);
	if (!in || !warn)
		abort();
	struct triage_reports rs = { 0 };
	triage_scan(in, "fuzz", &rs, warn);
	fclose(in);
	fclose(warn);
	check(warnings, wlen);
	free(warnings);
	struct triage t;
	if (triage_build(&t, &rs)) {
		struct strbuf sb;
		sb_init(&sb);
		triage_print_text(&sb, &t);
		triage_print_json(&sb, &t);
		check(sb.data, sb.len);
		sb_free(&sb);
	}
	triage_free(&t);
	triage_reports_free(&rs);
	return 0;
}
