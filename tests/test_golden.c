/* test_golden.c — the seed sample's outputs against checked-in copies.
 *
 * Besides the tests that derive their expectations from the same format
 * grid as the code, a few reference outputs are kept as files, as
 * libxlsxwriter compares against files Excel wrote: the statistics sheet's
 * XML and its shared strings, and page 1 of the PDF with every word's box
 * (tests/golden/outputs.py says what each holds). A change to the layout or
 * the workbook that is meant shows here as a diff to read, then to accept
 * on purpose with one command:
 *
 *     tests/golden/regenerate.sh      # rewrites tests/golden/taoyuan-2017.*
 *
 * and `git diff tests/golden/` committed with the change. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"
#include "util.h"

static const char *const golden_files[] = {
    "taoyuan-2017.sheet1.xml",
    "taoyuan-2017.sharedStrings.xml",
    "taoyuan-2017.page1.txt",
};

/* One file as made now against its golden copy; on a difference, the diff. */
static bool same_as_golden(const char *made_dir, const char *name)
{
    char *golden = nb_test_source_path("tests/golden");
    char *want_path = nb_path_join(golden, name), *got_path = nb_path_join(made_dir, name);
    size_t want_len = 0, got_len = 0;
    char *want = nb_read_file(want_path, &want_len), *got = nb_read_file(got_path, &got_len);
    assert_non_null(want);
    assert_non_null(got);
    bool same = want_len == got_len && memcmp(want, got, want_len) == 0;
    if (!same) {
        char *diff = NULL;
        nb_test_runf(&diff, "diff -u '%s' '%s' | head -40", want_path, got_path);
        fprintf(stderr, "%s differs from its golden copy (if meant: "
                "tests/golden/regenerate.sh):\n%s\n", name, diff ? diff : "");
        free(diff);
    }
    free(want);
    free(got);
    free(want_path);
    free(got_path);
    free(golden);
    return same;
}

static void test_outputs_match_golden_files(void **state)
{
    (void)state;
    char *dir = nb_test_tmpdir("golden");
    char *script = nb_test_source_path("tests/golden/outputs.py");
    char *out = NULL;
    int rc = nb_test_runf(&out, "%s '%s' '%s' '%s'", NB_PYTHON, script, NB_BINARY, dir);
    if (rc != 0)
        fprintf(stderr, "%s\n", out ? out : "");
    assert_int_equal(rc, 0);
    size_t differing = 0;
    for (size_t i = 0; i < sizeof golden_files / sizeof *golden_files; i++)
        differing += !same_as_golden(dir, golden_files[i]);
    assert_int_equal(differing, 0);
    free(out);
    free(script);
    free(dir);
}

/* The comparison can fail: a golden copy changed by one character is told
 * apart from the output. */
static void test_a_changed_output_is_caught(void **state)
{
    (void)state;
    char *dir = nb_test_tmpdir("golden-changed");
    char *golden = nb_test_source_path("tests/golden/taoyuan-2017.page1.txt");
    size_t len = 0;
    char *text = nb_read_file(golden, &len);
    assert_non_null(text);
    char *word = strstr(text, "2018年3月19日");
    assert_non_null(word);
    word[3] = '9'; /* 2019年 */
    char *copy = nb_path_join(dir, "taoyuan-2017.page1.txt");
    nb_test_write(copy, text, len);
    char *golden_dir = nb_test_source_path("tests/golden");
    assert_true(same_as_golden(golden_dir, "taoyuan-2017.page1.txt"));
    assert_false(same_as_golden(dir, "taoyuan-2017.page1.txt"));
    free(golden_dir);
    free(copy);
    free(text);
    free(golden);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outputs_match_golden_files),
        cmocka_unit_test(test_a_changed_output_is_caught),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
