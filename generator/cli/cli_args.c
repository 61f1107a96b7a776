/* cli_args.c — what every command shares on the command line: options as
 * `--name VALUE` or `--name=VALUE`, usage errors in one form, messages in
 * colour on a terminal. See cli.h. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "i18n.h"
#include "util.h"

const char *nb_cli_option_value(const char *name, int argc, char **argv, int *i, bool *missing)
{
    size_t n = strlen(name);
    const char *arg = argv[*i];
    if (strncmp(arg, name, n) != 0)
        return NULL;
    if (arg[n] == '=')
        return arg + n + 1;
    /* a short option takes its value joined too: -j4 */
    if (arg[n] != '\0')
        return name[1] == '-' ? NULL : arg + n;
    if (*i + 1 >= argc) {
        *missing = true;
        return NULL;
    }
    return argv[++*i];
}

int nb_cli_usage_error(const char *cmd, const char *fmt, ...)
{
    bool colour = nb_cli_colour(stderr);
    fprintf(stderr, "nianbao %s: %s%s%s", cmd, colour ? "\033[1;31m" : "", _("error: "),
            colour ? "\033[0m" : "");
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, _(fmt), ap);
    va_end(ap);
    fputs("\n", stderr);
    fprintf(stderr, _("Try 'nianbao %s --help' for its options.\n"), cmd);
    return 2;
}

int nb_cli_unknown_option(const char *cmd, const char *arg, const char *const *options,
                          size_t n)
{
    char *name = nb_xstrdup(arg);
    char *eq = strchr(name, '=');
    if (eq)
        *eq = '\0';
    const char *hint = nb_closest_word(name, options, n);
    int status = hint ? nb_cli_usage_error(cmd, "unknown option '%s'; did you mean '%s'?",
                                           name, hint)
                      : nb_cli_usage_error(cmd, "unknown option '%s'", name);
    free(name);
    return status;
}

bool nb_cli_colour(FILE *out)
{
    const char *no = getenv("NO_COLOR");
    if (no && *no)
        return false;
    const char *term = getenv("TERM");
    if (term && strcmp(term, "dumb") == 0)
        return false;
    return isatty(fileno(out));
}

void nb_cli_print_diags(const nb_diags *d)
{
    nb_diags_print_styled(d, stderr, nb_cli_colour(stderr));
}

void nb_cli_help(const char *text)
{
    fputs(_(text), stdout);
}
