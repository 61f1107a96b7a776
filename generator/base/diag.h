/* diag.h — diagnostics: every message a user sees about their input.
 *
 * Each message carries the place it is about (file:line:column, 1-based) and
 * a severity. Stages append to an nb_diags list instead of printing, so that
 * `check` can report every problem at once, `preview` can list warnings on a
 * page of the draft, and tests can assert on exact messages.
 *
 * Printed form:  report.yaml:12:5: error: what is wrong, what was expected
 *                report.yaml:30:1: warning: ...
 *                report.yaml:40:9: note: a detail of the message above
 *
 * The format strings are English; add() looks each up in the catalog of the
 * user's language (i18n.h), so every message is translated here, centrally.
 */
#ifndef NB_DIAG_H
#define NB_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>

typedef struct nb_pos {
    const char *file; /* not owned; outlives the diagnostics */
    int line;         /* 1-based; 0 when the message is about the whole file */
    int col;          /* 1-based; 0 when unknown */
} nb_pos;

/* A note adds to the error or warning before it (the terms of a broken sum,
 * say); it counts as neither. */
typedef enum { NB_WARNING, NB_ERROR, NB_NOTE } nb_severity;

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
void nb_note(nb_diags *d, nb_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A copy of one message (already formatted and translated) into d. */
void nb_diag_copy(nb_diags *d, const nb_diag *g);

/* One diagnostic with its place, without a newline: warnings and notes are
 * labelled, errors are not (the form tests and the draft's problems page
 * use); caller frees. */
char *nb_diag_format(const nb_diag *diag);
/* The same as the program prints it: every message labelled error, warning
 * or note; with colour, the place and the label in the terminal's colours
 * (as GCC prints them). Caller frees. */
char *nb_diag_format_labelled(const nb_diag *diag, bool colour);
/* Every message, labelled, one a line. */
void nb_diags_print(const nb_diags *d, FILE *out);
void nb_diags_print_styled(const nb_diags *d, FILE *out, bool colour);
/* Process exit status for this list: 0 clean, 1 rule errors only, 2 input errors. */
int nb_diags_exit_status(const nb_diags *d);
void nb_diags_free(nb_diags *d);

#endif
