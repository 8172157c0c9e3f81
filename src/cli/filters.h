/* -e expressions: trace=, status=, signal=, quiet=, read=, write=, inject=,
 * fault=. */
#ifndef PTRC_FILTERS_H
#define PTRC_FILTERS_H

#include "ptrc/config.h"

/* Apply one -e EXPR to CONFIG. Returns 0, or -1 after printing a one-line
 * error. */
int parse_filter_expression(const char *expr, struct ptrc_config *config);

/* -e quiet=LIST, --quiet=LIST: the messages not printed. Returns 0, or
 * -1 after printing a one-line error. */
int parse_quiet(const char *list, struct ptrc_config *config);

/* -e decode-fds=LIST, --decode-fds=LIST: path, socket, dev, pidfd (enum
 * decode_fd_bits). Returns 0, or -1 after printing a one-line error. */
int parse_decode_fds(const char *list, struct ptrc_config *config);

#endif
