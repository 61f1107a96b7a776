/* build.h — building reports for the command line: one report through the
 * pipeline with its messages and timings, shared by `build`, `preview`,
 * `preview --watch` and batch builds. */
#ifndef NB_BUILD_H
#define NB_BUILD_H

#include <stdbool.h>

#include "fonts.h"
#include "report.h"

typedef struct nb_build_options {
    const char *out_dir;
    const char **inputs;
    int ninputs;
    bool draft;   /* preview: watermark, problems listed instead of stopping */
    bool timings; /* print the time of each stage */
    bool watch;   /* preview --watch: rebuild on every save */
    int jobs;     /* parallel builds of a batch; 0 = one per core */
    bool clear_line; /* a batch's progress line is on the terminal: a report's
                        messages first clear it */
    bool html_fragment; /* also write <name>.fragment.html: the article alone,
                           styles inline, for a portal's editor */
} nb_build_options;

/* Build one report, printing its messages to stderr. Fonts are loaded on
 * first use into *fonts and reused by later reports. Returns the exit status
 * (0, 1 rule broken, 2 unreadable). */
int nb_build_report(const nb_build_options *o, const char *input, nb_fontset **fonts);

/* The same, also copying the first error message (if any) to first_error,
 * cut between characters, and, when `problems` is not NULL, setting it to the
 * number of errors and warnings the report has. */
int nb_build_report_ex(const nb_build_options *o, const char *input, nb_fontset **fonts,
                       char *first_error, size_t size, size_t *problems);

/* Build every input of `o`, `o->jobs` at a time in worker processes that
 * share the fonts loaded once before they start. A progress line on a
 * terminal; a summary line per failed report. Returns 0 when all were built,
 * else 1; the good ones are written either way. */
int nb_build_batch(const nb_build_options *o);

/* DIR/<report name><ext>; caller frees. */
char *nb_build_output_path(const nb_build_options *o, const nb_report *r, const char *ext);

nb_fontset *nb_build_load_fonts(const char *report, nb_diags *d);
double nb_now_seconds(void);

#endif
