/* test_install.c — `cmake --install` of this build tree into a temporary
 * prefix, and the installed program as a user runs it: it finds its data in
 * ../share/nianbao beside its bin/ folder (never in the source tree), keeps
 * finding it when the installation is moved, builds the same PDF and XLSX as
 * the build tree's program, says so clearly when its data is missing, and
 * obeys NIANBAO_HOME. */
#define _DEFAULT_SOURCE /* realpath */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "util.h"

#define SAMPLE NB_SOURCE_DIR "/samples/taoyuan-2017.yaml"

static char *tmp;    /* resolved, as the program sees its own path */
static char *prefix; /* tmp/inst: the installation */

static bool is_file(const char *dir, const char *rel)
{
    char *path = nb_path_join(dir, rel);
    struct stat st;
    bool yes = stat(path, &st) == 0 && S_ISREG(st.st_mode);
    if (!yes)
        printf("missing: %s\n", path);
    free(path);
    return yes;
}

static int install(void **state)
{
    (void)state;
    char *dir = nb_test_tmpdir("install");
    tmp = realpath(dir, NULL);
    free(dir);
    prefix = nb_path_join(tmp, "inst");
    char *out = NULL;
    int status = nb_test_runf(&out, "'%s' --install '%s' --prefix '%s'", NB_CMAKE,
                              NB_BUILD_DIR, prefix);
    if (status != 0)
        fprintf(stderr, "cmake --install failed (%d):\n%s\n", status, out);
    free(out);
    /* a copy of the sample in a folder of its own, as a user's report */
    status |= nb_test_runf(NULL, "mkdir -p '%s/work' '%s/elsewhere' && cp '%s' '%s/work/'",
                           tmp, tmp, SAMPLE, tmp);
    return status == 0 ? 0 : -1;
}

static int cleanup(void **state)
{
    (void)state;
    free(prefix);
    free(tmp);
    return 0;
}

static void test_install_puts_program_data_and_manual_in_place(void **state)
{
    (void)state;
    assert_true(is_file(prefix, "bin/nianbao"));
    char *program = nb_path_join(prefix, "bin/nianbao");
    assert_int_equal(access(program, X_OK), 0);
    free(program);
    assert_true(is_file(prefix, "share/nianbao/templates/_base/base.mustache"));
    assert_true(is_file(prefix, "share/nianbao/templates/gov-2014/format.yaml"));
    assert_true(is_file(prefix, "share/nianbao/templates/gov-2021/report.mustache"));
    assert_true(is_file(prefix, "share/nianbao/fonts/fonts.yaml"));
    assert_true(is_file(prefix, "share/man/man1/nianbao.1.gz"));
    assert_true(is_file(prefix, "share/doc/nianbao/README.md"));
}

/* `nianbao fonts` run from an unrelated folder names the installed data. */
static void test_installed_program_finds_its_data_beside_it(void **state)
{
    (void)state;
    char *out = NULL;
    int status = nb_test_runf(&out, "cd '%s/elsewhere' && '%s/bin/nianbao' fonts", tmp, prefix);
    assert_int_equal(status, 0);
    char *expected = NULL;
    nb_buf b = {0};
    nb_buf_printf(&b, "data folder: %s/share/nianbao (installed beside the program)\n", prefix);
    nb_buf_printf(&b, "font folders, searched in this order:\n");
    expected = nb_buf_detach(&b);
    if (!strstr(out, expected))
        printf("expected:\n%s\ngot:\n%s\n", expected, out);
    assert_non_null(strstr(out, expected));
    /* the data folder's fonts/ is searched and gives the font map */
    nb_buf_printf(&b, "%s/share/nianbao/fonts (the data folder's)", prefix);
    assert_non_null(strstr(out, nb_buf_str(&b)));
    nb_buf_clear(&b);
    nb_buf_printf(&b, "font map: %s/share/nianbao/fonts/fonts.yaml", prefix);
    assert_non_null(strstr(out, nb_buf_str(&b)));
    nb_buf_free(&b);
    free(expected);
    free(out);
}

static bool same_file(const char *a, const char *b)
{
    return nb_test_runf(NULL, "cmp '%s' '%s'", a, b) == 0;
}

/* The installation moved elsewhere builds the user's report byte for byte
 * as the build tree's program does. */
static void test_moved_installation_builds_the_same_files(void **state)
{
    (void)state;
    char *out = NULL;
    int status = nb_test_runf(&out, "cd '%s/elsewhere' && '%s' build ../work/taoyuan-2017.yaml "
                              "-o '%s/out-build-tree'", tmp, NB_BINARY, tmp);
    assert_int_equal(status, 0);
    free(out);
    status = nb_test_runf(&out, "cp -a '%s' '%s/moved' && cd '%s/elsewhere' && "
                          "'%s/moved/bin/nianbao' build ../work/taoyuan-2017.yaml -o "
                          "'%s/out-installed' && '%s/moved/bin/nianbao' fonts",
                          prefix, tmp, tmp, tmp, tmp, tmp);
    if (status != 0)
        printf("%s\n", out);
    assert_int_equal(status, 0);
    char *moved_data = nb_path_join(tmp, "moved/share/nianbao (installed beside the program)");
    assert_non_null(strstr(out, moved_data));
    free(moved_data);
    free(out);
    char *a = nb_path_join(tmp, "out-build-tree/taoyuan-2017.pdf");
    char *b = nb_path_join(tmp, "out-installed/taoyuan-2017.pdf");
    assert_true(same_file(a, b));
    free(a);
    free(b);
    a = nb_path_join(tmp, "out-build-tree/taoyuan-2017.xlsx");
    b = nb_path_join(tmp, "out-installed/taoyuan-2017.xlsx");
    assert_true(same_file(a, b));
    free(a);
    free(b);
}

/* The program copied without its data: one clear message, status 2. */
static void test_program_without_its_data_says_so(void **state)
{
    (void)state;
    char *out = NULL;
    int status = nb_test_runf(&out, "mkdir -p '%s/lonely/bin' && cp '%s/bin/nianbao' "
                              "'%s/lonely/bin/' && cd '%s/work' && "
                              "'%s/lonely/bin/nianbao' check taoyuan-2017.yaml",
                              tmp, prefix, tmp, tmp, tmp);
    assert_int_equal(status, 2);
    nb_buf b = {0};
    nb_buf_printf(&b, "nianbao: error: cannot find nianbao's data folder (templates/, fonts/): "
                  "it is not at %s/lonely/share/nianbao, beside the program; install "
                  "nianbao whole (cmake --install, or the .deb), or set NIANBAO_HOME to "
                  "the folder holding templates/ and fonts/\n", tmp);
    assert_string_equal(out, nb_buf_str(&b));
    nb_buf_free(&b);
    free(out);
    /* a command's help needs no data */
    status = nb_test_runf(&out, "'%s/lonely/bin/nianbao' build --help", tmp);
    assert_int_equal(status, 0);
    free(out);
}

/* NIANBAO_HOME wins over the data beside the program, and a wrong one is
 * named in the message. */
static void test_nianbao_home_overrides(void **state)
{
    (void)state;
    char *out = NULL;
    int status = nb_test_runf(&out, "NIANBAO_HOME='%s/share/nianbao' '%s' fonts", prefix,
                              NB_BINARY);
    assert_int_equal(status, 0);
    nb_buf b = {0};
    nb_buf_printf(&b, "data folder: %s/share/nianbao ($NIANBAO_HOME)\n", prefix);
    assert_non_null(strstr(out, nb_buf_str(&b)));
    free(out);
    status = nb_test_runf(&out, "NIANBAO_HOME='%s/nowhere' '%s/bin/nianbao' check '%s/work/"
                          "taoyuan-2017.yaml'", tmp, prefix, tmp);
    assert_int_equal(status, 2);
    nb_buf_clear(&b);
    nb_buf_printf(&b, "nianbao: error: NIANBAO_HOME is %s/nowhere, which has no templates/ folder; "
                  "set it to a folder holding nianbao's templates/ and fonts/, or unset "
                  "it\n", tmp);
    assert_string_equal(out, nb_buf_str(&b));
    nb_buf_free(&b);
    free(out);
}

/* The build tree's program, and only it, falls back on the source tree. */
static void test_build_tree_program_uses_the_source_tree(void **state)
{
    (void)state;
    char *out = NULL;
    assert_int_equal(nb_test_runf(&out, "cd '%s/elsewhere' && '%s' fonts", tmp, NB_BINARY), 0);
    nb_buf b = {0};
    nb_buf_printf(&b, "data folder: %s (the source tree, as the program of its build tree)\n",
                  NB_SOURCE_DIR);
    if (!strstr(out, nb_buf_str(&b)))
        printf("expected %s in:\n%s\n", nb_buf_str(&b), out);
    assert_non_null(strstr(out, nb_buf_str(&b)));
    nb_buf_free(&b);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_install_puts_program_data_and_manual_in_place),
        cmocka_unit_test(test_installed_program_finds_its_data_beside_it),
        cmocka_unit_test(test_moved_installation_builds_the_same_files),
        cmocka_unit_test(test_program_without_its_data_says_so),
        cmocka_unit_test(test_nianbao_home_overrides),
        cmocka_unit_test(test_build_tree_program_uses_the_source_tree),
    };
    return cmocka_run_group_tests(tests, install, cleanup);
}
