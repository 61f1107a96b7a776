/* format_fields.c — format.yaml `fields:`: the report's keys outside the
 * statistics tables (its title data, narrative, sign-off), with their types,
 * whether they are required, a comment and an example for the skeleton that
 * `nianbao init` writes. `check` tests a report against them (format.h). */
#include <stdlib.h>
#include <string.h>

#include "format.h"

static const struct {
    const char *name;
    nb_field_type type;
} field_types[] = {
    {"text", NB_FIELD_TEXT},   {"pieces", NB_FIELD_PIECES}, {"paragraphs", NB_FIELD_PARAGRAPHS},
    {"year", NB_FIELD_YEAR},   {"date", NB_FIELD_DATE},     {"number", NB_FIELD_NUMBER},
    {"map", NB_FIELD_MAP},     {"list", NB_FIELD_LIST},
};

static const char *const field_attributes[] = {
    "type", "required", "may_be_empty", "comment", "example", "fields", "item", "not_with",
    "one_of",
};

static bool parse_field(nb_field *f, const char *key, const nb_node *def, nb_arena *a,
                        nb_diags *d);

static bool parse_bool(const nb_node *def, const char *key, bool *out, nb_diags *d)
{
    const nb_node *v = nb_map_get(def, key);
    if (!v)
        return true;
    const char *s = nb_scalar(v);
    if (s && (strcmp(s, "true") == 0 || strcmp(s, "false") == 0)) {
        *out = strcmp(s, "true") == 0;
        return true;
    }
    nb_error(d, v->pos, "'%s' should be true or false", key);
    return false;
}

/* `v` is the value of `type:`; NULL when the definition has none. */
static bool parse_type(nb_field *f, const nb_node *def, const nb_node *v, nb_diags *d)
{
    if (!v) {
        /* a map of fields needs no `type: map` */
        f->type = nb_map_get(def, "fields") ? NB_FIELD_MAP : NB_FIELD_TEXT;
        return true;
    }
    const char *s = nb_scalar(v);
    for (size_t i = 0; s && i < sizeof field_types / sizeof field_types[0]; i++) {
        if (strcmp(s, field_types[i].name) == 0) {
            f->type = field_types[i].type;
            return true;
        }
    }
    nb_error(d, v->pos, "unknown field type '%s'; expected text, pieces, paragraphs, year, "
             "date, number, map or list", s ? s : "(not text)");
    return false;
}

static bool known_attribute(const char *name)
{
    for (size_t i = 0; i < sizeof field_attributes / sizeof field_attributes[0]; i++)
        if (strcmp(name, field_attributes[i]) == 0)
            return true;
    return false;
}

/* `one_of: [heading, title, text]`: keys of the map's own fields. */
static bool parse_one_of(nb_field *f, const nb_node *def, nb_arena *a, nb_diags *d)
{
    const nb_node *list = nb_cfg_list(def, "one_of", false, d);
    if (!list)
        return !nb_map_get(def, "one_of");
    f->one_of = nb_arena_alloc(a, (list->count + 1) * sizeof *f->one_of);
    for (size_t i = 0; i < list->count; i++) {
        const char *key = nb_scalar(list->items[i]);
        if (!key || f->type != NB_FIELD_MAP ||
            !nb_field_child(f->fields, f->nfields, key, strlen(key))) {
            nb_error(d, list->items[i]->pos, "`one_of:` lists keys of the map's own "
                     "`fields:`; '%s' is not one", key ? key : "(not text)");
            return false;
        }
        f->one_of[f->n_one_of++] = key;
    }
    return true;
}

static bool parse_children(nb_field *f, const nb_node *def, nb_arena *a, nb_diags *d)
{
    bool ok = true;
    const nb_node *fields = nb_map_get(def, "fields");
    const nb_node *item = nb_map_get(def, "item");
    if (f->type == NB_FIELD_MAP) {
        if (!fields || fields->kind != NB_NODE_MAP) {
            nb_error(d, fields ? fields->pos : def->pos, "a field of type map needs "
                     "`fields:`, a map of its keys");
            return false;
        }
        ok = nb_format_parse_fields_into(&f->fields, &f->nfields, fields, a, d);
    } else if (fields) {
        nb_error(d, fields->pos, "only a field of type map has `fields:`");
        ok = false;
    }
    if (f->type == NB_FIELD_LIST) {
        if (!item) {
            nb_error(d, def->pos, "a field of type list needs `item:`, what each item is");
            return false;
        }
        f->item = nb_arena_alloc(a, sizeof *f->item);
        ok = parse_field(f->item, NULL, item, a, d) && ok;
    } else if (item) {
        nb_error(d, item->pos, "only a field of type list has `item:`");
        ok = false;
    }
    return ok;
}

static bool parse_field(nb_field *f, const char *key, const nb_node *def, nb_arena *a,
                        nb_diags *d)
{
    *f = (nb_field){.key = key, .pos = def->pos};
    if (def->kind == NB_NODE_SCALAR) /* shorthand: `region: text` */
        return parse_type(f, def, def, d);
    if (def->kind != NB_NODE_MAP) {
        nb_error(d, def->pos, "a field should be a map such as {type: text, required: "
                 "true, comment: …}");
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < def->count; i++) {
        if (!known_attribute(def->pairs[i].key->text)) {
            nb_error(d, def->pairs[i].key->pos, "unknown field attribute '%s'; expected "
                     "type, required, may_be_empty, comment, example, fields, item, "
                     "not_with or one_of",
                     def->pairs[i].key->text);
            ok = false;
        }
    }
    ok = parse_type(f, def, nb_map_get(def, "type"), d) && ok;
    ok = parse_bool(def, "required", &f->required, d) && ok;
    ok = parse_bool(def, "may_be_empty", &f->may_be_empty, d) && ok;
    f->comment = nb_cfg_string(def, "comment", false, d);
    f->example = nb_map_get(def, "example");
    f->not_with = nb_cfg_string(def, "not_with", false, d);
    return ok && parse_children(f, def, a, d) && parse_one_of(f, def, a, d);
}

bool nb_format_parse_fields_into(nb_field **out, size_t *n, const nb_node *map,
                                 nb_arena *a, nb_diags *d)
{
    *n = map->count;
    *out = nb_arena_alloc(a, (map->count + 1) * sizeof **out);
    bool ok = true;
    for (size_t i = 0; i < map->count; i++)
        ok = parse_field(&(*out)[i], map->pairs[i].key->text, map->pairs[i].value, a, d) &&
             ok;
    return ok;
}

bool nb_format_parse_fields(nb_format *f, const nb_node *fields, nb_arena *a,
                            nb_diags *d)
{
    return nb_format_parse_fields_into(&f->fields, &f->nfields, fields, a, d);
}

const nb_field *nb_field_child(const nb_field *fields, size_t n, const char *key,
                               size_t keylen)
{
    for (size_t i = 0; i < n; i++)
        if (fields[i].key && strlen(fields[i].key) == keylen &&
            memcmp(fields[i].key, key, keylen) == 0)
            return &fields[i];
    return NULL;
}

const nb_field *nb_format_field(const nb_format *f, const char *dotted)
{
    if (!f->fields)
        return NULL;
    const nb_field *list = f->fields, *found = NULL;
    size_t n = f->nfields;
    const char *s = dotted;
    while (*s) {
        const char *dot = strchr(s, '.');
        size_t len = dot ? (size_t)(dot - s) : strlen(s);
        if (found && found->type == NB_FIELD_LIST && len && strspn(s, "0123456789") == len) {
            found = found->item;
        } else {
            found = list ? nb_field_child(list, n, s, len) : NULL;
        }
        if (!found)
            return NULL;
        list = found->type == NB_FIELD_MAP ? found->fields : NULL;
        n = found->type == NB_FIELD_MAP ? found->nfields : 0;
        s += len + (dot ? 1 : 0);
    }
    return found;
}
