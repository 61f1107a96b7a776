/* xlsx_formula.c — from data keys to spreadsheet cells: what a value cell
 * holds, where a key is shown, and the SUM formula of a total.
 *
 * A total becomes a formula only when the reported figure equals the sum of
 * the reported parts; then the cached value, the figure in the YAML and what
 * any spreadsheet recomputes are one number. Otherwise the reported figure is
 * kept as a plain number: the workbook must show what the report says, and
 * the broken rule is the checks' business.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xlsx_book.h"

void nb_xlsx_ok(nb_xlsx_book *b, lxw_error e)
{
    if (e != LXW_NO_ERROR && b->lxw_err == LXW_NO_ERROR)
        b->lxw_err = e;
}

nb_xlsx_figure nb_xlsx_figure_of(const nb_xlsx_sheet *s, const nb_cell *c)
{
    nb_xlsx_figure fig = {.node = nb_table_value(s->inst, c)};
    if (!fig.node) {
        fig.state = NB_FIG_ABSENT;
        return fig;
    }
    switch (nb_node_type(fig.node)) {
    case NB_TYPE_NULL:
        fig.state = NB_FIG_EMPTY;
        break;
    case NB_TYPE_INT:
    case NB_TYPE_FLOAT:
        fig.state = nb_node_number(fig.node, &fig.value) && isfinite(fig.value)
                        ? NB_FIG_NUMBER
                        : NB_FIG_BAD;
        break;
    default:
        fig.state = NB_FIG_BAD;
        break;
    }
    return fig;
}

int nb_xlsx_decimals(const nb_xlsx_figure *fig)
{
    const char *text = fig->state == NB_FIG_NUMBER ? nb_scalar(fig->node) : NULL;
    const char *dot = text ? strchr(text, '.') : NULL;
    if (!dot || strpbrk(text, "eE"))
        return 0;
    int n = 0;
    while (dot[1 + n] >= '0' && dot[1 + n] <= '9')
        n++;
    return n > NB_XLSX_MAX_DECIMALS ? NB_XLSX_MAX_DECIMALS : n;
}

bool nb_xlsx_locate(const nb_xlsx_book *b, const char *key, const nb_xlsx_sheet **s,
                    const nb_cell **c)
{
    const nb_table *table = NULL;
    const nb_cell *cell = nb_format_find_cell(b->f, key, &table);
    if (!cell)
        return false;
    for (size_t i = 0; i < b->nsheets; i++) {
        if (b->sheets[i].inst->def == table) {
            *s = &b->sheets[i];
            *c = cell;
            return true;
        }
    }
    return false;
}

static void put_sheet_prefix(nb_buf *out, const char *name)
{
    nb_buf_putc(out, '\'');
    for (const char *p = name; *p; p++) {
        if (*p == '\'')
            nb_buf_putc(out, '\''); /* a quote inside a quoted name is doubled */
        nb_buf_putc(out, *p);
    }
    nb_buf_puts(out, "'!");
}

void nb_xlsx_ref(nb_buf *out, const nb_xlsx_sheet *here, const char *target_name,
                 int row, int col)
{
    char cell[LXW_MAX_CELL_NAME_LENGTH];
    if (!here || strcmp(here->name, target_name) != 0)
        put_sheet_prefix(out, target_name);
    lxw_rowcol_to_cell(cell, (lxw_row_t)row, (lxw_col_t)col);
    nb_buf_puts(out, cell);
}

/* A run of adjacent cells on one sheet: one cell, or a range down a column
 * or along a row. */
typedef struct run {
    const nb_xlsx_sheet *sheet;
    int row0, col0, row1, col1;
} run;

static bool extends(const run *r, const nb_xlsx_sheet *s, int row, int col)
{
    if (r->sheet != s)
        return false;
    bool down = r->col0 == r->col1 && col == r->col1 && row == r->row1 + 1;
    bool across = r->row0 == r->row1 && row == r->row1 && col == r->col1 + 1;
    bool single = r->row0 == r->row1 && r->col0 == r->col1;
    return single ? (down || across) : (r->col0 == r->col1 ? down : across);
}

static void put_run(nb_buf *out, const nb_xlsx_sheet *here, const run *r)
{
    nb_xlsx_ref(out, here, r->sheet->name, r->row0, r->col0);
    if (r->row0 != r->row1 || r->col0 != r->col1) {
        char cell[LXW_MAX_CELL_NAME_LENGTH];
        lxw_rowcol_to_cell(cell, (lxw_row_t)r->row1, (lxw_col_t)r->col1);
        nb_buf_putc(out, ':');
        nb_buf_puts(out, cell);
    }
}

bool nb_xlsx_sum_formula(const nb_xlsx_book *b, const nb_xlsx_sheet *here,
                         const char *const *keys, size_t nkeys, nb_buf *out, double *sum)
{
    nb_buf args = {0};
    run cur = {0};
    size_t nruns = 0;
    *sum = 0;
    for (size_t i = 0; i < nkeys; i++) {
        const nb_xlsx_sheet *s;
        const nb_cell *c;
        if (!nb_xlsx_locate(b, keys[i], &s, &c)) {
            nb_buf_free(&args);
            return false;
        }
        nb_xlsx_figure fig = nb_xlsx_figure_of(s, c);
        if (fig.state == NB_FIG_BAD) {
            nb_buf_free(&args);
            return false;
        }
        if (fig.state == NB_FIG_NUMBER)
            *sum += fig.value;
        int row = s->grid_row0 + c->row;
        if (i > 0 && extends(&cur, s, row, c->col)) {
            cur.row1 = row;
            cur.col1 = c->col;
            continue;
        }
        if (i > 0) {
            put_run(&args, here, &cur);
            nb_buf_putc(&args, ',');
        }
        cur = (run){s, row, c->col, row, c->col};
        nruns++;
    }
    if (nkeys > 0)
        put_run(&args, here, &cur);
    bool lone_cell = nkeys == 1 && nruns == 1;
    nb_buf_printf(out, lone_cell ? "%s" : "SUM(%s)", nb_buf_str(&args));
    nb_buf_free(&args);
    return nkeys > 0;
}

static bool same_figure(double a, double b)
{
    double scale = fmax(1.0, fmax(fabs(a), fabs(b)));
    return fabs(a - b) <= 1e-9 * scale;
}

nb_xlsx_total nb_xlsx_total_of(const nb_xlsx_book *b, const nb_xlsx_sheet *s,
                               const nb_cell *c, const nb_xlsx_figure *fig)
{
    /* A value slot without a key (a group row's) shows nothing. */
    nb_xlsx_total t = {.rule = c->key ? nb_format_sum_rule(b->f, c->key) : NULL};
    if (!t.rule || fig->state != NB_FIG_NUMBER)
        return t;
    for (size_t i = 0; i < t.rule->nparts; i++) {
        if (strcmp(t.rule->parts[i], c->key) == 0) { /* would be a circular formula */
            t.kind = NB_TOTAL_UNREACHABLE;
            return t;
        }
    }
    nb_buf formula = {0};
    if (!nb_xlsx_sum_formula(b, s, t.rule->parts, t.rule->nparts, &formula,
                             &t.parts_sum)) {
        nb_buf_free(&formula);
        t.kind = NB_TOTAL_UNREACHABLE;
        return t;
    }
    t.formula = nb_buf_detach(&formula);
    t.kind = same_figure(t.parts_sum, fig->value) ? NB_TOTAL_FORMULA : NB_TOTAL_MISMATCH;
    return t;
}

void nb_xlsx_total_free(nb_xlsx_total *t)
{
    free(t->formula);
    t->formula = NULL;
}

/* East Asian wide characters, plus the general punctuation (—— “ ” …) that
 * Chinese fonts draw full-width. */
static bool is_wide(uint32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2000 && cp <= 0x206F) ||
           (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
           (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) ||
           cp >= 0x20000;
}

double nb_xlsx_text_width(const char *s)
{
    double w = 0;
    size_t n = s ? strlen(s) : 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = nb_utf8_decode(s + i, n - i, &cp);
        i += len ? len : 1;
        w += is_wide(cp) ? 2.0 : 1.0;
    }
    /* 宋体 is a little wider than the unit (the digit 0 of the default font). */
    return w * 1.1;
}

const char *nb_xlsx_cell_name(const nb_table *t, const nb_cell *c)
{
    return c->name ? c->name : nb_table_row_label(t, c);
}

int nb_xlsx_text_lines(const char *text, double avail)
{
    int lines = 0;
    const char *p = text ? text : "";
    avail = fmax(avail, 2.2);
    for (;;) {
        const char *nl = strchr(p, '\n');
        char *part = nl ? nb_xstrndup(p, (size_t)(nl - p)) : nb_xstrdup(p);
        double w = nb_xlsx_text_width(part);
        free(part);
        lines += w <= avail ? 1 : (int)ceil(w / avail);
        if (!nl)
            return lines;
        p = nl + 1;
    }
}
