/* test_real_reports.c — reports in the shapes real ones have, written as an
 * outsider would from the READMEs (tests/data/reports/: invented examples,
 * not published reports): a city department's 2021-format report (own title,
 * 五 in two own-line items, a renamed 表二 row, a sign-off), a county's (lead
 * paragraphs before the tables of 二三四, 六 in numbered items with sub-items),
 * edge cases (no date, a heading with no paragraphs, a very long part heading,
 * digits, percentages, dates, 《》 and “” in the text, 0 and empty cells, a
 * group total quoted as a number), and a 2014-era county report with an
 * outline of its own. Each is checked, built and previewed; every sentence
 * and the listed table rows of its .txt must be in the PDF, in order
 * (seed_compare.py), its pages must keep GB/T 9704's geometry
 * (typography_check.py), and the web page must hold its headings. */
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

#define REPORTS NB_SOURCE_DIR "/tests/data/reports"

static char *tmp;

static int setup(void **state)
{
    (void)state;
    tmp = nb_test_tmpdir("real_reports");
    return tmp ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(tmp);
    return 0;
}

/* A path or command built printf-style; the caller frees it. */
static char *printed(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *printed(const char *fmt, ...)
{
    nb_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    nb_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    return nb_buf_detach(&b);
}

static void expect_in(const char *text, const char *needle)
{
    if (!strstr(text, needle))
        fail_msg("expected '%s' in:\n%s", needle, text);
}

/* check (clean: no error, the warnings only of its `wording:`), build,
 * preview, and the PDF's text against NAME.txt. */
static void check_build_compare(const char *name, size_t wording_warnings)
{
    char *out = NULL;
    char *report = printed("%s/%s.yaml", REPORTS, name);
    assert_int_equal(nb_test_runf(&out, "'%s' check '%s' 2>&1", NB_BINARY, report), 0);
    size_t warnings = 0;
    for (const char *p = out; (p = strstr(p, "warning:")) != NULL; p++)
        warnings++;
    if (warnings != wording_warnings)
        fail_msg("%s: expected %zu warnings (its wording), got:\n%s", name, wording_warnings,
                 out);
    free(out);

    char *dir = nb_path_join(tmp, name);
    assert_int_equal(nb_test_runf(&out, "'%s' build '%s' -o '%s' 2>&1", NB_BINARY, report, dir),
                     0);
    free(out);
    assert_int_equal(nb_test_runf(&out, "'%s' preview '%s' -o '%s' 2>&1", NB_BINARY, report,
                                  dir), 0);
    free(out);

    int rc = nb_test_runf(&out, "'%s' '%s/tests/seed_compare.py' '%s/%s.txt' '%s/%s.pdf' 2>&1",
                          NB_PYTHON, NB_SOURCE_DIR, REPORTS, name, dir, name);
    if (rc != 0)
        fail_msg("%s: the PDF does not hold the report's text:\n%s", name, out);
    free(out);
    /* GB/T 9704 geometry: no line past the margin (edge-2021 once had one) */
    rc = nb_test_runf(&out, "'%s' '%s/tests/typography_check.py' '%s/%s.pdf' 2>&1", NB_PYTHON,
                      NB_SOURCE_DIR, dir, name);
    if (rc != 0)
        fail_msg("%s: typography:\n%s", name, out);
    free(out);
    free(report);
    free(dir);
}

/* The web page of `name` (built by check_build_compare). */
static char *html_of(const char *name)
{
    char *path = printed("%s/%s/%s.html", tmp, name, name);
    size_t len;
    char *html = nb_read_file(path, &len);
    assert_non_null(html);
    free(path);
    return html;
}

static void test_department_2021(void **state)
{
    (void)state;
    check_build_compare("department-2021", 3);
    char *html = html_of("department-2021");
    expect_in(html, "存在的主要问题及整改措施");
    expect_in(html, "（二）整改措施");
    free(html);
}

static void test_county_2021(void **state)
{
    (void)state;
    check_build_compare("county-2021", 1);
    char *html = html_of("county-2021");
    expect_in(html, "具体办理情况如下表。");
    expect_in(html, "1.重点领域信息公开。");
    free(html);
}

static void test_edge_cases_2021(void **state)
{
    (void)state;
    check_build_compare("edge-2021", 1);
    char *html = html_of("edge-2021");
    expect_in(html, "（五）监督保障情况");
    free(html);
    /* no date: no sign-off under 六 */
    char *out = NULL;
    assert_int_equal(nb_test_runf(&out, "pdftotext '%s/edge-2021/edge-2021.pdf' - | "
                                  "grep -c '人民政府办公室$' || true", tmp), 0);
    assert_string_equal(out, "0\n");
    free(out);
}

static void test_county_2014(void **state)
{
    (void)state;
    check_build_compare("county-2014", 0);
    char *html = html_of("county-2014");
    expect_in(html, "三、依申请公开和不予公开情况");
    free(html);
}

/* A paragraph holding ': ' (a half-width colon and a space) is read by YAML
 * as a key: the message says so, at the paragraph. */
static void test_paragraph_with_half_width_colon(void **state)
{
    (void)state;
    char *path = printed("%s/edge-2021.yaml", REPORTS);
    size_t len;
    char *text = nb_read_file(path, &len);
    assert_non_null(text);
    char *bad = nb_test_replace_first(text, "（ASCII：2023-12-31，v2.0）",
                                      "（ASCII: 2023-12-31, v2.0）");
    nb_test_write_in(tmp, "colon.yaml", bad);
    char *out = NULL;
    char *report = nb_path_join(tmp, "colon.yaml");
    assert_int_equal(nb_test_runf(&out, "'%s' check '%s' 2>&1", NB_BINARY, report), 2);
    expect_in(out, "colon.yaml:79:122: error: overview.items[6].text: paragraph 1 is read as the key");
    expect_in(out, "write the full-width colon ：, or put the whole paragraph in quotes");
    free(out);
    free(report);
    free(bad);
    free(text);
    free(path);
}

/* The report `department-2021` with its 五 written the ways a clerk who
 * knows overview.items would try first; the check's messages (exit 2). */
static char *check_with_problems_as(const char *name, const char *problems)
{
    char *path = printed("%s/department-2021.yaml", REPORTS);
    size_t len;
    char *text = nb_read_file(path, &len);
    assert_non_null(text);
    const char *from = strstr(text, "problems: []");
    const char *to = strstr(text, "\nother:");
    assert_true(from && to && from < to);
    char *edited = printed("%.*s%s%s", (int)(from - text), text, problems, to);
    nb_test_write_in(tmp, name, edited);
    char *report = nb_path_join(tmp, name);
    char *out = NULL;
    assert_int_equal(nb_test_runf(&out, "'%s' check '%s' 2>&1", NB_BINARY, report), 2);
    free(report);
    free(edited);
    free(text);
    free(path);
    return out;
}

static void test_items_written_into_problems(void **state)
{
    (void)state;
    char *out = check_with_problems_as("in-list.yaml", "problems:\n"
                                       "  - heading: 存在的主要问题\n"
                                       "    text: [一是解读形式不够丰富。]\n");
    expect_in(out, "in-list.yaml:88:5: error: problems holds an item (heading/title/text), but each "
                   "entry of it is one paragraph; write the part's items under "
                   "`problems_items:`");
    free(out);
    out = check_with_problems_as("as-map.yaml", "problems:\n"
                                 "  text: []\n"
                                 "  items:\n"
                                 "    - heading: 存在的主要问题\n");
    expect_in(out, "as-map.yaml:88:3: error: problems is a list of paragraphs, not a map such as "
                   "{text, items}; write its paragraphs here (or []) and the part's items "
                   "under `problems_items:`");
    free(out);
}

/* The outsider's first step: `init`, then uncomment the wording to edit one
 * line. The commented lines are plain text (the title filled in, not
 * {{body}}{{year}}…, which the report could not use), and only the line
 * edited departs from the format: one warning. */
static size_t wording_warnings_of(const char *name, const char *text)
{
    nb_test_write_in(tmp, name, text);
    char *report = nb_path_join(tmp, name);
    char *out = NULL;
    assert_int_equal(nb_test_runf(&out, "'%s' check '%s' 2>&1", NB_BINARY, report), 0);
    size_t n = 0;
    for (const char *p = out; (p = strstr(p, "warning: wording:")) != NULL; p++)
        n++;
    free(out);
    free(report);
    return n;
}

static void test_skeleton_wording_uncommented(void **state)
{
    (void)state;
    char *skeleton = NULL;
    assert_int_equal(nb_test_runf(&skeleton, "'%s' init --format gov-2021 --region 某某县 "
                                  "--year 2025", NB_BINARY), 0);
    expect_in(skeleton, "#   title: 某某县人民政府2025年政府信息公开工作年度报告");
    char *a = nb_test_replace_first(skeleton, "# wording:", "wording:");
    char *b = nb_test_replace_first(a, "#   title:", "  title:");
    char *c = nb_test_replace_first(b, "#   五:", "  五:");
    char *d = nb_test_replace_first(c, "#   proactive.regulations:", "  proactive.regulations:");
    assert_int_equal(wording_warnings_of("as-is.yaml", d), 0);
    char *e = nb_test_replace_first(d, "五: 存在的主要问题及改进情况", "五: 存在的主要问题及整改措施");
    assert_int_equal(wording_warnings_of("edited.yaml", e), 1);
    free(e);
    free(d);
    free(c);
    free(b);
    free(a);
    free(skeleton);
}

/* An item left empty (`- heading:` with nothing, or a bare `-`) would print
 * as a lone （五） glued to what follows: check says so, at the item. */
static void test_empty_item(void **state)
{
    (void)state;
    char *path = printed("%s/county-2021.yaml", REPORTS);
    size_t len;
    char *text = nb_read_file(path, &len);
    assert_non_null(text);
    const char *fifth = "    - heading: 监督保障情况\n";
    char *heading_only = nb_test_replace_first(text, fifth, "    - heading:\n    - heading: 监督保障情况\n");
    char *bare = nb_test_replace_first(text, fifth, "    -\n    - heading: 监督保障情况\n");
    char *out = NULL;
    nb_test_write_in(tmp, "empty-item.yaml", heading_only);
    char *report = nb_path_join(tmp, "empty-item.yaml");
    assert_int_equal(nb_test_runf(&out, "'%s' check '%s' 2>&1", NB_BINARY, report), 2);
    expect_in(out, "empty-item.yaml:77:7: error: overview.items[5] is empty: it needs heading, title "
                   "or text; write one, or delete the entry");
    free(out);
    free(report);
    nb_test_write_in(tmp, "bare-item.yaml", bare);
    report = nb_path_join(tmp, "bare-item.yaml");
    assert_int_equal(nb_test_runf(&out, "'%s' check '%s' 2>&1", NB_BINARY, report), 2);
    expect_in(out, "bare-item.yaml:77:6: error: overview.items[5] is empty: it needs heading, title "
                   "or text");
    free(out);
    free(report);
    free(bare);
    free(heading_only);
    free(text);
    free(path);
}

/* 一 written as paragraphs only, as small units do: no items needed; but
 * not nothing at all. */
static void test_overview_without_items(void **state)
{
    (void)state;
    char *path = printed("%s/county-2021.yaml", REPORTS);
    size_t len;
    char *text = nb_read_file(path, &len);
    assert_non_null(text);
    const char *from = strstr(text, "  items:\n    - heading: 主动公开情况");
    const char *to = strstr(text, "\nlead:");
    assert_true(from && to && from < to);
    char *paragraphs_only = printed("%.*s%s", (int)(from - text), text, to);
    nb_test_write_in(tmp, "paragraphs-only.yaml", paragraphs_only);
    char *report = nb_path_join(tmp, "paragraphs-only.yaml");
    char *dir = nb_path_join(tmp, "paragraphs-only");
    char *out = NULL;
    assert_int_equal(nb_test_runf(&out, "'%s' build '%s' -o '%s' 2>&1", NB_BINARY, report, dir),
                     0);
    free(out);
    assert_int_equal(nb_test_runf(&out, "pdftotext '%s/paragraphs-only.pdf' - | tr -d '\\n'",
                                  dir), 0);
    expect_in(out, "一、总体情况2023年，县政府深入贯彻落实");
    free(out);
    char *nothing = nb_test_replace_first(paragraphs_only, "  text:\n    - 2023年，县政府深入",
                                          "  text: []\n  x:\n    - 2023年，县政府深入");
    char *nothing2 = nb_test_replace_first(nothing, "  x:\n    - 2023年", "# - 2023年");
    nb_test_write_in(tmp, "paragraphs-only.yaml", nothing2);
    assert_int_equal(nb_test_runf(&out, "'%s' check '%s' 2>&1", NB_BINARY, report), 2);
    expect_in(out, "paragraphs-only.yaml:62:3: error: overview is empty: it needs text or items; "
                   "write one of them");
    free(out);
    free(nothing2);
    free(nothing);
    free(dir);
    free(report);
    free(paragraphs_only);
    free(text);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_department_2021),
        cmocka_unit_test(test_county_2021),
        cmocka_unit_test(test_edge_cases_2021),
        cmocka_unit_test(test_county_2014),
        cmocka_unit_test(test_paragraph_with_half_width_colon),
        cmocka_unit_test(test_items_written_into_problems),
        cmocka_unit_test(test_skeleton_wording_uncommented),
        cmocka_unit_test(test_empty_item),
        cmocka_unit_test(test_overview_without_items),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
