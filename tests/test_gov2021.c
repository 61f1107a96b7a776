/* test_gov2021.c — the national format of 国办公开办函〔2021〕30号 end to end:
 * its three tables compiled into exactly the official grids, the sample
 * samples/huaian-2024.yaml checked clean, copies of it with one figure
 * changed failing at the right line:column with the right rule, the carry-
 * over from last year's report, the skeleton of `nianbao init`, and the
 * built PDF holding every sentence and table row of the published report. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "format.h"
#include "report.h"
#include "testutil.h"

#define SAMPLE NB_SOURCE_DIR "/samples/huaian-2024.yaml"
#define SEED_SAMPLE NB_SOURCE_DIR "/samples/taoyuan-2017.yaml"
#define REFERENCE NB_TEST_DATA_DIR "/huaian-2024.txt"

static char *tmp;
static char *sample_text;

static int setup(void **state)
{
    (void)state;
    tmp = nb_test_tmpdir("gov2021");
    size_t len;
    sample_text = nb_read_file(SAMPLE, &len);
    return sample_text ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(tmp);
    free(sample_text);
    return 0;
}

/* ---- the format's grids ---- */
typedef struct loaded {
    nb_arena arena;
    nb_diags diags;
    nb_format *format;
} loaded;

static loaded *load_format(void)
{
    loaded *l = calloc(1, sizeof *l);
    l->format = nb_format_load(NB_SOURCE_DIR "/templates", "gov-2021",
                               (nb_pos){"test", 1, 1}, &l->arena, &l->diags);
    if (!l->format)
        nb_diags_print(&l->diags, stderr);
    assert_non_null(l->format);
    return l;
}

static void unload(loaded *l)
{
    nb_diags_free(&l->diags);
    nb_arena_free(&l->arena);
    free(l);
}

static const nb_cell *cell(const nb_table *t, int row, int col, nb_cell_kind kind)
{
    const nb_cell *c = nb_table_cell_at(t, row, col);
    assert_non_null(c);
    assert_int_equal(c->kind, kind);
    return c;
}

static void assert_span(const nb_cell *c, int row, int col, int rows, int cols)
{
    assert_int_equal(c->row, row);
    assert_int_equal(c->col, col);
    assert_int_equal(c->rows, rows);
    assert_int_equal(c->cols, cols);
}

static size_t count_values(const nb_table *t)
{
    size_t n = 0;
    for (size_t i = 0; i < t->ncells; i++)
        n += t->cells[i].kind == NB_CELL_VALUE && t->cells[i].key;
    return n;
}

static void test_table2_four_subtables(void **state)
{
    (void)state;
    loaded *l = load_format();
    const nb_table *t = nb_format_table(l->format, "proactive");
    assert_non_null(t);
    assert_int_equal(t->ncols, 4);
    assert_int_equal(t->header_rows, 0);
    assert_int_equal(t->nrows, 14);
    static const char *const captions[] = {"第二十条第（一）项", "第二十条第（五）项",
                                           "第二十条第（六）项", "第二十条第（八）项"};
    static const int caption_rows[] = {0, 4, 7, 11};
    for (int i = 0; i < 4; i++) {
        const nb_cell *c = cell(t, caption_rows[i], 0, NB_CELL_TEXT);
        assert_string_equal(c->text, captions[i]);
        assert_span(c, caption_rows[i], 0, 1, 4);
        assert_string_equal(cell(t, caption_rows[i] + 1, 0, NB_CELL_TEXT)->text, "信息内容");
    }
    assert_string_equal(cell(t, 1, 3, NB_CELL_TEXT)->text, "现行有效件数");
    assert_string_equal(cell(t, 2, 0, NB_CELL_LABEL)->text, "规章");
    assert_string_equal(cell(t, 3, 2, NB_CELL_VALUE)->key,
                        "proactive.normative_documents.repealed");
    const nb_cell *decisions = cell(t, 5, 1, NB_CELL_TEXT);
    assert_string_equal(decisions->text, "本年处理决定数量");
    assert_span(decisions, 5, 1, 1, 3);
    const nb_cell *licensing = cell(t, 6, 3, NB_CELL_VALUE);
    assert_span(licensing, 6, 1, 1, 3);
    assert_string_equal(licensing->key, "proactive.licensing");
    assert_int_equal(licensing->figure, NB_FIGURE_COUNT);
    assert_string_equal(cell(t, 12, 1, NB_CELL_TEXT)->text, "本年收费金额（单位：万元）");
    const nb_cell *fees = cell(t, 13, 1, NB_CELL_VALUE);
    assert_string_equal(fees->key, "proactive.fees");
    assert_int_equal(fees->figure, NB_FIGURE_AMOUNT);
    assert_string_equal(fees->unit, "万元");
    assert_int_equal(count_values(t), 6 + 4);
    unload(l);
}

static void test_table3_grid(void **state)
{
    (void)state;
    loaded *l = load_format();
    const nb_table *t = nb_format_table(l->format, "applications");
    assert_int_equal(t->ncols, 10); /* 3 label columns + 7 figures */
    assert_int_equal(t->label_cols, 3);
    assert_int_equal(t->header_rows, 3);
    assert_int_equal(t->nrows, 28);
    const nb_cell *note = cell(t, 2, 2, NB_CELL_HEADER);
    assert_span(note, 0, 0, 3, 3);
    assert_string_equal(note->text, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项"
                                    "加第四项之和）");
    assert_span(cell(t, 0, 9, NB_CELL_HEADER), 0, 3, 1, 7);
    assert_string_equal(cell(t, 0, 3, NB_CELL_HEADER)->text, "申请人情况");
    assert_span(cell(t, 2, 3, NB_CELL_HEADER), 1, 3, 2, 1);
    assert_string_equal(cell(t, 1, 3, NB_CELL_HEADER)->text, "自然人");
    assert_span(cell(t, 1, 8, NB_CELL_HEADER), 1, 4, 1, 5);
    assert_string_equal(cell(t, 1, 4, NB_CELL_HEADER)->text, "法人或其他组织");
    assert_span(cell(t, 2, 9, NB_CELL_HEADER), 1, 9, 2, 1);
    static const char *const kinds[] = {"商业企业", "科研机构", "社会公益组织", "法律服务机构",
                                        "其他"};
    for (int c = 0; c < 5; c++)
        assert_string_equal(cell(t, 2, 4 + c, NB_CELL_HEADER)->text, kinds[c]);
    /* 三、本年度办理结果 and （三）…（六） are merged cells left of their rows */
    const nb_cell *results = cell(t, 20, 0, NB_CELL_LABEL);
    assert_string_equal(results->text, "三、本年度办理结果");
    assert_span(results, 5, 0, 22, 1);
    static const struct { int row, rows; const char *text; } groups[] = {
        {7, 8, "（三）不予公开"}, {15, 3, "（四）无法提供"}, {18, 5, "（五）不予处理"},
        {23, 3, "（六）其他处理"}};
    for (int g = 0; g < 4; g++) {
        const nb_cell *c = cell(t, groups[g].row, 1, NB_CELL_LABEL);
        assert_string_equal(c->text, groups[g].text);
        assert_span(c, groups[g].row, 1, groups[g].rows, 1);
    }
    assert_span(cell(t, 3, 0, NB_CELL_LABEL), 3, 0, 1, 3);  /* 一、本年新收 */
    assert_span(cell(t, 26, 1, NB_CELL_LABEL), 26, 1, 1, 2); /* （七）总计 */
    assert_span(cell(t, 27, 0, NB_CELL_LABEL), 27, 0, 1, 3); /* 四、结转下年度 */
    assert_string_equal(cell(t, 8, 2, NB_CELL_LABEL)->text, "2.其他法律行政法规禁止公开");
    const nb_cell *total = cell(t, 26, 3, NB_CELL_VALUE);
    assert_string_equal(total->key, "applications.result.total.natural");
    assert_string_equal(total->name, "三（七）总计 (自然人)");
    assert_string_equal(cell(t, 9, 9, NB_CELL_VALUE)->name,
                        "三（三）3.危及“三安全一稳定” (总计)");
    assert_int_equal(count_values(t), 25 * 7);
    unload(l);
}

static void test_table4_grid(void **state)
{
    (void)state;
    loaded *l = load_format();
    const nb_table *t = nb_format_table(l->format, "litigation");
    assert_int_equal(t->ncols, 15);
    assert_int_equal(t->label_cols, 0);
    assert_int_equal(t->header_rows, 3);
    assert_int_equal(t->nrows, 4);
    assert_span(cell(t, 0, 4, NB_CELL_HEADER), 0, 0, 1, 5);
    assert_string_equal(cell(t, 0, 0, NB_CELL_HEADER)->text, "行政复议");
    assert_span(cell(t, 0, 14, NB_CELL_HEADER), 0, 5, 1, 10);
    assert_string_equal(cell(t, 0, 5, NB_CELL_HEADER)->text, "行政诉讼");
    for (int c = 0; c < 5; c++)
        assert_span(cell(t, 2, c, NB_CELL_HEADER), 1, c, 2, 1);
    assert_string_equal(cell(t, 1, 4, NB_CELL_HEADER)->text, "总计");
    assert_span(cell(t, 1, 9, NB_CELL_HEADER), 1, 5, 1, 5);
    assert_string_equal(cell(t, 1, 5, NB_CELL_HEADER)->text, "未经复议直接起诉");
    assert_span(cell(t, 1, 10, NB_CELL_HEADER), 1, 10, 1, 5);
    assert_string_equal(cell(t, 1, 10, NB_CELL_HEADER)->text, "复议后起诉");
    static const char *const results[] = {"结果维持", "结果纠正", "其他结果", "尚未审结", "总计"};
    for (int c = 5; c < 15; c++)
        assert_string_equal(cell(t, 2, c, NB_CELL_HEADER)->text, results[(c - 5) % 5]);
    assert_int_equal(count_values(t), 15);
    assert_string_equal(cell(t, 3, 14, NB_CELL_VALUE)->key, "litigation.suit_after_review.total");
    assert_string_equal(cell(t, 3, 3, NB_CELL_VALUE)->name, "行政复议：尚未审结");
    unload(l);
}

static void test_rules_and_fields(void **state)
{
    (void)state;
    loaded *l = load_format();
    /* 7 column sums of （七）, 25 row totals, 7 equal sums, 3 groups of 表四 */
    assert_int_equal(l->format->nrules, 7 + 25 + 7 + 3);
    assert_int_equal(l->format->ncarry, 7);
    assert_non_null(nb_format_sum_rule(l->format, "applications.result.total.legal_services"));
    assert_int_equal(nb_format_sum_rule(l->format, "applications.result.total.other")->nparts, 21);
    assert_non_null(nb_format_sum_rule(l->format, "litigation.direct_suit.total"));
    assert_non_null(nb_format_field(l->format, "overview.items.3.text"));
    assert_int_equal(nb_format_field(l->format, "year")->type, NB_FIELD_YEAR);
    unload(l);
}

/* ---- the sample ---- */
static void test_sample_is_clean(void **state)
{
    (void)state;
    nb_report r;
    nb_diags d = {0};
    assert_true(nb_report_load(&r, SAMPLE, NB_SOURCE_DIR, &d));
    nb_report_check(&r, &d);
    if (d.count)
        nb_diags_print(&d, stderr);
    assert_int_equal(d.count, 0); /* not even a warning */
    nb_report_free(&r);
    nb_diags_free(&d);
}


static void test_both_samples_pass_check(void **state)
{
    (void)state;
    char *out = NULL;
    assert_int_equal(nb_test_runf(&out, "'%s' check '%s'", NB_BINARY, SAMPLE), 0);
    assert_non_null(strstr(out, "all figures agree with the rules of format gov-2021"));
    free(out);
    assert_int_equal(nb_test_runf(&out, "'%s' check '%s'", NB_BINARY, SEED_SAMPLE), 0);
    assert_non_null(strstr(out, "all figures agree with the rules of format gov-2014"));
    free(out);
}

/* A copy of the sample with `from` (which must occur once) replaced. */
static char *write_copy(const char *name, const char *base, const char *from, const char *to)
{
    const char *at = strstr(base, from);
    assert_true(at && !strstr(at + 1, from));
    char *text = nb_test_replace_first(base, from, to);
    char *path = nb_path_join(tmp, name);
    nb_test_write_text(path, text);
    free(text);
    return path;
}

/* "line:col" of `needle` on the line of `text` that holds `line_mark`,
 * counted in characters as an editor does. */
static char *position(const char *path, const char *line_mark, const char *needle)
{
    size_t len;
    char *text = nb_read_file(path, &len);
    assert_non_null(text);
    const char *mark = strstr(text, line_mark);
    assert_non_null(mark);
    const char *line_start = mark;
    while (line_start > text && line_start[-1] != '\n')
        line_start--;
    const char *at = strstr(line_start, needle);
    assert_non_null(at);
    int line = 1;
    for (const char *p = text; p < line_start; p++)
        line += *p == '\n';
    int col = 1 + (int)nb_utf8_length(line_start, (size_t)(at - line_start));
    free(text);
    char buf[64];
    snprintf(buf, sizeof buf, "%d:%d", line, col);
    return nb_xstrdup(buf);
}

/* Check a copy with one change: the exit status, and a message that starts
 * at `line_mark`/`needle`'s position of the copy. */
static void expect_failure(const char *from, const char *to, int status, const char *line_mark,
                           const char *needle, const char *message)
{
    char *copy = write_copy("changed.yaml", sample_text, from, to);
    char *out = NULL;
    int got = nb_test_runf(&out, "'%s' check '%s'", NB_BINARY, copy);
    char *pos = position(copy, line_mark, needle);
    nb_buf e = {0};
    nb_buf_printf(&e, "%s:%s: error: %s", copy, pos, message);
    if (got != status || !strstr(out, nb_buf_str(&e)))
        fprintf(stderr, "expected exit %d and\n  %s\ngot exit %d:\n%s\n", status,
                nb_buf_str(&e), got, out);
    assert_int_equal(got, status);
    assert_non_null(strstr(out, nb_buf_str(&e)));
    nb_buf_free(&e);
    free(pos);
    free(out);
    free(copy);
}

static void test_changed_figures_fail(void **state)
{
    (void)state;
    /* a column total: （七）总计 of 自然人 */
    expect_failure("total: {natural: 2932,", "total: {natural: 2933,", 1, "natural: 2933", "2933",
                   "三（七）总计 (自然人) is 2933, but the items below it add up to 2932 (rule: "
                   "三（七）总计等于（一）至（六）各项之和; 三（一）予以公开 (自然人) + ");
    /* a row total: the 总计 column of 2.重复申请 */
    expect_failure("natural: 25, commercial: 0, research: 0, public_interest: 0, legal_services: "
                   "0, other: 0, total: 25}",
                   "natural: 25, commercial: 0, research: 0, public_interest: 0, legal_services: "
                   "0, other: 0, total: 26}",
                   1, "total: 26}", "26}",
                   "三（五）2.重复申请 (总计) is 26, but the figures left of it add up to 25 "
                   "(rule: 总计列等于自然人与五类法人或其他组织之和; 三（五）2.重复申请 (自然人) + ");
    /* 一 + 二 = 三（七） + 四: 本年新收 moved from 商业企业 to 科研机构 (its row total
     * kept); the message points at 四、结转下年度 (科研机构), the rule's last figure */
    expect_failure("new:            {natural: 3001, commercial: 53, research: 0,",
                   "new:            {natural: 3001, commercial: 52, research: 1,", 1,
                   "to_next_year:", "0, public_interest",
                   "一、本年新收政府信息公开申请数量 (科研机构) + 二、上年结转政府信息公开申请数量 "
                   "(科研机构) = 1, but 三（七）总计 (科研机构) + 四、结转下年度继续办理 (科研机构) "
                   "= 0 (rule: 第一项加第二项之和等于第三项加第四项之和（一 + 二 = 三（七） + 四）)");
    /* 表四: the 总计 of 行政复议 */
    expect_failure("total: 351}  # 行政复议", "total: 350}  # 行政复议", 1, "total: 350}  # 行政复议", "350",
                   "行政复议：总计 is 350, but the figures left of it add up to 351 (rule: "
                   "总计等于结果维持、结果纠正、其他结果、尚未审结之和; 行政复议：结果维持 + "
                   "行政复议：结果纠正 + 行政复议：其他结果 + 行政复议：尚未审结)");
}

static void test_malformed_input_fails(void **state)
{
    (void)state;
    expect_failure("licensing: 447228", "licensing: 447228.5", 2, "licensing:", "447228.5",
                   "行政许可 (本年处理决定数量) is 447228.5, but it counts things, so it is a "
                   "whole number (only amounts such as 万元 have decimals)");
    expect_failure("penalties: 3985758", "penalties: \"3985758\"", 2, "penalties:", "\"",
                   "行政处罚 (本年处理决定数量) is written in quotes (\"3985758\"), which makes "
                   "it text; write the number without quotes");
    expect_failure("coercion: 88283", "coercion: 88,283", 2, "coercion:", "88,283",
                   "行政强制 (本年处理决定数量) is written '88,283'; write numbers without "
                   "separators");
    expect_failure("to_next_year: {natural: 103,", "to_next_year: {natual: 103,", 2,
                   "to_next_year:", "natual",
                   "unknown key 'natual' under applications.to_next_year; did you mean "
                   "'natural'?");
    expect_failure("body: 淮安市人民政府", "boddy: 淮安市人民政府", 2, "boddy", "boddy",
                   "unknown key 'boddy'; did you mean 'body'?");
    expect_failure("fees: 96171.6", "fees: -1", 2, "fees:", "-1",
                   "行政事业性收费 (本年收费金额（万元）) is -1, but an amount cannot be negative");
}

/* ---- last year's report ---- */
static char *previous_report(const char *name, const char *year, const char *carried)
{
    char *y = write_copy("tmp-prev.yaml", sample_text, "year: 2024", year);
    size_t len;
    char *text = nb_read_file(y, &len);
    const char *line = "to_next_year: {natural: 103, commercial: 0, research: 0, public_interest: "
                       "0, legal_services: 0, other: 0, total: 103}";
    char *path = write_copy(name, text, line, carried);
    free(text);
    free(y);
    return path;
}

static void test_carry_over_from_last_year(void **state)
{
    (void)state;
    const char *matching = "to_next_year: {natural: 34, commercial: 0, research: 0, "
                           "public_interest: 0, legal_services: 0, other: 0, total: 34}";
    char *prev = previous_report("2023.yaml", "year: 2023", matching);
    char *out = NULL;
    assert_int_equal(nb_test_runf(&out, "'%s' check '%s' --previous '%s'", NB_BINARY, SAMPLE, prev), 0);
    assert_non_null(strstr(out, "and with last year's report"));
    free(out);
    free(prev);

    const char *off = "to_next_year: {natural: 35, commercial: 0, research: 0, "
                      "public_interest: 0, legal_services: 0, other: 0, total: 35}";
    prev = previous_report("2023-off.yaml", "year: 2023", off);
    assert_int_equal(nb_test_runf(&out, "'%s' check '%s' --previous '%s'", NB_BINARY, SAMPLE, prev), 1);
    char *here = position(SAMPLE, "from_last_year:", "34");
    char *there = position(prev, "to_next_year:", "35");
    nb_buf e = {0};
    nb_buf_printf(&e, "%s:%s: error: 二、上年结转政府信息公开申请数量 (自然人) is 34, but last year's "
                  "四、结转下年度继续办理 (自然人) is 35 (%s:%s) (rule: "
                  "本年上年结转数等于上年报告的结转下年度继续办理数)", SAMPLE, here, prev, there);
    if (!strstr(out, nb_buf_str(&e)))
        fprintf(stderr, "expected\n  %s\ngot\n%s\n", nb_buf_str(&e), out);
    assert_non_null(strstr(out, nb_buf_str(&e)));
    assert_non_null(strstr(out, "(总计) is 34, but last year's 四、结转下年度继续办理 (总计) is 35"));
    nb_buf_free(&e);
    free(here);
    free(there);
    free(out);
    free(prev);

    prev = previous_report("2022.yaml", "year: 2022", matching);
    assert_int_equal(nb_test_runf(&out, "'%s' check '%s' --previous '%s'", NB_BINARY, SAMPLE, prev), 1);
    assert_non_null(strstr(out, "the report is for 2024, but the previous report"));
    assert_non_null(strstr(out, "is for 2022; it should be last year's, 2023"));
    free(out);
    free(prev);
}

/* ---- nianbao init ---- */
static void test_init_skeleton_passes_check(void **state)
{
    (void)state;
    char *skeleton = nb_path_join(tmp, "skeleton.yaml");
    char *out = NULL;
    assert_int_equal(nb_test_runf(&out, "'%s' init --format gov-2021 --region 某某县 --year 2025 > '%s'",
                             NB_BINARY, skeleton), 0);
    free(out);
    size_t len;
    char *text = nb_read_file(skeleton, &len);
    assert_non_null(text);
    assert_non_null(strstr(text, "format: gov-2021\n"));
    assert_non_null(strstr(text, "region: 某某县\n"));
    assert_non_null(strstr(text, "year: 2025\n"));
    assert_non_null(strstr(text, "body: 某某县人民政府\n"));
    assert_non_null(strstr(text, "# 三、本年度办理结果\n"));
    assert_non_null(strstr(text, "    # （七）总计\n    total: {natural: 0, commercial: 0, "
                                 "research: 0, public_interest: 0, legal_services: 0, other: 0, "
                                 "total: 0}\n"));
    assert_non_null(strstr(text, "suit_after_review: {upheld: 0, corrected: 0, other: 0, "
                                 "pending: 0, total: 0}"));
    assert_non_null(strstr(text, "统计期限自2025年1月1日至2025年12月31日"));
    free(text);
    /* it passes; its only warnings are the places still to be written */
    assert_int_equal(nb_test_runf(&out, "'%s' check '%s'", NB_BINARY, skeleton), 0);
    size_t warnings = 0, placeholders = 0;
    for (const char *p = out; (p = strstr(p, "warning: ")) != NULL; p++) {
        warnings++;
        placeholders += strncmp(p, "warning: the text still holds the placeholder '【请填写",
                                strlen("warning: the text still holds the placeholder '【请填写")) == 0;
    }
    assert_int_equal(warnings, 10); /* intro, overview (6), problems (2), other */
    assert_int_equal(placeholders, warnings);
    free(out);
    /* build refuses to publish them (exit 1); preview writes the draft */
    char *dir = nb_path_join(tmp, "skeleton-out");
    assert_int_equal(nb_test_runf(&out, "rm -rf '%s' && mkdir -p '%s' && '%s' build '%s' -o '%s'",
                                  dir, dir, NB_BINARY, skeleton, dir), 1);
    assert_non_null(strstr(out, "skeleton.yaml:133:98: error: the text still holds the placeholder "
                                "'【请填写】' of the skeleton; a published report cannot"));
    free(out);
    int status = nb_test_runf(&out, "'%s' preview '%s' -o '%s' && test ! -e '%s/skeleton.pdf'",
                              NB_BINARY, skeleton, dir, dir);
    if (status != 0)
        fprintf(stderr, "%s\n", out);
    assert_int_equal(status, 0);
    free(out);
    free(dir);
    free(skeleton);
}

static void test_init_refuses_bad_arguments(void **state)
{
    (void)state;
    char *out = NULL;
    assert_int_equal(nb_test_runf(&out, "'%s' init --format gov-1999 --region 某县 --year 2025",
                             NB_BINARY), 2);
    assert_non_null(strstr(out, "unknown format 'gov-1999'; known formats: gov-2014, gov-2021"));
    free(out);
    assert_int_equal(nb_test_runf(&out, "'%s' init --format gov-2021 --region 某县", NB_BINARY), 2);
    assert_non_null(strstr(out, "--year needs the report's year"));
    free(out);
}

/* ---- the PDF ---- */
static void test_pdf_holds_the_published_report(void **state)
{
    (void)state;
    char *dir = nb_path_join(tmp, "pdf");
    char *out = NULL;
    int status = nb_test_runf(&out, "mkdir -p '%s' && '%s' build '%s' -o '%s'", dir, NB_BINARY,
                         SAMPLE, dir);
    if (status != 0)
        fprintf(stderr, "%s\n", out);
    assert_int_equal(status, 0);
    free(out);
    status = nb_test_runf(&out, "python3 '%s/tests/huaian_compare.py' '%s' '%s/huaian-2024.pdf'",
                     NB_SOURCE_DIR, REFERENCE, dir);
    if (status != 0)
        fprintf(stderr, "%s\n", out);
    free(out);
    free(dir);
    assert_int_equal(status, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table2_four_subtables),
        cmocka_unit_test(test_table3_grid),
        cmocka_unit_test(test_table4_grid),
        cmocka_unit_test(test_rules_and_fields),
        cmocka_unit_test(test_sample_is_clean),
        cmocka_unit_test(test_both_samples_pass_check),
        cmocka_unit_test(test_changed_figures_fail),
        cmocka_unit_test(test_malformed_input_fails),
        cmocka_unit_test(test_carry_over_from_last_year),
        cmocka_unit_test(test_init_skeleton_passes_check),
        cmocka_unit_test(test_init_refuses_bad_arguments),
        cmocka_unit_test(test_pdf_holds_the_published_report),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
