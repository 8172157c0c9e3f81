/* ptrc triage: the crash reports of several files grouped into distinct
 * crashes (triage_group.c), the flags that point at hardware or at a
 * changed program, and their printing (triage_print.c). */
#ifndef PTRC_MODES_TRIAGE_H
#define PTRC_MODES_TRIAGE_H

#include "ptrc/strbuf.h"
#include "triage_report.h"

/* One distinct crash: the reports with the same signature and signal,
 * ORDER[start .. start+count), oldest first. */
struct triage_crash {
	size_t start, count;
};

enum triage_flag_kind {
	FLAG_HARDWARE_SUSPECT,   /* one build, several signatures and addresses */
	FLAG_PROGRAM_REPLACED,   /* the file on disk is not the running one */
	FLAG_NEVER_REPEATED,     /* a crash seen once among others */
	FLAG_SURVIVED_REBUILD,   /* one signature in several builds */
	FLAG_DIFFERENT_COMPILERS,/* one path, several producers */
};

struct triage_flag {
	enum triage_flag_kind kind;
	const char *signature;   /* the crash it is about, or NULL */
	const char *exe;         /* the executable it is about, or NULL */
	const char *build_id;    /* ... and its build, or NULL */
	char *reason;            /* one sentence, for a mail administrator */
};

struct triage {
	const struct triage_report **order;  /* by signature, signal, time */
	size_t nreports;
	struct triage_crash *crashes;        /* most frequent first */
	size_t ncrashes;
	struct triage_flag *flags;
	size_t nflags;
	size_t nfiles;
};

/* Groups RS (which must outlive T) and finds the flags. False: out of
 * memory. */
bool triage_build(struct triage *t, const struct triage_reports *rs);
void triage_free(struct triage *t);
/* The name of a flag kind, as printed ("hardware-suspect"). */
const char *triage_flag_name(enum triage_flag_kind kind);

/* One line per crash, then one per flag. */
void triage_print_text(struct strbuf *sb, const struct triage *t);
/* One JSON document on one line. */
void triage_print_json(struct strbuf *sb, const struct triage *t);

#endif
