/* main.c — the nianbao command line: dispatch to one subcommand (cli.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "outfile.h"

static const char usage[] =
    "usage: nianbao <command> [options]\n"
    "\n"
    "Produce a government information disclosure annual report (政府信息公开工作年度报告)\n"
    "from one YAML file: the official PDF, the XLSX statistics appendix, the web page\n"
    "for the portal, and a check of every figure.\n"
    "\n"
    "commands:\n"
    "  build REPORT.yaml... -o DIR [-j N] [--timings] [--html-fragment]\n"
    "                                check, then write DIR/<name>.pdf, DIR/<name>.xlsx and\n"
    "                                the web page DIR/<name>.html (--html-fragment: also\n"
    "                                DIR/<name>.fragment.html, the article with inline\n"
    "                                styles for a portal's editor); several reports are\n"
    "                                built N at a time\n"
    "  preview REPORT.yaml -o DIR [--watch]\n"
    "                                write DIR/<name>.draft.pdf and .draft.html (marked\n"
    "                                草稿; problems listed at the end instead of stopping);\n"
    "                                --watch rebuilds them on every save\n"
    "  check REPORT.yaml [--previous LAST_YEAR.yaml]\n"
    "                                check every figure against the format's rules (and\n"
    "                                the carry-over from last year's report)\n"
    "  init --format F --region R --year Y   print a commented report skeleton to fill in\n"
    "  render TEMPLATE --data DATA.yaml   print a rendered template (for template authors)\n"
    "  fonts                         show which font file serves each role\n"
    "\n"
    "options:\n"
    "  -h, --help      this help\n"
    "  -V, --version   the program's version\n"
    "\n"
    "exit status: 0 success; 1 a figure breaks a rule of the format; 2 bad usage or\n"
    "input that cannot be read.\n";

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
} command;

static const command commands[] = {
    {"build", nb_cli_build},   {"preview", nb_cli_preview}, {"check", nb_cli_check},
    {"render", nb_cli_render}, {"fonts", nb_cli_fonts},
    {"init", nb_cli_init},
};

/* What was printed must have arrived: a result line lost on a full device
 * is a failure, not a success. */
static int flushed(int status)
{
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "nianbao: cannot write to the standard output: %s\n",
                strerror(errno ? errno : EIO));
        if (status == 0)
            status = 2;
    }
    if ((fflush(stderr) != 0 || ferror(stderr)) && status == 0)
        status = 2;
    return status;
}

static int run(int argc, char **argv)
{
    if (argc < 2) {
        fputs("nianbao: no command given; try 'nianbao --help'\n", stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
        printf("nianbao %s\n", NB_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "nianbao: unknown command '%s'; try 'nianbao --help'\n", cmd);
    return 2;
}

int main(int argc, char **argv)
{
    nb_outfile_clean_up_on_signals();
    return flushed(run(argc, argv));
}
