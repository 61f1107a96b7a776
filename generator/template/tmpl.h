/* tmpl.h — the template stage: render a Mustache template with the report's data.
 *
 * The engine implements the Mustache specification (comments, delimiters,
 * interpolation, sections, inverted sections, partials and `~inheritance`:
 * `{{<parent}}` with overridable `{{$block}}`s) and extends it in one place:
 * a variable tag may pipe its value through report helpers,
 *
 *     {{stats.received | grouped}}   {{a | percent b 1}}   {{@index | cn}}、
 *
 * (a `|` never appears in a spec tag name, so every spec template means the
 * same here). See README.md, "Templates", for the grammar and each helper.
 *
 * Strict by default: a name the data does not have, an unclosed section, a
 * missing partial, a partial that includes itself without end, a helper given
 * the wrong kind of value — each is an error at the template's
 * file:line:column, never a silent blank in an official document. `lenient`
 * gives the spec's behaviour (missing names and partials render empty); the
 * spec tests use it.
 *
 * Partials are read only from the folders in `partial_dirs` (and the optional
 * in-memory `partials` map); a name that would leave them (`../x`, `/etc/x`)
 * is refused.
 */
#ifndef NB_TMPL_H
#define NB_TMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "source.h"
#include "util.h"

typedef enum {
    NB_ESCAPE_MARKUP, /* backslash-escape what md4c would read as structure */
    NB_ESCAPE_HTML,   /* the Mustache spec's escaping: & < > " ' */
    NB_ESCAPE_NONE,
} nb_escape;

typedef struct nb_tmpl_options {
    nb_escape escape;                /* NB_ESCAPE_MARKUP is the default for reports */
    bool lenient;                    /* spec behaviour: missing names render empty */
    const char *const *partial_dirs; /* NULL-terminated; {{>name}} reads DIR/name.mustache,
                                        first dir that has it */
    const nb_node *partials;         /* optional map name -> template text, searched
                                        before partial_dirs (tests, built-in text) */
} nb_tmpl_options;

/* Render; returns arena-allocated UTF-8 text, or NULL with errors
 * (file:line:col) in d. */
char *nb_tmpl_render_file(const char *path, const nb_node *data,
                          const nb_tmpl_options *o, nb_arena *a, nb_diags *d);
char *nb_tmpl_render_string(const char *name, const char *text, size_t len,
                            const nb_node *data, const nb_tmpl_options *o,
                            nb_arena *a, nb_diags *d);

/* Append `s` to `out` escaped for `mode`. For NB_ESCAPE_MARKUP what counts
 * as "the start of a line" is read from the text already in `out`. */
void nb_tmpl_escape(nb_buf *out, const char *s, size_t n, nb_escape mode);

#endif
