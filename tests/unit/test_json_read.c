/* The JSON pull reader (src/util/json_read.c): what ptrc writes reads
 * back byte for byte; broken, cut and hostile text fails cleanly. */
#include "check.h"
#include "ptrc/json.h"
#include "ptrc/json_read.h"
#include "ptrc/strbuf.h"

#include <stdlib.h>

/* Skips the whole of TEXT: true when it is one valid value. */
static bool skips(const char *text)
{
	struct json_reader r;
	json_read_init(&r, text, strlen(text));
	return json_read_skip(&r) && !r.error;
}

static void test_walk(void)
{
	const char *doc = "{\"type\":\"crash\", \"pid\": 42, \"n\":null,"
		"\"t\":[true,false,{\"x\":[[]]}], \"s\":\"a\\\"b\\\\c\\n\\u00e9\\u20ac\","
		"\"time\":1765152468.123456}trailing";
	struct json_reader r;
	char key[16], val[64];
	json_read_init(&r, doc, strlen(doc));
	CHECK(json_read_object_begin(&r));
	CHECK(json_read_key(&r, key, sizeof key));
	CHECK_STR(key, "type");
	CHECK(json_read_peek(&r) == JSON_STRING);
	CHECK(json_read_string(&r, val, sizeof val));
	CHECK_STR(val, "crash");
	CHECK(json_read_key(&r, key, sizeof key) && !strcmp(key, "pid"));
	CHECK(json_read_number(&r, val, sizeof val));
	CHECK_STR(val, "42");
	CHECK(json_read_key(&r, key, sizeof key) && json_read_skip(&r));
	CHECK(json_read_key(&r, key, sizeof key) && !strcmp(key, "t"));
	CHECK(json_read_skip(&r));
	CHECK(json_read_key(&r, key, sizeof key) && !strcmp(key, "s"));
	CHECK(json_read_string(&r, val, sizeof val));
	CHECK_STR(val, "a\"b\\c\n\xe9\xe2\x82\xac");
	CHECK(json_read_key(&r, key, sizeof key) && !strcmp(key, "time"));
	CHECK(json_read_number(&r, val, sizeof val));
	CHECK_STR(val, "1765152468.123456");
	CHECK(!json_read_key(&r, key, sizeof key) && !r.error);
	CHECK(!strcmp(json_read_pos(&r), "trailing"));
}

/* Every byte value through json.c's writer reads back the same. */
static void test_round_trip(void)
{
	char all[255], back[1024];
	for (int i = 0; i < 255; i++)
		all[i] = (char)(i + 1);
	struct strbuf sb;
	sb_init(&sb);
	json_string(&sb, all, sizeof all);
	struct json_reader r;
	json_read_init(&r, sb.data, sb.len);
	CHECK(json_read_string(&r, back, sizeof back));
	CHECK(strlen(back) == sizeof all && !memcmp(back, all, sizeof all));
	sb_free(&sb);
}

/* A string that does not fit, or holds a NUL, is consumed and refused;
 * the reader goes on. */
static void test_refused_strings(void)
{
	const char *doc = "[\"0123456789\",\"a\\u0000b\",\"ok\"]";
	struct json_reader r;
	char val[8];
	json_read_init(&r, doc, strlen(doc));
	CHECK(json_read_array_begin(&r));
	CHECK(json_read_array_next(&r) && !json_read_string(&r, val, sizeof val));
	CHECK(!r.error);
	CHECK(json_read_array_next(&r) && !json_read_string(&r, val, sizeof val));
	CHECK(!r.error);
	CHECK(json_read_array_next(&r) && json_read_string(&r, val, sizeof val));
	CHECK_STR(val, "ok");
	CHECK(!json_read_array_next(&r) && !r.error);
	/* a key too long is cut: it matches nothing, its value is skipped */
	char key[4];
	json_read_init(&r, "{\"long key\":1}", 14);
	CHECK(json_read_object_begin(&r) && json_read_key(&r, key, sizeof key));
	CHECK(json_read_skip(&r) && !json_read_key(&r, key, sizeof key));
	CHECK(!r.error);
}

static void test_broken(void)
{
	static const char *const bad[] = {
		"", "{", "[", "{\"a\":}", "{\"a\" 1}", "{\"a\":1 \"b\":2}",
		"[1,,2]", "[,1]", "{,\"a\":1}", "[1 2]", "\"abc", "\"a\\x41\"",
		"\"\\u12\"", "\"\\u12g4\"", "\"tab\there\"", "nul", "tru", "-",
		"{1:2}", "]", "}", "\"\\", "[\"a\"", "{\"a\":[1,2}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		bool ok = skips(bad[i]);
		if (ok)
			fprintf(stderr, "accepted: %s\n", bad[i]);
		CHECK(!ok);
	}
	CHECK(skips("[1,-2.5e3,\"x\",{},[],null,true,false]"));
	/* nesting deeper than JSON_READ_MAX_DEPTH fails, not the stack */
	char deep[2 * (JSON_READ_MAX_DEPTH + 1) + 1];
	for (int i = 0; i <= JSON_READ_MAX_DEPTH; i++) {
		deep[i] = '[';
		deep[JSON_READ_MAX_DEPTH + 1 + i] = ']';
	}
	deep[sizeof deep - 1] = '\0';
	CHECK(!skips(deep));
	deep[JSON_READ_MAX_DEPTH] = ' ';
	deep[JSON_READ_MAX_DEPTH + 1] = ' ';
	CHECK(skips(deep));  /* exactly the limit */
}

/* Every cut of a valid document fails; none reads past the cut. */
static void test_cuts(void)
{
	const char *doc = "{\"a\":[1,{\"b\":\"c\\u00ffd\"}],\"e\":null}";
	size_t len = strlen(doc);
	for (size_t n = 0; n < len; n++) {
		char *copy = malloc(n ? n : 1);  /* exact size: ASan sees overreads */
		memcpy(copy, doc, n);
		struct json_reader r;
		json_read_init(&r, copy, n);
		CHECK(!json_read_skip(&r) || r.error);
		free(copy);
	}
	CHECK(skips(doc));
}

int main(void)
{
	test_walk();
	test_round_trip();
	test_refused_strings();
	test_broken();
	test_cuts();
	return check_result("json_read");
}
