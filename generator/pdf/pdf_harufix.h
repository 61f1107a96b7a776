/* pdf_harufix.h — corrections to what libharu 2.3.0 writes, made through its
 * installed headers (hpdf_objects.h, hpdf_font.h, hpdf_fontdef.h,
 * hpdf_pages.h, hpdf_doc.h) before the document is saved.
 *
 * What libharu 2.3.0 gets wrong with Chinese TrueType fonts (measured, see
 * shared/reference/libharu-cjk.md), and what replaces it here:
 *   - speed: libharu reads and parses the whole font file when a font is
 *     loaded, and looks up every code of the BMP in its cmap when the font is
 *     first used, to build tables that would all be replaced here. Fonts are
 *     built here instead as plain PDF objects; libharu never reads a font.
 *   - text: libharu turns characters above U+FFFF into spaces and measures
 *     every string it shows (which marks glyphs as used, drawn or not).
 *     Text is written here as the backend's own 2-byte codes instead.
 *   - ToUnicode: a `begincidrange` CMap that poppler rejects; replaced by a
 *     standard bfchar/bfrange CMap covering exactly the codes used.
 *   - font program: composite glyphs lose components and nothing but glyf is
 *     subset; replaced by the subset of ttsubset.h, with a CIDToGIDMap cut
 *     to the codes used and a W array listing only them.
 *   - compression: libharu deflates every stream with zlib's default level
 *     through 4 KiB buffers when saving; streams are deflated here once, in
 *     one call, with libdeflate, at a level chosen per kind of stream.
 *   - strings: outline titles and document information are written as
 *     UTF-16 (all of Unicode), destinations keep the reader's zoom, and the
 *     trailer gets an /ID derived from the content (libharu writes none
 *     unless encrypting, and then from the clock).
 * The code depends on the layout of 2.3.0's structures and refuses to
 * compile against another version.
 */
#ifndef NB_PDF_HARUFIX_H
#define NB_PDF_HARUFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

#include "util.h"

/* A Type0 font with the Identity-H encoding, registered in `pdf`, to be
 * selected with HPDF_Page_SetFontAndSize. It stays empty until
 * nb_haru_embed_subset gives it its glyphs; a document must not be saved
 * before. */
HPDF_Font nb_haru_new_font(HPDF_Doc pdf);

/* Show `n` 2-byte codes with the page's current font ("<…> Tj"); the page
 * must be inside BeginText/EndText with a font set. */
bool nb_haru_show_codes(HPDF_Page page, const uint16_t *codes, size_t n);

/* One code a font was drawn with. */
typedef struct nb_haru_code {
    uint16_t code;   /* as written in the content streams */
    uint32_t cp;     /* the character it stands for */
    unsigned gid;    /* its glyph in the embedded program */
    double width;    /* advance, 1/1000 em */
} nb_haru_code;

/* What the font descriptor says of a font program, in 1/1000 em. */
typedef struct nb_haru_font_info {
    const char *base_font;          /* "ABCDEF+Name" */
    int bbox[4];                    /* xMin yMin xMax yMax */
    int ascent, descent, cap_height;
    double italic_angle;            /* degrees */
    const unsigned char *program;   /* a TrueType font file (FontFile2) */
    size_t len;
} nb_haru_font_info;

/* Complete `font` (from nb_haru_new_font): its descendant CIDFontType2 font
 * with descriptor, `program` deflated at libdeflate level `level`, widths and
 * CIDToGIDMap, and its ToUnicode CMap, for `codes` sorted by code. Returns
 * false with a message (caller frees). */
bool nb_haru_embed_subset(HPDF_Font font, const nb_haru_font_info *info,
                          const nb_haru_code *codes, size_t ncodes, int level, char **error);

/* Deflate the page's content stream now, at libdeflate level `level` (it is
 * written as it is when the document is saved), after appending its bytes
 * to `content`. Call once per page, when it is drawn completely. */
bool nb_haru_deflate_contents(HPDF_Page page, int level, nb_buf *content);

/* Set `key` of an outline or of the document information to a text string
 * (UTF-8 in; PDFDocEncoding-safe ASCII or UTF-16BE out). */
bool nb_haru_outline_title(HPDF_Outline outline, const char *utf8);
bool nb_haru_info(HPDF_Doc pdf, const char *key, const char *utf8);

/* Point `dst` at `top` on its page, keeping the reader's zoom and left edge. */
bool nb_haru_destination_top(HPDF_Destination dst, HPDF_Page page, double top);

/* Set the trailer's /ID from an MD5 of `seed` (a description of the content). */
bool nb_haru_set_id(HPDF_Doc pdf, const void *seed, size_t len);

#endif
