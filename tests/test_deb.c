/* test_deb.c — `cpack -G DEB` of this build tree: the package is named
 * nianbao_<version>_<arch>.deb, holds the program, its data and its manual
 * under /usr, depends on Debian's runtime packages and the default fonts'
 * packages, and the program unpacked from it (dpkg -x, as dpkg -i would lay
 * it out) builds the sample as the build tree's program does, finding its
 * data beside itself. */
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

static char *tmp;
static char *deb; /* the package's path */

static int make_package(void **state)
{
    (void)state;
    char *dir = nb_test_tmpdir("deb");
    tmp = realpath(dir, NULL);
    free(dir);
    char *arch = NULL;
    if (nb_test_run("dpkg --print-architecture", &arch) != 0)
        return -1;
    arch[strcspn(arch, "\n")] = '\0';
    nb_buf b = {0};
    nb_buf_printf(&b, "%s/nianbao_%s_%s.deb", tmp, NB_VERSION, arch);
    deb = nb_buf_detach(&b);
    free(arch);
    char *out = NULL;
    int status = nb_test_runf(&out, "cd '%s' && '%s' -G DEB -B '%s'", NB_BUILD_DIR, NB_CPACK,
                              tmp);
    if (status != 0)
        fprintf(stderr, "cpack failed (%d):\n%s\n", status, out);
    free(out);
    return status == 0 ? 0 : -1;
}

static int cleanup(void **state)
{
    (void)state;
    free(deb);
    free(tmp);
    return 0;
}

static void assert_listed(const char *text, const char *what)
{
    if (!strstr(text, what))
        printf("\"%s\" is not in:\n%s\n", what, text);
    assert_non_null(strstr(text, what));
}

static void test_package_holds_program_data_and_manual(void **state)
{
    (void)state;
    char *out = NULL;
    assert_int_equal(nb_test_runf(&out, "dpkg -c '%s'", deb), 0);
    assert_listed(out, " ./usr/bin/nianbao\n");
    assert_listed(out, " ./usr/share/nianbao/fonts/fonts.yaml\n");
    assert_listed(out, " ./usr/share/nianbao/templates/_base/base.mustache\n");
    assert_listed(out, " ./usr/share/nianbao/templates/gov-2014/format.yaml\n");
    assert_listed(out, " ./usr/share/nianbao/templates/gov-2021/format.yaml\n");
    assert_listed(out, " ./usr/share/man/man1/nianbao.1.gz\n");
    free(out);
}

/* Each runtime library and each default font package, by its Debian name. */
static void test_package_depends_on_the_runtime_packages(void **state)
{
    (void)state;
    char *out = NULL;
    assert_int_equal(nb_test_runf(&out, "dpkg-deb -f '%s' Package Version Depends", deb), 0);
    assert_listed(out, "Package: nianbao\n");
    assert_listed(out, "Version: " NB_VERSION "\n");
    static const char *const packages[] = {
        "libc6", "libhpdf-2.3.0", "libxlsxwriter4", "libyaml-0-2", "libmd4c0",
        "libfontconfig1", "libfreetype6", "libdeflate0",
    };
    for (size_t i = 0; i < sizeof packages / sizeof *packages; i++) {
        nb_buf word = {0};
        nb_buf_printf(&word, " %s", packages[i]);
        assert_listed(out, nb_buf_str(&word));
        nb_buf_free(&word);
    }
    /* the font packages of the default set, as configured */
    char *fonts = nb_xstrdup(NB_DEB_FONT_PACKAGES);
    for (char *name = strtok(fonts, ", "); name; name = strtok(NULL, ", "))
        assert_listed(out, name);
    free(fonts);
    free(out);
}

/* Unpacked into a folder, the program finds its data under usr/share/nianbao
 * beside usr/bin (NIANBAO_HOME unset by ctest) and builds the same PDF. */
static void test_unpacked_program_builds_the_sample(void **state)
{
    (void)state;
    char *out = NULL;
    int status = nb_test_runf(&out, "cd '%s' && dpkg -x '%s' root && mkdir -p work && cp '%s' "
                              "work/ && cd work && '%s' build taoyuan-2017.yaml -o from-build-tree && "
                              "../root/usr/bin/nianbao build taoyuan-2017.yaml -o from-deb && "
                              "cmp from-build-tree/taoyuan-2017.pdf from-deb/taoyuan-2017.pdf && "
                              "../root/usr/bin/nianbao fonts", tmp, deb, SAMPLE, NB_BINARY);
    if (status != 0)
        printf("%s\n", out);
    assert_int_equal(status, 0);
    nb_buf b = {0};
    nb_buf_printf(&b, "data folder: %s/root/usr/share/nianbao (installed beside the program)\n",
                  tmp);
    assert_listed(out, nb_buf_str(&b));
    nb_buf_free(&b);
    free(out);
    /* the manual, compressed as Debian installs manuals */
    assert_int_equal(nb_test_runf(NULL, "zcat '%s/root/usr/share/man/man1/nianbao.1.gz' | "
                                  "cmp - '%s/doc/nianbao.1'", tmp, NB_SOURCE_DIR), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_package_holds_program_data_and_manual),
        cmocka_unit_test(test_package_depends_on_the_runtime_packages),
        cmocka_unit_test(test_unpacked_program_builds_the_sample),
    };
    return cmocka_run_group_tests(tests, make_package, cleanup);
}
