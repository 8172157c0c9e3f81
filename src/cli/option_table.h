/* The options ptrc accepts: one table, one handler each (option_table.c). */
#ifndef PTRC_CLI_OPTION_TABLE_H
#define PTRC_CLI_OPTION_TABLE_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

#include "options.h"
#include "parse_number.h"

struct option_spec;

/* The parse of one command line: the config it fills, the options
 * that count their repeats (-tt, -xx, -ff, -qq), and the long forms that
 * strace refuses beside their short ones (-t with --absolute-timestamps). */
struct option_parse {
	struct ptrc_config *config;
	const struct option_spec *option;  /* the one being handled */
	const struct option_spec *not_for_crash;  /* the first --crash ignores */
	unsigned t_count, x_count, f_count, q_count;
	unsigned y_count;  /* -y, -yy */
	bool ts_long, hex_long, follow_long, separately_long;
	int hex_long_value;  /* --strings-in-hex: like that many -x */
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

/* Room for the getopt tables (options.c); option_table.c checks it. */
#define OPTION_SPEC_MAX 128
extern const struct option_spec option_specs[];
extern const size_t option_spec_count;

/* The config before any option: each option changes it from these. */
void option_defaults(struct ptrc_config *config);


#endif
