/* html_table.c — a statistics table as an HTML table, from the format's grid
 * (format.h), the grid the PDF's layout and the XLSX sheet walk: a cell of
 * the grid is one <th> or <td> at its top-left slot with its rows and
 * columns as rowspan and colspan, a slot no cell covers an empty <td>.
 *
 * The header rows are the <thead>. A table without header rows made of
 * sub-tables (2021 表二: a caption row across the table, a row of heading
 * cells, rows of figures) has one <tbody> per sub-table. Every header cell
 * has an id and every figure lists its headers (`headers=`): the column
 * headers above it, the heading cells and caption of its sub-table, the
 * labels of its row — so that a screen reader names a figure by its row and
 * column however the headers are merged.
 */
#include "html_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"

typedef struct html_grid {
    const nb_table_inst *inst;
    const nb_table *def;
    int index; /* the table's place among the report's tables: ids are unique */
    int nrows, ncols;
    int *owner; /* nrows × ncols: index of the cell covering each slot, -1 if none */
} html_grid;

static int span_rows(const html_grid *g, const nb_cell *c)
{
    int n = c->rows > 0 ? c->rows : 1;
    return c->row + n > g->nrows ? g->nrows - c->row : n;
}

static int span_cols(const html_grid *g, const nb_cell *c)
{
    int n = c->cols > 0 ? c->cols : 1;
    return c->col + n > g->ncols ? g->ncols - c->col : n;
}

static bool inside(const html_grid *g, const nb_cell *c)
{
    return c->row >= 0 && c->row < g->nrows && c->col >= 0 && c->col < g->ncols;
}

static int owner_at(const html_grid *g, int r, int c)
{
    return g->owner[r * g->ncols + c];
}

/* Spans past the grid are clipped, as layout clips them (the format loader
 * reports them). */
static void map_cells(html_grid *g)
{
    size_t slots = (size_t)g->nrows * (size_t)g->ncols;
    g->owner = nb_xmalloc((slots ? slots : 1) * sizeof *g->owner);
    for (size_t i = 0; i < slots; i++)
        g->owner[i] = -1;
    for (size_t k = 0; k < g->def->ncells; k++) {
        const nb_cell *c = &g->def->cells[k];
        if (!inside(g, c))
            continue;
        for (int r = c->row; r < c->row + span_rows(g, c); r++)
            for (int q = c->col; q < c->col + span_cols(g, c); q++)
                g->owner[r * g->ncols + q] = (int)k;
    }
}

/* ---- what a cell is ---- */

static bool is_heading_cell(const nb_cell *c)
{
    return c->kind == NB_CELL_HEADER || c->kind == NB_CELL_TEXT;
}

/* A body row of heading cells only: a sub-table's caption or its headings. */
static bool heading_row(const html_grid *g, int r)
{
    bool any = false;
    for (int c = 0; c < g->ncols; c++) {
        int k = owner_at(g, r, c);
        if (k < 0)
            continue;
        if (!is_heading_cell(&g->def->cells[k]))
            return false;
        any = true;
    }
    return any;
}

/* A sub-table's caption: one heading cell across the whole table. */
static bool caption_row(const html_grid *g, int r)
{
    int k = owner_at(g, r, 0);
    return k >= 0 && is_heading_cell(&g->def->cells[k]) &&
           span_cols(g, &g->def->cells[k]) == g->ncols;
}

static int label_depth(const nb_cell *c)
{
    int d = c->level - c->col;
    return d > 0 ? d : 0;
}

static html_style label_style(const html_grid *g, const nb_cell *c, int *indent)
{
    *indent = -1;
    if (span_rows(g, c) > 1)
        return HS_GROUP;
    if (c->group && c->level <= 0)
        return HS_SECTION;
    int depth = label_depth(c);
    if (depth > 0)
        *indent = HS_INDENT1 + (depth > 6 ? 5 : depth - 1);
    return HS_LABEL;
}

/* The text a cell shows, exactly as the PDF shows it: its fixed text, or its
 * figure as written in the report; empty when absent or `~`. */
static bool cell_text(html_writer *w, const html_grid *g, const nb_cell *c, const char **text)
{
    *text = c->text ? c->text : "";
    if (c->kind != NB_CELL_VALUE)
        return true;
    *text = "";
    const nb_node *v = nb_table_value(g->inst, c);
    if (!v)
        return true;
    nb_value_type type = nb_node_type(v);
    if (type == NB_TYPE_SEQ || type == NB_TYPE_MAP) {
        nb_error(w->d, v->pos, "the table cell %s should be a single figure, not %s",
                 c->name ? c->name : c->key ? c->key : "", nb_value_type_name(type));
        return false;
    }
    if (type != NB_TYPE_NULL && nb_scalar(v))
        *text = nb_scalar(v);
    return true;
}

/* ---- headers of a figure ---- */

static void cell_id(nb_buf *out, const html_grid *g, const nb_cell *c)
{
    nb_buf_printf(out, "nb-t%d-r%dc%d", g->index + 1, c->row + 1, c->col + 1);
}

/* Add the id of cell k to `ids` unless it is there. */
static void add_header(nb_buf *ids, const html_grid *g, int k, int *seen, int *nseen)
{
    for (int i = 0; i < *nseen; i++)
        if (seen[i] == k)
            return;
    seen[(*nseen)++] = k;
    if (ids->len)
        nb_buf_putc(ids, ' ');
    cell_id(ids, g, &g->def->cells[k]);
}

/* The heading cells of rows [r0, r1) over columns [c0, c1). */
static void headers_in_rows(nb_buf *ids, const html_grid *g, int r0, int r1, int c0, int c1,
                            int *seen, int *nseen)
{
    for (int r = r0; r < r1; r++)
        for (int c = c0; c < c1; c++) {
            int k = owner_at(g, r, c);
            if (k >= 0 && is_heading_cell(&g->def->cells[k]))
                add_header(ids, g, k, seen, nseen);
        }
}

/* The column headers of a body cell: the header rows, then its sub-table's
 * caption and heading rows (the heading rows just above its run of rows). */
static void column_headers(nb_buf *ids, const html_grid *g, const nb_cell *v, int *seen,
                           int *nseen)
{
    int c0 = v->col, c1 = v->col + span_cols(g, v);
    headers_in_rows(ids, g, 0, g->def->header_rows, c0, c1, seen, nseen);
    int r = v->row - 1;
    while (r >= g->def->header_rows && !heading_row(g, r))
        r--;
    int end = r + 1;
    while (r >= g->def->header_rows && heading_row(g, r))
        r--;
    headers_in_rows(ids, g, r + 1, end, c0, c1, seen, nseen);
}

/* The labels left of a figure, in its rows, merged group labels included. */
static void row_headers(nb_buf *ids, const html_grid *g, const nb_cell *v, int *seen,
                        int *nseen)
{
    for (int c = 0; c < v->col; c++) {
        int k = owner_at(g, v->row, c);
        if (k >= 0 && g->def->cells[k].kind == NB_CELL_LABEL)
            add_header(ids, g, k, seen, nseen);
    }
}

static void headers_attr(html_writer *w, const html_grid *g, const nb_cell *v)
{
    size_t most = g->def->ncells + 1;
    int *seen = nb_xmalloc(most * sizeof *seen);
    int nseen = 0;
    nb_buf ids = {0};
    column_headers(&ids, g, v, seen, &nseen);
    row_headers(&ids, g, v, seen, &nseen);
    if (ids.len)
        nb_buf_printf(w->out, " headers=\"%s\"", nb_buf_str(&ids));
    nb_buf_free(&ids);
    free(seen);
}

/* ---- cells and rows ---- */

static void spans_attr(html_writer *w, const html_grid *g, const nb_cell *c)
{
    if (span_rows(g, c) > 1)
        nb_buf_printf(w->out, " rowspan=\"%d\"", span_rows(g, c));
    if (span_cols(g, c) > 1)
        nb_buf_printf(w->out, " colspan=\"%d\"", span_cols(g, c));
}

static void open_header(html_writer *w, const html_grid *g, const nb_cell *c, const char *scope,
                        html_style s, int extra)
{
    nb_buf_puts(w->out, "<th id=\"");
    cell_id(w->out, g, c);
    nb_buf_printf(w->out, "\" scope=\"%s\"", scope);
    spans_attr(w, g, c);
    html_style_attr(w, s, extra);
    nb_buf_putc(w->out, '>');
}

static bool put_cell(html_writer *w, const html_grid *g, const nb_cell *c)
{
    const char *text;
    if (!cell_text(w, g, c, &text))
        return false;
    int indent = -1;
    switch (c->kind) {
    case NB_CELL_HEADER:
    case NB_CELL_TEXT:
        open_header(w, g, c, span_cols(g, c) > 1 ? "colgroup" : "col", HS_HEAD, -1);
        break;
    case NB_CELL_LABEL: {
        html_style s = label_style(g, c, &indent);
        open_header(w, g, c, "row", s, indent);
        break;
    }
    case NB_CELL_UNIT:
        nb_buf_puts(w->out, "<td");
        spans_attr(w, g, c);
        html_style_attr(w, HS_UNIT, -1);
        nb_buf_putc(w->out, '>');
        break;
    case NB_CELL_VALUE:
        nb_buf_puts(w->out, "<td");
        spans_attr(w, g, c);
        headers_attr(w, g, c);
        html_style_attr(w, HS_NUM, -1);
        nb_buf_putc(w->out, '>');
        break;
    }
    html_text(w, text);
    nb_buf_puts(w->out, c->kind == NB_CELL_UNIT || c->kind == NB_CELL_VALUE ? "</td>" : "</th>");
    return true;
}

static bool put_row(html_writer *w, const html_grid *g, int r)
{
    bool ok = true;
    nb_buf_puts(w->out, "<tr>");
    for (int c = 0; c < g->ncols; c++) {
        int k = owner_at(g, r, c);
        if (k < 0) {
            nb_buf_puts(w->out, "<td");
            html_style_attr(w, HS_EMPTY, -1);
            nb_buf_puts(w->out, "></td>");
            continue;
        }
        const nb_cell *cell = &g->def->cells[k];
        if (cell->row == r && cell->col == c)
            ok = put_cell(w, g, cell) && ok;
    }
    nb_buf_puts(w->out, "</tr>\n");
    return ok;
}

static bool put_rows(html_writer *w, const html_grid *g)
{
    bool ok = true;
    int head = g->def->header_rows < 0 ? 0 : g->def->header_rows;
    head = head > g->nrows ? g->nrows : head;
    if (head > 0) {
        nb_buf_puts(w->out, "<thead>\n");
        for (int r = 0; r < head; r++)
            ok = put_row(w, g, r) && ok;
        nb_buf_puts(w->out, "</thead>\n");
    }
    for (int r = head; r < g->nrows; r++) {
        if (r == head || caption_row(g, r))
            nb_buf_puts(w->out, r == head ? "<tbody>\n" : "</tbody>\n<tbody>\n");
        ok = put_row(w, g, r) && ok;
    }
    if (g->nrows > head)
        nb_buf_puts(w->out, "</tbody>\n");
    return ok;
}

/* ---- around the grid ---- */

static const char *table_name(const html_writer *w, size_t i)
{
    const nb_table_inst *inst = &w->in->tables[i];
    if (inst->title && *inst->title)
        return inst->title;
    if (w->in->table_names && w->in->table_names[i] && *w->in->table_names[i])
        return w->in->table_names[i];
    return inst->def->sheet && *inst->def->sheet ? inst->def->sheet : inst->def->id;
}

static bool has_text(const char *s) { return s && *s; }

/* The title and the lead lines (填报单位) as the PDF sets them above the
 * grid; a table the PDF shows without a title is named for screen readers. */
static void caption(html_writer *w, const nb_table_inst *inst, const char *name)
{
    bool titled = has_text(inst->title);
    bool lead = false;
    for (size_t k = 0; k < inst->def->nlead; k++)
        lead = lead || has_text(inst->lead[k]);
    html_open(w, "caption", titled || lead ? HS_CAPTION : HS_CAPTION_HIDDEN);
    if (!titled && lead)
        html_open(w, "span", HS_CAPTION_HIDDEN);
    html_text(w, name);
    if (!titled && lead)
        nb_buf_puts(w->out, "</span>");
    for (size_t k = 0; k < inst->def->nlead; k++) {
        if (!has_text(inst->lead[k]))
            continue;
        html_open(w, "span", HS_LEAD);
        html_text(w, inst->lead[k]);
        nb_buf_puts(w->out, "</span>");
    }
    nb_buf_puts(w->out, "</caption>\n");
}

static void foot(html_writer *w, const nb_table_inst *inst)
{
    for (size_t k = 0; k < inst->def->nfoot; k++) {
        if (!has_text(inst->foot[k]))
            continue;
        html_open(w, "p", HS_FOOT);
        html_text(w, inst->foot[k]);
        nb_buf_puts(w->out, "</p>\n");
    }
}

static long find_table(const nb_html_input *in, const char *id)
{
    for (size_t i = 0; id && i < in->ntables; i++)
        if (in->tables[i].def && strcmp(in->tables[i].def->id, id) == 0)
            return (long)i;
    return -1;
}

bool html_table(html_writer *w, const nb_block *b)
{
    long i = find_table(w->in, b->table_id);
    if (i < 0) {
        nb_error(w->d, b->pos, "the template inserts table '%s', which the report does not "
                 "have", b->table_id ? b->table_id : "");
        return false;
    }
    const nb_table_inst *inst = &w->in->tables[i];
    const char *name = table_name(w, (size_t)i);
    html_grid g = {.inst = inst, .def = inst->def, .index = (int)i,
                   .nrows = inst->def->nrows > 0 ? inst->def->nrows : 0,
                   .ncols = inst->def->ncols > 0 ? inst->def->ncols : 0};
    map_cells(&g);
    /* the box scrolls sideways on a narrow screen: a keyboard reaches it too */
    nb_buf_puts(w->out, "<div role=\"region\" tabindex=\"0\" aria-label=\"");
    html_text(w, name);
    nb_buf_putc(w->out, '"');
    html_style_attr(w, HS_SCROLL, -1);
    nb_buf_puts(w->out, ">\n<table");
    html_style_attr(w, HS_TABLE, -1);
    nb_buf_puts(w->out, ">\n");
    caption(w, inst, name);
    bool ok = put_rows(w, &g);
    nb_buf_puts(w->out, "</table>\n</div>\n");
    foot(w, inst);
    free(g.owner);
    return ok;
}
