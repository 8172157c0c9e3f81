/* floor_tracer: the least a ptrace tracer can do, the floor ptrc is
 * measured against. No decoding, no output: wait for a stop, resume it.
 *
 *   floor_tracer [--cont | --seccomp-write] [--info] [--rusage] COMMAND [ARGS...]
 *   floor_tracer [--info] [--rusage] -p PID
 *
 * Default: stop at every syscall entry and exit (PTRACE_SYSCALL), every
 * thread and child followed (PTRACE_O_TRACECLONE | FORK | VFORK).
 * --cont: resume with PTRACE_CONT only, no syscall stops (the floor for
 * crash mode). --seccomp-write: a seccomp-bpf filter in the child returns
 * SECCOMP_RET_TRACE for write(2) only, everything else runs without a stop
 * (the floor for `-e trace=write`); x86_64 only. -p PID: PTRACE_SEIZE every
 * thread of PID, then as the default; ends when every tracee is gone.
 * --info: also one PTRACE_GET_SYSCALL_INFO per syscall stop, the least a
 * tracer that decodes anything must add (the "decoding floor").
 * --rusage: wait with wait4(..., &rusage) instead of waitpid, to measure
 * what asking for the tracee's resource usage at every stop costs.
 * Exits with the command's status (128+N when killed by signal N). */
#include <dirent.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP 128
#endif

enum mode { MODE_SYSCALL, MODE_CONT, MODE_SECCOMP };

/* Tasks whose first stop was seen: an auto-attached task of a
 * PTRACE_TRACEME tracer starts with a SIGSTOP that must not be delivered. */
static unsigned char seen[(4u << 20) / 8];

static int first_stop(pid_t pid)
{
	unsigned p = (unsigned)pid % (4u << 20);
	int first = !(seen[p / 8] & (1u << (p % 8)));
	seen[p / 8] |= (unsigned char)(1u << (p % 8));
	return first;
}

static void install_write_filter(void)
{
#if defined(__x86_64__)
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_write, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {
		.len = sizeof filter / sizeof filter[0], .filter = filter,
	};
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
		perror("floor_tracer: seccomp");
		_exit(126);
	}
#else
	fputs("floor_tracer: --seccomp-write is x86_64 only\n", stderr);
	_exit(126);
#endif
}

static int is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
	       sig == SIGTTOU;
}

static int seize_all(pid_t pid, long options)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task", pid);
	DIR *dir = opendir(path);
	if (!dir) {
		perror(path);
		return -1;
	}
	int n = 0;
	struct dirent *d;
	while ((d = readdir(dir))) {
		pid_t tid = atoi(d->d_name);
		if (tid <= 0)
			continue;
		if (ptrace(PTRACE_SEIZE, tid, 0, (void *)options) < 0) {
			fprintf(stderr, "floor_tracer: seize %d: %s\n", tid,
				strerror(errno));
			continue;
		}
		ptrace(PTRACE_INTERRUPT, tid, 0, 0);
		first_stop(tid);
		n++;
	}
	closedir(dir);
	return n > 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	enum mode mode = MODE_SYSCALL;
	pid_t attach_pid = 0;
	int info = 0, want_rusage = 0;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--cont"))
			mode = MODE_CONT;
		else if (!strcmp(argv[i], "--seccomp-write"))
			mode = MODE_SECCOMP;
		else if (!strcmp(argv[i], "--info"))
			info = 1;
		else if (!strcmp(argv[i], "--rusage"))
			want_rusage = 1;
		else if (!strcmp(argv[i], "-p") && i + 1 < argc)
			attach_pid = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else {
			fprintf(stderr, "floor_tracer: unknown option %s\n", argv[i]);
			return 64;
		}
	}
	if (!attach_pid && i >= argc) {
		fputs("usage: floor_tracer [--cont | --seccomp-write] [--info] "
		      "[--rusage] COMMAND [ARGS...] | -p PID\n", stderr);
		return 64;
	}
	if (attach_pid && mode == MODE_SECCOMP) {
		fputs("floor_tracer: -p and --seccomp-write exclude each other\n",
		      stderr);
		return 64;
	}

	long options = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE |
		       PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
		       PTRACE_O_TRACEEXEC;
	if (mode == MODE_SECCOMP)
		options |= PTRACE_O_TRACESECCOMP;
	/* The request that resumes a task between syscalls. */
	enum __ptrace_request resume = mode == MODE_SYSCALL ? PTRACE_SYSCALL :
				       PTRACE_CONT;

	pid_t child = 0;
	if (attach_pid) {
		if (seize_all(attach_pid, options) < 0)
			return 66;
	} else {
		options |= PTRACE_O_EXITKILL;
		child = fork();
		if (child < 0) {
			perror("floor_tracer: fork");
			return 70;
		}
		if (child == 0) {
			ptrace(PTRACE_TRACEME, 0, 0, 0);
			raise(SIGSTOP);
			if (mode == MODE_SECCOMP)
				install_write_filter();
			execvp(argv[i], argv + i);
			perror(argv[i]);
			_exit(127);
		}
		int status;
		if (waitpid(child, &status, 0) != child || !WIFSTOPPED(status)) {
			fputs("floor_tracer: child did not stop\n", stderr);
			return 70;
		}
		first_stop(child);
		ptrace(PTRACE_SETOPTIONS, child, 0, (void *)options);
		ptrace(resume, child, 0, 0);
	}

	int exit_code = 0;
	for (;;) {
		int status;
		struct rusage usage;
		pid_t pid = want_rusage ? wait4(-1, &status, __WALL, &usage) :
			    waitpid(-1, &status, __WALL);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;  /* ECHILD: every tracee is gone */
		}
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (pid == child)
				exit_code = WIFEXITED(status) ?
					    WEXITSTATUS(status) :
					    128 + WTERMSIG(status);
			continue;
		}
		if (!WIFSTOPPED(status))
			continue;
		int sig = WSTOPSIG(status);
		unsigned event = (unsigned)status >> 16;
		enum __ptrace_request req = resume;
		int deliver = 0;
		if (sig == (SIGTRAP | 0x80)) {
			/* A syscall stop; under seccomp, the exit of a
			 * traced call: back to running free. */
			if (info) {
				struct __ptrace_syscall_info si;
				ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof si, &si);
			}
		} else if (event == PTRACE_EVENT_SECCOMP) {
			req = PTRACE_SYSCALL;  /* to its exit stop */
		} else if (event == PTRACE_EVENT_STOP) {
			if (is_stop_signal(sig)) {  /* group-stop */
				ptrace(PTRACE_LISTEN, pid, 0, 0);
				continue;
			}
			first_stop(pid);
		} else if (event) {
			/* fork, clone, exec: nothing to do */
		} else if (sig == SIGSTOP && first_stop(pid)) {
			/* a new task's initial stop */
		} else {
			deliver = sig;  /* a signal for the tracee */
		}
		if (ptrace(req, pid, 0, (void *)(long)deliver) < 0 &&
		    errno != ESRCH)
			fprintf(stderr, "floor_tracer: resume %d: %s\n", pid,
				strerror(errno));
	}
	return exit_code;
}
