/* tmpl_render.c — a parsed template plus data gives text (tmpl.h).
 *
 * The renderer walks the tree with a context stack of data frames (the
 * spec's name resolution is in tmpl_lookup.c) and three pieces of state that
 * partials and inheritance need:
 *   indent  prepended to every template line of a standalone partial, parent
 *           or overriding block — template lines only, never to the line
 *           breaks inside an interpolated value (the spec's rule);
 *   at_bol  whether the last template text ended a line, so the next output
 *           gets the indentation;
 *   args    the chain of {{<parent}} tags being expanded; a {{$block}} takes
 *           the outermost argument of its name (top-level overrides win), and
 *           an argument is rendered with the chain of the place that wrote it,
 *           so a block cannot override itself without end.
 * Each partial is read and parsed once per render. Rendering stops with an
 * error when partials nest too deep (a partial that includes itself), the
 * output grows past a limit, or the work does: never a hang or a crash.
 */
#define _XOPEN_SOURCE 700 /* realpath */

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tmpl_impl.h"

enum {
    MAX_PARTIAL_DEPTH = 64, /* partials and parents inside each other */
    MAX_RENDER_DEPTH = 400, /* sections, blocks and partials inside each other */
    MAX_ERRORS = 50,
};
static const size_t MAX_OUTPUT = (size_t)64 << 20;
static const size_t MAX_WORK = 10000000; /* tags and texts rendered */

typedef struct loaded {
    const char *name;
    nb_template *t; /* NULL when missing or not parseable */
    bool found;
} loaded;

typedef struct args_frame {
    const tnode *parent; /* its argument blocks */
    const struct args_frame *outer;
} args_frame;

typedef struct rstate {
    const nb_tmpl_options *o;
    nb_arena *keep; /* the caller's arena: the result, file names of positions */
    nb_arena scratch;
    nb_diags *d;
    size_t errors_before;
    nb_buf out;
    tframe *frames;
    size_t depth, cap;
    const char *indent;
    bool at_bol;
    char line_first; /* see nb_tmpl_escape_tracked */
    const args_frame *args;
    loaded *cache;
    size_t ncache, cap_cache;
    const char *chain[MAX_PARTIAL_DEPTH];
    int partials;
    int nesting;
    size_t work;
    bool stop;
    nb_pos *reported;
    size_t nreported, cap_reported;
} rstate;

static void render_kids(rstate *st, const tnode *n);

/* ---- diagnostics: one per tag, however often a loop renders it ---- */
static bool already_reported(rstate *st, nb_pos pos)
{
    for (size_t i = 0; i < st->nreported; i++) {
        nb_pos p = st->reported[i];
        if (p.line == pos.line && p.col == pos.col && p.file == pos.file)
            return true;
    }
    NB_GROW(st->reported, st->nreported, st->cap_reported);
    st->reported[st->nreported++] = pos;
    return false;
}

static void report(rstate *st, nb_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void report(rstate *st, nb_pos pos, const char *fmt, ...)
{
    if (st->stop || already_reported(st, pos))
        return;
    va_list ap;
    va_start(ap, fmt);
    nb_verror(st->d, pos, fmt, ap);
    va_end(ap);
    if (st->d->errors - st->errors_before >= MAX_ERRORS) {
        nb_error(st->d, pos, "too many errors in this template; stopping here");
        st->stop = true;
    }
}

static void fatal(rstate *st, nb_pos pos, const char *what)
{
    report(st, pos, "%s", what);
    st->stop = true;
}

/* ---- output ---- */
static void emit_indent(rstate *st)
{
    if (st->at_bol && st->indent && *st->indent)
        nb_buf_puts(&st->out, st->indent);
    st->at_bol = false;
}

static bool output_fits(rstate *st, nb_pos pos)
{
    if (st->out.len <= MAX_OUTPUT)
        return true;
    fatal(st, pos, "the rendered text passed 64 MiB; does a section or partial repeat "
          "without end?");
    return false;
}

/* Template text: each non-empty line gets the indentation. */
static void emit_text(rstate *st, const tnode *n)
{
    const char *s = n->text;
    size_t len = n->len, i = 0;
    while (i < len) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - s) + 1 : len;
        size_t content = (nl ? (size_t)(nl - s) : len) - i;
        if (content > 0 && !(nl && content == 1 && s[i] == '\r'))
            emit_indent(st);
        nb_buf_append(&st->out, s + i, end - i);
        nb_tmpl_track_line(&st->line_first, s + i, end - i);
        if (nl)
            st->at_bol = true;
        i = end;
    }
    output_fits(st, n->pos);
}

static void emit_value(rstate *st, const tnode *n, const char *text, nb_escape mode)
{
    size_t len = strlen(text);
    if (len == 0)
        return;
    emit_indent(st);
    nb_tmpl_escape_tracked(&st->out, text, len, mode, &st->line_first);
    output_fits(st, n->pos);
}

/* ---- context stack ---- */
static void push(rstate *st, const nb_node *node, const char *path, long index,
                 size_t count)
{
    NB_GROW(st->frames, st->depth, st->cap);
    st->frames[st->depth++] = (tframe){node, path, index, count};
}

static bool enter(rstate *st, nb_pos pos)
{
    if (st->nesting >= MAX_RENDER_DEPTH) {
        fatal(st, pos, "sections and partials are nested too deep here; does a partial "
              "include itself without end?");
        return false;
    }
    st->nesting++;
    return true;
}

static tlookup lookup(rstate *st, const char *name)
{
    return nb_tmpl_lookup(st->frames, st->depth, name, false, &st->scratch);
}

/* ---- variables ---- */
static bool resolve_arg(rstate *st, const tnode *n, const tn_arg *arg, tval *out)
{
    if (arg->kind != ARG_NAME) {
        *out = (tval){.text = arg->text, .origin = arg->text};
        return true;
    }
    tlookup r = lookup(st, arg->text);
    if (!r.found) {
        if (!st->o->lenient)
            report(st, n->pos, "%s", r.error);
        return false;
    }
    const char *text = nb_tmpl_plain_text(r.node, &st->scratch);
    *out = (tval){.node = r.node, .text = text ? text : "", .origin = arg->text};
    return true;
}

static bool apply(rstate *st, const tnode *n, const tn_call *call, tval *v)
{
    tval args[8];
    for (size_t i = 0; i < call->nargs; i++)
        if (!resolve_arg(st, n, &call->args[i], &args[i]))
            return false;
    helper_ctx c = {.a = &st->scratch, .helper = call->helper->name};
    tval out;
    if (!call->helper->fn(&c, v, args, &out)) {
        report(st, n->pos, "%s", c.error);
        return false;
    }
    *v = out;
    return true;
}

static void render_var(rstate *st, const tnode *n)
{
    tlookup r = lookup(st, n->name);
    if (!r.found) {
        if (!st->o->lenient)
            report(st, n->pos, "%s", r.error);
        return;
    }
    if (!r.node || nb_node_type(r.node) == NB_TYPE_NULL)
        return; /* present but empty: prints nothing, helpers or not */
    tval v = {.node = r.node, .text = nb_tmpl_plain_text(r.node, &st->scratch),
              .origin = n->name};
    if (!v.text) {
        if (!st->o->lenient)
            report(st, n->pos, "'%s' is %s and cannot be printed; to use what is inside "
                   "it write {{#%s}}…{{/%s}}", n->name,
                   r.node->kind == NB_NODE_SEQ ? "a list" : "a map of keys", n->name,
                   n->name);
        return;
    }
    for (size_t i = 0; i < n->ncalls; i++)
        if (!apply(st, n, &n->calls[i], &v))
            return;
    emit_value(st, n, v.text, n->raw ? NB_ESCAPE_NONE : st->o->escape);
}

/* ---- sections ---- */
static void render_section(rstate *st, const tnode *n)
{
    tlookup r = nb_tmpl_lookup(st->frames, st->depth, n->name, true, &st->scratch);
    if (!r.found) {
        if (!st->o->lenient)
            report(st, n->pos, "%s", r.error);
        return;
    }
    if (nb_node_is_falsey(r.node) || !enter(st, n->pos))
        return;
    const nb_node *v = r.node;
    if (v->kind == NB_NODE_SEQ) {
        for (size_t i = 0; i < v->count && !st->stop; i++) {
            push(st, v->items[i], nb_arena_printf(&st->scratch, "%s.%zu", r.path, i),
                 (long)i, v->count);
            render_kids(st, n);
            st->depth--;
        }
    } else {
        push(st, v, r.path, -1, 0);
        render_kids(st, n);
        st->depth--;
    }
    st->nesting--;
}

static void render_inverted(rstate *st, const tnode *n)
{
    tlookup r = lookup(st, n->name);
    if (!r.found && !st->o->lenient) {
        report(st, n->pos, "%s", r.error);
        return;
    }
    if ((!r.found || nb_node_is_falsey(r.node)) && enter(st, n->pos)) {
        render_kids(st, n);
        st->nesting--;
    }
}

/* ---- partials ---- */
const char *nb_tmpl_bad_partial_name(const char *name)
{
    if (!*name)
        return "it is empty";
    if (name[0] == '/')
        return "partials are read only from the template folders, so a name cannot "
               "start with '/'";
    for (const char *s = name; *s; s++) {
        if (*s == '\\')
            return "a name cannot contain '\\'";
        if ((unsigned char)*s < 0x20)
            return "a name cannot contain control characters";
    }
    for (const char *s = name; *s;) {
        size_t n = strcspn(s, "/");
        if (n == 0)
            return "a name cannot contain an empty part ('//' or a trailing '/')";
        if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
            return "partials are read only from the template folders, so a name "
                   "cannot contain '.' or '..' parts";
        s += n;
        if (*s == '/' && !*++s)
            return "a name cannot end with '/'";
    }
    return NULL;
}

/* `path` (which exists) resolves inside `dir`: no symbolic link leads out. */
static bool inside(const char *dir, const char *path)
{
    char *rd = realpath(dir, NULL), *rp = realpath(path, NULL);
    size_t n = rd ? strlen(rd) : 0;
    bool ok = rd && rp && strncmp(rp, rd, n) == 0 && (rp[n] == '/' || n == 1);
    free(rd);
    free(rp);
    return ok;
}

static nb_template *parse_text(rstate *st, const char *file, const char *text, size_t len)
{
    const char *keep_file = nb_arena_strdup(st->keep, file);
    const char *copy = nb_arena_strndup(&st->scratch, text, len);
    return nb_tmpl_parse(keep_file, copy, len, st->o->lenient, &st->scratch, st->d);
}

static bool from_map(rstate *st, loaded *l)
{
    const nb_node *v = st->o->partials ? nb_map_get(st->o->partials, l->name) : NULL;
    if (!v && !nb_map_pair(st->o->partials, l->name))
        return false;
    const char *text = v && v->kind == NB_NODE_SCALAR ? nb_tmpl_plain_text(v, &st->scratch)
                                                      : "";
    l->found = true;
    l->t = parse_text(st, l->name, text, strlen(text));
    return true;
}

static bool from_dir(rstate *st, loaded *l, const char *dir, nb_pos at)
{
    char *file = nb_arena_printf(&st->scratch, "%s.mustache", l->name);
    char *path = nb_path_join(dir, file);
    struct stat sb;
    bool exists = stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
    if (exists) {
        l->found = true;
        size_t len;
        char *text = NULL;
        if (!inside(dir, path))
            report(st, at, "the partial '%s' (%s) leads outside its folder %s (a "
                   "symbolic link?); refused", l->name, path, dir);
        else if (!(text = nb_read_file(path, &len)))
            report(st, at, "cannot read the partial %s: %s", path, strerror(errno));
        else
            l->t = parse_text(st, path, text, len);
        free(text);
    }
    free(path);
    return exists;
}

static loaded load(rstate *st, const char *name, nb_pos at)
{
    for (size_t i = 0; i < st->ncache; i++)
        if (strcmp(st->cache[i].name, name) == 0)
            return st->cache[i];
    loaded l = {.name = name};
    if (!from_map(st, &l))
        for (size_t i = 0; st->o->partial_dirs && st->o->partial_dirs[i]; i++)
            if (from_dir(st, &l, st->o->partial_dirs[i], at))
                break;
    NB_GROW(st->cache, st->ncache, st->cap_cache);
    st->cache[st->ncache++] = l;
    return l;
}

static void not_found(rstate *st, const tnode *n, const char *what)
{
    if (st->o->lenient)
        return;
    nb_buf dirs = {0};
    for (size_t i = 0; st->o->partial_dirs && st->o->partial_dirs[i]; i++)
        nb_buf_printf(&dirs, "%s%s", i ? ", " : "", st->o->partial_dirs[i]);
    if (dirs.len)
        report(st, n->pos, "the %s '%s' was not found: there is no %s.mustache in %s",
               what, n->name, n->name, nb_buf_str(&dirs));
    else
        report(st, n->pos, "the %s '%s' was not found: no folder of partials is given",
               what, n->name);
    nb_buf_free(&dirs);
}

static void too_deep(rstate *st, const tnode *n)
{
    nb_buf chain = {0};
    for (int i = MAX_PARTIAL_DEPTH - 6; i < MAX_PARTIAL_DEPTH; i++)
        nb_buf_printf(&chain, "%s → ", st->chain[i]);
    nb_buf_puts(&chain, n->name);
    report(st, n->pos, "partials are included %d deep (… → %s); a partial includes "
           "itself without end", MAX_PARTIAL_DEPTH, nb_buf_str(&chain));
    st->stop = true;
    nb_buf_free(&chain);
}

/* Render a partial or parent in place of tag `n`. A standalone tag's
 * indentation is added to every line; otherwise the first line continues
 * the current one. */
static void include(rstate *st, const tnode *n, const nb_template *t,
                    const args_frame *args)
{
    if (st->partials == MAX_PARTIAL_DEPTH) {
        too_deep(st, n);
        return;
    }
    if (!enter(st, n->pos))
        return;
    const char *indent = st->indent;
    const args_frame *outer_args = st->args;
    if (n->indent) {
        st->indent = nb_arena_printf(&st->scratch, "%s%s", indent, n->indent);
    } else {
        emit_indent(st);
        st->indent = "";
    }
    st->args = args;
    st->chain[st->partials++] = n->name;
    render_kids(st, t->root);
    st->partials--;
    st->indent = indent;
    st->args = outer_args;
    st->nesting--;
}

static void render_partial(rstate *st, const tnode *n)
{
    loaded l = load(st, n->name, n->pos);
    if (!l.found)
        not_found(st, n, "partial");
    else if (l.t)
        include(st, n, l.t, st->args);
}

/* ---- inheritance ---- */
static void render_parent(rstate *st, const tnode *n)
{
    loaded l = load(st, n->name, n->pos);
    if (!l.found) {
        not_found(st, n, "parent template");
        return;
    }
    args_frame f = {n, st->args};
    if (l.t)
        include(st, n, l.t, &f);
}

/* The outermost argument named `name`, and the chain it was written in. */
static const tnode *find_argument(const args_frame *f, const char *name,
                                  const args_frame **scope)
{
    if (!f)
        return NULL;
    const tnode *outer = find_argument(f->outer, name, scope);
    if (outer)
        return outer;
    for (size_t i = 0; i < f->parent->nkids; i++) {
        const tnode *b = f->parent->kids[i];
        if (b->kind == TN_BLOCK && strcmp(b->name, name) == 0) {
            *scope = f->outer;
            return b;
        }
    }
    return NULL;
}

static void render_block(rstate *st, const tnode *n)
{
    const args_frame *scope = NULL;
    const tnode *arg = find_argument(st->args, n->name, &scope);
    if (!enter(st, n->pos))
        return;
    if (!arg) {
        render_kids(st, n);
    } else {
        const char *indent = st->indent;
        const args_frame *outer_args = st->args;
        if (n->indent && *n->indent)
            st->indent = nb_arena_printf(&st->scratch, "%s%s", indent, n->indent);
        st->args = scope;
        render_kids(st, arg);
        st->indent = indent;
        st->args = outer_args;
    }
    st->nesting--;
}

/* ---- the walk ---- */
static void render_node(rstate *st, const tnode *n)
{
    if (++st->work > MAX_WORK) {
        fatal(st, n->pos, "rendering this template takes too long; does a section or "
              "partial repeat without end?");
        return;
    }
    switch (n->kind) {
    case TN_TEXT: emit_text(st, n); break;
    case TN_VAR: render_var(st, n); break;
    case TN_SECTION: render_section(st, n); break;
    case TN_INVERTED: render_inverted(st, n); break;
    case TN_PARTIAL: render_partial(st, n); break;
    case TN_PARENT: render_parent(st, n); break;
    case TN_BLOCK: render_block(st, n); break;
    }
}

static void render_kids(rstate *st, const tnode *n)
{
    for (size_t i = 0; i < n->nkids && !st->stop; i++)
        render_node(st, n->kids[i]);
}

static char *render(rstate *st, const nb_template *t, const nb_node *data)
{
    static const nb_node empty = {.kind = NB_NODE_MAP};
    push(st, data ? data : &empty, "", -1, 0);
    st->indent = "";
    st->at_bol = true;
    render_kids(st, t->root);
    if (st->d->errors > st->errors_before)
        return NULL;
    return nb_arena_strndup(st->keep, nb_buf_str(&st->out), st->out.len);
}

static void cleanup(rstate *st)
{
    nb_buf_free(&st->out);
    free(st->frames);
    free(st->cache);
    free(st->reported);
    nb_arena_free(&st->scratch);
}

char *nb_tmpl_render_string(const char *name, const char *text, size_t len,
                            const nb_node *data, const nb_tmpl_options *o,
                            nb_arena *a, nb_diags *d)
{
    static const nb_tmpl_options defaults = {.escape = NB_ESCAPE_MARKUP};
    rstate st = {.o = o ? o : &defaults, .keep = a, .d = d, .errors_before = d->errors};
    nb_template *t = parse_text(&st, name, text, len);
    char *result = t ? render(&st, t, data) : NULL;
    cleanup(&st);
    return result;
}

char *nb_tmpl_render_file(const char *path, const nb_node *data,
                          const nb_tmpl_options *o, nb_arena *a, nb_diags *d)
{
    size_t len;
    char *text = nb_read_file(path, &len);
    if (!text) {
        nb_error(d, (nb_pos){nb_arena_strdup(a, path), 0, 0},
                 "cannot read the template: %s", strerror(errno));
        return NULL;
    }
    char *result = nb_tmpl_render_string(path, text, len, data, o, a, d);
    free(text);
    return result;
}
