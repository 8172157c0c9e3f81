/* maxrss FILE COMMAND [ARGS...]: run COMMAND, then write its peak resident
 * set size, "maxrss_kib=N", to FILE, and exit with its status (128+N when
 * killed by signal N).
 *
 * run.py cannot take the figure from its own wait4(): a child forked from
 * Python keeps the Python process's peak RSS in ru_maxrss across exec. This
 * helper is small, so what it passes on to COMMAND is small too. */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fputs("usage: maxrss FILE COMMAND [ARGS...]\n", stderr);
		return 64;
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("maxrss: fork");
		return 70;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	int status;
	struct rusage usage;
	if (wait4(pid, &status, 0, &usage) != pid) {
		perror("maxrss: wait4");
		return 70;
	}
	FILE *f = fopen(argv[1], "w");
	if (!f || fprintf(f, "maxrss_kib=%ld\n", usage.ru_maxrss) < 0 ||
	    fclose(f) != 0) {
		perror(argv[1]);
		return 70;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
