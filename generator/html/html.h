/* html.h — backend: the report as one web page for the government portal.
 *
 * Most annual reports are read on the portal's 政府信息公开年报 column, as a
 * page, not as the PDF. Offices paste from Word into the portal's editor,
 * which mangles the tables; nianbao has the report as structured data and
 * writes the page from it: the same document tree the PDF is laid out from
 * (doc.h) and the same grid of each table (format.h), so the page says what
 * the PDF says, word for word and cell for cell.
 *
 *   title            <h1>
 *   heading level n  <h(n+1)>   (一、… <h2>, （一）… <h3>, 1.… <h4>)
 *   附件             <h2>
 *   paragraph        <p>; a run-in heading (a leading **…**) <strong>
 *   sign-off line    <p>, right-aligned
 *   page break       nothing on screen, a page break in print
 *   table            <table> in a box that scrolls sideways on a narrow
 *                    screen: <caption> (the table's title and lead lines, or,
 *                    when the PDF shows none, the name of the part it stands
 *                    in, for screen readers only), <thead> for the header
 *                    rows, <th scope=…> for headers and row labels, merged
 *                    cells as rowspan/colspan exactly as the grid merges
 *                    them, figures as written (right-aligned, tabular
 *                    digits), empty cells empty; the foot lines below it.
 *
 * The page is self-contained: HTML5, lang="zh-CN", UTF-8, its CSS inside it
 * (system CJK font families; a print stylesheet for A4), no script, nothing
 * loaded from elsewhere. The fragment is the report's <article> alone with
 * every style written inline on its elements, for a portal editor that takes
 * HTML but drops <style>.
 */
#ifndef NB_HTML_H
#define NB_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "doc.h"
#include "format.h"
#include "outfile.h"
#include "util.h"

typedef enum {
    NB_HTML_PAGE,     /* a whole page: <!DOCTYPE html> … with its <style> */
    NB_HTML_FRAGMENT, /* the <article> only, styles inline */
} nb_html_kind;

typedef struct nb_html_meta {
    const char *title;  /* <title>; the document's title block when NULL */
    const char *author; /* <meta name="author">, or NULL */
    const char *date;   /* YYYY-MM-DD for <meta name="date">, or NULL */
    bool draft;         /* a preview: marked 草稿 on screen and on every printed page */
} nb_html_meta;

/* What the page is made of: the report's document tree and its bound
 * tables. `table_names[i]`, when given, names tables[i] as the report does
 * (the caption of a table whose title line is empty); NULL entries or a
 * NULL array fall back to the table's sheet name. */
typedef struct nb_html_input {
    const nb_document *doc;
    const nb_table_inst *tables;
    size_t ntables;
    const char *const *table_names;
} nb_html_input;

/* Append the page or fragment to `out`. False, with errors in `d`, when a
 * table block names no table of `in` or a cell holds a list or map. */
bool nb_html_render(const nb_html_input *in, const nb_html_meta *m, nb_html_kind kind,
                    nb_buf *out, nb_diags *d);

/* Render and write to `path` through outfile.h: atomically, and joining
 * `group` (may be NULL) so that it is replaced with the report's other
 * outputs or not at all. */
bool nb_html_write(const nb_html_input *in, const nb_html_meta *m, nb_html_kind kind,
                   const char *path, nb_outfile_group *group, nb_diags *d);

/* Append `text[0..len)` with & < > " ' escaped (for text and attributes). */
void nb_html_escape(nb_buf *out, const char *text, size_t len);

#endif
