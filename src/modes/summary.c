#include "summary.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptrc/syscalls.h"

struct row {
	const char *name;
	uint64_t calls;
	uint64_t errors;
	uint64_t ns;
};

struct summary {
	const struct ptrc_config *config;
	struct row *rows;       /* one per signature, then unknown numbers */
	unsigned nrows;
	unsigned cap;
};

struct summary *summary_new(const struct ptrc_config *config)
{
	struct summary *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->config = config;
	s->cap = syscall_sig_count + 16;
	s->rows = calloc(s->cap, sizeof *s->rows);
	if (!s->rows) {
		free(s);
		return NULL;
	}
	for (unsigned i = 0; i < syscall_sig_count; i++)
		s->rows[i].name = syscall_sigs[i].name;
	s->nrows = syscall_sig_count;
	return s;
}

void summary_free(struct summary *s)
{
	if (!s)
		return;
	for (unsigned i = syscall_sig_count; i < s->nrows; i++)
		free((char *)s->rows[i].name);
	free(s->rows);
	free(s);
}

static struct row *unknown_row(struct summary *s, const char *name)
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

void summary_add(struct summary *s, int sig_index, const char *name,
		 bool failed, uint64_t ns)
{
	struct row *row = sig_index >= 0 ? &s->rows[sig_index] : unknown_row(s, name);
	if (!row)
		return;
	row->calls++;
	row->errors += failed;
	row->ns += ns;
}

static int sort_key;

static int compare_rows(const void *a, const void *b)
{
	const struct row *x = *(const struct row *const *)a;
	const struct row *y = *(const struct row *const *)b;
	switch (sort_key) {
	case SORT_CALLS:
		if (x->calls != y->calls)
			return x->calls < y->calls ? 1 : -1;
		break;
	case SORT_ERRORS:
		if (x->errors != y->errors)
			return x->errors < y->errors ? 1 : -1;
		break;
	case SORT_TIME:
		if (x->ns != y->ns)
			return x->ns < y->ns ? 1 : -1;
		break;
	}
	return strcmp(x->name, y->name);
}

/* The rows that were called, in the order -S asks for. */
static const struct row **sorted_rows(const struct summary *s, unsigned *n)
{
	const struct row **used = malloc((s->nrows + 1) * sizeof *used);
	*n = 0;
	if (!used)
		return NULL;
	for (unsigned i = 0; i < s->nrows; i++)
		if (s->rows[i].calls)
			used[(*n)++] = &s->rows[i];
	sort_key = s->config->summary_sort;
	if (sort_key != SORT_NOTHING)
		qsort(used, *n, sizeof *used, compare_rows);
	return used;
}

void summary_print_text(const struct summary *s, struct strbuf *sb)
{
	unsigned n;
	const struct row **rows = sorted_rows(s, &n);
	if (!rows)
		return;
	uint64_t total_ns = 0, total_calls = 0, total_errors = 0;
	for (unsigned i = 0; i < n; i++) {
		total_ns += rows[i]->ns;
		total_calls += rows[i]->calls;
		total_errors += rows[i]->errors;
	}
	static const char rule[] =
		"------ ----------- ----------- --------- --------- ----------------\n";
	sb_puts(sb, "% time     seconds  usecs/call     calls    errors syscall\n");
	sb_puts(sb, rule);
	for (unsigned i = 0; i < n; i++) {
		const struct row *r = rows[i];
		double percent = total_ns ? 100.0 * (double)r->ns / (double)total_ns : 0;
		sb_printf(sb, "%6.2f %11.6f %11llu %9llu ", percent,
			  (double)r->ns / 1e9,
			  (unsigned long long)(r->ns / 1000 / r->calls),
			  (unsigned long long)r->calls);
		if (r->errors)
			sb_printf(sb, "%9llu", (unsigned long long)r->errors);
		else
			sb_puts(sb, "         ");
		sb_printf(sb, " %s\n", r->name);
	}
	sb_puts(sb, rule);
	sb_printf(sb, "%6.2f %11.6f %11llu %9llu ", total_ns ? 100.0 : 0.0,
		  (double)total_ns / 1e9,
		  (unsigned long long)(total_calls ? total_ns / 1000 / total_calls : 0),
		  (unsigned long long)total_calls);
	if (total_errors)
		sb_printf(sb, "%9llu", (unsigned long long)total_errors);
	else
		sb_puts(sb, "         ");
	sb_puts(sb, " total\n");
	free(rows);
}

void summary_print_json(const struct summary *s, struct strbuf *sb)
{
	unsigned n;
	const struct row **rows = sorted_rows(s, &n);
	if (!rows)
		return;
	uint64_t total_ns = 0, total_calls = 0, total_errors = 0;
	sb_puts(sb, "{\"type\":\"summary\",\"syscalls\":[");
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
