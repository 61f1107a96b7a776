/* layout_table.c — a statistics table set as an official form: its title
 * centred, the lead lines (填报单位) on the left, the ruled grid, then the
 * foot lines (the signature block).
 *
 * Table text is 宋体, header cells and section rows in 黑体, at
 * style->table_size (小四) when the grid fits the text block at that size,
 * else at 五号 or 小五. Wide tables — 2021 表三 with 3 label and 7 figure
 * columns, 表四 with 15 figure columns — stay on portrait pages with fitted
 * columns rather than turning the page: the published reports print these
 * forms portrait, GB/T 9704's page numbers then need no special case, and
 * text extraction reads the rows in order.
 *
 * Columns take the format's relative width hints when every column has one
 * (a nested table's label definition shares its hint among its grid
 * columns). Otherwise they are sized from their content: the figure and
 * unit columns get their widest entry on one line when the labels keep room
 * for LEAF_LABEL_EMS characters a line; else the figure columns are made
 * equally narrow — the widest figure, or two characters of heading, which
 * then wraps into a short stack of lines as on the official forms (商业/企业,
 * 社会/公益/组织). A column of merged group labels (三、本年度办理结果) is
 * made wide enough to set its labels on two lines when there is room, on
 * narrower stacks when not; the indicator columns take the rest. No column
 * is narrower than its widest number or word.
 *
 * Rows never split across pages. Rows tied by a merged cell go together —
 * unless together they are taller than a page with the header (表三's
 * 三、本年度办理结果 spans 22 rows): the group then splits between its inner
 * groups ((三)不予公开 …), each of which still goes whole to the next page
 * when it fits there, or else row by row. A merged cell cut that way is drawn
 * on every page it reaches, its text repeated in each part as multi-page
 * official tables do (lay_table_cut_cells), and no part is left too short to
 * hold that text. An inner section of a table without a header (表二's
 * 第二十条第（五）项 …) keeps its caption with its rows. The header rows are
 * one box that pagination repeats on every page the table continues onto
 * (layout.c). The grid is ruled per page from the rows placed there, so
 * merged cells are left open inside and each page's slice of the table is
 * closed top and bottom.
 */
#include <math.h>
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
#define LEAF_LABEL_EMS 10  /* characters a line an indicator column keeps room for */
#define HEADING_EMS 2      /* characters a line a narrow figure column's heading gets */
#define SECTION_KEEP 0.25  /* an inner section up to this part of a page stays whole */
#define MIN_TABLE_SIZE 9.0 /* 小五: no table is set smaller */
#define WIDTH_EPS 1e-6

/* A cell as set: its characters, its lines, where they go. */
typedef struct cell_set {
    const nb_cell *cell;
    lay_chars chars;
    nb_lb_char *lb;
    nb_lb_result lines;
    lay_align align;
    double indent;
    bool balanced; /* headings and merged group labels: broken where they read best */
} cell_set;

struct lay_table {
    const nb_table *def;
    int nrows, ncols;
    int *owner;     /* nrows × ncols: the cell covering each slot, -1 if none */
    double *col_x;  /* ncols + 1 column edges, absolute x */
    double *row_h;  /* height of each grid row */
    long header_box;
    double size, pad_x, pad_y, pitch; /* the grid's text, as set */
    cell_set *cut;  /* merged cells that boxes cut: drawn page by page */
    size_t ncut, cap_cut;
    /* The cells inside the grid by the row they start in: those of row r are
     * cell_at[row_start[r] .. row_start[r + 1]), in the order of the format.
     * Placing the rows in boxes asks which cells start in a run of rows, for
     * every run; without this each question walked all the cells, and a
     * table of thousands of rows took seconds. */
    int *row_start, *cell_at;
    int tallest; /* rows of the tallest cell */
};

typedef struct table_job {
    lay *L;
    lay_table *t;
    const nb_table_inst *inst;
    cell_set *cells;
    double size, pad_x, pad_y, pitch;
    nb_pos text_pos; /* for the title, lead and foot lines */
} table_job;

long lay_table_header_box(const lay_table *t) { return t->header_box; }

static void free_cell_set(cell_set *cs)
{
    free(cs->chars.items);
    free(cs->lb);
    nb_lb_result_free(&cs->lines);
    memset(&cs->chars, 0, sizeof cs->chars);
    cs->lb = NULL;
}

void lay_table_free(lay_table *t)
{
    if (!t)
        return;
    for (size_t k = 0; k < t->ncut; k++)
        free_cell_set(&t->cut[k]);
    free(t->cut);
    free(t->owner);
    free(t->col_x);
    free(t->row_h);
    free(t->row_start);
    free(t->cell_at);
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

/* The row index of the cells (see struct lay_table), by counting. */
static void index_rows(lay_table *t)
{
    const nb_table *def = t->def;
    t->row_start = nb_xcalloc((size_t)t->nrows + 2, sizeof *t->row_start);
    t->cell_at = nb_xmalloc((def->ncells ? def->ncells : 1) * sizeof *t->cell_at);
    t->tallest = 1;
    for (size_t k = 0; k < def->ncells; k++) {
        const nb_cell *c = &def->cells[k];
        if (!inside(t, c))
            continue;
        t->row_start[c->row + 2]++;
        if (cell_rows(t, c) > t->tallest)
            t->tallest = cell_rows(t, c);
    }
    for (int r = 0; r < t->nrows; r++)
        t->row_start[r + 2] += t->row_start[r + 1];
    /* row_start[r + 1] is now where row r's cells go; filling moves it on */
    for (size_t k = 0; k < def->ncells; k++)
        if (inside(t, &def->cells[k]))
            t->cell_at[t->row_start[def->cells[k].row + 1]++] = (int)k;
}

static int clamp_row(const lay_table *t, int r)
{
    return r < 0 ? 0 : r > t->nrows ? t->nrows : r;
}

/* For each cell k inside the grid starting in rows [r0, r1), in order. */
#define FOR_CELLS_STARTING(t, r0, r1, k)                                           \
    for (int at_ = (t)->row_start[clamp_row((t), (r0))],                            \
             end_ = (t)->row_start[clamp_row((t), (r1))], k;                        \
         at_ < end_ && ((k) = (t)->cell_at[at_], 1); at_++)

static int compare_ints(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
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

/* The levels a label's column does not already show: in a nested table the
 * label columns are the levels, elsewhere the indentation is. */
static int label_depth(const nb_cell *c)
{
    int d = c->level - c->col;
    return d > 0 ? d : 0;
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
        cs->balanced = true;
        break;
    case NB_CELL_LABEL:
        if (inside(j->t, c) && cell_rows(j->t, c) > 1) {
            cs->balanced = true; /* a merged group label, centred in its tall cell */
            break;
        }
        /* left-aligned, broken between phrases: not justified, since a
         * line ended at a phrase would be stretched apart */
        cs->align = LAY_LEFT;
        cs->indent = label_depth(c) * j->size;
        cs->balanced = true;
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

/* A grid column's definition: a nested table's label definition covers
 * label_cols grid columns and shares its width hint among them. */
static double column_hint(const nb_table *def, int c)
{
    const nb_column *col = nb_table_column_at(def, c);
    if (!col)
        return 0;
    return col->role == NB_CELL_LABEL && def->label_cols > 1 ? col->width / def->label_cols
                                                            : col->width;
}

/* What a grid column's single-column cells ask of it. */
typedef struct col_need {
    double minw;    /* its widest number or word */
    double natural; /* its widest cell on one line */
    double body;    /* its widest figure or unit on one line */
    double two;     /* a column of merged group labels only: room to set the
                       widest on two lines; else 0 */
    bool label, value;
} col_need;

static double chars_wide(const table_job *j, double n) { return n * j->size + 2 * j->pad_x; }

/* The measure that sets a cell on two even lines: half its text, in whole
 * characters, but never less than its widest piece. */
static double two_line_width(const table_job *j, const cell_set *cs)
{
    double half = ceil(natural_width(cs) / 2 / j->size - WIDTH_EPS) * j->size;
    double piece = nb_lb_widest_piece(cs->lb, cs->chars.count, 0);
    return (half > piece ? half : piece) + 2 * j->pad_x;
}

static void measure_columns(const table_job *j, col_need *need)
{
    const lay_table *t = j->t;
    bool *single_label = nb_xcalloc((size_t)t->ncols, sizeof(bool));
    for (int c = 0; c < t->ncols; c++) {
        const nb_column *def = nb_table_column_at(t->def, c);
        need[c] = (col_need){.minw = chars_wide(j, 1), .natural = chars_wide(j, 1),
                             .label = def && def->role == NB_CELL_LABEL,
                             .value = def && def->role == NB_CELL_VALUE};
    }
    for (size_t k = 0; k < t->def->ncells; k++) {
        const cell_set *cs = &j->cells[k];
        const nb_cell *c = cs->cell;
        if (!inside(t, c) || cell_cols(t, c) != 1)
            continue;
        col_need *nd = &need[c->col];
        double extra = 2 * j->pad_x + cs->indent;
        double piece = nb_lb_widest_piece(cs->lb, cs->chars.count, 0) + extra;
        double nat = natural_width(cs) + extra;
        nd->minw = piece > nd->minw ? piece : nd->minw;
        nd->natural = nat > nd->natural ? nat : nd->natural;
        if ((c->kind == NB_CELL_VALUE || c->kind == NB_CELL_UNIT) && nat > nd->body)
            nd->body = nat;
        if (c->kind == NB_CELL_LABEL && cell_rows(t, c) > 1) {
            double two = two_line_width(j, cs);
            nd->two = two > nd->two ? two : nd->two;
        } else if (c->kind == NB_CELL_LABEL) {
            single_label[c->col] = true;
        }
    }
    for (int c = 0; c < t->ncols; c++)
        if (single_label[c] || !need[c].label)
            need[c].two = 0;
    free(single_label);
}

static bool hinted_widths(const table_job *j, const col_need *need, double W, double *w)
{
    const nb_table *def = j->t->def;
    int n = j->t->ncols;
    double hints = 0;
    for (int c = 0; c < n; c++) {
        if (column_hint(def, c) <= 0)
            return false;
        hints += column_hint(def, c);
    }
    double *minw = nb_xmalloc((size_t)n * sizeof(double));
    for (int c = 0; c < n; c++) {
        w[c] = W * column_hint(def, c) / hints;
        minw[c] = need[c].minw;
    }
    keep_pieces_whole(w, minw, n);
    free(minw);
    return true;
}

/* The least a label column takes: a group column two characters (its
 * labels stack up in the tall merged cells), an indicator column
 * LEAF_LABEL_EMS characters, or less when its longest label is shorter. */
static double label_least(const table_job *j, const col_need *nd)
{
    double want = nd->two > 0 ? chars_wide(j, 2) : chars_wide(j, LEAF_LABEL_EMS);
    if (nd->two <= 0 && nd->natural < want)
        want = nd->natural;
    return want > nd->minw ? want : nd->minw;
}

/* Give `room` to the columns marked in `to`, in proportion to `weight`
 * (equally when the weights are all zero). */
static void spread(double *w, const double *weight, const bool *to, int n, double room)
{
    double sum = 0;
    int count = 0;
    for (int c = 0; c < n; c++)
        if (to[c]) {
            sum += weight[c];
            count++;
        }
    for (int c = 0; c < n && count > 0; c++)
        if (to[c])
            w[c] += room * (sum > 0 ? weight[c] / sum : 1.0 / count);
}

/* Fill the block with the label columns: first the group columns up to two
 * lines, then the indicator columns in proportion to what they lack for
 * one line; a table without labels widens every column alike. */
static void give_rest_to_labels(const col_need *need, int n, double *w, double room)
{
    for (int c = 0; c < n && room > 0; c++)
        if (need[c].label && need[c].two > w[c]) {
            double give = need[c].two - w[c] < room ? need[c].two - w[c] : room;
            w[c] += give;
            room -= give;
        }
    bool *to = nb_xcalloc((size_t)n, sizeof(bool));
    double *weight = nb_xcalloc((size_t)n, sizeof(double));
    bool any = false;
    for (int c = 0; c < n; c++)
        if (need[c].label && need[c].two <= 0) {
            to[c] = any = true;
            weight[c] = need[c].natural > w[c] ? need[c].natural - w[c] : 0;
        }
    for (int c = 0; c < n && !any; c++) {
        to[c] = need[c].label;
        any = any || to[c];
    }
    for (int c = 0; c < n && !any; c++) {
        to[c] = true;
        weight[c] = w[c];
    }
    spread(w, weight, to, n, room);
    free(to);
    free(weight);
}

/* Widths from the content (see the file comment). False when the columns
 * do not fit at this size; `w` then holds the least bad widths: what each
 * needs, scaled down to the block. */
static bool content_widths(const table_job *j, const col_need *need, double W, double *w)
{
    int n = j->t->ncols;
    double labels = 0, natural = 0, narrow_value = 0;
    for (int c = 0; c < n; c++) {
        if (need[c].label) {
            labels += label_least(j, &need[c]);
            continue;
        }
        natural += need[c].natural;
        double narrow = need[c].body > chars_wide(j, HEADING_EMS) ? need[c].body
                                                                 : chars_wide(j, HEADING_EMS);
        narrow = narrow > need[c].minw ? narrow : need[c].minw;
        if (need[c].value && narrow > narrow_value)
            narrow_value = narrow; /* the figure columns alike, as on the forms */
        w[c] = narrow;
    }
    bool one_line = natural + labels <= W + WIDTH_EPS;
    double used = 0, least = 0;
    for (int c = 0; c < n; c++) {
        if (need[c].label)
            w[c] = label_least(j, &need[c]);
        else if (one_line)
            w[c] = need[c].natural;
        else if (need[c].value)
            w[c] = narrow_value;
        used += w[c];
        least += need[c].minw;
    }
    if (used <= W + WIDTH_EPS) {
        give_rest_to_labels(need, n, w, W - used);
        return true;
    }
    for (int c = 0; c < n; c++) /* too wide even so */
        w[c] = least <= W ? need[c].minw + (W - least) * (w[c] - need[c].minw) / (used - least)
                          : W * need[c].minw / least;
    return false;
}

/* Set the column edges; false when the grid does not fit the block at the
 * job's size. */
static bool choose_widths(table_job *j)
{
    lay_table *t = j->t;
    int n = t->ncols;
    double W = j->L->st->block_width;
    col_need *need = nb_xcalloc((size_t)n, sizeof *need);
    double *w = nb_xcalloc((size_t)n, sizeof(double));
    measure_columns(j, need);
    bool fits = true;
    if (hinted_widths(j, need, W, w)) {
        for (int c = 0; c < n; c++)
            fits = fits && w[c] >= need[c].minw - WIDTH_EPS;
    } else {
        fits = content_widths(j, need, W, w);
    }
    free(t->col_x);
    t->col_x = nb_xmalloc((size_t)(n + 1) * sizeof(double));
    t->col_x[0] = j->L->st->margin_left;
    for (int c = 0; c < n; c++)
        t->col_x[c + 1] = t->col_x[c] + w[c];
    t->col_x[n] = j->L->st->margin_left + W; /* no rounding gap at the right rule */
    free(need);
    free(w);
    return fits;
}
/* ---- rows ---- */

/* Break a cell's text across its column(s); a balanced cell may take up to
 * `max_lines` lines (0: the fewest). */
static void break_cell(const table_job *j, cell_set *cs, size_t max_lines)
{
    const lay_table *t = j->t;
    const nb_cell *c = cs->cell;
    double cw = t->col_x[c->col + cell_cols(t, c)] - t->col_x[c->col];
    double room = cw - 2 * j->pad_x - cs->indent;
    nb_lb_spec spec = {.first_width = room, .width = room, .em = j->size};
    nb_lb_result_free(&cs->lines);
    if (cs->balanced)
        nb_linebreak_balanced_within(cs->lb, cs->chars.count, &spec, max_lines, &cs->lines);
    else
        nb_linebreak(cs->lb, cs->chars.count, &spec, &cs->lines);
}

static void break_cells(table_job *j)
{
    for (size_t k = 0; k < j->t->def->ncells; k++)
        if (inside(j->t, j->cells[k].cell))
            break_cell(j, &j->cells[k], 0);
}

static double cell_need(const table_job *j, const cell_set *cs)
{
    size_t lines = cs->lines.nlines ? cs->lines.nlines : 1;
    return (double)lines * j->pitch + 2 * j->pad_y;
}

static double rows_height(const lay_table *t, int r0, int r1)
{
    double h = 0;
    for (int r = r0; r < r1; r++)
        h += t->row_h[r];
    return h;
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
        double have = rows_height(t, r0, r0 + n);
        if (cell_need(j, cs) > have)
            t->row_h[r0 + n - 1] += cell_need(j, cs) - have;
    }
}

/* Once the rows are sized, a cell of several lines whose rows have room for
 * more may take a line more to break between phrases (the note in 表三's
 * corner: after its colon and its comma rather than inside 第二项). */
static void use_room_to_spare(table_job *j)
{
    const lay_table *t = j->t;
    for (size_t k = 0; k < t->def->ncells; k++) {
        cell_set *cs = &j->cells[k];
        const nb_cell *c = cs->cell;
        if (!inside(t, c) || !cs->balanced || cs->lines.nlines < 2)
            continue;
        double h = rows_height(t, c->row, c->row + cell_rows(t, c)) - 2 * j->pad_y;
        size_t room = (size_t)floor(h / j->pitch + WIDTH_EPS);
        if (room > cs->lines.nlines)
            break_cell(j, cs, room);
    }
}

/* The rows from r tied to it by merged cells, at least up to `end`, within
 * [r0, r1) and leaving out the cells that cover all of [r0, r1) (a group
 * being split: those are the cells cut). */
static int tied_end(const lay_table *t, int r, int end, int r0, int r1)
{
    /* row by row, as far as the cells met so far reach */
    for (int row = r; row < end && row < t->nrows; row++) {
        FOR_CELLS_STARTING(t, row, row + 1, k) {
            const nb_cell *c = &t->def->cells[k];
            int last = c->row + cell_rows(t, c);
            if (c->row <= r0 && last >= r1)
                continue;
            if (last > r1)
                last = r1;
            if (last > end)
                end = last;
        }
    }
    return end;
}

/* The grid rows of each box, in order. */
typedef struct row_range {
    int r0, r1;
    bool keep; /* keep_with_prev */
} row_range;

typedef struct box_plan {
    row_range *items;
    size_t n, cap;
} box_plan;

static void plan_add(box_plan *p, int r0, int r1, bool keep)
{
    NB_GROW(p->items, p->n, p->cap);
    p->items[p->n++] = (row_range){r0, r1, keep};
}

/* Rows [r0, r1) tied together: one box when they fit on a page under the
 * header (`room`), else split between the groups inside them — each again
 * one box if it fits — or, when nothing but the cut cells ties them, row
 * by row. */
static void plan_group(const lay_table *t, box_plan *p, int r0, int r1, bool keep, double room)
{
    if (r1 - r0 <= 1 || rows_height(t, r0, r1) <= room + WIDTH_EPS) {
        plan_add(p, r0, r1, keep);
        return;
    }
    bool inseparable = tied_end(t, r0, r0 + 1, r0, r1) >= r1;
    for (int r = r0; r < r1;) {
        int end = inseparable ? r + 1 : tied_end(t, r, r + 1, r0, r1);
        plan_group(t, p, r, end, r == r0 && keep, room);
        r = end;
    }
}

/* Only heading text in rows [r0, r1): a caption or the heading of an inner
 * section (表二's 第二十条第（五）项, 信息内容 | 本年处理决定数量). */
static bool is_caption(const lay_table *t, int r0, int r1)
{
    FOR_CELLS_STARTING(t, r0, r1, k) {
        const nb_cell *c = &t->def->cells[k];
        if (c->kind != NB_CELL_TEXT && c->kind != NB_CELL_HEADER)
            return false;
    }
    return true;
}

/* Is cell c cut by a box boundary (`cut[r]`: a box begins at row r)? */
static bool is_cut(const lay_table *t, const bool *cut, const nb_cell *c)
{
    for (int r = c->row + 1; r < c->row + cell_rows(t, c); r++)
        if (cut[r])
            return true;
    return false;
}

/* A page may break above row b (the top of a box) unless a merged cell cut
 * there would be left, above or below, with a part too short for its text. */
static bool cut_needs_keep(const table_job *j, const bool *cut, int b)
{
    const lay_table *t = j->t;
    /* the cells across b start within the tallest cell's rows above it */
    FOR_CELLS_STARTING(t, b - t->tallest + 1, b, k) {
        const nb_cell *c = &t->def->cells[k];
        int last = c->row + cell_rows(t, c);
        if (last <= b || !is_cut(t, cut, c))
            continue;
        double need = cell_need(j, &j->cells[k]) - WIDTH_EPS;
        if (rows_height(t, c->row, b) < need || rows_height(t, b, last) < need)
            return true;
    }
    return false;
}

/* Keep the captions of inner sections with their first row, and a short
 * inner section whole. */
static void keep_sections(const table_job *j, box_plan *p, size_t from)
{
    const lay_table *t = j->t;
    double most = SECTION_KEEP * j->L->st->block_height;
#define CAPTION(i) is_caption(t, p->items[i].r0, p->items[i].r1)
    for (size_t i = from; i < p->n;) {
        if (!CAPTION(i)) {
            i++;
            continue;
        }
        size_t rows = i + 1, end;
        while (rows < p->n && CAPTION(rows))
            rows++;
        for (end = rows; end < p->n && !CAPTION(end); end++)
            ;
        bool whole = rows_height(t, p->items[i].r0, p->items[end - 1].r1) <= most;
        for (size_t q = i + 1; q < end && (whole || q <= rows); q++)
            p->items[q].keep = true;
        i = end;
    }
#undef CAPTION
}

static void draw_cell(lay *L, const lay_table *t, const cell_set *cs, double top, double h,
                      nb_run **runs, size_t *nruns, size_t *cap)
{
    const nb_cell *c = cs->cell;
    double x0 = t->col_x[c->col], x1 = t->col_x[c->col + cell_cols(t, c)];
    double text_h = (double)cs->lines.nlines * t->pitch;
    double y = top - (h - text_h) / 2 - ((t->pitch - t->size) / 2 + LAY_ASCENT * t->size);
    for (size_t li = 0; li < cs->lines.nlines; li++, y -= t->pitch) {
        double w = cs->lines.lines[li].width, x = x0 + t->pad_x + cs->indent;
        if (cs->align == LAY_CENTER)
            x = x0 + (x1 - x0 - w) / 2;
        else if (cs->align == LAY_RIGHT)
            x = x1 - t->pad_x - w;
        lay_emit_line_to(L, runs, nruns, cap, &cs->chars, &cs->lines, li, x, y);
    }
}

/* One box for grid rows [r0, r1); the cells that start there and are not
 * cut are drawn relative to its top. */
static void row_box(table_job *j, const row_range *rg, const bool *cut, int index)
{
    lay_table *t = j->t;
    lay *L = j->L;
    lay_box *b = lay_add_box(L, rows_height(t, rg->r0, rg->r1));
    b->keep_with_prev = b->keep_with_prev || rg->keep;
    b->table = index;
    b->row0 = rg->r0;
    b->row1 = rg->r1;
    size_t before = L->nruns;
    /* in the order of the format, as the runs have always been drawn */
    int *order = nb_xmalloc(((size_t)(t->row_start[rg->r1] - t->row_start[rg->r0]) + 1) *
                            sizeof *order);
    size_t n = 0;
    FOR_CELLS_STARTING(t, rg->r0, rg->r1, k)
        order[n++] = k;
    qsort(order, n, sizeof *order, compare_ints);
    for (size_t i = 0; i < n; i++) {
        int k = order[i];
        const nb_cell *c = &t->def->cells[k];
        if (is_cut(t, cut, c))
            continue;
        draw_cell(L, t, &j->cells[k], -rows_height(t, rg->r0, c->row),
                  rows_height(t, c->row, c->row + cell_rows(t, c)), &L->runs, &L->nruns,
                  &L->cap_runs);
    }
    free(order);
    L->boxes[L->nboxes - 1].nruns += L->nruns - before;
}

/* The cut cells leave the job for the table: they are drawn when the pages
 * are known. */
static void keep_cut_cells(table_job *j, const bool *cut)
{
    lay_table *t = j->t;
    for (size_t k = 0; k < t->def->ncells; k++) {
        if (!inside(t, j->cells[k].cell) || !is_cut(t, cut, j->cells[k].cell))
            continue;
        NB_GROW(t->cut, t->ncut, t->cap_cut);
        t->cut[t->ncut++] = j->cells[k];
        memset(&j->cells[k].chars, 0, sizeof j->cells[k].chars);
        memset(&j->cells[k].lines, 0, sizeof j->cells[k].lines);
        j->cells[k].lb = NULL;
    }
}

static void build_boxes(table_job *j, int index)
{
    lay_table *t = j->t;
    int head = t->def->header_rows;
    head = head < 0 ? 0 : head > t->nrows ? t->nrows : head;
    t->header_box = -1;
    box_plan p = {0};
    int r = 0;
    if (head > 0) {
        r = tied_end(t, 0, head, -1, t->nrows + 1);
        plan_add(&p, 0, r, false);
    }
    size_t body = p.n;
    double room = j->L->st->block_height - rows_height(t, 0, r);
    while (r < t->nrows) {
        int end = tied_end(t, r, r + 1, -1, t->nrows + 1);
        plan_group(t, &p, r, end, p.n == body && head > 0, room); /* the first row stays with the header */
        r = end;
    }
    bool *cut = nb_xcalloc((size_t)t->nrows + 1, sizeof(bool));
    for (size_t i = 0; i < p.n; i++)
        cut[p.items[i].r0] = true;
    for (size_t i = body + 1; i < p.n; i++)
        p.items[i].keep = p.items[i].keep || cut_needs_keep(j, cut, p.items[i].r0);
    keep_sections(j, &p, body);
    for (size_t i = 0; i < p.n; i++) {
        if (i == 0 && head > 0)
            t->header_box = (long)j->L->nboxes;
        row_box(j, &p.items[i], cut, index);
    }
    keep_cut_cells(j, cut);
    free(cut);
    free(p.items);
}

/* The part of a cut cell on the page whose table rows are `s[0..n)`: the
 * slice it begins in, its top and height. False if none of it is there. */
static bool cut_part(const lay_table *t, const nb_cell *c, const lay_row_slice *s, size_t n,
                     size_t *first, double *top, double *h)
{
    int c0 = c->row, c1 = c->row + cell_rows(t, c);
    bool found = false;
    *h = 0;
    for (size_t k = 0; k < n; k++) {
        int a = s[k].row0 > c0 ? s[k].row0 : c0, b = s[k].row1 < c1 ? s[k].row1 : c1;
        if (a >= b)
            continue;
        if (!found) {
            *first = k;
            *top = s[k].top - rows_height(t, s[k].row0, a);
            found = true;
        }
        *h += rows_height(t, a, b);
    }
    return found;
}

void lay_table_cut_cells(lay *L, const lay_table *t, const lay_row_slice *slices, size_t n,
                         size_t at, nb_page *page)
{
    for (size_t k = 0; k < t->ncut; k++) {
        size_t first = n;
        double top = 0, h = 0;
        if (cut_part(t, t->cut[k].cell, slices, n, &first, &top, &h) && first == at)
            draw_cell(L, t, &t->cut[k], top, h, &page->runs, &page->nruns, &page->cap_runs);
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

/* ---- the grid ---- */

static void set_size(table_job *j, double size)
{
    j->size = j->t->size = size;
    j->pad_x = j->t->pad_x = PAD_X * size;
    j->pad_y = j->t->pad_y = PAD_Y * size;
    j->pitch = j->t->pitch = CELL_LEADING * size;
}

static void free_cells(table_job *j)
{
    for (size_t k = 0; k < j->t->def->ncells; k++)
        free_cell_set(&j->cells[k]);
}

/* The next size down from `size` among the sizes official tables are set
 * in (五号, 小五), or 0 when there is none. */
static double smaller_size(double size)
{
    static const double sizes[] = {10.5, MIN_TABLE_SIZE};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
        if (sizes[i] < size - WIDTH_EPS)
            return sizes[i];
    return 0;
}

/* Set the cells at the largest size, from the style's table size down,
 * at which the columns fit the block; then their widths. */
static bool set_cells(table_job *j)
{
    lay_table *t = j->t;
    double size = j->L->st->table_size;
    for (;;) {
        set_size(j, size);
        bool ok = true;
        for (size_t k = 0; k < t->def->ncells; k++) {
            j->cells[k] = (cell_set){.cell = &t->def->cells[k]};
            ok = prepare_cell(j, &j->cells[k]) && ok;
        }
        if (!ok || t->ncols <= 0)
            return ok;
        double smaller = smaller_size(size);
        if (choose_widths(j) || smaller <= 0)
            return true;
        free_cells(j);
        size = smaller;
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
    table_job j = {.L = L, .t = t, .inst = inst,
                   .text_pos = inst->def->pos.file ? inst->def->pos : b->pos};
    set_size(&j, L->st->table_size); /* the lines around the grid */
    bool ok = title_line(&j);
    lay_format lead = {.size = j.size,
                       .line_height = LEAD_LEADING * j.size,
                       .align = LAY_LEFT,
                       .keep = LAY_KEEP_ALL};
    ok = text_lines(&j, inst->lead, t->def->nlead, &lead, L->nboxes > boxes_before) && ok;

    map_cells(t);
    index_rows(t);
    j.cells = nb_xcalloc(t->def->ncells ? t->def->ncells : 1, sizeof *j.cells);
    ok = set_cells(&j) && ok;
    if (ok && t->ncols > 0) {
        break_cells(&j);
        size_rows(&j);
        use_room_to_spare(&j);
        /* the grid's first box stays with the title and lead lines or,
         * when the table has neither, with the heading before it (whose
         * keep is still pending) */
        L->keep_next = L->keep_next || L->nboxes > boxes_before;
        build_boxes(&j, index);
        lay_format foot = lead;
        foot.space_before = 0.5 * lead.size;
        ok = text_lines(&j, inst->foot, t->def->nfoot, &foot, true) && ok;
    }
    free_cells(&j);
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
