/* Which printer decodes which argument kind. Kinds not listed print by
 * their base representation (argkinds.tbl). */
#include "printers.h"
#include "flags.h"
#include "structs.h"

const arg_printer kind_printers[ARG_KIND_COUNT] = {
	/* flags and enums (flags.c, flags_net.c, flags_ctl.c and the tables
	 * in xlat/) */
	[ARG_OFLAGS] = print_oflags,
	[ARG_ARCH_PRCTL_CODE] = print_arch_prctl_code,
	[ARG_GETRANDOM_FLAGS] = print_getrandom_flags,
	[ARG_FADVISE_ADVICE] = print_fadvise_advice,
	[ARG_RUSAGE_WHO] = print_rusage_who,
	[ARG_IDTYPE] = print_idtype,
	[ARG_MSYNC_FLAGS] = print_msync_flags,
	[ARG_PRIO_WHICH] = print_prio_which,
	[ARG_TIMER_FLAGS] = print_timer_flags,
	[ARG_MODE] = print_mode,
	[ARG_ATFLAGS] = print_atflags,
	[ARG_ACCESS_MODE] = print_access_mode,
	[ARG_MMAP_PROT] = print_mmap_prot,
	[ARG_MMAP_FLAGS] = print_mmap_flags,
	[ARG_CLONE_FLAGS] = print_clone_flags,
	[ARG_SIGNUM] = print_signum,
	[ARG_SIGPROCMASK_HOW] = print_sigprocmask_how,
	[ARG_WAIT_OPTIONS] = print_wait_options,
	[ARG_CLOCKID] = print_clockid,
	[ARG_WHENCE] = print_whence,
	[ARG_MADVISE_ADVICE] = print_madvise_advice,
	[ARG_PRCTL_OP] = print_prctl_op,
	[ARG_FUTEX_OP] = print_futex_op,
	[ARG_RLIMIT_RESOURCE] = print_rlimit_resource,
	[ARG_SOCK_DOMAIN] = print_sock_domain,
	[ARG_SOCK_TYPE] = print_sock_type,
	[ARG_SOCK_PROTO] = print_sock_proto,
	[ARG_SOCKOPT_LEVEL] = print_sockopt_level,
	[ARG_SOCKOPT_NAME] = print_sockopt_name,
	[ARG_FCNTL_CMD] = print_fcntl_cmd,
	[ARG_IOCTL_CMD] = print_ioctl_cmd,
	[ARG_EPOLL_OP] = print_epoll_op,
	[ARG_MSG_FLAGS] = print_msg_flags,
	[ARG_EPOLL_FLAGS] = print_epoll_flags,
	[ARG_EVENTFD_FLAGS] = print_eventfd_flags,
	[ARG_PIPE_FLAGS] = print_pipe_flags,
	[ARG_DUP3_FLAGS] = print_dup3_flags,
	[ARG_TIMERFD_FLAGS] = print_timerfd_flags,
	[ARG_ITIMER_WHICH] = print_itimer_which,
	[ARG_SHUTDOWN_HOW] = print_shutdown_how,
	[ARG_FLOCK_OP] = print_flock_op,
	[ARG_SOCKETCALL_CALL] = print_socketcall_call,

	/* structures read from tracee memory */
	[ARG_TIMESPEC_IN] = print_timespec_in,
	[ARG_TIMESPEC64_IN] = print_timespec64_in,
	[ARG_TIMESPEC_OUT] = print_timespec_out,
	[ARG_TIMESPEC64_OUT] = print_timespec64_out,
	[ARG_TIMEVAL_IN] = print_timeval_in,
	[ARG_TIMEVAL_OUT] = print_timeval_out,
	[ARG_ITIMERSPEC_IN] = print_itimerspec_in,
	[ARG_ITIMERSPEC64_IN] = print_itimerspec64_in,
	[ARG_ITIMERSPEC_OUT] = print_itimerspec_out,
	[ARG_ITIMERSPEC64_OUT] = print_itimerspec64_out,
	[ARG_ITIMERVAL_IN] = print_itimerval_in,
	[ARG_ITIMERVAL_OUT] = print_itimerval_out,
	[ARG_UTIMENS_IN] = print_utimens_in,
	[ARG_UTIMENS64_IN] = print_utimens64_in,
	[ARG_UTIMES_IN] = print_utimes_in,
	[ARG_STAT_OUT] = print_stat_out,
	[ARG_STATX_OUT] = print_statx_out,
	[ARG_STATFS_OUT] = print_statfs_out,
	[ARG_IOVEC_IN] = print_iovec_in,
	[ARG_IOVEC_OUT] = print_iovec_out,
	[ARG_POLLFD] = print_pollfd,
	[ARG_EPOLL_EVENT_IN] = print_epoll_event_in,
	[ARG_EPOLL_EVENTS_OUT] = print_epoll_events_out,
	[ARG_FDSET] = print_fdset,
	[ARG_SIGSET_IN] = print_sigset_in,
	[ARG_SIGFRAME] = print_sigframe,
	[ARG_SIGSET_OUT] = print_sigset_out,
	[ARG_SIGACTION_IN] = print_sigaction_in,
	[ARG_SIGACTION_OUT] = print_sigaction_out,
	[ARG_SIGINFO_OUT] = print_siginfo_out,
	[ARG_WSTATUS_OUT] = print_wstatus_out,
	[ARG_RLIMIT_IN] = print_rlimit_in,
	[ARG_RLIMIT_OUT] = print_rlimit_out,
	[ARG_RLIMIT64_IN] = print_rlimit64_in,
	[ARG_RLIMIT64_OUT] = print_rlimit64_out,
	[ARG_RUSAGE_OUT] = print_rusage_out,
	[ARG_UTSNAME_OUT] = print_utsname_out,
	[ARG_SYSINFO_OUT] = print_sysinfo_out,
	[ARG_TMS_OUT] = print_tms_out,
	[ARG_ARGV] = print_argv,
	[ARG_ENVP] = print_envp,
	[ARG_FDS_OUT] = print_fds_out,
	[ARG_INT_OUT] = print_int_out,
	[ARG_LOFF_OUT] = print_loff_out,
	[ARG_DIRENTS_OUT] = print_dirents_out,
	[ARG_DIRENTS64_OUT] = print_dirents64_out,
	[ARG_USER_DESC_IN] = print_user_desc_in,
	[ARG_USER_DESC_OUT] = print_user_desc_out,
	[ARG_RANDOM_OUT] = print_random_out,
	[ARG_STACK_IN] = print_stack_in,
	[ARG_STACK_OUT] = print_stack_out,
	[ARG_CLONE_ARGS] = print_clone_args,

	/* descriptors, sockets and addresses */
	[ARG_SOCKADDR_IN] = print_sockaddr_in,
	[ARG_SOCKADDR_OUT] = print_sockaddr_out,
	[ARG_SOCKLEN_OUT] = print_socklen_out,
	[ARG_MSGHDR_IN] = print_msghdr_in,
	[ARG_MSGHDR_OUT] = print_msghdr_out,
	[ARG_SOCKOPT_IN] = print_sockopt_in,
	[ARG_SOCKOPT_OUT] = print_sockopt_out,
};

/* Kinds whose value decides how other arguments print (printers.h). */
const arg_layout_fn kind_layouts[ARG_KIND_COUNT] = {
	/* flags and enums */
	[ARG_OFLAGS] = layout_oflags,
	[ARG_MODE] = layout_mode,
	[ARG_MMAP_FLAGS] = layout_mmap_flags,
	[ARG_ATFLAGS] = layout_atflags,
	[ARG_CLONE_FLAGS] = layout_clone_flags,
	[ARG_FCNTL_CMD] = layout_fcntl_cmd,
	[ARG_IOCTL_CMD] = layout_ioctl_cmd,
	[ARG_FUTEX_OP] = layout_futex_op,
	[ARG_PRCTL_OP] = layout_prctl_op,
	/* structures: _llseek's offset halves follow its fd */
	[ARG_FD] = layout_fd_llseek,
};

/* Kinds whose value says what the return value means (printers.h). */
const ret_printer_fn kind_ret_printers[ARG_KIND_COUNT] = {
	/* flags and enums */
	[ARG_FCNTL_CMD] = ret_fcntl_cmd,
	[ARG_PRCTL_OP] = ret_prctl_op,
	/* structures */
	[ARG_POLLFD] = ret_pollfd,
	[ARG_FDSET] = ret_fdset,
	[ARG_SIGINFO_OUT] = ret_siginfo_out,
	[ARG_USER_DESC_IN] = ret_user_desc_in,
};

/* Entry hooks of the kinds printed at exit (printers.h). */
const arg_printer kind_entry_hooks[ARG_KIND_COUNT] = {
	[ARG_SOCKLEN_OUT] = entry_save_socklen,
	[ARG_MSGHDR_OUT] = entry_save_msghdr,
};
