/* cli_check.c — `nianbao check`: every figure against the format's rules,
 * nothing written. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "report.h"

int nb_cli_check(int argc, char **argv)
{
    const char *input = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            puts("usage: nianbao check REPORT.yaml");
            return 0;
        }
        if (argv[i][0] == '-' || input) {
            fprintf(stderr, "nianbao check: unexpected '%s'; usage: nianbao check "
                            "REPORT.yaml\n", argv[i]);
            return 2;
        }
        input = argv[i];
    }
    if (!input) {
        fputs("nianbao check: no report given; usage: nianbao check REPORT.yaml\n", stderr);
        return 2;
    }
    nb_diags d = {0};
    nb_report r;
    if (nb_report_load(&r, input, nb_data_dir(), &d))
        nb_report_check(&r, &d);
    nb_diags_print(&d, stderr);
    int status = nb_diags_exit_status(&d);
    if (status == 0)
        printf("%s: all figures agree with the rules of format %s\n", input,
               r.format->name);
    nb_report_free(&r);
    nb_diags_free(&d);
    return status;
}
