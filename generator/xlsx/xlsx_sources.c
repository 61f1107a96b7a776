/* xlsx_sources.c — the 数据来源 sheet: every figure of every table with the
 * cell that shows it (a link), its data key, its value and the
 * file:line:column of the report it was read from, so that an auditor can go
 * from any number in the workbook to the line the clerk typed.
 */
#include <stdio.h>
#include <string.h>

#include "xlsx_book.h"

enum { COL_SHEET, COL_CELL, COL_NAME, COL_KEY, COL_VALUE, COL_SOURCE, COL_NOTE, NCOLS };

static const struct {
    const char *head;
    double width;
} columns[NCOLS] = {
    {"表", 14}, {"单元格", 14}, {"指标", 40}, {"数据键", 34},
    {"数值", 12}, {"来源", 26}, {"说明", 44},
};

static void put_position(nb_xlsx_book *b, lxw_worksheet *ws, lxw_row_t row,
                         const nb_xlsx_figure *fig)
{
    if (!fig->node || !fig->node->pos.file) {
        nb_xlsx_ok(b, worksheet_write_blank(ws, row, COL_SOURCE, b->st.list_text));
        return;
    }
    /* The file's name without its folder: the same report gives the same
     * workbook wherever it is built. */
    const char *file = fig->node->pos.file;
    const char *slash = strrchr(file, '/');
    char where[512];
    snprintf(where, sizeof where, "%s:%d:%d", slash ? slash + 1 : file,
             fig->node->pos.line, fig->node->pos.col);
    nb_xlsx_ok(b, worksheet_write_string(ws, row, COL_SOURCE, where, b->st.list_text));
}

static void note_of(nb_buf *note, const nb_xlsx_figure *fig, const nb_xlsx_total *t)
{
    char sum[40];
    snprintf(sum, sizeof sum, "%.15g", t->parts_sum);
    const char *rule = t->rule && t->rule->name ? t->rule->name : "";
    if (fig->state == NB_FIG_ABSENT)
        nb_buf_puts(note, "报告中没有此项，单元格为空");
    else if (fig->state == NB_FIG_EMPTY)
        nb_buf_puts(note, "报告中此项为空");
    else if (fig->state == NB_FIG_BAD)
        nb_buf_printf(note, "不是数字：%s", nb_scalar(fig->node) ? nb_scalar(fig->node) : "");
    else if (t->kind == NB_TOTAL_FORMULA)
        nb_buf_printf(note, "合计，公式 =%s（%s）", t->formula, rule);
    else if (t->kind == NB_TOTAL_MISMATCH)
        nb_buf_printf(note, "合计，但分项之和为 %s，与填报数不符；按填报数写入，未用公式 =%s（%s）",
                      sum, t->formula, rule);
    else if (t->kind == NB_TOTAL_UNREACHABLE)
        nb_buf_printf(note, "合计，但有分项不在本工作簿的表中；按填报数写入（%s）", rule);
}

static void put_figure(nb_xlsx_book *b, lxw_worksheet *ws, lxw_row_t row,
                       const nb_xlsx_sheet *s, const nb_cell *c)
{
    const nb_xlsx_styles *st = &b->st;
    int sheet_row = s->grid_row0 + c->row;
    nb_buf ref = {0}, url = {0}, note = {0};
    nb_xlsx_ref(&ref, NULL, s->name, sheet_row, c->col);
    nb_buf_printf(&url, "internal:%s", nb_buf_str(&ref));
    nb_xlsx_ok(b, worksheet_write_string(ws, row, COL_SHEET, s->name, st->list_text));
    nb_xlsx_ok(b, worksheet_write_url_opt(ws, row, COL_CELL, nb_buf_str(&url), st->list_link,
                                          nb_buf_str(&ref), NULL));
    nb_xlsx_ok(b, worksheet_write_string(ws, row, COL_NAME,
                                         nb_xlsx_cell_name(s->inst->def, c), st->list_text));
    nb_xlsx_ok(b, worksheet_write_string(ws, row, COL_KEY, c->key, st->list_text));

    nb_xlsx_figure fig = nb_xlsx_figure_of(s, c);
    if (fig.state == NB_FIG_NUMBER)
        nb_xlsx_ok(b, worksheet_write_number(ws, row, COL_VALUE, fig.value,
                                             st->list_number[nb_xlsx_decimals(&fig)]));
    else
        nb_xlsx_ok(b, worksheet_write_blank(ws, row, COL_VALUE, st->list_value));
    put_position(b, ws, row, &fig);

    nb_xlsx_total t = nb_xlsx_total_of(b, s, c, &fig);
    note_of(&note, &fig, &t);
    nb_xlsx_ok(b, worksheet_write_string(ws, row, COL_NOTE, nb_buf_str(&note), st->list_text));
    /* No spreadsheet sizes a row to wrapped text on its own everywhere. */
    int lines = nb_xlsx_text_lines(nb_xlsx_cell_name(s->inst->def, c),
                                   columns[COL_NAME].width - 1.5);
    int note_lines = nb_xlsx_text_lines(nb_buf_str(&note), columns[COL_NOTE].width - 1.5);
    lines = note_lines > lines ? note_lines : lines;
    nb_xlsx_ok(b, worksheet_set_row(ws, row, NB_XLSX_LINE_PT * lines + 4.0, NULL));
    nb_xlsx_total_free(&t);
    nb_buf_free(&ref);
    nb_buf_free(&url);
    nb_buf_free(&note);
}

void nb_xlsx_write_source_sheet(nb_xlsx_book *b, lxw_worksheet *ws)
{
    double total_width = 0;
    for (int col = 0; col < NCOLS; col++) {
        nb_xlsx_ok(b, worksheet_set_column(ws, (lxw_col_t)col, (lxw_col_t)col,
                                           columns[col].width, NULL));
        nb_xlsx_ok(b, worksheet_write_string(ws, 0, (lxw_col_t)col, columns[col].head,
                                             b->st.list_head));
        total_width += columns[col].width;
    }
    lxw_row_t row = 1;
    for (size_t i = 0; i < b->nsheets; i++) {
        const nb_table *t = b->sheets[i].inst->def;
        for (size_t k = 0; k < t->ncells; k++)
            if (t->cells[k].kind == NB_CELL_VALUE && t->cells[k].key)
                put_figure(b, ws, row++, &b->sheets[i], &t->cells[k]);
    }
    worksheet_freeze_panes(ws, 1, 0);
    nb_xlsx_ok(b, worksheet_repeat_rows(ws, 0, 0));
    if (row > 1)
        nb_xlsx_ok(b, worksheet_autofilter(ws, 0, 0, row - 1, NCOLS - 1));
    nb_xlsx_print_setup(ws, total_width, -1, NCOLS - 1); /* not printed */
}
