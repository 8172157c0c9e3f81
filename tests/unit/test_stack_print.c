/* Unit test of the stack printers ptrc runs (src/stack/print_text.c,
 * print_json.c: `ptrc stack`, crash reports, -k) on made-up threads: the
 * exact bytes of each format, hostile names (escapes, newlines, invalid
 * UTF-8, C1 controls) escaped, and the elision of long stacks. The walks
 * themselves are tested by test_stack.c. */
#include "check.h"
#include "ptrc/stack.h"
#include "ptrc/strbuf.h"

static struct strbuf out;

static const char *text(const struct stack_thread *t, const char *mark)
{
	sb_reset(&out);
	stack_print_text(&out, t, mark);
	return out.data;
}

static const char *k_lines(const struct stack_thread *t)
{
	sb_reset(&out);
	stack_print_k(&out, t);
	return out.data;
}

static const char *json(const struct stack_thread *t, bool crashed)
{
	sb_reset(&out);
	stack_print_json(&out, t, crashed);
	return out.data;
}

/* Printable ASCII and newlines only. */
static bool clean(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && *p != '\n') || *p >= 0x7f)
			return false;
	return true;
}

/* Each kind of frame: function+offset from a module, an inlined frame, a
 * frame with its source position, a bare module offset, nothing known. */
static void test_plain(void)
{
	struct stack_frame frames[] = {
		{ .pc = 0x7f0000001000, .activation = true, .function = "fn",
		  .function_offset = 0x1a, .module = "/lib/x.so",
		  .module_offset = 0x1000 },
		{ .pc = 0x401000, .inlined = true, .function = "inl",
		  .function_offset = 5, .file = "a.c", .line = 3, .column = 4,
		  .module = "/bin/a", .module_offset = 0x1000 },
		{ .pc = 0x401000, .function = "main", .function_offset = 0x10,
		  .file = "a.c", .line = 9, .module = "/bin/a",
		  .module_offset = 0x1000 },
		{ .pc = 0x7f0000002479, .module = "/lib/y.so",
		  .module_offset = 0x1479 },
		{ .pc = 0x10 },
	};
	struct stack_thread t = { .tid = 42, .comm = "worker", .frames = frames,
		.nframes = 5, .walk = STACK_WALK_COMPLETE };
	CHECK_STR(text(&t, NULL),
		"Thread 42 (worker):\n"
		"#0  0x00007f0000001000 in fn+0x1a from /lib/x.so\n"
		"#1  0x0000000000401000 in inl (inlined) at a.c:3:4\n"
		"#2  0x0000000000401000 in main+0x10 at a.c:9\n"
		"#3  0x00007f0000002479 in ?? from /lib/y.so+0x1479\n"
		"#4  0x0000000000000010 in ??\n");
	CHECK_STR(k_lines(&t),
		" > /lib/x.so(fn+0x1a) [0x1000]\n"
		" > /bin/a(inl) [0x1000] (inlined) a.c:3:4\n"
		" > /bin/a(main+0x10) [0x1000] a.c:9\n"
		" > /lib/y.so() [0x1479]\n"
		" > ?() [0x0]\n");
	CHECK_STR(json(&t, false),
		"{\"tid\":42,\"comm\":\"worker\",\"crashed\":false,"
		"\"walk\":\"complete\",\"vanished\":false,\"stop_reason\":null,"
		"\"frames_total\":5,\"frames_omitted\":0,\"omitted_after\":64,"
		"\"frames\":["
		"{\"index\":0,\"pc\":\"0x7f0000001000\",\"activation\":true,"
		"\"inlined\":false,\"function\":\"fn\",\"function_offset\":26,"
		"\"file\":null,\"line\":0,\"column\":0,\"module\":\"/lib/x.so\","
		"\"module_offset\":\"0x1000\"},"
		"{\"index\":1,\"pc\":\"0x401000\",\"activation\":false,"
		"\"inlined\":true,\"function\":\"inl\",\"function_offset\":5,"
		"\"file\":\"a.c\",\"line\":3,\"column\":4,\"module\":\"/bin/a\","
		"\"module_offset\":\"0x1000\"},"
		"{\"index\":2,\"pc\":\"0x401000\",\"activation\":false,"
		"\"inlined\":false,\"function\":\"main\",\"function_offset\":16,"
		"\"file\":\"a.c\",\"line\":9,\"column\":0,\"module\":\"/bin/a\","
		"\"module_offset\":\"0x1000\"},"
		"{\"index\":3,\"pc\":\"0x7f0000002479\",\"activation\":false,"
		"\"inlined\":false,\"function\":null,\"function_offset\":0,"
		"\"file\":null,\"line\":0,\"column\":0,\"module\":\"/lib/y.so\","
		"\"module_offset\":\"0x1479\"},"
		"{\"index\":4,\"pc\":\"0x10\",\"activation\":false,"
		"\"inlined\":false,\"function\":null,\"function_offset\":0,"
		"\"file\":null,\"line\":0,\"column\":0,\"module\":null,"
		"\"module_offset\":\"0x0\"}]}");

	struct stack_thread gone = { .tid = 5, .comm = "w", .walk = STACK_WALK_NONE,
		.stop_reason = (char *)"gone", .vanished = true };
	CHECK_STR(text(&gone, " [crashed]"), "Thread 5 (w) [crashed]:\n"
		  "(no stack: gone)\n");
	CHECK_STR(k_lines(&gone), " > (no stack: gone)\n");
	CHECK_STR(json(&gone, true),
		"{\"tid\":5,\"comm\":\"w\",\"crashed\":true,\"walk\":\"none\","
		"\"vanished\":true,\"stop_reason\":\"gone\",\"frames_total\":0,"
		"\"frames_omitted\":0,\"omitted_after\":64,\"frames\":[]}");
}

/* A hostile binary: terminal escapes, a newline that would start a fake
 * line, invalid UTF-8 (bytes that cannot start a sequence, an overlong
 * form, a surrogate), a C1 control and valid UTF-8 in its names. Text
 * gets \xHH (the backslash too), JSON \u00XX of each byte. */
static void test_hostile(void)
{
	struct stack_frame frames[] = {
		{ .pc = 0x1234, .activation = true,
		  .function = "\x1b[31mred\x1b[0m\nThread 1 (x):\r\\",
		  .file = "/tmp/\xff\xfe\xc0\x80\xed\xa0\x80.c", .line = 7,
		  .module = "\xc2\x9b" "2J \xe2\x82\xac \"q\"" },
		{ .pc = 0, .inlined = true },
	};
	struct stack_thread t = { .tid = 1, .comm = "\x1b]0;x\x07",
		.frames = frames, .nframes = 2, .walk = STACK_WALK_PARTIAL,
		.stop_reason = (char *)"bad\x01" };
	CHECK_STR(text(&t, " [crashed]"),
		"Thread 1 (\\x1b]0;x\\x07) [crashed]:\n"
		"#0  0x0000000000001234 in \\x1b[31mred\\x1b[0m\\x0aThread 1 (x):"
		"\\x0d\\x5c at /tmp/\\xff\\xfe\\xc0\\x80\\xed\\xa0\\x80.c:7\n"
		"#1  0x0000000000000000 in ?? (inlined)\n"
		"(walk stopped: bad\\x01)\n");
	CHECK(clean(out.data));
	CHECK_STR(k_lines(&t),
		" > \\xc2\\x9b2J \\xe2\\x82\\xac \"q\"(\\x1b[31mred\\x1b[0m\\x0a"
		"Thread 1 (x):\\x0d\\x5c) [0x0] /tmp/\\xff\\xfe\\xc0\\x80\\xed"
		"\\xa0\\x80.c:7\n"
		" > ?() [0x0] (inlined)\n"
		" > (walk stopped: bad\\x01)\n");
	CHECK(clean(out.data));
	CHECK_STR(json(&t, true),
		"{\"tid\":1,\"comm\":\"\\u001b]0;x\\u0007\",\"crashed\":true,"
		"\"walk\":\"partial\",\"vanished\":false,"
		"\"stop_reason\":\"bad\\u0001\",\"frames_total\":2,"
		"\"frames_omitted\":0,\"omitted_after\":64,\"frames\":["
		"{\"index\":0,\"pc\":\"0x1234\",\"activation\":true,"
		"\"inlined\":false,\"function\":\"\\u001b[31mred\\u001b[0m"
		"\\u000aThread 1 (x):\\u000d\\\\\",\"function_offset\":0,"
		"\"file\":\"/tmp/\\u00ff\\u00fe\\u00c0\\u0080\\u00ed\\u00a0"
		"\\u0080.c\",\"line\":7,\"column\":0,"
		"\"module\":\"\\u00c2\\u009b2J \\u00e2\\u0082\\u00ac \\\"q\\\"\","
		"\"module_offset\":\"0x0\"},"
		"{\"index\":1,\"pc\":\"0x0\",\"activation\":false,"
		"\"inlined\":true,\"function\":null,\"function_offset\":0,"
		"\"file\":null,\"line\":0,\"column\":0,\"module\":null,"
		"\"module_offset\":\"0x0\"}]}");
	CHECK(clean(out.data) && !strchr(out.data, '\n'));
}

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

/* A stack overflow: the first STACK_PRINT_HEAD and the last
 * STACK_PRINT_TAIL frames, and how many were left out between. */
static void test_long(void)
{
	enum { N = 200, SHORT = STACK_PRINT_HEAD + STACK_PRINT_TAIL };
	struct stack_frame frames[N];
	for (size_t i = 0; i < N; i++)
		frames[i] = (struct stack_frame){ .pc = 0x1000 + i,
			.function = "recurse", .function_offset = 8,
			.file = "r.c", .line = 5, .module = "/bin/r" };
	struct stack_thread t = { .tid = 9, .comm = "r", .frames = frames,
		.nframes = N, .walk = STACK_WALK_PARTIAL,
		.stop_reason = (char *)"frame cap" };

	const char *s = text(&t, NULL);
	CHECK(count(s, "\n") == 1 + SHORT + 1 + 1);
	CHECK(strstr(s, "\n#63 0x000000000000103f in recurse+0x8 at r.c:5\n"
		     "... 104 frames omitted ...\n"
		     "#168 0x00000000000010a8 in recurse+0x8 at r.c:5\n") != NULL);
	CHECK(strstr(s, "#199 0x00000000000010c7 in recurse+0x8 at r.c:5\n"
		     "(walk stopped: frame cap)\n") != NULL);
	s = k_lines(&t);
	CHECK(count(s, "\n") == SHORT + 1 + 1);
	CHECK(strstr(s, " > /bin/r(recurse+0x8) [0x0] r.c:5\n"
		     " > ... 104 frames omitted ...\n"
		     " > /bin/r(recurse+0x8)") != NULL);
	s = json(&t, false);
	CHECK(strstr(s, "\"frames_total\":200,\"frames_omitted\":104,"
		     "\"omitted_after\":64,") != NULL);
	CHECK(count(s, "{\"index\":") == SHORT);
	CHECK(strstr(s, "\"index\":63,") && strstr(s, "\"index\":168,")
	      && !strstr(s, "\"index\":64,") && !strstr(s, "\"index\":167,"));

	t.nframes = SHORT;   /* just short enough: every frame */
	s = text(&t, NULL);
	CHECK(count(s, "\n") == 1 + SHORT + 1 && !strstr(s, "omitted"));
	s = json(&t, false);
	CHECK(count(s, "{\"index\":") == SHORT
	      && strstr(s, "\"frames_omitted\":0,"));
}

static void test_modules(void)
{
	struct stack_module m[] = {
		{ .path = "/lib/\x1b[2J.so", .start = 0x1000, .end = 0x2000,
		  .build_id = "abcd", .elf_file = "/lib/x.so",
		  .debug_file = "/usr/lib/debug/x\n.debug" },
		{ .start = 0x3000, .end = 0x4000 },
	};
	sb_reset(&out);
	stack_print_modules_text(&out, m, 2);
	CHECK_STR(out.data,
		"0x0000000000001000-0x0000000000002000 /lib/\\x1b[2J.so "
		"build-id abcd debug /usr/lib/debug/x\\x0a.debug\n"
		"0x0000000000003000-0x0000000000004000 ?? build-id (none)\n");
	sb_reset(&out);
	stack_print_modules_json(&out, m, 2);
	CHECK_STR(out.data,
		"[{\"start\":\"0x1000\",\"end\":\"0x2000\","
		"\"path\":\"/lib/\\u001b[2J.so\",\"build_id\":\"abcd\","
		"\"debug_file\":\"/usr/lib/debug/x\\u000a.debug\"},"
		"{\"start\":\"0x3000\",\"end\":\"0x4000\",\"path\":null,"
		"\"build_id\":null,\"debug_file\":null}]");
	sb_reset(&out);
	stack_print_modules_json(&out, NULL, 0);
	CHECK_STR(out.data, "[]");
}

int main(void)
{
	sb_init(&out);
	test_plain();
	test_hostile();
	test_long();
	test_modules();
	sb_free(&out);
	return check_result("stack-print");
}
