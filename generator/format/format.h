/* format.h — a report format: its templates, statistics tables and rules, all
 * read from data in templates/<name>/format.yaml.
 *
 * One definition of each statistics table drives the PDF table (layout.h),
 * the XLSX sheet (xlsx.h) and the sum checks (check.h). A table definition is
 * compiled here into a grid of cells — header cells with their merges, label
 * cells with their indentation level, unit cells and value cells that name a
 * data key — so that every consumer walks the same grid.
 *
 * The C code knows rule kinds (a total equals the sum of its parts; two sums
 * are equal; a part is at most its whole), never particular rules: adding a
 * format means adding a folder, not C code. See templates/README.md for the
 * format.yaml schema.
 */
#ifndef NB_FORMAT_H
#define NB_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "source.h"
#include "util.h"

typedef enum {
    NB_CELL_HEADER, /* column header, possibly merged */
    NB_CELL_LABEL,  /* indicator name, indented by `level` */
    NB_CELL_UNIT,   /* 条, 件, 万元, —— */
    NB_CELL_VALUE,  /* a figure taken from the report's data at `key` */
    NB_CELL_TEXT,   /* fixed text inside the body (a sub-table's caption or header) */
} nb_cell_kind;

/* What a value cell holds (format.yaml `type:` on a table, column, row or
 * value; the innermost wins). */
typedef enum {
    NB_FIGURE_COUNT,  /* a non-negative whole number (件, 条, 人): the default */
    NB_FIGURE_AMOUNT, /* a non-negative amount, decimals allowed (万元) */
} nb_figure_kind;

typedef struct nb_cell {
    nb_cell_kind kind;
    int row, col;   /* top-left slot in the grid, 0-based (row 0 = first header row) */
    int rows, cols; /* span, >= 1 */
    const char *text; /* HEADER/LABEL/UNIT/TEXT; NULL for VALUE */
    const char *key;  /* VALUE: full dotted data key, e.g. "stats.applications.received" */
    const char *name; /* VALUE: the cell in words for messages, e.g. "三(七)总计 (自然人)" */
    const char *row_key; /* LABEL: the data key of its row ("proactive.fees"), by
                            which a report's `wording:` renames it; NULL for a
                            group row */
    int level;        /* LABEL: 0 = top level */
    bool group;       /* LABEL: a row that only heads the rows below it */
    nb_pos pos;       /* where format.yaml defines it */
    nb_figure_kind figure; /* VALUE: count or amount */
    const char *header;    /* VALUE: its column in words (the `header:` of its
                              column or value cell), or NULL */
    const char *unit;      /* VALUE: the unit of its figure (件, 万元): its row's
                              `unit:`, else its table's; NULL if none */
} nb_cell;

typedef struct nb_column {
    nb_cell_kind role;  /* LABEL, UNIT or VALUE */
    const char *key;    /* VALUE columns of a matrix table: appended to the row key */
    const char *header; /* text of the single header row when `header:` is absent */
    double width;       /* relative width hint (0 = choose from content) */
    nb_figure_kind figure; /* VALUE columns: what their cells hold, unless a row
                              or value says otherwise */
} nb_column;

typedef struct nb_table {
    const char *id;    /* referenced by `![…](table:ID)` in templates */
    const char *sheet; /* XLSX sheet name */
    const char *title; /* Mustache template for the title line */
    const char **lead; /* templates for lines between title and grid (填报单位) */
    size_t nlead;
    const char **foot; /* templates for lines under the grid (signature block) */
    size_t nfoot;
    nb_column *columns;
    int ncols;
    int header_rows; /* grid rows [0, header_rows) are the header, repeated on each page */
    int nrows;       /* all grid rows, header included */
    nb_cell *cells;  /* every cell, ordered by (row, col) */
    size_t ncells;
    nb_pos pos;
    int label_cols;  /* grid columns [0, label_cols) hold the labels: 1 for an
                        indented table, deepest level + 1 for a nested one, 0
                        for a table without a label column (2021 表四) */
    const char *data; /* the report's key under which the row keys live, or NULL */
    const char *unit; /* `unit:` of a table without a unit column: every figure's */
} nb_table;

typedef enum {
    NB_RULE_SUM,        /* total == sum(parts) */
    NB_RULE_EQUAL_SUMS, /* sum(parts) == sum(others) */
    NB_RULE_AT_MOST,    /* part <= total ("其中" rows) */
    NB_RULE_CARRY_OVER, /* this year's `total` == last year's parts[0] (format.yaml
                           `carry_over:`; checked only with `check --previous`) */
} nb_rule_kind;

typedef struct nb_rule {
    nb_rule_kind kind;
    const char *name;   /* the rule in words, from format.yaml */
    const char *total;  /* SUM, AT_MOST: the key of the whole */
    const char **parts; /* SUM, EQUAL_SUMS (left side), AT_MOST (one part) */
    size_t nparts;
    const char **others; /* EQUAL_SUMS: right side */
    size_t nothers;
    nb_pos pos;
} nb_rule;

/* A chart of the XLSX chart sheet (format.yaml `charts:`, parsed by
 * format_charts.c): one series whose categories are figures of one table. */
typedef enum {
    NB_CHART_PIE,
    NB_CHART_DOUGHNUT,
    NB_CHART_BAR,    /* horizontal bars: long Chinese category names stay legible */
    NB_CHART_COLUMN,
} nb_chart_kind;

typedef struct nb_chart_item {
    const char *label;  /* category name; the row's label when format.yaml gives none */
    const char **keys;  /* figures summed into this category (full data keys) */
    size_t nkeys;
    nb_pos pos;
} nb_chart_item;

typedef struct nb_chart {
    const char *title;  /* plain text */
    nb_chart_kind kind;
    const char *table;  /* id of the table whose figures it shows */
    nb_chart_item *items;
    size_t nitems;
    nb_pos pos;
} nb_chart;

/* The report's fields outside the tables (format.yaml `fields:`, parsed by
 * format_fields.c): what `check` requires and `init` writes as a skeleton.
 * A format without `fields:` has its tables checked, nothing else. */
typedef enum {
    NB_FIELD_TEXT,       /* one line or paragraph of text (any scalar) */
    NB_FIELD_PIECES,     /* text, or a list of pieces joined without spaces (strings
                            and figures quoted from the tables with *alias) */
    NB_FIELD_PARAGRAPHS, /* a list of paragraphs (each a string) */
    NB_FIELD_YEAR,       /* a year, 1949-2100, written as a number */
    NB_FIELD_DATE,       /* YYYY-MM-DD */
    NB_FIELD_NUMBER,     /* a number */
    NB_FIELD_MAP,        /* a map of the fields in `fields` */
    NB_FIELD_LIST,       /* a list of `item` */
} nb_field_type;

typedef struct nb_field nb_field;
struct nb_field {
    const char *key;      /* NULL for a list's item */
    nb_field_type type;
    bool required;        /* the key must be present ... */
    bool may_be_empty;    /* ... and may then be ~ (or [] for a list) */
    const char *comment;  /* one line for the skeleton (`nianbao init`) */
    const nb_node *example; /* the skeleton's value; strings are Mustache rendered
                               with region and year */
    nb_field *fields;     /* MAP: its fields, in order */
    size_t nfields;
    nb_field *item;       /* LIST: what each item is */
    const char *not_with; /* a sibling key it excludes (`heading` not with `title`) */
    const char **one_of;  /* MAP: keys of which one at least must be written
                             (an item: heading, title or text); NULL: none */
    size_t n_one_of; /* entries of one_of */
    nb_pos pos;
};

/* A piece of the format's fixed wording that a report may word its own way
 * (format.yaml `wording:`): the title, a part heading by its numeral. The
 * tables' row labels are renamed by their row's data key. */
typedef struct nb_wording {
    const char *key;     /* "title", "五" */
    const char *text;    /* the format's wording; Mustache for the title */
    const char *comment; /* what it is, for `init` and the README */
    nb_pos pos;
} nb_wording;

typedef struct nb_format {
    const char *name;        /* folder name, e.g. "gov-2014" */
    const char *dir;         /* templates/<name> */
    const char *description; /* one line, for error messages and `nianbao formats` */
    const char *main_template; /* path of the report template */
    nb_table *tables;
    size_t ntables;
    nb_rule *rules;
    size_t nrules;
    nb_chart *charts; /* may be empty */
    size_t ncharts;
    nb_field *fields; /* the report's top-level fields; NULL when the format
                         has no `fields:` (then only the tables are checked) */
    size_t nfields;
    nb_rule *carry;   /* NB_RULE_CARRY_OVER rules (format.yaml `carry_over:`) */
    size_t ncarry;
    nb_wording *wording; /* format.yaml `wording:`, in order; may be empty */
    size_t nwording;
    struct nb_cell_index *cell_index; /* value cells and sum rules by key,
                                         made by nb_format_load */
} nb_format;

/* Load templates_root/<name>/format.yaml. Errors (unknown format, with the
 * known ones listed; malformed definitions with file:line:col) go to `d`. */
nb_format *nb_format_load(const char *templates_root, const char *name,
                          nb_pos used_at, nb_arena *a, nb_diags *d);

/* Names of the formats under templates_root, sorted; NULL-terminated, arena. */
const char **nb_format_list(const char *templates_root, nb_arena *a);

const nb_table *nb_format_table(const nb_format *f, const char *id);
/* The cell at grid slot (row, col), following merges; NULL if none. */
const nb_cell *nb_table_cell_at(const nb_table *t, int row, int col);
/* The value cell whose key is `key`, or NULL. */
const nb_cell *nb_format_find_cell(const nb_format *f, const char *key,
                                   const nb_table **table);
/* The SUM rule whose total is `key` (for XLSX formulas), or NULL. */
const nb_rule *nb_format_sum_rule(const nb_format *f, const char *key);

/* The column definition a grid column belongs to (the label area of a
 * nested table is one definition over several grid columns); NULL if none. */
const nb_column *nb_table_column_at(const nb_table *t, int col);

/* Parse format.yaml's `fields:` map (format_fields.c) into f->fields. */
bool nb_format_parse_fields(nb_format *f, const nb_node *fields, nb_arena *a,
                            nb_diags *d);
bool nb_format_parse_fields_into(nb_field **out, size_t *n, const nb_node *map,
                                 nb_arena *a, nb_diags *d);
/* The field named key[0..keylen) among fields[0..n), or NULL. */
const nb_field *nb_field_child(const nb_field *fields, size_t n, const char *key,
                               size_t keylen);
/* The field at a dotted path of the report ("contact.phone"; list items are
 * matched by any index: "overview.items.0.title"), or NULL. */
const nb_field *nb_format_field(const nb_format *f, const char *dotted);

/* The indicator name of the grid row a value cell sits in: the innermost
 * label cell left of it (format_charts.c); the cell's name or key if none. */
const char *nb_table_row_label(const nb_table *t, const nb_cell *value);

/* Parse format.yaml's `charts:` list (format_charts.c) into f->charts; call
 * after the tables are compiled, since every key must be a value cell of the
 * chart's table. Errors go to `d` with the position of the offending node. */
bool nb_format_parse_charts(nb_format *f, const nb_node *charts, nb_arena *a,
                            nb_diags *d);

/* ---- the report's own wording and inline figures (format_text.c) ---- */

/* Parse format.yaml's `wording:` map into f->wording. */
bool nb_format_parse_wording(nb_format *f, const nb_node *map, nb_arena *a, nb_diags *d);
/* The format's wording entry for `key`, or NULL. */
const nb_wording *nb_format_wording(const nb_format *f, const char *key);
/* The label cell of the row whose data key is `row_key`, or NULL. */
const nb_cell *nb_format_row_label(const nb_format *f, const char *row_key,
                                   const nb_table **table);
/* Every key a report's `wording:` may have: the format's entries, then each
 * labelled row's data key. NULL-terminated, in the arena. */
const char **nb_format_wording_keys(const nb_format *f, nb_arena *a);
/* The report's `wording:` checked: each key is one of nb_format_wording_keys
 * (else an error at it, with the nearest key), each value is text. */
bool nb_format_check_wording(const nb_format *f, const nb_node *wording, nb_diags *d);
/* Rename the rows the report's `wording:` renames, in f's grids, and the
 * names of their figures (f belongs to this report: every output then shows
 * the report's labels). */
void nb_format_apply_row_wording(nb_format *f, const nb_node *wording, nb_arena *a);

/* Add each optional field the report leaves out as ~, so that a template
 * finds it empty instead of reaching up to an outer field of the same name
 * (an item without `heading:` inside a section that has one). */
void nb_format_complete_fields(const nb_format *f, nb_node *data, nb_arena *a);

/* Figures quoted inline in the report's text: `{{applications.new.total}}`
 * in any text scalar outside the tables stands for that figure, written as
 * the tables print it. Each reference is checked (a value cell of the
 * format, holding a number, not empty), errors at the reference's own
 * line:column in the YAML. With `substitute`, the text scalars are replaced
 * by their resolved text (new nodes in `a`, at the same positions). Returns
 * false if a reference is bad. */
bool nb_format_inline_figures(const nb_format *f, nb_node *data, bool substitute,
                              nb_arena *a, nb_diags *d);

/* A table bound to one report: its text lines rendered, its data at hand. */
typedef struct nb_table_inst {
    const nb_table *def;
    const char *title;
    const char **lead;
    const char **foot;
    const nb_node *data; /* the report's root */
} nb_table_inst;

/* The data node a value cell shows: NULL when the key is absent; a null
 * scalar (shown as an empty cell) when written as `~` or left empty. */
const nb_node *nb_table_value(const nb_table_inst *t, const nb_cell *c);

#endif
