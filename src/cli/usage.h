/* The help text, the version line and usage errors. */
#ifndef PTRC_CLI_USAGE_H
#define PTRC_CLI_USAGE_H

#include "options.h"

/* "ptrc: " FMT (with ARG) " (see ptrc --help)" on stderr; returns
 * PARSE_USAGE_ERROR. */
enum parse_result usage_error(const char *fmt, const char *arg);
/* "ptrc: " FMT (with ARG) " is not implemented" on stderr; returns
 * PARSE_NOT_IMPLEMENTED. */
enum parse_result usage_not_implemented(const char *fmt, const char *arg);
/* --help and --version, on stdout; return PARSE_EXIT_OK. */
enum parse_result usage_print_help(void);
enum parse_result usage_print_version(void);

#endif
