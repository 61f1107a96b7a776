/* xlsx_lib.h — libxlsxwriter, opened when the program runs, in a thread of
 * its own, for the XLSX backend only (xlsx*.c include it through
 * xlsx_book.h).
 *
 * libxlsxwriter brings OpenSSL's libcrypto with it (for the checksums of
 * images, which nianbao never writes), and loading the two at start-up took
 * 5 ms of the 35 a report may take on the machine of the targets: every
 * page of their relocated data is a page fault there (bench/README.md).
 * Opened with dlopen in a thread started with the build, they load on
 * another core while the report is read and laid out; the program itself
 * does not depend on them (it is linked with --as-needed, and every call
 * below goes through the table).
 *
 * Each function xlsx*.c calls is listed once in NB_LXW_FUNCTIONS; the
 * macros below turn a call such as worksheet_write_string(...) into a call
 * through the table. A function missing from the list is simply linked
 * directly, and the program depends on libxlsxwriter again.
 */
#ifndef NB_XLSX_LIB_H
#define NB_XLSX_LIB_H

#include <stdbool.h>
#include <xlsxwriter.h>

#define NB_LXW_FUNCTIONS(X) \
    X(chart_add_series) \
    X(chart_axis_set_crossing_max) \
    X(chart_axis_set_num_font) \
    X(chart_axis_set_reverse) \
    X(chart_legend_set_font) \
    X(chart_legend_set_position) \
    X(chart_series_set_categories) \
    X(chart_series_set_labels) \
    X(chart_series_set_labels_font) \
    X(chart_series_set_labels_options) \
    X(chart_series_set_labels_percentage) \
    X(chart_series_set_name) \
    X(chart_series_set_values) \
    X(chart_title_set_name) \
    X(chart_title_set_name_font) \
    X(format_set_align) \
    X(format_set_bold) \
    X(format_set_border) \
    X(format_set_font_charset) \
    X(format_set_font_color) \
    X(format_set_font_family) \
    X(format_set_font_name) \
    X(format_set_font_size) \
    X(format_set_indent) \
    X(format_set_text_wrap) \
    X(format_set_underline) \
    X(lxw_rowcol_to_cell) \
    X(lxw_strerror) \
    X(workbook_add_chart) \
    X(workbook_add_format) \
    X(workbook_add_worksheet) \
    X(workbook_close) \
    X(workbook_new_opt) \
    X(workbook_set_properties) \
    X(workbook_validate_sheet_name) \
    X(worksheet_autofilter) \
    X(worksheet_center_horizontally) \
    X(worksheet_fit_to_pages) \
    X(worksheet_freeze_panes) \
    X(worksheet_insert_chart_opt) \
    X(worksheet_merge_range) \
    X(worksheet_print_area) \
    X(worksheet_repeat_rows) \
    X(worksheet_set_column) \
    X(worksheet_set_footer) \
    X(worksheet_set_landscape) \
    X(worksheet_set_margins) \
    X(worksheet_set_paper) \
    X(worksheet_set_portrait) \
    X(worksheet_set_row) \
    X(worksheet_write_blank) \
    X(worksheet_write_formula_num) \
    X(worksheet_write_number) \
    X(worksheet_write_string) \
    X(worksheet_write_url_opt)

typedef struct nb_lxw_api {
#define NB_LXW_MEMBER(name) __typeof__(name) *name;
    NB_LXW_FUNCTIONS(NB_LXW_MEMBER)
#undef NB_LXW_MEMBER
} nb_lxw_api;

/* Filled by nb_xlsx_library_ready(). */
extern nb_lxw_api nb_lxw;

/* Wait for the library (opening it now if nb_xlsx_preload was not called).
 * False when it cannot be opened, with the reason in *why. */
bool nb_xlsx_library_ready(const char **why);

#ifndef NB_LXW_DIRECT
#define chart_add_series (nb_lxw.chart_add_series)
#define chart_axis_set_crossing_max (nb_lxw.chart_axis_set_crossing_max)
#define chart_axis_set_num_font (nb_lxw.chart_axis_set_num_font)
#define chart_axis_set_reverse (nb_lxw.chart_axis_set_reverse)
#define chart_legend_set_font (nb_lxw.chart_legend_set_font)
#define chart_legend_set_position (nb_lxw.chart_legend_set_position)
#define chart_series_set_categories (nb_lxw.chart_series_set_categories)
#define chart_series_set_labels (nb_lxw.chart_series_set_labels)
#define chart_series_set_labels_font (nb_lxw.chart_series_set_labels_font)
#define chart_series_set_labels_options (nb_lxw.chart_series_set_labels_options)
#define chart_series_set_labels_percentage (nb_lxw.chart_series_set_labels_percentage)
#define chart_series_set_name (nb_lxw.chart_series_set_name)
#define chart_series_set_values (nb_lxw.chart_series_set_values)
#define chart_title_set_name (nb_lxw.chart_title_set_name)
#define chart_title_set_name_font (nb_lxw.chart_title_set_name_font)
#define format_set_align (nb_lxw.format_set_align)
#define format_set_bold (nb_lxw.format_set_bold)
#define format_set_border (nb_lxw.format_set_border)
#define format_set_font_charset (nb_lxw.format_set_font_charset)
#define format_set_font_color (nb_lxw.format_set_font_color)
#define format_set_font_family (nb_lxw.format_set_font_family)
#define format_set_font_name (nb_lxw.format_set_font_name)
#define format_set_font_size (nb_lxw.format_set_font_size)
#define format_set_indent (nb_lxw.format_set_indent)
#define format_set_text_wrap (nb_lxw.format_set_text_wrap)
#define format_set_underline (nb_lxw.format_set_underline)
#define lxw_rowcol_to_cell (nb_lxw.lxw_rowcol_to_cell)
#define lxw_strerror (nb_lxw.lxw_strerror)
#define workbook_add_chart (nb_lxw.workbook_add_chart)
#define workbook_add_format (nb_lxw.workbook_add_format)
#define workbook_add_worksheet (nb_lxw.workbook_add_worksheet)
#define workbook_close (nb_lxw.workbook_close)
#define workbook_new_opt (nb_lxw.workbook_new_opt)
#define workbook_set_properties (nb_lxw.workbook_set_properties)
#define workbook_validate_sheet_name (nb_lxw.workbook_validate_sheet_name)
#define worksheet_autofilter (nb_lxw.worksheet_autofilter)
#define worksheet_center_horizontally (nb_lxw.worksheet_center_horizontally)
#define worksheet_fit_to_pages (nb_lxw.worksheet_fit_to_pages)
#define worksheet_freeze_panes (nb_lxw.worksheet_freeze_panes)
#define worksheet_insert_chart_opt (nb_lxw.worksheet_insert_chart_opt)
#define worksheet_merge_range (nb_lxw.worksheet_merge_range)
#define worksheet_print_area (nb_lxw.worksheet_print_area)
#define worksheet_repeat_rows (nb_lxw.worksheet_repeat_rows)
#define worksheet_set_column (nb_lxw.worksheet_set_column)
#define worksheet_set_footer (nb_lxw.worksheet_set_footer)
#define worksheet_set_landscape (nb_lxw.worksheet_set_landscape)
#define worksheet_set_margins (nb_lxw.worksheet_set_margins)
#define worksheet_set_paper (nb_lxw.worksheet_set_paper)
#define worksheet_set_portrait (nb_lxw.worksheet_set_portrait)
#define worksheet_set_row (nb_lxw.worksheet_set_row)
#define worksheet_write_blank (nb_lxw.worksheet_write_blank)
#define worksheet_write_formula_num (nb_lxw.worksheet_write_formula_num)
#define worksheet_write_number (nb_lxw.worksheet_write_number)
#define worksheet_write_string (nb_lxw.worksheet_write_string)
#define worksheet_write_url_opt (nb_lxw.worksheet_write_url_opt)
#endif

#endif
