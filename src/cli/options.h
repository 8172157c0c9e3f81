/* Command-line parsing into struct ptrc_config. */
#ifndef PTRC_OPTIONS_H
#define PTRC_OPTIONS_H

#include "ptrc/config.h"

enum parse_result {
	PARSE_OK,
	PARSE_EXIT_OK,     /* --help or --version was printed */
	PARSE_USAGE_ERROR, /* a one-line error was printed */
	PARSE_NOT_IMPLEMENTED, /* one of strace's options ptrc lacks (printed) */
};

enum parse_result parse_options(int argc, char **argv,
				struct ptrc_config *config);
void config_free(struct ptrc_config *config);

#endif
