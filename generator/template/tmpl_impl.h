/* tmpl_impl.h — what the template engine's modules share (not for other
 * stages; tmpl.h is the contract).
 *
 *   tmpl_parse.c    text -> tree of tnodes (tags, standalone lines, indentation)
 *   tmpl_render.c   tree + data -> text (context stack, partials, inheritance)
 *   tmpl_lookup.c   dotted names against the context stack, "did you mean"
 *   tmpl_pipeline.c the content of a variable tag: a name piped through helpers
 *   tmpl_helpers.c  the report helpers of `{{name | helper args}}`
 *   tmpl_number.c   exact decimal arithmetic for the helpers
 *   tmpl_escape.c   html and markup escaping
 */
#ifndef NB_TMPL_IMPL_H
#define NB_TMPL_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "source.h"
#include "tmpl.h"
#include "util.h"

/* ---- the parsed template ---- */
typedef enum {
    TN_TEXT,
    TN_VAR,      /* {{name}}, {{{name}}}, {{&name}}, with an optional helper pipeline */
    TN_SECTION,  /* {{#name}} */
    TN_INVERTED, /* {{^name}} */
    TN_PARTIAL,  /* {{>name}} */
    TN_PARENT,   /* {{<name}} ... {{/name}} */
    TN_BLOCK,    /* {{$name}} ... {{/name}} */
} tn_kind;

typedef enum { ARG_NUMBER, ARG_STRING, ARG_NAME } tn_arg_kind;

typedef struct tn_arg {
    tn_arg_kind kind;
    const char *text; /* the number as written, the string's content, or the name */
} tn_arg;

typedef struct tn_helper tn_helper;

typedef struct tn_call {
    const tn_helper *helper;
    tn_arg *args;
    size_t nargs;
} tn_call;

typedef struct tnode tnode;
struct tnode {
    tn_kind kind;
    nb_pos pos;         /* the tag's opening delimiter */
    const char *text;   /* TEXT (not NUL-terminated; `len` bytes) */
    size_t len;
    bool bol;           /* TEXT: starts at the beginning of a template line */
    const char *name;   /* dotted data name, or partial / block name */
    bool raw;           /* VAR: {{{ }}} or {{& }}: no escaping */
    tn_call *calls;     /* VAR: the helper pipeline */
    size_t ncalls;
    tnode **kids;
    size_t nkids;
    /* PARTIAL, PARENT: the whitespace before a standalone tag, prepended to
     * every line of the included template; NULL when not standalone.
     * BLOCK (parameter): indentation given to each later line of an
     * overriding argument. BLOCK (argument): unused. */
    const char *indent;
    const char *intrinsic; /* BLOCK (argument): removed from each line of its content */
    bool argument;         /* BLOCK directly inside a PARENT */
};

typedef struct nb_template {
    const char *file; /* name used in positions */
    tnode *root;      /* a TN_SECTION holding the top-level nodes */
} nb_template;

/* Parse the content of a variable tag, `name | helper arg ... | helper ...`,
 * into n->name and n->calls. */
bool nb_tmpl_parse_pipeline(const char *content, nb_pos pos, tnode *n, nb_arena *a,
                            nb_diags *d);

/* Names that start with '@' and are defined inside a section over a list. */
#define NB_TMPL_SPECIALS "@index (1, 2, 3 …), @first and @last"
bool nb_tmpl_known_special(const char *name);

/* Why a partial name is refused (it would leave the template folders), or
 * NULL when it is acceptable. */
const char *nb_tmpl_bad_partial_name(const char *name);

/* Parse `text` (NUL-terminated, `len` bytes). `lenient` only relaxes checks
 * that the spec requires to pass silently. Returns NULL with errors in d. */
nb_template *nb_tmpl_parse(const char *file, const char *text, size_t len,
                           bool lenient, nb_arena *a, nb_diags *d);

/* ---- values flowing through a helper pipeline ---- */
typedef struct tval {
    const nb_node *node; /* straight from the data, else NULL */
    const char *text;    /* the text it prints as */
    const char *origin;  /* where it came from, for messages: a name or a helper */
} tval;

/* The text a data node prints as: as written, but a float is written in its
 * shortest decimal form (1.210 -> 1.21), as the spec requires. NULL for maps
 * and lists. */
const char *nb_tmpl_plain_text(const nb_node *n, nb_arena *a);

/* ---- helpers ---- */
typedef struct helper_ctx {
    nb_arena *a;
    const char *helper; /* its name, for messages */
    const char *error;  /* set when the helper fails; the renderer reports it at
                           the tag's position */
} helper_ctx;

/* Apply a helper to `in` with its arguments already resolved to values. */
typedef bool (*helper_fn)(helper_ctx *c, const tval *in, const tval *args, tval *out);

struct tn_helper {
    const char *name;
    int nargs;             /* exact number of arguments */
    const char *signature; /* for messages: "percent DIVISOR DECIMALS" */
    const char *literal;   /* per argument: 'd' must be a decimals count literal,
                              'v' any value (number, string or data name) */
    helper_fn fn;
};

const tn_helper *nb_tmpl_find_helper(const char *name);
/* "grouped, fixed, ..." for messages. */
const char *nb_tmpl_helper_names(void);

/* ---- escaping ---- */
/* nb_tmpl_escape for the renderer, which keeps `*line_first` — the first
 * character of the current output line that is not a blank, 0 if none yet —
 * up to date for every append, so escaping never rescans the line. */
void nb_tmpl_escape_tracked(nb_buf *out, const char *s, size_t n, nb_escape mode,
                            char *line_first);
void nb_tmpl_track_line(char *line_first, const char *s, size_t n);

/* ---- exact decimals ---- */
__extension__ typedef unsigned __int128 nb_u128;

typedef struct nb_dec {
    bool neg;
    nb_u128 mant; /* value = mant / 10^scale */
    int scale;
} nb_dec;

typedef enum { NB_ROUND_HALF_UP, NB_ROUND_FLOOR, NB_ROUND_CEIL } nb_rounding;

/* Parse [-+]digits[.digits][e[-+]digits]; false if not a finite number or
 * too many digits. */
bool nb_dec_parse(const char *s, nb_dec *out);
bool nb_dec_from_int(long long v, nb_dec *out);
/* Round to `decimals` places; false on overflow. */
bool nb_dec_round(nb_dec x, int decimals, nb_rounding mode, nb_dec *out);
/* x / y * 100 rounded to `decimals`; false on overflow (y must not be 0). */
bool nb_dec_percent(nb_dec x, nb_dec y, int decimals, nb_rounding mode, nb_dec *out);
bool nb_dec_add(nb_dec x, nb_dec y, nb_dec *out);
bool nb_dec_is_zero(nb_dec x);
/* Printed with exactly x.scale decimals (no exponent). */
char *nb_dec_format(nb_dec x, nb_arena *a);
/* Printed without trailing fractional zeros. */
char *nb_dec_format_short(nb_dec x, nb_arena *a);

/* ---- lookup ---- */
typedef struct tframe {
    const nb_node *node;
    const char *path; /* dotted path from the root ("" for the root) */
    long index;       /* 0-based position in its list, -1 if not a list item */
    size_t count;     /* length of that list */
} tframe;

typedef struct tlookup {
    bool found;
    const nb_node *node; /* may be NULL or a null scalar: present but empty */
    const char *path;    /* the full dotted path found (for pushing frames) */
    char *error;         /* strict: why it was not found (arena) */
} tlookup;

/* Resolve `name` against frames[0..depth) (the top is frames[depth-1]);
 * the found value's full path is built only if `want_path`. */
tlookup nb_tmpl_lookup(const tframe *frames, size_t depth, const char *name,
                       bool want_path, nb_arena *a);

#endif
