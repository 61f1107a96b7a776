/* test_tmpl.c — the template engine beyond the spec: strict errors (each
 * with its file:line:col), the report helpers, markup escaping, partial
 * folders, inheritance from files, and `nianbao render`.
 */
#define _XOPEN_SOURCE 700

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "markup.h"
#include "source.h"
#include "testutil.h"
#include "tmpl.h"

/* ---- fixtures ---- */
static nb_arena A;
static char *errors; /* every diagnostic of the last render, one per line */

static int teardown(void **state)
{
    (void)state;
    nb_arena_free(&A);
    errors = NULL;
    return 0;
}

static char *diag_text(const nb_diags *d)
{
    nb_buf b = {0};
    for (size_t i = 0; i < d->count; i++) {
        char *line = nb_diag_format(&d->items[i]);
        nb_buf_printf(&b, "%s\n", line);
        free(line);
    }
    char *s = nb_arena_strdup(&A, nb_buf_str(&b));
    nb_buf_free(&b);
    return s;
}

static nb_node *yaml(const char *text)
{
    nb_diags d = {0};
    nb_node *n = nb_source_load_string("data.yaml", text, strlen(text), &A, &d);
    if (!n)
        nb_diags_print(&d, stdout);
    nb_diags_free(&d);
    assert_non_null(n);
    return n;
}

/* Render `tmpl` (named t.mustache) with YAML `data`; NULL on errors, which
 * are then in `errors`. */
static char *render_with(const char *tmpl, const char *data, const nb_tmpl_options *o)
{
    nb_diags d = {0};
    char *out = nb_tmpl_render_string("t.mustache", tmpl, strlen(tmpl), yaml(data), o,
                                      &A, &d);
    errors = diag_text(&d);
    if (!out)
        printf("errors:\n%s", errors);
    nb_diags_free(&d);
    return out;
}

static const nb_tmpl_options strict_markup = {.escape = NB_ESCAPE_MARKUP};
static const nb_tmpl_options strict_plain = {.escape = NB_ESCAPE_NONE};

static char *render(const char *tmpl, const char *data)
{
    return render_with(tmpl, data, &strict_plain);
}

static void assert_renders(const char *tmpl, const char *data, const char *expected)
{
    char *out = render(tmpl, data);
    assert_non_null(out);
    assert_string_equal(out, expected);
    assert_string_equal(errors, "");
}

/* The render fails with exactly one error, `expected`. */
static void assert_error(const char *tmpl, const char *data, const char *expected)
{
    nb_diags d = {0};
    char *out = nb_tmpl_render_string("t.mustache", tmpl, strlen(tmpl), yaml(data),
                                      &strict_plain, &A, &d);
    errors = diag_text(&d);
    nb_diags_free(&d);
    if (out)
        printf("unexpectedly rendered: \"%s\"\n", out);
    assert_null(out);
    char *want = nb_arena_printf(&A, "%s\n", expected);
    assert_string_equal(errors, want);
}

/* ---- strict names ---- */
static void test_missing_name_names_position_and_suggests(void **state)
{
    (void)state;
    assert_error("年度：{{yaer}}年", "year: 2017",
                 "t.mustache:1:4: 'yaer' is not in the data; did you mean 'year'?");
}

static void test_missing_dotted_part(void **state)
{
    (void)state;
    assert_error("a\n  {{stats.aplications.total}}",
                 "stats: {applications: {total: 5}}",
                 "t.mustache:2:3: 'stats.aplications.total' is not in the data: 'stats' "
                 "has no key 'aplications'; did you mean 'stats.applications.total'?");
}

static void test_suggestion_found_deeper_in_the_data(void **state)
{
    (void)state;
    assert_error("{{received}}", "stats: {applications: {received: 5}}",
                 "t.mustache:1:1: 'received' is not in the data; did you mean "
                 "'stats.applications.received'?");
}

static void test_missing_name_inside_a_list_says_where_it_looked(void **state)
{
    (void)state;
    /* one error for the tag, not one per item */
    assert_error("{{#rows}}{{nme}}{{/rows}}", "rows: [{name: a}, {name: b}, {name: c}]",
                 "t.mustache:1:10: 'nme' is not in the data (looked in 'rows.0' and "
                 "outward to the top level); did you mean 'name'?");
}

static void test_missing_section_and_inverted_section(void **state)
{
    (void)state;
    assert_error("{{#items}}x{{/items}}", "itemz: [1]",
                 "t.mustache:1:1: 'items' is not in the data; did you mean 'itemz'?");
    assert_error("x{{^flag}}y{{/flag}}", "other: 1",
                 "t.mustache:1:2: 'flag' is not in the data");
}

static void test_present_null_is_not_missing(void **state)
{
    (void)state;
    assert_renders("[{{note}}][{{note | grouped}}][{{#note}}x{{/note}}][{{^note}}y{{/note}}]"
                   "[{{org.name}}]",
                   "note: ~\norg:\n", "[][][][y][]");
}

static void test_lenient_prints_missing_names_as_nothing(void **state)
{
    (void)state;
    nb_tmpl_options o = {.escape = NB_ESCAPE_NONE, .lenient = true};
    char *out = render_with("[{{nothing}}|{{#no}}x{{/no}}|{{^no}}y{{/no}}|{{>none}}]",
                            "a: 1", &o);
    assert_string_equal(out, "[||y|]");
}

static void test_a_map_cannot_be_printed(void **state)
{
    (void)state;
    assert_error("{{org}}", "org: {name: 某县}",
                 "t.mustache:1:1: 'org' is a map of keys and cannot be printed; to use "
                 "what is inside it write {{#org}}…{{/org}}");
}

static void test_below_a_scalar_is_an_error(void **state)
{
    (void)state;
    assert_error("{{year.x}}", "year: 2017",
                 "t.mustache:1:1: 'year.x' is not in the data: 'year' is a whole number "
                 "('2017'), so it has no 'x'");
}

static void test_list_items_by_number(void **state)
{
    (void)state;
    assert_renders("{{rows.1.name}}", "rows: [{name: a}, {name: b}]", "b");
    assert_error("{{rows.5.name}}", "rows: [{name: a}]",
                 "t.mustache:1:1: 'rows.5.name' is not in the data: 'rows' is a list of 1 "
                 "(items 0 to 0), so it has no '5'; to go through it write "
                 "{{#rows}}…{{/rows}}");
}

/* ---- structure errors ---- */
static void test_unclosed_section(void **state)
{
    (void)state;
    assert_error("a\n  {{#items}}\nx\n", "items: []",
                 "t.mustache:2:3: {{#items}} is never closed; expected {{/items}} before "
                 "the end of the template");
}

static void test_mismatched_section(void **state)
{
    (void)state;
    assert_error("{{#a}}{{#b}}{{/a}}{{/b}}", "a: 1",
                 "t.mustache:1:13: {{/a}} does not match {{#b}} opened at line 1, column 7; "
                 "close 'b' first");
}

static void test_close_without_open(void **state)
{
    (void)state;
    assert_error("x\n{{/a}}", "a: 1",
                 "t.mustache:2:1: {{/a}} closes nothing: no section named 'a' is open here");
}

static void test_unclosed_tag(void **state)
{
    (void)state;
    assert_error("共 {{count 件", "count: 1",
                 "t.mustache:1:3: this tag is never closed: no '}}' follows its '{{'");
}

static void test_bad_names(void **state)
{
    (void)state;
    assert_error("{{a b}}", "a: 1",
                 "t.mustache:1:1: in {{a b}}: a name is one word; to apply a helper write "
                 "{{a | helper}}");
    assert_error("{{#a b}}{{/a b}}", "a: 1",
                 "t.mustache:1:1: the tag {{#a b}} has a space in its name; a name is one "
                 "word such as stats.total");
    assert_error("{{@idx}}", "a: 1",
                 "t.mustache:1:1: in {{@idx}}: unknown name '@idx'; the special names are "
                 "@index (1, 2, 3 …), @first and @last");
}

static void test_text_inside_a_parent_is_reported(void **state)
{
    (void)state;
    nb_node *partials = yaml("base: '{{$a}}x{{/a}}'");
    nb_tmpl_options o = {.escape = NB_ESCAPE_NONE, .partials = partials};
    nb_diags d = {0};
    const char *t = "{{<base}}\n  lost text\n{{$a}}y{{/a}}{{/base}}";
    char *out = nb_tmpl_render_string("t.mustache", t, strlen(t), yaml("{}"), &o, &A, &d);
    assert_null(out);
    assert_string_equal(diag_text(&d),
                        "t.mustache:2:3: text inside {{<base}} would be ignored ('lost "
                        "text'); put it inside a {{$block}} that base defines\n");
    nb_diags_free(&d);
}

/* ---- helpers ---- */
static void test_grouped(void **state)
{
    (void)state;
    assert_renders("{{a | grouped}} {{b | grouped}} {{c | grouped}} {{d | grouped}} "
                   "{{e | grouped}}",
                   "{a: 135000, b: 1234567.50, c: -1234, d: 999, e: '135000'}",
                   "135,000 1,234,567.50 -1,234 999 135,000");
    assert_error("{{name | grouped}}", "name: 某县",
                 "t.mustache:1:1: 'grouped' needs a number, but 'name' is '某县'");
}

static void test_plain_numbers(void **state)
{
    (void)state;
    /* ints and text as written; a float in its shortest form, as the spec asks */
    assert_renders("{{a}} {{b}} {{c}} {{d}}", "{a: 135000, b: 1.210, c: 0x1F, d: '1.210'}",
                   "135000 1.21 0x1F 1.210");
}

static void test_fixed(void **state)
{
    (void)state;
    assert_renders("{{a | fixed 2}} {{b | fixed 2}} {{c | fixed 0}} {{d | fixed 0}} "
                   "{{e | fixed 2 | grouped}}",
                   "{a: 20, b: 2.675, c: 0.5, d: -2.5, e: 1234.5}",
                   "20.00 2.68 1 -3 1,234.50");
    assert_error("{{a | fixed x}}", "a: 1",
                 "t.mustache:1:1: in {{a | fixed x}}: the number of decimals of 'fixed' "
                 "must be a whole number from 0 to 9, not 'x' (fixed DECIMALS)");
}

static void test_percent_rounds_half_up(void **state)
{
    (void)state;
    assert_renders("{{a | percent b 1}} {{a | percent b 0}} {{one | percent 8 0}} "
                   "{{one | percent_floor 8 0}} {{one | percent_ceil 3 1}} "
                   "{{one | percent 3 2}}",
                   "{a: 205, b: 210, one: 1}", "97.6% 98% 13% 12% 33.4% 33.33%");
}

static void test_percent_division_by_zero(void **state)
{
    (void)state;
    assert_error("比例：{{a | percent b 1}}", "{a: 5, b: 0}",
                 "t.mustache:1:4: 'percent' divides by zero: the divisor 'b' is 0");
    assert_error("{{a | percent 0.0 1}}", "{a: 5}",
                 "t.mustache:1:1: 'percent' divides by zero: the divisor '0.0' is 0.0");
}

static void test_helper_arguments_are_checked_when_parsing(void **state)
{
    (void)state;
    /* even inside a section the data never opens */
    assert_error("{{#no}}{{a | percnt b 1}}{{/no}}", "no: false",
                 "t.mustache:1:8: in {{a | percnt b 1}}: unknown helper 'percnt'; the "
                 "helpers are: grouped, fixed, percent, percent_floor, percent_ceil, plus, "
                 "minus, cn, date_cn");
    assert_error("{{a | percent b}}", "a: 1",
                 "t.mustache:1:1: in {{a | percent b}}: 'percent' takes 2 arguments "
                 "(percent DIVISOR DECIMALS), not 1");
}

static void test_date_cn(void **state)
{
    (void)state;
    assert_renders("{{d | date_cn}} {{m | date_cn}}", "{d: 2018-03-19, m: 2018-3}",
                   "2018年3月19日 2018年3月");
    assert_error("{{d | date_cn}}", "d: 2018-02-29",
                 "t.mustache:1:1: '2018-02-29' is not a date: 2018-02 has 28 days");
    assert_error("{{d | date_cn}}", "d: 2018/03/19",
                 "t.mustache:1:1: 'date_cn' needs a date written like 2018-03-19 (or a "
                 "month, 2018-03), but 'd' is '2018/03/19'");
}

static void test_year_arithmetic(void **state)
{
    (void)state;
    assert_renders("{{year | minus 1}}—{{year}}—{{year | plus 1}}—{{year | plus gap}}",
                   "{year: 2017, gap: 3}", "2016—2017—2018—2020");
}

static void test_cn_numerals(void **state)
{
    (void)state;
    assert_renders("{{#n}}{{. | cn}} {{/n}}",
                   "n: [0, 1, 9, 10, 11, 19, 20, 21, 99, 100, 101, 110, 111, 1000, 1001, "
                   "1010, 1100, 10000, 10010, 100000]",
                   "零 一 九 十 十一 十九 二十 二十一 九十九 一百 一百零一 一百一十 "
                   "一百一十一 一千 一千零一 一千零一十 一千一百 一万 一万零一十 十万 ");
    assert_error("{{n | cn}}", "n: 1.5",
                 "t.mustache:1:1: 'cn' writes whole numbers from 0 to 99999999 in Chinese "
                 "numerals, but 'n' is '1.5'");
}

static void test_numbering_follows_the_list(void **state)
{
    (void)state;
    const char *data = "items: [{t: 甲}, {t: 乙}, {t: 丙}]";
    assert_renders("{{#items}}{{@index | cn}}、{{t}}\n{{/items}}", data,
                   "一、甲\n二、乙\n三、丙\n");
    assert_renders("{{#items}}（{{@index | cn}}）{{t}}{{/items}}", data,
                   "（一）甲（二）乙（三）丙");
    assert_renders("{{#items}}{{@index}}、{{t}}{{^@last}}；{{/@last}}{{/items}}", data,
                   "1、甲；2、乙；3、丙");
    assert_renders("{{#items}}{{#@first}}首{{/@first}}{{t}}{{/items}}", data, "首甲乙丙");
    assert_error("{{@index}}", "a: 1",
                 "t.mustache:1:1: '@index' is only defined inside a section over a list, "
                 "such as {{#items}}{{@index}}{{/items}}");
}

/* ---- escaping ---- */
static void test_markup_escapes_structure(void **state)
{
    (void)state;
    const char *data = "{h: '# 标题', e: '*强调* _x_ [a](b) `c` <d> a|b &amp; ~~s~~ \\', "
                       "n: '1. 第一', m: '- 项', q: '> 引', p: '2018) 年'}";
    char *out = render_with("{{h}}\n{{e}}\n{{n}}\n{{m}}\n{{q}}\n{{p}}\n前{{n}}", data,
                            &strict_markup);
    assert_string_equal(out, "\\# 标题\n"
                             "\\*强调\\* \\_x\\_ \\[a\\](b) \\`c\\` \\<d\\> a\\|b \\&amp; "
                             "\\~\\~s\\~\\~ \\\\\n"
                             "1\\. 第一\n\\- 项\n\\> 引\n2018\\) 年\n前1. 第一");
}

static void test_markup_line_breaks_in_values(void **state)
{
    (void)state;
    const char *data = "{v: \"第一行\\n# 第二行\\n\\n\\n- 第三行\\n\", t: \"甲\\n乙\", "
                       "a: \"a  \\n b\"}";
    char *out = render_with("{{v}}\n## {{t}}\n## {{a}}\n", data, &strict_markup);
    assert_string_equal(out, "第一行\n\\# 第二行\n\\- 第三行\n## 甲乙\n## a b\n");
}

static void test_raw_tags_are_not_escaped(void **state)
{
    (void)state;
    char *out = render_with("{{{h}}} {{&h}}", "h: '# *x*'", &strict_markup);
    assert_string_equal(out, "# *x* # *x*");
}

static void test_html_escaping(void **state)
{
    (void)state;
    nb_tmpl_options o = {.escape = NB_ESCAPE_HTML};
    char *out = render_with("{{v}}|{{{v}}}", "v: '& \" < > '''", &o);
    assert_string_equal(out, "&amp; &quot; &lt; &gt; &#39;|& \" < > '");
}

/* What the markup stage makes of an escaped value: text, not structure. */
static const nb_block *only_block(const char *rendered, nb_document *doc)
{
    nb_diags d = {0};
    bool ok = nb_markup_parse("r.md", rendered, strlen(rendered), doc, &A, &d);
    if (!ok)
        nb_diags_print(&d, stdout);
    nb_diags_free(&d);
    assert_true(ok);
    assert_int_equal(doc->count, 1);
    return &doc->blocks[0];
}

static void test_data_with_markup_characters_stays_text(void **state)
{
    (void)state;
    const char *values[] = {"# 不是标题",   "1. 不是列表",     "- 不是列表",
                            "*不是强调*",   "甲 | 乙 | 丙",    "> 不是落款",
                            "---",          "A&amp;B",         "[链接](http://x.cn)",
                            "<b>粗</b>",    "`代码`",          "2018年 __下划线__"};
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        nb_node *data = nb_node_new_map(&A, (nb_pos){"data", 1, 1});
        nb_map_set(&A, data, "v", nb_node_new_scalar(&A, (nb_pos){"data", 1, 1}, values[i]));
        nb_diags d = {0};
        char *out = nb_tmpl_render_string("t.mustache", "{{v}}\n", 6, data, &strict_markup,
                                          &A, &d);
        nb_diags_free(&d);
        assert_non_null(out);
        nb_document doc = {0};
        const nb_block *b = only_block(out, &doc);
        assert_int_equal(b->kind, NB_BLOCK_PARAGRAPH);
        assert_string_equal(nb_block_text(b, &A), values[i]);
        for (size_t s = 0; s < b->count; s++)
            assert_int_equal(b->spans[s].style, NB_SPAN_PLAIN);
        nb_document_free(&doc);
    }
}

/* ---- partials, folders and inheritance ---- */
static char *render_in(const char *dir, const char *tmpl, const char *data, bool lenient)
{
    const char *dirs[] = {dir, NULL};
    nb_tmpl_options o = {.escape = NB_ESCAPE_NONE, .lenient = lenient, .partial_dirs = dirs};
    return render_with(tmpl, data, &o);
}

static void test_partials_from_a_folder(void **state)
{
    (void)state;
    char *dir = nb_test_tmpdir("tmpl_partials");
    nb_test_write_in(dir, "sign.mustache", "> {{org}}\n> {{date | date_cn}}\n");
    char *out = render_in(dir, "正文。\n\n  {{>sign}}\n", "{org: 某县人民政府, date: 2018-03-19}",
                          false);
    assert_string_equal(out, "正文。\n\n  > 某县人民政府\n  > 2018年3月19日\n");
    free(dir);
}

static void test_missing_partial(void **state)
{
    (void)state;
    char *dir = nb_test_tmpdir("tmpl_missing");
    char *out = render_in(dir, "a\n{{>footer}}\n", "x: 1", false);
    assert_null(out);
    char *want = nb_arena_printf(&A, "t.mustache:2:1: the partial 'footer' was not found: "
                                 "there is no footer.mustache in %s\n", dir);
    assert_string_equal(errors, want);
    free(dir);
}

static void test_partial_outside_the_folder_is_refused(void **state)
{
    (void)state;
    char *dir = nb_test_tmpdir("tmpl_outside");
    const char *names[] = {"../../etc/passwd", "/etc/passwd", "a/../../b", "./x"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char *t = nb_arena_printf(&A, "{{>%s}}", names[i]);
        assert_null(render_in(dir, t, "x: 1", true)); /* refused even when lenient */
        assert_non_null(strstr(errors, "t.mustache:1:1: the partial name '"));
        assert_non_null(strstr(errors, "' is refused: "));
    }
    /* a symbolic link that leads out of the folder */
    char *link = nb_path_join(dir, "evil.mustache");
    assert_int_equal(symlink("/etc/hostname", link), 0);
    assert_null(render_in(dir, "{{>evil}}", "x: 1", false));
    assert_non_null(strstr(errors, "leads outside its folder"));
    free(link);
    free(dir);
}

static void test_partial_including_itself_stops(void **state)
{
    (void)state;
    char *dir = nb_test_tmpdir("tmpl_loop");
    nb_test_write_in(dir, "loop.mustache", "x{{>loop}}");
    assert_null(render_in(dir, "{{>loop}}", "x: 1", false));
    char *where = nb_arena_printf(&A, "%s/loop.mustache:1:2: partials are included 64 deep",
                                  dir);
    assert_true(strncmp(errors, where, strlen(where)) == 0);
    assert_non_null(strstr(errors, "a partial includes itself without end"));
    assert_non_null(strstr(errors, "loop → loop → loop"));
    free(dir);
}

static void test_exploding_partials_stop(void **state)
{
    (void)state;
    /* ten levels, each including the next ten times: 10^10 leaves */
    char *dir = nb_test_tmpdir("tmpl_explode");
    for (int level = 0; level < 10; level++) {
        nb_buf b = {0};
        for (int k = 0; k < 10; k++)
            nb_buf_printf(&b, "{{>p%d}}", level + 1);
        nb_test_write_in(dir, nb_arena_printf(&A, "p%d.mustache", level), nb_buf_str(&b));
        nb_buf_free(&b);
    }
    nb_test_write_in(dir, "p10.mustache", "");
    clock_t start = clock();
    assert_null(render_in(dir, "{{>p0}}", "x: 1", false));
    assert_true((double)(clock() - start) / CLOCKS_PER_SEC < 30.0);
    assert_non_null(strstr(errors, "takes too long"));
    free(dir);
}

static void test_format_extends_a_shared_base(void **state)
{
    (void)state;
    char *dir = nb_test_tmpdir("tmpl_inherit");
    nb_test_write_in(dir, "base.mustache",
                     "# {{$title}}{{year}}年政府信息公开工作年度报告{{/title}}\n"
                     "\n"
                     "{{$intro}}本报告依据《条例》编制。{{/intro}}\n"
                     "\n"
                     "{{$sections}}\n"
                     "{{/sections}}\n"
                     "> {{org}}\n");
    nb_test_write_in(dir, "report.mustache",
                     "{{<base}}\n"
                     "{{$sections}}\n"
                     "{{#parts}}\n"
                     "## {{@index | cn}}、{{title}}\n"
                     "\n"
                     "{{/parts}}\n"
                     "{{/sections}}\n"
                     "{{/base}}\n");
    const char *dirs[] = {dir, NULL};
    nb_tmpl_options o = {.escape = NB_ESCAPE_MARKUP, .partial_dirs = dirs};
    nb_diags d = {0};
    char *path = nb_path_join(dir, "report.mustache");
    char *out = nb_tmpl_render_file(path, yaml("{year: 2017, org: 某县人民政府, parts: "
                                               "[{title: 概述}, {title: 主动公开}]}"),
                                    &o, &A, &d);
    nb_diags_print(&d, stdout);
    nb_diags_free(&d);
    assert_string_equal(out, "# 2017年政府信息公开工作年度报告\n"
                             "\n"
                             "本报告依据《条例》编制。\n"
                             "\n"
                             "## 一、概述\n"
                             "\n"
                             "## 二、主动公开\n"
                             "\n"
                             "> 某县人民政府\n");
    free(path);
    free(dir);
}

static void test_missing_template_file(void **state)
{
    (void)state;
    nb_diags d = {0};
    assert_null(nb_tmpl_render_file("/nonexistent/t.mustache", yaml("{}"), &strict_plain,
                                    &A, &d));
    assert_string_equal(diag_text(&d), "/nonexistent/t.mustache: cannot read the template: "
                                       "No such file or directory\n");
    nb_diags_free(&d);
}

/* ---- nianbao render ---- */
static char *run(const char *args, int *status)
{
    char *cmd = nb_arena_printf(&A, "'%s' render %s", NB_BINARY, args);
    char *out = NULL;
    *status = nb_test_run(cmd, &out);
    char *copy = nb_arena_strdup(&A, out ? out : "");
    free(out);
    return copy;
}

static void test_cli_reproduces_a_spec_case(void **state)
{
    (void)state;
    /* partials.yml "Standalone Indentation", from the command line */
    char *dir = nb_test_tmpdir("tmpl_cli_spec");
    nb_test_write_in(dir, "t.mustache", "\\\n {{>partial}}\n/\n");
    nb_test_write_in(dir, "partial.mustache", "|\n{{{content}}}\n|\n");
    nb_test_write_in(dir, "data.yaml", "content: \"<\\n->\"\n");
    int status;
    char *out = run(nb_arena_printf(&A, "'%s/t.mustache' --data '%s/data.yaml' --escape "
                                    "html --lenient", dir, dir), &status);
    assert_int_equal(status, 0);
    assert_string_equal(out, "\\\n |\n <\n->\n |\n/\n");
    /* exactly: no newline is added */
    nb_test_write_in(dir, "u.mustache", "{{x}}");
    nb_test_write_in(dir, "x.yaml", "x: '<b>'");
    out = run(nb_arena_printf(&A, "'%s/u.mustache' --data '%s/x.yaml' --escape=html", dir,
                              dir), &status);
    assert_int_equal(status, 0);
    assert_string_equal(out, "&lt;b&gt;");
    free(dir);
}

static void test_cli_partials_option_and_default_escape(void **state)
{
    (void)state;
    char *dir = nb_test_tmpdir("tmpl_cli_partials");
    char *parts = nb_path_join(dir, "parts");
    char *mk = nb_arena_printf(&A, "mkdir -p '%s'", parts);
    assert_int_equal(system(mk), 0);
    nb_test_write_in(parts, "title.mustache", "# {{t}}\n");
    nb_test_write_in(dir, "t.mustache", "{{>title}}{{v}}");
    nb_test_write_in(dir, "d.yaml", "{t: 报告, v: '# 数据'}");
    int status;
    char *out = run(nb_arena_printf(&A, "'%s/t.mustache' --data '%s/d.yaml' --partials '%s'",
                                    dir, dir, parts), &status);
    assert_int_equal(status, 0);
    assert_string_equal(out, "# 报告\n\\# 数据");
    free(parts);
    free(dir);
}

static void test_cli_errors(void **state)
{
    (void)state;
    char *dir = nb_test_tmpdir("tmpl_cli_errors");
    nb_test_write_in(dir, "t.mustache", "{{yaer}}");
    nb_test_write_in(dir, "d.yaml", "year: 2017\n");
    int status;
    char *out = run(nb_arena_printf(&A, "'%s/t.mustache' --data '%s/d.yaml'", dir, dir),
                    &status);
    assert_int_equal(status, 2);
    assert_string_equal(out, nb_arena_printf(&A, "%s/t.mustache:1:1: error: 'yaer' is not in "
                                             "the data; did you mean 'year'?\n", dir));
    out = run(nb_arena_printf(&A, "'%s/t.mustache' --data '%s/d.yaml' --lenient", dir, dir),
              &status);
    assert_int_equal(status, 0);
    assert_string_equal(out, "");
    out = run("x.mustache --data d.yaml --bogus", &status);
    assert_int_equal(status, 2);
    assert_string_equal(out, "nianbao render: error: unknown option '--bogus'\n"
                             "Try 'nianbao render --help' for its options.\n");
    out = run("x.mustache --data d.yaml --escape latex", &status);
    assert_int_equal(status, 2);
    assert_string_equal(out, "nianbao render: error: --escape takes html, markup or none, "
                             "not 'latex'\nTry 'nianbao render --help' for its options.\n");
    out = run("x.mustache", &status);
    assert_int_equal(status, 2);
    assert_string_equal(out, "nianbao render: error: --data DATA.yaml is required\n"
                             "Try 'nianbao render --help' for its options.\n");
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_missing_name_names_position_and_suggests, teardown),
        cmocka_unit_test_teardown(test_missing_dotted_part, teardown),
        cmocka_unit_test_teardown(test_suggestion_found_deeper_in_the_data, teardown),
        cmocka_unit_test_teardown(test_missing_name_inside_a_list_says_where_it_looked,
                                  teardown),
        cmocka_unit_test_teardown(test_missing_section_and_inverted_section, teardown),
        cmocka_unit_test_teardown(test_present_null_is_not_missing, teardown),
        cmocka_unit_test_teardown(test_lenient_prints_missing_names_as_nothing, teardown),
        cmocka_unit_test_teardown(test_a_map_cannot_be_printed, teardown),
        cmocka_unit_test_teardown(test_below_a_scalar_is_an_error, teardown),
        cmocka_unit_test_teardown(test_list_items_by_number, teardown),
        cmocka_unit_test_teardown(test_unclosed_section, teardown),
        cmocka_unit_test_teardown(test_mismatched_section, teardown),
        cmocka_unit_test_teardown(test_close_without_open, teardown),
        cmocka_unit_test_teardown(test_unclosed_tag, teardown),
        cmocka_unit_test_teardown(test_bad_names, teardown),
        cmocka_unit_test_teardown(test_text_inside_a_parent_is_reported, teardown),
        cmocka_unit_test_teardown(test_grouped, teardown),
        cmocka_unit_test_teardown(test_plain_numbers, teardown),
        cmocka_unit_test_teardown(test_fixed, teardown),
        cmocka_unit_test_teardown(test_percent_rounds_half_up, teardown),
        cmocka_unit_test_teardown(test_percent_division_by_zero, teardown),
        cmocka_unit_test_teardown(test_helper_arguments_are_checked_when_parsing, teardown),
        cmocka_unit_test_teardown(test_date_cn, teardown),
        cmocka_unit_test_teardown(test_year_arithmetic, teardown),
        cmocka_unit_test_teardown(test_cn_numerals, teardown),
        cmocka_unit_test_teardown(test_numbering_follows_the_list, teardown),
        cmocka_unit_test_teardown(test_markup_escapes_structure, teardown),
        cmocka_unit_test_teardown(test_markup_line_breaks_in_values, teardown),
        cmocka_unit_test_teardown(test_raw_tags_are_not_escaped, teardown),
        cmocka_unit_test_teardown(test_html_escaping, teardown),
        cmocka_unit_test_teardown(test_data_with_markup_characters_stays_text, teardown),
        cmocka_unit_test_teardown(test_partials_from_a_folder, teardown),
        cmocka_unit_test_teardown(test_missing_partial, teardown),
        cmocka_unit_test_teardown(test_partial_outside_the_folder_is_refused, teardown),
        cmocka_unit_test_teardown(test_partial_including_itself_stops, teardown),
        cmocka_unit_test_teardown(test_exploding_partials_stop, teardown),
        cmocka_unit_test_teardown(test_format_extends_a_shared_base, teardown),
        cmocka_unit_test_teardown(test_missing_template_file, teardown),
        cmocka_unit_test_teardown(test_cli_reproduces_a_spec_case, teardown),
        cmocka_unit_test_teardown(test_cli_partials_option_and_default_escape, teardown),
        cmocka_unit_test_teardown(test_cli_errors, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
