/* The options ptrc accepts: one table, one handler each (option_table.c). */
#ifndef PTRC_CLI_OPTION_TABLE_H
#define PTRC_CLI_OPTION_TABLE_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

#include "options.h"

/* The parse of one command line: the config it fills, and the options
 * that count their repeats (-tt, -xx, -qq). */
struct option_parse {
	struct ptrc_config *config;
	unsigned t_count, x_count;
	unsigned q_count;
};

/* ARG is the option's argument, NULL when it takes none. Prints its own
 * message when it returns anything but PARSE_OK. */
typedef enum parse_result option_handler(struct option_parse *p,
					 const char *arg);

struct option_spec {
	const char *long_name;   /* NULL: a short option only */
	char short_name;         /* 0: a long option only */
	int has_arg;             /* getopt: no_, required_, optional_argument */
	option_handler *handle;
};

#define OPTION_SPEC_COUNT 39
extern const struct option_spec option_specs[OPTION_SPEC_COUNT];

/* The config before any option: each option changes it from these. */
void option_defaults(struct ptrc_config *config);

/* A decimal number no greater than MAX, without sign or other text. */
bool parse_decimal(const char *text, unsigned long max, unsigned long *out);

#endif
