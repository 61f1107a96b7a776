/* test_own_words.c — a report in its own words (issue 12): `wording:` of the
 * format's fixed text, items with a heading of their own line, run in, or
 * untitled, figures quoted inline with {{key}}, a 2014-era report with an
 * outline of its own. Each case is a variant of a sample, run through the
 * program as a clerk would. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "util.h"

#define SAMPLE NB_SOURCE_DIR "/samples/huaian-2024.yaml"
#define SEED_SAMPLE NB_SOURCE_DIR "/samples/taoyuan-2017.yaml"

static char *tmp;
static char *sample;

static int setup(void **state)
{
    (void)state;
    tmp = nb_test_tmpdir("own_words");
    size_t len;
    sample = nb_read_file(SAMPLE, &len);
    return sample ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(tmp);
    free(sample);
    return 0;
}

/* `base` with `from` (which must occur once) replaced by `to`, written to
 * tmp/name; returns the path. */
static char *variant(const char *name, const char *base, const char *from, const char *to)
{
    const char *at = strstr(base, from);
    assert_non_null(at);
    assert_null(strstr(at + 1, from));
    char *text = nb_test_replace_first(base, from, to);
    char *path = nb_path_join(tmp, name);
    nb_test_write_text(path, text);
    free(text);
    return path;
}

static int run(char **out, const char *fmt, const char *a, const char *b)
{
    return nb_test_runf(out, fmt, NB_BINARY, a, b);
}

static void expect_in(const char *text, const char *needle)
{
    if (!strstr(text, needle))
        fail_msg("expected '%s' in:\n%s", needle, text);
}

static size_t count_of(const char *text, const char *needle)
{
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* Build `report` into tmp/<name>-out; the PDF's text (pdftotext -layout
 * keeps each line). */
static char *build_text(const char *report, const char *name)
{
    char *dir = nb_path_join(tmp, name);
    char *out = NULL;
    int status = nb_test_runf(&out, "mkdir -p '%s' && '%s' build '%s' -o '%s'", dir, NB_BINARY,
                              report, dir);
    if (status != 0)
        fail_msg("build failed:\n%s", out);
    free(out);
    char *base = nb_basename_noext(report);
    assert_int_equal(nb_test_runf(&out, "pdftotext -layout '%s/%s.pdf' -", dir, base), 0);
    free(base);
    free(dir);
    return out;
}

/* The text without white space: pdftotext breaks lines where the PDF does. */
static void squeeze(char *text)
{
    char *w = text;
    for (const char *r = text; *r; r++)
        if (*r != ' ' && *r != '\n' && *r != '\f')
            *w++ = *r;
    *w = '\0';
}

/* ---- wording: ---- */
static const char wording[] =
    "wording:\n"
    "  title: 淮安市人民政府2024年度政府信息公开工作年度报告\n"
    "  一: 总体工作情况\n"
    "  二: 主动公开政府信息\n"
    "  三: 收到和处理政府信息公开申请\n"
    "  四: 行政复议、行政诉讼情况\n"
    "  五: 存在的主要问题及整改措施\n"
    "  六: 其他需要报告的事项情况\n"
    "  proactive.normative_documents: 规范性文件\n"
    "proactive:";

static void test_every_wording_key_warns_and_reaches_every_output(void **state)
{
    (void)state;
    char *path = variant("wording.yaml", sample, "proactive:", wording);
    char *out = NULL;
    assert_int_equal(run(&out, "'%s' check '%s'%s", path, ""), 0);
    assert_int_equal(count_of(out, "warning: wording: "), 8);
    expect_in(out, "wording.yaml:24:10: warning: wording: the title reads '淮安市人民政府2024年度"
                   "政府信息公开工作年度报告' where the format gov-2021 has '淮安市人民政府2024年"
                   "政府信息公开工作年度报告'");
    expect_in(out, "wording.yaml:29:6: warning: wording: the heading 五、 reads '存在的主要问题及"
                   "整改措施' where the format gov-2021 has '存在的主要问题及改进情况'");
    expect_in(out, "warning: wording: the row proactive.normative_documents of table 主动公开 "
                   "reads '规范性文件' where the format gov-2021 has '行政规范性文件'");
    free(out);
    char *text = build_text(path, "wording-out");
    expect_in(text, "2024年度政府信息公开工作年度报告");
    expect_in(text, "一、总体工作情况");
    expect_in(text, "二、主动公开政府信息\n");
    expect_in(text, "五、存在的主要问题及整改措施");
    expect_in(text, "六、其他需要报告的事项情况");
    assert_null(strstr(text, "行政规范性文件"));
    expect_in(text, "规范性文件");
    free(text);
    /* the PDF's metadata and bookmarks, the workbook's labels and title */
    char *dir = nb_path_join(tmp, "wording-out");
    assert_int_equal(nb_test_runf(&out, "pdfinfo '%s/wording.pdf'", dir), 0);
    expect_in(out, "淮安市人民政府2024年度政府信息公开工作年度报告");
    free(out);
    assert_int_equal(nb_test_runf(&out, "qpdf --json --json-key=outlines '%s/wording.pdf'", dir),
                     0);
    expect_in(out, "五、存在的主要问题及整改措施");
    free(out);
    assert_int_equal(nb_test_runf(&out, "cd '%s' && unzip -p wording.xlsx xl/sharedStrings.xml "
                                  "docProps/core.xml", dir), 0);
    expect_in(out, "规范性文件");
    assert_null(strstr(out, "行政规范性文件"));
    expect_in(out, "2024年度政府信息公开工作年度报告");
    free(out);
    free(dir);
    free(path);
}

static void test_unknown_wording_key_is_an_error(void **state)
{
    (void)state;
    char *path = variant("wording-bad.yaml", sample, "proactive:",
                         "wording:\n  五五: 存在的问题\n  proactive.normative_document: 规范性文件\n"
                         "  title: ~\nproactive:");
    char *out = NULL;
    assert_int_equal(run(&out, "'%s' check '%s'%s", path, ""), 2);
    expect_in(out, "wording-bad.yaml:24:3: error: wording: the format gov-2021 has no wording '五五'; "
                   "did you mean '五'?");
    expect_in(out, "wording-bad.yaml:25:3: error: wording: the format gov-2021 has no wording "
                   "'proactive.normative_document'; did you mean 'proactive.normative_documents'?");
    expect_in(out, "wording-bad.yaml:26:10: error: wording: 'title' should be the report's own text");
    free(out);
    free(path);
}

/* ---- items ---- */
static void test_own_line_run_in_and_untitled_items(void **state)
{
    (void)state;
    char *path = variant("items.yaml", sample, "    - title: 主动公开情况。\n      text: ",
                         "    - heading: 主动公开政府信息情况\n      text:\n        - 第一段。\n"
                         "        - ");
    char *text = NULL;
    size_t len;
    char *yaml = nb_read_file(path, &len);
    free(path);
    path = variant("items.yaml", yaml, "    - title: 政府信息管理情况。\n      text: ",
                   "    - text: ");
    text = build_text(path, "items-out");
    /* a heading line of its own, no punctuation added, its paragraphs below */
    expect_in(text, "（一）主动公开政府信息情况\n");
    expect_in(text, "第一段。");
    expect_in(text, "2024年，市政府网站主动公开各类政");
    /* run in: the bold title opens its paragraph */
    expect_in(text, "（二）依申请公开情况。定期对政府信息公开申请集中的领");
    /* untitled: a paragraph opening with its number */
    expect_in(text, "（三）在政府网站、政务新媒体、政府公报等公开平台发布");
    expect_in(text, "（四）政府信息公开平台建设情况。");
    free(text);
    free(yaml);
    free(path);
}

/* ---- figures quoted inline ---- */
static const char *const quoting_text =
    "      text: 定期对政府信息公开申请集中的领域和热点问题进行研判";

/* The check of a variant whose 依申请公开 text is `text`: its output. */
static char *check_quoting(const char *name, const char *text, int status)
{
    char *path = variant(name, sample, quoting_text, text);
    char *out = NULL;
    int got = run(&out, "'%s' check '%s'%s", path, "");
    if (got != status)
        fail_msg("status %d, expected %d:\n%s", got, status, out);
    free(path);
    return out;
}

static void test_inline_figures_and_their_errors(void **state)
{
    (void)state;
    /* resolved as the tables print them, in the PDF */
    char *path = variant("inline.yaml", sample, quoting_text,
                         "      text: 全年减免{{proactive.fees}}万元，新收{{applications.new.total}}"
                         "件。定期对政府信息公开申请集中的领域和热点问题进行研判");
    char *text = build_text(path, "inline-out");
    squeeze(text);
    expect_in(text, "全年减免96171.6万元，新收3119件。");
    free(text);
    free(path);
    /* each error at the reference's own line:col (line 84, after `text: `) */
    char *out = check_quoting("typo.yaml", "      text: 共{{applications.new.totl}}件", 2);
    expect_in(out, "typo.yaml:84:14: error: {{applications.new.totl}} is not a figure of the tables; "
                   "did you mean {{applications.new.total}}?");
    free(out);
    out = check_quoting("row.yaml", "      text: 共{{applications.new}}件", 2);
    expect_in(out, "row.yaml:84:14: error: {{applications.new}} names 7 figures, not one; name a "
                   "single cell, such as {{applications.new.natural}}");
    free(out);
    out = check_quoting("field.yaml", "      text: 共受理{{ year }}件", 2);
    expect_in(out, "field.yaml:84:16: error: {{year}} is not a figure of the tables: only a figure "
                   "of the statistics tables can be quoted in the text");
    free(out);
    out = check_quoting("open.yaml", "      text: 共{{applications.new.total件", 2);
    expect_in(out, "open.yaml:84:14: error: '{{' opens a figure quoted in the text, but no key and "
                   "'}}' follow");
    free(out);
    out = check_quoting("plain.yaml", "      text: {{applications.new.total}}件", 2);
    expect_in(out, "plain.yaml:84:13: error: a value that starts with {{ must be in quotes");
    free(out);
    /* a block scalar: the reference's own line inside it */
    out = check_quoting("block.yaml", "      text: |\n        第一行。\n        共{{litigation.x}}件", 2);
    expect_in(out, "block.yaml:86:10: error: {{litigation.x}} is not a figure of the tables");
    free(out);
    /* an empty cell cannot be quoted */
    char *empty = variant("empty-base.yaml", sample, "research: 0, public_interest: 0, "
                          "legal_services: 61, other: 4, total: 3119}",
                          "research: ~, public_interest: 0, legal_services: 61, other: 4, "
                          "total: 3119}");
    size_t len;
    char *base = nb_read_file(empty, &len);
    path = variant("empty.yaml", base, quoting_text,
                   "      text: 科研机构{{applications.new.research}}件");
    assert_int_equal(run(&out, "'%s' check '%s'%s", path, ""), 2);
    expect_in(out, "empty.yaml:84:17: error: {{applications.new.research}} quotes 一、本年新收政府信息"
                   "公开申请数量 (科研机构), an empty cell (~)");
    free(out);
    free(path);
    free(base);
    free(empty);
}

/* The old list-of-pieces style in an item's text, where each item is now a
 * paragraph: a figure by alias would stand alone, so it is an error. */
static void test_figure_alone_as_a_paragraph_is_an_error(void **state)
{
    (void)state;
    char *base = variant("pieces-base.yaml", sample, "{upheld: 72,", "{upheld: &up 72,");
    size_t len;
    char *text = nb_read_file(base, &len);
    char *path = variant("pieces.yaml", text, quoting_text,
                         "      text:\n        - 维持\n        - *up\n        - 件。");
    char *out = NULL;
    assert_int_equal(run(&out, "'%s' check '%s'%s", path, ""), 2);
    expect_in(out, "overview.items[2].text: paragraph 2 is the number 72; each item of this "
                   "list is a paragraph: to quote a figure, write it inside the text as {{key}}");
    free(out);
    free(path);
    free(text);
    free(base);
}

/* The literal-number lint: a figure of one cell is flagged, a number that
 * is also the sum of a group of rows (（三）不予公开 adds up to 178, which
 * happens to be 表四's 其他结果 too) is not. */
static void test_lint_spares_group_sums(void **state)
{
    (void)state;
    char *out = check_quoting("sum.yaml", "      text: 全年不予公开178件。复议351件。"
                                          "定期对政府信息公开申请集中的领域和热点问题进行研判",
                              0);
    expect_in(out, "sum.yaml:84:26: warning: the text writes 351, the figure of 行政复议：总计 "
                   "in the table; quote the figure instead, writing {{litigation.review.total}}");
    assert_null(strstr(out, "writes 178"));
    free(out);
}

/* ---- gov-2014: an outline of the report's own ---- */
static void test_gov2014_report_of_its_own(void **state)
{
    (void)state;
    size_t len;
    char *seed = nb_read_file(SEED_SAMPLE, &len);
    assert_non_null(seed);
    const char *stats = strstr(seed, "stats:\n");
    const char *end = strstr(seed, "# ---- 正文");
    assert_non_null(stats);
    assert_non_null(end);
    nb_buf b = {0};
    nb_buf_puts(&b, "format: gov-2014\nregion: 某某区\nyear: 2016\ndate: 2017-03-28\n"
                    "office: 某某区人民政府办公室\ncontact: {phone: \"1234567\"}\n"
                    "signature: {head: 张三, reviewer: 李四, preparer: 王五}\n");
    nb_buf_append(&b, stats, (size_t)(end - stats));
    nb_buf_puts(&b,
        "intro:\n"
        "  - 本报告由某某区人民政府办公室编制，共七个部分。\n"
        "sections:\n"
        "  - heading: 主要工作概述\n"
        "    text: [\"2016年，全区主动公开政府信息{{stats.proactive.total}}条。\"]\n"
        "  - heading: 主动公开政府信息情况\n"
        "    text: []\n"
        "    items:\n"
        "      - heading: 公开的主要内容\n"
        "        text: [公开了财政预决算。]\n"
        "        items:\n"
        "          - {title: 财政信息。, text: [公开了预算。]}\n"
        "          - {text: [公开了决算。]}\n"
        "      - {title: 公开的渠道。, text: [政府网站。]}\n"
        "  - heading: 依申请公开和不予公开情况\n"
        "    text: [\"全年受理申请{{stats.applications.received}}件。\"]\n"
        "  - heading: 政府信息公开的收费及减免情况\n"
        "    text: [未收费。]\n"
        "  - heading: 因政府信息公开申请行政复议、提起行政诉讼的情况\n"
        "    text: [没有。]\n"
        "  - heading: 存在的主要问题及改进措施\n"
        "    text: [人员不足。]\n"
        "  - heading: 其他需要报告的事项\n"
        "    text: [无。]\n");
    char *path = nb_path_join(tmp, "own-outline.yaml");
    nb_test_write_text(path, nb_buf_str(&b));
    nb_buf_free(&b);
    char *out = NULL;
    assert_int_equal(run(&out, "'%s' check '%s'%s", path, ""), 0);
    free(out);
    char *text = build_text(path, "own-outline-out");
    expect_in(text, "某某区2016年政府信息公开工作年度报告");
    expect_in(text, "一、主要工作概述");
    expect_in(text, "2016年，全区主动公开政府信息135000条。");
    expect_in(text, "（一）公开的主要内容\n");
    expect_in(text, "1、财政信息。公开了预算。");
    expect_in(text, "2、公开了决算。");
    expect_in(text, "（二）公开的渠道。政府网站。");
    expect_in(text, "三、依申请公开和不予公开情况");
    expect_in(text, "全年受理申请210件。");
    expect_in(text, "七、其他需要报告的事项");
    expect_in(text, "附件");
    expect_in(text, "2016年度某某区政府信息公开工作统计表");
    expect_in(text, "单位负责人：张三");
    /* nothing of the seed county's sentences */
    assert_null(strstr(text, "八、存在"));
    assert_null(strstr(text, "年初"));
    assert_null(strstr(text, "专门配备了"));
    assert_null(strstr(text, "全年工作开展情况"));
    assert_null(strstr(text, "安排政府信息公开经费"));
    assert_null(strstr(text, "在已经答复的"));
    free(text);
    free(path);
    free(seed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_wording_key_warns_and_reaches_every_output),
        cmocka_unit_test(test_unknown_wording_key_is_an_error),
        cmocka_unit_test(test_own_line_run_in_and_untitled_items),
        cmocka_unit_test(test_inline_figures_and_their_errors),
        cmocka_unit_test(test_figure_alone_as_a_paragraph_is_an_error),
        cmocka_unit_test(test_lint_spares_group_sums),
        cmocka_unit_test(test_gov2014_report_of_its_own),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
