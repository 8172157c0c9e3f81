/* Which printer decodes which argument kind. Kinds not listed print by
 * their base representation (argkinds.tbl). */
#include "printers.h"

const arg_printer kind_printers[ARG_KIND_COUNT] = {
	/* flags and enums (flags.c and the tables in xlat/) */

	/* structures read from tracee memory */

	/* descriptors, sockets and addresses */
};
