/* -e verbose=SET: which calls' structures are read. strace 6.1 prints the
 * structures, arrays and return suffixes of the calls outside the set as
 * addresses (its verbose(tcp) checks in tfetch_mem, print_array, poll,
 * select, recvmmsg, setsockopt...); strings are still read. The return
 * printers' side is verbose_ret.c. */
#include "printers.h"

bool decode_call_derefs(const struct ptrc_config *config,
			const struct syscall_call *call)
{
	const uint8_t *set = config->verbose_set;
	const struct syscall_sig *sig = call->sig;
	return !set || !sig ||
	       config_set_has(set, call->arch, (unsigned)(sig - syscall_sigs));
}

bool ctx_deref(const struct arg_ctx *ctx)
{
	return decode_call_derefs(ctx->d->config, ctx->call);
}
