/* SysV IPC structures as strace 6.1 prints them: semop's struct sembuf
 * array, msgsnd/msgrcv's struct msgbuf, and the buffers of msgctl, semctl
 * and shmctl (the kernel's *id64_ds and *info structures). Layouts are
 * the kernel's for 64-bit tracees (asm-generic, as x86_64 and aarch64)
 * and for i386, as offsets below: the ipc64_perm head is the same (i386's
 * mode is 16 bits), the times and counters are words, i386's times have
 * a high half strace does not show. IPC_SET shows what the kernel reads
 * (the owner and mode, msg_qbytes), the getters everything. */
#include "structs.h"

/* ---- struct sembuf {u16 sem_num; s16 sem_op; s16 sem_flg;} ---- */

static bool print_sembuf_elem(const struct arg_ctx *ctx, const void *elem,
			      void *user)
{
	(void)user;
	sb_printf(ctx->sb, "{sem_num=%u, sem_op=%d, sem_flg=",
		  (unsigned)field_u(elem, 0, 2), (int)field_s(elem, 2, 2));
	ctx_print_flags(ctx, &xlat_semop_flags, field_u(elem, 4, 2));
	sb_putc(ctx->sb, '}');
	return true;
}

static uint64_t aux_arg(const struct arg_ctx *ctx)
{
	uint8_t aux = ctx->call->sig->aux[ctx->index];
	return aux < SYSCALL_MAX_ARGS ? ctx_arg(ctx, aux) : 0;
}

void print_sembuf(const struct arg_ctx *ctx)
{
	ctx_print_array(ctx, ctx->value, aux_arg(ctx), 6, print_sembuf_elem,
			NULL);
}

/* ---- struct msgbuf {long mtype; char mtext[];} ---- */

/* strace reads the struct as declared (mtype and a padded one-byte
 * mtext), then msgsz bytes of mtext. */
static void print_msgbuf(const struct arg_ctx *ctx)
{
	unsigned w = ctx_word_size(ctx);
	unsigned char b[16];
	if (!ctx_fetch(ctx, ctx->value, b, 2 * w))
		return;
	sb_printf(ctx->sb, "{mtype=%lld, mtext=", (long long)field_s(b, 0, w));
	ctx_print_data(ctx, ctx->value + w, aux_arg(ctx));
	sb_putc(ctx->sb, '}');
}

void print_msgbuf_in(const struct arg_ctx *ctx)
{
	print_msgbuf(ctx);
}

void print_msgbuf_out(const struct arg_ctx *ctx)
{
	if (ctx_exit_ok(ctx))
		print_msgbuf(ctx);
}

/* ---- the ctl buffers ---- */

enum { IPC_SET_CMD = 1 };

/* id: -1 or unsigned */
static void print_id_field(struct strbuf *sb, const char *name, uint32_t id)
{
	if (id == UINT32_MAX)
		sb_printf(sb, "%s=-1", name);
	else
		sb_printf(sb, "%s=%u", name, id);
}

/* struct ipc64_perm: {uid=0, gid=0, mode=0600, key=0, cuid=0, cgid=0};
 * IPC_SET: the first three. */
static void print_ipc_perm(const struct arg_ctx *ctx, const char *name,
			   const unsigned char *b, bool set)
{
	struct strbuf *sb = ctx->sb;
	unsigned mode_size = ctx_word_size(ctx) == 8 ? 4 : 2;
	sb_printf(sb, "{%s=", name);
	print_id_field(sb, "{uid", (uint32_t)field_u(b, 4, 4));
	print_id_field(sb, ", gid", (uint32_t)field_u(b, 8, 4));
	sb_printf(sb, ", mode=%#03llo",
		  (unsigned long long)field_u(b, 20, mode_size));
	if (!set) {
		sb_printf(sb, ", key=%u", (unsigned)field_u(b, 0, 4));
		print_id_field(sb, ", cuid", (uint32_t)field_u(b, 12, 4));
		print_id_field(sb, ", cgid", (uint32_t)field_u(b, 16, 4));
	}
	sb_putc(sb, '}');
}

/* Offsets of the fields after the ipc64_perm, 64-bit and i386. */
struct ipc_ds_layout {
	size_t size, a, b, c, d, e, f, g, h;
};

static unsigned long long word_at(const struct arg_ctx *ctx,
				  const unsigned char *b, size_t off)
{
	return (unsigned long long)field_u(b, off, ctx_word_size(ctx));
}

/* struct msqid64_ds */
static void print_msqid_ds(const struct arg_ctx *ctx, bool set)
{
	/* stime, rtime, ctime, qnum, qbytes, lspid, lrpid */
	static const struct ipc_ds_layout l64 = { 120, 48, 56, 64, 80, 88, 96, 100, 0 };
	static const struct ipc_ds_layout l32 = { 88, 36, 44, 52, 64, 68, 72, 76, 0 };
	const struct ipc_ds_layout *l = ctx_word_size(ctx) == 8 ? &l64 : &l32;
	unsigned char b[120];
	if (!ctx_fetch(ctx, ctx->value, b, l->size))
		return;
	print_ipc_perm(ctx, "msg_perm", b, set);
	if (!set)
		sb_printf(ctx->sb, ", msg_stime=%llu, msg_rtime=%llu, "
			  "msg_ctime=%llu, msg_qnum=%llu", word_at(ctx, b, l->a),
			  word_at(ctx, b, l->b), word_at(ctx, b, l->c),
			  word_at(ctx, b, l->d));
	sb_printf(ctx->sb, ", msg_qbytes=%llu", word_at(ctx, b, l->e));
	if (!set)
		sb_printf(ctx->sb, ", msg_lspid=%d, msg_lrpid=%d",
			  (int)field_s(b, l->f, 4), (int)field_s(b, l->g, 4));
	sb_putc(ctx->sb, '}');
}

void print_msqid_ds_set(const struct arg_ctx *ctx) { print_msqid_ds(ctx, true); }

void print_msqid_ds_out(const struct arg_ctx *ctx)
{
	if (ctx_exit_ok(ctx))
		print_msqid_ds(ctx, false);
}

/* The info structures: NAMES[i] at I * SIZE, signed ints or unsigned
 * words; LAST, when not NULL, an unsigned int after them (msgseg). */
static void print_info(const struct arg_ctx *ctx, const char *const *names,
		       size_t n, unsigned size, const char *last)
{
	unsigned char b[80];
	size_t len = (n + (last != NULL)) * size;
	if (!ctx_exit_ok(ctx) || !ctx_fetch(ctx, ctx->value, b, len))
		return;
	for (size_t i = 0; i < n; i++) {
		sb_printf(ctx->sb, "%s%s=", i ? ", " : "{", names[i]);
		if (size == 4)
			sb_printf(ctx->sb, "%d", (int)field_s(b, 4 * i, 4));
		else
			sb_printf(ctx->sb, "%llu", word_at(ctx, b, size * i));
	}
	if (last)
		sb_printf(ctx->sb, ", %s=%u", last, (unsigned)field_u(b, 4 * n, 4));
	sb_putc(ctx->sb, '}');
}

/* struct msginfo: eight ints, the last unsigned */
void print_msginfo_out(const struct arg_ctx *ctx)
{
	static const char *const names[] = {
		"msgpool", "msgmap", "msgmax", "msgmnb", "msgmni", "msgssz",
		"msgtql",
	};
	print_info(ctx, names, ARRAY_COUNT(names), 4, "msgseg");
}

/* struct semid64_ds */
static void print_semid_ds(const struct arg_ctx *ctx, bool set)
{
	/* otime, ctime, nsems; x86_64 pads each time with a word */
	static const struct ipc_ds_layout l_x86_64 = { 104, 48, 64, 80, 0, 0, 0, 0, 0 };
	static const struct ipc_ds_layout l64 = { 88, 48, 56, 64, 0, 0, 0, 0, 0 };
	static const struct ipc_ds_layout l32 = { 64, 36, 44, 52, 0, 0, 0, 0, 0 };
	const struct ipc_ds_layout *l = ctx->call->arch == PTRC_ARCH_X86_64 ?
		&l_x86_64 : ctx_word_size(ctx) == 8 ? &l64 : &l32;
	unsigned char b[104];
	if (!ctx_fetch(ctx, ctx->value, b, l->size))
		return;
	print_ipc_perm(ctx, "sem_perm", b, set);
	if (!set)
		sb_printf(ctx->sb, ", sem_otime=%llu, sem_ctime=%llu, "
			  "sem_nsems=%llu", word_at(ctx, b, l->a),
			  word_at(ctx, b, l->b), word_at(ctx, b, l->c));
	sb_putc(ctx->sb, '}');
}

void print_semid_ds_set(const struct arg_ctx *ctx) { print_semid_ds(ctx, true); }
void print_semid_ds_out(const struct arg_ctx *ctx)
{
	if (ctx_exit_ok(ctx))
		print_semid_ds(ctx, false);
}

/* struct seminfo: ten ints */
void print_seminfo_out(const struct arg_ctx *ctx)
{
	static const char *const names[] = {
		"semmap", "semmni", "semmns", "semmnu", "semmsl", "semopm",
		"semume", "semusz", "semvmx", "semaem",
	};
	print_info(ctx, names, ARRAY_COUNT(names), 4, NULL);
}

/* struct shmid64_ds */
static void print_shmid_ds(const struct arg_ctx *ctx, bool set)
{
	/* segsz, cpid, lpid, nattch, atime, dtime, ctime */
	static const struct ipc_ds_layout l64 = { 112, 48, 80, 84, 88, 56, 64, 72, 0 };
	static const struct ipc_ds_layout l32 = { 84, 36, 64, 68, 72, 40, 48, 56, 0 };
	const struct ipc_ds_layout *l = ctx_word_size(ctx) == 8 ? &l64 : &l32;
	unsigned char b[112];
	if (!ctx_fetch(ctx, ctx->value, b, l->size))
		return;
	print_ipc_perm(ctx, "shm_perm", b, set);
	if (!set)
		sb_printf(ctx->sb, ", shm_segsz=%llu, shm_cpid=%d, shm_lpid=%d, "
			  "shm_nattch=%llu, shm_atime=%llu, shm_dtime=%llu, "
			  "shm_ctime=%llu", word_at(ctx, b, l->a),
			  (int)field_s(b, l->b, 4), (int)field_s(b, l->c, 4),
			  word_at(ctx, b, l->d), word_at(ctx, b, l->e),
			  word_at(ctx, b, l->f), word_at(ctx, b, l->g));
	sb_putc(ctx->sb, '}');
}

void print_shmid_ds_set(const struct arg_ctx *ctx) { print_shmid_ds(ctx, true); }

void print_shmid_ds_out(const struct arg_ctx *ctx)
{
	if (ctx_exit_ok(ctx))
		print_shmid_ds(ctx, false);
}

/* struct shminfo64: five words (IPC_INFO) */
void print_shminfo_out(const struct arg_ctx *ctx)
{
	static const char *const names[] = {
		"shmmax", "shmmin", "shmmni", "shmseg", "shmall",
	};
	print_info(ctx, names, ARRAY_COUNT(names), ctx_word_size(ctx), NULL);
}

/* struct shm_info: an int, then five words (SHM_INFO) */
void print_shm_info_out(const struct arg_ctx *ctx)
{
	static const char *const names[] = {
		"shm_tot", "shm_rss", "shm_swp", "swap_attempts",
		"swap_successes",
	};
	unsigned w = ctx_word_size(ctx);
	unsigned char b[48];
	if (!ctx_exit_ok(ctx) || !ctx_fetch(ctx, ctx->value, b, 6 * w))
		return;
	sb_printf(ctx->sb, "{used_ids=%d", (int)field_s(b, 0, 4));
	for (size_t i = 0; i < ARRAY_COUNT(names); i++)
		sb_printf(ctx->sb, ", %s=%llu", names[i],
			  word_at(ctx, b, w * (i + 1)));
	sb_putc(ctx->sb, '}');
}
