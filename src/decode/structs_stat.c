/* struct stat (three layouts), struct statx, struct statfs.
 *
 * Which stat layout the kernel filled depends on the arch and the call:
 * x86_64's struct stat; the generic one of aarch64; on i386 the old
 * 32-bit struct stat for stat/lstat/fstat and struct stat64 for the *64
 * calls. Offsets below are the kernel's (arch/x86/include/uapi/asm/stat.h,
 * include/uapi/asm-generic/stat.h). */
#include "structs.h"

#include <string.h>

/* One decoded stat, whatever its layout. */
struct stat_fields {
	uint64_t dev, ino, nlink, rdev, blocks, blksize;
	uint32_t mode, uid, gid;
	int64_t size;
	int64_t atime, atime_nsec, mtime, mtime_nsec, ctime, ctime_nsec;
};

enum stat_layout { STAT_X86_64, STAT_GENERIC, STAT_I386_OLD, STAT_I386_64 };

static const size_t stat_sizes[] = {
	[STAT_X86_64] = 144, [STAT_GENERIC] = 128,
	[STAT_I386_OLD] = 64, [STAT_I386_64] = 96,
};

static enum stat_layout stat_layout_of(const struct arg_ctx *ctx)
{
	switch (ctx->call->arch) {
	case PTRC_ARCH_I386: {
		const char *name = ctx->call->sig->name;
		size_t n = strlen(name);
		return n > 2 && !strcmp(name + n - 2, "64") ? STAT_I386_64
							     : STAT_I386_OLD;
	}
	case PTRC_ARCH_AARCH64:
		return STAT_GENERIC;
	default:
		return STAT_X86_64;
	}
}

static void stat_decode(enum stat_layout layout, const unsigned char *b,
			struct stat_fields *f)
{
	switch (layout) {
	case STAT_X86_64:
		f->dev = field_u(b, 0, 8);
		f->ino = field_u(b, 8, 8);
		f->nlink = field_u(b, 16, 8);
		f->mode = (uint32_t)field_u(b, 24, 4);
		f->uid = (uint32_t)field_u(b, 28, 4);
		f->gid = (uint32_t)field_u(b, 32, 4);
		f->rdev = field_u(b, 40, 8);
		f->size = field_s(b, 48, 8);
		f->blksize = field_u(b, 56, 8);
		f->blocks = field_u(b, 64, 8);
		f->atime = field_s(b, 72, 8);
		f->atime_nsec = field_s(b, 80, 8);
		f->mtime = field_s(b, 88, 8);
		f->mtime_nsec = field_s(b, 96, 8);
		f->ctime = field_s(b, 104, 8);
		f->ctime_nsec = field_s(b, 112, 8);
		return;
	case STAT_GENERIC:
		f->dev = field_u(b, 0, 8);
		f->ino = field_u(b, 8, 8);
		f->mode = (uint32_t)field_u(b, 16, 4);
		f->nlink = field_u(b, 20, 4);
		f->uid = (uint32_t)field_u(b, 24, 4);
		f->gid = (uint32_t)field_u(b, 28, 4);
		f->rdev = field_u(b, 32, 8);
		f->size = field_s(b, 48, 8);
		f->blksize = (uint64_t)field_s(b, 56, 4);
		f->blocks = field_u(b, 64, 8);
		f->atime = field_s(b, 72, 8);
		f->atime_nsec = field_s(b, 80, 8);
		f->mtime = field_s(b, 88, 8);
		f->mtime_nsec = field_s(b, 96, 8);
		f->ctime = field_s(b, 104, 8);
		f->ctime_nsec = field_s(b, 112, 8);
		return;
	case STAT_I386_OLD:
		f->dev = field_u(b, 0, 4);
		f->ino = field_u(b, 4, 4);
		f->mode = (uint32_t)field_u(b, 8, 2);
		f->nlink = field_u(b, 10, 2);
		f->uid = (uint32_t)field_u(b, 12, 2);
		f->gid = (uint32_t)field_u(b, 14, 2);
		f->rdev = field_u(b, 16, 4);
		f->size = (int64_t)field_u(b, 20, 4);
		f->blksize = field_u(b, 24, 4);
		f->blocks = field_u(b, 28, 4);
		f->atime = (int64_t)field_u(b, 32, 4);
		f->atime_nsec = (int64_t)field_u(b, 36, 4);
		f->mtime = (int64_t)field_u(b, 40, 4);
		f->mtime_nsec = (int64_t)field_u(b, 44, 4);
		f->ctime = (int64_t)field_u(b, 48, 4);
		f->ctime_nsec = (int64_t)field_u(b, 52, 4);
		return;
	case STAT_I386_64:
		/* packed: 4-byte alignment of the 64-bit fields */
		f->dev = field_u(b, 0, 8);
		f->mode = (uint32_t)field_u(b, 16, 4);
		f->nlink = field_u(b, 20, 4);
		f->uid = (uint32_t)field_u(b, 24, 4);
		f->gid = (uint32_t)field_u(b, 28, 4);
		f->rdev = field_u(b, 32, 8);
		f->size = field_s(b, 44, 8);
		f->blksize = field_u(b, 52, 4);
		f->blocks = field_u(b, 56, 8);
		f->atime = (int64_t)field_u(b, 64, 4);
		f->atime_nsec = (int64_t)field_u(b, 68, 4);
		f->mtime = (int64_t)field_u(b, 72, 4);
		f->mtime_nsec = (int64_t)field_u(b, 76, 4);
		f->ctime = (int64_t)field_u(b, 80, 4);
		f->ctime_nsec = (int64_t)field_u(b, 84, 4);
		f->ino = field_u(b, 88, 8);
		return;
	}
}

static bool is_device(uint32_t mode)
{
	uint32_t type = mode & 0170000;
	return type == 0020000 || type == 0060000;
}

static void print_stat_time(struct strbuf *sb, const char *name, int64_t sec,
			    int64_t nsec)
{
	sb_printf(sb, ", st_%s=%lld", name, (long long)sec);
	print_time_comment(sb, sec, nsec);
	sb_printf(sb, ", st_%s_nsec=%lld", name, (long long)nsec);
}

static void stat_print(const struct arg_ctx *ctx, const struct stat_fields *f)
{
	struct strbuf *sb = ctx->sb;
	bool verbose = ctx_verbose(ctx);
	sb_putc(sb, '{');
	if (verbose) {
		sb_puts(sb, "st_dev=");
		ctx_print_dev(ctx, f->dev);
		sb_printf(sb, ", st_ino=%llu, ", (unsigned long long)f->ino);
	}
	sb_puts(sb, "st_mode=");
	print_mode_value(sb, ctx_xlat_style(ctx), f->mode);
	if (verbose)
		sb_printf(sb, ", st_nlink=%llu, st_uid=%u, st_gid=%u, "
			  "st_blksize=%llu, st_blocks=%llu",
			  (unsigned long long)f->nlink, f->uid, f->gid,
			  (unsigned long long)f->blksize,
			  (unsigned long long)f->blocks);
	if (is_device(f->mode)) {
		sb_puts(sb, ", st_rdev=");
		ctx_print_dev(ctx, f->rdev);
	} else {
		sb_printf(sb, ", st_size=%lld", (long long)f->size);
	}
	if (verbose) {
		print_stat_time(sb, "atime", f->atime, f->atime_nsec);
		print_stat_time(sb, "mtime", f->mtime, f->mtime_nsec);
		print_stat_time(sb, "ctime", f->ctime, f->ctime_nsec);
	} else {
		sb_puts(sb, ", ...");
	}
	sb_putc(sb, '}');
}

void print_stat_out(const struct arg_ctx *ctx)
{
	if (!ctx_exit_ok(ctx))
		return;
	enum stat_layout layout = stat_layout_of(ctx);
	unsigned char buf[144];
	if (!ctx_fetch(ctx, ctx->value, buf, stat_sizes[layout]))
		return;
	struct stat_fields f;
	memset(&f, 0, sizeof f);
	stat_decode(layout, buf, &f);
	stat_print(ctx, &f);
}

/* ---- statx: one layout everywhere ---- */

#define STATX_SIZE_BYTES 256

static void statx_time(struct strbuf *sb, const char *name,
		       const unsigned char *b, size_t off)
{
	int64_t sec = field_s(b, off, 8);
	int64_t nsec = (int64_t)field_u(b, off + 8, 4);
	sb_printf(sb, ", stx_%s=", name);
	print_timespec_value(sb, sec, nsec);
	print_time_comment(sb, sec, nsec);
}

void print_statx_out(const struct arg_ctx *ctx)
{
	if (!ctx_exit_ok(ctx))
		return;
	unsigned char b[STATX_SIZE_BYTES];
	if (!ctx_fetch(ctx, ctx->value, b, sizeof b))
		return;
	struct strbuf *sb = ctx->sb;
	bool verbose = ctx_verbose(ctx);
	uint32_t mask = (uint32_t)field_u(b, 0, 4);
	sb_puts(sb, "{stx_mask=");
	ctx_print_flags(ctx, &xlat_statx_mask, mask);
	if (verbose)
		sb_printf(sb, ", stx_blksize=%u", (unsigned)field_u(b, 4, 4));
	sb_puts(sb, ", stx_attributes=");
	ctx_print_flags(ctx, &xlat_statx_attrs, field_u(b, 8, 8));
	if (verbose)
		sb_printf(sb, ", stx_nlink=%u, stx_uid=%u, stx_gid=%u",
			  (unsigned)field_u(b, 16, 4), (unsigned)field_u(b, 20, 4),
			  (unsigned)field_u(b, 24, 4));
	sb_puts(sb, ", stx_mode=");
	print_mode_value(sb, ctx_xlat_style(ctx), (uint32_t)field_u(b, 28, 2));
	if (verbose)
		sb_printf(sb, ", stx_ino=%llu", (unsigned long long)field_u(b, 32, 8));
	sb_printf(sb, ", stx_size=%llu", (unsigned long long)field_u(b, 40, 8));
	if (!verbose) {
		sb_puts(sb, ", ...}");
		return;
	}
	sb_printf(sb, ", stx_blocks=%llu, stx_attributes_mask=",
		  (unsigned long long)field_u(b, 48, 8));
	ctx_print_flags(ctx, &xlat_statx_attrs, field_u(b, 56, 8));
	if (mask & 0x20)
		statx_time(sb, "atime", b, 64);
	if (mask & 0x800)
		statx_time(sb, "btime", b, 80);
	if (mask & 0x80)
		statx_time(sb, "ctime", b, 96);
	if (mask & 0x40)
		statx_time(sb, "mtime", b, 112);
	sb_printf(sb, ", stx_rdev_major=%u, stx_rdev_minor=%u, "
		  "stx_dev_major=%u, stx_dev_minor=%u",
		  (unsigned)field_u(b, 128, 4), (unsigned)field_u(b, 132, 4),
		  (unsigned)field_u(b, 136, 4), (unsigned)field_u(b, 140, 4));
	if (mask & 0x1000)
		sb_printf(sb, ", stx_mnt_id=%#llx",
			  (unsigned long long)field_u(b, 144, 8));
	if (mask & 0x2000)
		sb_printf(sb, ", stx_dio_mem_align=%u, stx_dio_offset_align=%u",
			  (unsigned)field_u(b, 152, 4), (unsigned)field_u(b, 156, 4));
	sb_putc(sb, '}');
}

/* ---- statfs: 64-bit longs; i386's statfs (32-bit) and statfs64 ---- */

void print_statfs_out(const struct arg_ctx *ctx)
{
	if (!ctx_exit_ok(ctx))
		return;
	/* field offsets: type, bsize, blocks, bfree, bavail, files, ffree,
	 * fsid, namelen, frsize, flags; and each field's size */
	static const uint8_t off64[] = { 0, 8, 16, 24, 32, 40, 48, 56, 64, 72, 80 };
	static const uint8_t sz64[] = { 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8 };
	static const uint8_t off32[] = { 0, 4, 8, 12, 16, 20, 24, 28, 36, 40, 44 };
	static const uint8_t sz32[] = { 4, 4, 4, 4, 4, 4, 4, 8, 4, 4, 4 };
	static const uint8_t offs64[] = { 0, 4, 8, 16, 24, 32, 40, 48, 56, 60, 64 };
	static const uint8_t szs64[] = { 4, 4, 8, 8, 8, 8, 8, 8, 4, 4, 4 };
	const uint8_t *off = off64, *sz = sz64;
	size_t total = 120;
	if (ctx_word_size(ctx) == 4) {
		bool is64 = strstr(ctx->call->sig->name, "64") != NULL;
		off = is64 ? offs64 : off32;
		sz = is64 ? szs64 : sz32;
		total = is64 ? 84 : 64;
	}
	unsigned char b[120];
	if (!ctx_fetch(ctx, ctx->value, b, total))
		return;
	struct strbuf *sb = ctx->sb;
	sb_puts(sb, "{f_type=");
	ctx_print_enum(ctx, &xlat_fs_magic, field_u(b, off[0], sz[0]) & 0xffffffff,
		       NULL);
	static const char *const names[] = { "f_bsize", "f_blocks", "f_bfree",
		"f_bavail", "f_files", "f_ffree" };
	for (int i = 1; i <= 6; i++)
		sb_printf(sb, ", %s=%llu", names[i - 1],
			  (unsigned long long)field_u(b, off[i], sz[i]));
	uint32_t v0 = (uint32_t)field_u(b, off[7], 4);
	uint32_t v1 = (uint32_t)field_u(b, off[7] + 4, 4);
	sb_printf(sb, v0 ? ", f_fsid={val=[%#x, " : ", f_fsid={val=[%u, ", v0);
	sb_printf(sb, v1 ? "%#x]}" : "%u]}", v1);
	sb_printf(sb, ", f_namelen=%llu, f_frsize=%llu, f_flags=",
		  (unsigned long long)field_u(b, off[8], sz[8]),
		  (unsigned long long)field_u(b, off[9], sz[9]));
	ctx_print_flags(ctx, &xlat_statfs_flags, field_u(b, off[10], sz[10]));
	sb_putc(sb, '}');
}
