/* xlsx.c — see xlsx.h. The workbook as a whole: its file, properties,
 * styles and sheets; each kind of sheet is written by its own file
 * (xlsx_sheet.c, xlsx_chart.c, xlsx_sources.c).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "outfile.h"
#include "xlsx_book.h"

#define FONT_NAME "宋体"
#define FONT_CHARSET_GB2312 134 /* what Excel records for 宋体 */
#define FONT_FAMILY_MODERN 3
#define PAPER_A4 9
#define EPOCH_1980 315532800LL /* 1980-01-01T00:00:00Z, the zip format's epoch */

static lxw_format *new_format(lxw_workbook *wb, double size, bool bold)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_font_name(f, FONT_NAME);
    format_set_font_charset(f, FONT_CHARSET_GB2312);
    format_set_font_family(f, FONT_FAMILY_MODERN);
    format_set_font_size(f, size);
    if (bold)
        format_set_bold(f);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    return f;
}

static lxw_format *grid_format(lxw_workbook *wb, bool bold, uint8_t align, bool wrap)
{
    lxw_format *f = new_format(wb, 11, bold);
    format_set_border(f, LXW_BORDER_THIN);
    if (align != LXW_ALIGN_NONE)
        format_set_align(f, align);
    if (wrap)
        format_set_text_wrap(f);
    return f;
}

/* "0", "0.0", "0.00" …: the figure's digits as written, no separators (the
 * PDF prints 3985758, not 3,985,758). */
static const char *number_format(int decimals)
{
    static const char *const formats[NB_XLSX_MAX_DECIMALS + 1] = {
        "0", "0.0", "0.00", "0.000", "0.0000", "0.00000", "0.000000"};
    return formats[decimals];
}

static void make_styles(nb_xlsx_book *b)
{
    lxw_workbook *wb = b->wb;
    nb_xlsx_styles *st = &b->st;
    st->title = new_format(wb, 16, true);
    format_set_align(st->title, LXW_ALIGN_CENTER);
    format_set_text_wrap(st->title);
    st->line = new_format(wb, 11, false);
    format_set_align(st->line, LXW_ALIGN_LEFT);
    format_set_text_wrap(st->line);
    st->header = grid_format(wb, true, LXW_ALIGN_CENTER, true);
    st->unit = grid_format(wb, false, LXW_ALIGN_CENTER, true);
    st->text = grid_format(wb, true, LXW_ALIGN_CENTER, true);
    for (int n = 0; n <= NB_XLSX_MAX_DECIMALS; n++) {
        st->value[n] = grid_format(wb, false, LXW_ALIGN_RIGHT, false);
        st->list_number[n] = grid_format(wb, false, LXW_ALIGN_RIGHT, false);
        format_set_num_format(st->value[n], number_format(n));
        format_set_num_format(st->list_number[n], number_format(n));
    }
    st->blank = grid_format(wb, false, LXW_ALIGN_NONE, false);
    for (int level = 0; level <= NB_XLSX_MAX_INDENT; level++) {
        for (int group = 0; group < 2; group++) {
            lxw_format *f = grid_format(wb, group == 1, LXW_ALIGN_LEFT, true);
            format_set_indent(f, (uint8_t)level);
            st->label[level][group] = f;
        }
    }
    st->list_head = grid_format(wb, true, LXW_ALIGN_CENTER, true);
    st->list_text = grid_format(wb, false, LXW_ALIGN_LEFT, true);
    st->list_value = grid_format(wb, false, LXW_ALIGN_RIGHT, false);
    st->list_link = grid_format(wb, false, LXW_ALIGN_LEFT, false);
    format_set_font_color(st->list_link, LXW_COLOR_BLUE);
    format_set_underline(st->list_link, LXW_UNDERLINE_SINGLE);
    st->caption = new_format(wb, 12, true);
}

static void set_properties(nb_xlsx_book *b, const nb_xlsx_meta *m)
{
    /* libxlsxwriter copies the strings; it only lacks const in its struct. */
    lxw_doc_properties p = {
        .title = (char *)(m ? m->title : NULL),
        .subject = (char *)(m ? m->subject : NULL),
        .author = (char *)(m ? m->author : NULL),
        .company = (char *)(m ? m->company : NULL),
        .created = (time_t)(m && m->date_epoch ? m->date_epoch : EPOCH_1980),
    };
    nb_xlsx_ok(b, workbook_set_properties(b->wb, &p));
}

void nb_xlsx_print_setup(lxw_worksheet *ws, double width_units, int last_row, int last_col)
{
    worksheet_set_paper(ws, PAPER_A4);
    worksheet_set_margins(ws, 0.6, 0.6, 0.75, 0.75);
    /* A column unit is about 7 px at 96 dpi. Portrait A4 leaves 7.07 in
     * between the margins; a table that would shrink below 80 % there is
     * printed across the page instead. */
    double inches = width_units * 7.0 / 96.0;
    if (inches > 7.07 / 0.8)
        worksheet_set_landscape(ws);
    else
        worksheet_set_portrait(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_center_horizontally(ws);
    worksheet_set_footer(ws, "&C第 &P 页，共 &N 页");
    if (last_row >= 0) /* a sheet without a print area is not printed */
        worksheet_print_area(ws, 0, 0, (lxw_row_t)last_row,
                             (lxw_col_t)(last_col < 0 ? 0 : last_col));
}

#define PRINT_WIDTH_IN(landscape) ((landscape) ? 11.69 - 1.2 : 8.27 - 1.2)
#define PRINT_HEIGHT_IN(landscape) ((landscape) ? 8.27 - 1.5 : 11.69 - 1.5)
#define LEAST_SHRINK 0.7 /* a page's height is not shrunk to below 70 % */

void nb_xlsx_fit_height(lxw_worksheet *ws, double width_units, double height_pt)
{
    double inches = width_units * 7.0 / 96.0;
    bool landscape = inches > 7.07 / 0.8; /* as nb_xlsx_print_setup turned it */
    double scale = inches > PRINT_WIDTH_IN(landscape) ? PRINT_WIDTH_IN(landscape) / inches : 1;
    /* the footer's line (page numbers) is inside the bottom margin */
    double tall = height_pt / 72.0 * scale;
    if (tall * LEAST_SHRINK <= PRINT_HEIGHT_IN(landscape))
        worksheet_fit_to_pages(ws, 1, 1);
}

/* The name is checked before the sheet is added, to report it at the table. */
static lxw_worksheet *add_sheet(nb_xlsx_book *b, const char *name, nb_pos pos,
                                const char *what)
{
    lxw_error e = workbook_validate_sheet_name(b->wb, name);
    if (e != LXW_NO_ERROR) {
        nb_error(b->d, pos,
                 "%s cannot be a sheet name: %s; expected at most 31 characters, "
                 "none of [ ] : * ? / \\, and a name no other sheet uses",
                 what, lxw_strerror(e));
        return NULL;
    }
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, name);
    if (!ws)
        nb_xlsx_ok(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
    return ws;
}

static bool reserved_name(const char *name)
{
    return strcmp(name, NB_XLSX_CHART_SHEET) == 0 || strcmp(name, NB_XLSX_SOURCE_SHEET) == 0;
}

static bool has_text(const char *s) { return s && *s; }

/* The lead line of a sheet whose table has none: who reports, for which
 * year, on which date — what the PDF's part heading and title say around
 * a 2021 table and a sheet on its own does not. */
static void heading_line(nb_xlsx_book *b, nb_xlsx_sheet *s)
{
    const nb_xlsx_meta *m = b->meta;
    if (!has_text(m->body))
        return;
    nb_buf line = {0};
    nb_buf_printf(&line, "填报单位：%s", m->body);
    if (has_text(m->year))
        nb_buf_printf(&line, "　　统计年度：%s年", m->year);
    if (has_text(m->date))
        nb_buf_printf(&line, "　　填报日期：%s", m->date);
    s->lead = nb_xcalloc(1, sizeof *s->lead);
    s->lead[0] = nb_buf_detach(&line);
    s->nlead = 1;
    s->own_lead = true;
}

static void free_heading(nb_xlsx_sheet *s)
{
    if (!s->own_lead)
        return;
    free((char *)s->lead[0]);
    free(s->lead);
}

/* The sheet's title and lead lines: the table's, else the report's (xlsx.h). */
static void sheet_heading(nb_xlsx_book *b, nb_xlsx_sheet *s, size_t i)
{
    const nb_table_inst *inst = s->inst;
    const nb_table *t = inst->def;
    s->title = inst->title ? inst->title : t->title;
    if (!has_text(s->title))
        s->title = b->meta->table_names ? b->meta->table_names[i] : NULL;
    if (!has_text(s->title))
        s->title = NULL;
    bool lead = false;
    for (size_t k = 0; k < t->nlead; k++)
        lead = lead || has_text(inst->lead ? inst->lead[k] : t->lead[k]);
    if (lead) {
        s->lead = inst->lead ? inst->lead : t->lead;
        s->nlead = t->nlead;
    } else {
        heading_line(b, s);
    }
}

static bool add_table_sheets(nb_xlsx_book *b, const nb_table_inst *tables, size_t n)
{
    bool ok = true;
    b->sheets = nb_xcalloc(n ? n : 1, sizeof *b->sheets);
    b->nsheets = n;
    for (size_t i = 0; i < n; i++) {
        const nb_table *t = tables[i].def;
        nb_xlsx_sheet *s = &b->sheets[i];
        s->inst = &tables[i];
        s->name = t->sheet && *t->sheet ? t->sheet : t->id;
        sheet_heading(b, s, i);
        s->grid_row0 = (s->title ? 1 : 0) + (int)s->nlead;
        nb_buf what = {0};
        nb_buf_printf(&what, "`%s` (the sheet of table `%s`)", s->name, t->id);
        if (reserved_name(s->name)) {
            nb_error(b->d, t->pos, "%s is a name nianbao gives its own sheet; choose "
                                   "another `sheet:`", nb_buf_str(&what));
            ok = false;
        } else {
            s->ws = add_sheet(b, s->name, t->pos, nb_buf_str(&what));
            ok = ok && s->ws;
        }
        nb_buf_free(&what);
    }
    return ok;
}

static void write_sheets(nb_xlsx_book *b)
{
    lxw_worksheet *charts = NULL;
    if (nb_xlsx_chart_sheet_needed(b))
        charts = add_sheet(b, NB_XLSX_CHART_SHEET, (nb_pos){0}, "the chart sheet");
    lxw_worksheet *sources = add_sheet(b, NB_XLSX_SOURCE_SHEET, (nb_pos){0},
                                       "the source sheet");
    for (size_t i = 0; i < b->nsheets; i++)
        nb_xlsx_write_table_sheet(b, &b->sheets[i]);
    if (charts)
        nb_xlsx_write_chart_sheet(b, charts, NB_XLSX_CHART_SHEET);
    if (sources) {
        nb_xlsx_write_source_sheet(b, sources);
        /* kept for auditors, not printed with the tables */
        worksheet_hide(sources);
    }
}

bool nb_xlsx_write(const nb_format *f, const nb_table_inst *tables, size_t ntables,
                   const nb_xlsx_meta *m, const char *path, nb_outfile_group *group,
                   nb_diags *d)
{
    nb_outfile out;
    if (!nb_outfile_begin(&out, path, group, d))
        return false;
    size_t errors_before = d->errors;
    static const nb_xlsx_meta no_meta = {0};
    nb_xlsx_book b = {.f = f, .d = d, .meta = m ? m : &no_meta};
    lxw_workbook_options options = {0};
    b.wb = workbook_new_opt(out.temp_path, &options);
    if (!b.wb) {
        nb_error(d, (nb_pos){0}, "cannot create the spreadsheet %s", path);
        nb_outfile_abort(&out);
        return false;
    }
    set_properties(&b, m);
    make_styles(&b);
    if (add_table_sheets(&b, tables, ntables))
        write_sheets(&b);
    /* Closing assembles the file; it must happen even after a failure, to
     * free the workbook. */
    lxw_error closed = workbook_close(b.wb);
    nb_xlsx_ok(&b, closed);
    for (size_t i = 0; i < b.nsheets; i++)
        free_heading(&b.sheets[i]);
    free(b.sheets);
    if (b.lxw_err != LXW_NO_ERROR)
        nb_error(d, (nb_pos){0}, "cannot write the spreadsheet %s: %s", path,
                 lxw_strerror(b.lxw_err));
    if (d->errors > errors_before) {
        nb_outfile_abort(&out);
        return false;
    }
    return nb_outfile_commit(&out, d);
}
