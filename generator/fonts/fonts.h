/* fonts.h — font roles (小标宋, 仿宋, 黑体, 楷体, 宋体) mapped to font files, and
 * the metrics layout needs.
 *
 * The map is fonts.yaml: for each role, a list of candidates tried in
 * order — a file name (looked up in the font folders first, so an office can
 * drop in its licensed 仿宋_GB2312.ttf) or a fontconfig family name. Every candidate that
 * exists joins the role's fallback chain: a character is set in the first
 * face of the chain that has a glyph for it.
 *
 * A candidate may say it is a face of another design than its role's
 * (`{family: Noto Serif CJK SC, design: 宋体}` in the 仿宋 list): it then
 * serves only as a stand-in, and a role whose first face is a stand-in gets a
 * warning naming the font used and how to install the right one.
 *
 * Faces are read with FreeType (widths, cmap coverage, outlines) and subset
 * for embedding with HarfBuzz (nb_face_subset), TrueType and CFF outlines
 * alike. A face whose OS/2 fsType forbids embedding or subsetting is refused.
 */
#ifndef NB_FONTS_H
#define NB_FONTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

typedef enum {
    NB_ROLE_XIAOBIAOSONG, /* title, 2号 */
    NB_ROLE_FANGSONG,     /* body, 3号; level-3 headings in bold */
    NB_ROLE_HEI,          /* level-1 headings, 附件 */
    NB_ROLE_KAI,          /* level-2 headings */
    NB_ROLE_SONG,         /* page numbers, table cells */
    NB_ROLE_COUNT
} nb_font_role;

const char *nb_font_role_name(nb_font_role r);    /* "fangsong" (the key in fonts.yaml) */
const char *nb_font_role_chinese(nb_font_role r); /* "仿宋" */

typedef struct nb_face {
    const char *path;   /* the font file */
    int index;          /* face index inside a .ttc, else 0 */
    const char *family; /* family name as the font states it */
    const char *origin; /* the fonts.yaml line that first named it (each role's
                           own line is in nb_fontset.chain_origin) */
    bool has_bold;      /* the face itself is bold (no synthetic emboldening needed) */
    bool cff;           /* PostScript (CFF) outlines, else TrueType (glyf) */
    bool cid_keyed;     /* a CID-keyed CFF: its glyphs are named by CIDs */
    void *ft_face;      /* FT_Face; private to fonts.c */
    void *priv;         /* HarfBuzz face and the last subset; private to fonts */
} nb_face;

/* A candidate of fonts.yaml that did not join its role's chain, and why
 * (shown by `nianbao fonts`, so an office sees why its font is not used). */
typedef struct nb_font_skip {
    const char *candidate; /* as written in fonts.yaml */
    const char *why;       /* "no such file in fonts/", "not installed", ... */
    nb_pos pos;
} nb_font_skip;

typedef struct nb_fontset {
    nb_face *faces;
    size_t nfaces;
    int *chain[NB_ROLE_COUNT]; /* face indices, in fallback order */
    size_t nchain[NB_ROLE_COUNT];
    const char **chain_origin[NB_ROLE_COUNT]; /* for each chain entry, the line of
                                                 fonts.yaml that put it there */
    const char **chain_design[NB_ROLE_COUNT]; /* for each chain entry, the design it
                                                 stands in with ("宋体"), or NULL for
                                                 a face of the role's own design */
    void *ft_library; /* private */
    const char *map_path;                /* the fonts.yaml that was read */
    const char **dirs;                   /* the font folders, in search order */
    size_t ndirs;
    nb_font_skip *skipped[NB_ROLE_COUNT]; /* candidates not in the chain */
    size_t nskipped[NB_ROLE_COUNT];
    void *priv; /* private to fonts.c: owns the strings above */
} nb_fontset;

/* Read the font map and open every face it resolves to. `dirs` (at least
 * one) are the font folders in search order: fonts.yaml is read from the
 * first that has one, and a file name of the map is looked up in each in
 * turn (which folders, and in which order, is the program's choice). Fails
 * (NULL, errors in d) when a role has no usable face, or a named file is not
 * a font or may not be embedded. A role served by a stand-in of another
 * design is a warning in d. */
nb_fontset *nb_fonts_load_dirs(const char *const *dirs, size_t ndirs, nb_diags *d);
/* The same with one folder. */
nb_fontset *nb_fonts_load(const char *fonts_dir, nb_diags *d);
void nb_fonts_free(nb_fontset *fs);

/* The face of `role`'s chain that has `cp`, or -1 if none has it. */
int nb_fonts_pick(const nb_fontset *fs, nb_font_role role, uint32_t cp);
/* Advance width of `cp` in `face`, in ems (CJK ideographs 1.0). */
double nb_face_advance(const nb_fontset *fs, int face, uint32_t cp);
/* Glyph id of `cp` in `face` (0 = .notdef). */
unsigned nb_face_glyph(const nb_fontset *fs, int face, uint32_t cp);

/* ---- what the PDF backend needs beyond metrics ---- */

/* The face's PostScript name as FreeType reads it, else its family name;
 * valid while the fontset is. */
const char *nb_face_postscript_name(const nb_fontset *fs, int face);
/* The face is one of FreeType's "tricky" fonts, whose glyphs are assembled by
 * their hinting instructions (these must never be stripped). */
bool nb_face_is_tricky(const nb_fontset *fs, int face);

/* The design a role's faces should have: "仿宋" for fangsong. */
const char *nb_font_role_design(nb_font_role r);
/* The design of the face that sets most of `role`: its first face's. */
const char *nb_fonts_role_design(const nb_fontset *fs, nb_font_role role);

/* ---- subsets for embedding ---- */

/* A font program holding only some glyphs of a face, made by HarfBuzz with
 * hinting and layout tables dropped, and what a PDF says of it. */
typedef struct nb_font_program {
    const unsigned char *data; /* CFF outlines: the subset's `CFF ` table; TrueType:
                                  the whole subset font file */
    size_t len;
    bool cff, cid_keyed;
    char registry[32], ordering[32]; /* CID-keyed CFF: its ROS; else Adobe-Identity */
    int supplement;
    /* For each glyph asked for, in the same order: the CID that names it in a
     * PDF — from the subset's charset for a CID-keyed CFF (not its glyph id:
     * glyphs are renumbered, CIDs kept), else its glyph id in the subset. */
    const unsigned *cid;
    size_t nglyphs;
    const char *ps_name;            /* the face's PostScript name */
    int bbox[4];                    /* 1/1000 em: xMin yMin xMax yMax */
    int ascent, descent, cap_height;
    double italic_angle;            /* degrees */
} nb_font_program;

/* The subset of `face` holding the glyphs `gids` of the characters `cps`
 * (n of each, cps[i] drawn with gids[i], any order). Faces may be
 * subset at the same time from different threads, one thread per face. The
 * result is kept with the face (valid until the face's next subset or
 * nb_fonts_free); a request for the same glyphs again — the next build of a
 * batch or of --watch — returns it without subsetting. False with a message
 * (caller frees) in *error. */
bool nb_face_subset(const nb_fontset *fs, int face, const uint32_t *cps, const unsigned *gids,
                    size_t n, const nb_font_program **out, char **error);

/* Receives a glyph outline as a path, in ems with y up from the baseline. */
typedef struct nb_path_sink {
    void *ctx;
    void (*move_to)(void *ctx, double x, double y);
    void (*line_to)(void *ctx, double x, double y);
    void (*curve_to)(void *ctx, double x1, double y1, double x2, double y2, double x,
                     double y);
} nb_path_sink;

/* The outline of `cp` in `face` (quadratic curves are given as the equal
 * cubics); false if the face has no glyph for it. Every contour is closed. */
bool nb_face_outline(const nb_fontset *fs, int face, uint32_t cp, const nb_path_sink *sink);

/* What layout needs of fonts, as an interface so that layout can be tested
 * with invented metrics and no font files. */
typedef struct nb_metrics {
    void *ctx;
    /* The face that sets `cp` in `role` (-1 if none) and its advance in ems. */
    int (*pick)(void *ctx, nb_font_role role, uint32_t cp, double *advance_em);
} nb_metrics;

nb_metrics nb_fonts_metrics(nb_fontset *fs);

#endif
