/* ptrc triage on fabricated files: reports found among other lines (text
 * and JSON), unknown sections ignored, malformed and hostile ones skipped
 * with a warning naming the line, the grouping and every flag, and output
 * that is printable ASCII whatever the reports held. */
#include "check.h"
#include "triage.h"

#include <stdlib.h>

#define BID_A "2b73e7bb98b1e7702defcbf9b522dd84d639b501"
#define BID_B "9032570fab08d7df1ef8c7ed7c47b80e57f2a651"

static const char text_report[] =
	"12:00:01 read(3, \"x\", 1) = 1\n"
	"=== ptrc crash report ===\n"
	"      Time: 2025-12-08 01:00:00.250000 +0100\n"
	"       PID: 4242 (smtpd\\x0a(x)), crashed thread 4243\n"
	"   Command: \"smtpd\" \"-n\" \"smtp\"\n"
	"Executable: /usr/lib/postfix/sbin/smtpd (build-id " BID_A ")\n"
	"  Compiler: GNU C17 12.2.0 -O2 -g (smtpd.c)\n"
	"    Signal: SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10}\n"
	"\n"  /* a blank line above the signature: still the head */
	"   Address: 0x10 not mapped\n"
	"     Owner: a section of a later version: ignored\n"
	" Signature: 0123456789abcdef\n"
	"   Warning: the executable on disk (build-id " BID_B ") is not the "
	"running image (build-id " BID_A "): the program being executed is not "
	"the one on disk\n"
	"    Action: the signal is re-delivered\n"
	"\n"
	" Signature: ffffffffffffffff\n"   /* below the head: not read */
	"=== end of crash report ===\n"
	"trailing trace line\n";

static const char json_report[] =
	"noise {\"type\":\"crash\",\"time\":1765152000.5,\"time_text\":\"T\","
	"\"pid\":7,\"comm\":\"cleanup\",\"command\":[\"cleanup\"],"
	"\"executable\":\"/usr/lib/postfix/sbin/cleanup (deleted)\","
	"\"build_id\":\"" BID_B "\",\"disk_build_id\":null,"
	"\"producer\":\"clang 16\",\"signal\":{\"number\":11,\"name\":\"SIGSEGV\","
	"\"code\":1,\"text\":\"x\",\"address\":\"0xdeadbeef\"},"
	"\"new_section\":{\"deep\":[[[{\"a\":1}]]]},"
	"\"signature\":\"0123456789abcdef\",\"threads\":[{\"tid\":7}]}\n";

/* Scans TEXT; WARNINGS gets what went to stderr. */
static size_t scan(const char *text, size_t len, struct triage_reports *rs,
		   char **warnings)
{
	FILE *in = fmemopen((void *)text, len, "r");
	size_t wlen;
	FILE *warn = open_memstream(warnings, &wlen);
	size_t before = rs->n;
	CHECK(in && warn && triage_scan(in, "f\x1b.log", rs, warn));
	fclose(in);
	fclose(warn);
	return rs->n - before;
}

static void test_found(void)
{
	struct triage_reports rs = { 0 };
	char *w;
	CHECK(scan(text_report, sizeof text_report - 1, &rs, &w) == 1);
	CHECK_STR(w, "");
	free(w);
	const struct triage_report *r = &rs.v[0];
	CHECK(r->line == 2 && r->pid == 4242);
	CHECK_STR(r->comm, "smtpd\n(x)");
	CHECK_STR(r->exe, "/usr/lib/postfix/sbin/smtpd");
	CHECK_STR(r->build_id, BID_A);
	CHECK_STR(r->disk_build_id, BID_B);
	CHECK(r->replaced);
	CHECK_STR(r->producer, "GNU C17 12.2.0 -O2 -g");
	CHECK_STR(r->signal, "SIGSEGV");
	CHECK(r->has_address && r->address == 0x10);
	CHECK_STR(r->signature, "0123456789abcdef");
	/* 01:00:00.25 +0100 is 00:00:00.25 UTC */
	CHECK(r->has_time && r->time_us == 1765152000250000ll);

	CHECK(scan(json_report, sizeof json_report - 1, &rs, &w) == 1);
	CHECK_STR(w, "");
	free(w);
	r = &rs.v[1];
	CHECK(r->pid == 7 && r->has_time && r->time_us == 1765152000500000ll);
	CHECK_STR(r->comm, "cleanup");
	CHECK(r->replaced && !r->disk_build_id);  /* "(deleted)" */
	CHECK(r->has_address && r->address == 0xdeadbeef);
	triage_reports_free(&rs);
}

/* A text report whose every line carries a prefix, among lines that do
 * not; times with other than 6 digits of microseconds are refused. */
static void test_prefixed(void)
{
	static const char report[] =
		"[pid 9] === ptrc crash report ===\n"
		"[pid 9]       Time: 2025-12-08 00:00:00.5 +0000\n"
		"[pid 9]     Signal: SIGBUS\n"
		"    Signal: SIGSEGV\n"
		"[pid 9]  Signature: 0123456789abcdef\n"
		"[pid 9] === end of crash report ===\n";
	struct triage_reports rs = { 0 };
	char *w;
	CHECK(scan(report, sizeof report - 1, &rs, &w) == 1);
	CHECK_STR(rs.v[0].signal, "SIGBUS");
	CHECK(!rs.v[0].has_time);
	free(w);
	triage_reports_free(&rs);
	/* a prefix with a NUL byte (fuzz_triage found strndup cut it) */
	static const char nul[] = "a\0b=== ptrc crash report ===\na\0bc\n";
	CHECK(scan(nul, sizeof nul - 1, &rs, &w) == 0);
	free(w);
	triage_reports_free(&rs);
	int64_t us;
	CHECK(triage_parse_time("1970-01-01 01:00:00.000001 +0100", &us) && us == 1);
	CHECK(!triage_parse_time("1970-01-01 00:00:00.0000001 +0000", &us));
	CHECK(!triage_parse_time("1970-01-01 00:00:00.000001 +0000 x", &us));
}

/* A head line below the head (a later section's) does not count. */
static void test_head_only(void)
{
	static const char report[] =
		"=== ptrc crash report ===\n    Signal: SIGABRT\n"
		" Signature: 0123456789abcdef\n\n   Address: 0x10\n"
		"=== end of crash report ===\n";
	struct triage_reports rs = { 0 };
	char *w;
	CHECK(scan(report, sizeof report - 1, &rs, &w) == 1);
	CHECK(!rs.v[0].has_address);
	free(w);
	triage_reports_free(&rs);
}

static void test_malformed(void)
{
	static const char cut[] =
		"=== ptrc crash report ===\n Signature: 0123456789abcdef\n"
		"    Signal: SIGSEGV\n"
		"=== ptrc crash report ===\n Signature: 0123456789abcdef\n"
		"    Signal: SIGBUS\n=== end of crash report ===\n"
		"=== ptrc crash report ===\n    Signal: SIGSEGV\n"
		"=== end of crash report ===\n"
		"{\"type\":\"crash\",\"signature\":\"0123\"}\n"
		"{\"type\":\"crash\",\"signature\":\"0123456789abcdef\"\n"
		"{\"type\":\"crash\",\"type\":\"other\"}\n"
		"=== ptrc crash report ===\n Signature: 0123456789abcdef\n";
	struct triage_reports rs = { 0 };
	char *w;
	CHECK(scan(cut, sizeof cut - 1, &rs, &w) == 1);
	CHECK_STR(rs.v[0].signal, "SIGBUS");
	CHECK_STR(w,
		"ptrc triage: f\\x1b.log:1: skipped a crash report: it does not end (cut short?)\n"
		"ptrc triage: f\\x1b.log:8: skipped a crash report: no signature (16 hex digits)\n"
		"ptrc triage: f\\x1b.log:11: skipped a crash report: no signature (16 hex digits)\n"
		"ptrc triage: f\\x1b.log:12: skipped a crash report: broken JSON (cut short, or not JSON)\n"
		"ptrc triage: f\\x1b.log:13: skipped a crash report: a JSON object of another type than \"crash\"\n"
		"ptrc triage: f\\x1b.log:14: skipped a crash report: it does not end (cut short?)\n");
	free(w);
	triage_reports_free(&rs);
}

/* Random bytes, and reports with random bytes in them: never a crash,
 * and what is kept is well formed. */
static void test_hostile(void)
{
	char buf[4096];
	unsigned seed = 1;
	struct triage_reports rs = { 0 };
	for (int round = 0; round < 300; round++) {
		const char *base = round % 2 ? text_report : json_report;
		size_t len = strlen(base);
		memcpy(buf, base, len);
		for (int k = 0; k < 1 + round % 8; k++)
			buf[rand_r(&seed) % len] = (char)rand_r(&seed);
		char *w;
		scan(buf, len, &rs, &w);
		free(w);
	}
	for (size_t i = 0; i < rs.n; i++)
		CHECK(rs.v[i].signature && strlen(rs.v[i].signature) == 16);
	triage_reports_free(&rs);
}

static struct triage_report fake(const char *sig, const char *exe,
				 const char *bid, const char *producer,
				 uint64_t address, int64_t t)
{
	return (struct triage_report){ .file = "f", .line = 1, .pid = 100 + t,
		.has_time = true, .time_us = t, .time_text = strdup("T"),
		.comm = strdup("smtpd\x1b[31m"), .exe = strdup(exe),
		.build_id = bid ? strdup(bid) : NULL,
		.producer = producer ? strdup(producer) : NULL,
		.signal = strdup("SIGSEGV"), .signature = strdup(sig),
		.has_address = true, .address = address };
}

static bool has_flag(const struct triage *t, enum triage_flag_kind kind)
{
	for (size_t i = 0; i < t->nflags; i++)
		if (t->flags[i].kind == kind)
			return true;
	return false;
}

static void test_flags(void)
{
	struct triage_report v[] = {
		fake("aaaaaaaaaaaaaaaa", "/smtpd", BID_A, "gcc 12", 0x10, 3),
		fake("aaaaaaaaaaaaaaaa", "/smtpd", BID_A, "gcc 12", 0x10, 1),
		fake("bbbbbbbbbbbbbbbb", "/smtpd", BID_A, "gcc 12", 0x20, 2),
		fake("aaaaaaaaaaaaaaaa", "/smtpd", BID_B, "gcc 13", 0x10, 4),
	};
	struct triage_reports rs = { v, 4, 4 };
	struct triage t;
	CHECK(triage_build(&t, &rs));
	CHECK(t.ncrashes == 2 && t.crashes[0].count == 3);
	CHECK(t.order[t.crashes[0].start]->time_us == 1);  /* oldest first */
	CHECK(has_flag(&t, FLAG_HARDWARE_SUSPECT));
	CHECK(has_flag(&t, FLAG_NEVER_REPEATED));
	CHECK(has_flag(&t, FLAG_SURVIVED_REBUILD));
	CHECK(has_flag(&t, FLAG_DIFFERENT_COMPILERS));
	CHECK(!has_flag(&t, FLAG_PROGRAM_REPLACED));
	struct strbuf sb;
	sb_init(&sb);
	triage_print_text(&sb, &t);
	triage_print_json(&sb, &t);
	for (size_t i = 0; i < sb.len; i++)
		CHECK(sb.data[i] == '\n' || (sb.data[i] >= 0x20 && sb.data[i] < 0x7f));
	CHECK(strstr(sb.data, "processes smtpd\\x1b[31m[101,103,104]"));
	sb_free(&sb);
	triage_free(&t);

	/* one build, one crash, one address: nothing to flag */
	rs.n = 2;
	CHECK(triage_build(&t, &rs));
	CHECK(t.ncrashes == 1 && t.nflags == 0);
	triage_free(&t);
	for (size_t i = 0; i < 4; i++)
		triage_report_free(&v[i]);
}

int main(void)
{
	test_found();
	test_head_only();
	test_prefixed();
	test_malformed();
	test_hostile();
	test_flags();
	return check_result("triage");
}
