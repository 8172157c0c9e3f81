/* Where the core goes (crash_ctx_core.h). Facts of fs/coredump.c:
 * - a file pattern is opened relative to the dumping process's cwd and
 *   root (inside a chroot), and is not written when RLIMIT_CORE is below
 *   one page (ELF's min_coredump);
 * - a pipe ("|helper args") ignores RLIMIT_CORE (but for 1), the helper
 *   gets the core on its stdin; systemd-coredump honours the limit itself
 *   (with 0 it logs the crash and stores no core);
 * - a process that changed credentials (setuid) is not dumpable unless
 *   fs.suid_dumpable was 2 then; with 2 a file pattern must be absolute.
 * The dumpable flag has no /proc field; its trace: /proc/PID/status is owned by
 * root instead of the euid when the process is not dumpable, which tells
 * it for a process whose euid is not 0. */
#include "crash_ctx_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crash_ctx_parse.h"
#include "crash_ctx_read.h"
#include "crash_ctx_verdict.h"
#include "ptrc/names.h"

/* A small /proc/sys integer, or -1. */
static int read_sysctl_int(const char *path)
{
	size_t len;
	int cut;
	char *text = ctx_read_file(path, 32, &len, &cut);
	int v = -1;
	if (text && len && !cut && text[0] >= '0' && text[0] <= '9')
		v = atoi(text);
	free(text);
	return v;
}

static int dumpable(const struct crash_context *c, pid_t pid)
{
	char path[64];
	struct stat st;
	/* Not /proc/PID itself: the kernel does not update its owner. */
	if (!c->has_ids || c->uid[CTX_EFFECTIVE].id == 0 ||
	    stat(ctx_proc_path(path, sizeof path, pid, "status"), &st) < 0)
		return -1;
	if (st.st_uid == c->uid[CTX_EFFECTIVE].id)
		return 1;
	return st.st_uid == 0 ? 0 : -1;
}

/* Is PID in ptrc's namespace NS ("pid", "uts")? Then the kernel's %p is
 * the pid ptrc knows, its %h ptrc's hostname. */
static bool same_ns(pid_t pid, const char *ns)
{
	char path[64], name[16];
	snprintf(name, sizeof name, "ns/%s", ns);
	char *theirs = ctx_read_link(ctx_proc_path(path, sizeof path, pid, name));
	snprintf(path, sizeof path, "/proc/self/ns/%s", ns);
	char *ours = ctx_read_link(path);
	bool same = theirs && ours && strcmp(theirs, ours) == 0;
	free(theirs);
	free(ours);
	return same;
}

/* The expanded file and its path through the process's root. */
static void expand_file(struct ctx_core *k, const struct crash_context *c,
			pid_t pid, pid_t tid, int signo, const char *comm)
{
	char host[256] = "", limit[32], path[64];
	const struct ctx_limit *core = &c->limits[0];
	snprintf(limit, sizeof limit, "%llu", (unsigned long long)core->soft);
	char *exe = c->chrooted ? NULL :
		ctx_read_link(ctx_proc_path(path, sizeof path, pid, "exe"));
	bool same_pids = same_ns(pid, "pid");
	bool same_host = same_ns(pid, "uts") && gethostname(host, sizeof host) == 0;
	host[sizeof host - 1] = '\0';
	struct core_vars v = {
		.pid = same_pids ? pid : -1, .tid = same_pids ? tid : -1,
		.global_pid = pid, .global_tid = tid,
		.uid = c->has_ids ? (long)c->uid[CTX_REAL].id : -1,
		.gid = c->has_ids ? (long)c->gid[CTX_REAL].id : -1,
		.signo = signo, .dump_mode = k->dumpable == 1 ? 1 : -1,
		.comm = comm, .exe = exe,
		.hostname = same_host ? host : NULL,
		.core_limit = core->known ? limit : NULL,
		.uses_pid = read_sysctl_int("/proc/sys/kernel/core_uses_pid") == 1,
	};
	struct strbuf sb;
	sb_init(&sb);
	k->path_exact = ctx_expand_core_pattern(&sb, k->pattern, &v);
	k->path = strdup(sb.data ? sb.data : "");
	sb_reset(&sb);
	/* Through the root as ptrc sees it: ROOT + CWD-inside + PATH. */
	const char *root = c->chrooted && c->root ? c->root : "";
	if (k->path[0] == '/')
		sb_printf(&sb, "%s%s", root, k->path);
	else if (c->cwd_inside)
		sb_printf(&sb, "%s%s%s%s", root, c->cwd_inside,
			  strcmp(c->cwd_inside, "/") ? "/" : "", k->path);
	k->host_path = sb.len ? strdup(sb.data) : NULL;
	sb_free(&sb);
	free(exe);
}

void ctx_collect_core(struct crash_context *c, pid_t pid, pid_t tid,
		      int signo, const char *comm)
{
	struct ctx_core *k = &c->core;
	k->signal_dumps = signal_default_action(signo) == SIGNAL_DUMPS_CORE;
	k->suid_dumpable = read_sysctl_int("/proc/sys/fs/suid_dumpable");
	k->dumpable = dumpable(c, pid);
	size_t len;
	int cut;
	k->pattern = ctx_read_file("/proc/sys/kernel/core_pattern", 256, &len, &cut);
	if (k->pattern) {
		if (strlen(k->pattern) < len)
			len = strlen(k->pattern);
		while (len && k->pattern[len - 1] == '\n')
			k->pattern[--len] = '\0';
		if (k->pattern[0] == '|') {
			const char *p = k->pattern + 1;
			while (*p == ' ')
				p++;
			k->pipe = true;
			k->helper = strndup(p, strcspn(p, " "));
			const char *base = strrchr(k->helper, '/');
			k->systemd = !strcmp(base ? base + 1 : k->helper,
					     "systemd-coredump");
		} else {
			expand_file(k, c, pid, tid, signo, comm);
		}
	}
	k->verdict = ctx_core_verdict(k, &c->limits[0], signo, pid);
}

void ctx_free_core(struct ctx_core *core)
{
	free(core->pattern);
	free(core->helper);
	free(core->path);
	free(core->host_path);
	free(core->verdict);
}
