/* Structure printers against hostile tracee memory: NULL and unmapped
 * pointers, huge counts, misaligned structs, arrays running into an
 * unmapped page, self-referencing iovecs and msghdrs, records whose
 * lengths would loop, and i386 layouts. The memory is a stopped child's,
 * a copy of ours made by fork. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "ptrc/decode.h"
#include "ptrc/syscalls.h"
#include "../../src/decode/printers.h"

static pid_t child;
static struct decoder decoder;
static struct ptrc_config config;
static struct strbuf out;

/* Print argument INDEX of syscall NAME with ARGS, as at entry, or at exit
 * with RVAL (IS_ERROR when negative). Returns the text. */
static const char *print_arch(enum ptrc_arch arch, const char *name,
			      unsigned index, const uint64_t args[6],
			      bool exiting, int64_t rval)
{
	long nr = syscall_number(arch, name);
	const struct syscall_sig *sig = syscall_lookup(arch, (unsigned long)nr);
	if (!sig) {
		fprintf(stderr, "no signature for %s\n", name);
		return "";
	}
	struct syscall_call call = {
		.tid = child, .arch = arch, .nr = (uint64_t)nr, .args = args,
		.sig = sig,
	};
	struct arg_ctx ctx = {
		.d = &decoder, .sb = &out, .call = &call, .index = index,
		.value = arch_word_size(arch) == 4 ? (uint32_t)args[index]
						   : args[index],
		.exiting = exiting, .rval = rval, .is_error = rval < 0,
	};
	sb_reset(&out);
	arg_printer p = kind_printers[sig->kinds[index]];
	if (!p) {
		fprintf(stderr, "no printer for %s arg %u\n", name, index);
		return "";
	}
	p(&ctx);
	sb_putc(&out, '\0');
	return out.data;
}

static const char *print(const char *name, unsigned index,
			 const uint64_t args[6], bool exiting, int64_t rval)
{
	return print_arch(arch_host(), name, index, args, exiting, rval);
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

#define U(p) ((uint64_t)(uintptr_t)(p))

/* getsockname(3, ADDR, LEN) of a thread whose saved values are SAVED:
 * its entry into SB; then (getsockname_exit) its exit after it, the
 * child's *LEN set to 7, the sockaddr's length, as the kernel would. */
static void getsockname_entry(const uint64_t args[6],
			      struct decode_saved *saved, struct strbuf *sb)
{
	long nr = syscall_number(arch_host(), "getsockname");
	struct syscall_call call = {
		.tid = child, .arch = arch_host(), .nr = (uint64_t)nr,
		.args = args, .sig = syscall_lookup(arch_host(), (unsigned long)nr),
		.saved = saved,
	};
	sb_reset(sb);
	CHECK(decode_entry(&decoder, sb, &call) == 1);
}

static const char *getsockname_exit(const uint64_t args[6],
				    struct decode_saved *saved,
				    struct strbuf *sb)
{
	long nr = syscall_number(arch_host(), "getsockname");
	struct syscall_call call = {
		.tid = child, .arch = arch_host(), .nr = (uint64_t)nr,
		.args = args, .sig = syscall_lookup(arch_host(), (unsigned long)nr),
		.saved = saved,
	};
	CHECK(ptrace(PTRACE_POKEDATA, child, (void *)(uintptr_t)args[2],
		     (void *)7) == 0);
	decode_exit_args(&decoder, sb, &call, 1, 0, false);
	sb_putc(sb, '\0');
	return sb->data;
}

/* Two threads inside getsockname at once keep their own saved socklen
 * (each thread's struct decode_saved), whatever their tids. */
static void check_saved_per_thread(uint64_t sun, uint64_t len_a,
				   uint64_t len_b)
{
	struct decode_saved saved_a = { 0 }, saved_b = { 0 };
	struct strbuf a, b;
	sb_init(&a);
	sb_init(&b);
	const uint64_t args_a[6] = { 3, sun, len_a }, args_b[6] = { 3, sun, len_b };
	getsockname_entry(args_a, &saved_a, &a);
	getsockname_entry(args_b, &saved_b, &b);
	CHECK_STR(getsockname_exit(args_a, &saved_a, &a),
		  "getsockname(3, {sa_family=AF_UNIX, sun_path=@\"ab\\0c\"}, "
		  "[128 => 7]");
	CHECK_STR(getsockname_exit(args_b, &saved_b, &b),
		  "getsockname(3, {sa_family=AF_UNIX, sun_path=@\"ab\\0c\"}, "
		  "[64 => 7]");
	sb_free(&a);
	sb_free(&b);
}

/* -X reaches the flag fields inside structures, as strace 6.1 prints
 * them: a pollfd's events, a statx's masks and mode (the buffers are
 * globals, so the child has them too). */
static const struct { int fd; short events, revents; } style_pollfd = {
	3, 0x5 /* POLLIN|POLLOUT */, 0,
};
static const unsigned char style_statx[256] = {
	[0] = 0xff, [1] = 0x1f,        /* stx_mask 0x1fff */
	[9] = 0x20,                    /* stx_attributes 0x2000 */
	[28] = 0xed, [29] = 0x41,      /* stx_mode 040755 */
	[41] = 0x10,                   /* stx_size 4096 */
};

static void check_xlat_styles(void)
{
	static const struct {
		enum xlat_style style;
		const char *pollfd, *statx;
	} cases[] = {
		{ XLAT_STYLE_ABBREV, "[{fd=3, events=POLLIN|POLLOUT}]",
		  "{stx_mask=STATX_ALL|STATX_MNT_ID, "
		  "stx_attributes=STATX_ATTR_MOUNT_ROOT, stx_mode=S_IFDIR|0755, "
		  "stx_size=4096, ...}" },
		{ XLAT_STYLE_RAW, "[{fd=3, events=0x5}]",
		  "{stx_mask=0x1fff, stx_attributes=0x2000, "
		  "stx_mode=040755, stx_size=4096, ...}" },
		{ XLAT_STYLE_VERBOSE, "[{fd=3, events=0x5 /* POLLIN|POLLOUT */}]",
		  "{stx_mask=0x1fff /* STATX_ALL|STATX_MNT_ID */, "
		  "stx_attributes=0x2000 /* STATX_ATTR_MOUNT_ROOT */, "
		  "stx_mode=040755 /* S_IFDIR|0755 */, stx_size=4096, ...}" },
	};
	uint64_t poll_args[6] = { U(&style_pollfd), 1, 0 };
	uint64_t statx_args[6] = { (uint64_t)-100, 0, 0, 0xfff, U(style_statx) };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		config.xlat_style = cases[i].style;
		/* x86_64's table: aarch64 has no poll, only ppoll */
		CHECK_STR(print_arch(PTRC_ARCH_X86_64, "poll", 0, poll_args, false, 0),
			  cases[i].pollfd);
		CHECK_STR(print("statx", 4, statx_args, true, 0), cases[i].statx);
	}
	config.xlat_style = XLAT_STYLE_ABBREV;
}

/* struct timex (both layouts), mq_attr and sigevent: unknown bits, a
 * negative tv_usec (strace prints it unsigned), i386's all-int timex and
 * 20-byte sigevent, structs running into the unmapped page. */
static const struct {
	uint32_t modes; int32_t pad0;
	int64_t offset, freq, maxerror, esterror;
	int32_t status, pad1;
	int64_t constant, precision, tolerance, sec, usec, tick, ppsfreq, jitter;
	int32_t shift, pad2;
	int64_t stabil, jitcnt, calcnt, errcnt, stbcnt;
	int32_t tai, pad3[11];
} timex64 = { 0x4800, 0, -1, 2, 3, 4, 0x10041, 0, 5, 6, 7, 8, -1, 9, 10,
	      11, 12, 0, 13, 14, 15, 16, 17, 37, { 0 } };
static const int32_t timex32[32] = { 0xa001, 1, 2, 3, 4, 0x2000, 5, 6, 7, 8,
				     -9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 37 };
static const int64_t mq_attr64[8] = { 04000 | 0x1, 10, 8192, 3 };
static const int32_t sigev32[5] = { 0, 10, 2 /* SIGEV_THREAD */, 0x8048000, 0 };
static const int64_t sigev64[4] = { 0x500000001,
				    (int64_t)4 /* SIGEV_THREAD_ID */ << 32 | 15,
				    4242, 0 };

/* END: the first unmapped byte after AREA; LOW: below 4 GiB for i386,
 * with timex32 at +1280, sigev32 at +1536, timex64 at +2048 (the
 * offsets below 1280 hold main's own i386 data) */
static void check_posix_structs(char *end, char *low)
{
	uint64_t a[6] = { U(&timex64) };
	CHECK_STR(print("adjtimex", 0, a, true, 0),
		  "{modes=ADJ_TICK|0x800, offset=-1, freq=2, maxerror=3, "
		  "esterror=4, status=STA_PLL|STA_UNSYNC|0x10000, constant=5, "
		  "precision=6, tolerance=7, time={tv_sec=8, "
		  "tv_usec=18446744073709551615}, tick=9, ppsfreq=10, jitter=11, "
		  "shift=12, stabil=13, jitcnt=14, calcnt=15, errcnt=16, "
		  "stbcnt=17, tai=37}");
	CHECK(starts_with(print("adjtimex", 0, a, true, -14), "0x"));
	a[0] = U(end - 200);   /* 200 of the 208 bytes readable */
	CHECK(starts_with(print("adjtimex", 0, a, true, 0), "0x"));
	a[0] = U(low + 1280);
	CHECK_STR(print_arch(PTRC_ARCH_I386, "adjtimex", 0, a, true, 0),
		  "{modes=ADJ_OFFSET_SS_READ, offset=1, freq=2, maxerror=3, "
		  "esterror=4, status=STA_NANO, constant=5, precision=6, "
		  "tolerance=7, time={tv_sec=8, tv_usec=4294967287}, tick=10, "
		  "ppsfreq=11, jitter=12, shift=13, stabil=14, jitcnt=15, "
		  "calcnt=16, errcnt=17, stbcnt=18, tai=37}");
	a[0] = 0; a[1] = U(low + 2048);   /* i386's clock_adjtime64: 64-bit */
	CHECK(starts_with(print_arch(PTRC_ARCH_I386, "clock_adjtime64", 1, a,
				     true, 0), "{modes=ADJ_TICK|0x800, offset=-1,"));

	a[0] = 3; a[1] = U(mq_attr64); a[2] = U(mq_attr64);
	CHECK_STR(print("mq_getsetattr", 1, a, false, 0),
		  "{mq_flags=O_NONBLOCK|0x1, mq_maxmsg=10, mq_msgsize=8192, "
		  "mq_curmsgs=3}");
	CHECK_STR(print("mq_getsetattr", 2, a, true, 0),
		  "{mq_flags=O_NONBLOCK|0x1, mq_maxmsg=10, mq_msgsize=8192, "
		  "mq_curmsgs=3}");
	CHECK(starts_with(print("mq_getsetattr", 2, a, true, -9), "0x"));
	a[2] = U(end - 32);   /* the four reserved words are unreadable */
	CHECK(starts_with(print("mq_getsetattr", 2, a, true, 0), "0x"));

	a[0] = 3; a[1] = U(sigev64);
	CHECK_STR(print("mq_notify", 1, a, false, 0),
		  "{sigev_value={sival_int=1, sival_ptr=0x500000001}, "
		  "sigev_signo=SIGTERM, sigev_notify=SIGEV_THREAD_ID, "
		  "sigev_notify_thread_id=4242}");
	a[1] = U(low + 1536);
	CHECK_STR(print_arch(PTRC_ARCH_I386, "mq_notify", 1, a, false, 0),
		  "{sigev_signo=SIGUSR1, sigev_notify=SIGEV_THREAD, "
		  "sigev_notify_function=0x8048000, sigev_notify_attributes=NULL}");
	a[1] = U(end - 16);   /* the value, signal and notify, not the rest */
	CHECK(starts_with(print("mq_notify", 1, a, false, 0), "0x"));
}

int main(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *area = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(area != MAP_FAILED);
	munmap(area + page, (size_t)page);
	char *end = area + page;        /* first unmapped byte */
	memset(area, 0, (size_t)page);


	/* pollfds filling most of the page: a huge count must stop at -s */
	struct { int fd; short events, revents; } *many = (void *)area;
	for (int i = 0; i < 100; i++) {
		many[i].fd = i;
		many[i].events = 1;
	}

	/* an iovec whose base is itself, and a count far past the page */
	uint64_t *self_iov = (uint64_t *)(area + 1024);
	self_iov[0] = U(self_iov);
	self_iov[1] = 16;

	/* a msghdr pointing at itself everywhere */
	uint64_t *mh = (uint64_t *)(area + 1104);
	mh[0] = U(mh); mh[1] = 16; mh[2] = U(mh); mh[3] = 0x7fffffffffffffffULL;
	mh[4] = U(mh); mh[5] = ~0ULL; mh[6] = 0;

	/* a sigset at an odd address: INT and TERM */
	unsigned char *odd_sigset = (unsigned char *)area + 1201;
	uint64_t set = (1ULL << (SIGINT - 1)) | (1ULL << (SIGTERM - 1));
	memcpy(odd_sigset, &set, 8);

	/* an environment that runs into the unmapped page, no NULL */
	uint64_t *env = (uint64_t *)(end - 24);
	env[0] = env[1] = env[2] = U(area + 1300);
	strcpy(area + 1300, "A=1");

	/* getdents64 records: one good, then one with d_reclen 0 */
	unsigned char *dents = (unsigned char *)area + 1400;
	uint16_t reclen = 24;
	memcpy(dents + 16, &reclen, 2);
	dents[18] = 4;
	strcpy((char *)dents + 19, ".");
	/* (the second record at +24 is all zeros) */

	/* control messages: a cmsg_len of 0 must not loop */
	unsigned char *ctl = (unsigned char *)area + 1500;   /* zeros */
	uint64_t *mh2 = (uint64_t *)(area + 1600);
	mh2[0] = 0; mh2[1] = 0; mh2[2] = 0; mh2[3] = 0;
	mh2[4] = U(ctl); mh2[5] = 64; mh2[6] = 0;

	/* i386 structures, below 4 GiB: a timespec and a kernel sigaction;
	 * the page after them unmapped */
#ifdef MAP_32BIT
	char *low = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
#else
	/* no MAP_32BIT (aarch64): ask for a fixed low address */
	char *low = mmap((void *)0x40000000, (size_t)page * 2, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
#endif
	CHECK(low != MAP_FAILED);
	munmap(low + page, (size_t)page);
	uint32_t *ts32 = (uint32_t *)low;

	/* pollfds: two, then the unmapped page */
	struct { int fd; short events, revents; } *pfd = (void *)(low + page - 16);
	pfd[0].fd = 3; pfd[0].events = 1;
	pfd[1].fd = 4; pfd[1].events = 4;

	int st = 0x0300;   /* exited with 3 */
	memcpy(area + 1900, &st, sizeof st);
	ts32[0] = 5; ts32[1] = 6;
	memcpy(low + 1280, timex32, sizeof timex32);
	memcpy(low + 1536, sigev32, sizeof sigev32);
	memcpy(low + 2048, &timex64, sizeof timex64);
	uint32_t *sa32 = (uint32_t *)(low + 32);
	sa32[0] = 1;                       /* SIG_IGN */
	sa32[1] = 0x04000000 | 0x10000000; /* SA_RESTORER|SA_RESTART */
	sa32[2] = 0x8048000;
	memcpy(&sa32[3], &set, 8);

	/* i386 io_submit: one 32-bit iocb pointer, a PWRITE iocb of "hi";
	 * i386 recvmmsg: one 32-byte mmsghdr whose msg_len is 2 */
	uint32_t *iocbpp32 = (uint32_t *)(low + 256);
	iocbpp32[0] = (uint32_t)U(low + 512);
	uint32_t *iocb = (uint32_t *)(low + 512);   /* 64 bytes, same on i386 */
	iocb[0] = 7;                                /* aio_data */
	iocb[4] = 1 | 0 << 16;                      /* IOCB_CMD_PWRITE */
	iocb[5] = 3;                                /* aio_fildes */
	iocb[6] = (uint32_t)U(low + 640);           /* aio_buf */
	iocb[8] = 2;                                /* aio_nbytes */
	strcpy(low + 640, "hi");
	uint32_t *mmsg32 = (uint32_t *)(low + 768);
	mmsg32[2] = (uint32_t)U(low + 896);         /* msg_iov */
	mmsg32[3] = 1;                              /* msg_iovlen */
	mmsg32[7] = 2;                              /* msg_len */
	uint32_t *iov32 = (uint32_t *)(low + 896);
	iov32[0] = (uint32_t)U(low + 640);
	iov32[1] = 8;

	/* i386 gid lists: 16-bit ids for setgroups, 32-bit for setgroups32 */
	uint16_t *gids16 = (uint16_t *)(low + 1024);
	gids16[0] = 0; gids16[1] = 0xffff; gids16[2] = 24;
	uint32_t *gids32 = (uint32_t *)(low + 1040);
	gids32[0] = 70000; gids32[1] = 0xffffffff;

	/* AF_UNIX abstract sockaddr with an embedded NUL */
	unsigned char *sun = (unsigned char *)area + 1800;
	sun[0] = 1; sun[1] = 0;
	memcpy(sun + 2, "\0ab\0c", 5);

	/* strings at a mapping's end: "ab" with its NUL in the last byte,
	 * "cd" without one */
	char *str_area = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(str_area != MAP_FAILED);
	munmap(str_area + page, (size_t)page);
	char *str_end = str_area + page;
	uint64_t *argv_ab = (uint64_t *)(area + 2000);
	uint64_t *argv_cd = (uint64_t *)(area + 2016);
	memcpy(str_end - 6, "ab", 3);
	memcpy(str_end - 2, "cd", 2);
	argv_ab[0] = U(str_end - 6); argv_ab[1] = 0;
	argv_cd[0] = U(str_end - 2); argv_cd[1] = 0;

	/* two socklens, for two threads inside getsockname */
	uint64_t *len_a = (uint64_t *)(area + 2400), *len_b = len_a + 1;
	*len_a = 128;
	*len_b = 64;

	child = check_stopped_copy();
	int status;

	config.string_limit = 32;
	config.escape = ESCAPE_C;
	decoder_init(&decoder, &config);
	sb_init(&out);

	uint64_t a[6] = { 0 };
	const char *s;

	/* NULL */
	CHECK_STR(print_arch(PTRC_ARCH_X86_64, "poll", 0, a, false, 0), "NULL");
	CHECK_STR(print("rt_sigprocmask", 1, a, false, 0), "NULL");
	CHECK_STR(print("execve", 1, a, false, 0), "NULL");
	a[2] = 8;
	CHECK_STR(print("bind", 1, a, false, 0), "NULL");

	/* unmapped: the address */
	a[0] = U(end); a[1] = 2;
	s = print_arch(PTRC_ARCH_X86_64, "poll", 0, a, false, 0);
	CHECK(starts_with(s, "0x") && strtoull(s, NULL, 16) == U(end));
	a[1] = U(end); a[2] = 16;
	s = print("bind", 1, a, false, 0);
	CHECK(starts_with(s, "0x"));
	a[0] = 3; a[1] = U(end);
	s = print("fstat", 1, a, true, 0);
	CHECK(starts_with(s, "0x"));

	/* a failed call shows the address, even of readable memory */
	a[1] = U(area);
	s = print("fstat", 1, a, true, -14);
	CHECK(starts_with(s, "0x") && strtoull(s, NULL, 16) == U(area));

	/* an array running into the unmapped page */
	a[0] = U(pfd); a[1] = 3;
	s = print_arch(PTRC_ARCH_X86_64, "poll", 0, a, false, 0);
	CHECK(starts_with(s, "[{fd=3, events=POLLIN}, {fd=4, events=POLLOUT}, ... /* 0x"));

	/* a huge count stops at -s elements */
	a[0] = U(many); a[1] = 0x7fffffff;
	s = print_arch(PTRC_ARCH_X86_64, "poll", 0, a, false, 0);
	CHECK(ends_with(s, "{fd=31, events=POLLIN}, ...]"));
	a[1] = (uint64_t)1 << 62;   /* nfds is an unsigned int: the kernel sees 0 */
	s = print_arch(PTRC_ARCH_X86_64, "poll", 0, a, false, 0);
	CHECK_STR(s, "[]");
	a[1] = 0xffffffff;          /* count * size is past the end of memory */
	s = print_arch(PTRC_ARCH_X86_64, "poll", 0, a, false, 0);
	CHECK(starts_with(s, "0x") || ends_with(s, ", ...]"));

	/* an iovec pointing at itself, a huge iovcnt */
	a[0] = 1; a[1] = U(self_iov); a[2] = 0x7fffffff;
	s = print("writev", 1, a, false, 0);
	CHECK(starts_with(s, "[{iov_base=\""));
	CHECK(ends_with(s, ", ...]"));
	CHECK(strlen(s) < 8192);

	/* a msghdr pointing at itself, huge lengths */
	a[0] = 3; a[1] = U(mh); a[2] = 0;
	s = print("sendmsg", 1, a, false, 0);
	CHECK(starts_with(s, "{msg_name="));
	CHECK(strstr(s, "msg_iovlen=9223372036854775807") != NULL);
	CHECK(strlen(s) < 16384);
	s = print("recvmsg", 1, a, true, -11);
	CHECK(starts_with(s, "0x"));   /* no entry hook ran: the address */

	/* control messages of length 0 */
	a[1] = U(mh2);
	s = print("sendmsg", 1, a, false, 0);
	/* as strace 6.1: the rest past the first header is left out */
	CHECK(strstr(s, "msg_control=[{cmsg_len=0, cmsg_level=SOL_IP, "
		     "cmsg_type=0 /* IP_??? */}, ... /* 0x") != NULL);

	/* strings that stop at the end of a mapping: terminated in its last
	 * byte, the string; unterminated, the address (strace's umovestr) */
	a[0] = 0; a[1] = U(argv_ab);
	CHECK_STR(print("execve", 1, a, false, 0), "[\"ab\"]");
	a[1] = U(argv_cd);
	s = print("execve", 1, a, false, 0);
	CHECK(starts_with(s, "[0x") &&
	      strtoull(s + 1, NULL, 16) == U(str_end - 2));

	/* misaligned sigset */
	a[0] = 0; a[1] = U(odd_sigset); a[2] = 0; a[3] = 8;
	CHECK_STR(print("rt_sigprocmask", 1, a, false, 0), "[INT TERM]");
	a[3] = 4;   /* a size the kernel refuses: the address */
	s = print("rt_sigprocmask", 1, a, false, 0);
	CHECK(starts_with(s, "0x"));
	a[3] = 1u << 31;
	s = print("rt_sigprocmask", 1, a, false, 0);
	CHECK(starts_with(s, "0x"));

	/* an environment without its NULL: counted as far as readable */
	a[0] = 0; a[1] = 0; a[2] = U(env);
	s = print("execve", 2, a, false, 0);
	CHECK(strstr(s, " /* 3 vars? */") != NULL);
	config.verbose = true;
	s = print("execve", 2, a, false, 0);
	CHECK(starts_with(s, "[\"A=1\", \"A=1\", \"A=1\", ... /* 0x"));
	config.verbose = false;

	/* getdents64: a record of length 0 ends the walk */
	a[0] = 3; a[1] = U(dents); a[2] = 4096;
	s = print("getdents64", 1, a, true, 48);
	CHECK(ends_with(s, " /* 1 entries */"));
	config.verbose = true;
	s = print("getdents64", 1, a, true, 48);
	CHECK_STR(s, "[{d_ino=0, d_off=0, d_reclen=24, d_type=DT_DIR, d_name=\".\"}]");
	/* a return value larger than the buffer's readable memory */
	s = print("getdents64", 1, a, true, 1 << 20);
	CHECK(starts_with(s, "0x"));
	config.verbose = false;

	/* wait status */
	a[0] = 1; a[1] = U(area + 1900);
	CHECK_STR(print("wait4", 1, a, true, 42),
		  "[{WIFEXITED(s) && WEXITSTATUS(s) == 3}]");
	s = print("wait4", 1, a, true, 0);   /* WNOHANG, nothing reported */
	CHECK(starts_with(s, "0x"));

	/* sockaddr: abstract AF_UNIX with a NUL inside the name */
	a[0] = 3; a[1] = U(sun); a[2] = 7;
	CHECK_STR(print("bind", 1, a, false, 0),
		  "{sa_family=AF_UNIX, sun_path=@\"ab\\0c\"}");
	a[2] = 1;   /* shorter than sa_family */
	s = print("bind", 1, a, false, 0);
	CHECK(starts_with(s, "0x"));
	a[2] = 0xffffffff;   /* the kernel's int -1: the address, as strace */
	s = print("bind", 1, a, false, 0);
	CHECK(starts_with(s, "0x"));
	a[2] = 0x7fffffff;   /* longer than any sockaddr: read 128 at most */
	s = print("bind", 1, a, false, 0);
	CHECK(starts_with(s, "{sa_family=AF_UNIX, sun_path=@"));

	/* i386 layouts */
	a[0] = U(ts32); a[1] = 0;
	CHECK_STR(print_arch(PTRC_ARCH_I386, "nanosleep", 0, a, false, 0),
		  "{tv_sec=5, tv_nsec=6}");
	a[0] = SIGUSR1; a[1] = U(sa32); a[2] = 0; a[3] = 8;
	CHECK_STR(print_arch(PTRC_ARCH_I386, "rt_sigaction", 1, a, false, 0),
		  "{sa_handler=SIG_IGN, sa_mask=[INT TERM], "
		  "sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x8048000}");
	a[1] = U(low + page) - 4;   /* the struct crosses into the unmapped page */
	s = print_arch(PTRC_ARCH_I386, "rt_sigaction", 1, a, false, 0);
	CHECK(starts_with(s, "0x"));

	a[0] = 0x1000; a[1] = 0xdeadbeef00000001ULL; a[2] = U(iocbpp32);
	CHECK_STR(print_arch(PTRC_ARCH_I386, "io_submit", 2, a, false, 0),
		  "[{aio_data=0x7, aio_lio_opcode=IOCB_CMD_PWRITE, aio_fildes=3, "
		  "aio_buf=\"hi\", aio_nbytes=2, aio_offset=0}]");
	a[0] = 3; a[1] = U(mmsg32); a[2] = 1; a[3] = 0; a[4] = 0;
	CHECK_STR(print_arch(PTRC_ARCH_I386, "recvmmsg", 1, a, true, 1),
		  "[{msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"hi\", "
		  "iov_len=8}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=2}]");
	CHECK_STR(print_arch(PTRC_ARCH_I386, "sendmmsg", 1, a, true, -9),
		  "[{msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"hi\\0\\0\\0\\0\\0\\0\", "
		  "iov_len=8}], msg_iovlen=1, msg_controllen=0, msg_flags=0}}]");

	a[0] = 0xfeed000000000003ULL; a[1] = U(gids16);
	CHECK_STR(print_arch(PTRC_ARCH_I386, "setgroups", 1, a, false, 0),
		  "[0, -1, 24]");
	a[0] = 2; a[1] = U(gids32);
	CHECK_STR(print_arch(PTRC_ARCH_I386, "setgroups32", 1, a, false, 0),
		  "[70000, -1]");
	CHECK_STR(print_arch(PTRC_ARCH_I386, "getgroups32", 1, a, true, 1),
		  "[70000]");
	a[1] = U(low + page) - 2;   /* one id, then the unmapped page */
	s = print_arch(PTRC_ARCH_I386, "getgroups", 1, a, true, 2);
	CHECK(starts_with(s, "[0, ... /* 0x"));

	a[0] = 2; a[1] = U(gids32); a[2] = 64;   /* two 32-bit node words */
	CHECK_STR(print_arch(PTRC_ARCH_I386, "set_mempolicy", 1, a, false, 0),
		  "[0x011170, 0xffffffff]");
	a[2] = 33;
	CHECK_STR(print_arch(PTRC_ARCH_I386, "set_mempolicy", 1, a, false, 0),
		  "[0x011170]");

	check_saved_per_thread(U(sun), U(len_a), U(len_b));
	check_xlat_styles();
	check_posix_structs(end, low);

	kill(child, SIGKILL);
	waitpid(child, &status, __WALL);
	sb_free(&out);
	decoder_free(&decoder);
	return check_result("structs");
}
