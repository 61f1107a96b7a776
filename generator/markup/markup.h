/* markup.h — the markup stage: parse the rendered report text (Markdown, as md4c reads
 * CommonMark) into the document tree of doc.h.
 *
 * The report's markup, deliberately small:
 *   # 标题                    the report title
 *   ## 一、… / ### (一)… / #### 1.…   headings of levels 1–3
 *   ## 附件                   the attachment label (after a page break)
 *   **1、健全考评机制。**正文…   a run-in heading opening a paragraph
 *   *…*                       emphasis (楷体)
 *   > 2018年3月19日           sign-off lines: date, signature (right-aligned)
 *   ---                       a page break
 *   ![统计表](table:stats)    the statistics table `stats` of the format
 * Anything else Markdown has (lists, code, links' targets, HTML) is not part
 * of an official report and is an error at its line.
 */
#ifndef NB_MARKUP_H
#define NB_MARKUP_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "doc.h"
#include "util.h"

/* Parse `text` (named `name` in messages) and append its blocks to `doc`.
 * Returns false with errors in `d`. */
bool nb_markup_parse(const char *name, const char *text, size_t len,
                     nb_document *doc, nb_arena *a, nb_diags *d);

void nb_document_free(nb_document *doc);

#endif
