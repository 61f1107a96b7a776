/* main.c — the nianbao command line: the user's language, then dispatch to
 * one subcommand (cli.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "i18n.h"
#include "outfile.h"
#include "util.h"

static const char usage[] = N_(
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
    "'nianbao COMMAND --help' describes a command and its options.\n"
    "\n"
    "options:\n"
    "  -h, --help      this help\n"
    "  -V, --version   the program's version\n"
    "\n"
    "Messages are in the language of LANGUAGE, LC_ALL, LC_MESSAGES or LANG\n"
    "(English, or Chinese with zh_CN); NO_COLOR=1 turns their colours off.\n"
    "\n"
    "exit status: 0 success; 1 a figure breaks a rule of the format; 2 bad usage or\n"
    "input that cannot be read.\n");

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
} command;

static const command commands[] = {
    {"build", nb_cli_build},   {"preview", nb_cli_preview}, {"check", nb_cli_check},
    {"render", nb_cli_render}, {"fonts", nb_cli_fonts},
    {"init", nb_cli_init},
};
enum { NCOMMANDS = sizeof commands / sizeof commands[0] };

/* Where the compiled catalogs are: share/locale beside the installed
 * program (bin/../share/locale), else the build tree's. */
static const char *locale_dir(void)
{
    static char dir[PATH_MAX];
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        snprintf(dir, sizeof dir, "%s/../share/locale", dirname(exe));
        char probe[PATH_MAX + 64];
        snprintf(probe, sizeof probe, "%s/zh_CN/LC_MESSAGES/" NB_TEXTDOMAIN ".mo", dir);
        if (access(probe, R_OK) == 0)
            return dir;
    }
    return NB_BUILD_LOCALE_DIR;
}

/* The user's language for messages (LANGUAGE, LC_ALL, LC_MESSAGES, LANG,
 * as gettext reads them). Numbers stay in the C locale's form: the YAML's
 * figures and the PDF's coordinates are written with a point. */
static void use_the_users_language(void)
{
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
    bindtextdomain(NB_TEXTDOMAIN, locale_dir());
    bind_textdomain_codeset(NB_TEXTDOMAIN, "UTF-8"); /* what nianbao writes everywhere */
    textdomain(NB_TEXTDOMAIN);
}

static int unknown_command(const char *cmd)
{
    const char *names[NCOMMANDS];
    for (size_t i = 0; i < NCOMMANDS; i++)
        names[i] = commands[i].name;
    const char *hint = nb_closest_word(cmd, names, NCOMMANDS);
    if (hint)
        fprintf(stderr, _("nianbao: unknown command '%s'; did you mean '%s'? (try "
                          "'nianbao --help')\n"), cmd, hint);
    else
        fprintf(stderr, _("nianbao: unknown command '%s'; try 'nianbao --help'\n"), cmd);
    return 2;
}

/* What was printed must have arrived: a result line lost on a full device
 * is a failure, not a success. */
static int flushed(int status)
{
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, _("nianbao: error: cannot write to the standard output: %s\n"),
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
    use_the_users_language();
    if (argc < 2) {
        fputs(_("nianbao: no command given; try 'nianbao --help'\n"), stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        nb_cli_help(usage);
        return 0;
    }
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
        printf("nianbao %s\n", NB_VERSION);
        return 0;
    }
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    return unknown_command(cmd);
}

int main(int argc, char **argv)
{
    nb_outfile_clean_up_on_signals();
    return flushed(run(argc, argv));
}
