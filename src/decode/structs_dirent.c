/* Directory entries filled by getdents64 (struct linux_dirent64: u64 ino,
 * s64 off, u16 reclen, u8 type, name) and getdents (struct linux_dirent:
 * long ino, long off, u16 reclen, name, and the type in the record's last
 * byte).
 *
 * strace shows "0x... /- N entries -/" (C comment marks) unless -v, then
 * every record. A record whose length is 0 or runs past the buffer ends
 * the walk, so a hostile buffer cannot loop. */
#include "structs.h"

#include <string.h>

#include "ptrc/escape.h"

/* Bytes of records read at most. */
#define DIRENTS_MAX (1024 * 1024)

/* d_type: its name, else the number in decimal. */
static void print_dirent_type(const struct arg_ctx *ctx, unsigned type)
{
	if (xlat_name(&xlat_dirent_type, type))
		ctx_print_enum(ctx, &xlat_dirent_type, type, NULL);
	else
		sb_printf(ctx->sb, "%u", type);
}

static void print_dirents(const struct arg_ctx *ctx, bool is64)
{
	if (!ctx_exit_ok(ctx))
		return;
	struct strbuf *sb = ctx->sb;
	unsigned w = is64 ? 8 : ctx_word_size(ctx);
	size_t name_off = is64 ? 19 : 2 * (size_t)w + 2;
	uint64_t total = ctx->rval < 0 ? 0 : (uint64_t)ctx->rval;
	bool verbose = ctx_verbose(ctx);
	if (!ctx->value) {
		sb_puts(sb, "NULL");
		return;
	}
	size_t n = total > DIRENTS_MAX ? DIRENTS_MAX : (size_t)total;
	unsigned char *buf = (unsigned char *)ctx_scratch(ctx, n + 1);
	if (!ctx_deref(ctx) || (n && !ctx_read(ctx, ctx->value, buf, n))) {
		ctx_print_ptr(ctx, ctx->value);
		return;
	}
	uint64_t limit = ctx_array_limit(ctx), count = 0;
	if (verbose)
		sb_putc(sb, '[');
	size_t off = 0;
	while (off + name_off <= n) {
		size_t reclen = (size_t)field_u(buf, off + 2 * (size_t)w, 2);
		if (reclen < name_off || reclen > n - off)
			break;
		if (verbose) {
			if (count)
				sb_puts(sb, ", ");
			if (count >= limit) {
				sb_puts(sb, "...");
				count++;
				break;
			}
			const char *name = (const char *)buf + off + name_off;
			size_t name_max = reclen - name_off;
			unsigned type = is64 ? buf[off + 18] : buf[off + reclen - 1];
			sb_printf(sb, "{d_ino=%llu, d_off=%lld, d_reclen=%zu, ",
				  (unsigned long long)field_u(buf, off, w),
				  (long long)field_s(buf, off + w, w), reclen);
			if (is64) {
				sb_puts(sb, "d_type=");
				print_dirent_type(ctx, type);
				sb_puts(sb, ", d_name=");
				escape_quoted(sb, name, strnlen(name, name_max),
					      ctx->d->config->escape, false);
			} else {
				sb_puts(sb, "d_name=");
				escape_quoted(sb, name, strnlen(name, name_max - 1),
					      ctx->d->config->escape, false);
				sb_puts(sb, ", d_type=");
				print_dirent_type(ctx, type);
			}
			sb_putc(sb, '}');
		}
		count++;
		off += reclen;
	}
	if (verbose) {
		sb_putc(sb, ']');
		return;
	}
	ctx_print_ptr(ctx, ctx->value);
	sb_printf(sb, " /* %llu entries */", (unsigned long long)count);
}

void print_dirents64_out(const struct arg_ctx *ctx)
{
	print_dirents(ctx, true);
}

void print_dirents_out(const struct arg_ctx *ctx)
{
	print_dirents(ctx, false);
}
