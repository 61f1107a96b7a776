/* pdf_objects.c — see pdf_objects.h. */
#include "pdf_objects.h"

#include <hpdf_encrypt.h>
#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- deflating ---- */

/* libdeflate compresses whole buffers only, which is all a PDF stream
 * needs, a CJK font program 2.7 times as fast as zlib's fastest level and
 * 5% smaller (measured on the sample's: 2.0 ms, 145 KB against 5.5 ms,
 * 153 KB; libharu's zlib level 6: 9 ms, 137 KB). */
unsigned char *nb_pdf_deflate(const void *data, size_t len, int level, size_t *out_len)
{
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(level);
    if (!c)
        return NULL;
    size_t cap = libdeflate_zlib_compress_bound(c, len);
    unsigned char *out = nb_xmalloc(cap);
    *out_len = libdeflate_zlib_compress(c, data, len, out, cap);
    libdeflate_free_compressor(c);
    if (*out_len == 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* libharu writes /Filter only for the filters it applies itself while
 * saving; a stream deflated beforehand is saved as it is (its filter stays
 * HPDF_STREAM_FILTER_NONE) and names its filter here, after its other
 * entries. */
static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream out)
{
    (void)dict;
    return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

/* A new stream object holding `zlen` bytes already deflated. */
static HPDF_Dict deflated_stream(HPDF_Doc pdf, const void *zdata, size_t zlen)
{
    HPDF_Dict s = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    if (!s || HPDF_Stream_Write(s->stream, zdata, (HPDF_UINT)zlen) != HPDF_OK)
        return NULL;
    s->write_fn = write_flate_filter;
    return s;
}

/* A new stream object holding `len` bytes of `data`, deflated at `level`. */
static HPDF_Dict stream_of(HPDF_Doc pdf, const void *data, size_t len, int level)
{
    size_t zlen;
    unsigned char *z = nb_pdf_deflate(data, len, level, &zlen);
    HPDF_Dict s = z ? deflated_stream(pdf, z, zlen) : NULL;
    free(z);
    return s;
}

/* ---- pages ---- */

bool nb_pdf_page_font(HPDF_Doc pdf, HPDF_Page page, const char *name, HPDF_Dict font)
{
    HPDF_Dict res = HPDF_Dict_GetItem(page, "Resources", HPDF_OCLASS_DICT);
    if (!res)
        return false;
    HPDF_Dict fonts = HPDF_Dict_GetItem(res, "Font", HPDF_OCLASS_DICT);
    if (!fonts) { /* the page's first font (an absent key is no error) */
        fonts = HPDF_Dict_New(pdf->mmgr);
        if (!fonts || HPDF_Dict_Add(res, "Font", fonts) != HPDF_OK)
            return false;
    }
    return HPDF_Dict_Add(fonts, name, font) == HPDF_OK;
}

bool nb_pdf_page_add_content(HPDF_Doc pdf, HPDF_Page page, const void *bytes, size_t len,
                             int level)
{
    HPDF_Dict text = stream_of(pdf, bytes, len, level);
    HPDF_Dict first = text ? HPDF_Dict_GetItem(page, "Contents", HPDF_OCLASS_DICT) : NULL;
    HPDF_Array contents = first ? HPDF_Array_New(pdf->mmgr) : NULL;
    if (!contents)
        return false;
    HPDF_STATUS ret = HPDF_Array_Add(contents, first);
    ret += HPDF_Array_Add(contents, text);
    return ret + HPDF_Dict_Add(page, "Contents", contents) == HPDF_OK;
}

/* ---- fonts ---- */

static char *message(const char *what, HPDF_Doc pdf)
{
    nb_buf m = {0};
    nb_buf_printf(&m, "libharu could not %s (error 0x%04X)", what,
                  (unsigned)HPDF_GetError(pdf));
    return nb_buf_detach(&m);
}

static HPDF_STATUS add_number(HPDF_Array a, double v)
{
    if (v == (double)(HPDF_INT32)v)
        return HPDF_Array_AddNumber(a, (HPDF_INT32)v);
    return HPDF_Array_AddReal(a, (HPDF_REAL)v);
}

static HPDF_STATUS dict_number(HPDF_Dict d, const char *key, double v)
{
    if (v == (double)(HPDF_INT32)v)
        return HPDF_Dict_AddNumber(d, key, (HPDF_INT32)v);
    return HPDF_Dict_AddReal(d, key, (HPDF_REAL)v);
}

static HPDF_Dict new_indirect_dict(HPDF_Doc pdf)
{
    HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);
    return d && HPDF_Xref_Add(pdf->xref, d) == HPDF_OK ? d : NULL;
}

/* The font program's stream: FontFile3 /CIDFontType0C holding the bare CFF
 * table (not /OpenType: poppler and pdf.js draw nothing of that), or
 * FontFile2 holding a TrueType file. */
static HPDF_STATUS add_font_file(HPDF_Doc pdf, HPDF_Dict desc, const nb_font_program *prog,
                                 const unsigned char *zdata, size_t zlen)
{
    HPDF_Dict file = deflated_stream(pdf, zdata, zlen);
    if (!file)
        return HPDF_FAILD_TO_ALLOC_MEM;
    if (prog->cff) {
        HPDF_STATUS ret = HPDF_Dict_AddName(file, "Subtype", "CIDFontType0C");
        return ret + HPDF_Dict_Add(desc, "FontFile3", file);
    }
    HPDF_STATUS ret = HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)prog->len);
    return ret + HPDF_Dict_Add(desc, "FontFile2", file);
}

static HPDF_Dict descriptor(HPDF_Doc pdf, const nb_font_program *prog, const char *base_font,
                            const unsigned char *zdata, size_t zlen)
{
    HPDF_Dict desc = new_indirect_dict(pdf);
    HPDF_Array bbox = HPDF_Array_New(pdf->mmgr);
    if (!desc || !bbox)
        return NULL;
    HPDF_STATUS ret = HPDF_OK;
    for (int i = 0; i < 4; i++)
        ret += HPDF_Array_AddNumber(bbox, prog->bbox[i]);
    ret += HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
    ret += HPDF_Dict_AddName(desc, "FontName", base_font);
    ret += HPDF_Dict_AddNumber(desc, "Flags", 4); /* symbolic: glyphs beyond Latin */
    ret += HPDF_Dict_Add(desc, "FontBBox", bbox);
    ret += dict_number(desc, "ItalicAngle", prog->italic_angle);
    ret += HPDF_Dict_AddNumber(desc, "Ascent", prog->ascent);
    ret += HPDF_Dict_AddNumber(desc, "Descent", prog->descent);
    ret += HPDF_Dict_AddNumber(desc, "CapHeight", prog->cap_height);
    ret += HPDF_Dict_AddNumber(desc, "StemV", 0); /* unknown; libharu writes 0 too */
    ret += add_font_file(pdf, desc, prog, zdata, zlen);
    return ret == HPDF_OK ? desc : NULL;
}

/* The Type0 font's descendant: CIDFontType0 for CFF outlines (its CIDs are
 * the CFF's, for a CID-keyed one with its own registry and ordering, which
 * Identity-H allows), CIDFontType2 for TrueType (CIDs are glyph ids). */
static HPDF_Dict cid_font(HPDF_Doc pdf, const nb_font_program *prog, const char *base_font,
                          HPDF_Dict desc)
{
    HPDF_Dict cid = new_indirect_dict(pdf);
    HPDF_Dict system = HPDF_Dict_New(pdf->mmgr);
    if (!cid || !system)
        return NULL;
    HPDF_STATUS ret = HPDF_Dict_Add(system, "Registry",
                                    HPDF_String_New(pdf->mmgr, prog->registry, NULL));
    ret += HPDF_Dict_Add(system, "Ordering", HPDF_String_New(pdf->mmgr, prog->ordering, NULL));
    ret += HPDF_Dict_AddNumber(system, "Supplement", prog->supplement);
    ret += HPDF_Dict_AddName(cid, "Type", "Font");
    ret += HPDF_Dict_AddName(cid, "Subtype", prog->cff ? "CIDFontType0" : "CIDFontType2");
    ret += HPDF_Dict_AddName(cid, "BaseFont", base_font);
    ret += HPDF_Dict_Add(cid, "CIDSystemInfo", system);
    ret += HPDF_Dict_Add(cid, "FontDescriptor", desc);
    if (!prog->cff)
        ret += HPDF_Dict_AddName(cid, "CIDToGIDMap", "Identity");
    return ret == HPDF_OK ? cid : NULL;
}

/* The most frequent width becomes DW; W lists the others, by runs of
 * consecutive codes. */
static double most_common_width(const nb_pdf_glyph *g, size_t n)
{
    double best = 1000;
    size_t best_count = 0;
    for (size_t i = 0; i < n; i++) {
        size_t count = 0;
        for (size_t j = 0; j < n && count <= n / 2; j++)
            count += g[j].width == g[i].width;
        if (count > best_count) {
            best = g[i].width;
            best_count = count;
        }
        if (best_count > n / 2)
            break;
    }
    return best;
}

static bool set_widths(HPDF_Doc pdf, HPDF_Dict cid, const nb_pdf_glyph *g, size_t n)
{
    double dw = most_common_width(g, n);
    HPDF_STATUS ret = dict_number(cid, "DW", dw);
    size_t others = 0;
    for (size_t i = 0; i < n; i++)
        others += g[i].width != dw;
    if (others == 0)
        return ret == HPDF_OK;
    HPDF_Array w = HPDF_Array_New(pdf->mmgr);
    if (!w || HPDF_Dict_Add(cid, "W", w) != HPDF_OK)
        return false;
    HPDF_Array group = NULL;
    for (size_t i = 0; i < n && ret == HPDF_OK; i++) {
        if (g[i].width == dw) {
            group = NULL;
            continue;
        }
        if (!group || g[i].code != g[i - 1].code + 1) {
            group = HPDF_Array_New(pdf->mmgr);
            if (!group)
                return false;
            ret += HPDF_Array_AddNumber(w, g[i].code);
            ret += HPDF_Array_Add(w, group);
        }
        ret += add_number(group, g[i].width);
    }
    return ret == HPDF_OK;
}

static void put_utf16(nb_buf *b, uint32_t cp)
{
    if (cp > 0xFFFF) {
        cp -= 0x10000;
        nb_buf_printf(b, "%04X%04X", 0xD800 + (unsigned)(cp >> 10),
                      0xDC00 + (unsigned)(cp & 0x3FF));
    } else {
        nb_buf_printf(b, "%04X", (unsigned)cp);
    }
}

/* Can g[i] extend the bfrange that ends at g[i - 1]? Within a range only
 * the last byte of source and destination may change. */
static bool continues_range(const nb_pdf_glyph *g, size_t i)
{
    const nb_pdf_glyph *a = &g[i - 1], *b = &g[i];
    return b->code == a->code + 1 && b->cp == a->cp + 1 && b->cp <= 0xFFFF &&
           (b->code >> 8) == (a->code >> 8) && (b->cp >> 8) == (a->cp >> 8);
}

typedef struct cmap_entry {
    size_t first, last; /* indices into the glyphs */
} cmap_entry;

static void write_entries(nb_buf *b, const nb_pdf_glyph *g, const cmap_entry *e, size_t n,
                          bool ranges)
{
    for (size_t start = 0; start < n; start += 100) {
        size_t count = n - start < 100 ? n - start : 100;
        nb_buf_printf(b, "%zu begin%s\n", count, ranges ? "bfrange" : "bfchar");
        for (size_t i = start; i < start + count; i++) {
            nb_buf_printf(b, "<%04X> ", g[e[i].first].code);
            if (ranges)
                nb_buf_printf(b, "<%04X> ", g[e[i].last].code);
            nb_buf_putc(b, '<');
            put_utf16(b, g[e[i].first].cp);
            nb_buf_puts(b, ">\n");
        }
        nb_buf_printf(b, "end%s\n", ranges ? "bfrange" : "bfchar");
    }
}

/* A standard ToUnicode CMap (PDF 32000 9.10.3): each code used maps to its
 * character, consecutive ones as ranges. */
static void tounicode_cmap(nb_buf *b, const nb_pdf_glyph *g, size_t n)
{
    cmap_entry *chars = nb_xmalloc(sizeof *chars * n), *ranges = nb_xmalloc(sizeof *ranges * n);
    size_t nchars = 0, nranges = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && continues_range(g, j))
            j++;
        if (j - i > 1)
            ranges[nranges++] = (cmap_entry){i, j - 1};
        else
            chars[nchars++] = (cmap_entry){i, i};
        i = j;
    }
    nb_buf_puts(b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                   "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                   "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                   "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    write_entries(b, g, chars, nchars, false);
    write_entries(b, g, ranges, nranges, true);
    nb_buf_puts(b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    free(chars);
    free(ranges);
}

static bool set_tounicode(HPDF_Doc pdf, HPDF_Dict font, const nb_pdf_glyph *g, size_t n,
                          int level)
{
    nb_buf b = {0};
    tounicode_cmap(&b, g, n);
    HPDF_Dict cmap = stream_of(pdf, b.data, b.len, level);
    nb_buf_free(&b);
    return cmap && HPDF_Dict_Add(font, "ToUnicode", cmap) == HPDF_OK;
}

/* The Type0 font's own entries, pointing at its descendant. */
static bool set_type0(HPDF_Doc pdf, HPDF_Dict font, const char *base_font, HPDF_Dict cid)
{
    HPDF_Array descendants = HPDF_Array_New(pdf->mmgr);
    if (!descendants)
        return false;
    HPDF_STATUS ret = HPDF_Dict_AddName(font, "Type", "Font");
    ret += HPDF_Dict_AddName(font, "Subtype", "Type0");
    ret += HPDF_Dict_AddName(font, "BaseFont", base_font);
    ret += HPDF_Dict_AddName(font, "Encoding", "Identity-H");
    ret += HPDF_Dict_Add(font, "DescendantFonts", descendants);
    ret += HPDF_Array_Add(descendants, cid);
    return ret == HPDF_OK;
}

HPDF_Dict nb_pdf_font(HPDF_Doc pdf, const nb_font_program *prog, const char *base_font,
                      const unsigned char *zdata, size_t zlen, const nb_pdf_glyph *glyphs,
                      size_t n, int level, char **error)
{
    *error = NULL;
    if (n == 0) {
        *error = nb_xstrdup("a font with no glyphs drawn");
        return NULL;
    }
    HPDF_Dict font = new_indirect_dict(pdf);
    HPDF_Dict desc = font ? descriptor(pdf, prog, base_font, zdata, zlen) : NULL;
    HPDF_Dict cid = desc ? cid_font(pdf, prog, base_font, desc) : NULL;
    if (!cid)
        *error = message("embed the font program", pdf);
    else if (!set_type0(pdf, font, base_font, cid))
        *error = message("write the font dictionary", pdf);
    else if (!set_widths(pdf, cid, glyphs, n))
        *error = message("write the glyph widths", pdf);
    else if (!set_tounicode(pdf, font, glyphs, n, level))
        *error = message("write the ToUnicode CMap", pdf);
    return *error ? NULL : font;
}

/* ---- strings, destinations, the trailer ---- */

/* A PDF text string: plain ASCII as a literal, anything else as UTF-16BE
 * with a byte order mark (libharu's encoder writes only the BMP). */
static void *text_string(HPDF_MMgr mmgr, const char *utf8)
{
    bool ascii = true;
    for (const char *p = utf8; *p && ascii; p++)
        ascii = *p >= 0x20 && *p < 0x7F;
    if (ascii)
        return HPDF_String_New(mmgr, utf8, NULL);
    nb_buf b = {0};
    nb_buf_append(&b, "\xFE\xFF", 2);
    size_t n = strlen(utf8);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = nb_utf8_decode(utf8 + i, n - i, &cp);
        i += len ? len : 1;
        uint16_t units[2] = {(uint16_t)cp, 0};
        size_t nunits = 1;
        if (cp > 0xFFFF) {
            units[0] = (uint16_t)(0xD800 + ((cp - 0x10000) >> 10));
            units[1] = (uint16_t)(0xDC00 + ((cp - 0x10000) & 0x3FF));
            nunits = 2;
        }
        for (size_t u = 0; u < nunits; u++) {
            char be[2] = {(char)(units[u] >> 8), (char)(units[u] & 0xFF)};
            nb_buf_append(&b, be, 2);
        }
    }
    void *s = HPDF_Binary_New(mmgr, (HPDF_BYTE *)b.data, (HPDF_UINT)b.len);
    nb_buf_free(&b);
    return s;
}

bool nb_pdf_outline_title(HPDF_Outline outline, const char *utf8)
{
    return HPDF_Dict_Add(outline, "Title", text_string(outline->mmgr, utf8)) == HPDF_OK;
}

bool nb_pdf_info(HPDF_Doc pdf, const char *key, const char *utf8)
{
    if (!pdf->info)
        return false;
    return HPDF_Dict_Add(pdf->info, key, text_string(pdf->mmgr, utf8)) == HPDF_OK;
}

/* [page /XYZ null top null]: HPDF_Destination_SetXYZ insists on a zoom. */
bool nb_pdf_destination_top(HPDF_Destination dst, HPDF_Page page, double top)
{
    HPDF_Array_Clear(dst);
    HPDF_STATUS ret = HPDF_Array_Add(dst, page);
    ret += HPDF_Array_AddName(dst, "XYZ");
    ret += HPDF_Array_Add(dst, HPDF_Null_New(dst->mmgr));
    ret += HPDF_Array_AddReal(dst, (HPDF_REAL)top);
    ret += HPDF_Array_Add(dst, HPDF_Null_New(dst->mmgr));
    return ret == HPDF_OK;
}

bool nb_pdf_set_id(HPDF_Doc pdf, const void *seed, size_t len)
{
    HPDF_MD5_CTX ctx;
    HPDF_BYTE digest[16];
    HPDF_MD5Init(&ctx);
    HPDF_MD5Update(&ctx, (const HPDF_BYTE *)seed, (HPDF_UINT32)len);
    HPDF_MD5Final(digest, &ctx);
    HPDF_Array id = HPDF_Array_New(pdf->mmgr);
    if (!id || HPDF_Dict_Add(pdf->trailer, "ID", id) != HPDF_OK)
        return false;
    HPDF_STATUS ret = HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr, digest, 16));
    ret += HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr, digest, 16));
    return ret == HPDF_OK;
}
