/* ioctl's struct termios, termios2 and termio (TCGETS/TCSETS*, TCGETS2/
 * TCSETS*2, TCGETA/TCSETA*) as strace 6.1 prints them: the four mode
 * words, the delays, speeds and character size of c_oflag and c_cflag
 * named apart ("NL0|CR2|XTABS|BS0|VT0|FF0|OPOST", "B38400|B1800<<IBSHIFT
 * |CS8|CREAD"), then "..." or, with -v, the line discipline, c_cc and
 * termios2's speeds. The kernel's layout (asm-generic): four u32 words
 * (u16 in termio), c_line, c_cc[19] (8 in termio). */
#include "structs.h"

#include "xlat_tables.h"

#define TERM_NLDLY 0x100u
#define TERM_CRDLY 0x600u
#define TERM_TABDLY 0x1800u
#define TERM_BSDLY 0x2000u
#define TERM_VTDLY 0x4000u
#define TERM_FFDLY 0x8000u
#define TERM_CBAUD 0x100fu
#define TERM_CIBAUD 0x100f0000u
#define TERM_IBSHIFT 16
#define TERM_CSIZE 0x30u
#define TERM_NCCS 19
#define TERM_NCC 8

/* The part of a mode word under MASK as an enum, then "|". */
static void term_part(const struct arg_ctx *ctx, const struct xlat *x,
		      uint32_t value)
{
	ctx_print_enum(ctx, x, value, NULL);
	sb_putc(ctx->sb, '|');
}

static void term_oflag(const struct arg_ctx *ctx, uint32_t v)
{
	term_part(ctx, &xlat_term_oflags_nldly, v & TERM_NLDLY);
	term_part(ctx, &xlat_term_oflags_crdly, v & TERM_CRDLY);
	term_part(ctx, &xlat_term_oflags_tabdly, v & TERM_TABDLY);
	term_part(ctx, &xlat_term_oflags_bsdly, v & TERM_BSDLY);
	term_part(ctx, &xlat_term_oflags_vtdly, v & TERM_VTDLY);
	term_part(ctx, &xlat_term_oflags_ffdly, v & TERM_FFDLY);
	ctx_print_flags(ctx, &xlat_term_oflags,
			v & ~(TERM_NLDLY | TERM_CRDLY | TERM_TABDLY |
			      TERM_BSDLY | TERM_VTDLY | TERM_FFDLY));
}

static void term_cflag(const struct arg_ctx *ctx, uint32_t v)
{
	term_part(ctx, &xlat_term_baud, v & TERM_CBAUD);
	if (v & TERM_CIBAUD) {
		ctx_print_enum(ctx, &xlat_term_baud,
			       (v & TERM_CIBAUD) >> TERM_IBSHIFT, NULL);
		switch (ctx_xlat_style(ctx)) {
		case XLAT_STYLE_RAW:
			sb_puts(ctx->sb, "<<0x10|");
			break;
		case XLAT_STYLE_VERBOSE:
			sb_puts(ctx->sb, "<<0x10 /* IBSHIFT */|");
			break;
		default:
			sb_puts(ctx->sb, "<<IBSHIFT|");
		}
	}
	term_part(ctx, &xlat_term_cflags_csize, v & TERM_CSIZE);
	ctx_print_flags(ctx, &xlat_term_cflags,
			v & ~(TERM_CBAUD | TERM_CIBAUD | TERM_CSIZE));
}

static void term_modes(const struct arg_ctx *ctx, uint32_t iflag,
		       uint32_t oflag, uint32_t cflag, uint32_t lflag)
{
	sb_puts(ctx->sb, "{c_iflag=");
	ctx_print_flags(ctx, &xlat_term_iflags, iflag);
	sb_puts(ctx->sb, ", c_oflag=");
	term_oflag(ctx, oflag);
	sb_puts(ctx->sb, ", c_cflag=");
	term_cflag(ctx, cflag);
	sb_puts(ctx->sb, ", c_lflag=");
	ctx_print_flags(ctx, &xlat_term_lflags, lflag);
}

/* ", c_line=N_TTY, c_cc=[[VINTR]=0x3, ...]" */
static void term_line_cc(const struct arg_ctx *ctx, const unsigned char *line,
			 unsigned ncc)
{
	sb_puts(ctx->sb, ", c_line=");
	ctx_print_enum(ctx, &xlat_term_line_disc, line[0], NULL);
	sb_puts(ctx->sb, ", c_cc=[");
	for (unsigned i = 0; i < ncc; i++) {
		const char *name = xlat_name(&xlat_termios_cc, i);
		sb_puts(ctx->sb, i ? ", [" : "[");
		if (name)
			sb_puts(ctx->sb, name);
		else
			sb_printf(ctx->sb, "%u", i);
		sb_printf(ctx->sb, "]=%#x", line[1 + i]);
	}
	sb_putc(ctx->sb, ']');
}

static bool term_fetch(const struct arg_ctx *ctx, void *b, size_t len)
{
	if (ctx->exiting && !ctx_exit_ok(ctx))
		return false;
	return ctx_fetch(ctx, ctx->value, b, len);
}

static void print_termios_any(const struct arg_ctx *ctx, bool two)
{
	unsigned char b[44];
	size_t len = two ? 44 : 36;
	if (!term_fetch(ctx, b, len))
		return;
	term_modes(ctx, (uint32_t)field_u(b, 0, 4), (uint32_t)field_u(b, 4, 4),
		   (uint32_t)field_u(b, 8, 4), (uint32_t)field_u(b, 12, 4));
	if (!ctx->d->config->verbose) {
		sb_puts(ctx->sb, ", ...}");
		return;
	}
	term_line_cc(ctx, b + 16, TERM_NCCS);
	if (two)
		sb_printf(ctx->sb, ", c_ispeed=%u, c_ospeed=%u",
			  (unsigned)field_u(b, 36, 4), (unsigned)field_u(b, 40, 4));
	sb_putc(ctx->sb, '}');
}

void print_termios(const struct arg_ctx *ctx)
{
	print_termios_any(ctx, false);
}

void print_termios2(const struct arg_ctx *ctx)
{
	print_termios_any(ctx, true);
}

void print_termio(const struct arg_ctx *ctx)
{
	unsigned char b[18];
	if (!term_fetch(ctx, b, sizeof b))
		return;
	term_modes(ctx, (uint32_t)field_u(b, 0, 2), (uint32_t)field_u(b, 2, 2),
		   (uint32_t)field_u(b, 4, 2), (uint32_t)field_u(b, 6, 2));
	if (!ctx->d->config->verbose) {
		sb_puts(ctx->sb, ", ...}");
		return;
	}
	term_line_cc(ctx, b + 8, TERM_NCC);
	sb_putc(ctx->sb, '}');
}
