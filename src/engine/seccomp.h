/* The seccomp filter of `ptrc run -e trace=` (seccomp.c): built in ptrc
 * and installed by the child right before execve. */
#ifndef PTRC_ENGINE_SECCOMP_H
#define PTRC_ENGINE_SECCOMP_H

struct ptrc_config;
struct sock_fprog;

int seccomp_filter_build(const struct ptrc_config *config,
			 struct sock_fprog *prog);
int seccomp_filter_install(const struct sock_fprog *prog);

#endif
