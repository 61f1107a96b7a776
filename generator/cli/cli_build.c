/* cli_build.c — `nianbao build` and `nianbao preview`: the whole pipeline for
 * one or more reports. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "build.h"
#include "watch.h"

static const char build_usage[] = N_(
    "usage: nianbao build REPORT.yaml... -o DIR [-j N] [--timings] [--html-fragment]\n"
    "\n"
    "Check each report against the rules of its format, then write the official\n"
    "PDF DIR/<name>.pdf, the statistics appendix DIR/<name>.xlsx and the web page\n"
    "DIR/<name>.html. A report whose figures break a rule gets none of them (the\n"
    "previous ones stay as they were); 'nianbao preview' writes a draft of it\n"
    "instead. Several reports are built side by side, with a line for each that\n"
    "failed.\n"
    "\n"
    "options:\n"
    "  -o, --output=DIR  the folder to write to (made if missing)\n"
    "  -j, --jobs=N      build N reports at a time (default: one per core)\n"
    "  --html-fragment   also write DIR/<name>.fragment.html, the article with inline\n"
    "                    styles for a portal's editor\n"
    "  --timings         print the time each stage took\n"
    "  -h, --help        this help\n"
    "\n"
    "example:\n"
    "  nianbao build report.yaml -o out/\n"
    "\n"
    "exit status: 0 every report written; 1 a figure breaks a rule of the format;\n"
    "2 bad usage, or a report that cannot be read.\n");

static const char preview_usage[] = N_(
    "usage: nianbao preview REPORT.yaml -o DIR [--watch]\n"
    "\n"
    "Write a draft DIR/<name>.draft.pdf and DIR/<name>.draft.html, marked 草稿, even\n"
    "when figures break the rules of the format: the problems are listed at the end\n"
    "instead.\n"
    "\n"
    "options:\n"
    "  -o, --output=DIR  the folder to write to (made if missing)\n"
    "  --watch           stay, and write the draft again on every save of the\n"
    "                    report, a template or a font; Ctrl-C stops\n"
    "  --timings         print the time each stage took\n"
    "  -h, --help        this help\n"
    "\n"
    "example:\n"
    "  nianbao preview report.yaml -o out/ --watch\n"
    "\n"
    "exit status: 0 the draft was written (problems listed in it); 2 bad usage, or\n"
    "a report that cannot be read.\n");

static const char *const build_options[] = {"--output", "--jobs", "--timings",
                                             "--html-fragment", "--help", "--watch"};

/* Returns -1 to go on, else the exit status. */
static int parse_option(int argc, char **argv, int *i, nb_build_options *o)
{
    const char *cmd = argv[0], *a = argv[*i], *v;
    bool missing = false;
    if ((v = nb_cli_option_value("--output", argc, argv, i, &missing)) ||
        (v = nb_cli_option_value("-o", argc, argv, i, &missing))) {
        if (!*v) /* `-o ""` wrote into the current folder */
            return nb_cli_usage_error(cmd, "%s needs a folder", "-o");
        if (o->out_dir) /* the last used to win silently: which one was meant? */
            return nb_cli_usage_error(cmd, "%s is given twice ('%s' and '%s'); give one "
                                      "output folder", "-o", o->out_dir, v);
        o->out_dir = v;
    } else if ((v = nb_cli_option_value("--jobs", argc, argv, i, &missing)) ||
               (v = nb_cli_option_value("-j", argc, argv, i, &missing))) {
        char *end;
        long n = strtol(v, &end, 10);
        if (*end || n < 1 || n > 1024)
            return nb_cli_usage_error(cmd, "%s needs a number of parallel builds, not '%s'",
                                      "-j", v);
        o->jobs = (int)n;
    } else if (missing) {
        return nb_cli_usage_error(cmd, "the option %s needs a value", a);
    } else if (strcmp(a, "--timings") == 0) {
        o->timings = true;
    } else if (strcmp(a, "--html-fragment") == 0) {
        o->html_fragment = true;
    } else if (strcmp(a, "--watch") == 0 && o->draft) {
        o->watch = true;
    } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
        nb_cli_help(o->draft ? preview_usage : build_usage);
        return 0;
    } else {
        size_t n = sizeof build_options / sizeof build_options[0] - (o->draft ? 0 : 1);
        return nb_cli_unknown_option(cmd, a, build_options, n);
    }
    return -1;
}

static int parse_options(int argc, char **argv, nb_build_options *o)
{
    const char *cmd = argv[0];
    o->inputs = nb_xcalloc((size_t)argc, sizeof *o->inputs);
    bool options_end = false; /* after `--`, every argument is a report (-r.yaml) */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!options_end && strcmp(a, "--") == 0) {
            options_end = true;
        } else if (!options_end && a[0] == '-' && a[1]) {
            int status = parse_option(argc, argv, &i, o);
            if (status >= 0)
                return status == 0 ? -1 : status;
        } else {
            o->inputs[o->ninputs++] = a;
        }
    }
    if (o->ninputs == 0)
        return nb_cli_usage_error(cmd, "no report given");
    if (!o->out_dir)
        return nb_cli_usage_error(cmd, "no output folder given (-o DIR)");
    if (o->watch && o->ninputs != 1)
        return nb_cli_usage_error(cmd, "--watch follows one report");
    return 0;
}

static int run(int argc, char **argv, bool draft)
{
    nb_build_options o = {.draft = draft};
    int rc = parse_options(argc, argv, &o);
    if (rc < 0) { /* --help */
        free(o.inputs);
        return 0;
    }
    if (rc == 0 && o.watch) {
        rc = nb_watch(&o, o.inputs[0]);
        free(o.inputs);
        return rc;
    }
    /* several reports: a batch, with its summary and exit status, also at -j 1 */
    if (rc == 0 && o.ninputs > 1) {
        rc = nb_build_batch(&o);
        free(o.inputs);
        return rc;
    }
    nb_fontset *fonts = NULL;
    int worst = 0;
    for (int i = 0; rc == 0 && i < o.ninputs; i++) {
        int status = nb_build_report(&o, o.inputs[i], &fonts);
        if (status > worst)
            worst = status;
    }
    if (fonts)
        nb_fonts_free(fonts);
    free(o.inputs);
    return rc ? rc : worst;
}

int nb_cli_build(int argc, char **argv) { return run(argc, argv, false); }
int nb_cli_preview(int argc, char **argv) { return run(argc, argv, true); }
