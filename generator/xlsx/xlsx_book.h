/* xlsx_book.h — internals of the XLSX backend, shared by xlsx*.c only.
 *
 * The book ties the format's tables to their worksheets so that any part of
 * the backend can turn a data key into a cell reference: totals reference
 * their parts (possibly on another sheet), the chart sheet references the
 * figures it draws, and the source list links back to each figure.
 */
#ifndef NB_XLSX_BOOK_H
#define NB_XLSX_BOOK_H

#include <xlsxwriter.h>

#include "xlsx.h"

#define NB_XLSX_MAX_INDENT 6
#define NB_XLSX_LINE_PT 14.5 /* height of a line of 11 pt 宋体 */

#define NB_XLSX_MAX_DECIMALS 6 /* the most decimals a figure is shown with */

typedef struct nb_xlsx_styles {
    lxw_format *title, *line, *header, *unit, *text, *blank;
    lxw_format *value[NB_XLSX_MAX_DECIMALS + 1];      /* by decimals shown */
    lxw_format *list_number[NB_XLSX_MAX_DECIMALS + 1]; /* the same, in 数据来源 */
    lxw_format *label[NB_XLSX_MAX_INDENT + 1][2]; /* [level][group] */
    lxw_format *list_head, *list_text, *list_value, *list_link, *caption;
} nb_xlsx_styles;

/* What the report says for one value cell. */
typedef enum {
    NB_FIG_ABSENT, /* the key is not in the report */
    NB_FIG_EMPTY,  /* written as ~ or left empty */
    NB_FIG_NUMBER,
    NB_FIG_BAD,    /* text, a list, a boolean, infinity... */
} nb_fig_state;

typedef struct nb_xlsx_figure {
    nb_fig_state state;
    double value;       /* NB_FIG_NUMBER */
    const nb_node *node; /* NULL when absent */
} nb_xlsx_figure;

typedef struct nb_xlsx_sheet {
    const nb_table_inst *inst;
    const char *name;
    const char *title; /* NULL when the table has none (no title row then) */
    const char **lead; /* the lines under the title (填报单位) */
    size_t nlead;
    bool own_lead;     /* lead made here (one line, malloc'd) */
    lxw_worksheet *ws;
    int grid_row0; /* 0-based sheet row of grid row 0 */
} nb_xlsx_sheet;

/* How a value cell that may be a total is written. */
typedef enum {
    NB_TOTAL_NONE,     /* not a total (or empty): plain figure */
    NB_TOTAL_FORMULA,  /* formula, cached value = the reported figure */
    NB_TOTAL_MISMATCH, /* reported figure != sum of parts: written as a number */
    NB_TOTAL_UNREACHABLE, /* a part has no cell in the workbook: written as a number */
} nb_total_kind;

typedef struct nb_xlsx_total {
    nb_total_kind kind;
    const nb_rule *rule;
    char *formula; /* NB_TOTAL_FORMULA, MISMATCH: "SUM(...)", malloc'd */
    double parts_sum;
} nb_xlsx_total;

typedef struct nb_xlsx_book {
    lxw_workbook *wb;
    const nb_format *f;
    nb_xlsx_sheet *sheets; /* one per table instance, in order */
    size_t nsheets;
    nb_xlsx_styles st;
    const nb_xlsx_meta *meta; /* never NULL */
    nb_diags *d;
    lxw_error lxw_err; /* the first libxlsxwriter failure */
} nb_xlsx_book;

/* Remember the first libxlsxwriter error; the write fails at the end. */
void nb_xlsx_ok(nb_xlsx_book *b, lxw_error e);

nb_xlsx_figure nb_xlsx_figure_of(const nb_xlsx_sheet *s, const nb_cell *c);
/* The decimals a figure was written with (96171.6: 1), at most
 * NB_XLSX_MAX_DECIMALS; 0 for a whole number or a figure not written in
 * decimals. */
int nb_xlsx_decimals(const nb_xlsx_figure *fig);
/* The sheet and grid cell showing `key`; false when no written table has it. */
bool nb_xlsx_locate(const nb_xlsx_book *b, const char *key, const nb_xlsx_sheet **s,
                    const nb_cell **c);
/* "C5", or "'统计表'!C5" when `target` is not `here` (here may be NULL). */
void nb_xlsx_ref(nb_buf *out, const nb_xlsx_sheet *here, const char *target_name,
                 int row, int col);
/* A formula (without '=') summing the cells of `keys`, with the sum of their
 * figures (empty = 0). Consecutive cells in one column or row become ranges.
 * False when a key has no cell or a figure is not a number. */
bool nb_xlsx_sum_formula(const nb_xlsx_book *b, const nb_xlsx_sheet *here,
                         const char *const *keys, size_t nkeys, nb_buf *out, double *sum);
/* Classify value cell `c` of sheet `s`; free the result with nb_xlsx_total_free. */
nb_xlsx_total nb_xlsx_total_of(const nb_xlsx_book *b, const nb_xlsx_sheet *s,
                               const nb_cell *c, const nb_xlsx_figure *fig);
void nb_xlsx_total_free(nb_xlsx_total *t);

/* Width of a text in spreadsheet column units (a Chinese character is about
 * two), and the label of a grid row (for messages and lists). */
double nb_xlsx_text_width(const char *s);
/* Lines a text takes when wrapped in `avail` units (its newlines kept). */
int nb_xlsx_text_lines(const char *text, double avail);
const char *nb_xlsx_cell_name(const nb_table *t, const nb_cell *c);

/* The sheets besides the tables (xlsx_sheet.c, xlsx_chart.c, xlsx_sources.c). */
void nb_xlsx_write_table_sheet(nb_xlsx_book *b, nb_xlsx_sheet *s);
/* True when a chart of the format shows a table being written. */
bool nb_xlsx_chart_sheet_needed(const nb_xlsx_book *b);
void nb_xlsx_write_chart_sheet(nb_xlsx_book *b, lxw_worksheet *ws, const char *name);
void nb_xlsx_write_source_sheet(nb_xlsx_book *b, lxw_worksheet *ws);
/* Printing shared by every sheet: A4, one page wide, page numbers; the
 * print area up to last_row, last_col — none when last_row < 0 (then the
 * sheet is not printed with the others: LibreOffice prints only the print
 * areas of a workbook that has some, and no spreadsheet prints a hidden
 * sheet). */
void nb_xlsx_print_setup(lxw_worksheet *ws, double width_units, int last_row,
                         int last_col);
/* A table's sheet on one page when its height (points, at 100 %) needs
 * little shrinking for it; else one page wide and as many tall as needed. */
void nb_xlsx_fit_height(lxw_worksheet *ws, double width_units, double height_pt);

#endif
