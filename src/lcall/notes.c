/* The tracer's messages about what it could not hook or step over, on
 * stderr through the engine's warning path. Function and module names
 * come from the tracee's files: they are escaped as the trace's own
 * names are. */
#include "tracer.h"

#include <string.h>

#include "ptrc/escape.h"
#include "ptrc/strbuf.h"

/* NAME escaped for a message, in SB. */
static const char *bare(struct strbuf *sb, const char *name)
{
	sb_reset(sb);
	escape_bare(sb, name, strlen(name));
	return sb->data ? sb->data : "";
}

void lcall_note_unmatched(const struct lcall_pattern *p)
{
	engine_warn("no function matches -l %s%s%s",
		    p->module_glob ? p->module_glob : "",
		    p->module_glob ? ":" : "", p->func_glob);
}

void lcall_note_ifunc(const char *name, const char *module)
{
	struct strbuf name_text, module_text;
	sb_init(&name_text);
	sb_init(&module_text);
	engine_warn("%s in %s is an IFUNC (its code is chosen at load time): "
		    "not traced", bare(&name_text, name),
		    bare(&module_text, module));
	sb_free(&name_text);
	sb_free(&module_text);
}

void lcall_note_skipped(const char *name, const char *module,
			const char *reason, unsigned count)
{
	struct strbuf name_text, module_text;
	sb_init(&name_text);
	sb_init(&module_text);
	engine_warn("not tracing %s in %s: %s%s", bare(&name_text, name),
		    bare(&module_text, module), reason,
		    count == 5 ? " (further ones not listed)" : "");
	sb_free(&name_text);
	sb_free(&module_text);
}

void lcall_note_step_failed(uint64_t addr, const char *name)
{
	struct strbuf text;
	sb_init(&text);
	engine_warn("cannot step over the breakpoint at %#llx (%s): removed",
		    (unsigned long long)addr,
		    name ? bare(&text, name) : "a return address");
	sb_free(&text);
}
