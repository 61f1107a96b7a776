/* fonts.c — see fonts.h.
 *
 * fonts.yaml is read with the project's YAML loader (so a mistake in it is
 * reported at file:line:col like any other input), family names are resolved
 * with fontconfig (its answers kept between runs, fonts_cache.h), and every
 * face is opened once with FreeType, which answers all questions about it:
 * coverage, advance widths, tables, outlines.
 */
#define _XOPEN_SOURCE 700
#include "fonts.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_ADVANCES_H
#include FT_CID_H
#include FT_OUTLINE_H
#include FT_TRUETYPE_TABLES_H

#include "fonts_cache.h"
#include "fonts_priv.h"
#include "source.h"
#include "util.h"

static const char *const role_keys[NB_ROLE_COUNT] = {"xiaobiaosong", "fangsong", "hei",
                                                     "kai", "song"};
static const char *const role_names_cn[NB_ROLE_COUNT] = {"小标宋", "仿宋", "黑体",
                                                         "楷体", "宋体"};
/* The designs a candidate may stand in with (`design:` in fonts.yaml). */
static const char *const designs[] = {"小标宋", "仿宋", "黑体", "楷体", "宋体"};
/* How to get a face of the role's own design, for the warning when a
 * stand-in serves the role ("%s": the fonts folder). */
static const char *const install_hints[NB_ROLE_COUNT] = {
    "install fonts-noto-cjk (Noto Serif CJK SC Bold), or put the office's "
    "方正小标宋简体.ttf in %s",
    "put FandolFang-Regular.otf (it comes with nianbao, in its fonts/ folder) or the "
    "office's 仿宋_GB2312.ttf in %s",
    "install fonts-noto-cjk (Noto Sans CJK SC), or put the office's 黑体.ttf in %s",
    "install fonts-arphic-gkai00mp (AR PL KaitiM GB), or put the office's 楷体_GB2312.ttf "
    "in %s",
    "install fonts-noto-cjk (Noto Serif CJK SC), or put the office's 宋体.ttf in %s",
};

const char *nb_font_role_name(nb_font_role r)
{
    return (unsigned)r < NB_ROLE_COUNT ? role_keys[r] : "?";
}

const char *nb_font_role_chinese(nb_font_role r)
{
    return (unsigned)r < NB_ROLE_COUNT ? role_names_cn[r] : "?";
}

const char *nb_font_role_design(nb_font_role r) { return nb_font_role_chinese(r); }

const char *nb_fonts_role_design(const nb_fontset *fs, nb_font_role r)
{
    if ((unsigned)r >= NB_ROLE_COUNT || fs->nchain[r] == 0)
        return "?";
    const char *design = fs->chain_design[r][0];
    return design ? design : role_names_cn[r];
}

/* Diagnostics point at file names inside fonts.yaml's tree (nb_pos.file is
 * not owned), and callers print them after nb_fonts_load has returned, also
 * after a failure. So the tree lives in an arena kept for the whole process:
 * fonts.yaml is a few hundred bytes, read once per run. */
static nb_arena yaml_arena;

/* ---- candidates as written in fonts.yaml ---- */

typedef struct candidate {
    bool is_file;
    const char *name;  /* file name or path, or family name */
    int index;         /* face inside a collection */
    const char *style; /* family: the exact style wanted, or NULL */
    const char *design; /* the design it stands in with ("宋体"), or NULL: the role's */
    const char *label; /* as written, for `nianbao fonts` */
    nb_pos pos;
} candidate;

static bool has_font_extension(const char *s, size_t n)
{
    static const char *const exts[] = {".ttf", ".ttc", ".otf", ".otc"};
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (n >= 4 && strncasecmp(s + n - 4, exts[i], 4) == 0)
            return true;
    return false;
}

/* A file is named with its extension or a path; anything else is a family. */
static bool looks_like_file(const char *s, size_t n)
{
    return has_font_extension(s, n) || memchr(s, '/', n) != NULL;
}

/* "wqy-microhei.ttc#1": the part before '#' names a file, the digits after
 * it the face. */
static bool split_face_index(const char *text, size_t *name_len, int *index)
{
    const char *hash = strrchr(text, '#');
    if (!hash || !hash[1] || strlen(hash + 1) > 5)
        return false;
    for (const char *p = hash + 1; *p; p++)
        if (!isdigit((unsigned char)*p))
            return false;
    if (!looks_like_file(text, (size_t)(hash - text)))
        return false;
    *name_len = (size_t)(hash - text);
    *index = atoi(hash + 1);
    return true;
}

static bool candidate_from_scalar(const nb_node *n, candidate *c, nb_diags *d)
{
    const char *text = nb_scalar(n);
    if (!text || !*text) {
        nb_error(d, n->pos, "an empty font candidate; expected a file name (仿宋_GB2312.ttf) "
                            "or a font family name (AR PL SungtiL GB)");
        return false;
    }
    size_t name_len;
    c->label = text;
    c->pos = n->pos;
    if (split_face_index(text, &name_len, &c->index)) {
        c->is_file = true;
        c->name = nb_arena_strndup(&yaml_arena, text, name_len);
    } else {
        c->is_file = looks_like_file(text, strlen(text));
        c->name = text;
    }
    return true;
}

static const char *map_string(const nb_node *map, const char *key, nb_diags *d)
{
    const nb_node *v = nb_map_get(map, key);
    if (!v)
        return NULL;
    const char *s = nb_scalar(v);
    if (!s || !*s) {
        nb_error(d, v->pos, "'%s' should be a non-empty text", key);
        return NULL;
    }
    return s;
}

static bool candidate_keys_known(const nb_node *n, nb_diags *d)
{
    static const char *const known[] = {"file", "index", "family", "style", "design"};
    bool ok = true;
    for (size_t i = 0; i < n->count; i++) {
        const char *k = n->pairs[i].key->text;
        bool found = false;
        for (size_t j = 0; j < sizeof known / sizeof known[0]; j++)
            found = found || strcmp(k, known[j]) == 0;
        if (!found) {
            nb_error(d, n->pairs[i].key->pos,
                     "unknown key '%s' in a font candidate; expected file (with "
                     "index), or family (with style), and design", k);
            ok = false;
        }
    }
    return ok;
}

static bool candidate_fields(const nb_node *n, candidate *c, nb_diags *d);

/* `design: 宋体`: one of the five designs. */
static bool candidate_design(const nb_node *n, const char **design, nb_diags *d)
{
    const nb_node *v = nb_map_get(n, "design");
    *design = NULL;
    if (!v)
        return true;
    const char *s = nb_scalar(v);
    for (size_t i = 0; s && i < sizeof designs / sizeof designs[0]; i++)
        if (strcmp(s, designs[i]) == 0)
            *design = designs[i];
    if (!*design)
        nb_error(d, v->pos, "'design' should be one of 小标宋, 仿宋, 黑体, 楷体, 宋体: the "
                 "kind of face this font is, when it is not the role's own");
    return *design != NULL;
}

static bool candidate_from_map(const nb_node *n, candidate *c, nb_diags *d)
{
    const char *design;
    if (!candidate_keys_known(n, d) || !candidate_design(n, &design, d))
        return false;
    bool ok = candidate_fields(n, c, d);
    c->design = design;
    if (ok && design)
        c->label = nb_arena_printf(&yaml_arena, "%s [%s]", c->label, design);
    return ok;
}

static bool candidate_fields(const nb_node *n, candidate *c, nb_diags *d)
{
    const char *file = map_string(n, "file", d);
    const char *family = map_string(n, "family", d);
    c->pos = n->pos;
    if ((file != NULL) == (family != NULL)) {
        nb_error(d, n->pos, "a font candidate needs exactly one of 'file' or 'family'");
        return false;
    }
    const nb_node *index = nb_map_get(n, "index");
    const nb_node *style = nb_map_get(n, "style");
    if (file) {
        long long v = 0;
        if (index && (!nb_node_int(index, &v) || v < 0 || v > 65535)) {
            nb_error(d, index->pos, "'index' should be the number of a face in the "
                                    "collection, 0 for the first");
            return false;
        }
        if (style) {
            nb_error(d, style->pos, "'style' goes with 'family'; a file names one face");
            return false;
        }
        *c = (candidate){true, file, (int)v, NULL, NULL, file, n->pos};
        if (v > 0)
            c->label = nb_arena_printf(&yaml_arena, "%s#%lld", file, v);
        return true;
    }
    if (index) {
        nb_error(d, index->pos, "'index' goes with 'file'; with 'family' use 'style'");
        return false;
    }
    c->is_file = false;
    c->name = family;
    c->style = style ? map_string(n, "style", d) : NULL;
    c->label = c->style ? nb_arena_printf(&yaml_arena, "%s (%s)", family, c->style) : family;
    return true;
}

static bool parse_candidate(const nb_node *n, candidate *c, nb_diags *d)
{
    *c = (candidate){0};
    if (n->kind == NB_NODE_SCALAR)
        return candidate_from_scalar(n, c, d);
    if (n->kind == NB_NODE_MAP)
        return candidate_from_map(n, c, d);
    nb_error(d, n->pos, "a font candidate should be a file name, a family name, or "
                        "{file: NAME.ttc, index: N}; found %s",
             nb_value_type_name(nb_node_type(n)));
    return false;
}

/* ---- finding the file of a candidate ---- */

static bool is_regular_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool path_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* A named file: an absolute path as is, else in the first of the font
 * folders that has it (*dir says which). NULL if absent. */
static char *find_named_file(const nb_fontset *fs, const char *name, const char **dir)
{
    *dir = NULL;
    if (name[0] == '/')
        return path_exists(name) ? nb_xstrdup(name) : NULL;
    for (size_t i = 0; i < fs->ndirs; i++) {
        char *path = nb_path_join(fs->dirs[i], name);
        if (path_exists(path)) {
            *dir = fs->dirs[i];
            return path;
        }
        free(path);
    }
    return NULL;
}

typedef struct fc_choice {
    char *file;
    int index;
} fc_choice;

static int int_property(FcPattern *p, const char *object, int fallback)
{
    int v;
    return FcPatternGetInteger(p, object, 0, &v) == FcResultMatch ? v : fallback;
}

/* How far a font is from the plain upright regular face of its family. */
static int distance_from_regular(FcPattern *p)
{
    int weight = int_property(p, FC_WEIGHT, FC_WEIGHT_REGULAR);
    int slant = int_property(p, FC_SLANT, FC_SLANT_ROMAN);
    int width = int_property(p, FC_WIDTH, FC_WIDTH_NORMAL);
    return abs(weight - FC_WEIGHT_REGULAR) * 4 + (slant != FC_SLANT_ROMAN) * 1000 +
           abs(width - FC_WIDTH_NORMAL);
}

/* TrueType or CFF outlines: what HarfBuzz subsets and a PDF embeds (not
 * Type 1, PCF bitmaps, ...). */
static bool has_embeddable_outlines(FcPattern *p)
{
    FcChar8 *format;
    if (FcPatternGetString(p, FC_FONTFORMAT, 0, &format) != FcResultMatch)
        return false;
    return strcmp((const char *)format, "TrueType") == 0 ||
           strcmp((const char *)format, "CFF") == 0;
}

/* Is `a` a better choice than `b`? Ties are broken by file and index so that
 * the choice does not depend on the order fontconfig lists fonts in. */
static bool better_font(FcPattern *a, FcPattern *b)
{
    int da = distance_from_regular(a), db = distance_from_regular(b);
    if (da != db)
        return da < db;
    FcChar8 *fa, *fb;
    FcPatternGetString(a, FC_FILE, 0, &fa);
    FcPatternGetString(b, FC_FILE, 0, &fb);
    int c = strcmp((const char *)fa, (const char *)fb);
    if (c != 0)
        return c < 0;
    return int_property(a, FC_INDEX, 0) < int_property(b, FC_INDEX, 0);
}

/* The installed fonts whose family is exactly `family` (fontconfig compares
 * ignoring case and blanks; unlike FcFontMatch it never substitutes another
 * family), choosing the regular face with TrueType or CFF outlines. */
static fc_choice find_family(const char *family, const char *style)
{
    fc_choice choice = {0};
    FcPattern *pat = FcPatternCreate();
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
    if (style)
        FcPatternAddString(pat, FC_STYLE, (const FcChar8 *)style);
    FcObjectSet *os = FcObjectSetBuild(FC_FILE, FC_INDEX, FC_WEIGHT, FC_SLANT, FC_WIDTH,
                                       FC_FONTFORMAT, (char *)0);
    FcFontSet *set = FcFontList(NULL, pat, os);
    FcPattern *best = NULL;
    for (int i = 0; set && i < set->nfont; i++) {
        FcPattern *p = set->fonts[i];
        FcChar8 *file;
        if (FcPatternGetString(p, FC_FILE, 0, &file) != FcResultMatch)
            continue;
        if (int_property(p, FC_INDEX, 0) >> 16) /* a named instance of a variable font */
            continue;
        if (!has_embeddable_outlines(p))
            continue;
        if (!best || better_font(p, best))
            best = p;
    }
    if (best) {
        FcChar8 *file;
        FcPatternGetString(best, FC_FILE, 0, &file);
        choice.file = nb_xstrdup((const char *)file);
        choice.index = int_property(best, FC_INDEX, 0);
    }
    if (set)
        FcFontSetDestroy(set);
    FcObjectSetDestroy(os);
    FcPatternDestroy(pat);
    return choice;
}

/* ---- opening faces ---- */

static FT_Face ft(const nb_fontset *fs, int face) { return (FT_Face)fs->faces[face].ft_face; }

static const char *ft_error_reason(FT_Error e)
{
    switch (e) {
    case FT_Err_Unknown_File_Format:
        return "is not a font (FreeType does not recognise its format)";
    case FT_Err_Invalid_File_Format:
    case FT_Err_Invalid_Table:
        return "is damaged or not a font";
    case FT_Err_Cannot_Open_Resource:
        return "cannot be opened";
    default:
        return "cannot be read by FreeType";
    }
}

static bool has_table(FT_Face f, char a, char b, char c, char d)
{
    FT_ULong len = 0;
    return FT_Load_Sfnt_Table(f, FT_MAKE_TAG(a, b, c, d), 0, NULL, &len) == 0;
}

/* OS/2 fsType bits (OpenType spec): what the font's licence allows. When
 * several are set, the least restrictive of 0x2/0x4/0x8 applies. */
enum {
    FS_RESTRICTED = 0x0002,
    FS_PREVIEW_PRINT = 0x0004,
    FS_EDITABLE = 0x0008,
    FS_NO_SUBSETTING = 0x0100,
    FS_BITMAP_ONLY = 0x0200,
};

/* Why the licence forbids embedding the face as a subset, or NULL. */
static const char *licence_refusal(FT_Face f)
{
    TT_OS2 *os2 = FT_Get_Sfnt_Table(f, FT_SFNT_OS2);
    unsigned fs_type = os2 ? os2->fsType : 0;
    if ((fs_type & (FS_RESTRICTED | FS_PREVIEW_PRINT | FS_EDITABLE)) == FS_RESTRICTED)
        return "may not be embedded: its licence is \"restricted\" (OS/2 fsType 0x0002); "
               "use a font whose licence allows embedding";
    if (fs_type & FS_BITMAP_ONLY)
        return "may only be embedded as bitmaps (OS/2 fsType 0x0200); a PDF needs its "
               "outlines";
    if (fs_type & FS_NO_SUBSETTING)
        return "may not be subset (OS/2 fsType 0x0100), and embedding a whole CJK font "
               "in every PDF is not done; use another font";
    return NULL;
}

/* A damaged TrueType glyph index: an offset of loca past the end of glyf,
 * or going backwards. FreeType then draws the glyph as nothing, and the PDF
 * would show blank text where the font is used (a heading in 黑体), so such
 * a file is refused when it is read. NULL when the index is sound. */
static const char *damaged_glyph_index(FT_Face f, nb_arena *a)
{
    const TT_Header *head = FT_Get_Sfnt_Table(f, FT_SFNT_HEAD);
    FT_ULong loca_len = 0, glyf_len = 0;
    if (!head || FT_Load_Sfnt_Table(f, FT_MAKE_TAG('l', 'o', 'c', 'a'), 0, NULL, &loca_len) ||
        FT_Load_Sfnt_Table(f, FT_MAKE_TAG('g', 'l', 'y', 'f'), 0, NULL, &glyf_len))
        return NULL; /* no TrueType outlines: nothing to check here */
    size_t entry = head->Index_To_Loc_Format ? 4 : 2;
    size_t count = (size_t)f->num_glyphs + 1;
    if (loca_len < count * entry)
        return nb_arena_printf(a, "is damaged: its loca table has %lu entries for %zu glyphs",
                               (unsigned long)(loca_len / entry), count - 1);
    unsigned char *loca = nb_xmalloc(loca_len);
    const char *why = NULL;
    if (FT_Load_Sfnt_Table(f, FT_MAKE_TAG('l', 'o', 'c', 'a'), 0, loca, &loca_len) != 0)
        why = "is damaged: its loca table cannot be read";
    unsigned long previous = 0;
    for (size_t g = 0; !why && g < count; g++) {
        const unsigned char *p = loca + g * entry;
        unsigned long at = entry == 4 ? (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
                                            (unsigned long)p[2] << 8 | p[3]
                                      : ((unsigned long)p[0] << 8 | p[1]) * 2;
        if (at > glyf_len || at < previous)
            why = nb_arena_printf(a, "is damaged: glyph %zu lies outside its glyf table "
                                  "(%lu bytes); use a good copy of the file", g ? g - 1 : 0,
                                  (unsigned long)glyf_len);
        previous = at;
    }
    free(loca);
    return why;
}

/* Why the PDF writer cannot use this face, or NULL if it can: it needs
 * TrueType (glyf) or CFF outlines, a Unicode cmap, and a licence that
 * allows embedding a subset. */
static const char *unusable_reason(FT_Face f)
{
    if (!FT_IS_SCALABLE(f))
        return "is a bitmap font; a PDF needs outlines";
    if (!has_table(f, 'g', 'l', 'y', 'f') && !has_table(f, 'C', 'F', 'F', ' ')) {
        if (has_table(f, 'C', 'F', 'F', '2'))
            return "has CFF2 (variable) outlines, which a PDF cannot embed; use a static "
                   "OpenType or TrueType version of the font";
        return "has neither TrueType (glyf) nor CFF outlines";
    }
    if (!f->charmap || f->charmap->encoding != FT_ENCODING_UNICODE)
        return "has no Unicode character map";
    return licence_refusal(f);
}

static bool is_cid_keyed(FT_Face f)
{
    FT_Bool cid = 0;
    return FT_Get_CID_Is_Internally_CID_Keyed(f, &cid) == 0 && cid;
}

static int find_open_face(const nb_fontset *fs, const char *path, int index)
{
    for (size_t i = 0; i < fs->nfaces; i++)
        if (fs->faces[i].index == index && strcmp(fs->faces[i].path, path) == 0)
            return (int)i;
    return -1;
}

/* How many faces the file holds, or -1 (with `why`) if it is not a font. */
static long count_faces(FT_Library lib, const char *path, const char **why)
{
    FT_Face probe;
    FT_Error e = FT_New_Face(lib, path, -1, &probe);
    if (e) {
        *why = ft_error_reason(e);
        return -1;
    }
    long n = probe->num_faces;
    FT_Done_Face(probe);
    return n;
}

/* What layout asked last about a character in a role: it asks about every
 * character it sets, and a report of a thousand distinct characters sets
 * each many times; FreeType's cmap lookups and advances for each were a
 * quarter of the time of laying a report out. */
typedef struct pick_memo {
    uint32_t cp;
    int role; /* -1: empty */
    int face;
    double advance;
} pick_memo;

enum { PICK_MEMOS = 4096 }; /* a power of two */

typedef struct fonts_private {
    nb_arena strings; /* paths, families, origins, skip reasons */
    size_t cap_faces;
    pick_memo *memo;  /* PICK_MEMOS, made on first use */
} fonts_private;

static nb_arena *strings(nb_fontset *fs) { return &((fonts_private *)fs->priv)->strings; }

/* Open the face (once per file and index). Returns its index in fs->faces, or
 * -1 with the reason in *why. */
static int open_face(nb_fontset *fs, const char *file, int index, const char *origin,
                     const char **why)
{
    char resolved[PATH_MAX];
    const char *path = realpath(file, resolved) ? resolved : file;
    int found = find_open_face(fs, path, index);
    if (found >= 0)
        return found;
    FT_Library lib = (FT_Library)fs->ft_library;
    if (!is_regular_file(path)) {
        *why = "is not a regular file";
        return -1;
    }
    FT_Face f;
    FT_Error e = FT_New_Face(lib, path, index, &f);
    if (e) {
        /* why: not a font at all, or no such face in the collection */
        long nfaces = count_faces(lib, path, why);
        if (nfaces >= 0 && index >= nfaces)
            *why = nb_arena_printf(strings(fs), "holds %ld face%s; there is no face %d "
                                   "(the first is 0)", nfaces, nfaces == 1 ? "" : "s", index);
        else if (nfaces >= 0)
            *why = ft_error_reason(e);
        return -1;
    }
    if ((*why = unusable_reason(f)) != NULL ||
        (*why = damaged_glyph_index(f, strings(fs))) != NULL) {
        FT_Done_Face(f);
        return -1;
    }
    NB_GROW(fs->faces, fs->nfaces, ((fonts_private *)fs->priv)->cap_faces);
    fs->faces[fs->nfaces] = (nb_face){
        .path = nb_arena_strdup(strings(fs), path),
        .index = index,
        .family = nb_arena_strdup(strings(fs), f->family_name ? f->family_name : "?"),
        .origin = origin,
        .has_bold = (f->style_flags & FT_STYLE_FLAG_BOLD) != 0,
        .cff = !has_table(f, 'g', 'l', 'y', 'f'),
        .cid_keyed = !has_table(f, 'g', 'l', 'y', 'f') && is_cid_keyed(f),
        .ft_face = f,
    };
    return (int)fs->nfaces++;
}

/* ---- the roles ---- */

typedef struct loader {
    nb_fontset *fs;
    nb_diags *d;
    nb_fontcache *cache; /* fontconfig's answers of earlier runs */
    size_t cap_chain[NB_ROLE_COUNT], cap_skipped[NB_ROLE_COUNT];
} loader;

static void skip_candidate(loader *L, nb_font_role r, const candidate *c, const char *why)
{
    nb_fontset *fs = L->fs;
    NB_GROW(fs->skipped[r], fs->nskipped[r], L->cap_skipped[r]);
    fs->skipped[r][fs->nskipped[r]++] = (nb_font_skip){c->label, why, c->pos};
}

static void join_chain(loader *L, nb_font_role r, int face, const char *origin,
                       const char *design)
{
    nb_fontset *fs = L->fs;
    for (size_t i = 0; i < fs->nchain[r]; i++)
        if (fs->chain[r][i] == face)
            return;
    size_t cap = L->cap_chain[r];
    NB_GROW(fs->chain[r], fs->nchain[r], L->cap_chain[r]);
    if (cap != L->cap_chain[r]) {
        fs->chain_origin[r] = nb_xrealloc(fs->chain_origin[r],
                                          L->cap_chain[r] * sizeof *fs->chain_origin[r]);
        fs->chain_design[r] = nb_xrealloc(fs->chain_design[r],
                                          L->cap_chain[r] * sizeof *fs->chain_design[r]);
    }
    fs->chain_origin[r][fs->nchain[r]] = origin;
    /* a design equal to the role's own is no stand-in */
    fs->chain_design[r][fs->nchain[r]] =
        design && strcmp(design, role_names_cn[r]) != 0 ? design : NULL;
    fs->chain[r][fs->nchain[r]++] = face;
}

static const char *origin_of(loader *L, const candidate *c, const char *how)
{
    return nb_arena_printf(strings(L->fs), "%s:%d:%d: %s", L->fs->map_path, c->pos.line,
                           c->pos.col, how);
}

/* A named file that is absent is skipped (the office has not dropped it in);
 * one that is present but unusable is an error, since someone meant it. */
/* The font folders as a phrase: "DIR", or "DIR1, DIR2 or DIR3". */
static const char *folders_phrase(nb_fontset *fs)
{
    nb_buf b = {0};
    for (size_t i = 0; i < fs->ndirs; i++) {
        if (i > 0)
            nb_buf_puts(&b, i + 1 == fs->ndirs ? " or " : ", ");
        nb_buf_puts(&b, fs->dirs[i]);
    }
    const char *phrase = nb_arena_strdup(strings(fs), nb_buf_str(&b));
    nb_buf_free(&b);
    return phrase;
}

static int resolve_file(loader *L, nb_font_role r, const candidate *c, const char **origin,
                        const char **why)
{
    const char *dir;
    char *path = find_named_file(L->fs, c->name, &dir);
    if (!path) {
        *why = c->name[0] == '/' ? "no such file"
               : L->fs->ndirs == 1
                   ? nb_arena_printf(strings(L->fs), "no such file in %s", L->fs->dirs[0])
                   : "no such file in the font folders";
        return -1;
    }
    const char *how = !dir ? nb_arena_printf(strings(L->fs), "file %s", c->label)
                           : nb_arena_printf(strings(L->fs), "file %s in %s", c->label, dir);
    *origin = origin_of(L, c, how);
    int face = open_face(L->fs, path, c->index, *origin, why);
    if (face < 0)
        nb_error(L->d, c->pos, "%s cannot be used as a font for %s (%s): it %s", path,
                 role_names_cn[r], role_keys[r], *why);
    free(path);
    return face;
}

/* fontconfig's choice for the candidate, from the cache when it has it. */
static fc_choice cached_family(loader *L, const candidate *c)
{
    nb_fontcache_answer a;
    if (nb_fontcache_get(L->cache, c->name, c->style, &a))
        return (fc_choice){a.file ? nb_xstrdup(a.file) : NULL, a.index};
    fc_choice ch = find_family(c->name, c->style);
    nb_fontcache_put(L->cache, c->name, c->style,
                     &(nb_fontcache_answer){ch.file, ch.index, false});
    return ch;
}

static int resolve_family(loader *L, nb_font_role r, const candidate *c, const char **origin,
                          const char **why)
{
    fc_choice ch = cached_family(L, c);
    if (!ch.file) {
        *why = "not installed";
        return -1;
    }
    const char *how = nb_arena_printf(strings(L->fs), "fontconfig family \"%s\"", c->label);
    *origin = origin_of(L, c, how);
    int face = open_face(L->fs, ch.file, ch.index, *origin, why);
    if (face < 0) {
        *why = nb_arena_printf(strings(L->fs), "%s: it %s", ch.file, *why);
        nb_warning(L->d, c->pos, "font family \"%s\" is not used for %s (%s): it is "
                   "installed as %s", c->label, role_names_cn[r], role_keys[r], *why);
    }
    free(ch.file);
    return face;
}

/* The role is set in a face of another design: say so, once, with the way
 * to the right one. */
static void warn_stand_in(loader *L, nb_font_role r, nb_pos pos)
{
    const nb_fontset *fs = L->fs;
    const nb_face *f = &fs->faces[fs->chain[r][0]];
    char *hint = nb_arena_printf(strings(L->fs), install_hints[r], folders_phrase(L->fs));
    nb_warning(L->d, pos, "%s (%s) is set in %s (%s), a %s: no %s font is available; to set "
               "it as the standard asks, %s (`nianbao fonts` shows each role's fonts)",
               role_names_cn[r], role_keys[r], f->family, f->path, fs->chain_design[r][0],
               role_names_cn[r], hint);
}

static void load_role(loader *L, nb_font_role r, const nb_pair *pair)
{
    const nb_node *list = pair->value;
    if (list->kind != NB_NODE_SEQ) {
        nb_error(L->d, list->pos, "'%s' should be a list of font candidates (file names "
                 "or family names), tried in order", role_keys[r]);
        return;
    }
    for (size_t i = 0; i < list->count; i++) {
        candidate c;
        if (!parse_candidate(list->items[i], &c, L->d))
            continue;
        const char *why = NULL, *origin = NULL;
        int face = c.is_file ? resolve_file(L, r, &c, &origin, &why)
                             : resolve_family(L, r, &c, &origin, &why);
        if (face >= 0)
            join_chain(L, r, face, origin, c.design);
        else
            skip_candidate(L, r, &c, why);
    }
    if (L->fs->nchain[r] == 0) {
        nb_error(L->d, pair->key->pos, "no font for %s (%s): none of its %zu candidates is "
                 "available; put a font file in %s or install one (`nianbao fonts` lists "
                 "why each was skipped)", role_names_cn[r], role_keys[r], list->count,
                 folders_phrase(L->fs));
    } else if (L->fs->chain_design[r][0]) {
        warn_stand_in(L, r, pair->key->pos);
    }
}

static bool known_role(const char *key)
{
    for (int r = 0; r < NB_ROLE_COUNT; r++)
        if (strcmp(key, role_keys[r]) == 0)
            return true;
    return false;
}

static void check_role_keys(const nb_node *root, nb_diags *d)
{
    for (size_t i = 0; i < root->count; i++) {
        const nb_node *key = root->pairs[i].key;
        if (!known_role(key->text))
            nb_error(d, key->pos, "unknown font role '%s'; the roles are xiaobiaosong "
                     "(小标宋), fangsong (仿宋), hei (黑体), kai (楷体), song (宋体)",
                     key->text);
    }
}

static nb_fontset *new_fontset(const char *map_path, const char *const *dirs, size_t ndirs,
                               nb_diags *d)
{
    FT_Library lib;
    if (FT_Init_FreeType(&lib) != 0) {
        nb_error(d, (nb_pos){map_path, 0, 0}, "cannot start FreeType to read fonts");
        return NULL;
    }
    nb_fontset *fs = nb_xcalloc(1, sizeof *fs);
    fs->ft_library = lib;
    fs->priv = nb_xcalloc(1, sizeof(fonts_private));
    fs->map_path = map_path;
    fs->dirs = nb_arena_alloc(strings(fs), ndirs * sizeof *fs->dirs);
    for (size_t i = 0; i < ndirs; i++)
        fs->dirs[i] = nb_arena_strdup(strings(fs), dirs[i]);
    fs->ndirs = ndirs;
    return fs;
}

/* fonts.yaml of the first folder that has one; the last folder's when none
 * has (so that the error names the folder it belongs in). */
static const char *map_path_in(const char *const *dirs, size_t ndirs)
{
    for (size_t i = 0; i < ndirs; i++) {
        char *map = nb_path_join(dirs[i], "fonts.yaml");
        bool here = is_regular_file(map) || i + 1 == ndirs;
        const char *kept = here ? nb_arena_strdup(&yaml_arena, map) : NULL;
        free(map);
        if (here)
            return kept;
    }
    return NULL;
}

nb_fontset *nb_fonts_load(const char *fonts_dir, nb_diags *d)
{
    return nb_fonts_load_dirs(&fonts_dir, 1, d);
}

nb_fontset *nb_fonts_load_dirs(const char *const *dirs, size_t ndirs, nb_diags *d)
{
    size_t errors_before = d->errors;
    const char *map_path = map_path_in(dirs, ndirs);
    nb_node *root = nb_source_load_file(map_path, &yaml_arena, d);
    if (!root)
        return NULL;
    if (root->kind != NB_NODE_MAP) {
        nb_error(d, root->pos, "fonts.yaml should map each role (xiaobiaosong, fangsong, "
                 "hei, kai, song) to a list of font candidates");
        return NULL;
    }
    check_role_keys(root, d);
    nb_fontset *fs = new_fontset(map_path, dirs, ndirs, d);
    if (!fs)
        return NULL;
    loader L = {.fs = fs, .d = d, .cache = nb_fontcache_open()};
    for (int r = 0; r < NB_ROLE_COUNT; r++) {
        const nb_pair *pair = nb_map_pair(root, role_keys[r]);
        if (pair)
            load_role(&L, (nb_font_role)r, pair);
        else
            nb_error(d, (nb_pos){map_path, 0, 0}, "no list of fonts for role '%s' (%s)",
                     role_keys[r], role_names_cn[r]);
    }
    nb_fontcache_close(L.cache);
    if (d->errors > errors_before) {
        nb_fonts_free(fs);
        return NULL;
    }
    return fs;
}

void nb_fonts_free(nb_fontset *fs)
{
    if (!fs)
        return;
    for (size_t i = 0; i < fs->nfaces; i++) {
        FT_Done_Face((FT_Face)fs->faces[i].ft_face);
        nb_face_priv_free(fs->faces[i].priv);
    }
    FT_Done_FreeType((FT_Library)fs->ft_library);
    for (int r = 0; r < NB_ROLE_COUNT; r++) {
        free(fs->chain[r]);
        free(fs->chain_origin[r]);
        free(fs->chain_design[r]);
        free(fs->skipped[r]);
    }
    free(fs->faces);
    nb_arena_free(strings(fs));
    free(((fonts_private *)fs->priv)->memo);
    free(fs->priv);
    free(fs);
    /* fontconfig keeps its configuration until told otherwise; release it
     * so that a leak checker sees a clean exit (safe when it never started,
     * and a later nb_fonts_load starts it again). */
    FcFini();
}

/* ---- questions about faces ---- */

int nb_fonts_pick(const nb_fontset *fs, nb_font_role role, uint32_t cp)
{
    if ((unsigned)role >= NB_ROLE_COUNT)
        return -1;
    for (size_t i = 0; i < fs->nchain[role]; i++) {
        int face = fs->chain[role][i];
        if (FT_Get_Char_Index(ft(fs, face), cp) != 0)
            return face;
    }
    return -1;
}

unsigned nb_face_glyph(const nb_fontset *fs, int face, uint32_t cp)
{
    return FT_Get_Char_Index(ft(fs, face), cp);
}

double nb_face_advance(const nb_fontset *fs, int face, uint32_t cp)
{
    FT_Face f = ft(fs, face);
    FT_Fixed advance = 0;
    if (FT_Get_Advance(f, FT_Get_Char_Index(f, cp), FT_LOAD_NO_SCALE, &advance) != 0)
        return 0;
    return (double)advance / f->units_per_EM;
}

const char *nb_face_postscript_name(const nb_fontset *fs, int face)
{
    const char *name = FT_Get_Postscript_Name(ft(fs, face));
    return name ? name : fs->faces[face].family;
}

bool nb_face_is_tricky(const nb_fontset *fs, int face)
{
    return FT_IS_TRICKY(ft(fs, face));
}

typedef struct path_walk {
    const nb_path_sink *sink;
    double scale; /* font units to ems */
    double x, y;  /* the current point, in ems */
} path_walk;

static int walk_move(const FT_Vector *to, void *user)
{
    path_walk *w = user;
    w->x = to->x * w->scale;
    w->y = to->y * w->scale;
    w->sink->move_to(w->sink->ctx, w->x, w->y);
    return 0;
}

static int walk_line(const FT_Vector *to, void *user)
{
    path_walk *w = user;
    w->x = to->x * w->scale;
    w->y = to->y * w->scale;
    w->sink->line_to(w->sink->ctx, w->x, w->y);
    return 0;
}

/* A quadratic Bézier is the cubic whose control points lie 2/3 of the way
 * from each end point to the quadratic's control point. */
static int walk_conic(const FT_Vector *control, const FT_Vector *to, void *user)
{
    path_walk *w = user;
    double qx = control->x * w->scale, qy = control->y * w->scale;
    double x = to->x * w->scale, y = to->y * w->scale;
    w->sink->curve_to(w->sink->ctx, w->x + 2.0 / 3 * (qx - w->x), w->y + 2.0 / 3 * (qy - w->y),
                      x + 2.0 / 3 * (qx - x), y + 2.0 / 3 * (qy - y), x, y);
    w->x = x;
    w->y = y;
    return 0;
}

static int walk_cubic(const FT_Vector *c1, const FT_Vector *c2, const FT_Vector *to,
                      void *user)
{
    path_walk *w = user;
    w->x = to->x * w->scale;
    w->y = to->y * w->scale;
    w->sink->curve_to(w->sink->ctx, c1->x * w->scale, c1->y * w->scale, c2->x * w->scale,
                      c2->y * w->scale, w->x, w->y);
    return 0;
}

bool nb_face_outline(const nb_fontset *fs, int face, uint32_t cp, const nb_path_sink *sink)
{
    FT_Face f = ft(fs, face);
    FT_UInt gid = FT_Get_Char_Index(f, cp);
    if (gid == 0)
        return false;
    if (FT_Load_Glyph(f, gid, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP) != 0 ||
        f->glyph->format != FT_GLYPH_FORMAT_OUTLINE)
        return false;
    static const FT_Outline_Funcs funcs = {walk_move, walk_line, walk_conic, walk_cubic, 0, 0};
    path_walk w = {sink, 1.0 / f->units_per_EM, 0, 0};
    return FT_Outline_Decompose(&f->glyph->outline, &funcs, &w) == 0;
}

/* ---- the layout interface ---- */

static int metrics_pick(void *ctx, nb_font_role role, uint32_t cp, double *advance_em)
{
    nb_fontset *fs = ctx;
    fonts_private *p = fs->priv;
    if (!p->memo) {
        p->memo = nb_xmalloc(PICK_MEMOS * sizeof *p->memo);
        for (size_t i = 0; i < PICK_MEMOS; i++)
            p->memo[i].role = -1;
    }
    pick_memo *m = &p->memo[(cp * 2654435761u ^ (uint32_t)role) & (PICK_MEMOS - 1)];
    if (m->role != (int)role || m->cp != cp) {
        int face = nb_fonts_pick(fs, role, cp);
        *m = (pick_memo){cp, (int)role, face, face >= 0 ? nb_face_advance(fs, face, cp) : 0};
    }
    if (m->face >= 0 && advance_em)
        *advance_em = m->advance;
    return m->face;
}

nb_metrics nb_fonts_metrics(nb_fontset *fs) { return (nb_metrics){fs, metrics_pick}; }
