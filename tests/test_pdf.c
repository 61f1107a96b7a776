/* test_pdf.c — the PDF backend on a layout built by hand: exact text from
 * pdftotext, fonts embedded as subsets with Unicode maps and no warnings
 * (pdffonts: CFF fonts as CID Type 0C, TrueType as CID TrueType), a valid
 * file (qpdf --check), byte-identical rebuilds, each code's glyph in the
 * embedded subset the original glyph (CID-keyed CFF: codes are CIDs, which
 * differ from the subset's glyph ids), every component of every composite
 * glyph in the subset and nothing else, glyphs drawn by poppler,
 * characters above U+FFFF, bookmarks, page labels, metadata, the draft
 * watermark, size, and clear errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_ADVANCES_H
#include FT_CID_H

#include "fonts.h"
#include "layout.h"
#include "pdf.h"
#include "testutil.h"
#include "util.h"

static nb_fontset *fonts;

/* ---- building a layout by hand ---- */

static nb_page *new_page(nb_layout *l, int number)
{
    NB_GROW(l->pages, l->npages, l->cap_pages);
    nb_page *p = &l->pages[l->npages++];
    *p = (nb_page){.number = number};
    return p;
}

/* Set `text` in `role` from (x, y) as layout does: a run per stretch of
 * characters that the same face of the role's chain sets. */
static void add_text(nb_page *p, nb_font_role role, double size, double x, double y,
                     const char *text, bool bold, double char_space)
{
    size_t n = strlen(text);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = nb_utf8_decode(text + i, n - i, &cp);
        int face = nb_fonts_pick(fonts, role, cp);
        assert_true(face >= 0);
        size_t start = i;
        double start_x = x;
        while (i < n) {
            len = nb_utf8_decode(text + i, n - i, &cp);
            if (nb_fonts_pick(fonts, role, cp) != face)
                break;
            x += (nb_face_advance(fonts, face, cp) * size) + char_space;
            i += len;
        }
        NB_GROW(p->runs, p->nruns, p->cap_runs);
        p->runs[p->nruns++] = (nb_run){face, size, start_x, y, char_space, bold,
                                       nb_xstrndup(text + start, i - start), i - start};
    }
}

static void add_stroke(nb_page *p, double x0, double y0, double x1, double y1, double w)
{
    NB_GROW(p->strokes, p->nstrokes, p->cap_strokes);
    p->strokes[p->nstrokes++] = (nb_stroke){x0, y0, x1, y1, w};
}

static void add_heading(nb_layout *l, const char *title, int level, size_t page, double y)
{
    NB_GROW(l->outline, l->noutline, l->cap_outline);
    l->outline[l->noutline++] = (nb_outline_entry){title, level, page, y};
}

static void free_layout(nb_layout *l)
{
    for (size_t i = 0; i < l->npages; i++) {
        for (size_t j = 0; j < l->pages[i].nruns; j++)
            free((char *)l->pages[i].runs[j].text);
        free(l->pages[i].runs);
        free(l->pages[i].strokes);
    }
    free(l->pages);
    free(l->outline);
    *l = (nb_layout){0};
}

#define BODY "根据《条例》要求，2017年我县进一步加强了政府信息公开工作。"
#define RARE "桃源县㐁村𠀋组"

/* Three pages: title, headings in 黑体 and 楷体, body with justification
 * and bold, a table with rules, a rare and a supplementary-plane character,
 * page numbers that jump (a new page-label range). */
static void sample_layout(nb_layout *l)
{
    *l = (nb_layout){.width = 595.28, .height = 841.89};
    nb_page *p = new_page(l, 1);
    add_text(p, NB_ROLE_XIAOBIAOSONG, 22, 100, 740, "桃源县2017年政府信息公开工作年度报告", true, 0);
    add_text(p, NB_ROLE_HEI, 16, 79.4, 680, "一、桃源概述", false, 0);
    add_text(p, NB_ROLE_FANGSONG, 16, 79.4, 650, BODY, false, 0.35);
    add_text(p, NB_ROLE_FANGSONG, 16, 79.4, 620, "（一）主动公开情况", true, 0);
    for (int i = 0; i <= 2; i++)
        add_stroke(p, 79.4, 500 + 30 * i, 515.9, 500 + 30 * i, i == 1 ? 0.5 : 1);
    add_stroke(p, 79.4, 500, 79.4, 560, 1);
    add_stroke(p, 280, 500, 280, 560, 0.5);
    add_stroke(p, 515.9, 500, 515.9, 560, 1);
    add_text(p, NB_ROLE_SONG, 10.5, 90, 540, "收到申请数", false, 0);
    add_text(p, NB_ROLE_SONG, 10.5, 300, 540, "210", false, 0);
    add_text(p, NB_ROLE_SONG, 10.5, 90, 510, "办结申请数", false, 0);
    add_text(p, NB_ROLE_SONG, 10.5, 300, 510, "209", false, 0);
    add_text(p, NB_ROLE_SONG, 14, 270, 60, "— 1 —", false, 0);
    p = new_page(l, 2);
    add_text(p, NB_ROLE_KAI, 16, 79.4, 740, "（二）依申请公开情况", false, 0);
    add_text(p, NB_ROLE_FANGSONG, 16, 79.4, 710, RARE, false, 0);
    add_text(p, NB_ROLE_SONG, 14, 270, 60, "— 2 —", false, 0);
    p = new_page(l, 7);
    add_text(p, NB_ROLE_HEI, 16, 79.4, 740, "附件", false, 0);
    add_text(p, NB_ROLE_SONG, 14, 270, 60, "— 7 —", false, 0);
    add_heading(l, "桃源县2017年政府信息公开工作年度报告", 0, 0, 760);
    add_heading(l, "一、桃源概述", 1, 0, 696);
    add_heading(l, "（二）依申请公开情况 𠀋", 2, 1, 756);
    add_heading(l, "附件", 1, 2, 756);
}

/* The text a reader should extract: every run, top to bottom and left to
 * right, without white space (pdftotext's spacing is not the point). */
static char *expected_text(const nb_layout *l)
{
    nb_buf b = {0};
    for (size_t i = 0; i < l->npages; i++) {
        const nb_page *p = &l->pages[i];
        bool *done = nb_xcalloc(p->nruns + 1, 1);
        for (size_t k = 0; k < p->nruns; k++) {
            size_t best = p->nruns;
            for (size_t j = 0; j < p->nruns; j++) {
                const nb_run *r = &p->runs[j], *chosen = &p->runs[best];
                if (!done[j] && (best == p->nruns || r->y > chosen->y + 1 ||
                                 (r->y > chosen->y - 1 && r->x < chosen->x)))
                    best = j;
            }
            done[best] = true;
            for (size_t c = 0; c < p->runs[best].len; c++)
                if (p->runs[best].text[c] != ' ')
                    nb_buf_putc(&b, p->runs[best].text[c]);
        }
        free(done);
    }
    return nb_buf_detach(&b);
}

static char *without_space(const char *s)
{
    nb_buf b = {0};
    for (; *s; s++)
        if (*s != ' ' && *s != '\n' && *s != '\f' && *s != '\r')
            nb_buf_putc(&b, *s);
    return nb_buf_detach(&b);
}

static char *tmp_file(const char *name)
{
    char *dir = nb_test_tmpdir(name);
    char *path = nb_path_join(dir, "report.pdf");
    free(dir);
    return path;
}

static const nb_pdf_meta meta = {"桃源县2017年政府信息公开工作年度报告", "桃源县人民政府办公室",
                                 "政府信息公开工作年度报告", "政府信息公开,年度报告,桃源县,2017",
                                 "nianbao test", 1521417600 /* 2018-03-19 */};

static void write_pdf(const nb_layout *l, bool draft, const char *path)
{
    nb_diags d = {0};
    nb_pdf_options o = {.draft = draft};
    bool ok = nb_pdf_write(l, fonts, &meta, &o, path, NULL, &d);
    nb_diags_print(&d, stderr);
    assert_true(ok);
    assert_int_equal(d.count, 0);
    nb_diags_free(&d);
}

/* Output of a shell command (stdout and stderr). */
static char *run(int expected_status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    nb_buf cmd = {0};
    nb_buf_vprintf(&cmd, fmt, ap);
    va_end(ap);
    char *out = NULL;
    int status = nb_test_run(nb_buf_str(&cmd), &out);
    if (status != expected_status)
        fail_msg("%s: exit %d\n%s", nb_buf_str(&cmd), status, out);
    nb_buf_free(&cmd);
    return out;
}

static char *extracted_text(const char *pdf)
{
    char *warnings = run(0, "pdftotext -layout '%s' '%s.txt'", pdf, pdf);
    assert_string_equal(warnings, ""); /* poppler complains about nothing */
    free(warnings);
    char *txt_path = NULL;
    nb_buf p = {0};
    nb_buf_printf(&p, "%s.txt", pdf);
    txt_path = nb_buf_detach(&p);
    size_t len;
    char *text = nb_read_file(txt_path, &len);
    assert_non_null(text);
    free(txt_path);
    return text;
}

/* ---- tests ---- */

static void test_exact_text(void **state)
{
    (void)state;
    nb_layout l;
    sample_layout(&l);
    char *pdf = tmp_file("pdf_text");
    write_pdf(&l, false, pdf);
    char *text = extracted_text(pdf);
    char *got = without_space(text), *want = expected_text(&l);
    assert_string_equal(got, want);
    assert_non_null(strstr(text, RARE)); /* 𠀋 (U+2000B) is not turned into a space */
    free(got);
    free(want);
    free(text);
    free(pdf);
    free_layout(&l);
}

static void test_fonts_embedded_subset_unicode(void **state)
{
    (void)state;
    nb_layout l;
    sample_layout(&l);
    char *pdf = tmp_file("pdf_fonts");
    write_pdf(&l, false, pdf);
    char *warnings = run(0, "(pdffonts '%s' >/dev/null)", pdf);
    assert_string_equal(warnings, "");
    free(warnings);
    char *out = run(0, "pdffonts '%s' 2>/dev/null", pdf);
    /* CFF: Noto Serif CJK SC Bold and Regular, FandolFang, Noto Sans CJK SC;
     * TrueType: AR PL KaitiM GB */
    int cff = 0, truetype = 0;
    for (char *line = strstr(out, "\n---"); line && (line = strchr(line + 1, '\n')) && line[1];) {
        const char *row = line + 1;
        const char *cols = strstr(row, "Identity-H");
        assert_non_null(cols);
        char emb[4], sub[4], uni[4];
        assert_int_equal(sscanf(cols + strlen("Identity-H"), "%3s %3s %3s", emb, sub, uni), 3);
        assert_string_equal(emb, "yes");
        assert_string_equal(sub, "yes");
        assert_string_equal(uni, "yes");
        cff += strstr(row, "CID Type 0C ") != NULL;
        truetype += strstr(row, "CID TrueType ") != NULL;
        assert_true(row[6] == '+'); /* ABCDEF+Name */
    }
    assert_true(cff >= 4);
    assert_true(truetype >= 1);
    free(out);
    out = run(0, "qpdf --check '%s'", pdf);
    assert_non_null(strstr(out, "No syntax or stream encoding errors found"));
    free(out);
    free(pdf);
    free_layout(&l);
}

static bool same_file(const char *a, const char *b)
{
    size_t la, lb;
    char *da = nb_read_file(a, &la), *db = nb_read_file(b, &lb);
    bool same = da && db && la == lb && memcmp(da, db, la) == 0;
    free(da);
    free(db);
    return same;
}

static void test_reproducible(void **state)
{
    (void)state;
    nb_layout l;
    sample_layout(&l);
    char *a = tmp_file("pdf_repro_a"), *b = tmp_file("pdf_repro_b");
    write_pdf(&l, false, a);
    write_pdf(&l, false, b);
    assert_true(same_file(a, b));
    /* the /ID comes from the content, not from the clock */
    char *trailer = run(0, "qpdf --show-object=trailer '%s'", a);
    assert_non_null(strstr(trailer, "/ID [ <"));
    free(trailer);
    /* different content, different /ID */
    l.pages[0].runs[0].y += 1;
    write_pdf(&l, false, b);
    char *ta = run(0, "qpdf --show-object=trailer '%s'", a);
    char *tb = run(0, "qpdf --show-object=trailer '%s'", b);
    assert_string_not_equal(ta, tb);
    free(ta);
    free(tb);
    free(a);
    free(b);
    free_layout(&l);
}

/* ---- reading the fonts back out of the PDF ---- */

typedef struct qdf {
    char *text; /* the PDF rewritten by qpdf --qdf: uncompressed, one object after another */
    size_t len;
    char *path;
} qdf;

static qdf open_qdf(const char *pdf)
{
    qdf q = {0};
    nb_buf p = {0};
    nb_buf_printf(&p, "%s.qdf", pdf);
    q.path = nb_buf_detach(&p);
    free(run(0, "qpdf --qdf --object-streams=disable '%s' '%s'", pdf, q.path));
    q.text = nb_read_file(q.path, &q.len);
    assert_non_null(q.text);
    /* searched as text: the NUL bytes of binary streams must not end it */
    for (size_t i = 0; i < q.len; i++)
        if (q.text[i] == '\0')
            q.text[i] = '\1';
    return q;
}

/* The text of object `num` from "N 0 obj" up to its stream or "endobj". */
static char *object_text(const qdf *q, int num)
{
    char head[32];
    snprintf(head, sizeof head, "\n%d 0 obj\n", num);
    const char *s = strstr(q->text, head);
    if (!s)
        fail_msg("no object %d in %s", num, q->path);
    const char *end = strstr(s, "endobj");
    const char *stream = strstr(s, "\nstream\n");
    if (stream && stream < end)
        end = stream;
    return nb_xstrndup(s, (size_t)(end - s));
}

/* The object number referred to by `key` ("/FontFile2 12 0 R") in `obj`. */
static int reference(const char *obj, const char *key)
{
    const char *k = strstr(obj, key);
    assert_non_null(k);
    int num = 0;
    assert_int_equal(sscanf(k + strlen(key), " %d 0 R", &num), 1);
    return num;
}

static unsigned char *stream_data(const qdf *q, int num, size_t *len)
{
    nb_buf out = {0};
    nb_buf_printf(&out, "%s.%d", q->path, num);
    free(run(0, "qpdf --show-object=%d --filtered-stream-data '%s' > '%s'", num, q->path,
             nb_buf_str(&out)));
    unsigned char *data = (unsigned char *)nb_read_file(nb_buf_str(&out), len);
    assert_non_null(data);
    nb_buf_free(&out);
    return data;
}

/* code → character pairs of a ToUnicode CMap. */
typedef struct code_map {
    uint16_t code[4096];
    uint32_t cp[4096];
    size_t n;
} code_map;

static uint32_t utf16_value(const char *hex)
{
    unsigned hi = 0, lo = 0;
    if (strlen(hex) >= 8 && hex[8] == '>') {
        sscanf(hex, "%4x%4x", &hi, &lo);
        return 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
    }
    sscanf(hex, "%4x", &hi);
    return hi;
}

static void parse_tounicode(const char *cmap, code_map *m)
{
    m->n = 0;
    assert_null(strstr(cmap, "cidrange"));
    for (const char *s = strstr(cmap, "beginbfchar"); s; s = strstr(s + 1, "beginbfchar")) {
        const char *end = strstr(s, "endbfchar");
        for (const char *l = strchr(s, '\n') + 1; l < end; l = strchr(l, '\n') + 1) {
            unsigned code;
            assert_int_equal(sscanf(l, "<%4x>", &code), 1);
            m->code[m->n] = (uint16_t)code;
            m->cp[m->n++] = utf16_value(strchr(l + 1, '<') + 1);
        }
    }
    for (const char *s = strstr(cmap, "beginbfrange"); s; s = strstr(s + 1, "beginbfrange")) {
        const char *end = strstr(s, "endbfrange");
        for (const char *l = strchr(s, '\n') + 1; l < end; l = strchr(l, '\n') + 1) {
            unsigned lo, hi, dst;
            assert_int_equal(sscanf(l, "<%4x> <%4x> <%4x>", &lo, &hi, &dst), 3);
            for (unsigned c = lo; c <= hi; c++) {
                m->code[m->n] = (uint16_t)c;
                m->cp[m->n++] = dst + (c - lo);
            }
        }
    }
}

/* The face of the fontset whose PostScript name the PDF font carries. */
static int face_named(const char *base_font)
{
    for (size_t i = 0; i < fonts->nfaces; i++) {
        FT_Face f = (FT_Face)fonts->faces[i].ft_face;
        const char *ps = FT_Get_Postscript_Name(f);
        if (ps && strcmp(base_font + 7, ps) == 0)
            return (int)i;
    }
    fail_msg("no face is named %s", base_font);
    return -1;
}

static void load_outline(FT_Face f, unsigned gid, FT_Int32 flags)
{
    assert_int_equal(FT_Load_Glyph(f, gid, flags), 0);
}

/* The glyph drawn from the subset is the original glyph, point for point. */
static void assert_same_outline(FT_Face orig, unsigned ogid, FT_Face sub, unsigned sgid)
{
    const FT_Int32 flags = FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP;
    load_outline(orig, ogid, flags);
    FT_Outline a = orig->glyph->outline;
    FT_Vector *pa = nb_xmalloc(sizeof *pa * (a.n_points + 1));
    if (a.n_points > 0)
        memcpy(pa, a.points, sizeof *pa * a.n_points);
    load_outline(sub, sgid, flags);
    FT_Outline b = sub->glyph->outline;
    assert_int_equal(a.n_contours, b.n_contours);
    assert_int_equal(a.n_points, b.n_points);
    if (a.n_points > 0)
        assert_memory_equal(pa, b.points, sizeof *pa * a.n_points);
    free(pa);
    FT_Fixed adv_a, adv_b;
    FT_Get_Advance(orig, ogid, FT_LOAD_NO_SCALE, &adv_a);
    FT_Get_Advance(sub, sgid, FT_LOAD_NO_SCALE, &adv_b);
    assert_int_equal(adv_a, adv_b);
}

/* Every component of a composite glyph is a glyph of the subset that has
 * an outline of its own. Returns how many components it has. */
static int check_components(FT_Face sub, unsigned sgid)
{
    load_outline(sub, sgid, FT_LOAD_NO_SCALE | FT_LOAD_NO_RECURSE);
    if (sub->glyph->format != FT_GLYPH_FORMAT_COMPOSITE)
        return 0;
    int n = (int)sub->glyph->num_subglyphs;
    FT_Int indices[64];
    assert_true(n <= 64);
    for (int i = 0; i < n; i++) {
        FT_UInt flags;
        FT_Int a1, a2;
        FT_Matrix m;
        assert_int_equal(
            FT_Get_SubGlyph_Info(sub->glyph, (FT_UInt)i, &indices[i], &flags, &a1, &a2, &m), 0);
    }
    for (int i = 0; i < n; i++) {
        assert_true(indices[i] > 0 && indices[i] < sub->num_glyphs);
        load_outline(sub, (unsigned)indices[i], FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING);
        assert_true(sub->glyph->outline.n_points > 0);
    }
    return n;
}

/* The glyphs `gid` needs: itself and its components, however nested. */
static void glyph_closure(FT_Face f, unsigned gid, unsigned char *seen, int *count,
                          bool *big_component)
{
    if (seen[gid])
        return;
    seen[gid] = 1;
    (*count)++;
    load_outline(f, gid, FT_LOAD_NO_SCALE | FT_LOAD_NO_RECURSE);
    if (f->glyph->format != FT_GLYPH_FORMAT_COMPOSITE)
        return;
    int n = (int)f->glyph->num_subglyphs;
    FT_Int idx[64];
    for (int i = 0; i < n && i < 64; i++) {
        FT_UInt flags;
        FT_Int a1, a2;
        FT_Matrix m;
        FT_Get_SubGlyph_Info(f->glyph, (FT_UInt)i, &idx[i], &flags, &a1, &a2, &m);
        *big_component = *big_component || idx[i] >= 32768;
    }
    for (int i = 0; i < n && i < 64; i++)
        glyph_closure(f, (unsigned)idx[i], seen, count, big_component);
}

typedef struct font_check {
    int composites, components;
    bool big_component; /* a component id >= 32768, which libharu 2.3.0 lost */
    bool cff, cid_keyed;
    int cid_not_gid;    /* codes (CIDs) that differ from their glyph id in the subset */
} font_check;

/* For a CID-keyed CFF, each CID's glyph id in the subset (its charset),
 * -1 for a CID it lacks; also how many glyphs it has. FreeType loads the
 * glyphs of a bare CID-keyed CFF by CID. */
static int *glyphs_by_cid(FT_Face sub, int *nglyphs)
{
    int *gid = nb_xmalloc(sizeof *gid * 65536);
    for (size_t i = 0; i < 65536; i++)
        gid[i] = -1;
    FT_UInt cid;
    int g = 0;
    for (; g < sub->num_glyphs && FT_Get_CID_From_Glyph_Index(sub, (FT_UInt)g, &cid) == 0 &&
           (g == 0 || cid != 0);
         g++)
        gid[cid] = g;
    *nglyphs = g;
    return gid;
}

static font_check check_font(const qdf *q, int cid_font, FT_Library lib)
{
    font_check fc = {0};
    char *cid = object_text(q, cid_font);
    char base[128] = "";
    const char *bf = strstr(cid, "/BaseFont /");
    assert_non_null(bf);
    sscanf(bf + strlen("/BaseFont /"), "%127s", base);
    int face = face_named(base);
    FT_Face orig = (FT_Face)fonts->faces[face].ft_face;
    char *desc = object_text(q, reference(cid, "/FontDescriptor"));
    size_t prog_len, cmap_len;
    fc.cff = strstr(cid, "/Subtype /CIDFontType0\n") != NULL;
    unsigned char *prog = stream_data(q, reference(desc, fc.cff ? "/FontFile3" : "/FontFile2"),
                                      &prog_len);
    if (fc.cff) {
        char *file = object_text(q, reference(desc, "/FontFile3"));
        assert_non_null(strstr(file, "/Subtype /CIDFontType0C"));
        free(file);
    } else {
        assert_non_null(strstr(cid, "/CIDToGIDMap /Identity"));
    }
    /* the ToUnicode of the Type0 font with the same BaseFont */
    char needle[160];
    snprintf(needle, sizeof needle, "/BaseFont /%s\n", base);
    const char *type0 = NULL;
    for (const char *s = strstr(q->text, needle); s; s = strstr(s + 1, needle)) {
        const char *obj = s;
        while (obj > q->text && strncmp(obj, " 0 obj", 6) != 0)
            obj--;
        const char *end = strstr(s, "endobj");
        const char *tu = strstr(obj, "/ToUnicode");
        if (tu && tu < end)
            type0 = tu;
    }
    assert_non_null(type0);
    int tu_num;
    assert_int_equal(sscanf(type0, "/ToUnicode %d 0 R", &tu_num), 1);
    char *cmap = (char *)stream_data(q, tu_num, &cmap_len);
    code_map *m = nb_xcalloc(1, sizeof *m);
    parse_tounicode(cmap, m);
    assert_true(m->n > 0);

    FT_Face sub;
    assert_int_equal(FT_New_Memory_Face(lib, prog, (FT_Long)prog_len, 0, &sub), 0);
    FT_Bool cid_keyed = 0;
    fc.cid_keyed = fc.cff && FT_Get_CID_Is_Internally_CID_Keyed(sub, &cid_keyed) == 0 &&
                   cid_keyed;
    int nglyphs = (int)sub->num_glyphs;
    int *gid_of_cid = fc.cid_keyed ? glyphs_by_cid(sub, &nglyphs) : NULL;
    unsigned char *seen = nb_xcalloc((size_t)orig->num_glyphs, 1);
    int needed = 0;
    glyph_closure(orig, 0, seen, &needed, &fc.big_component);
    for (size_t i = 0; i < m->n; i++) {
        uint16_t code = m->code[i];
        unsigned sgid = code; /* a CID for a bare CID-keyed CFF, else a glyph id */
        if (gid_of_cid) {
            assert_true(gid_of_cid[code] > 0);
            fc.cid_not_gid += gid_of_cid[code] != code;
        }
        unsigned ogid = FT_Get_Char_Index(orig, m->cp[i]);
        assert_int_not_equal(ogid, 0);
        assert_int_not_equal(sgid, 0);
        assert_same_outline(orig, ogid, sub, sgid);
        int n = check_components(sub, sgid);
        fc.composites += n > 0;
        fc.components += n;
        glyph_closure(orig, ogid, seen, &needed, &fc.big_component);
    }
    /* lean: the subset holds the glyphs drawn, their components and .notdef
     * (HarfBuzz's closure may keep a stray glyph more: one in Noto Sans CJK's
     * subset of 8 characters) */
    if (nglyphs != needed)
        fprintf(stderr, "%s: %d glyphs in the subset, %d needed\n", base, nglyphs, needed);
    assert_true(nglyphs >= needed && nglyphs <= needed + needed / 8 + 1);
    free(gid_of_cid);
    FT_Done_Face(sub);
    free(seen);
    free(m);
    free(cmap);
    free(prog);
    free(desc);
    free(cid);
    return fc;
}

typedef struct fonts_checked {
    int truetype, cff, cid_keyed, cid_not_gid, composites;
    bool big_component;
} fonts_checked;

/* check_font on every descendant font of the PDF. */
static fonts_checked check_fonts(const char *pdf)
{
    qdf q = open_qdf(pdf);
    FT_Library lib;
    assert_int_equal(FT_Init_FreeType(&lib), 0);
    fonts_checked all = {0};
    for (const char *s = strstr(q.text, "/Subtype /CIDFontType"); s;
         s = strstr(s + 1, "/Subtype /CIDFontType")) {
        if (s[strlen("/Subtype /CIDFontType") + 1] != '\n') /* FontFile3's /CIDFontType0C */
            continue;
        const char *obj = s;
        while (obj > q.text && strncmp(obj, " 0 obj", 6) != 0)
            obj--;
        while (obj > q.text && obj[-1] != '\n')
            obj--;
        font_check fc = check_font(&q, atoi(obj), lib);
        all.truetype += !fc.cff;
        all.cff += fc.cff;
        all.cid_keyed += fc.cid_keyed;
        all.cid_not_gid += fc.cid_not_gid;
        all.composites += fc.composites;
        all.big_component = all.big_component || fc.big_component;
    }
    FT_Done_FreeType(lib);
    free(q.text);
    free(q.path);
    return all;
}

static void test_glyphs_complete_and_lean(void **state)
{
    (void)state;
    nb_layout l;
    sample_layout(&l);
    char *pdf = tmp_file("pdf_glyphs");
    write_pdf(&l, false, pdf);
    fonts_checked all = check_fonts(pdf);
    assert_true(all.cff >= 4);
    assert_true(all.truetype >= 1);
    /* FandolFang and Noto CJK are CID-keyed: their subsets keep the CIDs and
     * renumber the glyphs, and the codes drawn are the CIDs */
    assert_true(all.cid_keyed >= 4);
    assert_true(all.cid_not_gid > 20);
    free(pdf);
    free_layout(&l);
}

/* A font of composite glyphs whose parts lie beyond glyph 32767 (桃源概述 in
 * WenQuanYi Micro Hei, which libharu 2.3.0 drew without those parts): every
 * part is in the subset. */
static void test_composite_glyphs_complete(void **state)
{
    (void)state;
    char *dir = nb_test_tmpdir("pdf_composites");
    char *map = nb_path_join(dir, "fonts.yaml");
    FILE *f = fopen(map, "w");
    assert_non_null(f);
    fputs("xiaobiaosong: [AR PL SungtiL GB]\nfangsong: [AR PL SungtiL GB, LXGW WenKai]\n"
          "hei: [WenQuanYi Micro Hei]\nkai: [AR PL KaitiM GB]\nsong: [AR PL SungtiL GB]\n", f);
    fclose(f);
    nb_diags d = {0};
    nb_fontset *saved = fonts;
    fonts = nb_fonts_load(dir, &d);
    nb_diags_print(&d, stderr);
    assert_non_null(fonts);
    nb_layout l;
    sample_layout(&l);
    char *pdf = tmp_file("pdf_composites");
    write_pdf(&l, false, pdf);
    fonts_checked all = check_fonts(pdf);
    assert_int_equal(all.cff, 0);
    assert_true(all.truetype >= 4);
    assert_true(all.composites >= 4);
    assert_true(all.big_component);
    nb_fonts_free(fonts);
    fonts = saved;
    nb_diags_free(&d);
    free(pdf);
    free(map);
    free(dir);
    free_layout(&l);
}

/* Share of the pixels of a page, drawn by poppler in grey at `dpi`, whose
 * level is in [low, high]. */
static double pixel_share(const char *pdf, int page, int dpi, int low, int high)
{
    nb_buf ppm = {0};
    nb_buf_printf(&ppm, "%s-px%d-%d", pdf, page, dpi);
    free(run(0, "pdftoppm -r %d -gray -f %d -l %d -singlefile '%s' '%s'", dpi, page, page, pdf,
             nb_buf_str(&ppm)));
    nb_buf_puts(&ppm, ".pgm");
    size_t len;
    unsigned char *img = (unsigned char *)nb_read_file(nb_buf_str(&ppm), &len);
    assert_non_null(img);
    int w, h, max, header = 0;
    assert_int_equal(sscanf((char *)img, "P5 %d %d %d%n", &w, &h, &max, &header), 3);
    const unsigned char *px = img + header + 1;
    size_t in = 0;
    for (int i = 0; i < w * h; i++)
        in += px[i] >= low && px[i] <= high;
    free(img);
    nb_buf_free(&ppm);
    return (double)in / (w * h);
}

/* Share of a page's pixels that are dark, as poppler draws it. */
static double dark_share(const char *pdf, int page) { return pixel_share(pdf, page, 50, 0, 159); }

/* MuPDF and Ghostscript draw the pages too, saying nothing (MuPDF of
 * Debian 12 prints one line about its build lacking ICC support for any
 * PDF), and what they draw is as dark as what poppler draws. */
static void test_other_renderers(void **state)
{
    (void)state;
    nb_layout l;
    sample_layout(&l);
    char *pdf = tmp_file("pdf_renderers");
    write_pdf(&l, false, pdf);
    double poppler = dark_share(pdf, 1);
    const char *commands[] = {
        "mutool draw -q -r 50 -c gray -o '%s-mu.pgm' '%s' 1 2>&1 | "
        "grep -v '^warning: ICC support is not available$' || true",
        "gs -q -dSAFER -dNOPAUSE -dBATCH -sDEVICE=pgmraw -r50 -dFirstPage=1 -dLastPage=1 "
        "-sOutputFile='%s-gs.pgm' '%s' 2>&1",
    };
    const char *suffix[] = {"-mu.pgm", "-gs.pgm"};
    for (int i = 0; i < 2; i++) {
        char *out = run(0, commands[i], pdf, pdf);
        assert_string_equal(out, "");
        free(out);
        nb_buf img = {0};
        nb_buf_printf(&img, "%s%s", pdf, suffix[i]);
        size_t len;
        unsigned char *px = (unsigned char *)nb_read_file(nb_buf_str(&img), &len);
        assert_non_null(px);
        int w, h, max, header = 0, skip = 0;
        if (strncmp((char *)px, "P5\n#", 4) == 0) /* Ghostscript's comment line */
            skip = (int)((unsigned char *)strchr((char *)px + 3, '\n') - px) - 2;
        memcpy(px + skip, "P5", 2);
        assert_int_equal(sscanf((char *)px + skip, "P5 %d %d %d%n", &w, &h, &max, &header), 3);
        header += skip;
        size_t dark = 0;
        for (int k = 0; k < w * h; k++)
            dark += px[header + 1 + k] < 160;
        double share = (double)dark / (w * h);
        fprintf(stderr, "%s: %.4f dark (poppler %.4f)\n", suffix[i], share, poppler);
        assert_true(share > poppler * 0.6 && share < poppler * 1.6);
        free(px);
        nb_buf_free(&img);
    }
    free(pdf);
    free_layout(&l);
}

/* Lines of 仿宋 text, set in FandolFang (a CID-keyed CFF), are drawn: the
 * page is as dark as the same lines in a TrueType font (AR PL SungtiL GB),
 * not blank as when a viewer finds no glyph for the codes. */
static void test_cff_glyphs_drawn(void **state)
{
    (void)state;
    int fang = fonts->chain[NB_ROLE_FANGSONG][0];
    assert_true(fonts->faces[fang].cid_keyed);
    char *dir = nb_test_tmpdir("pdf_drawn_tt");
    char *map = nb_path_join(dir, "fonts.yaml");
    FILE *f = fopen(map, "w");
    assert_non_null(f);
    fputs("xiaobiaosong: [AR PL SungtiL GB]\nfangsong: [AR PL SungtiL GB]\n"
          "hei: [AR PL SungtiL GB]\nkai: [AR PL SungtiL GB]\nsong: [AR PL SungtiL GB]\n", f);
    fclose(f);
    double share[2];
    for (int pass = 0; pass < 2; pass++) {
        nb_diags d = {0};
        nb_fontset *saved = fonts;
        if (pass == 1)
            fonts = nb_fonts_load(dir, &d);
        assert_non_null(fonts);
        assert_int_equal(fonts->faces[fonts->chain[NB_ROLE_FANGSONG][0]].cff, pass == 0);
        nb_layout l = {.width = 595.28, .height = 841.89};
        nb_page *p = new_page(&l, 1);
        for (int line = 0; line < 20; line++)
            add_text(p, NB_ROLE_FANGSONG, 16, 79.4, 760 - 30 * line, BODY, false, 0);
        char *pdf = tmp_file(pass == 0 ? "pdf_drawn_cff" : "pdf_drawn_tt");
        write_pdf(&l, false, pdf);
        char *text = extracted_text(pdf);
        char *got = without_space(text), *want = expected_text(&l);
        assert_string_equal(got, want);
        share[pass] = dark_share(pdf, 1);
        free(got);
        free(want);
        free(text);
        free(pdf);
        free_layout(&l);
        if (pass == 1)
            nb_fonts_free(fonts);
        fonts = saved;
        nb_diags_free(&d);
    }
    fprintf(stderr, "dark pixels: %.4f FandolFang (CFF), %.4f AR PL SungtiL GB (TrueType)\n",
            share[0], share[1]);
    assert_true(share[1] > 0.005);
    assert_true(share[0] > share[1] * 0.4 && share[0] < share[1] * 2.5);
    free(map);
    free(dir);
}

static void test_document_structure(void **state)
{
    (void)state;
    nb_layout l;
    sample_layout(&l);
    char *pdf = tmp_file("pdf_structure");
    write_pdf(&l, false, pdf);
    char *json = run(0, "qpdf --json=2 --json-key=outlines --json-key=pagelabels '%s'", pdf);
    assert_non_null(strstr(json, "\"title\": \"桃源县2017年政府信息公开工作年度报告\""));
    assert_non_null(strstr(json, "\"title\": \"一、桃源概述\""));
    assert_non_null(strstr(json, "\"title\": \"（二）依申请公开情况 𠀋\""));
    assert_non_null(strstr(json, "\"destpageposfrom1\": 3"));
    assert_non_null(strstr(json, "\"index\": 2,\n      \"label\": {\n        \"/S\": \"/D\",\n"
                                 "        \"/St\": 7"));
    free(json);
    char *catalog = run(0, "qpdf --show-object=1 '%s'", pdf);
    assert_non_null(strstr(catalog, "/PageMode /UseOutlines"));
    free(catalog);
    char *info = run(0, "pdfinfo -isodates '%s'", pdf);
    assert_non_null(strstr(info, "Title:           桃源县2017年政府信息公开工作年度报告\n"));
    assert_non_null(strstr(info, "Author:          桃源县人民政府办公室\n"));
    assert_non_null(strstr(info, "Keywords:        政府信息公开,年度报告,桃源县,2017\n"));
    assert_non_null(strstr(info, "Creator:         nianbao test\n"));
    assert_non_null(strstr(info, "CreationDate:    2018-03-19T00:00:00Z\n"));
    assert_non_null(strstr(info, "ModDate:         2018-03-19T00:00:00Z\n"));
    assert_non_null(strstr(info, "Pages:           3\n"));
    assert_non_null(strstr(info, "Page size:       595.28 x 841.89 pts (A4)"));
    free(info);
    /* bold runs are filled and stroked; the rules are drawn */
    qdf q = open_qdf(pdf);
    assert_non_null(strstr(q.text, "2 Tr"));
    assert_non_null(strstr(q.text, "0.5 w"));
    free(q.text);
    free(q.path);
    free(pdf);
    free_layout(&l);
}

/* Share of the first page's pixels that are light grey (the watermark). */
static double grey_share(const char *pdf) { return pixel_share(pdf, 1, 20, 191, 239); }

static void test_draft_watermark(void **state)
{
    (void)state;
    nb_layout l;
    sample_layout(&l);
    char *plain = tmp_file("pdf_plain"), *draft = tmp_file("pdf_draft");
    write_pdf(&l, false, plain);
    write_pdf(&l, true, draft);
    char *text = extracted_text(draft);
    assert_null(strstr(text, "草"));
    assert_null(strstr(text, "稿"));
    char *got = without_space(text), *want = expected_text(&l);
    assert_string_equal(got, want);
    double with = grey_share(draft), without = grey_share(plain);
    fprintf(stderr, "light grey pixels: %.3f with the watermark, %.3f without\n", with, without);
    assert_true(with > without + 0.03);
    free(got);
    free(want);
    free(text);
    free(plain);
    free(draft);
    free_layout(&l);
}

/* The seed report's text, set in 仿宋 28 characters to a line and 22 lines
 * to a page as layout does, stays small. */
static void test_size_of_seed_report(void **state)
{
    (void)state;
    char *seed = nb_path_join(NB_TEST_DATA_DIR, "seed-taoyuan-2017.txt");
    size_t len;
    char *text = nb_read_file(seed, &len);
    assert_non_null(text);
    nb_layout l = {.width = 595.28, .height = 841.89};
    nb_page *p = NULL;
    int line = 22;
    for (size_t i = 0; i < len;) {
        if (line == 22) {
            p = new_page(&l, (int)l.npages + 1);
            line = 0;
        }
        size_t start = i, chars = 0;
        while (i < len && text[i] != '\n' && chars < 28) {
            uint32_t cp;
            i += nb_utf8_decode(text + i, len - i, &cp);
            chars++;
        }
        char *s = nb_xstrndup(text + start, i - start);
        if (*s)
            add_text(p, line == 0 ? NB_ROLE_HEI : NB_ROLE_FANGSONG, 16, 79.4,
                     841.89 - 120 - 28.9 * line, s, false, 0);
        free(s);
        i += i < len && text[i] == '\n';
        line++;
    }
    char *pdf = tmp_file("pdf_seed");
    write_pdf(&l, false, pdf);
    char *out = run(0, "stat -c %%s '%s'", pdf);
    long size = atol(out);
    fprintf(stderr, "seed report: %zu pages, %ld bytes\n", l.npages, size);
    /* FandolFang's CFF has no subroutines: its ~800 glyphs take ~330 KB */
    assert_true(size < 450 * 1024);
    free(out);
    char *extracted = extracted_text(pdf);
    char *got = without_space(extracted), *want = expected_text(&l);
    assert_string_equal(got, want);
    free(got);
    free(want);
    free(extracted);
    free(pdf);
    free(text);
    free(seed);
    free_layout(&l);
}

static void test_errors(void **state)
{
    (void)state;
    nb_layout l;
    sample_layout(&l);
    char *pdf = tmp_file("pdf_errors");
    write_pdf(&l, false, pdf);
    size_t good_len;
    char *good = nb_read_file(pdf, &good_len);
    /* a character the run's face does not have: an error, and the previous
     * file stays as it was */
    nb_page *p = &l.pages[1];
    int song = fonts->chain[NB_ROLE_SONG][0];
    NB_GROW(p->runs, p->nruns, p->cap_runs);
    p->runs[p->nruns++] = (nb_run){song, 16, 100, 300, 0, false, nb_xstrdup("村\U0010FFFD"),
                                   strlen("村\U0010FFFD")};
    nb_diags d = {0};
    nb_pdf_options o = {0};
    assert_false(nb_pdf_write(&l, fonts, &meta, &o, pdf, NULL, &d));
    assert_int_equal(d.errors, 1);
    char *msg = nb_diag_format(&d.items[0]);
    nb_buf want = {0};
    nb_buf_printf(&want, "%s: cannot write the PDF: the font %s (%s) has no glyph for "
                  "'\U0010FFFD' (U+10FFFD) on page 2", pdf, fonts->faces[song].family,
                  fonts->faces[song].path);
    assert_string_equal(msg, nb_buf_str(&want));
    free(msg);
    nb_buf_free(&want);
    nb_diags_free(&d);
    size_t now_len;
    char *now = nb_read_file(pdf, &now_len);
    assert_true(now_len == good_len && memcmp(now, good, good_len) == 0);
    free(now);
    free(good);
    /* a folder that cannot be made */
    assert_false(nb_pdf_write(&l, fonts, &meta, &o, "/proc/nianbao/report.pdf", NULL, &d));
    assert_true(d.errors >= 1);
    nb_diags_free(&d);
    free(pdf);
    free_layout(&l);
}

static int load_fonts(void **state)
{
    (void)state;
    nb_diags d = {0};
    char *dir = nb_test_source_path("fonts");
    fonts = nb_fonts_load(dir, &d);
    nb_diags_print(&d, stderr);
    nb_diags_free(&d);
    free(dir);
    return fonts ? 0 : -1;
}

static int free_fonts(void **state)
{
    (void)state;
    nb_fonts_free(fonts);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_text),
        cmocka_unit_test(test_fonts_embedded_subset_unicode),
        cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_glyphs_complete_and_lean),
        cmocka_unit_test(test_composite_glyphs_complete),
        cmocka_unit_test(test_cff_glyphs_drawn),
        cmocka_unit_test(test_other_renderers),
        cmocka_unit_test(test_document_structure),
        cmocka_unit_test(test_draft_watermark),
        cmocka_unit_test(test_size_of_seed_report),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, load_fonts, free_fonts);
}
