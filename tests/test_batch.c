/* test_batch.c — `nianbao build a.yaml b.yaml … -o DIR -j N`: the good
 * reports are written, each failed one gets one `failed:` line naming it and
 * its first error, the exit status is 1, and a report built in a batch is
 * byte for byte the one built alone (the fonts loaded once and shared by
 * the workers change nothing). */
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

static char *sample_text;

static int read_sample(void **state)
{
    (void)state;
    size_t len;
    sample_text = nb_read_file(SAMPLE, &len);
    return sample_text ? 0 : -1;
}

static int free_sample(void **state)
{
    (void)state;
    free(sample_text);
    return 0;
}

/* The sample with every `from` replaced by `to`. */
static char *replaced(const char *text, const char *from, const char *to)
{
    nb_buf b = {0};
    size_t n = strlen(from);
    for (const char *p = text, *hit; *p; p = hit + n) {
        hit = strstr(p, from);
        if (!hit) {
            nb_buf_puts(&b, p);
            break;
        }
        nb_buf_append(&b, p, (size_t)(hit - p));
        nb_buf_puts(&b, to);
    }
    return nb_buf_detach(&b);
}

static char *write_report(const char *dir, const char *name, const char *text)
{
    char *path = nb_path_join(dir, name);
    nb_test_write_text(path, text);
    return path;
}

/* A good report: the sample for another county. */
static char *good_report(const char *dir, const char *name, const char *county)
{
    char *text = replaced(sample_text, "桃源县", county);
    char *path = write_report(dir, name, text);
    free(text);
    return path;
}

static bool written(const char *dir, const char *name)
{
    char *path = nb_path_join(dir, name);
    struct stat st;
    bool ok = stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
    free(path);
    return ok;
}

static int count_lines_starting(const char *text, const char *prefix)
{
    int n = 0;
    for (const char *line = text; line && *line;) {
        n += strncmp(line, prefix, strlen(prefix)) == 0;
        line = strchr(line, '\n');
        line = line ? line + 1 : NULL;
    }
    return n;
}

static int run_batch(char **output, const char *out_dir, int jobs, const char *const *inputs,
                     size_t n)
{
    nb_buf cmd = {0};
    nb_buf_printf(&cmd, "'%s' build", NB_BINARY);
    for (size_t i = 0; i < n; i++)
        nb_buf_printf(&cmd, " '%s'", inputs[i]);
    nb_buf_printf(&cmd, " -o '%s' -j %d", out_dir, jobs);
    int status = nb_test_run(nb_buf_str(&cmd), output);
    nb_buf_free(&cmd);
    return status;
}

static void test_good_written_bad_reported(void **state)
{
    (void)state;
    char *dir = nb_test_tmpdir("batch_mixed");
    char *out = nb_path_join(dir, "out");
    char *a = good_report(dir, "a.yaml", "安平县");
    char *b = good_report(dir, "b.yaml", "东江县");
    /* 收到申请数 no longer equals the sum of its channels */
    char *broken = replaced(sample_text, "received: 210", "received: 211");
    char *bad = write_report(dir, "bad.yaml", broken);
    char *c = good_report(dir, "c.yaml", "南山县");
    const char *inputs[] = {a, b, bad, c};
    char *output = NULL;
    int status = run_batch(&output, out, 2, inputs, 4);

    assert_int_equal(status, 1);
    const char *names[] = {"a", "b", "c"};
    for (size_t i = 0; i < 3; i++) {
        char pdf[16], xlsx[16];
        snprintf(pdf, sizeof pdf, "%s.pdf", names[i]);
        snprintf(xlsx, sizeof xlsx, "%s.xlsx", names[i]);
        if (!written(out, pdf) || !written(out, xlsx))
            fail_msg("%s or %s not written:\n%s", pdf, xlsx, output);
    }
    assert_false(written(out, "bad.pdf"));
    assert_false(written(out, "bad.xlsx"));
    /* one summary line, naming the report and where its first error is */
    assert_int_equal(count_lines_starting(output, "failed: "), 1);
    nb_buf want = {0};
    nb_buf_printf(&want, "failed: %s: %s:", bad, bad);
    if (!strstr(output, nb_buf_str(&want)))
        fail_msg("no line starting \"%s\" in:\n%s", nb_buf_str(&want), output);
    assert_non_null(strstr(output, "is 211"));
    assert_non_null(strstr(output, "3 of 4 reports built, 1 failed"));
    nb_buf_free(&want);
    free(output);
    free(broken);
    free(a);
    free(b);
    free(bad);
    free(c);
    free(out);
    free(dir);
}

static bool same_file(const char *x, const char *y)
{
    size_t nx, ny;
    char *a = nb_read_file(x, &nx), *b = nb_read_file(y, &ny);
    bool same = a && b && nx == ny && memcmp(a, b, nx) == 0;
    free(a);
    free(b);
    return same;
}

static void test_batch_builds_what_a_single_build_builds(void **state)
{
    (void)state;
    char *dir = nb_test_tmpdir("batch_same");
    char *alone = nb_path_join(dir, "alone"), *batch = nb_path_join(dir, "batch");
    char *a = good_report(dir, "a.yaml", "安平县");
    char *b = good_report(dir, "b.yaml", "东江县");
    char *output = NULL;
    nb_buf cmd = {0};
    nb_buf_printf(&cmd, "'%s' build '%s' -o '%s'", NB_BINARY, a, alone);
    assert_int_equal(nb_test_run(nb_buf_str(&cmd), &output), 0);
    free(output);
    const char *inputs[] = {a, b};
    assert_int_equal(run_batch(&output, batch, 2, inputs, 2), 0);
    assert_int_equal(count_lines_starting(output, "failed: "), 0);
    free(output);
    const char *files[] = {"a.pdf", "a.xlsx"};
    for (size_t i = 0; i < 2; i++) {
        char *x = nb_path_join(alone, files[i]), *y = nb_path_join(batch, files[i]);
        if (!same_file(x, y))
            fail_msg("%s differs between a single build and a batch", files[i]);
        free(x);
        free(y);
    }
    nb_buf_free(&cmd);
    free(a);
    free(b);
    free(alone);
    free(batch);
    free(dir);
}

/* At -j 1 too: a report that cannot be read is one failed line, the others
 * are written, and the status is 1 (not the 2 of a single unreadable one). */
static void test_unreadable_report_one_worker(void **state)
{
    (void)state;
    char *dir = nb_test_tmpdir("batch_unreadable");
    char *out = nb_path_join(dir, "out");
    char *a = good_report(dir, "a.yaml", "安平县");
    char *missing = nb_path_join(dir, "missing.yaml");
    const char *inputs[] = {missing, a};
    char *output = NULL;
    int status = run_batch(&output, out, 1, inputs, 2);
    assert_int_equal(status, 1);
    assert_true(written(out, "a.pdf"));
    assert_true(written(out, "a.xlsx"));
    assert_int_equal(count_lines_starting(output, "failed: "), 1);
    nb_buf want = {0};
    nb_buf_printf(&want, "failed: %s: ", missing);
    if (!strstr(output, nb_buf_str(&want)))
        fail_msg("no line starting \"%s\" in:\n%s", nb_buf_str(&want), output);
    nb_buf_free(&want);
    free(output);
    free(a);
    free(missing);
    free(out);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_written_bad_reported),
        cmocka_unit_test(test_batch_builds_what_a_single_build_builds),
        cmocka_unit_test(test_unreadable_report_one_worker),
    };
    return cmocka_run_group_tests(tests, read_sample, free_sample);
}
