/* xlsx_chart.c — the chart sheet: the format's `charts:` drawn with
 * libxlsxwriter's native charts.
 *
 * Each chart gets a small table of its own on the sheet — category names and
 * formulas pointing at the figures in the table sheets — and the chart reads
 * that table. So a category that is the sum of several rows (不予公开 = its
 * eight reasons) needs no cell in the statistics table, the numbers behind
 * the picture are visible, and editing a figure updates the chart.
 */
#include <math.h>
#include <string.h>

#include "xlsx_book.h"

#define CHART_COL 3          /* the chart stands right of its data */
#define DEFAULT_CHART_ROWS 16 /* rows a 288 px chart covers at the default height */

static uint8_t chart_type(nb_chart_kind kind)
{
    switch (kind) {
    case NB_CHART_PIE:
        return LXW_CHART_PIE;
    case NB_CHART_DOUGHNUT:
        return LXW_CHART_DOUGHNUT;
    case NB_CHART_BAR:
        return LXW_CHART_BAR;
    case NB_CHART_COLUMN:
        return LXW_CHART_COLUMN;
    }
    return LXW_CHART_COLUMN;
}

static const nb_xlsx_sheet *table_sheet(const nb_xlsx_book *b, const char *id)
{
    for (size_t i = 0; i < b->nsheets; i++)
        if (strcmp(b->sheets[i].inst->def->id, id) == 0)
            return &b->sheets[i];
    return NULL;
}

/* The chart's own table: a caption, a header and one row per category. */
static void put_chart_data(nb_xlsx_book *b, lxw_worksheet *ws, const nb_chart *ch, int row)
{
    nb_xlsx_ok(b, worksheet_write_string(ws, (lxw_row_t)row, 0, ch->title, b->st.caption));
    nb_xlsx_ok(b, worksheet_write_string(ws, (lxw_row_t)row + 1, 0, "类别", b->st.list_head));
    nb_xlsx_ok(b, worksheet_write_string(ws, (lxw_row_t)row + 1, 1, "数值", b->st.list_head));
    for (size_t i = 0; i < ch->nitems; i++) {
        const nb_chart_item *it = &ch->items[i];
        lxw_row_t r = (lxw_row_t)(row + 2 + (int)i);
        nb_xlsx_ok(b, worksheet_write_string(ws, r, 0, it->label, b->st.list_text));
        nb_buf formula = {0};
        double sum;
        if (nb_xlsx_sum_formula(b, NULL, it->keys, it->nkeys, &formula, &sum))
            nb_xlsx_ok(b, worksheet_write_formula_num(ws, r, 1, nb_buf_str(&formula),
                                                      b->st.list_value, sum));
        else /* a figure that is not a number: reported on its table sheet */
            nb_xlsx_ok(b, worksheet_write_blank(ws, r, 1, b->st.list_value));
        nb_buf_free(&formula);
    }
}

static void style_chart(lxw_chart *chart, const nb_chart *ch, lxw_chart_series *series)
{
    lxw_chart_font title_font = {.name = "宋体", .size = 14, .bold = LXW_TRUE};
    lxw_chart_font font = {.name = "宋体", .size = 10};
    chart_title_set_name(chart, ch->title);
    chart_title_set_name_font(chart, &title_font);
    chart_series_set_labels(series);
    chart_series_set_labels_font(series, &font);
    if (ch->kind == NB_CHART_PIE || ch->kind == NB_CHART_DOUGHNUT) {
        chart_series_set_labels_options(series, LXW_FALSE, LXW_FALSE, LXW_TRUE);
        chart_series_set_labels_percentage(series);
        chart_legend_set_position(chart, LXW_CHART_LEGEND_RIGHT);
        chart_legend_set_font(chart, &font);
    } else {
        chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
        chart_axis_set_num_font(chart->x_axis, &font);
        chart_axis_set_num_font(chart->y_axis, &font);
    }
    if (ch->kind == NB_CHART_BAR) {
        /* Categories top to bottom, in table order (libxlsxwriter's y axis of
         * a bar chart is the category axis); the values' axis then stays at
         * the bottom by crossing at the last category. */
        chart_axis_set_reverse(chart->y_axis);
        chart_axis_set_crossing_max(chart->y_axis);
    }
}

/* Draw one chart at `row`; returns the rows its block takes. */
static int put_chart(nb_xlsx_book *b, lxw_worksheet *ws, const char *name, const nb_chart *ch,
                     int row)
{
    put_chart_data(b, ws, ch, row);
    lxw_chart *chart = workbook_add_chart(b->wb, chart_type(ch->kind));
    if (!chart) {
        nb_xlsx_ok(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return 0;
    }
    lxw_chart_series *series = chart_add_series(chart, NULL, NULL);
    int first = row + 2, last = row + 1 + (int)ch->nitems;
    chart_series_set_categories(series, name, (lxw_row_t)first, 0, (lxw_row_t)last, 0);
    chart_series_set_values(series, name, (lxw_row_t)first, 1, (lxw_row_t)last, 1);
    chart_series_set_name(series, ch->title);
    style_chart(chart, ch, series);

    /* Bars need room per category; pies do not grow with them. */
    bool bars = ch->kind == NB_CHART_BAR || ch->kind == NB_CHART_COLUMN;
    double y_scale = bars ? fmax(1.0, (double)ch->nitems * 32.0 / 288.0) : 1.0;
    lxw_chart_options opt = {.x_offset = 10, .y_offset = 5, .x_scale = 1.3,
                             .y_scale = y_scale};
    nb_xlsx_ok(b, worksheet_insert_chart_opt(ws, (lxw_row_t)row, CHART_COL, chart, &opt));
    int chart_rows = (int)ceil(DEFAULT_CHART_ROWS * y_scale);
    int data_rows = (int)ch->nitems + 2;
    return (chart_rows > data_rows ? chart_rows : data_rows) + 2;
}

bool nb_xlsx_chart_sheet_needed(const nb_xlsx_book *b)
{
    for (size_t i = 0; i < b->f->ncharts; i++)
        if (table_sheet(b, b->f->charts[i].table))
            return true;
    return false;
}

void nb_xlsx_write_chart_sheet(nb_xlsx_book *b, lxw_worksheet *ws, const char *name)
{
    nb_xlsx_ok(b, worksheet_set_column(ws, 0, 0, 34, NULL));
    nb_xlsx_ok(b, worksheet_set_column(ws, 1, 1, 12, NULL));
    int row = 0;
    for (size_t i = 0; i < b->f->ncharts; i++) {
        const nb_chart *ch = &b->f->charts[i];
        if (table_sheet(b, ch->table))
            row += put_chart(b, ws, name, ch, row);
    }
    /* The data (34 + 12 + a gap of 8.43 units) and a chart of 1.3 × 480 px,
     * about 90 units: printed across the page. */
    nb_xlsx_print_setup(ws, 145.0, row > 0 ? row - 1 : 0, CHART_COL + 9);
}
