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
	uint32_t *sa32 = (uint32_t *)(low + 32);
	sa32[0] = 1;                       /* SIG_IGN */
	sa32[1] = 0x04000000 | 0x10000000; /* SA_RESTORER|SA_RESTART */
	sa32[2] = 0x8048000;
	memcpy(&sa32[3], &set, 8);

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
	a[1] = (uint64_t)1 << 62;   /* count * size overflows */
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

	check_saved_per_thread(U(sun), U(len_a), U(len_b));
	check_xlat_styles();

	kill(child, SIGKILL);
	waitpid(child, &status, __WALL);
	sb_free(&out);
	decoder_free(&decoder);
	return check_result("structs");
}
