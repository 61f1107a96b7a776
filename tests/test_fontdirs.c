/* test_fontdirs.c — the font folders, in their order: fonts/ beside the
 * report, then the user's ($XDG_DATA_HOME/nianbao/fonts), then the data
 * folder's. `nianbao fonts` lists them; a file of the map is taken from the
 * first folder that has it, fonts.yaml too; `nianbao build` uses the
 * report's own fonts, also in a batch whose other reports use the shared
 * ones (byte for byte the PDF each gets alone). */
#define _DEFAULT_SOURCE /* realpath */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "util.h"

#define SAMPLE NB_SOURCE_DIR "/samples/taoyuan-2017.yaml"

/* A font map that sets every role in one file, body.ttf. */
static const char one_font_map[] = "xiaobiaosong: [body.ttf]\nfangsong: [body.ttf]\n"
                                   "hei: [body.ttf]\nkai: [body.ttf]\nsong: [body.ttf]\n";

static char *tmp;
static char *font; /* a usable font file of this machine: the default 楷体 */

/* The file `nianbao fonts` says serves 楷体 by default (a .ttc's face index
 * dropped: its first face serves as well). */
static char *default_kai_file(void)
{
    char *out = NULL;
    if (nb_test_runf(&out, "'%s' fonts", NB_BINARY) != 0)
        return NULL;
    char *at = strstr(out, "(kai)\n  in use");
    char *path = at ? strchr(at, '/') : NULL;
    char *file = path ? nb_xstrndup(path, strcspn(path, "#\n")) : NULL;
    free(out);
    return file;
}

static void write_file(const char *dir, const char *name, const char *text)
{
    assert_int_equal(nb_test_runf(NULL, "mkdir -p '%s'", dir), 0);
    char *path = nb_path_join(dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    free(path);
}

static void link_font(const char *dir, const char *name)
{
    assert_int_equal(nb_test_runf(NULL, "mkdir -p '%s' && ln -sf '%s' '%s/%s'", dir, font, dir,
                                  name), 0);
}

static int setup(void **state)
{
    (void)state;
    char *dir = nb_test_tmpdir("fontdirs");
    tmp = realpath(dir, NULL);
    free(dir);
    font = default_kai_file();
    if (!font)
        fprintf(stderr, "nianbao fonts names no 楷体 file\n");
    return font ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(tmp);
    free(font);
    return 0;
}

/* A fresh folder `name` under tmp holding a copy of the sample. */
static char *report_folder(const char *name)
{
    char *dir = nb_path_join(tmp, name);
    assert_int_equal(nb_test_runf(NULL, "rm -rf '%s' && mkdir -p '%s' && cp '%s' '%s/report.yaml'",
                                  dir, dir, SAMPLE, dir), 0);
    return dir;
}

static void assert_contains(const char *text, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void assert_contains(const char *text, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    nb_buf want = {0};
    nb_buf_vprintf(&want, fmt, ap);
    va_end(ap);
    if (!strstr(text, nb_buf_str(&want)))
        printf("expected \"%s\" in:\n%s\n", nb_buf_str(&want), text);
    assert_non_null(strstr(text, nb_buf_str(&want)));
    nb_buf_free(&want);
}

/* Every folder is listed, in order, whether it exists or not. */
static void test_fonts_lists_each_folder(void **state)
{
    (void)state;
    char *dir = report_folder("listed");
    char *out = NULL;
    assert_int_equal(nb_test_runf(&out, "XDG_DATA_HOME='%s/xdg' '%s' fonts '%s/report.yaml'",
                                  tmp, NB_BINARY, dir), 0);
    assert_contains(out, "font folders, searched in this order:\n"
                         "  1. %s/fonts (beside the report; absent)\n", dir);
    assert_contains(out, "  2. %s/xdg/nianbao/fonts (yours; absent)\n", tmp);
    assert_contains(out, "  3. %s/fonts (the data folder's)\n", NB_SOURCE_DIR);
    free(out);
    /* without XDG_DATA_HOME, the user's folder is under HOME */
    assert_int_equal(nb_test_runf(&out, "env -u XDG_DATA_HOME HOME='%s/home' '%s' fonts",
                                  tmp, NB_BINARY), 0);
    assert_contains(out, "  1. %s/home/.local/share/nianbao/fonts (yours; absent)\n", tmp);
    assert_contains(out, "  2. %s/fonts (the data folder's)\n", NB_SOURCE_DIR);
    free(out);
    free(dir);
}

/* The user's folder gives the map and the file; the report's folder, with
 * only a file, wins for that file and leaves the map to the user's. */
static void test_report_folder_wins_over_the_users(void **state)
{
    (void)state;
    char *user = nb_path_join(tmp, "xdg/nianbao/fonts");
    write_file(user, "fonts.yaml", one_font_map);
    link_font(user, "body.ttf");
    char *dir = report_folder("own-fonts");
    char *out = NULL;
    assert_int_equal(nb_test_runf(&out, "XDG_DATA_HOME='%s/xdg' '%s' fonts '%s/report.yaml'",
                                  tmp, NB_BINARY, dir), 0);
    assert_contains(out, "  2. %s/xdg/nianbao/fonts (yours)\n", tmp);
    assert_contains(out, "font map: %s/fonts.yaml\n", user);
    assert_contains(out, "from %s/fonts.yaml:2:12: file body.ttf in %s\n", user, user);
    free(out);

    char *own = nb_path_join(dir, "fonts");
    link_font(own, "body.ttf");
    assert_int_equal(nb_test_runf(&out, "XDG_DATA_HOME='%s/xdg' '%s' fonts '%s/report.yaml'",
                                  tmp, NB_BINARY, dir), 0);
    assert_contains(out, "  1. %s (beside the report)\n", own);
    assert_contains(out, "font map: %s/fonts.yaml\n", user);
    assert_contains(out, "from %s/fonts.yaml:2:12: file body.ttf in %s\n", user, own);
    free(out);
    assert_int_equal(nb_test_runf(NULL, "rm -r '%s/xdg'", tmp), 0);
    free(own);
    free(dir);
    free(user);
}

/* A broken font beside a report is what the build reads (and refuses). */
static void test_build_reads_the_report_folder(void **state)
{
    (void)state;
    char *dir = report_folder("broken");
    char *own = nb_path_join(dir, "fonts");
    write_file(own, "fonts.yaml", one_font_map);
    write_file(own, "body.ttf", "not a font\n");
    char *out = NULL;
    int status = nb_test_runf(&out, "'%s' build '%s/report.yaml' -o '%s/out'", NB_BINARY, dir,
                              dir);
    assert_int_equal(status, 2);
    assert_contains(out, "%s/fonts.yaml:1:16: error: %s/body.ttf cannot be used as a font", own, own);
    free(out);
    free(own);
    free(dir);
}

/* Two copies of the sample, one with fonts of its own: each PDF built in a
 * batch (either order, one worker or two) is the one it gets alone, and the
 * two differ. */
static void test_batch_gives_each_report_its_fonts(void **state)
{
    (void)state;
    assert_int_equal(nb_test_runf(NULL, "cd '%s' && rm -rf a b alone batch && mkdir a b && "
                                  "cp '%s' a/plain.yaml && cp '%s' b/own.yaml", tmp, SAMPLE,
                                  SAMPLE), 0);
    char *own_fonts = nb_path_join(tmp, "b/fonts");
    write_file(own_fonts, "fonts.yaml", one_font_map);
    link_font(own_fonts, "body.ttf");
    assert_int_equal(nb_test_runf(NULL, "cd '%s' && '%s' build a/plain.yaml -o alone && "
                                  "'%s' build b/own.yaml -o alone", tmp, NB_BINARY,
                                  NB_BINARY), 0);
    assert_int_not_equal(nb_test_runf(NULL, "cd '%s' && cmp alone/plain.pdf alone/own.pdf",
                                      tmp), 0);
    static const char *const orders[] = {"a/plain.yaml b/own.yaml", "b/own.yaml a/plain.yaml"};
    for (int jobs = 1; jobs <= 2; jobs++) {
        for (int o = 0; o < 2; o++) {
            char *out = NULL;
            int status = nb_test_runf(&out, "cd '%s' && rm -rf batch && '%s' build -j %d %s "
                                      "-o batch && cmp batch/plain.pdf alone/plain.pdf && "
                                      "cmp batch/own.pdf alone/own.pdf", tmp, NB_BINARY, jobs,
                                      orders[o]);
            if (status != 0)
                printf("-j %d %s:\n%s\n", jobs, orders[o], out);
            assert_int_equal(status, 0);
            free(out);
        }
    }
    free(own_fonts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fonts_lists_each_folder),
        cmocka_unit_test(test_report_folder_wins_over_the_users),
        cmocka_unit_test(test_build_reads_the_report_folder),
        cmocka_unit_test(test_batch_gives_each_report_its_fonts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
