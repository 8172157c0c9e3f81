/* Unit test of src/stack against fixtures/stack_threads.c.
 *
 * usage: test_stack [--no-cfi] FIXTURE_BINARY FIXTURE_SOURCE
 *
 * Starts the fixture, waits for "ready" and for every thread to sleep,
 * seizes and interrupts each thread, then walks them all with both
 * backends and checks the fixture's own frames: function names, the lines
 * marked LINE:<name> in the source, the inlined frame, the activation
 * above the signal frame, and that both backends unwind to the same pcs.
 * Also: the frame cap, a vanished thread, modules with build-ids, and that
 * ptrc's printers print the walks as clean text and valid JSON (checked
 * with python3 when there is one; their exact bytes and hostile names:
 * test_stack_print.c). With --no-cfi (the fixture stripped of .eh_frame and
 * .debug_frame): every walk stops early with a reason and no garbage
 * frame. Exit 0 when every check passes, 1 otherwise. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ptrc/stack.h"
#include "ptrc/strbuf.h"
#include "stack_fixture.h"

#define NROLES 9
#define RECURSION_DEPTH 10   /* as in the fixture */

static int failures;

static void check(bool ok, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("%s ", ok ? "ok  " : "FAIL");
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	if (!ok)
		failures++;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ---- markers in the fixture source ---- */

struct marker {
	char name[32];
	int line;
};
static struct marker markers[32];
static size_t nmarkers;

static bool read_markers(const char *source)
{
	FILE *f = fopen(source, "r");
	if (!f)
		return false;
	char buf[512];
	for (int line = 1; fgets(buf, sizeof buf, f); line++) {
		const char *m = strstr(buf, "/* LINE:");
		if (!m || nmarkers == sizeof markers / sizeof markers[0])
			continue;
		if (sscanf(m, "/* LINE:%31[A-Za-z0-9_] */",
				markers[nmarkers].name) == 1)
			markers[nmarkers++].line = line;
	}
	fclose(f);
	return nmarkers > 0;
}

static int marker_line(const char *name)
{
	for (size_t i = 0; i < nmarkers; i++)
		if (strcmp(markers[i].name, name) == 0)
			return markers[i].line;
	fprintf(stderr, "no marker LINE:%s in the fixture\n", name);
	exit(1);
}

/* ---- what each role's fixture frames must be ---- */

struct expected_frame {
	const char *function;
	const char *marker;      /* NULL: the position is not checked */
	bool inlined;
	bool activation;
};


static struct expected_frame want(const char *function, const char *marker)
{
	return (struct expected_frame){ .function = function, .marker = marker };
}

/* The fixture's own frames of ROLE, innermost first (frames in other
 * modules, such as libc's signal trampoline, are skipped). */
static size_t expected_frames(int role, struct expected_frame *out)
{
	static char names[NROLES][16];
	size_t n = 0;
	switch (role) {
	case 0:
		out[n++] = want("wait_here_0", "wait_here_0");
		out[n++] = want("main", "main");
		/* i386 too, though eu-stack ends there: main realigns the
		 * stack, its CFA is a memory word, and libdw's own reader
		 * returns 8 bytes for it (src/stack/thread_state32.c). */
		out[n++] = want("_start", NULL);  /* crt1: no lines */
		return n;
	case 4:
		out[n++] = want("wait_here_4", "wait_here_4");
		out[n++] = want("recurse", "recurse_base");
		for (int i = 0; i < RECURSION_DEPTH; i++)
			out[n++] = want("recurse", "recurse");
		out[n++] = want("recursion_start", "recursion_start");
		break;
	case 5:
		out[n] = want("inlined_wait", "inlined_wait");
		out[n++].inlined = true;
		out[n++] = want("wait_here_5", "wait_here_5");
		break;
	case 6:
		out[n++] = want("wait_in_handler", "wait_in_handler");
		out[n++] = want("on_signal", "on_signal");
		out[n] = want("wait_here_6", "wait_here_6");
		out[n++].activation = true;
		break;
	default:
		snprintf(names[role], sizeof names[role], "wait_here_%d", role);
		out[n++] = want(names[role], names[role]);
		break;
	}
	out[n++] = want("thread_start", "thread_start");
	return n;
}

/* ---- the fixture process ---- */

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static bool is_fixture_frame(const struct stack_frame *f)
{
	return f->module && strcmp(f->module, fixture_exe) == 0;
}

static int role_of(const char *comm)
{
	int role;
	if (sscanf(comm, "wait_%d", &role) == 1 && role > 0 && role < NROLES)
		return role;
	return 0;
}

/* ---- checks of one walk ---- */

static bool same_file(const char *path, const char *source)
{
	return path && strcmp(base_name(path), base_name(source)) == 0;
}

static void check_thread(const char *backend, const struct stack_thread *t,
		const char *source)
{
	int role = role_of(t->comm);
	struct expected_frame expect[32];
	size_t nwant = expected_frames(role, expect);
	const struct stack_frame *got[64];
	size_t ngot = 0;
	for (size_t i = 0; i < t->nframes && ngot < 64; i++)
		if (is_fixture_frame(&t->frames[i]))
			got[ngot++] = &t->frames[i];

	check(t->walk == STACK_WALK_COMPLETE, "%s: thread %d (%s) walk complete"
			"%s%s", backend, (int)t->tid, t->comm,
			t->stop_reason ? ": " : "",
			t->stop_reason ? t->stop_reason : "");
	check(t->nframes > 0 && t->frames[0].activation && t->frames[0].function,
			"%s: thread %d frame 0 is a named activation (%s)", backend,
			(int)t->tid, t->nframes && t->frames[0].function
			? t->frames[0].function : "none");
	check(ngot == nwant, "%s: thread %d (%s) has %zu fixture frames "
			"(want %zu)", backend, (int)t->tid, t->comm, ngot, nwant);
	bool all_match = ngot == nwant;
	for (size_t i = 0; i < nwant && i < ngot; i++) {
		const struct stack_frame *f = got[i];
		int line = expect[i].marker ? marker_line(expect[i].marker) : 0;
		bool ok = f->function && strcmp(f->function, expect[i].function) == 0
			&& (!expect[i].marker
				|| (same_file(f->file, source) && f->line == line))
			&& f->inlined == expect[i].inlined
			&& (!expect[i].activation || f->activation);
		if (!ok || expect[i].inlined || expect[i].activation)
			check(ok, "%s: thread %d fixture frame %zu is %s%s%s at "
					"line %d (got %s at %s:%d%s%s)", backend,
					(int)t->tid, i, expect[i].function,
					expect[i].inlined ? " (inlined)" : "",
					expect[i].activation ? " (activation)" : "",
					line, f->function ? f->function : "??",
					f->file ? base_name(f->file) : "??", f->line,
					f->inlined ? " inlined" : "",
					f->activation ? " activation" : "");
		all_match &= ok;
	}
	check(all_match, "%s: thread %d (%s) fixture frames match names and "
			"marked lines", backend, (int)t->tid, t->comm);
}

/* Both backends must agree on the pcs of the fixture's real frames. */
static void compare_backends(const struct stack_thread *a,
		const struct stack_thread *b)
{
	uint64_t pa[64], pb[64];
	size_t na = 0, nb = 0;
	for (size_t i = 0; i < a->nframes && na < 64; i++)
		if (is_fixture_frame(&a->frames[i]) && !a->frames[i].inlined)
			pa[na++] = a->frames[i].pc;
	for (size_t i = 0; i < b->nframes && nb < 64; i++)
		if (is_fixture_frame(&b->frames[i]) && !b->frames[i].inlined)
			pb[nb++] = b->frames[i].pc;
	check(na == nb && na > 0 && memcmp(pa, pb, na * sizeof *pa) == 0,
			"libdw and libunwind agree on the %zu fixture pcs of thread %d",
			na, (int)a->tid);
}

/* ---- printers ---- */

static bool text_is_clean(const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		if ((*p < 0x20 && *p != '\n') || *p >= 0x7f)
			return false;
	return true;
}

/* 1 valid, 0 invalid, -1 no python3 to ask. */
static int json_is_valid(const char *json)
{
	if (system("command -v python3 >/dev/null 2>&1") != 0)
		return -1;
	FILE *p = popen("python3 -c 'import json,sys; "
			"json.loads(sys.stdin.buffer.read().decode(\"ascii\"))'", "w");
	if (!p)
		return -1;
	fputs(json, p);
	return pclose(p) == 0;
}

/* The printers ptrc runs, on real walks (their exact bytes, hostile names
 * and long stacks: test_stack_print.c). */
static void check_printers(const struct stack_thread *threads, size_t n)
{
	struct strbuf text, json;
	sb_init(&text);
	sb_init(&json);
	sb_putc(&json, '[');
	for (size_t i = 0; i < n; i++) {
		stack_print_text(&text, &threads[i], i ? NULL : " [crashed]");
		stack_print_k(&text, &threads[i]);
		if (i)
			sb_putc(&json, ',');
		stack_print_json(&json, &threads[i], i == 0);
	}
	sb_putc(&json, ']');

	check(text_is_clean(text.data), "text output holds only printable ASCII "
			"and newlines (%zu bytes)", text.len);
	int valid = json_is_valid(json.data);
	if (valid < 0)
		printf("skip JSON validation: no python3\n");
	else
		check(valid == 1, "JSON output parses (%zu bytes)", json.len);
	if (getenv("TEST_STACK_SHOW"))
		printf("%s\n%s\n", text.data, json.data);
	sb_free(&text);
	sb_free(&json);
}

/* Prints T with the text printer ptrc runs (TEST_STACK_SHOW). */
static void show_thread(const struct stack_thread *t)
{
	struct strbuf sb;
	sb_init(&sb);
	stack_print_text(&sb, t, NULL);
	fputs(sb.data, stdout);
	sb_free(&sb);
}

/* ---- one backend over every thread ---- */

static void walk_all(struct stack_session *s, const pid_t *tids, size_t n,
		struct stack_thread *out, double *ms)
{
	double start = now_ms();
	for (size_t i = 0; i < n; i++)
		if (stack_unwind_thread(s, tids[i], &out[i], 0) < 0)
			check(false, "stack_unwind_thread %d: %s", (int)tids[i],
					strerror(errno));
	*ms = now_ms() - start;
}

static void free_all(struct stack_thread *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		stack_thread_free(&t[i]);
}

static pid_t dead_tid(void)
{
	pid_t child = fork();
	if (child == 0)
		_exit(0);
	waitpid(child, NULL, 0);
	return child;
}

static int role4_index(const struct stack_thread *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (role_of(t[i].comm) == 4)
			return (int)i;
	return -1;
}

/* The fixture with its CFI stripped: every walk must stop early, say why,
 * and show no frame outside the process's modules. */
static void check_no_cfi(const pid_t *tids, size_t n, bool is32)
{
	for (int b = 0; b < 2; b++) {
		enum stack_backend backend = b ? STACK_BACKEND_LIBUNWIND
			: STACK_BACKEND_LIBDW;
		if (backend == STACK_BACKEND_LIBUNWIND && is32)
			continue;
		char *error = NULL;
		struct stack_session *s = stack_session_open(fixture_pid, backend,
				&error);
		check(s != NULL, "%s session opens%s%s",
				stack_backend_name(backend), error ? ": " : "",
				error ? error : "");
		free(error);
		if (!s)
			continue;
		for (size_t i = 0; i < n; i++) {
			struct stack_thread t;
			stack_unwind_thread(s, tids[i], &t, 0);
			bool in_modules = true;
			for (size_t k = 0; k < t.nframes; k++)
				in_modules &= t.frames[k].module != NULL;
			check(t.walk == STACK_WALK_PARTIAL && t.stop_reason
					&& in_modules, "%s: thread %d (%s) without CFI: "
					"%zu frames, all in modules, then \"%s\"",
					stack_backend_name(backend), (int)t.tid, t.comm,
					t.nframes, t.stop_reason ? t.stop_reason : "");
			if (getenv("TEST_STACK_SHOW"))
				show_thread(&t);
			stack_thread_free(&t);
		}
		stack_session_close(s);
	}
}

/* The frame cap, a vanished thread, and modules with build-ids. */
static void check_limits_and_modules(struct stack_session *s, const pid_t *tids,
		const struct stack_thread *walked, size_t n)
{
	int r4 = role4_index(walked, n);
	struct stack_thread t;
	stack_unwind_thread(s, r4 >= 0 ? tids[r4] : tids[0], &t, 5);
	check(t.nframes == 5 && t.walk == STACK_WALK_PARTIAL && t.stop_reason
			&& strstr(t.stop_reason, "cap"),
			"a 5-frame cap cuts the recursion: %zu frames, \"%s\"",
			t.nframes, t.stop_reason ? t.stop_reason : "");
	stack_thread_free(&t);

	pid_t gone = dead_tid();
	stack_unwind_thread(s, gone, &t, 0);
	check(t.vanished && t.walk == STACK_WALK_NONE && t.nframes == 0,
			"a vanished thread is reported: \"%s\"",
			t.stop_reason ? t.stop_reason : "");
	stack_thread_free(&t);

	struct stack_module *mods;
	size_t nmods;
	bool fixture_id = false, libc_id = false;
	if (stack_session_modules(s, &mods, &nmods) == 0) {
		for (size_t i = 0; i < nmods; i++) {
			if (!mods[i].build_id || !mods[i].path)
				continue;
			fixture_id |= strcmp(mods[i].path, fixture_exe) == 0;
			libc_id |= strstr(mods[i].path, "libc.so") != NULL;
		}
		if (getenv("TEST_STACK_SHOW")) {
			struct strbuf sb;
			sb_init(&sb);
			stack_print_modules_text(&sb, mods, nmods);
			fputs(sb.data ? sb.data : "", stdout);
			sb_free(&sb);
		}
		free(mods);
	}
	check(fixture_id && libc_id, "modules list the fixture and libc "
			"with build-ids");
}

/* libdw: every thread walked into OUT (three times: first, cached, after
 * mappings_changed) and checked. The session, or NULL. */
static struct stack_session *run_libdw(const pid_t *tids, size_t n,
		struct stack_thread *out, const char *source)
{
	char *error = NULL;
	double first_ms, second_ms, refresh_ms, start = now_ms();
	struct stack_session *s = stack_session_open(fixture_pid,
			STACK_BACKEND_LIBDW, &error);
	double open_ms = now_ms() - start;
	check(s != NULL, "libdw session opens%s%s", error ? ": " : "",
			error ? error : "");
	free(error);
	if (!s)
		return NULL;
	walk_all(s, tids, n, out, &first_ms);
	free_all(out, n);
	walk_all(s, tids, n, out, &second_ms);
	stack_session_mappings_changed(s);
	free_all(out, n);
	walk_all(s, tids, n, out, &refresh_ms);
	printf("time libdw: open %.2f ms, all %zu threads first %.2f ms, "
			"cached %.2f ms, after mappings_changed %.2f ms\n",
			open_ms, n, first_ms, second_ms, refresh_ms);
	for (size_t i = 0; i < n; i++)
		check_thread("libdw", &out[i], source);
	check_limits_and_modules(s, tids, out, n);
	return s;
}

/* libunwind: every thread walked into OUT, checked, and compared with
 * BY_LIBDW (unless NULL). A 32-bit tracee must be refused. The session,
 * or NULL. */
static struct stack_session *run_libunwind(const pid_t *tids, size_t n,
		struct stack_thread *out, const char *source, bool is32,
		const struct stack_thread *by_libdw)
{
	char *error = NULL;
	double first_ms, second_ms, start = now_ms();
	struct stack_session *u = stack_session_open(fixture_pid,
			STACK_BACKEND_LIBUNWIND, &error);
	double open_ms = now_ms() - start;
	if (is32) {
		check(u == NULL && error, "libunwind refuses a 32-bit tracee: %s",
				error ? error : "(opened)");
	} else {
		check(u != NULL, "libunwind session opens%s%s", error ? ": " : "",
				error ? error : "");
	}
	free(error);
	if (!u)
		return NULL;
	walk_all(u, tids, n, out, &first_ms);
	free_all(out, n);
	walk_all(u, tids, n, out, &second_ms);
	printf("time libunwind: open %.2f ms, all %zu threads first %.2f ms, "
			"cached %.2f ms\n", open_ms, n, first_ms, second_ms);
	for (size_t i = 0; i < n; i++) {
		check_thread("libunwind", &out[i], source);
		if (by_libdw)
			compare_backends(&by_libdw[i], &out[i]);
	}
	return u;
}

int main(int argc, char **argv)
{
	bool no_cfi = argc == 4 && strcmp(argv[1], "--no-cfi") == 0;
	if (argc != 3 && !no_cfi) {
		fprintf(stderr, "usage: %s [--no-cfi] FIXTURE_BINARY FIXTURE_SOURCE\n",
				argv[0]);
		return 1;
	}
	argv += no_cfi;
	const char *source = argv[2];
	bool have_markers = read_markers(source);
	check(have_markers, "read %zu LINE markers from %s", nmarkers, source);
	if (!start_fixture(argv[1])) {
		check(false, "start %s and read \"ready\"", argv[1]);
		if (fixture_pid > 0)
			kill(fixture_pid, SIGKILL);
		return 1;
	}
	bool is32 = elf_is_32bit(fixture_exe);
	printf("fixture %s, pid %d, %s\n", fixture_exe, (int)fixture_pid,
			is32 ? "32-bit" : "64-bit");

	pid_t tids[MAX_TASKS];
	size_t ntids = list_tasks(tids);
	check(ntids == NROLES, "fixture has %zu threads (want %d)", ntids, NROLES);
	check(all_tasks_sleep(tids, ntids), "every fixture thread sleeps");
	bool stopped = true;
	for (size_t i = 0; i < ntids; i++)
		stopped &= seize_and_stop(tids[i]);
	check(stopped && list_tasks(tids) == ntids,
			"seized and interrupted every thread");

	if (no_cfi) {
		check_no_cfi(tids, ntids, is32);
	} else {
		struct stack_thread by_libdw[MAX_TASKS], by_libunwind[MAX_TASKS];
		struct stack_session *s = run_libdw(tids, ntids, by_libdw, source);
		struct stack_session *u = run_libunwind(tids, ntids, by_libunwind,
				source, is32, s ? by_libdw : NULL);
		if (s) {
			check_printers(by_libdw, ntids);
			free_all(by_libdw, ntids);
		}
		if (u)
			free_all(by_libunwind, ntids);
		stack_session_close(u);
		stack_session_close(s);
	}

	for (size_t i = 0; i < ntids; i++)
		ptrace(PTRACE_DETACH, tids[i], 0, 0);
	kill(fixture_pid, SIGKILL);
	waitpid(fixture_pid, NULL, 0);
	printf("%s: %d failure(s)\n", failures ? "FAIL" : "PASS", failures);
	return failures ? 1 : 0;
}
