/* Gathering and printing a crash report (see crash_report.h).
 *
 * Text layout, top to bottom as a person reads it: what died and why, the
 * build of the program, warnings, the crashed thread's registers, every
 * thread's stack (the crashed one first), the modules with build-ids. */
#include "crash_report.h"
#include "crash_core.h"
#include "crash_ctx_read.h"

#include <elf.h>
#include <elfutils/libdwelf.h>
#include <elfutils/libdwfl.h>
#include <dwarf.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <unistd.h>

#include "ptrc/decode.h"
#include "ptrc/escape.h"
#include "ptrc/json.h"

static void add_warning(struct crash_report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add_warning(struct crash_report *r, const char *fmt, ...)
{
	char **w = realloc(r->warnings, (r->nwarnings + 1) * sizeof *w);
	if (!w)
		return;
	r->warnings = w;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&w[r->nwarnings], fmt, ap) >= 0)
		r->nwarnings++;
	va_end(ap);
}

/* The GNU build-id note of the ELF file at PATH, in hex, or NULL. */
static char *file_build_id(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	elf_version(EV_CURRENT);
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	char *hex = NULL;
	const void *bits;
	ssize_t len = elf ? dwelf_elf_gnu_build_id(elf, &bits) : -1;
	if (len > 0 && len <= 64 && (hex = malloc(2 * (size_t)len + 1))) {
		for (ssize_t i = 0; i < len; i++)
			sprintf(hex + 2 * i, "%02x", ((const unsigned char *)bits)[i]);
	}
	if (elf)
		elf_end(elf);
	close(fd);
	return hex;
}

/* DW_AT_producer of the CU that holds main (or of the first CU). */
static void find_producer(struct crash_report *r, const char *path)
{
	/* the stacks' search (PTRC_DEBUGINFO_PATH) and debug-file cache */
	Dwfl *dwfl = stack_offline_dwfl_begin();
	if (!dwfl)
		return;
	Dwfl_Module *mod = dwfl_report_offline(dwfl, "main", path, -1);
	dwfl_report_end(dwfl, NULL, NULL);
	Dwarf_Addr bias;
	Dwarf *dw = mod ? dwfl_module_getdwarf(mod, &bias) : NULL;
	if (!dw) {
		dwfl_end(dwfl);
		return;
	}
	Dwarf_Die cu_mem, *cu = NULL;
	int nsyms = dwfl_module_getsymtab(mod);
	for (int i = 1; i < nsyms && !cu; i++) {
		GElf_Sym sym;
		GElf_Addr addr;
		const char *name = dwfl_module_getsym_info(mod, i, &sym, &addr,
				NULL, NULL, NULL);
		if (name && strcmp(name, "main") == 0 &&
		    GELF_ST_TYPE(sym.st_info) == STT_FUNC)
			cu = dwfl_module_addrdie(mod, addr, &bias);
	}
	if (!cu) {
		Dwarf_Off off = 0, next;
		size_t header;
		if (dwarf_nextcu(dw, off, &next, &header, NULL, NULL, NULL) == 0)
			cu = dwarf_offdie(dw, off + header, &cu_mem);
	}
	Dwarf_Attribute attr;
	const char *producer = cu ? dwarf_formstring(dwarf_attr(cu,
			DW_AT_producer, &attr)) : NULL;
	const char *name = cu ? dwarf_diename(cu) : NULL;
	if (producer)
		r->producer = strdup(producer);
	if (name)
		r->producer_cu = strdup(name);
	dwfl_end(dwfl);
}

static void read_registers(struct crash_report *r)
{
	struct iovec iov = { r->regs, sizeof r->regs };
	if (ptrace(PTRACE_GETREGSET, r->tid, (void *)NT_PRSTATUS, &iov) == 0)
		r->regs_size = iov.iov_len;
}

static bool signal_has_address(const siginfo_t *si)
{
	if (si->si_code <= 0)
		return false;  /* sent by a process (kill, tgkill, sigqueue) */
	switch (si->si_signo) {
	case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGTRAP:
		return true;
	}
	return false;
}

/* The maps line holding ADDR, else the nearest ones below and above. */
static void find_mapping(struct crash_report *r)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/maps", (int)r->pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	char *line = NULL;
	size_t size = 0;
	ssize_t len;
	while ((len = getline(&line, &size, f)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		unsigned long long lo, hi;
		if (sscanf(line, "%llx-%llx", &lo, &hi) != 2)
			continue;
		if (r->address >= lo && r->address < hi) {
			r->mapping = strdup(line);
			break;
		}
		if (hi <= r->address) {
			free(r->below);
			r->below = strdup(line);
		} else if (!r->above) {
			r->above = strdup(line);
			break;
		}
	}
	free(line);
	fclose(f);
	if (r->mapping) {
		free(r->below);
		free(r->above);
		r->below = r->above = NULL;
	}
}

/* The crash signature of a thread: 16 hex digits of a 64-bit FNV-1a hash
 * of its function names, innermost first, repeats (recursion) collapsed,
 * at most 32 names. */
static void crash_signature(const struct stack_thread *t, char out[17])
{
	uint64_t h = 0xcbf29ce484222325ull;
	const char *last = NULL;
	unsigned used = 0;
	for (size_t i = 0; i < t->nframes && used < 32; i++) {
		const char *name = t->frames[i].function;
		if (!name || (last && strcmp(name, last) == 0))
			continue;
		for (const char *p = name; *p; p++) {
			h ^= (unsigned char)*p;
			h *= 0x100000001b3ull;
		}
		h ^= '\n';
		h *= 0x100000001b3ull;
		last = name;
		used++;
	}
	snprintf(out, 17, "%016" PRIx64, h);
}

static int by_tid(const void *a, const void *b)
{
	const struct stack_thread *x = a, *y = b;
	return (x->tid > y->tid) - (x->tid < y->tid);
}

/* The command line, the executable, its build-ids (running and on disk)
 * and its compiler. */
static void read_executable(struct crash_report *r, pid_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
	int cut;
	r->cmdline = ctx_read_file(path, 64 * 1024, &r->cmdline_len, &cut);
	snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
	r->exe = ctx_read_link(path);
	r->build_id = file_build_id(path);

	const char *deleted = r->exe ? strstr(r->exe, " (deleted)") : NULL;
	if (deleted && deleted[10] == '\0') {
		add_warning(r, "the executable was deleted or replaced on disk "
			    "after the process started: the running program is "
			    "not the file at that path");
		find_producer(r, path);
	} else if (r->exe) {
		r->disk_build_id = file_build_id(r->exe);
		bool replaced = r->build_id && r->disk_build_id &&
				strcmp(r->build_id, r->disk_build_id) != 0;
		if (replaced)
			add_warning(r, "the executable on disk (build-id %s) is not "
				    "the running image (build-id %s): the program "
				    "being executed is not the one on disk",
				    r->disk_build_id, r->build_id);
		/* The compiler of the running image, not of the file now at
		 * its path (whose debuglink would not match either). */
		find_producer(r, replaced ? path : r->exe);
	}
}

/* Every thread's stack, the crashed thread first, the others by tid. */
static void collect_stacks(struct crash_report *r, const pid_t *tids,
			   const bool *stopped, size_t ntids)
{
	r->threads = calloc(ntids ? ntids : 1, sizeof *r->threads);
	if (!r->threads)
		return;
	r->nthreads = ntids;
	for (size_t i = 0; i < ntids; i++) {
		struct stack_thread *t = &r->threads[i];
		if (!r->session || !stopped[i]) {
			*t = (struct stack_thread){ .tid = tids[i] };
			t->stop_reason = strdup(!stopped[i] ?
				"the thread did not stop in time" : "no stack session");
			continue;
		}
		stack_unwind_thread(r->session, tids[i], t, STACK_PRINT_MAX_FRAMES);
	}
	if (ntids > 2)
		qsort(r->threads + 1, ntids - 1, sizeof *r->threads, by_tid);
	for (size_t i = 1; i < ntids; i++)
		if (!stopped[i])
			add_warning(r, "thread %d did not stop within 5 s: no stack",
				    (int)tids[i]);
}

/* From a core file: crash_core.c reads it; the address and the
 * signature are judged as for a live crash. */
static void collect_core(struct crash_report *r)
{
	crash_core_collect(r);
	r->has_address = signal_has_address(&r->si);
	r->address = (uint64_t)(uintptr_t)r->si.si_addr;
	if (r->has_address)
		crash_core_mapping(r);
	if (r->nthreads)
		crash_signature(&r->threads[0], r->signature);
}

void crash_report_collect(struct crash_report *r, pid_t pid, const pid_t *tids,
			  const bool *stopped, size_t ntids, const siginfo_t *si,
			  int backend, bool hold)
{
	if (r->core) {
		collect_core(r);
		return;
	}
	r->pid = pid;
	r->tid = tids[0];
	r->si = *si;
	r->hold = hold;
	r->backend = stack_backend_name(backend);
	read_registers(r);
	read_executable(r, pid);

	r->has_address = signal_has_address(si);
	if (r->has_address) {
		r->address = (uint64_t)(uintptr_t)si->si_addr;
		find_mapping(r);
	}

	char *error = NULL;
	r->session = stack_session_open(pid, (enum stack_backend)backend, &error);
	if (!r->session)
		add_warning(r, "no stacks: %s", error ? error : "unknown error");
	free(error);

	collect_stacks(r, tids, stopped, ntids);
	if (!r->threads)
		return;
	crash_syscalls_collect(&r->syscalls, r->threads, ntids, tids, stopped,
			       ntids, si);
	crash_signature(&r->threads[0], r->signature);
	/* Arguments and locals of the crashed thread's printed head frames. */
	if (r->session)
		r->values = stack_read_values(r->session, &r->threads[0],
				r->regs_size ? r->regs : NULL, r->regs_size,
				STACK_PRINT_HEAD, true);
	crash_code_collect(&r->code, r->tid, r->regs, r->regs_size, si,
			   &r->threads[0]);
	if (r->session)
		stack_session_modules(r->session, &r->modules, &r->nmodules);
	crash_context_collect(&r->context, pid, r->tid, si->si_signo,
			      r->threads[0].comm, r->want_env);
}

void crash_report_free(struct crash_report *r)
{
	stack_values_free(r->values);
	for (size_t i = 0; i < r->nthreads; i++)
		stack_thread_free(&r->threads[i]);
	free(r->threads);
	crash_syscalls_free(r->syscalls, r->nthreads);
	free(r->modules);
	stack_session_close(r->session);
	for (size_t i = 0; i < r->nwarnings; i++)
		free(r->warnings[i]);
	free(r->warnings);
	free(r->cmdline);
	free(r->exe);
	free(r->build_id);
	free(r->disk_build_id);
	free(r->producer);
	free(r->producer_cu);
	free(r->mapping);
	free(r->below);
	free(r->above);
	crash_context_free(&r->context);
	memset(r, 0, sizeof *r);
}

/* ---- text ---- */

static void put_cmdline_text(struct strbuf *sb, const struct crash_report *r)
{
	size_t start = 0;
	bool first = true;
	for (size_t i = 0; i <= r->cmdline_len && r->cmdline; i++) {
		if (i < r->cmdline_len && r->cmdline[i])
			continue;
		if (i == start && i == r->cmdline_len)
			break;
		if (!first)
			sb_putc(sb, ' ');
		escape_quoted(sb, r->cmdline + start, i - start, ESCAPE_C, false);
		first = false;
		start = i + 1;
	}
}

static void put_time(struct strbuf *sb, const struct timespec *ts)
{
	struct tm tm;
	localtime_r(&ts->tv_sec, &tm);
	char buf[64];
	strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
	sb_printf(sb, "%s.%06ld", buf, ts->tv_nsec / 1000);
	strftime(buf, sizeof buf, " %z", &tm);
	sb_puts(sb, buf);
}

static void put_signal_text(struct strbuf *sb, const struct crash_report *r)
{
	decode_signal_name(sb, r->si.si_signo);
	sb_putc(sb, ' ');
	decode_siginfo(sb, &r->si);
}

/* The process's name: its main thread's comm (a crashing worker thread
 * may have a name of its own), else the crashed thread's. */
static const char *process_comm(const struct crash_report *r)
{
	if (!r->threads || !r->nthreads)
		return NULL;
	for (size_t i = 0; i < r->nthreads; i++)
		if (r->threads[i].tid == r->pid)
			return r->threads[i].comm;
	return r->threads[0].comm;
}

/* "   Address: 0x... in MAPPING", or not mapped and the mappings around. */
static void put_address_text(struct strbuf *sb, const struct crash_report *r)
{
	if (!r->has_address)
		return;
	sb_printf(sb, "   Address: 0x%" PRIx64, r->address);
	if (r->mapping) {
		sb_puts(sb, " in ");
		escape_bare_str(sb, r->mapping);
	} else {
		sb_puts(sb, " not mapped");
		if (r->below) {
			sb_puts(sb, "\n            below it: ");
			escape_bare_str(sb, r->below);
		}
		if (r->above) {
			sb_puts(sb, "\n            above it: ");
			escape_bare_str(sb, r->above);
		}
	}
	sb_putc(sb, '\n');
}

static void put_action_text(struct strbuf *sb, const struct crash_report *r)
{
	if (r->hold) {
		sb_printf(sb, "    Action: held: process %d is left stopped, not "
			  "traced, at the faulting instruction.\n", (int)r->pid);
		sb_printf(sb, "            Debug it: gdb -p %d\n", (int)r->pid);
		sb_printf(sb, "            Let it die as it would have: kill -%s %d; "
			  "kill -CONT %d\n", sigabbrev_np(r->si.si_signo) ?
			  sigabbrev_np(r->si.si_signo) : "KILL", (int)r->pid,
			  (int)r->pid);
		sb_printf(sb, "            End it at once (no core dump): kill -KILL "
			  "%d\n", (int)r->pid);
	} else {
		sb_puts(sb, "    Action: the signal is re-delivered: the process "
			"dies as it would have without ptrc\n");
	}
}

/* The crashed thread's registers, three a line, by the register table of
 * their NT_PRSTATUS size. */
static void put_registers_text(struct strbuf *sb, const struct crash_report *r)
{
	const struct reg_layout *l = reg_layout_by_size(r->regs_size);
	if (!l)
		return;
	sb_printf(sb, "\nRegisters of thread %d:\n", (int)r->tid);
	for (unsigned i = 0; i < l->count; i++) {
		sb_printf(sb, "%s%8s 0x%0*" PRIx64, i % 3 ? "  " : "",
			  l->regs[i].name, (int)l->regs[i].size * 2,
			  reg_get(l, r->regs, (int)i));
		if (i % 3 == 2 || i + 1 == l->count)
			sb_putc(sb, '\n');
	}
}

void crash_report_text(struct strbuf *sb, const struct crash_report *r)
{
	sb_puts(sb, "=== ptrc crash report ===\n");
	sb_puts(sb, "      Time: ");
	put_time(sb, &r->when);
	sb_printf(sb, "\n       PID: %d (", (int)r->pid);
	escape_bare_str(sb, process_comm(r));
	sb_printf(sb, "), crashed thread %d\n", (int)r->tid);
	sb_puts(sb, "   Command: ");
	put_cmdline_text(sb, r);
	sb_puts(sb, "\nExecutable: ");
	escape_bare_str(sb, r->exe ? r->exe : "?");
	sb_printf(sb, " (build-id %s)\n", r->build_id ? r->build_id : "none");
	if (r->producer) {
		sb_puts(sb, "  Compiler: ");
		escape_bare_str(sb, r->producer);
		if (r->producer_cu) {
			sb_puts(sb, " (");
			escape_bare_str(sb, r->producer_cu);
			sb_putc(sb, ')');
		}
		sb_putc(sb, '\n');
	}
	sb_puts(sb, "    Signal: ");
	put_signal_text(sb, r);
	sb_putc(sb, '\n');
	put_address_text(sb, r);
	sb_printf(sb, " Signature: %s\n", r->signature);
	sb_printf(sb, "   Threads: %zu (stacks by %s)\n", r->nthreads, r->backend);
	for (size_t i = 0; i < r->nwarnings; i++) {
		sb_puts(sb, "   Warning: ");
		escape_bare_str(sb, r->warnings[i]);
		sb_putc(sb, '\n');
	}
	if (!r->core)
		put_action_text(sb, r);
	crash_core_text(sb, r);

	crash_context_text(sb, &r->context);
	put_registers_text(sb, r);
	crash_code_text(sb, &r->code);
	for (size_t i = 0; i < r->nthreads; i++) {
		sb_putc(sb, '\n');
		stack_print_text(sb, &r->threads[i], i == 0 ? " [crashed]" : NULL);
		crash_syscall_text(sb, r->syscalls ? &r->syscalls[i] : NULL);
	}
	if (r->nmodules) {
		sb_puts(sb, "\nModules:\n");
		stack_print_modules_text(sb, r->modules, r->nmodules);
	}
	sb_puts(sb, "=== end of crash report ===\n");
}

/* ---- JSON ---- */

static void put_json_field(struct strbuf *sb, const char *name, const char *value)
{
	sb_printf(sb, ",\"%s\":", name);
	json_string_or_null(sb, value);
}

void crash_report_json(struct strbuf *sb, const struct crash_report *r)
{
	struct strbuf tmp;
	sb_init(&tmp);
	sb_printf(sb, "{\"type\":\"crash\",\"time\":%lld.%06ld,\"time_text\":",
		  (long long)r->when.tv_sec, r->when.tv_nsec / 1000);
	put_time(&tmp, &r->when);
	json_string_or_null(sb, tmp.data);
	sb_printf(sb, ",\"pid\":%d,\"tid\":%d,\"comm\":", (int)r->pid,
		  (int)r->tid);
	json_string_or_null(sb, process_comm(r));
	sb_puts(sb, ",\"command\":[");
	size_t start = 0;
	bool first = true;
	for (size_t i = 0; i < r->cmdline_len && r->cmdline; i++) {
		if (r->cmdline[i])
			continue;
		if (!first)
			sb_putc(sb, ',');
		json_string_or_null(sb, r->cmdline + start);
		first = false;
		start = i + 1;
	}
	sb_putc(sb, ']');
	put_json_field(sb, "executable", r->exe);
	put_json_field(sb, "build_id", r->build_id);
	put_json_field(sb, "disk_build_id", r->disk_build_id);
	put_json_field(sb, "producer", r->producer);
	put_json_field(sb, "producer_cu", r->producer_cu);
	sb_reset(&tmp);
	decode_signal_name(&tmp, r->si.si_signo);
	sb_printf(sb, ",\"signal\":{\"number\":%d,\"name\":", r->si.si_signo);
	json_string_or_null(sb, tmp.data);
	sb_printf(sb, ",\"code\":%d,\"text\":", r->si.si_code);
	sb_reset(&tmp);
	put_signal_text(&tmp, r);
	json_string_or_null(sb, tmp.data);
	if (r->has_address)
		sb_printf(sb, ",\"address\":\"0x%" PRIx64 "\"", r->address);
	else
		sb_puts(sb, ",\"address\":null");
	sb_putc(sb, '}');
	put_json_field(sb, "mapping", r->mapping);
	put_json_field(sb, "mapping_below", r->below);
	put_json_field(sb, "mapping_above", r->above);
	put_json_field(sb, "signature", r->signature);
	put_json_field(sb, "unwinder", r->backend);
	crash_core_json(sb, r);
	sb_printf(sb, ",\"action\":\"%s\",\"warnings\":[", r->core ? "none" :
		  r->hold ? "hold" : "deliver");
	for (size_t i = 0; i < r->nwarnings; i++) {
		if (i)
			sb_putc(sb, ',');
		json_string_or_null(sb, r->warnings[i]);
	}
	sb_puts(sb, "],\"registers\":{");
	const struct reg_layout *l = reg_layout_by_size(r->regs_size);
	for (unsigned i = 0; l && i < l->count; i++)
		sb_printf(sb, "%s\"%s\":\"0x%" PRIx64 "\"", i ? "," : "",
			  l->regs[i].name, reg_get(l, r->regs, (int)i));
	sb_putc(sb, '}');
	crash_code_json(sb, &r->code);
	sb_puts(sb, ",\"threads\":[");
	for (size_t i = 0; i < r->nthreads; i++) {
		if (i)
			sb_putc(sb, ',');
		stack_print_json(sb, &r->threads[i], i == 0);
		crash_syscall_json_member(sb, r->syscalls ? &r->syscalls[i] : NULL);
	}
	sb_puts(sb, "],\"modules\":");
	stack_print_modules_json(sb, r->modules, r->nmodules);
	crash_context_json(sb, &r->context);
	sb_puts(sb, "}\n");
	sb_free(&tmp);
}
