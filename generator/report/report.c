/* report.c — see report.h. */
#include "report.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "html.h"
#include "markup.h"
#include "pdf.h"
#include "tmpl.h"
#include "xlsx.h"

const char *nb_stage_name(nb_stage s)
{
    static const char *const names[NB_STAGE_COUNT] = {
        "source", "check", "template", "markup", "layout", "pdf", "xlsx", "html"};
    return s < NB_STAGE_COUNT ? names[s] : "?";
}

/* ---- source ---- */
static bool find_format(nb_report *r, nb_diags *d)
{
    const char *templates = nb_arena_printf(&r->arena, "%s/templates", r->data_dir);
    const nb_pair *p = nb_map_pair(r->data, "format");
    if (!p || !nb_scalar(p->value) || nb_node_type(p->value) == NB_TYPE_NULL) {
        const char **known = nb_format_list(templates, &r->arena);
        nb_buf list = {0};
        for (size_t i = 0; known[i]; i++)
            nb_buf_printf(&list, "%s%s", i ? ", " : "", known[i]);
        nb_pos at = p ? p->value->pos : (nb_pos){r->path, 1, 1};
        nb_error(d, at, "the report does not name its format; add a line such as "
                 "`format: %s` (known formats: %s)", known[0] ? known[0] : "gov-2021",
                 nb_buf_str(&list));
        nb_buf_free(&list);
        return false;
    }
    r->format = nb_format_load(templates, p->value->text, p->value->pos, &r->arena, d);
    return r->format != NULL;
}

bool nb_report_load(nb_report *r, const char *path, const char *data_dir, nb_diags *d)
{
    *r = (nb_report){0};
    r->path = nb_arena_strdup(&r->arena, path);
    char *name = nb_basename_noext(path);
    r->name = nb_arena_strdup(&r->arena, name);
    free(name);
    r->data_dir = nb_arena_strdup(&r->arena, data_dir);
    r->data = nb_source_load_file(path, &r->arena, d);
    if (!r->data)
        return false;
    if (r->data->kind != NB_NODE_MAP) {
        nb_error(d, r->data->pos, "a report is a map of keys (`format: …`, `year: …`), "
                 "not %s", nb_value_type_name(nb_node_type(r->data)));
        return false;
    }
    if (r->data->count == 0) {
        nb_error(d, (nb_pos){r->path, 0, 0}, "the file is empty; a report starts "
                 "with `format:` and holds the year's text and figures");
        return false;
    }
    return find_format(r, d);
}

void nb_report_check(nb_report *r, nb_diags *d)
{
    nb_check_report(r->format, r->data, d);
}

void nb_report_check_ex(nb_report *r, nb_check_options *o, nb_diags *d)
{
    nb_check_report_ex(r->format, r->data, o, d);
}

/* ---- template, markup ---- */
static nb_tmpl_options template_options(nb_report *r)
{
    const char **dirs = nb_arena_alloc(&r->arena, 3 * sizeof *dirs);
    dirs[0] = r->format->dir;
    dirs[1] = nb_arena_printf(&r->arena, "%s/templates/_base", r->data_dir);
    return (nb_tmpl_options){.escape = NB_ESCAPE_MARKUP, .lenient = false,
                             .partial_dirs = dirs};
}

/* Table lines are plain text, not markup: render them without escaping. */
static const char *render_line(nb_report *r, const char *what, const char *text,
                               nb_diags *d)
{
    if (!text)
        return NULL;
    nb_tmpl_options o = template_options(r);
    o.escape = NB_ESCAPE_NONE;
    const char *name = nb_arena_printf(&r->arena, "%s/format.yaml (%s)", r->format->dir,
                                       what);
    return nb_tmpl_render_string(name, text, strlen(text), r->data, &o, &r->arena, d);
}

static const char **render_lines(nb_report *r, const char *what, const char **lines,
                                 size_t n, nb_diags *d)
{
    const char **out = nb_arena_alloc(&r->arena, (n + 1) * sizeof *out);
    for (size_t i = 0; i < n; i++) {
        const char *s = render_line(r, what, lines[i], d);
        out[i] = s ? s : "";
    }
    return out;
}

static bool bind_tables(nb_report *r, nb_diags *d)
{
    size_t errors = d->errors;
    r->ntables = r->format->ntables;
    r->tables = nb_arena_alloc(&r->arena, (r->ntables + 1) * sizeof *r->tables);
    for (size_t i = 0; i < r->ntables; i++) {
        const nb_table *t = &r->format->tables[i];
        nb_table_inst *inst = &r->tables[i];
        inst->def = t;
        inst->data = r->data;
        inst->title = render_line(r, "table title", t->title, d);
        inst->lead = render_lines(r, "table lead", t->lead, t->nlead, d);
        inst->foot = render_lines(r, "table foot", t->foot, t->nfoot, d);
    }
    return d->errors == errors;
}

/* Every ![](table:ID) must name a table of the format. */
static bool tables_exist(nb_report *r, nb_diags *d)
{
    bool ok = true;
    for (size_t i = 0; i < r->doc.count; i++) {
        const nb_block *b = &r->doc.blocks[i];
        if (b->kind == NB_BLOCK_TABLE && !nb_format_table(r->format, b->table_id)) {
            nb_error(d, b->pos, "the template inserts table '%s', which the format "
                     "%s does not define", b->table_id, r->format->name);
            ok = false;
        }
    }
    return ok;
}

/* `wording.<key>` for the templates: for each piece of the format's wording,
 * the report's own (its `wording:`), else the format's, rendered. */
static bool wording_map(nb_report *r, nb_diags *d)
{
    const nb_node *own = nb_map_get(r->data, "wording");
    nb_node *map = nb_node_new_map(&r->arena, own ? own->pos : r->data->pos);
    size_t errors = d->errors;
    for (size_t i = 0; i < r->format->nwording; i++) {
        const nb_wording *w = &r->format->wording[i];
        nb_node *v = nb_map_get(own, w->key);
        if (!v) {
            const char *text = render_line(r, "wording", w->text, d);
            v = nb_node_new_scalar(&r->arena, w->pos, text ? text : "");
        }
        nb_map_set(&r->arena, map, w->key, v);
    }
    nb_map_set(&r->arena, r->data, "wording", map);
    return d->errors == errors;
}

static bool prepare_data(nb_report *r, nb_diags *d)
{
    nb_format_complete_fields(r->format, r->data, &r->arena);
    const nb_node *own = nb_map_get(r->data, "wording");
    if (own && !nb_format_check_wording(r->format, own, d))
        return false;
    nb_format_apply_row_wording(r->format, own, &r->arena);
    return nb_format_inline_figures(r->format, r->data, true, &r->arena, d) &&
           wording_map(r, d);
}

bool nb_report_render(nb_report *r, nb_diags *d)
{
    if (!prepare_data(r, d))
        return false;
    nb_tmpl_options o = template_options(r);
    r->markup = nb_tmpl_render_file(r->format->main_template, r->data, &o, &r->arena, d);
    return r->markup && bind_tables(r, d);
}

/* The name of the table placed by block `at`: its title line, else the
 * heading above it (二、主动公开政府信息情况, as the report words it), so that
 * the spreadsheet's sheet title and the web page's caption say what the
 * report calls it. */
static const char *name_of_table(nb_report *r, size_t at, const nb_table_inst *inst)
{
    if (inst->title && *inst->title)
        return inst->title;
    for (size_t i = at; i-- > 0;) {
        const nb_block *b = &r->doc.blocks[i];
        if (b->kind == NB_BLOCK_HEADING || b->kind == NB_BLOCK_TITLE)
            return nb_block_text(b, &r->arena);
    }
    return NULL;
}

static void name_tables(nb_report *r)
{
    r->table_names = nb_arena_alloc(&r->arena, (r->ntables + 1) * sizeof *r->table_names);
    for (size_t t = 0; t < r->ntables; t++) {
        for (size_t i = 0; i < r->doc.count && !r->table_names[t]; i++) {
            const nb_block *b = &r->doc.blocks[i];
            if (b->kind == NB_BLOCK_TABLE && strcmp(b->table_id, r->tables[t].def->id) == 0)
                r->table_names[t] = name_of_table(r, i, &r->tables[t]);
        }
    }
}

bool nb_report_parse(nb_report *r, nb_diags *d)
{
    const char *name = nb_arena_printf(&r->arena, "%s (rendered)", r->format->main_template);
    if (!nb_markup_parse(name, r->markup, strlen(r->markup), &r->doc, &r->arena, d) ||
        !tables_exist(r, d))
        return false;
    name_tables(r);
    return true;
}

bool nb_report_compose(nb_report *r, nb_diags *d)
{
    return nb_report_render(r, d) && nb_report_parse(r, d);
}

static void add_block(nb_report *r, nb_block_kind kind, int level, const char *text)
{
    nb_block b = {.kind = kind, .level = level};
    if (text) {
        b.spans = nb_arena_alloc(&r->arena, sizeof *b.spans);
        b.spans[0] = (nb_span){nb_arena_strdup(&r->arena, text), strlen(text), 0};
        b.count = 1;
    }
    NB_GROW(r->doc.blocks, r->doc.count, r->doc.cap);
    r->doc.blocks[r->doc.count++] = b;
}

void nb_report_append_problems(nb_report *r, const nb_diags *problems)
{
    if (problems->count == 0)
        return;
    add_block(r, NB_BLOCK_PAGEBREAK, 0, NULL);
    add_block(r, NB_BLOCK_HEADING, 1, _("Problems found in this draft"));
    for (size_t i = 0; i < problems->count; i++) {
        char *line = nb_diag_format(&problems->items[i]);
        add_block(r, NB_BLOCK_PARAGRAPH, NB_PARAGRAPH_ENTRY, line);
        free(line);
    }
}

/* ---- layout and output ---- */

/* A character of the report that no font of some role has is an error at
 * the report's line and column (the text reaches layout through the
 * templates, which would only know the rendered markup's position). The
 * text may be set in any role, so every role's chain must have it. */
typedef struct glyph_check {
    const nb_fontset *fs;
    unsigned char *checked; /* a bit per character already looked at */
    nb_diags *d;
    size_t missing;
} glyph_check;

enum { MAX_MISSING_REPORTED = 20 };

/* The column of the character at byte `at` of a one-line scalar, else the
 * scalar's own position. */
static nb_pos char_pos(const nb_node *n, size_t at)
{
    nb_pos pos = n->pos;
    if (n->style == NB_BLOCK || memchr(n->text, '\n', at))
        return pos;
    int chars = 0;
    for (size_t i = 0; i < at;) {
        uint32_t cp;
        size_t k = nb_utf8_decode(n->text + i, at - i, &cp);
        i += k ? k : 1;
        chars++;
    }
    pos.col += chars + (n->style == NB_QUOTED);
    return pos;
}

static void check_char(glyph_check *g, const nb_node *n, size_t at, size_t len, uint32_t cp)
{
    if (g->checked[cp >> 3] & (1u << (cp & 7)))
        return;
    g->checked[cp >> 3] |= (unsigned char)(1u << (cp & 7));
    for (int role = 0; role < NB_ROLE_COUNT; role++) {
        if (nb_fonts_pick(g->fs, (nb_font_role)role, cp) >= 0)
            continue;
        if (g->missing++ < MAX_MISSING_REPORTED)
            nb_error(g->d, char_pos(n, at), "no font of the %s role (%s) has the character "
                     "“%.*s” (U+%04X); name a font that has it in fonts/fonts.yaml (`nianbao "
                     "fonts --text` shows which fonts have a character), or write the text "
                     "without it", nb_font_role_chinese((nb_font_role)role),
                     nb_font_role_name((nb_font_role)role), (int)len,
                     n->text + at, (unsigned)cp);
        return;
    }
}

static void check_scalar_glyphs(glyph_check *g, const nb_node *n)
{
    for (size_t i = 0; i < n->len;) {
        uint32_t cp;
        size_t k = nb_utf8_decode(n->text + i, n->len - i, &cp);
        if (k == 0)
            return; /* not UTF-8: the YAML loader reports it */
        if (cp >= 0x80 && cp < 0x110000)
            check_char(g, n, i, k, cp);
        i += k;
    }
}

static void check_node_glyphs(glyph_check *g, const nb_node *n)
{
    if (!n)
        return;
    if (n->kind == NB_NODE_SCALAR && n->text)
        check_scalar_glyphs(g, n);
    else if (n->kind == NB_NODE_SEQ)
        for (size_t i = 0; i < n->count; i++)
            check_node_glyphs(g, n->items[i]);
    else if (n->kind == NB_NODE_MAP)
        for (size_t i = 0; i < n->count; i++)
            check_node_glyphs(g, n->pairs[i].value);
}

bool nb_report_check_glyphs(nb_report *r, nb_fontset *fonts, nb_diags *d)
{
    glyph_check g = {fonts, nb_xcalloc(0x110000 / 8, 1), d, 0};
    check_node_glyphs(&g, r->data);
    free(g.checked);
    return g.missing == 0;
}

bool nb_report_layout(nb_report *r, nb_fontset *fonts, nb_diags *d)
{
    if (!nb_report_check_glyphs(r, fonts, d))
        return false;
    r->layout = nb_layout_document(&r->doc, r->tables, r->ntables,
                                   nb_fonts_metrics(fonts), &nb_gbt9704_style,
                                   &r->arena, d);
    return r->layout != NULL;
}

static const char *report_title(nb_report *r)
{
    for (size_t i = 0; i < r->doc.count; i++)
        if (r->doc.blocks[i].kind == NB_BLOCK_TITLE)
            return nb_block_text(&r->doc.blocks[i], &r->arena);
    return r->name;
}

static const char *data_text(const nb_report *r, const char *key)
{
    const char *s = nb_scalar(nb_map_get(r->data, key));
    return s && *s ? s : NULL;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static long long days_from_civil(int y, int m, int day)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

long long nb_report_epoch(const nb_report *r)
{
    const char *env = getenv("SOURCE_DATE_EPOCH");
    if (env && *env)
        return strtoll(env, NULL, 10);
    const char *date = data_text(r, "date");
    int y, m, day;
    if (date && sscanf(date, "%d-%d-%d", &y, &m, &day) == 3 && m >= 1 && m <= 12 &&
        day >= 1 && day <= 31)
        return days_from_civil(y, m, day) * 86400;
    return 0;
}

bool nb_report_write_pdf(nb_report *r, const nb_fontset *fonts, const char *path,
                         bool draft, nb_outfile_group *group, nb_diags *d)
{
    const char *region = data_text(r, "region"), *year = data_text(r, "year");
    nb_pdf_meta meta = {
        .title = report_title(r),
        .author = data_text(r, "office"),
        .subject = "政府信息公开工作年度报告",
        .keywords = nb_arena_printf(&r->arena, "政府信息公开,年度报告,%s,%s",
                                    region ? region : "", year ? year : ""),
        .creator = "nianbao " NB_VERSION,
        .date_epoch = nb_report_epoch(r),
    };
    nb_pdf_options opts = {.draft = draft};
    return nb_pdf_write(r->layout, fonts, &meta, &opts, path, group, d);
}

/* The report's date as it prints it: 2025-01-20 -> 2025年1月20日. */
static const char *date_as_printed(nb_report *r)
{
    const char *date = data_text(r, "date");
    int y, m, day;
    if (!date || sscanf(date, "%d-%d-%d", &y, &m, &day) != 3)
        return NULL;
    return nb_arena_printf(&r->arena, "%d年%d月%d日", y, m, day);
}

bool nb_report_write_xlsx(nb_report *r, const char *path, nb_outfile_group *group,
                          nb_diags *d)
{
    const char *body = data_text(r, "body");
    nb_xlsx_meta meta = {
        .title = report_title(r),
        .author = data_text(r, "office"),
        .company = data_text(r, "office"),
        .subject = "政府信息公开工作年度报告 统计表",
        .date_epoch = nb_report_epoch(r),
        .table_names = r->table_names,
        .body = body ? body : data_text(r, "region"),
        .year = data_text(r, "year"),
        .date = date_as_printed(r),
    };
    return nb_xlsx_write(r->format, r->tables, r->ntables, &meta, path, group, d);
}

bool nb_report_write_html(nb_report *r, const char *path, bool draft, bool fragment,
                          nb_outfile_group *group, nb_diags *d)
{
    nb_html_input in = {.doc = &r->doc, .tables = r->tables, .ntables = r->ntables,
                        .table_names = r->table_names};
    nb_html_meta meta = {.title = report_title(r), .author = data_text(r, "office"),
                         .date = data_text(r, "date"), .draft = draft};
    return nb_html_write(&in, &meta, fragment ? NB_HTML_FRAGMENT : NB_HTML_PAGE, path,
                         group, d);
}

void nb_report_free(nb_report *r)
{
    if (r->layout)
        nb_layout_free(r->layout);
    nb_document_free(&r->doc);
    nb_arena_free(&r->arena);
    *r = (nb_report){0};
}
