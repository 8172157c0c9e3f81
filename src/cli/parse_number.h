/* Numbers on the command line (parse_number.c). */
#ifndef PTRC_CLI_PARSE_NUMBER_H
#define PTRC_CLI_PARSE_NUMBER_H

#include <stdbool.h>

/* A decimal number no greater than MAX, without sign or other text. */
bool parse_decimal(const char *text, unsigned long max, unsigned long *out);

#endif
