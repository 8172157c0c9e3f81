/* Terminal ioctls as strace 6.1 prints them (structs_term.c, the ioctl
 * layout and command printer of flags_ctl.c): struct winsize and the
 * modem lines from this process's memory (a page whose end is unmapped
 * too), at entry for the setters and at exit for the getters, and the
 * command in the three -X styles. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "decode_line.h"

#define X64 PTRC_ARCH_X86_64

static const char *line_x(enum xlat_style style, uint64_t cmd, const void *p,
			  int64_t rval)
{
	config.xlat_style = style;
	return line_arch(X64, "ioctl", ARGS(1, cmd, (uint64_t)(uintptr_t)p),
			 rval);
}

int main(void)
{
	sb_init(&out);
	config.string_limit = 32;
	decoder_init(&decoder, &config);
	char *end = guard_page_end();
	CHECK(end != NULL);
	if (!end)
		return check_result("term");
	char want[128];

	struct winsize ws = { 24, 80, 0xffff, 1 };
	memcpy(end - sizeof ws, &ws, sizeof ws);
	CHECK_STR(line_x(XLAT_STYLE_ABBREV, TIOCSWINSZ, end - sizeof ws, 0),
		  "ioctl(1, TIOCSWINSZ, {ws_row=24, ws_col=80, ws_xpixel=65535, "
		  "ws_ypixel=1}) = 0");
	CHECK_STR(line_x(XLAT_STYLE_RAW, TIOCGWINSZ, end - sizeof ws, 0),
		  "ioctl(1, 0x5413, {ws_row=24, ws_col=80, ws_xpixel=65535, "
		  "ws_ypixel=1}) = 0");
	snprintf(want, sizeof want,
		 "ioctl(1, TIOCGWINSZ, %p) = -1 ENOTTY (Inappropriate ioctl "
		 "for device)", (void *)(end - sizeof ws));
	CHECK_STR(line_x(XLAT_STYLE_ABBREV, TIOCGWINSZ, end - sizeof ws, -25),
		  want);
	snprintf(want, sizeof want, "ioctl(1, TIOCSWINSZ, %p) = 0",
		 (void *)(end - 4));
	CHECK_STR(line_x(XLAT_STYLE_ABBREV, TIOCSWINSZ, end - 4, 0), want);

	memcpy(end - 4, &(uint32_t){ TIOCM_DTR | TIOCM_RTS | 0x10000 }, 4);
	CHECK_STR(line_x(XLAT_STYLE_ABBREV, TIOCMBIS, end - 4, 0),
		  "ioctl(1, TIOCMBIS, [TIOCM_DTR|TIOCM_RTS|0x10000]) = 0");
	CHECK_STR(line_x(XLAT_STYLE_VERBOSE, TIOCMGET, end - 4, 0),
		  "ioctl(1, 0x5415 /* TIOCMGET */, [0x10006 /* "
		  "TIOCM_DTR|TIOCM_RTS|0x10000 */]) = 0");
	memcpy(end - 4, &(uint32_t){ 0x10000 }, 4);
	CHECK_STR(line_x(XLAT_STYLE_ABBREV, TIOCMSET, end - 4, 0),
		  "ioctl(1, TIOCMSET, [0x10000 /* TIOCM_??? */]) = 0");
	snprintf(want, sizeof want, "ioctl(1, TIOCMBIC, %p) = 0",
		 (void *)(end - 2));
	CHECK_STR(line_x(XLAT_STYLE_ABBREV, TIOCMBIC, end - 2, 0), want);
	CHECK_STR(line_x(XLAT_STYLE_ABBREV, TIOCMGET, NULL, -14),
		  "ioctl(1, TIOCMGET, NULL) = -1 EFAULT (Bad address)");
	/* struct termios: the modes, "..." without -v */
	uint32_t modes[9] = { 0x100 | 0x400, 0x1 | 0x4 | 0x1800,
			      0xf | 0x30 | 0x80 | 0x10000, 0x1 | 0x8 | 0x40000000 };
	memcpy(end - 36, modes, 36);
	CHECK_STR(line_x(XLAT_STYLE_ABBREV, TCSETS, end - 36, 0),
		  "ioctl(1, SNDCTL_TMR_START or TCSETS, {c_iflag=ICRNL|IXON, "
		  "c_oflag=NL0|CR0|XTABS|BS0|VT0|FF0|OPOST|ONLCR, "
		  "c_cflag=B38400|B50<<IBSHIFT|CS8|CREAD, "
		  "c_lflag=ISIG|ECHO|0x40000000, ...}) = 0");
	snprintf(want, sizeof want, "ioctl(1, TCGETA, %p) = 0",
		 (void *)(end - 16));
	CHECK_STR(line_x(XLAT_STYLE_ABBREV, TCGETA, end - 16, 0), want);
	/* an unknown command: the _IOC() form, in a comment with -X verbose */
	CHECK_STR(line_x(XLAT_STYLE_VERBOSE, 0xc0045499, NULL, -25),
		  "ioctl(1, 0xc0045499 /* _IOC(_IOC_READ|_IOC_WRITE, 0x54, "
		  "0x99, 0x4) */, 0) = -1 ENOTTY (Inappropriate ioctl for device)");
	decoder_free(&decoder);
	sb_free(&out);
	return check_result("term");
}
