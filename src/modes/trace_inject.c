/* -e inject= / -e fault= in the trace mode: at a shown syscall's entry,
 * whether this call of the thread is one the rule's when= picks, and if
 * so what the engine is asked to do to it (engine_tamper_entry). As in
 * strace, each thread counts its own calls, from its first (a new thread
 * or process starts at 1), per syscall; calls that are not traced (-e
 * trace=, -P, ptrc run's own start) are neither counted nor changed. */
#include "trace_inject.h"

#include <stdio.h>
#include <stdlib.h>

#include "ptrc/syscalls.h"

/* A thread's count for one syscall: calls left until the next injection
 * (0: no more), and calls left until LAST (INJECT_LAST_INF: no end). */
struct inject_count {
	uint16_t first, last;
};

/* The rule for syscall INDEX of ARCH, or NULL. */
static const struct inject_rule *rule_of(const struct ptrc_config *config,
					 enum ptrc_arch arch, unsigned index)
{
	if (arch >= PTRC_ARCH_COUNT)
		return NULL;
	unsigned r = config->inject_of_sig[arch * syscall_sig_count + index];
	return r ? &config->inject_rules[r - 1] : NULL;
}

/* T's counts (a thread's own, as strace's per-tcb copy of its
 * personality's, made at its first injectable call). */
static struct inject_count *counts_of(const struct ptrc_config *config,
				      struct trace_tracee *ts,
				      enum ptrc_arch arch)
{
	if (ts->inject_counts)
		return ts->inject_counts;
	ts->inject_counts = calloc(syscall_sig_count, sizeof *ts->inject_counts);
	if (!ts->inject_counts)
		return NULL;
	for (unsigned i = 0; i < syscall_sig_count; i++) {
		const struct inject_rule *rule = rule_of(config, arch, i);
		if (rule) {
			ts->inject_counts[i].first = rule->first;
			ts->inject_counts[i].last = rule->last;
		}
	}
	return ts->inject_counts;
}

/* Is this call one the rule picks? Moves the thread's count on. */
static bool picked(struct inject_count *c, const struct inject_rule *rule)
{
	if (c->first == 0 || c->last == 0)
		return false;
	if (c->last != INJECT_LAST_INF)
		c->last--;
	if (--c->first != 0)
		return false;
	c->first = rule->step;
	return true;
}

void trace_inject_entry(struct trace_mode *m, struct tracee *t,
			const struct syscall_call *call)
{
	const struct ptrc_config *config = m->config;
	const struct syscall_sig *sig = syscall_shown_sig(call);
	if (!config->inject_of_sig || !sig)
		return;
	unsigned index = (unsigned)(sig - syscall_sigs);
	const struct inject_rule *rule = rule_of(config, t->arch, index);
	if (!rule)
		return;
	struct inject_count *counts = counts_of(config, trace_state(t), t->arch);
	if (!counts || !picked(&counts[index], rule))
		return;
	struct syscall_tamper how = {
		.replace = rule->error || rule->retval,
		.nr = -1,
		.rval = rule->error ? -(int64_t)rule->value : (int64_t)rule->value,
		.signal = rule->signal,
		.delay_enter_us = rule->delay_enter ? rule->delay_enter_us : 0,
		.delay_exit_us = rule->delay_exit ? rule->delay_exit_us : 0,
	};
	if (how.replace && rule->replace_sig >= 0)
		how.nr = syscall_number(t->arch,
					syscall_sigs[rule->replace_sig].name);
	engine_tamper_entry(m->engine, t, &how);
}

void trace_inject_note(struct strbuf *sb, const struct tracee *t)
{
	if (t->tamper.replaced)
		sb_puts(sb, " (INJECTED)");
	if (t->tamper.delayed)
		sb_puts(sb, " (DELAYED)");
}
