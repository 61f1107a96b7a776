/* pdf_harufix.c — see pdf_harufix.h. */
#include "pdf_harufix.h"

#if HPDF_VERSION_ID != 20300
#error "pdf_harufix.c relies on the private structures of libharu 2.3.0 (hpdf_font.h, \
hpdf_fontdef.h, hpdf_pages.h, hpdf_doc.h); check each correction against this version \
(2.4.x fixes composite glyphs but not the ToUnicode CMap) before widening this guard"
#endif

#include <hpdf_encrypt.h>
#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- deflating ---- */

/* `len` bytes as a zlib stream deflated at `level` by libdeflate (1
 * fastest … 12 smallest), in one call; NULL if that fails. Caller frees.
 * libdeflate compresses whole buffers only, which is all a PDF stream
 * needs, and a CJK font program 2.7 times as fast as zlib's fastest level
 * and 5% smaller (measured on the sample's: 2.0 ms, 145 KB against 5.5 ms,
 * 153 KB; libharu's zlib level 6: 9 ms, 137 KB). */
static unsigned char *deflated(const void *data, size_t len, int level, size_t *out_len)
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
 * saving; a stream deflated beforehand is saved as it is (filter NONE) and
 * names its filter here, among its dictionary's entries. */
static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream out)
{
    (void)dict;
    return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

/* Replace the data of stream `dict` by `len` bytes of `data` deflated. */
static bool put_deflated(HPDF_Dict dict, const void *data, size_t len, int level)
{
    size_t n;
    unsigned char *z = deflated(data, len, level, &n);
    if (!z)
        return false;
    HPDF_MemStream_FreeData(dict->stream);
    bool ok = HPDF_Stream_Write(dict->stream, z, (HPDF_UINT)n) == HPDF_OK;
    free(z);
    dict->filter = HPDF_STREAM_FILTER_NONE;
    dict->write_fn = write_flate_filter;
    return ok;
}

/* A new stream object holding `data` deflated. */
static HPDF_Dict deflated_stream(HPDF_Font font, const void *data, size_t len, int level)
{
    HPDF_Dict s = HPDF_DictStream_New(font->mmgr, ((HPDF_FontAttr)font->attr)->xref);
    return s && put_deflated(s, data, len, level) ? s : NULL;
}

bool nb_haru_deflate_contents(HPDF_Page page, int level, nb_buf *content)
{
    HPDF_Dict contents = ((HPDF_PageAttr)page->attr)->contents;
    size_t start = content->len;
    HPDF_UINT n = HPDF_MemStream_GetBufCount(contents->stream);
    for (HPDF_UINT i = 0; i < n; i++) {
        HPDF_UINT len;
        HPDF_BYTE *p = HPDF_MemStream_GetBufPtr(contents->stream, i, &len);
        if (!p)
            return false;
        nb_buf_append(content, (const char *)p, len);
    }
    return put_deflated(contents, content->data + start, content->len - start, level);
}

/* ---- fonts ---- */

static void free_font_attr(HPDF_Dict font)
{
    HPDF_FreeMem(font->mmgr, font->attr);
}

HPDF_Font nb_haru_new_font(HPDF_Doc pdf)
{
    HPDF_Font font = HPDF_Dict_New(pdf->mmgr);
    if (!font)
        return NULL;
    HPDF_FontAttr attr = HPDF_GetMem(pdf->mmgr, sizeof *attr);
    if (!attr) {
        HPDF_Dict_Free(font);
        return NULL;
    }
    memset(attr, 0, sizeof *attr);
    /* what HPDF_Page_SetFontAndSize checks and reads */
    font->header.obj_class |= HPDF_OSUBCLASS_FONT;
    attr->type = HPDF_FONT_TYPE0_TT;
    attr->writing_mode = HPDF_WMODE_HORIZONTAL;
    attr->xref = pdf->xref;
    font->attr = attr;
    font->free_fn = free_font_attr;
    if (HPDF_Xref_Add(pdf->xref, font) != HPDF_OK) /* frees the font on failure */
        return NULL;
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

static char *message(const char *what, HPDF_Dict obj)
{
    nb_buf m = {0};
    nb_buf_printf(&m, "libharu could not %s (error 0x%04X)", what,
                  (unsigned)HPDF_Error_GetCode(obj->error));
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

/* The font descriptor, with the font program deflated as FontFile2. */
static HPDF_Dict descriptor(HPDF_Font font, const nb_haru_font_info *info, int level)
{
    HPDF_MMgr mmgr = font->mmgr;
    HPDF_Dict desc = HPDF_Dict_New(mmgr);
    if (!desc || HPDF_Xref_Add(((HPDF_FontAttr)font->attr)->xref, desc) != HPDF_OK)
        return NULL;
    HPDF_Dict file = deflated_stream(font, info->program, info->len, level);
    HPDF_Array bbox = HPDF_Array_New(mmgr);
    if (!file || !bbox)
        return NULL;
    HPDF_STATUS ret = HPDF_OK;
    for (int i = 0; i < 4; i++)
        ret += HPDF_Array_AddNumber(bbox, info->bbox[i]);
    ret += HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)info->len);
    ret += HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
    ret += HPDF_Dict_AddName(desc, "FontName", info->base_font);
    ret += HPDF_Dict_AddNumber(desc, "Flags", 4); /* symbolic: glyphs beyond Latin */
    ret += HPDF_Dict_Add(desc, "FontBBox", bbox);
    ret += dict_number(desc, "ItalicAngle", info->italic_angle);
    ret += HPDF_Dict_AddNumber(desc, "Ascent", info->ascent);
    ret += HPDF_Dict_AddNumber(desc, "Descent", info->descent);
    ret += HPDF_Dict_AddNumber(desc, "CapHeight", info->cap_height);
    ret += HPDF_Dict_AddNumber(desc, "StemV", 0); /* unknown; libharu writes 0 too */
    ret += HPDF_Dict_Add(desc, "FontFile2", file);
    return ret == HPDF_OK ? desc : NULL;
}

/* The Type0 font's descendant: a CIDFontType2 whose CIDs are the codes. */
static HPDF_Dict cid_font(HPDF_Font font, const nb_haru_font_info *info, HPDF_Dict desc)
{
    HPDF_MMgr mmgr = font->mmgr;
    HPDF_Dict cid = HPDF_Dict_New(mmgr);
    if (!cid || HPDF_Xref_Add(((HPDF_FontAttr)font->attr)->xref, cid) != HPDF_OK)
        return NULL;
    HPDF_Dict system = HPDF_Dict_New(mmgr);
    if (!system)
        return NULL;
    HPDF_STATUS ret = HPDF_Dict_Add(system, "Registry", HPDF_String_New(mmgr, "Adobe", NULL));
    ret += HPDF_Dict_Add(system, "Ordering", HPDF_String_New(mmgr, "Identity", NULL));
    ret += HPDF_Dict_AddNumber(system, "Supplement", 0);
    ret += HPDF_Dict_AddName(cid, "Type", "Font");
    ret += HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
    ret += HPDF_Dict_AddName(cid, "BaseFont", info->base_font);
    ret += HPDF_Dict_Add(cid, "CIDSystemInfo", system);
    ret += HPDF_Dict_Add(cid, "FontDescriptor", desc);
    return ret == HPDF_OK ? cid : NULL;
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

static bool set_widths(HPDF_Dict cid, const nb_haru_code *codes, size_t n)
{
    double dw = most_common_width(codes, n);
    HPDF_STATUS ret = dict_number(cid, "DW", dw);
    size_t others = 0;
    for (size_t i = 0; i < n; i++)
        others += codes[i].width != dw;
    if (others == 0)
        return ret == HPDF_OK;
    HPDF_Array w = HPDF_Array_New(cid->mmgr);
    if (!w || HPDF_Dict_Add(cid, "W", w) != HPDF_OK)
        return false;
    HPDF_Array group = NULL;
    for (size_t i = 0; i < n && ret == HPDF_OK; i++) {
        if (codes[i].width == dw) {
            group = NULL;
            continue;
        }
        if (!group || codes[i].code != codes[i - 1].code + 1) {
            group = HPDF_Array_New(cid->mmgr);
            if (!group)
                return false;
            ret += HPDF_Array_AddNumber(w, codes[i].code);
            ret += HPDF_Array_Add(w, group);
        }
        ret += add_number(group, codes[i].width);
    }
    return ret == HPDF_OK;
}

/* CIDToGIDMap: two bytes per code up to the highest code used (libharu
 * writes one for every code the font's cmap has, 128 KiB). */
static bool set_cid_to_gid(HPDF_Font font, HPDF_Dict cid, const nb_haru_code *codes, size_t n,
                           int level)
{
    size_t len = 2 * ((size_t)codes[n - 1].code + 1);
    HPDF_BYTE *bytes = nb_xcalloc(len, 1);
    for (size_t i = 0; i < n; i++) {
        bytes[2 * codes[i].code] = (HPDF_BYTE)(codes[i].gid >> 8);
        bytes[2 * codes[i].code + 1] = (HPDF_BYTE)codes[i].gid;
    }
    HPDF_Dict map = deflated_stream(font, bytes, len, level);
    free(bytes);
    return map && HPDF_Dict_Add(cid, "CIDToGIDMap", map) == HPDF_OK;
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

static bool set_tounicode(HPDF_Font font, const nb_haru_code *codes, size_t n, int level)
{
    nb_buf b = {0};
    tounicode_cmap(&b, codes, n);
    HPDF_Dict cmap = deflated_stream(font, b.data, b.len, level);
    nb_buf_free(&b);
    return cmap && HPDF_Dict_Add(font, "ToUnicode", cmap) == HPDF_OK;
}

/* The Type0 font's own entries, pointing at its descendant. */
static bool set_type0(HPDF_Font font, const char *base_font, HPDF_Dict cid)
{
    HPDF_Array descendants = HPDF_Array_New(font->mmgr);
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

bool nb_haru_embed_subset(HPDF_Font font, const nb_haru_font_info *info,
                          const nb_haru_code *codes, size_t ncodes, int level, char **error)
{
    HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
    *error = NULL;
    if (attr->type != HPDF_FONT_TYPE0_TT || attr->descendant_font || ncodes == 0) {
        *error = nb_xstrdup("not a font made by nb_haru_new_font, with codes drawn");
        return false;
    }
    HPDF_Dict desc = descriptor(font, info, level);
    HPDF_Dict cid = desc ? cid_font(font, info, desc) : NULL;
    if (!cid)
        *error = message("embed the font program", font);
    else if (!set_type0(font, info->base_font, cid))
        *error = message("write the font dictionary", font);
    else if (!set_widths(cid, codes, ncodes))
        *error = message("write the glyph widths", font);
    else if (!set_cid_to_gid(font, cid, codes, ncodes, level))
        *error = message("write the CIDToGIDMap", font);
    else if (!set_tounicode(font, codes, ncodes, level))
        *error = message("write the ToUnicode CMap", font);
    attr->descendant_font = cid;
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
