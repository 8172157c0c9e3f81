/* struct sigevent (timer_create, mq_notify), as strace 6.1 prints it:
 * "{sigev_value={sival_int=1, sival_ptr=0x1}, sigev_signo=SIGUSR1,
 * sigev_notify=SIGEV_THREAD_ID, sigev_notify_thread_id=42}", the value
 * only when not NULL, the signal by name for the notifications that
 * deliver one.
 *
 * strace reads the fields it knows, no more: 32 bytes for 64-bit tracees
 * (an 8-byte sigev_value, signo, notify, then the thread id or the
 * function and attributes pointers), 20 for i386. */
#include "structs.h"

#include <signal.h>

#include "flags.h"

#ifndef SIGEV_THREAD_ID
#define SIGEV_THREAD_ID 4
#endif

void print_sigevent_in(const struct arg_ctx *ctx)
{
	unsigned char b[32];
	unsigned w = ctx_word_size(ctx);
	size_t size = w == 8 ? 32 : 20;
	if (!ctx_fetch(ctx, ctx->value, b, size))
		return;
	struct strbuf *sb = ctx->sb;
	uint64_t value = field_u(b, 0, w);
	size_t signo_at = w, notify_at = w + 4, un_at = w + 8;
	int32_t signo = (int32_t)field_s(b, signo_at, 4);
	uint32_t notify = (uint32_t)field_u(b, notify_at, 4);
	sb_putc(sb, '{');
	if (value) {
		sb_printf(sb, "sigev_value={sival_int=%d, sival_ptr=",
			  (int)field_s(b, 0, 4));
		ctx_print_ptr(ctx, value);
		sb_puts(sb, "}, ");
	}
	sb_puts(sb, "sigev_signo=");
	if (notify == SIGEV_SIGNAL || notify == SIGEV_THREAD ||
	    notify == SIGEV_THREAD_ID)
		print_signal_number(sb, (uint32_t)signo);
	else
		sb_printf(sb, "%u", (unsigned)signo);
	sb_puts(sb, ", sigev_notify=");
	ctx_print_enum(ctx, &xlat_sigev_notify, notify, NULL);
	if (notify == SIGEV_THREAD_ID) {
		sb_printf(sb, ", sigev_notify_thread_id=%d",
			  (int)field_s(b, un_at, 4));
	} else if (notify == SIGEV_THREAD) {
		sb_puts(sb, ", sigev_notify_function=");
		ctx_print_ptr(ctx, field_u(b, un_at, w));
		sb_puts(sb, ", sigev_notify_attributes=");
		ctx_print_ptr(ctx, field_u(b, un_at + w, w));
	}
	sb_putc(sb, '}');
}
