/* String quoting as strace does it, bare names, JSON strings, and no raw
 * control byte ever out. */
#include "check.h"
#include "ptrc/escape.h"
#include "ptrc/json.h"
#include "ptrc/strbuf.h"

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
	return check_result("escape");
}
