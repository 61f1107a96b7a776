/* check.h — every figure of a report checked against its format before
 * anything is published.
 *
 * Two passes over the same table definitions the PDF and XLSX use:
 *   figures — each value cell's data is present and is a number (or left
 *             empty with ~): not text, not "1,234", not negative;
 *   rules   — each rule of the format (sum, equal sums, at most) holds.
 * Every failure is reported at the file:line:column of the figure in the
 * report's YAML, naming the rule in words and the cells involved.
 */
#ifndef NB_CHECK_H
#define NB_CHECK_H

#include "diag.h"
#include "format.h"
#include "source.h"

/* Check `data` (the report's root) against `f`. Problems with figures are
 * input errors (exit 2); broken rules are rule errors (exit 1). */
void nb_check_report(const nb_format *f, const nb_node *data, nb_diags *d);

#endif
