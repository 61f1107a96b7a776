/* tmpl_lookup.c — resolving a dotted name against the context stack, and
 * saying what is wrong when it does not resolve.
 *
 * Resolution is the spec's: the first part of `a.b.c` is looked up in each
 * context from the innermost outwards; the other parts only inside the value
 * found. A list part may be indexed by number (rows.0). A key that is present
 * with an empty value resolves (and prints nothing); so does anything below
 * an empty value. A name that is absent is reported with the closest key the
 * data has ("did you mean").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl_impl.h"

enum { MAX_SEGMENT = 256, SEARCH_NODES = 20000 };

/* ---- edit distance, in code points ---- */
/* How different a key may be and still be offered. */
static size_t tolerance(const char *s)
{
    size_t n = nb_utf8_length(s, strlen(s));
    return n <= 3 ? 1 : n <= 7 ? 2 : 3;
}

/* The key of `map` closest to `want`, if close enough; *best carries the
 * distance to beat between calls. */
static const char *closest_key(const nb_node *map, const char *want, size_t *best)
{
    const char *found = NULL;
    if (!map || map->kind != NB_NODE_MAP)
        return NULL;
    for (size_t i = 0; i < map->count; i++) {
        const char *k = map->pairs[i].key->text;
        size_t dist = nb_utf8_edit_distance(want, k, *best - 1);
        if (dist < *best && dist < nb_utf8_length(want, strlen(want))) {
            *best = dist;
            found = k;
        }
    }
    return found;
}

static const char *join(nb_arena *a, const char *path, const char *seg)
{
    return *path ? nb_arena_printf(a, "%s.%s", path, seg) : nb_arena_strdup(a, seg);
}

/* Breadth-first through the data for a key equal (or nearly) to `want`;
 * returns its full dotted path. */
typedef struct pending {
    const nb_node *node;
    const char *path;
} pending;

static const char *search_tree(const nb_node *root, const char *want, nb_arena *a)
{
    pending *queue = nb_xmalloc(SEARCH_NODES * sizeof *queue);
    size_t head = 0, tail = 0, limit = 1;
    const char *found = NULL;
    queue[tail++] = (pending){root, ""};
    while (head < tail && !found) {
        pending p = queue[head++];
        const nb_node *n = p.node;
        if (!n || n->kind == NB_NODE_SCALAR)
            continue;
        for (size_t i = 0; i < n->count && !found; i++) {
            const nb_node *child = n->kind == NB_NODE_MAP ? n->pairs[i].value : n->items[i];
            const char *seg = n->kind == NB_NODE_MAP
                                  ? n->pairs[i].key->text
                                  : nb_arena_printf(a, "%zu", i);
            if (n->kind == NB_NODE_MAP &&
                nb_utf8_edit_distance(want, seg, limit) <= (strlen(want) > 3 ? limit : 0))
                found = join(a, p.path, seg);
            else if (tail < SEARCH_NODES)
                queue[tail++] = (pending){child, join(a, p.path, seg)};
        }
    }
    free(queue);
    return found;
}

/* ---- resolution ---- */
static const nb_node *boolean(bool v)
{
    static const nb_node t = {.kind = NB_NODE_SCALAR, .text = "true", .len = 4};
    static const nb_node f = {.kind = NB_NODE_SCALAR, .text = "false", .len = 5};
    return v ? &t : &f;
}

static tlookup special(const tframe *frames, size_t depth, const char *name, nb_arena *a)
{
    tlookup r = {0};
    size_t k = depth;
    while (k > 0 && frames[k - 1].index < 0)
        k--;
    if (k == 0) {
        r.error = nb_arena_printf(a, "'%s' is only defined inside a section over a "
                                  "list, such as {{#items}}{{%s}}{{/items}}", name, name);
        return r;
    }
    const tframe *f = &frames[k - 1];
    r.found = true;
    r.path = name;
    if (strcmp(name, "@index") == 0) {
        nb_node *n = nb_arena_alloc(a, sizeof *n);
        n->kind = NB_NODE_SCALAR;
        n->text = nb_arena_printf(a, "%ld", f->index + 1);
        n->len = strlen(n->text);
        r.node = n;
    } else {
        r.node = boolean(strcmp(name, "@first") == 0 ? f->index == 0
                                                      : (size_t)f->index + 1 == f->count);
    }
    return r;
}

static bool is_null(const nb_node *n) { return !n || nb_node_type(n) == NB_TYPE_NULL; }

static const char *describe(const nb_node *n, nb_arena *a)
{
    nb_value_type t = nb_node_type(n);
    if (n->kind == NB_NODE_SCALAR) {
        const char *q = n->len > 30 ? "…" : "";
        return nb_arena_printf(a, "%s ('%.30s%s')", nb_value_type_name(t), n->text, q);
    }
    if (n->kind == NB_NODE_SEQ)
        return nb_arena_printf(a, "a list of %zu", n->count);
    return nb_value_type_name(t);
}

static char *missing_first(const tframe *frames, size_t depth, const char *name,
                           const char *seg, const char *rest, nb_arena *a)
{
    size_t best = tolerance(seg) + 1;
    const char *key = NULL;
    for (size_t k = depth; k > 0; k--) {
        const char *c = closest_key(frames[k - 1].node, seg, &best);
        if (c)
            key = c;
    }
    const char *suggestion = key ? nb_arena_printf(a, "%s%s", key, rest) : NULL;
    if (!suggestion) {
        const char *deep = search_tree(frames[0].node, seg, a);
        if (deep)
            suggestion = nb_arena_printf(a, "%s%s", deep, rest);
    }
    const char *where = "";
    if (depth > 1 && *frames[depth - 1].path)
        where = nb_arena_printf(a, " (looked in '%s' and outward to the top level)",
                                frames[depth - 1].path);
    return suggestion ? nb_arena_printf(a, "'%s' is not in the data%s; did you mean "
                                        "'%s'?", name, where, suggestion)
                      : nb_arena_printf(a, "'%s' is not in the data%s", name, where);
}

static char *missing_key(const nb_node *map, const char *name, const char *path,
                         const char *seg, const char *rest, nb_arena *a)
{
    size_t best = tolerance(seg) + 1;
    const char *key = closest_key(map, seg, &best);
    if (key)
        return nb_arena_printf(a, "'%s' is not in the data: '%s' has no key '%s'; did "
                               "you mean '%s.%s%s'?", name, path, seg, path, key, rest);
    return nb_arena_printf(a, "'%s' is not in the data: '%s' has no key '%s'", name,
                           path, seg);
}

typedef enum { STEP_OK, STEP_NO_KEY, STEP_NO_ITEM, STEP_NOT_CONTAINER } step_result;

/* One step below `n` (a map key or a list index). */
static step_result step(const nb_node *n, const char *seg, const nb_node **out)
{
    if (n->kind == NB_NODE_MAP) {
        const nb_pair *p = nb_map_pair(n, seg);
        if (!p)
            return STEP_NO_KEY;
        *out = p->value;
        return STEP_OK;
    }
    if (n->kind == NB_NODE_SEQ) {
        char *end;
        unsigned long i = strtoul(seg, &end, 10);
        if (seg[0] < '0' || seg[0] > '9' || *end || i >= n->count)
            return STEP_NO_ITEM;
        *out = n->items[i];
        return STEP_OK;
    }
    return STEP_NOT_CONTAINER;
}

static char *step_error(step_result why, const nb_node *n, const char *name,
                        const char *path, const char *seg, const char *rest, nb_arena *a)
{
    if (why == STEP_NO_KEY)
        return missing_key(n, name, path, seg, rest, a);
    if (why == STEP_NO_ITEM)
        return nb_arena_printf(a, "'%s' is not in the data: '%s' is a list of %zu "
                               "(items 0 to %zu), so it has no '%s'; to go through it "
                               "write {{#%s}}…{{/%s}}", name, path, n->count,
                               n->count ? n->count - 1 : 0, seg, path, path);
    return nb_arena_printf(a, "'%s' is not in the data: '%s' is %s, so it has no '%s'",
                           name, path, describe(n, a), seg);
}

static const char *segment(const char **s, char *buf)
{
    size_t n = strcspn(*s, ".");
    size_t k = n < MAX_SEGMENT - 1 ? n : MAX_SEGMENT - 1;
    memcpy(buf, *s, k);
    buf[k] = '\0';
    *s += n;
    return buf;
}

/* The dotted path of the first `len` bytes of `name`, found in a context
 * whose own path is `base`: built only for messages and sections. */
static const char *path_of(const char *base, const char *name, size_t len, nb_arena *a)
{
    return join(a, base, nb_arena_strndup(a, name, len));
}

tlookup nb_tmpl_lookup(const tframe *frames, size_t depth, const char *name,
                       bool want_path, nb_arena *a)
{
    tlookup r = {0};
    if (strcmp(name, ".") == 0) {
        r.found = true;
        r.node = frames[depth - 1].node;
        r.path = frames[depth - 1].path;
        return r;
    }
    if (name[0] == '@')
        return special(frames, depth, name, a);
    char buf[MAX_SEGMENT];
    const char *s = name;
    const char *seg = segment(&s, buf);
    size_t k = depth;
    const nb_pair *p = NULL;
    while (k > 0 && !(p = nb_map_pair(frames[k - 1].node, seg)))
        k--;
    if (!p) {
        r.error = missing_first(frames, depth, name, seg, s, a);
        return r;
    }
    const char *base = frames[k - 1].path;
    r.node = p->value;
    while (*s == '.' && !is_null(r.node)) {
        size_t done = (size_t)(s - name);
        s++;
        seg = segment(&s, buf);
        step_result why = step(r.node, seg, &r.node);
        if (why != STEP_OK) {
            r.error = step_error(why, r.node, name, path_of(base, name, done, a), seg, s, a);
            return r;
        }
    }
    if (*s) /* below an empty value: empty too */
        r.node = NULL;
    r.found = true;
    r.path = want_path ? path_of(base, name, strlen(name), a) : NULL;
    return r;
}
