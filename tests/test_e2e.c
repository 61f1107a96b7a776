/* test_e2e.c — the sample report built end to end by the nianbao program,
 * and its outputs read back as a user's tools read them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"
#include "util.h"

#define SAMPLE NB_SOURCE_DIR "/samples/taoyuan-2017.yaml"
#define SEED NB_TEST_DATA_DIR "/seed-taoyuan-2017.txt"

static char *out_dir;


static char *out_file(const char *name) { return nb_path_join(out_dir, name); }

static bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Build the sample once for all the tests below. */
static int build_sample(void **state)
{
    (void)state;
    out_dir = nb_test_tmpdir("e2e");
    char *output = NULL;
    int status = nb_test_runf(&output, "'%s' build '%s' -o '%s'", NB_BINARY, SAMPLE, out_dir);
    if (status != 0) {
        fprintf(stderr, "nianbao build failed (%d):\n%s\n", status, output);
        free(output);
        return -1;
    }
    free(output);
    return 0;
}

static int cleanup(void **state)
{
    (void)state;
    free(out_dir);
    return 0;
}

static void test_outputs_are_written(void **state)
{
    (void)state;
    char *pdf = out_file("taoyuan-2017.pdf"), *xlsx = out_file("taoyuan-2017.xlsx");
    assert_true(file_exists(pdf));
    assert_true(file_exists(xlsx));
    free(pdf);
    free(xlsx);
}

static void test_pdf_says_everything_the_seed_says(void **state)
{
    (void)state;
    char *output = NULL;
    int status = nb_test_runf(&output, "'%s' '%s/tests/seed_compare.py' '%s' '%s/taoyuan-2017.pdf'",
                         NB_PYTHON, NB_SOURCE_DIR, SEED, out_dir);
    if (status != 0)
        fail_msg("the PDF does not reproduce the seed:\n%s", output);
    free(output);
}

/* GB/T 9704 geometry and clreq line ends, measured with pdftotext
 * -bbox-layout (tests/typography_check.py). */
static void test_typography(void **state)
{
    (void)state;
    char *output = NULL;
    int status = nb_test_runf(&output, "'%s' '%s/tests/typography_check.py' '%s/taoyuan-2017.pdf'",
                         NB_PYTHON, NB_SOURCE_DIR, out_dir);
    if (status != 0)
        fail_msg("the sample's pages break GB/T 9704 or clreq:\n%s", output);
    assert_non_null(strstr(output, " 0 problems"));
    free(output);
}

static void test_title_on_top(void **state)
{
    (void)state;
    char *output = NULL;
    assert_int_equal(nb_test_runf(&output, "pdftotext -l 1 '%s/taoyuan-2017.pdf' - | "
                             "tr -d ' \\n' | head -c 200", out_dir), 0);
    assert_non_null(strstr(output, "桃源县2017年政府信息公开工作年度报告"));
    free(output);
}

/* Split `line` in place at spaces; returns the number of words. */
static int split_words(char *line, char **words, int max)
{
    int n = 0;
    for (char *w = strtok(line, " "); w && n < max; w = strtok(NULL, " "))
        words[n++] = w;
    return n;
}

/* pdffonts prints a line per font: name type… encoding emb sub uni obj gen */
static void test_fonts_are_embedded_subsets(void **state)
{
    (void)state;
    char *output = NULL;
    assert_int_equal(nb_test_runf(&output, "pdffonts '%s/taoyuan-2017.pdf' | tail -n +3", out_dir), 0);
    int fonts = 0;
    char *rest = output;
    for (char *nl; (nl = strchr(rest, '\n')) != NULL; rest = nl + 1) {
        *nl = '\0';
        char *line = nb_xstrdup(rest), *words[32];
        int n = split_words(line, words, 32);
        assert_true(n >= 6);
        if (strcmp(words[n - 5], "yes") || strcmp(words[n - 4], "yes") ||
            strcmp(words[n - 3], "yes"))
            fail_msg("font not embedded+subset+unicode: %s", rest);
        assert_non_null(strchr(words[0], '+')); /* the subset tag ABCDEF+ */
        fonts++;
        free(line);
    }
    assert_true(fonts >= 2);
    free(output);
}

static void test_pdftotext_prints_no_warning(void **state)
{
    (void)state;
    char *output = NULL;
    assert_int_equal(nb_test_runf(&output, "pdftotext '%s/taoyuan-2017.pdf' /dev/null", out_dir), 0);
    assert_string_equal(output, "");
    free(output);
}

static void test_xlsx_holds_the_table(void **state)
{
    (void)state;
    char *output = NULL;
    int status = nb_test_runf(&output,
        "'%s' -c \"import openpyxl,sys; wb=openpyxl.load_workbook(sys.argv[1]); "
        "ws=wb.worksheets[0]; vals=[c.value for r in ws.iter_rows() for c in r]; "
        "print(sum(1 for v in vals if isinstance(v,(int,float))), "
        "sum(1 for v in vals if isinstance(v,str) and v.startswith('=SUM')), "
        "135000 in vals, 190 in vals)\" "
        "'%s/taoyuan-2017.xlsx'", NB_PYTHON, out_dir);
    assert_int_equal(status, 0);
    /* 65 rows: 7 group rows, one empty figure, 7 totals written as =SUM
     * formulas, 50 plain numbers */
    assert_string_equal(output, "50 7 True True\n");
    free(output);
}

static void test_usage_errors_exit_2(void **state)
{
    (void)state;
    char *output = NULL;
    assert_int_equal(nb_test_runf(&output, "'%s' build '%s'", NB_BINARY, SAMPLE), 2);
    assert_non_null(strstr(output, "no output folder given"));
    free(output);
    assert_int_equal(nb_test_runf(&output, "'%s' frobnicate", NB_BINARY), 2);
    assert_string_equal(output, "nianbao: unknown command 'frobnicate'; try 'nianbao --help'\n");
    free(output);
    assert_int_equal(nb_test_runf(&output, "'%s' --version", NB_BINARY), 0);
    assert_non_null(strstr(output, "nianbao "));
    free(output);
    assert_int_equal(nb_test_runf(&output, "'%s' --help", NB_BINARY), 0);
    assert_non_null(strstr(output, "usage: nianbao"));
    free(output);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outputs_are_written),
        cmocka_unit_test(test_pdf_says_everything_the_seed_says),
        cmocka_unit_test(test_title_on_top),
        cmocka_unit_test(test_typography),
        cmocka_unit_test(test_fonts_are_embedded_subsets),
        cmocka_unit_test(test_pdftotext_prints_no_warning),
        cmocka_unit_test(test_xlsx_holds_the_table),
        cmocka_unit_test(test_usage_errors_exit_2),
    };
    return cmocka_run_group_tests(tests, build_sample, cleanup);
}
