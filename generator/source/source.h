/* source.h — the source stage: load a YAML file into a tree that remembers where every
 * node came from.
 *
 * The tree is the data every later stage reads: templates interpolate it, the
 * statistics tables take their figures from it, and `check` reports problems
 * at the file:line:column of the offending node. Scalars keep the text exactly
 * as written (so "135000" prints as the clerk typed it); their YAML 1.2 core
 * schema type is resolved on demand.
 *
 * Every node is allocated in the caller's arena and freed with it.
 */
#ifndef NB_SOURCE_H
#define NB_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "util.h"

typedef enum { NB_NODE_SCALAR, NB_NODE_SEQ, NB_NODE_MAP } nb_node_kind;

/* How a scalar was written; a quoted or block scalar is always a string. */
typedef enum { NB_PLAIN, NB_QUOTED, NB_BLOCK } nb_scalar_style;

/* The type of a scalar under the YAML 1.2 core schema. */
typedef enum {
    NB_TYPE_NULL,   /* ~, null, empty plain scalar */
    NB_TYPE_BOOL,   /* true / false */
    NB_TYPE_INT,    /* 135000, -3, 0x1F */
    NB_TYPE_FLOAT,  /* 1.5, 20.0, .inf */
    NB_TYPE_STRING, /* everything else, and every quoted scalar */
    NB_TYPE_SEQ,
    NB_TYPE_MAP,
} nb_value_type;

typedef struct nb_node nb_node;

typedef struct nb_pair {
    nb_node *key; /* always a scalar */
    nb_node *value;
} nb_pair;

struct nb_node {
    nb_node_kind kind;
    nb_pos pos; /* where the node starts */
    /* scalar */
    const char *text; /* NUL-terminated UTF-8, escapes decoded (an escaped
                         NUL is kept: text[0..len) may hold one) */
    size_t len;
    const char *source; /* the scalar as written in the file, quotes and
                           escapes included (source_len bytes, not
                           NUL-terminated); NULL for a node built in code */
    size_t source_len;
    nb_scalar_style style;
    const char *tag; /* explicit tag such as "!code", or NULL */
    /* sequence: items[0..count); map: pairs[0..count) in file order */
    size_t count;
    nb_node **items;
    nb_pair *pairs;
};

/* Limits that keep hostile input from exhausting memory or time. */
typedef struct nb_source_limits {
    size_t max_file_bytes; /* default 8 MiB */
    int max_depth;         /* nesting of sequences and maps; default 64 */
    size_t max_nodes;      /* after alias expansion; default 200,000 (a
                              report has about 2,000) */
    size_t max_expanded_bytes; /* text of every value, after alias
                                  expansion; default 16 MiB; 0: no limit */
    size_t max_scalar_bytes; /* one value's text; default 256 KiB (a whole
                                report's text is about 60 KiB); 0: no limit */
} nb_source_limits;

extern const nb_source_limits nb_source_default_limits;

/* Load a YAML file. `path` is kept (arena copy) for positions. On failure
 * returns NULL with errors in `d` (e.g. "report.yaml:12:5: found a tab ...").
 * An empty document yields an empty map. A UTF-8 BOM is accepted. */
nb_node *nb_source_load_file(const char *path, nb_arena *a, nb_diags *d);

/* The same from memory; `name` is the file name used in positions. */
nb_node *nb_source_load_string(const char *name, const char *text, size_t len,
                               nb_arena *a, nb_diags *d);

/* With explicit limits. */
nb_node *nb_source_load_string_limited(const char *name, const char *text,
                                       size_t len, const nb_source_limits *lim,
                                       nb_arena *a, nb_diags *d);

/* ---- reading the tree ---- */
nb_value_type nb_node_type(const nb_node *n);
const char *nb_value_type_name(nb_value_type t); /* "a number", "a list", ... */

/* Value of `key` in a map (NULL if absent or `map` is not a map). */
nb_node *nb_map_get(const nb_node *map, const char *key);
/* The pair for `key`, to report at the key's position. */
const nb_pair *nb_map_pair(const nb_node *map, const char *key);
/* Follow a dotted path ("stats.proactive.total"); list items by index ("rows.0"). */
nb_node *nb_node_at(const nb_node *root, const char *dotted);

/* Scalar text, or NULL if `n` is not a scalar. */
const char *nb_scalar(const nb_node *n);

/* Where byte `off` of scalar `n`'s text (escapes decoded, lines folded) is
 * in its file: walks the text alongside the scalar as written; the
 * scalar's start when an escape sequence makes the two part ways, or for a
 * node built in code (source_pos.c). */
nb_pos nb_scalar_text_pos(const nb_node *n, size_t off);
/* Where byte `off` of the scalar as written (n->source) is in its file. */
nb_pos nb_scalar_source_pos(const nb_node *n, size_t off);
/* True for null, false, and an empty sequence (a falsey value for sections). */
bool nb_node_is_falsey(const nb_node *n);

/* Integer value of an int scalar; false if `n` is not an int or overflows. */
bool nb_node_int(const nb_node *n, long long *out);
/* Numeric value of an int or float scalar. */
bool nb_node_number(const nb_node *n, double *out);

/* ---- figures ----
 * A figure of a statistics table is written in plain decimal: digits, and
 * for an amount a point and up to NB_FIGURE_MAX_DECIMALS digits (12, 0,
 * 3.5). Its value is held exactly, in millionths (micro-units), up to
 * NB_FIGURE_MAX (10^12). Everything else YAML would take for a number is
 * refused for what it is. */
#define NB_FIGURE_MAX 1000000000000LL /* 10^12 */
#define NB_FIGURE_MAX_DECIMALS 6
#define NB_FIGURE_UNIT 1000000LL /* micro-units in one */

typedef enum {
    NB_FIGURE_PLAIN,          /* 12, 0, 3.25 */
    NB_FIGURE_NOT_A_NUMBER,   /* no number at all */
    NB_FIGURE_NEGATIVE,       /* -5 */
    NB_FIGURE_NEGATIVE_ZERO,  /* -0, -0.0 */
    NB_FIGURE_PLUS_SIGN,      /* +12 */
    NB_FIGURE_LEADING_ZERO,   /* 012 */
    NB_FIGURE_HEXADECIMAL,    /* 0x10 */
    NB_FIGURE_OCTAL,          /* 0o17 */
    NB_FIGURE_EXPONENT,       /* 1e3, 1e-400 */
    NB_FIGURE_NAN,            /* .nan */
    NB_FIGURE_INFINITE,       /* .inf */
    NB_FIGURE_BARE_POINT,     /* .5, 5. */
    NB_FIGURE_TOO_MANY_DECIMALS, /* more than NB_FIGURE_MAX_DECIMALS */
    NB_FIGURE_TOO_LARGE,      /* above NB_FIGURE_MAX */
} nb_figure_syntax;

/* How `text` is written as a figure; for NB_FIGURE_PLAIN its value in
 * micro-units in *micro (also for NEGATIVE: the value, negative, when it
 * is within the range; and for LEADING_ZERO, PLUS_SIGN, HEXADECIMAL,
 * OCTAL and EXPONENT, the value meant when it is a plain one in range, so
 * a message can say how to write it; else 0). */
nb_figure_syntax nb_figure_parse(const char *text, long long *micro);

/* ---- reading configuration files (format.yaml, fonts.yaml) ----
 * The value of `key` in `map` as text (any scalar) or as a list; a missing
 * required key or a value of the wrong kind is an error in `d` at the map or
 * at the value, naming the key and what was expected. */
const char *nb_cfg_string(const nb_node *map, const char *key, bool required,
                          nb_diags *d);
const nb_node *nb_cfg_list(const nb_node *map, const char *key, bool required,
                           nb_diags *d);
const nb_node *nb_cfg_map(const nb_node *map, const char *key, bool required,
                          nb_diags *d);

/* ---- building trees in code (computed data, tests) ---- */
nb_node *nb_node_new_scalar(nb_arena *a, nb_pos pos, const char *text);
nb_node *nb_node_new_map(nb_arena *a, nb_pos pos);
nb_node *nb_node_new_seq(nb_arena *a, nb_pos pos);
void nb_map_set(nb_arena *a, nb_node *map, const char *key, nb_node *value);
void nb_seq_push(nb_arena *a, nb_node *seq, nb_node *item);

#endif
