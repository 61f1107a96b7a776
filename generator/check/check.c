/* check.c — figures, rules and the previous year's report (check.h). The
 * schema pass is check_schema.c, the narrative's lint check_lint.c. */
#include "check.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_chars.h"
#include "check_lint.h"
#include "i18n.h"

/* ---- figures ---- */

/* Where to point when a figure is missing: the key of the deepest map on
 * the way to it that exists (that is where the figure should be added). */
static nb_pos missing_figure_pos(const nb_node *root, const char *key)
{
    nb_pos pos = root->pos;
    const nb_node *n = root;
    const char *s = key;
    while (n && *s) {
        const char *dot = strchr(s, '.');
        size_t len = dot ? (size_t)(dot - s) : strlen(s);
        char seg[256];
        if (len >= sizeof seg)
            break;
        memcpy(seg, s, len);
        seg[len] = '\0';
        const nb_pair *p = nb_map_pair(n, seg);
        if (!p)
            break;
        pos = p->key->pos;
        n = p->value;
        s += len + (dot ? 1 : 0);
    }
    return pos;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* "1,234" and "12,345,678.5": digits grouped by three. */
static bool is_thousands_grouping(const char *s)
{
    size_t lead = strspn(s, "0123456789");
    if (lead < 1 || lead > 3 || s[lead] != ',')
        return false;
    s += lead;
    while (*s == ',') {
        if (strspn(s + 1, "0123456789") != 3)
            return false;
        s += 4;
    }
    if (*s == '.')
        s += 1 + strspn(s + 1, "0123456789");
    return *s == '\0';
}

/* "1,2", "1，2": digits around a comma, but no thousands grouping. */
static bool has_comma_between_digits(const char *s)
{
    for (const char *p = s; *p; p++) {
        size_t comma = *p == ',' ? 1 : strncmp(p, "，", 3) == 0 ? 3 : 0;
        if (comma && p > s && is_digit(p[-1]) && is_digit(p[comma]))
            return true;
    }
    return false;
}

static bool is_full_width_number(const char *s)
{
    /* ０-９ are U+FF10..U+FF19: EF BC 90..99 */
    return (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBC &&
           (unsigned char)s[2] >= 0x90 && (unsigned char)s[2] <= 0x99;
}

/* "12件", "12 件": a number with a unit after it; the number's length. */
static size_t number_with_unit(const char *s)
{
    size_t n = strspn(s, "0123456789");
    if (n && s[n] == '.' && is_digit(s[n + 1]))
        n += 1 + strspn(s + n + 1, "0123456789");
    size_t sp = n + strspn(s + n, " ");
    return n && s[sp] && (unsigned char)s[sp] >= 0x80 ? n : 0;
}

static const char *figure_noun(const nb_cell *c)
{
    return c->figure == NB_FIGURE_AMOUNT ? _("an amount") : _("a count");
}

/* Exact sums of figures: a figure is at most 10^18 micro-units, and a sum
 * of any number of them fits here. */
typedef __int128 exact_sum;

/* A value in micro-units as a plain decimal: "12", "3.25". */
static void format_micro(char *out, size_t size, exact_sum micro)
{
    char digits[48];
    size_t n = 0;
    bool negative = micro < 0;
    unsigned __int128 u = negative ? (unsigned __int128)(-micro) : (unsigned __int128)micro;
    do {
        digits[n++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u && n < sizeof digits);
    while (n <= NB_FIGURE_MAX_DECIMALS)
        digits[n++] = '0';
    size_t frac = 0; /* decimals worth printing */
    for (size_t i = NB_FIGURE_MAX_DECIMALS; i > 0 && !frac; i--)
        if (digits[i - 1] != '0')
            frac = NB_FIGURE_MAX_DECIMALS - i + 1;
    size_t k = 0;
    if (negative && k + 1 < size)
        out[k++] = '-';
    for (size_t i = n; i > NB_FIGURE_MAX_DECIMALS && k + 1 < size; i--)
        out[k++] = digits[i - 1];
    if (frac && k + 1 < size)
        out[k++] = '.';
    for (size_t i = 0; i < frac && k + 1 < size; i++)
        out[k++] = digits[NB_FIGURE_MAX_DECIMALS - 1 - i];
    out[k] = '\0';
}

/* A figure written with an exponent: what to say about it. */
static void check_exponent(const nb_cell *c, const nb_node *v, long long meant, nb_diags *d)
{
    errno = 0;
    double x = strtod(v->text, NULL);
    char plain[48];
    format_micro(plain, sizeof plain, meant);
    if (errno == ERANGE && fabs(x) < 1)
        nb_error(d, v->pos, "%s is written %s, a number too small to be a figure (it "
                 "underflows to 0); write it in plain decimal, with at most %d decimals",
                 c->name, v->text, NB_FIGURE_MAX_DECIMALS);
    else if (meant || x == 0)
        nb_error(d, v->pos, "%s is written %s, with an exponent; write it in plain "
                 "decimal: %s", c->name, v->text, plain);
    else
        nb_error(d, v->pos, "%s is written %s, with an exponent; write it in plain "
                 "decimal (a figure is at most %lld, with at most %d decimals)", c->name,
                 v->text, NB_FIGURE_MAX, NB_FIGURE_MAX_DECIMALS);
}

/* A figure written otherwise than in plain decimal, or out of range. */
static void check_figure_syntax(const nb_cell *c, const nb_node *v, nb_figure_syntax s,
                                long long meant, nb_diags *d)
{
    char plain[48];
    format_micro(plain, sizeof plain, meant);
    const char *name = c->name;
    switch (s) {
    case NB_FIGURE_PLAIN:
        break;
    case NB_FIGURE_NEGATIVE:
        nb_error(d, v->pos, "%s is %s, but %s cannot be negative", name, v->text,
                 figure_noun(c));
        break;
    case NB_FIGURE_NEGATIVE_ZERO:
        nb_error(d, v->pos, "%s is written %s; write 0 (a figure has no sign)", name,
                 v->text);
        break;
    case NB_FIGURE_PLUS_SIGN:
        nb_error(d, v->pos, "%s is written %s; write it without the plus sign: %s", name,
                 v->text, plain);
        break;
    case NB_FIGURE_LEADING_ZERO:
        nb_error(d, v->pos, "%s is written %s, with a leading zero (which some programs "
                 "read as octal); write %s", name, v->text, plain);
        break;
    case NB_FIGURE_HEXADECIMAL:
    case NB_FIGURE_OCTAL:
        nb_error(d, v->pos, "%s is written %s, %s number; write figures in plain decimal"
                 "%s%s", name, v->text, s == NB_FIGURE_OCTAL ? _("an octal") : _("a hexadecimal"),
                 meant ? ": " : "", meant ? plain : "");
        break;
    case NB_FIGURE_EXPONENT:
        check_exponent(c, v, meant, d);
        break;
    case NB_FIGURE_NAN:
        nb_error(d, v->pos, "%s is %s, which means 'not a number'; write the figure, or ~ "
                 "to leave the cell empty", name, v->text);
        break;
    case NB_FIGURE_INFINITE:
        nb_error(d, v->pos, "%s is %s, which means infinity; write the figure, or ~ to "
                 "leave the cell empty", name, v->text);
        break;
    case NB_FIGURE_BARE_POINT:
        nb_error(d, v->pos, "%s is written %s; write digits on both sides of the decimal "
                 "point (0.5), or none (5)", name, v->text);
        break;
    case NB_FIGURE_TOO_MANY_DECIMALS:
        nb_error(d, v->pos, "%s is %s, with more than %d decimals; round it to %d",
                 name, v->text, NB_FIGURE_MAX_DECIMALS, NB_FIGURE_MAX_DECIMALS);
        break;
    case NB_FIGURE_TOO_LARGE:
        nb_error(d, v->pos, "%s is %s, more than the largest figure a report may hold "
                 "(%lld)", name, v->text, NB_FIGURE_MAX);
        break;
    case NB_FIGURE_NOT_A_NUMBER:
        nb_error(d, v->pos, "%s should be a number in plain decimal, not '%s'", name,
                 v->text);
        break;
    }
}

static void check_number(const nb_cell *c, const nb_node *v, nb_diags *d)
{
    long long micro;
    nb_figure_syntax s = nb_figure_parse(v->text, &micro);
    if (s != NB_FIGURE_PLAIN) {
        check_figure_syntax(c, v, s, micro, d);
    } else if (c->figure == NB_FIGURE_COUNT && strchr(v->text, '.')) {
        char whole[48];
        format_micro(whole, sizeof whole, micro);
        if (micro % NB_FIGURE_UNIT == 0)
            nb_error(d, v->pos, "%s is written %s, but it counts things: write the whole "
                     "number %s", c->name, v->text, whole);
        else
            nb_error(d, v->pos, "%s is %s, but it counts things, so it is a whole number "
                     "(only amounts such as 万元 have decimals)", c->name, v->text);
    }
}

static void check_text_figure(const nb_cell *c, const nb_node *v, nb_diags *d)
{
    nb_node plain = *v;
    plain.style = NB_PLAIN;
    nb_value_type as_plain = nb_node_type(&plain);
    size_t unit;
    if (v->style == NB_QUOTED && (as_plain == NB_TYPE_INT || as_plain == NB_TYPE_FLOAT))
        nb_error(d, v->pos, "%s is written in quotes (\"%s\"), which makes it text; "
                 "write the number without quotes", c->name, v->text);
    else if (is_thousands_grouping(v->text))
        nb_error(d, v->pos, "%s is written '%s'; write numbers without separators "
                 "(the PDF and XLSX group digits themselves)", c->name, v->text);
    else if (strstr(v->text, "，") && has_comma_between_digits(v->text))
        nb_error(d, v->pos, "%s is written '%s' with the full-width comma '，' (as a Chinese "
                 "input method types it); write the digits alone, without a separator",
                 c->name, v->text);
    else if (has_comma_between_digits(v->text))
        nb_error(d, v->pos, "%s is written '%s', which is not a number: a comma is "
                 "neither a decimal point nor a thousands separator here; write the "
                 "digits alone (12), or with a point for decimals (1.2)", c->name, v->text);
    else if (is_full_width_number(v->text))
        nb_error(d, v->pos, "%s is written with full-width digits ('%s'); use "
                 "ASCII digits 0-9", c->name, v->text);
    else if ((unit = number_with_unit(v->text)) != 0)
        nb_error(d, v->pos, "%s is written '%s'; write the number alone (%.*s): the "
                 "unit is part of the table", c->name, v->text, (int)unit, v->text);
    else
        nb_error(d, v->pos, "%s should be a number, not the text '%s'", c->name,
                 v->text);
}

static void check_figure(const nb_cell *c, const nb_node *data, nb_diags *d)
{
    const nb_node *v = nb_node_at(data, c->key);
    if (!v) {
        nb_error(d, missing_figure_pos(data, c->key), "the figure %s (%s) is missing; write it as a number, "
                 "or ~ to leave the cell empty", c->key, c->name ? c->name : "");
        return;
    }
    nb_value_type t = nb_node_type(v);
    if (t == NB_TYPE_NULL)
        return;
    if (t == NB_TYPE_INT || t == NB_TYPE_FLOAT)
        check_number(c, v, d);
    else if (v->kind != NB_NODE_SCALAR)
        nb_error(d, v->pos, "%s should be a number, not %s", c->name,
                 nb_value_type_name(t));
    else
        check_text_figure(c, v, d);
}

static void check_figures(const nb_format *f, const nb_node *data, nb_diags *d)
{
    for (size_t i = 0; i < f->ntables; i++) {
        const nb_table *t = &f->tables[i];
        for (size_t k = 0; k < t->ncells; k++) {
            const nb_cell *c = &t->cells[k];
            if (c->kind == NB_CELL_VALUE && c->key)
                check_figure(c, data, d);
        }
    }
}

/* ---- rules ---- */
typedef struct figure {
    const nb_node *node; /* NULL if absent */
    long long value;     /* micro-units */
    bool known; /* a number in plain decimal (not absent, not empty) */
} figure;

static figure figure_at(const nb_node *data, const char *key)
{
    figure f = {nb_node_at(data, key), 0, false};
    nb_value_type t = nb_node_type(f.node);
    f.known = (t == NB_TYPE_INT || t == NB_TYPE_FLOAT) &&
              nb_figure_parse(f.node->text, &f.value) == NB_FIGURE_PLAIN;
    return f;
}

static const char *cell_name(const nb_format *f, const char *key)
{
    const nb_cell *c = nb_format_find_cell(f, key, NULL);
    return c && c->name ? c->name : key;
}

/* Sum of the figures at keys; empty cells count as zero. False if a figure
 * is absent or unusable (already reported by check_figures). */
static bool sum_of(const nb_node *data, const char **keys, size_t n, exact_sum *out)
{
    exact_sum s = 0;
    for (size_t i = 0; i < n; i++) {
        figure f = figure_at(data, keys[i]);
        if (!f.node || (!f.known && nb_node_type(f.node) != NB_TYPE_NULL))
            return false;
        s += f.value;
    }
    *out = s;
    return true;
}

static void format_number(char *out, size_t size, exact_sum x)
{
    format_micro(out, size, x);
}

static nb_pos rule_pos(const nb_node *n, const nb_rule *r)
{
    return n ? n->pos : r->pos;
}

/* The cells of a long list are named up to this many; then the first few,
 * "…", the last, and the count. */
enum { LIST_IN_FULL = 8, LIST_HEAD = 5 };

static void parts_list(nb_buf *b, const nb_format *f, const char **keys, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (n > LIST_IN_FULL && i == LIST_HEAD) {
            nb_buf_puts(b, " + …");
            i = n - 1;
        }
        nb_buf_printf(b, "%s%s", i ? " + " : "", cell_name(f, keys[i]));
    }
    if (n > LIST_IN_FULL)
        nb_buf_printf(b, _(" (%zu cells)"), n);
}

/* Where the parts of a sum sit relative to its total, in words: "the items
 * below it" for a column total (the wording of the issue that asked for
 * these messages, whether the total heads its items or closes them, as
 * 三（七）总计 does), "the figures left of it" for a row total. */
static const char *parts_place(const nb_format *f, const nb_rule *r)
{
    const nb_table *tt, *tp;
    const nb_cell *total = nb_format_find_cell(f, r->total, &tt);
    if (!total)
        return _("its parts");
    bool same_row = true, same_col = true, left = true, right = true;
    for (size_t i = 0; i < r->nparts; i++) {
        const nb_cell *p = nb_format_find_cell(f, r->parts[i], &tp);
        if (!p || tp != tt)
            return _("its parts");
        same_row = same_row && p->row == total->row;
        same_col = same_col && p->col == total->col;
        left = left && p->col < total->col;
        right = right && p->col > total->col;
    }
    if (same_row)
        return left ? _("the figures left of it") : right ? _("the figures right of it")
                                                       : _("the figures of its row");
    return same_col ? _("the items below it") : _("its parts");
}

/* ---- the notes under a broken rule ---- */
/* One note per term, at the term's place, with its value: what the clerk
 * compares against the paper table to find the wrong figure. */
static void note_terms(const nb_format *f, const nb_node *data, const char *const *keys, size_t n,
                       nb_diags *d)
{
    for (size_t i = 0; i < n; i++) {
        figure x = figure_at(data, keys[i]);
        if (!x.node)
            continue;
        if (!x.known) {
            nb_note(d, x.node->pos, "%s is empty (~), counted as 0", cell_name(f, keys[i]));
            continue;
        }
        char v[48];
        format_number(v, sizeof v, x.value);
        nb_note(d, x.node->pos, "%s is %s", cell_name(f, keys[i]), v);
    }
}

static bool check_sum(const nb_format *f, const nb_rule *r, const nb_node *data,
                      nb_diags *d)
{
    figure total = figure_at(data, r->total);
    exact_sum parts;
    if (!total.known || !sum_of(data, r->parts, r->nparts, &parts))
        return false;
    if (total.value == parts)
        return false;
    char t[48], p[48];
    format_number(t, sizeof t, total.value);
    format_number(p, sizeof p, parts);
    nb_buf list = {0};
    parts_list(&list, f, r->parts, r->nparts);
    nb_rule_error(d, rule_pos(total.node, r), "%s is %s, but %s add up to %s (rule: %s; %s)",
                  cell_name(f, r->total), t, parts_place(f, r), p, r->name,
                  nb_buf_str(&list));
    nb_buf_free(&list);
    note_terms(f, data, r->parts, r->nparts, d);
    return true;
}

static bool check_at_most(const nb_format *f, const nb_rule *r, const nb_node *data,
                          nb_diags *d)
{
    figure whole = figure_at(data, r->total);
    figure part = figure_at(data, r->parts[0]);
    if (!whole.known || !part.known || part.value <= whole.value)
        return false;
    char w[48], p[48];
    format_number(w, sizeof w, whole.value);
    format_number(p, sizeof p, part.value);
    nb_rule_error(d, rule_pos(part.node, r), "%s is %s, more than %s (%s) it is part of "
                  "(rule: %s)", cell_name(f, r->parts[0]), p, cell_name(f, r->total), w,
                  r->name);
    note_terms(f, data, &r->total, 1, d);
    return true;
}

static bool check_equal_sums(const nb_format *f, const nb_rule *r, const nb_node *data,
                             nb_diags *d)
{
    exact_sum left, right;
    if (!sum_of(data, r->parts, r->nparts, &left) ||
        !sum_of(data, r->others, r->nothers, &right) || left == right)
        return false;
    char l[48], rt[48];
    format_number(l, sizeof l, left);
    format_number(rt, sizeof rt, right);
    nb_buf a = {0}, b = {0};
    parts_list(&a, f, r->parts, r->nparts);
    parts_list(&b, f, r->others, r->nothers);
    const nb_node *at = nb_node_at(data, r->others[r->nothers - 1]);
    nb_rule_error(d, rule_pos(at, r), "%s = %s, but %s = %s (rule: %s)", nb_buf_str(&a),
                  l, nb_buf_str(&b), rt, r->name);
    nb_buf_free(&a);
    nb_buf_free(&b);
    note_terms(f, data, r->parts, r->nparts, d);
    note_terms(f, data, r->others, r->nothers, d);
    return true;
}

/* ---- one wrong figure, several broken rules ---- */
/* Does rule r name the figure at key? */
static bool rule_names(const nb_rule *r, const char *key)
{
    if (r->total && strcmp(r->total, key) == 0)
        return true;
    for (size_t i = 0; i < r->nparts; i++)
        if (strcmp(r->parts[i], key) == 0)
            return true;
    for (size_t i = 0; i < r->nothers; i++)
        if (strcmp(r->others[i], key) == 0)
            return true;
    return false;
}

static size_t broken_rules_naming(const nb_rule *const *broken, size_t n, const char *key)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += rule_names(broken[i], key);
    return count;
}

/* When several rules break, the one figure they all name is most likely
 * the wrong one (a wrong cell breaks its row's total and its column's);
 * say so once, after them. Said only when exactly one figure is common to
 * every broken rule: otherwise there is more than one mistake, or no way
 * to tell. */
static void name_common_figure(const nb_format *f, const nb_node *data,
                               const nb_rule *const *broken, size_t n, nb_diags *d)
{
    if (n < 2)
        return;
    const char *common = NULL;
    const nb_rule *first = broken[0];
    size_t nkeys = 1 + first->nparts + first->nothers;
    for (size_t k = 0; k < nkeys; k++) {
        const char *key = k == 0 ? first->total
                          : k <= first->nparts ? first->parts[k - 1]
                                               : first->others[k - 1 - first->nparts];
        if (!key || broken_rules_naming(broken, n, key) < n ||
            (common && strcmp(common, key) == 0))
            continue;
        if (common)
            return; /* two figures in common: no telling which */
        common = key;
    }
    figure x = common ? figure_at(data, common) : (figure){0};
    if (!x.node)
        return;
    char v[48];
    format_number(v, sizeof v, x.value);
    nb_note(d, x.node->pos, "%s (%s) is the one figure the %zu broken rules above have "
            "in common: it is most likely the wrong one", cell_name(f, common), v, n);
}

static void check_rules(const nb_format *f, const nb_node *data, nb_diags *d)
{
    const nb_rule **broken = nb_xcalloc(f->nrules + 1, sizeof *broken);
    size_t nbroken = 0;
    for (size_t i = 0; i < f->nrules; i++) {
        const nb_rule *r = &f->rules[i];
        bool failed = false;
        switch (r->kind) {
        case NB_RULE_SUM:
            failed = check_sum(f, r, data, d);
            break;
        case NB_RULE_AT_MOST:
            failed = check_at_most(f, r, data, d);
            break;
        case NB_RULE_EQUAL_SUMS:
            failed = check_equal_sums(f, r, data, d);
            break;
        case NB_RULE_CARRY_OVER: /* needs last year's report: nb_check_previous */
            break;
        }
        if (failed)
            broken[nbroken++] = r;
    }
    name_common_figure(f, data, broken, nbroken, d);
    free(broken);
}

/* ---- the report's own wording ---- */

/* The format's wording with its {{name}}s of the report's top-level text
 * filled in ("{{body}}{{year}}年…" → "淮安市人民政府2024年…"), for messages. */
static char *filled(const char *text, const nb_node *data)
{
    nb_buf b = {0};
    const char *p = text;
    for (const char *open; (open = strstr(p, "{{")) != NULL;) {
        const char *close = strstr(open, "}}");
        if (!close)
            break;
        char name[64];
        size_t n = (size_t)(close - open - 2);
        const char *value = NULL;
        if (n < sizeof name) {
            memcpy(name, open + 2, n);
            name[n] = '\0';
            value = nb_scalar(nb_map_get(data, name));
        }
        nb_buf_append(&b, p, (size_t)(open - p));
        if (value)
            nb_buf_puts(&b, value);
        else
            nb_buf_append(&b, open, (size_t)(close + 2 - open));
        p = close + 2;
    }
    nb_buf_puts(&b, p);
    return nb_buf_detach(&b);
}

void nb_check_wording(const nb_format *f, const nb_node *data, nb_diags *d)
{
    const nb_node *w = nb_map_get(data, "wording");
    if (!w || !nb_format_check_wording(f, w, d))
        return;
    for (size_t i = 0; i < w->count; i++) {
        const nb_pair *p = &w->pairs[i];
        const nb_wording *fw = nb_format_wording(f, p->key->text);
        const nb_table *t = NULL;
        const nb_cell *row = fw ? NULL : nb_format_row_label(f, p->key->text, &t);
        /* an entry that repeats the format's words (a skeleton's commented
         * wording uncommented) departs from nothing: no warning */
        if (fw) {
            char *theirs = filled(fw->text, data);
            bool title = strcmp(fw->key, "title") == 0;
            if (strcmp(p->value->text, theirs) != 0 && title)
                nb_warning(d, p->value->pos, "wording: the title reads '%s' where the format "
                           "%s has '%s'", p->value->text, f->name, theirs);
            else if (strcmp(p->value->text, theirs) != 0)
                nb_warning(d, p->value->pos, "wording: the heading %s、 reads '%s' where the "
                           "format %s has '%s'", fw->key, p->value->text, f->name, theirs);
            free(theirs);
        } else if (row && strcmp(p->value->text, row->text) != 0) {
            nb_warning(d, p->value->pos, "wording: the row %s of table %s reads '%s' where "
                       "the format %s has '%s'", p->key->text, t->sheet ? t->sheet : t->id,
                       p->value->text, f->name, row->text);
        }
    }
}

void nb_check_report_ex(const nb_format *f, const nb_node *data, nb_check_options *o,
                        nb_diags *d)
{
    nb_check_characters(data, d);
    nb_check_schema(f, data, d);
    check_figures(f, data, d);
    check_rules(f, data, d);
    if (data && data->kind == NB_NODE_MAP) {
        nb_check_wording(f, data, d);
        nb_arena a = {0};
        nb_format_inline_figures(f, (nb_node *)data, false, &a, d);
        nb_arena_free(&a);
    }
    nb_lint_report(f, data, o, d);
}

void nb_check_report(const nb_format *f, const nb_node *data, nb_diags *d)
{
    nb_check_options o = {0};
    nb_check_report_ex(f, data, &o, d);
}

/* ---- last year's report ---- */
static void check_year(const nb_node *data, const nb_node *previous, nb_diags *d)
{
    const nb_node *year = nb_map_get(data, "year");
    const nb_node *last = nb_map_get(previous, "year");
    long long y, l;
    if (!year || !nb_node_int(year, &y))
        return; /* the schema pass says what is wrong with it */
    if (!last || !nb_node_int(last, &l)) {
        nb_error(d, last ? last->pos : previous->pos, "the previous report has no year "
                 "written as a number (year: %lld)", y - 1);
        return;
    }
    if (y != l + 1)
        nb_rule_error(d, year->pos, "the report is for %lld, but the previous report "
                      "(%s:%d:%d) is for %lld; it should be last year's, %lld (rule: the "
                      "year follows the previous report's)", y, last->pos.file,
                      last->pos.line, last->pos.col, l, y - 1);
}

static void check_carry(const nb_format *f, const nb_rule *r, const nb_node *data,
                        const nb_node *previous, nb_diags *d)
{
    figure now = figure_at(data, r->total);
    figure then = figure_at(previous, r->parts[0]);
    if (!now.known)
        return; /* reported by the figures pass */
    if (!then.node || (!then.known && nb_node_type(then.node) != NB_TYPE_NULL)) {
        nb_error(d, then.node ? then.node->pos : missing_figure_pos(previous, r->parts[0]),
                 "the previous report has no usable figure %s (%s), needed by the rule "
                 "'%s'", r->parts[0], cell_name(f, r->parts[0]), r->name);
        return;
    }
    if (now.value == then.value)
        return;
    char a[48], b[48];
    format_number(a, sizeof a, now.value);
    format_number(b, sizeof b, then.value);
    nb_rule_error(d, now.node->pos, "%s is %s, but last year's %s is %s (%s:%d:%d) "
                  "(rule: %s)", cell_name(f, r->total), a, cell_name(f, r->parts[0]), b,
                  then.node->pos.file, then.node->pos.line, then.node->pos.col, r->name);
}

void nb_check_previous(const nb_format *f, const nb_node *data, const nb_node *previous,
                       nb_diags *d)
{
    check_year(data, previous, d);
    for (size_t i = 0; i < f->ncarry; i++)
        check_carry(f, &f->carry[i], data, previous, d);
}
