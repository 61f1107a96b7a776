/* cli_check.c — `nianbao check`: every field and figure of a report against
 * its format (schema, sums, lint), and with --previous against last year's
 * report; nothing written. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "cli.h"
#include "report.h"

static const char usage[] =
    "usage: nianbao check REPORT.yaml [--previous LAST_YEAR.yaml]\n"
    "\n"
    "Check a report against its format: every field the format requires is there\n"
    "and of its type, no key is unknown, every figure is a number and every rule of\n"
    "the format holds (sums, equal sums, parts at most their whole). The narrative\n"
    "gets warnings: half-width punctuation in Chinese text, doubled punctuation,\n"
    "figures of the tables written as literal numbers.\n"
    "\n"
    "  --previous FILE  last year's report: its year must be this year's - 1, and\n"
    "                   the format's carry-over rules must hold (this year's 上年结转\n"
    "                   equals last year's 结转下年度继续办理, column by column)\n"
    "\n"
    "exit status: 0 clean (warnings allowed); 1 a rule fails; 2 the input cannot be\n"
    "read or a field or figure is malformed.\n";

typedef struct check_options {
    const char *input, *previous;
} check_options;

static int parse(int argc, char **argv, check_options *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage, stdout);
            return -1;
        }
        if (strcmp(a, "--previous") == 0 || strcmp(a, "-p") == 0) {
            if (++i >= argc) {
                fputs("nianbao check: --previous needs last year's report\n", stderr);
                return 2;
            }
            o->previous = argv[i];
        } else if (a[0] == '-' || o->input) {
            fprintf(stderr, "nianbao check: unexpected '%s'; usage: nianbao check "
                            "REPORT.yaml [--previous LAST_YEAR.yaml]\n", a);
            return 2;
        } else {
            o->input = a;
        }
    }
    if (!o->input) {
        fputs("nianbao check: no report given; usage: nianbao check REPORT.yaml "
              "[--previous LAST_YEAR.yaml]\n", stderr);
        return 2;
    }
    return 0;
}

/* Last year's report `last`, read and checked against the same format.
 * The caller frees `last` after printing the messages: their positions
 * name its file from its arena. */
static void check_previous(nb_report *r, nb_report *last, const char *path, nb_diags *d)
{
    if (!nb_report_load(last, path, nb_data_dir(), d))
        return;
    if (strcmp(last->format->name, r->format->name) != 0)
        nb_error(d, (nb_pos){path, 0, 0}, "the previous report is in format %s, this one "
                 "in %s; carry-over can only be checked between reports of one format",
                 last->format->name, r->format->name);
    else
        nb_check_previous(r->format, r->data, last->data, d);
}

int nb_cli_check(int argc, char **argv)
{
    check_options o = {0};
    int rc = parse(argc, argv, &o);
    if (rc)
        return rc < 0 ? 0 : rc;
    nb_diags d = {0};
    nb_report r, last = {0};
    bool loaded_last = false;
    if (nb_report_load(&r, o.input, nb_data_dir(), &d)) {
        nb_report_check(&r, &d);
        if (o.previous) {
            check_previous(&r, &last, o.previous, &d);
            loaded_last = true;
        }
    }
    nb_diags_print(&d, stderr);
    int status = nb_diags_exit_status(&d);
    if (status == 0)
        printf("%s: all figures agree with the rules of format %s%s\n", o.input,
               r.format->name, o.previous ? ", and with last year's report" : "");
    nb_report_free(&r);
    if (loaded_last)
        nb_report_free(&last);
    nb_diags_free(&d);
    return status;
}
