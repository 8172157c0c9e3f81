/* Printers of flag and enum argument kinds (flags.c, flags_net.c,
 * flags_ctl.c), their layouts and return notes, for printers.c's tables. */
#ifndef PTRC_DECODE_FLAGS_H
#define PTRC_DECODE_FLAGS_H

#include "printers.h"

#define FLAG_PRINTER(kind) void print_##kind(const struct arg_ctx *ctx);
#define FLAG_PRINTERS(X) \
	X(oflags) X(mode) X(atflags) X(access_mode) X(mmap_prot) \
	X(mmap_flags) X(clone_flags) X(signum) X(sigprocmask_how) \
	X(wait_options) X(clockid) X(whence) X(madvise_advice) \
	X(rlimit_resource) X(epoll_op) X(epoll_flags) X(eventfd_flags) \
	X(pipe_flags) X(dup3_flags) X(timerfd_flags) X(itimer_which) \
	X(flock_op) \
	X(sock_domain) X(sock_type) X(sock_proto) X(sockopt_level) \
	X(sockopt_name) X(msg_flags) X(shutdown_how) X(socketcall_call) \
	X(fcntl_cmd) X(ioctl_cmd) X(futex_op) X(prctl_op) \
	X(arch_prctl_code) X(getrandom_flags) X(fadvise_advice) \
	X(rusage_who) X(idtype) X(msync_flags) X(prio_which) X(timer_flags)
FLAG_PRINTERS(FLAG_PRINTER)
#undef FLAG_PRINTER

/* Layouts (printers.h): the mode of open/openat/mq_open shows only with
 * O_CREAT or O_TMPFILE; mknod's dev only for devices; mmap's offset
 * prints in hex (mmap2's in bytes); statx's mask is
 * printed by name; clone prints its arguments by name, as strace; the
 * commands decide their arguments. */
void layout_oflags(const struct syscall_call *call, unsigned index,
		   struct arg_layout layout[SYSCALL_MAX_ARGS]);
void layout_mmap_flags(const struct syscall_call *call, unsigned index,
		       struct arg_layout layout[SYSCALL_MAX_ARGS]);
void layout_mode(const struct syscall_call *call, unsigned index,
		 struct arg_layout layout[SYSCALL_MAX_ARGS]);
void layout_atflags(const struct syscall_call *call, unsigned index,
		    struct arg_layout layout[SYSCALL_MAX_ARGS]);
void layout_clone_flags(const struct syscall_call *call, unsigned index,
			struct arg_layout layout[SYSCALL_MAX_ARGS]);
void layout_fcntl_cmd(const struct syscall_call *call, unsigned index,
		      struct arg_layout layout[SYSCALL_MAX_ARGS]);
void layout_ioctl_cmd(const struct syscall_call *call, unsigned index,
		      struct arg_layout layout[SYSCALL_MAX_ARGS]);
void layout_futex_op(const struct syscall_call *call, unsigned index,
		     struct arg_layout layout[SYSCALL_MAX_ARGS]);
void layout_prctl_op(const struct syscall_call *call, unsigned index,
		     struct arg_layout layout[SYSCALL_MAX_ARGS]);

/* Return printers (printers.h): fcntl F_GETFD/F_GETFL/F_GETLEASE/
 * F_GET_SEALS/F_GETSIG, prctl PR_GET_DUMPABLE. */
bool ret_fcntl_cmd(struct strbuf *sb, const struct syscall_call *call,
		   unsigned index, int64_t rval);
bool ret_prctl_op(struct strbuf *sb, const struct syscall_call *call,
		  unsigned index, int64_t rval);

/* Shared by the flag files: open flags with the access mode first
 * ("O_RDWR|O_CREAT"), as open and fcntl F_SETFL print them. */
void print_open_flags(struct strbuf *sb, uint64_t flags);
/* A signal number: "SIGTERM", "SIGRT_3", or the number. */
void print_signal_number(struct strbuf *sb, uint64_t sig);
/* Plain printers for arguments a layout reinterprets. */
void print_arg_dec(const struct arg_ctx *ctx);  /* (int) decimal */
void print_arg_udec(const struct arg_ctx *ctx); /* unsigned decimal */
void print_arg_hex(const struct arg_ctx *ctx);  /* 0x1f, or 0 */
void print_arg_ptr(const struct arg_ctx *ctx);  /* NULL or 0x7ffd... */

#endif
