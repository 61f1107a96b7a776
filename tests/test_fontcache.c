/* test_fontcache.c — fontconfig's answers kept between runs (fonts_cache.h):
 * a load writes them, the next load takes them from the cache instead of
 * asking fontconfig, and a cache whose stamp no longer holds — or that was
 * cut short — is not used. To tell where an answer came from, the tests
 * plant a different answer in the cache: a family that fontconfig puts in
 * one file is said to be in another. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fonts.h"
#include "testutil.h"
#include "util.h"

#define SONG_FILE "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"
#define KAI_FILE "/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf"

/* Every role is served by the family AR PL SungtiL GB, which fontconfig
 * finds in SONG_FILE. */
static const char map_yaml[] = "xiaobiaosong: [AR PL SungtiL GB]\n"
                               "fangsong: [AR PL SungtiL GB]\n"
                               "hei: [AR PL SungtiL GB]\n"
                               "kai: [AR PL SungtiL GB]\n"
                               "song: [AR PL SungtiL GB]\n";

static char *dir, *cache_file;

static int set_up(void **state)
{
    (void)state;
    dir = nb_test_tmpdir("fontcache");
    char *map = nb_path_join(dir, "fonts.yaml");
    nb_test_write_text(map, map_yaml);
    free(map);
    /* a cache of the tests' own, not the user's */
    char *cache_home = nb_path_join(dir, "cache");
    setenv("XDG_CACHE_HOME", cache_home, 1);
    cache_file = nb_path_join(cache_home, "nianbao/fonts.cache");
    free(cache_home);
    return 0;
}

static int tear_down(void **state)
{
    (void)state;
    free(cache_file);
    free(dir);
    return 0;
}

/* The file that serves 仿宋 after loading the map. */
static char *fangsong_file(void)
{
    nb_diags d = {0};
    nb_fontset *fs = nb_fonts_load(dir, &d);
    if (!fs) {
        nb_diags_print(&d, stderr);
        fail_msg("the fonts did not load");
    }
    char *file = nb_xstrdup(fs->faces[fs->chain[NB_ROLE_FANGSONG][0]].path);
    nb_fonts_free(fs);
    nb_diags_free(&d);
    return file;
}

static char *read_cache(void)
{
    size_t len;
    char *text = nb_read_file(cache_file, &len);
    if (!text)
        fail_msg("no cache at %s", cache_file);
    return text;
}

/* The cache with fontconfig's answer for the family replaced by KAI_FILE. */
static void plant_kai_answer(void)
{
    char *text = read_cache();
    char *at = strstr(text, SONG_FILE);
    assert_non_null(at);
    nb_buf planted = {0};
    nb_buf_append(&planted, text, (size_t)(at - text));
    nb_buf_puts(&planted, KAI_FILE);
    nb_buf_puts(&planted, at + strlen(SONG_FILE));
    nb_test_write_text(cache_file, nb_buf_str(&planted));
    nb_buf_free(&planted);
    free(text);
}

static void start_without_cache(void)
{
    remove(cache_file);
    char *file = fangsong_file();
    assert_string_equal(file, SONG_FILE);
    free(file);
}

static void test_a_load_writes_the_cache(void **state)
{
    (void)state;
    start_without_cache();
    char *text = read_cache();
    assert_non_null(strstr(text, "family\tAR PL SungtiL GB\t\t1\t0\t0\t" SONG_FILE "\n"));
    /* fontconfig's configuration is part of the stamp */
    assert_non_null(strstr(text, "stamp "));
    assert_non_null(strstr(text, "/fonts.conf\n"));
    size_t len = strlen(text);
    assert_true(len > 4 && strcmp(text + len - 4, "end\n") == 0);
    free(text);
}

static void test_the_next_load_takes_the_answer_from_the_cache(void **state)
{
    (void)state;
    start_without_cache();
    plant_kai_answer();
    char *file = fangsong_file();
    assert_string_equal(file, KAI_FILE); /* fontconfig would have said SONG_FILE */
    free(file);
}

static void test_a_stale_stamp_makes_fontconfig_answer_again(void **state)
{
    (void)state;
    start_without_cache();
    plant_kai_answer();
    /* as if a font folder had changed since the cache was written */
    char *text = read_cache();
    char *stamp = strstr(text, "stamp ");
    assert_non_null(stamp);
    char *digit = stamp + strlen("stamp ");
    if (*digit == '-')
        *digit = '0'; /* absent, now present */
    else
        *digit = *digit == '9' ? '1' : (char)(*digit + 1);
    nb_test_write_text(cache_file, text);
    free(text);
    char *file = fangsong_file();
    assert_string_equal(file, SONG_FILE);
    free(file);
    /* and the cache is written afresh */
    text = read_cache();
    assert_null(strstr(text, KAI_FILE));
    free(text);
}

static void test_a_cache_cut_short_is_not_used(void **state)
{
    (void)state;
    start_without_cache();
    plant_kai_answer();
    char *text = read_cache();
    size_t len = strlen(text);
    text[len - strlen("end\n")] = '\0'; /* the last line never written */
    nb_test_write_text(cache_file, text);
    free(text);
    char *file = fangsong_file();
    assert_string_equal(file, SONG_FILE);
    free(file);
}

static void test_another_environment_is_another_cache(void **state)
{
    (void)state;
    start_without_cache();
    plant_kai_answer();
    /* FONTCONFIG_FILE steers fontconfig: the answers kept may not hold */
    setenv("FONTCONFIG_FILE", "/etc/fonts/fonts.conf", 1);
    char *file = fangsong_file();
    unsetenv("FONTCONFIG_FILE");
    assert_string_equal(file, SONG_FILE);
    free(file);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_load_writes_the_cache),
        cmocka_unit_test(test_the_next_load_takes_the_answer_from_the_cache),
        cmocka_unit_test(test_a_stale_stamp_makes_fontconfig_answer_again),
        cmocka_unit_test(test_a_cache_cut_short_is_not_used),
        cmocka_unit_test(test_another_environment_is_another_cache),
    };
    return cmocka_run_group_tests(tests, set_up, tear_down);
}
