/* check.c — see check.h. */
#include "check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static bool has_thousands_separator(const char *s)
{
    bool digit = false;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9')
            digit = true;
        else if (*s == ',' && digit)
            return true;
        else if (*s != ' ')
            return false;
    }
    return false;
}

static bool is_full_width_number(const char *s)
{
    /* ０-９ are U+FF10..U+FF19: EF BC 90..99 */
    return (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBC &&
           (unsigned char)s[2] >= 0x90 && (unsigned char)s[2] <= 0x99;
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
    if (t == NB_TYPE_INT || t == NB_TYPE_FLOAT) {
        double x;
        if (!nb_node_number(v, &x) || !isfinite(x))
            nb_error(d, v->pos, "%s: '%s' is too large a number", c->name, v->text);
        else if (x < 0)
            nb_error(d, v->pos, "%s is %s, but a count cannot be negative", c->name,
                     v->text);
        return;
    }
    if (v->kind != NB_NODE_SCALAR) {
        nb_error(d, v->pos, "%s should be a number, not %s", c->name,
                 nb_value_type_name(t));
        return;
    }
    nb_node plain = *v;
    plain.style = NB_PLAIN;
    nb_value_type as_plain = nb_node_type(&plain);
    if (v->style == NB_QUOTED && (as_plain == NB_TYPE_INT || as_plain == NB_TYPE_FLOAT))
        nb_error(d, v->pos, "%s is written in quotes (\"%s\"), which makes it text; "
                 "write the number without quotes", c->name, v->text);
    else if (has_thousands_separator(v->text))
        nb_error(d, v->pos, "%s is written '%s'; write numbers without separators "
                 "(the PDF and XLSX group digits themselves)", c->name, v->text);
    else if (is_full_width_number(v->text))
        nb_error(d, v->pos, "%s is written with full-width digits ('%s'); use "
                 "ASCII digits 0-9", c->name, v->text);
    else
        nb_error(d, v->pos, "%s should be a number, not the text '%s'", c->name,
                 v->text);
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
    double value;
    bool known; /* a number (not absent, not empty) */
} figure;

static figure figure_at(const nb_node *data, const char *key)
{
    figure f = {nb_node_at(data, key), 0, false};
    f.known = nb_node_number(f.node, &f.value) && isfinite(f.value);
    return f;
}

static const char *cell_name(const nb_format *f, const char *key)
{
    const nb_cell *c = nb_format_find_cell(f, key, NULL);
    return c && c->name ? c->name : key;
}

/* Sum of the figures at keys; empty cells count as zero. False if a figure
 * is unusable (already reported by check_figures). */
static bool sum_of(const nb_node *data, const char **keys, size_t n, double *out)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) {
        figure f = figure_at(data, keys[i]);
        if (f.node && !f.known && nb_node_type(f.node) != NB_TYPE_NULL)
            return false;
        if (!f.node)
            return false;
        s += f.value;
    }
    *out = s;
    return true;
}

static bool same_number(double a, double b)
{
    return fabs(a - b) <= 1e-9 * fmax(1.0, fmax(fabs(a), fabs(b)));
}

static void format_number(char *out, size_t size, double x)
{
    if (same_number(x, round(x)) && fabs(x) < 1e15)
        snprintf(out, size, "%.0f", round(x));
    else
        snprintf(out, size, "%.6g", x);
}

static nb_pos rule_pos(const nb_node *n, const nb_rule *r)
{
    return n ? n->pos : r->pos;
}

static void parts_list(nb_buf *b, const nb_format *f, const char **keys, size_t n)
{
    for (size_t i = 0; i < n; i++)
        nb_buf_printf(b, "%s%s", i ? " + " : "", cell_name(f, keys[i]));
}

static void check_sum(const nb_format *f, const nb_rule *r, const nb_node *data,
                      nb_diags *d)
{
    figure total = figure_at(data, r->total);
    double parts;
    if (!total.known || !sum_of(data, r->parts, r->nparts, &parts))
        return;
    if (same_number(total.value, parts))
        return;
    char t[32], p[32];
    format_number(t, sizeof t, total.value);
    format_number(p, sizeof p, parts);
    nb_buf list = {0};
    parts_list(&list, f, r->parts, r->nparts);
    nb_rule_error(d, rule_pos(total.node, r),
                  "%s is %s, but the items below it add up to %s (rule: %s; %s)",
                  cell_name(f, r->total), t, p, r->name, nb_buf_str(&list));
    nb_buf_free(&list);
}

static void check_at_most(const nb_format *f, const nb_rule *r, const nb_node *data,
                          nb_diags *d)
{
    figure whole = figure_at(data, r->total);
    figure part = figure_at(data, r->parts[0]);
    if (!whole.known || !part.known || part.value <= whole.value ||
        same_number(part.value, whole.value))
        return;
    char w[32], p[32];
    format_number(w, sizeof w, whole.value);
    format_number(p, sizeof p, part.value);
    nb_rule_error(d, rule_pos(part.node, r), "%s is %s, more than %s (%s) it is part of "
                  "(rule: %s)", cell_name(f, r->parts[0]), p, cell_name(f, r->total), w,
                  r->name);
}

static void check_equal_sums(const nb_format *f, const nb_rule *r, const nb_node *data,
                             nb_diags *d)
{
    double left, right;
    if (!sum_of(data, r->parts, r->nparts, &left) ||
        !sum_of(data, r->others, r->nothers, &right) || same_number(left, right))
        return;
    char l[32], rt[32];
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
}

void nb_check_report(const nb_format *f, const nb_node *data, nb_diags *d)
{
    check_figures(f, data, d);
    for (size_t i = 0; i < f->nrules; i++) {
        const nb_rule *r = &f->rules[i];
        switch (r->kind) {
        case NB_RULE_SUM:
            check_sum(f, r, data, d);
            break;
        case NB_RULE_AT_MOST:
            check_at_most(f, r, data, d);
            break;
        case NB_RULE_EQUAL_SUMS:
            check_equal_sums(f, r, data, d);
            break;
        }
    }
}
