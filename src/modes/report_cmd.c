/* ptrc report --core FILE [--exe PATH]: the crash report of a core file,
 * as a live crash's (crash_report.c; the core read by crash_core.c). */
#include "ptrc/modes.h"

#include <stdio.h>
#include <stdlib.h>

#include "crash_report.h"
#include "ptrc/stack.h"
#include "ptrc/strbuf.h"

int report_command(const struct ptrc_config *config, struct out *out)
{
	char *error = NULL;
	struct crash_report r = { 0 };
	r.core = config->core_path;
	r.session = stack_session_open_core(config->core_path,
			config->core_exe, &error);
	if (!r.session) {
		fprintf(stderr, "ptrc: %s\n", error ? error : "out of memory");
		free(error);
		return PTRC_EXIT_BAD_CORE;
	}
	crash_report_collect(&r, 0, NULL, NULL, 0, NULL, STACK_BACKEND_LIBDW,
			     false);
	if (!r.nthreads) {
		fprintf(stderr, "ptrc: %s: corrupt core (cannot list its "
			"threads)\n", config->core_path);
		crash_report_free(&r);
		return PTRC_EXIT_BAD_CORE;
	}
	struct strbuf sb;
	sb_init(&sb);
	if (config->json)
		crash_report_json(&sb, &r);
	else
		crash_report_text(&sb, &r);
	out_write(out, sb.data, sb.len);
	sb_free(&sb);
	crash_report_free(&r);
	return out_flush(out) < 0 ? PTRC_EXIT_OUTPUT : PTRC_EXIT_OK;
}
