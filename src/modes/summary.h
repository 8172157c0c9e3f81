/* -c / -C: calls, errors and time per syscall, printed as strace's table. */
#ifndef PTRC_SUMMARY_H
#define PTRC_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>

#include "ptrc/arch.h"
#include "ptrc/config.h"
#include "ptrc/strbuf.h"

struct summary;

struct summary *summary_new(const struct ptrc_config *config);
void summary_free(struct summary *s);
/* One finished syscall of a process of ARCH (its personality: a table of
 * its own): its signature index (or -1 with NAME for an unknown number),
 * whether it failed, and nanoseconds spent. */
void summary_add(struct summary *s, enum ptrc_arch arch, int sig_index,
		 const char *name, bool failed, uint64_t ns);
/* The tables in strace's layout: the host's, then each other
 * personality's after "System call usage summary for 32 bit mode:". */
void summary_print_text(const struct summary *s, struct strbuf *sb);
/* One JSON object per table: {"type":"summary",["personality":"32 bit",]
 * "syscalls":[{"syscall":...,"calls":...},...],"total":{...}} */
void summary_print_json(const struct summary *s, struct strbuf *sb);

#endif
