/* -e inject=SET:TOKEN:... and -e fault=SET:TOKEN:... (strace's syntax). */
#ifndef PTRC_CLI_INJECT_H
#define PTRC_CLI_INJECT_H

#include <stdbool.h>
#include "ptrc/config.h"

/* Add the rule of VALUE (what follows "inject=" or, FAULT, "fault=") to
 * CONFIG. Returns 0, or -1 after printing a one-line error. */
int parse_inject_expression(const char *value, bool fault,
			    struct ptrc_config *config);

#endif
