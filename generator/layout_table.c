/* layout_table.c — a statistics table set as an official form: its title
 * centred, the lead lines (填报单位) on the left, the ruled grid, then the
 * foot lines (the signature block).
 *
 * Table text is 宋体 at style->table_size, header cells and section rows in
 * 黑体. Columns take the format's relative width hints when every column has
 * one; otherwise they are sized from their content: unit and value columns
 * get what their widest entry needs, the indicator (label) columns the rest.
 * Either way no column is narrower than its widest number or word. Rows
 * never split across pages; rows tied by a merged cell go together; the
 * header rows are one box that pagination repeats on every page the table
 * continues onto (layout.c). The grid is ruled per page from the rows placed
 * there, so merged cells are left open inside and each page's slice of the
 * table is closed top and bottom.
 */
#include <stdlib.h>
#include <string.h>

#include "layout_priv.h"
#include "source.h"

#define PAD_X 0.4      /* ems left and right inside a cell */
#define PAD_Y 0.25     /* ems above and below */
#define CELL_LEADING 1.3 /* line pitch inside cells, in ems */
#define LEAD_LEADING 1.75 /* lead and foot lines, in ems */
#define OUTER_RULE 1.0 /* pt */
#define INNER_RULE 0.5

struct lay_table {
    const nb_table *def;
    int nrows, ncols;
    int *owner;     /* nrows × ncols: the cell covering each slot, -1 if none */
    double *col_x;  /* ncols + 1 column edges, absolute x */
    double *row_h;  /* height of each grid row */
    long header_box;
};

/* A cell as set: its characters, its lines, where they go. */
typedef struct cell_set {
    const nb_cell *cell;
    lay_chars chars;
    nb_lb_char *lb;
    nb_lb_result lines;
    lay_align align;
    double indent;
    bool justify;
} cell_set;

typedef struct table_job {
    lay *L;
    lay_table *t;
    const nb_table_inst *inst;
    cell_set *cells;
    double size, pad_x, pad_y, pitch;
    nb_pos text_pos; /* for the title, lead and foot lines */
} table_job;

long lay_table_header_box(const lay_table *t) { return t->header_box; }

void lay_table_free(lay_table *t)
{
    if (!t)
        return;
    free(t->owner);
    free(t->col_x);
    free(t->row_h);
    free(t);
}

static int owner_at(const lay_table *t, int r, int c)
{
    if (r < 0 || r >= t->nrows || c < 0 || c >= t->ncols)
        return -1;
    return t->owner[r * t->ncols + c];
}

/* Spans reaching past the grid are clipped: the format loader reports them. */
static void map_cells(lay_table *t)
{
    const nb_table *def = t->def;
    size_t slots = (size_t)t->nrows * (size_t)t->ncols;
    t->owner = nb_xmalloc((slots ? slots : 1) * sizeof(int));
    for (int i = 0; i < t->nrows * t->ncols; i++)
        t->owner[i] = -1;
    for (size_t k = 0; k < def->ncells; k++) {
        const nb_cell *c = &def->cells[k];
        for (int r = c->row; r < c->row + (c->rows > 0 ? c->rows : 1) && r < t->nrows; r++)
            for (int q = c->col; q < c->col + (c->cols > 0 ? c->cols : 1) && q < t->ncols; q++)
                if (r >= 0 && q >= 0)
                    t->owner[r * t->ncols + q] = (int)k;
    }
}

/* Cells placed outside the grid are left out (the format loader reports
 * them); every loop over cells skips them. */
static bool inside(const lay_table *t, const nb_cell *c)
{
    return c->row >= 0 && c->row < t->nrows && c->col >= 0 && c->col < t->ncols;
}

static int cell_rows(const lay_table *t, const nb_cell *c)
{
    int n = c->rows > 0 ? c->rows : 1;
    return c->row + n > t->nrows ? t->nrows - c->row : n;
}

static int cell_cols(const lay_table *t, const nb_cell *c)
{
    int n = c->cols > 0 ? c->cols : 1;
    return c->col + n > t->ncols ? t->ncols - c->col : n;
}

/* The text a cell shows: its fixed text, or its figure exactly as written.
 * A figure absent or written as null is an empty cell. */
static bool cell_text(table_job *j, const nb_cell *c, const char **text, nb_pos *pos)
{
    *pos = c->pos;
    *text = c->text ? c->text : "";
    if (c->kind != NB_CELL_VALUE)
        return true;
    const nb_node *v = nb_table_value(j->inst, c);
    *text = "";
    if (!v)
        return true;
    *pos = v->pos;
    nb_value_type type = nb_node_type(v);
    if (type == NB_TYPE_SEQ || type == NB_TYPE_MAP) {
        nb_error(j->L->d, v->pos, "the table cell %s should be a single figure, not %s",
                 c->name ? c->name : c->key ? c->key : "", nb_value_type_name(type));
        return false;
    }
    if (type != NB_TYPE_NULL && nb_scalar(v))
        *text = nb_scalar(v);
    return true;
}

static bool prepare_cell(table_job *j, cell_set *cs)
{
    const nb_cell *c = cs->cell;
    nb_font_role role = NB_ROLE_SONG;
    cs->align = LAY_CENTER;
    switch (c->kind) {
    case NB_CELL_HEADER:
    case NB_CELL_TEXT:
        role = NB_ROLE_HEI;
        break;
    case NB_CELL_LABEL:
        cs->align = LAY_LEFT;
        cs->indent = (c->level > 0 ? c->level : 0) * j->size;
        cs->justify = true;
        if (c->group && c->level <= 0)
            role = NB_ROLE_HEI; /* a section of the form */
        break;
    case NB_CELL_UNIT:
        break;
    case NB_CELL_VALUE:
        cs->align = LAY_RIGHT;
        break;
    }
    const char *text;
    nb_pos pos;
    if (!cell_text(j, c, &text, &pos))
        return false;
    bool ok = lay_text(j->L, &cs->chars, text, strlen(text), role, j->size, false, pos);
    cs->lb = lay_lb_chars(&cs->chars);
    return ok;
}

/* ---- column widths ---- */

static double natural_width(const cell_set *cs)
{
    double w = 0, line = 0;
    for (size_t i = 0; i < cs->chars.count; i++) {
        if (cs->chars.items[i].face < 0)
            line = 0;
        else
            line += cs->chars.items[i].advance;
        if (line > w)
            w = line;
    }
    return w;
}

/* Widths given by the format's hints still have to hold each column's
 * widest number or word: a column short of that takes it from the columns
 * with room to spare, in proportion to their spare room. */
static void keep_pieces_whole(double *w, const double *minw, int n)
{
    double short_by = 0, spare = 0;
    for (int c = 0; c < n; c++) {
        if (w[c] < minw[c])
            short_by += minw[c] - w[c];
        else
            spare += w[c] - minw[c];
    }
    if (short_by <= 0 || spare < short_by)
        return; /* nothing to do, or nothing to do it with */
    for (int c = 0; c < n; c++) {
        if (w[c] < minw[c])
            w[c] = minw[c];
        else
            w[c] -= (w[c] - minw[c]) * short_by / spare;
    }
}

static void choose_widths(table_job *j)
{
    lay_table *t = j->t;
    const nb_table *def = t->def;
    int n = t->ncols;
    double W = j->L->st->block_width;
    double *minw = nb_xcalloc((size_t)n, sizeof(double));
    double *maxw = nb_xcalloc((size_t)n, sizeof(double));
    double *w = nb_xcalloc((size_t)n, sizeof(double));
    for (int c = 0; c < n; c++)
        minw[c] = maxw[c] = 2 * j->pad_x + j->size;
    for (size_t k = 0; k < def->ncells; k++) {
        const cell_set *cs = &j->cells[k];
        if (!inside(t, cs->cell) || cell_cols(t, cs->cell) != 1)
            continue;
        int c = cs->cell->col;
        double extra = 2 * j->pad_x + cs->indent;
        double piece = nb_lb_widest_piece(cs->lb, cs->chars.count, 0) + extra;
        double nat = natural_width(cs) + extra;
        minw[c] = piece > minw[c] ? piece : minw[c];
        maxw[c] = nat > maxw[c] ? nat : maxw[c];
    }
    double hints = 0;
    bool all_hinted = def->columns != NULL;
    for (int c = 0; c < n && all_hinted; c++) {
        all_hinted = def->columns[c].width > 0;
        hints += def->columns[c].width;
    }
    if (all_hinted && hints > 0) {
        for (int c = 0; c < n; c++)
            w[c] = W * def->columns[c].width / hints;
        keep_pieces_whole(w, minw, n);
    } else {
        /* The label columns stretch; if there are none, the widest does. */
        bool *flex = nb_xcalloc((size_t)n, sizeof(bool));
        int widest = 0, nflex = 0;
        for (int c = 0; c < n; c++) {
            flex[c] = def->columns && def->columns[c].role == NB_CELL_LABEL;
            nflex += flex[c];
            if (maxw[c] > maxw[widest])
                widest = c;
        }
        if (!nflex)
            flex[widest] = true;
        double fixed = 0, flex_min = 0, sum_min = 0;
        for (int c = 0; c < n; c++) {
            fixed += flex[c] ? 0 : maxw[c];
            flex_min += flex[c] ? minw[c] : 0;
            sum_min += minw[c];
        }
        bool fixed_fit = fixed + flex_min <= W;
        double room = fixed_fit ? W - fixed : W;
        double base = fixed_fit ? flex_min : sum_min, give = 0;
        for (int c = 0; c < n; c++)
            if (flex[c] || !fixed_fit)
                give += maxw[c] - minw[c];
        for (int c = 0; c < n; c++) {
            if (fixed_fit && !flex[c]) {
                w[c] = maxw[c];
                continue;
            }
            double share = give > 0 ? (maxw[c] - minw[c]) / give : 0;
            if (give <= 0)
                share = 1.0 / (fixed_fit ? (nflex ? nflex : 1) : n);
            w[c] = minw[c] + (room - base) * share;
        }
        if (sum_min > W) /* even the narrowest setting is too wide: scale it */
            for (int c = 0; c < n; c++)
                w[c] = W * minw[c] / sum_min;
        free(flex);
    }
    t->col_x = nb_xmalloc((size_t)(n + 1) * sizeof(double));
    t->col_x[0] = j->L->st->margin_left;
    for (int c = 0; c < n; c++)
        t->col_x[c + 1] = t->col_x[c] + w[c];
    t->col_x[n] = j->L->st->margin_left + W; /* no rounding gap at the right rule */
    free(minw);
    free(maxw);
    free(w);
}

/* ---- rows ---- */

static void break_cells(table_job *j)
{
    lay_table *t = j->t;
    for (size_t k = 0; k < t->def->ncells; k++) {
        cell_set *cs = &j->cells[k];
        const nb_cell *c = cs->cell;
        if (!inside(t, c))
            continue;
        double cw = t->col_x[c->col + cell_cols(t, c)] - t->col_x[c->col];
        double room = cw - 2 * j->pad_x - cs->indent;
        nb_lb_spec spec = {.first_width = room, .width = room, .em = j->size,
                           .justify = cs->justify};
        nb_linebreak(cs->lb, cs->chars.count, &spec, &cs->lines);
    }
}

static double cell_need(const table_job *j, const cell_set *cs)
{
    size_t lines = cs->lines.nlines ? cs->lines.nlines : 1;
    return (double)lines * j->pitch + 2 * j->pad_y;
}

static void size_rows(table_job *j)
{
    lay_table *t = j->t;
    t->row_h = nb_xmalloc((size_t)(t->nrows ? t->nrows : 1) * sizeof(double));
    for (int r = 0; r < t->nrows; r++)
        t->row_h[r] = j->pitch + 2 * j->pad_y;
    for (size_t k = 0; k < t->def->ncells; k++) {
        const cell_set *cs = &j->cells[k];
        if (inside(t, cs->cell) && cell_rows(t, cs->cell) == 1 && cell_need(j, cs) > t->row_h[cs->cell->row])
            t->row_h[cs->cell->row] = cell_need(j, cs);
    }
    /* A merged cell taller than its rows deepens its last row. */
    for (size_t k = 0; k < t->def->ncells; k++) {
        const cell_set *cs = &j->cells[k];
        int r0 = cs->cell->row, n = cell_rows(t, cs->cell);
        if (!inside(t, cs->cell) || n <= 1)
            continue;
        double have = 0;
        for (int r = r0; r < r0 + n; r++)
            have += t->row_h[r];
        if (cell_need(j, cs) > have)
            t->row_h[r0 + n - 1] += cell_need(j, cs) - have;
    }
}

/* Rows [r0, end) plus every row a merged cell starting there reaches. */
static int group_end(const lay_table *t, int r0, int end)
{
    bool grew = true;
    while (grew) {
        grew = false;
        for (size_t k = 0; k < t->def->ncells; k++) {
            const nb_cell *c = &t->def->cells[k];
            int last = c->row + cell_rows(t, c);
            if (inside(t, c) && c->row >= r0 && c->row < end && last > end) {
                end = last;
                grew = true;
            }
        }
    }
    return end;
}

static void emit_cell(table_job *j, const cell_set *cs, double top)
{
    lay_table *t = j->t;
    const nb_cell *c = cs->cell;
    double x0 = t->col_x[c->col], x1 = t->col_x[c->col + cell_cols(t, c)];
    double h = 0;
    for (int r = c->row; r < c->row + cell_rows(t, c); r++)
        h += t->row_h[r];
    double text_h = (double)cs->lines.nlines * j->pitch;
    double y = top - (h - text_h) / 2 - ((j->pitch - j->size) / 2 + LAY_ASCENT * j->size);
    for (size_t li = 0; li < cs->lines.nlines; li++, y -= j->pitch) {
        double w = cs->lines.lines[li].width, x = x0 + j->pad_x + cs->indent;
        if (cs->align == LAY_CENTER)
            x = x0 + (x1 - x0 - w) / 2;
        else if (cs->align == LAY_RIGHT)
            x = x1 - j->pad_x - w;
        lay_emit_line(j->L, &cs->chars, &cs->lines, li, x, y);
    }
}

/* One box for grid rows [r0, r1); cells are drawn relative to its top. */
static void row_box(table_job *j, int r0, int r1, bool keep_with_prev, int index)
{
    lay_table *t = j->t;
    double h = 0;
    for (int r = r0; r < r1; r++)
        h += t->row_h[r];
    lay_box *b = lay_add_box(j->L, h);
    b->keep_with_prev = b->keep_with_prev || keep_with_prev;
    b->table = index;
    b->row0 = r0;
    b->row1 = r1;
    for (size_t k = 0; k < t->def->ncells; k++) {
        const nb_cell *c = &t->def->cells[k];
        if (!inside(t, c) || c->row < r0 || c->row >= r1)
            continue;
        double top = 0;
        for (int r = r0; r < c->row; r++)
            top -= t->row_h[r];
        emit_cell(j, &j->cells[k], top);
    }
}

/* ---- the lines around the grid ---- */

static bool text_lines(table_job *j, const char **lines, size_t n, const lay_format *f,
                       bool first_keeps)
{
    bool ok = true;
    for (size_t i = 0; lines && i < n; i++) {
        if (!lines[i])
            continue;
        lay_chars cs = {0};
        ok = lay_text(j->L, &cs, lines[i], strlen(lines[i]), NB_ROLE_SONG, f->size, false,
                      j->text_pos) && ok;
        lay_format g = *f;
        g.keep_with_prev = i > 0 || first_keeps;
        if (i > 0)
            g.space_before = 0;
        lay_set_lines(j->L, &cs, &g, -1);
        free(cs.items);
    }
    return ok;
}

static bool title_line(table_job *j)
{
    const char *title = j->inst->title;
    if (!title || !*title)
        return true;
    lay *L = j->L;
    /* a style written before table_title_size existed leaves it 0 */
    double size = L->st->table_title_size > 0 ? L->st->table_title_size : 1.5 * j->size;
    lay_chars cs = {0};
    bool ok = lay_text(L, &cs, title, strlen(title), NB_ROLE_XIAOBIAOSONG, size, false,
                       j->text_pos);
    lay_format f = {.size = size,
                    .align = LAY_CENTER,
                    .balanced = true,
                    .keep = LAY_KEEP_ALL};
    lay_set_lines(L, &cs, &f, lay_outline(L, nb_arena_strdup(L->a, title), 2));
    free(cs.items);
    return ok;
}

static void build_boxes(table_job *j, int index)
{
    lay_table *t = j->t;
    int head = t->def->header_rows;
    head = head < 0 ? 0 : head > t->nrows ? t->nrows : head;
    t->header_box = -1;
    int r = 0;
    if (head > 0) {
        t->header_box = (long)j->L->nboxes;
        r = group_end(t, 0, head);
        row_box(j, 0, r, false, index);
    }
    bool first = true;
    while (r < t->nrows) {
        int end = group_end(t, r, r + 1);
        row_box(j, r, end, first && head > 0, index); /* the first row stays with the header */
        first = false;
        r = end;
    }
}

bool lay_table_block(lay *L, const nb_block *b, const nb_table_inst *inst)
{
    lay_table *t = nb_xcalloc(1, sizeof *t);
    t->def = inst->def;
    t->nrows = inst->def->nrows > 0 ? inst->def->nrows : 0;
    t->ncols = inst->def->ncols > 0 ? inst->def->ncols : 0;
    t->header_box = -1;
    NB_GROW(L->tables, L->ntables, L->cap_tables);
    int index = (int)L->ntables;
    L->tables[L->ntables++] = t;

    size_t boxes_before = L->nboxes;
    double size = L->st->table_size;
    table_job j = {L, t, inst, NULL, size, PAD_X * size, PAD_Y * size, CELL_LEADING * size,
                   inst->def->pos.file ? inst->def->pos : b->pos};
    bool ok = title_line(&j);
    lay_format lead = {.size = size,
                       .line_height = LEAD_LEADING * size,
                       .align = LAY_LEFT,
                       .keep = LAY_KEEP_ALL};
    ok = text_lines(&j, inst->lead, t->def->nlead, &lead, L->nboxes > boxes_before) && ok;

    map_cells(t);
    j.cells = nb_xcalloc(t->def->ncells ? t->def->ncells : 1, sizeof *j.cells);
    for (size_t k = 0; k < t->def->ncells; k++) {
        j.cells[k].cell = &t->def->cells[k];
        ok = prepare_cell(&j, &j.cells[k]) && ok;
    }
    if (ok && t->ncols > 0) {
        choose_widths(&j);
        break_cells(&j);
        size_rows(&j);
        /* the header stays with the title and lead lines */
        L->keep_next = L->nboxes > boxes_before;
        build_boxes(&j, index);
        lay_format foot = lead;
        foot.space_before = 0.5 * size;
        ok = text_lines(&j, inst->foot, t->def->nfoot, &foot, true) && ok;
    }
    for (size_t k = 0; k < t->def->ncells; k++) {
        free(j.cells[k].chars.items);
        free(j.cells[k].lb);
        nb_lb_result_free(&j.cells[k].lines);
    }
    free(j.cells);
    return ok;
}

/* ---- rules ---- */

typedef struct seg_list {
    nb_page *page;
    bool open;
    nb_stroke cur;
} seg_list;

static void seg_flush(seg_list *s)
{
    if (!s->open)
        return;
    NB_GROW(s->page->strokes, s->page->nstrokes, s->page->cap_strokes);
    s->page->strokes[s->page->nstrokes++] = s->cur;
    s->open = false;
}

/* Add a segment, joining it to the previous one when they continue. */
static void seg_add(seg_list *s, double x0, double y0, double x1, double y1, double width)
{
    if (s->open && s->cur.width == width && s->cur.x1 == x0 && s->cur.y1 == y0 &&
        (x0 == x1) == (s->cur.x0 == s->cur.x1)) {
        s->cur.x1 = x1;
        s->cur.y1 = y1;
        return;
    }
    seg_flush(s);
    s->cur = (nb_stroke){x0, y0, x1, y1, width};
    s->open = true;
}

void lay_table_rules(const lay_table *t, const lay_row_slice *slices, size_t n, nb_page *page)
{
    size_t m = 0;
    for (size_t k = 0; k < n; k++)
        m += (size_t)(slices[k].row1 - slices[k].row0);
    if (m == 0 || t->ncols == 0)
        return;
    int *row = nb_xmalloc(m * sizeof(int));
    double *top = nb_xmalloc((m + 1) * sizeof(double));
    size_t q = 0;
    for (size_t k = 0; k < n; k++) {
        double y = slices[k].top;
        for (int r = slices[k].row0; r < slices[k].row1; r++, q++) {
            row[q] = r;
            top[q] = y;
            y -= t->row_h[r];
        }
    }
    top[m] = top[m - 1] - t->row_h[row[m - 1]];
    seg_list s = {.page = page};
    for (size_t k = 0; k <= m; k++) { /* horizontal rules, top to bottom */
        bool outer = k == 0 || k == m;
        for (int c = 0; c < t->ncols; c++) {
            int above = outer ? -1 : owner_at(t, row[k - 1], c);
            bool inside = !outer && row[k] == row[k - 1] + 1 && above >= 0 &&
                          above == owner_at(t, row[k], c);
            if (!inside)
                seg_add(&s, t->col_x[c], top[k], t->col_x[c + 1], top[k],
                        outer ? OUTER_RULE : INNER_RULE);
        }
        seg_flush(&s);
    }
    for (int c = 0; c <= t->ncols; c++) { /* vertical rules, left to right */
        bool outer = c == 0 || c == t->ncols;
        for (size_t k = 0; k < m; k++) {
            int left = outer ? -1 : owner_at(t, row[k], c - 1);
            bool inside = !outer && left >= 0 && left == owner_at(t, row[k], c);
            if (!inside)
                seg_add(&s, t->col_x[c], top[k], t->col_x[c], top[k + 1],
                        outer ? OUTER_RULE : INNER_RULE);
            else
                seg_flush(&s);
        }
        seg_flush(&s);
    }
    free(row);
    free(top);
}
