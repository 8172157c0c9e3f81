/* ptrc run: start the command under trace. The child waits on a pipe until
 * it has been seized, so that its execve is traced; it is never stopped. */
#include "engine_internal.h"
#include "seccomp.h"
#include "tracees.h"

#include <errno.h>
#include <grp.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static bool is_executable_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	       access(path, X_OK) == 0;
}

/* Find NAME as execvp would, so that the trace shows one execve of the
 * real path rather than a walk along PATH. */
static char *find_program(const char *name)
{
	if (strchr(name, '/'))
		return strdup(name);
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	size_t name_len = strlen(name);
	while (*path) {
		const char *end = strchrnul(path, ':');
		size_t dir_len = (size_t)(end - path);
		char *candidate = malloc(dir_len + name_len + 3);
		if (!candidate)
			return NULL;
		if (dir_len == 0)
			strcpy(candidate, "./");
		else {
			memcpy(candidate, path, dir_len);
			candidate[dir_len] = '/';
			candidate[dir_len + 1] = '\0';
		}
		strcat(candidate, name);
		if (is_executable_file(candidate))
			return candidate;
		free(candidate);
		path = *end ? end + 1 : end;
	}
	return NULL;
}

static void reset_signals_for_child(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGALRM,
				    SIGPIPE, SIGCHLD };
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &dfl, NULL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* -E: the command's environment, changed in ptrc's child (strace's
 * order: each change in turn; "VAR" alone unsets). */
static void child_environment(const struct ptrc_config *config)
{
	for (unsigned i = 0; i < config->nenv_changes; i++) {
		const char *change = config->env_changes[i];
		const char *eq = strchr(change, '=');
		if (!eq) {
			unsetenv(change);
			continue;
		}
		char name[256];
		size_t len = (size_t)(eq - change);
		if (len >= sizeof name)
			continue;  /* no such variable can be set */
		memcpy(name, change, len);
		name[len] = '\0';
		setenv(name, eq + 1, 1);
	}
}

/* -u USER: groups, then gid, then uid (the order that keeps the right to
 * change them), with a setuid/setgid PATH's owner as effective id, as if
 * it ran untraced. Returns false with a message. */
static bool child_credentials(const struct ptrc_config *config,
			      const char *path)
{
	if (!config->run_user)
		return true;
	struct stat st;
	uid_t euid = config->run_uid;
	gid_t egid = config->run_gid;
	if (stat(path, &st) == 0) {
		if (st.st_mode & S_ISUID)
			euid = st.st_uid;
		if (st.st_mode & S_ISGID)
			egid = st.st_gid;
	}
	const char *failed = NULL;
	if (initgroups(config->run_user, config->run_gid) < 0)
		failed = "initgroups";
	else if (setregid(config->run_gid, egid) < 0)
		failed = "setregid";
	else if (setreuid(config->run_uid, euid) < 0)
		failed = "setreuid";
	if (failed)
		fprintf(stderr, "ptrc: %s: %s\n", failed, strerror(errno));
	return !failed;
}

int engine_spawn(struct engine *e, char *const argv[])
{
	char *path = find_program(argv[0]);
	if (!path) {
		engine_warn("%s: command not found", argv[0]);
		return PTRC_EXIT_EXEC;
	}
	if (!is_executable_file(path)) {
		engine_warn("%s: %s", path, access(path, F_OK) ? strerror(errno) :
			    "not an executable file");
		free(path);
		return PTRC_EXIT_EXEC;
	}
	int go[2];
	if (pipe2(go, O_CLOEXEC) < 0) {
		engine_warn("pipe: %s", strerror(errno));
		free(path);
		return PTRC_EXIT_INTERNAL;
	}
	struct sock_fprog filter = { 0 };
	if (e->use_seccomp && seccomp_filter_build(e->config, &filter) < 0) {
		/* Too many syscalls for one BPF program: stop at every one. */
		e->use_seccomp = false;
		e->ptrace_options &= ~(unsigned)PTRACE_O_TRACESECCOMP;
	}
	pid_t child = fork();
	if (child < 0) {
		engine_warn("fork: %s", strerror(errno));
		free(path);
		return PTRC_EXIT_INTERNAL;
	}
	if (child == 0) {
		close(go[1]);
		reset_signals_for_child();
		char byte;
		while (read(go[0], &byte, 1) < 0 && errno == EINTR)
			;
		child_environment(e->config);
		if (!child_credentials(e->config, path))
			_exit(PTRC_EXIT_PERMISSION);
		/* Only now: a RET_TRACE syscall of an untraced process fails. */
		if (filter.filter && seccomp_filter_install(&filter) < 0) {
			fprintf(stderr, "ptrc: cannot install the seccomp filter: %s\n",
				strerror(errno));
			_exit(PTRC_EXIT_INTERNAL);
		}
		execv(path, argv);
		fprintf(stderr, "ptrc: cannot run %s: %s\n", path, strerror(errno));
		_exit(PTRC_EXIT_EXEC);
	}
	free(path);
	free(filter.filter);
	close(go[0]);
	unsigned options = e->ptrace_options | PTRACE_O_EXITKILL;
	if (ptrace(PTRACE_SEIZE, child, 0, (void *)(long)options) < 0) {
		int err = errno;
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);  /* never traced: not engine_wait's */
		close(go[1]);
		engine_warn("cannot trace the command: %s", strerror(err));
		return err == EPERM ? PTRC_EXIT_PERMISSION : PTRC_EXIT_INTERNAL;
	}
	struct tracee *t = engine_add_tracee(e, child, child);
	t->hidden = true;
	e->run_child = child;
	/* Seizing does not stop: the interrupt stop lets the loop resume the
	 * child with PTRACE_SYSCALL before it reaches execve. */
	ptrace(PTRACE_INTERRUPT, child, 0, 0);
	close(go[1]);  /* the child reads EOF and goes on to execve */
	return PTRC_EXIT_OK;
}
