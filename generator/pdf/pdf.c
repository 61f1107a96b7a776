/* pdf.c — see pdf.h.
 *
 * libharu builds the document: pages, content streams, outlines, page
 * labels, the file. The fonts (Type0 / Identity-H, the subset font program
 * of ttsubset.h) and the compression of every stream are made here, through
 * pdf_harufix.c, which also corrects what libharu 2.3.0 writes wrong or
 * wastefully; libharu never reads a font file.
 *
 * Codes: each character is written as a 2-byte code. A character of the
 * Basic Multilingual Plane is its own code (CID = Unicode, as libharu would);
 * a character above U+FFFF gets a code from the surrogate range D800–DFFF,
 * which no character occupies, per face in order of first use. The
 * ToUnicode CMap maps every code back, so text extracts exactly.
 */
#define _POSIX_C_SOURCE 200809L
#include "pdf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hpdf.h>

#include "outfile.h"
#include "pdf_harufix.h"
#include "ttsubset.h"
#include "util.h"

enum { FIRST_ASTRAL_CODE = 0xD800, MAX_ASTRAL_CODES = 0x800 };

/* Hinting instructions are dropped from the embedded fonts: PDF viewers
 * mostly rasterise embedded TrueType unhinted, printers work at 600 dpi, and
 * the instructions are 18% of AR PL SungtiL GB's glyph data (the sample
 * report: 233 KB with them, 201 KB without). FreeType's "tricky" fonts keep
 * them: their glyphs are assembled by their instructions. */
static const bool strip_hinting = true;

/* libdeflate's compression levels (1 fastest … 12 smallest). The font
 * programs are most of a document and of the time spent compressing it:
 * at level 1 the sample report's take 2 ms, at 6 twice as long for 5% less.
 * Page contents are small text, where level 6 costs little. */
static const int font_level = 1;
static const int content_level = 6;

/* Synthetic bold: the outline is stroked as well as filled, this much of
 * the font size wide (half of it falls outside the glyph). */
static const double bold_stroke_em = 0.025;

/* The draft watermark: its text, its grey (0 black, 1 white), and the size
 * of its characters as a share of the page width. */
static const char watermark_text[] = "草稿";
static const double watermark_gray = 0.85;
static const double watermark_size = 0.25;

/* What one face has drawn, and the libharu font that draws it. */
typedef struct face_use {
    HPDF_Font font;
    unsigned char used[0x10000 / 8]; /* BMP code points drawn */
    uint32_t *astral;                /* characters above U+FFFF, by code - D800 */
    size_t nastral, cap_astral;
} face_use;

/* The text state of the page being drawn, to emit only what changes. */
typedef struct text_state {
    HPDF_Font font;
    double size, char_space, line_width;
    bool bold;
} text_state;

typedef struct writer {
    HPDF_Doc pdf;
    const nb_layout *l;
    const nb_fontset *fs;
    nb_diags *d;
    const char *path;
    face_use *faces;
    HPDF_Page *pages;
    HPDF_STATUS haru_error, haru_detail; /* the first error libharu reported */
    nb_buf seed;                         /* what the document's /ID is made from */
    text_state ts;
} writer;

/* ---- errors ---- */

static void on_haru_error(HPDF_STATUS error, HPDF_STATUS detail, void *user)
{
    writer *w = user;
    if (!w->haru_error) {
        w->haru_error = error;
        w->haru_detail = detail;
    }
}

static const char *haru_error_meaning(HPDF_STATUS e)
{
    switch (e) {
    case HPDF_FAILD_TO_ALLOC_MEM:
        return "out of memory";
    case HPDF_FILE_IO_ERROR:
    case HPDF_FILE_OPEN_ERROR:
        return "a file could not be read or written";
    case HPDF_TTF_CANNOT_EMBEDDING_FONT:
        return "the font's licence (OS/2 fsType) forbids embedding it";
    case HPDF_TTF_INVALID_CMAP:
    case HPDF_TTF_INVALID_FOMAT:
        return "libharu cannot read this TrueType font (it needs a Windows Unicode "
               "format 4 cmap)";
    case HPDF_TTF_MISSING_TABLE:
        return "the font lacks a table libharu needs (CFF-outline fonts have no loca)";
    case HPDF_INVALID_TTC_FILE:
    case HPDF_INVALID_TTC_INDEX:
        return "not a valid face of a TrueType collection";
    default:
        return "see libharu's hpdf_error.h";
    }
}

static bool haru_failed(writer *w, const char *what)
{
    nb_error(w->d, (nb_pos){w->path, 0, 0}, "cannot write the PDF: libharu failed %s "
             "(error 0x%04X: %s)", what, (unsigned)w->haru_error,
             haru_error_meaning(w->haru_error));
    return false;
}

/* ---- fonts ---- */

/* The PDF font of `face`, made on first use so that unused fallbacks are
 * not embedded. */
static HPDF_Font face_font(writer *w, int face)
{
    face_use *u = &w->faces[face];
    if (!u->font && !(u->font = nb_haru_new_font(w->pdf)))
        haru_failed(w, "to add a font");
    return u->font;
}

static bool astral_code(writer *w, face_use *u, uint32_t cp, uint16_t *code)
{
    for (size_t i = 0; i < u->nastral; i++) {
        if (u->astral[i] == cp) {
            *code = (uint16_t)(FIRST_ASTRAL_CODE + i);
            return true;
        }
    }
    if (u->nastral == MAX_ASTRAL_CODES) {
        nb_error(w->d, (nb_pos){w->path, 0, 0}, "cannot write the PDF: more than %d "
                 "different characters above U+FFFF in one font", MAX_ASTRAL_CODES);
        return false;
    }
    NB_GROW(u->astral, u->nastral, u->cap_astral);
    u->astral[u->nastral] = cp;
    *code = (uint16_t)(FIRST_ASTRAL_CODE + u->nastral++);
    return true;
}

/* The codes of a run's text, marking each character as drawn by its face. */
static bool encode_run(writer *w, const nb_run *r, size_t page, uint16_t *codes, size_t *n)
{
    face_use *u = &w->faces[r->face];
    const nb_face *f = &w->fs->faces[r->face];
    *n = 0;
    for (size_t i = 0; i < r->len;) {
        uint32_t cp;
        size_t len = nb_utf8_decode(r->text + i, r->len - i, &cp);
        if (len == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
            nb_error(w->d, (nb_pos){w->path, 0, 0}, "cannot write the PDF: page %zu has text "
                     "that is not valid UTF-8: \"%.*s\"", page + 1, (int)r->len, r->text);
            return false;
        }
        if (nb_face_glyph(w->fs, r->face, cp) == 0) {
            nb_error(w->d, (nb_pos){w->path, 0, 0}, "cannot write the PDF: the font %s (%s) "
                     "has no glyph for '%.*s' (U+%04X) on page %zu", f->family, f->path,
                     (int)len, r->text + i, (unsigned)cp, page + 1);
            return false;
        }
        uint16_t code = (uint16_t)cp;
        if (cp > 0xFFFF && !astral_code(w, u, cp, &code))
            return false;
        if (cp <= 0xFFFF)
            u->used[cp >> 3] |= (unsigned char)(1u << (cp & 7));
        codes[(*n)++] = code;
        i += len;
    }
    return true;
}

/* ---- drawing a page ---- */

static bool set_text_state(writer *w, HPDF_Page page, const nb_run *r, HPDF_Font font)
{
    text_state *ts = &w->ts;
    HPDF_STATUS ret = HPDF_OK;
    if (font != ts->font || r->size != ts->size)
        ret += HPDF_Page_SetFontAndSize(page, font, (HPDF_REAL)r->size);
    if (r->char_space != ts->char_space)
        ret += HPDF_Page_SetCharSpace(page, (HPDF_REAL)r->char_space);
    if (r->bold != ts->bold)
        ret += HPDF_Page_SetTextRenderingMode(page, r->bold ? HPDF_FILL_THEN_STROKE : HPDF_FILL);
    double line_width = r->size * bold_stroke_em;
    if (r->bold && line_width != ts->line_width) {
        ret += HPDF_Page_SetLineWidth(page, (HPDF_REAL)line_width);
        ts->line_width = line_width;
    }
    ts->font = font;
    ts->size = r->size;
    ts->char_space = r->char_space;
    ts->bold = r->bold;
    return ret == HPDF_OK;
}

static bool draw_run(writer *w, HPDF_Page page, const nb_run *r, size_t pageno, uint16_t *codes)
{
    if (r->face < 0 || (size_t)r->face >= w->fs->nfaces) {
        nb_error(w->d, (nb_pos){w->path, 0, 0}, "cannot write the PDF: a run on page %zu "
                 "names font %d; there are %zu", pageno + 1, r->face, w->fs->nfaces);
        return false;
    }
    HPDF_Font font = face_font(w, r->face);
    size_t n;
    if (!font || !encode_run(w, r, pageno, codes, &n))
        return false;
    if (!set_text_state(w, page, r, font) ||
        HPDF_Page_SetTextMatrix(page, 1, 0, 0, 1, (HPDF_REAL)r->x, (HPDF_REAL)r->y) != HPDF_OK ||
        !nb_haru_show_codes(page, codes, n))
        return haru_failed(w, "to draw text");
    return true;
}

static bool draw_runs(writer *w, HPDF_Page page, const nb_page *p, size_t pageno)
{
    if (p->nruns == 0)
        return true;
    if (HPDF_Page_BeginText(page) != HPDF_OK)
        return haru_failed(w, "to begin text");
    /* a new text object starts with no font, and PDF's defaults for char
     * spacing and render mode; the line width is whatever the rules left */
    w->ts = (text_state){.line_width = -1};
    size_t longest = 0;
    for (size_t i = 0; i < p->nruns; i++)
        longest = p->runs[i].len > longest ? p->runs[i].len : longest;
    uint16_t *codes = nb_xmalloc(sizeof *codes * (longest + 1));
    bool ok = true;
    for (size_t i = 0; ok && i < p->nruns; i++)
        if (p->runs[i].len > 0)
            ok = draw_run(w, page, &p->runs[i], pageno, codes);
    free(codes);
    if (ok && HPDF_Page_EndText(page) != HPDF_OK)
        return haru_failed(w, "to end text");
    return ok;
}

/* Table rules, grouped by width into one path each. Projecting caps close
 * the corners where rules meet. */
static bool draw_strokes(writer *w, HPDF_Page page, const nb_page *p)
{
    if (p->nstrokes == 0)
        return true;
    HPDF_STATUS ret = HPDF_Page_SetLineCap(page, HPDF_PROJECTING_SCUARE_END);
    for (size_t i = 0; i < p->nstrokes && ret == HPDF_OK;) {
        double width = p->strokes[i].width;
        ret += HPDF_Page_SetLineWidth(page, (HPDF_REAL)width);
        for (; i < p->nstrokes && p->strokes[i].width == width; i++) {
            const nb_stroke *s = &p->strokes[i];
            ret += HPDF_Page_MoveTo(page, (HPDF_REAL)s->x0, (HPDF_REAL)s->y0);
            ret += HPDF_Page_LineTo(page, (HPDF_REAL)s->x1, (HPDF_REAL)s->y1);
        }
        ret += HPDF_Page_Stroke(page);
    }
    ret += HPDF_Page_SetLineCap(page, HPDF_BUTT_END);
    return ret == HPDF_OK || haru_failed(w, "to draw table rules");
}

/* Glyph outlines as a filled path: the watermark is drawing, not text, so
 * text extraction never returns it. */
typedef struct pen {
    HPDF_Page page;
    double x, y, size;
    HPDF_STATUS ret;
} pen;

static void pen_move(void *ctx, double x, double y)
{
    pen *p = ctx;
    p->ret += HPDF_Page_MoveTo(p->page, (HPDF_REAL)(p->x + x * p->size),
                               (HPDF_REAL)(p->y + y * p->size));
}

static void pen_line(void *ctx, double x, double y)
{
    pen *p = ctx;
    p->ret += HPDF_Page_LineTo(p->page, (HPDF_REAL)(p->x + x * p->size),
                               (HPDF_REAL)(p->y + y * p->size));
}

static void pen_curve(void *ctx, double x1, double y1, double x2, double y2, double x, double y)
{
    pen *p = ctx;
    double s = p->size;
    p->ret += HPDF_Page_CurveTo(p->page, (HPDF_REAL)(p->x + x1 * s), (HPDF_REAL)(p->y + y1 * s),
                                (HPDF_REAL)(p->x + x2 * s), (HPDF_REAL)(p->y + y2 * s),
                                (HPDF_REAL)(p->x + x * s), (HPDF_REAL)(p->y + y * s));
}

/* The face that draws `cp` in the watermark: 黑体, else any role. */
static int watermark_face(const nb_fontset *fs, uint32_t cp)
{
    int face = nb_fonts_pick(fs, NB_ROLE_HEI, cp);
    for (int r = 0; face < 0 && r < NB_ROLE_COUNT; r++)
        face = nb_fonts_pick(fs, (nb_font_role)r, cp);
    return face;
}

static bool draw_watermark(writer *w, HPDF_Page page)
{
    double width = w->l->width, height = w->l->height, angle = atan2(height, width);
    pen p = {page, 0, 0, width * watermark_size, HPDF_OK};
    uint32_t cps[8];
    int faces[8];
    size_t n = 0;
    for (size_t i = 0; i < sizeof watermark_text - 1 && n < 8;) {
        i += nb_utf8_decode(watermark_text + i, sizeof watermark_text - 1 - i, &cps[n]);
        if ((faces[n] = watermark_face(w->fs, cps[n])) < 0) {
            nb_error(w->d, (nb_pos){w->path, 0, 0}, "cannot write the draft: no font has "
                     "U+%04X of the 草稿 watermark", (unsigned)cps[n]);
            return false;
        }
        p.x -= nb_face_advance(w->fs, faces[n], cps[n]) * p.size / 2;
        n++;
    }
    p.y = -0.38 * p.size; /* CJK glyphs stand about 0.88 em above and 0.12 em below */
    p.ret += HPDF_Page_GSave(page);
    p.ret += HPDF_Page_SetGrayFill(page, (HPDF_REAL)watermark_gray);
    p.ret += HPDF_Page_Concat(page, (HPDF_REAL)cos(angle), (HPDF_REAL)sin(angle),
                              (HPDF_REAL)-sin(angle), (HPDF_REAL)cos(angle),
                              (HPDF_REAL)(width / 2), (HPDF_REAL)(height / 2));
    nb_path_sink sink = {&p, pen_move, pen_line, pen_curve};
    for (size_t i = 0; i < n; i++) {
        nb_face_outline(w->fs, faces[i], cps[i], &sink);
        p.x += nb_face_advance(w->fs, faces[i], cps[i]) * p.size;
    }
    p.ret += HPDF_Page_Fill(page);
    p.ret += HPDF_Page_GRestore(page);
    return p.ret == HPDF_OK || haru_failed(w, "to draw the draft watermark");
}

static bool draw_page(writer *w, size_t i, bool draft)
{
    HPDF_Page page = HPDF_AddPage(w->pdf);
    if (!page || HPDF_Page_SetWidth(page, (HPDF_REAL)w->l->width) != HPDF_OK ||
        HPDF_Page_SetHeight(page, (HPDF_REAL)w->l->height) != HPDF_OK)
        return haru_failed(w, "to add a page");
    w->pages[i] = page;
    nb_buf_printf(&w->seed, "page %zu %d\n", i, w->l->pages[i].number);
    /* round joins: the stroke that emboldens a glyph must not spike at its corners */
    if (HPDF_Page_SetLineJoin(page, HPDF_ROUND_JOIN) != HPDF_OK)
        return haru_failed(w, "to set the line join");
    if (!(!draft || draw_watermark(w, page)) || !draw_strokes(w, page, &w->l->pages[i]) ||
        !draw_runs(w, page, &w->l->pages[i], i))
        return false;
    /* everything drawn is in the content stream: it describes the page for
     * the /ID as well */
    return nb_haru_deflate_contents(page, content_level, &w->seed) ||
           haru_failed(w, "to compress a page");
}

/* ---- the document around the pages ---- */

static bool add_outline(writer *w)
{
    HPDF_Outline parents[8] = {0};
    for (size_t i = 0; i < w->l->noutline; i++) {
        const nb_outline_entry *e = &w->l->outline[i];
        int level = e->level < 0 ? 0 : e->level > 7 ? 7 : e->level;
        if (e->page >= w->l->npages) {
            nb_error(w->d, (nb_pos){w->path, 0, 0}, "cannot write the PDF: the heading "
                     "\"%s\" is on page %zu of %zu", e->title, e->page + 1, w->l->npages);
            return false;
        }
        HPDF_Outline parent = NULL;
        for (int k = level - 1; k >= 0 && !parent; k--)
            parent = parents[k];
        HPDF_Outline o = HPDF_CreateOutline(w->pdf, parent, "", NULL);
        HPDF_Destination dst = o ? HPDF_Page_CreateDestination(w->pages[e->page]) : NULL;
        if (!dst || !nb_haru_outline_title(o, e->title) ||
            !nb_haru_destination_top(dst, w->pages[e->page], e->y) ||
            HPDF_Outline_SetDestination(o, dst) != HPDF_OK ||
            HPDF_Outline_SetOpened(o, level <= 1) != HPDF_OK)
            return haru_failed(w, "to add a bookmark");
        parents[level] = o;
        for (int k = level + 1; k < 8; k++)
            parents[k] = NULL;
        nb_buf_printf(&w->seed, "outline %d %zu %.3f %s\n", level, e->page, e->y, e->title);
    }
    if (w->l->noutline > 0 && HPDF_SetPageMode(w->pdf, HPDF_PAGE_MODE_USE_OUTLINE) != HPDF_OK)
        return haru_failed(w, "to open the bookmarks panel");
    return true;
}

/* Page labels follow the printed numbers: a new range wherever they jump. */
static bool add_page_labels(writer *w)
{
    int expected = 0;
    for (size_t i = 0; i < w->l->npages; i++) {
        int number = w->l->pages[i].number > 0 ? w->l->pages[i].number : (int)i + 1;
        if (i == 0 || number != expected) {
            if (HPDF_AddPageLabel(w->pdf, (HPDF_UINT)i, HPDF_PAGE_NUM_STYLE_DECIMAL,
                                  (HPDF_UINT)number, NULL) != HPDF_OK)
                return haru_failed(w, "to add page labels");
        }
        expected = number + 1;
    }
    return true;
}

static bool add_info(writer *w, const nb_pdf_meta *m)
{
    const struct {
        const char *key, *value;
    } items[] = {{"Title", m->title},       {"Author", m->author}, {"Subject", m->subject},
                 {"Keywords", m->keywords}, {"Creator", m->creator}};
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
        if (!items[i].value || !*items[i].value)
            continue;
        if (!nb_haru_info(w->pdf, items[i].key, items[i].value))
            return haru_failed(w, "to set the document information");
        nb_buf_printf(&w->seed, "%s %s\n", items[i].key, items[i].value);
    }
    if (m->date_epoch <= 0)
        return true;
    time_t t = (time_t)m->date_epoch;
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return true;
    HPDF_Date date = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                      tm.tm_sec, 'Z', 0, 0};
    if (HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_CREATION_DATE, date) != HPDF_OK ||
        HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_MOD_DATE, date) != HPDF_OK)
        return haru_failed(w, "to set the document dates");
    nb_buf_printf(&w->seed, "date %lld\n", m->date_epoch);
    return true;
}

/* ---- embedding the fonts ---- */

/* Every code a face drew, in code order. */
static nb_haru_code *codes_drawn(const writer *w, int face, size_t *n)
{
    const face_use *u = &w->faces[face];
    nb_haru_code *codes = NULL;
    size_t cap = 0;
    *n = 0;
    for (uint32_t code = 0; code <= 0xFFFF; code++) {
        uint32_t cp;
        if (code >= FIRST_ASTRAL_CODE && code < FIRST_ASTRAL_CODE + u->nastral)
            cp = u->astral[code - FIRST_ASTRAL_CODE];
        else if (u->used[code >> 3] & (1u << (code & 7)))
            cp = code;
        else
            continue;
        NB_GROW(codes, *n, cap);
        codes[(*n)++] = (nb_haru_code){(uint16_t)code, cp, nb_face_glyph(w->fs, face, cp),
                                        1000 * nb_face_advance(w->fs, face, cp)};
    }
    return codes;
}

/* A PostScript name keeps to letters, digits, '-' and '_'. */
static void ps_name(const char *from, char *to, size_t size)
{
    size_t n = 0;
    for (const char *p = from; *p && n + 1 < size; p++)
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_')
            to[n++] = *p;
    if (n == 0)
        n = (size_t)snprintf(to, size, "Font");
    to[n] = '\0';
}

/* The subset tag (six capital letters before '+') depends on the glyphs
 * embedded, as PDF readers expect of a subset. */
static void subset_tag(const char *name, const nb_haru_code *codes, size_t n, char tag[7])
{
    uint64_t h = 1469598103934665603ULL;
    for (const char *p = name; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ codes[i].gid ^ ((uint64_t)codes[i].code << 20)) * 1099511628211ULL;
    for (int i = 0; i < 6; i++, h /= 26)
        tag[i] = (char)('A' + h % 26);
    tag[6] = '\0';
}

static bool embed_face(writer *w, int face)
{
    size_t n;
    nb_haru_code *codes = codes_drawn(w, face, &n);
    unsigned *gids = nb_xmalloc(sizeof *gids * (n ? n : 1));
    for (size_t i = 0; i < n; i++)
        gids[i] = codes[i].gid;
    char name[64], tag[7], base[80];
    ps_name(nb_face_postscript_name(w->fs, face), name, sizeof name);
    bool strip = strip_hinting && !nb_face_is_tricky(w->fs, face);
    nb_tt_subset sub;
    char *error = NULL;
    bool ok = nb_tt_subset_make(w->fs, face, gids, n, strip, name, &sub, &error);
    if (ok) {
        for (size_t i = 0; i < n; i++)
            codes[i].gid = sub.new_gid[i];
        subset_tag(name, codes, n, tag);
        snprintf(base, sizeof base, "%s+%s", tag, name);
        const nb_tt_metrics *m = &sub.metrics;
        nb_haru_font_info info = {base, {m->bbox[0], m->bbox[1], m->bbox[2], m->bbox[3]},
                                  m->ascent, m->descent, m->cap_height, m->italic_angle,
                                  sub.data, sub.len};
        ok = nb_haru_embed_subset(w->faces[face].font, &info, codes, n, font_level, &error);
        nb_tt_subset_free(&sub);
        const nb_face *f = &w->fs->faces[face];
        nb_buf_printf(&w->seed, "font %s#%d %s\n", f->family, f->index, base);
    }
    if (!ok)
        nb_error(w->d, (nb_pos){w->path, 0, 0}, "cannot embed the font %s: %s",
                 w->fs->faces[face].path, error);
    free(error);
    free(gids);
    free(codes);
    return ok;
}

static bool embed_fonts(writer *w)
{
    for (size_t i = 0; i < w->fs->nfaces; i++)
        if (w->faces[i].font && !embed_face(w, (int)i))
            return false;
    return true;
}

/* ---- the whole document ---- */

static bool build(writer *w, const nb_pdf_meta *m, const nb_pdf_options *o)
{
    bool ok = add_info(w, m);
    for (size_t i = 0; ok && i < w->l->npages; i++)
        ok = draw_page(w, i, o && o->draft);
    ok = ok && add_outline(w) && add_page_labels(w) && embed_fonts(w);
    if (ok && !nb_haru_set_id(w->pdf, w->seed.data, w->seed.len))
        return haru_failed(w, "to set the document's /ID");
    return ok;
}

static void free_writer(writer *w)
{
    if (w->pdf)
        HPDF_Free(w->pdf);
    for (size_t i = 0; w->faces && i < w->fs->nfaces; i++)
        free(w->faces[i].astral);
    free(w->faces);
    free(w->pages);
    nb_buf_free(&w->seed);
}

bool nb_pdf_write(const nb_layout *l, const nb_fontset *fs, const nb_pdf_meta *m,
                  const nb_pdf_options *o, const char *path, nb_outfile_group *group,
                  nb_diags *d)
{
    if (l->npages == 0) {
        nb_error(d, (nb_pos){path, 0, 0}, "cannot write the PDF: the layout has no pages");
        return false;
    }
    nb_outfile out;
    if (!nb_outfile_begin(&out, path, group, d))
        return false;
    writer w = {.l = l, .fs = fs, .d = d, .path = path};
    w.faces = nb_xcalloc(fs->nfaces ? fs->nfaces : 1, sizeof *w.faces);
    w.pages = nb_xcalloc(l->npages ? l->npages : 1, sizeof *w.pages);
    w.pdf = HPDF_New(on_haru_error, &w);
    bool ok = w.pdf != NULL;
    if (!ok)
        nb_error(d, (nb_pos){path, 0, 0}, "cannot write the PDF: libharu cannot start (out "
                 "of memory)");
    static const nb_pdf_meta no_meta = {0};
    ok = ok && build(&w, m ? m : &no_meta, o);
    if (ok && HPDF_SaveToFile(w.pdf, out.temp_path) != HPDF_OK)
        ok = haru_failed(&w, "to save it");
    free_writer(&w);
    if (ok)
        return nb_outfile_commit(&out, d);
    nb_outfile_abort(&out);
    return false;
}
