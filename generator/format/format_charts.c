/* format_charts.c — format.yaml's `charts:` list: which figures of which table
 * the XLSX chart sheet draws, and how (see templates/README.md, "charts").
 *
 * Charts are data so that a format, not the C code, decides which pictures
 * its spreadsheet carries. Every key is checked against the table's grid here,
 * at load time, so that a typo is reported at its line in format.yaml rather
 * than surfacing as an empty chart.
 */
#include <string.h>

#include "format.h"

static const struct {
    const char *name;
    nb_chart_kind kind;
} chart_kinds[] = {
    {"pie", NB_CHART_PIE},
    {"doughnut", NB_CHART_DOUGHNUT},
    {"bar", NB_CHART_BAR},
    {"column", NB_CHART_COLUMN},
};

/* A scalar that must be non-empty text; reports and returns NULL otherwise. */
static const char *text_field(const nb_node *map, const char *key, const char *what,
                              nb_diags *d)
{
    const nb_node *n = nb_map_get(map, key);
    if (!n) {
        nb_error(d, map->pos, "a chart needs `%s:` (%s)", key, what);
        return NULL;
    }
    const char *s = nb_scalar(n);
    if (!s || !*s || nb_node_type(n) == NB_TYPE_NULL) {
        nb_error(d, n->pos, "`%s:` of a chart must be %s, found %s", key, what,
                 nb_value_type_name(nb_node_type(n)));
        return NULL;
    }
    return s;
}

static bool only_known_keys(const nb_node *map, const char *what,
                            const char *const *known, size_t nknown,
                            const char *expected, nb_diags *d)
{
    bool ok = true;
    for (size_t i = 0; i < map->count; i++) {
        const nb_node *k = map->pairs[i].key;
        bool found = false;
        for (size_t j = 0; j < nknown && !found; j++)
            found = strcmp(nb_scalar(k), known[j]) == 0;
        if (!found) {
            nb_error(d, k->pos, "unknown key `%s` in %s; expected %s", nb_scalar(k),
                     what, expected);
            ok = false;
        }
    }
    return ok;
}

static bool parse_kind(const nb_node *chart, nb_chart_kind *kind, nb_diags *d)
{
    const char *s = text_field(chart, "type", "pie, doughnut, bar or column", d);
    if (!s)
        return false;
    for (size_t i = 0; i < sizeof chart_kinds / sizeof chart_kinds[0]; i++) {
        if (strcmp(s, chart_kinds[i].name) == 0) {
            *kind = chart_kinds[i].kind;
            return true;
        }
    }
    nb_error(d, nb_map_get(chart, "type")->pos,
             "chart type `%s` is not known; expected pie, doughnut, bar or column", s);
    return false;
}

/* Nested tables (2021 表三) have several label columns; the innermost one
 * names the row. */
const char *nb_table_row_label(const nb_table *t, const nb_cell *value)
{
    const nb_cell *best = NULL;
    for (size_t i = 0; i < t->ncells; i++) {
        const nb_cell *c = &t->cells[i];
        if (c->kind == NB_CELL_LABEL && c->row <= value->row &&
            value->row < c->row + c->rows && c->col < value->col &&
            (!best || c->col > best->col))
            best = c;
    }
    if (best)
        return best->text;
    return value->name ? value->name : value->key;
}

/* One key of an item: it must name a value cell of the chart's table. */
static const char *item_key(const nb_format *f, const nb_table *table, const nb_node *n,
                            const nb_cell **cell, nb_diags *d)
{
    const char *key = nb_scalar(n);
    if (!key || !*key || nb_node_type(n) != NB_TYPE_STRING) {
        nb_error(d, n->pos, "a chart item's key must be a data key such as "
                            "stats.applications.received, found %s",
                 nb_value_type_name(nb_node_type(n)));
        return NULL;
    }
    const nb_table *owner = NULL;
    *cell = nb_format_find_cell(f, key, &owner);
    if (!*cell || owner != table) {
        nb_error(d, n->pos, "`%s` is not a figure of table `%s`; a chart shows the "
                            "value cells of the table it names",
                 key, table->id);
        return NULL;
    }
    return key;
}

static bool parse_item_keys(const nb_format *f, const nb_table *table, const nb_node *item,
                            nb_chart_item *out, const nb_cell **first, nb_arena *a,
                            nb_diags *d)
{
    const nb_node *one = item->kind == NB_NODE_SCALAR ? item : nb_map_get(item, "key");
    const nb_node *many = item->kind == NB_NODE_MAP ? nb_map_get(item, "keys") : NULL;
    if ((one != NULL) == (many != NULL)) {
        nb_error(d, item->pos, "a chart item needs either `key:` (one figure) or "
                               "`keys:` (figures summed into one category)");
        return false;
    }
    if (many && (many->kind != NB_NODE_SEQ || many->count == 0)) {
        nb_error(d, many->pos, "`keys:` must be a non-empty list of data keys");
        return false;
    }
    size_t n = one ? 1 : many->count;
    out->keys = nb_arena_alloc(a, n * sizeof *out->keys);
    out->nkeys = n;
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        const nb_cell *cell = NULL;
        out->keys[i] = item_key(f, table, one ? one : many->items[i], &cell, d);
        ok = ok && out->keys[i];
        if (i == 0)
            *first = cell;
    }
    return ok;
}

static bool parse_item(const nb_format *f, const nb_table *table, const nb_node *item,
                       nb_chart_item *out, nb_arena *a, nb_diags *d)
{
    static const char *const known[] = {"key", "keys", "label"};
    out->pos = item->pos;
    if (item->kind == NB_NODE_SEQ) {
        nb_error(d, item->pos, "a chart item must be a data key or a map with "
                               "`key:`/`keys:` and `label:`, found a list");
        return false;
    }
    if (item->kind == NB_NODE_MAP &&
        !only_known_keys(item, "a chart item", known, 3, "key, keys or label", d))
        return false;
    const nb_cell *first = NULL;
    if (!parse_item_keys(f, table, item, out, &first, a, d))
        return false;
    const nb_node *label = item->kind == NB_NODE_MAP ? nb_map_get(item, "label") : NULL;
    if (label && (!nb_scalar(label) || !*nb_scalar(label))) {
        nb_error(d, label->pos, "`label:` of a chart item must be text");
        return false;
    }
    out->label = label ? nb_scalar(label) : nb_table_row_label(table, first);
    return true;
}

static bool parse_chart(nb_format *f, const nb_node *node, nb_chart *out, nb_arena *a,
                        nb_diags *d)
{
    static const char *const known[] = {"title", "type", "table", "items"};
    if (node->kind != NB_NODE_MAP) {
        nb_error(d, node->pos, "each entry of `charts:` must be a map with title, "
                               "type, table and items");
        return false;
    }
    out->pos = node->pos;
    if (!only_known_keys(node, "a chart", known, 4, "title, type, table or items", d))
        return false;
    out->title = text_field(node, "title", "the chart's title", d);
    bool ok = out->title && parse_kind(node, &out->kind, d);
    out->table = ok ? text_field(node, "table", "the id of a table", d) : NULL;
    if (!out->table)
        return false;
    const nb_table *table = nb_format_table(f, out->table);
    if (!table) {
        nb_error(d, nb_map_get(node, "table")->pos,
                 "chart `%s` names table `%s`, which this format does not define",
                 out->title, out->table);
        return false;
    }
    const nb_node *items = nb_map_get(node, "items");
    if (!items || items->kind != NB_NODE_SEQ || items->count == 0) {
        nb_error(d, items ? items->pos : node->pos,
                 "chart `%s` needs `items:`, a non-empty list of figures", out->title);
        return false;
    }
    out->items = nb_arena_alloc(a, items->count * sizeof *out->items);
    out->nitems = items->count;
    for (size_t i = 0; i < items->count; i++)
        ok = parse_item(f, table, items->items[i], &out->items[i], a, d) && ok;
    return ok;
}

bool nb_format_parse_charts(nb_format *f, const nb_node *charts, nb_arena *a,
                            nb_diags *d)
{
    f->charts = NULL;
    f->ncharts = 0;
    if (!charts || nb_node_type(charts) == NB_TYPE_NULL)
        return true;
    if (charts->kind != NB_NODE_SEQ) {
        nb_error(d, charts->pos, "`charts:` must be a list of charts, found %s",
                 nb_value_type_name(nb_node_type(charts)));
        return false;
    }
    nb_chart *list = nb_arena_alloc(a, (charts->count ? charts->count : 1) * sizeof *list);
    bool ok = true;
    for (size_t i = 0; i < charts->count; i++)
        ok = parse_chart(f, charts->items[i], &list[i], a, d) && ok;
    if (!ok)
        return false;
    f->charts = list;
    f->ncharts = charts->count;
    return true;
}
