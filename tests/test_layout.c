/* test_layout.c — the document set on GB/T 9704 pages (layout.h), with
 * invented metrics: every role has its own face (face index = role), CJK
 * characters are 1 em and ASCII 0.5 em; in the 仿宋 role the digits come from
 * a fallback face (index 10); private-use characters are in no face. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "layout.h"
#include "layout_linebreak.h"
#include "format.h"
#include "source.h"
#include "util.h"

#define FALLBACK_FACE 10

static const nb_page_style *S = &nb_gbt9704_style;

static int pick(void *ctx, nb_font_role role, uint32_t cp, double *adv)
{
    (void)ctx;
    if (cp >= 0xE000 && cp <= 0xF8FF)
        return -1;
    *adv = cp < 0x80 ? 0.5 : 1.0;
    if (role == NB_ROLE_FANGSONG && cp >= '0' && cp <= '9')
        return FALLBACK_FACE;
    return (int)role;
}

static const nb_metrics METRICS = {NULL, pick};

static double left(void) { return S->margin_left; }
static double right(void) { return S->margin_left + S->block_width; }
static double block_top(void) { return S->page_height - S->margin_top; }
static double block_bottom(void) { return block_top() - S->block_height; }
static double line_h(void) { return S->block_height / S->lines_per_page; }
static double tracking(void)
{
    return (S->block_width - S->chars_per_line * S->body_size) / (S->chars_per_line - 1);
}
static double pitch(void) { return S->body_size + tracking(); }

/* ---- building documents ---- */

typedef struct fixture {
    nb_arena a;
    nb_diags d;
    nb_document doc;
    nb_layout *l;
} fixture;

static int setup(void **state)
{
    *state = nb_xcalloc(1, sizeof(fixture));
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    nb_layout_free(f->l);
    free(f->doc.blocks);
    nb_diags_free(&f->d);
    nb_arena_free(&f->a);
    free(f);
    return 0;
}

static nb_block *add_block(fixture *f, nb_block_kind kind, int level)
{
    NB_GROW(f->doc.blocks, f->doc.count, f->doc.cap);
    nb_block *b = &f->doc.blocks[f->doc.count++];
    *b = (nb_block){.kind = kind, .level = level};
    b->pos = (nb_pos){"report.md", (int)f->doc.count, 1};
    return b;
}

static void add_span(fixture *f, nb_block *b, const char *text, unsigned style)
{
    nb_span *spans = nb_arena_alloc(&f->a, (b->count + 1) * sizeof *spans);
    if (b->count)
        memcpy(spans, b->spans, b->count * sizeof *spans);
    spans[b->count++] = (nb_span){nb_arena_strdup(&f->a, text), strlen(text), style};
    b->spans = spans;
}

static nb_block *add_text(fixture *f, nb_block_kind kind, int level, const char *text)
{
    nb_block *b = add_block(f, kind, level);
    add_span(f, b, text, NB_SPAN_PLAIN);
    return b;
}

/* n distinct-looking ideographs */
static const char *han(fixture *f, size_t n)
{
    static const char *const pool = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥天地玄黄宇宙洪荒";
    nb_buf b = {0};
    for (size_t i = 0; i < n; i++)
        nb_buf_append(&b, pool + 3 * (i % 30), 3);
    const char *s = nb_arena_strdup(&f->a, nb_buf_str(&b));
    nb_buf_free(&b);
    return s;
}

static nb_layout *lay_out(fixture *f, const nb_table_inst *tables, size_t n)
{
    f->l = nb_layout_document(&f->doc, tables, n, METRICS, S, &f->a, &f->d);
    return f->l;
}

/* ---- reading layouts ---- */

static bool is_folio(const nb_run *r) { return r->y < block_bottom(); }

static double run_width(const nb_run *r)
{
    double w = 0;
    size_t count = 0;
    for (size_t i = 0; i < r->len;) {
        uint32_t cp;
        i += nb_utf8_decode(r->text + i, r->len - i, &cp);
        w += (cp < 0x80 ? 0.5 : 1.0) * r->size;
        count++;
    }
    return w + (double)(count ? count - 1 : 0) * r->char_space;
}

/* Distinct baselines of body text on a page, top down. */
static size_t baselines(const nb_page *p, double *ys, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < p->nruns; i++) {
        if (is_folio(&p->runs[i]))
            continue;
        bool seen = false;
        for (size_t k = 0; k < n; k++)
            seen = seen || fabs(ys[k] - p->runs[i].y) < 0.001;
        if (!seen && n < max)
            ys[n++] = p->runs[i].y;
    }
    return n;
}

static size_t count_lines(const nb_page *p)
{
    double ys[256];
    return baselines(p, ys, 256);
}

/* All text of a page in run order, without the page number. */
static char *page_text(const nb_page *p)
{
    nb_buf b = {0};
    for (size_t i = 0; i < p->nruns; i++)
        if (!is_folio(&p->runs[i]))
            nb_buf_append(&b, p->runs[i].text, p->runs[i].len);
    nb_buf_putc(&b, '\0');
    return nb_buf_detach(&b);
}

static const nb_run *find_run(const nb_layout *l, const char *prefix, size_t *page)
{
    for (size_t p = 0; p < l->npages; p++)
        for (size_t i = 0; i < l->pages[p].nruns; i++)
            if (strncmp(l->pages[p].runs[i].text, prefix, strlen(prefix)) == 0) {
                if (page)
                    *page = p;
                return &l->pages[p].runs[i];
            }
    return NULL;
}

static const nb_run *find_exact(const nb_layout *l, const char *text)
{
    for (size_t p = 0; p < l->npages; p++)
        for (size_t i = 0; i < l->pages[p].nruns; i++)
            if (l->pages[p].runs[i].len == strlen(text) &&
                memcmp(l->pages[p].runs[i].text, text, l->pages[p].runs[i].len) == 0)
                return &l->pages[p].runs[i];
    return NULL;
}

/* The right end of the line a run is on. */
static double line_right(const nb_page *p, double y)
{
    double r = -1;
    for (size_t i = 0; i < p->nruns; i++)
        if (fabs(p->runs[i].y - y) < 0.001) {
            double e = p->runs[i].x + run_width(&p->runs[i]);
            r = e > r ? e : r;
        }
    return r;
}

static double line_ink_right(const nb_page *p, double y)
{
    double r = -1;
    for (size_t i = 0; i < p->nruns; i++) {
        const nb_run *run = &p->runs[i];
        if (fabs(run->y - y) >= 0.001)
            continue;
        double e = run->x + run_width(run);
        uint32_t last = 0;
        for (size_t k = 0; k < run->len;)
            k += nb_utf8_decode(run->text + k, run->len - k, &last);
        if (last >= 0x80 && nb_lb_no_line_start(last) && last != 0x2014 && last != 0x2026)
            e -= run->size / 2;
        r = e > r ? e : r;
    }
    return r;
}

static double first_baseline(void) { return block_top() - (line_h() - 16) / 2 - 0.88 * 16; }

/* ---- tests ---- */

static void test_style_is_gbt9704(void **state)
{
    (void)state;
    assert_true(fabs(S->page_width - 595.28) < 0.01);
    assert_true(fabs(S->page_height - 841.89) < 0.01);
    assert_true(fabs(S->margin_top - 104.88) < 0.01);
    assert_true(fabs(S->margin_left - 79.37) < 0.01);
    assert_true(fabs(S->block_width - 442.20) < 0.01);
    assert_true(fabs(S->block_height - 637.80) < 0.01);
    assert_int_equal(S->lines_per_page, 22);
    assert_int_equal(S->chars_per_line, 28);
    assert_true(S->body_size == 16 && S->title_size == 22 && S->folio_size == 14);
    /* 28 characters at 16 pt with the grid's tracking fill 156 mm */
    assert_true(fabs(28 * 16 + 27 * tracking() - S->block_width) < 1e-9);
}

static void test_paragraph_lines_are_justified(void **state)
{
    fixture *f = *state;
    add_text(f, NB_BLOCK_PARAGRAPH, 0, han(f, 100));
    nb_layout *l = lay_out(f, NULL, 0);
    assert_non_null(l);
    assert_int_equal(l->npages, 1);
    const nb_page *p = &l->pages[0];
    double ys[16];
    size_t n = baselines(p, ys, 16);
    assert_int_equal(n, 4); /* 26 + 28 + 28 + 18 */
    assert_true(fabs(ys[0] - first_baseline()) < 0.001);
    for (size_t i = 1; i < n; i++)
        assert_true(fabs(ys[i - 1] - ys[i] - line_h()) < 0.001);
    /* the first line indented two characters */
    assert_true(fabs(p->runs[0].x - (left() + 2 * pitch())) < 0.001);
    for (size_t i = 0; i + 1 < n; i++)
        assert_true(fabs(line_right(p, ys[i]) - right()) < 0.01);
    /* the last line is not stretched: 18 characters on the grid */
    assert_true(fabs(line_right(p, ys[3]) - (left() + 17 * pitch() + 16)) < 0.01);
}

/* An entry of the draft's problems list (a message with a file name, keys
 * and numbers): flush left and never stretched, so its Latin text keeps
 * the font's own spacing — never spread letter by letter. */
static void test_entry_paragraphs_are_ragged(void **state)
{
    fixture *f = *state;
    add_text(f, NB_BLOCK_PARAGRAPH, NB_PARAGRAPH_ENTRY,
             "report.yaml:12:5: warning: the text still holds the placeholder of the "
             "skeleton; write the report's own text here 第1项 placeholder placeholder");
    nb_layout *l = lay_out(f, NULL, 0);
    assert_non_null(l);
    const nb_page *p = &l->pages[0];
    assert_true(fabs(p->runs[0].x - left()) < 0.001); /* no first-line indent */
    for (size_t i = 0; i < p->nruns; i++)
        assert_true(p->runs[i].char_space <= 1e-9); /* nothing added between letters */
    double ys[16];
    size_t n = baselines(p, ys, 16);
    assert_true(n >= 2);
    assert_true(line_right(p, ys[0]) < right() - 0.5); /* ragged: short of the margin */
}

static void test_runs_carry_exactly_the_source_text(void **state)
{
    fixture *f = *state;
    const char *text =
        "本年度报告是根据《中华人民共和国政府信息公开条例》(以下简称《条例》)和省、市政务"
        "公开工作要求,由桃源县政务公开办编制。2017年，桃源县累计主动公开政府信息135000条，"
        "全文电子化率达92%。“三个”统一、“五个”到位——如对本年度报告有疑问，请联系桃源县"
        "政务公开办。电话:0736-6620322。截至12底,全县 27个乡镇均已启动建设……";
    add_text(f, NB_BLOCK_PARAGRAPH, 0, text);
    nb_layout *l = lay_out(f, NULL, 0);
    assert_non_null(l);
    char *got = page_text(&l->pages[0]);
    assert_string_equal(got, text);
    free(got);
    /* one face per run: digits come from the fallback face */
    for (size_t i = 0; i < l->pages[0].nruns; i++) {
        const nb_run *r = &l->pages[0].runs[i];
        for (size_t k = 0; k < r->len;) {
            uint32_t cp;
            double adv;
            k += nb_utf8_decode(r->text + k, r->len - k, &cp);
            if (!is_folio(r))
                assert_int_equal(pick(NULL, NB_ROLE_FANGSONG, cp, &adv), r->face);
        }
    }
    /* no line begins with a closing mark */
    double ys[32];
    size_t n = baselines(&l->pages[0], ys, 32);
    for (size_t li = 0; li < n; li++) {
        const nb_run *first = NULL;
        for (size_t i = 0; i < l->pages[0].nruns; i++) {
            const nb_run *r = &l->pages[0].runs[i];
            if (fabs(r->y - ys[li]) < 0.001 && (!first || r->x < first->x))
                first = r;
        }
        uint32_t cp;
        nb_utf8_decode(first->text, first->len, &cp);
        assert_false(nb_lb_no_line_start(cp));
        /* each run begins where the one before it ends, as a PDF viewer
         * advances the pen (char_space after every character) */
        for (size_t i = 0; i + 1 < l->pages[0].nruns; i++) {
            const nb_run *a = &l->pages[0].runs[i], *b = &l->pages[0].runs[i + 1];
            if (fabs(a->y - ys[li]) < 0.001 && fabs(b->y - ys[li]) < 0.001)
                assert_true(fabs(a->x + run_width(a) + a->char_space - b->x) < 0.001);
        }
        /* every line's ink within the block (a closing mark at the end may
         * have been set half-width: its ink is in its left half) */
        assert_true(line_ink_right(&l->pages[0], ys[li]) <= right() + 0.01);
    }
}

static void test_22_lines_a_page(void **state)
{
    fixture *f = *state;
    for (int i = 0; i < 30; i++)
        add_text(f, NB_BLOCK_PARAGRAPH, 0, han(f, 5));
    nb_layout *l = lay_out(f, NULL, 0);
    assert_non_null(l);
    assert_int_equal(l->npages, 2);
    assert_int_equal(count_lines(&l->pages[0]), 22);
    assert_int_equal(count_lines(&l->pages[1]), 8);
    double ys[32];
    baselines(&l->pages[0], ys, 32);
    /* the 22nd line's em box ends inside the block */
    assert_true(ys[21] - 0.12 * 16 >= block_bottom() - 0.001);
    assert_true(fabs(ys[21] - (first_baseline() - 21 * line_h())) < 0.001);
}

static void test_heading_never_ends_a_page(void **state)
{
    fixture *f = *state;
    add_text(f, NB_BLOCK_TITLE, 0, "桃源县2017年政府信息公开工作年度报告");
    for (int i = 0; i < 19; i++) /* title + blank + 19 = 21 lines */
        add_text(f, NB_BLOCK_PARAGRAPH, 0, han(f, 5));
    add_text(f, NB_BLOCK_HEADING, 1, "一、概述");
    add_text(f, NB_BLOCK_PARAGRAPH, 0, han(f, 60));
    nb_layout *l = lay_out(f, NULL, 0);
    assert_non_null(l);
    assert_int_equal(l->npages, 2);
    /* title, blank line, 19 lines: the heading would be the 22nd */
    assert_int_equal(count_lines(&l->pages[0]), 20);
    size_t page;
    const nb_run *h = find_run(l, "一、概述", &page);
    assert_non_null(h);
    assert_int_equal(page, 1);
    assert_true(fabs(h->y - first_baseline()) < 0.001);
    assert_int_equal(h->face, NB_ROLE_HEI);
    /* outline: the title and the heading */
    assert_int_equal(l->noutline, 2);
    assert_string_equal(l->outline[0].title, "桃源县2017年政府信息公开工作年度报告");
    assert_int_equal(l->outline[0].level, 0);
    assert_int_equal(l->outline[0].page, 0);
    assert_string_equal(l->outline[1].title, "一、概述");
    assert_int_equal(l->outline[1].level, 1);
    assert_int_equal(l->outline[1].page, 1);
    assert_true(fabs(l->outline[1].y - block_top()) < 0.001);
}

static void test_heading_keeps_two_lines_of_its_paragraph(void **state)
{
    fixture *f = *state;
    for (int i = 0; i < 20; i++)
        add_text(f, NB_BLOCK_PARAGRAPH, 0, han(f, 5));
    add_text(f, NB_BLOCK_HEADING, 2, "(一)着力强化领导");
    add_text(f, NB_BLOCK_PARAGRAPH, 0, han(f, 60)); /* three lines */
    nb_layout *l = lay_out(f, NULL, 0);
    assert_non_null(l);
    /* heading + one line would fit, but that line would be an orphan */
    assert_int_equal(count_lines(&l->pages[0]), 20);
    size_t page;
    const nb_run *h = find_run(l, "(一)", &page);
    assert_int_equal(page, 1);
    assert_int_equal(h->face, NB_ROLE_KAI);
}

static void test_no_orphan_line(void **state)
{
    fixture *f = *state;
    for (int i = 0; i < 21; i++)
        add_text(f, NB_BLOCK_PARAGRAPH, 0, han(f, 5));
    add_text(f, NB_BLOCK_PARAGRAPH, 0, han(f, 26 + 28 * 2 + 10)); /* 4 lines */
    nb_layout *l = lay_out(f, NULL, 0);
    assert_non_null(l);
    assert_int_equal(count_lines(&l->pages[0]), 21);
    assert_int_equal(count_lines(&l->pages[1]), 4);
}

static void test_no_widow_line(void **state)
{
    fixture *f = *state;
    for (int i = 0; i < 19; i++)
        add_text(f, NB_BLOCK_PARAGRAPH, 0, han(f, 5));
    add_text(f, NB_BLOCK_PARAGRAPH, 0, han(f, 26 + 28 * 2 + 10)); /* 4 lines */
    nb_layout *l = lay_out(f, NULL, 0);
    assert_non_null(l);
    /* three would fit, leaving the last line alone on the next page */
    assert_int_equal(count_lines(&l->pages[0]), 21);
    assert_int_equal(count_lines(&l->pages[1]), 2);
}

static void test_paragraph_split_between_pages(void **state)
{
    fixture *f = *state;
    for (int i = 0; i < 20; i++)
        add_text(f, NB_BLOCK_PARAGRAPH, 0, han(f, 5));
    add_text(f, NB_BLOCK_PARAGRAPH, 0, han(f, 26 + 28 * 2 + 10));
    nb_layout *l = lay_out(f, NULL, 0);
    assert_non_null(l);
    assert_int_equal(count_lines(&l->pages[0]), 22);
    assert_int_equal(count_lines(&l->pages[1]), 2);
    /* the text continues where it stopped */
    char *a = page_text(&l->pages[0]), *b = page_text(&l->pages[1]);
    nb_buf all = {0};
    nb_buf_puts(&all, a);
    nb_buf_puts(&all, b);
    nb_buf expect = {0};
    for (int i = 0; i < 20; i++)
        nb_buf_puts(&expect, han(f, 5));
    nb_buf_puts(&expect, han(f, 26 + 28 * 2 + 10));
    assert_string_equal(nb_buf_str(&all), nb_buf_str(&expect));
    free(a);
    free(b);
    nb_buf_free(&all);
    nb_buf_free(&expect);
}

static void test_page_numbers(void **state)
{
    fixture *f = *state;
    for (int i = 0; i < 50; i++)
        add_text(f, NB_BLOCK_PARAGRAPH, 0, han(f, 5));
    nb_layout *l = lay_out(f, NULL, 0);
    assert_non_null(l);
    assert_int_equal(l->npages, 3);
    double dash_to_baseline = (0.88 - 0.5) * 14;
    for (size_t p = 0; p < l->npages; p++) {
        assert_int_equal(l->pages[p].number, (int)p + 1);
        const nb_run *folio = NULL;
        for (size_t i = 0; i < l->pages[p].nruns; i++)
            if (is_folio(&l->pages[p].runs[i]))
                folio = &l->pages[p].runs[i];
        assert_non_null(folio);
        char expect[32];
        snprintf(expect, sizeof expect, "— %d —", (int)p + 1);
        assert_int_equal(folio->len, strlen(expect));
        assert_memory_equal(folio->text, expect, folio->len);
        assert_int_equal(folio->face, NB_ROLE_SONG);
        assert_true(folio->size == 14);
        /* the dashes 7 mm under the block */
        assert_true(fabs(folio->y + dash_to_baseline - (block_bottom() - 7 * 72 / 25.4)) < 0.01);
        double w = 14 + 7 + 7 + 7 + 14;
        assert_true(fabs(run_width(folio) - w) < 0.001);
        if ((p + 1) % 2) /* odd: right, one character in */
            assert_true(fabs(folio->x + w - (right() - 14)) < 0.01);
        else /* even: left, one character in */
            assert_true(fabs(folio->x - (left() + 14)) < 0.01);
    }
}

static void test_title_centred_and_balanced(void **state)
{
    fixture *f = *state;
    add_text(f, NB_BLOCK_TITLE, 0, han(f, 21)); /* 20 fit on a line */
    add_text(f, NB_BLOCK_PARAGRAPH, 0, han(f, 10));
    nb_layout *l = lay_out(f, NULL, 0);
    assert_non_null(l);
    const nb_page *p = &l->pages[0];
    size_t ntitle = 0;
    for (size_t i = 0; i < p->nruns; i++) {
        const nb_run *r = &p->runs[i];
        if (r->size != 22)
            continue;
        ntitle++;
        assert_int_equal(r->face, NB_ROLE_XIAOBIAOSONG);
        size_t chars = nb_utf8_length(r->text, r->len);
        assert_true(chars == 10 || chars == 11);
        double w = run_width(r);
        assert_true(fabs(r->x - (left() + (S->block_width - w) / 2)) < 0.01);
    }
    assert_int_equal(ntitle, 2);
    /* the text begins after one blank line */
    double ys[8];
    baselines(p, ys, 8);
    assert_true(fabs(ys[2] - (first_baseline() - 3 * line_h())) < 0.001);
}

static void test_run_in_heading_and_emphasis(void **state)
{
    fixture *f = *state;
    nb_block *b = add_block(f, NB_BLOCK_PARAGRAPH, 0);
    add_span(f, b, "1、健全考评机制。", NB_SPAN_STRONG);
    add_span(f, b, "对接省、市政务公开考核内容，", NB_SPAN_PLAIN);
    add_span(f, b, "县政府领导高度重视", NB_SPAN_EMPH);
    nb_layout *l = lay_out(f, NULL, 0);
    assert_non_null(l);
    const nb_page *p = &l->pages[0];
    const nb_run *lead = find_run(l, "、健全", NULL);
    assert_non_null(lead);
    assert_true(lead->bold);
    assert_int_equal(lead->face, NB_ROLE_FANGSONG);
    const nb_run *digit = find_run(l, "1", NULL);
    assert_true(digit->bold);
    assert_int_equal(digit->face, FALLBACK_FACE);
    const nb_run *plain = find_run(l, "对接", NULL);
    assert_false(plain->bold);
    assert_true(fabs(plain->y - lead->y) < 0.001); /* on the same line */
    const nb_run *emph = find_run(l, "县政府", NULL);
    assert_int_equal(emph->face, NB_ROLE_KAI);
    assert_int_equal(l->noutline, 1);
    assert_string_equal(l->outline[0].title, "1、健全考评机制。");
    assert_int_equal(l->outline[0].level, 3);
    (void)p;
}

static void test_heading_faces(void **state)
{
    fixture *f = *state;
    add_text(f, NB_BLOCK_HEADING, 1, "一、概述");
    add_text(f, NB_BLOCK_HEADING, 2, "(一)着力强化领导");
    add_text(f, NB_BLOCK_HEADING, 3, "1.健全考评机制");
    add_text(f, NB_BLOCK_PARAGRAPH, 0, han(f, 10));
    nb_layout *l = lay_out(f, NULL, 0);
    assert_non_null(l);
    const nb_run *h1 = find_run(l, "一、", NULL), *h2 = find_run(l, "(一)", NULL),
                 *h3 = find_run(l, ".健全", NULL);
    assert_int_equal(h1->face, NB_ROLE_HEI);
    assert_false(h1->bold);
    assert_int_equal(h2->face, NB_ROLE_KAI);
    assert_int_equal(h3->face, NB_ROLE_FANGSONG);
    assert_true(h3->bold);
    assert_true(fabs(h1->x - (left() + 2 * pitch())) < 0.001);
    assert_int_equal(l->noutline, 3);
    assert_int_equal(l->outline[2].level, 3);
}

static void test_signoff_right_aligned(void **state)
{
    fixture *f = *state;
    add_text(f, NB_BLOCK_PARAGRAPH, 0, han(f, 10));
    add_text(f, NB_BLOCK_SIGNOFF, 0, "桃源县人民政府办公室");
    add_text(f, NB_BLOCK_SIGNOFF, 0, "2018年3月19日");
    nb_layout *l = lay_out(f, NULL, 0);
    assert_non_null(l);
    const nb_page *p = &l->pages[0];
    const nb_run *name = find_run(l, "桃源县", NULL);
    assert_true(fabs(line_right(p, name->y) - (right() - 4 * pitch())) < 0.01);
    assert_true(fabs(name->y - (first_baseline() - 2 * line_h())) < 0.001); /* a blank line */
    const nb_run *date = find_run(l, "2018", NULL);
    assert_true(fabs(line_right(p, date->y) - (right() - 4 * pitch())) < 0.01);
    assert_true(fabs(date->y - (name->y - line_h())) < 0.001);
}

static void test_page_break_and_attachment(void **state)
{
    fixture *f = *state;
    add_text(f, NB_BLOCK_PARAGRAPH, 0, han(f, 10));
    add_block(f, NB_BLOCK_PAGEBREAK, 0);
    add_text(f, NB_BLOCK_ATTACHMENT, 0, "附件");
    add_text(f, NB_BLOCK_TITLE, 0, "2017年度桃源县政府信息公开工作统计表");
    add_text(f, NB_BLOCK_PARAGRAPH, 0, han(f, 10));
    nb_layout *l = lay_out(f, NULL, 0);
    assert_non_null(l);
    assert_int_equal(l->npages, 2);
    size_t page;
    const nb_run *att = find_run(l, "附件", &page);
    assert_int_equal(page, 1);
    assert_int_equal(att->face, NB_ROLE_HEI);
    assert_true(fabs(att->x - left()) < 0.001);
    assert_true(fabs(att->y - first_baseline()) < 0.001);
    const nb_run *title = find_run(l, "2017", &page);
    assert_int_equal(page, 1);
    assert_int_equal(title->face, NB_ROLE_XIAOBIAOSONG);
    /* on the third line, centred */
    double title_baseline = block_top() - 2 * line_h() - (line_h() - 22) / 2 - 0.88 * 22;
    assert_true(fabs(title->y - title_baseline) < 0.001);
    double w = 2 + 16; /* in ems: four digits and sixteen ideographs */
    assert_true(fabs(title->x - (left() + (S->block_width - w * 22) / 2)) < 0.01);
    assert_int_equal(l->noutline, 2);
    assert_int_equal(l->outline[0].level, 1);
    assert_int_equal(l->outline[1].level, 2);
    assert_int_equal(l->outline[1].page, 1);
}

static void test_missing_character_is_an_error(void **state)
{
    fixture *f = *state;
    add_text(f, NB_BLOCK_PARAGRAPH, 0, han(f, 3));
    add_text(f, NB_BLOCK_PARAGRAPH, 0, "政府\xee\x80\x80信息"); /* U+E000 */
    assert_null(lay_out(f, NULL, 0));
    assert_int_equal(f->d.errors, 1);
    char *msg = nb_diag_format(&f->d.items[0]);
    assert_non_null(strstr(msg, "report.md:2:1: "));
    assert_non_null(strstr(msg, "U+E000"));
    assert_non_null(strstr(msg, "仿宋"));
    free(msg);
}

static void test_unknown_table_is_an_error(void **state)
{
    fixture *f = *state;
    nb_block *b = add_block(f, NB_BLOCK_TABLE, 0);
    b->table_id = "nosuch";
    assert_null(lay_out(f, NULL, 0));
    char *msg = nb_diag_format(&f->d.items[0]);
    assert_non_null(strstr(msg, "report.md:1:1: "));
    assert_non_null(strstr(msg, "nosuch"));
    free(msg);
}

/* ---- tables ---- */

typedef struct table_fixture {
    nb_table def;
    nb_table_inst inst;
    nb_column cols[3];
    const char *lead[1], *foot[2];
} table_fixture;

static const char *LABEL_LONG =
    "(四)政府信息公开专项经费(不包括用于政府公报编辑管理及政府网站建设维护等方面的经费)";

/* The seed's shape: a header row, then `body` rows of label | unit | value.
 * Row 5's value is null, row 6's is absent; row 9's label is long. */
static void make_table(fixture *f, table_fixture *t, int body)
{
    t->cols[0] = (nb_column){.role = NB_CELL_LABEL, .header = "统 计 指 标"};
    t->cols[1] = (nb_column){.role = NB_CELL_UNIT, .header = "单位"};
    t->cols[2] = (nb_column){.role = NB_CELL_VALUE, .header = "统计数"};
    nb_table *d = &t->def;
    d->id = "stats";
    d->columns = t->cols;
    d->ncols = 3;
    d->header_rows = 1;
    d->nrows = 1 + body;
    d->nlead = 1;
    d->nfoot = 2;
    d->pos = (nb_pos){"format.yaml", 1, 1};
    d->cells = nb_arena_alloc(&f->a, (size_t)(3 + 3 * body) * sizeof(nb_cell));
    nb_node *root = nb_node_new_map(&f->a, (nb_pos){"report.yaml", 1, 1});
    nb_node *stats = nb_node_new_map(&f->a, (nb_pos){"report.yaml", 2, 1});
    nb_map_set(&f->a, root, "stats", stats);
    for (int c = 0; c < 3; c++)
        d->cells[d->ncells++] = (nb_cell){.kind = NB_CELL_HEADER, .row = 0, .col = c,
                                          .rows = 1, .cols = 1, .text = t->cols[c].header};
    for (int r = 1; r <= body; r++) {
        const char *label = r == 9 ? LABEL_LONG : nb_arena_printf(&f->a, "指标第%d项", r);
        char *key = nb_arena_printf(&f->a, "stats.r%d", r);
        d->cells[d->ncells++] = (nb_cell){.kind = NB_CELL_LABEL, .row = r, .col = 0, .rows = 1,
                                          .cols = 1, .text = label, .level = r % 3};
        d->cells[d->ncells++] = (nb_cell){.kind = NB_CELL_UNIT, .row = r, .col = 1, .rows = 1,
                                          .cols = 1, .text = "条"};
        d->cells[d->ncells++] = (nb_cell){.kind = NB_CELL_VALUE, .row = r, .col = 2, .rows = 1,
                                          .cols = 1, .key = key};
        if (r == 6)
            continue;
        const char *v = r == 5 ? "~" : nb_arena_printf(&f->a, "%d", r * 1000);
        nb_map_set(&f->a, stats, nb_arena_printf(&f->a, "r%d", r),
                   nb_node_new_scalar(&f->a, (nb_pos){"report.yaml", 3 + r, 5}, v));
    }
    t->lead[0] = "填报单位(盖章):";
    t->foot[0] = "单位负责人: 庞波 审核人:黄春生 填报人:周小云";
    t->foot[1] = "联系电话: 6620322 填报日期:2018年3月19日";
    t->inst = (nb_table_inst){d, "2017年度桃源县政府信息公开工作统计表", t->lead, t->foot, root};
}

static bool page_has_table(const nb_page *p) { return p->nstrokes > 0; }

static void test_table_spans_pages_with_repeated_header(void **state)
{
    fixture *f = *state;
    table_fixture t = {0};
    make_table(f, &t, 65);
    add_text(f, NB_BLOCK_ATTACHMENT, 0, "附件");
    nb_block *b = add_block(f, NB_BLOCK_TABLE, 0);
    b->table_id = "stats";
    nb_layout *l = lay_out(f, &t.inst, 1);
    assert_non_null(l);
    assert_true(l->npages >= 3);
    size_t table_pages = 0;
    int rows_seen[70] = {0};
    for (size_t p = 0; p < l->npages; p++) {
        const nb_page *pg = &l->pages[p];
        if (!page_has_table(pg))
            continue;
        table_pages++;
        char *text = page_text(pg);
        assert_non_null(strstr(text, "统 计 指 标单位统计数")); /* the header on every page */
        for (int r = 1; r <= 65; r++) {
            char label[64];
            snprintf(label, sizeof label, "指标第%d项", r);
            if (r != 9 && strstr(text, label))
                rows_seen[r]++;
        }
        if (strstr(text, LABEL_LONG))
            rows_seen[9]++;
        /* the grid and its text stay inside the block */
        double top = -1e9, bottom = 1e9;
        for (size_t s = 0; s < pg->nstrokes; s++) {
            const nb_stroke *k = &pg->strokes[s];
            assert_true(k->x0 >= left() - 0.001 && k->x1 <= right() + 0.001);
            assert_true(k->y0 >= block_bottom() - 0.001 && k->y1 >= block_bottom() - 0.001);
            top = fmax(top, fmax(k->y0, k->y1));
            bottom = fmin(bottom, fmin(k->y0, k->y1));
        }
        for (size_t i = 0; i < pg->nruns; i++) {
            const nb_run *r = &pg->runs[i];
            if (is_folio(r) || r->size != S->table_size || strstr(r->text, "联系电话") ||
                strstr(r->text, "单位负责人") || strstr(r->text, "填报单位"))
                continue;
            assert_true(r->y < top && r->y > bottom); /* no row split off its grid */
            assert_true(r->x + run_width(r) <= right() + 0.01);
        }
        free(text);
    }
    assert_true(table_pages >= 3);
    for (int r = 1; r <= 65; r++)
        assert_int_equal(rows_seen[r], 1); /* every row once, none split */
    /* values exactly as written, right-aligned; null and absent are empty */
    const nb_run *v = find_run(l, "65000", NULL);
    assert_non_null(v);
    assert_true(fabs(v->x + run_width(v) - (right() - 0.4 * 12)) < 0.01);
    assert_null(find_exact(l, "5000"));
    assert_null(find_exact(l, "6000"));
    assert_non_null(find_exact(l, "7000"));
    size_t page;
    /* the labels are indented by level */
    const nb_run *l1 = find_run(l, "指标第1项", NULL), *l3 = find_run(l, "指标第3项", NULL);
    assert_true(fabs(l1->x - l3->x - 12) < 0.001);
    /* the indicator column gets the room (the unit and figure columns take
     * their headings on one line: 单位 33.6, 统计数 45.6); the long label
     * takes two lines, broken before its parenthesis rather than where the
     * first line happens to fill up */
    double label_right = right() - 33.6 - 45.6;
    bool ruled = false;
    for (size_t s = 0; s < l->pages[0].nstrokes; s++) {
        const nb_stroke *k = &l->pages[0].strokes[s];
        ruled = ruled || (k->x0 == k->x1 && fabs(k->x0 - label_right) < 0.01);
    }
    assert_true(ruled);
    const nb_run *lab = find_exact(l, "(四)政府信息公开专项经费");
    assert_non_null(lab);
    const nb_run *rest = find_run(l, "(不包括用于", NULL);
    assert_non_null(rest);
    assert_true(fabs(rest->x - lab->x) < 0.001);
    assert_true(fabs(lab->y - rest->y - 1.3 * 12) < 0.001);
    assert_true(rest->x + run_width(rest) <= label_right - 4.8 + 0.01);
    /* title and lead lines above, foot lines below on the last page */
    const nb_run *title = find_run(l, "2017年度", &page);
    assert_int_equal(page, 0);
    assert_int_equal(title->face, NB_ROLE_XIAOBIAOSONG);
    const nb_run *lead = find_run(l, "填报单位", NULL);
    assert_true(fabs(lead->x - left()) < 0.001);
    const nb_run *foot = find_run(l, "联系电话", &page);
    assert_int_equal(page, l->npages - 1);
    for (size_t s = 0; s < l->pages[page].nstrokes; s++)
        assert_true(l->pages[page].strokes[s].y0 > foot->y);
}

static void test_table_value_cells_hold_figures(void **state)
{
    fixture *f = *state;
    table_fixture t = {0};
    make_table(f, &t, 8);
    nb_block *b = add_block(f, NB_BLOCK_TABLE, 0);
    b->table_id = "stats";
    nb_layout *l = lay_out(f, &t.inst, 1);
    assert_non_null(l);
    assert_non_null(find_exact(l, "4000"));
    assert_null(find_exact(l, "~"));    /* null: an empty cell */
    assert_null(find_exact(l, "5000")); /* (the null one) */
    assert_null(find_exact(l, "6000")); /* absent: empty too */
    /* 9 rows: 10 horizontal rules; 4 vertical ones, each in one piece */
    size_t h = 0, v = 0;
    for (size_t s = 0; s < l->pages[0].nstrokes; s++) {
        const nb_stroke *k = &l->pages[0].strokes[s];
        if (k->y0 == k->y1)
            h++;
        else
            v++;
    }
    assert_int_equal(h, 10);
    assert_int_equal(v, 4);
}

static void test_table_merged_cells(void **state)
{
    fixture *f = *state;
    static nb_column cols[3] = {{.role = NB_CELL_LABEL}, {.role = NB_CELL_VALUE},
                                {.role = NB_CELL_VALUE}};
    static nb_cell cells[] = {
        {.kind = NB_CELL_HEADER, .row = 0, .col = 0, .rows = 2, .cols = 1, .text = "指标"},
        {.kind = NB_CELL_HEADER, .row = 0, .col = 1, .rows = 1, .cols = 2, .text = "数量"},
        {.kind = NB_CELL_HEADER, .row = 1, .col = 1, .rows = 1, .cols = 1, .text = "本年"},
        {.kind = NB_CELL_HEADER, .row = 1, .col = 2, .rows = 1, .cols = 1, .text = "累计"},
        {.kind = NB_CELL_LABEL, .row = 2, .col = 0, .rows = 1, .cols = 1, .text = "甲"},
        {.kind = NB_CELL_TEXT, .row = 2, .col = 1, .rows = 1, .cols = 2, .text = "不适用"},
    };
    nb_table def = {.id = "m", .columns = cols, .ncols = 3, .header_rows = 2, .nrows = 3,
                    .cells = cells, .ncells = 6};
    nb_table_inst inst = {.def = &def, .title = "表", .data = NULL};
    nb_block *b = add_block(f, NB_BLOCK_TABLE, 0);
    b->table_id = "m";
    nb_layout *l = lay_out(f, &inst, 1);
    assert_non_null(l);
    const nb_page *p = &l->pages[0];
    const nb_run *idx = find_run(l, "指标", NULL), *num = find_run(l, "数量", NULL);
    const nb_run *yr = find_run(l, "本年", NULL);
    /* 指标 is centred over two rows: below 数量, above 本年 */
    assert_true(idx->y < num->y && idx->y > yr->y);
    /* the rule between the header rows does not cross 指标, nor the rule
     * between 本年 and 累计 cross 数量 or 不适用 */
    double col1 = yr->x - 1; /* somewhere left of 本年 */
    for (size_t s = 0; s < p->nstrokes; s++) {
        const nb_stroke *k = &p->strokes[s];
        if (k->y0 == k->y1 && k->y0 < num->y && k->y0 > yr->y + 12)
            assert_true(k->x0 > idx->x); /* starts right of 指标's column */
        if (k->x0 == k->x1 && k->x0 > col1) {
            double y_hi = fmax(k->y0, k->y1), y_lo = fmin(k->y0, k->y1);
            if (k->x0 < right() - 1) { /* the inner rule between 本年 and 累计 */
                assert_true(y_hi < num->y);
                assert_true(y_lo > find_run(l, "不适用", NULL)->y);
            }
        }
    }
}

/* The seed's statistics table as templates/gov-2014 defines it, with the
 * sample report's figures. */
static void test_gov2014_statistics_table(void **state)
{
    fixture *f = *state;
    nb_format *fmt = nb_format_load(NB_SOURCE_DIR "/templates", "gov-2014",
                                    (nb_pos){"test", 1, 1}, &f->a, &f->d);
    nb_node *data = nb_source_load_file(NB_SOURCE_DIR "/samples/taoyuan-2017.yaml", &f->a, &f->d);
    if (!fmt || !data) {
        nb_diags_print(&f->d, stderr);
        fail_msg("the gov-2014 format or the sample report does not load");
    }
    const nb_table *def = nb_format_table(fmt, "stats");
    assert_non_null(def);
    assert_int_equal(def->ncols, 3);
    assert_int_equal(def->nrows - def->header_rows, 65);
    nb_table_inst inst = {def, "2017年度桃源县政府信息公开工作统计表", def->lead, def->foot, data};
    add_text(f, NB_BLOCK_ATTACHMENT, 0, "附件");
    nb_block *b = add_block(f, NB_BLOCK_TABLE, 0);
    b->table_id = "stats";
    nb_layout *l = lay_out(f, &inst, 1);
    if (!l)
        nb_diags_print(&f->d, stderr);
    assert_non_null(l);
    /* every label once, whole, on a page that repeats the header */
    nb_buf all = {0};
    for (size_t p = 0; p < l->npages; p++) {
        char *text = page_text(&l->pages[p]);
        if (page_has_table(&l->pages[p]))
            assert_non_null(strstr(text, "统 计 指 标单位统计数"));
        nb_buf_puts(&all, text);
        free(text);
    }
    for (size_t k = 0; k < def->ncells; k++) {
        const nb_cell *c = &def->cells[k];
        if (c->kind != NB_CELL_LABEL)
            continue;
        size_t cells = 0, shown = 0;
        for (size_t q = 0; q < def->ncells; q++)
            cells += def->cells[q].kind == NB_CELL_LABEL && !strcmp(def->cells[q].text, c->text);
        for (const char *at = nb_buf_str(&all); (at = strstr(at, c->text)) != NULL; at++)
            shown++;
        /* as often as the form has it (其他情形数 is under 复议 and 诉讼), unless it is
         * part of a longer label */
        assert_true(shown >= cells);
        if (strlen(c->text) > 30)
            assert_int_equal(shown, cells);
    }
    nb_buf_free(&all);
    /* the figures as written, right-aligned in the last column */
    const nb_run *v = find_exact(l, "135000");
    assert_non_null(v);
    assert_true(fabs(v->x + run_width(v) - (right() - 0.4 * 12)) < 0.01);
    /* the label column is the widest */
    const nb_run *unit = find_exact(l, "单位");
    assert_true(unit->x > left() + S->block_width / 2);
}

/* ---- grids built cell by cell ---- */

typedef struct grid {
    nb_table def;
    nb_table_inst inst;
    nb_cell cells[600];
    nb_column cols[20];
    nb_node *data; /* the report's root: figures under "g" */
    nb_node *figures;
} grid;

static void grid_init(fixture *f, grid *g, int ncols, int header_rows, int nrows,
                      int label_cols)
{
    g->def = (nb_table){.id = "g", .columns = g->cols, .ncols = ncols,
                        .header_rows = header_rows, .nrows = nrows, .cells = g->cells,
                        .label_cols = label_cols, .pos = (nb_pos){"format.yaml", 1, 1}};
    g->data = nb_node_new_map(&f->a, (nb_pos){"report.yaml", 1, 1});
    g->figures = nb_node_new_map(&f->a, (nb_pos){"report.yaml", 2, 1});
    nb_map_set(&f->a, g->data, "g", g->figures);
    g->inst = (nb_table_inst){.def = &g->def, .data = g->data};
}

static nb_cell *grid_cell(fixture *f, grid *g, nb_cell_kind kind, int row, int col, int rows,
                          int cols, const char *text)
{
    assert_true(g->def.ncells < sizeof g->cells / sizeof *g->cells);
    nb_cell *c = &g->cells[g->def.ncells++];
    *c = (nb_cell){.kind = kind, .row = row, .col = col, .rows = rows, .cols = cols,
                   .text = text ? nb_arena_strdup(&f->a, text) : NULL};
    return c;
}

static void grid_value(fixture *f, grid *g, int row, int col, int cols, const char *figure)
{
    char *name = nb_arena_printf(&f->a, "v%d_%d", row, col);
    nb_cell *c = grid_cell(f, g, NB_CELL_VALUE, row, col, 1, cols, NULL);
    c->key = nb_arena_printf(&f->a, "g.%s", name);
    nb_map_set(&f->a, g->figures, name,
               nb_node_new_scalar(&f->a, (nb_pos){"report.yaml", 3 + row, 5}, figure));
}

static nb_layout *lay_out_grid(fixture *f, grid *g)
{
    nb_block *b = add_block(f, NB_BLOCK_TABLE, 0);
    b->table_id = "g";
    nb_layout *l = lay_out(f, &g->inst, 1);
    if (!l)
        nb_diags_print(&f->d, stderr);
    assert_non_null(l);
    return l;
}

/* How often the page's text (its runs in order) holds `text`. */
static size_t count_on_page(const nb_page *p, const char *text)
{
    char *all = page_text(p);
    size_t n = 0;
    for (const char *at = all; (at = strstr(at, text)) != NULL; at += strlen(text))
        n++;
    free(all);
    return n;
}

/* The first page whose text holds `text`, or -1. */
static long page_of(const nb_layout *l, const char *text)
{
    for (size_t p = 0; p < l->npages; p++)
        if (count_on_page(&l->pages[p], text))
            return (long)p;
    return -1;
}

static bool run_is(const nb_run *r, const char *text)
{
    return r->len == strlen(text) && memcmp(r->text, text, r->len) == 0;
}

/* 表三's shape, taller: a group label merged over 60 rows (three pages),
 * ten inner groups of six rows each, the leaf labels, one figure column. */
#define TALL_GROUPS 10
#define TALL_ROWS 6
static void make_tall_group(fixture *f, grid *g)
{
    int body = TALL_GROUPS * TALL_ROWS;
    g->cols[0] = (nb_column){.role = NB_CELL_LABEL};
    g->cols[1] = (nb_column){.role = NB_CELL_VALUE};
    grid_init(f, g, 4, 2, 2 + body, 3);
    grid_cell(f, g, NB_CELL_HEADER, 0, 0, 2, 3, "指标");
    grid_cell(f, g, NB_CELL_HEADER, 0, 3, 1, 1, "数量");
    grid_cell(f, g, NB_CELL_HEADER, 1, 3, 1, 1, "本年");
    for (int r = 2; r < 2 + body; r++) {
        int k = r - 2;
        if (k == 0)
            grid_cell(f, g, NB_CELL_LABEL, r, 0, body, 1, "总组")->group = true;
        if (k % TALL_ROWS == 0) {
            nb_cell *c = grid_cell(f, g, NB_CELL_LABEL, r, 1, TALL_ROWS, 1,
                                   nb_arena_printf(&f->a, "分组%s", han(f, 1 + k / TALL_ROWS)));
            c->level = 1;
            c->group = true;
        }
        grid_cell(f, g, NB_CELL_LABEL, r, 2, 1, 1, nb_arena_printf(&f->a, "第%d项", k))->level =
            2;
        grid_value(f, g, r, 3, 1, nb_arena_printf(&f->a, "%d", 1000 + k));
    }
}

static void test_table_tall_merged_group_splits(void **state)
{
    fixture *f = *state;
    grid g = {0};
    make_tall_group(f, &g);
    nb_layout *l = lay_out_grid(f, &g);
    assert_true(l->npages >= 3);
    /* every row once, its label and figure on one page: none split, none lost */
    for (int k = 0; k < TALL_GROUPS * TALL_ROWS; k++) {
        char label[32], figure[32];
        snprintf(label, sizeof label, "第%d项", k);
        snprintf(figure, sizeof figure, "%d", 1000 + k);
        long p = page_of(l, label);
        assert_true(p >= 0);
        assert_int_equal(page_of(l, figure), p);
        size_t seen = 0;
        for (size_t q = 0; q < l->npages; q++)
            seen += count_on_page(&l->pages[q], label);
        assert_int_equal(seen, 1);
        /* an inner group fits a page: it stays whole, with its label */
        char group[64];
        snprintf(group, sizeof group, "分组%s", han(f, 1 + k / TALL_ROWS));
        assert_int_equal(page_of(l, group), p);
    }
    for (size_t p = 0; p < l->npages; p++) {
        const nb_page *pg = &l->pages[p];
        assert_true(page_has_table(pg));
        char *text = page_text(pg);
        /* the header repeated, the merged group label continued */
        assert_non_null(strstr(text, "指标数量本年"));
        assert_int_equal(count_on_page(pg, "总组"), 1);
        /* the page's grid and all its text inside the block */
        double top = -1e9, bottom = 1e9;
        for (size_t s = 0; s < pg->nstrokes; s++) {
            const nb_stroke *k = &pg->strokes[s];
            assert_true(fmin(k->y0, k->y1) >= block_bottom() - 0.001);
            top = fmax(top, fmax(k->y0, k->y1));
            bottom = fmin(bottom, fmin(k->y0, k->y1));
        }
        for (size_t i = 0; i < pg->nruns; i++)
            if (!is_folio(&pg->runs[i]))
                assert_true(pg->runs[i].y < top && pg->runs[i].y > bottom);
        /* the continued label is centred in its column, between the header
         * and the page's last row */
        const nb_run *grp = NULL, *first = NULL;
        for (size_t i = 0; i < pg->nruns; i++) {
            if (run_is(&pg->runs[i], "总组"))
                grp = &pg->runs[i];
            if (!first && strncmp(pg->runs[i].text, "第", 3) == 0)
                first = &pg->runs[i];
        }
        assert_true(grp->y < first->y && grp->y > bottom);
        /* it reads before the page's rows */
        assert_true(grp < first);
        free(text);
    }
}

/* A group too tall for any page whose rows are tied by nothing else splits
 * row by row, and no part of it is left too short for the text of the
 * merged label: 29 rows of 21.6 pt and a header row would leave one row on
 * the second page, less than the label's two lines need. */
static void test_table_tall_group_without_inner_groups(void **state)
{
    fixture *f = *state;
    grid g = {0};
    int body = 29;
    double row = 1.3 * 12 + 2 * 0.25 * 12;
    g.cols[0] = (nb_column){.role = NB_CELL_LABEL};
    g.cols[1] = (nb_column){.role = NB_CELL_VALUE};
    grid_init(f, &g, 3, 1, 1 + body, 2);
    grid_cell(f, &g, NB_CELL_HEADER, 0, 0, 1, 2, "指标");
    grid_cell(f, &g, NB_CELL_HEADER, 0, 2, 1, 1, "数量");
    for (int r = 1; r <= body; r++) {
        if (r == 1) /* two lines in its column */
            grid_cell(f, &g, NB_CELL_LABEL, r, 0, body, 1, "甲乙丙丁戊己庚辛壬癸")->group = true;
        grid_cell(f, &g, NB_CELL_LABEL, r, 1, 1, 1, nb_arena_printf(&f->a, "第%d项", r))->level = 1;
        grid_value(f, &g, r, 2, 1, nb_arena_printf(&f->a, "%d", 1000 + r));
    }
    nb_layout *l = lay_out_grid(f, &g);
    assert_int_equal(l->npages, 2);
    for (int r = 1; r <= body; r++) {
        char label[32];
        snprintf(label, sizeof label, "第%d项", r);
        assert_true(page_of(l, label) >= 0);
    }
    assert_int_equal(page_of(l, "第28项"), 1); /* moved to keep the last part tall enough */
    for (size_t p = 0; p < l->npages; p++) {
        const nb_page *pg = &l->pages[p];
        double bottom = 1e9;
        for (size_t s = 0; s < pg->nstrokes; s++)
            bottom = fmin(bottom, fmin(pg->strokes[s].y0, pg->strokes[s].y1));
        const nb_run *a = NULL, *b = NULL;
        for (size_t i = 0; i < pg->nruns; i++) {
            a = run_is(&pg->runs[i], "甲乙丙丁戊") ? &pg->runs[i] : a;
            b = run_is(&pg->runs[i], "己庚辛壬癸") ? &pg->runs[i] : b;
        }
        /* both lines of the label on every page, inside its part of the grid */
        assert_non_null(a);
        assert_non_null(b);
        assert_true(a->y + 0.88 * 12 < block_top() - row);
        assert_true(b->y - 0.12 * 12 > bottom);
    }
}

/* A nested table's label definition covers label_cols grid columns and
 * shares its width hint among them; the figure columns after it take one
 * definition each. */
static void test_table_columns_of_a_nested_table(void **state)
{
    fixture *f = *state;
    grid g = {0};
    g.cols[0] = (nb_column){.role = NB_CELL_LABEL, .width = 2};
    g.cols[1] = (nb_column){.role = NB_CELL_VALUE, .width = 1};
    g.cols[2] = (nb_column){.role = NB_CELL_VALUE, .width = 3};
    grid_init(f, &g, 4, 1, 3, 2);
    grid_cell(f, &g, NB_CELL_HEADER, 0, 0, 1, 2, "指标");
    grid_cell(f, &g, NB_CELL_HEADER, 0, 2, 1, 1, "甲");
    grid_cell(f, &g, NB_CELL_HEADER, 0, 3, 1, 1, "乙");
    grid_cell(f, &g, NB_CELL_LABEL, 1, 0, 2, 1, "组")->group = true;
    grid_cell(f, &g, NB_CELL_LABEL, 1, 1, 1, 1, "子一")->level = 1;
    grid_value(f, &g, 1, 2, 1, "11");
    grid_value(f, &g, 1, 3, 1, "12");
    grid_cell(f, &g, NB_CELL_LABEL, 2, 1, 1, 1, "子二")->level = 1;
    grid_value(f, &g, 2, 2, 1, "21");
    grid_value(f, &g, 2, 3, 1, "22");
    nb_layout *l = lay_out_grid(f, &g);
    /* widths 1 : 1 : 1 : 3 of the block; figures right-aligned */
    double unit = S->block_width / 6, pad = 0.4 * 12;
    const nb_run *a = find_exact(l, "11"), *b = find_exact(l, "12");
    assert_true(fabs(a->x + run_width(a) - (left() + 3 * unit - pad)) < 0.01);
    assert_true(fabs(b->x + run_width(b) - (right() - pad)) < 0.01);
    /* the leaf labels start at their own column, not indented again */
    const nb_run *leaf = find_exact(l, "子一");
    assert_true(fabs(leaf->x - (left() + unit + pad)) < 0.01);
    /* the group label is centred in its merged cell */
    const nb_run *grp = find_exact(l, "组");
    assert_true(fabs(grp->x + run_width(grp) / 2 - (left() + unit / 2)) < 0.01);
    assert_true(grp->y < leaf->y && grp->y > find_exact(l, "子二")->y);
}

/* 表四's shape: no label column, fifteen figure columns under a two-level
 * header, no hints. It is fitted to the block at a smaller size, the
 * columns alike, the headings wrapped into short stacks of lines. */
static void test_table_without_labels_fits_the_block(void **state)
{
    fixture *f = *state;
    grid g = {0};
    static const char *const results[] = {"结果维持", "结果纠正", "其他结果", "尚未审结", "总计"};
    for (int c = 0; c < 15; c++)
        g.cols[c] = (nb_column){.role = NB_CELL_VALUE};
    grid_init(f, &g, 15, 2, 3, 0);
    grid_cell(f, &g, NB_CELL_HEADER, 0, 0, 1, 5, "行政复议");
    grid_cell(f, &g, NB_CELL_HEADER, 0, 5, 1, 10, "行政诉讼");
    for (int c = 0; c < 15; c++)
        grid_cell(f, &g, NB_CELL_HEADER, 1, c, 1, 1, results[c % 5]);
    for (int c = 0; c < 15; c++)
        grid_value(f, &g, 2, c, 1, nb_arena_printf(&f->a, "%d", 350 + c));
    nb_layout *l = lay_out_grid(f, &g);
    assert_int_equal(l->npages, 1);
    const nb_page *p = &l->pages[0];
    double xs[32];
    size_t nx = 0;
    for (size_t s = 0; s < p->nstrokes; s++) {
        const nb_stroke *k = &p->strokes[s];
        assert_true(k->x0 >= left() - 0.001 && k->x1 <= right() + 0.001);
        if (k->x0 != k->x1)
            continue;
        bool seen = false;
        for (size_t i = 0; i < nx; i++)
            seen = seen || fabs(xs[i] - k->x0) < 0.001;
        if (!seen && nx < 32)
            xs[nx++] = k->x0;
    }
    assert_int_equal(nx, 16); /* every column ruled off */
    double w = S->block_width / 15;
    for (size_t i = 0; i < nx; i++) {
        double steps = (xs[i] - left()) / w;
        assert_true(fabs(steps - round(steps)) < 0.001); /* the columns alike */
    }
    const nb_run *v = find_exact(l, "364");
    assert_true(v->size < S->table_size); /* smaller than 小四 */
    assert_true(fabs(v->x + run_width(v) - (right() - 0.4 * v->size)) < 0.01);
    /* 结果维持 in two lines of two: the heading stacks up, never overflows */
    assert_non_null(find_exact(l, "结果"));
    assert_non_null(find_exact(l, "维持"));
    for (size_t i = 0; i < p->nruns; i++)
        assert_true(p->runs[i].x + run_width(&p->runs[i]) <= right() + 0.01);
}

/* Hints of a table without a label column map to the grid one to one. */
static void test_table_hints_without_labels(void **state)
{
    fixture *f = *state;
    grid g = {0};
    static const double hints[] = {1, 2, 1};
    for (int c = 0; c < 3; c++)
        g.cols[c] = (nb_column){.role = NB_CELL_VALUE, .width = hints[c]};
    grid_init(f, &g, 3, 1, 2, 0);
    for (int c = 0; c < 3; c++)
        grid_cell(f, &g, NB_CELL_HEADER, 0, c, 1, 1, "数");
    for (int c = 0; c < 3; c++)
        grid_value(f, &g, 1, c, 1, nb_arena_printf(&f->a, "%d", 7 + c));
    nb_layout *l = lay_out_grid(f, &g);
    double q = S->block_width / 4, pad = 0.4 * 12;
    static const double edges[] = {1, 3, 4};
    for (int c = 0; c < 3; c++) {
        char fig[8];
        snprintf(fig, sizeof fig, "%d", 7 + c);
        const nb_run *v = find_exact(l, fig);
        assert_true(fabs(v->x + run_width(v) - (left() + edges[c] * q - pad)) < 0.01);
    }
}

/* 表二's shape: no header rows, `sections` inner sections each with a
 * caption and a heading row, then two rows of label | figure. */
static void make_sections(fixture *f, grid *g, int sections)
{
    g->cols[0] = (nb_column){.role = NB_CELL_LABEL, .width = 2};
    g->cols[1] = (nb_column){.role = NB_CELL_VALUE, .width = 1};
    grid_init(f, g, 2, 0, 4 * sections, 1);
    for (int s = 0; s < sections; s++) {
        int r = 4 * s;
        grid_cell(f, g, NB_CELL_TEXT, r, 0, 1, 2, nb_arena_printf(&f->a, "第%d节", s));
        grid_cell(f, g, NB_CELL_TEXT, r + 1, 0, 1, 1, "信息内容");
        grid_cell(f, g, NB_CELL_TEXT, r + 1, 1, 1, 1, "数量");
        for (int k = 0; k < 2; k++) {
            grid_cell(f, g, NB_CELL_LABEL, r + 2 + k, 0, 1, 1,
                      nb_arena_printf(&f->a, "节%d行%d", s, k));
            grid_value(f, g, r + 2 + k, 1, 1, nb_arena_printf(&f->a, "%d", 100 * s + k));
        }
    }
}

/* A section is never left with its caption alone at a page's foot. */
static void test_table_section_captions_keep_with_rows(void **state)
{
    fixture *f = *state;
    for (int i = 0; i < 18; i++) /* most of a page of text first */
        add_text(f, NB_BLOCK_PARAGRAPH, 0, han(f, 5));
    grid g = {0};
    make_sections(f, &g, 3);
    nb_layout *l = lay_out_grid(f, &g);
    assert_int_equal(l->npages, 2);
    for (int s = 0; s < 3; s++) { /* each section whole on one page */
        char caption[16], row[16];
        snprintf(caption, sizeof caption, "第%d节", s);
        long p = page_of(l, caption);
        for (int k = 0; k < 2; k++) {
            snprintf(row, sizeof row, "节%d行%d", s, k);
            assert_int_equal(page_of(l, row), p);
        }
    }
    assert_int_equal(page_of(l, "第0节"), 0);
    assert_int_equal(page_of(l, "第2节"), 1);
}

/* ---- headings keep with what follows ---- */

/* 21 lines of text: the next line is the last of the page. */
static void fill_21_lines(fixture *f)
{
    for (int i = 0; i < 21; i++)
        add_text(f, NB_BLOCK_PARAGRAPH, 0, han(f, 5));
}

/* The sample's "二、主动公开政府信息情况" before 表二, which has no title
 * and no header rows: the heading would be the page's last line, its
 * table's first caption the next page's first. Both go to the next page. */
static void test_heading_keeps_with_table_without_header(void **state)
{
    fixture *f = *state;
    fill_21_lines(f);
    add_text(f, NB_BLOCK_HEADING, 1, "二、主动公开政府信息情况");
    grid g = {0};
    make_sections(f, &g, 2);
    nb_layout *l = lay_out_grid(f, &g);
    assert_int_equal(l->npages, 2);
    assert_int_equal(count_lines(&l->pages[0]), 21);
    assert_int_equal(page_of(l, "二、主动公开政府信息情况"), 1);
    assert_int_equal(page_of(l, "第0节"), 1);
    assert_int_equal(page_of(l, "节0行0"), 1);
    /* the heading is the new page's first line */
    const nb_run *h = find_run(l, "二、", NULL);
    assert_true(fabs(h->y - first_baseline()) < 0.001);
}

/* An own-line item heading (level 2) before a table with a title, lead
 * line and header row: it moves with the title, the lead, the header and
 * the first body row. */
static void test_item_heading_keeps_with_titled_table(void **state)
{
    fixture *f = *state;
    fill_21_lines(f);
    add_text(f, NB_BLOCK_HEADING, 2, "（一）统计情况");
    table_fixture t = {0};
    make_table(f, &t, 3);
    nb_block *b = add_block(f, NB_BLOCK_TABLE, 0);
    b->table_id = "stats";
    nb_layout *l = lay_out(f, &t.inst, 1);
    assert_non_null(l);
    assert_int_equal(l->npages, 2);
    assert_int_equal(count_lines(&l->pages[0]), 21);
    long p = page_of(l, "（一）统计情况");
    assert_int_equal(p, 1);
    assert_int_equal(page_of(l, "2017年度桃源县"), p);
    assert_int_equal(page_of(l, "填报单位"), p);
    assert_int_equal(page_of(l, "统 计 指 标"), p);
    assert_int_equal(page_of(l, "指标第1项"), p);
}

/* A chain of headings (一、 then （一）) keeps together and with the first
 * two lines of the paragraph under it: 20 lines, the two headings would
 * be lines 21 and 22, the paragraph's first line would not fit. */
static void test_heading_chain_keeps_with_paragraph(void **state)
{
    fixture *f = *state;
    for (int i = 0; i < 20; i++)
        add_text(f, NB_BLOCK_PARAGRAPH, 0, han(f, 5));
    add_text(f, NB_BLOCK_HEADING, 1, "一、总体情况");
    add_text(f, NB_BLOCK_HEADING, 2, "（一）主动公开政府信息情况");
    add_text(f, NB_BLOCK_PARAGRAPH, 0, han(f, 60)); /* three lines */
    nb_layout *l = lay_out(f, NULL, 0);
    assert_non_null(l);
    assert_int_equal(l->npages, 2);
    assert_int_equal(count_lines(&l->pages[0]), 20);
    assert_int_equal(page_of(l, "一、总体情况"), 1);
    assert_int_equal(page_of(l, "（一）主动公开"), 1);
    assert_int_equal(count_lines(&l->pages[1]), 5);
}

/* The rule moves a heading only as far as it must: with room for two lines
 * of its paragraph under it, the heading stays at the page's foot. */
static void test_heading_stays_when_its_lines_fit(void **state)
{
    fixture *f = *state;
    for (int i = 0; i < 19; i++)
        add_text(f, NB_BLOCK_PARAGRAPH, 0, han(f, 5));
    add_text(f, NB_BLOCK_HEADING, 1, "三、收到和处理政府信息公开申请情况");
    add_text(f, NB_BLOCK_PARAGRAPH, 0, han(f, 26 + 28 * 2 + 10)); /* four lines */
    nb_layout *l = lay_out(f, NULL, 0);
    assert_non_null(l);
    /* heading on line 20, two lines of the paragraph under it */
    assert_int_equal(page_of(l, "三、收到"), 0);
    assert_int_equal(count_lines(&l->pages[0]), 22);
    assert_int_equal(count_lines(&l->pages[1]), 2);
}

/* A heading that cannot share a page with what follows however it is
 * placed (a heading of 30 lines) is broken as any block too tall for a
 * page: nothing is lost, no page holds more than 22 lines. */
static void test_heading_too_tall_for_a_page_is_broken(void **state)
{
    fixture *f = *state;
    for (int i = 0; i < 10; i++)
        add_text(f, NB_BLOCK_PARAGRAPH, 0, han(f, 5));
    add_text(f, NB_BLOCK_HEADING, 1, han(f, 28 * 30 - 2));
    add_text(f, NB_BLOCK_PARAGRAPH, 0, han(f, 60));
    nb_layout *l = lay_out(f, NULL, 0);
    assert_non_null(l);
    size_t lines = 0;
    nb_buf all = {0}, expect = {0};
    for (size_t p = 0; p < l->npages; p++) {
        assert_true(count_lines(&l->pages[p]) <= 22);
        lines += count_lines(&l->pages[p]);
        char *t = page_text(&l->pages[p]);
        nb_buf_puts(&all, t);
        free(t);
    }
    assert_int_equal(lines, 10 + 30 + 3);
    for (int i = 0; i < 10; i++)
        nb_buf_puts(&expect, han(f, 5));
    nb_buf_puts(&expect, han(f, 28 * 30 - 2));
    nb_buf_puts(&expect, han(f, 60));
    assert_string_equal(nb_buf_str(&all), nb_buf_str(&expect));
    nb_buf_free(&all);
    nb_buf_free(&expect);
}

/* A heading before a table whose first row alone is taller than a page:
 * the unit fits no page, so it is broken as it comes; every row is set
 * once and the heading stays with the header. */
static void test_heading_before_too_tall_row_is_broken(void **state)
{
    fixture *f = *state;
    fill_21_lines(f);
    add_text(f, NB_BLOCK_HEADING, 1, "二、主动公开政府信息情况");
    grid g = {0};
    g.cols[0] = (nb_column){.role = NB_CELL_LABEL, .width = 1};
    g.cols[1] = (nb_column){.role = NB_CELL_VALUE, .width = 1};
    grid_init(f, &g, 2, 1, 3, 1);
    grid_cell(f, &g, NB_CELL_HEADER, 0, 0, 1, 1, "信息内容");
    grid_cell(f, &g, NB_CELL_HEADER, 0, 1, 1, 1, "数量");
    const char *tall = han(f, 30 * 60); /* sixty lines of the cell */
    grid_cell(f, &g, NB_CELL_LABEL, 1, 0, 1, 1, tall);
    grid_value(f, &g, 1, 1, 1, "7");
    grid_cell(f, &g, NB_CELL_LABEL, 2, 0, 1, 1, "末行");
    grid_value(f, &g, 2, 1, 1, "8");
    nb_layout *l = lay_out_grid(f, &g);
    long h = page_of(l, "二、主动公开");
    assert_true(h >= 0);
    assert_int_equal(page_of(l, "信息内容"), h);
    nb_buf all = {0};
    for (size_t p = 0; p < l->npages; p++) {
        char *t = page_text(&l->pages[p]);
        nb_buf_puts(&all, t);
        free(t);
    }
    size_t seen = 0;
    for (const char *at = nb_buf_str(&all); (at = strstr(at, "末行")) != NULL; at++)
        seen++;
    assert_int_equal(seen, 1);
    assert_non_null(strstr(nb_buf_str(&all), "末行8"));
    assert_true(page_of(l, "末行") > h);
    nb_buf_free(&all);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_style_is_gbt9704),
        cmocka_unit_test_setup_teardown(test_paragraph_lines_are_justified, setup, teardown),
        cmocka_unit_test_setup_teardown(test_entry_paragraphs_are_ragged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_runs_carry_exactly_the_source_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_22_lines_a_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_heading_never_ends_a_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_heading_keeps_two_lines_of_its_paragraph, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_no_orphan_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_widow_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paragraph_split_between_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_page_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_title_centred_and_balanced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_in_heading_and_emphasis, setup, teardown),
        cmocka_unit_test_setup_teardown(test_heading_faces, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signoff_right_aligned, setup, teardown),
        cmocka_unit_test_setup_teardown(test_page_break_and_attachment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_character_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_table_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_spans_pages_with_repeated_header, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_table_value_cells_hold_figures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_merged_cells, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gov2014_statistics_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_tall_merged_group_splits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_tall_group_without_inner_groups, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_table_columns_of_a_nested_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_without_labels_fits_the_block, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_table_hints_without_labels, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_section_captions_keep_with_rows, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_heading_keeps_with_table_without_header, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_item_heading_keeps_with_titled_table, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_heading_chain_keeps_with_paragraph, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_heading_stays_when_its_lines_fit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_heading_too_tall_for_a_page_is_broken, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_heading_before_too_tall_row_is_broken, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
