/* Argument printers: one function per argument kind that has a decoder
 * richer than its base representation (argkinds.tbl). Each decoder file
 * (flags, structs, sockets...) implements some; printers.c maps kinds to
 * them. */
#ifndef PTRC_DECODE_PRINTERS_H
#define PTRC_DECODE_PRINTERS_H

#include <stdbool.h>
#include <stdint.h>

#include "ptrc/decode.h"
#include "ptrc/strbuf.h"

struct xlat;

struct arg_ctx {
	struct decoder *d;
	struct strbuf *sb;
	const struct syscall_call *call;
	unsigned index;   /* which argument */
	uint64_t value;   /* its register, cut to its kind's width (call_arg) */
	bool exiting;     /* printed at the syscall's exit */
	int64_t rval;     /* at exit: the return value */
	bool is_error;
};

typedef void (*arg_printer)(const struct arg_ctx *ctx);

/* NULL where the kind prints by its base representation. */
extern const arg_printer kind_printers[ARG_KIND_COUNT];

/* Helpers for printers. */

/* VALUE as the tracee's word size sees it (cut to 32 bits for i386). */
uint64_t call_word(const struct syscall_call *call, uint64_t value);
/* Argument I as the kernel reads it: its register cut to the tracee's word
 * size and to the width of its kind (argkinds.tbl), zero-extended; a
 * printer of a signed kind casts it. */
uint64_t call_arg(const struct syscall_call *call, unsigned i);
/* Argument I's width in bits for the call's arch (argkinds.tbl); 0: the
 * whole word. */
unsigned call_arg_width(const struct syscall_call *call, unsigned i);
/* call_arg of the call being printed. */
uint64_t ctx_arg(const struct arg_ctx *ctx, unsigned i);
unsigned ctx_word_size(const struct arg_ctx *ctx);
/* How named values print (-X): the style to give the xlat printers. */
enum xlat_style ctx_xlat_style(const struct arg_ctx *ctx);
/* print_flags and print_enum (xlat.h) into ctx->sb, in the -X style. */
void ctx_print_flags(const struct arg_ctx *ctx, const struct xlat *x,
		     uint64_t value);
void ctx_print_enum(const struct arg_ctx *ctx, const struct xlat *x,
		    uint64_t value, const char *unknown);
/* NULL or 0x1234. */
void ctx_print_ptr(const struct arg_ctx *ctx, uint64_t addr);
/* Read exactly LEN bytes at ADDR; false (and nothing printed) on failure,
 * or when -e verbose= leaves the call out (ctx_deref). */
bool ctx_read(const struct arg_ctx *ctx, uint64_t addr, void *buf, size_t len);
/* -e verbose=SET (verbose_set.c): false when the call's structures are not
 * to be read (strace's !verbose(tcp)): they print as addresses. */
bool ctx_deref(const struct arg_ctx *ctx);
bool decode_call_derefs(const struct ptrc_config *config,
			const struct syscall_call *call);
/* A quoted NUL-terminated string of at most LIMIT bytes, or the address. */
void ctx_print_cstring(const struct arg_ctx *ctx, uint64_t addr, size_t limit);
/* A NUL-terminated string in a buffer of LEN bytes, cut at -s (strace's
 * printstr_ex(addr, LEN, QUOTE_0_TERMINATED)), or the address. */
void ctx_print_cstring_len(const struct arg_ctx *ctx, uint64_t addr,
			   uint64_t len);
/* LEN bytes at ADDR quoted and cut at -s, or the address. */
void ctx_print_data(const struct arg_ctx *ctx, uint64_t addr, uint64_t len);
/* Reusable scratch memory of at least SIZE bytes. */
char *ctx_scratch(const struct arg_ctx *ctx, size_t size);

/* Layouts: when one argument decides what others mean. openat's flags
 * decide whether its mode shows at all, fcntl's command what its third
 * argument is, futex's op which of its six arguments count. A kind with a
 * layout function is asked, for each call, about the arguments after it
 * (index > INDEX): it may set layout[i].print to a printer used instead of
 * argument i's kind printer, and layout[i].omit to leave argument i out
 * with its separator (strace's `openat(AT_FDCWD, "f", O_RDONLY)`), and
 * layout[i].at_exit to print argument i (and all after it) when the call
 * returns, for a value the kernel fills (ioctl FIONREAD's `[42]`). A layout
 * depends only on the call's registers, so entry and exit agree. */
struct arg_layout {
	arg_printer print;  /* NULL: the kind's printer */
	bool omit;
	bool at_exit;
	/* with at_exit: run at entry to ctx_save what the exit printer needs
	 * (NULL: the kind's entry hook, kind_entry_hooks) */
	arg_printer entry_hook;
};
typedef void (*arg_layout_fn)(const struct syscall_call *call, unsigned index,
			      struct arg_layout layout[SYSCALL_MAX_ARGS]);
extern const arg_layout_fn kind_layouts[ARG_KIND_COUNT];

/* Return printers: a kind whose value says what a successful return value
 * means (fcntl's F_GETFL returns flags) may print it, as strace does:
 * "0x8002 (flags O_RDWR|O_LARGEFILE)". INDEX is the argument of that kind.
 * Returns false to leave the value to the syscall's return kind. */
typedef bool (*ret_printer_fn)(struct strbuf *sb, enum xlat_style style,
			       const struct syscall_call *call,
			       unsigned index, int64_t rval);
extern const ret_printer_fn kind_ret_printers[ARG_KIND_COUNT];

/* Values an exit printer needs from the syscall's entry: in-out arguments
 * the kernel overwrites (a socklen, msg_namelen), which strace shows as
 * "[128 => 16]". For kinds printed at exit, decode_entry runs the kind's
 * entry hook (NULL: none), which may ctx_save one value per argument;
 * at exit the printer reads it back with ctx_saved (false when nothing
 * was saved for this call of this thread). */
extern const arg_printer kind_entry_hooks[ARG_KIND_COUNT];
void ctx_save(const struct arg_ctx *ctx, uint64_t value);
bool ctx_saved(const struct arg_ctx *ctx, uint64_t *value);
/* The same with a list of up to DECODE_SAVED_LIST values beside VALUE
 * (NULL: nothing saved), or a text of up to DECODE_SAVED_TEXT - 1 bytes. */
void ctx_save_list(const struct arg_ctx *ctx, uint64_t value,
		   const uint32_t *list, size_t n);
const uint32_t *ctx_saved_list(const struct arg_ctx *ctx, uint64_t *value);
void ctx_save_text(const struct arg_ctx *ctx, const char *text, size_t len);
const char *ctx_saved_text(const struct arg_ctx *ctx);

/* Structures read from tracee memory (structs_*.c). *_in print at entry,
 * *_out at exit (only the address when the call failed). */
void print_timespec_in(const struct arg_ctx *ctx);
void print_timespec64_in(const struct arg_ctx *ctx);
void print_timespec_out(const struct arg_ctx *ctx);
void print_timespec64_out(const struct arg_ctx *ctx);
void print_timeval_in(const struct arg_ctx *ctx);
void print_timeval_out(const struct arg_ctx *ctx);
void print_itimerspec_in(const struct arg_ctx *ctx);
void print_itimerspec64_in(const struct arg_ctx *ctx);
void print_itimerspec_out(const struct arg_ctx *ctx);
void print_itimerspec64_out(const struct arg_ctx *ctx);
void print_itimerval_in(const struct arg_ctx *ctx);
void print_itimerval_out(const struct arg_ctx *ctx);
void print_utimens_in(const struct arg_ctx *ctx);
void print_utimens64_in(const struct arg_ctx *ctx);
void print_utimes_in(const struct arg_ctx *ctx);
void print_stat_out(const struct arg_ctx *ctx);
void print_statx_out(const struct arg_ctx *ctx);
void print_statfs_out(const struct arg_ctx *ctx);
void print_sockaddr_in(const struct arg_ctx *ctx);
void print_sockaddr_out(const struct arg_ctx *ctx);
void print_socklen_out(const struct arg_ctx *ctx);
void print_msghdr_in(const struct arg_ctx *ctx);
void print_msghdr_out(const struct arg_ctx *ctx);
void print_mmsghdr_in(const struct arg_ctx *ctx);
void print_mmsghdr_out(const struct arg_ctx *ctx);
void print_mmsg_timeout(const struct arg_ctx *ctx);
void print_kernel_sigset(const struct arg_ctx *ctx);
void print_iocbpp(const struct arg_ctx *ctx);
void print_iocb_header_in(const struct arg_ctx *ctx);
void print_io_event_out(const struct arg_ctx *ctx);
void print_io_events_out(const struct arg_ctx *ctx);
void print_aio_context_out(const struct arg_ctx *ctx);
void print_gids_in(const struct arg_ctx *ctx);
void print_gids_out(const struct arg_ctx *ctx);
void print_gids32_in(const struct arg_ctx *ctx);
void print_gids32_out(const struct arg_ctx *ctx);
void print_cpuset_in(const struct arg_ctx *ctx);
void print_cpuset_out(const struct arg_ctx *ctx);
void print_nodemask_in(const struct arg_ctx *ctx);
void print_mpol_mode_int(const struct arg_ctx *ctx);
void print_mpol_mode_long(const struct arg_ctx *ctx);
void print_mpol_mode_out(const struct arg_ctx *ctx);
void print_mbind_flags(const struct arg_ctx *ctx);
void print_get_mempolicy_flags(const struct arg_ctx *ctx);
void print_sockopt_in(const struct arg_ctx *ctx);
void print_sockopt_out(const struct arg_ctx *ctx);
void print_iovec_in(const struct arg_ctx *ctx);
void print_iovec_out(const struct arg_ctx *ctx);
void print_pollfd(const struct arg_ctx *ctx);
void print_epoll_event_in(const struct arg_ctx *ctx);
void print_epoll_events_out(const struct arg_ctx *ctx);
void print_fdset(const struct arg_ctx *ctx);
void print_sigset_in(const struct arg_ctx *ctx);
void print_sigframe(const struct arg_ctx *ctx);
void print_sigset_out(const struct arg_ctx *ctx);
void print_sigaction_in(const struct arg_ctx *ctx);
void print_sigaction_out(const struct arg_ctx *ctx);
void print_siginfo_out(const struct arg_ctx *ctx);
void print_siginfo_in(const struct arg_ctx *ctx);
void print_wstatus_out(const struct arg_ctx *ctx);
void print_rlimit_in(const struct arg_ctx *ctx);
void print_rlimit_out(const struct arg_ctx *ctx);
void print_rlimit64_in(const struct arg_ctx *ctx);
void print_rlimit64_out(const struct arg_ctx *ctx);
void print_rusage_out(const struct arg_ctx *ctx);
void print_utsname_out(const struct arg_ctx *ctx);
void print_sysinfo_out(const struct arg_ctx *ctx);
void print_tms_out(const struct arg_ctx *ctx);
void print_argv(const struct arg_ctx *ctx);
void print_envp(const struct arg_ctx *ctx);
void print_fds_out(const struct arg_ctx *ctx);
/* pidfd_getfd: a descriptor of the process the pidfd (argument aux)
 * refers to, with -y what it refers to there. */
void print_pidfd_target_fd(const struct arg_ctx *ctx);
void print_int_out(const struct arg_ctx *ctx);
void print_int_in(const struct arg_ctx *ctx);
void print_loff_out(const struct arg_ctx *ctx);
void print_dirents_out(const struct arg_ctx *ctx);
void print_dirents64_out(const struct arg_ctx *ctx);
void print_user_desc_in(const struct arg_ctx *ctx);
void print_user_desc_out(const struct arg_ctx *ctx);
void print_random_out(const struct arg_ctx *ctx);
void print_stack_in(const struct arg_ctx *ctx);
void print_stack_out(const struct arg_ctx *ctx);
void print_clone_args(const struct arg_ctx *ctx);
void print_mq_attr_open(const struct arg_ctx *ctx);
void print_mq_attr_in(const struct arg_ctx *ctx);
void print_mq_attr_out(const struct arg_ctx *ctx);
void print_sigevent_in(const struct arg_ctx *ctx);
void print_timex_out(const struct arg_ctx *ctx);
void print_timex64_out(const struct arg_ctx *ctx);
void print_cap_header(const struct arg_ctx *ctx);
void print_cap_data_in(const struct arg_ctx *ctx);
void print_cap_data_out(const struct arg_ctx *ctx);
void print_cpuset_in(const struct arg_ctx *ctx);
void print_cpuset_out(const struct arg_ctx *ctx);
void print_sched_attr_in(const struct arg_ctx *ctx);
void print_sched_attr_out(const struct arg_ctx *ctx);
void entry_save_sched_attr(const struct arg_ctx *ctx);
/* Return printers and layouts of the structure kinds. */
bool ret_pollfd(struct strbuf *sb, enum xlat_style style,
		const struct syscall_call *call, unsigned index,
		int64_t rval);
/* ret_fdset without reading the time left: "left 0x7ffd..." (-e verbose=) */
bool ret_fdset_shallow(struct strbuf *sb, enum xlat_style style,
		       const struct syscall_call *call, unsigned index,
		       int64_t rval);
/* The return printer of KIND for a call -e verbose= leaves out: none for
 * the suffixes strace reads only verbosely (poll's revents, recvmmsg's
 * time left), select's without its time left, FN for the others. */
ret_printer_fn ret_printer_shallow(unsigned kind, ret_printer_fn fn);
bool ret_fdset(struct strbuf *sb, enum xlat_style style,
	       const struct syscall_call *call, unsigned index,
	       int64_t rval);
bool ret_siginfo_out(struct strbuf *sb, enum xlat_style style,
		     const struct syscall_call *call, unsigned index,
		     int64_t rval);
bool ret_user_desc_in(struct strbuf *sb, enum xlat_style style,
		      const struct syscall_call *call, unsigned index,
		      int64_t rval);
bool ret_mmsg_timeout(struct strbuf *sb, enum xlat_style style,
		      const struct syscall_call *call, unsigned index,
		      int64_t rval);
bool ret_mmsg_timeout64(struct strbuf *sb, enum xlat_style style,
			const struct syscall_call *call, unsigned index,
			int64_t rval);
/* adjtimex and clock_adjtime return a clock state: "5 (TIME_ERROR)". */
bool ret_timex_out(struct strbuf *sb, enum xlat_style style,
		   const struct syscall_call *call, unsigned index,
		   int64_t rval);
void layout_fd_llseek(const struct syscall_call *call, unsigned index,
		      struct arg_layout layout[SYSCALL_MAX_ARGS]);

#endif
