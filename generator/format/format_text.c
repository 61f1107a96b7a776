/* format_text.c — what a report says in its own words around the format:
 * its `wording:` of the format's fixed text, the optional fields it leaves
 * out, and the tables' figures it quotes inline with {{key}} (format.h). */
#include <stdlib.h>
#include <string.h>

#include "format.h"

/* ---- the format's wording ---- */
bool nb_format_parse_wording(nb_format *f, const nb_node *map, nb_arena *a, nb_diags *d)
{
    f->nwording = map->count;
    f->wording = nb_arena_alloc(a, (map->count + 1) * sizeof *f->wording);
    for (size_t i = 0; i < map->count; i++) {
        const nb_pair *p = &map->pairs[i];
        nb_wording *w = &f->wording[i];
        *w = (nb_wording){.key = p->key->text, .pos = p->key->pos};
        if (p->value->kind == NB_NODE_MAP) {
            w->text = nb_cfg_string(p->value, "text", true, d);
            w->comment = nb_cfg_string(p->value, "comment", false, d);
        } else {
            w->text = nb_scalar(p->value);
        }
        if (!w->text) {
            nb_error(d, p->value->pos, "wording '%s' should be its text, or a map "
                     "{text: …, comment: …}", w->key);
            return false;
        }
    }
    return true;
}

const nb_wording *nb_format_wording(const nb_format *f, const char *key)
{
    for (size_t i = 0; i < f->nwording; i++)
        if (strcmp(f->wording[i].key, key) == 0)
            return &f->wording[i];
    return NULL;
}

const nb_cell *nb_format_row_label(const nb_format *f, const char *row_key,
                                   const nb_table **table)
{
    for (size_t i = 0; i < f->ntables; i++) {
        const nb_table *t = &f->tables[i];
        for (size_t k = 0; k < t->ncells; k++) {
            const nb_cell *c = &t->cells[k];
            if (c->kind == NB_CELL_LABEL && c->row_key && strcmp(c->row_key, row_key) == 0) {
                if (table)
                    *table = t;
                return c;
            }
        }
    }
    return NULL;
}

const char **nb_format_wording_keys(const nb_format *f, nb_arena *a)
{
    size_t n = f->nwording;
    for (size_t i = 0; i < f->ntables; i++)
        n += f->tables[i].ncells;
    const char **keys = nb_arena_alloc(a, (n + 1) * sizeof *keys);
    size_t k = 0;
    for (size_t i = 0; i < f->nwording; i++)
        keys[k++] = f->wording[i].key;
    for (size_t i = 0; i < f->ntables; i++)
        for (size_t c = 0; c < f->tables[i].ncells; c++)
            if (f->tables[i].cells[c].kind == NB_CELL_LABEL && f->tables[i].cells[c].row_key)
                keys[k++] = f->tables[i].cells[c].row_key;
    keys[k] = NULL;
    return keys;
}

/* The key of `keys` nearest to `key`, if near enough to be a slip. */
static const char *nearest(const char *key, const char *const *keys)
{
    size_t len = nb_utf8_length(key, strlen(key));
    size_t limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
    const char *best = NULL;
    size_t best_d = limit + 1;
    for (size_t i = 0; keys[i]; i++) {
        size_t dist = nb_utf8_edit_distance(key, keys[i], limit);
        if (dist < best_d) {
            best_d = dist;
            best = keys[i];
        }
    }
    return best;
}

bool nb_format_check_wording(const nb_format *f, const nb_node *wording, nb_diags *d)
{
    if (wording->kind != NB_NODE_MAP) {
        nb_error(d, wording->pos, "wording should be a map of the format's wording to "
                 "the report's, such as `五: 存在的主要问题及整改措施`");
        return false;
    }
    nb_arena a = {0};
    const char **keys = nb_format_wording_keys(f, &a);
    bool ok = true;
    for (size_t i = 0; i < wording->count; i++) {
        const nb_pair *p = &wording->pairs[i];
        const char *key = p->key->text;
        if (!nb_format_wording(f, key) && !nb_format_row_label(f, key, NULL)) {
            const char *hint = nearest(key, keys);
            if (hint)
                nb_error(d, p->key->pos, "wording: the format %s has no wording '%s'; did "
                         "you mean '%s'?", f->name, key, hint);
            else
                nb_error(d, p->key->pos, "wording: the format %s has no wording '%s'; it "
                         "has %s, and the tables' rows by their data key (such as %s)",
                         f->name, key, f->nwording ? f->wording[0].key : "no fixed text",
                         keys[f->nwording] ? keys[f->nwording] : "none");
            ok = false;
        } else if (p->value->kind != NB_NODE_SCALAR || nb_node_type(p->value) == NB_TYPE_NULL) {
            nb_error(d, p->value->pos, "wording: '%s' should be the report's own text for it, "
                     "not %s", key, nb_value_type_name(nb_node_type(p->value)));
            ok = false;
        } else if (strspn(p->value->text, " ") == strlen(p->value->text)) {
            /* `title: ''` was "should be text, not text" */
            nb_error(d, p->value->pos, "wording: '%s' is empty; write the report's own "
                     "text for it, or delete the entry to keep the format's", key);
            ok = false;
        }
    }
    nb_arena_free(&a);
    return ok;
}

/* The value cells of a renamed row are named after it in messages and in
 * the workbook ("行政规范性文件 (本年制发件数)"): renamed too. */
static void rename_values(nb_table *t, const char *row_key, const char *old,
                          const char *text, nb_arena *a)
{
    size_t klen = strlen(row_key), olen = strlen(old);
    for (size_t k = 0; k < t->ncells; k++) {
        nb_cell *c = &t->cells[k];
        if (c->kind != NB_CELL_VALUE || !c->key || !c->name ||
            strncmp(c->key, row_key, klen) != 0 || (c->key[klen] && c->key[klen] != '.'))
            continue;
        if (strncmp(c->name, old, olen) == 0)
            c->name = nb_arena_printf(a, "%s%s", text, c->name + olen);
    }
}

void nb_format_apply_row_wording(nb_format *f, const nb_node *wording, nb_arena *a)
{
    if (!wording || wording->kind != NB_NODE_MAP)
        return;
    for (size_t i = 0; i < wording->count; i++) {
        const nb_pair *p = &wording->pairs[i];
        const char *text = nb_scalar(p->value);
        for (size_t t = 0; text && t < f->ntables; t++) {
            nb_table *tb = &f->tables[t];
            for (size_t k = 0; k < tb->ncells; k++) {
                nb_cell *c = &tb->cells[k];
                if (c->kind == NB_CELL_LABEL && c->row_key &&
                    strcmp(c->row_key, p->key->text) == 0) {
                    rename_values(tb, c->row_key, c->text, text, a);
                    c->text = text;
                    c->pos = p->value->pos; /* where the label's text now comes from */
                }
            }
        }
    }
}

/* ---- optional fields the report leaves out ---- */
static void complete_node(const nb_field *fd, nb_node *n, nb_arena *a);

/* What an optional field the report leaves out stands for: nothing, or,
 * for a map, a map of nothing (so that `{{#lead.二}}` finds an empty key). */
static nb_node *empty_field(const nb_field *fd, nb_pos at, nb_arena *a)
{
    if (fd->type != NB_FIELD_MAP)
        return nb_node_new_scalar(a, at, "~");
    nb_node *map = nb_node_new_map(a, at);
    complete_node(fd, map, a);
    return map;
}

static void complete_map(const nb_field *fields, size_t count, nb_node *map, nb_arena *a)
{
    for (size_t i = 0; i < count; i++) {
        nb_node *v = nb_map_get(map, fields[i].key);
        if (v)
            complete_node(&fields[i], v, a);
        else
            nb_map_set(a, map, fields[i].key, empty_field(&fields[i], map->pos, a));
    }
}

static void complete_node(const nb_field *fd, nb_node *n, nb_arena *a)
{
    if (fd->type == NB_FIELD_MAP && n->kind == NB_NODE_MAP)
        complete_map(fd->fields, fd->nfields, n, a);
    else if (fd->type == NB_FIELD_LIST && n->kind == NB_NODE_SEQ && fd->item)
        for (size_t i = 0; i < n->count; i++)
            complete_node(fd->item, n->items[i], a);
}

void nb_format_complete_fields(const nb_format *f, nb_node *data, nb_arena *a)
{
    if (!f->fields || !data || data->kind != NB_NODE_MAP)
        return;
    /* a missing required top-level field is the schema's to report; an
     * optional one (gov-2021 `lead`, `problems_items`) is added empty, as
     * below the top level, since the templates name every field */
    for (size_t i = 0; i < f->nfields; i++) {
        const nb_field *fd = &f->fields[i];
        nb_node *v = nb_map_get(data, fd->key);
        if (v)
            complete_node(fd, v, a);
        else if (!fd->required)
            nb_map_set(a, data, fd->key, empty_field(fd, data->pos, a));
    }
}

/* ---- figures quoted inline ---- */
typedef struct inliner {
    const nb_format *f;
    nb_diags *d;
    nb_arena *a;
    bool substitute;
    bool ok;
    const char **cell_keys; /* every value cell's key, for "did you mean" */
} inliner;

static bool is_key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.';
}

/* The first value cell key under `prefix.` (a row or group of figures). */
static const char *first_under(const inliner *I, const char *prefix, size_t *count)
{
    size_t plen = strlen(prefix);
    const char *first = NULL;
    *count = 0;
    for (size_t i = 0; I->cell_keys[i]; i++) {
        if (strncmp(I->cell_keys[i], prefix, plen) == 0 && I->cell_keys[i][plen] == '.') {
            if (!first)
                first = I->cell_keys[i];
            ++*count;
        }
    }
    return first;
}

static void unknown_figure(inliner *I, nb_pos at, const char *key)
{
    size_t under;
    const char *first = first_under(I, key, &under);
    const char *hint = nearest(key, I->cell_keys);
    if (first)
        nb_error(I->d, at, "{{%s}} names %zu figures, not one; name a single cell, such "
                 "as {{%s}}", key, under, first);
    else if (hint)
        nb_error(I->d, at, "{{%s}} is not a figure of the tables; did you mean {{%s}}?",
                 key, hint);
    else if (!strchr(key, '.'))
        nb_error(I->d, at, "{{%s}} is not a figure of the tables: only a figure of the "
                 "statistics tables can be quoted in the text (such as {{%s}})", key,
                 I->cell_keys[0] ? I->cell_keys[0] : "…");
    else
        nb_error(I->d, at, "{{%s}} is not a figure of the tables of format %s", key,
                 I->f->name);
    I->ok = false;
}

/* The figure's text as the tables print it, or NULL (with an error). */
static const char *figure_text(inliner *I, const nb_node *root, nb_pos at, const char *key)
{
    const nb_cell *c = nb_format_find_cell(I->f, key, NULL);
    if (!c) {
        unknown_figure(I, at, key);
        return NULL;
    }
    const nb_node *v = nb_node_at(root, key);
    const char *name = c->name ? c->name : key;
    nb_value_type t = v ? nb_node_type(v) : NB_TYPE_NULL;
    if (!v)
        nb_error(I->d, at, "{{%s}} quotes %s, which the report does not write in its table",
                 key, name);
    else if (t == NB_TYPE_NULL)
        nb_error(I->d, at, "{{%s}} quotes %s, an empty cell (~): write its figure in the "
                 "table, or leave the figure out of the text", key, name);
    else if (t != NB_TYPE_INT && t != NB_TYPE_FLOAT)
        nb_error(I->d, at, "{{%s}} quotes %s, which is not a number ('%s')", key, name,
                 v->kind == NB_NODE_SCALAR ? v->text : nb_value_type_name(t));
    else
        return v->text;
    I->ok = false;
    return NULL;
}

/* One text scalar; its resolved text, or NULL when it quotes nothing. */
static const char *resolve_text(inliner *I, const nb_node *root, const nb_node *n)
{
    const char *s = n->text;
    if (!strstr(s, "{{"))
        return NULL;
    nb_buf out = {0};
    const char *p = s;
    for (const char *open; (open = strstr(p, "{{")) != NULL;) {
        nb_buf_append(&out, p, (size_t)(open - p));
        const char *k = open + 2;
        k += strspn(k, " ");
        size_t klen = 0;
        while (is_key_char(k[klen]))
            klen++;
        const char *close = k + klen + strspn(k + klen, " ");
        nb_pos at = nb_scalar_text_pos(n, (size_t)(open - s));
        if (strncmp(close, "}}", 2) != 0 || klen == 0) {
            nb_error(I->d, at, "'{{' opens a figure quoted in the text, but no key and "
                     "'}}' follow; write it as {{table.row.figure}}, such as {{%s}}",
                     I->cell_keys[0] ? I->cell_keys[0] : "…");
            I->ok = false;
            p = open + 2;
            continue;
        }
        char *key = nb_arena_strndup(I->a, k, klen);
        const char *fig = figure_text(I, root, at, key);
        if (fig)
            nb_buf_puts(&out, fig);
        p = close + 2;
    }
    nb_buf_puts(&out, p);
    const char *text = nb_arena_strdup(I->a, nb_buf_str(&out));
    nb_buf_free(&out);
    return text;
}

static bool is_table_root(const nb_format *f, const char *key)
{
    for (size_t i = 0; i < f->ntables; i++) {
        const char *data = f->tables[i].data;
        if (data && strcmp(data, key) == 0)
            return true;
    }
    return false;
}

static void inline_node(inliner *I, const nb_node *root, nb_node **slot)
{
    nb_node *n = *slot;
    if (n->kind == NB_NODE_SCALAR) {
        if (nb_node_type(n) != NB_TYPE_STRING)
            return;
        const char *text = resolve_text(I, root, n);
        if (text && I->substitute) {
            nb_node *copy = nb_arena_alloc(I->a, sizeof *copy);
            *copy = *n;
            copy->text = text;
            copy->len = strlen(text);
            copy->style = NB_QUOTED; /* text, whatever it now looks like */
            *slot = copy;
        }
        return;
    }
    for (size_t i = 0; i < n->count; i++)
        inline_node(I, root, n->kind == NB_NODE_MAP ? &n->pairs[i].value : &n->items[i]);
}

bool nb_format_inline_figures(const nb_format *f, nb_node *data, bool substitute,
                              nb_arena *a, nb_diags *d)
{
    if (!data || data->kind != NB_NODE_MAP)
        return true;
    inliner I = {.f = f, .d = d, .a = a, .substitute = substitute, .ok = true};
    size_t n = 0;
    for (size_t i = 0; i < f->ntables; i++)
        n += f->tables[i].ncells;
    I.cell_keys = nb_arena_alloc(a, (n + 1) * sizeof *I.cell_keys);
    n = 0;
    for (size_t i = 0; i < f->ntables; i++)
        for (size_t k = 0; k < f->tables[i].ncells; k++)
            if (f->tables[i].cells[k].kind == NB_CELL_VALUE && f->tables[i].cells[k].key)
                I.cell_keys[n++] = f->tables[i].cells[k].key;
    I.cell_keys[n] = NULL;
    for (size_t i = 0; i < data->count; i++) {
        const char *key = data->pairs[i].key->text;
        if (strcmp(key, "format") == 0 || is_table_root(f, key))
            continue;
        inline_node(&I, data, &data->pairs[i].value);
    }
    return I.ok;
}
