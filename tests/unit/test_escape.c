/* String quoting as strace does it, bare names, JSON strings, and no raw
 * control byte ever out. */
#include "check.h"
#include "ptrc/escape.h"
#include "ptrc/json.h"
#include "ptrc/strbuf.h"

#include <limits.h>

/* The strbuf's own number printers against printf's, on the values at the
 * edges and a spread between them. */
static void check_numbers(void)
{
	static const long long values[] = {
		0, 1, -1, 7, 8, 9, 10, -10, 15, 16, 99, 100, 12345, -12345,
		123456, -123456, INT_MAX, INT_MIN, (long long)UINT_MAX,
		LLONG_MAX, LLONG_MIN, LLONG_MIN + 1,
	};
	struct strbuf sb;
	sb_init(&sb);
	char want[64];
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		long long v = values[i];
		sb_reset(&sb);
		sb_put_dec(&sb, v);
		snprintf(want, sizeof want, "%lld", v);
		CHECK_STR(sb.data, want);
		sb_reset(&sb);
		sb_put_udec(&sb, (unsigned long long)v);
		snprintf(want, sizeof want, "%llu", (unsigned long long)v);
		CHECK_STR(sb.data, want);
		sb_reset(&sb);
		sb_put_hex(&sb, (unsigned long long)v);
		snprintf(want, sizeof want, "%#llx", (unsigned long long)v);
		CHECK_STR(sb.data, want);
		for (int width = -7; width <= 7; width++) {
			sb_reset(&sb);
			sb_putc(&sb, '|');
			sb_put_dec_pad(&sb, v, width);
			sb_putc(&sb, '|');
			snprintf(want, sizeof want, "|%*lld|", width, v);
			CHECK_STR(sb.data, want);
		}
	}
	/* appended, past the buffer's first size */
	sb_reset(&sb);
	for (int i = 0; i < 100; i++)
		sb_put_dec(&sb, -1234567);
	CHECK(sb.len == 800 && strlen(sb.data) == 800);
	sb_free(&sb);
}

static const char *quote(const char *bytes, size_t len, enum escape_style style,
			 bool truncated)
{
	static struct strbuf sb;
	sb_reset(&sb);
	escape_quoted(&sb, bytes, len, style, truncated);
	return sb.data;
}

int main(void)
{
	CHECK_STR(quote("hello\n", 6, ESCAPE_C, false), "\"hello\\n\"");
	CHECK_STR(quote("a\tb\"c\\d", 7, ESCAPE_C, false), "\"a\\tb\\\"c\\\\d\"");
	CHECK_STR(quote("\r\v\f", 3, ESCAPE_C, false), "\"\\r\\v\\f\"");
	/* octal: shortest form unless an octal digit follows */
	CHECK_STR(quote("\0a", 2, ESCAPE_C, false), "\"\\0a\"");
	CHECK_STR(quote("\0" "1", 2, ESCAPE_C, false), "\"\\0001\"");
	CHECK_STR(quote("\0" "8", 2, ESCAPE_C, false), "\"\\08\"");
	CHECK_STR(quote("\x7f\xff", 2, ESCAPE_C, false), "\"\\177\\377\"");
	CHECK_STR(quote("\x1b[31m", 5, ESCAPE_C, false), "\"\\33[31m\"");
	CHECK_STR(quote("abc", 3, ESCAPE_C, true), "\"abc\"...");
	CHECK_STR(quote("", 0, ESCAPE_C, false), "\"\"");
	/* -x: a string with any non-printable byte goes all hex */
	CHECK_STR(quote("ab", 2, ESCAPE_HEX_NONASCII, false), "\"ab\"");
	CHECK_STR(quote("a\x01", 2, ESCAPE_HEX_NONASCII, false), "\"\\x61\\x01\"");
	/* -xx: everything hex */
	CHECK_STR(quote("ab", 2, ESCAPE_HEX_ALL, false), "\"\\x61\\x62\"");

	/* Every byte value: the output holds printable ASCII only. */
	char all[256];
	for (int i = 0; i < 256; i++)
		all[i] = (char)i;
	for (int style = ESCAPE_C; style <= ESCAPE_HEX_ALL; style++) {
		const char *q = quote(all, 256, (enum escape_style)style, false);
		int raw = 0;
		for (const unsigned char *c = (const unsigned char *)q; *c; c++)
			if (*c < 0x20 || *c >= 0x7f)
				raw++;
		CHECK(raw == 0);
	}

	struct strbuf sb;
	sb_init(&sb);
	escape_bare(&sb, "ok\n\x1b\\", 5);
	CHECK_STR(sb.data, "ok\\x0a\\x1b\\x5c");
	sb_reset(&sb);
	escape_bare_str(&sb, NULL);
	escape_bare_str(&sb, "a\x7f");
	CHECK_STR(sb.data, "a\\x7f");

	/* JSON: ASCII out; every byte outside printable ASCII is \u00XX, valid
	 * UTF-8 (the euro sign) as much as invalid; NULs count. */
	sb_reset(&sb);
	json_string(&sb, "q\"b\\\n\0\x7f\xe2\x82\xac\xff", 11);
	CHECK_STR(sb.data, "\"q\\\"b\\\\\\u000a\\u0000\\u007f"
		  "\\u00e2\\u0082\\u00ac\\u00ff\"");
	sb_reset(&sb);
	json_string_or_null(&sb, NULL);
	json_string_or_null(&sb, "\x1b");
	CHECK_STR(sb.data, "null\"\\u001b\"");
	sb_reset(&sb);
	json_string(&sb, all, 256);
	size_t raw = 0;
	for (size_t i = 0; i < sb.len; i++)
		if ((unsigned char)sb.data[i] < 0x20 || (unsigned char)sb.data[i] >= 0x7f)
			raw++;
	CHECK(raw == 0 && sb.len == 2 + 95 + 2 + 161 * 6);
	sb_free(&sb);
	check_numbers();

	/* A long buffer of every kind of byte, past the strbuf's first size,
	 * appended to text already there. */
	char mixed[3000];
	for (size_t i = 0; i < sizeof mixed; i++)
		mixed[i] = (char)(i * 7 + (i >> 8));
	sb_reset(&sb);
	sb_puts(&sb, "head ");
	escape_quoted(&sb, mixed, sizeof mixed, ESCAPE_C, true);
	CHECK(sb.len == strlen(sb.data));
	CHECK(strncmp(sb.data, "head \"", 6) == 0);
	CHECK(strcmp(sb.data + sb.len - 4, "\"...") == 0);
	sb_free(&sb);
	return check_result("escape");
}
