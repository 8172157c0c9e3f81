/* Helpers shared by the printers of structures read from tracee memory
 * (structs_*.c): bounded arrays, word-size-aware field
 * access, and the time formats several structures share.
 *
 * Tracee layouts are never taken from host headers: each file defines the
 * 64-bit and i386 layouts it reads as explicit offsets or fixed-width
 * structs, and picks one by ctx_word_size(). */
#ifndef PTRC_DECODE_STRUCTS_H
#define PTRC_DECODE_STRUCTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "printers.h"
#include "xlat.h"
#include "xlat_tables.h"

#define ARRAY_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* How many elements of an array print: -s (default 32) as strace does,
 * or with -v everything up to ARRAY_VERBOSE_MAX, so that a hostile count
 * never makes ptrc read without bound. */
#define ARRAY_VERBOSE_MAX 4096
uint64_t ctx_array_limit(const struct arg_ctx *ctx);
bool ctx_verbose(const struct arg_ctx *ctx);

/* Print one element (ELEM_SIZE bytes read from the tracee) of an array.
 * Return false to stop the array there (printed as "...]"). */
typedef bool (*array_elem_printer)(const struct arg_ctx *ctx,
				   const void *elem, void *user);

/* COUNT elements of ELEM_SIZE bytes at ADDR, as strace prints arrays:
 * "NULL", "[]", "[e1, e2, ...]" (cut at ctx_array_limit), the address when
 * the first element cannot be read, "[e1, ... ADDR-COMMENT]" when a
 * later one cannot (the address of the unreadable element in a C comment). ELEM_SIZE is at most 256. Returns the number of
 * elements printed. */
uint64_t ctx_print_array(const struct arg_ctx *ctx, uint64_t addr,
			 uint64_t count, size_t elem_size,
			 array_elem_printer print, void *user);

/* Print the pointer at one place of a NULL-terminated array. */
typedef void (*array_ptr_printer)(const struct arg_ctx *ctx, uint64_t ptr,
				  void *user);

/* The NULL-terminated array of pointers at ADDR (argv, h_aliases,
 * h_addr_list): "NULL", "[]", "[e1, e2]", "[e1, ...]" past LIMIT entries,
 * the address when the first pointer cannot be read, "[e1, ...
 * ADDR-COMMENT]" when a later one cannot (its address in a C comment). */
void ctx_print_ptr_array(const struct arg_ctx *ctx, uint64_t addr,
			 uint64_t limit, array_ptr_printer print, void *user);

/* Read a struct for printing: "NULL" or the address is printed (and false
 * returned) when ADDR is NULL, unreadable or left out by -e verbose=. */
bool ctx_fetch(const struct arg_ctx *ctx, uint64_t addr, void *buf, size_t len);

/* At exit: when the call failed, print the argument's address and return
 * false (strace shows no contents for a failed call). */
bool ctx_exit_ok(const struct arg_ctx *ctx);

/* Little-endian fields of a tracee buffer, by size. */
uint64_t field_u(const void *buf, size_t offset, unsigned size);
int64_t field_s(const void *buf, size_t offset, unsigned size);

/* Times: "{tv_sec=1, tv_nsec=2}" / "{tv_sec=1, tv_usec=2}". */
/* tv_sec signed, tv_nsec/tv_usec unsigned (zero-extended from the field's
 * width, as strace 6.1 prints them: tv_nsec=18446744073709551615 for -1). */
void print_timespec_value(struct strbuf *sb, int64_t sec, uint64_t nsec);
void print_timeval_value(struct strbuf *sb, int64_t sec, uint64_t usec);
/* The comment strace appends to a time in seconds: the local date in ISO
 * 8601, 2023-11-14T22:13:20.123456789+0000 (no fraction when NSEC is 0).
 * Nothing, as strace, for the epoch itself (both 0), an NSEC past
 * 999999999, and times localtime cannot convert. */
void print_time_comment(struct strbuf *sb, int64_t sec, uint64_t nsec);
/* A clock_t in ticks, with strace's comment in seconds when not 0:
 * "250 / * 2.50 s * /" (USER_HZ from sysconf(_SC_CLK_TCK)). */
void print_clock_t(struct strbuf *sb, uint64_t ticks);

/* The sizes of the tracee's timespec/timeval: WIDE for the 64-bit-time
 * kinds (__kernel_timespec), else the word size decides. */
size_t ctx_timespec_size(const struct arg_ctx *ctx, bool wide);
/* Print the timespec in BUF (laid out as ctx_timespec_size says). */
void ctx_print_timespec_buf(const struct arg_ctx *ctx, const void *buf,
			    bool wide);
void ctx_print_timeval_buf(const struct arg_ctx *ctx, const void *buf);

/* A NUL-padded char array of at most LEN bytes, quoted: "Linux"; with no
 * NUL in it, its first LEN - 1 bytes and "..." (as strace). */
void ctx_print_fixed_string(const struct arg_ctx *ctx, const char *buf,
			    size_t len);

/* Signal sets: "[INT TERM]" or "~[KILL STOP]", LEN bytes of mask. */
void print_sigmask(struct strbuf *sb, const uint8_t *mask, size_t len);

/* A sockaddr of LEN bytes at ADDR (entry and exit printers share it);
 * the address when LEN is below 2 or the memory unreadable. */
void ctx_print_sockaddr(const struct arg_ctx *ctx, uint64_t addr, int64_t len);
/* The in-out socklen at argument LEN_INDEX (socklen_out): *ULEN the
 * length offered, saved at entry (false when it was not); *RLEN the
 * kernel's (false when the call failed or it is unreadable). */
bool ctx_socklen_saved(const struct arg_ctx *ctx, unsigned len_index,
		       int *ulen);
bool ctx_socklen_returned(const struct arg_ctx *ctx, unsigned len_index,
			  int *rlen);

/* Network-order values as strace prints them in each -X style: the
 * default shows TEXT ("htons(25)"), raw the N bytes in hex, verbose both
 * (TEXT in a comment). */
void ctx_print_net_bytes(const struct arg_ctx *ctx, const void *bytes,
			 size_t n, const char *text);
/* NAME=inet_addr("1.2.3.4") from the 4 bytes at A. */
void ctx_print_in_addr(const struct arg_ctx *ctx, const char *name,
		       const unsigned char *a);
/* inet_pton(AF_INET6, "::1", &NAME) from the 16 bytes at A. */
void ctx_print_in6_addr(const struct arg_ctx *ctx, const char *name,
			const unsigned char *a);
/* if_nametoindex("lo") for an interface of this host, else the number;
 * with -X the number first. */
void ctx_print_ifindex(const struct arg_ctx *ctx, uint32_t index);
/* msg_control: the control messages of CONTROLLEN bytes at ADDR. */
void ctx_print_msg_control(const struct arg_ctx *ctx, uint64_t addr,
			   uint64_t controllen);
/* A sockaddr of LEN bytes (at least 2; more than 128 are ignored)
 * already read into B. */
void ctx_print_sockaddr_buf(const struct arg_ctx *ctx, const unsigned char *b,
			    size_t len);

/* File type and permission bits: "S_IFREG|0644"; in octal alone when the
 * type has no name. Like strace, -X prints the number in octal: raw
 * "0100644", verbose "0100644 / * S_IFREG|0644 * /". */
void print_mode_value(struct strbuf *sb, enum xlat_style style, uint32_t mode);
/* makedev(0x1, 0x3) from a kernel dev_t (new encoding). */
void print_dev_value(struct strbuf *sb, uint64_t dev);
/* The same in the -X style, as strace's print_dev_t: raw "0xfe00",
 * verbose "0xfe00 / * makedev(0xfe, 0) * /". */
void ctx_print_dev(const struct arg_ctx *ctx, uint64_t dev);

/* Entry hooks (kind_entry_hooks): values of in-out arguments the kernel
 * overwrites, saved at entry with ctx_save. */
void entry_save_socklen(const struct arg_ctx *ctx);
void entry_save_msghdr(const struct arg_ctx *ctx);
void entry_save_mmsghdr(const struct arg_ctx *ctx);
void entry_save_mmsg_timeout(const struct arg_ctx *ctx);
void entry_save_mmsg_timeout64(const struct arg_ctx *ctx);

/* The msghdr read into B: DATA_LIMIT bytes of iov data at most
 * (UINT64_MAX: each iov_len), NAMELEN_IN msg_namelen before the call
 * (UINT64_MAX: unknown). */
void ctx_print_msghdr_buf(const struct arg_ctx *ctx, const unsigned char *b,
			  uint64_t data_limit, uint64_t namelen_in);

/* ", left {tv_sec=1, tv_nsec=2}" (PREFIX first): the time left in the
 * timespec (TIMESPEC) or timeval at ADDR, read at exit; WIDE for the
 * 64-bit-time layout. Nothing when it cannot be read. */
void ret_time_left(struct strbuf *sb, const struct syscall_call *call,
		   uint64_t addr, bool timespec, bool wide, const char *prefix);

/* "[{iov_base=\"abc\", iov_len=3}, ...]": COUNT iovecs at IOV, showing
 * at most DATA_LIMIT bytes of data in all (UINT64_MAX: each iov_len). */
void ctx_print_iovec_data(const struct arg_ctx *ctx, uint64_t iov,
			  uint64_t count, uint64_t data_limit);
/* The same with the iov_base addresses alone (io_submit's IOCB_CMD_PREADV). */
void ctx_print_iovec_addresses(const struct arg_ctx *ctx, uint64_t iov,
			       uint64_t count);

/* ioctl's terminal arguments (structs_term.c): TIOC[GS]WINSZ's struct
 * winsize, TIOCM*'s modem lines "[TIOCM_DTR|TIOCM_RTS]"; at exit (the
 * getters) the address when the call failed. */
void print_winsize(const struct arg_ctx *ctx);
void print_modem_flags_ref(const struct arg_ctx *ctx);
/* struct termios, termios2, termio (structs_termios.c). */
void print_termios(const struct arg_ctx *ctx);
void print_termios2(const struct arg_ctx *ctx);
void print_termio(const struct arg_ctx *ctx);
/* SysV IPC (structs_ipc.c): semop's sembuf array (aux: nsops),
 * msgsnd/msgrcv's msgbuf (aux: msgsz), the ctl buffers: *_set at entry
 * (IPC_SET), *_out at exit. */
void print_sembuf(const struct arg_ctx *ctx);
void print_msgbuf_in(const struct arg_ctx *ctx);
void print_msgbuf_out(const struct arg_ctx *ctx);
void print_msqid_ds_set(const struct arg_ctx *ctx);
void print_msqid_ds_out(const struct arg_ctx *ctx);
void print_msginfo_out(const struct arg_ctx *ctx);
void print_semid_ds_set(const struct arg_ctx *ctx);
void print_semid_ds_out(const struct arg_ctx *ctx);
void print_seminfo_out(const struct arg_ctx *ctx);
void print_shmid_ds_set(const struct arg_ctx *ctx);
void print_shmid_ds_out(const struct arg_ctx *ctx);
void print_shminfo_out(const struct arg_ctx *ctx);
void print_shm_info_out(const struct arg_ctx *ctx);
/* struct sock_fprog with its classic BPF program under -v
 * (structs_bpf.c): seccomp's and prctl's PR_SET_SECCOMP filters. */
void print_seccomp_fprog(const struct arg_ctx *ctx);
/* ioctl's struct ifreq and ifconf commands (structs_ifreq.c): sets ARG's
 * printer (and entry hook) for CMD; false for other commands. */
bool layout_sock_ioctl(uint32_t cmd, struct arg_layout *arg);

#endif
