/* cli_build.c — `nianbao build` and `nianbao preview`: the whole pipeline for
 * one or more reports. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "build.h"
#include "watch.h"

static int usage_error(const char *cmd, const char *msg)
{
    fprintf(stderr, "nianbao %s: %s; usage: nianbao %s REPORT.yaml -o DIR\n", cmd, msg, cmd);
    return 2;
}

static int parse_options(int argc, char **argv, nb_build_options *o)
{
    o->inputs = nb_xcalloc((size_t)argc, sizeof *o->inputs);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            if (++i >= argc)
                return usage_error(argv[0], "-o needs a folder");
            o->out_dir = argv[i];
        } else if (strncmp(a, "-j", 2) == 0) {
            const char *n = a[2] ? a + 2 : (i + 1 < argc ? argv[++i] : "");
            o->jobs = atoi(n);
            if (o->jobs < 1)
                return usage_error(argv[0], "-j needs a number of parallel builds");
        } else if (strcmp(a, "--timings") == 0) {
            o->timings = true;
        } else if (strcmp(a, "--html-fragment") == 0) {
            o->html_fragment = true;
        } else if (strcmp(a, "--watch") == 0 && o->draft) {
            o->watch = true;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            printf("usage: nianbao %s REPORT.yaml... -o DIR [-j N] [--timings] "
                   "[--html-fragment]%s\n", argv[0],
                   o->draft ? " [--watch]" : "");
            exit(0);
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "nianbao %s: unknown option '%s'\n", argv[0], a);
            return 2;
        } else {
            o->inputs[o->ninputs++] = a;
        }
    }
    if (o->ninputs == 0)
        return usage_error(argv[0], "no report given");
    if (!o->out_dir)
        return usage_error(argv[0], "no output folder given (-o DIR)");
    if (o->watch && o->ninputs != 1)
        return usage_error(argv[0], "--watch follows one report");
    return 0;
}

static int run(int argc, char **argv, bool draft)
{
    nb_build_options o = {.draft = draft};
    int rc = parse_options(argc, argv, &o);
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
