/* -S and -U: strace 6.1's names of the -c table's columns. */
#ifndef PTRC_CLI_SUMMARY_WORDS_H
#define PTRC_CLI_SUMMARY_WORDS_H

#include "ptrc/config.h"

/* -S KEY into CONFIG; -U COLUMNS (comma-separated, each once; the name
 * column added last when missing, as strace). Return 0, or -1 after a
 * one-line error. */
int parse_summary_sort(const char *key, struct ptrc_config *config);
int parse_summary_columns(const char *list, struct ptrc_config *config);

#endif
