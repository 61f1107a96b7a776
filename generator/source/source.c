/* source.c — see source.h. Built on libyaml's event parser: events carry the
 * marks (line, column) that every node keeps. */
#include "source.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "i18n.h"
#include "source_slips.h"

const nb_source_limits nb_source_default_limits = {
    .max_file_bytes = 8u << 20,
    .max_depth = 64,
    .max_nodes = 200000,
    .max_scalar_bytes = 256u << 10,
    .max_expanded_bytes = 16u << 20,
};

typedef struct anchor {
    const char *name;
    nb_node *node;
    size_t weight; /* nodes in its subtree, counting expanded aliases */
    size_t bytes;  /* text in its subtree, counting expanded aliases */
} anchor;

typedef struct loader {
    yaml_parser_t parser;
    const char *file;
    const char *text; /* the input, to see what a problem mark points at */
    size_t len;
    const nb_source_limits *lim;
    nb_arena *a;
    nb_diags *d;
    anchor *anchors;
    size_t nanchors, cap_anchors;
    size_t nodes; /* expanded node count so far */
    size_t bytes; /* expanded text so far */
    const char *source; /* the input in the arena, for nodes' source text */
    size_t at_char, at_byte; /* a place in it: libyaml's marks count characters */
    bool failed;
    size_t scan_at, scan_line, scan_col; /* a cursor in text (starts_with_braces) */
} loader;

static nb_pos mark_pos(const loader *L, yaml_mark_t m)
{
    return (nb_pos){L->file, (int)m.line + 1, (int)m.column + 1};
}

/* libyaml's own wording is terse; say what a clerk can act on. NULL when
 * there is nothing better to say than libyaml's words. */
static const char *explain_problem(const char *problem)
{
    static const struct { const char *libyaml, *clear; } known[] = {
        {"cannot start any token", N_("this character cannot start a value here")},
        {"tab character", N_("a tab is used for indentation here; indent with spaces")},
        {"mapping values are not allowed",
         N_("a ':' here starts a key where none is allowed (quote the value if it "
            "contains ': ')")},
        {"did not find expected key",
         N_("expected a `key: value` line at this indentation")},
        {"did not find expected '-' indicator",
         N_("expected a `- item` line at this indentation")},
        {"did not find expected ',' or ']'",
         N_("a list opened with '[' is not closed: expected ',' or ']' here")},
        {"did not find expected ',' or '}'",
         N_("a map opened with '{' is not closed: expected ',' or '}' here")},
        {"found unexpected end of stream",
         N_("the file ends inside a quoted value or a bracket")},
        {"undefined alias",
         N_("an alias (*name) refers to an anchor that is not defined")},
        {"found incompatible YAML document",
         N_("the YAML directive line at the top asks for a YAML version nianbao does not "
            "read (it reads 1.1 and 1.2); delete that line")},
        {"did not find expected <document start>",
         N_("text after the end of the document ('...' or a directive line above); a "
            "report is one document: delete the '...' line")},
    };
    for (size_t i = 0; problem && i < sizeof known / sizeof known[0]; i++)
        if (strstr(problem, known[i].libyaml))
            return _(known[i].clear);
    return NULL;
}

static size_t byte_offset(loader *L, size_t char_index);

/* A tab where libyaml expected indentation or a token: libyaml names it in
 * a dozen ways; the mark points at the tab itself (or at the token after).
 * The mark counts characters, not bytes. */
static bool tab_at(loader *L, yaml_mark_t m)
{
    size_t at = byte_offset(L, m.index);
    if (at >= L->len)
        return false;
    if (L->text[at] == '\t')
        return true;
    bool tab = false; /* in the line's indentation before the mark? */
    for (size_t i = at; i > 0; i--) {
        char c = L->text[i - 1];
        if (c == '\n')
            return tab;
        if (c != ' ' && c != '\t')
            return false;
        tab = tab || c == '\t';
    }
    return tab;
}

/* A quote or bracket that is never closed: reported where it opens, the
 * place to look, rather than at the end of the file where libyaml gave up. */
static bool unclosed(loader *L)
{
    const yaml_parser_t *p = &L->parser;
    if (!p->context || !p->problem)
        return false;
    yaml_mark_t open = p->context_mark, gave_up = p->problem_mark;
    size_t at = byte_offset(L, open.index);
    char c = at < L->len ? L->text[at] : 0;
    if (strstr(p->context, "quoted scalar") && strstr(p->problem, "end of stream")) {
        nb_error(L->d, mark_pos(L, open), "the quote %c opened here is never closed: the "
                 "rest of the file became part of this value; put the closing %c at the "
                 "end of the value", c, c);
        return true;
    }
    bool flow = strstr(p->context, "flow sequence") || strstr(p->context, "flow mapping");
    if (flow && (c == '[' || c == '{') &&
        (strstr(p->problem, "did not find expected") || strstr(p->problem, "end of stream"))) {
        char close = c == '[' ? ']' : '}';
        nb_error(L->d, mark_pos(L, open), "the '%c' opened here is not closed: at line %d, "
                 "column %d, where a ',' or '%c' should come, something else does; close "
                 "it with '%c'", c, (int)gave_up.line + 1,
                 (int)gave_up.column + 1, close, close);
        return true;
    }
    return false;
}

static void parser_error(loader *L)
{
    if (L->failed)
        return;
    L->failed = true;
    const yaml_parser_t *p = &L->parser;
    yaml_mark_t m = p->problem ? p->problem_mark : p->context_mark;
    if (p->error == YAML_MEMORY_ERROR) {
        nb_error(L->d, (nb_pos){L->file, 0, 0}, "out of memory while reading YAML");
        return;
    }
    if (p->error == YAML_READER_ERROR) {
        nb_error(L->d, (nb_pos){L->file, 0, 0},
                 "the file is not UTF-8 text (byte offset %zu: %s)",
                 p->problem_offset, p->problem ? p->problem : "bad byte");
        return;
    }
    if (nb_slips_explain(L->file, L->text, L->len, (int)m.line + 1, L->d))
        return;
    if (tab_at(L, m)) {
        nb_error(L->d, mark_pos(L, m), "a tab is used for indentation here; indent "
                 "with spaces");
        return;
    }
    if (unclosed(L))
        return;
    const char *what = explain_problem(p->problem);
    if (what && p->context && strstr(p->context, "flow"))
        nb_error(L->d, mark_pos(L, m), "%s (opened at line %d, column %d)", what,
                 (int)p->context_mark.line + 1, (int)p->context_mark.column + 1);
    else if (what)
        nb_error(L->d, mark_pos(L, m), "%s", what);
    else
        nb_error(L->d, mark_pos(L, m), "the YAML cannot be read here (libyaml: %s%s%s); "
                 "look at the indentation, the quotes and the colons of this line and "
                 "the line above", p->problem ? p->problem : "not valid YAML",
                 p->context ? ", " : "", p->context ? p->context : "");
}

static void fail(loader *L, yaml_mark_t m, const char *fmt, const char *arg)
{
    if (L->failed)
        return;
    L->failed = true;
    nb_error(L->d, mark_pos(L, m), fmt, arg);
}

static bool next_event(loader *L, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&L->parser, ev)) {
        parser_error(L);
        return false;
    }
    return true;
}

static bool count_nodes(loader *L, size_t n, yaml_mark_t m)
{
    L->nodes += n;
    if (L->nodes > L->lim->max_nodes) {
        char limit[32];
        snprintf(limit, sizeof limit, "%zu", L->lim->max_nodes);
        fail(L, m, "the file expands to more than %s values (aliases "
                   "repeated inside aliases?); a report is far smaller", limit);
        return false;
    }
    return true;
}

/* Text counts as well as values: one long paragraph repeated by thousands
 * of aliases is a bomb of few values. */
static bool count_bytes(loader *L, size_t n, yaml_mark_t m)
{
    L->bytes += n;
    if (L->lim->max_expanded_bytes && L->bytes > L->lim->max_expanded_bytes) {
        char limit[32];
        snprintf(limit, sizeof limit, "%zu MiB", L->lim->max_expanded_bytes >> 20);
        fail(L, m, "the file expands to more than %s of text (a long value repeated "
                   "by aliases?); a report is far smaller", limit);
        return false;
    }
    return true;
}

static void remember_anchor(loader *L, const yaml_char_t *name, nb_node *node,
                            size_t weight, size_t bytes)
{
    if (!name)
        return;
    NB_GROW(L->anchors, L->nanchors, L->cap_anchors);
    L->anchors[L->nanchors++] =
        (anchor){nb_arena_strdup(L->a, (const char *)name), node, weight, bytes};
}

/* The byte offset of libyaml's mark index, which counts characters. Marks
 * come in the order of the file, so the walk goes on from the last one. */
static size_t byte_offset(loader *L, size_t char_index)
{
    if (char_index < L->at_char)
        L->at_char = L->at_byte = 0;
    while (L->at_char < char_index && L->at_byte < L->len) {
        L->at_byte++;
        while (L->at_byte < L->len && ((unsigned char)L->text[L->at_byte] & 0xC0) == 0x80)
            L->at_byte++;
        L->at_char++;
    }
    return L->at_byte;
}

/* The scalar as written, for positions inside it (check's characters). */
static void keep_source(loader *L, nb_node *n, const yaml_event_t *ev)
{
    if (!L->source || ev->start_mark.index > ev->end_mark.index)
        return;
    size_t from = byte_offset(L, ev->start_mark.index);
    size_t to = byte_offset(L, ev->end_mark.index);
    n->source = L->source + from;
    n->source_len = to - from;
}

static const anchor *find_anchor(const loader *L, const char *name)
{
    for (size_t i = L->nanchors; i-- > 0;)
        if (strcmp(L->anchors[i].name, name) == 0)
            return &L->anchors[i];
    return NULL;
}

static nb_node *new_node(loader *L, nb_node_kind kind, yaml_mark_t m)
{
    nb_node *n = nb_arena_alloc(L->a, sizeof *n);
    n->kind = kind;
    n->pos = mark_pos(L, m);
    return n;
}

static const char *tag_of(loader *L, const yaml_char_t *tag, int implicit)
{
    if (!tag || implicit)
        return NULL;
    return nb_arena_strdup(L->a, (const char *)tag);
}

static nb_node *parse_node(loader *L, yaml_event_t *ev, int depth, size_t *weight);

static nb_node *parse_scalar(loader *L, yaml_event_t *ev, size_t *weight)
{
    if (L->lim->max_scalar_bytes && ev->data.scalar.length > L->lim->max_scalar_bytes) {
        char what[96];
        snprintf(what, sizeof what, "%zu bytes long; the limit is %zu",
                 ev->data.scalar.length, L->lim->max_scalar_bytes);
        fail(L, ev->start_mark, "this value is %s (a whole document pasted into "
                                "one value?)", what);
        return NULL;
    }
    nb_node *n = new_node(L, NB_NODE_SCALAR, ev->start_mark);
    n->text = nb_arena_strndup(L->a, (const char *)ev->data.scalar.value,
                               ev->data.scalar.length);
    n->len = ev->data.scalar.length;
    switch (ev->data.scalar.style) {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE:
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
        n->style = NB_QUOTED;
        break;
    case YAML_LITERAL_SCALAR_STYLE:
    case YAML_FOLDED_SCALAR_STYLE:
        n->style = NB_BLOCK;
        break;
    default:
        n->style = NB_PLAIN;
    }
    n->tag = tag_of(L, ev->data.scalar.tag, ev->data.scalar.plain_implicit &&
                                                ev->data.scalar.quoted_implicit);
    if (n->tag && n->style == NB_PLAIN && strcmp(n->tag, "tag:yaml.org,2002:str") == 0)
        n->style = NB_QUOTED; /* !!str makes a plain scalar a string */
    keep_source(L, n, ev);
    *weight = 1;
    remember_anchor(L, ev->data.scalar.anchor, n, 1, n->len);
    return count_nodes(L, 1, ev->start_mark) && count_bytes(L, n->len, ev->start_mark)
               ? n
               : NULL;
}

/* The keys of one map being read, hashed: a file of a million keys must not
 * take a million squared comparisons to find a duplicate. Slots hold pair
 * index + 1 (0 = empty); the table is kept at most half full. It lives in
 * the arena, like the map, so a parse that fails half way leaves nothing to
 * free. */
typedef struct key_set {
    size_t *slots;
    size_t cap; /* a power of two, or 0 */
} key_set;

static void key_set_put(key_set *set, const nb_node *map, size_t index)
{
    size_t i = (size_t)nb_hash_string(map->pairs[index].key->text) & (set->cap - 1);
    while (set->slots[i])
        i = (i + 1) & (set->cap - 1);
    set->slots[i] = index + 1;
}

/* Note the map's last pair. */
static void key_set_add(key_set *set, nb_arena *a, const nb_node *map)
{
    if (map->count * 2 > set->cap) {
        set->cap = set->cap ? set->cap * 2 : 16;
        set->slots = nb_arena_alloc(a, set->cap * sizeof *set->slots);
        for (size_t k = 0; k + 1 < map->count; k++)
            key_set_put(set, map, k);
    }
    key_set_put(set, map, map->count - 1);
}

/* The index of the pair whose key is `text`, or (size_t)-1. */
static size_t key_set_find(const key_set *set, const nb_node *map, const char *text)
{
    if (!set->cap)
        return (size_t)-1;
    for (size_t i = (size_t)nb_hash_string(text) & (set->cap - 1); set->slots[i];
         i = (i + 1) & (set->cap - 1))
        if (strcmp(map->pairs[set->slots[i] - 1].key->text, text) == 0)
            return set->slots[i] - 1;
    return (size_t)-1;
}

static bool key_is_duplicate(loader *L, const key_set *keys, const nb_node *map,
                             const nb_node *key)
{
    size_t i = key_set_find(keys, map, key->text);
    if (i == (size_t)-1)
        return false;
    char first[64];
    snprintf(first, sizeof first, "%d:%d", map->pairs[i].key->pos.line,
             map->pairs[i].key->pos.col);
    L->failed = true;
    nb_error(L->d, key->pos, "the key '%s' appears twice in this map "
             "(first at line %s); keep one", key->text, first);
    return true;
}

/* Room for one more element in an arena array (doubling, so the arena holds
 * at most twice what the tree needs, and nothing is left to free when a
 * parse fails half way). */
static void *arena_grow(nb_arena *a, void *items, size_t count, size_t *cap,
                        size_t elem)
{
    if (count < *cap)
        return items;
    *cap = *cap ? *cap * 2 : 8;
    void *bigger = nb_arena_alloc(a, *cap * elem);
    if (count)
        memcpy(bigger, items, count * elem);
    return bigger;
}

/* `text: {{a.b}}件`: a figure quoted inline (format.h) at the start of a
 * plain value, which YAML reads as a flow map inside a flow map. */
static bool starts_with_braces(loader *L, yaml_mark_t m)
{
    /* libyaml counts lines and characters, not bytes; marks only move
     * forward, and so does this cursor */
    while (L->scan_at < L->len && L->scan_line < m.line) {
        if (L->text[L->scan_at++] == '\n') {
            L->scan_line++;
            L->scan_col = 0;
        }
    }
    while (L->scan_at < L->len && L->scan_line == m.line && L->scan_col < m.column) {
        uint32_t cp;
        size_t n = nb_utf8_decode(L->text + L->scan_at, L->len - L->scan_at, &cp);
        L->scan_at += n ? n : 1;
        L->scan_col++;
    }
    size_t at = L->scan_at;
    return at + 1 < L->len && L->text[at] == '{' && L->text[at + 1] == '{';
}

static nb_node *parse_collection(loader *L, yaml_event_t *start, int depth,
                                 size_t *weight)
{
    bool is_map = start->type == YAML_MAPPING_START_EVENT;
    if (depth > L->lim->max_depth) {
        char limit[16];
        snprintf(limit, sizeof limit, "%d", L->lim->max_depth);
        fail(L, start->start_mark, "lists and maps are nested deeper than %s levels", limit);
        return NULL;
    }
    if (is_map && start->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE &&
        starts_with_braces(L, start->start_mark)) {
        fail(L, start->start_mark, "a value that starts with %s must be in quotes: YAML "
             "reads a plain {{ as the start of a map; put the whole value in double quotes "
             "(\"{{…}}…\")", "{{");
        return NULL;
    }
    nb_node *n = new_node(L, is_map ? NB_NODE_MAP : NB_NODE_SEQ, start->start_mark);
    const yaml_char_t *anchor_name =
        is_map ? start->data.mapping_start.anchor : start->data.sequence_start.anchor;
    yaml_char_t *anchor_copy = anchor_name ? (yaml_char_t *)nb_arena_strdup(
                                                 L->a, (const char *)anchor_name)
                                           : NULL;
    if (!count_nodes(L, 1, start->start_mark))
        return NULL;
    size_t bytes_before = L->bytes;
    size_t total = 1, cap = 0;
    key_set keys = {0};
    yaml_event_type_t end = is_map ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT;
    for (;;) {
        yaml_event_t ev;
        if (!next_event(L, &ev))
            return NULL;
        if (ev.type == end) {
            yaml_event_delete(&ev);
            break;
        }
        size_t w = 0;
        nb_node *item = parse_node(L, &ev, depth + 1, &w);
        yaml_event_delete(&ev);
        if (!item)
            return NULL;
        total += w;
        if (!is_map) {
            n->items = arena_grow(L->a, n->items, n->count, &cap, sizeof *n->items);
            n->items[n->count++] = item;
            continue;
        }
        if (item->kind != NB_NODE_SCALAR) {
            L->failed = true;
            nb_error(L->d, item->pos, "a key must be plain text, not a list or map");
            return NULL;
        }
        if (key_is_duplicate(L, &keys, n, item))
            return NULL;
        yaml_event_t vev;
        if (!next_event(L, &vev))
            return NULL;
        nb_node *value = parse_node(L, &vev, depth + 1, &w);
        yaml_event_delete(&vev);
        if (!value)
            return NULL;
        total += w;
        n->pairs = arena_grow(L->a, n->pairs, n->count, &cap, sizeof *n->pairs);
        n->pairs[n->count++] = (nb_pair){item, value};
        key_set_add(&keys, L->a, n);
    }
    *weight = total;
    remember_anchor(L, anchor_copy, n, total, L->bytes - bytes_before);
    return n;
}

/* An alias whose anchor is not (yet) defined, with the closest anchor that
 * is as "did you mean". */
static void undefined_alias(loader *L, yaml_mark_t m, const char *name)
{
    if (L->failed)
        return;
    L->failed = true;
    const char **names = nb_xcalloc(L->nanchors + 1, sizeof *names);
    for (size_t i = 0; i < L->nanchors; i++)
        names[i] = L->anchors[i].name;
    const char *hint = nb_closest_word(name, names, L->nanchors);
    if (hint)
        nb_error(L->d, mark_pos(L, m), "the alias *%s refers to no anchor defined before "
                 "it; did you mean *%s (anchored as &%s)?", name, hint, hint);
    else
        nb_error(L->d, mark_pos(L, m), "the alias *%s refers to no anchor defined before "
                 "it; anchor the figure first (&%s) and quote it after", name, name);
    free(names);
}

static nb_node *parse_alias(loader *L, yaml_event_t *ev, size_t *weight)
{
    const char *name = (const char *)ev->data.alias.anchor;
    const anchor *an = find_anchor(L, name);
    if (!an) {
        undefined_alias(L, ev->start_mark, name);
        return NULL;
    }
    /* Shared, not copied; but counted as if expanded, so that a file of
     * nested aliases ("billion laughs") is refused before anything walks it. */
    if (!count_nodes(L, an->weight, ev->start_mark) ||
        !count_bytes(L, an->bytes, ev->start_mark))
        return NULL;
    *weight = an->weight;
    return an->node;
}

static nb_node *parse_node(loader *L, yaml_event_t *ev, int depth, size_t *weight)
{
    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        return parse_scalar(L, ev, weight);
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        /* The collection's own children free their events; keep ours. */
        return parse_collection(L, ev, depth, weight);
    }
    case YAML_ALIAS_EVENT:
        return parse_alias(L, ev, weight);
    default:
        fail(L, ev->start_mark, "%s", "unexpected YAML structure");
        return NULL;
    }
}

/* The line and column (in characters) of a byte offset. */
static nb_pos pos_at_offset(const char *name, const char *text, size_t offset)
{
    int line = 1, col = 1;
    for (size_t i = 0; i < offset; i++) {
        if (text[i] == '\n')
            line++, col = 1;
        else if (((unsigned char)text[i] & 0xC0) != 0x80)
            col++;
    }
    return (nb_pos){name, line, col};
}

/* YAML allows tab, line breaks and printable characters only; pasted Word
 * text brings vertical tabs, form feeds and the like, which libyaml would
 * call an encoding problem. Name the character and where it is instead. */
static bool check_printable(const char *name, const char *text, size_t len, nb_diags *d)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = nb_utf8_decode(text + i, len - i, &cp);
        bool printable = cp == '\t' || cp == '\n' || cp == '\r' ||
                         (cp >= 0x20 && cp <= 0x7E) || cp == 0x85 ||
                         (cp >= 0xA0 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
                         cp >= 0x10000;
        if (!printable && (cp == 0xFFFE || cp == 0xFFFF)) {
            nb_error(d, pos_at_offset(name, text, i),
                     "U+%04X (byte offset %zu) is a non-character, not text; delete it",
                     (unsigned)cp, i);
            return false;
        }
        if (!printable) {
            nb_error(d, pos_at_offset(name, text, i),
                     "the control character U+%04X (byte offset %zu) is not allowed in "
                     "YAML; delete it (it often comes with text pasted from Word)",
                     (unsigned)cp, i);
            return false;
        }
        /* libyaml said "expected a `key: value` line" one column after it */
        if (cp == 0xFEFF && i > 0 && text[i - 1] == '\n') {
            nb_error(d, pos_at_offset(name, text, i),
                     "a byte order mark (U+FEFF, invisible) starts this line: two files "
                     "joined into one? delete it");
            return false;
        }
        i += k;
    }
    return true;
}

/* UTF-32, with a byte order mark or without (ASCII text then has three
 * NUL bytes to every character): told apart from UTF-16. */
static bool is_utf32(const unsigned char *u, size_t len)
{
    if (len < 4)
        return false;
    bool bom_le = u[0] == 0xFF && u[1] == 0xFE && u[2] == 0 && u[3] == 0;
    bool bom_be = u[0] == 0 && u[1] == 0 && u[2] == 0xFE && u[3] == 0xFF;
    bool ascii_le = u[0] && !u[1] && !u[2] && !u[3];
    bool ascii_be = !u[0] && !u[1] && !u[2] && u[3];
    return bom_le || bom_be || ascii_le || ascii_be;
}

/* Problems libyaml would report obscurely or accept silently. */
static bool check_encoding(const char *name, const char *text, size_t len, nb_diags *d)
{
    nb_pos whole = {name, 0, 0};
    const unsigned char *u = (const unsigned char *)text;
    if (is_utf32(u, len)) {
        nb_error(d, whole, "the file is UTF-32 text; save it as UTF-8 (in Notepad: "
                           "Save As, Encoding: UTF-8)");
        return false;
    }
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        nb_error(d, whole, "the file is UTF-16 text; save it as UTF-8 (in Notepad: "
                           "Save As, Encoding: UTF-8)");
        return false;
    }
    if (len >= 4 && (memchr(text, '\0', len < 64 ? len : 64) != NULL)) {
        nb_error(d, whole, "the file contains NUL bytes: it is UTF-16 or binary, "
                           "not UTF-8 text");
        return false;
    }
    size_t bad = nb_utf8_invalid_at(text, len);
    if (bad != (size_t)-1) {
        nb_error(d, pos_at_offset(name, text, bad),
                 "invalid UTF-8 at byte offset %zu (byte 0x%02X); the file must be "
                 "UTF-8 (a GBK file? convert it with iconv -f GBK -t UTF-8)",
                 bad, u[bad]);
        return false;
    }
    return check_printable(name, text, len, d);
}

static nb_node *load(loader *L, const char *text, size_t len)
{
    yaml_parser_set_input_string(&L->parser, (const unsigned char *)text, len);
    yaml_parser_set_encoding(&L->parser, YAML_UTF8_ENCODING);
    nb_node *root = NULL;
    for (;;) {
        yaml_event_t ev;
        if (!next_event(L, &ev))
            return NULL;
        yaml_event_type_t t = ev.type;
        if (t == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        if (t == YAML_DOCUMENT_START_EVENT && root) {
            fail(L, ev.start_mark, "%s", "a second YAML document ('---') in one file; "
                                         "a report is one document");
            yaml_event_delete(&ev);
            return NULL;
        }
        if (t == YAML_SCALAR_EVENT || t == YAML_SEQUENCE_START_EVENT ||
            t == YAML_MAPPING_START_EVENT || t == YAML_ALIAS_EVENT) {
            size_t w = 0;
            root = parse_node(L, &ev, 1, &w);
            yaml_event_delete(&ev);
            if (!root)
                return NULL;
            continue;
        }
        yaml_event_delete(&ev);
    }
    if (!root)
        root = new_node(L, NB_NODE_MAP, (yaml_mark_t){0, 0, 0});
    return root;
}

/* `len` is 0 when the size is unknown (a pipe, a device). */
static nb_node *too_big(const char *file, size_t len, const nb_source_limits *lim,
                        nb_diags *d)
{
    if (len)
        nb_error(d, (nb_pos){file, 0, 0},
                 "the file is %zu bytes; the limit is %zu (is this a report?)", len,
                 lim->max_file_bytes);
    else
        nb_error(d, (nb_pos){file, 0, 0},
                 "the file is longer than the limit of %zu bytes (is this a report?)",
                 lim->max_file_bytes);
    return NULL;
}

nb_node *nb_source_load_string_limited(const char *name, const char *text,
                                       size_t len, const nb_source_limits *lim,
                                       nb_arena *a, nb_diags *d)
{
    const char *file = nb_arena_strdup(a, name);
    if (len > lim->max_file_bytes)
        return too_big(file, len, lim, d);
    if (!check_encoding(file, text, len, d))
        return NULL;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3; /* a BOM from Notepad: harmless */
        len -= 3;
    }
    if (!nb_slips_check(file, text, len, d))
        return NULL;
    loader L = {.file = file, .text = text, .len = len, .lim = lim, .a = a, .d = d,
                .source = nb_arena_strndup(a, text, len)};
    if (!yaml_parser_initialize(&L.parser)) {
        nb_error(d, (nb_pos){file, 0, 0}, "cannot start the YAML parser");
        return NULL;
    }
    nb_node *root = load(&L, text, len);
    yaml_parser_delete(&L.parser);
    free(L.anchors);
    return L.failed ? NULL : root;
}

nb_node *nb_source_load_string(const char *name, const char *text, size_t len,
                               nb_arena *a, nb_diags *d)
{
    return nb_source_load_string_limited(name, text, len, &nb_source_default_limits, a, d);
}

/* What a path is when it is not a file: a FIFO would block in open() until
 * someone writes to it, a device may never end. NULL for a regular file,
 * a folder (nb_read_file_at_most says so) or a path that is not there. */
static const char *not_a_file(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))
        return NULL;
    if (S_ISFIFO(st.st_mode))
        return "a named pipe (FIFO)";
    if (S_ISCHR(st.st_mode))
        return "a character device";
    if (S_ISBLK(st.st_mode))
        return "a block device";
    return "a special file";
}

nb_node *nb_source_load_file(const char *path, nb_arena *a, nb_diags *d)
{
    const nb_source_limits *lim = &nb_source_default_limits;
    const char *what = not_a_file(path);
    if (what) {
        nb_error(d, (nb_pos){nb_arena_strdup(a, path), 0, 0}, "cannot read: it is %s, "
                 "not a file; give the report's file", what);
        return NULL;
    }
    size_t len = 0;
    char *text = nb_read_file_at_most(path, lim->max_file_bytes, &len);
    if (!text) {
        const char *why = errno == EISDIR ? "it is a folder, not a file" : strerror(errno);
        nb_error(d, (nb_pos){nb_arena_strdup(a, path), 0, 0}, "cannot read: %s", why);
        return NULL;
    }
    nb_node *root;
    if (len > lim->max_file_bytes) {
        struct stat st; /* the whole size, for the message, if it has one */
        bool sized = stat(path, &st) == 0 && S_ISREG(st.st_mode);
        root = too_big(nb_arena_strdup(a, path), sized ? (size_t)st.st_size : 0, lim, d);
    } else {
        root = nb_source_load_string(path, text, len, a, d);
    }
    free(text);
    return root;
}

/* ---- typing (YAML 1.2 core schema) ---- */
static bool is_one_of(const char *s, const char *const *words)
{
    for (; *words; words++)
        if (strcmp(s, *words) == 0)
            return true;
    return false;
}

static bool all_chars(const char *s, const char *set)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!strchr(set, *s))
            return false;
    return true;
}

static bool looks_int(const char *s)
{
    if (s[0] == '0' && s[1] == 'x')
        return all_chars(s + 2, "0123456789abcdefABCDEF");
    if (s[0] == '0' && s[1] == 'o')
        return all_chars(s + 2, "01234567");
    if (*s == '-' || *s == '+')
        s++;
    return all_chars(s, "0123456789");
}

static bool looks_float(const char *s)
{
    static const char *const special[] = {".inf", ".Inf", ".INF", "-.inf", "-.Inf",
                                          "-.INF", "+.inf", ".nan", ".NaN", ".NAN", NULL};
    if (is_one_of(s, special))
        return true;
    if (*s == '-' || *s == '+')
        s++;
    bool digits = false;
    while (*s >= '0' && *s <= '9')
        s++, digits = true;
    if (*s == '.') {
        s++;
        while (*s >= '0' && *s <= '9')
            s++, digits = true;
    }
    if (!digits)
        return false;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '-' || *s == '+')
            s++;
        if (!(*s >= '0' && *s <= '9'))
            return false;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    return *s == '\0';
}

nb_value_type nb_node_type(const nb_node *n)
{
    static const char *const nulls[] = {"~", "null", "Null", "NULL", "", NULL};
    static const char *const bools[] = {"true",  "True",  "TRUE",
                                        "false", "False", "FALSE", NULL};
    if (!n)
        return NB_TYPE_NULL;
    if (n->kind == NB_NODE_SEQ)
        return NB_TYPE_SEQ;
    if (n->kind == NB_NODE_MAP)
        return NB_TYPE_MAP;
    if (n->style != NB_PLAIN)
        return NB_TYPE_STRING;
    if (is_one_of(n->text, nulls))
        return NB_TYPE_NULL;
    if (is_one_of(n->text, bools))
        return NB_TYPE_BOOL;
    if (looks_int(n->text))
        return NB_TYPE_INT;
    if (looks_float(n->text))
        return NB_TYPE_FLOAT;
    return NB_TYPE_STRING;
}

const char *nb_value_type_name(nb_value_type t)
{
    switch (t) {
    /* words inserted into messages: in the user's language */
    case NB_TYPE_NULL: return _("empty");
    case NB_TYPE_BOOL: return _("true/false");
    case NB_TYPE_INT: return _("a whole number");
    case NB_TYPE_FLOAT: return _("a number with decimals");
    case NB_TYPE_STRING: return _("text");
    case NB_TYPE_SEQ: return _("a list");
    case NB_TYPE_MAP: return _("a map of keys");
    }
    return _("a value");
}

const nb_pair *nb_map_pair(const nb_node *map, const char *key)
{
    if (!map || map->kind != NB_NODE_MAP)
        return NULL;
    for (size_t i = 0; i < map->count; i++)
        if (strcmp(map->pairs[i].key->text, key) == 0)
            return &map->pairs[i];
    return NULL;
}

nb_node *nb_map_get(const nb_node *map, const char *key)
{
    const nb_pair *p = nb_map_pair(map, key);
    return p ? p->value : NULL;
}

static nb_node *child(const nb_node *n, const char *seg, size_t len)
{
    char key[256];
    if (len >= sizeof key)
        return NULL;
    memcpy(key, seg, len);
    key[len] = '\0';
    if (n->kind == NB_NODE_MAP)
        return nb_map_get(n, key);
    if (n->kind == NB_NODE_SEQ && looks_int(key) && key[0] != '-') {
        char *end;
        unsigned long i = strtoul(key, &end, 10);
        return i < n->count ? n->items[i] : NULL;
    }
    return NULL;
}

nb_node *nb_node_at(const nb_node *root, const char *dotted)
{
    const nb_node *n = root;
    const char *s = dotted;
    while (n && *s) {
        const char *dot = strchr(s, '.');
        size_t len = dot ? (size_t)(dot - s) : strlen(s);
        n = child(n, s, len);
        s += len + (dot ? 1 : 0);
    }
    return (nb_node *)n;
}

const char *nb_scalar(const nb_node *n)
{
    return n && n->kind == NB_NODE_SCALAR ? n->text : NULL;
}

bool nb_node_is_falsey(const nb_node *n)
{
    nb_value_type t = nb_node_type(n);
    if (t == NB_TYPE_NULL)
        return true;
    if (t == NB_TYPE_BOOL)
        return n->text[0] == 'f' || n->text[0] == 'F';
    if (t == NB_TYPE_SEQ)
        return n->count == 0;
    return false;
}

bool nb_node_int(const nb_node *n, long long *out)
{
    if (nb_node_type(n) != NB_TYPE_INT)
        return false;
    const char *s = n->text;
    int base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'o')) {
        base = s[1] == 'x' ? 16 : 8;
        s += 2;
    }
    errno = 0;
    char *end;
    long long v = strtoll(s, &end, base);
    if (errno == ERANGE || *end)
        return false;
    *out = v;
    return true;
}

bool nb_node_number(const nb_node *n, double *out)
{
    long long i;
    if (nb_node_int(n, &i)) {
        *out = (double)i;
        return true;
    }
    if (nb_node_type(n) != NB_TYPE_FLOAT)
        return false;
    const char *s = n->text;
    const char *body = (*s == '-' || *s == '+') ? s + 1 : s;
    if (body[0] == '.' && (body[1] == 'i' || body[1] == 'I')) {
        *out = (*s == '-') ? -INFINITY : INFINITY;
        return true;
    }
    if (body[0] == '.' && (body[1] == 'n' || body[1] == 'N')) {
        *out = NAN;
        return true;
    }
    errno = 0;
    *out = strtod(s, NULL);
    return errno != ERANGE;
}

/* ---- figures ---- */

/* Digits of s as a whole number, at most `max`; false when longer or not
 * digits only. */
static bool digits_value(const char *s, size_t n, long long max, long long *out)
{
    long long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        if (v > (max - (s[i] - '0')) / 10)
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return n > 0;
}

/* "123" or "123.45" (digits, optionally a point and digits), unsigned, in
 * micro-units; the syntax otherwise. */
static nb_figure_syntax plain_decimal(const char *s, long long *micro)
{
    size_t whole = strspn(s, "0123456789");
    const char *frac = s[whole] == '.' ? s + whole + 1 : NULL;
    size_t nfrac = frac ? strspn(frac, "0123456789") : 0;
    if ((frac ? frac + nfrac : s + whole)[0] != '\0' || (!whole && !nfrac))
        return NB_FIGURE_NOT_A_NUMBER;
    if (!whole || (frac && !nfrac))
        return NB_FIGURE_BARE_POINT;
    if (nfrac > NB_FIGURE_MAX_DECIMALS)
        return NB_FIGURE_TOO_MANY_DECIMALS;
    long long units, part = 0;
    if (!digits_value(s, whole, NB_FIGURE_MAX, &units) ||
        (frac && !digits_value(frac, nfrac, NB_FIGURE_UNIT, &part)))
        return NB_FIGURE_TOO_LARGE;
    for (size_t i = nfrac; i < NB_FIGURE_MAX_DECIMALS; i++)
        part *= 10;
    *micro = units * NB_FIGURE_UNIT + part;
    if (*micro > NB_FIGURE_MAX * NB_FIGURE_UNIT)
        return NB_FIGURE_TOO_LARGE;
    return whole > 1 && s[0] == '0' ? NB_FIGURE_LEADING_ZERO : NB_FIGURE_PLAIN;
}

/* 0x10, 0o17: the value meant, when it is in range. */
static nb_figure_syntax prefixed_integer(const char *s, long long *micro)
{
    int base = s[1] == 'x' ? 16 : 8;
    char *end;
    errno = 0;
    long long v = strtoll(s + 2, &end, base);
    /* strtoll also takes a sign or spaces after the prefix (0o-17): those
     * mean nothing, and a negative v would overflow below */
    bool digits_only = isxdigit((unsigned char)s[2]);
    if (digits_only && errno == 0 && !*end && v >= 0 && v <= NB_FIGURE_MAX)
        *micro = v * NB_FIGURE_UNIT;
    return base == 16 ? NB_FIGURE_HEXADECIMAL : NB_FIGURE_OCTAL;
}

/* 1e3: the value meant, when it is a plain figure in range. */
static nb_figure_syntax exponent(const char *s, long long *micro)
{
    errno = 0;
    double v = strtod(s, NULL);
    if (errno == 0 && v >= 0 && v <= (double)NB_FIGURE_MAX &&
        v * NB_FIGURE_UNIT == floor(v * NB_FIGURE_UNIT))
        *micro = (long long)(v * NB_FIGURE_UNIT);
    return NB_FIGURE_EXPONENT;
}

nb_figure_syntax nb_figure_parse(const char *text, long long *micro)
{
    *micro = 0;
    const char *s = text;
    static const char *const nans[] = {".nan", ".NaN", ".NAN", NULL};
    if (is_one_of(s, nans))
        return NB_FIGURE_NAN;
    bool minus = *s == '-', plus = *s == '+';
    const char *body = s + (minus || plus);
    if (body[0] == '.' && (body[1] == 'i' || body[1] == 'I'))
        return NB_FIGURE_INFINITE;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'o') && s[2])
        return prefixed_integer(s, micro);
    if (strpbrk(body, "eE") && looks_float(s))
        return exponent(s, micro);
    nb_figure_syntax plain = plain_decimal(body, micro);
    if (plain != NB_FIGURE_PLAIN && plain != NB_FIGURE_LEADING_ZERO)
        return plain;
    if (minus && *micro == 0)
        return NB_FIGURE_NEGATIVE_ZERO;
    if (minus) {
        *micro = -*micro;
        return NB_FIGURE_NEGATIVE;
    }
    return plus ? NB_FIGURE_PLUS_SIGN : plain;
}

/* ---- configuration files ---- */
static const nb_node *cfg_get(const nb_node *map, const char *key, bool required,
                              nb_node_kind kind, const char *expected, nb_diags *d)
{
    if (!map || map->kind != NB_NODE_MAP) {
        if (map)
            nb_error(d, map->pos, "expected a map of keys here");
        return NULL;
    }
    const nb_node *v = nb_map_get(map, key);
    if (!v || (kind == NB_NODE_SCALAR && nb_node_type(v) == NB_TYPE_NULL)) {
        if (required)
            nb_error(d, map->pos, "the key '%s' is missing here; expected %s", key,
                     expected);
        return NULL;
    }
    if (v->kind != kind) {
        nb_error(d, v->pos, "'%s' should be %s, not %s", key, expected,
                 nb_value_type_name(nb_node_type(v)));
        return NULL;
    }
    return v;
}

const char *nb_cfg_string(const nb_node *map, const char *key, bool required,
                          nb_diags *d)
{
    const nb_node *v = cfg_get(map, key, required, NB_NODE_SCALAR, "text", d);
    return v ? v->text : NULL;
}

const nb_node *nb_cfg_list(const nb_node *map, const char *key, bool required,
                           nb_diags *d)
{
    return cfg_get(map, key, required, NB_NODE_SEQ, "a list ([a, b] or - lines)", d);
}

const nb_node *nb_cfg_map(const nb_node *map, const char *key, bool required,
                          nb_diags *d)
{
    return cfg_get(map, key, required, NB_NODE_MAP, "a map of keys", d);
}

/* ---- building ---- */
nb_node *nb_node_new_scalar(nb_arena *a, nb_pos pos, const char *text)
{
    nb_node *n = nb_arena_alloc(a, sizeof *n);
    n->kind = NB_NODE_SCALAR;
    n->pos = pos;
    n->text = nb_arena_strdup(a, text);
    n->len = strlen(text);
    n->style = NB_PLAIN;
    return n;
}

nb_node *nb_node_new_map(nb_arena *a, nb_pos pos)
{
    nb_node *n = nb_arena_alloc(a, sizeof *n);
    n->kind = NB_NODE_MAP;
    n->pos = pos;
    return n;
}

nb_node *nb_node_new_seq(nb_arena *a, nb_pos pos)
{
    nb_node *n = nb_arena_alloc(a, sizeof *n);
    n->kind = NB_NODE_SEQ;
    n->pos = pos;
    return n;
}

/* Arrays of built nodes live in the arena too: grow by copying (built trees
 * are small: computed values, tests). */
void nb_map_set(nb_arena *a, nb_node *map, const char *key, nb_node *value)
{
    for (size_t i = 0; i < map->count; i++) {
        if (strcmp(map->pairs[i].key->text, key) == 0) {
            map->pairs[i].value = value;
            return;
        }
    }
    nb_pair *p = nb_arena_alloc(a, (map->count + 1) * sizeof *p);
    if (map->count)
        memcpy(p, map->pairs, map->count * sizeof *p);
    p[map->count].key = nb_node_new_scalar(a, value ? value->pos : map->pos, key);
    p[map->count].value = value;
    map->pairs = p;
    map->count++;
}

void nb_seq_push(nb_arena *a, nb_node *seq, nb_node *item)
{
    nb_node **p = nb_arena_alloc(a, (seq->count + 1) * sizeof *p);
    if (seq->count)
        memcpy(p, seq->items, seq->count * sizeof *p);
    p[seq->count++] = item;
    seq->items = p;
}
