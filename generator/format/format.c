/* format.c — load a report format's format.yaml and compile each table
 * definition into a grid of cells (see format.h and templates/README.md). */
#define _DEFAULT_SOURCE /* DT_DIR */
#include "format.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A table being compiled: cells are appended, then sorted into grid order. */
typedef struct grid {
    nb_cell *cells;
    size_t count, cap;
    unsigned char *taken; /* nrows_cap × ncols slots: 1 when covered by a cell */
    int ncols, rows_cap;
} grid;

typedef struct compiler {
    nb_arena *a;
    nb_diags *d;
    nb_table *t;
    const nb_node *def;
    const char *data_root;
    bool nested;     /* label_style: nested */
    int label_cols;  /* grid columns the label area takes */
    int label_col;   /* index in def columns of the label column (-1 none) */
    int unit_col;    /* grid column of the unit, or -1 */
    nb_figure_kind figure; /* the table's `type:` */
    const char *row_unit;  /* the unit of the figures of the row being compiled */
    grid g;
} compiler;

static bool slot_taken(const grid *g, int row, int col)
{
    return row < g->rows_cap && g->taken[(size_t)row * g->ncols + col];
}

static void take_slots(grid *g, int row, int col, int rows, int cols)
{
    while (row + rows > g->rows_cap) {
        int cap = g->rows_cap ? g->rows_cap * 2 : 64;
        g->taken = nb_xrealloc(g->taken, (size_t)cap * g->ncols);
        memset(g->taken + (size_t)g->rows_cap * g->ncols, 0,
               (size_t)(cap - g->rows_cap) * g->ncols);
        g->rows_cap = cap;
    }
    for (int r = row; r < row + rows; r++)
        for (int c = col; c < col + cols && c < g->ncols; c++)
            g->taken[(size_t)r * g->ncols + c] = 1;
}

static nb_cell *add_cell(compiler *C, nb_cell cell)
{
    grid *g = &C->g;
    if (cell.col + cell.cols > g->ncols) {
        nb_error(C->d, cell.pos, "this cell reaches column %d, but the table has %d "
                 "columns", cell.col + cell.cols, g->ncols);
        cell.cols = g->ncols - cell.col > 0 ? g->ncols - cell.col : 1;
    }
    take_slots(g, cell.row, cell.col, cell.rows, cell.cols);
    NB_GROW(g->cells, g->count, g->cap);
    g->cells[g->count] = cell;
    return &g->cells[g->count++];
}

static int next_free_col(const grid *g, int row, int col)
{
    while (col < g->ncols && slot_taken(g, row, col))
        col++;
    return col;
}

static int span_of(compiler *C, const nb_node *cell, const char *key)
{
    const char *s = nb_cfg_string(cell, key, false, C->d);
    if (!s)
        return 1;
    int n = atoi(s);
    if (n < 1 || n > 1000) {
        nb_error(C->d, nb_map_get(cell, key)->pos, "'%s' should be a whole number "
                 "from 1 to 1000", key);
        return 1;
    }
    return n;
}

/* A fixed cell written as "text" or {text: …, cols: N, rows: N}, placed at
 * the first free slot of `row` (the usual HTML table placement). */
static void place_text_cell(compiler *C, const nb_node *spec, nb_cell_kind kind,
                            int row, int *col)
{
    nb_cell cell = {.kind = kind, .row = row, .rows = 1, .cols = 1, .pos = spec->pos};
    if (spec->kind == NB_NODE_SCALAR) {
        cell.text = spec->text;
    } else {
        cell.text = nb_cfg_string(spec, "text", false, C->d);
        if (!cell.text)
            cell.text = "";
        cell.rows = span_of(C, spec, "rows");
        cell.cols = span_of(C, spec, "cols");
    }
    *col = next_free_col(&C->g, row, *col);
    if (*col >= C->g.ncols) {
        nb_error(C->d, spec->pos, "this row has more cells than the table's %d columns",
                 C->g.ncols);
        return;
    }
    cell.col = *col;
    add_cell(C, cell);
    *col += cell.cols;
}

/* `type: count` or `type: amount` on a table, column, row or value: false
 * (and *out untouched) when `def` has no type. */
static bool figure_kind(compiler *C, const nb_node *def, nb_figure_kind *out)
{
    const char *s = def && def->kind == NB_NODE_MAP ? nb_cfg_string(def, "type", false, C->d)
                                                    : NULL;
    if (!s)
        return false;
    if (strcmp(s, "count") == 0) {
        *out = NB_FIGURE_COUNT;
    } else if (strcmp(s, "amount") == 0) {
        *out = NB_FIGURE_AMOUNT;
    } else {
        nb_error(C->d, nb_map_get(def, "type")->pos, "unknown type '%s'; expected count "
                 "(a whole number) or amount (decimals allowed)", s);
        return false;
    }
    return true;
}

/* ---- columns ---- */
static nb_cell_kind role_of(compiler *C, const nb_node *col)
{
    const char *role = nb_cfg_string(col, "role", true, C->d);
    if (!role)
        return NB_CELL_VALUE;
    if (strcmp(role, "label") == 0)
        return NB_CELL_LABEL;
    if (strcmp(role, "unit") == 0)
        return NB_CELL_UNIT;
    if (strcmp(role, "value") == 0)
        return NB_CELL_VALUE;
    nb_error(C->d, nb_map_get(col, "role")->pos,
             "unknown column role '%s'; expected label, unit or value", role);
    return NB_CELL_VALUE;
}

static int deepest_level(compiler *C, const nb_node *rows)
{
    int deepest = 0;
    for (size_t i = 0; rows && i < rows->count; i++) {
        const char *lv = nb_cfg_string(rows->items[i], "level", false, C->d);
        if (lv && atoi(lv) > deepest)
            deepest = atoi(lv);
    }
    return deepest;
}

static bool compile_columns(compiler *C, const nb_node *cols, const nb_node *rows)
{
    nb_table *t = C->t;
    t->columns = nb_arena_alloc(C->a, cols->count * sizeof *t->columns);
    C->label_col = C->unit_col = -1;
    C->label_cols = C->nested ? deepest_level(C, rows) + 1 : 1;
    int gridcol = 0;
    for (size_t i = 0; i < cols->count; i++) {
        const nb_node *c = cols->items[i];
        nb_column *col = &t->columns[i];
        col->role = role_of(C, c);
        col->key = nb_cfg_string(c, "key", false, C->d);
        col->header = nb_cfg_string(c, "header", false, C->d);
        const char *w = nb_cfg_string(c, "width", false, C->d);
        col->width = w ? atof(w) : 0;
        col->figure = C->figure;
        figure_kind(C, c, &col->figure);
        if (col->role == NB_CELL_LABEL) {
            C->label_col = (int)i;
            gridcol += C->label_cols;
            continue;
        }
        if (col->role == NB_CELL_UNIT)
            C->unit_col = gridcol;
        gridcol++;
    }
    if (C->label_col < 0) /* a table of figures only (2021 表四): its header names them */
        C->label_cols = 0;
    t->label_cols = C->label_cols;
    t->ncols = gridcol;
    C->g.ncols = gridcol;
    if (C->label_col > 0) {
        nb_error(C->d, cols->pos, "the label column ({role: label}) must be the first "
                 "column of a table");
        return false;
    }
    if (gridcol == 0) {
        nb_error(C->d, cols->pos, "a table needs at least one column");
        return false;
    }
    return true;
}

/* ---- header ---- */
static void compile_header(compiler *C, const nb_node *header)
{
    nb_table *t = C->t;
    if (!header) {
        int col = 0;
        for (int i = 0; col < t->ncols; i++) {
            int width = t->columns[i].role == NB_CELL_LABEL ? C->label_cols : 1;
            const char *text = t->columns[i].header ? t->columns[i].header : "";
            add_cell(C, (nb_cell){.kind = NB_CELL_HEADER, .row = 0, .col = col,
                                  .rows = 1, .cols = width, .text = text,
                                  .pos = C->def->pos});
            col += width;
        }
        t->header_rows = 1;
        return;
    }
    for (size_t r = 0; r < header->count; r++) {
        const nb_node *row = header->items[r];
        if (row->kind != NB_NODE_SEQ) {
            nb_error(C->d, row->pos, "a header row should be a list of cells");
            continue;
        }
        int col = 0;
        for (size_t i = 0; i < row->count; i++)
            place_text_cell(C, row->items[i], NB_CELL_HEADER, (int)r, &col);
    }
    t->header_rows = (int)header->count;
}

/* ---- body rows ---- */
static const char *join_key(compiler *C, const char *a, const char *b)
{
    if (!a || !*a)
        return b;
    if (!b || !*b)
        return a;
    return nb_arena_printf(C->a, "%s.%s", a, b);
}

/* The numbering that names a row in messages: "三、本年度办理结果" → "三",
 * "（三）不予公开" → "（三）", "1.属于国家秘密" → "1.". */
static const char *numbering_of(compiler *C, const char *label)
{
    const char *close = NULL;
    if (strncmp(label, "（", 3) == 0)
        close = strstr(label, "）");
    else if (label[0] == '(')
        close = strchr(label, ')');
    if (close)
        return nb_arena_strndup(C->a, label, (size_t)(close - label) + (label[0] == '(' ? 1 : 3));
    const char *comma = strstr(label, "、");
    if (comma && comma - label <= 9)
        return nb_arena_strndup(C->a, label, (size_t)(comma - label));
    size_t digits = strspn(label, "0123456789");
    if (digits && label[digits] == '.')
        return nb_arena_strndup(C->a, label, digits + 1);
    return label;
}

static void add_value_cell(compiler *C, int row, int col, int cols, const char *key,
                           const char *name, const char *header, nb_figure_kind figure,
                           nb_pos pos)
{
    add_cell(C, (nb_cell){.kind = NB_CELL_VALUE, .row = row, .col = col, .rows = 1,
                          .cols = cols, .key = key, .name = name, .pos = pos,
                          .figure = figure, .header = header, .unit = C->row_unit});
}

/* "规章 (本年制发件数)"; the header alone in a table without labels. */
static const char *value_name(compiler *C, const char *row_name, const char *header)
{
    if (!header)
        return row_name;
    if (!row_name || !*row_name)
        return header;
    return nb_arena_printf(C->a, "%s (%s)", row_name, header);
}

static void add_row_values(compiler *C, const nb_node *rowdef, int row,
                           const char *row_key, const char *name)
{
    const nb_table *t = C->t;
    const char *prefix = join_key(C, C->data_root, row_key);
    const nb_node *values = nb_cfg_list(rowdef, "values", false, C->d);
    nb_figure_kind row_figure = C->figure;
    bool row_typed = figure_kind(C, rowdef, &row_figure);
    const char *unit = nb_cfg_string(rowdef, "unit", false, C->d);
    bool no_unit = !unit || !*unit || strstr(unit, "—") || strcmp(unit, "-") == 0;
    C->row_unit = no_unit ? C->t->unit : unit;
    int col = next_free_col(&C->g, row, 0);
    if (values) {
        for (size_t i = 0; i < values->count; i++) {
            const nb_node *v = values->items[i];
            if (v->kind != NB_NODE_MAP) {
                nb_error(C->d, v->pos, "a value cell should be a map such as "
                         "{key: issued, header: 本年制发件数, cols: 1}");
                continue;
            }
            /* key absent: the row's key itself holds the figure */
            const char *k = nb_cfg_string(v, "key", false, C->d);
            const char *header = nb_cfg_string(v, "header", false, C->d);
            col = next_free_col(&C->g, row, col);
            int cols = span_of(C, v, "cols");
            nb_figure_kind figure = row_figure;
            figure_kind(C, v, &figure);
            const char *key = k || row_key ? join_key(C, prefix, k) : NULL;
            add_value_cell(C, row, col, cols, key, value_name(C, name, header), header,
                           figure, v->pos);
            col += cols;
        }
        return;
    }
    int gridcol = C->label_cols;
    for (int i = 0; gridcol < t->ncols; i++) {
        const nb_column *c = &t->columns[i];
        if (c->role == NB_CELL_LABEL)
            continue;
        if (c->role == NB_CELL_VALUE) {
            bool has_key = row_key || C->label_col < 0;
            const char *key = has_key ? join_key(C, prefix, c->key) : NULL;
            const char *cell_name = c->key || !name ? value_name(C, name, c->header) : name;
            add_value_cell(C, row, gridcol, 1, key, cell_name, c->header,
                           row_typed ? row_figure : c->figure, rowdef->pos);
        }
        gridcol++;
    }
}

static bool is_group_row(const nb_node *r)
{
    return !nb_map_get(r, "key") && !nb_map_get(r, "values");
}

/* How many grid rows the rows after `i` at deeper levels take (in a nested
 * table a group row takes none of its own). */
static int descendants(compiler *C, const nb_node *rows, size_t i, int level)
{
    int n = 0;
    for (size_t j = i + 1; j < rows->count; j++) {
        const char *lv = nb_cfg_string(rows->items[j], "level", false, C->d);
        if (!lv || atoi(lv) <= level)
            break;
        n += !is_group_row(rows->items[j]);
    }
    return n;
}

typedef struct ancestry {
    const char *numbering[16]; /* by level */
} ancestry;

static const char *row_name(compiler *C, ancestry *anc, int level, const char *label)
{
    if (level < 0 || level >= 16)
        return label;
    anc->numbering[level] = numbering_of(C, label);
    if (!C->nested || level == 0)
        return label;
    nb_buf b = {0};
    for (int l = 0; l < level; l++)
        if (anc->numbering[l])
            nb_buf_puts(&b, anc->numbering[l]);
    nb_buf_puts(&b, label);
    const char *name = nb_arena_strdup(C->a, nb_buf_str(&b));
    nb_buf_free(&b);
    return name;
}

static void compile_label_row(compiler *C, const nb_node *rows, size_t i, int *row,
                              ancestry *anc)
{
    const nb_node *r = rows->items[i];
    const char *label = nb_cfg_string(r, "label", true, C->d);
    const char *key = nb_cfg_string(r, "key", false, C->d);
    const char *lv = nb_cfg_string(r, "level", false, C->d);
    int level = lv ? atoi(lv) : 0;
    bool group = is_group_row(r);
    if (!label)
        return;
    if (level < 0 || level >= C->label_cols + (C->nested ? 0 : 16)) {
        nb_error(C->d, r->pos, "level %d is out of range", level);
        return;
    }
    const char *name = row_name(C, anc, level, label);
    nb_cell cell = {.kind = NB_CELL_LABEL, .row = *row, .rows = 1, .cols = 1,
                    .text = label, .level = level, .group = group, .pos = r->pos,
                    .row_key = key ? join_key(C, C->data_root, key) : NULL};
    if (C->nested) {
        cell.col = level;
        if (group) {
            /* A merged cell left of its rows; it takes no grid row of its own. */
            cell.rows = descendants(C, rows, i, level);
            cell.cols = 1;
            if (cell.rows < 1) {
                nb_error(C->d, r->pos, "'%s' has no key and no rows below it", label);
                return;
            }
            add_cell(C, cell);
            return;
        }
        cell.cols = C->label_cols - level;
    }
    add_cell(C, cell);
    if (C->unit_col >= 0) {
        const char *unit = nb_cfg_string(r, "unit", false, C->d);
        add_cell(C, (nb_cell){.kind = NB_CELL_UNIT, .row = *row, .col = C->unit_col,
                              .rows = 1, .cols = 1, .text = unit ? unit : "",
                              .pos = r->pos});
    }
    add_row_values(C, r, *row, key, name);
    (*row)++;
}

/* A row of a table without a label column: figures only; `key` (optional)
 * is appended to the table's data key. */
static void compile_bare_row(compiler *C, const nb_node *r, int *row)
{
    if (nb_map_get(r, "label")) {
        nb_error(C->d, nb_map_get(r, "label")->pos, "this table has no label column "
                 "({role: label}), so its rows have no label");
        return;
    }
    add_row_values(C, r, *row, nb_cfg_string(r, "key", false, C->d), NULL);
    (*row)++;
}

/* An official statistics table has tens of rows; a table of more than this
 * is a mistake (a pasted list?) that would only make every stage slow. */
enum { MAX_TABLE_ROWS = 10000 };

static void compile_rows(compiler *C, const nb_node *rows)
{
    int row = C->t->header_rows;
    ancestry anc = {0};
    if (rows->count > MAX_TABLE_ROWS) {
        nb_error(C->d, rows->pos, "this table has %zu rows; the limit is %d",
                 rows->count, MAX_TABLE_ROWS);
        return;
    }
    for (size_t i = 0; i < rows->count; i++) {
        const nb_node *r = rows->items[i];
        if (r->kind != NB_NODE_MAP) {
            nb_error(C->d, r->pos, "a table row should be a map such as "
                     "{label: …, unit: …, key: …}");
            continue;
        }
        const nb_node *cells = nb_map_get(r, "cells");
        const char *text = nb_cfg_string(r, "text", false, C->d);
        if (text) {
            add_cell(C, (nb_cell){.kind = NB_CELL_TEXT, .row = row, .col = 0, .rows = 1,
                                  .cols = C->t->ncols, .text = text, .pos = r->pos});
            row++;
        } else if (cells && cells->kind == NB_NODE_SEQ) {
            int col = 0;
            for (size_t k = 0; k < cells->count; k++)
                place_text_cell(C, cells->items[k], NB_CELL_TEXT, row, &col);
            row++;
        } else if (C->label_col < 0) {
            compile_bare_row(C, r, &row);
        } else {
            compile_label_row(C, rows, i, &row, &anc);
        }
    }
    C->t->nrows = row;
}

static int cell_order(const void *x, const void *y)
{
    const nb_cell *a = x, *b = y;
    if (a->row != b->row)
        return a->row - b->row;
    return a->col - b->col;
}

static void finish_grid(compiler *C)
{
    nb_table *t = C->t;
    qsort(C->g.cells, C->g.count, sizeof *C->g.cells, cell_order);
    t->cells = nb_arena_alloc(C->a, C->g.count * sizeof *t->cells);
    memcpy(t->cells, C->g.cells, C->g.count * sizeof *t->cells);
    t->ncells = C->g.count;
    free(C->g.cells);
    free(C->g.taken);
}

static const char **string_list(compiler *C, const nb_node *def, const char *key,
                                size_t *n)
{
    const nb_node *list = nb_cfg_list(def, key, false, C->d);
    *n = list ? list->count : 0;
    const char **out = nb_arena_alloc(C->a, (*n + 1) * sizeof *out);
    for (size_t i = 0; i < *n; i++) {
        out[i] = nb_scalar(list->items[i]);
        if (!out[i]) {
            nb_error(C->d, list->items[i]->pos, "'%s' should be a list of lines of text", key);
            out[i] = "";
        }
    }
    return out;
}

static bool compile_table(nb_table *t, const nb_node *def, nb_arena *a, nb_diags *d)
{
    size_t errors = d->errors;
    compiler C = {.a = a, .d = d, .t = t, .def = def};
    t->pos = def->pos;
    t->id = nb_cfg_string(def, "id", true, d);
    t->sheet = nb_cfg_string(def, "sheet", false, d);
    t->title = nb_cfg_string(def, "title", false, d);
    t->lead = string_list(&C, def, "lead", &t->nlead);
    t->foot = string_list(&C, def, "foot", &t->nfoot);
    C.data_root = nb_cfg_string(def, "data", false, d);
    t->data = C.data_root;
    t->unit = nb_cfg_string(def, "unit", false, d);
    figure_kind(&C, def, &C.figure);
    const char *style = nb_cfg_string(def, "label_style", false, d);
    C.nested = style && strcmp(style, "nested") == 0;
    if (style && !C.nested && strcmp(style, "indent") != 0)
        nb_error(d, nb_map_get(def, "label_style")->pos,
                 "unknown label_style '%s'; expected indent or nested", style);
    if (!t->sheet)
        t->sheet = t->id;
    const nb_node *cols = nb_cfg_list(def, "columns", true, d);
    const nb_node *rows = nb_cfg_list(def, "rows", true, d);
    if (!t->id || !cols || !rows || !compile_columns(&C, cols, rows))
        return false;
    compile_header(&C, nb_cfg_list(def, "header", false, d));
    compile_rows(&C, rows);
    finish_grid(&C);
    return d->errors == errors;
}

/* ---- rules ---- */
static const char *substitute(nb_arena *a, const char *s, const char *var,
                              const char *value)
{
    if (!var)
        return s;
    char pattern[64];
    snprintf(pattern, sizeof pattern, "$%s", var);
    nb_buf b = {0};
    const char *p;
    while ((p = strstr(s, pattern)) != NULL) {
        nb_buf_append(&b, s, (size_t)(p - s));
        nb_buf_puts(&b, value);
        s = p + strlen(pattern);
    }
    nb_buf_puts(&b, s);
    const char *out = nb_arena_strdup(a, nb_buf_str(&b));
    nb_buf_free(&b);
    return out;
}

static const char **key_list(const nb_node *list, size_t *n, const char *var,
                             const char *value, nb_arena *a, nb_diags *d)
{
    if (list->kind == NB_NODE_SCALAR) {
        *n = 1;
        const char **out = nb_arena_alloc(a, sizeof *out);
        out[0] = substitute(a, list->text, var, value);
        return out;
    }
    *n = list->count;
    const char **out = nb_arena_alloc(a, (*n + 1) * sizeof *out);
    for (size_t i = 0; i < *n; i++) {
        const char *k = nb_scalar(list->items[i]);
        if (!k)
            nb_error(d, list->items[i]->pos, "expected a data key such as stats.total");
        out[i] = substitute(a, k ? k : "", var, value);
    }
    return out;
}

/* carry_over: {name, this: KEY, previous: KEY}: stored as total = this
 * year's key, parts[0] = last year's. */
static bool compile_carry_rule(nb_rule *r, const nb_node *def, const char *var,
                               const char *value, nb_arena *a, nb_diags *d)
{
    r->pos = def->pos;
    r->name = nb_cfg_string(def, "name", true, d);
    const char *this_year = nb_cfg_string(def, "this", true, d);
    const char *last_year = nb_cfg_string(def, "previous", true, d);
    if (!r->name || !this_year || !last_year)
        return false;
    r->kind = NB_RULE_CARRY_OVER;
    r->total = substitute(a, this_year, var, value);
    r->parts = nb_arena_alloc(a, sizeof *r->parts);
    r->parts[0] = substitute(a, last_year, var, value);
    r->nparts = 1;
    return true;
}

static bool compile_rule(nb_rule *r, const nb_node *def, const char *var,
                         const char *value, nb_arena *a, nb_diags *d)
{
    r->pos = def->pos;
    if (def->kind != NB_NODE_MAP) {
        nb_error(d, def->pos, "a rule should be a map such as {name: …, sum: …, of: […]}");
        return false;
    }
    r->name = nb_cfg_string(def, "name", true, d);
    const nb_node *of = nb_map_get(def, "of");
    const char *sum = nb_cfg_string(def, "sum", false, d);
    const char *at_most = nb_cfg_string(def, "at_most", false, d);
    const nb_node *equal = nb_map_get(def, "equal"), *to = nb_map_get(def, "to");
    if ((sum || at_most) && of) {
        r->kind = sum ? NB_RULE_SUM : NB_RULE_AT_MOST;
        r->total = substitute(a, sum ? sum : at_most, var, value);
        if (at_most) {
            /* at_most: PART, of: WHOLE — stored as parts[0] <= total */
            r->parts = nb_arena_alloc(a, sizeof *r->parts);
            r->parts[0] = r->total;
            r->nparts = 1;
            r->total = substitute(a, nb_scalar(of) ? nb_scalar(of) : "", var, value);
            return r->name != NULL;
        }
        r->parts = key_list(of, &r->nparts, var, value, a, d);
        return r->name != NULL;
    }
    if (equal && to) {
        r->kind = NB_RULE_EQUAL_SUMS;
        r->parts = key_list(equal, &r->nparts, var, value, a, d);
        r->others = key_list(to, &r->nothers, var, value, a, d);
        return r->name != NULL;
    }
    nb_error(d, def->pos, "a rule needs `sum:` with `of:`, `at_most:` with `of:`, or "
                          "`equal:` with `to:`");
    return false;
}

typedef bool (*rule_compiler)(nb_rule *r, const nb_node *def, const char *var,
                              const char *value, nb_arena *a, nb_diags *d);

/* Each rule of the list, repeated for every value of its `for_each`. */
static nb_rule *compile_rule_list(const nb_node *rules, rule_compiler compile,
                                  size_t *count, nb_arena *a, nb_diags *d)
{
    size_t cap = 0, n = 0;
    nb_rule *out = NULL;
    for (size_t i = 0; rules && i < rules->count; i++) {
        const nb_node *def = rules->items[i];
        if (def->kind != NB_NODE_MAP) {
            nb_error(d, def->pos, "a rule should be a map such as {name: …, sum: …, of: […]}");
            continue;
        }
        const nb_node *each = nb_cfg_map(def, "for_each", false, d);
        const char *var = NULL;
        const nb_node *values = NULL;
        if (each && each->count == 1 && each->pairs[0].value->kind == NB_NODE_SEQ) {
            var = each->pairs[0].key->text;
            values = each->pairs[0].value;
        } else if (each) {
            nb_error(d, each->pos, "for_each should be one name with a list: "
                                   "{col: [natural, total]}");
            continue;
        }
        size_t reps = values ? values->count : 1;
        for (size_t k = 0; k < reps; k++) {
            const char *value = values ? nb_scalar(values->items[k]) : NULL;
            NB_GROW(out, n, cap);
            out[n] = (nb_rule){0};
            if (compile(&out[n], def, var, value ? value : "", a, d))
                n++;
        }
    }
    nb_rule *rules_out = nb_arena_alloc(a, (n + 1) * sizeof *rules_out);
    if (n)
        memcpy(rules_out, out, n * sizeof *out);
    free(out);
    *count = n;
    return rules_out;
}

static void compile_rules(nb_format *f, const nb_node *root, nb_arena *a, nb_diags *d)
{
    f->rules = compile_rule_list(nb_cfg_list(root, "rules", false, d), compile_rule,
                                 &f->nrules, a, d);
    f->carry = compile_rule_list(nb_cfg_list(root, "carry_over", false, d),
                                 compile_carry_rule, &f->ncarry, a, d);
}

/* Every key a rule names must be a value cell of some table (or the data
 * would be checked against figures nobody can see). */
static void check_rule_keys(const nb_format *f, nb_diags *d)
{
    for (size_t i = 0; i < f->nrules + f->ncarry; i++) {
        const nb_rule *r = i < f->nrules ? &f->rules[i] : &f->carry[i - f->nrules];
        const char *keys[256];
        size_t n = 0;
        if (r->total)
            keys[n++] = r->total;
        for (size_t k = 0; k < r->nparts && n < 256; k++)
            keys[n++] = r->parts[k];
        for (size_t k = 0; k < r->nothers && n < 256; k++)
            keys[n++] = r->others[k];
        for (size_t k = 0; k < n; k++)
            if (!nb_format_find_cell(f, keys[k], NULL))
                nb_error(d, r->pos, "the rule '%s' names %s, which is no cell of any "
                         "table", r->name, keys[k]);
    }
}

/* ---- the value cells and sum rules by key ----
 * Every check, formula and chart asks for cells (and the rule that sums
 * them) by key; a scan per question would make a format's cost grow with
 * the square of its tables. The first cell and the first sum rule of a key,
 * in the format's order, win — as a scan would find them. */
typedef struct cell_slot {
    const char *key; /* NULL: empty slot */
    const nb_cell *cell;
    const nb_table *table;
    const nb_rule *sum; /* the SUM rule whose total this key is */
} cell_slot;

struct nb_cell_index {
    cell_slot *slots;
    size_t mask; /* capacity - 1, a power of two */
};

static cell_slot *slot_for(const struct nb_cell_index *ix, const char *key)
{
    size_t i = (size_t)nb_hash_string(key) & ix->mask;
    while (ix->slots[i].key && strcmp(ix->slots[i].key, key) != 0)
        i = (i + 1) & ix->mask;
    return &ix->slots[i];
}

static void index_cells(nb_format *f, nb_arena *a)
{
    size_t n = f->nrules;
    for (size_t i = 0; i < f->ntables; i++)
        n += f->tables[i].ncells;
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    struct nb_cell_index *ix = nb_arena_alloc(a, sizeof *ix);
    ix->slots = nb_arena_alloc(a, cap * sizeof *ix->slots);
    ix->mask = cap - 1;
    for (size_t i = 0; i < f->ntables; i++) {
        const nb_table *t = &f->tables[i];
        for (size_t k = 0; k < t->ncells; k++) {
            const nb_cell *c = &t->cells[k];
            if (c->kind != NB_CELL_VALUE || !c->key)
                continue;
            cell_slot *slot = slot_for(ix, c->key);
            if (!slot->cell)
                *slot = (cell_slot){c->key, c, t, NULL};
        }
    }
    for (size_t i = 0; i < f->nrules; i++) {
        const nb_rule *r = &f->rules[i];
        if (r->kind != NB_RULE_SUM || !r->total)
            continue;
        cell_slot *slot = slot_for(ix, r->total);
        slot->key = r->total;
        if (!slot->sum)
            slot->sum = r;
    }
    f->cell_index = ix;
}

static const nb_cell *indexed_cell(const struct nb_cell_index *ix, const char *key,
                                   const nb_table **table)
{
    const cell_slot *slot = slot_for(ix, key);
    if (slot->cell && table)
        *table = slot->table;
    return slot->cell;
}

/* ---- loading ---- */
static int compare_names(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

const char **nb_format_list(const char *templates_root, nb_arena *a)
{
    const char **names = NULL;
    size_t n = 0, cap = 0;
    DIR *dir = opendir(templates_root);
    struct dirent *e;
    while (dir && (e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.' || e->d_name[0] == '_')
            continue;
        char *sub = nb_path_join(templates_root, e->d_name);
        char *yaml = nb_path_join(sub, "format.yaml");
        struct stat st;
        if (stat(yaml, &st) == 0) {
            NB_GROW(names, n, cap);
            names[n++] = nb_arena_strdup(a, e->d_name);
        }
        free(yaml);
        free(sub);
    }
    if (dir)
        closedir(dir);
    const char **out = nb_arena_alloc(a, (n + 1) * sizeof *out);
    if (n)
        memcpy(out, names, n * sizeof *out);
    free(names);
    qsort(out, n, sizeof *out, compare_names);
    return out;
}

static void unknown_format(const char *root, const char *name, nb_pos at, nb_arena *a,
                           nb_diags *d)
{
    const char **known = nb_format_list(root, a);
    nb_buf list = {0};
    for (size_t i = 0; known[i]; i++)
        nb_buf_printf(&list, "%s%s", i ? ", " : "", known[i]);
    nb_error(d, at, "unknown format '%s'; known formats: %s", name,
             known[0] ? nb_buf_str(&list) : "(none installed)");
    nb_buf_free(&list);
}

static bool valid_format_name(const char *name)
{
    if (!*name || name[0] == '.' || name[0] == '_')
        return false;
    for (const char *p = name; *p; p++)
        if (*p == '/' || *p == '\\')
            return false;
    return true;
}

/* A file a format names (its template) is in the format's folder, after
 * every symbolic link is followed: a format is data, and its files must
 * not reach out of it (`template: ../../../etc/passwd`, a link to
 * elsewhere). False with an error at `at`. A file that is not there is
 * left to the template's own message. */
static bool inside_format(const nb_format *f, const char *written, const char *path,
                          nb_pos at, nb_diags *d)
{
    bool climbs = written[0] == '/' || strcmp(written, "..") == 0 ||
                  strncmp(written, "../", 3) == 0 || strstr(written, "/../") ||
                  (strlen(written) >= 3 && strcmp(written + strlen(written) - 3, "/..") == 0);
    if (climbs) {
        nb_error(d, at, "the template '%s' is outside the format's folder %s; a format's "
                 "files must be in its folder", written, f->dir);
        return false;
    }
    char *real = realpath(path, NULL);
    if (!real)
        return true;
    char *dir = realpath(f->dir, NULL);
    size_t n = dir ? strlen(dir) : 0;
    bool inside = dir && strncmp(real, dir, n) == 0 && real[n] == '/';
    struct stat st;
    bool regular = stat(real, &st) == 0 && S_ISREG(st.st_mode);
    if (!inside)
        nb_error(d, at, "the template '%s' is outside the format's folder %s (it resolves "
                 "to %s); a format's files must be in its folder", written, f->dir, real);
    else if (!regular)
        nb_error(d, at, "the template '%s' is not a file", written);
    free(real);
    free(dir);
    return inside && regular;
}

nb_format *nb_format_load(const char *templates_root, const char *name,
                          nb_pos used_at, nb_arena *a, nb_diags *d)
{
    if (!valid_format_name(name)) {
        unknown_format(templates_root, name, used_at, a, d);
        return NULL;
    }
    char *dir = nb_path_join(templates_root, name);
    char *yaml = nb_path_join(dir, "format.yaml");
    struct stat st;
    if (stat(yaml, &st) != 0) {
        unknown_format(templates_root, name, used_at, a, d);
        free(dir);
        free(yaml);
        return NULL;
    }
    size_t errors = d->errors;
    nb_node *root = nb_source_load_file(yaml, a, d);
    nb_format *f = nb_arena_alloc(a, sizeof *f);
    f->name = nb_arena_strdup(a, name);
    f->dir = nb_arena_strdup(a, dir);
    free(dir);
    free(yaml);
    if (!root)
        return NULL;
    f->description = nb_cfg_string(root, "description", false, d);
    const char *tmpl = nb_cfg_string(root, "template", true, d);
    if (tmpl)
        f->main_template = nb_arena_printf(a, "%s/%s", f->dir, tmpl);
    if (tmpl && !inside_format(f, tmpl, f->main_template, nb_map_get(root, "template")->pos, d))
        f->main_template = NULL;
    const nb_node *tables = nb_cfg_list(root, "tables", false, d);
    f->ntables = tables ? tables->count : 0;
    f->tables = nb_arena_alloc(a, (f->ntables + 1) * sizeof *f->tables);
    for (size_t i = 0; i < f->ntables; i++)
        compile_table(&f->tables[i], tables->items[i], a, d);
    compile_rules(f, root, a, d);
    index_cells(f, a);
    const nb_node *charts = nb_cfg_list(root, "charts", false, d);
    if (charts && d->errors == errors) /* its keys are checked against the grids */
        nb_format_parse_charts(f, charts, a, d);
    const nb_node *fields = nb_cfg_map(root, "fields", false, d);
    if (fields)
        nb_format_parse_fields(f, fields, a, d);
    const nb_node *wording = nb_cfg_map(root, "wording", false, d);
    if (wording)
        nb_format_parse_wording(f, wording, a, d);
    if (d->errors == errors)
        check_rule_keys(f, d);
    return d->errors == errors ? f : NULL;
}

/* ---- queries ---- */
const nb_table *nb_format_table(const nb_format *f, const char *id)
{
    for (size_t i = 0; i < f->ntables; i++)
        if (f->tables[i].id && strcmp(f->tables[i].id, id) == 0)
            return &f->tables[i];
    return NULL;
}

const nb_column *nb_table_column_at(const nb_table *t, int col)
{
    if (col < 0 || col >= t->ncols || !t->columns)
        return NULL;
    if (col < t->label_cols)
        return &t->columns[0];
    /* after the label area, one definition per grid column */
    return &t->columns[col - t->label_cols + (t->label_cols > 0 ? 1 : 0)];
}

const nb_cell *nb_table_cell_at(const nb_table *t, int row, int col)
{
    for (size_t i = 0; i < t->ncells; i++) {
        const nb_cell *c = &t->cells[i];
        if (row >= c->row && row < c->row + c->rows && col >= c->col &&
            col < c->col + c->cols)
            return c;
    }
    return NULL;
}

const nb_cell *nb_format_find_cell(const nb_format *f, const char *key,
                                   const nb_table **table)
{
    return indexed_cell(f->cell_index, key, table);
}

const nb_rule *nb_format_sum_rule(const nb_format *f, const char *key)
{
    return slot_for(f->cell_index, key)->sum;
}

const nb_node *nb_table_value(const nb_table_inst *t, const nb_cell *c)
{
    if (c->kind != NB_CELL_VALUE || !c->key)
        return NULL;
    return nb_node_at(t->data, c->key);
}
