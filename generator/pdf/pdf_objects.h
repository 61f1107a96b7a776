/* pdf_objects.h — the PDF objects nianbao makes itself, added to libharu's
 * document through its installed object layer (hpdf_objects.h:
 * HPDF_Dict_New, HPDF_DictStream_New, HPDF_Xref_Add, HPDF_Dict_Add…,
 * HPDF_Array_…, HPDF_Stream_Write).
 *
 * libharu writes pages, their graphics, outlines, page labels and the file.
 * What it cannot do well for Chinese text (measured
 * on Debian 12's libharu 2.3.0) is done here instead:
 *   - fonts: libharu 2.3.0 loads TrueType only, reads the whole font file,
 *     subsets only glyf, loses parts of composite glyphs, writes a 128 KiB
 *     CIDToGIDMap and a ToUnicode CMap poppler rejects. Fonts are built here
 *     as plain objects — a Type0 font with Identity-H, a CIDFontType0
 *     (CFF outlines, FontFile3 /CIDFontType0C) or CIDFontType2 (TrueType,
 *     FontFile2, CIDToGIDMap /Identity) descendant holding a HarfBuzz subset,
 *     W for the codes used only, and a standard ToUnicode CMap — and
 *     referenced from the pages' resources; libharu never sees a font.
 *   - text: each page's text is a content stream of nianbao's own (added to
 *     the page's /Contents after libharu's, which holds the rules and the
 *     watermark), its characters as 2-byte codes (the glyphs' CIDs).
 *   - compression: the font programs are deflated with libdeflate, in the
 *     threads that subset them; the stream is saved as it is, and names its
 *     filter from its write hook — HPDF_Dict's write_fn, set on streams
 *     nianbao itself created (libharu would deflate them with zlib's level 6
 *     through 4 KiB buffers, serially, while saving).
 *   - strings: outline titles and document information as UTF-16 (all of
 *     Unicode), destinations that keep the reader's zoom, and a trailer /ID
 *     derived from the content.
 * Reading libharu's handles (the document's memory manager, xref, info and
 * trailer dictionaries; the stream of a stream object made here) is all
 * this needs of its structures, and the write hook of streams made here is
 * the only field set; no field of libharu's own objects is written.
 */
#ifndef NB_PDF_OBJECTS_H
#define NB_PDF_OBJECTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

#include "fonts.h"
#include "util.h"

/* `len` bytes deflated (zlib format) at libdeflate `level` (1 fastest … 12
 * smallest); NULL if that fails. Caller frees. Safe in any thread. */
unsigned char *nb_pdf_deflate(const void *data, size_t len, int level, size_t *out_len);

/* One code a font is drawn with. */
typedef struct nb_pdf_glyph {
    uint16_t code;   /* as written in the content streams: the glyph's CID */
    uint32_t cp;     /* the character it stands for */
    double width;    /* advance, 1/1000 em */
} nb_pdf_glyph;

/* A complete Type0 font for `prog` (its program already deflated: `zdata`,
 * `zlen`), named `base_font` ("ABCDEF+Name"), drawing `glyphs` (sorted by
 * code, each code once); its small streams are deflated at `level`. NULL
 * with a message (caller frees) in *error. */
HPDF_Dict nb_pdf_font(HPDF_Doc pdf, const nb_font_program *prog, const char *base_font,
                      const unsigned char *zdata, size_t zlen, const nb_pdf_glyph *glyphs,
                      size_t n, int level, char **error);

/* Make `font` available to `page` as /`name` in its resources. */
bool nb_pdf_page_font(HPDF_Doc pdf, HPDF_Page page, const char *name, HPDF_Dict font);

/* Add `len` bytes of content operators, deflated at `level`, as a content
 * stream of the page after libharu's own (once per page, when libharu has
 * drawn everything else). */
bool nb_pdf_page_add_content(HPDF_Doc pdf, HPDF_Page page, const void *bytes, size_t len,
                             int level);

/* Set `key` of an outline or of the document information to a text string
 * (UTF-8 in; PDFDocEncoding-safe ASCII or UTF-16BE out). */
bool nb_pdf_outline_title(HPDF_Outline outline, const char *utf8);
bool nb_pdf_info(HPDF_Doc pdf, const char *key, const char *utf8);

/* Point `dst` at `top` on its page, keeping the reader's zoom and left edge. */
bool nb_pdf_destination_top(HPDF_Destination dst, HPDF_Page page, double top);

/* Set the trailer's /ID from an MD5 of `seed` (a description of the content). */
bool nb_pdf_set_id(HPDF_Doc pdf, const void *seed, size_t len);

#endif
