/* fuzz_yaml.c — libFuzzer harness for the YAML loader (source.h).
 *
 * Any bytes are a file a clerk might hand us: the loader must either build a
 * tree or say what is wrong, within its limits, without touching memory it
 * does not own. The tree is then read the way later stages read it (types,
 * numbers, dotted paths), and every message is formatted as it is printed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "check_chars.h"
#include "source.h"

/* Aliases make the tree a graph that may expand to a million nodes; reading
 * a few thousand of them covers every reader without making each input slow. */
enum { READ_BUDGET = 20000 };

static void read_node(const nb_node *n, int *budget)
{
    if (!n || --*budget < 0)
        return;
    nb_value_type t = nb_node_type(n);
    (void)nb_value_type_name(t);
    (void)nb_node_is_falsey(n);
    long long i;
    double x;
    (void)nb_node_int(n, &i);
    (void)nb_node_number(n, &x);
    if (n->kind == NB_NODE_SCALAR) /* a figure's grammar, on any text */
        (void)nb_figure_parse(n->text, &i);
    if (n->kind == NB_NODE_SEQ) {
        for (size_t k = 0; k < n->count; k++)
            read_node(n->items[k], budget);
    } else if (n->kind == NB_NODE_MAP) {
        for (size_t k = 0; k < n->count; k++) {
            read_node(n->pairs[k].key, budget);
            read_node(n->pairs[k].value, budget);
            if (k < 64) /* lookups are linear; big maps are read above */
                (void)nb_map_get(n, n->pairs[k].key->text);
        }
    }
}

/* The dotted paths the report stages ask for, some of them through lists. */
static void read_paths(const nb_node *root, nb_diags *d)
{
    static const char *const paths[] = {"format", "year", "stats.applications.received",
                                        "stats.0", "a.b.c.d", "0.0", "", ".", "..x"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        (void)nb_node_at(root, paths[i]);
    (void)nb_cfg_string(root, "name", false, d);
    (void)nb_cfg_list(root, "tables", false, d);
    (void)nb_cfg_map(root, "stats", false, d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nb_arena arena = {0};
    nb_diags diags = {0};
    nb_node *root =
        nb_source_load_string("fuzz.yaml", (const char *)data, size, &arena, &diags);
    if (root) {
        int budget = READ_BUDGET;
        read_node(root, &budget);
        read_paths(root, &diags);
        nb_check_characters(root, &diags); /* scalars' source text, escapes decoded */
    }
    for (size_t i = 0; i < diags.count; i++)
        free(nb_diag_format(&diags.items[i]));
    nb_diags_free(&diags);
    nb_arena_free(&arena);
    return 0;
}
