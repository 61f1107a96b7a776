/* xlsx.h — backend: the statistics tables as a spreadsheet (libxlsxwriter).
 *
 * The workbook is what superiors aggregate and auditors recompute, so it is
 * written to stay right when someone edits a cell: figures are numbers, every
 * total the format defines with a SUM rule is a live formula (with its value
 * cached for viewers that do not recalculate), and the layout is the format's
 * grid (format.h) — the same grid the PDF table and the checks walk.
 *
 * Sheets, in order:
 *   one per table, named table->sheet (the id when absent), laid out as
 *     row 1                      the title, merged across the table: the
 *                                table's title line, else its name in the
 *                                report (meta->table_names); with neither, no
 *                                title row: t = 0, else 1
 *     rows t+1 .. t+nlead        the lead lines (填报单位), merged across: the
 *                                table's own, else, when meta->body is given,
 *                                one line 填报单位：… 统计年度：…年 (填报日期：…)
 *     rows t+nlead+1 ..          the grid: grid row r is sheet row t+nlead+1+r
 *                                (1-based), grid column c is sheet column c
 *     after the grid             the foot lines (signature block), merged
 *   图表      when the format has charts: per chart a small table of its
 *             categories (formulas into the table sheets) and the chart
 *   数据来源  every figure with its cell, data key, value and the
 *             file:line:col it was read from; a hidden sheet, so that
 *             printing the workbook prints the tables and charts only
 *
 * A figure is shown with the decimals it was written with (a number format
 * per cell: 1520.30 stays 1520.30, as in the PDF). Each table sheet prints
 * one page wide, and on one page when that shrinks it no more than a little.
 *
 * The output is reproducible: the same input gives the same bytes (the
 * created date comes from the report, never from the clock).
 */
#ifndef NB_XLSX_H
#define NB_XLSX_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "format.h"
#include "outfile.h"

typedef struct nb_xlsx_meta {
    const char *title, *author, *company, *subject; /* NULL = not set */
    /* Seconds since 1970 UTC, from the report. 0 (no date) is written as
     * 1980-01-01T00:00:00Z, never as the time of the run. */
    long long date_epoch;
    /* The heading of a sheet whose table has no title or lead lines of its
     * own (the 2021 format's tables): per table, its name in the report
     * (NULL entries, or a NULL array: none); the body that reports (填报单位),
     * the year, the report's date as it prints it (2025年1月20日) — NULL
     * when not known. */
    const char *const *table_names;
    const char *body, *year, *date;
} nb_xlsx_meta;

/* Sheet names used besides the tables' (a table may not take them). */
#define NB_XLSX_CHART_SHEET "图表"
#define NB_XLSX_SOURCE_SHEET "数据来源"

/* Write the workbook for `tables` (bound to one report) to `path`, atomically
 * (outfile.h; in `group` when not NULL). Returns false with errors in `d` — a figure that is not a
 * number, an unusable sheet name, a write failure — and then leaves any
 * previous file at `path` untouched. A total whose figure differs from the sum
 * of its parts is written as the reported number, not a formula, with a
 * warning (the checks report the broken rule itself). */
bool nb_xlsx_write(const nb_format *f, const nb_table_inst *tables, size_t ntables,
                   const nb_xlsx_meta *m, const char *path, nb_outfile_group *group,
                   nb_diags *d);

#endif
