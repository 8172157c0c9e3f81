/* -c / -C (see summary.h): one table per personality, as strace 6.1's
 * countv[]: the host's first, then "System call usage summary for 32 bit
 * mode:" and the i386 calls' table when i386 processes were traced from
 * x86_64, each ordered by its own architecture's syscall numbers. */
#include "summary.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptrc/arch.h"
#include "ptrc/syscalls.h"

struct row {
	const char *name;
	uint64_t calls;
	uint64_t errors;
	uint64_t ns;
	uint64_t min_ns, max_ns;  /* of one call */
	long order;  /* strace's row order: the host's syscall number */
};

/* The calls of one personality (architecture). */
struct table {
	enum ptrc_arch arch;
	struct row *rows;       /* one per signature, then unknown numbers */
	unsigned nrows;
	unsigned cap;
	uint64_t calls;         /* any counted: the table is printed */
};

struct summary {
	const struct ptrc_config *config;
	struct table tables[PTRC_ARCH_COUNT];
};

static bool table_init(struct table *t, enum ptrc_arch arch)
{
	t->arch = arch;
	t->cap = syscall_sig_count + 16;
	t->rows = calloc(t->cap, sizeof *t->rows);
	if (!t->rows)
		return false;
	for (unsigned i = 0; i < syscall_sig_count; i++)
		t->rows[i].name = syscall_sigs[i].name;
	t->nrows = syscall_sig_count;
	return true;
}

struct summary *summary_new(const struct ptrc_config *config)
{
	struct summary *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->config = config;
	for (int a = 0; a < PTRC_ARCH_COUNT; a++)
		if (!table_init(&s->tables[a], (enum ptrc_arch)a)) {
			summary_free(s);
			return NULL;
		}
	return s;
}

void summary_free(struct summary *s)
{
	if (!s)
		return;
	for (int a = 0; a < PTRC_ARCH_COUNT; a++) {
		struct table *t = &s->tables[a];
		for (unsigned i = syscall_sig_count; i < t->nrows; i++)
			free((char *)t->rows[i].name);
		free(t->rows);
	}
	free(s);
}

static struct row *unknown_row(struct table *s, const char *name)
{
	for (unsigned i = syscall_sig_count; i < s->nrows; i++)
		if (!strcmp(s->rows[i].name, name))
			return &s->rows[i];
	if (s->nrows == s->cap) {
		struct row *rows = realloc(s->rows, 2 * s->cap * sizeof *rows);
		if (!rows)
			return NULL;
		s->rows = rows;
		s->cap *= 2;
	}
	struct row *row = &s->rows[s->nrows];
	memset(row, 0, sizeof *row);
	row->name = strdup(name);
	if (!row->name)
		return NULL;
	s->nrows++;
	return row;
}

void summary_add(struct summary *summary, enum ptrc_arch arch, int sig_index,
		 const char *name, bool failed, uint64_t ns)
{
	if ((unsigned)arch >= PTRC_ARCH_COUNT)
		arch = arch_host();
	struct table *s = &summary->tables[arch];
	struct row *row = sig_index >= 0 ? &s->rows[sig_index] : unknown_row(s, name);
	if (!row)
		return;
	s->calls++;
	if (!row->calls || ns < row->min_ns)
		row->min_ns = ns;
	if (ns > row->max_ns)
		row->max_ns = ns;
	row->calls++;
	row->errors += failed;
	row->ns += ns;
}

static enum summary_column sort_key;

static int compare_numbers(uint64_t x, uint64_t y)
{
	return x < y ? 1 : x > y ? -1 : 0;  /* the larger first */
}

/* The row's value for the -S key (0 for none, and for the name). */
static uint64_t sort_value(const struct row *r)
{
	switch (sort_key) {
	case SUMMARY_COL_PERCENT:
	case SUMMARY_COL_TOTAL: return r->ns;
	case SUMMARY_COL_MIN: return r->min_ns;
	case SUMMARY_COL_MAX: return r->max_ns;
	case SUMMARY_COL_AVG: return r->ns / r->calls;
	case SUMMARY_COL_CALLS: return r->calls;
	case SUMMARY_COL_ERRORS: return r->errors;
	default: return 0;
	}
}

/* strace 6.1's order: by the -S key, ties (and -S nothing) by syscall
 * number (its qsort is glibc's stable merge sort over numbers). */
static int compare_rows(const void *a, const void *b)
{
	const struct row *x = *(const struct row *const *)a;
	const struct row *y = *(const struct row *const *)b;
	int c = sort_key == SUMMARY_COL_NAME ? strcmp(x->name, y->name) :
		compare_numbers(sort_value(x), sort_value(y));
	return c ? c : (x->order > y->order) - (x->order < y->order);
}

/* The rows that were called, in the order -S asks for. */
static const struct row **sorted_rows(const struct table *s,
				      enum summary_column sort, unsigned *n)
{
	const struct row **used = malloc((s->nrows + 1) * sizeof *used);
	*n = 0;
	if (!used)
		return NULL;
	for (unsigned i = 0; i < s->nrows; i++) {
		struct row *r = &s->rows[i];
		if (!r->calls)
			continue;
		long nr = syscall_number(s->arch, r->name);
		r->order = nr >= 0 ? nr : 100000 + (long)i;
		used[(*n)++] = r;
	}
	sort_key = sort;
	qsort(used, *n, sizeof *used, compare_rows);
	return used;
}

/* What a row (or the totals) shows in each column. */
struct cells {
	double percent, seconds, min, max;
	uint64_t avg_us, calls, errors;
	const char *name;
};

static const char *const headers[SUMMARY_COL_COUNT] = {
	[SUMMARY_COL_PERCENT] = "% time", [SUMMARY_COL_TOTAL] = "seconds",
	[SUMMARY_COL_MIN] = "shortest", [SUMMARY_COL_MAX] = "longest",
	[SUMMARY_COL_AVG] = "usecs/call", [SUMMARY_COL_CALLS] = "calls",
	[SUMMARY_COL_ERRORS] = "errors", [SUMMARY_COL_NAME] = "syscall",
};

static void put_cell(struct strbuf *sb, enum summary_column c,
		     const struct cells *v, int width, bool last)
{
	switch (c) {
	case SUMMARY_COL_PERCENT: sb_printf(sb, "%*.2f", width, v->percent); break;
	case SUMMARY_COL_TOTAL: sb_printf(sb, "%*.6f", width, v->seconds); break;
	case SUMMARY_COL_MIN: sb_printf(sb, "%*.6f", width, v->min); break;
	case SUMMARY_COL_MAX: sb_printf(sb, "%*.6f", width, v->max); break;
	case SUMMARY_COL_AVG:
		sb_printf(sb, "%*llu", width, (unsigned long long)v->avg_us);
		break;
	case SUMMARY_COL_CALLS:
		sb_printf(sb, "%*llu", width, (unsigned long long)v->calls);
		break;
	case SUMMARY_COL_ERRORS:  /* blank for none, as strace's %.0 */
		sb_printf(sb, "%*.0llu", width, (unsigned long long)v->errors);
		break;
	case SUMMARY_COL_NAME:  /* the last column is not padded */
		if (last)
			sb_puts(sb, v->name);
		else
			sb_printf(sb, "%-*s", width, v->name);
		break;
	default:
		break;
	}
}

static int chars(const char *fmt, double value)
{
	char buf[64];
	return snprintf(buf, sizeof buf, fmt, value);
}

static int max_int(int a, int b)
{
	return a > b ? a : b;
}

/* strace's column widths: the header's, or the widest value's. */
static void column_widths(const struct row *const *rows, unsigned n,
			  const struct cells *total, int w[SUMMARY_COL_COUNT])
{
	uint64_t min_max = 0, max = 0, avg_max = 0;
	size_t name_max = 0;
	for (unsigned i = 0; i < n; i++) {
		min_max = rows[i]->min_ns > min_max ? rows[i]->min_ns : min_max;
		max = rows[i]->max_ns > max ? rows[i]->max_ns : max;
		uint64_t avg = rows[i]->ns / rows[i]->calls / 1000;
		avg_max = avg > avg_max ? avg : avg_max;
		size_t len = strlen(rows[i]->name);
		name_max = len > name_max ? len : name_max;
	}
	w[SUMMARY_COL_PERCENT] = 6;
	w[SUMMARY_COL_TOTAL] = max_int(11, chars("%.6f", total->seconds));
	w[SUMMARY_COL_MIN] = max_int(8, chars("%.0f.000000", (double)(min_max / 1000000000)));
	w[SUMMARY_COL_MAX] = max_int(7, chars("%.0f.000000", (double)(max / 1000000000)));
	w[SUMMARY_COL_AVG] = max_int(11, chars("%.0f", (double)avg_max));
	w[SUMMARY_COL_CALLS] = max_int(9, chars("%.0f", (double)total->calls));
	w[SUMMARY_COL_ERRORS] = max_int(9, chars("%.0f", (double)total->errors));
	w[SUMMARY_COL_NAME] = max_int(16, (int)name_max + 1);
}

static struct cells row_cells(const struct row *r, uint64_t total_ns)
{
	struct cells v = {
		.percent = r->ns && total_ns ? 100.0 * (double)r->ns / (double)total_ns : 0,
		.seconds = (double)r->ns / 1e9,
		.min = (double)r->min_ns / 1e9, .max = (double)r->max_ns / 1e9,
		.avg_us = r->ns / r->calls / 1000,
		.calls = r->calls, .errors = r->errors, .name = r->name,
	};
	return v;
}

static struct cells total_cells(const struct row *const *rows, unsigned n)
{
	struct cells t = { .percent = 100.0, .name = "total" };
	uint64_t ns = 0, min = UINT64_MAX, max = 0;
	for (unsigned i = 0; i < n; i++) {
		ns += rows[i]->ns;
		t.calls += rows[i]->calls;
		t.errors += rows[i]->errors;
		min = rows[i]->min_ns < min ? rows[i]->min_ns : min;
		max = rows[i]->max_ns > max ? rows[i]->max_ns : max;
	}
	t.seconds = (double)ns / 1e9;
	t.min = n ? (double)min / 1e9 : 0;
	t.max = (double)max / 1e9;
	t.avg_us = t.calls ? (uint64_t)((double)ns / 1e9 / (double)t.calls * 1e6) : 0;
	return t;
}

/* A line of the table: the header (V NULL), a rule (RULE), or values. */
static void put_line(struct strbuf *sb, const enum summary_column *cols,
		     unsigned ncols, const int *w, const struct cells *v,
		     bool rule)
{
	for (unsigned i = 0; i < ncols; i++) {
		enum summary_column c = cols[i];
		bool last = i + 1 == ncols;
		if (i)
			sb_putc(sb, ' ');
		if (rule)
			for (int j = 0; j < w[c]; j++)
				sb_putc(sb, '-');
		else if (v)
			put_cell(sb, c, v, w[c], last);
		else if (c == SUMMARY_COL_NAME && last)
			sb_puts(sb, headers[c]);
		else if (c == SUMMARY_COL_NAME)
			sb_printf(sb, "%-*s", w[c], headers[c]);
		else
			sb_printf(sb, "%*s", w[c], headers[c]);
	}
	sb_putc(sb, '\n');
}

static void table_print_text(const struct summary *s, const struct table *t,
			     struct strbuf *sb)
{
	static const enum summary_column defaults[] = {
		SUMMARY_COL_PERCENT, SUMMARY_COL_TOTAL, SUMMARY_COL_AVG,
		SUMMARY_COL_CALLS, SUMMARY_COL_ERRORS, SUMMARY_COL_NAME,
	};
	const enum summary_column *cols = s->config->summary_columns;
	unsigned ncols = 0;
	while (ncols < SUMMARY_COL_COUNT && cols[ncols] != SUMMARY_COL_NONE)
		ncols++;
	if (!ncols) {
		cols = defaults;
		ncols = sizeof defaults / sizeof defaults[0];
	}
	unsigned n;
	const struct row **rows = sorted_rows(t, s->config->summary_sort, &n);
	if (!rows)
		return;
	struct cells total = total_cells(rows, n);
	uint64_t total_ns = 0;
	for (unsigned i = 0; i < n; i++)
		total_ns += rows[i]->ns;
	int w[SUMMARY_COL_COUNT];
	column_widths(rows, n, &total, w);
	put_line(sb, cols, ncols, w, NULL, false);
	put_line(sb, cols, ncols, w, NULL, true);
	for (unsigned i = 0; i < n; i++) {
		struct cells v = row_cells(rows[i], total_ns);
		put_line(sb, cols, ncols, w, &v, false);
	}
	put_line(sb, cols, ncols, w, NULL, true);
	put_line(sb, cols, ncols, w, &total, false);
	free(rows);
}

/* strace's personality_names of x86_64: the i386 table's "32 bit". */
static const char *personality_name(enum ptrc_arch arch)
{
	return arch == PTRC_ARCH_I386 ? "32 bit" : arch_name(arch);
}

/* The tables that have calls: the host's first (strace's personality 0,
 * with no heading), then the others. */
static unsigned tables_in_order(const struct summary *s,
				const struct table *out[PTRC_ARCH_COUNT])
{
	unsigned n = 0;
	enum ptrc_arch host = arch_host();
	if (s->tables[host].calls)
		out[n++] = &s->tables[host];
	for (int a = 0; a < PTRC_ARCH_COUNT; a++)
		if (a != (int)host && s->tables[a].calls)
			out[n++] = &s->tables[a];
	return n;
}

void summary_print_text(const struct summary *s, struct strbuf *sb)
{
	const struct table *tables[PTRC_ARCH_COUNT];
	unsigned n = tables_in_order(s, tables);
	if (n == 0)  /* nothing counted: strace's empty table */
		tables[n++] = &s->tables[arch_host()];
	for (unsigned i = 0; i < n; i++) {
		if (tables[i]->arch != arch_host())
			sb_printf(sb, "System call usage summary for %s mode:\n",
				  personality_name(tables[i]->arch));
		table_print_text(s, tables[i], sb);
	}
}

static void table_print_json(const struct summary *s, const struct table *t,
			     struct strbuf *sb)
{
	unsigned n;
	const struct row **rows = sorted_rows(t, s->config->summary_sort, &n);
	if (!rows)
		return;
	uint64_t total_ns = 0, total_calls = 0, total_errors = 0;
	sb_puts(sb, "{\"type\":\"summary\",");
	if (t->arch != arch_host())  /* names are plain ASCII */
		sb_printf(sb, "\"personality\":\"%s\",", personality_name(t->arch));
	sb_puts(sb, "\"syscalls\":[");
	for (unsigned i = 0; i < n; i++) {
		const struct row *r = rows[i];
		/* names are syscall names or syscall_0x..: plain ASCII */
		sb_printf(sb, "%s{\"syscall\":\"%s\",\"calls\":%llu,\"errors\":%llu,"
			  "\"seconds\":%.6f}", i ? "," : "", r->name,
			  (unsigned long long)r->calls, (unsigned long long)r->errors,
			  (double)r->ns / 1e9);
		total_ns += r->ns;
		total_calls += r->calls;
		total_errors += r->errors;
	}
	sb_printf(sb, "],\"total\":{\"calls\":%llu,\"errors\":%llu,\"seconds\":%.6f},"
		  "\"time\":\"%s\"}\n", (unsigned long long)total_calls,
		  (unsigned long long)total_errors, (double)total_ns / 1e9,
		  s->config->summary_wall ? "wall" : "system");
	free(rows);
}

void summary_print_json(const struct summary *s, struct strbuf *sb)
{
	const struct table *tables[PTRC_ARCH_COUNT];
	unsigned n = tables_in_order(s, tables);
	if (n == 0)
		tables[n++] = &s->tables[arch_host()];
	for (unsigned i = 0; i < n; i++)
		table_print_json(s, tables[i], sb);
}
