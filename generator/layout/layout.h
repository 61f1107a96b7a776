/* layout.h — the layout stage: set the document tree on A4 pages.
 *
 * Input: the document tree (doc.h), the report's bound tables (format.h) and
 * font metrics (fonts.h). Output: pages of positioned text runs and ruled
 * lines, plus an outline of headings — everything a backend needs to draw,
 * nothing it has to decide. Layout knows GB/T 9704 (margins, 22 lines × 28
 * characters, roles per heading level, page numbers) and the clreq line
 * composition rules (layout_linebreak.h); it never calls libharu.
 *
 * Coordinates are PDF points with the origin at the bottom-left of the page.
 */
#ifndef NB_LAYOUT_H
#define NB_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "doc.h"
#include "fonts.h"
#include "format.h"
#include "util.h"

/* A stretch of text on one line in one face, drawn from (x, y) on the
 * baseline with `char_space` extra points after every character. */
typedef struct nb_run {
    int face;          /* index into the fontset */
    double size;       /* pt */
    double x, y;       /* baseline start */
    double char_space; /* pt, for justification; 0 normally */
    bool bold;         /* emboldened by stroking (the face has no bold) */
    const char *text;  /* UTF-8 */
    size_t len;
} nb_run;

/* A straight ruled line (table borders). */
typedef struct nb_stroke {
    double x0, y0, x1, y1;
    double width; /* pt */
} nb_stroke;

typedef struct nb_page {
    nb_run *runs;
    size_t nruns, cap_runs;
    nb_stroke *strokes;
    size_t nstrokes, cap_strokes;
    int number; /* the page number printed on it (1-based) */
} nb_page;

/* A heading, for the PDF's bookmarks. */
typedef struct nb_outline_entry {
    const char *title;
    int level; /* 0 = title, 1..3 = heading levels */
    size_t page;
    double y; /* top of the heading on its page */
} nb_outline_entry;

typedef struct nb_page_style {
    double page_width, page_height;   /* A4: 595.28 × 841.89 pt */
    double margin_top, margin_left;   /* 37 mm, 28 mm */
    double block_width, block_height; /* 版心 156 × 225 mm */
    double body_size;                 /* 3号 = 16 pt */
    int lines_per_page;               /* 22 */
    int chars_per_line;               /* 28 */
    double title_size;                /* 2号 = 22 pt */
    double folio_size;                /* page number, 4号 = 14 pt */
    double folio_gap;                 /* 7 mm between block bottom and page number */
    double table_size;                /* table text, pt */
    double table_title_size;          /* a table's title line, pt */
} nb_page_style;

/* GB/T 9704-2012 */
extern const nb_page_style nb_gbt9704_style;

typedef struct nb_layout {
    double width, height;
    nb_page *pages;
    size_t npages, cap_pages;
    nb_outline_entry *outline;
    size_t noutline, cap_outline;
} nb_layout;

/* More pages than this is an error: no report is that long. */
#define NB_LAYOUT_MAX_PAGES 1000

/* Lay out `doc`. Tables named by NB_BLOCK_TABLE are looked up by id in
 * `tables`. A character that no font of its role has is an error naming it
 * (U+xxxx) and the block's place. Returns NULL on error. */
nb_layout *nb_layout_document(const nb_document *doc, const nb_table_inst *tables,
                              size_t ntables, nb_metrics metrics,
                              const nb_page_style *style, nb_arena *a, nb_diags *d);

/* Runs and strokes are allocated with nb_x* functions: free them here. */
void nb_layout_free(nb_layout *l);

#endif
