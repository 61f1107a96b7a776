/* main.c — the nianbao command line: the user's language, then dispatch to
 * one subcommand (cli.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <locale.h>
#include <stdbool.h>
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
    "  fonts [REPORT.yaml]           show the font folders and which font file serves\n"
    "                                each role\n"
    "\n"
    "'nianbao COMMAND --help' describes a command and its options.\n"
    "\n"
    "options:\n"
    "  -h, --help      this help\n"
    "  -V, --version   the program's version\n"
    "\n"
    "environment:\n"
    "  NIANBAO_HOME    the data folder (templates/, fonts/); by default share/nianbao\n"
    "                  beside the program's bin/ folder (../share/nianbao)\n"
    "  XDG_DATA_HOME   your font folder is $XDG_DATA_HOME/nianbao/fonts (default\n"
    "                  ~/.local/share/nianbao/fonts); fonts/ beside a report comes\n"
    "                  first, the data folder's fonts/ last\n"
    "  SOURCE_DATE_EPOCH  when set, the creation date written into the PDF and the\n"
    "                  XLSX, instead of the report's date:\n"
    "  LANGUAGE, LC_ALL, LC_MESSAGES, LANG  the language of messages (English, or\n"
    "                  Chinese with zh_CN)\n"
    "  NO_COLOR        when set, messages are printed without colours\n"
    "\n"
    "exit status: 0 success; 1 a figure breaks a rule of the format; 2 bad usage or\n"
    "input that cannot be read.\n"
    "\n"
    "See nianbao(1) ('man nianbao') for the whole manual.\n");

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    bool needs_data; /* reads the data folder (templates/, fonts/) */
} command;

static const command commands[] = {
    {"build", nb_cli_build, true},    {"preview", nb_cli_preview, true},
    {"check", nb_cli_check, true},    {"render", nb_cli_render, false},
    {"fonts", nb_cli_fonts, true},    {"init", nb_cli_init, true},
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

static bool asks_for_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return true;
    return false;
}

/* A program installed without its data (or NIANBAO_HOME set wrong) says so
 * once, instead of every command failing on a missing template. */
static bool data_found(void)
{
    nb_diags d = {0};
    bool found = nb_data_dir_check(&d);
    nb_cli_print_diags(&d);
    nb_diags_free(&d);
    return found;
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
    for (size_t i = 0; i < NCOMMANDS; i++) {
        const command *c = &commands[i];
        if (strcmp(cmd, c->name) != 0)
            continue;
        if (c->needs_data && !asks_for_help(argc - 1, argv + 1) && !data_found())
            return 2;
        return c->run(argc - 1, argv + 1);
    }
    return unknown_command(cmd);
}

int main(int argc, char **argv)
{
    nb_outfile_clean_up_on_signals();
    return flushed(run(argc, argv));
}
