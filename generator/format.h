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

typedef struct nb_cell {
    nb_cell_kind kind;
    int row, col;   /* top-left slot in the grid, 0-based (row 0 = first header row) */
    int rows, cols; /* span, >= 1 */
    const char *text; /* HEADER/LABEL/UNIT/TEXT; NULL for VALUE */
    const char *key;  /* VALUE: full dotted data key, e.g. "stats.applications.received" */
    const char *name; /* VALUE: the cell in words for messages, e.g. "三(七)总计 (自然人)" */
    int level;        /* LABEL: 0 = top level */
    bool group;       /* LABEL: a row that only heads the rows below it */
    nb_pos pos;       /* where format.yaml defines it */
} nb_cell;

typedef struct nb_column {
    nb_cell_kind role;  /* LABEL, UNIT or VALUE */
    const char *key;    /* VALUE columns of a matrix table: appended to the row key */
    const char *header; /* text of the single header row when `header:` is absent */
    double width;       /* relative width hint (0 = choose from content) */
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
} nb_table;

typedef enum {
    NB_RULE_SUM,        /* total == sum(parts) */
    NB_RULE_EQUAL_SUMS, /* sum(parts) == sum(others) */
    NB_RULE_AT_MOST,    /* part <= total ("其中" rows) */
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

/* The indicator name of the grid row a value cell sits in: the innermost
 * label cell left of it (format_charts.c); the cell's name or key if none. */
const char *nb_table_row_label(const nb_table *t, const nb_cell *value);

/* Parse format.yaml's `charts:` list (format_charts.c) into f->charts; call
 * after the tables are compiled, since every key must be a value cell of the
 * chart's table. Errors go to `d` with the position of the offending node. */
bool nb_format_parse_charts(nb_format *f, const nb_node *charts, nb_arena *a,
                            nb_diags *d);

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
