/* ptrc triage FILE...: the crash reports ptrc wrote (text or JSON, alone
 * or among trace lines), grouped into distinct crashes, with flags that
 * point at hardware, a changed program or a compiler.
 *
 * Exit status: */
#define TRIAGE_EXIT_FOUND 0       /* at least one report */
#define TRIAGE_EXIT_NONE 1        /* every file read, not one report */
#define TRIAGE_EXIT_UNREADABLE 2  /* a file could not be read (the others
				   * are still triaged) */

#include "ptrc/modes.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "ptrc/escape.h"
#include "ptrc/strbuf.h"
#include "triage.h"

static void file_error(const char *name, const char *why)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, "ptrc triage: ");
	escape_bare_str(&sb, name);
	sb_printf(&sb, ": %s\n", why);
	fputs(sb.data, stderr);
	sb_free(&sb);
}

/* The reports of the file NAME into RS; false when it could not be read.
 * Only regular files: a FIFO or a device could be read forever. */
static bool read_file(const char *name, struct triage_reports *rs)
{
	FILE *f = fopen(name, "re");
	struct stat st = { 0 };
	if (!f) {
		file_error(name, strerror(errno));
		return false;
	}
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode)) {
		file_error(name, S_ISDIR(st.st_mode) ? "is a directory" :
			   "not a regular file");
		fclose(f);
		return false;
	}
	bool ok = triage_scan(f, name, rs, stderr);
	if (!ok)
		file_error(name, "read error");
	fclose(f);
	return ok;
}

int triage_command(const struct ptrc_config *config, struct out *out)
{
	struct triage_reports rs = { 0 };
	struct triage t;
	size_t nfiles = 0;
	bool unreadable = false;
	for (char **file = config->argv; file && *file; file++, nfiles++)
		if (!read_file(*file, &rs))
			unreadable = true;
	if (!triage_build(&t, &rs)) {
		fputs("ptrc triage: out of memory\n", stderr);
		triage_reports_free(&rs);
		return PTRC_EXIT_INTERNAL;
	}
	t.nfiles = nfiles;
	struct strbuf sb;
	sb_init(&sb);
	if (config->json)
		triage_print_json(&sb, &t);
	else
		triage_print_text(&sb, &t);
	out_write(out, sb.data, sb.len);
	int status = out_flush(out) < 0 || out_error(out) ? PTRC_EXIT_OUTPUT :
		     unreadable ? TRIAGE_EXIT_UNREADABLE :
		     rs.n == 0 ? TRIAGE_EXIT_NONE : TRIAGE_EXIT_FOUND;
	if (status == PTRC_EXIT_OUTPUT)
		fprintf(stderr, "ptrc triage: writing the output: %s\n",
			strerror(out_error(out)));
	sb_free(&sb);
	triage_free(&t);
	triage_reports_free(&rs);
	return status;
}
