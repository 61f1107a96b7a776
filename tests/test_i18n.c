/* test_i18n.c — the clerk's language and the command line's manners: the
 * same failing reports give English messages under LANG=C and Chinese ones
 * under LANGUAGE=zh_CN (and LANG=zh_CN.UTF-8 where that locale is
 * installed); every command's --help; --option=value; "did you mean" for
 * commands; check's summary counts warnings; a batch's summary line is cut
 * between characters; colour only on a terminal. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "testutil.h"
#include "util.h"

/* The three ways a user's environment may ask for a language. */
#define ENGLISH "env -u LC_ALL -u LC_MESSAGES LANGUAGE= LANG=C"
#define CHINESE "env -u LC_ALL -u LC_MESSAGES LANGUAGE=zh_CN LANG=C.UTF-8"
#define CHINESE_LOCALE "env -u LC_ALL -u LC_MESSAGES -u LANGUAGE LANG=zh_CN.UTF-8"

static char *tmp;

static char *write_report(const char *name, const char *text)
{
    char *path = nb_path_join(tmp, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* The sample with `from` (once in it) replaced by `to`. */
static char *edited_sample(const char *name, const char *from, const char *to)
{
    char *sample_path = nb_test_source_path("samples/huaian-2024.yaml");
    size_t len;
    char *sample = nb_read_file(sample_path, &len);
    assert_non_null(sample);
    const char *at = strstr(sample, from);
    assert_non_null(at);
    nb_buf b = {0};
    nb_buf_append(&b, sample, (size_t)(at - sample));
    nb_buf_puts(&b, to);
    nb_buf_puts(&b, at + strlen(from));
    char *path = write_report(name, nb_buf_str(&b));
    nb_buf_free(&b);
    free(sample);
    free(sample_path);
    return path;
}

static bool chinese_locale_installed(void)
{
    char *out = NULL;
    nb_test_run("locale -a", &out);
    bool yes = out && (strstr(out, "zh_CN.utf8") || strstr(out, "zh_CN.UTF-8"));
    free(out);
    return yes;
}

/* `nianbao check FILE` under `env` exits with `status` and prints `expected`. */
static void check_says(const char *env, const char *file, int status, const char *expected)
{
    char *out = NULL;
    int got = nb_test_runf(&out, "%s '%s' check '%s'", env, NB_BINARY, file);
    if (got != status || !strstr(out, expected))
        fprintf(stderr, "%s: expected exit %d and\n  %s\ngot exit %d:\n%s\n", env, status,
                expected, got, out);
    assert_int_equal(got, status);
    assert_non_null(strstr(out, expected));
    free(out);
}

/* One failing report, its message in both languages. */
static void expect_both(const char *file, int status, const char *english,
                        const char *chinese)
{
    check_says(ENGLISH, file, status, english);
    check_says(CHINESE, file, status, chinese);
    if (chinese_locale_installed())
        check_says(CHINESE_LOCALE, file, status, chinese);
    else
        fprintf(stderr, "note: zh_CN.UTF-8 is not installed; LANGUAGE=zh_CN tested alone\n");
}

static void test_slip_in_both_languages(void **state)
{
    (void)state;
    char *f = write_report("colon.yaml", "format: gov-2021\nregion：某某县\nyear: 2025\n");
    expect_both(f, 2,
                "colon.yaml:2:7: error: 'region：某某县' is written with the full-width colon "
                "'：' after the key region; YAML needs the half-width colon and a space: "
                "region: 某某县",
                "colon.yaml:2:7: 错误：“region：某某县”在键名 region 后用了全角冒号“：”；"
                "YAML 要求用半角冒号加一个空格：region: 某某县");
    free(f);
}

static void test_broken_sum_in_both_languages(void **state)
{
    (void)state;
    char *f = edited_sample("sum.yaml", "granted:        {natural: 1288,",
                            "granted:        {natural: 1289,");
    expect_both(f, 1,
                "sum.yaml:37:123: error: 三（一）予以公开 (总计) is 1362, but the figures left "
                "of it add up to 1363 (rule: 总计列等于自然人与五类法人或其他组织之和;",
                "sum.yaml:37:123: 错误：三（一）予以公开 (总计)填的是 1362，但其左侧各栏合计为 "
                "1363（勾稽关系：总计列等于自然人与五类法人或其他组织之和；");
    /* a note per term, and the figure both broken rules name */
    expect_both(f, 1, "sum.yaml:37:31: note: 三（一）予以公开 (自然人) is 1289\n",
                "sum.yaml:37:31: 附注：三（一）予以公开 (自然人)为 1289\n");
    expect_both(f, 1,
                "sum.yaml:37:31: note: 三（一）予以公开 (自然人) (1289) is the one figure the 2 "
                "broken rules above have in common: it is most likely the wrong one",
                "sum.yaml:37:31: 附注：三（一）予以公开 (自然人)（1289）是以上 2 条不成立的勾稽"
                "关系共同涉及的唯一数据，最可能是这一项填错了");
    free(f);
}

static void test_hints_in_both_languages(void **state)
{
    (void)state;
    char *f = edited_sample("date.yaml", "date: ~ ", "date: 2026-02-30 ");
    expect_both(f, 2,
                "date.yaml:20:7: error: date is '2026-02-30': there is no day 30 in 2026-02, "
                "which has 28 days",
                "date.yaml:20:7: 错误：date写成了“2026-02-30”：2026 年 02 月只有 28 天，没有 30 日");
    free(f);
    f = edited_sample("penalty.yaml", "  penalties: ", "  penalty: ");
    expect_both(f, 2, "penalty.yaml:27:3: error: unknown key 'penalty' under proactive; did "
                      "you mean 'penalties'?",
                "penalty.yaml:27:3: 错误：未知的键名“penalty”（位于 proactive 下）；是否应为"
                "“penalties”？");
    free(f);
    f = write_report("alias.yaml", "format: gov-2021\nnew: &received 3119\ntext: [共, "
                                   "*recieved, 件]\n");
    expect_both(f, 2, "error: the alias *recieved refers to no anchor defined before it; did "
                      "you mean *received (anchored as &received)?",
                "错误：引用 *recieved 在前面找不到对应的锚名；是否应为 *received（锚名 &received）？");
    free(f);
    f = edited_sample("item.yaml", "    - title: 主动公开情况。", "    - titel: 主动公开情况。");
    expect_both(f, 2, "error: unknown key 'titel' under overview.items[1]; did you mean "
                      "'title'?",
                "错误：未知的键名“titel”（位于 overview.items第1项 下）；是否应为“title”？");
    free(f);
}

/* The draft's problems page in the chosen language: its heading and the
 * messages listed on it. */
static void test_problems_page_in_chinese(void **state)
{
    (void)state;
    char *f = edited_sample("draft.yaml", "granted:        {natural: 1288,",
                            "granted:        {natural: 1289,");
    char *out = NULL;
    /* run where the report is: its name on the page is as short as typed */
    assert_int_equal(nb_test_runf(&out, "cd '%s' && " CHINESE " '%s' preview draft.yaml -o "
                                  "out-draft && pdftotext -layout out-draft/draft.draft.pdf -",
                                  tmp, NB_BINARY), 0);
    /* the page's lines joined: a message wraps where a line is full */
    char *joined = out;
    for (char *p = out; *p; p++)
        if (*p != '\n')
            *joined++ = *p;
    *joined = '\0';
    assert_non_null(strstr(out, "草稿检查发现的问题"));
    assert_non_null(strstr(out, "draft.yaml:37:31: 附注：三（一）予以公开 (自然人)为 1289"));
    assert_non_null(strstr(out, "draft.yaml:37:123: 警告：三（一）予以公开 (总计)填的是"));
    free(out);
    free(f);
}

/* ---- the command line ---- */
static void test_help_of_every_command(void **state)
{
    (void)state;
    static const struct {
        const char *command;
        const char *options[4];
    } commands[] = {
        {"build", {"--output=DIR", "--jobs=N", "--timings", NULL}},
        {"preview", {"--output=DIR", "--watch", NULL}},
        {"check", {"--previous=FILE", NULL}},
        {"init", {"--format=NAME", "--region=REGION", "--year=YEAR", NULL}},
        {"render", {"--data=FILE", "--partials=DIR", "--escape=MODE", "--lenient"}},
        {"fonts", {"--fonts-dir=DIR", "--text=TEXT", NULL}},
    };
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        char *out = NULL;
        assert_int_equal(nb_test_runf(&out, ENGLISH " '%s' %s --help", NB_BINARY,
                                      commands[i].command), 0);
        char usage[64];
        snprintf(usage, sizeof usage, "usage: nianbao %s", commands[i].command);
        assert_non_null(strstr(out, usage));
        assert_non_null(strstr(out, "\noptions:\n"));
        assert_non_null(strstr(out, "\nexample:\n  nianbao "));
        assert_non_null(strstr(out, "\nexit status: 0 "));
        assert_non_null(strstr(out, "-h, --help"));
        for (size_t k = 0; k < 4 && commands[i].options[k]; k++)
            assert_non_null(strstr(out, commands[i].options[k]));
        free(out);
        assert_int_equal(nb_test_runf(&out, CHINESE " '%s' %s --help", NB_BINARY,
                                      commands[i].command), 0);
        snprintf(usage, sizeof usage, "用法：nianbao %s", commands[i].command);
        assert_non_null(strstr(out, usage));
        assert_non_null(strstr(out, "\n选项：\n"));
        assert_non_null(strstr(out, "\n示例：\n"));
        assert_non_null(strstr(out, "\n退出状态：0 "));
        free(out);
    }
}

static void test_unknown_command_and_option(void **state)
{
    (void)state;
    char *out = NULL;
    assert_int_equal(nb_test_runf(&out, ENGLISH " '%s' biuld x.yaml", NB_BINARY), 2);
    assert_string_equal(out, "nianbao: unknown command 'biuld'; did you mean 'build'? (try "
                             "'nianbao --help')\n");
    free(out);
    assert_int_equal(nb_test_runf(&out, CHINESE " '%s' biuld x.yaml", NB_BINARY), 2);
    assert_string_equal(out, "nianbao：未知命令“biuld”；是否应为“build”？（运行“nianbao --help”"
                             "查看用法）\n");
    free(out);
    assert_int_equal(nb_test_runf(&out, ENGLISH " '%s' check x.yaml --previus=y.yaml",
                                  NB_BINARY), 2);
    assert_string_equal(out, "nianbao check: error: unknown option '--previus'; did you mean "
                             "'--previous'?\nTry 'nianbao check --help' for its options.\n");
    free(out);
}

static void test_option_equals_value(void **state)
{
    (void)state;
    char *sample = nb_test_source_path("samples/huaian-2024.yaml");
    char *out = NULL;
    /* the same report as last year's: the year check fails, so --previous= was read */
    assert_int_equal(nb_test_runf(&out, ENGLISH " '%s' check '%s' --previous='%s'", NB_BINARY,
                                  sample, sample), 1);
    assert_non_null(strstr(out, "it should be last year's"));
    free(out);
    char *dir = nb_path_join(tmp, "out-equals");
    assert_int_equal(nb_test_runf(&out, ENGLISH " '%s' init --format=gov-2021 --region=某某县 "
                                        "--year=2025", NB_BINARY), 0);
    assert_non_null(strstr(out, "format: gov-2021"));
    free(out);
    assert_int_equal(nb_test_runf(&out, ENGLISH " '%s' preview '%s' --output='%s'", NB_BINARY,
                                  sample, dir), 0);
    assert_non_null(strstr(out, "huaian-2024.draft.pdf"));
    free(out);
    free(dir);
    free(sample);
}

static void test_check_counts_warnings(void **state)
{
    (void)state;
    char *out = NULL;
    char *sample = nb_test_source_path("samples/huaian-2024.yaml");
    assert_int_equal(nb_test_runf(&out, ENGLISH " '%s' check '%s'", NB_BINARY, sample), 0);
    assert_non_null(strstr(out, "all figures agree with the rules of format gov-2021; no "
                                "warnings\n"));
    free(out);
    free(sample);
    char *f = edited_sample("punct.yaml", "2024年，我市坚持", "2024年,我市坚持");
    assert_int_equal(nb_test_runf(&out, ENGLISH " '%s' check '%s'", NB_BINARY, f), 0);
    assert_non_null(strstr(out, "warning: half-width ',' in Chinese text"));
    assert_non_null(strstr(out, "punct.yaml: all figures agree with the rules of format "
                                "gov-2021; 1 warning\n"));
    free(out);
    assert_int_equal(nb_test_runf(&out, CHINESE " '%s' check '%s'", NB_BINARY, f), 0);
    assert_non_null(strstr(out, "警告：中文中用了半角的“,”"));
    assert_non_null(strstr(out, "punct.yaml：所有数据均符合格式 gov-2021 的勾稽关系；1 条警告\n"));
    free(out);
    free(f);
}

/* A batch's line for a failed report holds its first message, cut to fit:
 * between two characters, however long the Chinese message is. */
static void test_batch_line_cut_between_characters(void **state)
{
    (void)state;
    char *bad = edited_sample("cut.yaml", "total: {natural: 2932,", "total: {natural: 2933,");
    char *good = nb_test_source_path("samples/taoyuan-2017.yaml");
    char *dir = nb_path_join(tmp, "out-cut");
    char *out = NULL;
    assert_int_equal(nb_test_runf(&out, CHINESE " '%s' build '%s' '%s' -o '%s' -j 1",
                                  NB_BINARY, bad, good, dir), 1);
    const char *line = strstr(out, "失败：");
    assert_non_null(line);
    const char *end = strchr(line, '\n');
    assert_non_null(end);
    /* the message (21 terms) is longer than the line holds: it was cut */
    assert_true(end - line > 300);
    assert_null(strstr(line, "（共 21 项）"));
    assert_int_equal(nb_utf8_invalid_at(line, (size_t)(end - line)), (size_t)-1);
    assert_int_equal(nb_utf8_invalid_at(out, strlen(out)), (size_t)-1);
    free(out);
    free(dir);
    free(good);
    free(bad);
}

static void test_utf8_fit(void **state)
{
    (void)state;
    const char *s = "勾稽关系"; /* 3 bytes each */
    assert_int_equal(nb_utf8_fit(s, 12, 12), 12);
    assert_int_equal(nb_utf8_fit(s, 12, 11), 9);
    assert_int_equal(nb_utf8_fit(s, 12, 7), 6);
    assert_int_equal(nb_utf8_fit(s, 12, 2), 0);
    assert_int_equal(nb_utf8_fit("abc", 3, 2), 2);
}

/* Colour on a terminal only: piped output (as here) has none; the
 * terminal form colours the place and the label. */
static void test_colour(void **state)
{
    (void)state;
    char *f = write_report("tab.yaml", "format: gov-2021\n\tyear: 2025\n");
    char *out = NULL;
    assert_int_equal(nb_test_runf(&out, ENGLISH " '%s' check '%s'", NB_BINARY, f), 2);
    assert_null(strchr(out, '\033'));
    free(out);
    /* on a terminal (script(1) gives the program one): coloured, unless NO_COLOR */
    assert_int_equal(nb_test_runf(&out, ENGLISH " script -qec \"'%s' check '%s'\" /dev/null",
                                  NB_BINARY, f), 2);
    assert_non_null(strstr(out, "\033[1;31merror: \033[0m"));
    free(out);
    assert_int_equal(nb_test_runf(&out, ENGLISH " NO_COLOR=1 script -qec \"'%s' check '%s'\" "
                                  "/dev/null", NB_BINARY, f), 2);
    assert_null(strchr(out, '\033'));
    assert_non_null(strstr(out, "error: a tab is used for indentation here"));
    free(out);
    nb_diag g = {NB_ERROR, NB_KIND_INPUT, {"r.yaml", 2, 1}, (char *)"a tab"};
    char *line = nb_diag_format_labelled(&g, true);
    assert_string_equal(line, "\033[1mr.yaml:2:1:\033[0m \033[1;31merror: \033[0ma tab");
    free(line);
    line = nb_diag_format_labelled(&g, false);
    assert_string_equal(line, "r.yaml:2:1: error: a tab");
    free(line);
    free(f);
}

static int setup(void **state)
{
    (void)state;
    tmp = nb_test_tmpdir("i18n");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(tmp);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slip_in_both_languages),
        cmocka_unit_test(test_broken_sum_in_both_languages),
        cmocka_unit_test(test_hints_in_both_languages),
        cmocka_unit_test(test_problems_page_in_chinese),
        cmocka_unit_test(test_help_of_every_command),
        cmocka_unit_test(test_unknown_command_and_option),
        cmocka_unit_test(test_option_equals_value),
        cmocka_unit_test(test_check_counts_warnings),
        cmocka_unit_test(test_batch_line_cut_between_characters),
        cmocka_unit_test(test_utf8_fit),
        cmocka_unit_test(test_colour),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
