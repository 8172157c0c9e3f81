/* Output file names made from a template with placeholders (-o's %p,
 * %n, %%): the one rule, for the output opened at start (src/cli) and the
 * per-process files of attach --tree / -f (the trace mode). */
#ifndef PTRC_OUT_NAME_H
#define PTRC_OUT_NAME_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Make NAME safe as (part of) one path component: only [A-Za-z0-9._+-@]
 * (others become '_'), never a leading '.', never empty. */
void out_sanitize_name(char *name);

/* Does TMPL hold %p or %n? */
bool out_name_has_placeholders(const char *tmpl);

/* TMPL with %p as PID, %n as NAME (sanitized here), %% as '%', into PATH
 * (SIZE bytes). Returns 0; -1 when PATH is too small; -2 for an unknown
 * placeholder, its letter (or '\0' at the end) in *BAD. */
int out_expand_name(const char *tmpl, pid_t pid, const char *name,
		    char *path, size_t size, char *bad);

#endif
