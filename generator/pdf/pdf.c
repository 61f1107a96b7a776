/* pdf.c — see pdf.h.
 *
 * libharu builds the document: pages, their graphics, outlines, page
 * labels, the file. The fonts are made here (pdf_objects.h): the glyphs
 * each face draws are collected from the layout first, every face is
 * subset by HarfBuzz (fonts.h, nb_face_subset) and its program deflated —
 * the faces side by side, one thread each — and only then are the pages
 * drawn, each character as the 2-byte CID of its glyph in the embedded
 * program. The ToUnicode CMap maps every code back, so text extracts
 * exactly.
 */
#define _POSIX_C_SOURCE 200809L
#include "pdf.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <hpdf.h>

#include "outfile.h"
#include "pdf_objects.h"
#include "util.h"

/* libdeflate's compression levels (1 fastest … 12 smallest). The font
 * programs are most of a document and of the time spent compressing it:
 * at level 1 the sample report's take 2 ms, at 6 twice as long for 5% less.
 * Page contents are deflated by libharu while saving. */
static const int font_level = 1;
static const int cmap_level = 6;
static const int content_level = 6;

/* Synthetic bold: the outline is stroked as well as filled, this much of
 * the font size wide (half of it falls outside the glyph). */
static const double bold_stroke_em = 0.025;

/* The draft watermark: its text, its grey (0 black, 1 white), and the size
 * of its characters as a share of the page width. */
static const char watermark_text[] = "草稿";
static const double watermark_gray = 0.85;
static const double watermark_size = 0.25;

enum { UNICODE_LIMIT = 0x110000 };

/* What one face draws, its subset, and the PDF font that draws it. */
typedef struct face_use {
    unsigned char *seen;   /* a bit per character: drawn by this face */
    uint32_t *cps;         /* the characters drawn, sorted once all are known */
    size_t ncps, cap_cps;
    unsigned *gids;        /* their glyphs in the face */
    uint16_t *codes;       /* their codes in the content streams */
    nb_pdf_glyph *glyphs;  /* by code, each code once */
    size_t nglyphs;
    const nb_font_program *prog;
    unsigned char *zdata;  /* the program deflated */
    size_t zlen;
    char *error;           /* why the subset failed */
    HPDF_Dict font;
    char name[16];         /* its resource name */
    bool on_page;          /* in the current page's resources */
} face_use;

/* The text state of the page being drawn, to emit only what changes. */
typedef struct text_state {
    int face;
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

/* ---- the glyphs each face draws ---- */

static void mark_drawn(face_use *u, uint32_t cp)
{
    if (!u->seen)
        u->seen = nb_xcalloc(UNICODE_LIMIT / 8, 1);
    if (u->seen[cp >> 3] & (1u << (cp & 7)))
        return;
    u->seen[cp >> 3] |= (unsigned char)(1u << (cp & 7));
    NB_GROW(u->cps, u->ncps, u->cap_cps);
    u->cps[u->ncps++] = cp;
}

static bool collect_run(writer *w, const nb_run *r, size_t page)
{
    if (r->face < 0 || (size_t)r->face >= w->fs->nfaces) {
        nb_error(w->d, (nb_pos){w->path, 0, 0}, "cannot write the PDF: a run on page %zu "
                 "names font %d; there are %zu", page + 1, r->face, w->fs->nfaces);
        return false;
    }
    const nb_face *f = &w->fs->faces[r->face];
    for (size_t i = 0; i < r->len;) {
        uint32_t cp;
        size_t len = nb_utf8_decode(r->text + i, r->len - i, &cp);
        if (len == 0 || cp >= UNICODE_LIMIT || (cp >= 0xD800 && cp <= 0xDFFF)) {
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
        mark_drawn(&w->faces[r->face], cp);
        i += len;
    }
    return true;
}

static bool collect_glyphs(writer *w)
{
    for (size_t p = 0; p < w->l->npages; p++)
        for (size_t i = 0; i < w->l->pages[p].nruns; i++)
            if (!collect_run(w, &w->l->pages[p].runs[i], p))
                return false;
    return true;
}

/* ---- subsetting, the faces side by side ---- */

typedef struct subset_queue {
    writer *w;
    pthread_mutex_t lock;
    size_t next; /* the next face to take */
} subset_queue;

static void subset_one(writer *w, int face)
{
    face_use *u = &w->faces[face];
    if (!nb_face_subset(w->fs, face, u->cps, u->gids, u->ncps, &u->prog, &u->error))
        return;
    u->zdata = nb_pdf_deflate(u->prog->data, u->prog->len, font_level, &u->zlen);
    if (!u->zdata)
        u->error = nb_xstrdup("cannot deflate the font program");
}

static void *subset_worker(void *arg)
{
    subset_queue *q = arg;
    for (;;) {
        pthread_mutex_lock(&q->lock);
        size_t face = q->next;
        while (face < q->w->fs->nfaces && q->w->faces[face].ncps == 0)
            face++;
        q->next = face + 1;
        pthread_mutex_unlock(&q->lock);
        if (face >= q->w->fs->nfaces)
            return NULL;
        subset_one(q->w, (int)face);
    }
}

static int compare_cp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Subset every face that draws something: as many threads as there are
 * cores and faces, this one among them. */
static bool subset_faces(writer *w)
{
    size_t used = 0;
    for (size_t i = 0; i < w->fs->nfaces; i++) {
        face_use *u = &w->faces[i];
        if (u->ncps == 0)
            continue;
        used++;
        qsort(u->cps, u->ncps, sizeof *u->cps, compare_cp);
        u->gids = nb_xmalloc(sizeof *u->gids * u->ncps);
        for (size_t k = 0; k < u->ncps; k++)
            u->gids[k] = nb_face_glyph(w->fs, (int)i, u->cps[k]);
    }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t helpers = used > 1 && cores > 1 ? (size_t)(cores < (long)used ? cores : (long)used) - 1
                                           : 0;
    subset_queue q = {.w = w};
    pthread_mutex_init(&q.lock, NULL);
    pthread_t threads[64];
    size_t started = 0;
    for (; started < helpers && started < 64; started++)
        if (pthread_create(&threads[started], NULL, subset_worker, &q) != 0)
            break;
    subset_worker(&q);
    for (size_t i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    pthread_mutex_destroy(&q.lock);
    for (size_t i = 0; i < w->fs->nfaces; i++) {
        if (w->faces[i].error) {
            nb_error(w->d, (nb_pos){w->path, 0, 0}, "cannot embed the font %s: %s",
                     w->fs->faces[i].path, w->faces[i].error);
            return false;
        }
    }
    return true;
}

/* ---- the PDF fonts ---- */

static int compare_code(const void *a, const void *b)
{
    const nb_pdf_glyph *x = a, *y = b;
    if (x->code != y->code)
        return (x->code > y->code) - (x->code < y->code);
    return (x->cp > y->cp) - (x->cp < y->cp);
}

/* Each character's code, and the glyphs by code: two characters of one
 * glyph (a compatibility ideograph and its unified twin) share a code,
 * which extracts as the first. */
static void assign_codes(writer *w, int face)
{
    face_use *u = &w->faces[face];
    u->codes = nb_xmalloc(sizeof *u->codes * u->ncps);
    u->glyphs = nb_xmalloc(sizeof *u->glyphs * u->ncps);
    for (size_t i = 0; i < u->ncps; i++) {
        u->codes[i] = (uint16_t)u->prog->cid[i];
        u->glyphs[i] = (nb_pdf_glyph){u->codes[i], u->cps[i],
                                      1000 * nb_face_advance(w->fs, face, u->cps[i])};
    }
    qsort(u->glyphs, u->ncps, sizeof *u->glyphs, compare_code);
    size_t n = 0;
    for (size_t i = 0; i < u->ncps; i++)
        if (n == 0 || u->glyphs[n - 1].code != u->glyphs[i].code)
            u->glyphs[n++] = u->glyphs[i];
    u->nglyphs = n;
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
static void subset_tag(const char *name, const face_use *u, char tag[7])
{
    uint64_t h = 1469598103934665603ULL;
    for (const char *p = name; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    for (size_t i = 0; i < u->nglyphs; i++)
        h = (h ^ u->glyphs[i].code ^ ((uint64_t)u->glyphs[i].cp << 20)) * 1099511628211ULL;
    for (int i = 0; i < 6; i++, h /= 26)
        tag[i] = (char)('A' + h % 26);
    tag[6] = '\0';
}

static bool make_font(writer *w, int face)
{
    face_use *u = &w->faces[face];
    assign_codes(w, face);
    char name[64], tag[7], base[80];
    ps_name(u->prog->ps_name, name, sizeof name);
    subset_tag(name, u, tag);
    snprintf(base, sizeof base, "%s+%s", tag, name);
    snprintf(u->name, sizeof u->name, "F%d", face + 1);
    char *error = NULL;
    u->font = nb_pdf_font(w->pdf, u->prog, base, u->zdata, u->zlen, u->glyphs, u->nglyphs,
                          cmap_level, &error);
    if (!u->font)
        nb_error(w->d, (nb_pos){w->path, 0, 0}, "cannot embed the font %s: %s",
                 w->fs->faces[face].path, error);
    free(error);
    const nb_face *f = &w->fs->faces[face];
    nb_buf_printf(&w->seed, "font %s#%d %s\n", f->family, f->index, base);
    return u->font != NULL;
}

static bool make_fonts(writer *w)
{
    if (!collect_glyphs(w) || !subset_faces(w))
        return false;
    for (size_t i = 0; i < w->fs->nfaces; i++)
        if (w->faces[i].ncps > 0 && !make_font(w, (int)i))
            return false;
    return true;
}

/* The code of `cp` in a face that draws it (collect_glyphs saw it). */
static uint16_t code_of(const face_use *u, uint32_t cp)
{
    size_t lo = 0, hi = u->ncps;
    while (lo + 1 < hi) {
        size_t mid = (lo + hi) / 2;
        if (u->cps[mid] <= cp)
            lo = mid;
        else
            hi = mid;
    }
    return u->codes[lo];
}

/* "<…> Tj": the run's text as codes. */
static void show_codes(const face_use *u, const nb_run *r, nb_buf *b)
{
    static const char hex[] = "0123456789ABCDEF";
    nb_buf_putc(b, '<');
    for (size_t i = 0; i < r->len;) {
        uint32_t cp;
        i += nb_utf8_decode(r->text + i, r->len - i, &cp);
        uint16_t c = code_of(u, cp);
        char x[4] = {hex[c >> 12], hex[(c >> 8) & 15], hex[(c >> 4) & 15], hex[c & 15]};
        nb_buf_append(b, x, 4);
    }
    nb_buf_puts(b, "> Tj\n");
}

/* ---- drawing a page ---- */

/* A number for a content stream: at most three decimals, no exponent, no
 * trailing zeros (printf's %g would write exponents, and costs more). */
static void put_num(nb_buf *b, double v)
{
    long long m = llround(v * 1000);
    if (m < 0) {
        nb_buf_putc(b, '-');
        m = -m;
    }
    char digits[32];
    int n = 0;
    long long whole = m / 1000;
    do
        digits[n++] = (char)('0' + whole % 10);
    while ((whole /= 10) > 0);
    while (n > 0)
        nb_buf_putc(b, digits[--n]);
    int frac = (int)(m % 1000);
    if (frac == 0)
        return;
    char f[4] = {'.', (char)('0' + frac / 100), (char)('0' + frac / 10 % 10),
                 (char)('0' + frac % 10)};
    size_t len = 4;
    while (f[len - 1] == '0')
        len--;
    nb_buf_append(b, f, len);
}

static void put_op(nb_buf *b, double v, const char *op)
{
    put_num(b, v);
    nb_buf_puts(b, op);
}

/* "/F1 16 Tf", the font made available to the page first. */
static bool select_font(writer *w, HPDF_Page page, const nb_run *r, nb_buf *text)
{
    face_use *u = &w->faces[r->face];
    if (!u->on_page && !nb_pdf_page_font(w->pdf, page, u->name, u->font))
        return false;
    u->on_page = true;
    nb_buf_putc(text, '/');
    nb_buf_puts(text, u->name);
    nb_buf_putc(text, ' ');
    put_op(text, r->size, " Tf\n");
    return true;
}

/* Only what changes from the run before: font and size, character
 * spacing (justification), and for bold the fill-and-stroke rendering with
 * its line width. */
static bool set_text_state(writer *w, HPDF_Page page, const nb_run *r, nb_buf *text)
{
    text_state *ts = &w->ts;
    if ((r->face != ts->face || r->size != ts->size) && !select_font(w, page, r, text))
        return false;
    if (r->char_space != ts->char_space)
        put_op(text, r->char_space, " Tc\n");
    if (r->bold != ts->bold)
        nb_buf_puts(text, r->bold ? "2 Tr\n" : "0 Tr\n");
    double line_width = r->size * bold_stroke_em;
    if (r->bold && line_width != ts->line_width) {
        put_op(text, line_width, " w\n");
        ts->line_width = line_width;
    }
    ts->face = r->face;
    ts->size = r->size;
    ts->char_space = r->char_space;
    ts->bold = r->bold;
    return true;
}

static bool draw_run(writer *w, HPDF_Page page, const nb_run *r, nb_buf *text)
{
    if (!set_text_state(w, page, r, text))
        return haru_failed(w, "to add a font to a page");
    nb_buf_puts(text, "1 0 0 1 ");
    put_num(text, r->x);
    nb_buf_putc(text, ' ');
    put_op(text, r->y, " Tm\n");
    show_codes(&w->faces[r->face], r, text);
    return true;
}

/* The page's text, in a content stream of its own after the one libharu
 * draws the rules and the watermark in: one text object, deflated here. */
static bool draw_runs(writer *w, HPDF_Page page, const nb_page *p)
{
    if (p->nruns == 0)
        return true;
    /* a new text object starts with no font, and PDF's defaults for char
     * spacing and render mode; the line width is whatever the rules left */
    w->ts = (text_state){.face = -1, .line_width = -1};
    for (size_t i = 0; i < w->fs->nfaces; i++)
        w->faces[i].on_page = false;
    nb_buf text = {0};
    nb_buf_puts(&text, "BT\n");
    bool ok = true;
    for (size_t i = 0; ok && i < p->nruns; i++)
        if (p->runs[i].len > 0)
            ok = draw_run(w, page, &p->runs[i], &text);
    nb_buf_puts(&text, "ET\n");
    if (ok && !nb_pdf_page_add_content(w->pdf, page, text.data, text.len, content_level))
        ok = haru_failed(w, "to add the page's text");
    nb_buf_append(&w->seed, text.data, text.len); /* the text describes the page */
    nb_buf_free(&text);
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
    const nb_page *p = &w->l->pages[i];
    nb_buf_printf(&w->seed, "page %zu %d %d\n", i, p->number, draft);
    nb_buf_append(&w->seed, (const char *)p->strokes, p->nstrokes * sizeof *p->strokes);
    /* round joins: the stroke that emboldens a glyph must not spike at its corners */
    if (HPDF_Page_SetLineJoin(page, HPDF_ROUND_JOIN) != HPDF_OK)
        return haru_failed(w, "to set the line join");
    if (!(!draft || draw_watermark(w, page)) || !draw_strokes(w, page, &w->l->pages[i]) ||
        !draw_runs(w, page, &w->l->pages[i]))
        return false;
    return true;
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
        if (!dst || !nb_pdf_outline_title(o, e->title) ||
            !nb_pdf_destination_top(dst, w->pages[e->page], e->y) ||
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
        if (!nb_pdf_info(w->pdf, items[i].key, items[i].value))
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

/* ---- the whole document ---- */

static bool build(writer *w, const nb_pdf_meta *m, const nb_pdf_options *o)
{
    bool ok = add_info(w, m) && make_fonts(w);
    for (size_t i = 0; ok && i < w->l->npages; i++)
        ok = draw_page(w, i, o && o->draft);
    ok = ok && add_outline(w) && add_page_labels(w);
    if (ok && !nb_pdf_set_id(w->pdf, w->seed.data, w->seed.len))
        return haru_failed(w, "to set the document's /ID");
    return ok;
}

static void free_writer(writer *w)
{
    if (w->pdf)
        HPDF_Free(w->pdf);
    for (size_t i = 0; w->faces && i < w->fs->nfaces; i++) {
        face_use *u = &w->faces[i];
        free(u->seen);
        free(u->cps);
        free(u->gids);
        free(u->codes);
        free(u->glyphs);
        free(u->zdata);
        free(u->error);
    }
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
    bool ok = w.pdf != NULL && HPDF_SetCompressionMode(w.pdf, HPDF_COMP_TEXT) == HPDF_OK;
    if (!ok)
        nb_error(d, (nb_pos){path, 0, 0}, "cannot write the PDF: libharu cannot start (out "
                 "of memory)");
    static const nb_pdf_meta no_meta = {0};
    ok = ok && build(&w, m ? m : &no_meta, o);
    errno = 0;
    if (ok && HPDF_SaveToFile(w.pdf, out.temp_path) != HPDF_OK) {
        /* libharu keeps no errno: the failed write or close just set it
         * (a full disk, a file-size limit) */
        if (errno)
            nb_error(d, (nb_pos){path, 0, 0}, "cannot write the PDF: %s", strerror(errno));
        else
            haru_failed(&w, "to save it");
        ok = false;
    }
    free_writer(&w);
    if (ok)
        return nb_outfile_commit(&out, d);
    nb_outfile_abort(&out);
    return false;
}
