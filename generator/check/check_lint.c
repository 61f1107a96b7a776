/* check_lint.c — warnings about the narrative (check_lint.h). */
#include "check_lint.h"
#include "i18n.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* A figure of the tables, to recognise it when the text repeats it. */
typedef struct figure {
    double value;
    const nb_cell *cell;
    unsigned table; /* index in the format's tables */
    const nb_node *node;
} figure;

typedef struct lint {
    const nb_format *f;
    nb_check_options *o;
    nb_diags *d;
    nb_arena a;
    figure *figs;
    size_t nfigs, cap;
    double *sums; /* sums of several cells that have no cell of their own */
    size_t nsums, sums_cap;
    size_t warnings;     /* given so far; see MAX_WARNINGS */
    size_t held_back;
} lint;

/* At most this many punctuation warnings for one text, and this many lint
 * warnings in all; then a summary. */
enum { PUNCT_WARNINGS_PER_TEXT = 5, MAX_WARNINGS = 200 };

static void warn(lint *L, nb_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void warn(lint *L, nb_pos pos, const char *fmt, ...)
{
    if (L->warnings >= MAX_WARNINGS) {
        L->held_back++;
        return;
    }
    L->warnings++;
    va_list ap;
    va_start(ap, fmt);
    nb_buf msg = {0};
    nb_buf_vprintf(&msg, _(fmt), ap); /* nb_warning translates only its own format */
    va_end(ap);
    nb_warning(L->d, pos, "%s", nb_buf_str(&msg));
    nb_buf_free(&msg);
}

/* ---- characters ---- */
static bool is_han(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x20000 && cp <= 0x2FFFF) || (cp >= 0xF900 && cp <= 0xFAFF);
}

/* Chinese text: Han characters and the marks set with them. */
static bool is_chinese(uint32_t cp)
{
    return is_han(cp) || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF01 && cp <= 0xFF5E) ||
           (cp >= 0x2018 && cp <= 0x201D) || cp == 0x2014 || cp == 0x2026;
}

static const char *full_width_of(uint32_t cp)
{
    switch (cp) {
    case ',': return "，";
    case ';': return "；";
    case ':': return "：";
    case '?': return "？";
    case '!': return "！";
    case '(': return "（";
    case ')': return "）";
    }
    return NULL;
}

/* Marks that never stand twice in a row. */
static bool is_single_mark(uint32_t cp)
{
    return cp == 0xFF0C || cp == 0x3002 || cp == 0x3001 || cp == 0xFF1B || cp == 0xFF1A ||
           cp == 0xFF01 || cp == 0xFF1F || cp == ',' || cp == ';' || cp == ':';
}

static bool is_emphatic_pair(uint32_t a, uint32_t b)
{
    return (a == 0xFF1F || a == 0xFF01) && (b == 0xFF1F || b == 0xFF01) && a != b;
}

typedef struct chars {
    uint32_t *cp;
    size_t *off; /* byte offset of each */
    size_t n;
} chars;

static chars decode(const char *s)
{
    size_t len = strlen(s);
    chars c = {nb_xmalloc((len + 1) * sizeof *c.cp), nb_xmalloc((len + 1) * sizeof *c.off), 0};
    for (size_t at = 0; at < len;) {
        uint32_t cp;
        size_t k = nb_utf8_decode(s + at, len - at, &cp);
        c.cp[c.n] = cp;
        c.off[c.n++] = at;
        at += k ? k : 1;
    }
    return c;
}

/* ---- punctuation ---- */
static bool half_width_misplaced(const chars *c, size_t i)
{
    uint32_t cp = c->cp[i];
    uint32_t prev = i > 0 ? c->cp[i - 1] : 0, next = i + 1 < c->n ? c->cp[i + 1] : 0;
    if (cp == '(' || cp == ')')
        return is_chinese(prev) || is_chinese(next);
    return is_chinese(prev) || is_han(next);
}

static void lint_placeholder(lint *L, const nb_node *n)
{
    const char *at = strstr(n->text, NB_PLACEHOLDER);
    if (!at)
        return;
    const char *end = strstr(at, "】");
    int len = end ? (int)(end - at) + (int)strlen("】") : (int)strlen(NB_PLACEHOLDER);
    nb_pos pos = nb_scalar_text_pos(n, (size_t)(at - n->text));
    /* every one is shown, past the cap: `build` refuses them one by one */
    if (L->o)
        L->o->placeholders++;
    if (L->o && L->o->publishing)
        nb_rule_error(L->d, pos, "the text still holds the placeholder '%.*s' of the "
                      "skeleton; a published report cannot: write the report's own text "
                      "here (nianbao preview writes a draft as it is)", len, at);
    else
        nb_warning(L->d, pos, "the text still holds the placeholder '%.*s' of the "
                   "skeleton; write the report's own text here", len, at);
}

static void lint_punctuation(lint *L, const nb_node *n)
{
    chars c = decode(n->text);
    size_t reported = 0, more = 0;
    for (size_t i = 0; i < c.n; i++) {
        const char *full = full_width_of(c.cp[i]);
        if (full && half_width_misplaced(&c, i)) {
            if (reported++ < PUNCT_WARNINGS_PER_TEXT)
                warn(L, nb_scalar_text_pos(n, c.off[i]), "half-width '%c' in Chinese text; "
                           "GB/T 15834 wants the full-width '%s' here", (char)c.cp[i], full);
            else
                more++;
        }
        if (i > 0 && is_single_mark(c.cp[i - 1]) && is_single_mark(c.cp[i]) &&
            !is_emphatic_pair(c.cp[i - 1], c.cp[i])) {
            size_t len = (i + 1 < c.n ? c.off[i + 1] : strlen(n->text)) - c.off[i - 1];
            warn(L, nb_scalar_text_pos(n, c.off[i - 1]), "doubled punctuation '%.*s'; keep "
                       "one mark", (int)len, n->text + c.off[i - 1]);
        }
    }
    if (more)
        warn(L, n->pos, "%zu more half-width marks in this text; GB/T 15834 "
                   "wants full-width punctuation in Chinese text", more);
    free(c.cp);
    free(c.off);
}

/* ---- figures written as literal numbers ---- */
typedef struct token {
    const nb_node *node;
    size_t off;
    const char *rest; /* the text right after the number (its unit, often) */
    double value;
    bool strong; /* three digits or more, or decimals: matched against every table */
} token;

enum { MAX_TOKENS = 64 };

typedef struct sentence {
    token toks[MAX_TOKENS];
    size_t ntok;
    uint64_t quoted; /* tables the sentence quotes a figure of (by alias) */
} sentence;

static uint64_t table_bit(unsigned t) { return t < 64 ? (uint64_t)1 << t : 0; }

static const figure *figure_node(const lint *L, const nb_node *n)
{
    for (size_t i = 0; i < L->nfigs; i++)
        if (L->figs[i].node == n)
            return &L->figs[i];
    return NULL;
}

static void collect_figures(lint *L, const nb_node *data)
{
    for (size_t t = 0; t < L->f->ntables; t++) {
        const nb_table *tb = &L->f->tables[t];
        for (size_t k = 0; k < tb->ncells; k++) {
            const nb_cell *c = &tb->cells[k];
            const nb_node *v = c->kind == NB_CELL_VALUE && c->key ? nb_node_at(data, c->key)
                                                                   : NULL;
            double x;
            if (!v || !nb_node_number(v, &x) || !isfinite(x))
                continue;
            NB_GROW(L->figs, L->nfigs, L->cap);
            L->figs[L->nfigs++] = (figure){x, c, (unsigned)t, v};
        }
    }
}

static bool is_ascii_alnum(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
}

/* Characters around a number that make it something else than a count: a
 * code, a phone number, an e-mail, an ordinal, a date, a percentage. */
static bool not_a_count(uint32_t before, uint32_t after)
{
    static const uint32_t bad_before[] = {'.', '@', '-', '/', '_', ':', '#', 0x7B2C /* 第 */,
                                          0xFF0D, 0};
    static const uint32_t bad_after[] = {'@', '-', '/', '_', ':', '%', 0xFF05 /* ％ */,
                                         0x5E74 /* 年 */, 0x6708 /* 月 */, 0x65E5 /* 日 */,
                                         0x53F7 /* 号 */, 0x65F6 /* 时 */, 0x5C81 /* 岁 */,
                                         0x2030 /* ‰ */, 0x591A /* 多 */, 0x4F59 /* 余 */,
                                         0};
    if (is_ascii_alnum(before) || is_ascii_alnum(after))
        return true;
    for (size_t i = 0; bad_before[i]; i++)
        if (before == bad_before[i])
            return true;
    for (size_t i = 0; bad_after[i]; i++)
        if (after == bad_after[i])
            return true;
    return false;
}

static void add_token(sentence *s, const nb_node *n, size_t off, const char *num,
                      size_t len, const char *rest)
{
    char buf[64];
    if (len >= sizeof buf || s->ntok >= MAX_TOKENS)
        return;
    if (num[0] == '0' && len > 1 && num[1] != '.')
        return; /* 0517, 007: a code, not a count */
    memcpy(buf, num, len);
    buf[len] = '\0';
    double x = strtod(buf, NULL);
    bool decimals = memchr(num, '.', len) != NULL;
    if (x < 10 && !decimals)
        return; /* too common to mean anything */
    s->toks[s->ntok++] = (token){n, off, rest, x, x >= 100 || decimals};
}

static bool is_sentence_end(uint32_t cp)
{
    return cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F; /* 。！？ */
}

static void warn_literal(lint *L, const token *t, const figure *match, size_t others)
{
    char num[64];
    const char *text = t->node->text + t->off;
    size_t len = strspn(text, "0123456789.");
    snprintf(num, sizeof num, "%.*s", (int)(len < 60 ? len : 60), text);
    nb_pos at = nb_scalar_text_pos(t->node, t->off);
    const char *also = others ? nb_arena_printf(&L->a, " (and %zu other cell%s)", others,
                                                others == 1 ? "" : "s")
                              : "";
    warn(L, at, "the text writes %s, the figure of %s%s in the table; quote the "
               "figure instead, writing {{%s}} in the text, so that text and table cannot "
               "disagree", num, match->cell->name ? match->cell->name : match->cell->key,
               also, match->cell->key);
}

/* Whether the word after a number can be the figure's unit: "130处" is not
 * a count of 人, "300人次" may be. Without a unit either way, it can. */
static bool unit_fits(const token *t, const nb_cell *c)
{
    uint32_t word, unit;
    if (!c->unit || !*c->unit || !t->rest || !*t->rest)
        return true;
    nb_utf8_decode(t->rest, strlen(t->rest), &word);
    nb_utf8_decode(c->unit, strlen(c->unit), &unit);
    return !is_han(word) || word == unit;
}

/* The figures a token may be; `within` limits them to some tables (0: all). */
static const figure *match_token(const lint *L, const token *t, uint64_t within,
                                 size_t *others)
{
    const figure *first = NULL;
    *others = 0;
    for (size_t i = 0; i < L->nfigs; i++) {
        const figure *g = &L->figs[i];
        if (g->node == t->node || fabs(g->value - t->value) > 1e-9 * fmax(1, t->value))
            continue;
        if ((within && !(within & table_bit(g->table))) || !unit_fits(t, g->cell))
            continue;
        if (!first)
            first = g;
        else
            ++*others;
    }
    return first;
}

/* A number that is also a sum of several cells (a group's total that has
 * no cell of its own) may well mean that sum: not taken for a figure. */
static bool is_a_sum(const lint *L, double x)
{
    for (size_t i = 0; i < L->nsums; i++)
        if (fabs(L->sums[i] - x) <= 1e-9 * fmax(1, x))
            return true;
    return false;
}

static void judge_sentence(lint *L, sentence *s)
{
    uint64_t context = s->quoted;
    size_t others;
    for (size_t i = 0; i < s->ntok; i++) {
        const figure *g = s->toks[i].strong && !is_a_sum(L, s->toks[i].value)
                              ? match_token(L, &s->toks[i], 0, &others) : NULL;
        if (g) {
            warn_literal(L, &s->toks[i], g, others);
            context |= table_bit(g->table);
        }
    }
    for (size_t i = 0; context && i < s->ntok; i++) {
        const figure *g = !s->toks[i].strong && !is_a_sum(L, s->toks[i].value)
                              ? match_token(L, &s->toks[i], context, &others) : NULL;
        if (g)
            warn_literal(L, &s->toks[i], g, others);
    }
    s->ntok = 0;
    s->quoted = 0;
}

/* The tables whose figures a text quotes inline ({{key}}): a two-digit
 * number beside them is matched against those tables. */
static void mark_inline_quotes(lint *L, sentence *s, const char *text)
{
    for (const char *p = strstr(text, "{{"); p; p = strstr(p + 2, "{{")) {
        const char *k = p + 2 + strspn(p + 2, " ");
        size_t n = strcspn(k, " }");
        char key[256];
        const nb_table *t;
        if (n >= sizeof key)
            continue;
        memcpy(key, k, n);
        key[n] = '\0';
        if (nb_format_find_cell(L->f, key, &t))
            s->quoted |= table_bit((unsigned)(t - L->f->tables));
    }
}

/* The numbers of one piece of text, ending sentences at 。！？ */
static void scan_piece(lint *L, sentence *s, const nb_node *n)
{
    chars c = decode(n->text);
    for (size_t i = 0; i < c.n; i++) {
        if (is_sentence_end(c.cp[i])) {
            judge_sentence(L, s);
            continue;
        }
        if (c.cp[i] < '0' || c.cp[i] > '9' || (i > 0 && c.cp[i - 1] >= '0' && c.cp[i - 1] <= '9'))
            continue;
        size_t j = i;
        while (j < c.n && c.cp[j] >= '0' && c.cp[j] <= '9')
            j++;
        if (j + 1 < c.n && c.cp[j] == '.' && c.cp[j + 1] >= '0' && c.cp[j + 1] <= '9')
            for (j++; j < c.n && c.cp[j] >= '0' && c.cp[j] <= '9'; j++)
                ;
        uint32_t before = i > 0 ? c.cp[i - 1] : 0, after = j < c.n ? c.cp[j] : 0;
        const char *rest = n->text + (j < c.n ? c.off[j] : strlen(n->text));
        if (!not_a_count(before, after))
            add_token(s, n, c.off[i], n->text + c.off[i], j - i, rest);
        i = j - 1;
    }
    free(c.cp);
    free(c.off);
}

/* One text: a scalar, or a list of pieces (strings, figures quoted by alias,
 * numbers) read as one run of sentences. */
static void lint_text(lint *L, const nb_node *const *pieces, size_t n)
{
    sentence s = {0};
    for (size_t i = 0; i < n; i++) {
        const nb_node *p = pieces[i];
        const figure *quoted = figure_node(L, p);
        nb_value_type t = nb_node_type(p);
        if (quoted) {
            s.quoted |= table_bit(quoted->table);
        } else if (t == NB_TYPE_INT || t == NB_TYPE_FLOAT) {
            const nb_node *next = i + 1 < n ? pieces[i + 1] : NULL;
            add_token(&s, p, 0, p->text, strlen(p->text),
                      next && next->kind == NB_NODE_SCALAR ? next->text : "");
        } else if (t == NB_TYPE_STRING) {
            lint_placeholder(L, p);
            lint_punctuation(L, p);
            mark_inline_quotes(L, &s, p->text);
            scan_piece(L, &s, p);
        }
    }
    judge_sentence(L, &s);
}

/* ---- which parts of the report are text ---- */
static bool is_table_path(const lint *L, const char *path)
{
    size_t len = strlen(path);
    for (size_t t = 0; t < L->f->ntables; t++) {
        const nb_table *tb = &L->f->tables[t];
        for (size_t k = 0; k < tb->ncells; k++) {
            const char *key = tb->cells[k].key;
            if (key && strncmp(key, path, len) == 0 && (key[len] == '.' || !key[len]))
                return true;
        }
    }
    return false;
}

static bool all_scalars(const nb_node *seq)
{
    for (size_t i = 0; i < seq->count; i++)
        if (seq->items[i]->kind != NB_NODE_SCALAR)
            return false;
    return true;
}

static void lint_node(lint *L, const nb_node *n, const char *path);

static void lint_children(lint *L, const nb_node *n, const char *path)
{
    for (size_t i = 0; i < n->count; i++) {
        const char *sub = n->kind == NB_NODE_MAP
                              ? (*path ? nb_arena_printf(&L->a, "%s.%s", path,
                                                         n->pairs[i].key->text)
                                       : n->pairs[i].key->text)
                              : nb_arena_printf(&L->a, "%s.%zu", path, i);
        lint_node(L, n->kind == NB_NODE_MAP ? n->pairs[i].value : n->items[i], sub);
    }
}

static void lint_as_text(lint *L, const nb_node *n, bool paragraphs)
{
    if (n->kind == NB_NODE_SCALAR)
        lint_text(L, (const nb_node *const *)&n, 1);
    else if (n->kind == NB_NODE_SEQ && paragraphs)
        for (size_t i = 0; i < n->count; i++)
            lint_text(L, (const nb_node *const *)&n->items[i], 1);
    else if (n->kind == NB_NODE_SEQ && all_scalars(n))
        lint_text(L, (const nb_node *const *)n->items, n->count);
}

static void lint_node(lint *L, const nb_node *n, const char *path)
{
    const nb_field *fd = L->f->fields && *path ? nb_format_field(L->f, path) : NULL;
    if (fd) {
        if (fd->type == NB_FIELD_TEXT || fd->type == NB_FIELD_PIECES)
            lint_as_text(L, n, false);
        else if (fd->type == NB_FIELD_PARAGRAPHS)
            lint_as_text(L, n, true);
        else if (fd->type == NB_FIELD_MAP || fd->type == NB_FIELD_LIST)
            lint_children(L, n, path);
        return;
    }
    /* a table's data sits right under the root (its `data:` key); no deeper
     * path can be the table's when its first segment is not */
    if (strcmp(path, "format") == 0 || (*path && !strchr(path, '.') && is_table_path(L, path)))
        return;
    if (n->kind == NB_NODE_MAP || (n->kind == NB_NODE_SEQ && !all_scalars(n)))
        lint_children(L, n, path);
    else
        lint_as_text(L, n, false);
}

/* ---- sums without a cell of their own ---- */
static void add_sum(lint *L, double x)
{
    NB_GROW(L->sums, L->nsums, L->sums_cap);
    L->sums[L->nsums++] = x;
}

/* The grid rows a group label heads: the rows it spans (a nested table),
 * or the rows below it up to the next label as high (an indented one). */
static int group_end(const nb_table *t, const nb_cell *g)
{
    if (g->rows > 1)
        return g->row + g->rows;
    int end = t->nrows;
    for (size_t k = 0; k < t->ncells; k++) {
        const nb_cell *c = &t->cells[k];
        if (c->kind == NB_CELL_LABEL && c->row > g->row && c->level <= g->level &&
            c->row < end)
            end = c->row;
    }
    return end;
}

/* Per value column, the sum of a group's figures (two or more, all known). */
static void add_group_sums(lint *L, const nb_node *data, const nb_table *t,
                           const nb_cell *g)
{
    int first = g->rows > 1 ? g->row : g->row + 1, end = group_end(t, g);
    for (int col = 0; col < t->ncols; col++) {
        double sum = 0;
        int n = 0;
        bool known = true;
        for (size_t k = 0; k < t->ncells; k++) {
            const nb_cell *c = &t->cells[k];
            double x;
            if (c->kind != NB_CELL_VALUE || !c->key || c->col != col || c->row < first ||
                c->row >= end)
                continue;
            known = known && nb_node_number(nb_node_at(data, c->key), &x);
            sum += known ? x : 0;
            n++;
        }
        if (known && n >= 2)
            add_sum(L, sum);
    }
}

static bool side_sum(const nb_node *data, const char **keys, size_t n, double *out)
{
    double sum = 0, x;
    for (size_t i = 0; i < n; i++) {
        if (!nb_node_number(nb_node_at(data, keys[i]), &x))
            return false;
        sum += x;
    }
    *out = sum;
    return n >= 2;
}

static void collect_sums(lint *L, const nb_node *data)
{
    for (size_t i = 0; i < L->f->ntables; i++) {
        const nb_table *t = &L->f->tables[i];
        for (size_t k = 0; k < t->ncells; k++)
            if (t->cells[k].kind == NB_CELL_LABEL && t->cells[k].group)
                add_group_sums(L, data, t, &t->cells[k]);
    }
    for (size_t i = 0; i < L->f->nrules; i++) {
        const nb_rule *r = &L->f->rules[i];
        double x;
        if (r->kind != NB_RULE_EQUAL_SUMS)
            continue;
        if (side_sum(data, r->parts, r->nparts, &x))
            add_sum(L, x);
        if (side_sum(data, r->others, r->nothers, &x))
            add_sum(L, x);
    }
}

void nb_lint_report(const nb_format *f, const nb_node *data, nb_check_options *o,
                    nb_diags *d)
{
    if (!data || data->kind != NB_NODE_MAP)
        return;
    lint L = {.f = f, .o = o, .d = d};
    collect_figures(&L, data);
    collect_sums(&L, data);
    lint_node(&L, data, "");
    if (L.held_back)
        nb_warning(d, data->pos, "%zu more warnings about the text are not shown", L.held_back);
    free(L.figs);
    free(L.sums);
    nb_arena_free(&L.a);
}
