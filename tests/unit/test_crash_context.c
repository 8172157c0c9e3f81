/* The crash report's context parsers (src/modes/crash_ctx_parse.c) on
 * made-up and hostile input: /proc fields cut short, numbers that
 * overflow, /proc/PID/limits lines, and the kernel's core_pattern
 * expansion (fs/coredump.c's rules). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>

#include "check.h"
#include "../../src/modes/crash_context.h"
#include "../../src/modes/crash_ctx_parse.h"
#include "../../src/modes/crash_ctx_verdict.h"

static struct strbuf out;

#define T(s) s, sizeof(s) - 1

static void test_fields(void)
{
	size_t vlen;
	bool cut;
	const char *v = ctx_field(T("Name:\tx\nUid:\t0\t1\t2\t3\nGid:\t4"), "Uid",
				  &vlen, &cut);
	CHECK(v && vlen == 7 && !cut && !memcmp(v, "0\t1\t2\t3", 7));
	v = ctx_field(T("Name:\tx\nUid:\t0\t1\t2\t3\nGid:\t4"), "Gid", &vlen, &cut);
	CHECK(v && vlen == 1 && cut);
	CHECK(!ctx_field(T("Uidx:\t0\n"), "Uid", &vlen, &cut));
	CHECK(!ctx_field(T("xUid:\t0\n"), "Uid", &vlen, &cut));
	CHECK(!ctx_field(T(""), "Uid", &vlen, &cut));

	unsigned long n[4];
	CHECK(ctx_parse_numbers(T("0\t1 2\t3"), false, n, 4) == 4 && n[3] == 3);
	CHECK(ctx_parse_numbers(T("5 6 7"), false, n, 2) == 3 && n[1] == 6);
	CHECK(ctx_parse_numbers(T("5 x"), false, n, 4) == -1);
	CHECK(ctx_parse_numbers(T("5-"), false, n, 4) == -1);
	CHECK(ctx_parse_numbers(T("99999999999999999999999"), false, n, 4) == -1);
	/* the last number of a cut text may have lost digits: dropped */
	CHECK(ctx_parse_numbers(T("1 2 3"), true, n, 4) == 2);
	CHECK(ctx_parse_numbers(T(" "), false, n, 4) == 0);
}

static void test_fdinfo(void)
{
	unsigned long flags;
	unsigned long long pos;
	const char info[] = "pos:\t10\nflags:\t02100002\nmnt_id:\t25\nino:\t7\n";
	CHECK(ctx_fdinfo_flags(info, sizeof info - 1, &flags) && flags == 02100002);
	CHECK(ctx_fdinfo_pos(info, sizeof info - 1, &pos) && pos == 10);
	CHECK(!ctx_fdinfo_flags(T("flags:\t0210"), &flags));     /* cut */
	CHECK(!ctx_fdinfo_flags(T("flags:\t0810\n"), &flags));   /* not octal */
	CHECK(!ctx_fdinfo_flags(T("flags:\t077777777777\n"), &flags));
	CHECK(!ctx_fdinfo_pos(T("pos:\t\n"), &pos));
	CHECK(!ctx_fdinfo_pos(T("pos:\t99999999999999999999\n"), &pos));
	CHECK(ctx_fdinfo_pos(T("pos:\t18446744073709551615\n"), &pos) &&
	      pos == UINT64_MAX);
}

static void test_limits(void)
{
	const char text[] =
		"Limit                     Soft Limit           Hard Limit           Units     \n"
		"Max core file size        0                    unlimited            bytes     \n"
		"Max open files            1024                 524288               files     \n"
		"Max stack size            8388608              unlimited            bytes     \n"
		"Max data size             unlimited            unlimited";
	uint64_t soft, hard;
	CHECK(ctx_limits_line(text, sizeof text - 1, "Max core file size", &soft,
			      &hard) && soft == 0 && hard == UINT64_MAX);
	CHECK(ctx_limits_line(text, sizeof text - 1, "Max open files", &soft,
			      &hard) && soft == 1024 && hard == 524288);
	/* the last line has no newline: it may be cut */
	CHECK(!ctx_limits_line(text, sizeof text - 1, "Max data size", &soft, &hard));
	CHECK(!ctx_limits_line(text, sizeof text - 1, "Max address space", &soft,
			       &hard));
	CHECK(!ctx_limits_line(T("Max open files  12x  3\n"), "Max open files",
			       &soft, &hard));
	CHECK(!ctx_limits_line(T("Max open files  unlimitedx 3\n"),
			       "Max open files", &soft, &hard));
	CHECK(!ctx_limits_line(T("Max open files  99999999999999999999999 3\n"),
			       "Max open files", &soft, &hard));
}

static const char *expand(const char *pattern, const struct core_vars *v,
			  bool *exact)
{
	sb_reset(&out);
	*exact = ctx_expand_core_pattern(&out, pattern, v);
	return out.data ? out.data : "";
}

static void test_core_pattern(void)
{
	struct core_vars v = {
		.pid = 12, .tid = 13, .global_pid = 112, .global_tid = 113,
		.uid = 100, .gid = 101, .signo = 11, .dump_mode = 1,
		.comm = "smtp/d", .exe = "/usr/lib/postfix/sbin/smtpd",
		.hostname = "mx", .core_limit = "18446744073709551615",
	};
	bool exact;
	CHECK_STR(expand("core", &v, &exact), "core");
	CHECK(exact);
	CHECK_STR(expand("/var/crash/%e.%p.%i.%P.%I.%u.%g.%s.%d.%h.%c.%%",
			 &v, &exact),
		  "/var/crash/smtp!d.12.13.112.113.100.101.11.1.mx."
		  "18446744073709551615.%");
	CHECK(exact);
	CHECK_STR(expand("%E-%f", &v, &exact),
		  "!usr!lib!postfix!sbin!smtpd-smtpd");
	/* %t is the second of the dump, not known yet: kept as written */
	CHECK_STR(expand("core.%t.%p", &v, &exact), "core.%t.12");
	CHECK(!exact);
	/* an unknown specifier and a lone % at the end are dropped */
	CHECK_STR(expand("a%yb%", &v, &exact), "ab");
	CHECK(exact);
	/* core_uses_pid: ".PID" unless %p is in the pattern */
	v.uses_pid = true;
	CHECK_STR(expand("core", &v, &exact), "core.12");
	CHECK_STR(expand("core-%p", &v, &exact), "core-12");
	v.pid = -1;  /* another pid namespace */
	CHECK_STR(expand("core", &v, &exact), "core.%p");
	CHECK(!exact);
	v.uses_pid = false;
	v.comm = "..";
	CHECK_STR(expand("%e", &v, &exact), "!.");
	v.comm = ".";
	CHECK_STR(expand("%e", &v, &exact), "!");
	v.comm = NULL;
	v.hostname = NULL;
	CHECK_STR(expand("%e@%h", &v, &exact), "%e@%h");
	CHECK(!exact);
}

static void check_verdict(const struct ctx_core *k, uint64_t soft,
			  const char *want, int line)
{
	struct ctx_limit core = { "core", true, soft, (uint64_t)-1 };
	char *got = ctx_core_verdict(k, &core, 11, 42);
	if (!got || strcmp(got, want))
		fprintf(stderr, "line %d:\n", line);
	CHECK_STR(got, want);
	free(got);
}
#define VERDICT(k, soft, want) check_verdict(k, soft, want, __LINE__)

static void test_verdict(void)
{
	char pattern[] = "core", helper[] = "/usr/lib/systemd/systemd-coredump",
	     path[] = "core", host[] = "/var/spool/postfix/core";
	struct ctx_core k = { .signal_dumps = true, .pattern = pattern,
			      .path = path, .host_path = host, .path_exact = true,
			      .dumpable = -1, .suid_dumpable = 0 };
	VERDICT(&k, (uint64_t)-1, "file /var/spool/postfix/core");
	VERDICT(&k, 0, "none: RLIMIT_CORE is 0");
	VERDICT(&k, 4095, "none: RLIMIT_CORE is 4095 (below one page)");
	VERDICT(&k, 4096, "file /var/spool/postfix/core");
	k.path_exact = false;
	VERDICT(&k, 4096, "file like /var/spool/postfix/core");
	k.dumpable = 0;
	VERDICT(&k, 4096, "none: the process is not dumpable (it changed "
		"credentials; fs.suid_dumpable is 0)");
	k.suid_dumpable = 2;
	VERDICT(&k, 4096, "none: the process is not dumpable and "
		"fs.suid_dumpable=2 needs an absolute core_pattern");
	k.dumpable = 1;
	k.host_path = NULL;
	VERDICT(&k, 4096, "a file core relative to an unknown cwd");
	/* pipes: the kernel ignores the limit, but for 1 */
	k.pipe = true;
	k.helper = helper;
	k.path = NULL;
	VERDICT(&k, 0, "piped to the helper /usr/lib/systemd/systemd-coredump "
		"(the kernel ignores RLIMIT_CORE for a pipe)");
	VERDICT(&k, 1, "none: the kernel pipes no core with RLIMIT_CORE 1");
	k.systemd = true;
	VERDICT(&k, 0, "none kept: systemd-coredump logs the crash (coredumpctl "
		"list) but honours RLIMIT_CORE 0");
	VERDICT(&k, 4096, "piped to systemd-coredump: coredumpctl info 42 finds it");
	k.dumpable = 0;
	k.suid_dumpable = 0;
	VERDICT(&k, 4096, "none: the process is not dumpable (it changed "
		"credentials; fs.suid_dumpable is 0)");
	k.signal_dumps = false;
	VERDICT(&k, 4096, "none: SIGSEGV does not dump core");
	k.signal_dumps = true;
	k.pattern = NULL;
	VERDICT(&k, 4096, "unknown: /proc/sys/kernel/core_pattern unreadable");
}

/* The printers on a made-up context with hostile bytes everywhere. */
static void test_print(void)
{
	char name[] = "ro\not\x1b", group[] = "g\"rp", cg[] = "0::/a\nb",
	     env[] = "K=v\001\n", text[] = "3</x\\n>", target[] = "/x\n",
	     verdict[] = "file /c\n", pattern[] = "core\n%p";
	char *cgroups[] = { cg }, *envs[] = { env };
	struct ctx_id groups[] = { { 4, group } };
	struct ctx_fd fds[] = { { .fd = 3, .text = text, .target = target,
				  .has_flags = true, .flags = O_RDWR | O_CLOEXEC,
				  .has_pos = true, .pos = 7 } };
	struct crash_context c = {
		.collected = true,
		.has_ids = true,
		.uid = { { 0, name }, { 5, NULL }, { 0, name }, { 0, name } },
		.gid = { { 1, group }, { 1, group }, { 1, group }, { 1, group } },
		.groups = groups, .ngroups = 1, .groups_total = 3,
		.cwd = target, .root = target, .chrooted = true,
		.cgroups = cgroups, .ncgroups = 1,
		.limits = { { "core", true, 0, (uint64_t)-1 },
			    { "stack", false, 0, 0 },
			    { "nofile", true, 1024, 1024 },
			    { "as", true, (uint64_t)-1, (uint64_t)-1 },
			    { "data", true, 1, 2 } },
		.fds = fds, .nfds = 1, .fds_total = 70, .fds_listed = true,
		.core = { .signal_dumps = true, .pattern = pattern,
			  .verdict = verdict, .dumpable = 0, .suid_dumpable = 2 },
		.want_env = true, .env = envs, .nenv = 1,
	};
	sb_reset(&out);
	crash_context_text(&out, &c);
	CHECK_STR(out.data,
		"\nProcess context:\n"
		"      User: uid 0(ro\\x0aot\\x1b) euid 5 suid 0(ro\\x0aot\\x1b) "
		"fsuid 0(ro\\x0aot\\x1b)\n"
		"     Group: gid 1(g\"rp)\n"
		"    Groups: 4(g\"rp) (and 2 more)\n"
		"       Cwd: /x\\x0a (outside the chroot)\n"
		"      Root: /x\\x0a (chrooted: the process sees it as /)\n"
		"    Cgroup: 0::/a\\x0ab\n"
		"    Limits: core 0/unlimited, stack ?, nofile 1024, as unlimited, "
		"data 1/2 (soft/hard)\n"
		"      Core: file /c\\x0a (core_pattern \"core\\n%p\", not dumpable)\n"
		"       Fds: 70 open\n"
		"            3</x\\n> O_RDWR|O_CLOEXEC pos=7\n"
		"            ... and 69 more\n"
		"       Env: 1 variable\n"
		"            \"K=v\\1\\n\"\n");
	sb_reset(&out);
	crash_context_json(&out, &c);
	CHECK(strstr(out.data, "\"uid\":{\"real\":{\"id\":0,\"name\":"
			       "\"ro\\u000aot\\u001b\"},\"effective\":{\"id\":5,"
			       "\"name\":null}"));
	CHECK(strstr(out.data, "\"limits\":{\"core\":{\"soft\":0,\"hard\":"
			       "\"unlimited\"},\"stack\":null,"));
	CHECK(strstr(out.data, "{\"fd\":3,\"text\":\"3</x\\\\n>\",\"target\":"
			       "\"/x\\u000a\",\"flags\":\"02000002\",\"flags_text\":"
			       "\"O_RDWR|O_CLOEXEC\",\"pos\":7}"));
	CHECK(strstr(out.data, "\"count\":70,\"more\":69,"));
	CHECK(strstr(out.data, "\"dumpable\":false,\"suid_dumpable\":2,"));
	CHECK(strstr(out.data, "\"environment\":[\"K=v\\u0001\\u000a\"],"
			       "\"environment_cut\":false}"));
	CHECK(!strchr(out.data, '\n'));
	/* A verdict that rests on the dumpable flag does not repeat it. */
	char said[] = "none: the process is not dumpable (reason)";
	c.core.verdict = said;
	sb_reset(&out);
	crash_context_text(&out, &c);
	CHECK(strstr(out.data, "      Core: none: the process is not dumpable "
			       "(reason) (core_pattern \"core\\n%p\")\n"));
}

int main(void)
{
	sb_init(&out);
	test_fields();
	test_fdinfo();
	test_limits();
	test_core_pattern();
	test_print();
	test_verdict();
	sb_free(&out);
	return check_result("crash-context");
}
