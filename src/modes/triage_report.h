/* ptrc triage: crash reports read back from files (text or JSON, as
 * src/modes/crash_report.c writes them), which may hold anything. */
#ifndef PTRC_MODES_TRIAGE_REPORT_H
#define PTRC_MODES_TRIAGE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The longest line read whole (a JSON report of a process with a thousand
 * threads is a few MB); a longer one is skipped with a warning. */
#define TRIAGE_MAX_LINE (32u << 20)
/* The longest field kept (a path, a compiler's command line). */
#define TRIAGE_MAX_FIELD 4096

/* What triage needs of one report; strings are the report's bytes
 * (unescaped), NULL when the report does not have them. */
struct triage_report {
	const char *file;        /* where it was found (not owned) */
	unsigned long line;
	bool has_time;
	int64_t time_us;         /* since the epoch */
	char *time_text;         /* as the report wrote it */
	long pid;
	char *comm;
	char *exe;
	char *build_id;          /* of the running image */
	char *disk_build_id;     /* of the file at its path then */
	bool replaced;           /* a warning says the file was replaced */
	char *producer;          /* compiler (DW_AT_producer) */
	char *signal;            /* "SIGSEGV" */
	bool has_address;
	uint64_t address;        /* the fault address */
	char *signature;         /* 16 hex digits */
};

struct triage_reports {
	struct triage_report *v;
	size_t n, cap;
};

/* ---- triage_parse.c: one report ---- */

/* The JSON crash report in TEXT (LEN bytes, one document). Returns NULL
 * when it is one, else why not (R is then freed). */
const char *triage_parse_json(const char *text, size_t len,
			      struct triage_report *r);
/* One line of a text report's head (before its first blank line); lines
 * it does not know are ignored. */
void triage_parse_text_line(struct triage_report *r, const char *line);
/* After the last line of a text report: NULL when R is usable, else why
 * not (R is then freed). */
const char *triage_check(struct triage_report *r);
void triage_report_free(struct triage_report *r);
/* Parses "2026-12-08 00:27:48.123456 +0100" into microseconds since the
 * epoch. */
bool triage_parse_time(const char *text, int64_t *us);

/* ---- triage_scan.c: the reports in a file ---- */

/* Appends every well-formed report in F (named NAME) to OUT; a malformed
 * one is skipped with a line on WARN naming NAME and the line. Returns
 * false when F could not be read to its end (a read error). */
bool triage_scan(FILE *f, const char *name, struct triage_reports *out,
		 FILE *warn);
void triage_reports_free(struct triage_reports *rs);

#endif
