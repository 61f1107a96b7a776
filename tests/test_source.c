/* test_source.c — the YAML loader: positions of every node, scalar typing,
 * and a clear message for each kind of bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"

typedef struct loaded {
    nb_arena arena;
    nb_diags diags;
    nb_node *root;
} loaded;

static loaded load(const char *text, size_t len)
{
    loaded l = {0};
    l.root = nb_source_load_string("report.yaml", text, len, &l.arena, &l.diags);
    return l;
}

static loaded load_str(const char *text) { return load(text, strlen(text)); }

static void release(loaded *l)
{
    nb_diags_free(&l->diags);
    nb_arena_free(&l->arena);
}

/* The single error of a failed load, as printed. */
static char *only_error(loaded *l)
{
    assert_null(l->root);
    assert_int_equal(l->diags.errors, 1);
    return nb_diag_format(&l->diags.items[0]);
}

static void assert_error(const char *text, size_t len, const char *expected_start)
{
    loaded l = load(text, len);
    char *msg = only_error(&l);
    if (strncmp(msg, expected_start, strlen(expected_start)) != 0)
        fail_msg("expected '%s…', got '%s'", expected_start, msg);
    free(msg);
    release(&l);
}

static void test_positions(void **state)
{
    (void)state;
    loaded l = load_str("format: gov-2014\nstats:\n  applications:\n    received: 210\n"
                        "  list:\n    - a\n    -   b\n");
    assert_non_null(l.root);
    const nb_node *n = nb_node_at(l.root, "stats.applications.received");
    assert_non_null(n);
    assert_string_equal(n->text, "210");
    assert_int_equal(n->pos.line, 4);
    assert_int_equal(n->pos.col, 15);
    assert_string_equal(n->pos.file, "report.yaml");
    const nb_node *b = nb_node_at(l.root, "stats.list.1");
    assert_string_equal(b->text, "b");
    assert_int_equal(b->pos.line, 7);
    assert_int_equal(b->pos.col, 9);
    const nb_pair *p = nb_map_pair(nb_map_get(l.root, "stats"), "applications");
    assert_int_equal(p->key->pos.line, 3);
    assert_int_equal(p->key->pos.col, 3);
    release(&l);
}

static void test_columns_count_characters_not_bytes(void **state)
{
    (void)state;
    loaded l = load_str("地区: 桃源县\n");
    const nb_node *v = nb_map_get(l.root, "地区");
    assert_string_equal(v->text, "桃源县");
    assert_int_equal(v->pos.col, 5);
    release(&l);
}

static void test_scalar_types(void **state)
{
    (void)state;
    loaded l = load_str("a: 135000\nb: \"12\"\nc: 20.5\nd: ~\ne:\nf: true\ng: 2018-03-19\n"
                        "h: '0'\ni: 0x1F\nj: 1,234\nk: |\n  text\n");
    assert_int_equal(nb_node_type(nb_map_get(l.root, "a")), NB_TYPE_INT);
    assert_int_equal(nb_node_type(nb_map_get(l.root, "b")), NB_TYPE_STRING);
    assert_int_equal(nb_node_type(nb_map_get(l.root, "c")), NB_TYPE_FLOAT);
    assert_int_equal(nb_node_type(nb_map_get(l.root, "d")), NB_TYPE_NULL);
    assert_int_equal(nb_node_type(nb_map_get(l.root, "e")), NB_TYPE_NULL);
    assert_int_equal(nb_node_type(nb_map_get(l.root, "f")), NB_TYPE_BOOL);
    assert_int_equal(nb_node_type(nb_map_get(l.root, "g")), NB_TYPE_STRING);
    assert_int_equal(nb_node_type(nb_map_get(l.root, "h")), NB_TYPE_STRING);
    assert_int_equal(nb_node_type(nb_map_get(l.root, "j")), NB_TYPE_STRING);
    assert_int_equal(nb_node_type(nb_map_get(l.root, "k")), NB_TYPE_STRING);
    long long i;
    assert_true(nb_node_int(nb_map_get(l.root, "i"), &i));
    assert_int_equal(i, 31);
    double x;
    assert_true(nb_node_number(nb_map_get(l.root, "c"), &x));
    assert_true(x == 20.5);
    assert_true(nb_node_is_falsey(nb_map_get(l.root, "d")));
    assert_false(nb_node_is_falsey(nb_map_get(l.root, "h")));
    release(&l);
}

static void test_int_overflow_is_not_an_int(void **state)
{
    (void)state;
    loaded l = load_str("a: 99999999999999999999999\n");
    long long i;
    assert_false(nb_node_int(nb_map_get(l.root, "a"), &i));
    release(&l);
}

static void test_aliases_are_shared(void **state)
{
    (void)state;
    loaded l = load_str("base: &b {x: 1}\ncopy: *b\n");
    assert_ptr_equal(nb_map_get(l.root, "base"), nb_map_get(l.root, "copy"));
    release(&l);
}

static void test_bom_is_accepted(void **state)
{
    (void)state;
    loaded l = load_str("\xEF\xBB\xBFyear: 2017\n");
    assert_non_null(l.root);
    assert_string_equal(nb_scalar(nb_map_get(l.root, "year")), "2017");
    assert_int_equal(nb_map_get(l.root, "year")->pos.line, 1);
    release(&l);
}

static void test_errors(void **state)
{
    (void)state;
    assert_error("a: 1\n\tb: 2\n", 11, "report.yaml:2:1: a tab is used for indentation");
    assert_error("a: 1\na: 2\n", 10, "report.yaml:2:1: the key 'a' appears twice");
    assert_error("a: \xff\n", 5, "report.yaml:1:4: invalid UTF-8 at byte offset 3");
    assert_error("\xff\xfe" "a\0:\0", 6, "report.yaml: the file is UTF-16 text");
    assert_error("a: *nothing\n", 12, "report.yaml:1:4:");
    assert_error("a: [1, 2\n", 9, "report.yaml:1:4: the '[' opened here is not closed");
    assert_error("a: 1\n---\nb: 2\n", 14, "report.yaml:2:1: a second YAML document");
}

/* The slips of a Chinese input method, each named where it was typed,
 * quoting it, with what to type instead. */
static void assert_slip(const char *text, const char *expected)
{
    loaded l = load_str(text);
    char *msg = only_error(&l);
    assert_string_equal(msg, expected);
    free(msg);
    release(&l);
}

static void test_slips(void **state)
{
    (void)state;
    /* libyaml: "could not find expected ':'" at the next line */
    assert_slip("format: gov-2014\nregion：某某县\nyear: 2017\n",
                "report.yaml:2:7: 'region：某某县' is written with the full-width colon '：' "
                "after the key region; YAML needs the half-width colon and a space: "
                "region: 某某县");
    /* the same as the last line */
    assert_slip("format: gov-2014\nregion：某某县\n",
                "report.yaml:2:7: 'region：某某县' is written with the full-width colon '：' "
                "after the key region; YAML needs the half-width colon and a space: "
                "region: 某某县");
    assert_slip("stats:\n  licensing:12580\n  fees: 0\n",
                "report.yaml:2:12: 'licensing:12580' has no space after the colon, so YAML "
                "reads the whole line as one text; write licensing: 12580");
    /* libyaml accepts it as {natural: 1, "040": null} */
    assert_slip("stats:\n  new: {natural: 1,040, commercial: 2}\n",
                "report.yaml:2:18: '1,040' is written with a thousands separator: inside "
                "{…} or […] the comma separates entries, so it splits the number in two; "
                "write the digits alone (1040)");
    assert_slip("stats:\n  new: {natural: 40，commercial: 2}\nyear: 2017\n",
                "report.yaml:2:20: '40，commercial': the full-width comma '，' does not "
                "separate the entries of {…}; use the half-width comma and a space: ', '");
    assert_slip("stats:\n  new: {natural: 12，580}\n",
                "report.yaml:2:20: '12，580' is written with the full-width comma '，' inside "
                "a number; write the digits alone, without a separator");
    assert_slip("stats:\n  a: 1\n\tb: 2\n",
                "report.yaml:3:1: a tab is used for indentation here; indent with spaces");
    assert_slip("list:\n  -\tx\n  - y\nz: 1\n",
                "report.yaml:2:4: a tab is used for indentation here; indent with spaces");
    assert_slip("format: gov-2014\nregion: \"某某县\nyear: 2017\noffice: x\n",
                "report.yaml:2:9: the quote \" opened here is never closed: the rest of the "
                "file became part of this value; put the closing \" at the end of the value");
    assert_slip("region: 桃源县\nlist: [a, b\nyear: 2017\n",
                "report.yaml:2:7: the '[' opened here is not closed: at line 3, column 5, "
                "where a ',' or ']' should come, something else does; close it with ']'");
}

/* Commas that belong where they are are no slips: Chinese text in a flow
 * list, numbers in quotes, a block of text, a comment. */
static void test_commas_that_are_no_slips(void **state)
{
    (void)state;
    loaded l = load_str("a: [全市共受理，依法办理, \"1,040\"]\n"
                        "b: |\n  {x: 1,040}\n"
                        "c: {n: 1} # {n: 1,040}\n"
                        "url: http://example.org\n");
    assert_non_null(l.root);
    assert_int_equal(l.diags.count, 0);
    release(&l);
}

static void test_billion_laughs_fails_fast(void **state)
{
    (void)state;
    nb_buf b = {0};
    nb_buf_puts(&b, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 12; i++)
        nb_buf_printf(&b, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, "
                      "*a%d, *a%d]\n", i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1,
                      i - 1, i - 1, i - 1, i - 1);
    loaded l = load(b.data, b.len);
    char *msg = only_error(&l);
    assert_non_null(strstr(msg, "expands to more than"));
    free(msg);
    release(&l);
    nb_buf_free(&b);
}

static void test_depth_limit(void **state)
{
    (void)state;
    nb_buf b = {0};
    for (int i = 0; i < 100; i++)
        nb_buf_putc(&b, '[');
    for (int i = 0; i < 100; i++)
        nb_buf_putc(&b, ']');
    loaded l = load(b.data, b.len);
    char *msg = only_error(&l);
    assert_non_null(strstr(msg, "nested deeper than 64 levels"));
    free(msg);
    release(&l);
    nb_buf_free(&b);
}

static void test_missing_file_and_folder(void **state)
{
    (void)state;
    nb_arena a = {0};
    nb_diags d = {0};
    assert_null(nb_source_load_file("/nonexistent/report.yaml", &a, &d));
    assert_null(nb_source_load_file("/tmp", &a, &d));
    char *m0 = nb_diag_format(&d.items[0]), *m1 = nb_diag_format(&d.items[1]);
    assert_string_equal(m0, "/nonexistent/report.yaml: cannot read: No such file or directory");
    assert_string_equal(m1, "/tmp: cannot read: it is a folder, not a file");
    free(m0);
    free(m1);
    nb_diags_free(&d);
    nb_arena_free(&a);
}

/* The one hash of the keys' tables (source, format): 64-bit FNV-1a, whose
 * published test vectors it must give. */
static void test_key_hash_is_fnv1a(void **state)
{
    (void)state;
    assert_true(nb_hash_string("") == 0xcbf29ce484222325u);
    assert_true(nb_hash_string("a") == 0xaf63dc4c8601ec8cu);
    assert_true(nb_hash_string("foobar") == 0x85944171f73967e8u);
}

static void test_config_readers(void **state)
{
    (void)state;
    loaded l = load_str("name: x\nlist: [1]\nmap: {a: 1}\n");
    nb_diags d = {0};
    assert_string_equal(nb_cfg_string(l.root, "name", true, &d), "x");
    assert_non_null(nb_cfg_list(l.root, "list", true, &d));
    assert_null(nb_cfg_list(l.root, "name", true, &d));
    assert_null(nb_cfg_string(l.root, "absent", true, &d));
    assert_null(nb_cfg_string(l.root, "absent", false, &d));
    assert_int_equal(d.errors, 2);
    char *m = nb_diag_format(&d.items[0]);
    assert_string_equal(m, "report.yaml:1:7: 'name' should be a list ([a, b] or - lines), not text");
    free(m);
    nb_diags_free(&d);
    release(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_columns_count_characters_not_bytes),
        cmocka_unit_test(test_scalar_types),
        cmocka_unit_test(test_int_overflow_is_not_an_int),
        cmocka_unit_test(test_aliases_are_shared),
        cmocka_unit_test(test_bom_is_accepted),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_slips),
        cmocka_unit_test(test_commas_that_are_no_slips),
        cmocka_unit_test(test_billion_laughs_fails_fast),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_missing_file_and_folder),
        cmocka_unit_test(test_config_readers),
        cmocka_unit_test(test_key_hash_is_fnv1a),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
