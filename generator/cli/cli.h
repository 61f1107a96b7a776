/* cli.h — the subcommands of the nianbao program, one function each.
 *
 * main.c only dispatches on argv[1]; each command parses its own options and
 * returns the process exit status: 0 success, 1 the report breaks a rule of
 * its format, 2 bad usage or input that cannot be read.
 */
#ifndef NB_CLI_H
#define NB_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diag.h"

/* argv[0] is the command name ("build"), argv[1..] its arguments. */
int nb_cli_build(int argc, char **argv);   /* cli_build.c */
int nb_cli_preview(int argc, char **argv); /* cli_build.c */
int nb_cli_check(int argc, char **argv);   /* cli_check.c */
int nb_cli_init(int argc, char **argv);    /* cli_init.c */
int nb_cli_render(int argc, char **argv);  /* cli_render.c */
int nb_cli_fonts(int argc, char **argv);   /* cli_fonts.c */

/* The data folder (nb_data_dir()) and the font folders. */
#include "datadir.h"

/* ---- shared by the commands (cli_args.c) ---- */
/* The value of option `name` at argv[*i]: `--name VALUE` or `--name=VALUE`
 * (a short option: `-j 4` or `-j4`), advancing *i past it; NULL when argv[*i]
 * is another option, or when the value is missing (then *missing is set). */
const char *nb_cli_option_value(const char *name, int argc, char **argv, int *i,
                                bool *missing);
/* Print "nianbao CMD: error: MESSAGE" (translated) and where the help is;
 * returns 2, the exit status of bad usage. */
int nb_cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* An unknown option, with the closest of `options` as "did you mean". */
int nb_cli_unknown_option(const char *cmd, const char *arg, const char *const *options,
                          size_t n);
/* Whether messages to `out` are coloured: a terminal, NO_COLOR not set. */
bool nb_cli_colour(FILE *out);
/* A list of messages on stderr, labelled, coloured where nb_cli_colour says. */
void nb_cli_print_diags(const nb_diags *d);
/* A command's --help text, translated, on stdout. */
void nb_cli_help(const char *text);

#endif
