/* layout_priv.h — what layout.c and layout_table.c share; private to the
 * layout stage.
 *
 * Layout first turns every block into a list of boxes — one per line of text,
 * one per blank line, one per group of table rows that stay together (a group
 * taller than a page is split into several, layout_table.c) —
 * each holding its runs relative to the box top. Pagination then only has to
 * decide which boxes go on which page (layout.c), so the rules about where a
 * page may break (headings, widows and orphans, table rows) live in one place
 * as flags on the boxes.
 */
#ifndef NB_LAYOUT_PRIV_H
#define NB_LAYOUT_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "layout.h"
#include "layout_linebreak.h"

/* Fraction of the em above the baseline for CJK text: the ideographic em box
 * runs from -0.12 to 0.88 em. */
#define LAY_ASCENT 0.88

/* One character with the face that sets it. */
typedef struct lay_char {
    uint32_t cp;
    const char *src; /* its bytes in the source text */
    unsigned srclen;
    int face; /* -1 for a forced break */
    double size;
    bool bold;
    double advance; /* pt */
} lay_char;

typedef struct lay_chars {
    lay_char *items;
    size_t count, cap;
} lay_chars;

typedef struct lay_box {
    double height;
    size_t run0, nruns;  /* in lay.runs; y is relative to the box top */
    bool keep_with_prev; /* no page break between this box and the one before */
    bool break_before;   /* a page break block: start a new page */
    bool blank;          /* an empty line: dropped at the top of a page */
    int table;           /* index into lay.tables, or -1 */
    int row0, row1;      /* a table box: grid rows [row0, row1) */
    long outline;        /* outline entry placed with this box, or -1 */
} lay_box;

typedef struct lay_table lay_table; /* layout_table.c */

typedef struct lay {
    const nb_page_style *st;
    nb_metrics m;
    nb_arena *a;
    nb_diags *d;
    nb_layout *out;
    double pitch;       /* body character pitch: chars_per_line fill block_width */
    double tracking;    /* pitch - body_size (negative: the grid is tighter than 16 pt) */
    double line_height; /* block_height / lines_per_page */
    bool keep_next;     /* the next box may not start a page (after a heading) */
    nb_run *runs;       /* staged, box-relative */
    size_t nruns, cap_runs;
    lay_box *boxes;
    size_t nboxes, cap_boxes;
    lay_table **tables;
    size_t ntables, cap_tables;
} lay;

/* Append the characters of text[0..len) set in `role` at `size`. A character
 * no face of the role has is an error at `pos`; returns false then. */
bool lay_text(lay *L, lay_chars *out, const char *text, size_t len, nb_font_role role,
              double size, bool bold, nb_pos pos);

/* The characters as the line breaker sees them; caller frees. */
nb_lb_char *lay_lb_chars(const lay_chars *cs);

/* A new box at the end of the list; runs emitted next belong to it. */
lay_box *lay_add_box(lay *L, double height);

/* Stage the runs of line `li` of `r` with its pen starting at x, on the
 * baseline y (relative to the current box's top), into the current box. */
void lay_emit_line(lay *L, const lay_chars *cs, const nb_lb_result *r, size_t li, double x,
                   double y);
/* The same into any run list (page numbers go straight onto their page). */
void lay_emit_line_to(lay *L, nb_run **runs, size_t *nruns, size_t *cap, const lay_chars *cs,
                      const nb_lb_result *r, size_t li, double x, double y);

typedef enum { LAY_LEFT, LAY_CENTER, LAY_RIGHT } lay_align;

typedef enum {
    LAY_KEEP_PARAGRAPH, /* no widow or orphan line */
    LAY_KEEP_ALL,       /* all lines on one page */
} lay_keep;

/* How a block of text is set into lines. */
typedef struct lay_format {
    double size;
    double tracking;
    double first_indent; /* LAY_LEFT */
    double right_gap;    /* LAY_RIGHT: blank between the text and the block edge */
    double line_height;  /* 0: one line of the body grid */
    double space_before; /* extra room above the first line */
    lay_align align;
    bool justify;
    bool balanced;       /* titles */
    lay_keep keep;
    bool keep_with_prev; /* the first line stays with what precedes it */
} lay_format;

/* Break `cs` into lines across the text block, one box per line. */
void lay_set_lines(lay *L, const lay_chars *cs, const lay_format *f, long outline);

/* Add an outline entry; its page and y are filled in when its box is placed. */
long lay_outline(lay *L, const char *title, int level);

/* Tables (layout_table.c). */
bool lay_table_block(lay *L, const nb_block *b, const nb_table_inst *inst);
/* The box holding the table's header rows, or -1 if it has none. */
long lay_table_header_box(const lay_table *t);
/* Table boxes placed one under the other on one page. */
typedef struct lay_row_slice {
    int row0, row1; /* grid rows of the box */
    double top;     /* absolute y of its top */
} lay_row_slice;
/* Rule the grid of the rows placed on `page`. */
void lay_table_rules(const lay_table *t, const lay_row_slice *slices, size_t n,
                     nb_page *page);
/* Draw onto `page` the merged cells that the table's boxes cut (a group of
 * rows taller than a page) and whose part on this page begins in
 * slices[at]: each part shows the cell's text, centred in it. Called before
 * the runs of that slice's box are copied, so the text reads in order. */
void lay_table_cut_cells(lay *L, const lay_table *t, const lay_row_slice *slices, size_t n,
                         size_t at, nb_page *page);
void lay_table_free(lay_table *t);

#endif
