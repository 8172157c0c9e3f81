/* The process context as text (compact: one line per fact, one per
 * descriptor) and as JSON (everything); see crash_context.h. Every byte
 * read from the process or /proc goes through the escapers. */
#include "crash_context.h"

#include <inttypes.h>
#include <string.h>
#include <sys/resource.h>

#include "ptrc/decode.h"
#include "ptrc/escape.h"
#include "ptrc/json.h"

static const char *const id_words[CTX_NIDS] = { "real", "effective", "saved",
						"filesystem" };

/* ---- text ---- */

static void put_id_text(struct strbuf *sb, const struct ctx_id *id)
{
	sb_printf(sb, "%lu", id->id);
	if (id->name) {
		sb_putc(sb, '(');
		escape_bare_str(sb, id->name);
		sb_putc(sb, ')');
	}
}

/* "uid 0(root)" when the four agree, else each: "uid 1000(u) euid 0(root)
 * suid 0(root) fsuid 0(root)". */
static void put_ids_text(struct strbuf *sb, const char *label, char letter,
			 const struct ctx_id ids[CTX_NIDS])
{
	static const char *const prefix[CTX_NIDS] = { "", "e", "s", "fs" };
	bool same = true;
	for (int i = 1; i < CTX_NIDS; i++)
		same = same && ids[i].id == ids[0].id;
	sb_puts(sb, label);
	for (int i = 0; i < (same ? 1 : CTX_NIDS); i++) {
		sb_printf(sb, "%s%s%cid ", i ? " " : "", prefix[i], letter);
		put_id_text(sb, &ids[i]);
	}
	sb_putc(sb, '\n');
}

static void put_groups_text(struct strbuf *sb, const struct crash_context *c)
{
	sb_puts(sb, "    Groups:");
	for (size_t i = 0; i < c->ngroups; i++) {
		sb_putc(sb, ' ');
		put_id_text(sb, &c->groups[i]);
	}
	if (c->groups_total > c->ngroups)
		sb_printf(sb, " (and %zu more)", c->groups_total - c->ngroups);
	if (c->groups_cut)
		sb_puts(sb, " (list cut)");
	if (!c->groups_total && !c->groups_cut)
		sb_puts(sb, " none");
	sb_putc(sb, '\n');
}

static void put_places_text(struct strbuf *sb, const struct crash_context *c)
{
	sb_puts(sb, "       Cwd: ");
	escape_bare_str(sb, c->cwd ? c->cwd : "?");
	if (c->chrooted && c->cwd_inside) {
		sb_puts(sb, " (the process sees ");
		escape_bare_str(sb, c->cwd_inside);
		sb_putc(sb, ')');
	} else if (c->chrooted) {
		sb_puts(sb, " (outside the chroot)");
	}
	sb_puts(sb, "\n      Root: ");
	escape_bare_str(sb, c->root ? c->root : "?");
	if (c->chrooted)
		sb_puts(sb, " (chrooted: the process sees it as /)");
	sb_putc(sb, '\n');
	if (c->ncgroups) {
		sb_puts(sb, "    Cgroup: ");
		for (size_t i = 0; i < c->ncgroups; i++) {
			if (i)
				sb_puts(sb, "; ");
			escape_bare_str(sb, c->cgroups[i]);
		}
		sb_putc(sb, '\n');
	}
}

static void put_limit_value(struct strbuf *sb, uint64_t v)
{
	if (v == (uint64_t)RLIM_INFINITY)
		sb_puts(sb, "unlimited");
	else
		sb_printf(sb, "%" PRIu64, v);
}

static void put_limits_text(struct strbuf *sb, const struct crash_context *c)
{
	sb_puts(sb, "    Limits:");
	for (int i = 0; i < CTX_NLIMITS; i++) {
		const struct ctx_limit *l = &c->limits[i];
		sb_printf(sb, "%s %s ", i ? "," : "", l->name);
		if (!l->known) {
			sb_putc(sb, '?');
			continue;
		}
		put_limit_value(sb, l->soft);
		if (l->hard != l->soft) {
			sb_putc(sb, '/');
			put_limit_value(sb, l->hard);
		}
	}
	sb_puts(sb, " (soft/hard)\n");
}

static void put_core_text(struct strbuf *sb, const struct ctx_core *k)
{
	sb_puts(sb, "      Core: ");
	escape_bare_str(sb, k->verdict ? k->verdict : "?");
	if (k->pattern) {
		sb_puts(sb, " (core_pattern ");
		escape_quoted(sb, k->pattern, strlen(k->pattern), ESCAPE_C, false);
		/* Not said twice where the verdict already rests on it. */
		bool said = k->verdict && strstr(k->verdict, "dumpable");
		if (k->dumpable >= 0 && !said)
			sb_printf(sb, ", %sdumpable", k->dumpable ? "" : "not ");
		sb_putc(sb, ')');
	}
	sb_putc(sb, '\n');
}

static void put_fds_text(struct strbuf *sb, const struct crash_context *c)
{
	if (!c->fds_listed) {
		sb_puts(sb, "       Fds: ? (its /proc fd directory was unreadable)\n");
		return;
	}
	sb_printf(sb, "       Fds: %zu open\n", c->fds_total);
	for (size_t i = 0; i < c->nfds; i++) {
		const struct ctx_fd *f = &c->fds[i];
		sb_puts(sb, "            ");
		if (f->text)
			sb_puts(sb, f->text);  /* escaped by decode_fd */
		else
			sb_printf(sb, "%d", f->fd);
		if (f->has_flags) {
			sb_putc(sb, ' ');
			decode_open_flags(sb, f->flags);
		}
		if (f->has_pos)
			sb_printf(sb, " pos=%llu", f->pos);
		sb_putc(sb, '\n');
	}
	if (c->fds_total > c->nfds)
		sb_printf(sb, "            ... and %zu more\n",
			  c->fds_total - c->nfds);
}

static void put_env_text(struct strbuf *sb, const struct crash_context *c)
{
	if (!c->want_env)
		return;
	sb_printf(sb, "       Env: %zu variable%s%s\n", c->nenv,
		  c->nenv == 1 ? "" : "s", c->env_cut ? " (more not read)" : "");
	for (size_t i = 0; i < c->nenv; i++) {
		sb_puts(sb, "            ");
		escape_quoted(sb, c->env[i], strlen(c->env[i]), ESCAPE_C, false);
		sb_putc(sb, '\n');
	}
}

void crash_context_text(struct strbuf *sb, const struct crash_context *c)
{
	if (!c->collected)
		return;  /* a report from a core: no live process */
	sb_puts(sb, "\nProcess context:\n");
	if (c->has_ids) {
		put_ids_text(sb, "      User: ", 'u', c->uid);
		put_ids_text(sb, "     Group: ", 'g', c->gid);
	}
	put_groups_text(sb, c);
	put_places_text(sb, c);
	put_limits_text(sb, c);
	put_core_text(sb, &c->core);
	put_fds_text(sb, c);
	put_env_text(sb, c);
}

/* ---- JSON ---- */

static void put_id_json(struct strbuf *sb, const struct ctx_id *id)
{
	sb_printf(sb, "{\"id\":%lu,\"name\":", id->id);
	json_string_or_null(sb, id->name);
	sb_putc(sb, '}');
}

static void put_ids_json(struct strbuf *sb, const char *key,
			 const struct crash_context *c, const struct ctx_id *ids)
{
	sb_printf(sb, "\"%s\":", key);
	if (!c->has_ids) {
		sb_puts(sb, "null,");
		return;
	}
	for (int i = 0; i < CTX_NIDS; i++) {
		sb_printf(sb, "%c\"%s\":", i ? ',' : '{', id_words[i]);
		put_id_json(sb, &ids[i]);
	}
	sb_puts(sb, "},");
}

static void put_limit_json(struct strbuf *sb, uint64_t v)
{
	if (v == (uint64_t)RLIM_INFINITY)
		sb_puts(sb, "\"unlimited\"");
	else
		sb_printf(sb, "%" PRIu64, v);
}

static void put_strings_json(struct strbuf *sb, char *const *s, size_t n)
{
	sb_putc(sb, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_putc(sb, ',');
		json_string_or_null(sb, s[i]);
	}
	sb_putc(sb, ']');
}

static void put_fds_json(struct strbuf *sb, const struct crash_context *c)
{
	sb_puts(sb, "\"fds\":");
	if (!c->fds_listed) {
		sb_puts(sb, "null");
		return;
	}
	sb_printf(sb, "{\"count\":%zu,\"more\":%zu,\"list\":[", c->fds_total,
		  c->fds_total - c->nfds);
	struct strbuf tmp;
	sb_init(&tmp);
	for (size_t i = 0; i < c->nfds; i++) {
		const struct ctx_fd *f = &c->fds[i];
		sb_printf(sb, "%s{\"fd\":%d,\"text\":", i ? "," : "", f->fd);
		json_string_or_null(sb, f->text);
		sb_puts(sb, ",\"target\":");
		json_string_or_null(sb, f->target);
		if (f->has_flags) {
			sb_reset(&tmp);
			decode_open_flags(&tmp, f->flags);
			sb_printf(sb, ",\"flags\":\"%#lo\",\"flags_text\":",
				  f->flags);
			json_string_or_null(sb, tmp.data);
		} else {
			sb_puts(sb, ",\"flags\":null,\"flags_text\":null");
		}
		if (f->has_pos)
			sb_printf(sb, ",\"pos\":%llu}", f->pos);
		else
			sb_puts(sb, ",\"pos\":null}");
	}
	sb_free(&tmp);
	sb_puts(sb, "]}");
}

static void put_core_json(struct strbuf *sb, const struct ctx_core *k)
{
	sb_printf(sb, "\"core\":{\"signal_dumps\":%s,\"pattern\":",
		  k->signal_dumps ? "true" : "false");
	json_string_or_null(sb, k->pattern);
	sb_printf(sb, ",\"pipe\":%s,\"helper\":", k->pipe ? "true" : "false");
	json_string_or_null(sb, k->helper);
	sb_puts(sb, ",\"path\":");
	json_string_or_null(sb, k->path);
	sb_puts(sb, ",\"host_path\":");
	json_string_or_null(sb, k->host_path);
	sb_printf(sb, ",\"path_exact\":%s,\"dumpable\":%s,"
		  "\"suid_dumpable\":", k->path_exact ? "true" : "false",
		  k->dumpable < 0 ? "null" : k->dumpable ? "true" : "false");
	if (k->suid_dumpable < 0)
		sb_puts(sb, "null");
	else
		sb_printf(sb, "%d", k->suid_dumpable);
	sb_puts(sb, ",\"verdict\":");
	json_string_or_null(sb, k->verdict);
	sb_putc(sb, '}');
}

void crash_context_json(struct strbuf *sb, const struct crash_context *c)
{
	if (!c->collected) {
		sb_puts(sb, ",\"context\":null");
		return;
	}
	sb_puts(sb, ",\"context\":{");
	put_ids_json(sb, "uid", c, c->uid);
	put_ids_json(sb, "gid", c, c->gid);
	sb_puts(sb, "\"groups\":[");
	for (size_t i = 0; i < c->ngroups; i++) {
		if (i)
			sb_putc(sb, ',');
		put_id_json(sb, &c->groups[i]);
	}
	sb_printf(sb, "],\"groups_total\":%zu,\"groups_cut\":%s,\"cwd\":",
		  c->groups_total, c->groups_cut ? "true" : "false");
	json_string_or_null(sb, c->cwd);
	sb_puts(sb, ",\"cwd_inside\":");
	json_string_or_null(sb, c->cwd_inside);
	sb_puts(sb, ",\"root\":");
	json_string_or_null(sb, c->root);
	sb_printf(sb, ",\"chrooted\":%s,\"cgroup\":",
		  !c->root ? "null" : c->chrooted ? "true" : "false");
	put_strings_json(sb, c->cgroups, c->ncgroups);
	sb_puts(sb, ",\"limits\":{");
	for (int i = 0; i < CTX_NLIMITS; i++) {
		const struct ctx_limit *l = &c->limits[i];
		sb_printf(sb, "%s\"%s\":", i ? "," : "", l->name);
		if (!l->known) {
			sb_puts(sb, "null");
			continue;
		}
		sb_puts(sb, "{\"soft\":");
		put_limit_json(sb, l->soft);
		sb_puts(sb, ",\"hard\":");
		put_limit_json(sb, l->hard);
		sb_putc(sb, '}');
	}
	sb_puts(sb, "},");
	put_core_json(sb, &c->core);
	sb_putc(sb, ',');
	put_fds_json(sb, c);
	if (c->want_env) {
		sb_puts(sb, ",\"environment\":");
		put_strings_json(sb, c->env, c->nenv);
		sb_printf(sb, ",\"environment_cut\":%s", c->env_cut ? "true" : "false");
	}
	sb_putc(sb, '}');
}
