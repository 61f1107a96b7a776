/* check_lint.h — warnings about the report's narrative (its text fields, not its
 * figures), each at the file:line:column of the offending character:
 *
 *   - half-width , ; : ? ! ( ) next to Chinese text, where GB/T 15834 wants
 *     the full-width ，；：？！（）;
 *   - doubled punctuation (，， 。。 ，。 …; the ellipsis …… and the dash ——
 *     are single marks);
 *   - a figure of the tables written into the text as a literal number: if
 *     the table changes, the text will not follow. Quote it instead:
 *     `全市共受理申请{{applications.new.total}}件` (format.h, inline figures).
 *     Only a number equal to a cell's figure is taken for it; one that is also
 *     the sum of a group of rows without a cell of its own (（四）无法提供 =
 *     its three items) or of one side of an equal-sums rule is left alone.
 *     A number of three digits or more (or with decimals) is matched against
 *     every figure; a two-digit one only against the tables the same sentence
 *     already quotes (so that "12场新闻发布会" is not taken for a table's 12);
 *     one-digit numbers, years (2024年), dates, ordinals (第3), percentages,
 *     phone numbers and codes are never matched.
 *
 *   - text that still holds the placeholder 【请填写…】 of `nianbao init`
 *     (an error when publishing: `build` refuses it).
 *
 * Otherwise the lint never fails a check: it adds warnings only.
 */
#ifndef NB_LINT_H
#define NB_LINT_H

#include "diag.h"
#include "format.h"
#include "source.h"

/* How `nianbao init` (and the formats' examples) mark what the clerk writes. */
#define NB_PLACEHOLDER "【请填写"

/* `o` (may be NULL): with o->publishing a placeholder is a rule error
 * instead of a warning; o->placeholders counts them. */
struct nb_check_options;
void nb_lint_report(const nb_format *f, const nb_node *data, struct nb_check_options *o,
                    nb_diags *d);

#endif
