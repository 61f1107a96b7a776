/* xlsx_sheet.c — one statistics table as one worksheet: title, lead lines,
 * the format's grid with its merges, foot lines, sizes and print setup.
 *
 * Column widths and row heights are estimated here from the text rather than
 * left to the viewer, because no spreadsheet fits the height of a merged cell
 * to its text, and Excel, WPS and LibreOffice all differ in what they do
 * with the rest; fixed sizes make the sheet look the same in each.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlsx_book.h"

/* Column widths in spreadsheet units, by role. */
#define LABEL_MIN 8.0
#define LABEL_MAX 44.0
#define UNIT_MIN 6.0
#define UNIT_MAX 10.0
#define VALUE_MIN 8.0
#define VALUE_MAX 14.0
/* Row heights in points for 11 pt text. */
#define LINE_PT NB_XLSX_LINE_PT
#define PAD_PT 5.0
#define MIN_ROW_PT 20.0
#define TITLE_LINE_PT 22.0

static const char *line_text(const char *rendered, const char *raw)
{
    return rendered ? rendered : raw ? raw : "";
}

/* Write text into a block of cells, merging when it spans more than one
 * (a spreadsheet refuses a merge of a single cell). */
static void put_text(nb_xlsx_book *b, lxw_worksheet *ws, int r0, int c0, int r1, int c1,
                     const char *text, lxw_format *fmt)
{
    if (r0 == r1 && c0 == c1)
        nb_xlsx_ok(b, worksheet_write_string(ws, (lxw_row_t)r0, (lxw_col_t)c0, text, fmt));
    else
        nb_xlsx_ok(b, worksheet_merge_range(ws, (lxw_row_t)r0, (lxw_col_t)c0, (lxw_row_t)r1,
                                            (lxw_col_t)c1, text, fmt));
}

/* Grid columns taken by the label column: none in a table of figures only
 * (2021 表四), several in a nested table (2021 表三), where t->columns has
 * one entry for all of them. */
static int label_grid_cols(const nb_table *t)
{
    if (!t->columns || t->columns[0].role != NB_CELL_LABEL)
        return 0;
    int n = 1;
    for (size_t i = 0; i < t->ncells; i++)
        if (t->cells[i].kind == NB_CELL_LABEL && t->cells[i].col + t->cells[i].cols > n)
            n = t->cells[i].col + t->cells[i].cols;
    return n < t->ncols ? n : t->ncols;
}

/* The format column a grid column belongs to. */
static const nb_column *format_column(const nb_table *t, int label_cols, int col)
{
    if (!t->columns)
        return NULL;
    if (label_cols == 0)
        return &t->columns[col];
    return &t->columns[col < label_cols ? 0 : col - label_cols + 1];
}

static nb_cell_kind column_role(const nb_table *t, int label_cols, int col)
{
    const nb_column *c = format_column(t, label_cols, col);
    return col < label_cols ? NB_CELL_LABEL : c ? c->role : NB_CELL_VALUE;
}

static void role_limits(nb_cell_kind role, double *lo, double *hi)
{
    *lo = role == NB_CELL_LABEL ? LABEL_MIN : role == NB_CELL_UNIT ? UNIT_MIN : VALUE_MIN;
    *hi = role == NB_CELL_LABEL ? LABEL_MAX : role == NB_CELL_UNIT ? UNIT_MAX : VALUE_MAX;
}

static void number_text(char *buf, size_t n, double v)
{
    snprintf(buf, n, "%.15g", v);
}

static double span_width(const double *width, int c0, int cols)
{
    double w = 0;
    for (int c = c0; c < c0 + cols; c++)
        w += width[c];
    return w;
}

/* The figure as shown: its digits as written (number formats keep them). */
static double number_width(const nb_xlsx_sheet *s, const nb_cell *c)
{
    nb_xlsx_figure fig = nb_xlsx_figure_of(s, c);
    const char *text = fig.state == NB_FIG_NUMBER ? nb_scalar(fig.node) : NULL;
    return (double)(text ? strlen(text) : 0) + 2.0; /* with the cell's padding */
}

/* The width a single-column cell would like; a label spanning several rows
 * (a nested table's group) can wrap over them, so it asks for less. */
static double wanted_width(const nb_xlsx_sheet *s, const nb_cell *c)
{
    if (c->kind == NB_CELL_VALUE)
        return number_width(s, c);
    double w = nb_xlsx_text_width(c->text) + 2.0;
    if (c->kind == NB_CELL_LABEL) /* an indent step is about one Chinese character */
        w += 2.0 * (c->level - c->col > 0 ? c->level - c->col : 0);
    return c->kind == NB_CELL_LABEL && c->rows > 1 ? fmax(w / c->rows, 4.4) : w;
}

/* The format's `width:` hints are relative: the hinted columns keep the room
 * their content asks for in total, shared out in the hinted proportions (a
 * label column of a nested table counts as one, its innermost grid column
 * taking the difference). Figures always keep the room they need. */
static void apply_hints(const nb_table *t, int label_cols, double *width,
                        const double *floor_width)
{
    double hint_sum = 0, content_sum = 0;
    for (int col = 0; col < t->ncols; col++) {
        const nb_column *c = format_column(t, label_cols, col);
        if (c && c->width > 0) {
            content_sum += width[col];
            if (col == 0 || col >= label_cols)
                hint_sum += c->width;
        }
    }
    if (hint_sum <= 0)
        return;
    for (int col = label_cols > 0 ? label_cols - 1 : 0; col < t->ncols; col++) {
        const nb_column *c = format_column(t, label_cols, col);
        if (!c || c->width <= 0)
            continue;
        double target = content_sum * c->width / hint_sum;
        if (label_cols > 0 && col == label_cols - 1) /* the label span gets `target` */
            target -= span_width(width, 0, label_cols - 1);
        width[col] = fmax(target, floor_width[col]);
    }
}

static double *column_widths(const nb_xlsx_sheet *s)
{
    const nb_table *t = s->inst->def;
    int label_cols = label_grid_cols(t);
    double *width = nb_xcalloc((size_t)t->ncols, sizeof *width);
    double *floor_width = nb_xcalloc((size_t)t->ncols, sizeof *floor_width);
    for (int col = 0; col < t->ncols; col++) {
        double hi;
        role_limits(column_role(t, label_cols, col), &floor_width[col], &hi);
        width[col] = floor_width[col];
    }
    for (size_t i = 0; i < t->ncells; i++) {
        const nb_cell *c = &t->cells[i];
        if (c->cols != 1)
            continue;
        double lo, hi;
        role_limits(column_role(t, label_cols, c->col), &lo, &hi);
        width[c->col] = fmax(width[c->col], fmin(wanted_width(s, c), hi));
        if (c->kind == NB_CELL_VALUE)
            floor_width[c->col] = fmax(floor_width[c->col], number_width(s, c));
    }
    for (int col = 0; col < t->ncols; col++) /* a figure that does not fit shows ### */
        width[col] = fmax(width[col], floor_width[col]);
    apply_hints(t, label_cols, width, floor_width);
    free(floor_width);
    return width;
}

static lxw_format *cell_format(const nb_xlsx_styles *st, const nb_cell *c)
{
    switch (c->kind) {
    case NB_CELL_HEADER:
        return st->header;
    case NB_CELL_LABEL: {
        /* A nested table shows the level by the column the label stands in;
         * only levels beyond that are indented. */
        int indent = c->level - c->col;
        indent = indent < 0 ? 0 : indent > NB_XLSX_MAX_INDENT ? NB_XLSX_MAX_INDENT : indent;
        return st->label[indent][c->group ? 1 : 0];
    }
    case NB_CELL_UNIT:
        return st->unit;
    case NB_CELL_TEXT:
        return st->text;
    case NB_CELL_VALUE:
        return st->value[0];
    }
    return st->blank;
}

static void report_bad_figure(nb_xlsx_book *b, const nb_xlsx_sheet *s, const nb_cell *c,
                              const nb_xlsx_figure *fig)
{
    nb_value_type type = nb_node_type(fig->node);
    const char *text = nb_scalar(fig->node);
    if (text && type == NB_TYPE_STRING)
        nb_error(b->d, fig->node->pos,
                 "%s (%s) must be a number, found the text \"%s\"; write digits "
                 "without quotes or units, or ~ for an empty cell",
                 nb_xlsx_cell_name(s->inst->def, c), c->key, text);
    else
        nb_error(b->d, fig->node->pos,
                 "%s (%s) must be a number, found %s; write digits, or ~ for an "
                 "empty cell",
                 nb_xlsx_cell_name(s->inst->def, c), c->key,
                 text ? text : nb_value_type_name(type));
}

static void warn_mismatch(nb_xlsx_book *b, const nb_xlsx_sheet *s, const nb_cell *c,
                          const nb_xlsx_figure *fig, const nb_xlsx_total *t)
{
    char have[40], sum[40];
    number_text(have, sizeof have, fig->value);
    number_text(sum, sizeof sum, t->parts_sum);
    nb_warning(b->d, fig->node->pos,
               "%s (%s) is %s but its parts add up to %s (rule: %s); the spreadsheet "
               "shows %s as a plain number instead of the formula =%s",
               nb_xlsx_cell_name(s->inst->def, c), c->key, have, sum,
               t->rule->name ? t->rule->name : "sum", have, t->formula);
}

/* The figure of one value cell: a number, a total's formula, or blank. */
static void put_value(nb_xlsx_book *b, const nb_xlsx_sheet *s, const nb_cell *c, int row,
                      int col)
{
    lxw_worksheet *ws = s->ws;
    nb_xlsx_figure fig = nb_xlsx_figure_of(s, c);
    lxw_format *fmt = b->st.value[nb_xlsx_decimals(&fig)];
    if (c->rows > 1 || c->cols > 1)
        put_text(b, ws, row, col, row + c->rows - 1, col + c->cols - 1, "", fmt);
    if (fig.state == NB_FIG_BAD)
        report_bad_figure(b, s, c, &fig);
    if (fig.state != NB_FIG_NUMBER) {
        nb_xlsx_ok(b, worksheet_write_blank(ws, (lxw_row_t)row, (lxw_col_t)col, fmt));
        return;
    }
    nb_xlsx_total t = nb_xlsx_total_of(b, s, c, &fig);
    if (t.kind == NB_TOTAL_FORMULA)
        nb_xlsx_ok(b, worksheet_write_formula_num(ws, (lxw_row_t)row, (lxw_col_t)col,
                                                  t.formula, fmt, fig.value));
    else
        nb_xlsx_ok(b, worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, fig.value,
                                             fmt));
    if (t.kind == NB_TOTAL_MISMATCH)
        warn_mismatch(b, s, c, &fig, &t);
    nb_xlsx_total_free(&t);
}

/* Every grid slot gets a bordered cell, so the table reads as one block even
 * where the format leaves a slot empty. */
static void put_grid(nb_xlsx_book *b, const nb_xlsx_sheet *s)
{
    const nb_table *t = s->inst->def;
    bool *covered = nb_xcalloc((size_t)t->nrows * (size_t)t->ncols, sizeof *covered);
    for (size_t i = 0; i < t->ncells; i++) {
        const nb_cell *c = &t->cells[i];
        int row = s->grid_row0 + c->row;
        if (c->kind == NB_CELL_VALUE)
            put_value(b, s, c, row, c->col);
        else
            put_text(b, s->ws, row, c->col, row + c->rows - 1, c->col + c->cols - 1,
                     c->text ? c->text : "", cell_format(&b->st, c));
        for (int r = c->row; r < c->row + c->rows && r < t->nrows; r++)
            for (int k = c->col; k < c->col + c->cols && k < t->ncols; k++)
                covered[r * t->ncols + k] = true;
    }
    for (int r = 0; r < t->nrows; r++)
        for (int k = 0; k < t->ncols; k++)
            if (!covered[r * t->ncols + k])
                nb_xlsx_ok(b, worksheet_write_blank(s->ws, (lxw_row_t)(s->grid_row0 + r),
                                                    (lxw_col_t)k, b->st.blank));
    free(covered);
}

/* Heights of the grid rows: each row fits its one-row cells; a merged cell
 * taller than its rows spreads the missing height over them. */
static void grid_heights(const nb_xlsx_sheet *s, const double *width, double *height)
{
    const nb_table *t = s->inst->def;
    for (int r = 0; r < t->nrows; r++)
        height[r] = MIN_ROW_PT;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < t->ncells; i++) {
            const nb_cell *c = &t->cells[i];
            if (c->kind == NB_CELL_VALUE || (c->rows > 1) != (pass == 1))
                continue;
            int steps = c->kind == NB_CELL_LABEL ? c->level - c->col : 0;
            double indent = steps > 0 ? 2.0 * steps : 0;
            double avail = span_width(width, c->col, c->cols) - 1.5 - indent;
            double need = nb_xlsx_text_lines(c->text, avail) * LINE_PT + PAD_PT;
            double have = 0;
            for (int r = c->row; r < c->row + c->rows; r++)
                have += height[r];
            for (int r = c->row; need > have && r < c->row + c->rows; r++)
                height[r] += (need - have) / c->rows;
        }
    }
}

/* Lines merged across the table; returns their height in points. */
static double put_lines(nb_xlsx_book *b, const nb_xlsx_sheet *s, int row0, const char **lines,
                        const char **raw, size_t n, double table_width)
{
    int last_col = s->inst->def->ncols - 1;
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        const char *text = line_text(lines ? lines[i] : NULL, raw ? raw[i] : NULL);
        int row = row0 + (int)i;
        put_text(b, s->ws, row, 0, row, last_col, text, b->st.line);
        int nlines = nb_xlsx_text_lines(text, table_width - 1.5);
        double h = fmax(MIN_ROW_PT, nlines * LINE_PT + PAD_PT);
        nb_xlsx_ok(b, worksheet_set_row(s->ws, (lxw_row_t)row, h, NULL));
        total += h;
    }
    return total;
}

void nb_xlsx_write_table_sheet(nb_xlsx_book *b, nb_xlsx_sheet *s)
{
    const nb_table *t = s->inst->def;
    lxw_worksheet *ws = s->ws;
    double *width = column_widths(s);
    for (int col = 0; col < t->ncols; col++)
        nb_xlsx_ok(b, worksheet_set_column(ws, (lxw_col_t)col, (lxw_col_t)col, width[col],
                                           NULL));
    double total = span_width(width, 0, t->ncols), tall = 0;

    if (s->title) {
        put_text(b, ws, 0, 0, 0, t->ncols - 1, s->title, b->st.title);
        /* the title is 16 pt: the table is 11/16 as wide in its characters */
        int nlines = nb_xlsx_text_lines(s->title, total / 16.0 * 11.0);
        double title_h = fmax(30.0, nlines * TITLE_LINE_PT + 10.0);
        nb_xlsx_ok(b, worksheet_set_row(ws, 0, title_h, NULL));
        tall += title_h;
    }
    tall += put_lines(b, s, s->title ? 1 : 0, s->lead, NULL, s->nlead, total);

    put_grid(b, s);
    double *height = nb_xcalloc((size_t)t->nrows + 1, sizeof *height);
    grid_heights(s, width, height);
    for (int r = 0; r < t->nrows; r++) {
        nb_xlsx_ok(b, worksheet_set_row(ws, (lxw_row_t)(s->grid_row0 + r), height[r], NULL));
        tall += height[r];
    }
    free(height);

    int foot_row = s->grid_row0 + t->nrows;
    tall += put_lines(b, s, foot_row, s->inst->foot, t->foot, t->nfoot, total);
    free(width);

    int body_row = s->grid_row0 + t->header_rows;
    worksheet_freeze_panes(ws, (lxw_row_t)body_row, 0);
    if (t->header_rows > 0)
        nb_xlsx_ok(b, worksheet_repeat_rows(ws, (lxw_row_t)s->grid_row0,
                                            (lxw_row_t)(body_row - 1)));
    nb_xlsx_print_setup(ws, total, foot_row + (int)t->nfoot - 1, t->ncols - 1);
    nb_xlsx_fit_height(ws, total, tall);
}
