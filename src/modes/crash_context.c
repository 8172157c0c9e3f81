/* Gathering the crash report's process context (crash_context.h): ids
 * and groups from /proc/PID/status, cwd and root, cgroup, limits by
 * prlimit(2), the environment when asked; descriptors
 * (crash_ctx_fds.c) and the core's destination (crash_ctx_core.c). */
#include "crash_context.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "crash_ctx_core.h"
#include "crash_ctx_fds.h"
#include "crash_ctx_names.h"
#include "crash_ctx_parse.h"
#include "crash_ctx_read.h"

#define STATUS_MAX (64 * 1024)
#define CGROUP_MAX 4096
#define CGROUP_LINES 16

static void read_ids(struct crash_context *c, const char *text, size_t len)
{
	unsigned long uid[CTX_NIDS], gid[CTX_NIDS];
	size_t ulen, glen;
	bool ucut, gcut;
	const char *u = ctx_field(text, len, "Uid", &ulen, &ucut);
	const char *g = ctx_field(text, len, "Gid", &glen, &gcut);
	if (!u || !g || ucut || gcut ||
	    ctx_parse_numbers(u, ulen, false, uid, CTX_NIDS) != CTX_NIDS ||
	    ctx_parse_numbers(g, glen, false, gid, CTX_NIDS) != CTX_NIDS)
		return;
	c->has_ids = true;
	for (int i = 0; i < CTX_NIDS; i++) {
		c->uid[i].id = uid[i];
		c->gid[i].id = gid[i];
	}
}

static void read_groups(struct crash_context *c, const char *text, size_t len,
			bool text_cut)
{
	unsigned long ids[CTX_GROUPS_SHOWN];
	size_t vlen;
	bool cut;
	const char *v = ctx_field(text, len, "Groups", &vlen, &cut);
	if (!v)
		return;
	cut = cut && text_cut;
	long n = ctx_parse_numbers(v, vlen, cut, ids, CTX_GROUPS_SHOWN);
	if (n < 0)
		return;
	c->groups_total = (size_t)n;
	c->groups_cut = cut;
	size_t shown = n < CTX_GROUPS_SHOWN ? (size_t)n : CTX_GROUPS_SHOWN;
	c->groups = calloc(shown ? shown : 1, sizeof *c->groups);
	if (!c->groups)
		return;
	for (size_t i = 0; i < shown; i++)
		c->groups[i].id = ids[i];
	c->ngroups = shown;
}

static void name_ids(struct crash_context *c)
{
	struct ctx_id *users[CTX_NIDS], *groups[CTX_NIDS + CTX_GROUPS_SHOWN];
	size_t ng = 0;
	for (int i = 0; i < CTX_NIDS; i++) {
		users[i] = &c->uid[i];
		groups[ng++] = &c->gid[i];
	}
	for (size_t i = 0; i < c->ngroups; i++)
		groups[ng++] = &c->groups[i];
	ctx_name_ids("/etc/passwd", users, c->has_ids ? CTX_NIDS : 0);
	ctx_name_ids("/etc/group", groups + (c->has_ids ? 0 : CTX_NIDS),
		     c->has_ids ? ng : ng - CTX_NIDS);
}

/* cwd and root as ptrc sees them; the cwd as the process does. */
static void read_places(struct crash_context *c, pid_t pid)
{
	char path[64];
	c->cwd = ctx_read_link(ctx_proc_path(path, sizeof path, pid, "cwd"));
	c->root = ctx_read_link(ctx_proc_path(path, sizeof path, pid, "root"));
	if (!c->root)
		return;
	c->chrooted = strcmp(c->root, "/") != 0;
	if (!c->cwd)
		return;
	size_t n = strlen(c->root);
	if (!c->chrooted)
		c->cwd_inside = strdup(c->cwd);
	else if (strncmp(c->cwd, c->root, n) == 0 && c->cwd[n] == '\0')
		c->cwd_inside = strdup("/");
	else if (strncmp(c->cwd, c->root, n) == 0 && c->cwd[n] == '/')
		c->cwd_inside = strdup(c->cwd + n);
	/* else: a cwd outside the chroot (chroot without chdir) */
}

/* /proc/PID/NAME (at most MAX bytes) split at SEP, empty pieces
 * skipped, at most NMAX; a piece cut by the bound is dropped. *CUT:
 * something was left out. NULL when unreadable. */
static char **read_pieces(pid_t pid, const char *name, size_t max, char sep,
			  size_t nmax, size_t *n, bool *cut)
{
	char path[64];
	size_t len;
	int file_cut;
	*n = 0;
	char *text = ctx_read_file(ctx_proc_path(path, sizeof path, pid, name),
				   max, &len, &file_cut);
	char **pieces = text ? calloc(nmax, sizeof *pieces) : NULL;
	*cut = file_cut;
	for (size_t at = 0; pieces && at < len;) {
		const char *end = memchr(text + at, sep, len - at);
		size_t size = end ? (size_t)(end - (text + at)) : len - at;
		if (!end && file_cut)
			break;
		if (size && *n == nmax) {
			*cut = true;
			break;
		}
		if (size)
			pieces[(*n)++] = strndup(text + at, size);
		at += size + 1;
	}
	free(text);
	return pieces;
}

static void read_cgroups(struct crash_context *c, pid_t pid)
{
	bool cut;
	c->cgroups = read_pieces(pid, "cgroup", CGROUP_MAX, '\n', CGROUP_LINES,
				 &c->ncgroups, &cut);
}

/* prlimit(2) first; it needs CAP_SYS_RESOURCE for a process of another
 * uid (a Postfix daemon after its setuid), which a container may not
 * give: then /proc/PID/limits, which ptrace access suffices for. */
static void read_limits(struct crash_context *c, pid_t pid)
{
	static const struct {
		const char *name, *proc_name;
		int resource;
	} which[CTX_NLIMITS] = {
		{ "core", "Max core file size", RLIMIT_CORE },
		{ "stack", "Max stack size", RLIMIT_STACK },
		{ "nofile", "Max open files", RLIMIT_NOFILE },
		{ "as", "Max address space", RLIMIT_AS },
		{ "data", "Max data size", RLIMIT_DATA },
	};
	char path[64];
	size_t len = 0;
	int cut;
	char *text = NULL;
	for (int i = 0; i < CTX_NLIMITS; i++) {
		struct ctx_limit *l = &c->limits[i];
		struct rlimit rl;
		l->name = which[i].name;
		if (prlimit(pid, which[i].resource, NULL, &rl) == 0) {
			l->known = true;
			l->soft = rl.rlim_cur;
			l->hard = rl.rlim_max;
			continue;
		}
		if (!text)
			text = ctx_read_file(ctx_proc_path(path, sizeof path, pid,
					     "limits"), 4096, &len, &cut);
		if (text)
			l->known = ctx_limits_line(text, len, which[i].proc_name,
						   &l->soft, &l->hard);
	}
	free(text);
}

static void read_env(struct crash_context *c, pid_t pid)
{
	c->env = read_pieces(pid, "environ", CTX_ENV_MAX_BYTES, '\0',
			     CTX_ENV_MAX_VARS, &c->nenv, &c->env_cut);
}

void crash_context_collect(struct crash_context *c, pid_t pid, pid_t tid,
			   int signo,
			   const char *comm, bool want_env)
{
	char path[64];
	size_t len;
	int cut;
	c->collected = true;
	char *status = ctx_read_file(ctx_proc_path(path, sizeof path, pid, "status"),
				     STATUS_MAX, &len, &cut);
	if (status) {
		read_ids(c, status, len);
		read_groups(c, status, len, cut);
		free(status);
	}
	name_ids(c);
	read_places(c, pid);
	read_cgroups(c, pid);
	read_limits(c, pid);
	ctx_collect_fds(c, pid);
	ctx_collect_core(c, pid, tid, signo, comm);
	c->want_env = want_env;
	if (want_env)
		read_env(c, pid);
}

static void free_ids(struct ctx_id *ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(ids[i].name);
}

void crash_context_free(struct crash_context *c)
{
	free_ids(c->uid, CTX_NIDS);
	free_ids(c->gid, CTX_NIDS);
	free_ids(c->groups, c->ngroups);
	free(c->groups);
	free(c->cwd);
	free(c->root);
	free(c->cwd_inside);
	for (size_t i = 0; i < c->ncgroups; i++)
		free(c->cgroups[i]);
	free(c->cgroups);
	ctx_free_fds(c);
	ctx_free_core(&c->core);
	for (size_t i = 0; i < c->nenv; i++)
		free(c->env[i]);
	free(c->env);
	memset(c, 0, sizeof *c);
}
