/* Printers of flag and enum argument kinds (flags.c, flags_net.c,
 * flags_ctl.c), their layouts and return notes, for printers.c's tables. */
#ifndef PTRC_DECODE_FLAGS_H
#define PTRC_DECODE_FLAGS_H

#include "printers.h"

/* One printer per flag or enum argument kind (printers.c maps kinds). */
void print_oflags(const struct arg_ctx *ctx);
void print_mode(const struct arg_ctx *ctx);
void print_atflags(const struct arg_ctx *ctx);
void print_access_mode(const struct arg_ctx *ctx);
void print_mmap_prot(const struct arg_ctx *ctx);
void print_mmap_flags(const struct arg_ctx *ctx);
void print_clone_flags(const struct arg_ctx *ctx);
void print_signum(const struct arg_ctx *ctx);
void print_sigprocmask_how(const struct arg_ctx *ctx);
void print_wait_options(const struct arg_ctx *ctx);
void print_clockid(const struct arg_ctx *ctx);
void print_whence(const struct arg_ctx *ctx);
void print_madvise_advice(const struct arg_ctx *ctx);
void print_rlimit_resource(const struct arg_ctx *ctx);
void print_epoll_op(const struct arg_ctx *ctx);
void print_epoll_flags(const struct arg_ctx *ctx);
void print_eventfd_flags(const struct arg_ctx *ctx);
void print_pipe_flags(const struct arg_ctx *ctx);
void print_dup3_flags(const struct arg_ctx *ctx);
void print_timerfd_flags(const struct arg_ctx *ctx);
void print_itimer_which(const struct arg_ctx *ctx);
void print_flock_op(const struct arg_ctx *ctx);
void print_sock_domain(const struct arg_ctx *ctx);
void print_sock_type(const struct arg_ctx *ctx);
void print_sock_proto(const struct arg_ctx *ctx);
void print_sockopt_level(const struct arg_ctx *ctx);
void print_sockopt_name(const struct arg_ctx *ctx);
void print_msg_flags(const struct arg_ctx *ctx);
void print_shutdown_how(const struct arg_ctx *ctx);
void print_socketcall_call(const struct arg_ctx *ctx);
void print_fcntl_cmd(const struct arg_ctx *ctx);
void print_ioctl_cmd(const struct arg_ctx *ctx);
void print_futex_op(const struct arg_ctx *ctx);
void print_prctl_op(const struct arg_ctx *ctx);
void print_arch_prctl_code(const struct arg_ctx *ctx);
void print_getrandom_flags(const struct arg_ctx *ctx);
void print_rwf_flags(const struct arg_ctx *ctx);
void print_fadvise_advice(const struct arg_ctx *ctx);
void print_rusage_who(const struct arg_ctx *ctx);
void print_idtype(const struct arg_ctx *ctx);
void print_msync_flags(const struct arg_ctx *ctx);
void print_mremap_flags(const struct arg_ctx *ctx);
void layout_mremap_flags(const struct syscall_call *call, unsigned index,
			 struct arg_layout layout[SYSCALL_MAX_ARGS]);
void print_prio_which(const struct arg_ctx *ctx);
void print_timer_flags(const struct arg_ctx *ctx);
void print_sched_policy(const struct arg_ctx *ctx);
void print_ioprio_which(const struct arg_ctx *ctx);
void print_ioprio(const struct arg_ctx *ctx);
void print_keyctl_cmd(const struct arg_ctx *ctx);
void print_key_serial(const struct arg_ctx *ctx);
void print_memfd_flags(const struct arg_ctx *ctx);
void print_inotify_mask(const struct arg_ctx *ctx);
void print_inotify_init_flags(const struct arg_ctx *ctx);
void print_pidfd_open_flags(const struct arg_ctx *ctx);

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
void layout_arch_prctl_code(const struct syscall_call *call, unsigned index,
			    struct arg_layout layout[SYSCALL_MAX_ARGS]);
void layout_keyctl_cmd(const struct syscall_call *call, unsigned index,
		       struct arg_layout layout[SYSCALL_MAX_ARGS]);

/* Return printers (printers.h): fcntl F_GETFD/F_GETFL/F_GETLEASE/
 * F_GET_SEALS/F_GETSIG; prctl's PR_GET_* (flags_prctl.c). */
bool ret_fcntl_cmd(struct strbuf *sb, enum xlat_style style,
		   const struct syscall_call *call, unsigned index,
		   int64_t rval);
bool ret_prctl_op(struct strbuf *sb, enum xlat_style style,
		  const struct syscall_call *call, unsigned index,
		  int64_t rval);
bool ret_arch_prctl_code(struct strbuf *sb, enum xlat_style style,
			 const struct syscall_call *call, unsigned index,
			 int64_t rval);
/* sched_getscheduler's policy, ioprio_get's priority (flags_sched.c). */
bool ret_sched_pid(struct strbuf *sb, enum xlat_style style,
		   const struct syscall_call *call, unsigned index,
		   int64_t rval);
bool ret_ioprio_which(struct strbuf *sb, enum xlat_style style,
		      const struct syscall_call *call, unsigned index,
		      int64_t rval);

/* SysV IPC (flags_ipc.c): keys, the get calls' flags and modes, message,
 * semaphore and attach flags, the ctl commands and their layouts. */
void print_ipc_key(const struct arg_ctx *ctx);
void print_ipc_get_flags(const struct arg_ctx *ctx);
void print_shmget_flags(const struct arg_ctx *ctx);
void print_ipc_msg_flags(const struct arg_ctx *ctx);
void print_shmat_flags(const struct arg_ctx *ctx);
void print_msgctl_cmd(const struct arg_ctx *ctx);
void print_semctl_cmd(const struct arg_ctx *ctx);
void print_shmctl_cmd(const struct arg_ctx *ctx);
void layout_msgctl_cmd(const struct syscall_call *call, unsigned index,
		       struct arg_layout layout[SYSCALL_MAX_ARGS]);
void layout_semctl_cmd(const struct syscall_call *call, unsigned index,
		       struct arg_layout layout[SYSCALL_MAX_ARGS]);
void layout_shmctl_cmd(const struct syscall_call *call, unsigned index,
		       struct arg_layout layout[SYSCALL_MAX_ARGS]);

/* ptrace (flags_ptrace.c): the request and the layout it decides. */
void print_ptrace_req(const struct arg_ctx *ctx);
void layout_ptrace_req(const struct syscall_call *call, unsigned index,
		       struct arg_layout layout[SYSCALL_MAX_ARGS]);

/* seccomp (flags_seccomp.c): the operation and its layout. */
void print_seccomp_op(const struct arg_ctx *ctx);
void layout_seccomp_op(const struct syscall_call *call, unsigned index,
		       struct arg_layout layout[SYSCALL_MAX_ARGS]);

/* mount and umount2 (flags_mount.c): the flags; the type and data, strings
 * or addresses as the flags say. */
void print_mount_flags(const struct arg_ctx *ctx);
void print_mount_fstype(const struct arg_ctx *ctx);
void print_mount_data(const struct arg_ctx *ctx);
void print_umount_flags(const struct arg_ctx *ctx);
void print_fsopen_flags(const struct arg_ctx *ctx);
void print_fsmount_flags(const struct arg_ctx *ctx);
void print_fsmount_attr_flags(const struct arg_ctx *ctx);
void print_fspick_flags(const struct arg_ctx *ctx);
void print_move_mount_flags(const struct arg_ctx *ctx);
void print_open_tree_flags(const struct arg_ctx *ctx);
void print_fsconfig_cmd(const struct arg_ctx *ctx);
void layout_fsconfig_cmd(const struct syscall_call *call, unsigned index,
			 struct arg_layout layout[SYSCALL_MAX_ARGS]);

/* Shared by the flag files: open flags with the access mode first
 * ("O_RDWR|O_CREAT"), as open and fcntl F_SETFL print them. */
void print_open_flags(struct strbuf *sb, enum xlat_style style, uint64_t flags);
/* A signal number: "SIGTERM", "SIGRT_3", or the number. */
void print_signal_number(struct strbuf *sb, uint64_t sig);
/* The same, as strace's printsignal under -X raw and verbose. */
void print_signal_styled(const struct arg_ctx *ctx, uint64_t sig);
/* Plain printers for arguments a layout reinterprets. */
void print_arg_dec(const struct arg_ctx *ctx);  /* (int) decimal */
void print_arg_udec(const struct arg_ctx *ctx); /* unsigned decimal */
void print_arg_hex(const struct arg_ctx *ctx);  /* 0x1f, or 0 */
void print_arg_ptr(const struct arg_ctx *ctx);  /* NULL or 0x7ffd... */
void print_uid(const struct arg_ctx *ctx);      /* -1 or unsigned (uid_t, gid_t) */

#endif
