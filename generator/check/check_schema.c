/* check_schema.c — the report's keys against its format: every field the
 * format requires is there and of its type, and no key is one the format
 * does not know (a misspelt key would otherwise leave its figure missing or,
 * worse, silently unused). See check.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "i18n.h"

/* ---- the keys a level of the report may have ---- */
typedef struct keyset {
    const char **names;
    size_t count, cap;
} keyset;

static void keyset_add(keyset *k, const char *name)
{
    for (size_t i = 0; i < k->count; i++)
        if (strcmp(k->names[i], name) == 0)
            return;
    NB_GROW(k->names, k->count, k->cap);
    k->names[k->count++] = name;
}

/* The keys right under `prefix` ("" for the root) that lead to value cells,
 * copied into the arena. */
static void table_keys_under(const nb_format *f, const char *prefix, keyset *out,
                             nb_arena *a)
{
    size_t plen = strlen(prefix);
    for (size_t i = 0; i < f->ntables; i++) {
        const nb_table *t = &f->tables[i];
        for (size_t k = 0; k < t->ncells; k++) {
            const char *key = t->cells[k].key;
            if (t->cells[k].kind != NB_CELL_VALUE || !key)
                continue;
            if (plen && (strncmp(key, prefix, plen) != 0 || key[plen] != '.'))
                continue;
            const char *rest = key + plen + (plen ? 1 : 0);
            const char *dot = strchr(rest, '.');
            size_t n = dot ? (size_t)(dot - rest) : strlen(rest);
            char *seg = nb_arena_strndup(a, rest, n);
            keyset_add(out, seg);
        }
    }
}

static bool is_cell_key(const nb_format *f, const char *key)
{
    return nb_format_find_cell(f, key, NULL) != NULL;
}

typedef struct walker {
    const nb_format *f;
    nb_diags *d;
    nb_arena a; /* paths and key names, freed at the end */
    /* while checking a field X that has a sibling X_items (gov-2021
     * problems/problems_items): that key, where a clerk's items belong */
    const char *items_key;
    const char *entry_path; /* the path of the list entry being checked */
} walker;

static const char *child_path(walker *w, const char *path, const char *key)
{
    return *path ? nb_arena_printf(&w->a, "%s.%s", path, key) : key;
}

static void unknown_key(walker *w, const nb_pair *p, const char *path, keyset *known)
{
    const char *hint = nb_closest_word(p->key->text, known->names, known->count);
    const char *where = *path ? nb_arena_printf(&w->a, _(" under %s"), path) : "";
    if (hint)
        nb_error(w->d, p->key->pos, "unknown key '%s'%s; did you mean '%s'?", p->key->text,
                 where, hint);
    else if (known->count && known->count <= 12) {
        nb_buf list = {0};
        for (size_t i = 0; i < known->count; i++)
            nb_buf_printf(&list, "%s%s", i ? ", " : "", known->names[i]);
        nb_error(w->d, p->key->pos, "unknown key '%s'%s; the format %s knows %s",
                 p->key->text, where, w->f->name, nb_buf_str(&list));
        nb_buf_free(&list);
    } else
        nb_error(w->d, p->key->pos, "unknown key '%s'%s; the format %s has no such field",
                 p->key->text, where, w->f->name);
}

/* ---- table data ---- */
static void walk_table_map(walker *w, const nb_node *map, const char *path)
{
    keyset known = {0};
    table_keys_under(w->f, path, &known, &w->a);
    if (map->kind != NB_NODE_MAP) {
        nb_error(w->d, map->pos, "%s should be a map of figures (%s%s…), not %s", path,
                 known.count ? known.names[0] : "", known.count > 1 ? ", " : "",
                 nb_value_type_name(nb_node_type(map)));
        free(known.names);
        return;
    }
    for (size_t i = 0; i < map->count; i++) {
        const nb_pair *p = &map->pairs[i];
        const char *sub = child_path(w, path, p->key->text);
        bool found = false;
        for (size_t k = 0; k < known.count && !found; k++)
            found = strcmp(known.names[k], p->key->text) == 0;
        if (!found)
            unknown_key(w, p, path, &known);
        else if (!is_cell_key(w->f, sub))
            walk_table_map(w, p->value, sub);
    }
    free(known.names);
}

/* ---- fields ---- */
static bool is_empty(const nb_node *v)
{
    if (v->kind == NB_NODE_SCALAR)
        return nb_node_type(v) == NB_TYPE_NULL;
    return v->count == 0;
}

static const char *field_what(const nb_field *fd)
{
    switch (fd->type) {
    case NB_FIELD_TEXT: return _("text");
    case NB_FIELD_PIECES: return _("text, or a list of pieces of text and figures");
    case NB_FIELD_PARAGRAPHS: return _("a list of paragraphs");
    case NB_FIELD_YEAR: return _("a year such as 2024");
    case NB_FIELD_DATE: return _("a date written YYYY-MM-DD");
    case NB_FIELD_NUMBER: return _("a number");
    case NB_FIELD_MAP: return _("a map of keys");
    case NB_FIELD_LIST: return _("a list");
    }
    return _("a value");
}

static void check_field(walker *w, const nb_field *fd, const nb_node *v, const char *path,
                        nb_pos key_pos);

static void wrong_kind(walker *w, const nb_field *fd, const nb_node *v, const char *path)
{
    nb_error(w->d, v->pos, "%s should be %s, not %s", path, field_what(fd),
             nb_value_type_name(nb_node_type(v)));
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && !leap ? 28 : days[m - 1];
}

static bool valid_date(const char *s)
{
    int y, m, day;
    char tail;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &day, &tail) != 3)
        return false;
    return m >= 1 && m <= 12 && day >= 1 && day <= days_in_month(y, m);
}

/* A date written YYYY-MM-DD that exists; else an error that names the part
 * that is wrong. */
static void check_date(walker *w, const nb_node *v, const char *path)
{
    const char *s = v->text;
    int y, m, day;
    char tail;
    bool digits = strlen(s) == 10 && strspn(s, "0123456789") == 4 && s[4] == '-' &&
                  strspn(s + 5, "0123456789") == 2 && s[7] == '-' &&
                  strspn(s + 8, "0123456789") == 2;
    if (!digits || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &day, &tail) != 3) {
        nb_error(w->d, v->pos, "%s is '%s'; write a date as YYYY-MM-DD, such as "
                 "2025-01-20", path, s);
        return;
    }
    if (m < 1 || m > 12)
        nb_error(w->d, v->pos, "%s is '%s': there is no month %02d (the month is the "
                 "middle part, 01 to 12)", path, s, m);
    else if (day < 1 || day > days_in_month(y, m))
        nb_error(w->d, v->pos, "%s is '%s': there is no day %02d in %d-%02d, which has %d "
                 "days", path, s, day, y, m, days_in_month(y, m));
}

static void check_year_field(walker *w, const nb_node *v, const char *path)
{
    long long y;
    nb_node plain = *v;
    plain.style = NB_PLAIN;
    if (nb_node_int(v, &y)) {
        if (y < 1949 || y > 2100)
            nb_error(w->d, v->pos, "%s is %lld; a report's year is between 1949 and 2100",
                     path, y);
    } else if (v->style == NB_QUOTED && nb_node_type(&plain) == NB_TYPE_INT) {
        nb_error(w->d, v->pos, "%s is written in quotes (\"%s\"), which makes it text; "
                 "write the year without quotes", path, v->text);
    } else {
        nb_error(w->d, v->pos, "%s should be a year such as 2024, not '%s'", path, v->text);
    }
}

static void check_scalar_field(walker *w, const nb_field *fd, const nb_node *v,
                               const char *path)
{
    double x;
    switch (fd->type) {
    case NB_FIELD_YEAR:
        check_year_field(w, v, path);
        break;
    case NB_FIELD_DATE:
        check_date(w, v, path);
        break;
    case NB_FIELD_NUMBER:
        if (!nb_node_number(v, &x))
            nb_error(w->d, v->pos, "%s should be a number, not '%s'", path, v->text);
        break;
    default:
        break;
    }
}

/* A map with none of the keys of `one_of:` written (an item with neither
 * heading, title nor text) would print as a lone number. */
static void check_one_of(walker *w, const nb_field *fd, const nb_node *map, const char *path)
{
    if (fd->n_one_of == 0)
        return;
    nb_buf names = {0};
    for (size_t i = 0; i < fd->n_one_of; i++) {
        const nb_node *v = nb_map_get(map, fd->one_of[i]);
        if (v && !is_empty(v)) {
            nb_buf_free(&names);
            return;
        }
        nb_buf_printf(&names, "%s%s", i == 0 ? "" : i + 1 == fd->n_one_of ? _(" or ") : ", ",
                      fd->one_of[i]);
    }
    /* a list's entry may simply go */
    bool entry = w->entry_path && strcmp(path, w->entry_path) == 0;
    nb_error(w->d, map->pos, "%s is empty: it needs %s; write %s", path, nb_buf_str(&names),
             entry ? _("one, or delete the entry") : _("one of them"));
    nb_buf_free(&names);
}

static void check_items(walker *w, const nb_field *item, const nb_node *list,
                        const char *path)
{
    for (size_t i = 0; i < list->count; i++) {
        /* counted from 1, as a clerk counts (第1项) */
        const char *sub = nb_arena_printf(&w->a, _("%s[%zu]"), path, i + 1);
        w->entry_path = sub; /* the path of a list's entry, for check_one_of */
        if (item->n_one_of && list->items[i]->kind == NB_NODE_SCALAR &&
            is_empty(list->items[i])) /* a bare `-` */
            check_one_of(w, item, list->items[i], sub);
        else
            check_field(w, item, list->items[i], sub, list->items[i]->pos);
    }
}

static const char *first_cell_key(const nb_format *f)
{
    for (size_t i = 0; i < f->ntables; i++)
        for (size_t k = 0; k < f->tables[i].ncells; k++)
            if (f->tables[i].cells[k].kind == NB_CELL_VALUE && f->tables[i].cells[k].key)
                return f->tables[i].cells[k].key;
    return "table.row";
}

static bool is_item_key(const char *k)
{
    return strcmp(k, "heading") == 0 || strcmp(k, "title") == 0 || strcmp(k, "text") == 0 ||
           strcmp(k, "items") == 0;
}

/* Where the ': ' that made a one-line paragraph a map is: after its key. */
static nb_pos colon_after(const nb_node *map)
{
    const nb_node *key = map->pairs[0].key;
    nb_pos at = key->pos;
    if (key->style == NB_PLAIN && map->pairs[0].value->pos.line == key->pos.line)
        at.col += (int)nb_utf8_length(key->text, key->len);
    return at;
}

/* A paragraph that YAML read as a map: mostly a sentence holding ': ' (a
 * half-width colon and a space), which makes what precedes it a key. */
static void paragraph_is_map(walker *w, const nb_node *item, const char *path, size_t i)
{
    const nb_node *key = item->count ? item->pairs[0].key : NULL;
    const char *k = key ? key->text : "";
    if ((!key || is_item_key(k)) && w->items_key)
        nb_error(w->d, item->pos, "%s holds an item (heading/title/text), but each entry "
                 "of it is one paragraph; write the part's items under `%s:` (and `[]` "
                 "here if it has no paragraphs of its own)", path, w->items_key);
    else if (!key || is_item_key(k))
        nb_error(w->d, item->pos, "%s: paragraph %zu is a map of keys, not text; each "
                 "entry of this list is one paragraph (an item with heading/title/text "
                 "belongs in a list of items)", path, i + 1);
    else
        nb_error(w->d, colon_after(item), "%s: paragraph %zu is read as the key '%s' because "
                 "it holds ': ' (a half-width colon and a space); write the full-width colon "
                 "：, or put the whole paragraph in quotes", path, i + 1, k);
}

static void check_pieces(walker *w, const nb_node *v, const char *path, bool paragraphs)
{
    if (v->kind == NB_NODE_SCALAR)
        return;
    if (v->kind == NB_NODE_MAP && v->count == 1 && !is_item_key(v->pairs[0].key->text)) {
        paragraph_is_map(w, v, path, 0);
        return;
    }
    if (v->kind == NB_NODE_MAP && v->count && w->items_key &&
        is_item_key(v->pairs[0].key->text)) {
        nb_error(w->d, v->pos, "%s is a list of paragraphs, not a map such as {text, "
                 "items}; write its paragraphs here (or []) and the part's items under "
                 "`%s:`", path, w->items_key);
        return;
    }
    if (v->kind == NB_NODE_MAP) {
        nb_error(w->d, v->pos, "%s should be %s, not a map of keys", path,
                 paragraphs ? _("a list of paragraphs") : _("text"));
        return;
    }
    for (size_t i = 0; i < v->count; i++) {
        const nb_node *item = v->items[i];
        nb_value_type t = nb_node_type(item);
        if (item->kind == NB_NODE_MAP)
            paragraph_is_map(w, item, path, i);
        else if (item->kind != NB_NODE_SCALAR && paragraphs)
            nb_error(w->d, item->pos, "%s[%zu]: each paragraph should be text, not %s", path,
                     i + 1, nb_value_type_name(t));
        else if (item->kind != NB_NODE_SCALAR)
            nb_error(w->d, item->pos, "%s[%zu]: each piece should be text, not %s", path,
                     i + 1, nb_value_type_name(t));
        else if (paragraphs && (t == NB_TYPE_INT || t == NB_TYPE_FLOAT))
            /* a figure quoted by alias in the list-of-pieces style: here it
             * would stand as a paragraph of its own */
            nb_error(w->d, item->pos, "%s: paragraph %zu is the number %s; each item "
                     "of this list is a paragraph: to quote a figure, write it inside the "
                     "text as {{key}} (such as {{%s}})", path, i + 1, item->text,
                     first_cell_key(w->f));
    }
}

static void check_map_fields(walker *w, const nb_field *fields, size_t n,
                             const nb_node *map, const char *path, nb_pos at);

/* `key_pos` is where the field's key is: a map's missing keys are reported
 * there, at the key they belong under. */
static void check_field(walker *w, const nb_field *fd, const nb_node *v, const char *path,
                        nb_pos key_pos)
{
    if (is_empty(v) && v->kind != NB_NODE_MAP) {
        if (fd->required && !fd->may_be_empty)
            nb_error(w->d, v->pos, "%s is empty; the format %s requires it (%s)", path,
                     w->f->name, fd->comment ? fd->comment : field_what(fd));
        return;
    }
    switch (fd->type) {
    case NB_FIELD_TEXT:
        if (v->kind != NB_NODE_SCALAR)
            wrong_kind(w, fd, v, path);
        break;
    case NB_FIELD_PIECES:
    case NB_FIELD_PARAGRAPHS:
        check_pieces(w, v, path, fd->type == NB_FIELD_PARAGRAPHS);
        break;
    case NB_FIELD_YEAR:
    case NB_FIELD_DATE:
    case NB_FIELD_NUMBER:
        if (v->kind != NB_NODE_SCALAR)
            wrong_kind(w, fd, v, path);
        else
            check_scalar_field(w, fd, v, path);
        break;
    case NB_FIELD_MAP:
        if (v->kind != NB_NODE_MAP)
            wrong_kind(w, fd, v, path);
        else
            check_map_fields(w, fd->fields, fd->nfields, v, path, key_pos);
        if (v->kind == NB_NODE_MAP)
            check_one_of(w, fd, v, path);
        break;
    case NB_FIELD_LIST:
        if (v->kind != NB_NODE_SEQ)
            wrong_kind(w, fd, v, path);
        else
            check_items(w, fd->item, v, path);
        break;
    }
}

/* A required field that is missing: under a key, reported at that key; at
 * the top of the report, at the field before it in the format's order
 * (where it would be added), else at the first line. */
static void missing_field(walker *w, const nb_field *fields, size_t i, const nb_node *map,
                          const char *path, nb_pos at)
{
    const nb_field *fd = &fields[i];
    const char *sub = child_path(w, path, fd->key);
    const nb_pair *before = NULL;
    for (size_t k = i; !*path && k-- > 0 && !before;)
        before = nb_map_pair(map, fields[k].key);
    if (before)
        at = before->key->pos;
    const char *why = fd->comment ? fd->comment : field_what(fd);
    const char *empty = fd->may_be_empty ? _("; write ~ if there is none") : "";
    if (*path)
        nb_error(w->d, at, "%s is missing: the format %s requires `%s:` under %s (%s)%s", sub,
                 w->f->name, fd->key, path, why, empty);
    else if (before)
        nb_error(w->d, at, "%s is missing: the format %s requires `%s:`, after `%s:` (%s)%s",
                 sub, w->f->name, fd->key, before->key->text, why, empty);
    else
        nb_error(w->d, at, "%s is missing: the format %s requires `%s:` (%s)%s", sub,
                 w->f->name, fd->key, why, empty);
}

/* A map of the report against its fields; at the root the tables' data keys
 * are known too. `at` is where to point when a required key is missing. */
static void check_map_fields(walker *w, const nb_field *fields, size_t n,
                             const nb_node *map, const char *path, nb_pos at)
{
    keyset known = {0};
    for (size_t i = 0; i < n; i++)
        keyset_add(&known, fields[i].key);
    if (!*path)
        table_keys_under(w->f, "", &known, &w->a);
    for (size_t i = 0; i < n; i++) {
        const nb_field *fd = &fields[i];
        const nb_pair *p = nb_map_pair(map, fd->key);
        const char *sub = child_path(w, path, fd->key);
        const nb_pair *other = fd->not_with ? nb_map_pair(map, fd->not_with) : NULL;
        if (p && other)
            nb_error(w->d, other->key->pos, "%s has both %s and %s, which exclude each "
                     "other; write only one of them", *path ? path : _("the report"),
                     fd->key, fd->not_with);
        if (p) {
            const char *items = nb_arena_printf(&w->a, "%s_items", fd->key);
            w->items_key = fd->type == NB_FIELD_PARAGRAPHS &&
                                   nb_field_child(fields, n, items, strlen(items))
                               ? child_path(w, path, items)
                               : NULL;
            check_field(w, fd, p->value, sub, p->key->pos);
            w->items_key = NULL;
        } else if (fd->required) {
            missing_field(w, fields, i, map, path, at);
        }
    }
    for (size_t i = 0; i < map->count; i++) {
        const nb_pair *p = &map->pairs[i];
        const char *key = p->key->text;
        if (nb_field_child(fields, n, key, strlen(key)))
            continue;
        if (!*path && strcmp(key, "wording") == 0)
            continue; /* the report's own wording: nb_check_wording */
        bool table_key = false;
        for (size_t k = n; k < known.count && !table_key; k++)
            table_key = strcmp(known.names[k], key) == 0;
        if (!table_key)
            unknown_key(w, p, path, &known);
    }
    free(known.names);
}

/* The tables' data maps, wherever the report has them. */
static void walk_tables(walker *w, const nb_node *root)
{
    keyset roots = {0};
    table_keys_under(w->f, "", &roots, &w->a);
    for (size_t i = 0; i < roots.count; i++) {
        const nb_node *v = nb_map_get(root, roots.names[i]);
        if (v && !is_cell_key(w->f, roots.names[i]))
            walk_table_map(w, v, roots.names[i]);
    }
    free(roots.names);
}

/* A report is written after the year it is about; a date before that year
 * is a slip (last year's date left in). A warning: the year may be what is
 * wrong. */
static void check_date_after_year(const nb_node *data, nb_diags *d)
{
    const nb_node *date = nb_map_get(data, "date"), *year = nb_map_get(data, "year");
    long long y;
    const char *text = nb_scalar(date);
    if (!text || !valid_date(text) || !nb_node_int(year, &y) || atoll(text) >= y)
        return;
    nb_warning(d, date->pos, "the report is dated %s, before the year it reports on "
               "(%lld); a report is dated after its year, such as %lld-03-31", text, y,
               y + 1);
}

void nb_check_schema(const nb_format *f, const nb_node *data, nb_diags *d)
{
    if (!data || data->kind != NB_NODE_MAP)
        return;
    walker w = {.f = f, .d = d};
    if (f->fields)
        check_map_fields(&w, f->fields, f->nfields, data, "", data->pos);
    walk_tables(&w, data);
    check_date_after_year(data, d);
    nb_arena_free(&w.a);
}
