/* The crash report's process context: who the process ran as, where (cwd,
 * root, chroot), its limits and cgroup, its open descriptors, where the
 * kernel writes its core, and (only when asked) its environment. Read
 * from /proc and prlimit(2) while every thread is held; everything read
 * is hostile and bounded, and printed escaped. */
#ifndef PTRC_MODES_CRASH_CONTEXT_H
#define PTRC_MODES_CRASH_CONTEXT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "ptrc/strbuf.h"

/* Descriptors decoded and printed; the rest are counted. */
#define CTX_FDS_SHOWN 64
/* Supplementary groups named and printed; the rest are counted. */
#define CTX_GROUPS_SHOWN 32
/* Environment: at most this many variables, of this many bytes in all. */
#define CTX_ENV_MAX_VARS 256
#define CTX_ENV_MAX_BYTES (64 * 1024)

/* An id and its name in ptrc's /etc/passwd or /etc/group (NULL: none). */
struct ctx_id {
	unsigned long id;
	char *name;
};

/* Real, effective, saved, filesystem: the order of /proc/PID/status. */
enum { CTX_REAL, CTX_EFFECTIVE, CTX_SAVED, CTX_FS, CTX_NIDS };

/* RLIM_INFINITY is "unlimited". */
struct ctx_limit {
	const char *name;   /* "core", "stack"... */
	bool known;         /* prlimit(2) answered */
	uint64_t soft, hard;
};

#define CTX_NLIMITS 5

struct ctx_fd {
	int fd;
	char *text;         /* as -yy prints it: 3</etc/passwd> (escaped) */
	char *target;       /* the /proc/PID/fd/N link, raw bytes */
	bool has_flags;
	unsigned long flags;    /* fdinfo's "flags:" (octal there) */
	bool has_pos;           /* a regular file: its position */
	unsigned long long pos;
};

/* Where a core goes when the signal is delivered. */
struct ctx_core {
	bool signal_dumps;      /* the signal's default action dumps core */
	char *pattern;          /* /proc/sys/kernel/core_pattern, raw */
	bool pipe;              /* "|helper ...": the kernel pipes the core */
	char *helper;           /* the helper's path (pipe) */
	bool systemd;           /* the helper is systemd-coredump */
	char *path;             /* the file, as the process sees it (expanded) */
	char *host_path;        /* the same through the process's root */
	bool path_exact;        /* every % of the pattern was expanded */
	int suid_dumpable;      /* /proc/sys/fs/suid_dumpable, or -1 */
	int dumpable;           /* 1, 0, or -1 unknown (see crash_ctx_core.c) */
	char *verdict;          /* one sentence: whether and where */
};

struct crash_context {
	bool collected;         /* crash_context_collect ran (not from a core) */
	bool has_ids;
	struct ctx_id uid[CTX_NIDS], gid[CTX_NIDS];
	struct ctx_id *groups;
	size_t ngroups;         /* in GROUPS */
	size_t groups_total;    /* in /proc/PID/status (more when cut) */
	bool groups_cut;        /* the status line was longer than the read */
	char *cwd;              /* /proc/PID/cwd as ptrc sees it */
	char *root;             /* /proc/PID/root as ptrc sees it */
	char *cwd_inside;       /* cwd as the process sees it (chrooted) */
	bool chrooted;          /* root is not "/" */
	char **cgroups;         /* /proc/PID/cgroup lines */
	size_t ncgroups;
	struct ctx_limit limits[CTX_NLIMITS];
	struct ctx_fd *fds;
	size_t nfds;            /* decoded, at most CTX_FDS_SHOWN */
	size_t fds_total;       /* open, counted */
	bool fds_listed;        /* /proc/PID/fd could be read */
	struct ctx_core core;
	bool want_env;          /* --crash-env */
	char **env;
	size_t nenv;
	bool env_cut;           /* more than the bounds */
};

/* Gathers the context of PID (held); SIGNO is the fatal signal, COMM the
 * crashed thread's name (the kernel's %e). */
void crash_context_collect(struct crash_context *c, pid_t pid, pid_t tid,
			   int signo,
			   const char *comm, bool want_env);
void crash_context_free(struct crash_context *c);

/* The compact text section, one line per fact, one per descriptor. */
void crash_context_text(struct strbuf *sb, const struct crash_context *c);
/* ,"context":{...} for the report's JSON object. */
void crash_context_json(struct strbuf *sb, const struct crash_context *c);

#endif
