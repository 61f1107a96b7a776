/* tmpl_pipeline.c — the content of a variable tag: a data name, optionally
 * piped through helpers,
 *
 *     name ( '|' helper arg* )*
 *     arg  = number (135, -2, 1.5) | "string" | 'string' | dotted.data.name
 *
 * Checked when the template is parsed, so a misspelt helper or a wrong number
 * of arguments is an error even in a branch the data never takes.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl_impl.h"

typedef struct cursor {
    const char *s;
    const char *content;
    nb_pos pos;
    nb_arena *a;
    nb_diags *d;
} cursor;

static void fail(cursor *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(cursor *c, const char *fmt, ...)
{
    nb_buf msg = {0};
    va_list ap;
    va_start(ap, fmt);
    nb_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    nb_error(c->d, c->pos, "in {{%s}}: %s", c->content, nb_buf_str(&msg));
    nb_buf_free(&msg);
}

static bool is_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; }

static void skip_space(cursor *c)
{
    while (is_space(*c->s))
        c->s++;
}

/* A run of characters up to a space or '|'. */
static const char *word(cursor *c)
{
    const char *start = c->s;
    while (*c->s && !is_space(*c->s) && *c->s != '|')
        c->s++;
    return nb_arena_strndup(c->a, start, (size_t)(c->s - start));
}

static bool is_number(const char *s)
{
    if (*s == '-' || *s == '+')
        s++;
    if (!(*s >= '0' && *s <= '9'))
        return false;
    while (*s >= '0' && *s <= '9')
        s++;
    if (*s == '.') {
        s++;
        if (!(*s >= '0' && *s <= '9'))
            return false;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    return *s == '\0';
}

bool nb_tmpl_known_special(const char *name)
{
    return strcmp(name, "@index") == 0 || strcmp(name, "@first") == 0 ||
           strcmp(name, "@last") == 0;
}

static bool check_name(cursor *c, const char *name)
{
    if (!*name) {
        fail(c, "the tag names nothing; expected a data name such as {{year}}");
        return false;
    }
    if (name[0] == '@' && !nb_tmpl_known_special(name)) {
        fail(c, "unknown name '%s'; the special names are %s", name, NB_TMPL_SPECIALS);
        return false;
    }
    if (strcmp(name, ".") != 0 &&
        (name[0] == '.' || name[strlen(name) - 1] == '.' || strstr(name, ".."))) {
        fail(c, "'%s' has an empty part; a dotted name looks like stats.total", name);
        return false;
    }
    return true;
}

static bool quoted(cursor *c, tn_arg *arg)
{
    char q = *c->s++;
    const char *start = c->s;
    while (*c->s && *c->s != q)
        c->s++;
    if (!*c->s) {
        fail(c, "the string %c%s is not closed; end it with %c", q, start, q);
        return false;
    }
    arg->kind = ARG_STRING;
    arg->text = nb_arena_strndup(c->a, start, (size_t)(c->s - start));
    c->s++;
    if (*c->s && !is_space(*c->s) && *c->s != '|') {
        fail(c, "expected a space or '|' after the string %c%s%c", q, arg->text, q);
        return false;
    }
    return true;
}

static bool argument(cursor *c, tn_arg *arg)
{
    if (*c->s == '"' || *c->s == '\'')
        return quoted(c, arg);
    arg->text = word(c);
    arg->kind = is_number(arg->text) ? ARG_NUMBER : ARG_NAME;
    return arg->kind == ARG_NUMBER || check_name(c, arg->text);
}

/* A decimals count: a whole number 0..9 written in the template. */
static bool decimals_arg(cursor *c, const tn_helper *h, const tn_arg *arg)
{
    if (arg->kind == ARG_NUMBER && !strchr(arg->text, '.') && arg->text[0] != '-' &&
        arg->text[0] != '+' && strlen(arg->text) == 1)
        return true;
    fail(c, "the number of decimals of '%s' must be a whole number from 0 to 9, not "
         "'%s' (%s)", h->name, arg->text, h->signature);
    return false;
}

static bool call(cursor *c, tn_call *out)
{
    skip_space(c);
    const char *name = word(c);
    if (!*name) {
        fail(c, "expected a helper name after '|' (one of: %s)", nb_tmpl_helper_names());
        return false;
    }
    const tn_helper *h = nb_tmpl_find_helper(name);
    if (!h) {
        fail(c, "unknown helper '%s'; the helpers are: %s", name, nb_tmpl_helper_names());
        return false;
    }
    tn_arg args[8];
    size_t n = 0;
    for (skip_space(c); *c->s && *c->s != '|'; skip_space(c)) {
        if (n == sizeof args / sizeof args[0]) {
            fail(c, "too many arguments for '%s' (%s)", name, h->signature);
            return false;
        }
        if (!argument(c, &args[n]))
            return false;
        n++;
    }
    if ((int)n != h->nargs) {
        fail(c, "'%s' takes %d argument%s (%s), not %zu", name, h->nargs,
             h->nargs == 1 ? "" : "s", h->signature, n);
        return false;
    }
    for (size_t i = 0; i < n; i++)
        if (h->literal[i] == 'd' && !decimals_arg(c, h, &args[i]))
            return false;
    out->helper = h;
    out->nargs = n;
    out->args = nb_arena_alloc(c->a, (n + 1) * sizeof *out->args);
    memcpy(out->args, args, n * sizeof *args);
    return true;
}

bool nb_tmpl_parse_pipeline(const char *content, nb_pos pos, tnode *n, nb_arena *a,
                            nb_diags *d)
{
    cursor c = {.s = content, .content = content, .pos = pos, .a = a, .d = d};
    skip_space(&c);
    n->name = word(&c);
    if (!check_name(&c, n->name))
        return false;
    skip_space(&c);
    if (*c.s && *c.s != '|') {
        fail(&c, "a name is one word; to apply a helper write {{%s | helper}}", n->name);
        return false;
    }
    tn_call calls[16];
    size_t count = 0;
    while (*c.s == '|') {
        c.s++;
        if (count == sizeof calls / sizeof calls[0]) {
            fail(&c, "too many helpers in one tag");
            return false;
        }
        if (!call(&c, &calls[count]))
            return false;
        count++;
    }
    n->ncalls = count;
    n->calls = nb_arena_alloc(a, (count + 1) * sizeof *n->calls);
    memcpy(n->calls, calls, count * sizeof *calls);
    return true;
}
