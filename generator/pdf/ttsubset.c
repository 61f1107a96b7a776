/* ttsubset.c — see ttsubset.h. Table layouts follow the OpenType
 * specification (https://learn.microsoft.com/typography/opentype/spec/).
 *
 * The source font is read from its file with pread, not through FreeType's
 * mapping of it: the thousand glyphs of a report lie scattered over
 * megabytes of glyf, and touching them through a mapping costs a page fault
 * for every 64 KiB they touch — 150 faults for the sample report, 6 ms in
 * the virtual machine the targets are measured on. Reads go through a
 * window of the file that follows the glyphs in file order. */
#define _POSIX_C_SOURCE 200809L
#include "ttsubset.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

/* How much of a table one read brings in: glyphs near each other in the
 * file are read together, at the price of copying the ones between. */
enum { GLYF_WINDOW = 16 << 10, SMALL_WINDOW = 4 << 10 };

typedef struct table {
    unsigned char *data;
    size_t len;
} table;

/* Where a table lies in the font file. */
typedef struct table_place {
    uint32_t offset, length;
    bool present;
} table_place;

/* A piece of the file kept in memory. */
typedef struct window {
    unsigned char *data;
    size_t cap;
    uint32_t start, len;
    size_t size; /* bytes to read at once */
} window;

typedef struct source_font {
    table head, hhea, maxp, os2, cvt, fpgm, prep, post;
    /* loca, hmtx and glyf are read a glyph at a time: a CJK font's are
     * hundreds of kilobytes to megabytes, of which a report needs a few */
    table_place loca, hmtx, glyf;
    window loca_w, hmtx_w, glyf_w;
    const nb_fontset *fs;
    int face;
    int fd;
    const unsigned char *directory; /* the face's table records */
    unsigned ntables;
    unsigned char *dir_data;
    unsigned nglyphs;   /* maxp.numGlyphs */
    unsigned nhmetrics; /* hhea.numberOfHMetrics */
    bool long_loca;     /* head.indexToLocFormat */
} source_font;

/* Composite glyph flags */
enum {
    ARG_1_AND_2_ARE_WORDS = 0x0001,
    WE_HAVE_A_SCALE = 0x0008,
    MORE_COMPONENTS = 0x0020,
    WE_HAVE_AN_X_AND_Y_SCALE = 0x0040,
    WE_HAVE_A_TWO_BY_TWO = 0x0080,
    WE_HAVE_INSTRUCTIONS = 0x0100,
};

static unsigned rd16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void wr16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static void wr32(unsigned char *p, uint32_t v)
{
    wr16(p, v >> 16);
    wr16(p + 2, v & 0xFFFF);
}

static void put16(nb_buf *b, unsigned v)
{
    unsigned char c[2];
    wr16(c, v);
    nb_buf_append(b, (const char *)c, 2);
}

static void put32(nb_buf *b, uint32_t v)
{
    unsigned char c[4];
    wr32(c, v);
    nb_buf_append(b, (const char *)c, 4);
}

static void pad4(nb_buf *b)
{
    while (b->len % 4)
        nb_buf_putc(b, 0);
}

static char *message(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *message(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    nb_buf m = {0};
    nb_buf_vprintf(&m, fmt, ap);
    va_end(ap);
    return nb_buf_detach(&m);
}

/* ---- reading the source font ---- */

static bool read_at(const source_font *f, uint32_t at, void *buf, size_t len)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = pread(f->fd, (char *)buf + done, len - done, (off_t)at + (off_t)done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += (size_t)n;
    }
    return true;
}

/* The face's table directory: in a collection (ttcf), the face `index`. */
static bool read_directory(source_font *f, int index, char **error)
{
    unsigned char head[12];
    uint32_t sfnt = 0;
    if (!read_at(f, 0, head, 12)) {
        *error = message("the font file is too short for a font");
        return false;
    }
    if (memcmp(head, "ttcf", 4) == 0) {
        unsigned char at[4];
        if (index < 0 || (uint32_t)index >= rd32(head + 8) ||
            !read_at(f, 12 + 4 * (uint32_t)index, at, 4) || !read_at(f, rd32(at), head, 12)) {
            *error = message("the collection has no face %d", index);
            return false;
        }
        sfnt = rd32(at);
    }
    f->ntables = rd16(head + 4);
    f->dir_data = nb_xmalloc(16 * (size_t)f->ntables + 1);
    if (!read_at(f, sfnt + 12, f->dir_data, 16 * (size_t)f->ntables)) {
        *error = message("the font's table directory is cut short");
        return false;
    }
    f->directory = f->dir_data;
    return true;
}

static table_place find_table(const source_font *f, const char *tag)
{
    char t[4] = {' ', ' ', ' ', ' '};
    memcpy(t, tag, strnlen(tag, 4));
    for (unsigned i = 0; i < f->ntables; i++) {
        const unsigned char *r = f->directory + 16 * (size_t)i;
        if (memcmp(r, t, 4) == 0)
            return (table_place){rd32(r + 8), rd32(r + 12), true};
    }
    return (table_place){0, 0, false};
}

/* A whole small table, or its first `most` bytes. */
static bool load_table(source_font *f, const char *tag, size_t min_len, size_t most, table *t,
                       char **error)
{
    table_place p = find_table(f, tag);
    if (p.present) {
        t->len = most && p.length > most ? most : p.length;
        t->data = nb_xmalloc(t->len ? t->len : 1);
        if (!read_at(f, p.offset, t->data, t->len)) {
            *error = message("the font's %s table cannot be read", tag);
            return false;
        }
        if (t->len >= min_len)
            return true;
    } else if (min_len == 0) {
        return true; /* optional and absent */
    }
    nb_buf m = {0};
    nb_buf_printf(&m, "the font's %s table is %s", tag, p.present ? "too short" : "missing");
    *error = nb_buf_detach(&m);
    return false;
}

/* `len` bytes at `offset` of table `t`, through window `w`: the window is
 * read again (WINDOW bytes from there) when they are not in it. NULL when
 * they lie outside the table or cannot be read. */
static const unsigned char *windowed(const source_font *f, window *w, const table_place *t,
                                     size_t offset, size_t len)
{
    if (offset > t->length || len > t->length - offset)
        return NULL;
    uint32_t at = t->offset + (uint32_t)offset;
    if (at >= w->start && at + len <= (size_t)w->start + w->len)
        return w->data + (at - w->start);
    size_t want = len > w->size ? len : w->size;
    if (want > t->length - offset)
        want = t->length - offset;
    if (want > w->cap) {
        w->cap = want;
        w->data = nb_xrealloc(w->data, w->cap);
    }
    w->start = at;
    w->len = 0;
    if (!read_at(f, at, w->data, want))
        return NULL;
    w->len = (uint32_t)want;
    return w->data;
}

static void free_source(source_font *f)
{
    table *all[] = {&f->head, &f->hhea, &f->maxp, &f->os2,
                    &f->cvt,  &f->fpgm, &f->prep, &f->post};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        free(all[i]->data);
    free(f->loca_w.data);
    free(f->hmtx_w.data);
    free(f->glyf_w.data);
    free(f->dir_data);
    if (f->fd >= 0)
        close(f->fd);
}

/* The tables every subset needs; the hinting tables only when kept. */
static bool load_tables(source_font *f, bool strip_hinting, char **error)
{
    bool ok = load_table(f, "head", 54, 0, &f->head, error) &&
              load_table(f, "hhea", 36, 0, &f->hhea, error) &&
              load_table(f, "maxp", 6, 0, &f->maxp, error) &&
              load_table(f, "OS/2", 0, 0, &f->os2, error) &&
              load_table(f, "post", 0, 32, &f->post, error); /* its header only */
    if (ok && !strip_hinting)
        ok = load_table(f, "cvt ", 0, 0, &f->cvt, error) &&
             load_table(f, "fpgm", 0, 0, &f->fpgm, error) &&
             load_table(f, "prep", 0, 0, &f->prep, error);
    return ok;
}

static bool read_source(const nb_fontset *fs, int face, bool strip_hinting, source_font *f,
                        char **error)
{
    *f = (source_font){.fs = fs, .face = face};
    f->loca_w.size = f->hmtx_w.size = SMALL_WINDOW;
    f->glyf_w.size = GLYF_WINDOW;
    f->fd = open(fs->faces[face].path, O_RDONLY | O_CLOEXEC);
    if (f->fd < 0) {
        *error = message("cannot read %s: %s", fs->faces[face].path, strerror(errno));
        return false;
    }
    if (!read_directory(f, fs->faces[face].index, error) ||
        !load_tables(f, strip_hinting, error))
        return false;
    f->loca = find_table(f, "loca");
    f->hmtx = find_table(f, "hmtx");
    f->glyf = find_table(f, "glyf");
    f->nglyphs = rd16(f->maxp.data + 4);
    f->nhmetrics = rd16(f->hhea.data + 34);
    f->long_loca = rd16(f->head.data + 50) != 0;
    size_t loca_need = (size_t)(f->nglyphs + 1) * (f->long_loca ? 4 : 2);
    size_t hmtx_need = 4u * f->nhmetrics + 2u * (f->nglyphs - f->nhmetrics);
    if (f->nglyphs == 0 || f->loca.length < loca_need || f->nhmetrics == 0 ||
        f->nhmetrics > f->nglyphs || f->hmtx.length < hmtx_need) {
        *error = message("the font's loca or hmtx table does not match its %u glyphs "
                         "(%u horizontal metrics)", f->nglyphs, f->nhmetrics);
        return false;
    }
    return true;
}

/* Glyph g's bytes in glyf, valid until the next call. */
static bool glyph_data(source_font *f, unsigned g, const unsigned char **data,
                       size_t *len, char **error)
{
    size_t a, b, entry = f->long_loca ? 4 : 2;
    const unsigned char *loca = windowed(f, &f->loca_w, &f->loca, entry * g, 2 * entry);
    if (!loca) {
        *error = message("the loca entry of glyph %u cannot be read", g);
        return false;
    }
    if (f->long_loca) {
        a = rd32(loca);
        b = rd32(loca + 4);
    } else {
        a = 2 * (size_t)rd16(loca);
        b = 2 * (size_t)rd16(loca + 2);
    }
    if (a > b || b > f->glyf.length) {
        *error = message("glyph %u lies outside the glyf table (%u bytes)", g,
                         (unsigned)f->glyf.length);
        return false;
    }
    *len = b - a;
    if (b == a) {
        *data = (const unsigned char *)"";
        return true;
    }
    if (!(*data = windowed(f, &f->glyf_w, &f->glyf, a, b - a))) {
        *error = message("glyph %u cannot be read", g);
        return false;
    }
    return true;
}

static bool is_composite(const unsigned char *g, size_t len)
{
    return len >= 10 && (rd16(g) & 0x8000) != 0; /* numberOfContours < 0 */
}

/* Walks the component records of a composite glyph. */
typedef struct component_walk {
    const unsigned char *g;
    size_t len, pos;
    bool more; /* still true after the walk: the glyph is truncated */
} component_walk;

static size_t component_size(unsigned flags)
{
    size_t n = 4 + ((flags & ARG_1_AND_2_ARE_WORDS) ? 4 : 2);
    if (flags & WE_HAVE_A_SCALE)
        n += 2;
    else if (flags & WE_HAVE_AN_X_AND_Y_SCALE)
        n += 4;
    else if (flags & WE_HAVE_A_TWO_BY_TWO)
        n += 8;
    return n;
}

/* The offset of the next component record in *at; false after the last. */
static bool next_component(component_walk *w, size_t *at)
{
    if (!w->more || w->pos + 4 > w->len)
        return false;
    unsigned flags = rd16(w->g + w->pos);
    size_t size = component_size(flags);
    if (w->pos + size > w->len)
        return false;
    *at = w->pos;
    w->pos += size;
    w->more = (flags & MORE_COMPONENTS) != 0;
    return true;
}

/* ---- which glyphs ---- */

/* The glyphs of the subset: a bit for each glyph of the font (a few KiB
 * even for 65,535 glyphs), and their ids in the order they were added,
 * sorted once the set is complete; the bytes of each, read once from the
 * file, are kept in `store`. */
typedef struct stored_glyph {
    size_t at, len; /* in store */
} stored_glyph;

typedef struct glyph_set {
    unsigned char *bits;
    unsigned *ids;
    stored_glyph *bytes; /* of ids[i], once read */
    size_t count, cap, cap_bytes;
    nb_buf store;
} glyph_set;

static bool set_has(const glyph_set *s, unsigned g)
{
    return (s->bits[g >> 3] >> (g & 7)) & 1;
}

static void set_add(glyph_set *s, unsigned g)
{
    if (set_has(s, g))
        return;
    s->bits[g >> 3] |= (unsigned char)(1u << (g & 7));
    NB_GROW(s->ids, s->count, s->cap);
    s->ids[s->count++] = g;
}

static int compare_ids(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return x < y ? -1 : x > y;
}

/* The new id of glyph g (in the set, once sorted): its rank. */
static unsigned set_rank(const glyph_set *s, unsigned g)
{
    size_t lo = 0, hi = s->count;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->ids[mid] <= g)
            lo = mid;
        else
            hi = mid;
    }
    return (unsigned)lo;
}

/* Read glyph ids[i] into the store. */
static bool store_glyph(source_font *f, glyph_set *keep, size_t i, char **error)
{
    const unsigned char *data;
    size_t len;
    if (!glyph_data(f, keep->ids[i], &data, &len, error))
        return false;
    while (keep->cap_bytes < keep->cap) {
        keep->cap_bytes = keep->cap;
        keep->bytes = nb_xrealloc(keep->bytes, keep->cap_bytes * sizeof *keep->bytes);
    }
    keep->bytes[i] = (stored_glyph){keep->store.len, len};
    nb_buf_append(&keep->store, (const char *)data, len);
    return true;
}

static const unsigned char *stored(const glyph_set *keep, size_t i)
{
    return (const unsigned char *)keep->store.data + keep->bytes[i].at;
}

/* Sort the set by glyph id, the stored bytes with it. */
static void sort_set(glyph_set *keep)
{
    typedef struct pair {
        unsigned id;
        stored_glyph bytes;
    } pair;
    pair *p = nb_xmalloc(sizeof *p * (keep->count ? keep->count : 1));
    for (size_t i = 0; i < keep->count; i++)
        p[i] = (pair){keep->ids[i], keep->bytes[i]};
    qsort(p, keep->count, sizeof *p, compare_ids); /* the id comes first */
    for (size_t i = 0; i < keep->count; i++) {
        keep->ids[i] = p[i].id;
        keep->bytes[i] = p[i].bytes;
    }
    free(p);
}

/* Read every glyph of the set, and mark every component of every composite
 * glyph, however deeply nested. Component ids are unsigned 16-bit (libharu
 * 2.3.0 reads them signed and does not recurse, losing parts of glyphs). */
static bool mark_components(source_font *f, glyph_set *keep, char **error)
{
    bool ok = true;
    /* glyphs added on the way are visited in turn */
    for (size_t i = 0; ok && i < keep->count; i++) {
        unsigned g = keep->ids[i];
        size_t at;
        if (!(ok = store_glyph(f, keep, i, error)))
            continue;
        const unsigned char *data = stored(keep, i);
        size_t len = keep->bytes[i].len;
        if (!is_composite(data, len))
            continue;
        component_walk w = {data, len, 10, true};
        while (ok && next_component(&w, &at)) {
            unsigned c = rd16(data + at + 2);
            if (c >= f->nglyphs) {
                *error = message("composite glyph %u refers to glyph %u, which the font "
                                 "does not have", g, c);
                ok = false;
            } else {
                set_add(keep, c);
            }
        }
        if (ok && w.more) {
            *error = message("composite glyph %u is truncated", g);
            ok = false;
        }
    }
    return ok;
}

/* ---- writing the tables ---- */

/* Where a simple glyph's description ends: glyph data may carry padding,
 * which is not copied. (`len` if the glyph is malformed.) */
static size_t simple_glyph_end(const unsigned char *g, size_t len)
{
    unsigned ncontours = rd16(g);
    size_t p = 10 + 2 * (size_t)ncontours;
    if (p + 2 > len)
        return len;
    unsigned npoints = ncontours ? rd16(g + p - 2) + 1 : 0;
    p += 2 + rd16(g + p); /* instructions */
    size_t coords = 0;
    for (unsigned i = 0; i < npoints;) {
        if (p >= len)
            return len;
        unsigned flag = g[p++], repeat = 1;
        if (flag & 0x08) { /* REPEAT_FLAG */
            if (p >= len)
                return len;
            repeat += g[p++];
        }
        size_t x = (flag & 0x02) ? 1 : (flag & 0x10) ? 0 : 2; /* X_SHORT, X_SAME */
        size_t y = (flag & 0x04) ? 1 : (flag & 0x20) ? 0 : 2; /* Y_SHORT, Y_SAME */
        coords += (x + y) * repeat;
        i += repeat;
    }
    return p + coords <= len ? p + coords : len;
}

static void copy_composite(const unsigned char *data, size_t len, const glyph_set *keep,
                           bool strip, nb_buf *out)
{
    component_walk w = {data, len, 10, true};
    size_t at;
    unsigned last_flags = 0;
    nb_buf_append(out, (const char *)data, 10);
    while (next_component(&w, &at)) {
        last_flags = rd16(data + at);
        size_t size = component_size(last_flags);
        nb_buf_append(out, (const char *)data + at, size);
        unsigned char *rec = (unsigned char *)out->data + out->len - size;
        wr16(rec + 2, set_rank(keep, rd16(data + at + 2)));
        if (strip)
            wr16(rec, rd16(rec) & ~(unsigned)WE_HAVE_INSTRUCTIONS);
    }
    if (!strip && (last_flags & WE_HAVE_INSTRUCTIONS) && w.pos + 2 <= len) {
        size_t end = w.pos + 2 + rd16(data + w.pos);
        nb_buf_append(out, (const char *)data + w.pos, (end <= len ? end : len) - w.pos);
    }
}

/* Glyph ids[i], with component ids renumbered and, if asked, no
 * instructions. */
static bool copy_glyph(const glyph_set *keep, size_t i, bool strip, nb_buf *out, char **error)
{
    unsigned g = keep->ids[i];
    const unsigned char *data = stored(keep, i);
    size_t len = keep->bytes[i].len;
    if (len == 0)
        return true;
    if (len < 10) {
        *error = message("glyph %u is truncated", g);
        return false;
    }
    if (is_composite(data, len)) {
        copy_composite(data, len, keep, strip, out);
    } else {
        size_t end = simple_glyph_end(data, len);
        size_t header = 10 + 2 * (size_t)rd16(data);
        size_t ninstr = header + 2 <= len ? rd16(data + header) : 0;
        if (header + 2 + ninstr > end) {
            *error = message("glyph %u is truncated", g);
            return false;
        }
        if (!strip) {
            nb_buf_append(out, (const char *)data, end);
        } else {
            nb_buf_append(out, (const char *)data, header);
            put16(out, 0);
            nb_buf_append(out, (const char *)data + header + 2 + ninstr, end - header - 2 - ninstr);
        }
    }
    pad4(out);
    return true;
}

typedef struct subset_tables {
    nb_buf glyf, loca, hmtx;
    bool long_loca;
    unsigned nhmetrics;
} subset_tables;

static bool build_glyf(const glyph_set *keep, bool strip, subset_tables *t, char **error)
{
    size_t *offsets = nb_xmalloc(sizeof *offsets * (keep->count + 1));
    size_t n = 0;
    for (size_t i = 0; i < keep->count; i++) {
        offsets[n++] = t->glyf.len;
        if (!copy_glyph(keep, i, strip, &t->glyf, error)) {
            free(offsets);
            return false;
        }
    }
    offsets[n] = t->glyf.len;
    t->long_loca = t->glyf.len > 0x1FFFE;
    for (size_t i = 0; i <= n; i++) {
        if (t->long_loca)
            put32(&t->loca, (uint32_t)offsets[i]);
        else
            put16(&t->loca, (unsigned)(offsets[i] / 2));
    }
    free(offsets);
    return true;
}

/* A 16-bit value of hmtx (its length was checked against the glyph count). */
static unsigned hmtx_value(source_font *f, size_t offset)
{
    const unsigned char *v = windowed(f, &f->hmtx_w, &f->hmtx, offset, 2);
    return v ? rd16(v) : 0;
}

/* The advance and left side bearing of each glyph of the set, read in
 * file order: glyphs from numberOfHMetrics on share the last advance and
 * have only their bearing in the table. */
static void read_metrics_of(source_font *f, const glyph_set *keep, unsigned *advance,
                            unsigned *lsb)
{
    unsigned nh = f->nhmetrics, last = hmtx_value(f, 4 * (size_t)(nh - 1));
    for (size_t i = 0; i < keep->count; i++) {
        unsigned g = keep->ids[i];
        if (g < nh) {
            advance[i] = hmtx_value(f, 4 * (size_t)g);
            lsb[i] = hmtx_value(f, 4 * (size_t)g + 2);
        } else {
            advance[i] = last;
            lsb[i] = hmtx_value(f, 4 * (size_t)nh + 2 * (size_t)(g - nh));
        }
    }
}

/* hmtx: glyphs after the last change of advance need only their side bearing. */
static void build_hmtx(source_font *f, const glyph_set *keep, subset_tables *t)
{
    unsigned count = (unsigned)keep->count;
    unsigned *advance = nb_xmalloc(sizeof *advance * (count ? count : 1));
    unsigned *lsb = nb_xmalloc(sizeof *lsb * (count ? count : 1));
    read_metrics_of(f, keep, advance, lsb);
    unsigned nh = count;
    while (nh > 1 && advance[nh - 1] == advance[nh - 2])
        nh--;
    for (unsigned i = 0; i < count; i++) {
        if (i < nh)
            put16(&t->hmtx, advance[i]);
        put16(&t->hmtx, lsb[i]);
    }
    t->nhmetrics = nh;
    free(advance);
    free(lsb);
}

static void copy_table(nb_buf *b, const table *t)
{
    nb_buf_append(b, (const char *)t->data, t->len);
}

/* A cmap with only the mandatory final segment: the PDF's CIDToGIDMap, not
 * the font, maps codes to glyphs. */
static void minimal_cmap(nb_buf *b)
{
    static const unsigned words[] = {
        0, 1,          /* version, one subtable */
        3, 1, 0, 12,   /* Windows Unicode BMP, at offset 12 */
        4, 24, 0, 2,   /* format 4, length, language, segCountX2 */
        2, 0, 0,       /* searchRange, entrySelector, rangeShift */
        0xFFFF, 0,     /* endCode[0], reservedPad */
        0xFFFF, 1, 0,  /* startCode[0], idDelta[0], idRangeOffset[0] */
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        put16(b, words[i]);
}

/* post format 3: the header of the source's post table, without glyph names. */
static void minimal_post(nb_buf *b, const table *post)
{
    unsigned char p[32] = {0};
    if (post->len >= 32)
        memcpy(p, post->data, 32);
    wr32(p, 0x00030000);
    memset(p + 16, 0, 16); /* memory use when downloaded: unknown */
    nb_buf_append(b, (const char *)p, 32);
}

/* name: the PostScript name as family, full and PostScript name. */
static void minimal_name(nb_buf *b, const char *ps_name)
{
    static const unsigned ids[] = {1, 2, 4, 6};
    size_t n = strlen(ps_name);
    put16(b, 0);
    put16(b, 4);
    put16(b, 6 + 12 * 4);
    size_t offset = 0;
    for (int i = 0; i < 4; i++) {
        size_t len = ids[i] == 2 ? 7 : n; /* "Regular" */
        put16(b, 3);
        put16(b, 1);
        put16(b, 0x409);
        put16(b, ids[i]);
        put16(b, (unsigned)(2 * len));
        put16(b, (unsigned)offset);
        offset += 2 * len;
    }
    for (int i = 0; i < 4; i++) {
        const char *s = ids[i] == 2 ? "Regular" : ps_name;
        for (const char *p = s; *p; p++)
            put16(b, (unsigned char)*p);
    }
}

/* ---- the descriptor's metrics ---- */

static int to_thousandths(int v, unsigned units_per_em)
{
    return (int)((long)v * 1000 / (long)units_per_em);
}

static int s16(const unsigned char *p) { return (int16_t)rd16(p); }

static bool read_metrics(source_font *f, nb_tt_metrics *m, char **error)
{
    unsigned upem = rd16(f->head.data + 18);
    if (upem == 0) {
        *error = message("the font's head table gives 0 units per em");
        return false;
    }
    for (int i = 0; i < 4; i++)
        m->bbox[i] = to_thousandths(s16(f->head.data + 36 + 2 * i), upem);
    m->ascent = to_thousandths(s16(f->hhea.data + 4), upem);
    m->descent = to_thousandths(s16(f->hhea.data + 6), upem);
    m->italic_angle = f->post.len >= 8 ? (int32_t)rd32(f->post.data + 4) / 65536.0 : 0;
    /* the glyph's own bounding box, in its header, as libharu reads it */
    const unsigned char *g;
    size_t len;
    unsigned gid = nb_face_glyph(f->fs, f->face, 'H');
    if (gid >= f->nglyphs) {
        *error = message("'H' maps to glyph %u; the font has %u", gid, f->nglyphs);
        return false;
    }
    if (!glyph_data(f, gid, &g, &len, error))
        return false;
    m->cap_height = len >= 10 ? to_thousandths(s16(g + 8), upem) : 0;
    return true;
}

/* ---- assembling the font file ---- */

typedef struct out_table {
    char tag[4];
    nb_buf data;
} out_table;

static uint32_t checksum(const unsigned char *p, size_t len)
{
    uint32_t sum = 0;
    size_t whole = len & ~(size_t)3;
    for (size_t i = 0; i < whole; i += 4)
        sum += rd32(p + i);
    if (whole < len) {
        unsigned char word[4] = {0};
        memcpy(word, p + whole, len - whole);
        sum += rd32(word);
    }
    return sum;
}

static int compare_tags(const void *a, const void *b)
{
    return memcmp(((const out_table *)a)->tag, ((const out_table *)b)->tag, 4);
}

/* The sfnt file: header, table directory sorted by tag, tables 4-aligned, and
 * head.checkSumAdjustment so that the whole file sums to 0xB1B0AFBA. */
static void assemble(out_table *tables, size_t n, nb_buf *out)
{
    qsort(tables, n, sizeof *tables, compare_tags);
    unsigned selector = 0;
    while ((2u << selector) <= n)
        selector++;
    unsigned search = 16u << selector;
    put32(out, 0x00010000);
    put16(out, (unsigned)n);
    put16(out, search);
    put16(out, selector);
    put16(out, (unsigned)(16 * n - search));
    size_t offset = 12 + 16 * n;
    for (size_t i = 0; i < n; i++) {
        nb_buf_append(out, tables[i].tag, 4);
        const unsigned char *data = (const unsigned char *)nb_buf_str(&tables[i].data);
        put32(out, checksum(data, tables[i].data.len));
        put32(out, (uint32_t)offset);
        put32(out, (uint32_t)tables[i].data.len);
        offset += (tables[i].data.len + 3) & ~(size_t)3;
    }
    size_t head_at = 0;
    for (size_t i = 0; i < n; i++) {
        if (memcmp(tables[i].tag, "head", 4) == 0)
            head_at = out->len;
        nb_buf_append(out, nb_buf_str(&tables[i].data), tables[i].data.len);
        pad4(out);
    }
    uint32_t adjust = 0xB1B0AFBAu - checksum((const unsigned char *)out->data, out->len);
    wr32((unsigned char *)out->data + head_at + 8, adjust);
}

static void add_table(out_table *tables, size_t *n, const char *tag, nb_buf data)
{
    memcpy(tables[*n].tag, tag, 4);
    tables[*n].data = data;
    (*n)++;
}

static void collect_tables(const source_font *f, subset_tables *t, unsigned count,
                           bool strip, const char *ps_name, out_table *tables, size_t *n)
{
    nb_buf head = {0}, hhea = {0}, maxp = {0}, cmap = {0}, post = {0}, name = {0};
    copy_table(&head, &f->head);
    wr32((unsigned char *)head.data + 8, 0);              /* checkSumAdjustment, redone */
    wr16((unsigned char *)head.data + 50, t->long_loca); /* indexToLocFormat */
    copy_table(&hhea, &f->hhea);
    wr16((unsigned char *)hhea.data + 34, t->nhmetrics);
    copy_table(&maxp, &f->maxp);
    wr16((unsigned char *)maxp.data + 4, count);
    minimal_cmap(&cmap);
    minimal_post(&post, &f->post);
    minimal_name(&name, ps_name);
    add_table(tables, n, "head", head);
    add_table(tables, n, "hhea", hhea);
    add_table(tables, n, "maxp", maxp);
    add_table(tables, n, "glyf", t->glyf);
    add_table(tables, n, "loca", t->loca);
    add_table(tables, n, "hmtx", t->hmtx);
    add_table(tables, n, "cmap", cmap);
    add_table(tables, n, "post", post);
    add_table(tables, n, "name", name);
    const struct {
        const char *tag;
        const table *t;
        bool hinting;
    } optional[] = {{"OS/2", &f->os2, false}, {"cvt ", &f->cvt, true},
                    {"fpgm", &f->fpgm, true}, {"prep", &f->prep, true}};
    for (size_t i = 0; i < sizeof optional / sizeof optional[0]; i++) {
        if (!optional[i].t->data || (strip && optional[i].hinting))
            continue;
        nb_buf b = {0};
        copy_table(&b, optional[i].t);
        add_table(tables, n, optional[i].tag, b);
    }
}

bool nb_tt_subset_make(const nb_fontset *fs, int face, const unsigned *gids, size_t ngids,
                       bool strip_hinting, const char *ps_name, nb_tt_subset *out,
                       char **error)
{
    *out = (nb_tt_subset){0};
    *error = NULL;
    source_font f;
    if (!read_source(fs, face, strip_hinting, &f, error)) {
        free_source(&f);
        return false;
    }
    glyph_set keep = {.bits = nb_xcalloc(f.nglyphs / 8 + 1, 1)};
    set_add(&keep, 0);
    bool ok = true;
    for (size_t i = 0; ok && i < ngids; i++) {
        if (gids[i] >= f.nglyphs) {
            *error = message("glyph %u asked for; the font has %u", gids[i], f.nglyphs);
            ok = false;
        } else {
            set_add(&keep, gids[i]);
        }
    }
    /* in file order, so that the reads follow one another */
    qsort(keep.ids, keep.count, sizeof *keep.ids, compare_ids);
    ok = ok && read_metrics(&f, &out->metrics, error) && mark_components(&f, &keep, error);
    if (ok)
        sort_set(&keep);
    unsigned count = (unsigned)keep.count;
    subset_tables t = {0};
    ok = ok && build_glyf(&keep, strip_hinting, &t, error);
    if (ok) {
        build_hmtx(&f, &keep, &t);
        out_table tables[16];
        size_t n = 0;
        collect_tables(&f, &t, count, strip_hinting, ps_name, tables, &n);
        nb_buf file = {0};
        assemble(tables, n, &file);
        for (size_t i = 0; i < n; i++)
            nb_buf_free(&tables[i].data);
        out->len = file.len;
        out->data = (unsigned char *)nb_buf_detach(&file);
        out->nglyphs = count;
        out->new_gid = nb_xmalloc(sizeof *out->new_gid * (ngids ? ngids : 1));
        for (size_t i = 0; i < ngids; i++)
            out->new_gid[i] = set_rank(&keep, gids[i]);
    } else {
        nb_buf_free(&t.glyf);
        nb_buf_free(&t.loca);
        nb_buf_free(&t.hmtx);
    }
    free(keep.bits);
    free(keep.ids);
    free(keep.bytes);
    nb_buf_free(&keep.store);
    free_source(&f);
    return ok;
}

void nb_tt_subset_free(nb_tt_subset *s)
{
    free(s->data);
    free(s->new_gid);
    *s = (nb_tt_subset){0};
}
