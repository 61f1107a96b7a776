/* fonts_subset.c — subsets of faces for embedding (nb_face_subset in
 * fonts.h), made by HarfBuzz (hb-subset) for TrueType and CFF outlines alike.
 *
 * Each face's file is opened by HarfBuzz once, on its first subset, and the
 * last subset is kept with the face: a batch or `--watch` that draws the
 * same glyphs again gets it back without subsetting. A CFF font's subset is
 * its `CFF ` table alone, desubroutinized; the CIDs of a CID-keyed one are
 * read from that table (its charset, through FreeType), which also proves
 * it readable before it is embedded.
 *
 * Threads: a subset touches only its own face (its FT_Face, its HarfBuzz
 * face, its cache) and a FreeType library of its own, so different faces
 * can be subset at the same time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_CID_H
#include FT_TRUETYPE_TABLES_H
#include <hb-subset.h>
#include <hb.h>

#include "fonts.h"
#include "fonts_priv.h"
#include "util.h"

/* Tables a PDF never reads from an embedded font: layout (their glyph
 * closure would also add unused glyphs), vertical metrics, colour,
 * signatures. Hinting goes with HB_SUBSET_FLAGS_NO_HINTING. */
static const char *const dropped_tables[] = {"GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea",
                                             "vmtx", "JSTF", "MATH", "DSIG", "COLR", "CPAL",
                                             "SVG ", "sbix", "CBDT", "CBLC", "EBDT", "EBLC",
                                             "EBSC", "kern", "LTSH", "VDMX", "hdmx", "gasp",
                                             "meta", "morx", "mort", "feat", "STAT"};

static hb_tag_t tag_of(const char *s)
{
    return HB_TAG(s[0], s[1], s[2], s[3]);
}

static void free_program(nb_face_priv *p)
{
    free((void *)p->program.data);
    free((void *)p->program.cid);
    free(p->gids);
    p->program = (nb_font_program){0};
    p->gids = NULL;
    p->ngids = 0;
}

void nb_face_priv_free(nb_face_priv *p)
{
    if (!p)
        return;
    free_program(p);
    if (p->hb_face)
        hb_face_destroy(p->hb_face);
    free(p);
}

static nb_face_priv *face_priv(const nb_fontset *fs, int face)
{
    nb_face *f = &fs->faces[face];
    if (!f->priv)
        f->priv = nb_xcalloc(1, sizeof(nb_face_priv));
    return f->priv;
}

/* The face as HarfBuzz reads it, opened on first use (the file is mapped,
 * not read). */
static hb_face_t *hb_face_of(const nb_fontset *fs, int face, char **error)
{
    nb_face_priv *p = face_priv(fs, face);
    if (p->hb_face)
        return p->hb_face;
    const nb_face *f = &fs->faces[face];
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(f->path);
    if (!blob) {
        *error = nb_xstrdup("HarfBuzz cannot read the file");
        return NULL;
    }
    hb_face_t *hf = hb_face_create(blob, (unsigned)f->index);
    hb_blob_destroy(blob);
    if (hb_face_get_glyph_count(hf) == 0) {
        hb_face_destroy(hf);
        *error = nb_xstrdup("HarfBuzz finds no glyphs in it");
        return NULL;
    }
    p->hb_face = hf;
    return hf;
}

/* A PDF embeds only the `CFF ` table of a CFF font: every other table is
 * left out of its subset, which saves HarfBuzz subsetting them. */
static void drop_all_but_cff(hb_face_t *face, hb_set_t *drop)
{
    hb_tag_t tags[64];
    for (unsigned start = 0, count = 64; count == 64; start += 64) {
        count = 64;
        hb_face_get_table_tags(face, start, &count, tags);
        for (unsigned i = 0; i < count; i++)
            if (tags[i] != HB_TAG('C', 'F', 'F', ' '))
                hb_set_add(drop, tags[i]);
    }
}

/* The glyphs are asked for by character: asked for by glyph id, HarfBuzz
 * first maps every character of the font's cmap back to its glyph (for a
 * Noto CJK face 30 times the work of the whole subset of a title). Should
 * HarfBuzz's cmap lookup pick another glyph than FreeType's, the glyph ids
 * are added (`by_glyph`).
 * CFF glyphs lose their subroutines: measured on the sample, HarfBuzz
 * subsets Noto CJK 2-4 times as fast so, and the subset is no larger (its
 * subroutines served other glyphs). */
static hb_subset_input_t *subset_input(hb_face_t *face, bool cff, const uint32_t *cps,
                                       const unsigned *gids, size_t n, bool by_glyph,
                                       bool keep_hinting)
{
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in)
        return NULL;
    hb_set_t *chars = hb_subset_input_unicode_set(in);
    for (size_t i = 0; i < n; i++)
        hb_set_add(chars, cps[i]);
    hb_set_t *glyphs = hb_subset_input_glyph_set(in);
    for (size_t i = 0; by_glyph && i < n; i++)
        hb_set_add(glyphs, gids[i]);
    hb_set_clear(hb_subset_input_set(in, HB_SUBSET_SETS_LAYOUT_FEATURE_TAG));
    hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (size_t i = 0; i < sizeof dropped_tables / sizeof dropped_tables[0]; i++)
        hb_set_add(drop, tag_of(dropped_tables[i]));
    if (cff)
        drop_all_but_cff(face, drop);
    hb_subset_flags_t flags = keep_hinting ? HB_SUBSET_FLAGS_DEFAULT : HB_SUBSET_FLAGS_NO_HINTING;
    if (cff)
        flags |= HB_SUBSET_FLAGS_DESUBROUTINIZE;
    hb_subset_input_set_flags(in, flags);
    return in;
}

/* A copy of a blob's bytes. */
static unsigned char *blob_copy(hb_blob_t *blob, size_t *len)
{
    unsigned n = 0;
    const char *data = hb_blob_get_data(blob, &n);
    unsigned char *copy = nb_xmalloc(n ? n : 1);
    if (n)
        memcpy(copy, data, n);
    *len = n;
    return copy;
}

/* The descriptor's figures, from the source face, in 1/1000 em. */
static void program_metrics(FT_Face f, nb_font_program *prog)
{
    double k = 1000.0 / f->units_per_EM;
    prog->bbox[0] = (int)(f->bbox.xMin * k);
    prog->bbox[1] = (int)(f->bbox.yMin * k);
    prog->bbox[2] = (int)(f->bbox.xMax * k);
    prog->bbox[3] = (int)(f->bbox.yMax * k);
    prog->ascent = (int)(f->ascender * k);
    prog->descent = (int)(f->descender * k);
    TT_OS2 *os2 = FT_Get_Sfnt_Table(f, FT_SFNT_OS2);
    prog->cap_height = os2 && os2->version >= 2 && os2->sCapHeight > 0
                           ? (int)(os2->sCapHeight * k)
                           : prog->ascent;
    TT_Postscript *post = FT_Get_Sfnt_Table(f, FT_SFNT_POST);
    prog->italic_angle = post ? post->italicAngle / 65536.0 : 0;
    const char *ps = FT_Get_Postscript_Name(f);
    prog->ps_name = ps ? ps : "Font";
}

/* The CID of each requested glyph, read from the subset's CFF table (a
 * CID-keyed CFF keeps its CIDs and renumbers its glyphs); for other fonts
 * the glyph's id in the subset. */
static bool read_cids(const hb_map_t *old_to_new, const unsigned *gids, size_t n,
                      nb_font_program *prog, char **error)
{
    unsigned *cid = nb_xmalloc(sizeof *cid * (n ? n : 1));
    prog->cid = cid;
    for (size_t i = 0; i < n; i++)
        cid[i] = hb_map_get(old_to_new, gids[i]);
    if (!prog->cid_keyed)
        return true;
    FT_Library lib = NULL;
    FT_Face f = NULL;
    bool ok = FT_Init_FreeType(&lib) == 0;
    ok = ok && FT_New_Memory_Face(lib, prog->data, (FT_Long)prog->len, 0, &f) == 0;
    const char *reg = NULL, *ord = NULL;
    FT_Int sup = 0;
    ok = ok && FT_Get_CID_Registry_Ordering_Supplement(f, &reg, &ord, &sup) == 0;
    if (ok) {
        snprintf(prog->registry, sizeof prog->registry, "%s", reg);
        snprintf(prog->ordering, sizeof prog->ordering, "%s", ord);
        prog->supplement = sup;
    }
    for (size_t i = 0; ok && i < n; i++) {
        FT_UInt c = 0;
        ok = FT_Get_CID_From_Glyph_Index(f, cid[i], &c) == 0 && c <= 0xFFFF;
        cid[i] = c;
    }
    if (f)
        FT_Done_Face(f);
    if (lib)
        FT_Done_FreeType(lib);
    if (!ok)
        *error = nb_xstrdup("the subset's CFF charset cannot be read, or a CID is above "
                            "65535");
    return ok;
}

/* The subset's font program: its CFF table, or the whole TrueType file. */
static bool program_data(hb_face_t *subset, nb_font_program *prog, char **error)
{
    hb_blob_t *blob = prog->cff ? hb_face_reference_table(subset, HB_TAG('C', 'F', 'F', ' '))
                                : hb_face_reference_blob(subset);
    size_t len = 0;
    prog->data = blob_copy(blob, &len);
    prog->len = len;
    hb_blob_destroy(blob);
    if (len == 0)
        *error = nb_xstrdup("HarfBuzz made an empty font program");
    return len > 0;
}

/* Does the plan keep every glyph asked for? */
static bool keeps_all(hb_subset_plan_t *plan, const unsigned *gids, size_t n)
{
    const hb_map_t *old_to_new = hb_subset_plan_old_to_new_glyph_mapping(plan);
    for (size_t i = 0; i < n; i++)
        if (!hb_map_has(old_to_new, gids[i]))
            return false;
    return true;
}

static hb_subset_plan_t *make_plan(hb_face_t *hf, const nb_face *f, const uint32_t *cps,
                                   const unsigned *gids, size_t n, hb_subset_input_t **in)
{
    /* FreeType's "tricky" fonts assemble their glyphs with their hinting */
    bool tricky = FT_IS_TRICKY((FT_Face)f->ft_face);
    for (int by_glyph = 0; by_glyph < 2; by_glyph++) {
        *in = subset_input(hf, f->cff, cps, gids, n, by_glyph, tricky);
        hb_subset_plan_t *plan = *in ? hb_subset_plan_create_or_fail(hf, *in) : NULL;
        if (!plan || keeps_all(plan, gids, n))
            return plan;
        hb_subset_plan_destroy(plan);
        hb_subset_input_destroy(*in);
        *in = NULL;
    }
    return NULL;
}

static bool make_subset(const nb_fontset *fs, int face, const uint32_t *cps,
                        const unsigned *gids, size_t n, nb_font_program *prog, char **error)
{
    hb_face_t *hf = hb_face_of(fs, face, error);
    if (!hf)
        return false;
    FT_Face ft = (FT_Face)fs->faces[face].ft_face;
    hb_subset_input_t *in = NULL;
    hb_subset_plan_t *plan = make_plan(hf, &fs->faces[face], cps, gids, n, &in);
    hb_face_t *subset = plan ? hb_subset_plan_execute_or_fail(plan) : NULL;
    bool ok = subset != NULL;
    if (!ok)
        *error = nb_xstrdup("HarfBuzz cannot subset it (damaged tables?)");
    prog->cff = fs->faces[face].cff;
    prog->cid_keyed = fs->faces[face].cid_keyed;
    snprintf(prog->registry, sizeof prog->registry, "Adobe");
    snprintf(prog->ordering, sizeof prog->ordering, "Identity");
    prog->nglyphs = n;
    ok = ok && program_data(subset, prog, error);
    ok = ok && read_cids(hb_subset_plan_old_to_new_glyph_mapping(plan), gids, n, prog, error);
    if (ok)
        program_metrics(ft, prog);
    if (subset)
        hb_face_destroy(subset);
    if (plan)
        hb_subset_plan_destroy(plan);
    if (in)
        hb_subset_input_destroy(in);
    return ok;
}

static bool same_glyphs(const nb_face_priv *p, const unsigned *gids, size_t n)
{
    return p->program.data && p->ngids == n && memcmp(p->gids, gids, n * sizeof *gids) == 0;
}

bool nb_face_subset(const nb_fontset *fs, int face, const uint32_t *cps, const unsigned *gids,
                    size_t n, const nb_font_program **out, char **error)
{
    *error = NULL;
    nb_face_priv *p = face_priv(fs, face);
    if (!same_glyphs(p, gids, n)) {
        free_program(p);
        nb_font_program prog = {0};
        if (!make_subset(fs, face, cps, gids, n, &prog, error)) {
            free((void *)prog.data);
            free((void *)prog.cid);
            return false;
        }
        p->program = prog;
        p->gids = nb_xmalloc(sizeof *gids * (n ? n : 1));
        memcpy(p->gids, gids, n * sizeof *gids);
        p->ngids = n;
    }
    *out = &p->program;
    return true;
}
