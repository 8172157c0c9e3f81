/* ptrc stack PID...: a snapshot of every thread's stack of live processes
 * (like eu-stack -p PID -s -i), then detach; the processes go on.
 *
 * Exit status, as eu-stack's: */
#define STACK_EXIT_ALL 0      /* every thread's walk reached its outermost frame */
#define STACK_EXIT_PARTIAL 1  /* some frames, but some walk stopped early */
#define STACK_EXIT_NONE 2     /* not one frame */

#include "ptrc/modes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptrc/json.h"
#include "ptrc/stack.h"
#include "ptrc/strbuf.h"

static pid_t tgid_of(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "re");
	pid_t tgid = pid;
	if (!f)
		return pid;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "Tgid: %d", &tgid) == 1)
			break;
	fclose(f);
	return tgid;
}

static int by_tid(const void *a, const void *b)
{
	const struct stack_thread *x = a, *y = b;
	return (x->tid > y->tid) - (x->tid < y->tid);
}

/* The threads' stacks (and, in JSON, the modules of S when not NULL) of
 * process TGID into SB; KIND is "process" or "core". */
static void print_snapshot(const struct ptrc_config *config, struct strbuf *sb,
		pid_t tgid, const char *kind, struct stack_session *s,
		const struct stack_thread *threads, size_t n)
{
	struct stack_module *modules = NULL;
	size_t nmodules = 0;
	if (config->json) {
		if (s)
			stack_session_modules(s, &modules, &nmodules);
		sb_printf(sb, "{\"pid\":%d,\"unwinder\":\"%s\",", (int)tgid,
			  stack_backend_name(config->unwinder));
		if (config->core_path) {
			sb_puts(sb, "\"core\":");
			json_string_or_null(sb, config->core_path);
			sb_putc(sb, ',');
		}
		sb_puts(sb, "\"threads\":[");
		for (size_t i = 0; i < n && threads; i++) {
			if (i)
				sb_putc(sb, ',');
			stack_print_json(sb, &threads[i], false);
		}
		sb_puts(sb, "],\"modules\":");
		stack_print_modules_json(sb, modules, nmodules);
		sb_puts(sb, "}\n");
	} else {
		sb_printf(sb, "PID %d - %s\n", (int)tgid, kind);
		for (size_t i = 0; i < n && threads; i++) {
			stack_print_text(sb, &threads[i], NULL);
			sb_putc(sb, '\n');
		}
	}
	free(modules);
}

/* Snapshot of one process into SB; *ANY_FRAMES / *ALL_COMPLETE updated. */
static void snapshot(const struct ptrc_config *config, struct engine *e,
		     pid_t tgid, struct strbuf *sb, bool *any_frames,
		     bool *all_complete)
{
	struct tracee **tracees = NULL;
	size_t n = engine_stop_process(e, tgid, NULL, 5000, &tracees);
	struct stack_thread *threads = calloc(n ? n : 1, sizeof *threads);
	/* --values: per thread, freed before its thread (frames point in). */
	struct stack_values **values = calloc(n ? n : 1, sizeof *values);
	char *error = NULL;
	struct stack_session *s = n && threads ?
		stack_session_open(tgid, (enum stack_backend)config->unwinder,
				   &error) : NULL;
	for (size_t i = 0; i < n && threads && values; i++) {
		if (!s || !tracees[i]->stopped) {
			threads[i] = (struct stack_thread){ .tid = tracees[i]->tid };
			threads[i].stop_reason = strdup(!s ? (error ? error :
				"out of memory") : "the thread did not stop in time");
		} else {
			stack_unwind_thread(s, tracees[i]->tid, &threads[i],
					    STACK_PRINT_MAX_FRAMES);
		}
		*any_frames |= threads[i].nframes > 0;
		*all_complete &= threads[i].walk == STACK_WALK_COMPLETE;
	}
	if (!n)
		*all_complete = false;
	if (threads)
		qsort(threads, n, sizeof *threads, by_tid);
	/* After the sort: the values point at their thread. A thread that
	 * did not stop has no frames, and gets none. */
	for (size_t i = 0; i < n && s && values && config->stack_values; i++)
		if (threads[i].nframes)
			values[i] = stack_read_values(s, &threads[i], NULL, 0,
					STACK_PRINT_HEAD, config->stack_locals);

	print_snapshot(config, sb, tgid, "process", s, threads, n);
	/* Let the process go before anything slow (writing) happens. */
	engine_detach_process(e, tgid, NULL, 0);
	for (size_t i = 0; i < n && threads; i++) {
		stack_values_free(values ? values[i] : NULL);
		stack_thread_free(&threads[i]);
	}
	free(values);
	free(threads);
	free(tracees);
	free(error);
	stack_session_close(s);
}

/* ptrc stack --core FILE: every thread of the core, in tid order as for
 * a live process. */
static int core_command(const struct ptrc_config *config, struct out *out)
{
	char *error = NULL;
	struct stack_session *s = stack_session_open_core(config->core_path,
			config->core_exe, &error);
	if (!s) {
		fprintf(stderr, "ptrc: %s\n", error ? error : "out of memory");
		free(error);
		return PTRC_EXIT_BAD_CORE;
	}
	pid_t *tids = NULL;
	size_t n = 0;
	struct stack_thread *threads = NULL;
	if (stack_session_core_tids(s, &tids, &n) != 0 || !n ||
	    !(threads = calloc(n, sizeof *threads))) {
		fprintf(stderr, "ptrc: %s: corrupt core (cannot list its "
			"threads)\n", config->core_path);
		free(tids);
		stack_session_close(s);
		return PTRC_EXIT_BAD_CORE;
	}
	bool any_frames = false, all_complete = true;
	for (size_t i = 0; i < n; i++) {
		stack_unwind_thread(s, tids[i], &threads[i],
				    STACK_PRINT_MAX_FRAMES);
		any_frames |= threads[i].nframes > 0;
		all_complete &= threads[i].walk == STACK_WALK_COMPLETE;
	}
	qsort(threads, n, sizeof *threads, by_tid);
	struct strbuf sb;
	sb_init(&sb);
	print_snapshot(config, &sb, stack_session_pid(s), "core", s, threads, n);
	out_write(out, sb.data, sb.len);
	sb_free(&sb);
	for (size_t i = 0; i < n; i++)
		stack_thread_free(&threads[i]);
	free(threads);
	free(tids);
	stack_session_close(s);
	if (out_flush(out) < 0)
		return PTRC_EXIT_OUTPUT;
	return all_complete ? STACK_EXIT_ALL : any_frames ? STACK_EXIT_PARTIAL :
	       STACK_EXIT_NONE;
}

int stack_command(const struct ptrc_config *config, struct out *out)
{
	if (config->core_path)
		return core_command(config, out);
	static const struct mode_ops no_ops;
	bool any_frames = false, all_complete = true;
	struct strbuf sb;
	sb_init(&sb);
	for (unsigned i = 0; i < config->npids; i++) {
		struct engine *e = engine_new(config, &no_ops, NULL);
		if (!e) {
			fputs("ptrc: out of memory\n", stderr);
			return PTRC_EXIT_INTERNAL;
		}
		int status = engine_attach(e, config->pids[i]);
		if (status != PTRC_EXIT_OK) {
			engine_detach_all(e);
			engine_free(e);
			sb_free(&sb);
			return status;
		}
		snapshot(config, e, tgid_of(config->pids[i]), &sb, &any_frames,
			 &all_complete);
		engine_free(e);
		if (sb.len)
			out_write(out, sb.data, sb.len);
		sb_reset(&sb);
	}
	sb_free(&sb);
	if (out_flush(out) < 0)
		return PTRC_EXIT_OUTPUT;
	return all_complete ? STACK_EXIT_ALL : any_frames ? STACK_EXIT_PARTIAL :
	       STACK_EXIT_NONE;
}
