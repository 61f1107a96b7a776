/* fonts_priv.h — what fonts.c and fonts_subset.c share about a face, and
 * nothing outside the fonts stage sees. */
#ifndef NB_FONTS_PRIV_H
#define NB_FONTS_PRIV_H

#include <stddef.h>

#include <hb.h>

#include "fonts.h"

typedef struct nb_face_priv {
    hb_face_t *hb_face;      /* opened on the first subset */
    unsigned *gids;          /* the glyphs of the kept subset, as asked for */
    size_t ngids;
    nb_font_program program; /* the kept subset; owns data and cid */
} nb_face_priv;

void nb_face_priv_free(nb_face_priv *p);

#endif
