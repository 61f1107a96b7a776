/* test_mustache_spec.c — the template engine against every test of the
 * Mustache specification, read directly from the spec's YAML files in
 * tests/data/mustache-spec/ (with the project's own YAML loader).
 *
 * Each case renders `template` with `data` and the `partials` map in the
 * spec's mode (HTML escaping, lenient names) and must equal `expected`
 * byte for byte. Prints every file's pass count and the total.
 */
#define _XOPEN_SOURCE 700

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "source.h"
#include "testutil.h"
#include "tmpl.h"

static const char *const required_files[] = {
    "comments.yml", "delimiters.yml", "interpolation.yml", "inverted.yml",
    "partials.yml", "sections.yml",   "~inheritance.yml",
};

/* A string with its line breaks and tabs made visible, for failure output. */
static void show(const char *label, const char *s)
{
    printf("    %s: \"", label);
    for (; s && *s; s++) {
        if (*s == '\n')
            fputs("\\n", stdout);
        else if (*s == '\r')
            fputs("\\r", stdout);
        else if (*s == '\t')
            fputs("\\t", stdout);
        else
            putchar(*s);
    }
    puts(s ? "\"" : "\" (NULL)");
}

static bool run_case(const char *file, const nb_node *test, nb_arena *a)
{
    const char *name = nb_scalar(nb_map_get(test, "name"));
    const nb_node *tmpl = nb_map_get(test, "template");
    const char *expected = nb_scalar(nb_map_get(test, "expected"));
    if (!name || !nb_scalar(tmpl) || !expected) {
        printf("  %s: a test without name, template or expected text\n", file);
        return false;
    }
    nb_tmpl_options o = {.escape = NB_ESCAPE_HTML, .lenient = true,
                         .partials = nb_map_get(test, "partials")};
    nb_diags d = {0};
    const char *where = nb_arena_printf(a, "%s: %s", file, name);
    char *out = nb_tmpl_render_string(where, tmpl->text, tmpl->len,
                                      nb_map_get(test, "data"), &o, a, &d);
    bool pass = out && strcmp(out, expected) == 0;
    if (!pass) {
        printf("  FAILED %s \"%s\"\n", file, name);
        show("template", tmpl->text);
        show("expected", expected);
        show("got     ", out);
        nb_diags_print(&d, stdout);
    }
    nb_diags_free(&d);
    return pass;
}

/* Runs one spec file; adds to *passed and *total. */
static void run_file(const char *dir, const char *file, int *passed, int *total)
{
    nb_arena a = {0};
    nb_diags d = {0};
    char *path = nb_path_join(dir, file);
    nb_node *spec = nb_source_load_file(path, &a, &d);
    const nb_node *tests = nb_map_get(spec, "tests");
    int n = 0, ok = 0;
    if (!tests || tests->kind != NB_NODE_SEQ) {
        nb_diags_print(&d, stdout);
        printf("%s: cannot read its tests\n", file);
        n = 1; /* counts as a failure */
    } else {
        for (size_t i = 0; i < tests->count; i++, n++)
            ok += run_case(file, tests->items[i], &a);
    }
    printf("%s: %d/%d passed\n", file, ok, n);
    *passed += ok;
    *total += n;
    free(path);
    nb_diags_free(&d);
    nb_arena_free(&a);
}

static int by_name(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The spec's *.yml files, sorted; lambdas need code in the data and are not
 * part of the project's engine. */
static char **spec_files(const char *dir, size_t *count)
{
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dp))) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".yml") != 0)
            continue;
        if (strstr(e->d_name, "lambdas")) {
            printf("%s: skipped (lambdas are code, not data)\n", e->d_name);
            continue;
        }
        NB_GROW(names, n, cap);
        names[n++] = nb_xstrdup(e->d_name);
    }
    closedir(dp);
    qsort(names, n, sizeof *names, by_name);
    *count = n;
    return names;
}

static void test_every_spec_file_passes(void **state)
{
    (void)state;
    char *dir = nb_path_join(NB_TEST_DATA_DIR, "mustache-spec");
    size_t nfiles;
    char **files = spec_files(dir, &nfiles);
    for (size_t r = 0; r < sizeof required_files / sizeof *required_files; r++) {
        bool present = false;
        for (size_t i = 0; i < nfiles; i++)
            present |= strcmp(files[i], required_files[r]) == 0;
        if (!present)
            printf("missing spec file: %s\n", required_files[r]);
        assert_true(present);
    }
    int passed = 0, total = 0;
    for (size_t i = 0; i < nfiles; i++) {
        run_file(dir, files[i], &passed, &total);
        free(files[i]);
    }
    printf("total: %d/%d passed\n", passed, total);
    free(files);
    free(dir);
    assert_true(total >= 100); /* the seven files hold well over a hundred cases */
    assert_int_equal(passed, total);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_spec_file_passes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
