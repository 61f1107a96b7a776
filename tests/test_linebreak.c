/* test_linebreak.c — Chinese line composition (layout_linebreak.h) with invented
 * widths: ideographs and full-width marks 1 em, ASCII 0.5 em, at 16 pt on
 * the GB/T 9704 measure (156 mm, 28 characters). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "layout_linebreak.h"
#include "util.h"

#define SIZE 16.0
#define WIDTH (156.0 * 72.0 / 25.4)
#define TRACKING ((WIDTH - 28 * SIZE) / 27)
#define PITCH (SIZE + TRACKING)
/* what a mark set half-width gives up on the body grid (layout_linebreak.h) */
#define HALF (SIZE / 2 + TRACKING - 0.05)

/* 30 distinct ideographs to build lines from. */
static const char *const HAN = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥天地玄黄宇宙洪荒";

typedef struct text {
    nb_lb_char c[2048];
    size_t off[2049]; /* byte offset of each character in s */
    size_t n;
    char s[8192];
} text;

static double advance_of(uint32_t cp) { return cp < 0x80 ? SIZE / 2 : SIZE; }

static void add(text *t, const char *utf8)
{
    size_t len = strlen(utf8);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = nb_utf8_decode(utf8 + i, len - i, &cp);
        assert_true(k > 0);
        size_t at = strlen(t->s);
        t->off[t->n] = at;
        memcpy(t->s + at, utf8 + i, k);
        t->s[at + k] = '\0';
        t->c[t->n++] = (nb_lb_char){cp, advance_of(cp)};
        t->off[t->n] = at + k;
        i += k;
    }
}

/* The first n characters of HAN. */
static void add_han(text *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char one[4];
        memcpy(one, HAN + 3 * (i % 30), 3);
        one[3] = '\0';
        add(t, one);
    }
}

static nb_lb_spec body_spec(bool indent)
{
    return (nb_lb_spec){.first_width = WIDTH - (indent ? 2 * PITCH : 0),
                        .width = WIDTH,
                        .tracking = TRACKING,
                        .em = SIZE,
                        .justify = true};
}

/* Line li as text (static buffer). */
static const char *line_text(const text *t, const nb_lb_result *r, size_t li)
{
    static char buf[4096];
    size_t a = t->off[r->lines[li].start], b = t->off[r->lines[li].end];
    memcpy(buf, t->s + a, b - a);
    buf[b - a] = '\0';
    return buf;
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* The width a line really takes, from the pen rule in layout_linebreak.h. */
static double measured_width(const text *t, const nb_lb_result *r, size_t li)
{
    const nb_lb_line *ln = &r->lines[li];
    double x = 0, right = 0;
    for (size_t i = ln->start; i < ln->ink_end; i++) {
        double set = t->c[i].advance - r->trim_left[i] - r->trim_right[i];
        right = x + set;
        x += set + ln->char_space;
    }
    return right;
}

static void check_lines_partition(const text *t, const nb_lb_result *r)
{
    assert_true(r->nlines > 0);
    assert_int_equal(r->lines[0].start, 0);
    for (size_t i = 1; i < r->nlines; i++)
        assert_int_equal(r->lines[i].start, r->lines[i - 1].end);
    assert_int_equal(r->lines[r->nlines - 1].end, t->n);
}

static void test_full_lines_fill_the_measure(void **state)
{
    (void)state;
    text t = {0};
    add_han(&t, 26 + 28 + 10);
    nb_lb_spec spec = body_spec(true);
    nb_lb_result r;
    nb_linebreak(t.c, t.n, &spec, &r);
    assert_int_equal(r.nlines, 3);
    check_lines_partition(&t, &r);
    /* 26 characters after the two-character indent, then 28 */
    assert_int_equal(r.lines[0].end, 26);
    assert_int_equal(r.lines[1].end, 54);
    assert_true(fabs(r.lines[0].width + 2 * PITCH - WIDTH) < 0.01);
    assert_true(fabs(r.lines[1].width - WIDTH) < 0.01);
    assert_true(fabs(measured_width(&t, &r, 1) - WIDTH) < 0.01);
    /* the grid: a full line of ideographs needs no stretching */
    assert_true(fabs(r.lines[1].char_space - TRACKING) < 1e-9);
    /* the last line is not stretched */
    assert_false(r.lines[2].justified);
    assert_true(fabs(r.lines[2].char_space - TRACKING) < 1e-9);
    assert_true(fabs(r.lines[2].width - (10 * SIZE + 9 * TRACKING)) < 0.01);
    nb_lb_result_free(&r);
}

static void test_comma_never_starts_a_line_pushed_out(void **state)
{
    (void)state;
    text t = {0};
    add_han(&t, 28);
    add(&t, "，");
    add_han(&t, 5);
    nb_lb_spec spec = body_spec(false);
    nb_lb_result r;
    nb_linebreak(t.c, t.n, &spec, &r);
    assert_int_equal(r.nlines, 2);
    /* no mark in the line to set closer: the 28th character goes down */
    assert_int_equal(r.lines[0].end, 27);
    assert_true(starts_with(line_text(&t, &r, 1), "宙，"));
    assert_true(r.lines[0].justified);
    assert_true(fabs(r.lines[0].width - WIDTH) < 0.01);
    assert_true(fabs(measured_width(&t, &r, 0) - WIDTH) < 0.01);
    assert_true(r.lines[0].char_space > TRACKING);
    nb_lb_result_free(&r);
}

static void test_full_stop_pushed_in(void **state)
{
    (void)state;
    text t = {0};
    add_han(&t, 10);
    add(&t, "，");
    add_han(&t, 8);
    add(&t, "，");
    add_han(&t, 8); /* 28 ems: the line is full */
    add(&t, "。");
    add_han(&t, 3);
    nb_lb_spec spec = body_spec(false);
    nb_lb_result r;
    nb_linebreak(t.c, t.n, &spec, &r);
    assert_int_equal(r.nlines, 2);
    /* the 。 stays with its full box: the two ， inside the line are set
     * half-width to make room */
    assert_int_equal(r.lines[0].end, 29);
    assert_true(ends_with(line_text(&t, &r, 0), "。"));
    assert_true(r.trim_right[28] == 0);
    assert_true(fabs(r.trim_right[10] - HALF) < 1e-9);
    assert_true(fabs(r.trim_right[19] - HALF) < 1e-9);
    assert_true(fabs(r.lines[0].width - WIDTH) < 0.01);
    assert_true(fabs(measured_width(&t, &r, 0) - WIDTH) < 0.01);
    assert_string_equal(line_text(&t, &r, 1), "甲乙丙");
    nb_lb_result_free(&r);
}

static void test_full_stop_pulls_a_character_down(void **state)
{
    (void)state;
    text t = {0};
    add_han(&t, 10);
    add(&t, "，");
    add_han(&t, 17); /* 28 ems: the line is full */
    add(&t, "。");
    add_han(&t, 3);
    nb_lb_spec spec = body_spec(false);
    nb_lb_result r;
    nb_linebreak(t.c, t.n, &spec, &r);
    assert_int_equal(r.nlines, 2);
    /* one ， inside the line cannot make an em of room, and the 。 at the
     * line end keeps its box: the last character goes down with it */
    assert_int_equal(r.lines[0].end, 27);
    assert_true(r.trim_right[10] == 0);
    assert_true(ends_with(line_text(&t, &r, 1), "。甲乙丙"));
    assert_int_equal(nb_utf8_length(line_text(&t, &r, 1), strlen(line_text(&t, &r, 1))), 5);
    nb_lb_result_free(&r);
}

static void test_mark_at_the_line_end_keeps_its_box(void **state)
{
    (void)state;
    text t = {0};
    add_han(&t, 27);
    add(&t, "，"); /* the 28th character: fits as it is */
    add_han(&t, 3);
    nb_lb_spec spec = body_spec(false);
    nb_lb_result r;
    nb_linebreak(t.c, t.n, &spec, &r);
    assert_int_equal(r.lines[0].end, 28);
    for (size_t i = 0; i < t.n; i++) {
        assert_true(r.trim_left[i] == 0);
        assert_true(r.trim_right[i] == 0);
    }
    assert_true(fabs(r.lines[0].width - WIDTH) < 0.01);
    nb_lb_result_free(&r);
}

static void test_number_is_not_split(void **state)
{
    (void)state;
    text t = {0};
    add_han(&t, 26);
    add(&t, "135000条，全文");
    nb_lb_spec spec = body_spec(false);
    nb_lb_result r;
    nb_linebreak(t.c, t.n, &spec, &r);
    assert_int_equal(r.nlines, 2);
    assert_int_equal(r.lines[0].end, 26);
    assert_string_equal(line_text(&t, &r, 1), "135000条，全文");
    assert_true(fabs(r.lines[0].width - WIDTH) < 0.01);
    nb_lb_result_free(&r);
}

static void test_number_keeps_its_unit(void **state)
{
    (void)state;
    text t = {0};
    add_han(&t, 25);
    add(&t, "135000条"); /* the number fits, its unit would not */
    nb_lb_spec spec = body_spec(false);
    nb_lb_result r;
    nb_linebreak(t.c, t.n, &spec, &r);
    assert_int_equal(r.nlines, 2);
    assert_string_equal(line_text(&t, &r, 1), "135000条");
    nb_lb_result_free(&r);
}

static void test_dashes_and_ellipses_stay_whole(void **state)
{
    (void)state;
    const char *marks[] = {"——", "……"};
    for (int m = 0; m < 2; m++) {
        for (size_t before = 25; before <= 28; before++) {
            text t = {0};
            add_han(&t, before);
            add(&t, marks[m]);
            add_han(&t, 6);
            nb_lb_spec spec = body_spec(false);
            nb_lb_result r;
            nb_linebreak(t.c, t.n, &spec, &r);
            check_lines_partition(&t, &r);
            for (size_t li = 0; li < r.nlines; li++) {
                const char *s = line_text(&t, &r, li);
                assert_false(starts_with(s, "—") || starts_with(s, "…"));
                assert_true(r.lines[li].width <= WIDTH + 0.01);
            }
            /* the pair is on one line */
            bool whole = false;
            for (size_t li = 0; li < r.nlines; li++)
                whole = whole || strstr(line_text(&t, &r, li), marks[m]) != NULL;
            assert_true(whole);
            nb_lb_result_free(&r);
        }
    }
}

static void test_phone_number_is_not_split(void **state)
{
    (void)state;
    for (size_t before = 14; before <= 27; before++) {
        text t = {0};
        add_han(&t, before);
        add(&t, "电话:0736-6620322。");
        nb_lb_spec spec = body_spec(false);
        nb_lb_result r;
        nb_linebreak(t.c, t.n, &spec, &r);
        bool whole = false;
        for (size_t li = 0; li < r.nlines; li++) {
            whole = whole || strstr(line_text(&t, &r, li), "0736-6620322") != NULL;
            assert_true(r.lines[li].width <= WIDTH + 0.01);
            if (li > 0)
                assert_false(starts_with(line_text(&t, &r, li), ":"));
        }
        assert_true(whole);
        nb_lb_result_free(&r);
    }
}

static void test_opening_bracket_never_ends_a_line(void **state)
{
    (void)state;
    text t = {0};
    add_han(&t, 27);
    add(&t, "（以下简称《条例》）");
    nb_lb_spec spec = body_spec(false);
    nb_lb_result r;
    nb_linebreak(t.c, t.n, &spec, &r);
    assert_int_equal(r.nlines, 2);
    assert_int_equal(r.lines[0].end, 27);
    assert_true(starts_with(line_text(&t, &r, 1), "（以下"));
    assert_true(fabs(r.lines[0].width - WIDTH) < 0.01);
    nb_lb_result_free(&r);
}

static void test_half_width_marks_follow_the_rules_too(void **state)
{
    (void)state;
    text t = {0};
    add_han(&t, 28);
    add(&t, ",其余(见附件)");
    nb_lb_spec spec = body_spec(false);
    nb_lb_result r;
    nb_linebreak(t.c, t.n, &spec, &r);
    assert_int_equal(r.lines[0].end, 27);
    assert_true(starts_with(line_text(&t, &r, 1), "宙,"));
    nb_lb_result_free(&r);

    text u = {0};
    add_han(&u, 27);
    add(&u, "(见附件)");
    nb_linebreak(u.c, u.n, &spec, &r);
    assert_true(starts_with(line_text(&u, &r, 1), "(见"));
    assert_false(ends_with(line_text(&u, &r, 0), "("));
    nb_lb_result_free(&r);
}

static void test_adjacent_marks_are_set_closer(void **state)
{
    (void)state;
    text t = {0};
    add(&t, "甲。”乙，“丙（《丁》）");
    nb_lb_spec spec = body_spec(false);
    nb_lb_result r;
    nb_linebreak(t.c, t.n, &spec, &r);
    assert_true(r.trim_right[1] == HALF); /* 。 before ” */
    assert_true(r.trim_right[2] == 0);    /* ” before 乙 */
    assert_true(r.trim_right[4] == HALF); /* ， before “ */
    assert_true(r.trim_left[5] == 0);     /* “ keeps its left half */
    assert_true(r.trim_left[8] == HALF);  /* 《 after （ */
    assert_true(r.trim_right[10] == HALF); /* 》 before ） */
    assert_true(r.trim_right[11] == 0);    /* the last ） */
    nb_lb_result_free(&r);
}

static void test_marks_separated_by_a_break_get_their_box_back(void **state)
{
    (void)state;
    text t = {0};
    add_han(&t, 26);
    add(&t, "》（条例）"); /* 》（ would be set closer, but （ cannot end the line */
    nb_lb_spec spec = body_spec(false);
    nb_lb_result r;
    nb_linebreak(t.c, t.n, &spec, &r);
    assert_int_equal(r.nlines, 2);
    assert_int_equal(r.lines[0].end, 27);
    assert_true(r.trim_right[26] == 0);
    assert_true(fabs(r.lines[0].width - WIDTH) < 0.01);
    assert_string_equal(line_text(&t, &r, 1), "（条例）");
    nb_lb_result_free(&r);
}

static void test_forced_break(void **state)
{
    (void)state;
    text t = {0};
    add(&t, "甲乙\n丙丁");
    nb_lb_spec spec = body_spec(false);
    nb_lb_result r;
    nb_linebreak(t.c, t.n, &spec, &r);
    assert_int_equal(r.nlines, 2);
    assert_int_equal(r.lines[0].end, 3);
    assert_int_equal(r.lines[0].ink_end, 2);
    assert_false(r.lines[0].justified);
    assert_string_equal(line_text(&t, &r, 1), "丙丁");
    nb_lb_result_free(&r);
}

static void test_trailing_space_hangs(void **state)
{
    (void)state;
    text t = {0};
    add_han(&t, 28);
    add(&t, " 日期");
    nb_lb_spec spec = body_spec(false);
    nb_lb_result r;
    nb_linebreak(t.c, t.n, &spec, &r);
    assert_int_equal(r.lines[0].end, 29); /* the space stays at the end */
    assert_int_equal(r.lines[0].ink_end, 28);
    assert_true(fabs(r.lines[0].width - WIDTH) < 0.01);
    assert_string_equal(line_text(&t, &r, 1), "日期");
    nb_lb_result_free(&r);
}

static void test_balanced_title(void **state)
{
    (void)state;
    text t = {0};
    add_han(&t, 21); /* 20 fit on a line of 2号 characters */
    nb_lb_spec spec = {.first_width = WIDTH, .width = WIDTH, .em = 22};
    for (size_t i = 0; i < t.n; i++)
        t.c[i].advance = 22;
    nb_lb_result r;
    nb_linebreak(t.c, t.n, &spec, &r);
    assert_int_equal(r.nlines, 2); /* plain breaking leaves one alone */
    assert_int_equal(r.lines[1].end - r.lines[1].start, 1);
    nb_lb_result_free(&r);
    nb_linebreak_balanced(t.c, t.n, &spec, &r);
    assert_int_equal(r.nlines, 2);
    size_t a = r.lines[0].end - r.lines[0].start, b = r.lines[1].end - r.lines[1].start;
    assert_true((a == 11 && b == 10) || (a == 10 && b == 11));
    nb_lb_result_free(&r);

    text s = {0};
    add_han(&s, 12); /* fits: one line */
    for (size_t i = 0; i < s.n; i++)
        s.c[i].advance = 22;
    nb_linebreak_balanced(s.c, s.n, &spec, &r);
    assert_int_equal(r.nlines, 1);
    nb_lb_result_free(&r);
}

/* A title breaks between its words of meaning: before the year that follows
 * the issuer, not inside 政府 for the sake of evenness. */
static void balanced_at(text *t, double size, double width, nb_lb_result *r)
{
    for (size_t i = 0; i < t->n; i++)
        t->c[i].advance *= size / SIZE;
    nb_lb_spec spec = {.first_width = width, .width = width, .em = size};
    nb_linebreak_balanced(t->c, t->n, &spec, r);
}

static void test_balanced_title_breaks_between_phrases(void **state)
{
    (void)state;
    text t = {0};
    add(&t, "淮安市人民政府2024年政府信息公开工作年度报告");
    nb_lb_result r;
    nb_linebreak_balanced(t.c, t.n, &(nb_lb_spec){.first_width = WIDTH, .width = WIDTH,
                                                   .em = SIZE}, &r);
    assert_int_equal(r.nlines, 1); /* 23 ems of 16 pt: one line */
    nb_lb_result_free(&r);
    balanced_at(&t, 22, WIDTH, &r); /* 2号: 20 ems a line */
    assert_int_equal(r.nlines, 2);
    assert_string_equal(line_text(&t, &r, 0), "淮安市人民政府");
    assert_string_equal(line_text(&t, &r, 1), "2024年政府信息公开工作年度报告");
    nb_lb_result_free(&r);

    /* a year in figures: after its 年度 (a seam inside the phrase) rather
     * than at the most even place */
    text u = {0};
    add(&u, "2024年度甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未");
    balanced_at(&u, 22, WIDTH, &r);
    assert_int_equal(r.nlines, 2);
    assert_string_equal(line_text(&u, &r, 0), "2024年度");
    nb_lb_result_free(&r);

    /* a narrow cell: the enumerator stays whole on its own line */
    text v = {0};
    add(&v, "（三）不予公开");
    balanced_at(&v, 12, 4 * 12 + 0.5, &r);
    assert_int_equal(r.nlines, 2);
    assert_string_equal(line_text(&v, &r, 0), "（三）");
    assert_string_equal(line_text(&v, &r, 1), "不予公开");
    nb_lb_result_free(&r);

    /* the lines stay even when all seams are alike, never one alone */
    text w = {0};
    add(&w, "三、本年度办理结果");
    balanced_at(&w, 12, 5 * 12 + 0.5, &r);
    assert_int_equal(r.nlines, 2);
    assert_string_equal(line_text(&w, &r, 0), "三、本年度");
    assert_string_equal(line_text(&w, &r, 1), "办理结果");
    nb_lb_result_free(&r);
}

static void test_overlong_unit_never_overflows(void **state)
{
    (void)state;
    text t = {0};
    for (int i = 0; i < 100; i++)
        add(&t, "7");
    nb_lb_spec spec = body_spec(true);
    nb_lb_result r;
    nb_linebreak(t.c, t.n, &spec, &r);
    check_lines_partition(&t, &r);
    assert_true(r.nlines >= 2);
    assert_true(r.lines[0].width <= spec.first_width + 0.01);
    for (size_t li = 1; li < r.nlines; li++)
        assert_true(r.lines[li].width <= WIDTH + 0.01);
    nb_lb_result_free(&r);
}

static void test_widest_piece(void **state)
{
    (void)state;
    text t = {0};
    add(&t, "电话:0736-6620322。其余");
    /* 0736-6620322。 is the widest piece: 12 × 8 + 16 */
    double w = nb_lb_widest_piece(t.c, t.n, 0);
    assert_true(fabs(w - (12 * 8 + 16)) < 1e-9);
}

/* Random text: every line fits, full lines fill the measure, the rules hold
 * wherever the text allows them to. */
static void test_random_text_invariants(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "甲", "乙", "丙", "丁", "政", "府", "信", "息", "公", "开", "，", "。", "、",
        "：", "；", "？", "“", "”", "（", "）", "《", "》", "——", "……", "2017", "年",
        "135000", "条", "0736-6620322", "PDF", " ", "%", "92%", ",", "(", ")",
    };
    srand(9704);
    for (int round = 0; round < 3000; round++) {
        text t = {0};
        size_t len = 1 + (size_t)(rand() % 120);
        int marks_in_a_row = 0;
        for (size_t i = 0; i < len; i++) {
            const char *p = pieces[rand() % (int)(sizeof pieces / sizeof *pieces)];
            uint32_t cp;
            nb_utf8_decode(p, strlen(p), &cp);
            bool mark = nb_lb_no_line_start(cp) || nb_lb_no_line_end(cp);
            if (mark && marks_in_a_row >= 2)
                continue; /* keep some place to break */
            marks_in_a_row = mark ? marks_in_a_row + 1 : 0;
            add(&t, p);
        }
        bool indent = round % 2;
        nb_lb_spec spec = body_spec(indent);
        bool round_is_narrow = round % 3 == 0;
        if (round_is_narrow) { /* a narrow table cell */
            spec.first_width = spec.width = 120;
            spec.tracking = 0;
        }
        nb_lb_result r;
        nb_linebreak(t.c, t.n, &spec, &r);
        check_lines_partition(&t, &r);
        for (size_t li = 0; li < r.nlines; li++) {
            const nb_lb_line *ln = &r.lines[li];
            double room = li == 0 ? spec.first_width : spec.width;
            assert_true(ln->end > ln->start);
            assert_true(ln->width <= room + 0.01);
            assert_true(fabs(measured_width(&t, &r, li) - ln->width) < 0.01);
            if (ln->justified)
                assert_true(fabs(ln->width - room) < 0.01);
            /* no character's box overlapped by the next by more than half an em */
            for (size_t i = ln->start; i + 1 < ln->ink_end; i++) {
                double step = t.c[i].advance - r.trim_right[i] - r.trim_left[i + 1] +
                              ln->char_space;
                assert_true(t.c[i].advance - step <= SIZE / 2 + 1e-9);
            }
            if (li > 0)
                assert_false(nb_lb_no_line_start(t.c[ln->start].cp));
            if (li + 1 < r.nlines)
                assert_false(nb_lb_no_line_end(t.c[ln->end - 1].cp));
            if (li + 1 < r.nlines && ln->ink_end > ln->start && !round_is_narrow)
                assert_true(r.trim_right[ln->ink_end - 1] == 0); /* its full box */
        }
        nb_lb_result_free(&r);
    }
}

/* A paragraph of a report (tests/data/reports/edge-2021.yaml) whose second
 * line once ended with 》 set half-width (it was closed up with the （ after
 * it, and kept so when the break fell between them): its box reached half an
 * em past the margin in the PDF. A mark that ends a line keeps its full box. */
static void test_mark_closed_up_then_broken_keeps_its_box(void **state)
{
    (void)state;
    text t = {0};
    add(&t, "（六）截至2023年12月31日，全县政务公开考核达标率95.6%，较上年提高3.2个"
            "百分点；依据《某某县政务公开工作考核办法》（某政办发〔2023〕12号），对“两微一"
            "端”开展季度检查，访问量达1,234,567次（ASCII：2023-12-31，v2.0）。");
    nb_lb_spec spec = body_spec(false);
    nb_lb_result r;
    nb_linebreak(t.c, t.n, &spec, &r);
    assert_true(r.nlines >= 2);
    assert_true(ends_with(line_text(&t, &r, 1), "办法》"));
    for (size_t li = 0; li < r.nlines; li++) {
        assert_true(measured_width(&t, &r, li) <= WIDTH + 0.01);
        assert_true(r.trim_right[r.lines[li].ink_end - 1] == 0);
    }
    nb_lb_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_lines_fill_the_measure),
        cmocka_unit_test(test_comma_never_starts_a_line_pushed_out),
        cmocka_unit_test(test_full_stop_pushed_in),
        cmocka_unit_test(test_full_stop_pulls_a_character_down),
        cmocka_unit_test(test_mark_at_the_line_end_keeps_its_box),
        cmocka_unit_test(test_number_is_not_split),
        cmocka_unit_test(test_number_keeps_its_unit),
        cmocka_unit_test(test_dashes_and_ellipses_stay_whole),
        cmocka_unit_test(test_phone_number_is_not_split),
        cmocka_unit_test(test_opening_bracket_never_ends_a_line),
        cmocka_unit_test(test_half_width_marks_follow_the_rules_too),
        cmocka_unit_test(test_adjacent_marks_are_set_closer),
        cmocka_unit_test(test_marks_separated_by_a_break_get_their_box_back),
        cmocka_unit_test(test_forced_break),
        cmocka_unit_test(test_mark_closed_up_then_broken_keeps_its_box),
        cmocka_unit_test(test_trailing_space_hangs),
        cmocka_unit_test(test_balanced_title),
        cmocka_unit_test(test_balanced_title_breaks_between_phrases),
        cmocka_unit_test(test_overlong_unit_never_overflows),
        cmocka_unit_test(test_widest_piece),
        cmocka_unit_test(test_random_text_invariants),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
