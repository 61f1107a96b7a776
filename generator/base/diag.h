/* diag.h — diagnostics: every message a user sees about their input.
 *
 * Each message carries the place it is about (file:line:column, 1-based) and
 * a severity. Stages append to an nb_diags list instead of printing, so that
 * `check` can report every problem at once, `preview` can list warnings on a
 * page of the draft, and tests can assert on exact messages.
 *
 * Printed form:  report.yaml:12:5: what is wrong, what was expected
 *                report.yaml:30:1: warning: ...
 */
#ifndef NB_DIAG_H
#define NB_DIAG_H

#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>

typedef struct nb_pos {
    const char *file; /* not owned; outlives the diagnostics */
    int line;         /* 1-based; 0 when the message is about the whole file */
    int col;          /* 1-based; 0 when unknown */
} nb_pos;

typedef enum { NB_WARNING, NB_ERROR } nb_severity;

/* What an error means for the exit status (see nianbao --help):
 * NB_KIND_INPUT — the input could not be read or understood (exit 2);
 * NB_KIND_RULE  — the input was read, but a figure breaks a rule (exit 1). */
typedef enum { NB_KIND_INPUT, NB_KIND_RULE } nb_error_kind;

typedef struct nb_diag {
    nb_severity severity;
    nb_error_kind kind;
    nb_pos pos;
    char *message;
} nb_diag;

typedef struct nb_diags {
    nb_diag *items;
    size_t count, cap;
    size_t errors;      /* count of NB_ERROR items */
    size_t rule_errors; /* of which NB_KIND_RULE */
} nb_diags;

void nb_error(nb_diags *d, nb_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* nb_error for functions that take their own variable arguments. */
void nb_verror(nb_diags *d, nb_pos pos, const char *fmt, va_list ap);
void nb_rule_error(nb_diags *d, nb_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void nb_warning(nb_diags *d, nb_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* One diagnostic as it is printed, without a newline; caller frees. */
char *nb_diag_format(const nb_diag *diag);
void nb_diags_print(const nb_diags *d, FILE *out);
/* Process exit status for this list: 0 clean, 1 rule errors only, 2 input errors. */
int nb_diags_exit_status(const nb_diags *d);
void nb_diags_free(nb_diags *d);

#endif
