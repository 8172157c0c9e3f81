/* Grouping reports into distinct crashes, and the flags that answer the
 * question of Postfix's DEBUG_README: is it the compiler, the hardware
 * or the software? Each flag's reason is one sentence for a mail
 * administrator; its strings are the reports' raw bytes (escaped when
 * printed). */
#include "triage.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef const struct triage_report *report_ptr;

static int cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/* Equal reports stay in the order they were read (their place in the
 * array qsort was given). */
static int cmp_order(report_ptr a, report_ptr b)
{
	return (a > b) - (a < b);
}

static int by_crash_then_time(const void *x, const void *y)
{
	report_ptr a = *(const report_ptr *)x, b = *(const report_ptr *)y;
	int c = cmp_str(a->signature, b->signature);
	if (!c)
		c = cmp_str(a->signal, b->signal);
	if (!c)  /* a report without a time sorts first */
		c = (int)a->has_time - (int)b->has_time;
	if (!c && a->has_time)
		c = (a->time_us > b->time_us) - (a->time_us < b->time_us);
	return c ? c : cmp_order(a, b);
}

static bool same_crash(report_ptr a, report_ptr b)
{
	return !cmp_str(a->signature, b->signature) &&
	       !cmp_str(a->signal, b->signal);
}

static int by_build_then_crash(const void *x, const void *y)
{
	report_ptr a = *(const report_ptr *)x, b = *(const report_ptr *)y;
	int c = cmp_str(a->exe, b->exe);
	if (!c)
		c = cmp_str(a->build_id, b->build_id);
	return c ? c : by_crash_then_time(x, y);
}

static bool same_build(report_ptr a, report_ptr b)
{
	return !cmp_str(a->exe, b->exe) && !cmp_str(a->build_id, b->build_id);
}

static int by_exe_then_producer(const void *x, const void *y)
{
	report_ptr a = *(const report_ptr *)x, b = *(const report_ptr *)y;
	int c = cmp_str(a->exe, b->exe);
	if (!c)
		c = cmp_str(a->producer, b->producer);
	return c ? c : cmp_order(a, b);
}

/* The end of the run of reports from V[I] on that SAME calls alike. */
static size_t run_end(report_ptr *v, size_t n, size_t i,
		      bool (*same)(report_ptr, report_ptr))
{
	size_t j = i + 1;
	while (j < n && same(v[i], v[j]))
		j++;
	return j;
}

static int by_count(const void *x, const void *y, void *order)
{
	const struct triage_crash *a = x, *b = y;
	report_ptr *v = order;
	if (a->count != b->count)
		return a->count < b->count ? 1 : -1;
	return by_crash_then_time(&v[a->start], &v[b->start]);
}

/* Which of a report's names a flag is about. */
enum flag_about { ABOUT_CRASH = 1, ABOUT_EXE = 2, ABOUT_BUILD = 6 };

static void add_flag(struct triage *t, enum triage_flag_kind kind,
		     report_ptr r, enum flag_about about, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void add_flag(struct triage *t, enum triage_flag_kind kind,
		     report_ptr r, enum flag_about about, const char *fmt, ...)
{
	struct triage_flag *f = realloc(t->flags, (t->nflags + 1) * sizeof *f);
	if (!f)
		return;
	t->flags = f;
	f = &t->flags[t->nflags];
	*f = (struct triage_flag){ .kind = kind,
		.signature = about & ABOUT_CRASH ? r->signature : NULL,
		.exe = about & ABOUT_EXE ? r->exe : NULL,
		.build_id = (about & ABOUT_BUILD) == ABOUT_BUILD ?
			    r->build_id : NULL };
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&f->reason, fmt, ap) >= 0)
		t->nflags++;
	va_end(ap);
}

static int by_address(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return (a > b) - (a < b);
}

static int by_string(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Distinct fault addresses among V[0..N). */
static size_t distinct_addresses(report_ptr *v, size_t n)
{
	uint64_t *a = malloc((n ? n : 1) * sizeof *a);
	size_t m = 0, distinct = 0;
	if (!a)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (v[i]->has_address)
			a[m++] = v[i]->address;
	qsort(a, m, sizeof *a, by_address);
	for (size_t i = 0; i < m; i++)
		distinct += i == 0 || a[i] != a[i - 1];
	free(a);
	return distinct;
}

/* One build (V[0..N): the same executable and build-id): several crashes
 * at several addresses; and whether it was replaced on disk. */
static void flag_build(struct triage *t, report_ptr *v, size_t n)
{
	size_t ways = 0, at = distinct_addresses(v, n);
	for (size_t i = 0; i < n; i = run_end(v, n, i, same_crash))
		ways++;
	if (v[0]->exe && v[0]->build_id && ways >= 2 && at >= 2)
		add_flag(t, FLAG_HARDWARE_SUSPECT, v[0], ABOUT_BUILD,
			 "%s (build-id %s) crashed in %zu different ways at %zu "
			 "different addresses: one unchanged program failing in "
			 "unrelated places points at faulty hardware (memory, "
			 "CPU) or at memory corruption rather than at one bug",
			 v[0]->exe, v[0]->build_id, ways, at);
	for (size_t i = 0; i < n; i++) {
		report_ptr r = v[i];
		if (!r->replaced || !r->exe)
			continue;
		if (r->disk_build_id)
			add_flag(t, FLAG_PROGRAM_REPLACED, r, ABOUT_BUILD,
				 "%s on disk (build-id %s) is not the program "
				 "that crashed (build-id %s): it was replaced "
				 "after the daemon started; restart Postfix so "
				 "that every daemon runs the new program",
				 r->exe, r->disk_build_id, r->build_id);
		else
			add_flag(t, FLAG_PROGRAM_REPLACED, r, ABOUT_BUILD,
				 "%s: the program that crashed was deleted or "
				 "replaced on disk while it ran; restart Postfix "
				 "so that every daemon runs the new program",
				 r->exe);
		break;
	}
}

/* One crash (V[0..N), the same signature): in several builds. */
static void flag_crash(struct triage *t, report_ptr *v, size_t n)
{
	const char **ids = malloc(n * sizeof *ids);
	size_t m = 0, builds = 0;
	if (!ids)
		return;
	for (size_t i = 0; i < n; i++)
		if (v[i]->build_id)
			ids[m++] = v[i]->build_id;
	qsort(ids, m, sizeof *ids, by_string);
	for (size_t i = 0; i < m; i++)
		if (builds == 0 || strcmp(ids[i], ids[builds - 1]))
			ids[builds++] = ids[i];  /* the distinct ones, in front */
	if (builds >= 2)
		add_flag(t, FLAG_SURVIVED_REBUILD, v[0], ABOUT_CRASH,
			 "crash %s (%s) happened in %zu different builds "
			 "(build-ids %s, %s%s): the bug survived a rebuild, so it "
			 "is in the program's code, not in one bad build",
			 v[0]->signature, v[0]->signal, builds, ids[0], ids[1],
			 builds > 2 ? ", ..." : "");
	free(ids);
}

/* One executable path (V[0..N)): a crash seen once while the program
 * crashed other times too. ONCE[i]: report i's crash was seen once. */
static void flag_once(struct triage *t, report_ptr *v, size_t n,
		      const bool *once, const struct triage_report *base)
{
	for (size_t i = 0; i < n && n > 1 && v[0]->exe; i++)
		if (once[v[i] - base])
			add_flag(t, FLAG_NEVER_REPEATED, v[i],
				 ABOUT_CRASH | ABOUT_EXE,
				 "crash %s (%s) of %s happened once, while that "
				 "program crashed %zu times in all: a crash that "
				 "never repeats points at hardware (memory) or a "
				 "rare race rather than at a bug that strikes "
				 "each time", v[i]->signature, v[i]->signal,
				 v[i]->exe, n);
}

/* One executable path (V[0..N), by compiler): several compilers. */
static void flag_compilers(struct triage *t, report_ptr *v, size_t n)
{
	const char *first = NULL, *second = NULL;
	size_t producers = 0;
	for (size_t i = 0; i < n; i++) {
		if (!v[i]->producer || (i && !cmp_str(v[i]->producer,
						     v[i - 1]->producer)))
			continue;
		producers++;
		if (!first)
			first = v[i]->producer;
		else if (!second)
			second = v[i]->producer;
	}
	if (v[0]->exe && producers >= 2)
		add_flag(t, FLAG_DIFFERENT_COMPILERS, v[0], ABOUT_EXE,
			 "%s was built with %zu different compilers or compiler "
			 "options (\"%s\", \"%s\"%s): a compiler change can "
			 "cause or hide a crash; compare the crashes of each "
			 "build",
			 v[0]->exe, producers, first, second,
			 producers > 2 ? ", ..." : "");
}

static void find_flags(struct triage *t, const struct triage_report *base)
{
	size_t n = t->nreports;
	report_ptr *v = malloc((n ? n : 1) * sizeof *v);
	bool *once = calloc(n ? n : 1, sizeof *once);
	if (!v || !once) {
		free(v);
		free(once);
		return;
	}
	for (size_t c = 0; c < t->ncrashes; c++) {
		const struct triage_crash *k = &t->crashes[c];
		flag_crash(t, t->order + k->start, k->count);
		if (k->count == 1)
			once[t->order[k->start] - base] = true;
	}
	memcpy(v, t->order, n * sizeof *v);
	qsort(v, n, sizeof *v, by_build_then_crash);
	for (size_t i = 0, j; i < n; i = j) {
		j = run_end(v, n, i, same_build);
		flag_build(t, v + i, j - i);
	}
	qsort(v, n, sizeof *v, by_exe_then_producer);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && !cmp_str(v[i]->exe, v[j]->exe); j++)
			;
		flag_once(t, v + i, j - i, once, base);
		flag_compilers(t, v + i, j - i);
	}
	free(v);
	free(once);
}

bool triage_build(struct triage *t, const struct triage_reports *rs)
{
	size_t n = rs->n;
	*t = (struct triage){ .nreports = n };
	t->order = malloc((n ? n : 1) * sizeof *t->order);
	t->crashes = malloc((n ? n : 1) * sizeof *t->crashes);
	if (!t->order || !t->crashes)
		return false;
	for (size_t i = 0; i < n; i++)
		t->order[i] = &rs->v[i];
	qsort(t->order, n, sizeof *t->order, by_crash_then_time);
	for (size_t i = 0, j; i < n; i = j) {
		j = run_end(t->order, n, i, same_crash);
		t->crashes[t->ncrashes++] = (struct triage_crash){ i, j - i };
	}
	qsort_r(t->crashes, t->ncrashes, sizeof *t->crashes, by_count, t->order);
	find_flags(t, rs->v);
	return true;
}

void triage_free(struct triage *t)
{
	for (size_t i = 0; i < t->nflags; i++)
		free(t->flags[i].reason);
	free(t->flags);
	free(t->order);
	free(t->crashes);
	*t = (struct triage){ 0 };
}

const char *triage_flag_name(enum triage_flag_kind kind)
{
	static const char *const names[] = {
		[FLAG_HARDWARE_SUSPECT] = "hardware-suspect",
		[FLAG_PROGRAM_REPLACED] = "program-replaced",
		[FLAG_NEVER_REPEATED] = "never-repeated",
		[FLAG_SURVIVED_REBUILD] = "survived-rebuild",
		[FLAG_DIFFERENT_COMPILERS] = "different-compilers",
	};
	return names[kind];
}
