/* ptrc triage's output: text (one line per crash, one per flag) and
 * JSON. Every string from a report is escaped (escape.c, json.c). */
#include "triage.h"

#include <inttypes.h>
#include <string.h>

#include "ptrc/escape.h"
#include "ptrc/json.h"

typedef const struct triage_report *report_ptr;

/* Shown of each crash in text; JSON lists every report. */
#define TEXT_MAX_COMMS 4
#define TEXT_MAX_PIDS 8
#define MAX_EXES 16

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool same_exe(report_ptr a, report_ptr b)
{
	return same(a->exe, b->exe) && same(a->build_id, b->build_id) &&
	       same(a->producer, b->producer);
}

/* The distinct executables (path, build-id, compiler) of V[0..N), at
 * most MAX into OUT; returns how many are in OUT, *MORE set when there
 * are others. */
static size_t distinct_exes(report_ptr *v, size_t n, report_ptr *out,
			    size_t max, bool *more)
{
	size_t m = 0;
	*more = false;
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		while (k < m && !same_exe(out[k], v[i]))
			k++;
		if (k < m)
			continue;
		if (m == max)
			*more = true;
		else
			out[m++] = v[i];
	}
	return m;
}

/* "smtpd[101,102] cleanup[7]" */
static void put_processes_text(struct strbuf *sb, report_ptr *v, size_t n)
{
	const char *comms[TEXT_MAX_COMMS];
	size_t ncomms = 0;
	bool more = false;
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		while (k < ncomms && !same(comms[k], v[i]->comm))
			k++;
		if (k == ncomms && ncomms < TEXT_MAX_COMMS)
			comms[ncomms++] = v[i]->comm;
		else if (k == ncomms)
			more = true;
	}
	for (size_t k = 0; k < ncomms; k++) {
		sb_puts(sb, k ? " " : "");
		escape_bare_str(sb, comms[k] ? comms[k] : "?");
		size_t shown = 0;
		for (size_t i = 0; i < n; i++) {
			if (!same(comms[k], v[i]->comm))
				continue;
			if (shown++ == TEXT_MAX_PIDS) {
				sb_puts(sb, ",...");
				break;
			}
			sb_printf(sb, "%s%ld", shown > 1 ? "," : "[", v[i]->pid);
		}
		sb_putc(sb, ']');
	}
	if (more)
		sb_puts(sb, " ...");
}

static void put_exes_text(struct strbuf *sb, report_ptr *v, size_t n)
{
	report_ptr exes[3];
	bool more;
	size_t m = distinct_exes(v, n, exes, 3, &more);
	for (size_t k = 0; k < m; k++) {
		sb_puts(sb, k ? "; " : "");
		escape_bare_str(sb, exes[k]->exe ? exes[k]->exe : "?");
		sb_puts(sb, " (build-id ");
		escape_bare_str(sb, exes[k]->build_id ? exes[k]->build_id : "none");
		if (exes[k]->producer) {
			sb_puts(sb, ", compiler ");
			escape_bare_str(sb, exes[k]->producer);
		}
		sb_putc(sb, ')');
	}
	if (more)
		sb_puts(sb, "; ...");
}

static void put_crash_text(struct strbuf *sb, const struct triage *t,
			   const struct triage_crash *c)
{
	report_ptr *v = t->order + c->start;
	report_ptr first = v[0], last = v[c->count - 1];
	sb_puts(sb, "crash ");
	escape_bare_str(sb, first->signature);
	sb_puts(sb, " ");
	escape_bare_str(sb, first->signal);
	sb_printf(sb, ": %zu time%s, first ", c->count, c->count == 1 ? "" : "s");
	escape_bare_str(sb, first->time_text ? first->time_text : "?");
	if (c->count > 1) {
		sb_puts(sb, ", last ");
		escape_bare_str(sb, last->time_text ? last->time_text : "?");
	}
	sb_puts(sb, "; processes ");
	put_processes_text(sb, v, c->count);
	sb_puts(sb, "; executables ");
	put_exes_text(sb, v, c->count);
	sb_putc(sb, '\n');
}

void triage_print_text(struct strbuf *sb, const struct triage *t)
{
	sb_printf(sb, "ptrc triage: %zu crash report%s in %zu file%s: %zu "
		  "distinct crash%s\n", t->nreports, t->nreports == 1 ? "" : "s",
		  t->nfiles, t->nfiles == 1 ? "" : "s", t->ncrashes,
		  t->ncrashes == 1 ? "" : "es");
	for (size_t i = 0; i < t->ncrashes; i++)
		put_crash_text(sb, t, &t->crashes[i]);
	for (size_t i = 0; i < t->nflags; i++) {
		sb_printf(sb, "flag %s: ", triage_flag_name(t->flags[i].kind));
		escape_bare_str(sb, t->flags[i].reason);
		sb_putc(sb, '\n');
	}
}

/* ---- JSON ---- */

static void put_field(struct strbuf *sb, const char *name, const char *value)
{
	sb_printf(sb, ",\"%s\":", name);
	json_string_or_null(sb, value);
}

static void put_time_json(struct strbuf *sb, const char *name, report_ptr r)
{
	sb_printf(sb, ",\"%s\":", name);
	if (r->has_time)
		sb_printf(sb, "%" PRId64 ".%06" PRId64, r->time_us / 1000000,
			  r->time_us % 1000000);
	else
		sb_puts(sb, "null");
	sb_printf(sb, ",\"%s_text\":", name);
	json_string_or_null(sb, r->time_text);
}

static void put_report_json(struct strbuf *sb, report_ptr r)
{
	sb_puts(sb, "{\"file\":");
	json_string_or_null(sb, r->file);
	sb_printf(sb, ",\"line\":%lu", r->line);
	put_time_json(sb, "time", r);
	sb_printf(sb, ",\"pid\":%ld", r->pid);
	put_field(sb, "comm", r->comm);
	put_field(sb, "executable", r->exe);
	put_field(sb, "build_id", r->build_id);
	put_field(sb, "disk_build_id", r->disk_build_id);
	put_field(sb, "producer", r->producer);
	if (r->has_address)
		sb_printf(sb, ",\"address\":\"0x%" PRIx64 "\"}", r->address);
	else
		sb_puts(sb, ",\"address\":null}");
}

static void put_crash_json(struct strbuf *sb, const struct triage *t,
			   const struct triage_crash *c)
{
	report_ptr *v = t->order + c->start;
	sb_puts(sb, "{\"signature\":");
	json_string_or_null(sb, v[0]->signature);
	put_field(sb, "signal", v[0]->signal);
	sb_printf(sb, ",\"count\":%zu", c->count);
	put_time_json(sb, "first", v[0]);
	put_time_json(sb, "last", v[c->count - 1]);
	sb_puts(sb, ",\"executables\":[");
	report_ptr exes[MAX_EXES];
	bool more;
	size_t m = distinct_exes(v, c->count, exes, MAX_EXES, &more);
	for (size_t k = 0; k < m; k++) {
		sb_puts(sb, k ? ",{\"path\":" : "{\"path\":");
		json_string_or_null(sb, exes[k]->exe);
		put_field(sb, "build_id", exes[k]->build_id);
		put_field(sb, "producer", exes[k]->producer);
		sb_putc(sb, '}');
	}
	sb_printf(sb, "],\"executables_more\":%s,\"reports\":[",
		  more ? "true" : "false");
	for (size_t i = 0; i < c->count; i++) {
		sb_puts(sb, i ? "," : "");
		put_report_json(sb, v[i]);
	}
	sb_puts(sb, "]}");
}

void triage_print_json(struct strbuf *sb, const struct triage *t)
{
	sb_printf(sb, "{\"type\":\"triage\",\"files\":%zu,\"reports\":%zu,"
		  "\"crashes\":[", t->nfiles, t->nreports);
	for (size_t i = 0; i < t->ncrashes; i++) {
		sb_puts(sb, i ? "," : "");
		put_crash_json(sb, t, &t->crashes[i]);
	}
	sb_puts(sb, "],\"flags\":[");
	for (size_t i = 0; i < t->nflags; i++) {
		const struct triage_flag *f = &t->flags[i];
		sb_printf(sb, "%s{\"kind\":\"%s\"", i ? "," : "",
			  triage_flag_name(f->kind));
		put_field(sb, "signature", f->signature);
		put_field(sb, "executable", f->exe);
		put_field(sb, "build_id", f->build_id);
		put_field(sb, "reason", f->reason);
		sb_putc(sb, '}');
	}
	sb_puts(sb, "]}\n");
}
