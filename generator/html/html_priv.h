/* html_priv.h — internals of the HTML backend, shared by html*.c only. */
#ifndef NB_HTML_PRIV_H
#define NB_HTML_PRIV_H

#include "html.h"

/* What an element is, for its style: in a page a class (`nb-…`) styled by
 * the page's <style>, in a fragment the same declarations written inline. */
typedef enum {
    HS_ARTICLE,
    HS_DRAFT,
    HS_H1,
    HS_H2,
    HS_H3,
    HS_H4,
    HS_ATTACHMENT,
    HS_P,
    HS_ENTRY, /* an entry of the draft's problems list: never justified */
    HS_RUNIN,
    HS_EM,
    HS_SIGNOFF,
    HS_BREAK,
    HS_SCROLL,   /* the box a wide table scrolls in */
    HS_TABLE,
    HS_CAPTION,
    HS_CAPTION_HIDDEN, /* a caption for screen readers only */
    HS_LEAD,     /* a lead line (填报单位) inside the caption */
    HS_FOOT,     /* a foot line under the table */
    HS_HEAD,     /* a column header, a sub-table's caption or heading cell */
    HS_LABEL,    /* a row label */
    HS_SECTION,  /* a row label that heads the rows below it (黑体) */
    HS_GROUP,    /* a merged label left of its rows */
    HS_UNIT,
    HS_NUM,
    HS_EMPTY,
    HS_INDENT1,  /* row labels indented by level; one step per level */
    HS_COUNT = HS_INDENT1 + 6
} html_style;

typedef struct html_writer {
    nb_buf *out;
    nb_html_kind kind;
    const nb_html_input *in;
    nb_diags *d;
} html_writer;

/* ` class="nb-…"` or ` style="…"` for `s` (and `extra`, another style to
 * merge in, or -1). */
void html_style_attr(html_writer *w, html_style s, int extra);
/* The page's stylesheet: every style's class rule, the print and narrow
 * screen rules. */
void html_stylesheet(nb_buf *out, bool draft);

/* `<tag` + style + `>` */
void html_open(html_writer *w, const char *tag, html_style s);
void html_text(html_writer *w, const char *text);

/* One table block (html_table.c). */
bool html_table(html_writer *w, const nb_block *b);

#endif
