/* Whether and where the core goes, in one sentence, from what
 * crash_ctx_core.c gathered (the kernel's rules are listed there). A pure
 * function, tested by tests/unit/test_crash_context.c. */
#include "crash_ctx_verdict.h"

#include <stdarg.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>

static char *sentence(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *sentence(const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

char *ctx_core_verdict(const struct ctx_core *k, const struct ctx_limit *core,
		       int signo, pid_t pid)
{
	if (!k->signal_dumps && sigabbrev_np(signo))
		return sentence("none: SIG%s does not dump core", sigabbrev_np(signo));
	if (!k->signal_dumps)
		return sentence("none: signal %d does not dump core", signo);
	if (!k->pattern)
		return sentence("unknown: /proc/sys/kernel/core_pattern unreadable");
	/* Checked by the kernel before the pattern is looked at. */
	if (k->dumpable == 0 && k->suid_dumpable != 2)
		return sentence("none: the process is not dumpable (it changed "
				"credentials; fs.suid_dumpable is %d)", k->suid_dumpable);
	bool zero = core->known && core->soft == 0;
	if (k->pipe && core->known && core->soft == 1)
		return sentence("none: the kernel pipes no core with RLIMIT_CORE 1");
	if (k->pipe && k->systemd)
		return zero ? sentence("none kept: systemd-coredump logs the crash "
				       "(coredumpctl list) but honours RLIMIT_CORE 0")
			    : sentence("piped to systemd-coredump: coredumpctl "
				       "info %d finds it", (int)pid);
	if (k->pipe)
		return sentence("piped to the helper %s (the kernel ignores "
				"RLIMIT_CORE for a pipe)", k->helper ? k->helper : "?");
	if (zero)
		return sentence("none: RLIMIT_CORE is 0");
	if (core->known && core->soft < 4096)
		return sentence("none: RLIMIT_CORE is %llu (below one page)",
				(unsigned long long)core->soft);
	if (k->dumpable == 0 && k->path && k->path[0] != '/')
		return sentence("none: the process is not dumpable and "
				"fs.suid_dumpable=2 needs an absolute core_pattern");
	if (!k->host_path)
		return sentence("a file %s relative to an unknown cwd",
				k->path ? k->path : "?");
	return sentence("%s %s", k->path_exact ? "file" : "file like",
			k->host_path);
}

