/* pdf_harufix.c — see pdf_harufix.h. */
#include "pdf_harufix.h"

#if HPDF_VERSION_ID != 20300
#error "pdf_harufix.c relies on the private structures of libharu 2.3.0 (hpdf_font.h, \
hpdf_fontdef.h, hpdf_pages.h, hpdf_doc.h); check each correction against this version \
(2.4.x fixes composite glyphs but not the ToUnicode CMap) before widening this guard"
#endif

#include <hpdf_encrypt.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- loading fonts ---- */

HPDF_Font nb_haru_get_font(HPDF_Doc pdf, const char *name)
{
    HPDF_FontDef def = HPDF_Doc_FindFontDef(pdf, name);
    if (!def || def->type != HPDF_FONTDEF_TYPE_TRUETYPE)
        return HPDF_GetFont(pdf, name, "UTF-8");
    /* While the font is created, its cmap is a single empty segment, which
     * maps every code to glyph 0 at once. */
    HPDF_TTFontDefAttr attr = (HPDF_TTFontDefAttr)def->attr;
    HPDF_TTF_CmapRange saved = attr->cmap;
    HPDF_UINT16 end = 0xFFFF, start = 0xFFFF, range_offset = 0;
    HPDF_INT16 delta = 1;
    attr->cmap.format = 4;
    attr->cmap.seg_count_x2 = 2;
    attr->cmap.end_count = &end;
    attr->cmap.start_count = &start;
    attr->cmap.id_delta = &delta;
    attr->cmap.id_range_offset = &range_offset;
    attr->cmap.glyph_id_array_count = 0;
    HPDF_Font font = HPDF_GetFont(pdf, name, "UTF-8");
    attr->cmap = saved;
    return font;
}

/* ---- text ---- */

bool nb_haru_show_codes(HPDF_Page page, const uint16_t *codes, size_t n)
{
    HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
    if (attr->gmode != HPDF_GMODE_TEXT_OBJECT || !attr->gstate->font)
        return false;
    static const char hex[] = "0123456789ABCDEF";
    nb_buf b = {0};
    nb_buf_putc(&b, '<');
    for (size_t i = 0; i < n; i++) {
        char c[4] = {hex[codes[i] >> 12], hex[(codes[i] >> 8) & 15], hex[(codes[i] >> 4) & 15],
                     hex[codes[i] & 15]};
        nb_buf_append(&b, c, 4);
    }
    nb_buf_puts(&b, "> Tj\n");
    bool ok = HPDF_Stream_Write(attr->stream, (const HPDF_BYTE *)b.data, (HPDF_UINT)b.len) ==
              HPDF_OK;
    nb_buf_free(&b);
    return ok;
}

/* ---- fonts ---- */

const char *nb_haru_font_ps_name(HPDF_Font font)
{
    return ((HPDF_FontAttr)font->attr)->fontdef->base_font;
}

static char *message(const char *what, HPDF_Dict obj)
{
    nb_buf m = {0};
    nb_buf_printf(&m, "libharu could not %s (error 0x%04X)", what,
                  (unsigned)HPDF_Error_GetCode(obj->error));
    return nb_buf_detach(&m);
}

/* The descriptor libharu would write at save time, but with our program as
 * FontFile2. Setting fontdef->descriptor stops libharu from making its own
 * (CIDFontType2_BeforeWrite_Func), so its partial subset is never built. */
static bool set_descriptor(HPDF_Font font, const char *base_font, const unsigned char *program,
                           size_t len)
{
    HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
    HPDF_FontDef def = attr->fontdef;
    HPDF_MMgr mmgr = font->mmgr;
    HPDF_Dict desc = HPDF_Dict_New(mmgr);
    if (!desc || HPDF_Xref_Add(attr->xref, desc) != HPDF_OK)
        return false;
    HPDF_Dict file = HPDF_DictStream_New(mmgr, attr->xref);
    if (!file)
        return false;
    file->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    HPDF_STATUS ret = HPDF_Stream_Write(file->stream, program, (HPDF_UINT)len);
    ret += HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)len);
    ret += HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
    ret += HPDF_Dict_AddName(desc, "FontName", base_font);
    ret += HPDF_Dict_AddNumber(desc, "Flags", 4); /* symbolic: glyphs beyond Latin */
    ret += HPDF_Dict_Add(desc, "FontBBox", HPDF_Box_Array_New(mmgr, def->font_bbox));
    ret += HPDF_Dict_AddNumber(desc, "ItalicAngle", def->italic_angle);
    ret += HPDF_Dict_AddNumber(desc, "Ascent", def->ascent);
    ret += HPDF_Dict_AddNumber(desc, "Descent", def->descent);
    ret += HPDF_Dict_AddNumber(desc, "CapHeight", def->cap_height);
    ret += HPDF_Dict_AddNumber(desc, "StemV", def->stemv);
    ret += HPDF_Dict_Add(desc, "FontFile2", file);
    if (ret != HPDF_OK)
        return false;
    def->descriptor = desc;
    /* libharu writes this name as BaseFont of both font dictionaries */
    HPDF_TTFontDefAttr def_attr = (HPDF_TTFontDefAttr)def->attr;
    memset(def_attr->base_font, 0, sizeof def_attr->base_font);
    strncpy(def_attr->base_font, base_font, sizeof def_attr->base_font - 1);
    return true;
}

static HPDF_STATUS add_width(HPDF_Array a, double w)
{
    if (w == (double)(HPDF_INT32)w)
        return HPDF_Array_AddNumber(a, (HPDF_INT32)w);
    return HPDF_Array_AddReal(a, (HPDF_REAL)w);
}

/* The most frequent width becomes DW; W lists the others, by runs of
 * consecutive codes. (libharu's W covers every code of the font.) */
static double most_common_width(const nb_haru_code *codes, size_t n)
{
    double best = 1000;
    size_t best_count = 0;
    for (size_t i = 0; i < n; i++) {
        size_t count = 0;
        for (size_t j = 0; j < n && count <= n / 2; j++)
            count += codes[j].width == codes[i].width;
        if (count > best_count) {
            best = codes[i].width;
            best_count = count;
        }
        if (best_count > n / 2)
            break;
    }
    return best;
}

static bool set_widths(HPDF_Font font, const nb_haru_code *codes, size_t n)
{
    HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
    HPDF_Dict cid = attr->descendant_font;
    double dw = most_common_width(codes, n);
    HPDF_Dict_RemoveElement(cid, "W");
    HPDF_Dict_RemoveElement(cid, "DW");
    HPDF_STATUS ret = dw == (double)(HPDF_INT32)dw
                          ? HPDF_Dict_AddNumber(cid, "DW", (HPDF_INT32)dw)
                          : HPDF_Dict_AddReal(cid, "DW", (HPDF_REAL)dw);
    size_t others = 0;
    for (size_t i = 0; i < n; i++)
        others += codes[i].width != dw;
    if (others == 0)
        return ret == HPDF_OK;
    HPDF_Array w = HPDF_Array_New(font->mmgr);
    if (!w || HPDF_Dict_Add(cid, "W", w) != HPDF_OK)
        return false;
    HPDF_Array group = NULL;
    for (size_t i = 0; i < n && ret == HPDF_OK; i++) {
        if (codes[i].width == dw) {
            group = NULL;
            continue;
        }
        if (!group || codes[i].code != codes[i - 1].code + 1) {
            group = HPDF_Array_New(font->mmgr);
            if (!group)
                return false;
            ret += HPDF_Array_AddNumber(w, codes[i].code);
            ret += HPDF_Array_Add(w, group);
        }
        ret += add_width(group, codes[i].width);
    }
    return ret == HPDF_OK;
}

/* CIDToGIDMap: two bytes per code up to the highest code used (libharu
 * writes one for every code the font's cmap has, 128 KiB). */
static bool set_cid_to_gid(HPDF_Font font, const nb_haru_code *codes, size_t n)
{
    HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
    HPDF_Dict map = attr->map_stream;
    if (!map) {
        map = HPDF_DictStream_New(font->mmgr, attr->xref);
        if (!map || HPDF_Dict_Add(attr->descendant_font, "CIDToGIDMap", map) != HPDF_OK)
            return false;
        attr->map_stream = map;
    } else {
        HPDF_MemStream_FreeData(map->stream);
    }
    size_t len = 2 * ((size_t)codes[n - 1].code + 1);
    HPDF_BYTE *bytes = nb_xcalloc(len, 1);
    for (size_t i = 0; i < n; i++) {
        bytes[2 * codes[i].code] = (HPDF_BYTE)(codes[i].gid >> 8);
        bytes[2 * codes[i].code + 1] = (HPDF_BYTE)codes[i].gid;
    }
    bool ok = HPDF_Stream_Write(map->stream, bytes, (HPDF_UINT)len) == HPDF_OK;
    free(bytes);
    return ok;
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

/* Can codes[i] extend the bfrange that ends at codes[i - 1]? Within a range
 * only the last byte of source and destination may change. */
static bool continues_range(const nb_haru_code *codes, size_t i)
{
    const nb_haru_code *a = &codes[i - 1], *b = &codes[i];
    return b->code == a->code + 1 && b->cp == a->cp + 1 && b->cp <= 0xFFFF &&
           (b->code >> 8) == (a->code >> 8) && (b->cp >> 8) == (a->cp >> 8);
}

typedef struct cmap_entry {
    size_t first, last; /* indices into codes */
} cmap_entry;

static void write_entries(nb_buf *b, const nb_haru_code *codes, const cmap_entry *e, size_t n,
                          bool ranges)
{
    for (size_t start = 0; start < n; start += 100) {
        size_t count = n - start < 100 ? n - start : 100;
        nb_buf_printf(b, "%zu begin%s\n", count, ranges ? "bfrange" : "bfchar");
        for (size_t i = start; i < start + count; i++) {
            nb_buf_printf(b, "<%04X> ", codes[e[i].first].code);
            if (ranges)
                nb_buf_printf(b, "<%04X> ", codes[e[i].last].code);
            nb_buf_putc(b, '<');
            put_utf16(b, codes[e[i].first].cp);
            nb_buf_puts(b, ">\n");
        }
        nb_buf_printf(b, "end%s\n", ranges ? "bfrange" : "bfchar");
    }
}

/* A standard ToUnicode CMap (PDF 32000 9.10.3): each code used maps to its
 * character, consecutive ones as ranges. */
static void tounicode_cmap(nb_buf *b, const nb_haru_code *codes, size_t n)
{
    cmap_entry *chars = nb_xmalloc(sizeof *chars * n), *ranges = nb_xmalloc(sizeof *ranges * n);
    size_t nchars = 0, nranges = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && continues_range(codes, j))
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
    write_entries(b, codes, chars, nchars, false);
    write_entries(b, codes, ranges, nranges, true);
    nb_buf_puts(b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    free(chars);
    free(ranges);
}

static bool set_tounicode(HPDF_Font font, const nb_haru_code *codes, size_t n)
{
    HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
    HPDF_Dict cmap = attr->cmap_stream;
    if (!cmap)
        return false;
    /* these describe libharu's encoding CMap, not a ToUnicode stream */
    HPDF_Dict_RemoveElement(cmap, "Type");
    HPDF_Dict_RemoveElement(cmap, "CMapName");
    HPDF_Dict_RemoveElement(cmap, "CIDSystemInfo");
    HPDF_Dict_RemoveElement(cmap, "WMode");
    HPDF_MemStream_FreeData(cmap->stream);
    nb_buf b = {0};
    tounicode_cmap(&b, codes, n);
    bool ok = HPDF_Stream_Write(cmap->stream, (const HPDF_BYTE *)b.data, (HPDF_UINT)b.len) ==
              HPDF_OK;
    nb_buf_free(&b);
    return ok;
}

bool nb_haru_embed_subset(HPDF_Font font, const char *base_font, const unsigned char *program,
                          size_t len, const nb_haru_code *codes, size_t ncodes, char **error)
{
    HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
    *error = NULL;
    if (attr->type != HPDF_FONT_TYPE0_TT || ncodes == 0) {
        *error = nb_xstrdup("not a TrueType Type0 font with codes drawn");
        return false;
    }
    if (!set_descriptor(font, base_font, program, len))
        *error = message("embed the font program", font);
    else if (!set_widths(font, codes, ncodes))
        *error = message("write the glyph widths", font);
    else if (!set_cid_to_gid(font, codes, ncodes))
        *error = message("write the CIDToGIDMap", font);
    else if (!set_tounicode(font, codes, ncodes))
        *error = message("write the ToUnicode CMap", font);
    return *error == NULL;
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

bool nb_haru_outline_title(HPDF_Outline outline, const char *utf8)
{
    return HPDF_Dict_Add(outline, "Title", text_string(outline->mmgr, utf8)) == HPDF_OK;
}

bool nb_haru_info(HPDF_Doc pdf, const char *key, const char *utf8)
{
    if (!pdf->info)
        return false;
    return HPDF_Dict_Add(pdf->info, key, text_string(pdf->mmgr, utf8)) == HPDF_OK;
}

/* [page /XYZ null top null]: HPDF_Destination_SetXYZ insists on a zoom. */
bool nb_haru_destination_top(HPDF_Destination dst, HPDF_Page page, double top)
{
    HPDF_Array_Clear(dst);
    HPDF_STATUS ret = HPDF_Array_Add(dst, page);
    ret += HPDF_Array_AddName(dst, "XYZ");
    ret += HPDF_Array_Add(dst, HPDF_Null_New(dst->mmgr));
    ret += HPDF_Array_AddReal(dst, (HPDF_REAL)top);
    ret += HPDF_Array_Add(dst, HPDF_Null_New(dst->mmgr));
    return ret == HPDF_OK;
}

bool nb_haru_set_id(HPDF_Doc pdf, const void *seed, size_t len)
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
