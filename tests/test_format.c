/* test_format.c — format.yaml compiled into table grids and rules, and the
 * checks those rules drive. */
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
#include "testutil.h"

static char *templates_root;

static const char indent_format[] =
    "name: demo\n"
    "description: a demo format\n"
    "template: report.mustache\n"
    "tables:\n"
    "  - id: stats\n"
    "    sheet: 统计表\n"
    "    title: \"{{year}}年度统计表\"\n"
    "    lead: [\"填报单位：\"]\n"
    "    data: stats\n"
    "    columns:\n"
    "      - {role: label, header: 统计指标}\n"
    "      - {role: unit, header: 单位}\n"
    "      - {role: value, header: 统计数}\n"
    "    rows:\n"
    "      - {label: 一、依申请公开情况, unit: ——}\n"
    "      - {label: （一）收到申请数, unit: 件, key: apply.total, level: 1}\n"
    "      - {label: 1.当面申请数, unit: 件, key: apply.in_person, level: 2}\n"
    "      - {label: 2.网络申请数, unit: 件, key: apply.online, level: 2}\n"
    "      - {label: 其中：电子邮件, unit: 件, key: apply.email, level: 3}\n"
    "rules:\n"
    "  - name: 收到申请数等于各渠道之和\n"
    "    sum: stats.apply.total\n"
    "    of: [stats.apply.in_person, stats.apply.online]\n"
    "  - name: 其中项不超过总数\n"
    "    at_most: stats.apply.email\n"
    "    of: stats.apply.online\n";

static const char nested_format[] =
    "name: matrix\n"
    "template: report.mustache\n"
    "tables:\n"
    "  - id: t3\n"
    "    data: apply\n"
    "    label_style: nested\n"
    "    columns:\n"
    "      - {role: label}\n"
    "      - {role: value, key: person, header: 自然人}\n"
    "      - {role: value, key: total, header: 总计}\n"
    "    header:\n"
    "      - [{text: 说明, cols: 3, rows: 2}, {text: 申请人情况, cols: 2}]\n"
    "      - [自然人, 总计]\n"
    "    rows:\n"
    "      - {label: 一、本年新收, key: new}\n"
    "      - {label: 三、本年度办理结果}\n"
    "      - {label: （一）予以公开, key: granted, level: 1}\n"
    "      - {label: （三）不予公开, level: 1}\n"
    "      - {label: 1.属于国家秘密, key: secret, level: 2}\n"
    "      - {label: （七）总计, key: result_total, level: 1}\n"
    "rules:\n"
    "  - name: 办理结果总计等于各项之和\n"
    "    for_each: {col: [person, total]}\n"
    "    sum: apply.result_total.$col\n"
    "    of: [apply.granted.$col, apply.secret.$col]\n"
    "  - name: 本年新收等于办理结果\n"
    "    for_each: {col: [person, total]}\n"
    "    equal: [apply.new.$col]\n"
    "    to: [apply.result_total.$col]\n";

static int setup(void **state)
{
    (void)state;
    templates_root = nb_test_tmpdir("format-templates");
    nb_test_make_format(templates_root, "demo", indent_format);
    nb_test_make_format(templates_root, "matrix", nested_format);
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

static fixture *load_format(const char *name, const char *data_yaml)
{
    fixture *f = calloc(1, sizeof *f);
    f->format = nb_format_load(templates_root, name, (nb_pos){"report.yaml", 1, 9},
                               &f->arena, &f->diags);
    if (data_yaml)
        f->data = nb_source_load_string("report.yaml", data_yaml, strlen(data_yaml),
                                        &f->arena, &f->diags);
    return f;
}

static void release(fixture *f)
{
    nb_diags_free(&f->diags);
    nb_arena_free(&f->arena);
    free(f);
}

/* Errors and warnings; the notes under broken rules are test_check's. */
static size_t count_without_notes(const nb_diags *d)
{
    size_t n = 0;
    for (size_t k = 0; k < d->count; k++)
        n += d->items[k].severity != NB_NOTE;
    return n;
}

/* Diagnostic i, notes not counted. */
static char *message(const fixture *f, size_t i)
{
    for (size_t k = 0; k < f->diags.count; k++)
        if (f->diags.items[k].severity != NB_NOTE && i-- == 0)
            return nb_diag_format(&f->diags.items[k]);
    fail_msg("too few diagnostics");
    return NULL;
}

static void assert_message(const fixture *f, size_t i, const char *expected)
{
    char *m = message(f, i);
    assert_string_equal(m, expected);
    free(m);
}

static void test_indent_grid(void **state)
{
    (void)state;
    fixture *f = load_format("demo", NULL);
    assert_non_null(f->format);
    assert_int_equal(f->format->ntables, 1);
    const nb_table *t = &f->format->tables[0];
    assert_int_equal(t->ncols, 3);
    assert_int_equal(t->header_rows, 1);
    assert_int_equal(t->nrows, 6);
    assert_string_equal(t->sheet, "统计表");
    const nb_cell *h = nb_table_cell_at(t, 0, 0);
    assert_int_equal(h->kind, NB_CELL_HEADER);
    assert_string_equal(h->text, "统计指标");
    const nb_cell *group = nb_table_cell_at(t, 1, 0);
    assert_true(group->group);
    assert_string_equal(nb_table_cell_at(t, 1, 1)->text, "——");
    const nb_cell *empty = nb_table_cell_at(t, 1, 2);
    assert_int_equal(empty->kind, NB_CELL_VALUE);
    assert_null(empty->key);
    const nb_cell *email = nb_table_cell_at(t, 5, 2);
    assert_string_equal(email->key, "stats.apply.email");
    assert_int_equal(nb_table_cell_at(t, 5, 0)->level, 3);
    assert_string_equal(nb_table_cell_at(t, 4, 1)->text, "件");
    const nb_rule *r = nb_format_sum_rule(f->format, "stats.apply.total");
    assert_non_null(r);
    assert_int_equal(r->nparts, 2);
    release(f);
}

static void test_nested_grid(void **state)
{
    (void)state;
    fixture *f = load_format("matrix", NULL);
    assert_non_null(f->format);
    const nb_table *t = &f->format->tables[0];
    assert_int_equal(t->ncols, 5); /* 3 label columns (levels 0..2) + 2 values */
    assert_int_equal(t->header_rows, 2);
    assert_int_equal(t->nrows, 2 + 4); /* group rows take no row of their own */
    const nb_cell *note = nb_table_cell_at(t, 1, 2);
    assert_string_equal(note->text, "说明");
    assert_int_equal(note->rows, 2);
    assert_string_equal(nb_table_cell_at(t, 1, 3)->text, "自然人");
    const nb_cell *first = nb_table_cell_at(t, 2, 1);
    assert_string_equal(first->text, "一、本年新收");
    assert_int_equal(first->cols, 3);
    const nb_cell *results = nb_table_cell_at(t, 5, 0);
    assert_string_equal(results->text, "三、本年度办理结果");
    assert_int_equal(results->row, 3);
    assert_int_equal(results->rows, 3);
    const nb_cell *refused = nb_table_cell_at(t, 4, 1);
    assert_string_equal(refused->text, "（三）不予公开");
    assert_int_equal(refused->rows, 1);
    const nb_cell *secret = nb_table_cell_at(t, 4, 3);
    assert_string_equal(secret->key, "apply.secret.person");
    assert_string_equal(secret->name, "三（三）1.属于国家秘密 (自然人)");
    assert_string_equal(nb_table_cell_at(t, 5, 4)->name, "三（七）总计 (总计)");
    assert_int_equal(f->format->nrules, 4);
    release(f);
}

static void test_unknown_format_lists_known(void **state)
{
    (void)state;
    fixture *f = load_format("gov-1999", NULL);
    assert_null(f->format);
    assert_message(f, 0, "report.yaml:1:9: unknown format 'gov-1999'; known formats: demo, matrix");
    release(f);
    f = load_format("../demo", NULL);
    assert_null(f->format);
    release(f);
}

static const char good_data[] =
    "stats:\n"
    "  apply:\n"
    "    total: 30\n"
    "    in_person: 10\n"
    "    online: 20\n"
    "    email: ~\n";

static void test_clean_report_passes(void **state)
{
    (void)state;
    fixture *f = load_format("demo", good_data);
    nb_check_report(f->format, f->data, &f->diags);
    assert_int_equal(f->diags.count, 0);
    release(f);
}

static void test_sum_rule_failure_points_at_total(void **state)
{
    (void)state;
    fixture *f = load_format("demo", "stats:\n  apply:\n    total: 31\n    in_person: 10\n"
                                     "    online: 20\n    email: 25\n");
    nb_check_report(f->format, f->data, &f->diags);
    assert_int_equal(f->diags.rule_errors, 2);
    assert_message(f, 0, "report.yaml:3:12: （一）收到申请数 is 31, but the items below it "
                         "add up to 30 (rule: 收到申请数等于各渠道之和; 1.当面申请数 + "
                         "2.网络申请数)");
    assert_message(f, 1, "report.yaml:6:12: 其中：电子邮件 is 25, more than 2.网络申请数 (20) "
                         "it is part of (rule: 其中项不超过总数)");
    assert_int_equal(nb_diags_exit_status(&f->diags), 1);
    release(f);
}

static void test_figure_errors(void **state)
{
    (void)state;
    fixture *f = load_format("demo", "stats:\n  apply:\n    total: \"30\"\n"
                                     "    in_person: 1,234\n    online: -2\n");
    nb_check_report(f->format, f->data, &f->diags);
    assert_message(f, 0, "report.yaml:3:12: （一）收到申请数 is written in quotes (\"30\"), "
                         "which makes it text; write the number without quotes");
    assert_message(f, 1, "report.yaml:4:16: 1.当面申请数 is written '1,234'; write numbers "
                         "without separators (the PDF and XLSX group digits themselves)");
    assert_message(f, 2, "report.yaml:5:13: 2.网络申请数 is -2, but a count cannot be negative");
    assert_message(f, 3, "report.yaml:2:3: the figure stats.apply.email (其中：电子邮件) is "
                         "missing; write it as a number, or ~ to leave the cell empty");
    assert_int_equal(nb_diags_exit_status(&f->diags), 2);
    release(f);
}

static void test_matrix_rules(void **state)
{
    (void)state;
    fixture *f = load_format("matrix",
                             "apply:\n"
                             "  new: {person: 5, total: 6}\n"
                             "  granted: {person: 3, total: 4}\n"
                             "  secret: {person: 2, total: 2}\n"
                             "  result_total: {person: 5, total: 7}\n");
    nb_check_report(f->format, f->data, &f->diags);
    assert_int_equal(count_without_notes(&f->diags), 2);
    assert_message(f, 0, "report.yaml:5:36: 三（七）总计 (总计) is 7, but the items below it "
                         "add up to 6 (rule: 办理结果总计等于各项之和; 三（一）予以公开 (总计) "
                         "+ 三（三）1.属于国家秘密 (总计))");
    assert_message(f, 1, "report.yaml:5:36: 一、本年新收 (总计) = 6, but 三（七）总计 (总计) "
                         "= 7 (rule: 本年新收等于办理结果)");
    release(f);
}

static void test_bad_definitions(void **state)
{
    (void)state;
    nb_test_make_format(templates_root, "bad",
                        "name: bad\ntemplate: r.mustache\ntables:\n  - id: t\n    columns:\n"
                        "      - {role: label}\n      - {role: number}\n    rows:\n"
                        "      - {label: a, key: x}\nrules:\n  - name: r\n    sum: t.y\n    of: [x]\n");
    fixture *f = load_format("bad", NULL);
    assert_null(f->format);
    assert_true(f->diags.errors >= 1);
    char *m = message(f, 0);
    assert_non_null(strstr(m, "format.yaml:7:16: unknown column role 'number'; expected label, unit or value"));
    free(m);
    release(f);
}

static void test_too_many_rows(void **state)
{
    (void)state;
    nb_buf y = {0};
    nb_buf_puts(&y, "name: huge\ntemplate: r.mustache\ntables:\n  - id: t\n"
                    "    columns: [{role: label}, {role: value}]\n    rows:\n");
    for (int i = 0; i < 10001; i++)
        nb_buf_printf(&y, "      - {label: r%d, key: k%d}\n", i, i);
    nb_test_make_format(templates_root, "huge", nb_buf_str(&y));
    nb_buf_free(&y);
    fixture *f = load_format("huge", NULL);
    assert_null(f->format);
    char *m = message(f, 0);
    assert_non_null(strstr(m, "huge/format.yaml:7:7: this table has 10001 rows; the limit is 10000"));
    free(m);
    release(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_indent_grid),
        cmocka_unit_test(test_nested_grid),
        cmocka_unit_test(test_unknown_format_lists_known),
        cmocka_unit_test(test_clean_report_passes),
        cmocka_unit_test(test_sum_rule_failure_points_at_total),
        cmocka_unit_test(test_figure_errors),
        cmocka_unit_test(test_matrix_rules),
        cmocka_unit_test(test_bad_definitions),
        cmocka_unit_test(test_too_many_rows),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
