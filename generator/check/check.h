/* check.h — every figure of a report checked against its format before
 * anything is published.
 *
 * Passes over the same definitions the PDF and XLSX use:
 *   schema  — the format's `fields:` are present and of the right type, and
 *             the report has no key the format does not know ("did you
 *             mean …?"); check_schema.c;
 *   figures — each value cell's data is present and is a number (or left
 *             empty with ~): not text, not "1,234", not negative; a count is
 *             a whole number, an amount may have decimals;
 *   rules   — each rule of the format (sum, equal sums, at most) holds;
 *   lint    — warnings about the narrative (check_lint.h).
 * Every failure is reported at the file:line:column of the figure in the
 * report's YAML, naming the rule in words and the cells involved.
 */
#ifndef NB_CHECK_H
#define NB_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "format.h"
#include "source.h"

/* Check `data` (the report's root) against `f`: schema, figures, rules and
 * lint. Problems with fields and figures are input errors (exit 2); broken
 * rules are rule errors (exit 1); lint findings are warnings. */
void nb_check_report(const nb_format *f, const nb_node *data, nb_diags *d);

/* What a check is for. */
typedef struct nb_check_options {
    bool publishing;     /* for an official build: a 【请填写…】 placeholder of the
                            skeleton left in the text is a rule error (exit 1),
                            not a warning */
    size_t placeholders; /* out: how many were found */
} nb_check_options;

void nb_check_report_ex(const nb_format *f, const nb_node *data, nb_check_options *o,
                        nb_diags *d);

/* The report's `wording:` (format.h): each key known, each value text, and
 * one warning per override naming the format's wording and the report's. */
void nb_check_wording(const nb_format *f, const nb_node *data, nb_diags *d);

/* The schema pass alone (check_schema.c). */
void nb_check_schema(const nb_format *f, const nb_node *data, nb_diags *d);

/* Check this year's report against last year's (`check --previous`): the
 * year is last year's + 1, and each `carry_over:` rule of the format holds
 * (this year's 上年结转 equals last year's 结转下年度继续办理, column by
 * column). Broken ones are rule errors at this year's figure. */
void nb_check_previous(const nb_format *f, const nb_node *data, const nb_node *previous,
                       nb_diags *d);

#endif
