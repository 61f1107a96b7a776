/* test_check.c — every kind of check on a small format written for the
 * test: the rule kinds (column and row sums, equal sums, at most, carry-over
 * with last year's report), figure types (count, amount), the schema of the
 * report's fields (required, types, unknown keys with "did you mean"), and
 * the narrative's lint. Each failure is asserted with its file:line:col. */
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
#include "check_lint.h"
#include "testutil.h"

static char *templates_root;

static const char kinds_format[] =
    "name: kinds\n"
    "template: report.mustache\n"
    "tables:\n"
    "  - id: t\n"
    "    data: t\n"
    "    columns:\n"
    "      - {role: label}\n"
    "      - {role: unit}\n"
    "      - {role: value}\n"
    "    rows:\n"
    "      - {label: 一、收到申请, unit: 件, key: received}\n"
    "      - {label: （一）当面, unit: 件, key: in_person, level: 1}\n"
    "      - {label: （二）网络, unit: 件, key: online, level: 1}\n"
    "      - {label: 其中：邮件, unit: 件, key: email, level: 2}\n"
    "      - {label: 二、经费, unit: 万元, key: budget, type: amount}\n"
    "  - id: m\n"
    "    data: m\n"
    "    unit: 件\n"
    "    columns:\n"
    "      - {role: label}\n"
    "      - {role: value, key: a, header: 甲}\n"
    "      - {role: value, key: b, header: 乙}\n"
    "      - {role: value, key: total, header: 合计}\n"
    "    rows:\n"
    "      - {label: 上年结转, key: carried_in}\n"
    "      - {label: 本年新收, key: new}\n"
    "      - {label: 办结, key: done}\n"
    "      - {label: 结转下年, key: carried_out}\n"
    "  - id: bare\n"
    "    data: bare\n"
    "    columns:\n"
    "      - {role: value, key: x, header: 复议：维持}\n"
    "      - {role: value, key: y, header: 复议：纠正}\n"
    "      - {role: value, key: total, header: 复议：总计}\n"
    "    header: [[{text: 复议, cols: 3}], [维持, 纠正, 总计]]\n"
    "    rows: [{}]\n"
    "rules:\n"
    "  - name: 收到申请等于各渠道之和\n"
    "    sum: t.received\n"
    "    of: [t.in_person, t.online]\n"
    "  - name: 邮件不超过网络\n"
    "    at_most: t.email\n"
    "    of: t.online\n"
    "  - name: 合计等于甲乙之和\n"
    "    for_each: {row: [carried_in, new, done, carried_out]}\n"
    "    sum: m.$row.total\n"
    "    of: [m.$row.a, m.$row.b]\n"
    "  - name: 结转加新收等于办结加结转下年\n"
    "    for_each: {col: [a, b, total]}\n"
    "    equal: [m.carried_in.$col, m.new.$col]\n"
    "    to: [m.done.$col, m.carried_out.$col]\n"
    "  - name: 总计等于维持与纠正之和\n"
    "    sum: bare.total\n"
    "    of: [bare.x, bare.y]\n"
    "carry_over:\n"
    "  - name: 本年上年结转等于上年结转下年\n"
    "    for_each: {col: [a, b, total]}\n"
    "    this: m.carried_in.$col\n"
    "    previous: m.carried_out.$col\n"
    "fields:\n"
    "  format: {type: text, required: true}\n"
    "  region: {type: text, required: true, comment: 地区}\n"
    "  year: {type: year, required: true}\n"
    "  date: {type: date, required: true, may_be_empty: true}\n"
    "  intro: {type: paragraphs, required: true}\n"
    "  story:\n"
    "    required: true\n"
    "    fields:\n"
    "      text: {type: pieces, required: true}\n"
    "      items: {type: list, item: {fields: {title: text}}}\n";

/* Line numbers below are those of this text (1-based). */
static const char good[] =
    "format: kinds\n"                                        /* 1 */
    "region: 某县\n"                                         /* 2 */
    "year: 2025\n"                                           /* 3 */
    "date: ~\n"                                              /* 4 */
    "t:\n"                                                   /* 5 */
    "  received: 30\n"                                       /* 6 */
    "  in_person: 10\n"                                      /* 7 */
    "  online: 20\n"                                         /* 8 */
    "  email: 5\n"                                           /* 9 */
    "  budget: 1.5\n"                                        /* 10 */
    "m:\n"                                                   /* 11 */
    "  carried_in: {a: 1, b: 0, total: 1}\n"                 /* 12 */
    "  new: {a: 10, b: 2, total: &new_total 12}\n"           /* 13 */
    "  done: {a: 9, b: 2, total: 11}\n"                      /* 14 */
    "  carried_out: {a: 2, b: 0, total: 2}\n"                /* 15 */
    "bare: {x: 3, y: 4, total: 7}\n"                         /* 16 */
    "intro: [本报告依据条例编制。]\n"                         /* 17 */
    "story:\n"                                               /* 18 */
    "  text: [全年新收申请, *new_total, 件。]\n"             /* 19 */
    "  items:\n"                                             /* 20 */
    "    - {title: 甲}\n";                                   /* 21 */

static int setup(void **state)
{
    (void)state;
    templates_root = nb_test_tmpdir("check-templates");
    nb_test_make_format(templates_root, "kinds", kinds_format);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(templates_root);
    return 0;
}

typedef struct fixture {
    nb_arena arena;
    nb_diags diags;
    nb_format *format;
    nb_node *data;
} fixture;

/* The report is written to a file: the lint reads it for exact positions. */
static fixture *check_text(const char *format, const char *yaml)
{
    fixture *f = calloc(1, sizeof *f);
    f->format = nb_format_load(templates_root, format, (nb_pos){"report.yaml", 1, 9},
                               &f->arena, &f->diags);
    assert_non_null(f->format);
    char *dir = nb_test_tmpdir("check-report");
    nb_test_write_in(dir, "report.yaml", yaml);
    char *path = nb_path_join(dir, "report.yaml");
    f->data = nb_source_load_file(path, &f->arena, &f->diags);
    assert_non_null(f->data);
    nb_check_report(f->format, f->data, &f->diags);
    free(path);
    free(dir);
    return f;
}

static fixture *check_edit(const char *from, const char *to)
{
    char *yaml = nb_test_replace_first(good, from, to);
    fixture *f = check_text("kinds", yaml);
    free(yaml);
    return f;
}

static void release(fixture *f)
{
    nb_diags_free(&f->diags);
    nb_arena_free(&f->arena);
    free(f);
}

/* Errors and warnings; the notes under them are asserted apart. */
static size_t count_without_notes(const nb_diags *d)
{
    size_t n = 0;
    for (size_t k = 0; k < d->count; k++)
        n += d->items[k].severity != NB_NOTE;
    return n;
}

/* The index in d of its i-th error or warning. */
static size_t index_without_notes(const nb_diags *d, size_t i)
{
    for (size_t k = 0; k < d->count; k++)
        if (d->items[k].severity != NB_NOTE && i-- == 0)
            return k;
    return d->count;
}

/* The message of diagnostic i (notes not counted) without the directory of
 * the file. */
static char *message(const fixture *f, size_t i)
{
    size_t k = index_without_notes(&f->diags, i);
    if (k >= f->diags.count) {
        nb_diags_print(&f->diags, stderr);
        fail_msg("expected at least %zu diagnostics, got %zu", i + 1, f->diags.count);
    }
    char *m = nb_diag_format(&f->diags.items[k]);
    const char *base = strstr(m, "report.yaml:");
    char *out = nb_xstrdup(base ? base : m);
    free(m);
    return out;
}

static void assert_message(const fixture *f, size_t i, const char *expected)
{
    char *m = message(f, i);
    if (strcmp(m, expected) != 0)
        nb_diags_print(&f->diags, stderr);
    assert_string_equal(m, expected);
    free(m);
}

/* Diagnostics from index `from` on (notes included) are these notes. */
static void assert_all_notes(const fixture *f, size_t from, const char *const *expected)
{
    for (size_t i = 0; expected[i]; i++) {
        assert_true(from + i < f->diags.count);
        assert_int_equal(f->diags.items[from + i].severity, NB_NOTE);
        char *m = nb_diag_format(&f->diags.items[from + i]);
        const char *base = strstr(m, "report.yaml:");
        assert_string_equal(base ? base : m, expected[i]);
        free(m);
    }
}

static void assert_count(const fixture *f, size_t errors, size_t total)
{
    if (f->diags.errors != errors || count_without_notes(&f->diags) != total)
        nb_diags_print(&f->diags, stderr);
    assert_int_equal(f->diags.errors, errors);
    assert_int_equal(count_without_notes(&f->diags), total);
}

/* ---- rule kinds ---- */
static void test_clean_report(void **state)
{
    (void)state;
    fixture *f = check_text("kinds", good);
    assert_count(f, 0, 0);
    release(f);
}

static void test_column_sum(void **state)
{
    (void)state;
    fixture *f = check_edit("received: 30", "received: 31");
    assert_count(f, 1, 1);
    assert_int_equal(nb_diags_exit_status(&f->diags), 1);
    assert_message(f, 0, "report.yaml:6:13: 一、收到申请 is 31, but the items below it add "
                         "up to 30 (rule: 收到申请等于各渠道之和; （一）当面 + （二）网络)");
    /* under the error, one note per term: where it is and its value */
    assert_int_equal(f->diags.count, 3);
    assert_all_notes(f, 1, (const char *[]){"report.yaml:7:14: note: （一）当面 is 10",
                                            "report.yaml:8:11: note: （二）网络 is 20", NULL});
    release(f);
}

static void test_row_sum(void **state)
{
    (void)state;
    fixture *f = check_edit("done: {a: 9, b: 2, total: 11}", "done: {a: 9, b: 2, total: 12}");
    assert_message(f, 0, "report.yaml:14:29: 办结 (合计) is 12, but the figures left of it "
                         "add up to 11 (rule: 合计等于甲乙之和; 办结 (甲) + 办结 (乙))");
    /* the same figure breaks the equal sums of its column */
    assert_message(f, 1, "report.yaml:15:36: 上年结转 (合计) + 本年新收 (合计) = 13, but "
                         "办结 (合计) + 结转下年 (合计) = 14 (rule: 结转加新收等于办结加结转下年)");
    assert_count(f, 2, 2);
    /* the one figure both rules name is named once, last, as the likely error */
    char *last = nb_diag_format(&f->diags.items[f->diags.count - 1]);
    assert_non_null(strstr(last, "report.yaml:14:29: note: 办结 (合计) (12) is the one figure "
                                 "the 2 broken rules above have in common: it is most likely "
                                 "the wrong one"));
    free(last);
    release(f);
}

static void test_equal_sums(void **state)
{
    (void)state;
    fixture *f = check_edit("carried_out: {a: 2, b: 0, total: 2}",
                            "carried_out: {a: 3, b: 0, total: 3}");
    assert_count(f, 2, 2);
    assert_message(f, 0, "report.yaml:15:20: 上年结转 (甲) + 本年新收 (甲) = 11, but 办结 (甲) "
                         "+ 结转下年 (甲) = 12 (rule: 结转加新收等于办结加结转下年)");
    assert_message(f, 1, "report.yaml:15:36: 上年结转 (合计) + 本年新收 (合计) = 13, but "
                         "办结 (合计) + 结转下年 (合计) = 14 (rule: 结转加新收等于办结加结转下年)");
    release(f);
}

static void test_at_most(void **state)
{
    (void)state;
    fixture *f = check_edit("email: 5", "email: 21");
    assert_count(f, 1, 1);
    assert_message(f, 0, "report.yaml:9:10: 其中：邮件 is 21, more than （二）网络 (20) it is "
                         "part of (rule: 邮件不超过网络)");
    release(f);
}

static void test_table_without_labels(void **state)
{
    (void)state;
    fixture *f = check_edit("total: 7}", "total: 8}");
    assert_count(f, 1, 1);
    assert_message(f, 0, "report.yaml:16:27: 复议：总计 is 8, but the figures left of it add "
                         "up to 7 (rule: 总计等于维持与纠正之和; 复议：维持 + 复议：纠正)");
    release(f);
}

/* ---- figures: counts and amounts ---- */
static void test_count_is_whole(void **state)
{
    (void)state;
    fixture *f = check_edit("in_person: 10", "in_person: 10.5");
    assert_message(f, 0, "report.yaml:7:14: （一）当面 is 10.5, but it counts things, so it "
                         "is a whole number (only amounts such as 万元 have decimals)");
    assert_int_equal(nb_diags_exit_status(&f->diags), 2);
    release(f);
    f = check_edit("in_person: 10", "in_person: 10.0");
    assert_message(f, 0, "report.yaml:7:14: （一）当面 is written 10.0, but it counts things: "
                         "write the whole number 10");
    release(f);
}

static void test_amount_has_decimals(void **state)
{
    (void)state;
    fixture *f = check_edit("budget: 1.5", "budget: 1.25");
    assert_count(f, 0, 0);
    release(f);
    f = check_edit("budget: 1.5", "budget: -1.5");
    assert_message(f, 0, "report.yaml:10:11: 二、经费 is -1.5, but an amount cannot be "
                         "negative");
    release(f);
}

/* Sums are exact over the whole range: a total of 10^12 that is one off
 * its parts is wrong, which a comparison of doubles within a tolerance
 * let pass. */
static void test_exact_sums(void **state)
{
    (void)state;
    fixture *f = check_edit("bare: {x: 3, y: 4, total: 7}",
                            "bare: {x: 999999999999, y: 0, total: 1000000000000}");
    assert_count(f, 1, 1);
    assert_message(f, 0, "report.yaml:16:38: 复议：总计 is 1000000000000, but the figures "
                         "left of it add up to 999999999999 (rule: 总计等于维持与纠正之和; "
                         "复议：维持 + 复议：纠正)");
    release(f);
    f = check_edit("bare: {x: 3, y: 4, total: 7}",
                   "bare: {x: 999999999999, y: 1, total: 1000000000000}");
    assert_count(f, 0, 0);
    release(f);
}

/* A date before the year reported on is a slip: a warning at the date. */
static void test_date_before_year(void **state)
{
    (void)state;
    fixture *f = check_edit("date: ~", "date: 2024-03-31");
    assert_count(f, 0, 1);
    assert_message(f, 0, "report.yaml:4:7: warning: the report is dated 2024-03-31, before "
                         "the year it reports on (2025); a report is dated after its year, "
                         "such as 2026-03-31");
    release(f);
    f = check_edit("date: ~", "date: 2026-03-31");
    assert_count(f, 0, 0);
    release(f);
}

static void test_numbers_written_as_text(void **state)
{
    (void)state;
    fixture *f = check_edit("in_person: 10", "in_person: 10件");
    assert_message(f, 0, "report.yaml:7:14: （一）当面 is written '10件'; write the number "
                         "alone (10): the unit is part of the table");
    release(f);
    f = check_edit("in_person: 10", "in_person: 1,0");
    assert_message(f, 0, "report.yaml:7:14: （一）当面 is written '1,0', which is not a number: "
                         "a comma is neither a decimal point nor a thousands separator here; "
                         "write the digits alone (12), or with a point for decimals (1.2)");
    release(f);
    f = check_edit("in_person: 10", "in_person: ～");
    assert_message(f, 0, "report.yaml:7:14: （一）当面 should be a number, not the text '～'");
    release(f);
    f = check_edit("in_person: 10", "in_person: [10]");
    assert_message(f, 0, "report.yaml:7:14: （一）当面 should be a number, not a list");
    release(f);
}

/* ---- schema ---- */
static void test_required_field(void **state)
{
    (void)state;
    fixture *f = check_edit("region: 某县\n", "");
    assert_count(f, 1, 1);
    assert_message(f, 0, "report.yaml:1:1: region is missing: the format kinds requires "
                         "`region:`, after `format:` (地区)");
    release(f);
    f = check_edit("intro: [本报告依据条例编制。]", "intro: []");
    assert_message(f, 0, "report.yaml:17:8: intro is empty; the format kinds requires it "
                         "(a list of paragraphs)");
    release(f);
    f = check_edit("  text: [全年新收申请, *new_total, 件。]\n", "");
    /* at the key it belongs under */
    assert_message(f, 0, "report.yaml:18:1: story.text is missing: the format kinds requires "
                         "`text:` under story (text, or a list of pieces of text and figures)");
    release(f);
}

static void test_field_types(void **state)
{
    (void)state;
    fixture *f = check_edit("year: 2025", "year: \"2025\"");
    assert_message(f, 0, "report.yaml:3:7: year is written in quotes (\"2025\"), which makes "
                         "it text; write the year without quotes");
    release(f);
    f = check_edit("year: 2025", "year: 二〇二五");
    assert_message(f, 0, "report.yaml:3:7: year should be a year such as 2024, not '二〇二五'");
    release(f);
    f = check_edit("date: ~", "date: 2025-02-30");
    /* the date is well written, but the day does not exist: say which part */
    assert_message(f, 0, "report.yaml:4:7: date is '2025-02-30': there is no day 30 in "
                         "2025-02, which has 28 days");
    release(f);
    f = check_edit("date: ~", "date: 2025-13-01");
    assert_message(f, 0, "report.yaml:4:7: date is '2025-13-01': there is no month 13 (the "
                         "month is the middle part, 01 to 12)");
    release(f);
    f = check_edit("region: 某县", "region: {name: 某县}");
    assert_message(f, 0, "report.yaml:2:9: region should be text, not a map of keys");
    release(f);
    f = check_edit("- {title: 甲}", "- {title: [甲]}");
    assert_message(f, 0, "report.yaml:21:15: story.items[1].title should be text, not a list");
    release(f);
}

static void test_unknown_keys(void **state)
{
    (void)state;
    fixture *f = check_edit("region: 某县", "regoin: 某县");
    assert_message(f, 0, "report.yaml:1:1: region is missing: the format kinds requires "
                         "`region:`, after `format:` (地区)");
    assert_message(f, 1, "report.yaml:2:1: unknown key 'regoin'; did you mean 'region'?");
    release(f);
    f = check_edit("  online: 20", "  onlin: 20");
    assert_message(f, 0, "report.yaml:8:3: unknown key 'onlin' under t; did you mean "
                         "'online'?");
    release(f);
    f = check_edit("{a: 10, b: 2, total: &new_total 12}", "{a: 10, b: 2, totl: &new_total 12}");
    assert_message(f, 0, "report.yaml:13:22: unknown key 'totl' under m.new; did you mean "
                         "'total'?");
    release(f);
    f = check_edit("  items:", "  item:");
    assert_message(f, 0, "report.yaml:20:3: unknown key 'item' under story; did you mean "
                         "'items'?");
    release(f);
    f = check_edit("bare: {", "extra: 1\nbare: {");
    assert_message(f, 0, "report.yaml:16:1: unknown key 'extra'; the format kinds knows "
                         "format, region, year, date, intro, story, t, m, bare");
    release(f);
}

/* ---- lint ---- */
static void test_half_width_punctuation(void **state)
{
    (void)state;
    fixture *f = check_edit("intro: [本报告依据条例编制。]",
                            "intro:\n  - 本报告依据条例(2019年修订)编制,共三部分。");
    assert_count(f, 0, 3);
    assert_message(f, 0, "report.yaml:18:12: warning: half-width '(' in Chinese text; "
                         "GB/T 15834 wants the full-width '（' here");
    assert_message(f, 1, "report.yaml:18:20: warning: half-width ')' in Chinese text; "
                         "GB/T 15834 wants the full-width '）' here");
    assert_message(f, 2, "report.yaml:18:23: warning: half-width ',' in Chinese text; "
                         "GB/T 15834 wants the full-width '，' here");
    assert_int_equal(nb_diags_exit_status(&f->diags), 0);
    release(f);
    /* not in numbers, times, e-mail addresses */
    f = check_edit("intro: [本报告依据条例编制。]",
                   "intro:\n  - 电话：0736-1234，时间9:30，邮箱a.b@c.cn，数1,234。");
    assert_count(f, 0, 0);
    release(f);
}

static void test_doubled_punctuation(void **state)
{
    (void)state;
    fixture *f = check_edit("本报告依据条例编制。", "本报告依据条例编制，，共三部分。。");
    assert_count(f, 0, 2);
    assert_message(f, 0, "report.yaml:17:18: warning: doubled punctuation '，，'; keep one "
                         "mark");
    assert_message(f, 1, "report.yaml:17:24: warning: doubled punctuation '。。'; keep one "
                         "mark");
    release(f);
    f = check_edit("本报告依据条例编制。", "本报告……依据条例——编制！？");
    assert_count(f, 0, 0);
    release(f);
}

static void test_literal_figures(void **state)
{
    (void)state;
    /* 12 is a figure of table m, quoted by alias in the same sentence: the
     * literal 10 (m.new.a) is flagged, the 20 of table t is not (another
     * table), nor the 2 (one digit) */
    fixture *f = check_edit("[全年新收申请, *new_total, 件。]",
                            "[全年新收申请, *new_total, 件，其中甲10件，网络20件，乙2件。]");
    assert_count(f, 0, 1);
    assert_message(f, 0, "report.yaml:19:35: warning: the text writes 10, the figure of 本年新收 "
                         "(甲) in the table; quote the figure instead, writing {{m.new.a}} in "
                         "the text, so that text and table cannot disagree");
    release(f);
    /* three digits are matched anywhere; in a block scalar, at their line */
    char *big = nb_test_replace_first(good, "received: 30", "received: 130");
    char *yaml = nb_test_replace_first(big, "in_person: 10", "in_person: 110");
    char *text = nb_test_replace_first(yaml, "intro: [本报告依据条例编制。]",
                        "intro:\n  - |\n    第一行。\n    全年收到申请130件，受理点130处，约130多件。");
    f = check_text("kinds", text);
    assert_count(f, 0, 1);
    assert_message(f, 0, "report.yaml:20:11: warning: the text writes 130, the figure of "
                         "一、收到申请 in the table; quote the figure instead, writing "
                         "{{t.received}} in the text, so that text and table cannot disagree");
    release(f);
    free(big);
    free(yaml);
    free(text);
}

static void test_placeholder_left(void **state)
{
    (void)state;
    fixture *f = check_edit("intro: [本报告依据条例编制。]", "intro: [本报告由【请填写：机关】编制。]");
    assert_count(f, 0, 1);
    assert_message(f, 0, "report.yaml:17:13: warning: the text still holds the placeholder "
                         "'【请填写：机关】' of the skeleton; write the report's own text here");
    release(f);
}

/* ---- last year's report ---- */
static void test_carry_over(void **state)
{
    (void)state;
    fixture *f = check_text("kinds", good);
    char *last_year = nb_test_replace_first(good, "year: 2025", "year: 2024");
    char *last_yaml = nb_test_replace_first(last_year, "carried_out: {a: 2, b: 0, total: 2}",
                             "carried_out: {a: 1, b: 0, total: 1}");
    free(last_year);
    nb_node *last = nb_source_load_string("last.yaml", last_yaml, strlen(last_yaml),
                                          &f->arena, &f->diags);
    assert_non_null(last);
    nb_check_previous(f->format, f->data, last, &f->diags);
    assert_count(f, 0, 0);
    nb_node *wrong = nb_source_load_string("last.yaml", good, strlen(good), &f->arena,
                                           &f->diags);
    nb_check_previous(f->format, f->data, wrong, &f->diags);
    assert_int_equal(f->diags.rule_errors, 3);
    assert_message(f, 0, "report.yaml:3:7: the report is for 2025, but the previous report "
                         "(last.yaml:3:7) is for 2025; it should be last year's, 2024 (rule: "
                         "the year follows the previous report's)");
    assert_message(f, 1, "report.yaml:12:19: 上年结转 (甲) is 1, but last year's 结转下年 (甲) "
                         "is 2 (last.yaml:15:20) (rule: 本年上年结转等于上年结转下年)");
    assert_message(f, 2, "report.yaml:12:35: 上年结转 (合计) is 1, but last year's 结转下年 "
                         "(合计) is 2 (last.yaml:15:36) (rule: 本年上年结转等于上年结转下年)");
    assert_int_equal(nb_diags_exit_status(&f->diags), 1);
    free(last_yaml);
    release(f);
}

/* ---- format definitions ---- */
static void test_bad_definitions(void **state)
{
    (void)state;
    nb_test_make_format(templates_root, "badtype",
                        "name: badtype\ntemplate: r.mustache\ntables:\n  - id: t\n"
                        "    type: money\n    columns: [{role: label}, {role: value}]\n"
                        "    rows: [{label: a, key: x}]\n");
    nb_arena a = {0};
    nb_diags d = {0};
    assert_null(nb_format_load(templates_root, "badtype", (nb_pos){"r", 1, 1}, &a, &d));
    char *m = nb_diag_format(&d.items[0]);
    assert_non_null(strstr(m, "format.yaml:5:11: unknown type 'money'; expected count (a "
                              "whole number) or amount (decimals allowed)"));
    free(m);
    nb_diags_free(&d);
    nb_test_make_format(templates_root, "badfield",
                        "name: badfield\ntemplate: r.mustache\nfields:\n"
                        "  region: {type: txt}\n  year: {type: year, requird: true}\n");
    assert_null(nb_format_load(templates_root, "badfield", (nb_pos){"r", 1, 1}, &a, &d));
    assert_int_equal(d.errors, 2);
    m = nb_diag_format(&d.items[0]);
    assert_non_null(strstr(m, "format.yaml:4:18: unknown field type 'txt'"));
    free(m);
    m = nb_diag_format(&d.items[1]);
    assert_non_null(strstr(m, "format.yaml:5:22: unknown field attribute 'requird'"));
    free(m);
    nb_diags_free(&d);
    /* one_of names a key the map does not have */
    nb_test_make_format(templates_root, "badoneof",
                        "name: badoneof\ntemplate: r.mustache\nfields:\n"
                        "  items:\n    type: list\n    item:\n      one_of: [heading, titel]\n"
                        "      fields: {heading: text, title: text}\n");
    assert_null(nb_format_load(templates_root, "badoneof", (nb_pos){"r", 1, 1}, &a, &d));
    m = nb_diag_format(&d.items[0]);
    assert_non_null(strstr(m, "format.yaml:7:25: `one_of:` lists keys of the map's own "
                              "`fields:`; 'titel' is not one"));
    free(m);
    nb_diags_free(&d);
    nb_test_make_format(templates_root, "labelsecond",
                        "name: labelsecond\ntemplate: r.mustache\ntables:\n  - id: t\n"
                        "    columns: [{role: value}, {role: label}]\n"
                        "    rows: [{label: a, key: x}]\n");
    assert_null(nb_format_load(templates_root, "labelsecond", (nb_pos){"r", 1, 1}, &a, &d));
    m = nb_diag_format(&d.items[0]);
    assert_non_null(strstr(m, "the label column ({role: label}) must be the first column"));
    free(m);
    nb_diags_free(&d);
    nb_arena_free(&a);
}

static void test_edit_distance(void **state)
{
    (void)state;
    assert_int_equal(nb_utf8_edit_distance("region", "regoin", 5), 2);
    assert_int_equal(nb_utf8_edit_distance("total", "totl", 5), 1);
    assert_int_equal(nb_utf8_edit_distance("自然人", "自然", 5), 1);
    assert_int_equal(nb_utf8_edit_distance("abcdef", "uvwxyz", 2), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_report),
        cmocka_unit_test(test_column_sum),
        cmocka_unit_test(test_row_sum),
        cmocka_unit_test(test_equal_sums),
        cmocka_unit_test(test_at_most),
        cmocka_unit_test(test_table_without_labels),
        cmocka_unit_test(test_count_is_whole),
        cmocka_unit_test(test_amount_has_decimals),
        cmocka_unit_test(test_exact_sums),
        cmocka_unit_test(test_date_before_year),
        cmocka_unit_test(test_numbers_written_as_text),
        cmocka_unit_test(test_required_field),
        cmocka_unit_test(test_field_types),
        cmocka_unit_test(test_unknown_keys),
        cmocka_unit_test(test_half_width_punctuation),
        cmocka_unit_test(test_doubled_punctuation),
        cmocka_unit_test(test_literal_figures),
        cmocka_unit_test(test_placeholder_left),
        cmocka_unit_test(test_carry_over),
        cmocka_unit_test(test_bad_definitions),
        cmocka_unit_test(test_edit_distance),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
