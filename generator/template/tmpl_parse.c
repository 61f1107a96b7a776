/* tmpl_parse.c — template text to a tree of tnodes (tmpl_impl.h).
 *
 * Three passes over a flat token list, because whether a tag is "standalone"
 * (its line disappears from the output) depends on its neighbours on both
 * sides and, for parents and blocks, on where the matching end tag sits:
 *   1. tokenize (delimiter changes apply as they are met), and pair each
 *      section, parent and block with its end tag;
 *   2. cut standalone lines out of the neighbouring text and record the
 *      indentation that partials, parents and blocks carry;
 *   3. build the tree, then remove each argument block's intrinsic
 *      indentation from its content (outermost block first).
 * The whitespace rules are those of the spec's ~inheritance.yml and its
 * whitespace notes: a tag alone on its line is standalone; a parent whose
 * start tag begins its line and whose end tag ends its line is standalone;
 * a block tag that ends its line owns that line ending.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl_impl.h"

enum {
    MAX_NESTING = 100, /* sections, parents and blocks inside each other */
    MAX_DELIM = 15,
};

typedef struct token {
    char sigil;        /* 0 text; 'v' variable; else the tag's sigil: {&#^/!=><$ */
    size_t start, end; /* the whole token in the source */
    size_t ks, ke;     /* text: the part kept once standalone lines are cut */
    const char *content;
    nb_pos pos;
    long match; /* open tag: its end tag; end tag: its open tag */
    long encl;  /* innermost open tag enclosing this token, or -1 */
    /* line clearance (only spaces and tabs up to the line's start or end) */
    bool clear_before, clear_after, standalone;
    size_t line_start, line_end;
    const char *indent;
    const char *intrinsic;
} token;

typedef struct parser {
    const char *file;
    const char *src;
    size_t len;
    bool lenient;
    nb_arena *a;
    nb_diags *d;
    token *toks;
    size_t ntoks, cap;
    bool failed;
    /* incremental position tracking (offsets only grow while tokenizing) */
    size_t at;
    int line, col;
} parser;

static nb_pos pos_at(parser *p, size_t off)
{
    if (off < p->at) { /* rare (messages after tokenizing): start over */
        p->at = 0;
        p->line = 1;
        p->col = 0;
    }
    for (; p->at < off; p->at++) {
        unsigned char c = (unsigned char)p->src[p->at];
        if (c == '\n') {
            p->line++;
            p->col = 0;
        } else if ((c & 0xC0) != 0x80) { /* columns count characters, not bytes */
            p->col++;
        }
    }
    return (nb_pos){p->file, p->line, p->col + 1};
}

static void fail(parser *p, nb_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(parser *p, nb_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    nb_verror(p->d, pos, fmt, ap);
    va_end(ap);
    p->failed = true;
}

static bool is_ws(char c) { return c == ' ' || c == '\t'; }
static bool is_space(char c) { return is_ws(c) || c == '\n' || c == '\r'; }

static const char *find_str(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (s[i] == needle[0] && memcmp(s + i, needle, k) == 0)
            return s + i;
    return NULL;
}

static token *add_token(parser *p, char sigil, size_t start, size_t end)
{
    NB_GROW(p->toks, p->ntoks, p->cap);
    token *t = &p->toks[p->ntoks++];
    *t = (token){.sigil = sigil, .start = start, .end = end, .ks = start, .ke = end,
                 .match = -1, .encl = -1};
    t->pos = pos_at(p, start);
    return t;
}

/* ---- pass 1: tokens ---- */
static const char *trimmed(parser *p, size_t from, size_t to)
{
    while (from < to && is_space(p->src[from]))
        from++;
    while (to > from && is_space(p->src[to - 1]))
        to--;
    return nb_arena_strndup(p->a, p->src + from, to - from);
}

/* {{=<% %>=}}: exactly two delimiters, without spaces or '='. */
static bool set_delimiters(parser *p, const token *t, char *open, char *close)
{
    const char *s = t->content;
    size_t n1 = strcspn(s, " \t\r\n");
    const char *second = s + n1 + strspn(s + n1, " \t\r\n");
    size_t n2 = strcspn(second, " \t\r\n");
    bool ok = n1 > 0 && n2 > 0 && second[n2] == '\0' && n1 <= MAX_DELIM &&
              n2 <= MAX_DELIM && !memchr(s, '=', n1) && !memchr(second, '=', n2);
    if (!ok) {
        fail(p, t->pos, "the delimiter tag '%s' must name two delimiters without '=', "
             "such as {{=<%% %%>=}}", t->content);
        return false;
    }
    memcpy(open, s, n1);
    open[n1] = '\0';
    memcpy(close, second, n2);
    close[n2] = '\0';
    return true;
}

static bool scan_tag(parser *p, size_t start, char *open, char *close, size_t *next)
{
    size_t body = start + strlen(open);
    char sigil = 'v';
    if (body < p->len && p->src[body] && strchr("{&#^/!=><$", p->src[body]))
        sigil = p->src[body++];
    char closing[MAX_DELIM + 2];
    snprintf(closing, sizeof closing, "%s%s",
             sigil == '{' ? "}" : sigil == '=' ? "=" : "", close);
    const char *c = find_str(p->src + body, p->len - body, closing);
    if (!c) {
        fail(p, pos_at(p, start), "this tag is never closed: no '%s' follows its '%s'",
             closing, open);
        return false;
    }
    size_t cend = (size_t)(c - p->src);
    token *t = add_token(p, sigil, start, cend + strlen(closing));
    t->content = trimmed(p, body, cend);
    *next = t->end;
    if (sigil == '=')
        return set_delimiters(p, t, open, close);
    return true;
}

static bool tokenize(parser *p)
{
    char open[MAX_DELIM + 1] = "{{", close[MAX_DELIM + 1] = "}}";
    size_t at = 0;
    while (at < p->len) {
        const char *t = find_str(p->src + at, p->len - at, open);
        size_t start = t ? (size_t)(t - p->src) : p->len;
        if (start > at)
            add_token(p, 0, at, start);
        if (!t)
            break;
        if (!scan_tag(p, start, open, close, &at))
            return false;
    }
    return true;
}

/* ---- pass 1b: names and pairing ---- */
static bool is_open_sigil(char s) { return s == '#' || s == '^' || s == '<' || s == '$'; }

static const char *tag_text(parser *p, const token *t)
{
    return nb_arena_strndup(p->a, p->src + t->start, t->end - t->start);
}

static bool check_name(parser *p, const token *t)
{
    if (t->sigil == 0 || t->sigil == '!' || t->sigil == '=' || t->sigil == 'v' ||
        t->sigil == '{' || t->sigil == '&')
        return true; /* variables are checked with their helper pipeline */
    const char *s = t->content;
    if (!*s) {
        fail(p, t->pos, "the tag %s names nothing; expected a name after '%c'",
             tag_text(p, t), t->sigil);
        return false;
    }
    if (strpbrk(s, " \t\r\n")) {
        fail(p, t->pos, "the tag %s has a space in its name; a name is one word such "
             "as stats.total", tag_text(p, t));
        return false;
    }
    if (strchr(s, '|')) {
        fail(p, t->pos, "the tag %s uses a helper; helpers (|) go only in variable "
             "tags such as {{value | grouped}}", tag_text(p, t));
        return false;
    }
    return true;
}

static void unclosed(parser *p, const token *t)
{
    fail(p, t->pos, "{{%c%s}} is never closed; expected {{/%s}} before the end "
         "of the template", t->sigil, t->content, t->content);
}

static bool close_tag(parser *p, long *stack, size_t *depth, long i)
{
    token *t = &p->toks[i];
    if (*depth == 0) {
        fail(p, t->pos, "{{/%s}} closes nothing: no section named '%s' is open here",
             t->content, t->content);
        return false;
    }
    token *o = &p->toks[stack[*depth - 1]];
    if (strcmp(o->content, t->content) != 0) {
        fail(p, t->pos, "{{/%s}} does not match {{%c%s}} opened at line %d, column "
             "%d; close '%s' first", t->content, o->sigil, o->content, o->pos.line,
             o->pos.col, o->content);
        return false;
    }
    o->match = i;
    t->match = stack[*depth - 1];
    (*depth)--;
    t->encl = *depth ? stack[*depth - 1] : -1;
    return true;
}

static bool pair_tags(parser *p)
{
    long stack[MAX_NESTING];
    size_t depth = 0;
    for (size_t i = 0; i < p->ntoks; i++) {
        token *t = &p->toks[i];
        if (!check_name(p, t))
            return false;
        if (t->sigil == '/') {
            if (!close_tag(p, stack, &depth, (long)i))
                return false;
            continue;
        }
        t->encl = depth ? stack[depth - 1] : -1;
        if (is_open_sigil(t->sigil)) {
            if (depth == MAX_NESTING) {
                fail(p, t->pos, "sections are nested more than %d deep here",
                     MAX_NESTING);
                return false;
            }
            stack[depth++] = (long)i;
        }
    }
    for (size_t k = depth; k > 0; k--)
        unclosed(p, &p->toks[stack[k - 1]]);
    return depth == 0;
}

/* ---- pass 2: standalone lines ---- */
/* Only spaces and tabs between the start of the line and token i. */
static bool clear_before(const parser *p, size_t i, size_t *line_start)
{
    if (i == 0) {
        *line_start = p->toks[0].start;
        return true;
    }
    const token *prev = &p->toks[i - 1];
    if (prev->sigil)
        return false;
    size_t s = prev->end;
    while (s > prev->start && is_ws(p->src[s - 1]))
        s--;
    if (s > prev->start) {
        if (p->src[s - 1] != '\n')
            return false;
    } else if (i - 1 != 0) {
        return false; /* a tag precedes this whitespace on the line */
    }
    *line_start = s;
    return true;
}

/* Only spaces and tabs between token i and the end of its line; *line_end is
 * just past the line ending (or the end of the template). */
static bool clear_after(const parser *p, size_t i, size_t *line_end)
{
    if (i + 1 == p->ntoks) {
        *line_end = p->toks[i].end;
        return true;
    }
    const token *next = &p->toks[i + 1];
    if (next->sigil)
        return false;
    size_t s = next->start;
    while (s < next->end && is_ws(p->src[s]))
        s++;
    if (s == next->end) {
        *line_end = s;
        return i + 2 == p->ntoks;
    }
    if (p->src[s] == '\n') {
        *line_end = s + 1;
        return true;
    }
    if (p->src[s] == '\r' && s + 1 < next->end && p->src[s + 1] == '\n') {
        *line_end = s + 2;
        return true;
    }
    return false;
}

static void cut_before(parser *p, size_t i)
{
    token *t = &p->toks[i];
    if (i > 0 && p->toks[i - 1].sigil == 0) {
        token *prev = &p->toks[i - 1];
        if (t->line_start < prev->ke)
            prev->ke = t->line_start > prev->ks ? t->line_start : prev->ks;
    }
}

static void cut_after(parser *p, size_t i)
{
    token *t = &p->toks[i];
    if (i + 1 < p->ntoks && p->toks[i + 1].sigil == 0) {
        token *next = &p->toks[i + 1];
        if (t->line_end > next->ks)
            next->ks = t->line_end < next->ke ? t->line_end : next->ke;
    }
}

static const char *leading_ws(parser *p, const token *t)
{
    return nb_arena_strndup(p->a, p->src + t->line_start, t->start - t->line_start);
}

/* The spaces and tabs that begin the line starting at `off`. */
static const char *line_indent(parser *p, size_t off)
{
    size_t e = off;
    while (e < p->len && is_ws(p->src[e]))
        e++;
    return nb_arena_strndup(p->a, p->src + off, e - off);
}

static bool can_stand_alone(char sigil) { return sigil && strchr("#^/!=><$", sigil); }

static void mark_lines(parser *p)
{
    for (size_t i = 0; i < p->ntoks; i++) {
        token *t = &p->toks[i];
        if (!can_stand_alone(t->sigil))
            continue;
        t->clear_before = clear_before(p, i, &t->line_start);
        t->clear_after = clear_after(p, i, &t->line_end);
        t->standalone = t->clear_before && t->clear_after;
        if (t->standalone) {
            cut_before(p, i);
            cut_after(p, i);
            t->indent = leading_ws(p, t);
        }
    }
}

/* A parent is standalone when its start tag begins its line and its end tag
 * ends its line, even with both on one line. */
static void mark_parent(parser *p, size_t i)
{
    token *t = &p->toks[i];
    token *end = &p->toks[t->match];
    if (t->clear_before && end->clear_after) {
        cut_before(p, i);
        cut_after(p, (size_t)t->match);
        t->indent = leading_ws(p, t);
    } else {
        t->indent = NULL;
    }
}

static void mark_block(parser *p, size_t i)
{
    token *t = &p->toks[i];
    bool argument = t->encl >= 0 && p->toks[t->encl].sigil == '<';
    if (argument) {
        /* What precedes an argument's start tag and follows its end tag lies
         * inside the parent and is ignored; the line ending after the start
         * tag belongs to the tag. */
        t->intrinsic = "";
        if (t->clear_after) {
            cut_after(p, i);
            t->intrinsic = line_indent(p, t->line_end);
        }
        if (p->toks[t->match].clear_before)
            cut_before(p, (size_t)t->match);
        return;
    }
    if (t->standalone)
        t->indent = line_indent(p, t->line_end); /* intrinsic: the content's */
    else if (t->clear_before)
        t->indent = leading_ws(p, t);
    else
        t->indent = "";
}

static void mark_standalone(parser *p)
{
    mark_lines(p);
    for (size_t i = 0; i < p->ntoks; i++) {
        if (p->toks[i].sigil == '<')
            mark_parent(p, i);
        else if (p->toks[i].sigil == '$')
            mark_block(p, i);
    }
}

/* ---- pass 3: the tree ---- */
static tnode *new_node(parser *p, tn_kind kind, const token *t)
{
    tnode *n = nb_arena_alloc(p->a, sizeof *n);
    n->kind = kind;
    n->pos = t->pos;
    n->name = t->content;
    return n;
}

/* Children are collected in a growable array and frozen when the node closes. */
typedef struct open_node {
    tnode *node;
    tnode **kids;
    size_t count, cap;
} open_node;

static void add_kid(open_node *o, tnode *kid)
{
    NB_GROW(o->kids, o->count, o->cap);
    o->kids[o->count++] = kid;
}

static void freeze(parser *p, open_node *o)
{
    o->node->nkids = o->count;
    o->node->kids = nb_arena_alloc(p->a, (o->count + 1) * sizeof *o->node->kids);
    if (o->count)
        memcpy(o->node->kids, o->kids, o->count * sizeof *o->kids);
    free(o->kids);
    *o = (open_node){0};
}

/* Inside {{<parent}} only {{$block}}s count; anything else is ignored by the
 * spec — and reported in strict mode, since it would never reach the output. */
static void ignored_in_parent(parser *p, const tnode *parent, const token *t)
{
    if (p->lenient || p->failed) /* one such message is enough */
        return;
    if (t->sigil != 0) {
        fail(p, t->pos, "the tag %s inside {{<%s}} would be ignored; only {{$block}} "
             "tags may appear directly inside a parent", tag_text(p, t), parent->name);
        return;
    }
    const char *s = p->src + t->ks, *e = p->src + t->ke;
    while (s < e && is_space(*s))
        s++;
    if (s == e)
        return;
    size_t n = strcspn(s, "\r\n"); /* quote its first line */
    if (n > (size_t)(e - s))
        n = (size_t)(e - s);
    while (n > 0 && is_space(s[n - 1]))
        n--;
    fail(p, pos_at(p, (size_t)(s - p->src)), "text inside {{<%s}} would be ignored "
         "('%.*s'); put it inside a {{$block}} that %s defines", parent->name,
         (int)(n > 24 ? 24 : n), s, parent->name);
}

static void check_partial_name(parser *p, const token *t)
{
    const char *why = nb_tmpl_bad_partial_name(t->content);
    if (why)
        fail(p, t->pos, "the partial name '%s' is refused: %s", t->content, why);
}

static tnode *leaf(parser *p, const token *t)
{
    tnode *n;
    switch (t->sigil) {
    case 0:
        if (t->ke <= t->ks)
            return NULL;
        n = new_node(p, TN_TEXT, t);
        n->text = p->src + t->ks;
        n->len = t->ke - t->ks;
        n->bol = t->ks == 0 || p->src[t->ks - 1] == '\n';
        return n;
    case 'v':
    case '{':
    case '&':
        n = new_node(p, TN_VAR, t);
        n->raw = t->sigil != 'v';
        if (!nb_tmpl_parse_pipeline(t->content, t->pos, n, p->a, p->d)) {
            p->failed = true;
            return NULL;
        }
        return n;
    case '>':
        n = new_node(p, TN_PARTIAL, t);
        n->indent = t->standalone ? t->indent : NULL;
        check_partial_name(p, t);
        return n;
    default:
        return NULL; /* comments, delimiter changes */
    }
}

static tnode *opening(parser *p, const token *t, const open_node *top)
{
    static const tn_kind kinds[] = {['#'] = TN_SECTION, ['^'] = TN_INVERTED,
                                    ['<'] = TN_PARENT, ['$'] = TN_BLOCK};
    tnode *n = new_node(p, kinds[(unsigned char)t->sigil], t);
    n->indent = t->indent;
    if (n->kind == TN_BLOCK) {
        n->argument = top->node->kind == TN_PARENT;
        n->intrinsic = t->intrinsic;
    }
    if ((n->kind == TN_SECTION || n->kind == TN_INVERTED) && n->name[0] == '@' &&
        !nb_tmpl_known_special(n->name))
        fail(p, t->pos, "unknown name '%s'; the special names are %s", n->name,
             NB_TMPL_SPECIALS);
    if (n->kind == TN_PARENT)
        check_partial_name(p, t);
    return n;
}

static tnode *build(parser *p)
{
    open_node stack[MAX_NESTING + 1] = {{0}};
    size_t depth = 1;
    stack[0].node = nb_arena_alloc(p->a, sizeof(tnode));
    stack[0].node->kind = TN_SECTION;
    for (size_t i = 0; i < p->ntoks; i++) {
        const token *t = &p->toks[i];
        open_node *top = &stack[depth - 1];
        if (t->sigil == '/') {
            freeze(p, top);
            depth--;
            continue;
        }
        bool opens = is_open_sigil(t->sigil);
        tnode *n = opens ? opening(p, t, top) : leaf(p, t);
        if (top->node->kind != TN_PARENT || (n && n->kind == TN_BLOCK))
            if (n)
                add_kid(top, n);
        if (top->node->kind == TN_PARENT && t->sigil != '$' && t->sigil != '!' &&
            t->sigil != '=')
            ignored_in_parent(p, top->node, t);
        if (opens)
            stack[depth++] = (open_node){.node = n};
    }
    tnode *root = stack[0].node;
    freeze(p, &stack[0]);
    return root;
}

/* ---- pass 3b: argument blocks lose their intrinsic indentation ---- */
static size_t common_ws(const char *s, size_t n, const char *ind)
{
    size_t k = 0;
    while (k < n && ind[k] && s[k] == ind[k])
        k++;
    return k;
}

static void dedent_text(tnode *t, const char *ind, nb_arena *a)
{
    nb_buf b = {0};
    size_t i = 0;
    bool line_start = t->bol;
    while (i < t->len) {
        if (line_start)
            i += common_ws(t->text + i, t->len - i, ind);
        const char *nl = memchr(t->text + i, '\n', t->len - i);
        size_t end = nl ? (size_t)(nl - t->text) + 1 : t->len;
        nb_buf_append(&b, t->text + i, end - i);
        i = end;
        line_start = nl != NULL;
    }
    t->text = nb_arena_strndup(a, nb_buf_str(&b), b.len);
    t->len = b.len;
    nb_buf_free(&b);
}

static const char *dedent_str(const char *s, const char *ind)
{
    return s ? s + common_ws(s, strlen(s), ind) : NULL;
}

static void dedent_tree(tnode **kids, size_t n, const char *ind, nb_arena *a)
{
    for (size_t i = 0; i < n; i++) {
        tnode *k = kids[i];
        if (k->kind == TN_TEXT)
            dedent_text(k, ind, a);
        k->indent = dedent_str(k->indent, ind);
        k->intrinsic = dedent_str(k->intrinsic, ind);
        dedent_tree(k->kids, k->nkids, ind, a);
    }
}

static void apply_dedents(tnode *n, nb_arena *a)
{
    if (n->kind == TN_BLOCK && n->argument && n->intrinsic && *n->intrinsic)
        dedent_tree(n->kids, n->nkids, n->intrinsic, a);
    for (size_t i = 0; i < n->nkids; i++)
        apply_dedents(n->kids[i], a);
}

/* ---- entry ---- */
static bool valid_utf8(parser *p)
{
    size_t bad = nb_utf8_invalid_at(p->src, p->len);
    if (bad == (size_t)-1)
        return true;
    nb_error(p->d, pos_at(p, bad), "the template is not valid UTF-8 text here "
             "(byte 0x%02X); save it as UTF-8", (unsigned char)p->src[bad]);
    return false;
}

nb_template *nb_tmpl_parse(const char *file, const char *text, size_t len,
                           bool lenient, nb_arena *a, nb_diags *d)
{
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3, len -= 3; /* a BOM is not part of the text */
    parser p = {.file = file, .src = text, .len = len, .lenient = lenient,
                .a = a, .d = d, .line = 1};
    nb_template *t = NULL;
    if (valid_utf8(&p) && tokenize(&p) && pair_tags(&p)) {
        mark_standalone(&p);
        tnode *root = build(&p);
        if (!p.failed) {
            apply_dedents(root, a);
            t = nb_arena_alloc(a, sizeof *t);
            t->file = file;
            t->root = root;
        }
    }
    free(p.toks);
    return t;
}
