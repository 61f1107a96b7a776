/* source_slips.h — the slips of a Chinese input method in a YAML file
 * (full-width colons and commas, a key without the space after its colon,
 * thousands separators inside {…}, tabs), found in the text itself so that
 * the message names what was typed, where it was typed. Internal to the
 * source stage. */
#ifndef NB_SOURCE_SLIPS_H
#define NB_SOURCE_SLIPS_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

/* Before parsing: slips that libyaml would read with another meaning (1,040
 * inside {…} is two entries). False, with an error in d, at the first. */
bool nb_slips_check(const char *name, const char *text, size_t len, nb_diags *d);

/* After libyaml failed at line `at_line` (1-based): the slip on that line
 * or the two before it that made it fail. True, with an error in d, when
 * there is one; false when the failure is something else. */
bool nb_slips_explain(const char *name, const char *text, size_t len, int at_line,
                      nb_diags *d);

#endif
