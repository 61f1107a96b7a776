/* cli_check.c — `nianbao check`: every field and figure of a report against
 * its format (schema, sums, lint), and with --previous against last year's
 * report; nothing written. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "cli.h"
#include "i18n.h"
#include "report.h"

static const char usage[] = N_(
    "usage: nianbao check REPORT.yaml [--previous=LAST_YEAR.yaml]\n"
    "\n"
    "Check a report against its format: every field the format requires is there\n"
    "and of its type, no key is unknown, every figure is a number and every rule of\n"
    "the format holds (sums, equal sums, parts at most their whole). The narrative\n"
    "gets warnings: half-width punctuation in Chinese text, doubled punctuation,\n"
    "figures of the tables written as literal numbers. Nothing is written.\n"
    "\n"
    "options:\n"
    "  -p, --previous=FILE  last year's report: its year must be this year's - 1,\n"
    "                       and the format's carry-over rules must hold (this\n"
    "                       year's 上年结转 equals last year's 结转下年度继续办理,\n"
    "                       column by column)\n"
    "  -h, --help           this help\n"
    "\n"
    "example:\n"
    "  nianbao check report-2025.yaml --previous=report-2024.yaml\n"
    "\n"
    "exit status: 0 clean (warnings allowed); 1 a rule fails; 2 the input cannot be\n"
    "read or a field or figure is malformed.\n");

typedef struct check_options {
    const char *input, *previous;
} check_options;

static const char *const check_option_names[] = {"--previous", "--help"};

static int parse(int argc, char **argv, check_options *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        bool missing = false;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            nb_cli_help(usage);
            return -1;
        }
        if ((v = nb_cli_option_value("--previous", argc, argv, &i, &missing)) ||
            (v = nb_cli_option_value("-p", argc, argv, &i, &missing))) {
            o->previous = v;
        } else if (missing) {
            return nb_cli_usage_error("check", "%s needs last year's report", a);
        } else if (a[0] == '-' && a[1]) {
            return nb_cli_unknown_option("check", a, check_option_names, 2);
        } else if (o->input) {
            return nb_cli_usage_error("check", "one report at a time ('%s' is one too many)",
                                      a);
        } else {
            o->input = a;
        }
    }
    if (!o->input)
        return nb_cli_usage_error("check", "no report given");
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

static size_t count_notes(const nb_diags *d)
{
    size_t n = 0;
    for (size_t i = 0; i < d->count; i++)
        n += d->items[i].severity == NB_NOTE;
    return n;
}

/* The last line of a clean check: that the figures agree, and how many
 * warnings there are to read above it. */
static void print_summary(const check_options *o, const char *format, size_t warnings)
{
    if (o->previous)
        printf(_("%s: all figures agree with the rules of format %s, and with last "
                 "year's report"), o->input, format);
    else
        printf(_("%s: all figures agree with the rules of format %s"), o->input, format);
    if (warnings)
        printf(ngettext("; %zu warning\n", "; %zu warnings\n", warnings), warnings);
    else
        printf(_("; no warnings\n"));
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
    nb_cli_print_diags(&d);
    int status = nb_diags_exit_status(&d);
    if (status == 0)
        print_summary(&o, r.format->name, d.count - d.errors - count_notes(&d));
    nb_report_free(&r);
    if (loaded_last)
        nb_report_free(&last);
    nb_diags_free(&d);
    return status;
}
