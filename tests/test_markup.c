/* test_markup.c — the report's markup parsed into the document tree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "markup.h"

typedef struct parsed {
    nb_arena arena;
    nb_diags diags;
    nb_document doc;
    bool ok;
} parsed;

static parsed *parse(const char *text)
{
    parsed *p = calloc(1, sizeof *p);
    p->ok = nb_markup_parse("report.md", text, strlen(text), &p->doc, &p->arena, &p->diags);
    return p;
}

static void release(parsed *p)
{
    nb_document_free(&p->doc);
    nb_diags_free(&p->diags);
    nb_arena_free(&p->arena);
    free(p);
}

static const char *text_of(parsed *p, size_t i)
{
    return nb_block_text(&p->doc.blocks[i], &p->arena);
}

static void test_report_structure(void **state)
{
    (void)state;
    parsed *p = parse("# 桃源县2017年政府信息公开工作年度报告\n\n"
                      "> 2018年3月19日\n\n"
                      "本年度报告是根据《条例》\n和省、市要求编制。\n\n"
                      "## 一、概述\n\n### （一）着力强化领导。\n\n#### 1.细则\n\n"
                      "---\n\n## 附件\n\n![统计表](table:stats)\n");
    assert_true(p->ok);
    assert_int_equal(p->doc.count, 9);
    const nb_block *b = p->doc.blocks;
    assert_int_equal(b[0].kind, NB_BLOCK_TITLE);
    assert_string_equal(text_of(p, 0), "桃源县2017年政府信息公开工作年度报告");
    assert_int_equal(b[1].kind, NB_BLOCK_SIGNOFF);
    assert_string_equal(text_of(p, 1), "2018年3月19日");
    assert_int_equal(b[2].kind, NB_BLOCK_PARAGRAPH);
    /* a line break between Chinese characters is nothing */
    assert_string_equal(text_of(p, 2), "本年度报告是根据《条例》和省、市要求编制。");
    assert_int_equal(b[2].pos.line, 5);
    assert_int_equal(b[3].kind, NB_BLOCK_HEADING);
    assert_int_equal(b[3].level, 1);
    assert_int_equal(b[4].level, 2);
    assert_int_equal(b[5].level, 3);
    assert_int_equal(b[6].kind, NB_BLOCK_PAGEBREAK);
    assert_int_equal(b[7].kind, NB_BLOCK_ATTACHMENT);
    assert_int_equal(b[8].kind, NB_BLOCK_TABLE);
    assert_string_equal(b[8].table_id, "stats");
    release(p);
}

static void test_runin_heading_with_chinese_punctuation(void **state)
{
    (void)state;
    parsed *p = parse("**1、健全考评机制。**对接省、市政务公开考核内容。\n");
    assert_true(p->ok);
    assert_int_equal(p->doc.count, 1);
    const nb_block *b = &p->doc.blocks[0];
    assert_int_equal(b->count, 2);
    assert_int_equal(b->spans[0].style, NB_SPAN_STRONG);
    assert_string_equal(b->spans[0].text, "1、健全考评机制。");
    assert_int_equal(b->spans[1].style, NB_SPAN_PLAIN);
    assert_string_equal(b->spans[1].text, "对接省、市政务公开考核内容。");
    release(p);
}

static void test_escaped_stars_stay_text(void **state)
{
    (void)state;
    parsed *p = parse("\\*\\*不是标题\\*\\*正文\n\n\\# 不是标题\n");
    assert_true(p->ok);
    assert_int_equal(p->doc.count, 2);
    assert_int_equal(p->doc.blocks[0].count, 1);
    assert_string_equal(text_of(p, 0), "**不是标题**正文");
    assert_int_equal(p->doc.blocks[1].kind, NB_BLOCK_PARAGRAPH);
    assert_string_equal(text_of(p, 1), "# 不是标题");
    release(p);
}

static void test_emphasis_and_latin_line_breaks(void **state)
{
    (void)state;
    parsed *p = parse("正文*楷体*正文 see the\nreport &amp; 0736-6620322\n");
    assert_true(p->ok);
    const nb_block *b = &p->doc.blocks[0];
    assert_int_equal(b->count, 3);
    assert_int_equal(b->spans[1].style, NB_SPAN_EMPH);
    assert_string_equal(text_of(p, 0), "正文楷体正文 see the report & 0736-6620322");
    release(p);
}

static void test_signoff_lines_are_separate(void **state)
{
    (void)state;
    parsed *p = parse("> 桃源县政务公开办\n> 2018年3月19日\n");
    assert_true(p->ok);
    assert_int_equal(p->doc.count, 2);
    assert_int_equal(p->doc.blocks[1].kind, NB_BLOCK_SIGNOFF);
    assert_string_equal(text_of(p, 1), "2018年3月19日");
    release(p);
}

static void test_lists_are_refused(void **state)
{
    (void)state;
    parsed *p = parse("正文\n\n- 一项\n");
    assert_false(p->ok);
    assert_int_equal(p->diags.errors, 1);
    char *m = nb_diag_format(&p->diags.items[0]);
    assert_non_null(strstr(m, "a list"));
    free(m);
    release(p);
}

static void test_other_images_are_refused(void **state)
{
    (void)state;
    parsed *p = parse("![logo](logo.png)\n");
    assert_false(p->ok);
    release(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_structure),
        cmocka_unit_test(test_runin_heading_with_chinese_punctuation),
        cmocka_unit_test(test_escaped_stars_stay_text),
        cmocka_unit_test(test_emphasis_and_latin_line_breaks),
        cmocka_unit_test(test_signoff_lines_are_separate),
        cmocka_unit_test(test_lists_are_refused),
        cmocka_unit_test(test_other_images_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
