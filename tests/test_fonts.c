/* test_fonts.c — font roles from fonts.yaml: the default map resolves every
 * role to the free fonts (FandolFang from fonts/, Noto CJK, AR PL KaitiM), a
 * character outside GB2312 falls back to a face that has it, a dropped-in
 * file wins, a stand-in of another design is warned about, a font whose
 * licence forbids embedding is refused, bad entries get clear messages, and
 * the metrics layout uses are right. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fonts.h"
#include "testutil.h"
#include "util.h"

#define SONG_FILE "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"
#define NOTO_SERIF_BOLD "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"

static nb_fontset *load_default(nb_diags *d)
{
    char *dir = nb_test_source_path("fonts");
    nb_fontset *fs = nb_fonts_load(dir, d);
    free(dir);
    return fs;
}

static const nb_face *in_use(const nb_fontset *fs, nb_font_role r)
{
    assert_true(fs->nchain[r] > 0);
    return &fs->faces[fs->chain[r][0]];
}

/* Load a fonts.yaml written into a fresh folder. */
static nb_fontset *load_map(const char *test, const char *yaml, char **dir, nb_diags *d)
{
    *dir = nb_test_tmpdir(test);
    char *map = nb_path_join(*dir, "fonts.yaml");
    nb_test_write_text(map, yaml);
    free(map);
    return nb_fonts_load(*dir, d);
}

static void assert_has_message(const nb_diags *d, const char *expected)
{
    for (size_t i = 0; i < d->count; i++) {
        char *msg = nb_diag_format(&d->items[i]);
        bool found = strstr(msg, expected) != NULL;
        free(msg);
        if (found)
            return;
    }
    for (size_t i = 0; i < d->count; i++) {
        char *msg = nb_diag_format(&d->items[i]);
        fprintf(stderr, "  got: %s\n", msg);
        free(msg);
    }
    fail_msg("no message contains '%s'", expected);
}

static void test_default_roles(void **state)
{
    (void)state;
    nb_diags d = {0};
    nb_fontset *fs = load_default(&d);
    nb_diags_print(&d, stderr);
    assert_non_null(fs);
    assert_int_equal(d.count, 0); /* every role in a face of its own design: no warning */
    for (int r = 0; r < NB_ROLE_COUNT; r++) {
        assert_true(fs->nchain[r] >= 2); /* a primary face and at least one fallback */
        assert_null(fs->chain_design[r][0]);
        assert_string_equal(nb_fonts_role_design(fs, (nb_font_role)r),
                            nb_font_role_chinese((nb_font_role)r));
    }
    const nb_face *fang = in_use(fs, NB_ROLE_FANGSONG);
    assert_string_equal(fang->family, "FandolFang");
    assert_non_null(strstr(fang->path, "/fonts/FandolFang-Regular.otf"));
    assert_true(fang->cff && fang->cid_keyed);
    const nb_face *title = in_use(fs, NB_ROLE_XIAOBIAOSONG);
    assert_string_equal(title->family, "Noto Serif CJK SC");
    assert_string_equal(title->path, NOTO_SERIF_BOLD);
    assert_int_equal(title->index, 2); /* SC, in the collection */
    assert_true(title->has_bold && title->cff);
    assert_string_equal(in_use(fs, NB_ROLE_KAI)->family, "AR PL KaitiM GB");
    assert_false(in_use(fs, NB_ROLE_KAI)->cff);
    const nb_face *hei = in_use(fs, NB_ROLE_HEI);
    assert_string_equal(hei->family, "Noto Sans CJK SC");
    assert_non_null(strstr(hei->path, "NotoSansCJK-Regular.ttc"));
    /* one face object per file and index, shared by the roles that use it:
     * 宋体's face is the 宋体 stand-in of 仿宋 */
    assert_int_equal(fs->chain[NB_ROLE_FANGSONG][1], fs->chain[NB_ROLE_SONG][0]);
    assert_string_equal(fs->chain_design[NB_ROLE_FANGSONG][1], "宋体");
    assert_non_null(strstr(in_use(fs, NB_ROLE_SONG)->origin,
                           "fontconfig family \"Noto Serif CJK SC [宋体]\""));
    /* each role says which of its own lines brought the face in */
    const char *fangsong_origin = fs->chain_origin[NB_ROLE_FANGSONG][0];
    assert_non_null(strstr(fangsong_origin, "fonts.yaml:"));
    assert_non_null(strstr(fangsong_origin, "file FandolFang-Regular.otf in "));
    assert_non_null(strstr(fs->chain_origin[NB_ROLE_SONG][0],
                           "fontconfig family \"Noto Serif CJK SC\""));
    /* the office fonts are absent here, and say so */
    assert_true(fs->nskipped[NB_ROLE_FANGSONG] > 0);
    assert_string_equal(fs->skipped[NB_ROLE_FANGSONG][0].candidate, "仿宋_GB2312.ttf");
    assert_non_null(strstr(fs->skipped[NB_ROLE_FANGSONG][0].why, "no such file in"));
    nb_fonts_free(fs);
    nb_diags_free(&d);
}

static void test_fallback_for_rare_characters(void **state)
{
    (void)state;
    nb_diags d = {0};
    nb_fontset *fs = load_default(&d);
    assert_non_null(fs);
    int primary = fs->chain[NB_ROLE_FANGSONG][0];
    /* 中 is in the primary face */
    assert_int_equal(nb_fonts_pick(fs, NB_ROLE_FANGSONG, 0x4E2D), primary);
    /* 镕 堃 喆 玥 (names of people, outside GB2312, which FandolFang
     * covers) and 㐁 (CJK Extension A): the chain falls back to the nearest
     * design that has them, Noto Serif CJK SC (a 宋体) */
    const uint32_t rare[] = {0x9555, 0x5803, 0x5586, 0x73A5, 0x3401};
    for (size_t i = 0; i < sizeof rare / sizeof rare[0]; i++) {
        assert_int_equal(nb_face_glyph(fs, primary, rare[i]), 0);
        int face = nb_fonts_pick(fs, NB_ROLE_FANGSONG, rare[i]);
        assert_true(face >= 0);
        assert_int_not_equal(face, primary);
        assert_int_not_equal(nb_face_glyph(fs, face, rare[i]), 0);
        assert_string_equal(fs->faces[face].family, "Noto Serif CJK SC");
        assert_false(fs->faces[face].has_bold);
    }
    /* 𠀋 (Extension B, above U+FFFF): from the widest fallback that has it */
    int face = nb_fonts_pick(fs, NB_ROLE_FANGSONG, 0x2000B);
    assert_true(face >= 0 && face != primary);
    /* a code point no font has */
    assert_int_equal(nb_fonts_pick(fs, NB_ROLE_FANGSONG, 0x10FFFD), -1);
    nb_fonts_free(fs);
    nb_diags_free(&d);
}

static void test_metrics(void **state)
{
    (void)state;
    nb_diags d = {0};
    nb_fontset *fs = load_default(&d);
    assert_non_null(fs);
    nb_metrics m = nb_fonts_metrics(fs);
    double adv = -1;
    for (int r = 0; r < NB_ROLE_COUNT; r++) {
        adv = -1;
        int face = m.pick(m.ctx, (nb_font_role)r, 0x4E2D /* 中 */, &adv);
        assert_true(face >= 0);
        assert_true(adv == 1.0);
        adv = -1;
        m.pick(m.ctx, (nb_font_role)r, 0x3002 /* 。 */, &adv);
        assert_true(adv == 1.0);
    }
    m.pick(m.ctx, NB_ROLE_FANGSONG, '7', &adv);
    assert_true(adv == 0.5); /* Arphic digits are half width */
    assert_int_equal(m.pick(m.ctx, NB_ROLE_FANGSONG, 0x10FFFD, &adv), -1);
    nb_fonts_free(fs);
    nb_diags_free(&d);
}

static void test_dropped_in_file_wins(void **state)
{
    (void)state;
    char *dir = nb_test_tmpdir("fonts_dropin");
    char *copy = nb_path_join(dir, "仿宋_GB2312.ttf");
    nb_buf cmd = {0};
    nb_buf_printf(&cmd, "cp '%s' '%s'", SONG_FILE, copy);
    assert_int_equal(nb_test_run(nb_buf_str(&cmd), NULL), 0);
    nb_buf_free(&cmd);
    char *map = nb_path_join(dir, "fonts.yaml");
    nb_test_write_text(map, "xiaobiaosong: [AR PL SungtiL GB]\n"
                    "fangsong:\n  - 仿宋_GB2312.ttf\n  - AR PL KaitiM GB\n"
                    "hei: [{file: /usr/share/fonts/truetype/wqy/wqy-microhei.ttc, index: 1}]\n"
                    "kai: [/usr/share/fonts/truetype/wqy/wqy-microhei.ttc#0]\n"
                    "song: [AR PL SungtiL GB]\n");
    nb_diags d = {0};
    nb_fontset *fs = nb_fonts_load(dir, &d);
    nb_diags_print(&d, stderr);
    assert_non_null(fs);
    const nb_face *f = in_use(fs, NB_ROLE_FANGSONG);
    assert_non_null(strstr(f->path, "fonts_dropin/仿宋_GB2312.ttf"));
    assert_non_null(strstr(f->origin, "fonts.yaml:3:5: file 仿宋_GB2312.ttf in "));
    assert_int_equal(fs->nchain[NB_ROLE_FANGSONG], 2);
    assert_int_equal(in_use(fs, NB_ROLE_HEI)->index, 1);
    assert_string_equal(in_use(fs, NB_ROLE_HEI)->family, "WenQuanYi Micro Hei Mono");
    assert_int_equal(in_use(fs, NB_ROLE_KAI)->index, 0);
    assert_string_equal(in_use(fs, NB_ROLE_KAI)->family, "WenQuanYi Micro Hei");
    nb_fonts_free(fs);
    nb_diags_free(&d);
    free(map);
    free(copy);
    free(dir);
}

static void test_not_a_font_is_an_error(void **state)
{
    (void)state;
    char *dir = nb_test_tmpdir("fonts_notafont");
    char *bad = nb_path_join(dir, "bad.ttf");
    nb_test_write_text(bad, "this is a text file, not a font\n");
    char *map = nb_path_join(dir, "fonts.yaml");
    nb_test_write_text(map, "xiaobiaosong: [AR PL SungtiL GB]\nfangsong:\n  - AR PL SungtiL GB\n"
                    "  - bad.ttf\nhei: [AR PL SungtiL GB]\nkai: [AR PL SungtiL GB]\n"
                    "song: [AR PL SungtiL GB]\n");
    nb_diags d = {0};
    nb_fontset *fs = nb_fonts_load(dir, &d);
    assert_null(fs);
    assert_int_equal(d.errors, 1);
    nb_buf expected = {0};
    nb_buf_printf(&expected, "%s:4:5: %s cannot be used as a font for 仿宋 (fangsong): it is not "
                  "a font", map, bad);
    assert_has_message(&d, nb_buf_str(&expected));
    nb_buf_free(&expected);
    nb_diags_free(&d);
    free(map);
    free(bad);
    free(dir);
}

static void test_bad_maps(void **state)
{
    (void)state;
    static const struct {
        const char *yaml, *message;
    } cases[] = {
        {"xiaobiaosong: [AR PL SungtiL GB]\nfangsong: [AR PL SungtiL GB]\nhei: [AR PL SungtiL GB]\n"
         "kai: [AR PL SungtiL GB]\nsong: [AR PL SungtiL GB]\nfangsng: [x.ttf]\n",
         "fonts.yaml:6:1: unknown font role 'fangsng'"},
        {"xiaobiaosong: [AR PL SungtiL GB]\nfangsong: [AR PL SungtiL GB]\nhei: [AR PL SungtiL GB]\n"
         "kai: [AR PL SungtiL GB]\n",
         "fonts.yaml: no list of fonts for role 'song' (宋体)"},
        {"xiaobiaosong: [AR PL SungtiL GB]\nfangsong: [AR PL SungtiL GB]\nhei: [AR PL SungtiL GB]\n"
         "kai: [AR PL SungtiL GB]\nsong: [AR PL, Sungti, nothere.ttf]\n",
         "fonts.yaml:5:1: no font for 宋体 (song): none of its 3 candidates is available"},
        {"xiaobiaosong: [AR PL SungtiL GB]\nfangsong: AR PL SungtiL GB\nhei: [AR PL SungtiL GB]\n"
         "kai: [AR PL SungtiL GB]\nsong: [AR PL SungtiL GB]\n",
         "fonts.yaml:2:11: 'fangsong' should be a list of font candidates"},
        {"xiaobiaosong: [AR PL SungtiL GB]\nfangsong: [AR PL SungtiL GB]\n"
         "hei: [/usr/share/fonts/truetype/wqy/wqy-microhei.ttc#5]\n"
         "kai: [AR PL SungtiL GB]\nsong: [AR PL SungtiL GB]\n",
         "fonts.yaml:3:7: /usr/share/fonts/truetype/wqy/wqy-microhei.ttc cannot be used as a "
         "font for 黑体 (hei): it holds 2 faces; there is no face 5 (the first is 0)"},
        {"xiaobiaosong: [AR PL SungtiL GB]\nfangsong: [{family: AR PL SungtiL GB, design: 宋}]\n"
         "hei: [AR PL SungtiL GB]\nkai: [AR PL SungtiL GB]\nsong: [AR PL SungtiL GB]\n",
         "fonts.yaml:2:47: 'design' should be one of 小标宋, 仿宋, 黑体, 楷体, 宋体"},
        {"xiaobiaosong: [AR PL SungtiL GB]\nfangsong: [AR PL SungtiL GB]\n"
         "hei: [{file: a.ttc, family: B}]\nkai: [AR PL SungtiL GB]\nsong: [AR PL SungtiL GB]\n",
         "fonts.yaml:3:7: a font candidate needs exactly one of 'file' or 'family'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *dir;
        nb_diags d = {0};
        nb_fontset *fs = load_map("fonts_badmap", cases[i].yaml, &dir, &d);
        assert_null(fs);
        assert_true(d.errors >= 1);
        assert_has_message(&d, cases[i].message);
        nb_diags_free(&d);
        free(dir);
    }
}

/* A family is matched exactly: a prefix of a real family name finds nothing. */
static void test_family_match_is_exact(void **state)
{
    (void)state;
    char *dir;
    nb_diags d = {0};
    nb_fontset *fs = load_map("fonts_exact",
                              "xiaobiaosong: [AR PL SungtiL GB]\nfangsong: [AR PL, ar pl sungtil gb]\n"
                              "hei: [AR PL SungtiL GB]\nkai: [AR PL SungtiL GB]\n"
                              "song: [AR PL SungtiL GB]\n", &dir, &d);
    assert_non_null(fs);
    assert_int_equal(fs->nchain[NB_ROLE_FANGSONG], 1);
    assert_int_equal(fs->nskipped[NB_ROLE_FANGSONG], 1);
    assert_string_equal(fs->skipped[NB_ROLE_FANGSONG][0].candidate, "AR PL");
    assert_string_equal(fs->skipped[NB_ROLE_FANGSONG][0].why, "not installed");
    nb_fonts_free(fs);
    nb_diags_free(&d);
    free(dir);
}

typedef struct path_count {
    int moves, lines, curves;
    double max_x, max_y;
} path_count;

static void count_move(void *ctx, double x, double y)
{
    path_count *c = ctx;
    c->moves++;
    c->max_x = x > c->max_x ? x : c->max_x;
    c->max_y = y > c->max_y ? y : c->max_y;
}

static void count_line(void *ctx, double x, double y)
{
    path_count *c = ctx;
    c->lines++;
    c->max_x = x > c->max_x ? x : c->max_x;
    c->max_y = y > c->max_y ? y : c->max_y;
}

static void count_curve(void *ctx, double x1, double y1, double x2, double y2, double x, double y)
{
    (void)x1, (void)y1, (void)x2, (void)y2;
    path_count *c = ctx;
    c->curves++;
    c->max_x = x > c->max_x ? x : c->max_x;
    c->max_y = y > c->max_y ? y : c->max_y;
}

static void test_outline(void **state)
{
    (void)state;
    nb_diags d = {0};
    nb_fontset *fs = load_default(&d);
    assert_non_null(fs);
    int face = nb_fonts_pick(fs, NB_ROLE_HEI, 0x8349 /* 草 */);
    path_count c = {0};
    nb_path_sink sink = {&c, count_move, count_line, count_curve};
    assert_true(nb_face_outline(fs, face, 0x8349, &sink));
    assert_true(c.moves >= 3);
    assert_true(c.lines + c.curves > 20);
    assert_true(c.max_x > 0.5 && c.max_x < 1.1); /* in ems */
    assert_true(c.max_y > 0.5 && c.max_y < 1.1);
    assert_false(nb_face_outline(fs, face, 0x10FFFD, &sink));
    assert_true(fs->faces[face].cff); /* Noto Sans CJK SC: CFF outlines */
    nb_fonts_free(fs);
    nb_diags_free(&d);
}

/* A copy of a TrueType font with its OS/2 fsType set to `fs_type`. */
static void copy_with_fs_type(const char *from, const char *to, unsigned fs_type)
{
    size_t len;
    unsigned char *font = (unsigned char *)nb_read_file(from, &len);
    assert_non_null(font);
    unsigned ntables = (unsigned)font[4] << 8 | font[5];
    bool patched = false;
    for (unsigned i = 0; i < ntables; i++) {
        const unsigned char *rec = font + 12 + 16 * i;
        if (memcmp(rec, "OS/2", 4) != 0)
            continue;
        size_t off = (size_t)rec[8] << 24 | (size_t)rec[9] << 16 | (size_t)rec[10] << 8 | rec[11];
        font[off + 8] = (unsigned char)(fs_type >> 8);
        font[off + 9] = (unsigned char)fs_type;
        patched = true;
    }
    assert_true(patched);
    nb_test_write(to, font, len);
    free(font);
}

/* A font whose licence forbids embedding (OS/2 fsType: restricted), or
 * subsetting, or allows bitmaps only, is refused, naming the file and the
 * role; restricted together with editable (the least restrictive counts)
 * is used. */
static void test_embedding_rights(void **state)
{
    (void)state;
    static const struct {
        unsigned fs_type;
        const char *why; /* NULL: usable */
    } cases[] = {
        {0x0002, "it may not be embedded: its licence is \"restricted\" (OS/2 fsType 0x0002)"},
        {0x0100, "it may not be subset (OS/2 fsType 0x0100)"},
        {0x0200, "it may only be embedded as bitmaps (OS/2 fsType 0x0200)"},
        {0x000A, NULL},
        {0x0004, NULL},
    };
    char *dir = nb_test_tmpdir("fonts_rights");
    char *font = nb_path_join(dir, "licensed.ttf");
    char *map = nb_path_join(dir, "fonts.yaml");
    nb_test_write_text(map, "xiaobiaosong: [AR PL SungtiL GB]\nfangsong: [licensed.ttf]\n"
                    "hei: [AR PL SungtiL GB]\nkai: [AR PL SungtiL GB]\nsong: [AR PL SungtiL GB]\n");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        copy_with_fs_type("/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf", font,
                          cases[i].fs_type);
        nb_diags d = {0};
        nb_fontset *fs = nb_fonts_load(dir, &d);
        if (cases[i].why) {
            assert_null(fs);
            nb_buf expected = {0};
            nb_buf_printf(&expected, "%s:2:12: %s cannot be used as a font for 仿宋 (fangsong): %s",
                          map, font, cases[i].why);
            assert_has_message(&d, nb_buf_str(&expected));
            nb_buf_free(&expected);
        } else {
            assert_non_null(fs);
            assert_string_equal(in_use(fs, NB_ROLE_FANGSONG)->family, "AR PL KaitiM GB");
            nb_fonts_free(fs);
        }
        nb_diags_free(&d);
    }
    free(map);
    free(font);
    free(dir);
}

/* Without FandolFang (a fonts folder holding only fonts.yaml), 仿宋 is set
 * in its 宋体 stand-in, and one warning says so, how to mend it; `nianbao
 * build` prints it. */
static void test_stand_in_warning(void **state)
{
    (void)state;
    char *dir = nb_test_tmpdir("fonts_standin");
    char *fonts_dir = nb_path_join(dir, "fonts");
    nb_buf cmd = {0};
    nb_buf_printf(&cmd, "mkdir -p '%s' && cp '%s/fonts/fonts.yaml' '%s/' && "
                  "ln -sfn '%s/templates' '%s/templates'",
                  fonts_dir, NB_SOURCE_DIR, fonts_dir, NB_SOURCE_DIR, dir);
    assert_int_equal(nb_test_run(nb_buf_str(&cmd), NULL), 0);
    nb_diags d = {0};
    nb_fontset *fs = nb_fonts_load(fonts_dir, &d);
    assert_non_null(fs);
    assert_int_equal(d.errors, 0);
    assert_int_equal(d.count, 1); /* the one warning */
    assert_string_equal(fs->chain_design[NB_ROLE_FANGSONG][0], "宋体");
    assert_string_equal(nb_fonts_role_design(fs, NB_ROLE_FANGSONG), "宋体");
    assert_has_message(&d, "warning: 仿宋 (fangsong) is set in Noto Serif CJK SC "
                           "(/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc), a 宋体: "
                           "no 仿宋 font is available; to set it as the standard asks, put "
                           "FandolFang-Regular.otf");
    nb_fonts_free(fs);
    nb_diags_free(&d);
    /* the program says it too, once, and still builds */
    cmd.len = 0;
    nb_buf_printf(&cmd, "NIANBAO_HOME='%s' " NB_BINARY " build '%s/samples/taoyuan-2017.yaml' "
                  "-o '%s/out'", dir, NB_SOURCE_DIR, dir);
    char *out = NULL;
    assert_int_equal(nb_test_run(nb_buf_str(&cmd), &out), 0);
    const char *w = strstr(out, "warning: 仿宋 (fangsong) is set in Noto Serif CJK SC");
    assert_non_null(w);
    assert_null(strstr(w + 1, "warning: 仿宋 (fangsong)"));
    free(out);
    nb_buf_free(&cmd);
    free(fonts_dir);
    free(dir);
}

/* A subset asked for again with the same glyphs (the next build of a batch
 * or of --watch) is the one kept with the face, not made again; other
 * glyphs make a new one. FandolFang is CID-keyed: its CIDs are not the
 * subset's glyph ids. */
static void test_subset_kept(void **state)
{
    (void)state;
    nb_diags d = {0};
    nb_fontset *fs = load_default(&d);
    assert_non_null(fs);
    int face = fs->chain[NB_ROLE_FANGSONG][0];
    uint32_t cps[] = {0x4E2D, 0x534E, 0x4EBA, 0x6C11}; /* 中华人民 */
    unsigned gids[4];
    for (size_t i = 0; i < 4; i++)
        gids[i] = nb_face_glyph(fs, face, cps[i]);
    const nb_font_program *a = NULL, *b = NULL;
    char *error = NULL;
    assert_true(nb_face_subset(fs, face, cps, gids, 4, &a, &error));
    assert_true(a->cff && a->cid_keyed);
    assert_string_equal(a->registry, "Adobe");
    assert_string_equal(a->ordering, "GB1");
    const unsigned char *data = a->data;
    unsigned first_cid = a->cid[0];
    assert_true(first_cid > 4); /* a CID of Adobe-GB1, far above the subset's 5 glyphs */
    assert_true(nb_face_subset(fs, face, cps, gids, 4, &b, &error));
    assert_ptr_equal(b->data, data); /* the same program, not made again */
    assert_true(nb_face_subset(fs, face, cps, gids, 3, &b, &error));
    assert_int_equal(b->nglyphs, 3);
    assert_int_equal(b->cid[0], first_cid); /* CIDs do not depend on the subset */
    nb_fonts_free(fs);
    nb_diags_free(&d);
}

static void test_cli(void **state)
{
    (void)state;
    char *out = NULL;
    int rc = nb_test_run(NB_BINARY " fonts --text '中㐁'", &out);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "仿宋 (fangsong)\n  in use    FandolFang [仿宋, CFF]  "));
    assert_non_null(strstr(out, "  fallback  Noto Serif CJK SC [宋体, CFF]  "));
    assert_non_null(strstr(out, "  in use    AR PL KaitiM GB [楷体, TrueType]  "));
    assert_non_null(strstr(out, "  skipped   仿宋_GB2312.ttf: no such file in "));
    assert_non_null(strstr(out, "  fangsong: 中=FandolFang 㐁=Noto Serif CJK SC\n"));
    free(out);
    rc = nb_test_run(NB_BINARY " fonts --fonts-dir /nonexistent", &out);
    assert_int_equal(rc, 2);
    assert_non_null(strstr(out, "/nonexistent/fonts.yaml"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_roles),
        cmocka_unit_test(test_fallback_for_rare_characters),
        cmocka_unit_test(test_metrics),
        cmocka_unit_test(test_dropped_in_file_wins),
        cmocka_unit_test(test_not_a_font_is_an_error),
        cmocka_unit_test(test_bad_maps),
        cmocka_unit_test(test_family_match_is_exact),
        cmocka_unit_test(test_outline),
        cmocka_unit_test(test_embedding_rights),
        cmocka_unit_test(test_stand_in_warning),
        cmocka_unit_test(test_subset_kept),
        cmocka_unit_test(test_cli),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
