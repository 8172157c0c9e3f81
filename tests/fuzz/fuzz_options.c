/* libFuzzer target: the option parser and the -e expressions. The input
 * is split at NUL bytes into argv words after "ptrc". */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/cli/options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int quiet;
	if (!quiet) {
		/* --help and --version print to stdout; usage errors go to
		 * stderr, which libFuzzer needs for its own reports */
		if (!freopen("/dev/null", "w", stdout))
			return 0;
		quiet = 1;
	}
	char *copy = malloc(size + 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	char *argv[64];
	int argc = 0;
	argv[argc++] = "ptrc";
	for (char *p = copy; argc < 63 && p <= copy + size; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	struct ptrc_config config;
	parse_options(argc, argv, &config);
	config_free(&config);
	free(copy);
	return 0;
}
