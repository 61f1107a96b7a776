/* test_html.c — the web page of a report (html.h): its structure, its
 * tables against the format's grid, what it may not contain, escaping, the
 * fragment, and the files `build` and `preview` write beside the PDF; its
 * text against the PDF's (html_compare.py) for both samples. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "html.h"
#include "report.h"
#include "testutil.h"
#include "util.h"

#define HUAIAN NB_SOURCE_DIR "/samples/huaian-2024.yaml"
#define TAOYUAN NB_SOURCE_DIR "/samples/taoyuan-2017.yaml"

/* A sample composed by the library, and its page. */
typedef struct page {
    nb_report r;
    nb_diags d;
    nb_buf html;
} page;

static void make_page(page *p, const char *sample, nb_html_kind kind, bool draft)
{
    memset(p, 0, sizeof *p);
    assert_true(nb_report_load(&p->r, sample, NB_SOURCE_DIR, &p->d));
    assert_true(nb_report_compose(&p->r, &p->d));
    nb_html_input in = {.doc = &p->r.doc, .tables = p->r.tables, .ntables = p->r.ntables,
                        .table_names = p->r.table_names};
    nb_html_meta m = {.author = "某某办公室", .date = "2025-01-20", .draft = draft};
    assert_true(nb_html_render(&in, &m, kind, &p->html, &p->d));
}

static void free_page(page *p)
{
    nb_buf_free(&p->html);
    nb_report_free(&p->r);
    nb_diags_free(&p->d);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *s = strstr(hay, needle); s; s = strstr(s + 1, needle))
        n++;
    return n;
}

/* ---- structure ---- */

static void check_self_contained(const char *html)
{
    static const char *const banned[] = {"<script", "http:", "https:", "src=", "href=",
                                         "<link", "url(", "@import", "<img", "<iframe",
                                         "<object", "<embed", "javascript:", "on" "load="};
    for (size_t i = 0; i < sizeof banned / sizeof *banned; i++) {
        if (strstr(html, banned[i]))
            fail_msg("the page contains %s", banned[i]);
    }
}

/* h1 once, first; no heading level skipped going deeper. */
static void check_headings(const char *html)
{
    int last = 0, h1 = 0;
    for (const char *s = strstr(html, "<h"); s; s = strstr(s + 1, "<h")) {
        if (s[2] < '1' || s[2] > '6')
            continue;
        int level = s[2] - '0';
        if (level == 1)
            h1++;
        if (level > last + 1)
            fail_msg("<h%d> after <h%d>: a heading level skipped", level, last);
        last = level;
    }
    assert_int_equal(h1, 1);
}

static void test_page_structure(void **state)
{
    (void)state;
    const char *samples[] = {HUAIAN, TAOYUAN};
    for (size_t i = 0; i < 2; i++) {
        page p;
        make_page(&p, samples[i], NB_HTML_PAGE, false);
        const char *html = nb_buf_str(&p.html);
        assert_true(strncmp(html, "<!DOCTYPE html>\n<html lang=\"zh-CN\">", 34) == 0);
        assert_non_null(strstr(html, "<meta charset=\"utf-8\">"));
        assert_non_null(strstr(html, "name=\"viewport\""));
        assert_int_equal(count(html, "<main>"), 1);
        assert_int_equal(count(html, "<style>"), 1);
        check_self_contained(html);
        check_headings(html);
        /* every table: a caption; th with a scope; figures right-aligned in
         * tabular digits; a box that scrolls sideways */
        size_t tables = count(html, "<table");
        assert_true(tables == p.r.ntables);
        assert_int_equal(count(html, "<caption"), tables);
        assert_int_equal(count(html, "<th "), count(html, "<th id=") );
        assert_int_equal(count(html, "<th id="), count(html, "\" scope=\""));
        assert_non_null(strstr(html, ".nb-num{border:1px solid #000;padding:.3em .45em;"
                                     "vertical-align:middle;text-align:right;white-space:"
                                     "nowrap;font-variant-numeric:tabular-nums;}"));
        assert_non_null(strstr(html, ".nb-scroll{max-width:100%;overflow-x:auto;"));
        assert_non_null(strstr(html, "@page{size:A4;"));
        assert_non_null(strstr(html, "FangSong,仿宋"));
        assert_non_null(strstr(html, "SimHei,黑体"));
        assert_non_null(strstr(html, "SimSun,宋体"));
        free_page(&p);
    }
}

/* The 2021 format's parts, items and tables as elements. */
static void test_elements_of_the_2021_sample(void **state)
{
    (void)state;
    page p;
    make_page(&p, HUAIAN, NB_HTML_PAGE, false);
    const char *html = nb_buf_str(&p.html);
    assert_non_null(strstr(html, "<h1 class=\"nb-h1\">淮安市人民政府2024年政府信息公开工作年度报告</h1>"));
    assert_non_null(strstr(html, "<h2 class=\"nb-h2\">二、主动公开政府信息情况</h2>"));
    assert_non_null(strstr(html, "<p class=\"nb-p\"><strong class=\"nb-runin\">（一）主动公开情况。</strong>2024年，"));
    /* a table the PDF shows without a title: named for screen readers by its part */
    assert_non_null(strstr(html, "<caption class=\"nb-hidden\">二、主动公开政府信息情况</caption>"));
    assert_int_equal(count(html, "<thead>"), 2); /* 表二 has no header rows, only sub-tables */
    assert_int_equal(count(html, "<tbody>"), 4 + 1 + 1);
    /* a figure as written, with its headers: 行政事业性收费 96171.6 (万元) */
    assert_non_null(strstr(html, "<td colspan=\"3\" headers=\"nb-t1-r12c1 nb-t1-r13c2 "
                                 "nb-t1-r14c1\" class=\"nb-num\">96171.6</td>"));
    /* 表三: 1.属于国家秘密 under （三）不予公开 under 三、本年度办理结果 */
    assert_non_null(strstr(html, "scope=\"row\" rowspan=\"22\" class=\"nb-group\">三、本年度办理结果</th>"));
    free_page(&p);
}

/* A figure written ~ is an empty cell, not 0 (taoyuan-2017: 在线访谈 其中主要负责同志). */
static void test_empty_figure_is_an_empty_cell(void **state)
{
    (void)state;
    page p;
    make_page(&p, TAOYUAN, NB_HTML_PAGE, false);
    assert_non_null(strstr(nb_buf_str(&p.html),
                           ">其中：主要负责同志参加政府网站在线访谈次数</th><td class=\"nb-unit\">次</td>"
                           "<td headers=\"nb-t1-r1c3 nb-t1-r18c1\" class=\"nb-num\"></td></tr>"));
    free_page(&p);
}

/* ---- tables against the grid ---- */

typedef struct html_cell {
    int row, col, rows, cols;
    bool empty;
} html_cell;

static int attr_int(const char *tag, const char *end, const char *name)
{
    const char *a = strstr(tag, name);
    return a && a < end ? atoi(a + strlen(name)) : 1;
}

/* The cells of the table starting at `s`, placed as an HTML table places
 * them (a slot taken by a rowspan from above is skipped). */
static html_cell *parse_table(const char *s, int ncols, int nrows, size_t *n)
{
    const char *end = strstr(s, "</table>");
    bool *taken = nb_xcalloc((size_t)(nrows + 1) * (size_t)ncols, sizeof *taken);
    html_cell *cells = nb_xcalloc((size_t)(nrows + 1) * (size_t)ncols, sizeof *cells);
    *n = 0;
    int row = -1;
    for (const char *t = strchr(s, '<'); t && t < end; t = strchr(t + 1, '<')) {
        if (strncmp(t, "<tr>", 4) == 0) {
            row++;
            assert_true(row < nrows);
            continue;
        }
        if ((strncmp(t, "<th", 3) != 0 && strncmp(t, "<td", 3) != 0) ||
            (t[3] != ' ' && t[3] != '>'))
            continue; /* <thead> */
        const char *close = strchr(t, '>');
        int col = 0;
        while (col < ncols && taken[row * ncols + col])
            col++;
        assert_true(col < ncols);
        html_cell c = {row, col, attr_int(t, close, "rowspan=\""),
                       attr_int(t, close, "colspan=\""), false};
        const char *cls = strstr(t, "nb-empty");
        c.empty = cls && cls < close;
        for (int r = row; r < row + c.rows && r < nrows; r++)
            for (int q = col; q < col + c.cols && q < ncols; q++) {
                assert_false(taken[r * ncols + q]);
                taken[r * ncols + q] = true;
            }
        cells[(*n)++] = c;
    }
    assert_int_equal(row + 1, nrows);
    for (int i = 0; i < nrows * ncols; i++)
        assert_true(taken[i]); /* every slot of the grid is a cell of the page */
    free(taken);
    return cells;
}

static void check_against_grid(const nb_table *t, const html_cell *cells, size_t n)
{
    size_t matched = 0;
    for (size_t k = 0; k < t->ncells; k++) {
        const nb_cell *g = &t->cells[k];
        bool found = false;
        for (size_t i = 0; i < n && !found; i++)
            found = cells[i].row == g->row && cells[i].col == g->col &&
                    cells[i].rows == g->rows && cells[i].cols == g->cols && !cells[i].empty;
        if (!found)
            fail_msg("table %s: the grid's cell at row %d col %d (%d x %d) is not on the page",
                     t->id, g->row, g->col, g->rows, g->cols);
        matched++;
    }
    size_t empty = 0;
    for (size_t i = 0; i < n; i++)
        empty += cells[i].empty;
    assert_int_equal(matched + empty, n); /* nothing else: only uncovered slots are empty */
}

static void test_tables_merge_as_the_grid(void **state)
{
    (void)state;
    const char *samples[] = {HUAIAN, TAOYUAN};
    for (size_t i = 0; i < 2; i++) {
        page p;
        make_page(&p, samples[i], NB_HTML_PAGE, false);
        const char *s = nb_buf_str(&p.html);
        size_t tables = 0;
        for (size_t b = 0; b < p.r.doc.count; b++) {
            const nb_block *block = &p.r.doc.blocks[b];
            if (block->kind != NB_BLOCK_TABLE)
                continue;
            const nb_table *t = nb_format_table(p.r.format, block->table_id);
            s = strstr(s, "<table");
            assert_non_null(s);
            size_t n;
            html_cell *cells = parse_table(s, t->ncols, t->nrows, &n);
            check_against_grid(t, cells, n);
            free(cells);
            s++;
            tables++;
        }
        assert_true(tables > 0);
        free_page(&p);
    }
}

/* ---- escaping, fragment, draft ---- */

static nb_document hand_made(nb_span *spans, nb_block *blocks)
{
    spans[0] = (nb_span){"标题<script>", 14, 0};
    spans[1] = (nb_span){"一、要点。", strlen("一、要点。"), NB_SPAN_STRONG};
    spans[2] = (nb_span){"a<b>&\"'c", strlen("a<b>&\"'c"), 0};
    blocks[0] = (nb_block){.kind = NB_BLOCK_TITLE, .spans = &spans[0], .count = 1};
    blocks[1] = (nb_block){.kind = NB_BLOCK_PARAGRAPH, .spans = &spans[1], .count = 2};
    return (nb_document){.blocks = blocks, .count = 2};
}

static void test_text_is_escaped(void **state)
{
    (void)state;
    nb_span spans[3];
    nb_block blocks[2];
    nb_document doc = hand_made(spans, blocks);
    nb_html_input in = {.doc = &doc};
    nb_html_meta m = {.author = "办公室\"><script>"};
    nb_buf out = {0};
    nb_diags d = {0};
    assert_true(nb_html_render(&in, &m, NB_HTML_PAGE, &out, &d));
    const char *html = nb_buf_str(&out);
    assert_non_null(strstr(html, "<title>标题&lt;script&gt;</title>"));
    assert_non_null(strstr(html, "content=\"办公室&quot;&gt;&lt;script&gt;\""));
    assert_non_null(strstr(html, "<p class=\"nb-p\"><strong class=\"nb-runin\">一、要点。</strong>"
                                 "a&lt;b&gt;&amp;&quot;&#39;c</p>"));
    assert_null(strstr(html, "<script"));
    nb_buf_free(&out);
    nb_diags_free(&d);
}

static void test_fragment_has_inline_styles_only(void **state)
{
    (void)state;
    page p;
    make_page(&p, HUAIAN, NB_HTML_FRAGMENT, false);
    const char *html = nb_buf_str(&p.html);
    assert_true(strncmp(html, "<article lang=\"zh-CN\" style='display:block;", 43) == 0);
    assert_null(strstr(html, "<html"));
    assert_null(strstr(html, "<head"));
    assert_null(strstr(html, "<style"));
    assert_null(strstr(html, "class="));
    check_self_contained(html);
    assert_non_null(strstr(html, "<h2 style='margin:.8em 0 .2em;text-indent:2em;font-family:SimHei"));
    assert_non_null(strstr(html, "font-variant-numeric:tabular-nums;'>447228</td>"));
    assert_non_null(strstr(html, "overflow-x:auto;"));
    assert_int_equal(count(html, "<article"), 1);
    free_page(&p);
}

static void test_draft_is_marked(void **state)
{
    (void)state;
    page p;
    make_page(&p, HUAIAN, NB_HTML_PAGE, true);
    const char *html = nb_buf_str(&p.html);
    assert_non_null(strstr(html, "<title>草稿：淮安市人民政府"));
    assert_non_null(strstr(html, "<p class=\"nb-draft\">草稿</p>"));
    assert_non_null(strstr(html, "body::after{content:\"草稿\";position:fixed;"));
    free_page(&p);
    make_page(&p, HUAIAN, NB_HTML_PAGE, false);
    assert_null(strstr(nb_buf_str(&p.html), "草稿"));
    free_page(&p);
}

/* ---- the program's files ---- */

static bool file_exists(const char *dir, const char *name)
{
    char *path = nb_path_join(dir, name);
    struct stat st;
    bool ok = stat(path, &st) == 0 && S_ISREG(st.st_mode);
    free(path);
    return ok;
}

static char *read_out(const char *dir, const char *name)
{
    char *path = nb_path_join(dir, name);
    char *text = nb_read_file(path, NULL);
    free(path);
    assert_non_null(text);
    return text;
}

static void test_build_and_preview_write_pages(void **state)
{
    (void)state;
    char *dir = nb_test_tmpdir("html-build");
    char *out = NULL;
    int status = nb_test_runf(&out, "'%s' build '%s' -o '%s' --html-fragment", NB_BINARY,
                              HUAIAN, dir);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "huaian-2024.html: web page"));
    free(out);
    assert_true(file_exists(dir, "huaian-2024.html"));
    assert_true(file_exists(dir, "huaian-2024.fragment.html"));
    status = nb_test_runf(&out, "'%s' preview '%s' -o '%s'", NB_BINARY, HUAIAN, dir);
    assert_int_equal(status, 0);
    free(out);
    char *draft = read_out(dir, "huaian-2024.draft.html");
    assert_non_null(strstr(draft, "<p class=\"nb-draft\">草稿</p>"));
    free(draft);
    assert_false(file_exists(dir, "huaian-2024.draft.fragment.html"));
    free(dir);
}

/* The draft lists its problems as entries set flush left, never justified:
 * a file name or a key spread letter by letter would be unreadable. */
static void test_draft_problems_are_flush_left(void **state)
{
    (void)state;
    char *dir = nb_test_tmpdir("html-problems");
    char *sample = nb_read_file(HUAIAN, NULL);
    assert_non_null(sample);
    char *broken = nb_test_replace_first(sample, "3001", "3002");
    nb_test_write_in(dir, "report.yaml", broken);
    char *out = NULL;
    assert_int_equal(nb_test_runf(&out, "cd '%s' && '%s' preview report.yaml -o .", dir,
                                  NB_BINARY), 0);
    free(out);
    char *draft = read_out(dir, "report.draft.html");
    assert_non_null(strstr(draft, "<p class=\"nb-entry\">report.yaml:"));
    assert_non_null(strstr(draft, ".nb-entry{margin:0 0 .25em;text-align:left;"));
    assert_null(strstr(draft, "<p class=\"nb-p\">report.yaml:"));
    free(draft);
    free(broken);
    free(sample);
    free(dir);
}

/* A build that fails (a figure breaks a rule) leaves the previous page. */
static void test_failed_build_keeps_the_page(void **state)
{
    (void)state;
    char *dir = nb_test_tmpdir("html-keep");
    char *out = NULL;
    assert_int_equal(nb_test_runf(&out, "cp '%s' '%s/r.yaml' && '%s' build '%s/r.yaml' -o '%s'",
                                  HUAIAN, dir, NB_BINARY, dir, dir), 0);
    free(out);
    char *before = read_out(dir, "r.html");
    int status = nb_test_runf(&out, "sed -i 's/natural: 3001,/natural: 3002,/' '%s/r.yaml' && "
                              "'%s' build '%s/r.yaml' -o '%s'", dir, NB_BINARY, dir, dir);
    assert_int_equal(status, 1);
    free(out);
    char *after = read_out(dir, "r.html");
    assert_string_equal(before, after);
    free(before);
    free(after);
    free(dir);
}

/* The report's own wording (issue 12's `wording:`) reaches the page: a part
 * heading, the table's name after it, a row label; the page still equals
 * the PDF. */
static void test_wording_reaches_the_page(void **state)
{
    (void)state;
    char *dir = nb_test_tmpdir("html-wording");
    char *out = NULL;
    int status = nb_test_runf(&out, "cp '%s' '%s/w.yaml' && printf 'wording:\\n  二: 主动公开政府信息的情况\\n"
                              "  proactive.normative_documents: 规范性文件\\n' >> '%s/w.yaml' && "
                              "'%s' build '%s/w.yaml' -o '%s' && '%s' '%s/tests/html_compare.py' "
                              "'%s/w.html' '%s/w.pdf'", HUAIAN, dir, dir, NB_BINARY, dir, dir,
                              NB_PYTHON, NB_SOURCE_DIR, dir, dir);
    if (status != 0)
        fail_msg("%s", out);
    free(out);
    char *html = read_out(dir, "w.html");
    assert_non_null(strstr(html, "<h2 class=\"nb-h2\">二、主动公开政府信息的情况</h2>"));
    assert_non_null(strstr(html, "<caption class=\"nb-hidden\">二、主动公开政府信息的情况</caption>"));
    assert_non_null(strstr(html, "scope=\"row\" class=\"nb-label\">规范性文件</th>"));
    assert_null(strstr(html, "行政规范性文件"));
    free(html);
    free(dir);
}

/* The page says what the PDF says, sentence for sentence, cell for cell. */
static void test_text_equals_the_pdf(void **state)
{
    (void)state;
    char *dir = nb_test_tmpdir("html-text");
    char *out = NULL;
    assert_int_equal(nb_test_runf(&out, "'%s' build '%s' '%s' -o '%s'", NB_BINARY, HUAIAN,
                                  TAOYUAN, dir), 0);
    free(out);
    const char *names[] = {"huaian-2024", "taoyuan-2017"};
    for (size_t i = 0; i < 2; i++) {
        int status = nb_test_runf(&out, "'%s' '%s/tests/html_compare.py' '%s/%s.html' "
                                  "'%s/%s.pdf'", NB_PYTHON, NB_SOURCE_DIR, dir, names[i],
                                  dir, names[i]);
        if (status != 0)
            fail_msg("html_compare %s:\n%s", names[i], out);
        free(out);
    }
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_page_structure),
        cmocka_unit_test(test_elements_of_the_2021_sample),
        cmocka_unit_test(test_empty_figure_is_an_empty_cell),
        cmocka_unit_test(test_tables_merge_as_the_grid),
        cmocka_unit_test(test_text_is_escaped),
        cmocka_unit_test(test_fragment_has_inline_styles_only),
        cmocka_unit_test(test_draft_is_marked),
        cmocka_unit_test(test_draft_problems_are_flush_left),
        cmocka_unit_test(test_build_and_preview_write_pages),
        cmocka_unit_test(test_failed_build_keeps_the_page),
        cmocka_unit_test(test_text_equals_the_pdf),
        cmocka_unit_test(test_wording_reaches_the_page),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
