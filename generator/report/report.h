/* report.h — one report through the whole pipeline, a step per stage
 * (the folders of generator/, generator/README.md):
 *
 *   source    the report's YAML (source.h) and its format (format.h)
 *   check     every figure against the format's rules (check.h)
 *   template  the format's template rendered with the report's data
 *             (tmpl.h), the tables' title/lead/foot lines too
 *   markup    the rendered text parsed into the document tree (markup.h)
 *   layout    the tree on pages (layout.h), with fonts (fonts.h)
 *   pdf, xlsx, html  the outputs (pdf.h, xlsx.h, html.h: the portal's web page)
 *
 * Each step appends its problems to the report's diagnostics and returns
 * false when the next step cannot run. The stage timings are kept for
 * `nianbao build --timings` and the benchmark.
 */
#ifndef NB_REPORT_H
#define NB_REPORT_H

#include <stdbool.h>

#include "check.h"
#include "diag.h"
#include "doc.h"
#include "fonts.h"
#include "format.h"
#include "layout.h"
#include "outfile.h"
#include "source.h"
#include "util.h"

typedef enum {
    NB_STAGE_SOURCE, /* the report's YAML and its format */
    NB_STAGE_CHECK,
    NB_STAGE_TEMPLATE,
    NB_STAGE_MARKUP,
    NB_STAGE_LAYOUT,
    NB_STAGE_PDF,
    NB_STAGE_XLSX,
    NB_STAGE_HTML,
    NB_STAGE_COUNT
} nb_stage;

const char *nb_stage_name(nb_stage s);

typedef struct nb_report {
    nb_arena arena;      /* everything below lives here */
    const char *path;    /* the report's YAML */
    const char *name;    /* its file name without .yaml: names the outputs */
    const char *data_dir; /* holds templates/ and fonts/ */
    nb_node *data;       /* the report's root, with computed values added */
    nb_format *format;
    nb_table_inst *tables;
    size_t ntables;
    const char **table_names; /* per table, its name in the report: its title
                                 line, else the heading of the part the
                                 template places it in (set by parse) */
    const char *markup;  /* the rendered template */
    nb_document doc;
    nb_layout *layout;
    double seconds[NB_STAGE_COUNT];
} nb_report;

/* Load the YAML at `path` and its format (from data_dir/templates). */
bool nb_report_load(nb_report *r, const char *path, const char *data_dir, nb_diags *d);
/* Check every figure; rule failures are NB_KIND_RULE errors in d. */
void nb_report_check(nb_report *r, nb_diags *d);
/* The same for a purpose (check.h): for publishing, placeholders are errors. */
void nb_report_check_ex(nb_report *r, nb_check_options *o, nb_diags *d);
/* Render the templates (nb_report_render), then parse the result into
 * r->doc (nb_report_parse). Rendering first makes the report's data ready
 * for the templates: optional fields it leaves out are added empty, its
 * `wording:` renames the format's rows and gives the templates
 * `wording.<key>` (the report's wording, else the format's), and figures
 * quoted inline ({{key}}) are replaced by the figures. */
bool nb_report_compose(nb_report *r, nb_diags *d);
bool nb_report_render(nb_report *r, nb_diags *d);
bool nb_report_parse(nb_report *r, nb_diags *d);
/* Append a last page listing `problems` (for a draft). */
void nb_report_append_problems(nb_report *r, const nb_diags *problems);
/* Every character of the report's text is in a font of every role; an
 * error at the report's line:col for each that is not. */
bool nb_report_check_glyphs(nb_report *r, nb_fontset *fonts, nb_diags *d);
/* Lay r->doc out with `fonts` (after nb_report_check_glyphs). */
bool nb_report_layout(nb_report *r, nb_fontset *fonts, nb_diags *d);
/* The outputs, each joining `group` (outfile.h) when not NULL. */
bool nb_report_write_pdf(nb_report *r, const nb_fontset *fonts, const char *path,
                         bool draft, nb_outfile_group *group, nb_diags *d);
bool nb_report_write_xlsx(nb_report *r, const char *path, nb_outfile_group *group,
                          nb_diags *d);
/* The web page (or, with `fragment`, the article alone with inline styles)
 * from r->doc and the tables; a draft is marked 草稿. */
bool nb_report_write_html(nb_report *r, const char *path, bool draft, bool fragment,
                          nb_outfile_group *group, nb_diags *d);
void nb_report_free(nb_report *r);

/* The report's date (its `date:` field, else SOURCE_DATE_EPOCH) as seconds
 * since 1970 UTC; 0 when neither is set. Never the clock: builds repeat. */
long long nb_report_epoch(const nb_report *r);

#endif
