/* Finding the crash reports in a file: a log may hold trace lines and
 * anything else around them. A JSON report is one line that holds
 * {"type":"crash"; a text report runs from its first marker line to its
 * last, each of its lines after the same prefix as the first (none
 * today). Only a text report's head, up to the first blank line after
 * its signature, is read: the sections below it (stacks, modules,
 * whatever later versions add) hold nothing triage uses, and a line of
 * theirs that looked like a head line must not count. */
#include "triage_report.h"

#include <stdlib.h>
#include <string.h>

#include "ptrc/escape.h"
#include "ptrc/strbuf.h"

#define TEXT_BEGIN "=== ptrc crash report ==="
#define TEXT_END "=== end of crash report ==="
#define JSON_BEGIN "{\"type\":\"crash\""
/* Past this many, reports are counted as skipped (memory stays bounded). */
#define TRIAGE_MAX_REPORTS 100000

struct line_reader {
	FILE *f;
	char *buf;
	size_t cap, len;
	unsigned long number;
	bool too_long;   /* the line was cut at TRIAGE_MAX_LINE */
};

static bool read_line(struct line_reader *lr)
{
	int c;
	lr->len = 0;
	lr->too_long = false;
	while ((c = getc(lr->f)) != EOF && c != '\n') {
		if (lr->len == TRIAGE_MAX_LINE) {
			lr->too_long = true;
			continue;
		}
		if (lr->len + 1 >= lr->cap) {
			size_t cap = lr->cap ? 2 * lr->cap : 4096;
			char *b = realloc(lr->buf, cap);
			if (!b) {
				lr->too_long = true;
				continue;
			}
			lr->buf = b;
			lr->cap = cap;
		}
		lr->buf[lr->len++] = (char)c;
	}
	if (c == EOF && lr->len == 0 && !lr->too_long)
		return false;
	if (!lr->buf && !(lr->buf = malloc(lr->cap = 4096)))
		return false;
	if (lr->len && lr->buf[lr->len - 1] == '\r')
		lr->len--;
	lr->buf[lr->len] = '\0';
	lr->number++;
	return true;
}

struct scan {
	const char *name;
	FILE *warn;
	struct triage_reports *out;
	struct line_reader lr;
	/* the text report being read */
	bool in_text, in_head;
	struct triage_report text;
	size_t prefix_len;
	char *prefix;
};

static void warn(struct scan *s, unsigned long line, const char *why)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, "ptrc triage: ");
	escape_bare_str(&sb, s->name);
	sb_printf(&sb, ":%lu: skipped a crash report: %s\n", line, why);
	fputs(sb.data, s->warn);
	sb_free(&sb);
}

static void keep(struct scan *s, struct triage_report *r)
{
	struct triage_reports *rs = s->out;
	if (rs->n == TRIAGE_MAX_REPORTS) {
		triage_report_free(r);
		warn(s, r->line, "more reports than triage keeps (100000)");
		return;
	}
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? 2 * rs->cap : 64;
		struct triage_report *v = realloc(rs->v, cap * sizeof *v);
		if (!v) {
			triage_report_free(r);
			warn(s, r->line, "out of memory");
			return;
		}
		rs->v = v;
		rs->cap = cap;
	}
	rs->v[rs->n++] = *r;
}

static void json_line(struct scan *s, const char *doc, size_t len)
{
	struct triage_report r = { .file = s->name, .line = s->lr.number };
	const char *why = triage_parse_json(doc, len, &r);
	if (why)
		warn(s, r.line, why);
	else
		keep(s, &r);
}

static void text_begin(struct scan *s, const char *marker)
{
	s->in_text = s->in_head = true;
	s->text = (struct triage_report){ .file = s->name,
					  .line = s->lr.number };
	/* the prefix may hold NUL bytes: copied by length, not strndup */
	s->prefix_len = (size_t)(marker - s->lr.buf);
	free(s->prefix);
	s->prefix = malloc(s->prefix_len + 1);
	if (!s->prefix) {
		s->in_text = false;
		return;
	}
	memcpy(s->prefix, s->lr.buf, s->prefix_len);
}

static void text_end(struct scan *s)
{
	s->in_text = false;
	const char *why = triage_check(&s->text);
	if (why)
		warn(s, s->text.line, why);
	else
		keep(s, &s->text);
}

/* A line inside a text report (its prefix removed). */
static void text_line(struct scan *s, const char *line, size_t len)
{
	if (!strcmp(line, TEXT_END)) {
		text_end(s);
	} else if (len == 0 && s->text.signature) {
		/* the head's end: a blank line after the signature (one that
		 * a later version puts above it does not end it) */
		s->in_head = false;
	} else if (s->in_head && strlen(line) == len) {
		triage_parse_text_line(&s->text, line);
	}
}

static void scan_line(struct scan *s)
{
	struct line_reader *lr = &s->lr;
	char *json = memmem(lr->buf, lr->len, JSON_BEGIN, sizeof JSON_BEGIN - 1);
	char *text = memmem(lr->buf, lr->len, TEXT_BEGIN, sizeof TEXT_BEGIN - 1);
	if (s->in_text && (text || json)) {
		warn(s, s->text.line, "it does not end (cut short?)");
		triage_report_free(&s->text);
		s->in_text = false;
	}
	if (lr->too_long && (json || text || s->in_text)) {
		warn(s, lr->number, "a line longer than triage reads");
		if (s->in_text)
			triage_report_free(&s->text);
		s->in_text = false;
	} else if (json) {
		json_line(s, json, lr->len - (size_t)(json - lr->buf));
	} else if (text) {
		text_begin(s, text);
	} else if (s->in_text && lr->len >= s->prefix_len &&
		   !memcmp(lr->buf, s->prefix, s->prefix_len)) {
		text_line(s, lr->buf + s->prefix_len, lr->len - s->prefix_len);
	}
}

bool triage_scan(FILE *f, const char *name, struct triage_reports *out,
		 FILE *warn_to)
{
	struct scan s = { .name = name, .warn = warn_to, .out = out,
			  .lr = { .f = f } };
	while (read_line(&s.lr))
		scan_line(&s);
	if (s.in_text) {
		warn(&s, s.text.line, "it does not end (cut short?)");
		triage_report_free(&s.text);
	}
	free(s.prefix);
	free(s.lr.buf);
	return !ferror(f);
}

void triage_reports_free(struct triage_reports *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		triage_report_free(&rs->v[i]);
	free(rs->v);
	*rs = (struct triage_reports){ 0 };
}
