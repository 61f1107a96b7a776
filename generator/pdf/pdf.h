/* pdf.h — backend: draw a laid-out report (layout.h) as a PDF with libharu.
 *
 * Everything about positions was decided by layout; this module only draws:
 * each run in its face and size at its place, table rules as lines, headings
 * as bookmarks, page labels matching the printed page numbers, the document
 * information, and for a draft a 草稿 watermark behind every page.
 *
 * The fonts are embedded as HarfBuzz subsets — CFF outlines as CIDFontType0C,
 * TrueType as CIDFontType2 — with exact text extraction (a standard
 * ToUnicode CMap), as objects nianbao makes itself; see pdf_objects.h. The
 * same input gives a byte-identical file: dates come from nb_pdf_meta, never
 * the clock.
 */
#ifndef NB_PDF_H
#define NB_PDF_H

#include <stdbool.h>

#include "diag.h"
#include "fonts.h"
#include "layout.h"
#include "outfile.h"

typedef struct nb_pdf_meta {
    const char *title, *author, *subject, *keywords, *creator; /* UTF-8; NULL = absent */
    /* CreationDate and ModDate, seconds since 1970 UTC: from the report's date
     * or SOURCE_DATE_EPOCH, never the clock. <= 0: no dates are written. */
    long long date_epoch;
} nb_pdf_meta;

typedef struct nb_pdf_options {
    bool draft; /* a 草稿 watermark on every page: diagonal, light grey, behind the
                   text, drawn as outlines so that it is not extracted as text */
} nb_pdf_options;

/* Write `l` to `path` (atomically: a temporary file renamed into place, at
 * once or, in `group` when not NULL, by nb_outfile_group_end). Returns
 * false with errors in d; then `path` is untouched. */
bool nb_pdf_write(const nb_layout *l, const nb_fontset *fs, const nb_pdf_meta *m,
                  const nb_pdf_options *o, const char *path, nb_outfile_group *group,
                  nb_diags *d);

#endif
