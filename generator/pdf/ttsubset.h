/* ttsubset.h — a TrueType font program that holds only the glyphs a
 * document draws, for embedding in a PDF (FontFile2).
 *
 * Glyphs are renumbered densely — 0 stays .notdef, then the drawn glyphs and
 * every component their composite glyphs need (followed through nested
 * composites, glyph ids read as unsigned), in their original order — and the
 * component references are rewritten. Only the tables a PDF renderer uses are
 * kept, each cut to the subset: glyf, loca (short offsets when they fit),
 * hmtx (trailing equal advances folded), hhea, maxp, head (checksums redone),
 * OS/2, cvt/fpgm/prep when hinting is kept, and minimal cmap, post (format 3,
 * no glyph names) and name tables — the PDF maps codes to glyphs itself, with
 * its CIDToGIDMap.
 */
#ifndef NB_TTSUBSET_H
#define NB_TTSUBSET_H

#include <stdbool.h>
#include <stddef.h>

#include "fonts.h"

/* What a PDF font descriptor says of the font, in 1/1000 em (rounded
 * toward zero, as libharu 2.3.0 computes them). */
typedef struct nb_tt_metrics {
    int bbox[4];         /* head: xMin yMin xMax yMax of all glyphs */
    int ascent, descent; /* hhea */
    int cap_height;      /* the top of 'H' (of .notdef in a font without H) */
    double italic_angle; /* post, degrees */
} nb_tt_metrics;

typedef struct nb_tt_subset {
    unsigned char *data; /* the font program */
    size_t len;
    unsigned *new_gid;   /* for each glyph asked for, in the same order: its id here */
    unsigned nglyphs;    /* glyphs in the subset, .notdef and components included */
    nb_tt_metrics metrics; /* of the source font */
} nb_tt_subset;

/* Build the subset of `face` holding `gids` (any order; repeats allowed).
 * `strip_hinting` drops the TrueType instructions (glyph programs, fpgm,
 * prep, cvt). `ps_name` goes into the name table. Returns false with a
 * message (caller frees) in *error when the font's tables are damaged. */
bool nb_tt_subset_make(const nb_fontset *fs, int face, const unsigned *gids, size_t ngids,
                       bool strip_hinting, const char *ps_name, nb_tt_subset *out,
                       char **error);
void nb_tt_subset_free(nb_tt_subset *s);

#endif
