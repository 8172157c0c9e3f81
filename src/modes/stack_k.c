/* -k (see stack_k.h). Sessions live in a small list, most recent first:
 * a trace follows few processes at a time. */
#include "stack_k.h"

#include <stdlib.h>
#include <string.h>

#include "ptrc/escape.h"
#include "ptrc/json.h"
#include "ptrc/stack.h"

struct ksession {
	pid_t tgid;
	struct stack_session *s;
	struct ksession *next;
};

static struct ksession *sessions;

static struct ksession *find(pid_t tgid, int backend, char **error)
{
	struct ksession **p = &sessions;
	for (; *p; p = &(*p)->next) {
		if ((*p)->tgid != tgid)
			continue;
		struct ksession *k = *p;
		*p = k->next;  /* to the front */
		k->next = sessions;
		sessions = k;
		return k;
	}
	struct stack_session *s = stack_session_open(tgid,
			(enum stack_backend)backend, error);
	if (!s)
		return NULL;
	struct ksession *k = malloc(sizeof *k);
	if (!k) {
		stack_session_close(s);
		return NULL;
	}
	*k = (struct ksession){ tgid, s, sessions };
	sessions = k;
	return k;
}

static bool maps_change(const char *name)
{
	static const char *const names[] = {
		"mmap", "mmap2", "old_mmap", "munmap", "mremap", "mprotect",
		"pkey_mprotect", "remap_file_pages", "shmat", "shmdt",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

static struct ksession *lookup(pid_t tgid)
{
	for (struct ksession *k = sessions; k; k = k->next)
		if (k->tgid == tgid)
			return k;
	return NULL;
}

void stack_k_syscall_exit(const struct tracee *t, const char *name, bool failed)
{
	struct ksession *k;
	if (!name || failed || !(k = lookup(t->tgid)))
		return;
	if (strcmp(name, "execve") == 0 || strcmp(name, "execveat") == 0)
		stack_session_exec(k->s);
	else if (maps_change(name))
		stack_session_mappings_changed(k->s);
}

/* T's stack into *ST; NULL, or why not (to free). */
static char *unwind(const struct tracee *t, int backend, bool unseen,
		    struct stack_thread *st)
{
	char *error = NULL;
	struct ksession *k = find(t->tgid, backend, &error);
	if (!k)
		return error ? error : strdup("out of memory");
	if (unseen)
		stack_session_mappings_changed(k->s);
	if (stack_unwind_thread(k->s, t->tid, st, 0) < 0)
		return strdup("out of memory");
	return NULL;
}

void stack_k_lines(struct strbuf *sb, const struct tracee *t, int backend,
		   bool unseen)
{
	struct stack_thread st;
	char *error = unwind(t, backend, unseen, &st);
	if (error) {
		sb_puts(sb, " > (no stack: ");
		escape_bare_str(sb, error);
		sb_puts(sb, ")\n");
		free(error);
		return;
	}
	stack_print_k(sb, &st);
	stack_thread_free(&st);
}

void stack_k_json(struct strbuf *sb, const struct tracee *t, int backend,
		  bool unseen)
{
	struct stack_thread st;
	char *error = unwind(t, backend, unseen, &st);
	if (error) {
		sb_puts(sb, "{\"tid\":");
		sb_printf(sb, "%d,\"error\":", (int)t->tid);
		json_string_or_null(sb, error);
		sb_putc(sb, '}');
		free(error);
		return;
	}
	stack_print_json(sb, &st, false);
	stack_thread_free(&st);
}

void stack_k_forget(pid_t tgid)
{
	for (struct ksession **p = &sessions; *p; p = &(*p)->next) {
		if ((*p)->tgid == tgid) {
			struct ksession *k = *p;
			*p = k->next;
			stack_session_close(k->s);
			free(k);
			return;
		}
	}
}
