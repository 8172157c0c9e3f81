/* prctl(option, arg2, arg3, arg4, arg5) as strace 6.1 prints it: the
 * option, then the arguments that option uses, each by its meaning
 * (flags_prctl_vals.c, flags_prctl_vec.c), the others of an option strace
 * knows left out, all four in hex for an option it does not know; the
 * values the kernel stores at exit; and what PR_GET_* options return. */
#include "flags.h"

#include <sys/prctl.h>

#include "flags_prctl.h"
#include "structs.h"
#include "xlat_tables.h"

#define PRCTL_ARGS 4   /* arg2..arg5 */

/* How an option's arguments print: the first SHOWN of arg2..arg5, each by
 * its printer (NULL: hex); AT_EXIT: from arg2 on, at the call's exit. */
struct prctl_shape {
	uint32_t option;
	unsigned shown;
	arg_printer arg[PRCTL_ARGS];
	bool at_exit;
};

static const struct prctl_shape shape_all_hex = { 0, 4, { NULL }, false };

/* Options whose shape does not depend on arg2. */
static const struct prctl_shape prctl_shapes[] = {
	{ PR_GET_KEEPCAPS, 0, { NULL }, false },
	{ PR_GET_SECCOMP, 0, { NULL }, false },
	{ PR_GET_TIMERSLACK, 0, { NULL }, false },
	{ PR_GET_TIMING, 0, { NULL }, false },
	{ PR_GET_DUMPABLE, 0, { NULL }, false },
	{ PR_GET_SECUREBITS, 0, { NULL }, false },
	{ PR_GET_FP_MODE, 0, { NULL }, false },
	{ PR_SVE_GET_VL, 0, { NULL }, false },
	{ PR_SME_GET_VL, 0, { NULL }, false },
	{ PR_TASK_PERF_EVENTS_DISABLE, 0, { NULL }, false },
	{ PR_TASK_PERF_EVENTS_ENABLE, 0, { NULL }, false },
	{ PR_GET_CHILD_SUBREAPER, 1, { prctl_print_uint_ref }, true },
	{ PR_GET_ENDIAN, 1, { prctl_print_uint_ref }, true },
	{ PR_GET_FPEMU, 1, { prctl_print_uint_ref }, true },
	{ PR_GET_FPEXC, 1, { prctl_print_uint_ref }, true },
	{ PR_GET_NAME, 1, { prctl_print_comm_out }, true },
	{ PR_GET_PDEATHSIG, 1, { prctl_print_signal_ref }, true },
	{ PR_GET_TID_ADDRESS, 1, { prctl_print_kptr_ref }, true },
	{ PR_GET_TSC, 1, { prctl_print_tsc_ref }, true },
	{ PR_GET_UNALIGN, 1, { prctl_print_unalign_ref }, true },
	{ PR_SVE_SET_VL, 1, { prctl_print_sve_vl }, false },
	{ PR_SME_SET_VL, 1, { prctl_print_sme_vl }, false },
	{ PR_GET_SPECULATION_CTRL, 1, { prctl_print_spec_cmd }, false },
	{ PR_SET_TAGGED_ADDR_CTRL, 4, { prctl_print_tagged_addr }, false },
	{ PR_SET_CHILD_SUBREAPER, 1, { prctl_print_udec }, false },
	{ PR_SET_ENDIAN, 1, { prctl_print_udec }, false },
	{ PR_SET_FPEMU, 1, { prctl_print_udec }, false },
	{ PR_SET_FPEXC, 1, { prctl_print_udec }, false },
	{ PR_SET_KEEPCAPS, 1, { prctl_print_udec }, false },
	{ PR_SET_TIMING, 1, { prctl_print_udec }, false },
	{ PR_SET_DUMPABLE, 1, { prctl_print_dumpable }, false },
	{ PR_CAPBSET_DROP, 1, { prctl_print_capability }, false },
	{ PR_CAPBSET_READ, 1, { prctl_print_capability }, false },
	{ PR_SET_NAME, 1, { prctl_print_comm_in }, false },
	{ PR_SET_MM, 4, { prctl_print_set_mm }, false },
	{ PR_SET_PDEATHSIG, 1, { prctl_print_signal }, false },
	{ PR_SET_PTRACER, 1, { prctl_print_ptracer }, false },
	{ PR_SET_SECUREBITS, 1, { prctl_print_secbits }, false },
	{ PR_SET_TIMERSLACK, 1, { prctl_print_sdec }, false },
	{ PR_SET_TSC, 1, { prctl_print_tsc }, false },
	{ PR_SET_UNALIGN, 1, { prctl_print_unalign }, false },
	{ PR_SET_NO_NEW_PRIVS, 4, { prctl_print_udec }, false },
	{ PR_SET_THP_DISABLE, 4, { prctl_print_udec }, false },
	{ PR_SET_IO_FLUSHER, 4, { prctl_print_udec }, false },
	{ PR_SET_FP_MODE, 1, { prctl_print_fp_mode }, false },
	{ PR_PAC_RESET_KEYS, 4, { prctl_print_pac_reset_keys }, false },
	{ PR_PAC_SET_ENABLED_KEYS, 4,
	  { prctl_print_pac_keys, prctl_print_pac_keys }, false },
	{ PR_SET_SYSCALL_USER_DISPATCH, 4,
	  { prctl_print_sud_cmd, NULL, NULL, print_arg_ptr }, false },
};

/* Options whose arg2 decides what the others are. */
static const struct prctl_shape shape_cap_ambient_cap =
	{ PR_CAP_AMBIENT, 4,
	  { prctl_print_cap_ambient_op, prctl_print_capability }, false };
static const struct prctl_shape shape_cap_ambient =
	{ PR_CAP_AMBIENT, 4, { prctl_print_cap_ambient_op }, false };
static const struct prctl_shape shape_mce_kill_set =
	{ PR_MCE_KILL, 4,
	  { prctl_print_mce_kill, prctl_print_mce_kill_policy }, false };
static const struct prctl_shape shape_mce_kill =
	{ PR_MCE_KILL, 4, { prctl_print_mce_kill }, false };
static const struct prctl_shape shape_vma_anon_name =
	{ PR_SET_VMA, 4, { prctl_print_vma_op, print_arg_ptr,
			   prctl_print_udec, prctl_print_vma_name }, false };
static const struct prctl_shape shape_vma =
	{ PR_SET_VMA, 4, { prctl_print_vma_op }, false };
static const struct prctl_shape shape_seccomp_strict =
	{ PR_SET_SECCOMP, 1, { prctl_print_seccomp_mode }, false };
static const struct prctl_shape shape_seccomp_filter =
	{ PR_SET_SECCOMP, 2,
	  { prctl_print_seccomp_mode, print_seccomp_fprog },
	  false };
static const struct prctl_shape shape_seccomp =
	{ PR_SET_SECCOMP, 4, { prctl_print_seccomp_mode }, false };
static const struct prctl_shape shape_spec_set =
	{ PR_SET_SPECULATION_CTRL, 2,
	  { prctl_print_spec_cmd, prctl_print_spec_set }, false };
static const struct prctl_shape shape_spec =
	{ PR_SET_SPECULATION_CTRL, 2, { prctl_print_spec_cmd }, false };
static const struct prctl_shape shape_sched_core =
	{ PR_SCHED_CORE, 4, { prctl_print_sched_core_cmd, prctl_print_int,
			      prctl_print_sched_core_pidtype, print_arg_ptr },
	  false };

/* strace compares these sub-commands with the whole register. */
static const struct prctl_shape *prctl_shape_by_arg2(uint32_t option,
						      uint64_t arg2)
{
	switch (option) {
	case PR_CAP_AMBIENT:
		return arg2 >= PR_CAP_AMBIENT_IS_SET &&
		       arg2 <= PR_CAP_AMBIENT_LOWER
			? &shape_cap_ambient_cap : &shape_cap_ambient;
	case PR_MCE_KILL:
		return arg2 == PR_MCE_KILL_SET ? &shape_mce_kill_set
					       : &shape_mce_kill;
	case PR_SET_VMA:
		return arg2 == PR_SET_VMA_ANON_NAME ? &shape_vma_anon_name
						    : &shape_vma;
	case PR_SET_SECCOMP:
		if (arg2 == 1 /* SECCOMP_MODE_STRICT */)
			return &shape_seccomp_strict;
		return arg2 == 2 /* SECCOMP_MODE_FILTER */
			? &shape_seccomp_filter : &shape_seccomp;
	case PR_SET_SPECULATION_CTRL:
		return arg2 <= PR_SPEC_L1D_FLUSH ? &shape_spec_set : &shape_spec;
	case PR_SCHED_CORE:
		return &shape_sched_core;
	}
	return NULL;
}

static const struct prctl_shape *prctl_shape(uint32_t option, uint64_t arg2)
{
	const struct prctl_shape *s = prctl_shape_by_arg2(option, arg2);
	if (s)
		return s;
	for (size_t i = 0; i < sizeof prctl_shapes / sizeof *prctl_shapes; i++)
		if (prctl_shapes[i].option == option)
			return &prctl_shapes[i];
	return &shape_all_hex;
}

void print_prctl_op(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_prctl_op, (uint32_t)ctx->value, NULL);
}

void layout_prctl_op(const struct syscall_call *call, unsigned index,
		     struct arg_layout layout[SYSCALL_MAX_ARGS])
{
	if (index != 0 || call->sig->nargs < 1 + PRCTL_ARGS)
		return;
	uint32_t option = (uint32_t)call->args[0];
	uint64_t arg2 = call_word(call, call->args[1]);
	const struct prctl_shape *s = prctl_shape(option, arg2);
	for (unsigned i = 0; i < PRCTL_ARGS; i++) {
		struct arg_layout *l = &layout[1 + i];
		l->omit = i >= s->shown;
		l->print = s->arg[i] ? s->arg[i] : prctl_print_hex;
	}
	layout[1].at_exit = s->at_exit;
	/* PR_SCHED_CORE_GET: the cookie the kernel stores */
	if (option == PR_SCHED_CORE &&
	    (uint32_t)arg2 == PR_SCHED_CORE_GET) {
		layout[4].print = prctl_print_cookie_ref;
		layout[4].at_exit = true;
	}
}

/* What the PR_GET_* options return: "= 1 (SUID_DUMP_USER)", "= 0x11
 * (SECBIT_NOROOT|SECBIT_KEEP_CAPS)". strace names a plain value (a
 * decimal with its name, whatever -X says) or the bits of a hex one. */
static bool ret_prctl_named(struct strbuf *sb, const struct xlat *x,
			    int64_t rval)
{
	const char *name = xlat_name(x, (uint64_t)rval);
	if (!name)
		return false;
	sb_printf(sb, "%lld (%s)", (long long)rval, name);
	return true;
}

bool ret_prctl_op(struct strbuf *sb, enum xlat_style style,
		  const struct syscall_call *call, unsigned index, int64_t rval)
{
	uint64_t arg2 = call_word(call, call->args[1]);
	uint64_t v = call_word(call, (uint64_t)rval);
	switch ((uint32_t)call->args[index]) {
	case PR_GET_DUMPABLE:
		return ret_prctl_named(sb, &xlat_suid_dump, rval);
	case PR_MCE_KILL_GET:
		return ret_prctl_named(sb, &xlat_pr_mce_kill_policy, rval);
	case PR_GET_SECUREBITS:
		if (!v)
			return false;
		prctl_ret_flags(sb, style, &xlat_secbits, v);
		return true;
	case PR_GET_FP_MODE:
		if (!v)
			return false;
		prctl_ret_flags(sb, style, &xlat_pr_fp_mode, v);
		return true;
	case PR_PAC_GET_ENABLED_KEYS:
		prctl_ret_flags(sb, style, &xlat_pr_pac_enabled_keys, v);
		return true;
	case PR_GET_SPECULATION_CTRL:
		if (arg2 > PR_SPEC_L1D_FLUSH)
			return false;
		prctl_ret_flags(sb, style, &xlat_pr_spec_state, v);
		return true;
	case PR_SVE_SET_VL: case PR_SVE_GET_VL:
		prctl_ret_sve_vl(sb, style, v);
		return true;
	case PR_SME_SET_VL: case PR_SME_GET_VL:
		prctl_ret_sme_vl(sb, style, v);
		return true;
	case PR_GET_TAGGED_ADDR_CTRL:
		prctl_ret_tagged_addr(sb, style, v);
		return true;
	}
	return false;
}
