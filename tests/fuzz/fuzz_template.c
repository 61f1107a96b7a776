/* fuzz_template.c — libFuzzer harness for the template engine (tmpl.h).
 *
 * Input layout (seeds are built this way by run.sh):
 *
 *   byte 0          options: bits 0-1 the escaping (0 markup, 1 html, 2 none),
 *                   bit 2 lenient
 *   bytes 1..NUL    the template
 *   after the NUL   optional: the data, as YAML; without a NUL the data is
 *                   the sample report (read once, so that most inputs cost
 *                   only their rendering). The data's `partials:` map, if
 *                   any, serves {{>name}} before the real partial folders
 *                   (templates/gov-2014 and templates/_base), so a fuzzed
 *                   template can include fuzzed partials, itself included.
 *
 * The engine must render or give a message for anything: unbalanced tags,
 * changed delimiters, partials that include themselves, helpers given text.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl.h"

static const char *const partial_dirs[] = {NB_SOURCE_DIR "/templates/gov-2014",
                                           NB_SOURCE_DIR "/templates/_base", NULL};

#define SAMPLE NB_SOURCE_DIR "/samples/taoyuan-2017.yaml"

static nb_arena sample_arena;
static const nb_node *sample;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    nb_diags d = {0};
    sample = nb_source_load_file(SAMPLE, &sample_arena, &d);
    if (!sample)
        sample = nb_node_new_map(&sample_arena, (nb_pos){"empty", 1, 1});
    nb_diags_free(&d);
    return 0;
}

static nb_tmpl_options options_from(uint8_t byte, const nb_node *data)
{
    static const nb_escape modes[] = {NB_ESCAPE_MARKUP, NB_ESCAPE_HTML, NB_ESCAPE_NONE,
                                      NB_ESCAPE_MARKUP};
    const nb_node *partials = nb_map_get(data, "partials");
    return (nb_tmpl_options){
        .escape = modes[byte & 3],
        .lenient = (byte & 4) != 0,
        .partial_dirs = partial_dirs,
        .partials = partials && partials->kind == NB_NODE_MAP ? partials : NULL,
    };
}

static volatile size_t sink;

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    if (size == 0)
        return 0;
    const char *text = (const char *)bytes + 1;
    size_t rest = size - 1;
    const char *nul = memchr(text, '\0', rest);
    size_t tlen = nul ? (size_t)(nul - text) : rest;

    nb_arena arena = {0};
    nb_diags diags = {0};
    const nb_node *data = sample;
    if (nul)
        data = nb_source_load_string("data.yaml", nul + 1, rest - tlen - 1, &arena, &diags);
    if (!data)
        data = nb_node_new_map(&arena, (nb_pos){"data.yaml", 1, 1});
    nb_tmpl_options o = options_from(bytes[0], data);
    char *out = nb_tmpl_render_string("fuzz.mustache", text, tlen, data, &o, &arena, &diags);
    if (out)
        sink += strlen(out);
    for (size_t i = 0; i < diags.count; i++)
        free(nb_diag_format(&diags.items[i]));
    nb_diags_free(&diags);
    nb_arena_free(&arena);
    return 0;
}
