/* doc.h — the document tree: what the markup stage produces and the layout
 * stage consumes.
 *
 * A document is a flat list of blocks in reading order. Blocks hold inline
 * spans of UTF-8 text; a span knows only its emphasis, never a font — fonts
 * are chosen by layout from the block kind and level (GB/T 9704 roles).
 */
#ifndef NB_DOC_H
#define NB_DOC_H

#include <stddef.h>

#include "diag.h"
#include "util.h"

typedef enum {
    NB_BLOCK_TITLE,     /* the report title: `# …` — 小标宋 2号, centred */
    NB_BLOCK_HEADING,   /* `## 一、…` level 1 (黑体), `###` 2 (楷体), `####` 3 (仿宋 bold) */
    NB_BLOCK_PARAGRAPH, /* body text, first line indented two characters */
    NB_BLOCK_SIGNOFF,   /* `> …` lines: date and signature, right-aligned */
    NB_BLOCK_PAGEBREAK, /* `---` (a thematic break) */
    NB_BLOCK_TABLE,     /* `![caption](table:ID)` alone in a paragraph */
    NB_BLOCK_ATTACHMENT /* `## 附件` after a page break: 附件 label top-left, 黑体 */
} nb_block_kind;

typedef enum {
    NB_SPAN_PLAIN = 0,
    NB_SPAN_STRONG = 1, /* `**…**`: at the start of a paragraph, a run-in heading */
    NB_SPAN_EMPH = 2,   /* `*…*`: 楷体 in body text */
} nb_span_style;

typedef struct nb_span {
    const char *text; /* UTF-8, no markup left, soft line breaks removed */
    size_t len;
    unsigned style; /* nb_span_style bits */
} nb_span;

/* A paragraph that is an entry of a list of messages (the draft's problems
 * page): flush left and ragged right, never justified, since its Latin text
 * (file names, keys, numbers) would be spread letter by letter. */
enum { NB_PARAGRAPH_ENTRY = 1 };

typedef struct nb_block {
    nb_block_kind kind;
    int level;        /* headings: 1..3; paragraphs: 0, or NB_PARAGRAPH_ENTRY; others 0 */
    nb_span *spans;   /* inline content; `count` of them */
    size_t count;
    const char *table_id; /* NB_BLOCK_TABLE: which table of the format */
    nb_pos pos;           /* where the block came from (template or rendered text) */
} nb_block;

typedef struct nb_document {
    nb_block *blocks;
    size_t count, cap;
} nb_document;

/* Concatenated text of a block's spans (arena copy). */
const char *nb_block_text(const nb_block *b, nb_arena *a);

#endif
